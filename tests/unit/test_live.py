"""The live layer in isolation: diffing, pace arithmetic, and the poller's scheduling.

The poller reads data through a ``Source``; here that is a tiny in-memory script, so the
scheduling (intervals, backoff, pause, no overlap, failure alerts) runs on a fake clock in
milliseconds. Talking to SageMaker for real is covered in ``test_live_emulator.py``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from smtui.aws.errors import AccessDenied, AwsError, NotFound, Throttled, Unreachable
from smtui.catalog import default_catalog
from smtui.config import PollSettings
from smtui.live.diff import changed_fields, diff, touches
from smtui.live.events import Failure, PollStatus, Update, backoff_delay, seconds_text
from smtui.live.poller import Poller
from smtui.live.reasons import failure_reason
from smtui.live.source import Listing, Watch

CATALOG = default_catalog()
ENDPOINTS = CATALOG.get("endpoints")
CLUSTERS = CATALOG.get("clusters")
COMPONENTS = CATALOG.get("inference-components")
SETTINGS = PollSettings(fast_seconds=3, slow_seconds=30, max_backoff_seconds=120)

Record = dict[str, Any]
Step = list[Record] | AwsError


def ep(name: str, status: str, **extra: Any) -> Record:
    return {"EndpointName": name, "EndpointStatus": status, **extra}


# --------------------------------------------------------------------------- fakes


class FakeClock:
    """``monotonic``/``sleep`` for the poller. ``hold=True`` makes every sleep block until the
    poller cancels it (it was woken), so tests can see what the poller *would* sleep."""

    def __init__(self, hold: bool = False) -> None:
        self.now = 0.0
        self.hold = hold
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        if self.hold:
            await asyncio.Event().wait()
        self.now += delay
        await asyncio.sleep(0)


class FakeSource:
    """Plays ``script`` one step per list call (the last step repeats); an AwsError step raises."""

    def __init__(self, script: list[Step], details: Mapping[str, Record] | None = None) -> None:
        self.script = script
        self.details = dict(details or {})
        self.calls = 0
        self.lists = 0
        self.described: list[str] = []
        self.active = 0
        self.max_active = 0
        self.gate: asyncio.Event | None = None
        self.list_started_at: list[float] = []
        self.clock: FakeClock | None = None
        self.list_seconds = 0.0

    async def list(self, watch: Watch) -> Listing:
        self.calls += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.clock is not None:
                self.list_started_at.append(self.clock.now)
                self.clock.now += self.list_seconds  # the call itself takes time
            if self.gate is not None:
                await self.gate.wait()
            step = self.script[min(self.lists, len(self.script) - 1)]
            self.lists += 1
            if isinstance(step, AwsError):
                raise step
            return Listing([dict(r) for r in step])
        finally:
            self.active -= 1

    async def describe(self, watch: Watch, record: Mapping[str, Any]) -> Record:
        self.calls += 1
        key = watch.key_of(record)
        self.described.append(key)
        if key not in self.details:
            raise NotFound(f"{key} not found")
        return dict(self.details[key])


class Recorder:
    def __init__(self) -> None:
        self.updates: list[Update] = []
        self.failures: list[Failure] = []
        self.statuses: list[PollStatus] = []

    def kwargs(self) -> dict[str, Any]:
        return {
            "on_result": self.updates.append,
            "on_failure": self.failures.append,
            "on_status": self.statuses.append,
        }


def make(source: FakeSource, clock: FakeClock, rec: Recorder | None = None, seed: int = 7) -> tuple[Poller, Recorder]:
    rec = rec or Recorder()
    source.clock = source.clock or clock
    poller = Poller(
        source,
        SETTINGS,
        rng=random.Random(seed),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        **rec.kwargs(),
    )
    return poller, rec


async def until(condition: Callable[[], bool], what: str = "condition", spins: int = 5000) -> None:
    for _ in range(spins):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"timed out waiting for {what}")


async def settle(spins: int = 200) -> None:
    for _ in range(spins):
        await asyncio.sleep(0)


# --------------------------------------------------------------------------- diff


def test_diff_reports_added_removed_and_changed_in_list_order() -> None:
    old = {"a": ep("a", "InService"), "b": ep("b", "Creating"), "c": ep("c", "InService")}
    new = {"d": ep("d", "Creating"), "b": ep("b", "InService"), "a": ep("a", "InService"), "e": ep("e", "x")}
    result = diff(old, new)
    assert result.added == ["d", "e"]
    assert result.removed == ["c"]
    assert result.changed == {"b": {"EndpointStatus"}}
    assert result and not result.empty


def test_diff_names_nested_paths_and_one_sided_members() -> None:
    old = {"n": {"InstanceStatus": {"Status": "Pending", "Message": ""}, "Groups": [1, 2], "Gone": 1}}
    new = {"n": {"InstanceStatus": {"Status": "Running", "Message": ""}, "Groups": [1, 3], "New": 2}}
    assert diff(old, new).changed == {"n": {"InstanceStatus.Status", "Groups", "Gone", "New"}}
    assert changed_fields({"A": {"B": 1}}, {"A": 5}) == {"A"}


def test_identical_snapshots_give_an_empty_falsy_diff() -> None:
    snap = {"a": ep("a", "InService", Tags={"k": "v"})}
    result = diff(snap, {"a": ep("a", "InService", Tags={"k": "v"})})
    assert result.empty and not result
    assert result.added == [] and result.removed == [] and result.changed == {}


def test_touches_matches_column_paths_through_prefixes_and_lists() -> None:
    assert touches({"InstanceStatus.Status"}, "InstanceStatus.Status")
    assert touches({"InstanceStatus"}, "InstanceStatus.Message")
    assert touches({"InstanceStatus.Status"}, "InstanceStatus")
    assert touches({"InstanceGroups"}, "InstanceGroups[].CurrentCount")
    assert touches({"TrainingJobArn"}, "TrainingJobArn:name")
    assert not touches({"InstanceStatusX"}, "InstanceStatus")
    assert not touches({"EndpointStatus"}, "EndpointName")


# --------------------------------------------------------------------------- pace


def test_backoff_is_full_jitter_within_floor_and_doubling_capped_ceiling() -> None:
    rng = random.Random(1)
    for attempt in range(1, 9):
        ceiling = min(120.0, 3.0 * 2**attempt)
        draws = [backoff_delay(attempt, 3.0, 120.0, rng, floor=3.0) for _ in range(300)]
        assert all(3.0 <= d <= ceiling for d in draws), attempt
        assert max(draws) > 0.8 * ceiling  # jitter really spreads over the range...
        assert len({round(d, 6) for d in draws}) > 100  # ...and is not a constant
    assert backoff_delay(10_000, 3.0, 120.0, random.Random(0)) <= 120.0  # no overflow


def test_backoff_is_reproducible_with_a_seeded_rng() -> None:
    a = [backoff_delay(n, 3.0, 120.0, random.Random(42)) for n in range(1, 6)]
    b = [backoff_delay(n, 3.0, 120.0, random.Random(42)) for n in range(1, 6)]
    assert a == b
    assert a != [backoff_delay(n, 3.0, 120.0, random.Random(43)) for n in range(1, 6)]


def test_seconds_text() -> None:
    texts = [seconds_text(s) for s in (0, 2.2, 8, 59.5, 60, 90, 120)]
    assert texts == ["0s", "3s", "8s", "1m", "1m", "1m30s", "2m"]


def test_failure_reason_prefers_specific_fields() -> None:
    assert failure_reason({"FailureReason": " boom ", "StatusMessage": "x"}) == "boom"
    assert failure_reason({"InstanceStatus": {"Status": "Failure", "Message": "EFA check failed"}}) == (
        "EFA check failed"
    )
    assert failure_reason({"SecondaryStatusTransitions": [{"StatusMessage": "a"}, {"StatusMessage": "b"}]}) == "b"
    assert failure_reason({"EndpointStatus": "Failed"}) == ""


# --------------------------------------------------------------------------- cadence


async def test_fast_while_transitional_slow_when_stable() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "Creating")], [ep("a", "Creating")], [ep("a", "InService")]])
    poller, rec = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: len(clock.sleeps) >= 4, "four sleeps")
    await poller.stop()
    assert clock.sleeps[:4] == [3, 3, 30, 30]
    assert [s.text for s in rec.statuses[:3]] == ["live · every 3s", "live · every 3s", "live · every 30s"]
    assert poller.state == "stopped"


async def test_next_poll_is_scheduled_after_the_previous_one_ends() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "Creating")]])
    source.list_seconds = 5.0  # each poll takes 5 s: a fixed-rate 3 s timer would overlap them
    poller, _ = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: len(source.list_started_at) >= 4, "four polls")
    await poller.stop()
    assert source.list_started_at[:4] == [0.0, 8.0, 16.0, 24.0]
    assert source.max_active == 1


async def test_poll_requests_during_a_poll_coalesce_and_never_overlap() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "InService")]])
    source.gate = asyncio.Event()
    poller, _ = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: source.active == 1, "first poll in flight")
    for _ in range(5):
        poller.poll_now()
    outside = asyncio.ensure_future(poller.poll_once())  # a manual refresh from elsewhere
    await settle()
    assert source.active == 1 and source.lists == 0
    source.gate.set()
    await outside
    await until(lambda: len(clock.sleeps) >= 1, "a sleep")
    assert source.max_active == 1
    # the first poll, then the manual one (which satisfied the five requests too), then a sleep
    assert source.lists == 2 and poller.polls == 2
    await poller.stop()


async def test_pause_stops_polling_and_resume_polls_at_once() -> None:
    clock = FakeClock(hold=True)
    source = FakeSource([[ep("a", "InService")]])
    poller, rec = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: clock.sleeps == [30], "sleeping after the first poll")
    poller.pause()
    await settle()
    assert poller.paused and poller.state == "paused" and rec.statuses[-1].text == "paused"
    poller.poll_now()  # a request while hidden waits for resume
    await settle()
    assert source.lists == 1 and clock.sleeps == [30]
    poller.resume()
    await until(lambda: source.lists == 2, "the resume poll")
    assert clock.sleeps == [30] and clock.now == 0.0  # polled without waiting first
    assert rec.statuses[-1].state == "live"
    await poller.stop()


async def test_opening_a_transitional_watch_switches_to_fast_at_once() -> None:
    clock = FakeClock(hold=True)
    source = FakeSource([[ep("a", "InService")]])
    poller, _ = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: clock.sleeps == [30], "slow sleep")
    poller.watch(Watch.detail(ENDPOINTS, ep("b", "Creating")), seed={"b": ep("b", "Creating")})
    await until(lambda: len(clock.sleeps) == 2, "rescheduled sleep")
    assert clock.sleeps == [30, 3]
    assert source.lists == 1  # a seeded watch does not force an extra poll
    await poller.stop()


# --------------------------------------------------------------------------- errors


async def test_throttling_backs_off_with_jitter_and_recovers() -> None:
    clock = FakeClock()
    throttled = Throttled("ListEndpoints is throttled")
    source = FakeSource([[ep("a", "InService")], throttled, throttled, throttled, [ep("a", "InService")]])
    poller, rec = make(source, clock, seed=11)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: len(clock.sleeps) >= 5, "five sleeps")
    await poller.stop()
    expected_rng = random.Random(11)
    expected = [backoff_delay(n, 30.0, 120.0, expected_rng, floor=3.0) for n in (1, 2, 3)]
    assert clock.sleeps[1:4] == pytest.approx(expected)
    assert all(3.0 <= d <= min(120.0, 30.0 * 2**n) for n, d in zip((1, 2, 3), clock.sleeps[1:4], strict=True))
    backoff = rec.statuses[1:4]
    assert [s.state for s in backoff] == ["backoff"] * 3
    assert backoff[0].text == f"throttled · next poll in {seconds_text(expected[0])}"
    assert backoff[0].error is throttled
    assert rec.statuses[4].text == "live · every 30s" and rec.statuses[4].recovered
    assert clock.sleeps[4] == 30  # normal cadence again
    assert len(rec.updates) == 2  # failed polls deliver no (empty) results


async def test_unreachable_backs_off_too() -> None:
    clock = FakeClock()
    source = FakeSource([Unreachable("cannot reach SageMaker"), [ep("a", "InService")]])
    poller, rec = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    await poller.poll_once()
    assert poller.state == "backoff" and rec.statuses[-1].text.startswith("unreachable · next poll in ")
    assert SETTINGS.fast_seconds <= poller.interval <= SETTINGS.max_backoff_seconds


async def test_other_errors_are_reported_then_wait_for_the_user() -> None:
    clock = FakeClock()
    denied = AccessDenied("access denied to ListEndpoints", "ask for permissions")
    source = FakeSource([[ep("a", "Creating")], denied, [ep("a", "InService")]])
    poller, rec = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: poller.state == "error", "the error")
    await settle()
    # Creating -> fast; the error -> no timer at all (retrying cannot fix access denied)
    assert clock.sleeps == [3] and source.lists == 2
    assert [s.state for s in rec.statuses] == ["live", "error"]
    assert rec.statuses[1].text == "access denied · waiting: press r to retry" and rec.statuses[1].error is denied
    assert rec.statuses[1].waiting_for_user and rec.statuses[1].due is None
    poller.resume()
    poller.poll_now()
    await settle()
    assert source.lists == 2  # neither a view coming back nor a hand-off retries it
    poller.refresh_now()  # the user fixed it and pressed r
    await until(lambda: source.lists == 3, "the refresh poll")
    await until(lambda: poller.state == "live", "live again")
    await poller.stop()
    assert rec.statuses[2].state == "live" and rec.statuses[2].recovered and not rec.statuses[0].recovered


async def test_a_broken_callback_does_not_stop_polling() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "InService")]])

    def explode(update: Update) -> None:
        raise RuntimeError("UI bug")

    poller = Poller(source, SETTINGS, on_result=explode, sleep=clock.sleep, monotonic=clock.monotonic)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: source.lists >= 3, "three polls")
    assert poller.running and poller.state == "live"
    await poller.stop()


# --------------------------------------------------------------------------- results and failures


async def test_results_carry_diffs_against_the_seed() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "Updating"), ep("c", "Creating")]])
    poller, rec = make(source, clock)
    watch = poller.watch(Watch.list_of(ENDPOINTS), seed={"a": ep("a", "InService"), "b": ep("b", "InService")})
    await poller.poll_once()
    (update,) = rec.updates
    assert update.watch is watch and not update.first
    assert update.diff.added == ["c"] and update.diff.removed == ["b"]
    assert update.diff.changed == {"a": {"EndpointStatus"}}
    assert list(update.records) == ["a", "c"]
    assert poller.records(watch) == update.records


async def test_unseeded_first_poll_is_marked_first() -> None:
    source = FakeSource([[ep("a", "InService")]])
    poller, rec = make(source, FakeClock())
    poller.watch(Watch.list_of(ENDPOINTS))
    await poller.poll_once()
    await poller.poll_once()
    assert [u.first for u in rec.updates] == [True, False]
    assert rec.updates[0].diff.added == ["a"] and rec.updates[1].diff.empty


async def test_transition_into_failed_is_reported_once_with_a_described_reason() -> None:
    source = FakeSource(
        [[ep("a", "Creating"), ep("old", "Failed")], [ep("a", "Failed"), ep("old", "Failed")]],
        details={"a": ep("a", "Failed", FailureReason="image not found")},
    )
    poller, rec = make(source, FakeClock())
    watch = poller.watch(Watch.list_of(ENDPOINTS, describe="none"))
    await poller.poll_once()  # baseline: "old" was already failed, which is not news
    assert rec.failures == []
    await poller.poll_once()
    await poller.poll_once()
    assert len(rec.failures) == 1
    failure = rec.failures[0]
    assert (failure.watch, failure.key, failure.status) == (watch, "a", "Failed")
    assert failure.reason == "image not found" and failure.previous_status == "Creating"
    assert source.described == ["a"]  # only the new failure was described, and only once
    assert rec.updates[1].records["a"]["FailureReason"] == "image not found"


async def test_failed_to_another_failed_state_and_new_failed_rows_are_news() -> None:
    source = FakeSource(
        [
            [ep("a", "Failed", FailureReason="x")],
            [ep("a", "UpdateRollbackFailed", FailureReason="y"), ep("b", "Failed", FailureReason="z")],
        ]
    )
    poller, rec = make(source, FakeClock())
    poller.watch(Watch.list_of(ENDPOINTS, describe="none"), seed={"a": ep("a", "InService")})
    await poller.poll_once()
    await poller.poll_once()
    got = [(f.key, f.status, f.reason, f.previous_status) for f in rec.failures]
    assert got == [
        ("a", "Failed", "x", "InService"),
        ("a", "UpdateRollbackFailed", "y", "Failed"),
        ("b", "Failed", "z", None),
    ]


async def test_describes_uncached_rows_once_then_only_transitional_ones() -> None:
    def component(name: str, status: str) -> Record:
        return {"InferenceComponentName": name, "InferenceComponentStatus": status}

    runtime = {"DesiredCopyCount": 4, "CurrentCopyCount": 2}
    source = FakeSource(
        [[component("up", "InService"), component("busy", "Updating")]],
        details={n: {"InferenceComponentName": n, "RuntimeConfig": runtime} for n in ("up", "busy")},
    )
    poller, rec = make(source, FakeClock())
    poller.watch(Watch.list_of(COMPONENTS))  # "auto": COPIES is a describe-only column
    await poller.poll_once()
    assert sorted(source.described) == ["busy", "up"]
    await poller.poll_once()
    assert sorted(source.described) == ["busy", "busy", "up"]
    # the stable row keeps the columns from its earlier describe
    assert rec.updates[-1].records["up"]["RuntimeConfig"] == runtime
    assert rec.updates[-1].diff.empty
    assert poller.calls == source.calls == 5  # two lists, three describes


async def test_clusters_are_described_on_every_poll_for_their_node_health() -> None:
    # An InService cluster looks stable, yet a node under it can fail at any time: the
    # per-group failed counts come with each describe, so a stable cluster is not cached.
    source = FakeSource(
        [[{"ClusterName": "up", "ClusterStatus": "InService"}]],
        details={"up": {"ClusterName": "up", "InstanceGroups": []}},
    )
    poller, _rec = make(source, FakeClock())
    poller.watch(Watch.list_of(CLUSTERS))
    await poller.poll_once()
    await poller.poll_once()
    assert source.described == ["up", "up"]


async def test_detail_watch_of_a_deleted_resource_reports_it_removed() -> None:
    source = FakeSource([[]], details={"a": ep("a", "Deleting")})
    poller, rec = make(source, FakeClock())
    watch = poller.watch(Watch.detail(ENDPOINTS, ep("a", "InService")))
    await poller.poll_once()
    assert rec.updates[-1].records["a"]["EndpointStatus"] == "Deleting"
    assert poller.interval == SETTINGS.fast_seconds
    del source.details["a"]
    await poller.poll_once()
    assert rec.updates[-1].records == {} and rec.updates[-1].diff.removed == ["a"]
    assert poller.state == "live" and watch.kind == "detail" and source.lists == 0


async def test_throttled_row_describe_fails_the_poll_but_missing_rows_do_not() -> None:
    class ThrottledDescribes(FakeSource):
        async def describe(self, watch: Watch, record: Mapping[str, Any]) -> Record:
            if watch.key_of(record) == "slow":
                raise Throttled("DescribeCluster is throttled")
            return await super().describe(watch, record)

    rows = [{"ClusterName": "gone", "ClusterStatus": "Creating"}]
    source = ThrottledDescribes([rows, [*rows, {"ClusterName": "slow", "ClusterStatus": "Creating"}]])
    poller, rec = make(source, FakeClock())
    poller.watch(Watch.list_of(CLUSTERS))
    await poller.poll_once()
    assert poller.state == "live" and list(rec.updates[-1].records) == ["gone"]  # NotFound: keep the row
    await poller.poll_once()
    assert rec.statuses[-1].state == "backoff" and len(rec.updates) == 1


# --------------------------------------------------------------------------- lifecycle


async def test_stop_cancels_a_poll_in_flight_and_leaks_no_tasks() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "InService")]])
    source.gate = asyncio.Event()  # never set: the poll hangs like a dead connection
    poller, _ = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    before = asyncio.all_tasks()
    poller.start()
    await until(lambda: source.active == 1, "poll in flight")
    await poller.stop()
    await settle(5)
    assert source.active == 0 and not poller.running
    assert asyncio.all_tasks() == before
    await poller.stop()  # idempotent


async def test_calls_per_minute_follows_the_cadence() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "InService")]])
    poller, _ = make(source, clock)
    poller.watch(Watch.list_of(ENDPOINTS))
    poller.start()
    await until(lambda: source.lists >= 11, "eleven polls")
    await poller.stop()
    # 11 polls in 300 s of fake time (one at 0, then every 30 s): 2.2 calls a minute
    assert poller.calls == source.lists
    assert poller.calls_per_minute() == pytest.approx(source.lists * 60 / clock.now)
    assert 1.9 < poller.calls_per_minute() < 2.5


async def test_no_watches_means_no_polls_until_one_is_added() -> None:
    clock = FakeClock()
    source = FakeSource([[ep("a", "InService")]])
    poller, _ = make(source, clock)
    poller.start()
    await settle()
    assert source.lists == 0 and clock.sleeps == []
    watch = poller.watch(Watch.list_of(ENDPOINTS))
    await until(lambda: source.lists >= 1, "a poll")
    poller.unwatch(watch)
    await settle()
    polled = source.lists
    await settle()
    assert source.lists == polled
    await poller.stop()


async def test_the_default_clock_really_waits_and_stops_cleanly() -> None:
    source = FakeSource([[ep("a", "Creating")]])
    poller = Poller(source, PollSettings(fast_seconds=0.01, slow_seconds=1, max_backoff_seconds=1))
    poller.watch(Watch.list_of(ENDPOINTS))
    loop = asyncio.get_running_loop()
    started = loop.time()
    poller.start()
    while source.lists < 4 and loop.time() - started < 5:
        await asyncio.sleep(0.005)
    await poller.stop()
    assert source.lists >= 4
    assert loop.time() - started >= 0.03  # three 10 ms gaps at least: it did not spin
    assert not poller.running
