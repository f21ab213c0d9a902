"""``list.windows``: a long job list cut into CreationTime windows, against the emulator over HTTP.

Every test counts what reached the server (and reads the request bodies it kept), so a window
that loses or repeats a row, a request sent when it should not be, or one that outlives the list
shows up here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import math
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from smtui.aws.errors import AccessDenied
from smtui.aws.target import Target
from smtui.catalog import Catalog, default_catalog
from smtui.config import ListSettings, Settings
from smtui.emulator import faults
from smtui.emulator.seed import add_model, seed_training_jobs, state_of
from smtui.emulator.server import EmulatorServer
from smtui.service import Batch, Service
from smtui.service import windows as windowing

CATALOG: Catalog = default_catalog()
JOBS = CATALOG.get("training-jobs")
N = 1_000
TIED = 7
"""Jobs sharing one CreationTime: 100 a page, so ties straddle the first page's edge (jobs 896 to
902), and the windows' edges (a quarter of 128 minutes) fall on tied groups too."""
PAGES = math.ceil(N / 100)


def target(emu: EmulatorServer) -> Target:
    return Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))


def service(emu: EmulatorServer, windows: int) -> Service:
    return Service(target(emu), Settings(list=ListSettings(windows=windows)), catalog=CATALOG)


@pytest.fixture
def bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The emulator keeps the JSON bodies of SageMaker requests too (the last 200 of each
    operation in ``emu.faults.bodies``), as it does CloudWatch Logs'."""
    monkeypatch.setattr(faults, "_BODIES_KEPT", faults._BODIES_KEPT | {"SageMaker"})


@pytest.fixture
def jobs(emu: EmulatorServer, bodies: None) -> Iterator[list[str]]:
    """``N`` training jobs, newest last, ``TIED`` at a time sharing one CreationTime."""
    names = seed_training_jobs(emu, N)
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    backend = state_of(emu).backend
    for i, name in enumerate(names):
        backend.training_jobs[name].creation_time = base + dt.timedelta(minutes=i // TIED)
    emu.faults.clear_requests()
    yield names


async def listing(svc: Service, params: dict[str, Any] | None = None) -> list[Batch]:
    try:
        return [batch async for batch in svc.stream(JOBS, params or {})]
    finally:
        await svc.close()


def names(batches: list[Batch]) -> list[str]:
    return [row["TrainingJobName"] for batch in batches for row in batch.items]


def sent(emu: EmulatorServer, op: str = "ListTrainingJobs") -> list[dict[str, Any]]:
    return list(emu.faults.bodies.get(op, []))


def requests(emu: EmulatorServer, op: str = "ListTrainingJobs") -> int:
    return int(emu.faults.request_counts()["counts"].get(op, 0))


def windowed(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in bodies if "CreationTimeAfter" in b or "CreationTimeBefore" in b]


def test_the_three_job_lists_qualify_by_the_model_and_others_do_not() -> None:
    for op in ("ListTrainingJobs", "ListProcessingJobs", "ListTransformJobs"):
        assert windowing.windowable(op), op
    assert not windowing.windowable("ListModels")  # takes the bounds, but is not a long job list
    assert not windowing.windowable("ListClusterNodes")


def test_split_covers_the_span_with_overlapping_edges_newest_first() -> None:
    old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    new = old + dt.timedelta(hours=4)
    cuts = windowing.split(old, new, 4)
    assert len(cuts) == 4
    assert cuts[0][1] > new and cuts[-1][0] < old  # the first page's edge and the oldest row inside
    for newer, older in itertools.pairwise(cuts):
        assert older[1] > newer[0]  # each edge is inside both windows: nothing falls between
    assert windowing.split(old, old, 4) == [(old - windowing.OVERLAP, old + windowing.OVERLAP)]


async def test_windows_list_every_job_once_in_the_serial_order(emu: EmulatorServer, jobs: list[str]) -> None:
    serial = await listing(service(emu, 1))
    assert requests(emu) == PAGES
    emu.faults.clear_requests()
    batches = await listing(service(emu, 4))
    got = names(batches)
    assert len(got) == N and set(got) == set(jobs)  # none lost at an edge, none repeated
    assert got == names(serial)  # strictly newest first, ties in the same order
    assert [b.number for b in batches] == list(range(len(batches)))
    assert [b.last for b in batches].count(True) == 1 and batches[-1].last
    assert all(b.params == {} for b in batches)  # the caller's parameters, not a window's
    assert batches[0].items == serial[0].items  # the first page is the serial first page


async def test_windows_send_the_time_bounds_and_about_pages_plus_k_plus_one(
    emu: EmulatorServer, jobs: list[str]
) -> None:
    k = 4
    await listing(service(emu, k))
    bodies = sent(emu)
    assert "CreationTimeAfter" not in bodies[0] and "CreationTimeBefore" not in bodies[0]  # the first page
    oldest = [b for b in bodies if b.get("SortOrder") == "Ascending"]
    assert len(oldest) == 1 and oldest[0]["MaxResults"] == 1
    chains = windowed(bodies)
    assert len({(b["CreationTimeAfter"], b["CreationTimeBefore"]) for b in chains}) == k
    assert all(b["CreationTimeAfter"] < b["CreationTimeBefore"] for b in chains)
    assert PAGES + 1 <= requests(emu) == len(bodies) <= PAGES + k + 1


async def test_one_window_sends_no_creation_time(emu: EmulatorServer, jobs: list[str]) -> None:
    batches = await listing(service(emu, 1))
    assert len(names(batches)) == N
    bodies = sent(emu)
    assert len(bodies) == requests(emu) == PAGES
    assert windowed(bodies) == [] and not any("SortOrder" in b for b in bodies)


@pytest.mark.parametrize(
    "params",
    [
        {"SortBy": "Name"},
        {"SortOrder": "Ascending"},
        {"CreationTimeAfter": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)},
    ],
    ids=["by-name", "ascending", "caller-time-filter"],
)
async def test_a_sort_or_time_filter_of_the_callers_stays_serial(
    emu: EmulatorServer, jobs: list[str], params: dict[str, Any]
) -> None:
    batches = await listing(service(emu, 4), params)
    assert len(names(batches)) == N
    bodies = sent(emu)
    assert requests(emu) == PAGES
    assert all(set(params) <= set(b) for b in bodies)  # the caller's own, on every page
    assert not any("CreationTimeBefore" in b for b in bodies)


