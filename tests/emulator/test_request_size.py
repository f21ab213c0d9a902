"""A request over the body limit is refused whole (issue 10: "the emulator rejects requests over
the AWS size limits the way AWS does"), read and dropped without being kept, and smtui says
what to do about it."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import ValidationFailed
from smtui.emulator.faults import MAX_BODY
from smtui.emulator.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/sm"


def client(emu: EmulatorServer) -> object:
    return boto3.client(
        "sagemaker",
        region_name="us-east-1",
        endpoint_url=emu.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def names(sm: object) -> set[str]:
    return {m["ModelName"] for m in sm.list_models()["Models"]}  # type: ignore[attr-defined]


def test_a_body_over_the_limit_is_refused_with_413_and_nothing_is_created(emu: EmulatorServer) -> None:
    sm = client(emu)
    huge = {"Image": "x" * (MAX_BODY + 1)}
    with pytest.raises(ClientError) as refused:
        sm.create_model(ModelName="too-big", ExecutionRoleArn=ROLE, PrimaryContainer=huge)  # type: ignore[attr-defined]
    response = refused.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert f"HTTP content length exceeded {MAX_BODY} bytes" in response["Error"]["Message"]
    assert emu.faults.request_counts()["counts"]["CreateModel"] == 1  # one request, not retried
    assert names(sm) == set()
    # The refused body was drained: the same connection answers the next request.
    sm.create_model(ModelName="fits", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "registry/image:1"})  # type: ignore[attr-defined]
    assert names(sm) == {"fits"}


async def test_smtui_says_the_request_is_too_large_and_what_to_do(emu: EmulatorServer) -> None:
    sagemaker = SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))
    try:
        with pytest.raises(ValidationFailed) as refused:
            await sagemaker.call(
                "CreateModel",
                {"ModelName": "too-big", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": "x" * (MAX_BODY + 1)}},
            )
    finally:
        await sagemaker.close()
    assert "CreateModel is too large for SageMaker" in str(refused.value)
    assert "shorten the longest value" in refused.value.hint
    assert emu.faults.request_counts()["counts"]["CreateModel"] == 1
