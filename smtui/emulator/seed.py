"""Seed the emulator in process (fast: no HTTP, no validation) for tests, benchmarks and --demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.moto_api import state_manager

from smtui.emulator import lifecycle
from smtui.emulator.ext.clusters import create_cluster as _create_cluster
from smtui.emulator.ext.clusters import set_node_status
from smtui.emulator.ext.inference import create_ic
from smtui.emulator.ext.jobs import set_training_status
from smtui.emulator.ext.state import ExtState, ext

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
SERVE_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124"
BUCKET = "s3://sagemaker-us-east-1-123456789012"


def state_of(target: Any) -> ExtState:
    """Accept an EmulatorServer, a moto SageMaker backend or an ExtState."""
    if isinstance(target, ExtState):
        return target
    if hasattr(target, "faults") and hasattr(target, "backend"):
        return ext(target.backend())
    return ext(target)


@contextmanager
def settled() -> Iterator[None]:
    """Run seeding with immediate pacing, so created resources land in their final state."""
    saved = {m: state_manager.get_transition(m) for m in lifecycle.MODELS.values()}
    lifecycle.set_pace("*", lifecycle.IMMEDIATE)
    try:
        yield
    finally:
        for model, transition in saved.items():
            state_manager.set_transition(model, transition)


def _ago(minutes: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)


def add_training_job(
    state: ExtState,
    name: str,
    *,
    instance_type: str = "ml.g5.2xlarge",
    count: int = 1,
    created_minutes_ago: float = 60.0,
    status: str = "Completed",
    reason: str | None = None,
    tags: list[dict[str, str]] | None = None,
) -> Any:
    """Create one training job directly in moto's backend, in a chosen secondary status."""
    job = state.backend.create_training_job(
        training_job_name=name,
        hyper_parameters={"epochs": "3", "learning_rate": "2e-5", "per_device_train_batch_size": "8"},
        algorithm_specification={"TrainingImage": IMAGE, "TrainingInputMode": "FastFile"},
        role_arn=ROLE,
        input_data_config=[
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"{BUCKET}/datasets/{name}/train/"}},
            }
        ],
        output_data_config={"S3OutputPath": f"{BUCKET}/output"},
        resource_config={"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 100},
        vpc_config=None,
        stopping_condition={"MaxRuntimeInSeconds": 86400},
        tags=tags or [],
        enable_network_isolation=False,
        enable_inter_container_traffic_encryption=False,
        enable_managed_spot_training=False,
        checkpoint_config=None,
        debug_hook_config=None,
        debug_rule_configurations=None,
        tensor_board_output_config=None,
        experiment_config=None,
    )
    created = _ago(created_minutes_ago)
    job.creation_time = job.training_start_time = created
    if status != "Completed" or reason:
        set_training_status(job, status, reason, fresh=True)
    else:
        job.secondary_status_transitions = [
            {"Status": s, "StartTime": created, "EndTime": created, "StatusMessage": m}
            for s, m in (
                ("Starting", "Preparing the instances for training"),
                ("Downloading", "Downloading input data"),
                ("Training", "Training in progress"),
                ("Uploading", "Uploading generated training model"),
                ("Completed", "Training job completed"),
            )
        ]
    if job.training_job_status in ("Completed", "Failed", "Stopped"):
        job.training_end_time = job.last_modified_time = created + dt.timedelta(minutes=min(45, created_minutes_ago))
    else:
        job.last_modified_time = _ago(1)
    return job


def seed_training_jobs(target: Any, n: int, prefix: str = "job") -> list[str]:
    """``n`` completed training jobs named ``{prefix}-00000…``, one minute apart (newest last)."""
    state = state_of(target)
    names = []
    width = max(5, len(str(n)))
    for i in range(n):
        name = f"{prefix}-{i:0{width}d}"
        add_training_job(state, name, created_minutes_ago=float(n - i))
        names.append(name)
    return names


def add_model(state: ExtState, name: str, image: str = SERVE_IMAGE) -> None:
    """A model with one container."""
    state.backend.create_model(
        model_name=name,
        execution_role_arn=ROLE,
        primary_container={"Image": image, "ModelDataUrl": f"{BUCKET}/models/{name}/model.tar.gz"},
        vpc_config=None,
        containers=None,
        tags=[],
    )


def add_endpoint(
    state: ExtState,
    name: str,
    model: str,
    *,
    instance_type: str = "ml.g5.12xlarge",
    count: int = 1,
    status: str = "InService",
    reason: str | None = None,
) -> Any:
    """An endpoint config plus endpoint, created directly in moto's backend."""
    config = f"{name}-config"
    add_endpoint_config(state, config, model, instance_type=instance_type, count=count)
    endpoint = state.backend.create_endpoint(endpoint_name=name, endpoint_config_name=config, tags=[])
    endpoint.endpoint_status = status
    endpoint.failure_reason = reason
    return endpoint


