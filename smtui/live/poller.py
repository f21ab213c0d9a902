"""The live-status poller: refresh what is on screen, at a pace that suits what it shows.

Policy, in one place:

- **Fast** (``fast_seconds``) while anything watched is in transition (Creating, Updating,
  Pending...), **slow** (``slow_seconds``) when everything is stable, **nothing** while paused
  (the view is hidden); resuming polls at once.
- The next poll is scheduled when the previous one *ends*, never on a fixed-rate timer, so a
  slow link cannot make polls pile up, and two polls never overlap.
- ``Throttled``/``Unreachable``: exponential backoff with full jitter (so several smtui
  sessions sharing an account's rate limit do not retry in lock-step), capped at
  ``max_backoff_seconds``; back to normal cadence after the first good poll.
- Any other :class:`AwsError` (access denied, expired credentials): reported, then retried at
  the slow pace, so the view recovers by itself once the user fixes the cause.

Results, failures and status go to plain (synchronous) callbacks, called on the poller's
event loop; the UI turns them into table updates, alerts and the status line.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smtui.aws.errors import AccessDenied, AwsError, NotFound, Unknown
from smtui.config import PollSettings
from smtui.live._tasks import bounded_gather
from smtui.live.diff import diff
from smtui.live.events import (
    Failure,
    PollStatus,
    Record,
    State,
    Update,
    backoff_delay,
    error_label,
    seconds_text,
)
from smtui.live.reasons import failure_reason
from smtui.live.source import Source, Watch

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Entry:
    watch: Watch
    records: dict[str, Record] = field(default_factory=dict)
    details: dict[str, Record] = field(default_factory=dict)
    summaries: dict[str, Record] = field(default_factory=dict)  # last list row per key
    baseline: bool = False  # True once there is something to diff against


class Poller:
    """Keeps a set of :class:`Watch` es fresh. One poller per visible screen is the intended use.

    ``sleep``/``monotonic``/``rng`` are injectable so tests run on a fake clock. Call
    :meth:`start` from a running event loop and ``await`` :meth:`stop` when the screen goes.
    """

    def __init__(
        self,
        source: Source,
        settings: PollSettings | None = None,
        *,
        on_result: Callable[[Update], None] | None = None,
        on_failure: Callable[[Failure], None] | None = None,
        on_status: Callable[[PollStatus], None] | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        describe_concurrency: int = 4,
    ) -> None:
        self.source = source
        self.settings = settings or PollSettings()
        self.on_result = on_result
        self.on_failure = on_failure
        self.on_status = on_status
        self.rng = rng or random.Random()
        self._sleep = sleep
        self._monotonic = monotonic
        self.describe_concurrency = describe_concurrency
        self._entries: dict[int, _Entry] = {}
        self._lock = asyncio.Lock()  # one poll at a time, whoever asks
        self._wake = asyncio.Event()
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._requested = True  # the first poll happens as soon as the loop starts
        self._due = 0.0
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._faulted = False
        self._started_at: float | None = None
        self._calls_at_start = 0
        self.state: State = "idle"
        self.interval = self.settings.slow_seconds
        self.status: PollStatus | None = None
        self.polls = 0

    # ------------------------------------------------------------------ watches
    def watch(self, watch: Watch, seed: Mapping[str, Mapping[str, Any]] | None = None) -> Watch:
        """Start watching. ``seed`` is what the screen already shows (keyed like the poller),
        so the next poll diffs against it and the first poll need not happen at once."""
        entry = _Entry(watch)
        if seed is not None:
            entry.records = {k: dict(v) for k, v in seed.items()}
            entry.baseline = True
        else:
            self._requested = True
        self._entries[id(watch)] = entry
        self._reschedule()
        return watch

    def unwatch(self, watch: Watch) -> None:
        """Stop watching (unknown watches are ignored)."""
        self._entries.pop(id(watch), None)
        self._reschedule()

    @property
    def watches(self) -> list[Watch]:
        """The watches, in the order they were added."""
        return [e.watch for e in self._entries.values()]

    def records(self, watch: Watch) -> dict[str, Record]:
        """The latest records of a watch (empty before its first poll)."""
        entry = self._entries.get(id(watch))
        return dict(entry.records) if entry else {}

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        """Start the polling loop (idempotent). Needs a running event loop."""
        if self._task is not None and not self._task.done():
            return
        self._started_at = self._monotonic()
        self._calls_at_start = self.source.calls
        if self._entries and all(e.baseline for e in self._entries.values()):
            self._requested = False
            self.interval = self._normal_interval()
            self._due = self._started_at + self.interval
        self._task = asyncio.get_running_loop().create_task(self._run(), name="smtui-poller")

    async def stop(self) -> None:
        """Cancel the loop and wait for it (and any poll in flight) to finish."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                # Our own cancellation of the loop; if *we* are being cancelled, propagate.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
        self._set_state("stopped", "stopped", self.interval)

    def pause(self) -> None:
        """Stop polling until :meth:`resume` (the view is hidden). A poll in flight finishes."""
        if self.state == "stopped":
            return
        self._resumed.clear()
        self._wake.set()
        self._set_state("paused", "paused", self.interval)

    def resume(self) -> None:
        """Poll at once and carry on at the normal cadence."""
        self._requested = True
        self._resumed.set()
        self._wake.set()

    def poll_now(self) -> None:
        """Poll as soon as possible (after the poll in flight, if any); never overlaps."""
        self._requested = True
        self._wake.set()

    @property
    def paused(self) -> bool:
        """True between :meth:`pause` and :meth:`resume`."""
        return not self._resumed.is_set()

    @property
    def running(self) -> bool:
        """True while the loop task is alive."""
        return self._task is not None and not self._task.done()

    @property
    def calls(self) -> int:
        """API requests made through the source since :meth:`start` (or creation, before it)."""
        return self.source.calls - self._calls_at_start

    def calls_per_minute(self) -> float:
        """Average request rate since :meth:`start` (what the benchmarks assert on)."""
        if self._started_at is None:
            return 0.0
        elapsed = self._monotonic() - self._started_at
        return self.calls * 60.0 / elapsed if elapsed > 0 else 0.0

    # ------------------------------------------------------------------ the loop
    async def _run(self) -> None:
        while True:
            if self.paused:
                await self._resumed.wait()
                continue
            if not self._entries:
                self._wake.clear()
                await self._wake.wait()
                continue
            # Sleeping until exactly ``due`` may wake a hair early (timer resolution, float
            # sums), so "slept to the deadline" counts as due, unless a poll moved it since.
            reached = self._monotonic()
            if not self._requested and self._due > reached:
                reached = self._due
                self._wake.clear()
                if await self._sleep_or_wake(self._due - self._monotonic()):
                    continue  # woken: pause, poll_now or a watch change; re-evaluate
            async with self._lock:
                # Re-check under the lock: a manual poll_once() that got the lock first has
                # already served the request, so polling again would just spend rate limit.
                if self._requested or self._due <= max(reached, self._monotonic()):
                    await self._poll_locked()

    async def _sleep_or_wake(self, delay: float) -> bool:
        """Sleep ``delay`` unless woken first; True if woken."""
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            done, _ = await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)
        return waker in done

    async def poll_once(self) -> None:
        """Refresh every watch once and schedule the next poll. Safe to call from outside the
        loop (tests, benchmarks, a manual refresh): polls are serialised by a lock."""
        async with self._lock:
            await self._poll_locked()

    async def _poll_locked(self) -> None:
        self._requested = False  # requests made from now on need another poll
        self.polls += 1
        error: AwsError | None = None
        for entry in list(self._entries.values()):
            if id(entry.watch) not in self._entries:
                continue  # unwatched while an earlier watch was polling
            try:
                await self._refresh(entry)
            except AwsError as exc:
                error = exc if error is None or not error.retryable else error
                if exc.retryable:
                    break  # do not keep hammering a throttled API for the other watches
            except Exception as exc:  # a bug must not kill live updates silently
                log.exception("poll of %s failed", entry.watch.label)
                error = error or Unknown(f"internal error while polling: {type(exc).__name__}: {exc}")
        self._after_poll(error)

    def _after_poll(self, error: AwsError | None) -> None:
        now = self._monotonic()
        normal = self._normal_interval()
        if error is not None and error.retryable:
            self._failures += 1
            self.interval = backoff_delay(
                self._failures,
                normal,
                self.settings.max_backoff_seconds,
                self.rng,
                floor=self.settings.fast_seconds,
            )
            state: State = "backoff"
            text = f"{error_label(error)} · next poll in {seconds_text(self.interval)}"
        elif error is not None:
            self._failures = 0
            self.interval = self.settings.slow_seconds
            state, text = "error", f"{error_label(error)} · next poll in {seconds_text(self.interval)}"
        else:
            self._failures = 0
            self.interval = normal
            state, text = "live", f"live · every {seconds_text(normal)}"
        self._due = now + self.interval
        if self.paused:
            return  # hidden while this poll ran: keep saying "paused"; resume polls again anyway
        recovered = error is None and self._faulted
        self._faulted = error is not None
        self.state = state
        self.status = PollStatus(state, text, self.interval, error, recovered)
        _call(self.on_status, self.status)

    def _normal_interval(self) -> float:
        for entry in self._entries.values():
            if any(entry.watch.health_of(r) == "transitional" for r in entry.records.values()):
                return self.settings.fast_seconds
        return self.settings.slow_seconds

    def _reschedule(self) -> None:
        """A watch came or went: the cadence may change (a Creating endpoint opened)."""
        if self.state in ("live", "idle") and self._started_at is not None:
            last_end = self._due - self.interval
            self.interval = self._normal_interval()
            self._due = last_end + self.interval
        self._wake.set()

    # ------------------------------------------------------------------ one watch
    async def _refresh(self, entry: _Entry) -> None:
        watch = entry.watch
        complete = True
        fresh: set[str] = set()
        if watch.record is not None:
            try:
                detail = await self.source.describe(watch, watch.record)
            except NotFound:
                records: dict[str, Record] = {}  # deleted: the UI shows it gone, not an error
            else:
                records = {watch.key_of(watch.record): {**watch.record, **detail}}
        else:
            listing = await self.source.list(watch)
            complete = listing.complete
            records = {}
            for row in listing.items:
                if watch.keep is None or watch.keep(row):
                    records[watch.key_of(row)] = row
            wanted = [
                key
                for key, row in records.items()
                if (watch.describe_rows is not None and watch.describe_rows(row))
                or (watch.describe_uncached and key not in entry.details)
                # A cached describe goes stale when the summary moves (an update that began
                # and finished between two polls never looks transitional from here).
                or (key in entry.details and key in entry.summaries and entry.summaries[key] != row)
            ][: watch.max_describes]
            entry.summaries = {key: dict(row) for key, row in records.items()}
            details = await self._describe(watch, {k: records[k] for k in wanted})
            entry.details = {k: v for k, v in {**entry.details, **details}.items() if k in records}
            fresh = set(details)
            for key, row in records.items():
                cached = entry.details.get(key)
                if cached is not None:
                    # A fresh describe is newer than the summary; an old one is older.
                    records[key] = {**row, **cached} if key in fresh else {**cached, **row}
        if self._entries.get(id(watch)) is not entry:
            return  # unwatched while we were fetching: nobody wants this any more
        failures = self._failures_in(entry, records)
        await self._add_reasons(watch, failures, records, fresh)
        changes = diff(entry.records, records)
        first = not entry.baseline
        entry.records, entry.baseline = records, True
        _call(self.on_result, Update(watch, records, changes, complete, first))
        for key, previous in failures:
            record = records[key]
            status = watch.rtype.status_of(record) or ""
            failure = Failure(watch, key, status, failure_reason(record), previous, record)
            _call(self.on_failure, failure)

    def _failures_in(self, entry: _Entry, records: Mapping[str, Record]) -> list[tuple[str, str | None]]:
        """Keys that went into a failed state since the last poll, with their old status.

        Rows already failed when the watch began are not news; a row that appears already
        failed after that is (a job that failed between two polls).
        """
        if not entry.baseline:
            return []
        watch = entry.watch
        out: list[tuple[str, str | None]] = []
        for key, record in records.items():
            status = watch.rtype.status_of(record)
            if watch.rtype.health(status) != "failed":
                continue
            old = entry.records.get(key)
            old_status = watch.rtype.status_of(old) if old is not None else None
            if old is None or old_status != status:
                out.append((key, old_status))
        return out

    async def _add_reasons(
        self,
        watch: Watch,
        failures: list[tuple[str, str | None]],
        records: dict[str, Record],
        fresh: set[str],
    ) -> None:
        """Summaries rarely carry FailureReason: describe the newly failed rows that lack one."""
        if watch.record is not None:
            return
        missing = {k: records[k] for k, _ in failures if k not in fresh and not failure_reason(records[k])}
        try:
            details = await self._describe(watch, missing)
        except AwsError:
            return  # the alert still goes out, just without a reason
        for key, detail in details.items():
            records[key] = {**records[key], **detail}

    async def _describe(self, watch: Watch, rows: Mapping[str, Record]) -> dict[str, Record]:
        """Describe rows with bounded concurrency. A row that vanished or that we may not
        describe keeps its summary; throttling and the like fail the poll (and back off)."""

        def job(row: Record) -> Callable[[], Awaitable[Record | None]]:
            async def run() -> Record | None:
                try:
                    return await self.source.describe(watch, row)
                except (NotFound, AccessDenied):
                    return None

            return run

        keys = list(rows)
        results = await bounded_gather([job(rows[k]) for k in keys], self.describe_concurrency)
        return {k: r for k, r in zip(keys, results, strict=True) if r is not None}

    # ------------------------------------------------------------------ callbacks
    def _set_state(self, state: State, text: str, interval: float, error: AwsError | None = None) -> None:
        self.state = state
        self.status = PollStatus(state, text, interval, error)
        _call(self.on_status, self.status)


def _call(callback: Callable[[Any], None] | None, value: object) -> None:
    if callback is None:
        return
    try:
        callback(value)
    except Exception:  # the UI's bug must not stop live updates
        log.exception("poller callback %r failed", callback)