async def test_a_type_that_does_not_qualify_stays_serial(emu: EmulatorServer, bodies: None) -> None:
    state = state_of(emu)
    for i in range(150):
        add_model(state, f"model-{i:04d}")
    emu.faults.clear_requests()
    svc = service(emu, 4)
    try:
        rows = [row async for batch in svc.stream(CATALOG.get("models"), {}) for row in batch.items]
    finally:
        await svc.close()
    assert len(rows) == 150
    assert requests(emu, "ListModels") == 2
    assert windowed(sent(emu, "ListModels")) == []


async def test_closing_the_list_early_cancels_every_window(emu: EmulatorServer, jobs: list[str]) -> None:
    emu.faults.set([{"op": "ListTrainingJobs", "latency_ms": 200}])
    svc = service(emu, 4)
    got: list[Batch] = []
    second = asyncio.Event()

    async def view() -> None:  # the list screen's worker, cancelled when the view closes
        async for batch in svc.stream(JOBS, {}):
            got.append(batch)
            if len(got) == 2:
                second.set()

    worker = asyncio.ensure_future(view())
    try:
        await asyncio.wait_for(second.wait(), 10)
        worker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await worker
        await asyncio.sleep(0.1)  # what was on the wire when it closed reaches the server
        at_close = requests(emu)
        await asyncio.sleep(1.0)  # five pages' worth: an orphaned window would ask again by now
        assert requests(emu) == at_close
        assert at_close < PAGES + 1  # the whole list was not fetched
        assert not got[-1].last
    finally:
        await svc.close()


async def test_a_failing_window_raises_and_stops_the_others(emu: EmulatorServer, jobs: list[str]) -> None:
    # The 5th ListTrainingJobs is refused: the first page, the oldest, then a window's page.
    emu.faults.set([{"op": "ListTrainingJobs", "error": "AccessDeniedException", "every": 5}])
    got: list[Batch] = []
    svc = service(emu, 4)
    try:
        with pytest.raises(AccessDenied):
            async for batch in svc.stream(JOBS, {}):
                got.append(batch)
        at_failure = requests(emu)
        await asyncio.sleep(0.3)
        assert requests(emu) == at_failure
    finally:
        await svc.close()
    assert got and not any(b.last for b in got)


@pytest.fixture
async def few(emu: EmulatorServer, bodies: None) -> AsyncIterator[None]:
    seed_training_jobs(emu, 40)
    emu.faults.clear_requests()
    yield


async def test_a_list_of_one_page_costs_one_request(emu: EmulatorServer, few: None) -> None:
    batches = await listing(service(emu, 8))
    assert len(names(batches)) == 40 and [b.last for b in batches] == [True]
    assert requests(emu) == 1 and windowed(sent(emu)) == []
