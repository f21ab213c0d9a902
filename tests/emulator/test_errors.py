"""Refusals carry the error code each operation's model declares; wrong types are 400s.

Not found, duplicate and busy are answered with ResourceNotFound, ResourceInUse and
ConflictException where the operation declares them, else ValidationException, as
SageMaker does. A value of the wrong JSON type is a SerializationException (400, JSON).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from botocore import xform_name
from botocore.exceptions import ClientError

from smtui.aws.model import operation
from smtui.catalog import default_catalog
from smtui.emulator.ext.errors import declared_codes
from smtui.emulator.seed import add_cluster, seed_demo, state_of
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE, make_endpoint


def missing(value: str) -> str:
    """A name (or ARN) like ``value`` that fits the same pattern but names nothing."""
    if value.startswith("arn:"):
        head, _, tail = value.partition(":" + value.split(":")[5].split("/")[0] + "/")
        first, sep, rest = tail.partition("/")
        return f"{head}:{value.split(':')[5].split('/')[0]}/{first}zz{sep}{rest}"
    return value + "zz"


def code_of(err: pytest.ExceptionInfo[ClientError]) -> str:
    return str(err.value.response["Error"]["Code"])


def expected(op: str, code: str) -> str:
    """The code SageMaker answers ``op`` with for this refusal: declared, else ValidationException."""
    return code if code in declared_codes(op) else "ValidationException"


async def test_every_describe_of_a_missing_resource_answers_the_declared_code(sm: Any, emu: EmulatorServer) -> None:
    seed_demo(emu)
    catalog = default_catalog()
    checked: dict[str, str] = {}
    wrong: dict[str, str] = {}
    for rtype in catalog.all():
        shape = operation(rtype.list_op).input_shape
        request = dict(rtype.list_defaults)
        if rtype.parent is not None or (shape is not None and shape.required_members):
            continue  # children are covered below, through a real parent
        rows = (await getattr(sm, xform_name(rtype.list_op))(**request)).get(rtype.items_key, [])
        if not rows:
            continue  # not emulated yet: no family to hold a missing one
        params = rtype.describe_request(rows[0], request)
        params[next(reversed(params))] = missing(str(params[next(reversed(params))]))
        with pytest.raises(ClientError) as err:
            await getattr(sm, xform_name(rtype.describe_op))(**params)
        if "validation error detected" in err.value.response["Error"]["Message"]:
            continue  # the made-up name breaks the input's own pattern: refused before any lookup
        checked[rtype.describe_op] = code_of(err)
        if code_of(err) != expected(rtype.describe_op, "ResourceNotFound"):
            wrong[rtype.describe_op] = f"{code_of(err)}: {err.value.response['Error']['Message']}"
    assert not wrong, wrong
    assert len(checked) >= 20
    # Both branches of the rule are exercised by the demo's families.
    assert "ResourceNotFound" in checked.values() and "ValidationException" in checked.values()


@pytest.mark.parametrize(
    ("op", "params"),
    [
        ("describe_cluster", {}),
        ("list_cluster_nodes", {}),
        ("list_cluster_events", {}),
        ("delete_cluster", {}),
        (
            "update_cluster",
            {
                "InstanceGroups": [
                    {
                        "InstanceGroupName": "g",
                        "InstanceType": "ml.t3.medium",
                        "InstanceCount": 1,
                        "ExecutionRole": ROLE,
                        "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-x/", "OnCreate": "a.sh"},
                    }
                ]
            },
        ),
        ("update_cluster_software", {}),
        ("describe_cluster_node", {"NodeId": "i-0123456789abcdef0"}),
        ("batch_delete_cluster_nodes", {"NodeIds": ["i-0123456789abcdef0"]}),
        ("batch_reboot_cluster_nodes", {"NodeIds": ["i-0123456789abcdef0"]}),
        ("batch_replace_cluster_nodes", {"NodeIds": ["i-0123456789abcdef0"]}),
    ],
)
async def test_missing_cluster_is_resource_not_found(sm: Any, op: str, params: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as err:
        await getattr(sm, op)(ClusterName="nope", **params)
    assert code_of(err) == "ResourceNotFound"


async def test_cluster_by_arn_duplicate_and_busy(sm: Any, emu: EmulatorServer) -> None:
    cluster = add_cluster(state_of(emu), "hp", [("workers", "ml.g5.8xlarge", 1)])
    groups = [
        {
            "InstanceGroupName": "workers",
            "InstanceType": "ml.g5.8xlarge",
            "InstanceCount": 1,
            "ExecutionRole": ROLE,
            "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-x/", "OnCreate": "on_create.sh"},
        }
    ]
    with pytest.raises(ClientError) as err:
        await sm.create_cluster(ClusterName="hp", InstanceGroups=groups)
    assert code_of(err) == "ResourceInUse"
    # Addressed by its ARN as by its name.
    assert (await sm.describe_cluster(ClusterName=cluster.arn))["ClusterName"] == "hp"
    emu.set_pace("cluster", {"progression": "manual", "times": 5})
    await sm.update_cluster(ClusterName="hp", InstanceGroups=[{**groups[0], "InstanceCount": 2}])
    with pytest.raises(ClientError) as err:
        await sm.update_cluster(ClusterName="hp", InstanceGroups=groups)
    assert code_of(err) == "ConflictException"
    with pytest.raises(ClientError) as err:
        await sm.update_cluster_software(ClusterName=cluster.arn)
    assert code_of(err) == "ConflictException"


async def test_mlflow_update_while_busy_is_conflict(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("mlflow-tracking-server", {"progression": "manual", "times": 5})
    await sm.create_mlflow_tracking_server(TrackingServerName="ts", ArtifactStoreUri="s3://b/a", RoleArn=ROLE)
    with pytest.raises(ClientError) as err:
        await sm.update_mlflow_tracking_server(TrackingServerName="ts", TrackingServerSize="Medium")
    assert code_of(err) == "ConflictException"
    with pytest.raises(ClientError) as err:
        await sm.stop_mlflow_tracking_server(TrackingServerName="ts")
    assert code_of(err) == "ConflictException"
    emu.set_pace("mlflow-app", {"progression": "manual", "times": 5})
    arn = (await sm.create_mlflow_app(Name="app", ArtifactStoreUri="s3://b/a", RoleArn=ROLE))["Arn"]
    with pytest.raises(ClientError) as err:
        await sm.update_mlflow_app(Arn=arn, ModelRegistrationMode="AutoModelRegistrationDisabled")
    assert code_of(err) == "ConflictException"


async def test_duplicate_creates_are_refused_and_the_first_resource_is_kept(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    job = {
        "TrainingJobName": "job",
        "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://b/o"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 60},
    }
    await sm.create_training_job(**job)
    assert (await sm.describe_training_job(TrainingJobName="job"))["TrainingJobStatus"] == "Completed"
    emu.faults.clear_requests()
    with pytest.raises(ClientError) as err:
        await sm.create_training_job(**job)
    assert code_of(err) == "ResourceInUse"
    assert (await sm.describe_training_job(TrainingJobName="job"))["TrainingJobStatus"] == "Completed"
    with pytest.raises(ClientError) as err:
        await sm.create_endpoint(EndpointName="ep", EndpointConfigName="ep-config")
    assert code_of(err) == expected("CreateEndpoint", "ResourceInUse")
    assert "already existing endpoint" in str(err.value)
    variants = [{"VariantName": "v", "ModelName": "ep-model", "InstanceType": "ml.m5.large", "InitialInstanceCount": 9}]
    with pytest.raises(ClientError) as err:
        await sm.create_endpoint_config(EndpointConfigName="ep-config", ProductionVariants=variants)
    assert code_of(err) == expected("CreateEndpointConfig", "ResourceInUse")
    config = await sm.describe_endpoint_config(EndpointConfigName="ep-config")
    assert config["ProductionVariants"][0]["InitialInstanceCount"] == 1  # not overwritten
    with pytest.raises(ClientError) as err:
        await sm.create_model(ModelName="ep-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "other"})
    assert (await sm.describe_model(ModelName="ep-model"))["PrimaryContainer"]["Image"] == "img"
    # Refused at once: no retries reached the server.
    counts = emu.faults.request_counts()["counts"]
    assert counts["CreateTrainingJob"] == counts["CreateEndpoint"] == counts["CreateEndpointConfig"] == 1


# ---------------------------------------------------------------------------- type errors


@pytest.fixture
async def loose(emu: EmulatorServer, aio_session: Any) -> Any:
    """A client that sends what it is given: botocore's own type checks off."""
    config = AioConfig(parameter_validation=False, retries={"mode": "standard", "max_attempts": 3})
    async with aio_session.create_client(
        "sagemaker", endpoint_url=emu.url, region_name="us-east-1", config=config
    ) as client:
        yield client


