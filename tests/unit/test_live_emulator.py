"""The live layer against the local emulator, through the real aiobotocore client over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from smtui.aws.client import RETRY_CONFIG, SageMaker, Target
from smtui.aws.errors import AccessDenied
from smtui.catalog import default_catalog
from smtui.catalog.types import FAILED_MEMBERS
from smtui.config import PollSettings
from smtui.emulator.server import EmulatorServer
from smtui.live.burning import EXECUTION_TYPE, FAILED_JOB_TYPES, MLFLOW_TYPES, gather_burning
from smtui.live.events import Failure, PollStatus, Update
from smtui.live.poller import Poller
from smtui.live.source import SageMakerSource, Watch
from tests.emulator.helpers import ROLE, make_endpoint

CATALOG = default_catalog()
SETTINGS = PollSettings(fast_seconds=3, slow_seconds=30, max_backoff_seconds=120)


@pytest.fixture
async def client(emu: EmulatorServer) -> AsyncIterator[SageMaker]:
    sagemaker = SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))
    try:
        yield sagemaker
    finally:
        await sagemaker.close()


class Seen:
    def __init__(self) -> None:
        self.updates: list[Update] = []
        self.failures: list[Failure] = []
        self.statuses: list[PollStatus] = []


def poller_for(client: SageMaker, seen: Seen, **source: Any) -> Poller:
    return Poller(
        SageMakerSource(client, **source),
        SETTINGS,
        on_result=seen.updates.append,
        on_failure=seen.failures.append,
        on_status=seen.statuses.append,
    )


async def _training_job(sm: Any, name: str) -> None:
    await sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"},
        ResourceConfig={"InstanceType": "ml.p5.48xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def _group(name: str, count: int) -> dict[str, Any]:
    return {
        "InstanceGroupName": name,
        "InstanceType": "ml.g5.8xlarge",
        "InstanceCount": count,
        "ExecutionRole": ROLE,
        "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-lifecycle/scripts/", "OnCreate": "on_create.sh"},
    }


async def test_endpoint_failure_is_detected_with_its_reason(sm: Any, emu: EmulatorServer, client: SageMaker) -> None:
    emu.set_pace("endpoint", {"progression": "manual", "times": 1000})
    await make_endpoint(sm, "ep")
    seen = Seen()
    poller = poller_for(client, seen)
    poller.watch(Watch.list_of(CATALOG.get("endpoints")))
    await poller.poll_once()
    assert seen.updates[0].records["ep"]["EndpointStatus"] == "Creating"
    assert poller.interval == SETTINGS.fast_seconds and seen.statuses[-1].text == "live · every 3s"
    emu.fail("ep", "CUDA out of memory while loading the model")
    await poller.poll_once()
    [failure] = seen.failures
    assert (failure.key, failure.status, failure.previous_status) == ("ep", "Failed", "Creating")
    assert failure.reason == "CUDA out of memory while loading the model"  # from DescribeEndpoint
    assert seen.updates[-1].diff.changed["ep"] >= {"EndpointStatus"}
    assert poller.interval == SETTINGS.slow_seconds


async def test_throttling_from_the_service_backs_off_then_recovers(emu: EmulatorServer, client: SageMaker) -> None:
    seen = Seen()
    poller = poller_for(client, seen)
    poller.watch(Watch.list_of(CATALOG.get("endpoints")))
    emu.faults.set([{"op": "ListEndpoints", "error": "ThrottlingException"}])
    await poller.poll_once()
    assert poller.state == "backoff"
    assert seen.statuses[-1].text.startswith("throttled · next poll in ")
    assert SETTINGS.fast_seconds <= poller.interval <= SETTINGS.max_backoff_seconds
    emu.faults.clear()
    await poller.poll_once()
    assert seen.statuses[-1].state == "live" and seen.statuses[-1].recovered
    assert seen.statuses[-1].text == "live · every 30s"


async def _eventually(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_navigating_during_a_throttle_backoff_sends_no_requests(emu: EmulatorServer, client: SageMaker) -> None:
    seen = Seen()
    poller = poller_for(client, seen)
    poller.watch(Watch.list_of(CATALOG.get("endpoints")))
    emu.faults.set([{"op": "*", "error": "ThrottlingException"}])  # every call, for the whole test
    emu.faults.clear_requests()

    def requests() -> int:
        return int(emu.faults.request_counts()["total"])

    poller.start()
    try:
        await _eventually(lambda: poller.state == "backoff", "the first poll to be throttled")
        first_poll = requests()  # one poll: botocore's own attempts, nothing more
        assert 1 <= first_poll <= RETRY_CONFIG["total_max_attempts"]
        due = poller.due
        assert due is not None and due - time.monotonic() > 1.5  # the floor is fast_seconds (3 s)
        for _ in range(10):  # ':' then Esc, ten times: the view hides and comes back
            poller.pause()
            await asyncio.sleep(0.05)
            poller.resume()
            await asyncio.sleep(0.05)
        assert time.monotonic() < due, "the window outlasted the backoff: the test proves nothing"
        assert requests() == first_poll, "navigation cut the backoff short"
        assert seen.statuses[-1].state == "backoff" and seen.statuses[-1].due == due
        poller.refresh_now()  # the user's r does go out at once
        await _eventually(lambda: requests() > first_poll, "the user's refresh", timeout=1.0)
    finally:
        await poller.stop()


async def test_list_walk_stops_at_the_page_cap(sm: Any, emu: EmulatorServer, client: SageMaker) -> None:
    for i in range(5):
        await make_endpoint(sm, f"ep{i}")
    seen = Seen()
    poller = poller_for(client, seen, page_size=2)
    capped = poller.watch(Watch.list_of(CATALOG.get("endpoints"), max_pages=2))
    await poller.poll_once()
    assert len(seen.updates[-1].records) == 4 and not seen.updates[-1].complete
    assert poller.calls == 2
    capped.max_pages = None  # the user scrolled to the end: watch everything
    await poller.poll_once()
    assert len(seen.updates[-1].records) == 5 and seen.updates[-1].complete
    assert poller.calls == 5
    assert emu.faults.request_counts()["counts"]["ListEndpoints"] == 5


async def test_cluster_rows_get_describe_only_columns_and_node_health(
    sm: Any, emu: EmulatorServer, client: SageMaker
) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 2), _group("b", 1)])
    seen = Seen()
    poller = poller_for(client, seen)
    poller.watch(Watch.list_of(CATALOG.get("clusters")))
    emu.faults.clear_requests()
    await poller.poll_once()
    groups = seen.updates[-1].records["c1"]["InstanceGroups"]
    assert [(g["CurrentCount"], g["TargetCount"]) for g in groups] == [(2, 2), (1, 1)]
    assert seen.updates[-1].records["c1"][FAILED_MEMBERS] == {"a": 0, "b": 0}
    # An InService cluster is counted again on every poll: its status never says a node failed.
    await poller.poll_once()
    assert seen.updates[-1].records["c1"]["InstanceGroups"] == groups
    counts = emu.faults.request_counts()
    assert counts["counts"] == {"ListClusters": 2, "DescribeCluster": 2, "ListClusterNodes": 2}
    assert counts["mutating"] == 0
    assert poller.calls == 6


async def test_what_is_burning(sm: Any, emu: EmulatorServer, client: SageMaker) -> None:
    await make_endpoint(sm, "healthy")
    await make_endpoint(sm, "broken")
    emu.fail("broken", "health check failed")
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 2)])
    nodes = (await sm.list_cluster_nodes(ClusterName="c1"))["ClusterNodeSummaries"]
    emu.fail(nodes[0]["InstanceId"], "GPU Xid 79")
    await _training_job(sm, "tj-ok")
    await _training_job(sm, "tj-bad")
    emu.fail("tj-bad", "AlgorithmError: loss is NaN")
    emu.faults.set([{"op": "ListInferenceComponents", "error": "AccessDeniedException"}])
    sections: list[str] = []

    report = await gather_burning(client, CATALOG, on_section=lambda name, items, error: sections.append(name))

    got = {(i.type_name, i.key): (i.status, i.reason) for i in report.items}
    assert got == {
        ("endpoints", "broken"): ("Failed", "health check failed"),
        ("cluster-nodes", nodes[0]["InstanceId"]): ("Failure", "GPU Xid 79"),
        ("training-jobs", "tj-bad"): ("Failed", "AlgorithmError: loss is NaN"),
    }
    assert isinstance(report.errors.pop("inference-components"), AccessDenied)
    assert report.errors == {}
    node = report.of_type("cluster-nodes")[0]
    assert node.list_params == {"ClusterName": "c1"} and node.health == "failed"
    assert all(i.when is not None for i in report.items)
    assert sorted(sections) == sorted(
        [
            "endpoints",
            "inference-components",
            "clusters",
            "cluster-nodes",
            EXECUTION_TYPE,
            *MLFLOW_TYPES,
            *FAILED_JOB_TYPES,
        ]
    )
    assert report.calls > 0

    later = await gather_burning(client, CATALOG, now=datetime.now(UTC) + timedelta(days=2))
    assert ("training-jobs", "tj-bad") not in {(i.type_name, i.key) for i in later.items}
    assert ("endpoints", "broken") in {(i.type_name, i.key) for i in later.items}  # still broken


async def test_burning_lists_the_pipeline_executions_that_failed_in_every_pipeline(
    emu: EmulatorServer, client: SageMaker
) -> None:
    # Finding: ':pe' showed three Failed runs (2h old) and ':burning' none of them.
    from smtui.emulator.seed import seed_demo

    seed_demo(emu)
    pipelines = {p["PipelineName"] for p in (await client.call("ListPipelines", {}))["PipelineSummaries"]}
    report = await gather_burning(client, CATALOG)
    runs = report.of_type(EXECUTION_TYPE)
    assert runs and all(run.health == "failed" for run in runs)
    # One per pipeline, named as the user knows them and under their pipeline.
    assert {run.list_params["PipelineName"] for run in runs} == pipelines
    assert all(run.name.endswith("-run-3") and run.key.startswith("arn:") for run in runs)
    assert EXECUTION_TYPE not in report.errors
    counts = emu.faults.request_counts()
    assert counts["mutating"] == 0
    assert counts["counts"]["ListPipelineExecutions"] == len(pipelines)
