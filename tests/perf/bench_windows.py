"""Does ``list.windows`` (parallel CreationTime windows) beat the serial NextToken chain?

    python -m tests.perf.bench_windows            # 5,000 training jobs at 80 ms (~1 minute)
    python -m tests.perf.bench_windows --jobs 2000 --latency 40

A list of N pages costs at least N round trips when each page waits for the previous one's
NextToken. With ``list.windows`` = K > 1, ``Service.stream`` lists the first page as today,
finds the oldest CreationTime with one request, and lists K CreationTimeAfter/Before windows at
once, merged newest first (:mod:`smtui.service.windows`). This measures the real implementation,
``Service.stream`` with the setting, against the emulator with added latency on
ListTrainingJobs (aiobotocore over HTTP, one page fetched ahead per chain; each variant listed
twice and the second measured, so the emulator's kept sort orders are warm for all), in the same
run as:

- serial: ``Service.stream`` with ``list.windows`` = 1, the default;
- the floor of the serial chain, pages x RTT.

Requests are counted at the emulator. What it cannot measure is SageMaker's own rate limit on
List* calls (about 2 requests/s has been reported for ListTrainingJobs): the requests/s column
says what each variant asks of it, and "at 2 req/s" what the whole list would take if
SageMaker let through no more than that (the larger of the measured time and requests / 2).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.config import ListSettings, Settings
from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.service import Service
from tests.perf._common import CREDENTIALS, REGION, progress, publish, ratio, render_table, secs

RATE_LIMIT = 2.0
"""Requests per second reported for ListTrainingJobs."""


async def listed(emu: EmulatorServer, windows: int) -> tuple[int, int, float, float]:
    """(rows, requests at the server, seconds to the first rows, seconds to all rows)."""
    catalog = default_catalog()
    target = Target(region=REGION, endpoint_url=emu.url, static_credentials=CREDENTIALS)
    svc = Service(target, Settings(list=ListSettings(windows=windows)), catalog=catalog)
    jobs = catalog.get("training-jobs")
    try:
        await svc.sagemaker.client()  # the client is built before the clock starts, as in the app
        emu.faults.clear_requests()
        rows = 0
        first = 0.0
        started = time.perf_counter()
        async for batch in svc.stream(jobs, {}):
            if not first:
                first = time.perf_counter() - started
            rows += len(batch.items)
        took = time.perf_counter() - started
        requests = int(emu.faults.request_counts()["counts"].get("ListTrainingJobs", 0))
        return rows, requests, first, took
    finally:
        await svc.close()


async def run(jobs: int, latency: int, ks: Sequence[int]) -> list[list[str]]:
    emu = EmulatorServer().start()
    try:
        progress(f"seeding {jobs:,} training jobs")
        seed_training_jobs(emu, jobs)
        emu.faults.set([{"op": "ListTrainingJobs", "latency_ms": latency}])
        rows: list[list[str]] = []

        def row(name: str, got: int, requests: int, first: float, took: float, serial: float) -> list[str]:
            limited = max(took, requests / RATE_LIMIT)
            return [
                name,
                f"{got:,}",
                str(requests),
                secs(first),
                secs(took),
                ratio(took, serial),
                f"{requests / took:.1f}",
                secs(limited),
            ]

        progress("serial (list.windows = 1)")
        await listed(emu, 1)  # each variant twice, the second measured: the emulator's orders warm
        items, pages, first, serial = await listed(emu, 1)
        rows.append(row("serial (default)", items, pages, first, serial, serial))
        for k in ks:
            progress(f"list.windows = {k}")
            await listed(emu, k)
            got, requests, first_k, took = await listed(emu, k)
            assert got == items, f"{k} windows listed {got} of {items} jobs"
            rows.append(row(f"list.windows = {k}", got, requests, first_k, took, serial))
        floor = pages * latency / 1000
        rows.append(["floor: pages x RTT", "", str(pages), "", secs(floor), ratio(floor, serial), "", ""])
        return rows
    finally:
        emu.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_windows", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=5_000)
    parser.add_argument("--latency", type=int, default=80, help="ms added to each ListTrainingJobs call")
    parser.add_argument("--windows", type=int, nargs="+", default=[2, 4, 8])
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args.jobs, args.latency, args.windows))
    headers = ["variant", "jobs", "requests", "first rows", "all rows", "vs serial", "requests/s", "at 2 req/s"]
    table = render_table(headers, rows, right=1)
    publish(
        "bench_windows",
        [
            f"ListTrainingJobs across {args.jobs:,} jobs at {args.latency} ms added latency, 100 a page, "
            "Service.stream with list.windows (aiobotocore over HTTP to the emulator in process), "
            "each variant's second listing\n\n" + table,
            "requests = ListTrainingJobs counted at the emulator; requests/s = what the variant asks of "
            "SageMaker's List* rate limit while it runs; at 2 req/s = the larger of all rows and requests / 2, "
            "what the list would take if SageMaker allowed only the reported 2 requests/s.",
        ],
    )


if __name__ == "__main__":
    main()