@pytest.mark.parametrize(
    ("op", "params", "found"),
    [
        (
            "update_inference_component_runtime_config",
            {"InferenceComponentName": "ic", "DesiredRuntimeConfig": {"CopyCount": "two"}},
            "STRING_VALUE can not be converted to an Integer (at 'desiredRuntimeConfig.copyCount')",
        ),
        ("list_endpoints", {"MaxResults": "ten"}, "STRING_VALUE can not be converted to an Integer"),
        ("list_endpoints", {"NameContains": 5}, "NUMBER_VALUE can not be converted to a String"),
        ("create_endpoint", {"EndpointName": ["e"], "EndpointConfigName": "c"}, "START_ARRAY can not be converted"),
    ],
)
async def test_wrong_json_type_is_a_400_serialization_exception(
    loose: Any, emu: EmulatorServer, op: str, params: dict[str, Any], found: str
) -> None:
    with pytest.raises(ClientError) as err:
        await getattr(loose, op)(**params)
    assert code_of(err) == "SerializationException"
    assert found in err.value.response["Error"]["Message"]
    meta = err.value.response["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 400 and meta["RetryAttempts"] == 0
    assert emu.faults.request_counts()["total"] == 1  # one request, not a retried 500


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b"[1]", "not a JSON object"),
        (b"{not json", "not a JSON object"),
        (b'"text"', "not a JSON object"),
        # What botocore cannot send, another SDK (or a hand-written request) can.
        (b'{"CreationTimeAfter": "yesterday"}', "STRING_VALUE can not be converted to a Timestamp"),
        (b'{"MaxResults": {"n": 1}}', "START_OBJECT can not be converted to an Integer"),
    ],
)
def test_a_body_that_is_not_well_typed_json_is_a_json_400(emu: EmulatorServer, body: bytes, found: str) -> None:
    request = urllib.request.Request(
        emu.url + "/",
        data=body,
        headers={
            "X-Amz-Target": "SageMaker.ListEndpoints",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sagemaker/aws4_request, "
            "SignedHeaders=host, Signature=0",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 400
    assert err.value.headers["Content-Type"].startswith("application/x-amz-json")
    answer = json.loads(err.value.read())
    assert answer["__type"] == "SerializationException" and found in answer["message"]
