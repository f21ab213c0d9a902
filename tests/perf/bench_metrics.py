"""Metrics: GetMetricData calls per tick of the describe view's panel and the list's 5XX column.

    python -m tests.perf.bench_metrics            # ~2 minutes
    python -m tests.perf.bench_metrics --quick    # fewer ticks and repetitions, about a minute

An in-process emulator holds 50 InService endpoints (one of them ``genai-shared-g5``, the endpoint
the metrics seed gives 5XX errors, hosting one inference component) and the last hour of their
metrics (``metrics_seed.seed_metrics``, written into moto's CloudWatch). Everything goes through
the real stack: aiobotocore over HTTP on 127.0.0.1 to the emulator, no SDK mock.

1. **Calls per tick, in the real app** (headless ``run_test``, 100×30, ``CountingDriver``): the
   endpoints list with its 5XX/15m column, then ``genai-shared-g5``'s describe view on top of it,
   then its inference component's describe view on top of that; each one's ``MetricsFeed`` ticks
   N times. GetMetricData is counted at the emulator (``faults.request_counts()``), and the queries
   each call carried by a WSGI hook inside the emulator that reads the request body. Everything
   sent while a view is current is charged to it, so a hidden view still asking would show as
   more than 1 call per tick. Then K round trips list → describe → list, twice: at the benchmark's
   1 s cadence (a trip outlasts it, so the list's tick on its return is due) and with the list's
   cadence lengthened to 30 s (the default; no list tick falls due during a trip). A call counts
   as not due unless it is the list's tick that fell due during the trip (the list's next due
   time, read from its pacer before the trip, passed by the trip's end); the target is 1 not-due
   call per trip, the describe view's first tick. The due ticks are printed beside, as baseline.
2. **What building a report costs, service side**: ``Service.metrics`` (the describe panel: one
   call, 60 one-minute points per query) and ``Service.column_metrics`` (the list column: one call
   for 50 endpoints, 15 minutes), interleaved with a bare aiobotocore ``get_metric_data`` with the
   same parameters (its own client, default config), the same-run baseline. CPU is this thread's
   (``time.thread_time``); the emulator serves from another thread, so its time is in wall only.

Poll intervals are shrunk for the benchmark (slow cadence 1 s instead of 30 s); per-tick figures do
not depend on it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tests.perf._common import (
    CREDENTIALS,
    REGION,
    CountingDriver,
    median,
    ms,
    progress,
    publish,
    ratio,
    render_table,
    timed_method,
)

ENDPOINTS = 50
ERRORING = "genai-shared-g5"  # metrics_seed.ERRORING_ENDPOINT: the one endpoint with 5XX errors
COMPONENT = "ic-0000"
OP = "GetMetricData"
FAST, SLOW = 0.5, 1.0  # benchmark cadence (the defaults are 3 s and 30 s)
TRIP_CADENCES = (SLOW, 30.0)  # the list's cadence during the round trips: shorter than a trip, then longer
SIZE = (100, 30)


# ---------------------------------------------------------------------------------- server-side counting
class QueryCounter:
    """WSGI hook inside the emulator's FaultInjector: the queries of every GetMetricData request.

    Reads the JSON body (botocore sends CloudWatch as AWS JSON 1.0) and puts it back for moto.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.calls = 0
        self.queries = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith("." + OP):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            try:
                queries = len(json.loads(raw or b"{}").get("MetricDataQueries", []))
            except ValueError:
                queries = 0
            with self._lock:
                self.calls += 1
                self.queries += queries
        return self.app(environ, start_response)


@dataclass
class Snap:
    """The emulator's counters at one moment."""

    at: float
    calls: int
    queries: int
    other: int
    ops: dict[str, int] = field(default_factory=dict)


@dataclass
class Phase:
    """Consecutive ticks of one view's feed, from the end of a warm-up tick."""

    name: str
    catalogue_queries: int
    start: Snap
    ticks: list[Snap] = field(default_factory=list)
    tick_wall: list[float] = field(default_factory=list)
    tick_cpu: list[float] = field(default_factory=list)
    service_cpu: list[float] = field(default_factory=list)

    def per_tick(self, attr: str) -> float:
        if not self.ticks:
            return math.nan
        return float(getattr(self.ticks[-1], attr) - getattr(self.start, attr)) / len(self.ticks)

    def other_ops(self) -> str:
        """The other operations sent per tick, by name (``DescribeEndpoint 1.00``)."""
        if not self.ticks:
            return ""
        end, begin = self.ticks[-1].ops, self.start.ops
        rates = {op: (n - begin.get(op, 0)) / len(self.ticks) for op, n in end.items() if op != OP}
        return ", ".join(f"{op} {rate:.2f}" for op, rate in sorted(rates.items()) if rate)

    def queries_per_call(self) -> float:
        calls = self.ticks[-1].calls - self.start.calls if self.ticks else 0
        return (self.ticks[-1].queries - self.start.queries) / calls if calls else math.nan


