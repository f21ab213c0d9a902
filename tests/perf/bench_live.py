"""Live status: what watching 200 inference components costs in API calls and terminal bytes.

    python -m tests.perf.bench_live            # ~2 minutes
    python -m tests.perf.bench_live --quick    # fewer ticks

The real app (headless ``run_test``, 100×30, with a driver that renders real terminal frames and
counts their bytes) lists 200 inference components on one endpoint from an in-process emulator;
the list screen's own ``Poller`` then keeps them fresh. Three phases, in one run:

1. **smtui, steady**: nothing changes.
2. **smtui, one changes**: ``UpdateInferenceComponentRuntimeConfig`` scales one component from
   1 to 3 copies, paced at a few seconds per copy, so it is ``Updating`` for a few polls.
3. **naive**: the poller paused, a loop that every tick lists the components and describes each
   one (the only way to get the COPIES column), then redraws the table (``clear`` + ``append``),
   run on the same screen.

API calls are counted by the emulator per operation; a tick is one poll (smtui) or one loop
iteration (naive); bytes per tick are what the terminal was sent between two ticks' ends.
Poll intervals are shrunk for the benchmark (fast/slow below instead of 3 s/30 s); per-tick
figures do not depend on them, and calls per minute are also given at the default cadence.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.perf._common import (
    CREDENTIALS,
    REGION,
    CountingDriver,
    median,
    plain,
    progress,
    publish,
    render_table,
    secs,
    timed_method,
)

COMPONENTS = 200
ENDPOINT = "bench-endpoint"
CHANGED = "ic-0100"
LIST_OP = "ListInferenceComponents"
DESCRIBE_OP = "DescribeInferenceComponent"
FAST, SLOW = 0.5, 1.5  # benchmark cadence (the defaults are 3 s and 30 s)
DEFAULT_FAST, DEFAULT_SLOW = 3.0, 30.0
STEP_SECONDS = 2.0  # the emulator's pace for the changing component, per copy
SETTLED_POLLS = 3  # polls to watch after the changed component is back InService
SIZE = (100, 30)


@dataclass
class Tick:
    """The state of the counters at the end of one tick."""

    at: float
    lists: int
    describes: int
    other: int
    bytes: int
    cells: int
    poll_seconds: float = math.nan


@dataclass
class Phase:
    """Consecutive ticks; figures are differences between neighbours."""

    name: str
    start: Tick
    ticks: list[Tick] = field(default_factory=list)

    def deltas(self, attr: str) -> list[float]:
        points = [self.start, *self.ticks]
        return [float(getattr(b, attr) - getattr(a, attr)) for a, b in itertools.pairwise(points)]

    @property
    def elapsed(self) -> float:
        return self.ticks[-1].at - self.start.at if self.ticks else math.nan

    def calls(self) -> int:
        return sum(int(x) for x in self.deltas("lists")) + sum(int(x) for x in self.deltas("describes"))


async def run(steady_ticks: int, naive_ticks: int) -> list[str]:
    import boto3

    from smtui.aws.client import Target
    from smtui.config import PollSettings, Settings
    from smtui.emulator.seed import seed_inference_components
    from smtui.emulator.server import EmulatorServer
    from smtui.live import Poller, PollStatus
    from smtui.ui.app import SmtuiApp
    from smtui.ui.screens.resource_list import ResourceListScreen

    progress(f"seeding {COMPONENTS} inference components")
    emu = EmulatorServer(pace="immediate")
    seed_inference_components(emu, COMPONENTS, endpoint=ENDPOINT)
    emu.start()
    settings = Settings(poll=PollSettings(fast_seconds=FAST, slow_seconds=SLOW, max_backoff_seconds=10.0))
    app = SmtuiApp(
        Target(region=REGION, endpoint_url=emu.url, static_credentials=CREDENTIALS),
        settings,
        start="inference-components",
    )
    app.driver_class = CountingDriver
    CountingDriver.reset()

    ends: list[float] = []
    poll_times: list[float] = []

    def on_poll(wall: float, cpu: float, poller: Any) -> None:
        poll_times.append(wall)

    def snapshot(screen: ResourceListScreen, poll_seconds: float = math.nan) -> Tick:
        counts = emu.faults.request_counts()["counts"]
        lists, describes = counts.get(LIST_OP, 0), counts.get(DESCRIBE_OP, 0)
        other = sum(counts.values()) - lists - describes
        return Tick(
            time.perf_counter(),
            lists,
            describes,
            other,
            CountingDriver.bytes_written,
            screen.table.cells_rewritten,
            poll_seconds,
        )

    phases: list[Phase] = []
    shown = actual = ""
    steady_writes: list[str] = []
    # Statuses the list screen's poller reports at the end of a poll (not pause/stop).
    polled_states = ("live", "backoff", "error")
    last_status: list[PollStatus] = []

    original_status = ResourceListScreen.on_poll_status

    def watching_status(self: ResourceListScreen, status: PollStatus) -> None:
        original_status(self, status)
        if status.state in polled_states:
            last_status.append(status)
            ends.append(time.perf_counter())

    async def wait_ticks(count: int, timeout: float) -> None:
        target = len(ends) + count
        deadline = time.monotonic() + timeout
        while len(ends) < target:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(ends) - target + count} of {count} polls in {timeout:.0f} s")
            await asyncio.sleep(0.01)

    ResourceListScreen.on_poll_status = watching_status  # type: ignore[method-assign]
    try:
        with timed_method(Poller, "_poll_locked", on_poll):
            async with app.run_test(size=SIZE, headless=False) as pilot:
                deadline = time.monotonic() + 60
                while not (isinstance(app.screen, ResourceListScreen) and app.screen.complete):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the list did not load in 60 s")
                    await pilot.pause(0.05)
                screen = app.screen
                assert isinstance(screen, ResourceListScreen)
                if not hasattr(screen, "poller"):
                    raise RuntimeError("ResourceListScreen has no poller: the live wiring is missing")
                rows = len(screen.table.rows)
                progress(f"{rows} rows loaded; letting the poller describe each row once (50 per poll)")
                await wait_ticks(math.ceil(COMPONENTS / 50) + 1, 60)

                # 1. steady
                progress(f"smtui, steady: {steady_ticks} polls")
                await wait_ticks(1, 30)
                phase = Phase("smtui poller · nothing changes", snapshot(screen))
                CountingDriver.listeners.append(lambda data: steady_writes.append(data))
                for _ in range(steady_ticks):
                    await wait_ticks(1, 30)
                    phase.ticks.append(snapshot(screen, poll_times[-1] if poll_times else math.nan))
                CountingDriver.listeners.clear()
                phases.append(phase)

                # 2. one component changes
                progress(f"smtui, {CHANGED} scaling 1 → 3 copies")
                emu.set_pace("inference-component", {"progression": "time", "seconds": STEP_SECONDS})
                client = boto3.client(
                    "sagemaker",
                    region_name=REGION,
                    endpoint_url=emu.url,
                    aws_access_key_id=CREDENTIALS[0],
                    aws_secret_access_key=CREDENTIALS[1],
                )
                await wait_ticks(1, 30)
                phase = Phase(f"smtui poller · {CHANGED} Updating 1→3 copies", snapshot(screen))
                await asyncio.to_thread(
                    client.update_inference_component_runtime_config,
                    InferenceComponentName=CHANGED,
                    DesiredRuntimeConfig={"CopyCount": 3},
                )
                deadline = time.monotonic() + 60
                settled_polls = 0
                while settled_polls < SETTLED_POLLS:
                    await wait_ticks(1, 30)
                    phase.ticks.append(snapshot(screen, poll_times[-1] if poll_times else math.nan))
                    row = screen.table.rows.get(CHANGED)
                    status = row.cells[2] if row else ""
                    settled_polls = settled_polls + 1 if "InService" in status else 0
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{CHANGED} did not settle in 60 s (status {status!r})")
                row = screen.table.rows.get(CHANGED)
                shown = f"{row.cells[2]} {row.cells[3]}" if row else "?"
                truth = await asyncio.to_thread(client.describe_inference_component, InferenceComponentName=CHANGED)
                runtime = truth.get("RuntimeConfig", {})
                actual = (
                    f"{truth['InferenceComponentStatus']} "
                    f"{runtime.get('CurrentCopyCount')}/{runtime.get('DesiredCopyCount')}"
                )
                phases.append(phase)

                # 3. naive
                screen.poller.pause()
                await pilot.pause(0.3)
                progress(f"naive: {naive_ticks} ticks of list + describe every row + redraw")
                phase = Phase("naive · describe every row, redraw", snapshot(screen))
                for _ in range(naive_ticks):
                    tick_started = time.perf_counter()
                    await naive_tick(app, screen)
                    work = time.perf_counter() - tick_started
                    await asyncio.sleep(max(0.0, SLOW - work))
                    # Let the redraw reach the terminal before the counters are read.
                    phase.ticks.append(snapshot(screen, work))
                phases.append(phase)
    finally:
        ResourceListScreen.on_poll_status = original_status  # type: ignore[method-assign]
        emu.stop()
    return report(phases, shown, actual, steady_writes)


async def naive_tick(app: Any, screen: Any) -> None:
    """List every component, describe every one (4 at a time, like the poller), redraw the table."""
    rtype = screen.rtype
    items: list[dict[str, Any]] = []
    async for page in app.service.sagemaker.pages(rtype.list_op, {}):
        items.extend(page.items)
    gate = asyncio.Semaphore(4)

    async def describe(item: dict[str, Any]) -> dict[str, Any]:
        async with gate:
            detail: dict[str, Any] = await app.service.sagemaker.call(
                rtype.describe_op, rtype.describe_request(item, {})
            )
        return {**item, **detail}

    records = await asyncio.gather(*(describe(item) for item in items))
    table = screen.table
    table.clear()
    table.append(screen.rows_for(list(records)))
    screen.update_status()


def what_was_written(writes: list[str]) -> str:
    """Attribute terminal writes to the part of the screen they repaint (by their text)."""
    kinds: dict[str, list[int]] = {}
    for data in writes:
        text = plain(data)
        if "loaded ·" in text:
            kind = "status line"
        elif "NAME" in text or "ic-0" in text:
            kind = "table rows"
        elif text.strip() and set(text.strip()) <= set("▁▂▃▄▅▆▇█▉▊▋▌▍▎▏ \n"):
            kind = "scrollbar"
        elif not text.strip():
            kind = "no text (cursor/sync sequences)"
        else:
            kind = "other: " + text.strip()[:30]
        kinds.setdefault(kind, []).append(len(data.encode("utf-8", "surrogateescape")))
    return "; ".join(
        f"{kind} {len(sizes)}× ({sum(sizes):,} B)" for kind, sizes in sorted(kinds.items(), key=lambda kv: -sum(kv[1]))
    )


def report(phases: list[Phase], shown: str, actual: str, steady_writes: list[str]) -> list[str]:
    rows: list[list[str]] = []
    for phase in phases:
        ticks = len(phase.ticks)
        lists = sum(phase.deltas("lists")) / max(1, ticks)
        describes = sum(phase.deltas("describes")) / max(1, ticks)
        per_tick = lists + describes
        measured = phase.calls() * 60.0 / phase.elapsed if phase.elapsed else math.nan
        fast = phase.name.startswith("naive") or "Updating" in phase.name
        default_interval = DEFAULT_FAST if fast else DEFAULT_SLOW
        byte_deltas = phase.deltas("bytes")
        rows.append(
            [
                phase.name,
                str(ticks),
                f"{lists:.1f}",
                f"{describes:.1f}",
                f"{per_tick:.1f}",
                f"{measured:,.0f}",
                f"{per_tick * 60 / default_interval:,.0f} (every {default_interval:.0f} s)",
                f"{median(byte_deltas):,.0f}",
                f"{max(byte_deltas):,.0f}",
                f"{sum(phase.deltas('cells')):.0f}",
                secs(median([t.poll_seconds for t in phase.ticks if not math.isnan(t.poll_seconds)])),
            ]
        )
    steady = next((p for p in phases if "nothing" in p.name), None)
    naive = next((p for p in phases if p.name.startswith("naive")), None)
    summary = ""
    if steady and naive and steady.ticks and naive.ticks:
        s_calls = (sum(steady.deltas("lists")) + sum(steady.deltas("describes"))) / len(steady.ticks)
        n_calls = (sum(naive.deltas("lists")) + sum(naive.deltas("describes"))) / len(naive.ticks)
        s_bytes, n_bytes = median(steady.deltas("bytes")), median(naive.deltas("bytes"))
        summary = f"\n\nPer tick, naive / smtui (steady): {n_calls / s_calls:.0f}× the API calls, " + (
            f"{n_bytes / s_bytes:.0f}× the terminal bytes." if s_bytes else f"{n_bytes:,.0f} bytes vs none."
        )
    return [
        f"Watching {COMPONENTS} inference components (2 pages of 100) on a 100×30 terminal\n\n"
        + render_table(
            [
                "approach",
                "ticks",
                "List/tick",
                "Describe/tick",
                "calls/tick",
                "calls/min (bench)",
                "calls/min at default cadence",
                "bytes/tick median",
                "max",
                "cells rewritten",
                "tick work",
            ],
            rows,
        )
        + summary
        + f"\n\nBench cadence: fast {FAST} s, slow {SLOW} s (the naive loop ticks every {SLOW} s or when its work"
        "\nis done, whichever is later). Default cadence: smtui polls every 30 s when everything is stable and"
        "\nevery 3 s while something is in transition; the naive loop is shown at 3 s, the interval it needs to"
        "\nshow a transition as promptly. tick work = wall time of one poll (Poller._poll_locked) or naive"
        "\niteration. The poller describes every row once when the list opens (50 per poll; not in these rows)."
        + f"\n\nWhat the steady ticks sent, all {len(phases[0].ticks) if phases else 0} together:"
        + f"\n  {what_was_written(steady_writes) or 'nothing'}"
        + f"\n\n{SETTLED_POLLS} polls after {CHANGED} was back InService, its row showed STATUS/COPIES {shown!r};"
        + f"\nthe emulator said {actual!r}"
        + (
            "."
            if shown.split()[-1:] == actual.split()[-1:]
            else " (STALE: the row is not described again once it leaves the transitional state)."
        )
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_live", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer ticks")
    args = parser.parse_args(argv)
    steady, naive = (4, 3) if args.quick else (10, 8)
    publish("bench_live_quick" if args.quick else "bench_live", asyncio.run(run(steady, naive)))


if __name__ == "__main__":
    main()
