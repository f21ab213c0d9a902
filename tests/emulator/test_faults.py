"""Fault injection, request counting and the HTTP control API."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError

from smtui.emulator.server import EmulatorServer


def _http(emu: EmulatorServer, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{emu.url}{path}", data=data, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@pytest.fixture
async def sm1(emu: EmulatorServer, aio_session: Any) -> AsyncIterator[Any]:
    """A client that never retries, so each fault is seen as-is."""
    from aiobotocore.config import AioConfig

    config = AioConfig(retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=5)
    async with aio_session.create_client(
        "sagemaker", endpoint_url=emu.url, region_name="us-east-1", config=config
    ) as client:
        yield client


async def test_throttle_first_n_then_recover(sm1: Any, emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "ListTrainingJobs", "error": "ThrottlingException", "first": 2}])
    for _ in range(2):
        with pytest.raises(ClientError) as err:
            await sm1.list_training_jobs()
        assert err.value.response["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    await sm1.list_training_jobs()
    await sm1.list_endpoints()  # another operation is never affected
    outcomes = [(e["op"], e["outcome"]) for e in emu.faults.log]
    assert outcomes == [("ListTrainingJobs", "error:ThrottlingException")] * 2 + [
        ("ListTrainingJobs", "ok"),
        ("ListEndpoints", "ok"),
    ]


async def test_botocore_retries_a_throttle(sm: Any, emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "*", "error": "ThrottlingException", "first": 1}])
    result = await sm.list_endpoints()
    assert result["ResponseMetadata"]["RetryAttempts"] == 1


async def test_server_errors_every_k(sm1: Any, emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "ListClusters", "status": 503, "every": 2}])
    await sm1.list_clusters()
    with pytest.raises(ClientError) as err:
        await sm1.list_clusters()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert err.value.response["Error"]["Code"] == "ServiceUnavailable"
    await sm1.list_clusters()


@pytest.mark.parametrize("code", ["ExpiredTokenException", "AccessDeniedException"])
async def test_auth_errors(sm1: Any, emu: EmulatorServer, code: str) -> None:
    emu.faults.set([{"op": "*", "error": code}])
    with pytest.raises(ClientError) as err:
        await sm1.list_endpoints()
    assert err.value.response["Error"]["Code"] == code


async def test_latency_is_parallel(sm: Any, emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "ListEndpoints", "latency_ms": 300, "jitter_ms": 50}])
    start = time.monotonic()
    await asyncio.gather(*(sm.list_endpoints() for _ in range(5)))
    elapsed = time.monotonic() - start
    assert 0.3 <= elapsed < 1.2
    assert all(e["latency_ms"] >= 300 for e in emu.faults.log)


async def test_drop_closes_connection(sm1: Any, emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "DescribeEndpoint", "drop": True, "first": 1}])
    with pytest.raises(ConnectionClosedError):
        await sm1.describe_endpoint(EndpointName="x")
    with pytest.raises(ClientError, match="Could not find endpoint"):
        await sm1.describe_endpoint(EndpointName="x")


async def test_probability_is_seeded(emu: EmulatorServer) -> None:
    def run() -> list[bool]:
        emu.faults.set([{"op": "*", "error": "ThrottlingException", "probability": 0.5}], seed=42)
        rule = emu.faults.rules[0]
        return [rule.fires(emu.faults._rng) for _ in range(20)]

    first = run()
    assert first == run()
    assert 0 < sum(first) < 20


async def test_http_control_api(sm1: Any, emu: EmulatorServer) -> None:
    assert _http(emu, "POST", "/_faults", [{"op": "ListModels", "error": "ThrottlingException"}]) == {"rules": 1}
    with pytest.raises(ClientError):
        await sm1.list_models()
    log = _http(emu, "GET", "/_faults/log")
    assert log[0]["outcome"] == "error:ThrottlingException"
    _http(emu, "DELETE", "/_faults")
    await sm1.list_models()
    with pytest.raises(urllib.request.HTTPError) as err:
        _http(emu, "POST", "/_faults", [{"op": "*", "eror": "typo"}])
    assert err.value.code == 400


async def test_request_counts_prove_reads_only(sm1: Any, emu: EmulatorServer) -> None:
    _http(emu, "DELETE", "/_smtui/requests")
    await sm1.list_endpoints()
    await sm1.list_endpoints()
    await sm1.list_clusters()
    counts = _http(emu, "GET", "/_smtui/requests")
    assert counts == {"counts": {"ListEndpoints": 2, "ListClusters": 1}, "total": 3, "mutating": 0}
    await sm1.create_project(ProjectName="p1")
    assert _http(emu, "GET", "/_smtui/requests")["mutating"] == 1


async def test_fail_and_pace_over_http(sm1: Any, emu: EmulatorServer) -> None:
    await sm1.create_project(ProjectName="p1")
    assert _http(emu, "POST", "/_smtui/fail", {"name": "p1", "reason": "boom"})["kind"] == "project"
    assert (await sm1.describe_project(ProjectName="p1"))["ProjectStatus"] == "CreateFailed"
    with pytest.raises(urllib.request.HTTPError) as err:
        _http(emu, "POST", "/_smtui/fail", {"name": "nothing", "reason": "x"})
    assert err.value.code == 404
    _http(emu, "POST", "/_smtui/pace", {"model": "project", "transition": {"progression": "manual", "times": 9}})
    assert emu.transition("sagemaker::project") == {"progression": "manual", "times": 9}
    _http(emu, "POST", "/_smtui/reset")
    assert (await sm1.list_projects())["ProjectSummaryList"] == []