def add_endpoint_config(
    state: ExtState, config: str, model: str, *, instance_type: str = "ml.g5.12xlarge", count: int = 1
) -> None:
    """An endpoint config of one variant serving ``model`` (created if missing)."""
    if model not in state.backend._models:
        add_model(state, model)
    state.backend.create_endpoint_config(
        endpoint_config_name=config,
        production_variants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InstanceType": instance_type,
                "InitialInstanceCount": count,
                "InitialVariantWeight": 1.0,
            }
        ],
        data_capture_config=None,
        async_inference_config=None,
        tags=[],
        kms_key_id=None,
    )


def seed_models(target: Any, n: int, prefix: str = "model") -> list[str]:
    """``n`` models named ``{prefix}-00000…``, one minute apart (newest last)."""
    state = state_of(target)
    width = max(5, len(str(n)))
    names = [f"{prefix}-{i:0{width}d}" for i in range(n)]
    for i, name in enumerate(names):
        add_model(state, name)
        state.backend._models[name].creation_time = _ago(float(n - i))
    return names


def seed_endpoints(target: Any, n: int, prefix: str = "ep") -> list[str]:
    """``n`` InService endpoints named ``{prefix}-00000…`` on one endpoint config, one minute
    apart (newest last)."""
    state = state_of(target)
    config = f"{prefix}-config"
    if config not in state.backend.endpoint_configs:
        add_endpoint_config(state, config, f"{prefix}-model")
    width = max(5, len(str(n)))
    names = [f"{prefix}-{i:0{width}d}" for i in range(n)]
    for i, name in enumerate(names):
        endpoint = state.backend.create_endpoint(endpoint_name=name, endpoint_config_name=config, tags=[])
        endpoint.creation_time = endpoint.last_modified_time = _ago(float(n - i))
    return names


def seed_inference_components(target: Any, n: int, endpoint: str = "bench-endpoint", prefix: str = "ic") -> list[str]:
    """``n`` InService inference components on ``endpoint`` (created if missing)."""
    state = state_of(target)
    if endpoint not in state.backend.endpoints:
        add_endpoint(state, endpoint, f"{endpoint}-model")
    names = []
    with settled():
        for i in range(n):
            name = f"{prefix}-{i:04d}"
            create_ic(state, name, endpoint, spec=_ic_spec(f"{endpoint}-model"), copies=1)
            names.append(name)
        state.sync()
    return names


def _ic_spec(model: str, memory: int = 16384, gpus: float = 1) -> dict[str, Any]:
    return {
        "ModelName": model,
        "ComputeResourceRequirements": {
            "NumberOfAcceleratorDevicesRequired": gpus,
            "MinMemoryRequiredInMb": memory,
            "NumberOfCpuCoresRequired": 2,
        },
    }


def add_cluster(
    state: ExtState, name: str, groups: list[tuple[str, str, int]], *, orchestrator: str | None = None
) -> Any:
    """A HyperPod cluster, settled InService with Running nodes."""
    specs = [
        {
            "InstanceGroupName": group,
            "InstanceType": itype,
            "InstanceCount": count,
            "ExecutionRole": ROLE,
            "ThreadsPerCore": 1,
            "LifeCycleConfig": {
                "SourceS3Uri": f"s3://sagemaker-lifecycle-{name}/scripts/",
                "OnCreate": "on_create.sh",
            },
        }
        for group, itype, count in groups
    ]
    with settled():
        cluster = _create_cluster(state, name, specs)
        state.sync()
    if orchestrator == "eks":
        cluster.orchestrator = {"Eks": {"ClusterArn": f"arn:aws:eks:us-east-1:123456789012:cluster/{name}-eks"}}
    return cluster


def fail_node(state: ExtState, cluster: str, group: str, message: str) -> str:
    """Put the first node of ``group`` in Failure with ``message``; returns its id."""
    nodes = state.backend.clusters[cluster].nodes.items()
    node_id = str(next(i for i, n in nodes if n.instance_group_name == group))
    set_node_status(state, cluster, node_id, "Failure", message)
    return node_id


def seed_demo(target: Any) -> dict[str, list[str]]:
    """The demo account (see :mod:`smtui.emulator.demo`); returns the names per type."""
    from smtui.emulator.demo import seed_demo as _seed_demo

    return _seed_demo(target)
