"""The live-status poller: refresh what is on screen, at the pace :mod:`smtui.live.pacing` sets.

The pace (fast while anything is in transition, slow when stable, jittered backoff on
Throttled/Unreachable, no timer at all after a permanent error) is :class:`~smtui.live.pacing.Pacer`'s
policy, stated once in that module. What the poller adds:

- The next poll is scheduled when the previous one *ends*, never on a fixed-rate timer, and two
  polls never overlap.
- **Nothing** while paused (the view is hidden): no poll starts, a poll in flight makes no
  further requests once the watch it is on is done, and no retry timer fires.
- Three ways to ask for a poll, by who asks:

  - :meth:`Poller.resume`: a view came back into sight (help, the palette, the ``:`` prompt or a
    describe closed). Polls at once when live; during a backoff, not before its due time; while
    waiting for the user, not at all. Navigating never spends rate limit a backoff is saving.
  - :meth:`Poller.poll_now`: a hand-off (a write just happened, describe-only columns wanted).
    Same rule as resume: a write does not make a throttled or denied API any better, and the
    backoff's poll shows the write's effect anyway.
  - :meth:`Poller.refresh_now`: the *user* asked (``r``). Polls at once whatever the state, and
    retries watches parked on a permanent error.

- A permanent error parks the watch that hit it (it is skipped, its rows stay as they were) and
  is reported; the other watches keep their cadence. When every watch is parked the poller
  waits for :meth:`Poller.refresh_now` or a new watch.

Results, failures and status go to plain (synchronous) callbacks, called on the poller's
event loop; the UI turns them into table updates, alerts and the status line. The status
carries the due time, so the UI counts down by itself (:meth:`PollStatus.text_at`).
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
from smtui.live.events import Failure, PollStatus, Record, State, Update
from smtui.live.pacing import Pacer
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
    parked: AwsError | None = None  # a permanent error: skipped until refresh_now()


class Poller:
    """Keeps a set of :class:`Watch` es fresh. One poller per visible screen is the intended use.

    ``sleep``/``monotonic``/``rng`` are injectable so tests run on a fake clock. Call
    :meth:`start` from a running event loop and ``await`` :meth:`stop` when the screen goes.
    :attr:`pacer` is the :class:`~smtui.live.pacing.Pacer` that decides when to poll.
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
        # A poll is wanted as soon as the pace allows: set by the first poll, an unseeded
        # watch, resume() and poll_now(); cleared when a poll starts, so a request made while
        # one is in flight gets another poll after it.
        self._requested = True
        self.pacer = Pacer(self.settings, rng=self.rng, monotonic=monotonic)
        self._task: asyncio.Task[None] | None = None
        self._faulted = False
        self._started_at: float | None = None
        self._calls_at_start = 0
        self.state: State = "idle"
        self.status: PollStatus | None = None
        self.polls = 0

    # ------------------------------------------------------------------ watches
    def watch(self, watch: Watch, seed: Mapping[str, Mapping[str, Any]] | None = None) -> Watch:
        """Start watching. ``seed`` is what the screen already shows (keyed like the poller),
        so the next poll diffs against it and the first poll need not happen at once.

        A new watch ends a wait for the user (what is watched changed): unseeded, it polls at
        once even then; seeded (the screen just read it, so the API answers again), the pace
        goes back to the normal cadence without reading it again. A backoff is not cut short."""
        entry = _Entry(watch)
        if seed is not None:
            entry.records = {k: dict(v) for k, v in seed.items()}
            entry.baseline = True
        else:
            self._requested = True
        self._entries[id(watch)] = entry
        if self.pacer.waiting_for_user:
            if seed is None:
                self.pacer.refresh()
            else:
                now = self._monotonic()
                self.pacer.success(self._transitional(), partial=self._parked_error(), now=now)
                if self._started_at is not None and not self.paused:
                    self._post_status(now)
        self._reschedule()
        return watch

    def unwatch(self, watch: Watch) -> None:
        """Stop watching (unknown watches are ignored). Unwatching a parked watch clears its
        error from the status at the next poll; when only parked watches are left, the pace
        waits for the user."""
        self._entries.pop(id(watch), None)
        parked = self._parked_error()
        only_parked = all(e.parked is not None for e in self._entries.values())
        if parked is not None and only_parked and not self.pacer.waiting_for_user:
            now = self._monotonic()
            self.pacer.failure(parked, now=now)
            if self._started_at is not None and not self.paused:
                self._post_status(now)
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
            self.pacer.success(self._transitional(), now=self._started_at)  # the seed is a good poll
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
        """Make no requests until :meth:`resume` (the view is hidden). A poll in flight
        finishes the watch it is on and skips the rest; no timer fires while paused."""
        if self.state == "stopped":
            return
        self._resumed.clear()
        self._wake.set()
        self._set_state("paused", "paused", self.interval)

    def resume(self) -> None:
        """The view is visible again: poll at once if the pace allows (live), else when it
        does — during a backoff not before its due time (at once if that passed while hidden),
        while waiting for the user not at all. Then carry on at the normal cadence."""
        self._requested = True
        was_paused = self.paused and self.state == "paused"
        self._resumed.set()
        self._wake.set()
        if was_paused:
            # Say where the pace stands now (``throttled · next poll in 7s``), not "paused",
            # in case no poll follows at once; one that does reports again after it.
            if self.pacer.state == "idle":
                self.state = "idle"
            else:
                self._post_status(self._monotonic())

    def poll_now(self) -> None:
        """Poll as soon as the pace allows, after the poll in flight (if any); never overlaps.

        For hand-offs (a write just happened): like :meth:`resume`, it does not cut a backoff
        short nor end a wait for the user; the user's own refresh is :meth:`refresh_now`."""
        self._requested = True
        self._wake.set()

    def refresh_now(self) -> None:
        """The user asked (``r``): poll at once whatever the pace, retrying watches parked on a
        permanent error. A backoff's failure count is kept (another throttle waits longer).
        While paused, the poll happens on :meth:`resume`."""
        for entry in self._entries.values():
            entry.parked = None
        self.pacer.refresh()
        self._requested = True
        self._wake.set()

    @property
    def interval(self) -> float:
        """The wait the pace chose at the last poll (the normal one while waiting for the user)."""
        return self.pacer.interval

    @property
    def due(self) -> float | None:
        """Monotonic time of the next poll; None while waiting for the user."""
        return self.pacer.due

    def status_text(self, now: float | None = None) -> str:
        """The status line as of ``now`` (counts down: ``throttled · next poll in 7s``)."""
        if self.state in ("paused", "stopped"):
            return self.state
        return self.pacer.status_text(now)

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
            if not any(e.parked is None for e in self._entries.values()):
                self._wake.clear()  # nothing watched, or every watch waits for the user
                await self._wake.wait()
                continue
            # Sleeping until exactly ``due`` may wake a hair early (timer resolution, float
            # sums), so "slept to the deadline" counts as due, unless a poll moved it since.
            reached = self._monotonic()
            if not (self._requested and self.pacer.request(reached)):
                due = self.pacer.due
                if due is None:  # waiting for the user: only refresh_now or a new watch
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                if due > reached:
                    reached = due
                    self._wake.clear()
                    if await self._sleep_or_wake(due - self._monotonic()):
                        continue  # woken: pause, a request or a watch change; re-evaluate
            async with self._lock:
                # Re-check under the lock: a manual poll_once() that got the lock first has
                # already served the request, so polling again would just spend rate limit.
                now = max(reached, self._monotonic())
                due = self.pacer.due
                if not self.paused and (
                    (self._requested and self.pacer.request(now)) or (due is not None and due <= now)
                ):
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
        retryable: AwsError | None = None
        for entry in list(self._entries.values()):
            if self.paused:
                self._requested = True  # hidden mid-poll: no more requests; resume finishes it
                break
            if id(entry.watch) not in self._entries or entry.parked is not None:
                continue  # unwatched while an earlier watch was polling, or waiting for the user
            try:
                await self._refresh(entry)
            except AwsError as exc:
                if exc.retryable:
                    retryable = exc
                    break  # do not keep hammering a throttled API for the other watches
                entry.parked = exc  # retrying on a timer cannot fix it: wait for the user
            except Exception as exc:  # a bug must not kill live updates silently
                log.exception("poll of %s failed", entry.watch.label)
                entry.parked = Unknown(f"internal error while polling: {type(exc).__name__}: {exc}")
        self._after_poll(retryable)

    def _after_poll(self, retryable: AwsError | None) -> None:
        now = self._monotonic()
        parked = self._parked_error()
        if retryable is not None:
            self.pacer.failure(retryable, now=now)
        elif parked is not None and all(e.parked is not None for e in self._entries.values()):
            self.pacer.failure(parked, now=now)  # every watch is parked: no timer at all
        else:
            self.pacer.success(self._transitional(), partial=parked, now=now)
        if self.paused:
            return  # hidden while this poll ran: keep saying "paused"; resume polls again anyway
        self._post_status(now)

    def _post_status(self, now: float) -> None:
        """Report the pace as of ``now``; ``recovered`` on the first report without an error."""
        pacer = self.pacer
        recovered = pacer.error is None and self._faulted
        self._faulted = pacer.error is not None
        self.state = pacer.state
        self.status = PollStatus(
            pacer.state,
            pacer.status_text(now),
            pacer.interval,
            pacer.error,
            recovered,
            due=pacer.due,
            waiting_for_user=pacer.waiting_for_user,
        )
        _call(self.on_status, self.status)

    def _parked_error(self) -> AwsError | None:
        """The first watch's permanent error, if any watch has one."""
        return next((e.parked for e in self._entries.values() if e.parked is not None), None)

    def _transitional(self) -> bool:
        """Anything live (not parked) in transition: the fast cadence."""
        for entry in self._entries.values():
            if entry.parked is None and any(entry.watch.health_of(r) == "transitional" for r in entry.records.values()):
                return True
        return False

    def _reschedule(self) -> None:
        """A watch came or went: the cadence may change (a Creating endpoint opened)."""
        if self._started_at is not None:
            self.pacer.retune(self._transitional())
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
