"""CloudWatch Logs in the emulator: moto's own backend on the same port, term filter patterns
read as CloudWatch reads them, Logs requests counted and faultable, and the demo's logs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.logs_seed import OOM_JOB, TRAINING, XID_79, LogWriter, write
from smtui.emulator.seed import seed_demo, state_of
from smtui.emulator.server import EmulatorServer


@pytest.fixture
async def logs(emu: EmulatorServer, aio_session: Any) -> AsyncIterator[Any]:
    """A real aiobotocore ``logs`` client pointed at the emulator (no retries)."""
    from aiobotocore.config import AioConfig

    config = AioConfig(retries={"mode": "standard", "total_max_attempts": 1})
    async with aio_session.create_client(
        "logs", region_name="us-east-1", endpoint_url=emu.url, config=config
    ) as client:
        yield client


async def messages(logs: Any, pattern: str) -> list[str]:
    page = await logs.filter_log_events(logGroupName="/g", filterPattern=pattern)
    return [e["message"] for e in page["events"]]


async def test_logs_answer_on_the_same_port_with_term_patterns(emu: EmulatorServer, logs: Any) -> None:
    now = int(time.time() * 1000)
    lines = ["ERROR disk full", "ERROR GET /ping", "INFO GET /ping", "WARN slow", 'say "hi" there']
    write(state_of(emu), "/g", "s", [(now + i, m) for i, m in enumerate(lines)])
    assert await messages(logs, '-"/ping"') == ["ERROR disk full", "WARN slow", 'say "hi" there']
    assert await messages(logs, '"ERROR" -"/ping"') == ["ERROR disk full"]
    assert await messages(logs, "ERROR") == ["ERROR disk full", "ERROR GET /ping"]
    assert await messages(logs, "?WARN ?INFO") == ["INFO GET /ping", "WARN slow"]
    assert await messages(logs, '"say \\"hi\\""') == ['say "hi" there']
    assert len(await messages(logs, "{ $.level = 1 }")) == 5  # JSON patterns stay moto's: match all
    counts = emu.faults.request_counts()
    assert counts["counts"]["FilterLogEvents"] == 6 and counts["mutating"] == 0
    assert emu.faults.bodies["FilterLogEvents"][0]["filterPattern"] == '-"/ping"'


async def test_logs_requests_take_fault_rules(emu: EmulatorServer, logs: Any) -> None:
    emu.faults.set([{"op": "DescribeLogStreams", "error": "AccessDeniedException"}])
    with pytest.raises(ClientError) as info:
        await logs.describe_log_streams(logGroupName="/g")
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"
    assert emu.faults.log[-1]["outcome"] == "error:AccessDeniedException"


async def test_the_demo_seeds_logs_for_every_job_endpoint_component_and_node(emu: EmulatorServer) -> None:
    from moto.logs.models import logs_backends

    seed_demo(emu)
    state = state_of(emu)
    groups = logs_backends[state.account_id][state.region].groups
    streams = groups[TRAINING].streams
    for job in state.backend.training_jobs:
        starting = state.backend.training_jobs[job].secondary_status == "Starting"
        assert starting or any(s.startswith(f"{job}/algo-1-") for s in streams), job
    for endpoint in state.backend.endpoints:
        assert groups[f"/aws/sagemaker/Endpoints/{endpoint}"].streams, endpoint
    for ic in state.store("inference-component"):
        assert groups[f"/aws/sagemaker/InferenceComponents/{ic}"].streams, ic
    for cluster in state.backend.clusters.values():
        group = groups[f"/aws/sagemaker/Clusters/{cluster.cluster_name}/{cluster.arn.rsplit('/', 1)[-1]}"]
        for node in cluster.nodes.values():
            assert f"LifecycleConfig/{node.instance_group_name}/{node.instance_id}" in group.streams
    oom = next(s for name, s in streams.items() if name.startswith(f"{OOM_JOB}/"))
    assert any("CUDA out of memory" in e.message for e in oom.events)
    every = [e.message for g in groups.values() for s in g.streams.values() for e in s.events]
    assert any(m == XID_79 for m in every) and any("/ping" in m for m in every)


async def test_the_writer_keeps_running_resources_writing(emu: EmulatorServer) -> None:
    seed_demo(emu)
    state = state_of(emu)
    writer = LogWriter(state)
    first, second = writer.tick(), writer.tick()
    assert first > 0 and second > 0
    from moto.logs.models import logs_backends

    groups = logs_backends[state.account_id][state.region].groups
    running = next(j for j in state.backend.training_jobs.values() if j.secondary_status == "Training")
    stream = next(s for n, s in groups[TRAINING].streams.items() if n.startswith(f"{running.training_job_name}/"))
    losses = [float(e.message.split("'loss': ")[1].split(",")[0]) for e in stream.events if "'loss'" in e.message]
    assert losses[-1] < losses[0], "the training loss falls"
    serving = next(
        n for n, ic in state.store("inference-component").items() if ic["InferenceComponentStatus"] == "InService"
    )
    assert any(
        "request served" in e.message
        for s in groups[f"/aws/sagemaker/InferenceComponents/{serving}"].streams.values()
        for e in s.events
    )
