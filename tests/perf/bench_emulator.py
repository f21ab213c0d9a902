"""What one list page costs the emulator, at 5,000 and at 50,000 jobs, endpoints and models.

    python -m tests.perf.bench_emulator            # 5,000 and 50,000 of each (~4 minutes)
    python -m tests.perf.bench_emulator --quick    # 1,000 and 10,000

The list benchmark should measure smtui, not the emulator: if a page of 100 costs the emulator
more as it holds more items, a 50,000-row listing is bound by the server. Each size lists every
page of ListTrainingJobs, ListEndpoints and ListModels (newest first), and of ListTrainingJobs
and ListEndpoints sorted by status and filtered by ``NameContains``, with boto3 over HTTP
against an in-process emulator, twice: with the emulator keeping each query's filtered and
sorted order between pages (what it does), and with that turned off, so every page filters
and sorts the whole collection again (what moto does for jobs and endpoints; its ListModels
answers every model at once). Per-page wall times of the first and the last 10 pages are
compared across sizes; the off column is the baseline measured in the same run. The
collections are seeded directly in the backend, so seeding 50,000 of each takes seconds; a
quarter of the jobs and a fifth of the endpoints get another status, so sorting by status has
runs of ties to keep in order.
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
SEEDS: tuple[tuple[str, Seeder], ...] = (
    ("jobs", seed_training_jobs),
    ("endpoints", seed_endpoints),
    ("models", seed_models),
)
CONTAINS = "7"
"""A ``NameContains`` that keeps about a third of ``job-00000…`` (and of ``ep-00000…``)."""
LISTS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("ListTrainingJobs", "list_training_jobs", "jobs", {}),
    ("ListEndpoints", "list_endpoints", "endpoints", {}),
    ("ListModels", "list_models", "models", {}),
    ("ListTrainingJobs SortBy=Status", "list_training_jobs", "jobs", {"SortBy": "Status"}),
    ("ListTrainingJobs NameContains", "list_training_jobs", "jobs", {"NameContains": CONTAINS}),
    ("ListEndpoints SortBy=Status", "list_endpoints", "endpoints", {"SortBy": "Status"}),
    ("ListEndpoints NameContains", "list_endpoints", "endpoints", {"NameContains": CONTAINS}),
)


def vary_statuses(state: ExtState) -> None:
    """Every 4th job Failed and every 8th Stopped; every 5th endpoint OutOfService, every 10th
    Failed (written in the backend, before any listing)."""
    for i, job in enumerate(state.backend.training_jobs.values()):
        if i % 8 == 3:
            job.training_job_status = "Stopped"
        elif i % 4 == 1:
            job.training_job_status = "Failed"
    for i, endpoint in enumerate(state.backend.endpoints.values()):
        if i % 10 == 7:
            endpoint.endpoint_status = "Failed"
        elif i % 5 == 2:
            endpoint.endpoint_status = "OutOfService"
    state.moved()


def list_pages(client: Any, method: str, query: dict[str, Any]) -> list[float]:
    """Wall seconds of each page (100 a page) of one List* query, in order."""
    times: list[float] = []
    request: dict[str, Any] = {**query, "MaxResults": 100}
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
        for noun, seed in SEEDS:
            progress(f"seeding {n:,} {noun}")
            seed(emu, n)
        state = state_of(emu)
        vary_statuses(state)
        client = boto3.client(
            "sagemaker",
            region_name=REGION,
            endpoint_url=emu.url,
            aws_access_key_id=CREDENTIALS[0],
            aws_secret_access_key=CREDENTIALS[1],
        )
        out: dict[str, dict[str, list[float]]] = {}
        for op, method, noun, query in LISTS:
            out[op] = {}
            for mode in MODES:
                progress(f"{n:,} {noun} · {op} · {mode}")
                state.orders.clear()
                ExtState.keep_orders = mode == "kept"
                out[op][mode] = list_pages(client, method, query)
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
    title = op if " " not in op else op.replace(" ", ", ", 1)
    if op.endswith("NameContains"):
        title += f"={CONTAINS}"
    return (
        f"{title}, 100 a page\n\n"
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