# ---------------------------------------------------------------------------------- seeding
def seed(emu: Any) -> tuple[list[str], int]:
    """49 endpoints + ``genai-shared-g5`` (newest, hosting one component), and their last hour."""
    from moto.cloudwatch.models import cloudwatch_backends

    from smtui.emulator.metrics_seed import seed_metrics
    from smtui.emulator.seed import add_endpoint, seed_endpoints, seed_inference_components, state_of

    names = seed_endpoints(emu, ENDPOINTS - 1)
    state = state_of(emu)
    add_endpoint(state, ERRORING, f"{ERRORING}-model")
    seed_inference_components(emu, 1, endpoint=ERRORING)
    seed_metrics(state)
    points = len(cloudwatch_backends[state.account_id][state.region].metric_data)
    return [*names, ERRORING], points


@dataclass
class Trip:
    """One list → describe → list round trip: what it cost and what was due anyway."""

    cadence: float
    seconds: float
    calls: int
    list_ticks: int
    fell_due: int
    """The list's ticks that fell due during the trip (0 or 1: hidden, the list does not tick)."""

    @property
    def not_due(self) -> int:
        """Calls other than the list's scheduled tick: the describe view's first tick, and waste."""
        return self.calls - min(self.list_ticks, self.fell_due)


# ---------------------------------------------------------------------------------- 1. the app
async def app_phases(emu: Any, counter: QueryCounter, ticks: int, trips: int) -> dict[str, Any]:
    from smtui.aws.client import Target
    from smtui.catalog.metrics import column_queries, metric_queries
    from smtui.config import PollSettings, Settings
    from smtui.service import Service
    from smtui.service.metrics import MetricsFeed
    from smtui.ui.app import SmtuiApp
    from smtui.ui.screens.describe import DescribeScreen
    from smtui.ui.screens.resource_list import ResourceListScreen

    settings = Settings(poll=PollSettings(fast_seconds=FAST, slow_seconds=SLOW, max_backoff_seconds=10.0))
    app = SmtuiApp(
        Target(region=REGION, endpoint_url=emu.url, static_credentials=CREDENTIALS), settings, start="endpoints"
    )
    app.driver_class = CountingDriver
    CountingDriver.reset()

    def snap() -> Snap:
        counts = emu.faults.request_counts()["counts"]
        calls = counts.get(OP, 0)
        return Snap(time.perf_counter(), calls, counter.queries, sum(counts.values()) - calls, dict(counts))

    events: list[tuple[Any, Snap, float, float]] = []
    service_cpu: list[float] = []

    def on_tick(wall: float, cpu: float, feed: Any) -> None:
        events.append((feed, snap(), wall, cpu))

    def on_service(wall: float, cpu: float, _: Any) -> None:
        service_cpu.append(cpu)

    async def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what}: not within {timeout:.0f} s")
            await asyncio.sleep(0.01)

    def feed_ticks(feed: Any) -> list[tuple[Any, Snap, float, float]]:
        return [e for e in events if e[0] is feed]

    async def measure(name: str, feed: Any, queries: int) -> Phase:
        seen = len(feed_ticks(feed))
        await wait_for(lambda: len(feed_ticks(feed)) > seen, f"{name}: a warm-up tick")
        phase = Phase(name, queries, feed_ticks(feed)[-1][1])
        cpu_mark = len(service_cpu)
        target = len(feed_ticks(feed)) + ticks
        await wait_for(lambda: len(feed_ticks(feed)) >= target, f"{name}: {ticks} ticks", 30.0 + ticks * 5 * SLOW)
        for _, at, wall, cpu in feed_ticks(feed)[target - ticks : target]:
            phase.ticks.append(at)
            phase.tick_wall.append(wall)
            phase.tick_cpu.append(cpu)
        phase.service_cpu = service_cpu[cpu_mark:]
        return phase

    def first_tick(screen: Any) -> bool:
        feed = getattr(screen, "metrics_feed", None) if isinstance(screen, DescribeScreen) else None
        return feed is not None and feed.ticks > 0

    phases: list[Phase] = []
    trips_done: list[Trip] = []
    cell = ""
    truth = math.nan
    with (
        timed_method(MetricsFeed, "tick_once", on_tick),
        timed_method(Service, "metrics", on_service),
        timed_method(Service, "column_metrics", on_service),
    ):
        async with app.run_test(size=SIZE, headless=False) as pilot:
            await wait_for(
                lambda: (
                    isinstance(app.screen, ResourceListScreen) and getattr(app.screen, "metrics_feed", None) is not None
                ),
                "the endpoints list with its metrics column",
            )
            listing = app.screen
            assert isinstance(listing, ResourceListScreen)
            rows = len(listing.table.rows)
            records = {key: row.record for key, row in listing.table.rows.items()}
            progress(f"list: {rows} rows; {ticks} metrics ticks")
            n_column = sum(len(q) for q in column_queries("endpoints", records).values())
            phases.append(await measure(f"endpoints list, {rows} rows, 5XX/15m column", listing.metrics_feed, n_column))
            row = listing.table.rows.get(ERRORING)
            cell = row.cells[-1] if row is not None else "?"
            truth = await bare_5xx(emu.url, column_queries("endpoints", records).get(ERRORING, []))

            rtype = app.catalog.get("endpoints")
            app.open_describe(rtype, dict(records[ERRORING]))
            await wait_for(
                lambda: (
                    isinstance(app.screen, DescribeScreen) and getattr(app.screen, "metrics_feed", None) is not None
                ),
                "the endpoint's describe view",
            )
            described = app.screen
            assert isinstance(described, DescribeScreen)
            progress(f"describe {ERRORING}: {ticks} metrics ticks")
            n_ep = len(metric_queries("endpoints", described.shown_record))
            phases.append(await measure(f"describe endpoint {ERRORING} (list hidden)", described.metrics_feed, n_ep))

            ic_type = app.catalog.get("inference-components")
            app.open_describe(ic_type, {"InferenceComponentName": COMPONENT, "EndpointName": ERRORING})
            await wait_for(
                lambda: (
                    isinstance(app.screen, DescribeScreen)
                    and app.screen is not described
                    and getattr(app.screen, "metrics_feed", None) is not None
                ),
                "the component's describe view",
            )
            component = app.screen
            assert isinstance(component, DescribeScreen)
            progress(f"describe {COMPONENT}: {ticks} metrics ticks")
            n_ic = len(metric_queries("inference-components", component.shown_record))
            phases.append(
                await measure(f"describe component {COMPONENT} (endpoint, list hidden)", component.metrics_feed, n_ic)
            )

            # Back to the list, then round trips: open the describe, leave it SLOW/4 after its
            # first metrics tick started, then SLOW/4 on the list.
            app.pop_screen()
            app.pop_screen()
            await wait_for(lambda: app.screen is listing, "back to the list")
            await pilot.pause(SLOW * 1.5)
            list_feed = listing.metrics_feed
            assert list_feed is not None
            for cadence in TRIP_CADENCES:
                progress(f"{trips} round trips list → describe → list, the list's cadence {cadence:.0f} s")
                list_feed.pacer.settings = replace(list_feed.pacer.settings, slow_seconds=cadence)
                list_feed.pacer.retune(False)  # its next tick: one new interval after its last
                for _ in range(trips):
                    before, began = snap().calls, time.monotonic()
                    due = list_feed.pacer.due  # hidden, the list keeps it; shown again, it ticks then
                    list_before = list_feed.ticks  # counted as each tick starts
                    app.open_describe(rtype, dict(records[ERRORING]))
                    await wait_for(lambda: first_tick(app.screen), "describe open, its first metrics tick started")
                    await pilot.pause(SLOW / 4)
                    app.pop_screen()
                    await wait_for(lambda: app.screen is listing, "back to the list")
                    await pilot.pause(SLOW / 4)
                    ended = time.monotonic()
                    fell_due = int(due is not None and due <= ended)
                    trip = Trip(cadence, ended - began, snap().calls - before, list_feed.ticks - list_before, fell_due)
                    trips_done.append(trip)
                await pilot.pause(SLOW * 1.5)  # let a tick due at the end of the last trip land here
    return {
        "phases": phases,
        "trips": trips_done,
        "cell": cell,
        "truth": truth,
        "records": records,
    }


