"""The AWS layer against the emulator over real HTTP: streaming pages, filters, errors, guard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from smtui.aws.client import RETRY_CONFIG, SageMaker, Target
from smtui.aws.errors import (
    AccessDenied,
    CredentialsExpired,
    NotFound,
    ReadOnlyRefused,
    Throttled,
    UnknownOperation,
    Unreachable,
    ValidationFailed,
)
from smtui.aws.pager import accepted_filters
from smtui.emulator.seed import add_training_job, seed_training_jobs, state_of
from smtui.emulator.server import EmulatorServer


@pytest.fixture
async def sagemaker(emu: EmulatorServer) -> AsyncIterator[SageMaker]:
    client = SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))
    yield client
    await client.close()


async def test_pages_stream_one_at_a_time(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    seed_training_jobs(emu, 230)
    sizes = []
    async for page in sagemaker.pages("ListTrainingJobs", page_size=100):
        sizes.append(len(page.items))
    assert sizes == [100, 100, 30]


async def test_empty_pages_with_a_token_are_followed(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    # SageMaker filters after paging: a page can come back empty yet carry a NextToken.
    state = state_of(emu)
    state.filter_after_paging = True
    for i in range(3):  # the oldest jobs, so they sit on the last pages
        add_training_job(state, f"needle-{i:05d}", created_minutes_ago=10_000 + i)
    seed_training_jobs(emu, 60, prefix="noise")
    pages = [p async for p in sagemaker.pages("ListTrainingJobs", filters={"NameContains": "needle"}, page_size=10)]
    found = [item["TrainingJobName"] for page in pages for item in page.items]
    assert sorted(found) == ["needle-00000", "needle-00001", "needle-00002"]
    assert any(not page.items and page.next_token for page in pages), "expected an empty page with a token"


async def test_filters_are_sent_only_where_accepted() -> None:
    assert accepted_filters("ListTrainingJobs", {"NameContains": "x", "StatusEquals": "Failed"}) == {
        "NameContains": "x",
        "StatusEquals": "Failed",
    }
    assert accepted_filters("ListModels", {"StatusEquals": "Failed", "NameContains": "x"}) == {"NameContains": "x"}
    assert accepted_filters("ListTrainingJobs", {"NameContains": ""}) == {}


async def test_status_filter_reaches_the_server(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    seed_training_jobs(emu, 5)
    emu.fail("job-00002", "OOM in rank 3")
    pages = [p async for p in sagemaker.pages("ListTrainingJobs", filters={"StatusEquals": "Failed"})]
    names = [i["TrainingJobName"] for p in pages for i in p.items]
    assert names == ["job-00002"]


async def test_paging_can_be_cancelled(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    seed_training_jobs(emu, 500)
    emu.faults.set([{"op": "ListTrainingJobs", "latency_ms": 300}])
    seen = 0
    first = asyncio.Event()

    async def consume() -> None:
        nonlocal seen
        async for _page in sagemaker.pages("ListTrainingJobs", page_size=10):
            seen += 1
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert 1 <= seen < 50


async def _requests_reach(emu: EmulatorServer, op: str, count: int, within: float) -> bool:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if emu.faults.request_counts()["counts"].get(op, 0) >= count:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_the_next_page_is_requested_while_the_caller_holds_this_one(
    emu: EmulatorServer, sagemaker: SageMaker
) -> None:
    # The network and the drawing overlap: page 2's request reaches the server while page 1
    # is still in the caller's hands, and never more than one page ahead.
    seed_training_jobs(emu, 50)
    emu.faults.clear_requests()
    pages = sagemaker.pages("ListTrainingJobs", page_size=10)
    first = await anext(pages)
    assert len(first.items) == 10
    assert await _requests_reach(emu, "ListTrainingJobs", 2, within=5), "page 2 was not requested ahead"
    await asyncio.sleep(0.3)  # hold page 1: a pager running further ahead would send page 3 now
    assert emu.faults.request_counts()["counts"]["ListTrainingJobs"] == 2
    rest = [len(p.items) async for p in pages]
    assert rest == [10, 10, 10, 10]
    # Five pages, five requests: the page fetched ahead is the one used, not fetched twice.
    assert emu.faults.request_counts()["counts"]["ListTrainingJobs"] == 5


async def test_a_walk_capped_at_one_page_sends_one_request(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    # The poller re-lists page 1 on every tick: fetching page 2 ahead there would double the
    # List* calls against SageMaker's low rate limits for a page nobody reads.
    seed_training_jobs(emu, 50)
    emu.faults.clear_requests()
    pages = [p async for p in sagemaker.pages("ListTrainingJobs", page_size=10, max_pages=1)]
    assert [len(p.items) for p in pages] == [10]
    assert pages[0].next_token is not None  # the list goes on; the caller chose to stop
    await asyncio.sleep(0.3)
    assert emu.faults.request_counts()["counts"]["ListTrainingJobs"] == 1


async def test_stopping_early_cancels_the_page_fetched_ahead(emu: EmulatorServer, sagemaker: SageMaker) -> None:
    seed_training_jobs(emu, 100)
    emu.faults.clear_requests()
    emu.faults.set([{"op": "ListTrainingJobs", "latency_ms": 400}])
    pages = sagemaker.pages("ListTrainingJobs", page_size=10)
    await anext(pages)
    await _requests_reach(emu, "ListTrainingJobs", 2, within=5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await pages.aclose()  # the view closed while page 2 was on the wire
    assert loop.time() - started < 0.3, "closing waited for the page fetched ahead"
    await asyncio.sleep(0.6)
    # Nothing further was asked for once the caller stopped.
    assert emu.faults.request_counts()["counts"]["ListTrainingJobs"] == 2


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        ("ThrottlingException", Throttled, "throttled"),
        ("AccessDeniedException", AccessDenied, "access denied"),
        ("ExpiredTokenException", CredentialsExpired, "aws sso login"),
    ],
)
async def test_errors_are_translated_with_a_hint(
    emu: EmulatorServer, error: str, expected: type[Exception], words: str
) -> None:
    emu.faults.set([{"op": "ListEndpoints", "error": error, "status": 400}])
    client = SageMaker(Target(profile=None, endpoint_url=emu.url, static_credentials=("testing", "testing")))
    try:
        with pytest.raises(expected) as info:
            await client.call("ListEndpoints")
    finally:
        await client.close()
    assert words in str(info.value).lower()


async def test_missing_resource_is_not_found(sagemaker: SageMaker) -> None:
    with pytest.raises(NotFound):
        await sagemaker.call("DescribeTrainingJob", {"TrainingJobName": "nope"})


async def test_server_validation_is_a_validation_error(sagemaker: SageMaker) -> None:
    with pytest.raises(ValidationFailed, match="validation error"):
        await sagemaker.call("ListTrainingJobs", {"StatusEquals": "Exploded"})


@pytest.mark.parametrize(
    ("is_emulator", "words"),
    [(True, "ListMonitoringExecutions is not available in the emulator"), (False, "not known at this endpoint")],
)
async def test_an_operation_the_endpoint_lacks_is_unknown_not_empty(
    emu: EmulatorServer, is_emulator: bool, words: str
) -> None:
    target = Target(endpoint_url=emu.url, static_credentials=("testing", "testing"), emulator=is_emulator)
    client = SageMaker(target)
    emu.faults.clear_requests()
    try:
        with pytest.raises(UnknownOperation) as info:
            await client.call("ListMonitoringExecutions")
    finally:
        await client.close()
    assert words in info.value.message
    assert info.value.hint
    assert not info.value.retryable
    # One request reached the server: a 400 is final, so botocore did not retry it.
    assert emu.faults.request_counts()["counts"] == {"ListMonitoringExecutions": 1}


async def test_unreachable_endpoint(emu: EmulatorServer) -> None:
    client = SageMaker(Target(endpoint_url="http://127.0.0.1:9", static_credentials=("a", "b")))
    try:
        with pytest.raises(Unreachable, match="cannot reach"):
            await client.call("ListEndpoints")
    finally:
        await client.close()


async def test_read_only_refuses_mutations_before_they_leave(emu: EmulatorServer) -> None:
    client = SageMaker(Target(endpoint_url=emu.url, read_only=True, static_credentials=("testing", "testing")))
    emu.faults.clear_requests()
    try:
        with pytest.raises(ReadOnlyRefused, match="read-only"):
            await client.call("DeleteEndpoint", {"EndpointName": "prod"})
        with pytest.raises(ReadOnlyRefused):
            await client.call("CreateModel", {"ModelName": "m", "ExecutionRoleArn": "arn:aws:iam::1:role/r"})
        await client.call("ListEndpoints")  # reads still work
    finally:
        await client.close()
    counts = emu.faults.request_counts()
    assert counts["mutating"] == 0
    assert counts["counts"].get("ListEndpoints") == 1


def test_retry_configuration_is_explicit() -> None:
    assert RETRY_CONFIG == {"mode": "standard", "total_max_attempts": 3}
