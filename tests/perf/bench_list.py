"""How fast a big list streams into the real app, beside plain SDK pagination of the same list.

    python -m tests.perf.bench_list            # 5,000 and 50,000 training jobs (~11 minutes)
    python -m tests.perf.bench_list --quick    # 1,000 and 5,000 (~1.5 minutes)
    python -m tests.perf.bench_list --clients app aiobotocore   # skip boto3 and the aws CLI (~half)

The full run is long because the emulator is slow at 50,000 jobs: moto filters and sorts every
job on every page request (~70 ms a page), so each client needs 40-90 s for the whole list.

For each size the emulator runs in its own process (``python -m smtui.emulator --seed none
--training-jobs N``: seeded in process, no HTTP), at 0 ms and at 80 ms of added latency on
ListTrainingJobs. Each client then lists every job, each in a fresh Python process:

- **smtui**: the real ``SmtuiApp`` in ``run_test(size=(100, 30))``, with a driver that renders
  real terminal frames and counts them. ``ResourceListScreen.rows_for``, ``ResourceTable.append``
  and ``ResourceListScreen.update_status`` (the three steps of handling one page) are wrapped with
  a timer, and so is ``ResourceTable.render_lines`` (painting the table).
- **aiobotocore** / **boto3**: ``get_paginator("list_training_jobs").paginate(PaginationConfig=
  {"PageSize": 100})``, keeping the items.
- **aws CLI**: ``aws sagemaker list-training-jobs --page-size 100`` (v1, from its own venv).

The numbers that matter are ratios within one run: smtui's total against aiobotocore's, and the
per-page UI time for the last 10 pages of a 50,000-row list against the first 10 (and against the
last 10 of a 5,000-row list).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import resource
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tests.perf._common import (
    CREDENTIALS,
    REGION,
    CountingDriver,
    aws_cli,
    aws_cli_version,
    aws_env,
    median,
    mib,
    ms,
    peak_rss_kib,
    percentile,
    plain,
    progress,
    publish,
    ratio,
    render_table,
    report_result,
    rss_kib,
    run_worker,
    secs,
    set_latency,
    timed_method,
)

MODULE = "tests.perf.bench_list"
OPERATION = "ListTrainingJobs"
PAGE_SIZE = 100
FILTER = "job-4"
SIZE = (100, 30)
FULL_SIZES = (5_000, 50_000)
QUICK_SIZES = (1_000, 5_000)
LATENCIES = (0, 80)
EDGE = 10  # pages at each end compared


# ------------------------------------------------------------------------------------ workers
STEPS = ("rows_for", "append", "status")


@dataclass
class PageCost:
    """The UI time spent on one page, by step: (wall, cpu) seconds each."""

    rows_for: tuple[float, float]
    append: tuple[float, float] | None = None
    status: tuple[float, float] | None = None

    def as_list(self) -> list[float]:
        """``[wall × 3 steps, cpu × 3 steps]``."""
        steps = [self.rows_for, self.append or (0.0, 0.0), self.status or (0.0, 0.0)]
        return [w for w, _ in steps] + [c for _, c in steps]


async def app_worker(url: str, expected: int) -> dict[str, Any]:
    """List every training job in the real app and report what it cost."""
    from smtui.aws.client import SageMaker, Target
    from smtui.config import Settings
    from smtui.ui.app import SmtuiApp
    from smtui.ui.screens.resource_list import ResourceListScreen
    from smtui.ui.widgets.resource_table import ResourceTable

    pages: list[PageCost] = []
    paints: list[tuple[float, float]] = []
    done: list[float] = []
    rss_before: list[int] = []
    account: list[tuple[float, float]] = []
    process_cpu: list[float] = []
    header_painted: list[float] = []
    frames: list[tuple[float, float]] = []

    def on_rows_for(wall: float, cpu: float, screen: Any) -> None:
        if not pages:
            rss_before.append(rss_kib())  # first page in hand: client built, nothing in the table yet
        pages.append(PageCost(rows_for=(wall, cpu)))

    def on_append(wall: float, cpu: float, table: Any) -> None:
        if pages and pages[-1].append is None:
            pages[-1].append = (wall, cpu)

    def on_status(wall: float, cpu: float, screen: Any) -> None:
        if not process_cpu and screen.is_loading:
            process_cpu.append(time.process_time())  # load() has just started
        if pages and pages[-1].append is not None and pages[-1].status is None:
            pages[-1].status = (wall, cpu)
        if screen.complete and not screen.is_loading and not done:
            done.append(time.monotonic())
            process_cpu.append(time.process_time())

    def on_frame(wall: float, cpu: float, screen: Any) -> None:
        frames.append((wall, cpu))

    def on_paint(wall: float, cpu: float, table: Any) -> None:
        paints.append((wall, cpu))

    def on_account(wall: float, cpu: float, sagemaker: Any) -> None:
        account.append((time.monotonic() - wall, time.monotonic()))

    # Default settings: the live poller then waits 30 s before re-listing, long after we finish.
    target = Target(region=REGION, endpoint_url=url, static_credentials=CREDENTIALS)
    app = SmtuiApp(target, Settings(), start="training-jobs")
    app.driver_class = CountingDriver

    def on_write(data: str) -> None:
        if not header_painted and "NAME" in plain(data):
            header_painted.append(time.monotonic())

    CountingDriver.listeners.append(on_write)
    with (
        timed_method(SageMaker, "account_id", on_account),
        timed_method(ResourceListScreen, "rows_for", on_rows_for),
        timed_method(ResourceTable, "append", on_append),
        timed_method(ResourceListScreen, "update_status", on_status),
        timed_method(ResourceTable, "render_lines", on_paint),
        timed_method(ResourceListScreen, "_on_timer_update", on_frame),
    ):
        async with app.run_test(size=SIZE, headless=False) as pilot:
            deadline = time.monotonic() + 900
            while not (isinstance(app.screen, ResourceListScreen) and app.screen.complete and done):
                current = app.screen
                if isinstance(current, ResourceListScreen) and current.pages_loaded and not current.is_loading:
                    raise RuntimeError(f"the list stopped after {current.pages_loaded} pages (an error?)")
                if time.monotonic() > deadline:
                    raise RuntimeError("the list did not complete in 900 s")
                await pilot.pause(0.05)
            screen = app.screen
            assert isinstance(screen, ResourceListScreen)
            table = screen.table
            rows_loaded = len(table.rows)
            first_row = (screen.first_row_at or math.nan) - screen.started
            first_frame = (header_painted[0] if header_painted else math.nan) - screen.started
            lookup = [start - screen.started for start, _ in account] + [end - screen.started for _, end in account]
            total = done[0] - screen.started
            await pilot.pause(0.2)  # let the last frame paint
            gc.collect()
            rss_after = rss_kib()
            peak = peak_rss_kib()
            frames_bytes, frames_writes = CountingDriver.bytes_written, CountingDriver.writes
            paints_during_load, frames_during_load = len(paints), len(frames)
            ops = filter_and_sort(table)
            ops.update(status_costs(screen))
            await pilot.pause(0.1)
    return {
        "rows": rows_loaded,
        "expected": expected,
        "first": first_row,
        "frame": first_frame,
        "total": total,
        "pages": [p.as_list() for p in pages],
        "paints": paints[:paints_during_load],
        "frames": frames[:frames_during_load],
        "cpu": process_cpu[1] - process_cpu[0],
        "bytes": frames_bytes,
        "writes": frames_writes,
        "rss_before": rss_before[0],
        "rss_after": rss_after,
        "rss_peak": peak,
        "ops": ops,
        "account_lookup": lookup,
    }


def filter_and_sort(table: Any, repeats: int = 3) -> dict[str, Any]:
    """Filter and sort the full table through its own API, beside the same work in plain Python.

    CPU time of each call (median of ``repeats``); the plain-Python versions are the floor.
    """
    rows = list(table.rows.values())

    def sort_key(row: Any) -> Any:
        return (row.sort_values or row.cells)[0]

    work: dict[str, Callable[[], object]] = {
        "filter": lambda: table.set_filter(FILTER),
        "filter_base": lambda: [r.key for r in rows if FILTER in r.text],
        "unfilter": lambda: table.set_filter(""),
        "unfilter_base": lambda: [r.key for r in rows],
        "sort": lambda: table.sort_by(0, reverse=False),
        "sort_base": lambda: sorted(rows, key=sort_key),
        "resort": lambda: table.sort_by(0, reverse=True),
        "resort_base": lambda: sorted(rows, key=sort_key, reverse=True),
    }
    times: dict[str, list[float]] = {key: [] for key in work}
    shown = 0
    for _ in range(repeats):
        for key, fn in work.items():
            start = time.thread_time()
            fn()
            times[key].append(time.thread_time() - start)
            if key == "filter":
                shown = len(table.view)
    out: dict[str, Any] = {key: median(values) for key, values in times.items()}
    out["filter_shown"] = shown
    return out


def status_costs(screen: Any, repeats: int = 5) -> dict[str, float]:
    """CPU time of ``update_status()`` on the full table, and of the marked-row count inside it."""
    rows = screen.table.rows
    status: list[float] = []
    marked: list[float] = []
    for _ in range(repeats):
        start = time.thread_time()
        screen.update_status()
        status.append(time.thread_time() - start)
        start = time.thread_time()
        sum(1 for r in rows.values() if r.marked)
        marked.append(time.thread_time() - start)
    return {"status": median(status), "status_marked": median(marked)}


async def aiobotocore_worker(url: str, expected: int) -> dict[str, Any]:
    """Plain aiobotocore pagination of the same list (items kept, as a UI would)."""
    from aiobotocore.session import get_session

    items: list[dict[str, Any]] = []
    first = math.nan
    rss_before = 0
    start, cpu = time.perf_counter(), time.process_time()
    session = get_session()
    async with session.create_client(
        "sagemaker",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    ) as client:
        paginator = client.get_paginator("list_training_jobs")
        async for page in paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE}):
            items.extend(page["TrainingJobSummaries"])
            if math.isnan(first) and items:
                first = time.perf_counter() - start
                rss_before = rss_kib()
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    gc.collect()
    return {
        "cpu": cpu,
        "rows": len(items),
        "expected": expected,
        "first": first,
        "total": total,
        "rss_before": rss_before,
        "rss_after": rss_kib(),
        "rss_peak": peak_rss_kib(),
    }


def boto3_worker(url: str, expected: int) -> dict[str, Any]:
    """Plain boto3 pagination of the same list."""
    import boto3

    items: list[dict[str, Any]] = []
    first = math.nan
    rss_before = 0
    start, cpu = time.perf_counter(), time.process_time()
    client = boto3.session.Session().client(
        "sagemaker",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    )
    for page in client.get_paginator("list_training_jobs").paginate(PaginationConfig={"PageSize": PAGE_SIZE}):
        items.extend(page["TrainingJobSummaries"])
        if math.isnan(first) and items:
            first = time.perf_counter() - start
            rss_before = rss_kib()
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    gc.collect()
    return {
        "cpu": cpu,
        "rows": len(items),
        "expected": expected,
        "first": first,
        "total": total,
        "rss_before": rss_before,
        "rss_after": rss_kib(),
        "rss_peak": peak_rss_kib(),
    }


def cli_run(aws: str, url: str, expected: int) -> dict[str, Any]:
    """``aws sagemaker list-training-jobs --page-size 100``: wall time to exit (it prints at the end)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    proc = subprocess.run(
        [aws, "sagemaker", "list-training-jobs", "--endpoint-url", url, "--page-size", str(PAGE_SIZE)],
        capture_output=True,
        env=aws_env(),
        check=False,
    )
    total = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"aws exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
    rows = len(json.loads(proc.stdout)["TrainingJobSummaries"])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {"rows": rows, "expected": expected, "first": math.nan, "total": total, "cpu": cpu}