# ---------------------------------------------------------------------------------- 2. service side
@dataclass
class Timing:
    name: str
    queries: int
    smtui_wall: list[float] = field(default_factory=list)
    smtui_cpu: list[float] = field(default_factory=list)
    bare_wall: list[float] = field(default_factory=list)
    bare_cpu: list[float] = field(default_factory=list)


async def bare_5xx(url: str, queries: Sequence[Any]) -> float:
    """What the list cell should show: the 15-minute 5XX sum from a bare aiobotocore call."""
    from aiobotocore.session import get_session

    from smtui.catalog.metrics import COLUMN_WINDOW_MINUTES
    from smtui.service.metrics import request_for

    async with get_session().create_client(
        "cloudwatch",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    ) as bare:
        answer = await bare.get_metric_data(**request_for(queries, COLUMN_WINDOW_MINUTES))
    return float(sum(sum(r.get("Values", [])) for r in answer.get("MetricDataResults", [])))


async def service_side(emu: Any, records: dict[str, Any], reps: int) -> list[Timing]:
    from aiobotocore.session import get_session

    from smtui.aws.target import Target
    from smtui.catalog import default_catalog
    from smtui.catalog.metrics import COLUMN_WINDOW_MINUTES, WINDOW_MINUTES, column_queries, metric_queries
    from smtui.service import Service
    from smtui.service.metrics import request_for

    catalog = default_catalog()
    endpoints, components = catalog.get("endpoints"), catalog.get("inference-components")
    service = Service(Target(region=REGION, endpoint_url=emu.url, static_credentials=CREDENTIALS))
    ep_record = await service.sagemaker.call("DescribeEndpoint", {"EndpointName": ERRORING})
    ic_record = await service.sagemaker.call("DescribeInferenceComponent", {"InferenceComponentName": COMPONENT})
    column = [q for row in column_queries("endpoints", records).values() for q in row]

    cases: list[tuple[str, Callable[[], Any], list[Any], int]] = [
        (
            f"describe panel · endpoint {ERRORING} · 60 min",
            lambda: service.metrics(endpoints, ep_record),
            metric_queries("endpoints", ep_record),
            WINDOW_MINUTES,
        ),
        (
            f"describe panel · component {COMPONENT} · 60 min",
            lambda: service.metrics(components, ic_record),
            metric_queries("inference-components", ic_record),
            WINDOW_MINUTES,
        ),
        (
            f"list column · {len(records)} endpoints · 15 min",
            lambda: service.column_metrics(endpoints, records),
            column,
            COLUMN_WINDOW_MINUTES,
        ),
    ]
    timings: list[Timing] = []
    session = get_session()
    async with session.create_client(
        "cloudwatch",
        region_name=REGION,
        endpoint_url=emu.url,
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    ) as bare:
        for name, smtui_call, queries, minutes in cases:
            progress(f"service side: {name}, {reps} × (smtui, bare)")
            timing = Timing(name, len(queries))

            async def bare_call(queries: list[Any] = queries, minutes: int = minutes) -> Any:
                return await bare.get_metric_data(**request_for(queries, minutes))

            await smtui_call()  # warm-up: clients built, connections open
            await bare_call()
            for i in range(reps):
                order = ("smtui", "bare") if i % 2 == 0 else ("bare", "smtui")
                for who in order:
                    wall, cpu = time.perf_counter(), time.thread_time()
                    await (smtui_call() if who == "smtui" else bare_call())
                    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                    (timing.smtui_wall if who == "smtui" else timing.bare_wall).append(wall)
                    (timing.smtui_cpu if who == "smtui" else timing.bare_cpu).append(cpu)
            timings.append(timing)
    await service.close()
    return timings


