"""The pacing policy: the pure :class:`Pacer`, and the poller obeying it on a fake clock.

Requests are counted at the in-memory ``FakeSource`` (its ``calls``), so "zero requests" means
the poller did not even try. The clock here only moves when a test says so, so "before the
backoff is due" is exact, not a race.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from typing import Any

from smtui.aws.errors import (
    AccessDenied,
    CredentialsExpired,
    NotFound,
    Throttled,
    Unreachable,
    ValidationFailed,
)
from smtui.live.events import PollStatus
from smtui.live.pacing import Pacer
from smtui.live.poller import Poller
from smtui.live.source import Listing, Watch
from tests.unit.test_live import ENDPOINTS, SETTINGS, FakeSource, Record, Recorder, ep, settle, until

THROTTLED = Throttled("ListEndpoints is throttled", "smtui backs off and retries by itself")
DENIED = AccessDenied("access denied to ListEndpoints", "ask for permissions")


class ManualClock:
    """``monotonic``/``sleep`` where time moves only on :meth:`advance`; sleepers wake when it
    passes their deadline (or are cancelled, when the poller is woken early)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._tick = asyncio.Event()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        deadline = self.now + delay
        while self.now < deadline:
            self._tick.clear()
            await self._tick.wait()

    async def advance(self, seconds: float, step: float = 1.0) -> None:
        """Move time forward ``seconds`` in ``step``s, letting the loop run at each."""
        end = self.now + seconds
        while self.now < end:
            self.now = min(end, self.now + step)
            self._tick.set()
            await settle(50)