def worker_main(kind: str, url: str, expected: int) -> None:
    if kind == "app":
        report_result(asyncio.run(app_worker(url, expected)))
    elif kind == "aiobotocore":
        report_result(asyncio.run(aiobotocore_worker(url, expected)))
    elif kind == "boto3":
        report_result(boto3_worker(url, expected))
    else:
        raise SystemExit(f"unknown worker {kind!r}")


# ------------------------------------------------------------------------------------ the run
Key = tuple[int, int, str]


def run(sizes: Sequence[int], latencies: Sequence[int], clients: Sequence[str]) -> dict[Key, dict[str, Any]]:
    from smtui.emulator import start_child

    aws = aws_cli() if "aws" in clients else None
    results: dict[Key, dict[str, Any]] = {}
    for n in sizes:
        progress(f"seeding {n:,} training jobs in the emulator process")
        with start_child(seed="none", training_jobs=n, pace="immediate", timeout=600) as child:
            for latency in latencies:
                set_latency(child.url, OPERATION, latency)
                for client in clients:
                    if client == "aws" and aws is None:
                        continue
                    progress(f"{n:,} rows · {latency} ms · {client}")
                    if client == "aws":
                        assert aws is not None
                        result = cli_run(str(aws), child.url, n)
                    else:
                        result = run_worker(MODULE, ["--worker", client, "--url", child.url, "--n", str(n)])
                    if result["rows"] != n:
                        raise RuntimeError(f"{client} listed {result['rows']} of {n} jobs")
                    results[(n, latency, client)] = result
    return results


