"""What one list page costs the emulator, at 5,000 and at 50,000 training jobs.

    python -m tests.perf.bench_emulator            # 5,000 and 50,000 jobs (~1.5 minutes)
    python -m tests.perf.bench_emulator --quick    # 1,000 and 10,000

The list benchmark should measure smtui, not the emulator: if a page of 100 costs the emulator
more as it holds more jobs, a 50,000-row listing is bound by the server. Each size lists every
page with boto3 over HTTP against an in-process emulator, twice: with the emulator keeping a
collection's sorted order (what it does), and with that turned off, so every page sorts the
whole collection again (what moto does). Per-page wall times of the first and the last 10 pages
are compared across sizes; the off column is the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import boto3

from smtui.emulator.ext.state import ExtState
from smtui.emulator.seed import seed_training_jobs, state_of
from smtui.emulator.server import EmulatorServer
from tests.perf._common import CREDENTIALS, REGION, median, ms, progress, publish, ratio, render_table

FULL_SIZES = (5_000, 50_000)
QUICK_SIZES = (1_000, 10_000)
EDGE = 10


def list_pages(client: Any) -> list[float]:
    """Wall seconds of each ListTrainingJobs page (100 a page), in order."""
    times: list[float] = []
    request: dict[str, Any] = {"MaxResults": 100}
    while True:
        started = time.perf_counter()
        answer = client.list_training_jobs(**request)
        times.append(time.perf_counter() - started)
        token = answer.get("NextToken")
        if not token:
            return times
        request["NextToken"] = token


def measure(n: int) -> dict[str, list[float]]:
    emu = EmulatorServer()
    emu.start()
    try:
        progress(f"seeding {n:,} training jobs")
        seed_training_jobs(emu, n)
        client = boto3.client(
            "sagemaker",
            region_name=REGION,
            endpoint_url=emu.url,
            aws_access_key_id=CREDENTIALS[0],
            aws_secret_access_key=CREDENTIALS[1],
        )
        state = state_of(emu)
        out: dict[str, list[float]] = {}
        for mode in ("kept", "sorted every page"):
            progress(f"{n:,} jobs · {mode}")
            state.orders.clear()
            ExtState.keep_orders = mode == "kept"
            out[mode] = list_pages(client)
        return out
    finally:
        ExtState.keep_orders = True
        emu.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_emulator", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    results = {n: measure(n) for n in sizes}
    rows = []
    for n, modes in results.items():
        for mode, times in modes.items():
            edges = [ms(median(times[:EDGE])), ms(median(times[-EDGE:])), ms(median(times))]
            rows.append([f"{n:,}", mode, str(len(times)), *edges])
    small, big = sizes
    lines = []
    for mode in ("kept", "sorted every page"):
        a, b = median(results[small][mode][-EDGE:]), median(results[big][mode][-EDGE:])
        lines.append(f"  {mode}: last {EDGE} pages at {big:,} vs at {small:,}: {ratio(b, a)}")
    kept_big = median(results[big]["kept"][-EDGE:])
    moto_big = median(results[big]["sorted every page"][-EDGE:])
    sections = [
        "ListTrainingJobs, 100 a page, boto3 over HTTP to an in-process emulator "
        "(wall time per page: the emulator's work plus one local round trip)\n\n"
        + render_table(["jobs", "emulator order", "pages", "first 10", "last 10", "all pages"], rows, right=2),
        "Per-page cost as the collection grows (flat is 1.00×):\n"
        + "\n".join(lines)
        + f"\n  at {big:,}: kept vs sorted every page: {ratio(kept_big, moto_big)}",
    ]
    publish("bench_emulator_quick" if args.quick else "bench_emulator", sections)


if __name__ == "__main__":
    main()
