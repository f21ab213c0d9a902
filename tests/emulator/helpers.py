"""Small helpers shared by the emulator tests."""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


async def make_endpoint(sm: Any, name: str = "ep", instance_type: str = "ml.g5.12xlarge") -> None:
    """Model + endpoint config + endpoint through the real client."""
    await sm.create_model(ModelName=f"{name}-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    await sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-model",
                "InstanceType": instance_type,
                "InitialInstanceCount": 1,
            }
        ],
    )
    await sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


async def make_ic(sm: Any, name: str, endpoint: str = "ep", copies: int = 1, tags: list[Any] | None = None) -> None:
    """An inference component on ``endpoint``."""
    await sm.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        Specification={
            "ModelName": f"{endpoint}-model",
            "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024},
        },
        RuntimeConfig={"CopyCount": copies},
        Tags=tags or [],
    )


async def paginate(sm: Any, op: str, key: str, **params: Any) -> list[list[Any]]:
    """Pages (lists of items) from aiobotocore's real paginator."""
    pages = []
    async for page in sm.get_paginator(op).paginate(**params):
        pages.append(page[key])
    return pages
