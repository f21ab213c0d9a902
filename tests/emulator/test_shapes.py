"""Every answer of the demo account fits its botocore output shape.

The walk is driven by the catalogue, so a type added to it (or given data in the demo) is
covered without touching this file: every type's List* (children through each of their
parents, a required enum input through each of its values) and the Describe* of every row.
A type that lists nothing is reported, not failed: it has nothing to check yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from smtui.aws.model import operation
from smtui.aws.validation import Problem, aws_path, validate_output
from smtui.catalog import ResourceType, default_catalog
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer

MAX_PARENTS = 10
MAX_ROWS = 50


def shape_problems(op: str, response: dict[str, Any]) -> list[str]:
    """Each way ``response`` breaks the output shape of ``op``, in AWS's wording."""
    shape = operation(op).output_shape
    if shape is None:
        return []
    return [f"{op}: {p.aws_text()}" for p in validate_output(response, shape)]


async def call(sm: Any, op: str, params: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = await getattr(sm, xform_name(op))(**params)
    return response


class Walk:
    """Lists and describes every type once, remembering rows for the children's parents."""

    def __init__(self, sm: Any) -> None:
        self.sm = sm
        self.catalog = default_catalog()
        self.rows: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        self.problems: list[str] = []
        self.errors: list[str] = []
        self.calls = 0

    def requests(self, rtype: ResourceType) -> list[dict[str, Any]]:
        """The List* requests that reach every row of a type."""
        base: list[dict[str, Any]] = [dict(rtype.list_defaults)]
        if rtype.parent is not None:
            parent = self.catalog.get(rtype.parent.type_name)
            base = [
                {**dict(rtype.list_defaults), **rtype.parent.list_request(row)} for row, _ in self.rows[parent.name]
            ][:MAX_PARENTS]
        shape = operation(rtype.list_op).input_shape
        for name in rtype.required_inputs:
            if rtype.parent is not None and name in dict(rtype.parent.params):
                continue
            values = list(shape.members[name].enum) if shape is not None else []
            base = [{**req, name: value} for req in base for value in values]
        return base

    async def list_type(self, rtype: ResourceType) -> None:
        if rtype.name in self.rows:
            return
        if rtype.parent is not None:
            await self.list_type(self.catalog.get(rtype.parent.type_name))
        rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for request in self.requests(rtype):
            try:
                response = await call(self.sm, rtype.list_op, request)
            except ClientError as exc:
                self.errors.append(f"{rtype.list_op}({request}): {exc}")
                continue
            self.calls += 1
            self.problems += shape_problems(rtype.list_op, response)
            rows += [(row, request) for row in response.get(rtype.items_key, [])]
        self.rows[rtype.name] = rows

    async def describe_rows(self, rtype: ResourceType) -> None:
        for row, request in self.rows[rtype.name][:MAX_ROWS]:
            params = rtype.describe_request(row, request)
            try:
                response = await call(self.sm, rtype.describe_op, params)
            except ClientError as exc:
                self.errors.append(f"{rtype.describe_op}({params}): {exc}")
                continue
            self.calls += 1
            self.problems += shape_problems(rtype.describe_op, response)


async def test_every_list_and_describe_of_the_demo_fits_its_output_shape(sm: Any, emu: EmulatorServer) -> None:
    seed_demo(emu)
    walk = Walk(sm)
    for rtype in walk.catalog.all():
        await walk.list_type(rtype)
    listed = [t for t in walk.catalog.all() if walk.rows[t.name]]
    for rtype in listed:
        await walk.describe_rows(rtype)
    empty = sorted(t.name for t in walk.catalog.all() if not walk.rows[t.name])
    print(
        f"\nshape walk: {len(walk.catalog.all())} types, {len(listed)} with rows, {walk.calls} answers checked; "
        f"{len(empty)} list nothing yet (skipped): {', '.join(empty)}"
    )
    assert not walk.errors, "\n".join(walk.errors)
    assert not walk.problems, "\n".join(walk.problems[:40])
    # The walk checks what the demo holds: if it found (nearly) nothing, it proved nothing.
    assert len(listed) >= 30 and walk.calls > 150


def test_output_validation_flags_what_the_walk_relies_on() -> None:
    shape = operation("DescribeEndpoint").output_shape
    good = {
        "EndpointName": "ep",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
        "EndpointStatus": "InService",
        "CreationTime": dt.datetime.now(dt.UTC),
        "LastModifiedTime": dt.datetime.now(dt.UTC),
    }
    assert validate_output(good, shape) == []
    bad: dict[str, Any] = {
        **good,
        "EndpointStatus": "Warning",
        "CreationTime": "yesterday",
        "DataCaptureConfig": {},
        "ProductionVariants": [{"VariantName": "v", "CurrentInstanceCount": "two"}],
    }
    problems: list[Problem] = validate_output(bad, shape)
    found = {(aws_path(p.path), p.kind) for p in problems}
    assert ("endpointStatus", "enum") in found
    assert ("creationTime", "type") in found  # a string is not a parsed timestamp
    assert ("dataCaptureConfig.enableCapture", "required") in found
    assert ("productionVariants.1.member.currentInstanceCount", "type") in found


@pytest.mark.parametrize("op", ["ListTrainingJobs", "DescribeCluster"])
def test_response_metadata_is_not_part_of_the_shape(op: str) -> None:
    shape = operation(op).output_shape
    problems = validate_output({"ResponseMetadata": {"HTTPStatusCode": 200}}, shape)
    assert all(p.kind == "required" for p in problems) and problems


ROLE_ARN = "arn:aws:iam::123456789012:role/sagemaker"


async def test_an_online_only_feature_group_is_created_and_described_in_shape(sm: Any) -> None:
    # Finding: CreateFeatureGroup without an OfflineStoreConfig (optional in the model)
    # answered an HTML 500 from inside moto, retried four times by botocore.
    await sm.create_feature_group(
        FeatureGroupName="clicks",
        RecordIdentifierFeatureName="id",
        EventTimeFeatureName="t",
        FeatureDefinitions=[
            {"FeatureName": "id", "FeatureType": "String"},
            {"FeatureName": "t", "FeatureType": "String"},
        ],
        OnlineStoreConfig={"EnableOnlineStore": True},
        RoleArn=ROLE_ARN,
    )
    body = await call(sm, "DescribeFeatureGroup", {"FeatureGroupName": "clicks"})
    assert body["OnlineStoreConfig"] == {"EnableOnlineStore": True}
    assert "OfflineStoreConfig" not in body
    assert shape_problems("DescribeFeatureGroup", body) == []


async def test_an_automl_v2_job_without_problem_type_is_created_and_described_in_shape(sm: Any) -> None:
    # Finding: CreateAutoMLJobV2 without the optional ProblemType and CompletionCriteria
    # answered an HTML 500 from inside moto.
    await sm.create_auto_ml_job_v2(
        AutoMLJobName="churn",
        AutoMLJobInputDataConfig=[
            {
                "ChannelType": "training",
                "ContentType": "text/csv;header=present",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/in"}},
            }
        ],
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"},
        AutoMLProblemTypeConfig={"TabularJobConfig": {"TargetAttributeName": "churned"}},
        RoleArn=ROLE_ARN,
    )
    body = await call(sm, "DescribeAutoMLJobV2", {"AutoMLJobName": "churn"})
    # What was sent comes back: nothing the emulator filled in for moto's sake.
    assert body["AutoMLProblemTypeConfig"] == {"TabularJobConfig": {"TargetAttributeName": "churned"}}
    assert body["AutoMLJobStatus"]
    # No invented best candidate of "string" placeholders either.
    assert shape_problems("DescribeAutoMLJobV2", body) == []
