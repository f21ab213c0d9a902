"""The server itself: binding, unknown operations, validation over HTTP, reset, pause/resume, moto contract."""

from __future__ import annotations

import inspect
import json
import socket
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from smtui.emulator.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


def test_binds_only_to_localhost(emu: EmulatorServer) -> None:
    assert emu.url.startswith("http://127.0.0.1:")
    assert emu._server.socket.getsockname()[0] == "127.0.0.1"
    with pytest.raises(ValueError):
        EmulatorServer(host="0.0.0.0")


def test_not_reachable_on_other_interfaces(emu: EmulatorServer) -> None:
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    for address in addresses - {"127.0.0.1"}:
        with pytest.raises(OSError), socket.create_connection((str(address), emu.port), timeout=0.5):
            pass


async def test_unimplemented_operation_is_unknown_operation_400_and_not_retried(sm: Any, emu: EmulatorServer) -> None:
    emu.faults.clear_requests()
    with pytest.raises(ClientError) as err:
        await sm.list_monitoring_executions()
    response = err.value.response
    assert response["Error"]["Code"] == "UnknownOperationException"
    assert "does not implement SageMaker ListMonitoringExecutions" in response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert emu.faults.request_counts()["counts"] == {"ListMonitoringExecutions": 1}


def test_unimplemented_list_never_answers_an_empty_page(emu: EmulatorServer) -> None:
    # An empty page would say "none in this account"; the body says the operation is unknown.
    request = urllib.request.Request(
        emu.url + "/",
        data=b"{}",
        headers={
            "X-Amz-Target": "SageMaker.ListAssociations",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/sagemaker/aws4_request, "
            "SignedHeaders=host, Signature=0",
        },
    )
    with pytest.raises(urllib.request.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 400
    assert err.value.headers["Content-Type"] == "application/x-amz-json-1.1"
    body = json.loads(err.value.read())
    assert body["__type"] == "UnknownOperationException"
    assert "AssociationSummaries" not in body


async def test_invalid_request_rejected_before_moto(sm: Any, emu: EmulatorServer) -> None:
    with pytest.raises(ClientError) as err:
        await sm.create_mlflow_tracking_server(
            TrackingServerName="bad_name!", ArtifactStoreUri="s3://b", RoleArn=ROLE, TrackingServerSize="Huge"
        )
    error = err.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith("2 validation errors detected: Value 'bad_name!' at 'trackingServerName'")
    assert emu.ext().store("mlflow-tracking-server") == {}


async def test_validation_applies_to_moto_operations_too(sm: Any) -> None:
    with pytest.raises(ClientError) as err:
        await sm.list_training_jobs(SortBy="Size")
    assert "Member must satisfy enum value set: [Name, CreationTime, Status]" in err.value.response["Error"]["Message"]


async def test_modern_instance_types_accepted(sm: Any) -> None:
    await sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    await sm.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1}
        ],
    )
    with pytest.raises(ClientError) as err:
        await sm.create_endpoint_config(
            EndpointConfigName="c2",
            ProductionVariants=[{"VariantName": "v", "ModelName": "m", "InstanceType": "ml.bogus.huge"}],
        )
    assert "enum value set" in err.value.response["Error"]["Message"]


async def test_reset_clears_everything(sm: Any, emu: EmulatorServer) -> None:
    from smtui.emulator.seed import seed_demo

    seed_demo(emu)
    emu.faults.set([{"op": "ListClusters", "error": "ThrottlingException"}])
    assert (await sm.list_inference_components())["InferenceComponents"]
    emu.reset()
    assert emu.faults.rules == []
    assert emu.faults.request_counts()["total"] == 0
    assert (await sm.list_inference_components())["InferenceComponents"] == []
    assert (await sm.list_endpoints())["Endpoints"] == []
    assert (await sm.list_clusters())["ClusterSummaries"] == []


async def test_moto_api_reset_over_http_clears_extension_state(sm: Any, emu: EmulatorServer) -> None:
    await sm.create_mlflow_tracking_server(TrackingServerName="t1", ArtifactStoreUri="s3://b/x", RoleArn=ROLE)
    urllib.request.urlopen(urllib.request.Request(f"{emu.url}/moto-api/reset", method="POST")).read()
    assert (await sm.list_mlflow_tracking_servers())["TrackingServerSummaries"] == []


async def test_pause_gives_connection_refused_then_resume(emu: EmulatorServer) -> None:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    config = AioConfig(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=1)
    async with get_session().create_client(
        "sagemaker", endpoint_url=emu.url, region_name="us-east-1", config=config
    ) as client:
        await client.list_endpoints()
        port = emu.port
        emu.pause()
        with pytest.raises(EndpointConnectionError):
            await client.list_endpoints()
        emu.resume()
        assert emu.port == port
        assert (await client.list_endpoints())["Endpoints"] == []


def test_pace_over_http(emu: EmulatorServer) -> None:
    body = json.dumps({"model_name": "sagemaker::endpoint", "transition": {"progression": "manual", "times": 3}})
    request = urllib.request.Request(
        f"{emu.url}/moto-api/state-manager/set-transition", data=body.encode(), method="POST"
    )
    urllib.request.urlopen(request).read()
    assert emu.transition("endpoint") == {"progression": "manual", "times": 3}
    emu.reset()
    assert emu.transition("endpoint") == {"progression": "immediate"}


def test_moto_internals_we_rely_on_exist() -> None:
    """A moto upgrade that moves any of these must fail here, loudly."""
    import moto.backends
    import moto.core.responses
    import moto.core.utils
    from moto.core.responses import ActionResult, BaseResponse, EmptyResult
    from moto.moto_api import state_manager
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from moto.sagemaker import urls
    from moto.sagemaker.models import Cluster, ClusterNode, FakeEndpointConfig, FakeTrainingJob
    from moto.sagemaker.responses import SageMakerResponse

    assert "{0}/$" in urls.url_paths
    assert callable(BaseResponse.call_action) and callable(SageMakerResponse.serialized)
    for thing in (
        ActionResult,
        EmptyResult,
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    ):
        assert callable(thing)
    assert callable(moto.backends.list_of_moto_modules)
    assert callable(moto.core.utils.method_names_from_class)
    assert hasattr(moto.core.responses, "method_names_from_class")
    for name in ("register_default_transition", "set_transition", "get_transition", "unset_transition"):
        assert hasattr(state_manager, name)
    assert hasattr(FakeEndpointConfig, "validate_instance_type")
    assert hasattr(Cluster, "valid_cluster_node_instance_types")
    node_params = set(inspect.signature(ClusterNode).parameters)
    assert {
        "cluster_name",
        "instance_group_name",
        "instance_type",
        "node_id",
        "threads_per_core",
    } <= node_params
    for attr in (
        "training_job_status",
        "secondary_status",
        "secondary_status_transitions",
        "training_end_time",
    ):
        assert attr in FakeTrainingJob.__init__.__code__.co_names
    from moto.sagemaker.models import sagemaker_backends

    backend = sagemaker_backends["123456789012"]["us-east-1"]
    for attr in (
        "endpoints",
        "endpoint_configs",
        "_models",
        "training_jobs",
        "processing_jobs",
        "transform_jobs",
        "clusters",
        "domains",
        "hyper_parameter_tuning_jobs",
    ):
        assert isinstance(getattr(backend, attr), dict), attr
