"""No silent double sends: each write's requests are counted at the emulator.

A create whose answer is lost must reach the server once, and the outcome must say what
actually happened; a throttle is retried, and says so; errors are worded by what became of
the request. The waits between sends are the only thing replaced (the fake ``sleep``), so
these run in seconds; every request goes over HTTP to the emulator.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest
from botocore.exceptions import ConnectionClosedError

from smtui.aws.client import SageMaker
from smtui.aws.errors import translate
from smtui.aws.target import Target
from smtui.catalog import default_catalog
from smtui.emulator.server import EmulatorServer
from smtui.service import Service
from smtui.service.actions import ATTEMPTS, submit, token_member, with_token

CATALOG = default_catalog()
ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
OP = "CreateMlflowTrackingServer"
SERVER = {"TrackingServerName": "mlflow-1", "ArtifactStoreUri": "s3://bucket/mlflow", "RoleArn": ROLE}
SERVERS = CATALOG.get("mlflow-tracking-servers")


def target(emu: EmulatorServer) -> Target:
    return Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))


@pytest.fixture
async def sm(emu: EmulatorServer) -> AsyncIterator[SageMaker]:
    client = SageMaker(target(emu), read_timeout=1.0)
    try:
        yield client
    finally:
        await client.close()


class Clock:
    """Records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def sent(emu: EmulatorServer, op: str = OP) -> int:
    return int(emu.faults.request_counts()["counts"].get(op, 0))


async def test_a_create_whose_answer_times_out_is_sent_once_and_then_checked(
    emu: EmulatorServer, sm: SageMaker
) -> None:
    emu.faults.set([{"op": OP, "latency_ms": 1500}])  # past the 1 s read timeout
    said: list[str] = []
    outcome = await submit(sm, OP, SERVER, "mlflow-1", rtype=SERVERS, progress=said.append)
    emu.faults.clear()
    assert sent(emu) == 1
    assert emu.faults.request_counts()["mutating"] == 1
    assert outcome.state == "unknown" and not outcome.ok and outcome.sends == 1
    assert outcome.message.startswith(f"not known whether {OP} was applied")
    assert "it exists" in outcome.message and "do not resubmit" in outcome.message
    assert said == [f"not known whether {OP} was applied: checking…"]
    assert "SageMaker refused" not in outcome.message


async def test_a_dropped_create_that_never_ran_says_it_was_not_applied(emu: EmulatorServer, sm: SageMaker) -> None:
    emu.faults.set([{"op": OP, "drop": True}])
    clock = Clock()
    outcome = await submit(sm, OP, SERVER, rtype=SERVERS, sleep=clock.sleep)
    emu.faults.clear()
    assert sent(emu) == 1  # no token: never resent
    assert outcome.state == "unknown"
    assert "connection dropped" in outcome.message and "does not exist (not applied)" in outcome.message
    assert sent(emu, "DescribeMlflowTrackingServer") == 2  # looked twice, a wait apart
    assert len(clock.waits) == 1


async def test_a_throttled_create_is_retried_and_says_so(emu: EmulatorServer, sm: SageMaker) -> None:
    emu.faults.set([{"op": OP, "error": "ThrottlingException", "status": 400, "first": 2}])
    clock, said = Clock(), list[str]()
    outcome = await submit(sm, OP, SERVER, sleep=clock.sleep, progress=said.append, rng=random.Random(1))
    emu.faults.clear()
    assert outcome.ok and outcome.sends == 3 and sent(emu) == 3
    assert len(said) == 2 and all("throttled; retrying in" in line for line in said)
    assert "send 2 of 3" in said[0] and "send 3 of 3" in said[1]
    assert all(1.0 <= wait <= 8.0 for wait in clock.waits) and len(clock.waits) == 2


async def test_a_throttle_that_never_clears_stops_and_says_it_was_not_applied(
    emu: EmulatorServer, sm: SageMaker
) -> None:
    emu.faults.set([{"op": OP, "error": "ThrottlingException", "status": 400}])
    outcome = await submit(sm, OP, SERVER, sleep=Clock().sleep)
    emu.faults.clear()
    assert sent(emu) == ATTEMPTS and outcome.state == "refused"
    assert "throttled after 3 sends; it was not applied" in outcome.message
    assert "backs off and retries by itself" not in outcome.message


async def test_sagemaker_refused_only_when_sagemaker_refused(emu: EmulatorServer, sm: SageMaker) -> None:
    assert (await submit(sm, OP, SERVER)).ok
    again = await submit(sm, OP, SERVER)
    assert again.state == "refused" and again.message.startswith(f"SageMaker refused {OP}")
    nowhere = SageMaker(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9", static_credentials=("t", "t")))
    try:
        lost = await submit(nowhere, OP, SERVER)
    finally:
        await nowhere.close()
    assert lost.state == "not-sent" and lost.message.startswith(f"{OP} not sent: cannot reach SageMaker")


async def test_a_write_with_an_idempotency_token_is_resent_with_the_same_token(emu: EmulatorServer) -> None:
    """StartPipelineExecution carries ClientRequestToken: a lost answer may be resent safely."""
    assert token_member("StartPipelineExecution") == "ClientRequestToken"
    assert token_member(OP) is None
    first = with_token("StartPipelineExecution", {"PipelineName": "p"})
    assert len(first["ClientRequestToken"]) == 36
    kept = with_token("StartPipelineExecution", {"PipelineName": "p", "ClientRequestToken": "mine-123"})
    assert kept["ClientRequestToken"] == "mine-123"


def test_a_dropped_connection_is_worded_and_its_fate_unknown() -> None:
    error = translate(ConnectionClosedError(endpoint_url="https://x"), operation=OP)
    assert error.kind == "unreachable" and error.delivery == "unknown"
    assert error.message == "the connection dropped before SageMaker answered" and error.hint


async def test_reads_still_retry_but_writes_never_do(emu: EmulatorServer, sm: SageMaker) -> None:
    emu.faults.set([{"op": "ListMlflowTrackingServers", "status": 503, "first": 1}])
    await sm.call("ListMlflowTrackingServers")  # botocore's read retry absorbs one 503
    assert sent(emu, "ListMlflowTrackingServers") == 2
    emu.faults.set([{"op": OP, "status": 503, "first": 1}])
    outcome = await submit(sm, OP, SERVER, rtype=SERVERS, sleep=Clock().sleep)
    emu.faults.clear()
    assert sent(emu) == 1 and outcome.state == "unknown"


async def test_the_service_submits_under_the_same_policy(emu: EmulatorServer) -> None:
    service = Service(target(emu), catalog=CATALOG, read_timeout=1.0)
    emu.faults.set([{"op": OP, "latency_ms": 1500}])
    said: list[str] = []
    try:
        outcome = await service.submit(OP, SERVER, "mlflow-1", rtype=SERVERS, progress=said.append)
    finally:
        emu.faults.clear()
        await service.close()
    assert sent(emu) == 1 and outcome.state == "unknown" and "it exists" in outcome.message
