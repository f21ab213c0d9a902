"""What one list page costs the emulator, at 5,000 and at 50,000 jobs, endpoints and models.

    python -m tests.perf.bench_emulator            # 5,000 and 50,000 of each (~1 minute)
    python -m tests.perf.bench_emulator --quick    # 1,000 and 10,000

The list benchmark should measure smtui, not the emulator: if a page of 100 costs the emulator
more as it holds more items, a 50,000-row listing is bound by the server. Each size lists every
page of ListTrainingJobs, ListEndpoints and ListModels with boto3 over HTTP against an
in-process emulator, twice: with the emulator keeping a collection's sorted order (what it
does), and with that turned off, so every page sorts the whole collection again (what moto
does for jobs and endpoints; its ListModels answers every model at once). Per-page wall times
of the first and the last 10 pages are compared across sizes; the off column is the baseline
measured in the same run. The collections are seeded directly in the backend, so seeding
50,000 of each takes seconds.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import boto3

from smtui.emulator.ext.state import ExtState
from smtui.emulator.seed import seed_endpoints, seed_models, seed_training_jobs, state_of
from smtui.emulator.server import EmulatorServer
from tests.perf._common import CREDENTIALS, REGION, median, ms, progress, publish, ratio, render_table

FULL_SIZES = (5_000, 50_000)
QUICK_SIZES = (1_000, 10_000)
EDGE = 10
MODES = ("kept", "sorted every page")

Seeder = Callable[[Any, int], list[str]]
LISTS: tuple[tuple[str, str, str, Seeder], ...] = (
    ("ListTrainingJobs", "list_training_jobs", "jobs", seed_training_jobs),
    ("ListEndpoints", "list_endpoints", "endpoints", seed_endpoints),
    ("ListModels", "list_models", "models", seed_models),
)


def list_pages(client: Any, method: str) -> list[float]:
    """Wall seconds of each page (100 a page) of one List* operation, in order."""
    times: list[float] = []
    request: dict[str, Any] = {"MaxResults": 100}
    while True:
        started = time.perf_counter()
        answer = getattr(client, method)(**request)
        times.append(time.perf_counter() - started)
        token = answer.get("NextToken")
        if not token:
            return times
        request["NextToken"] = token


def measure(n: int) -> dict[str, dict[str, list[float]]]:
    """Per-page times of each operation and mode, at ``n`` items of each collection."""
    emu = EmulatorServer()
    emu.start()
    try:
        for _, _, noun, seed in LISTS:
            progress(f"seeding {n:,} {noun}")
            seed(emu, n)
        client = boto3.client(
            "sagemaker",
            region_name=REGION,
            endpoint_url=emu.url,
            aws_access_key_id=CREDENTIALS[0],
            aws_secret_access_key=CREDENTIALS[1],
        )
        state = state_of(emu)
        out: dict[str, dict[str, list[float]]] = {}
        for op, method, noun, _ in LISTS:
            out[op] = {}
            for mode in MODES:
                progress(f"{n:,} {noun} · {mode}")
                state.orders.clear()
                ExtState.keep_orders = mode == "kept"
                out[op][mode] = list_pages(client, method)
        return out
    finally:
        ExtState.keep_orders = True
        emu.stop()


def section(op: str, noun: str, sizes: Sequence[int], results: dict[int, dict[str, dict[str, list[float]]]]) -> str:
    """The table and the growth ratios of one operation."""
    rows = []
    for n in sizes:
        for mode, times in results[n][op].items():
            edges = [ms(median(times[:EDGE])), ms(median(times[-EDGE:])), ms(median(times))]
            rows.append([f"{n:,}", mode, str(len(times)), *edges])
    small, big = sizes
    lines = []
    for mode in MODES:
        a, b = median(results[small][op][mode][-EDGE:]), median(results[big][op][mode][-EDGE:])
        lines.append(f"  {mode}: last {EDGE} pages at {big:,} vs at {small:,}: {ratio(b, a)}")
    kept_big = median(results[big][op]["kept"][-EDGE:])
    moto_big = median(results[big][op]["sorted every page"][-EDGE:])
    return (
        f"{op}, 100 a page\n\n"
        + render_table([noun, "emulator order", "pages", "first 10", "last 10", "all pages"], rows, right=2)
        + "\n\nPer-page cost as the collection grows (flat is 1.00×):\n"
        + "\n".join(lines)
        + f"\n  at {big:,}: kept vs sorted every page: {ratio(kept_big, moto_big)}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_emulator", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    results = {n: measure(n) for n in sizes}
    sections = [
        "boto3 over HTTP to an in-process emulator (wall time per page: the emulator's work plus one local round trip)",
        *(section(op, noun, sizes, results) for op, _, noun, _ in LISTS),
    ]
    publish("bench_emulator_quick" if args.quick else "bench_emulator", sections)


if __name__ == "__main__":
    main()