LABELS = {
    "app": "smtui (real app)",
    "aiobotocore": "aiobotocore paginate",
    "boto3": "boto3 paginate",
    "aws": "aws CLI --page-size 100",
}


def page_totals(result: dict[str, Any], *, cpu: bool = False) -> list[float]:
    """Seconds spent on each page (wall, or CPU with ``cpu``), all steps together."""
    part = slice(len(STEPS), None) if cpu else slice(0, len(STEPS))
    return [sum(p[part]) for p in result["pages"]]


def report(
    results: dict[Key, dict[str, Any]], sizes: Sequence[int], latencies: Sequence[int], clients: Sequence[str]
) -> None:
    sections: list[str] = []
    aws = aws_cli() if "aws" in clients else None
    cli_note = f" ({aws_cli_version(aws)})" if aws else ""

    # 1. time to first row and to the whole list
    rows: list[list[str]] = []
    for n in sizes:
        for latency in latencies:
            base = results.get((n, latency, "aiobotocore"), {})
            for client in clients:
                r = results.get((n, latency, client))
                if r is None:
                    continue
                rows.append(
                    [
                        f"{n:,}",
                        f"{latency} ms",
                        LABELS[client],
                        secs(r.get("frame", math.nan)),
                        secs(r["first"]),
                        secs(r["total"]),
                        ratio(r["total"], base.get("total", math.nan)),
                        secs(r["cpu"]),
                        ratio(r["cpu"], base.get("cpu", math.nan)),
                    ]
                )
    lookups = []
    for n in sizes:
        for latency in latencies:
            r = results.get((n, latency, "app"))
            if r and len(r["account_lookup"]) == 2:
                a, b = r["account_lookup"]
                lookups.append(f"{n:,}/{latency} ms: {a:+.2f} s → {b:+.2f} s")
    lookup_note = (
        "\nsmtui also looks up the account (STS GetCallerIdentity, its own client) on the same event loop at start-up;"
        "\nrelative to the list's start it ran " + "; ".join(lookups) + "."
        if lookups
        else ""
    )
    sections.append(
        "Listing every training job (100 per page; each client in a fresh process; emulator in its own process)\n\n"
        + render_table(
            [
                "rows",
                "latency",
                "client",
                "first frame",
                "first row",
                "all rows",
                "vs aiobotocore",
                "client CPU",
                "vs aiobotocore",
            ],
            rows,
            right=3,
        )
        + "\n\nfirst frame = the first frame with the table header reached the terminal (smtui only)."
        "\nsmtui's times run from the moment its list screen starts loading (client creation included, as for"
        "\nthe SDK columns, whose clock starts before create_client). The aws CLI prints only at the end, so it has"
        f"\nno first-row time{cli_note}. client CPU = CPU seconds the client process used over the same span"
        "\n(the aws CLI's includes its interpreter start-up); the emulator's CPU is not counted." + lookup_note
    )

    # 2. UI time per page
    rows = []
    for n in sizes:
        for latency in latencies:
            r = results.get((n, latency, "app"))
            if r is None:
                continue
            cpu = page_totals(r, cpu=True)
            wall = page_totals(r)
            steps = [[p[3 + i] for p in r["pages"]] for i in range(len(STEPS))]
            ui_share = sum(wall) / r["total"] if r["total"] else math.nan
            rows.append(
                [
                    f"{n:,}",
                    f"{latency} ms",
                    str(len(cpu)),
                    ms(median(cpu)),
                    ms(percentile(cpu, 95)),
                    ms(median(cpu[:EDGE])),
                    ms(median(cpu[-EDGE:])),
                    ratio(median(cpu[-EDGE:]), median(cpu[:EDGE])),
                    *(f"{ms(median(step[:EDGE]))} → {ms(median(step[-EDGE:]))}" for step in steps),
                    ms(median(wall)),
                    ms(percentile(wall, 95)),
                    f"{ui_share * 100:.0f}%",
                ]
            )
    cross = ""
    if "app" in clients and len(sizes) >= 2:
        small, big = min(sizes), max(sizes)
        lines = []
        for latency in latencies:
            a, b = results.get((small, latency, "app")), results.get((big, latency, "app"))
            if a and b:
                last_a = median(page_totals(a, cpu=True)[-EDGE:])
                last_b = median(page_totals(b, cpu=True)[-EDGE:])
                lines.append(
                    f"at {latency} ms: last {EDGE} pages of {big:,} rows {ms(last_b)}, "
                    f"of {small:,} rows {ms(last_a)}: {ratio(last_b, last_a)}"
                )
        cross = "\n\nAppending a page to the big list vs the small one (median CPU time per page):\n  " + "\n  ".join(
            lines
        )
    sections.append(
        "UI time per 100-row page in smtui: rows_for + ResourceTable.append + update_status on the event loop\n"
        "(CPU time of the app's thread, which other processes on this shared machine cannot inflate; wall time too)\n\n"
        + render_table(
            [
                "rows",
                "latency",
                "pages",
                "CPU median",
                "p95",
                f"first {EDGE}",
                f"last {EDGE}",
                "last/first",
                f"rows_for first {EDGE} → last {EDGE}",
                "append",
                "update_status",
                "wall median",
                "wall p95",
                "UI share",
            ],
            rows,
        )
        + cross
        + "\n\nThe three step columns are median CPU time of that step over the first and the last pages."
        "\nUI share = wall time spent handling pages / wall time of the whole listing."
    )

    # 3. painting
    rows = []
    for n in sizes:
        for latency in latencies:
            r = results.get((n, latency, "app"))
            if r is None:
                continue
            frames = [c for _, c in r["frames"]]
            paints = [c for _, c in r["paints"]]
            pages_cpu = sum(page_totals(r, cpu=True))
            rows.append(
                [
                    f"{n:,}",
                    f"{latency} ms",
                    str(len(frames)),
                    ms(median(frames)),
                    ms(percentile(frames, 95)),
                    ms(median(frames[:EDGE])),
                    ms(median(frames[-EDGE:])),
                    ms(median(paints)),
                    f"{sum(frames) / r['cpu'] * 100:.0f}%",
                    f"{pages_cpu / r['cpu'] * 100:.0f}%",
                    f"{r['bytes'] / 1024:.0f} KiB",
                    f"{r['bytes'] / max(1, r['writes']):.0f} B",
                ]
            )
    sections.append(
        "Frames while the list loads (CPU time per frame of the list screen: layout, compositing, rendering the\n"
        "terminal output; bytes = what a real terminal would have been sent)\n\n"
        + render_table(
            [
                "rows",
                "latency",
                "frames",
                "median",
                "p95",
                f"first {EDGE}",
                f"last {EDGE}",
                "table lines",
                "frames/CPU",
                "pages/CPU",
                "written",
                "per write",
            ],
            rows,
        )
        + "\n\nframe = ResourceListScreen._on_timer_update (Textual's per-frame refresh, timed on our subclass);"
        "\ntable lines = median of ResourceTable.render_lines calls inside those frames;"
        "\nframes/CPU and pages/CPU = share of the app's whole CPU time during the listing."
    )

    # 4. filter and sort on the full table
    rows = []
    for n in sizes:
        r = results.get((n, latencies[0], "app"))
        if r is None:
            continue
        ops = r["ops"]
        for label, key in (
            (f'set_filter("{FILTER}") → {ops["filter_shown"]:,} shown', "filter"),
            ('set_filter("")', "unfilter"),
            ("sort_by(0) ascending", "sort"),
            ("sort_by(0, reverse=True)", "resort"),
        ):
            rows.append([f"{n:,}", label, ms(ops[key]), ms(ops[key + "_base"]), ratio(ops[key], ops[key + "_base"])])
        if "status" in ops:
            rows.append(
                [
                    f"{n:,}",
                    "update_status() (runs once per page)",
                    ms(ops["status"]),
                    ms(ops["status_marked"]),
                    ratio(ops["status"], ops["status_marked"]),
                ]
            )
    sections.append(
        "Filter and sort on the fully loaded table\n"
        "(CPU time, median of 3: smtui's ResourceTable vs the same work as one plain Python expression)\n\n"
        + render_table(["rows", "operation", "smtui", "plain Python", "ratio"], rows, right=2)
        + "\n\nplain Python = a list comprehension over the rows' lower-cased text, or sorted() on the column's"
        "\nsort values; for update_status() it is one pass over every row, sum(1 for r in table.rows.values()"
        "\nif r.marked): what a per-page status line costs if it looks at the whole table."
    )

    # 5. memory
    rows = []
    for n in sizes:
        latency = latencies[0]
        for client in ("app", "aiobotocore", "boto3"):
            r = results.get((n, latency, client))
            if r is None:
                continue
            delta = r["rss_after"] - r["rss_before"]
            rows.append(
                [
                    f"{n:,}",
                    LABELS[client],
                    mib(r["rss_before"]),
                    mib(r["rss_after"]),
                    mib(delta),
                    f"{delta * 1024 / n / 1024:.2f} KiB",
                    mib(r["rss_peak"]),
                ]
            )
    sections.append(
        "Memory (VmRSS of the client process: before = when the first page arrived,\n"
        "client built and nothing held yet; "
        f"after = every row held, after gc.collect(); {latencies[0]} ms run)\n\n"
        + render_table(["rows", "client", "before", "after", "delta", "per row", "peak"], rows, right=2)
    )
    publish("bench_list_quick" if max(sizes) < 50_000 else "bench_list", sections)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_list", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} instead of {FULL_SIZES}")
    parser.add_argument("--sizes", type=int, nargs="+", help="training-job counts (overrides --quick)")
    parser.add_argument("--latencies", type=int, nargs="+", default=list(LATENCIES), help="ms added per list call")
    parser.add_argument(
        "--clients",
        nargs="+",
        default=["app", "aiobotocore", "boto3", "aws"],
        choices=["app", "aiobotocore", "boto3", "aws"],
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker, args.url, args.n)
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    results = run(sizes, args.latencies, args.clients)
    report(results, sizes, args.latencies, args.clients)


if __name__ == "__main__":
    main()