class Clock:
    """Just ``monotonic``, for the pure Pacer."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pacer(seed: int = 1, clock: Clock | None = None) -> Pacer:
    return Pacer(SETTINGS, rng=random.Random(seed), monotonic=clock or Clock())


def poller_on(source: FakeSource, clock: ManualClock, seed: int = 7) -> tuple[Poller, Recorder]:
    rec = Recorder()
    poller = Poller(
        source,
        SETTINGS,
        rng=random.Random(seed),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        **rec.kwargs(),
    )
    return poller, rec


# --------------------------------------------------------------------------- the pure Pacer


def test_cadence_is_fast_while_transitional_and_slow_when_stable() -> None:
    clock = Clock()
    pace = pacer(clock=clock)
    assert pace.state == "idle" and pace.delay() == 0  # the first poll is due at once
    assert pace.success(transitional=True) == 3 and pace.due == 103
    assert pace.status_text() == "live · every 3s"
    clock.now = 103
    assert pace.success(transitional=False) == 30 and pace.delay() == 30
    assert pace.status_text() == "live · every 30s"


def test_backoff_grows_with_full_jitter_within_floor_and_cap_then_resets() -> None:
    ceilings = [min(120.0, 30.0 * 2**n) for n in range(1, 7)]  # 60, 120, 120, ...
    draws: list[list[float]] = [[] for _ in ceilings]
    for seed in range(300):
        clock = Clock()
        pace = pacer(seed, clock)
        pace.success(transitional=False)
        for n in range(len(ceilings)):
            delay = pace.failure(THROTTLED)
            assert delay is not None and pace.state == "backoff" and pace.backing_off
            assert pace.due == clock.now + delay and pace.failures == n + 1
            draws[n].append(delay)
            clock.now += delay
        pace.success(transitional=False)
        assert pace.failures == 0 and pace.error is None and pace.interval == 30 and not pace.backing_off
        first_again = pace.failure(THROTTLED)
        assert first_again is not None and SETTINGS.fast_seconds <= first_again <= 60.0  # reset: 2**1 again
    for ceiling, got in zip(ceilings, draws, strict=True):
        assert all(SETTINGS.fast_seconds <= d <= ceiling for d in got), ceiling
        assert max(got) > 0.9 * ceiling  # the jitter spans the whole range...
        assert len({round(d, 6) for d in got}) > 250  # ...differently for each session
    assert sum(draws[1]) / len(draws[1]) > sum(draws[0]) / len(draws[0]) * 1.5  # it grows


def test_backoff_starts_from_the_fast_cadence_while_transitional() -> None:
    pace = pacer()
    pace.success(transitional=True)
    delays = [pace.failure(Unreachable("cannot reach SageMaker")) for _ in range(3)]
    assert all(d is not None and 3.0 <= d <= c for d, c in zip(delays, (6.0, 12.0, 24.0), strict=True))
    assert pace.status_text().startswith("unreachable · next poll in ")


def test_the_status_text_counts_down_as_the_clock_advances() -> None:
    clock = Clock()
    pace = pacer(3, clock)
    pace.success(transitional=False)
    delay = pace.failure(THROTTLED)
    assert delay is not None and delay > 5
    texts = []
    for _ in range(int(delay) + 2):
        texts.append(pace.status_text())
        clock.now += 1
    seconds = [int(t.removeprefix("throttled · next poll in ").removesuffix("s")) for t in texts[:-2]]
    assert texts[0] == f"throttled · next poll in {seconds[0]}s" and seconds[0] == int(delay) + 1
    assert seconds == list(range(seconds[0], seconds[0] - len(seconds), -1))  # one less each second
    assert texts[-1] == "throttled · retrying now"
    # an explicit now works without touching the clock
    assert pace.status_text(pace.due - 2.5 if pace.due is not None else 0) == "throttled · next poll in 3s"


def test_poll_status_counts_down_from_its_due_time_alone() -> None:
    status = PollStatus("backoff", "throttled · next poll in 8s", 7.5, THROTTLED, due=1007.5)
    assert status.text_at(1000.0) == "throttled · next poll in 8s"
    assert status.text_at(1004.1) == "throttled · next poll in 4s"
    assert status.text_at(1008.0) == "throttled · retrying now"
    assert PollStatus("live", "live · every 30s", 30, due=1030).text_at(1010) == "live · every 30s"
    assert PollStatus("paused", "paused", 30).text_at(0) == "paused"
    waiting = PollStatus("error", "", 30, DENIED, waiting_for_user=True)
    assert waiting.text_at(5.0) == "access denied · waiting: press r to retry"


def test_expired_credentials_back_off_because_they_are_fixed_outside_smtui() -> None:
    pace = pacer(clock=Clock())
    pace.success(transitional=False)
    delay = pace.failure(CredentialsExpired("the default credentials expired", "aws sso login, then press r"))
    assert delay is not None and pace.backing_off and not pace.waiting_for_user


def test_permanent_errors_wait_for_the_user() -> None:
    clock = Clock()
    for error in (
        DENIED,
        ValidationFailed("1 validation error detected"),
        NotFound("cluster c1 not found"),
    ):
        pace = pacer(clock=clock)
        pace.success(transitional=True)
        assert pace.failure(error) is None
        assert pace.state == "error" and pace.waiting_for_user and pace.due is None and pace.delay() is None
        clock.now += 10_000  # no timer: a day later it still waits
        assert pace.delay() is None and not pace.request()  # a view coming back does not retry it
        assert pace.status_text() == f"{error.kind.replace('-', ' ')} · waiting: press r to retry"
        pace.refresh()  # r
        assert not pace.waiting_for_user and pace.delay() == 0
        assert pace.status_text().endswith(" · retrying now")
        pace.success(transitional=False)
        assert pace.state == "live" and pace.error is None
    assert pace.status_text() == "live · every 30s"


def test_requests_wait_for_the_backoff_but_refresh_does_not() -> None:
    clock = Clock()
    pace = pacer(clock=clock)
    pace.success(transitional=False)
    clock.now += 5
    assert pace.request() and pace.due == clock.now  # live: a view that comes back polls at once
    pace.success(transitional=False)
    delay = pace.failure(THROTTLED)
    assert delay is not None
    due = pace.due
    for _ in range(10):  # ten navigations inside the backoff
        clock.now += delay / 20
        assert not pace.request() and pace.due == due
    clock.now = due if due is not None else 0
    assert pace.request()  # once due, a request is granted
    pace.failure(THROTTLED)
    assert pace.failures == 2 and pace.delay() != 0
    pace.refresh()  # the user asked: now, whatever the backoff says...
    assert pace.delay() == 0 and pace.backing_off
    pace.failure(THROTTLED)
    assert pace.failures == 3  # ...but it does not reset the backoff


def test_retune_moves_the_next_poll_but_leaves_a_backoff_alone() -> None:
    clock = Clock()
    pace = pacer(clock=clock)
    pace.success(transitional=False)
    clock.now += 1
    pace.retune(transitional=True)  # a Creating endpoint was opened
    assert pace.due == 103 and pace.interval == 3
    pace.failure(THROTTLED)
    due = pace.due
    pace.retune(transitional=False)
    assert pace.due == due and pace.backing_off


def test_a_partial_permanent_error_is_said_while_the_rest_stays_live() -> None:
    pace = pacer()
    pace.success(transitional=False, partial=DENIED)
    assert pace.state == "live" and pace.error is DENIED and not pace.waiting_for_user
    assert pace.status_text() == "live · every 30s · access denied: press r to retry"


# --------------------------------------------------------------------------- the poller obeys it


async def test_resume_and_poll_now_during_backoff_make_no_request_before_it_is_due() -> None:
    clock = ManualClock()
    source = FakeSource([THROTTLED])
    poller, rec = poller_on(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "backoff", "the first throttle")
    due = poller.due
    assert source.calls == 1 and due is not None and due >= SETTINGS.fast_seconds
    status = rec.statuses[-1]
    assert status.due == due and status.state == "backoff" and not status.waiting_for_user
    for _ in range(10):  # ':' then Esc, ten times, 0.1 s apart: the view hides and comes back
        poller.pause()
        await settle(20)
        poller.resume()
        poller.poll_now()  # and a write's hand-off, for good measure
        await clock.advance(0.1, step=0.1)
    assert clock.now < due and source.calls == 1, "navigating cut the backoff short"
    await clock.advance(due - clock.now, step=0.5)
    await until(lambda: source.calls == 2, "the backoff's own poll")
    await poller.stop()


async def test_status_carries_the_due_time_so_the_ui_can_count_down() -> None:
    clock = ManualClock()
    source = FakeSource([THROTTLED])
    poller, rec = poller_on(source, clock, seed=3)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "backoff", "the throttle")
    status = rec.statuses[-1]
    assert status.due == clock.now + status.interval
    assert status.text == status.text_at(clock.now) == poller.status_text()
    seen = [status.text]
    for _ in range(3):
        await clock.advance(1.0)
        assert len(rec.statuses) == 1  # the poller posted nothing...
        seen.append(poller.status_text())  # ...yet the text moves on
        assert seen[-1] == status.text_at(clock.now)
    numbers = [int(t.rsplit(" ", 1)[1].removesuffix("s")) for t in seen]
    assert numbers == [numbers[0], numbers[0] - 1, numbers[0] - 2, numbers[0] - 3]
    await poller.stop()


async def test_refresh_now_polls_at_once_even_during_backoff() -> None:
    clock = ManualClock()
    source = FakeSource([THROTTLED, THROTTLED, [ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "backoff", "the throttle")
    poller.refresh_now()
    await until(lambda: source.calls == 2, "the user's refresh")
    assert clock.now == 0 and poller.pacer.failures == 2  # at once, and the backoff keeps growing
    poller.refresh_now()
    await until(lambda: poller.state == "live", "live again")
    assert source.calls == 3 and rec.statuses[-1].recovered and poller.pacer.failures == 0
    await poller.stop()


async def test_a_permanent_error_makes_no_request_until_refresh_now() -> None:
    clock = ManualClock()
    source = FakeSource([DENIED, DENIED, [ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "error", "the error")
    status = rec.statuses[-1]
    assert status.waiting_for_user and status.due is None and status.error is DENIED
    assert status.text == "access denied · waiting: press r to retry"
    await clock.advance(6 * 3600, step=600)  # six hours, with navigations in between
    for _ in range(5):
        poller.pause()
        poller.resume()
        poller.poll_now()
        await settle(20)
    assert source.calls == 1 and clock.sleeps == [], "a permanent error was retried on its own"
    poller.refresh_now()
    await until(lambda: source.calls == 2, "the refresh")
    assert poller.state == "error" and rec.statuses[-1].text == "access denied · waiting: press r to retry"
    await clock.advance(3600, step=600)
    assert source.calls == 2
    poller.refresh_now()
    await until(lambda: poller.state == "live", "recovered")
    assert source.calls == 3 and rec.statuses[-1].recovered
    await poller.stop()


async def test_a_new_watch_ends_the_wait() -> None:
    clock = ManualClock()
    source = FakeSource([NotFound("no such cluster"), [ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    gone = poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "error", "the error")
    poller.unwatch(gone)
    poller.watch(Watch.list_of(ENDPOINTS, {"NameContains": "a"}))  # e.g. another filter
    await until(lambda: source.calls == 2, "the new watch's poll")
    await until(lambda: poller.state == "live", "live")
    assert rec.statuses[-1].recovered and rec.statuses[-1].error is None
    await poller.stop()


async def test_a_seeded_watch_ends_the_wait_without_reading_it_again() -> None:
    clock = ManualClock()
    source = FakeSource([DENIED, [ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    denied = poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "error", "the error")
    await clock.advance(100, step=10)
    # r on the list screen: it re-lists by itself, then hands the rows over, seeded
    poller.unwatch(denied)
    poller.watch(Watch.list_of(ENDPOINTS), seed={"a": ep("a", "InService")})
    assert poller.state == "live" and rec.statuses[-1].recovered  # said at once...
    assert rec.statuses[-1].due == clock.now + SETTINGS.slow_seconds
    await settle()
    assert source.calls == 1  # ...without reading again what the screen just read
    await clock.advance(SETTINGS.slow_seconds, step=5)
    await until(lambda: source.calls == 2, "the normal cadence")
    await poller.stop()


async def test_unwatching_the_last_live_watch_leaves_a_wait() -> None:
    class DeniedLists(FakeSource):
        async def list(self, watch: Watch) -> Listing:
            if watch.params:
                self.calls += 1
                raise DENIED
            return await super().list(watch)

    clock = ManualClock()
    source = DeniedLists([[ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    fine = poller.watch(Watch.list_of(ENDPOINTS))
    poller.watch(Watch.list_of(ENDPOINTS, {"NameContains": "x"}))
    poller.start()
    await until(lambda: len(rec.statuses) == 1, "first poll")
    assert rec.statuses[-1].state == "live" and rec.statuses[-1].error is DENIED
    poller.unwatch(fine)
    assert poller.state == "error" and rec.statuses[-1].waiting_for_user
    await clock.advance(300, step=10)
    assert source.calls == 2
    await poller.stop()


async def test_a_paused_poller_makes_no_requests_not_even_a_due_retry() -> None:
    clock = ManualClock()
    source = FakeSource([[ep("a", "InService")], THROTTLED, [ep("a", "InService")]])
    poller, rec = poller_on(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "live", "first poll")
    poller.pause()
    await clock.advance(3600, step=60)
    assert source.calls == 1  # hidden for an hour: nothing
    poller.resume()
    await until(lambda: poller.state == "backoff", "the resume poll, throttled")
    assert source.calls == 2
    due = poller.due
    assert due is not None
    poller.pause()
    await clock.advance(due - clock.now + 600, step=1)  # well past the retry timer
    assert source.calls == 2, "the backoff's retry fired while hidden"
    assert rec.statuses[-1].text == "paused"
    poller.resume()  # the backoff is over: the view polls as it comes back
    await until(lambda: source.calls == 3 and poller.state == "live", "resumed")
    await poller.stop()


async def test_pausing_mid_poll_skips_the_remaining_watches() -> None:
    clock = ManualClock()
    source = FakeSource([[ep("a", "InService")]])
    source.gate = asyncio.Event()
    poller, _ = poller_on(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.watch(Watch.list_of(ENDPOINTS, {"NameContains": "b"}))
    poller.start()
    await until(lambda: source.active == 1, "the first watch in flight")
    poller.pause()
    source.gate.set()
    await settle()
    assert source.calls == 1  # the second watch waits for the view to come back
    poller.resume()
    await until(lambda: source.calls == 3, "both watches after resume")
    await poller.stop()


async def test_one_parked_watch_does_not_stop_the_others() -> None:
    class DeniedLists(FakeSource):
        async def list(self, watch: Watch) -> Listing:
            self.calls += 1
            raise DENIED

        async def describe(self, watch: Watch, record: Mapping[str, Any]) -> Record:
            self.calls += 1
            self.described.append(watch.key_of(record))
            return ep("a", "InService")

    clock = ManualClock()
    source = DeniedLists([[]])
    poller, rec = poller_on(source, clock)
    poller.watch(Watch.detail(ENDPOINTS, ep("a", "InService")))  # the describe view's resource
    children = poller.watch(Watch.list_of(ENDPOINTS))  # its (denied) child panel
    poller.start()
    await until(lambda: len(rec.statuses) == 1, "first poll")
    await settle()  # let the loop start its sleep before the clock moves
    status = rec.statuses[0]
    assert status.state == "live" and status.error is DENIED and not status.waiting_for_user
    assert status.text == "live · every 30s · access denied: press r to retry"
    await clock.advance(90, step=5)
    assert source.described == ["a"] * 4 and source.calls == 5  # the denied list was not retried
    assert len(rec.updates) == 4
    poller.refresh_now()
    await until(lambda: source.calls == 7, "refresh retries the parked list too")
    poller.unwatch(children)
    await clock.advance(30, step=5)
    assert rec.statuses[-1].error is None and rec.statuses[-1].recovered
    await poller.stop()