# ---------------------------------------------------------------------------------- report
def report(app: dict[str, Any], timings: list[Timing], points: int, ticks: int) -> list[str]:
    phases: list[Phase] = app["phases"]
    rows = []
    for phase in phases:
        calls = phase.per_tick("calls")
        rows.append(
            [
                phase.name,
                str(len(phase.ticks)),
                str(phase.catalogue_queries),
                f"{calls:.2f}",
                f"{phase.queries_per_call():.0f}",
                f"{phase.per_tick('other'):.2f}",
                "met" if calls == 1.0 else "NOT met",
            ]
        )
    trips: list[Trip] = app["trips"]
    trip_rows = []
    for cadence in TRIP_CADENCES:
        these = [t for t in trips if t.cadence == cadence]
        if not these:
            continue
        n = len(these)
        not_due = sum(t.not_due for t in these) / n
        trip_rows.append(
            [
                f"{n} round trips list → describe → list",
                f"{cadence:.0f} s",
                ms(median([t.seconds for t in these]), 0),
                f"{sum(t.calls for t in these) / n:.2f}",
                f"{sum(t.fell_due for t in these) / n:.2f}",
                f"{sum(t.list_ticks for t in these) / n:.2f}",
                f"{not_due:.2f}",
                "met" if not_due == 1.0 else "NOT met",
            ]
        )
    trips_table = render_table(
        ["round trips (SLOW/4 after its first tick, SLOW/4 back)", "list cadence", "trip (median)", "calls/trip",
         "list ticks due/trip", "list ticks/trip", "not due/trip", "target 1/trip"],
        trip_rows,
    )  # fmt: skip
    trips_note = (
        f"\n\n{trips_table}\nNot due = a trip's calls minus the list's ticks that fell due in it (its pacer's "
        "due time, read before the trip, passed by its end); the 1 is the describe view's first tick."
        if trip_rows
        else ""
    )
    records: dict[str, Any] = app["records"]
    with_variants = sum(1 for r in records.values() if r.get("ProductionVariants"))
    others = "\n".join(f"  {p.name}: {p.other_ops() or 'none'}" for p in phases)
    calls_table = render_table(
        ["view (the current one; all others hidden)", "ticks", "queries", "GetMetricData/tick", "queries/call",
         "other calls/tick", "target 1/tick"],
        rows,
    )  # fmt: skip
    in_app = render_table(
        ["per tick, in the app", "tick wall", "tick CPU", "of which Service call CPU"],
        [[p.name, ms(median(p.tick_wall), 1), ms(median(p.tick_cpu)), ms(median(p.service_cpu))] for p in phases],
    )
    side = []
    for t in timings:
        sw, bw, sc, bc = median(t.smtui_wall), median(t.bare_wall), median(t.smtui_cpu), median(t.bare_cpu)
        side.append(
            [
                t.name,
                str(t.queries),
                ms(sw, 1),
                ms(bw, 1),
                ratio(sw, bw),
                ms(sc),
                ms(bc),
                ratio(sc, bc),
                ms(sc - bc),
            ]
        )
    reps = len(timings[0].smtui_wall) if timings else 0
    side_table = render_table(
        ["one report (median)", "queries", "smtui wall", "bare wall", "ratio", "smtui CPU", "bare CPU", "ratio",
         "smtui − bare CPU"],
        side,
    )  # fmt: skip
    head = (
        f"Metrics of {ENDPOINTS} InService endpoints and 1 inference component, the last hour seeded "
        f"({points:,} points in moto's CloudWatch); {ticks} ticks per view at a {SLOW:.0f} s slow cadence.\n"
        "GetMetricData counted at the emulator; queries per call read from each request's body there.\n\n"
        + calls_table
        + trips_note
        + f"\n\nOther calls per tick (the views' SageMaker polls, same cadence):\n{others}"
        + f"\n\nList rows whose record has ProductionVariants (else the column asks for VariantName=AllTraffic): "
        f"{with_variants}/{len(records)}."
        + f"\n5XX/15m cell of {ERRORING} in the list: {app['cell']!r}; the bare call's sum over the same "
        f"15 minutes, asked at the same moment: {app['truth']:,.0f}."
    )
    return [
        head,
        "Per tick in the app (MetricsFeed.tick_once: the call plus the view's on_report; CPU of the app's "
        "thread, Textual's\nwork interleaved on the loop included)\n\n" + in_app,
        f"Building one report, service side, against one bare aiobotocore get_metric_data with the same "
        f"parameters\n(its own client; {reps} of each, interleaved). Wall includes the emulator's answer "
        "(moto scans every stored\npoint per query); CPU is this thread's only.\n\n" + side_table,
    ]


async def run(ticks: int, trips: int, reps: int) -> list[str]:
    from smtui.emulator.server import EmulatorServer

    progress(f"seeding {ENDPOINTS} endpoints, 1 inference component and their last hour of metrics")
    emu = EmulatorServer(pace="immediate")
    _, points = seed(emu)
    counter = QueryCounter(emu.faults.app)
    emu.faults.app = counter
    emu.start()
    try:
        app = await app_phases(emu, counter, ticks, trips)
        timings = await service_side(emu, app["records"], reps)
    finally:
        emu.stop()
    return report(app, timings, points, ticks)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_metrics", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer ticks and repetitions (about a minute)")
    args = parser.parse_args(argv)
    ticks, trips, reps = (4, 3, 5) if args.quick else (12, 6, 15)
    started = time.monotonic()
    sections = asyncio.run(run(ticks, trips, reps))
    sections.append(f"Run time {time.monotonic() - started:.0f} s ({'--quick' if args.quick else 'full'}).")
    publish("bench_metrics_quick" if args.quick else "bench_metrics", sections)


if __name__ == "__main__":
    main()
