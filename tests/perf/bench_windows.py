"""Does splitting a big job list into parallel CreationTime windows beat the serial NextToken chain?

    python -m tests.perf.bench_windows            # 5,000 training jobs at 80 ms (~1 minute)
    python -m tests.perf.bench_windows --jobs 2000 --latency 40

A list of N pages costs at least N round trips when each page waits for the previous one's
NextToken. ListTrainingJobs takes CreationTimeAfter/CreationTimeBefore, so the time span can be
cut into K windows listed at once, each its own chain of about N/K pages, and merged newest
first. This measures, against the emulator with added latency on ListTrainingJobs, through
smtui's own pager (aiobotocore over HTTP, one page fetched ahead):

- serial: one chain, the way smtui lists today;
- K windows (2, 4, 8), listed concurrently, with the requests per second they need.

The baseline is the serial chain in the same run, and pages x RTT, its floor. What it cannot
measure is SageMaker's own rate limit on List* calls (about 2 requests/s has been reported for
ListTrainingJobs): the requests-per-second column says what each variant would ask of it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from smtui.aws.client import SageMaker, Target
from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from tests.perf._common import CREDENTIALS, REGION, progress, publish, ratio, render_table, secs


async def walk(sm: SageMaker, params: dict[str, Any]) -> tuple[int, int]:
    """(items, pages) of one NextToken chain."""
    items = pages = 0
    async for page in sm.pages("ListTrainingJobs", params, page_size=100):
        items += len(page.items)
        pages += 1
    return items, pages


async def windows(sm: SageMaker, start: dt.datetime, end: dt.datetime, k: int) -> tuple[int, int]:
    """K equal CreationTime windows over [start, end], listed at once."""
    span = (end - start) / k
    edges = [start + span * i for i in range(k)] + [end]
    calls = [
        {"CreationTimeAfter": edges[i] - dt.timedelta(microseconds=1), "CreationTimeBefore": edges[i + 1]}
        for i in range(k)
    ]
    # The last window's upper edge is exclusive: widen it so the newest job is inside.
    calls[-1]["CreationTimeBefore"] = end + dt.timedelta(seconds=1)
    results = await asyncio.gather(*(walk(sm, c) for c in calls))
    return sum(r[0] for r in results), sum(r[1] for r in results)


async def run(jobs: int, latency: int, ks: Sequence[int]) -> list[list[str]]:
    emu = EmulatorServer().start()
    try:
        progress(f"seeding {jobs:,} training jobs")
        seed_training_jobs(emu, jobs)
        emu.faults.set([{"op": "ListTrainingJobs", "latency_ms": latency}])
        sm = SageMaker(Target(region=REGION, endpoint_url=emu.url, static_credentials=CREDENTIALS))
        try:
            newest = (await sm.call("ListTrainingJobs", {"MaxResults": 1, "SortOrder": "Descending"}))[
                "TrainingJobSummaries"
            ][0]["CreationTime"]
            oldest = (await sm.call("ListTrainingJobs", {"MaxResults": 1, "SortOrder": "Ascending"}))[
                "TrainingJobSummaries"
            ][0]["CreationTime"]
            rows: list[list[str]] = []
            progress("serial chain")
            started = time.perf_counter()
            items, pages = await walk(sm, {})
            serial = time.perf_counter() - started
            floor = pages * latency / 1000
            rows.append(["serial (today)", f"{items:,}", str(pages), secs(serial), "1.00×", f"{pages / serial:.1f}"])
            for k in ks:
                progress(f"{k} windows")
                started = time.perf_counter()
                got, pages_k = await windows(sm, oldest, newest, k)
                took = time.perf_counter() - started
                assert got == items, f"{k} windows listed {got} of {items} jobs"
                rows.append(
                    [f"{k} windows", f"{got:,}", str(pages_k), secs(took), ratio(took, serial), f"{pages_k / took:.1f}"]
                )
            rows.append(["floor: pages x RTT", "", str(pages), secs(floor), ratio(floor, serial), ""])
            return rows
        finally:
            await sm.close()
    finally:
        emu.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_windows", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=5_000)
    parser.add_argument("--latency", type=int, default=80, help="ms added to each ListTrainingJobs call")
    parser.add_argument("--windows", type=int, nargs="+", default=[2, 4, 8])
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args.jobs, args.latency, args.windows))
    table = render_table(["variant", "jobs", "requests", "all rows", "vs serial", "requests/s"], rows, right=1)
    publish(
        "bench_windows",
        [
            f"ListTrainingJobs across {args.jobs:,} jobs at {args.latency} ms added latency, 100 a page, "
            "smtui's pager (aiobotocore over HTTP to the emulator in process)\n\n" + table,
            "requests/s = what the variant asks of SageMaker's List* rate limit while it runs.",
        ],
    )


if __name__ == "__main__":
    main()
