"""Every curated form submits a valid request, and the resource then appears.

One case per curated operation (:data:`smtui.forms.curated.CURATED`): the form starts from
its definition (defaults, plus prefill from the right record of the demo account), the
remaining required fields are typed as a user would type them (text), the client finds no
problem, the preview's AWS CLI command parses and its JSON passes botocore's own parameter
validation, the request goes through the real :class:`~smtui.aws.client.SageMaker` client to
the emulator, and the effect is then read back through the API (List*/Describe*).

The emulator's lifecycles are paused after seeding (``manual`` progression that never
advances here), so what an action started stays visible: ``Creating``, ``Updating``,
``Deleting``, ``Stopping``…

When an AWS CLI is installed (``/tmp/awscli-venv/bin/aws``, else ``aws`` on PATH), every
previewed command is also run unchanged against the emulator, and must have the same effect.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.validate import validate_parameters

from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import ValidationFailed
from smtui.aws.model import operation
from smtui.catalog import default_catalog
from smtui.emulator.ext.mlflow import create_tracking_server
from smtui.emulator.seed import BUCKET, ROLE, add_cluster, seed_demo, state_of
from smtui.emulator.server import EmulatorServer
from smtui.forms.actions import batch_ids, chunked, confirm_name, merge_responses
from smtui.forms.curated import CURATED, FormDef
from smtui.forms.fields import PathPart
from smtui.forms.model import FormModel
from smtui.forms.preview import cli_command, cli_name

IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
MONITOR_IMAGE = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"
CLUSTER = "llm-pretrain-p5"
# The batch operations mark more nodes than one request of 25 takes, and not all of them.
REBOOT_CLUSTER, REBOOT_NODES, REBOOT_MARKED = "batch-reboot", 32, 30
REPLACE_CLUSTER, REPLACE_NODES, REPLACE_MARKED = "batch-replace", 30, 27
FROZEN = {"progression": "manual", "times": 1_000_000}


Record = dict[str, Any]
Response = dict[str, Any]


# ---------------------------------------------------------------------------- the account
def seed(emu: EmulatorServer) -> None:
    """The demo account, two clusters for the node batches and a spare tracking server.

    Then every lifecycle is frozen, so the status an action sets stays to be checked.
    """
    seed_demo(emu)
    state = state_of(emu)
    add_cluster(state, REBOOT_CLUSTER, [("workers", "ml.g5.xlarge", REBOOT_NODES)])
    add_cluster(state, REPLACE_CLUSTER, [("workers", "ml.g5.xlarge", REPLACE_NODES)])
    create_tracking_server(state, "mlflow-retired", artifact_store_uri=f"{BUCKET}/mlflow/retired", role_arn=ROLE)
    state.sync()
    emu.set_pace("*", FROZEN)


def client_for(emu: EmulatorServer) -> SageMaker:
    return SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))


# ---------------------------------------------------------------------------- where records come from
@dataclass(frozen=True)
class Selected:
    """What the list screen hands an action: the row's record, the list's parameters, marks."""

    record: Record | None = None
    list_params: Record = field(default_factory=dict)
    marked: list[Record] = field(default_factory=list)


Source = Callable[[SageMaker], Awaitable[Selected]]


def described(op: str, **params: Any) -> Source:
    """The record as a list row has it once the describe columns are merged: the Describe*."""

    async def get(sm: SageMaker) -> Selected:
        return Selected(await sm.call(op, params))

    return get


def listed(op: str, items: str, key: str, name: str, **list_params: Any) -> Source:
    """One row of a List* (its summary), found by ``key`` == ``name``."""

    async def get(sm: SageMaker) -> Selected:
        rows = await list_all(sm, op, items, list_params)
        return Selected(next(r for r in rows if r.get(key) == name), dict(list_params))

    return get


def list_only(**list_params: Any) -> Source:
    """A Create* from a list reached by a jump: no record, only the list's parameters."""

    async def get(sm: SageMaker) -> Selected:
        return Selected(None, dict(list_params))

    return get


def nodes_of(cluster: str, marked: int) -> Source:
    """The first ``marked`` nodes of ``cluster`` marked with Space, the cursor on the first."""

    async def get(sm: SageMaker) -> Selected:
        rows = await list_all(sm, "ListClusterNodes", "ClusterNodeSummaries", {"ClusterName": cluster})
        assert len(rows) > marked
        return Selected(rows[0], {"ClusterName": cluster}, rows[:marked])

    return get


async def mlflow_app_arn(sm: SageMaker, name: str) -> str:
    rows = await list_all(sm, "ListMlflowApps", "Summaries", {})
    return str(next(r["Arn"] for r in rows if r["Name"] == name))


def mlflow_app(name: str) -> Source:
    async def get(sm: SageMaker) -> Selected:
        return Selected(await sm.call("DescribeMlflowApp", {"Arn": await mlflow_app_arn(sm, name)}))

    return get


async def list_all(sm: SageMaker, op: str, items: str, params: Mapping[str, Any]) -> list[Record]:
    """Every item of a List*, page after page."""
    found: list[Record] = []
    token: str | None = None
    while True:
        response = await sm.call(op, {**params, **({"NextToken": token} if token else {})})
        found.extend(response[items])
        token = response.get("NextToken")
        if not token:
            return found


# ---------------------------------------------------------------------------- the effects
Check = Callable[[SageMaker, Response], Awaitable[None]]


def appears(
    list_op: str, items: str, key: str, name: str, status: tuple[str, str] | None = None, **params: Any
) -> Check:
    """``name`` is in the List* (with ``status`` = (field, value) when given)."""

    async def check(sm: SageMaker, response: Response) -> None:
        rows = [r for r in await list_all(sm, list_op, items, params) if r.get(key) == name]
        assert rows, f"{name} not in {list_op}"
        if status is not None:
            assert rows[0].get(status[0]) == status[1], rows[0]

    return check


def shows(describe_op: str, params: Mapping[str, Any], **expected: Any) -> Check:
    """The Describe* shows ``expected`` (dotted keys as ``A__B`` for nested members)."""

    async def check(sm: SageMaker, response: Response) -> None:
        record = await sm.call(describe_op, dict(params))
        for dotted, value in expected.items():
            current: Any = record
            for part in dotted.split("__"):
                current = current.get(part) if isinstance(current, dict) else None
            assert current == value, f"{describe_op} {dotted}: {current!r} != {value!r}"

    return check


def variant_scaled(endpoint: str, count: int) -> Check:
    """The endpoint's first variant is asked for (or runs) ``count`` instances."""

    async def check(sm: SageMaker, response: Response) -> None:
        variant = (await sm.call("DescribeEndpoint", {"EndpointName": endpoint}))["ProductionVariants"][0]
        assert count in (variant.get("DesiredInstanceCount"), variant.get("CurrentInstanceCount")), variant

    return check


def both(*checks: Check) -> Check:
    async def check(sm: SageMaker, response: Response) -> None:
        for one in checks:
            await one(sm, response)

    return check


async def cluster_grew(sm: SageMaker, response: Response) -> None:
    record = await sm.call("DescribeCluster", {"ClusterName": CLUSTER})
    assert record["ClusterStatus"] == "Updating"
    counts = {g["InstanceGroupName"]: g["TargetCount"] for g in record["InstanceGroups"]}
    assert counts == {"controller": 1, "login": 1, "gpu-workers": 10}
    nodes = await list_all(sm, "ListClusterNodes", "ClusterNodeSummaries", {"ClusterName": CLUSTER})
    assert sum(1 for n in nodes if n["InstanceGroupName"] == "gpu-workers") == 10


async def cluster_deleting_or_gone(sm: SageMaker, response: Response) -> None:
    rows = {r["ClusterName"]: r for r in await list_all(sm, "ListClusters", "ClusterSummaries", {})}
    assert "research-eks-g5" not in rows or rows["research-eks-g5"]["ClusterStatus"] == "Deleting"


def nodes_restarted(cluster: str, count: int) -> Check:
    """The ``count`` marked nodes were accepted and are on their way back (Pending); the
    others were not touched (Running)."""

    async def check(sm: SageMaker, response: Response) -> None:
        nodes = await list_all(sm, "ListClusterNodes", "ClusterNodeSummaries", {"ClusterName": cluster})
        status = {n["InstanceId"]: n["InstanceStatus"]["Status"] for n in nodes}
        assert len(response["Successful"]) == count and not response["Failed"]
        assert sorted(response["Successful"]) == sorted(node for node, s in status.items() if s == "Pending")
        assert sorted(s for node, s in status.items() if node not in response["Successful"]) == ["Running"] * (
            len(nodes) - count
        )

    return check


async def ic_gone_or_deleting(sm: SageMaker, response: Response) -> None:
    rows = {
        r["InferenceComponentName"]: r for r in await list_all(sm, "ListInferenceComponents", "InferenceComponents", {})
    }
    assert "llama3-70b-ic" not in rows or rows["llama3-70b-ic"]["InferenceComponentStatus"] == "Deleting"


# ---------------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class Case:
    """One curated operation: the resource type it is offered on, where its record comes
    from, what the user types (dotted state paths; ints index list items), what happens."""

    op: str
    rtype: str
    source: Source
    typed: Mapping[str, str | bool]  # text as typed; a boolean is what its toggle shows
    check: Check
    prefilled: Mapping[str, Any] = field(default_factory=dict)
    confirm: str = ""
    label: str = ""  # tells apart two cases of one operation

    @property
    def id(self) -> str:
        return f"{self.op}-{self.label}" if self.label else self.op


CASES: list[Case] = [
    # ---- HyperPod
    Case(
        "CreateCluster",
        "clusters",
        list_only(),
        {
            "ClusterName": "new-cluster",
            "InstanceGroups.0.InstanceType": "ml.g5.xlarge",
            "InstanceGroups.0.ExecutionRole": ROLE,
            "InstanceGroups.0.LifeCycleConfig.SourceS3Uri": "s3://sagemaker-lifecycle-new/scripts/",
            "InstanceGroups.0.LifeCycleConfig.OnCreate": "on_create.sh",
            "InstanceGroups.0.InstanceCount": "2",
        },
        both(
            appears("ListClusters", "ClusterSummaries", "ClusterName", "new-cluster", ("ClusterStatus", "Creating")),
            shows("DescribeCluster", {"ClusterName": "new-cluster"}, NodeRecovery="Automatic"),
        ),
        prefilled={"NodeRecovery": "Automatic", "InstanceGroups.0.InstanceGroupName": "workers"},
    ),
    Case(
        "UpdateCluster",
        "clusters",
        described("DescribeCluster", ClusterName=CLUSTER),
        {"InstanceGroups.2.InstanceCount": "10"},
        cluster_grew,
        prefilled={
            "ClusterName": CLUSTER,
            "InstanceGroups.2.InstanceGroupName": "gpu-workers",
            "InstanceGroups.2.InstanceCount": "8",
            "InstanceGroups.0.InstanceCount": "1",
        },
    ),
    Case(
        "UpdateClusterSoftware",
        "clusters",
        described("DescribeCluster", ClusterName="inference-bench-trn1"),
        {},
        shows("DescribeCluster", {"ClusterName": "inference-bench-trn1"}, ClusterStatus="SystemUpdating"),
        prefilled={"ClusterName": "inference-bench-trn1"},
    ),
    Case(
        "DeleteCluster",
        "clusters",
        listed("ListClusters", "ClusterSummaries", "ClusterName", "research-eks-g5"),
        {},
        cluster_deleting_or_gone,
        prefilled={"ClusterName": "research-eks-g5"},
        confirm="research-eks-g5",
    ),
    Case(
        "BatchRebootClusterNodes",
        "cluster-nodes",
        nodes_of(REBOOT_CLUSTER, REBOOT_MARKED),
        {},
        nodes_restarted(REBOOT_CLUSTER, REBOOT_MARKED),
        prefilled={"ClusterName": REBOOT_CLUSTER},
        confirm=REBOOT_CLUSTER,
    ),
    Case(
        "BatchReplaceClusterNodes",
        "cluster-nodes",
        nodes_of(REPLACE_CLUSTER, REPLACE_MARKED),
        {},
        nodes_restarted(REPLACE_CLUSTER, REPLACE_MARKED),
        prefilled={"ClusterName": REPLACE_CLUSTER},
        confirm=REPLACE_CLUSTER,
    ),
    # ---- inference components
    Case(
        "CreateInferenceComponent",
        "inference-components",
        list_only(EndpointNameEquals="genai-shared-g5"),  # reached from the endpoint with `i`
        {
            "InferenceComponentName": "qwen-7b-ic",
            "Specification.ModelName": "mistral-7b-v03",
            "Specification.ComputeResourceRequirements.NumberOfAcceleratorDevicesRequired": "1",
            "RuntimeConfig.CopyCount": "2",
        },
        both(
            appears(
                "ListInferenceComponents",
                "InferenceComponents",
                "InferenceComponentName",
                "qwen-7b-ic",
                ("EndpointName", "genai-shared-g5"),
                EndpointNameEquals="genai-shared-g5",
            ),
            shows(
                "DescribeInferenceComponent",
                {"InferenceComponentName": "qwen-7b-ic"},
                InferenceComponentStatus="Creating",
                RuntimeConfig__DesiredCopyCount=2,
                Specification__ComputeResourceRequirements__MinMemoryRequiredInMb=1024,
            ),
        ),
        prefilled={"EndpointName": "genai-shared-g5", "RuntimeConfig.CopyCount": "1"},
    ),
    Case(
        "UpdateInferenceComponent",
        "inference-components",
        described("DescribeInferenceComponent", InferenceComponentName="llama3-8b-chat-ic"),
        {"RuntimeConfig.CopyCount": "6"},
        shows(
            "DescribeInferenceComponent",
            {"InferenceComponentName": "llama3-8b-chat-ic"},
            InferenceComponentStatus="Updating",
            RuntimeConfig__DesiredCopyCount=6,
            Specification__ModelName="llama3-8b-chat",
        ),
        prefilled={"RuntimeConfig.CopyCount": "4", "Specification.ModelName": "llama3-8b-chat"},
    ),
    Case(
        "UpdateEndpointWeightsAndCapacities",
        "endpoints",
        # Service.plan_detailed describes the row first (tests/unit/test_service.py).
        described("DescribeEndpoint", EndpointName="llama3-70b-prod"),
        {"DesiredWeightsAndCapacities.0.DesiredInstanceCount": "5"},
        variant_scaled("llama3-70b-prod", 5),
        prefilled={"DesiredWeightsAndCapacities.0.VariantName": "AllTraffic"},
    ),
    Case(
        "UpdateInferenceComponentRuntimeConfig",
        "inference-components",
        described("DescribeInferenceComponent", InferenceComponentName="bge-embeddings-ic"),
        {"DesiredRuntimeConfig.CopyCount": "3"},
        shows(
            "DescribeInferenceComponent",
            {"InferenceComponentName": "bge-embeddings-ic"},
            InferenceComponentStatus="Updating",
            RuntimeConfig__DesiredCopyCount=3,
        ),
        prefilled={"DesiredRuntimeConfig.CopyCount": "1", "InferenceComponentName": "bge-embeddings-ic"},
    ),
    Case(
        "DeleteInferenceComponent",
        "inference-components",
        described("DescribeInferenceComponent", InferenceComponentName="llama3-70b-ic"),
        {},
        ic_gone_or_deleting,
        prefilled={"InferenceComponentName": "llama3-70b-ic"},
        confirm="llama3-70b-ic",
    ),
    # ---- MLflow tracking servers
    Case(
        "CreateMlflowTrackingServer",
        "mlflow-tracking-servers",
        list_only(),
        {
            "TrackingServerName": "mlflow-team-b",
            "ArtifactStoreUri": f"{BUCKET}/mlflow/team-b",
            "RoleArn": ROLE,
            "MlflowVersion": "2.16.2",
        },
        appears(
            "ListMlflowTrackingServers",
            "TrackingServerSummaries",
            "TrackingServerName",
            "mlflow-team-b",
            ("TrackingServerStatus", "Creating"),
        ),
        prefilled={"TrackingServerSize": "Small"},
    ),
    Case(
        "UpdateMlflowTrackingServer",
        "mlflow-tracking-servers",
        described("DescribeMlflowTrackingServer", TrackingServerName="mlflow-prod"),
        {"TrackingServerSize": "Medium"},
        shows(
            "DescribeMlflowTrackingServer",
            {"TrackingServerName": "mlflow-prod"},
            TrackingServerStatus="Updating",
            TrackingServerSize="Medium",
        ),
        prefilled={"TrackingServerSize": "Large", "ArtifactStoreUri": f"{BUCKET}/mlflow/prod"},
    ),
    Case(
        "StartMlflowTrackingServer",
        "mlflow-tracking-servers",
        listed("ListMlflowTrackingServers", "TrackingServerSummaries", "TrackingServerName", "mlflow-sandbox"),
        {},
        shows(
            "DescribeMlflowTrackingServer",
            {"TrackingServerName": "mlflow-sandbox"},
            TrackingServerStatus="Starting",
        ),
        prefilled={"TrackingServerName": "mlflow-sandbox"},
    ),
    Case(
        "StopMlflowTrackingServer",
        "mlflow-tracking-servers",
        listed("ListMlflowTrackingServers", "TrackingServerSummaries", "TrackingServerName", "mlflow-research"),
        {},
        shows(
            "DescribeMlflowTrackingServer",
            {"TrackingServerName": "mlflow-research"},
            TrackingServerStatus="Stopping",
            IsActive="Inactive",
        ),
        prefilled={"TrackingServerName": "mlflow-research"},
        confirm="mlflow-research",
    ),
    Case(
        "DeleteMlflowTrackingServer",
        "mlflow-tracking-servers",
        listed("ListMlflowTrackingServers", "TrackingServerSummaries", "TrackingServerName", "mlflow-retired"),
        {},
        appears(
            "ListMlflowTrackingServers",
            "TrackingServerSummaries",
            "TrackingServerName",
            "mlflow-retired",
            ("TrackingServerStatus", "Deleting"),
        ),
        prefilled={"TrackingServerName": "mlflow-retired"},
        confirm="mlflow-retired",
    ),
    # ---- MLflow apps
    Case(
        "CreateMlflowApp",
        "mlflow-apps",
        list_only(),
        {"Name": "claims-mlflow", "ArtifactStoreUri": f"{BUCKET}/mlflow-apps/claims", "RoleArn": ROLE},
        appears("ListMlflowApps", "Summaries", "Name", "claims-mlflow", ("Status", "Creating")),
    ),
    Case(
        "UpdateMlflowApp",
        "mlflow-apps",
        mlflow_app("team-genai-mlflow"),
        {"ArtifactStoreUri": f"{BUCKET}/mlflow-apps/genai-v2"},
        appears("ListMlflowApps", "Summaries", "Name", "team-genai-mlflow", ("Status", "Updating")),
        prefilled={"Name": "team-genai-mlflow", "ArtifactStoreUri": f"{BUCKET}/mlflow-apps/genai"},
    ),
    Case(
        "DeleteMlflowApp",
        "mlflow-apps",
        listed("ListMlflowApps", "Summaries", "Name", "fraud-mlflow"),
        {},
        appears("ListMlflowApps", "Summaries", "Name", "fraud-mlflow", ("Status", "Deleting")),
        confirm="fraud-mlflow",
    ),
    # ---- model monitoring
    Case(
        "CreateModelQualityJobDefinition",
        "model-quality-job-definitions",
        list_only(),
        {
            "JobDefinitionName": "fraud-v8-model-quality",
            "RoleArn": ROLE,
            "ModelQualityAppSpecification.ImageUri": MONITOR_IMAGE,
            "ModelQualityAppSpecification.ProblemType": "BinaryClassification",
            "ModelQualityJobInput.EndpointInput.EndpointName": "fraud-detector-v7-prod",
            "ModelQualityJobInput.EndpointInput.LocalPath": "/opt/ml/processing/input",
            "ModelQualityJobInput.EndpointInput.InferenceAttribute": "prediction",
            "ModelQualityJobInput.GroundTruthS3Input.S3Uri": f"{BUCKET}/ground-truth/fraud",
            "ModelQualityJobOutputConfig.MonitoringOutputs.0.S3Output.S3Uri": f"{BUCKET}/monitoring/v8",
            "ModelQualityJobOutputConfig.MonitoringOutputs.0.S3Output.LocalPath": "/opt/ml/processing/output",
        },
        both(
            appears(
                "ListModelQualityJobDefinitions",
                "JobDefinitionSummaries",
                "MonitoringJobDefinitionName",
                "fraud-v8-model-quality",
            ),
            shows(
                "DescribeModelQualityJobDefinition",
                {"JobDefinitionName": "fraud-v8-model-quality"},
                JobResources__ClusterConfig__InstanceType="ml.m5.xlarge",
                StoppingCondition__MaxRuntimeInSeconds=3600,
            ),
        ),
        prefilled={"JobResources.ClusterConfig.VolumeSizeInGB": "20"},
    ),
    # ---- real-time inference
    Case(
        "CreateEndpointConfig",
        "endpoint-configs",
        list_only(),
        {"EndpointConfigName": "llama3-8b-chat-g5-config", "ProductionVariants.0.ModelName": "llama3-8b-chat"},
        both(
            appears("ListEndpointConfigs", "EndpointConfigs", "EndpointConfigName", "llama3-8b-chat-g5-config"),
            shows(
                "DescribeEndpointConfig",
                {"EndpointConfigName": "llama3-8b-chat-g5-config"},
                ProductionVariants=[
                    {
                        "VariantName": "AllTraffic",
                        "ModelName": "llama3-8b-chat",
                        "InitialInstanceCount": 1,
                        "InstanceType": "ml.g5.xlarge",
                    }
                ],
            ),
        ),
        prefilled={"ProductionVariants.0.InstanceType": "ml.g5.xlarge"},
    ),
    Case(
        "CreateEndpoint",
        "endpoints",
        list_only(),
        {"EndpointName": "embeddings-bge-canary", "EndpointConfigName": "embeddings-bge-dev-config"},
        appears("ListEndpoints", "Endpoints", "EndpointName", "embeddings-bge-canary", ("EndpointStatus", "Creating")),
    ),
    Case(
        "UpdateEndpoint",
        "endpoints",
        described("DescribeEndpoint", EndpointName="fraud-detector-v7-prod"),
        {"EndpointConfigName": "churn-scoring-staging-config"},
        shows(
            "DescribeEndpoint",
            {"EndpointName": "fraud-detector-v7-prod"},
            EndpointStatus="Updating",
            # The new configuration is pending until the update ends; the old one serves.
            EndpointConfigName="fraud-detector-v7-prod-config",
            PendingDeploymentSummary__EndpointConfigName="churn-scoring-staging-config",
        ),
        prefilled={"EndpointName": "fraud-detector-v7-prod", "EndpointConfigName": "fraud-detector-v7-prod-config"},
    ),
    Case(
        "DeleteEndpoint",
        "endpoints",
        listed("ListEndpoints", "Endpoints", "EndpointName", "churn-scoring-staging"),
        {},
        appears("ListEndpoints", "Endpoints", "EndpointName", "churn-scoring-staging", ("EndpointStatus", "Deleting")),
        prefilled={"EndpointName": "churn-scoring-staging"},
        confirm="churn-scoring-staging",
    ),
    # ---- training
    Case(
        "CreateTrainingJob",
        "training-jobs",
        list_only(),
        {
            "TrainingJobName": "llama3-8b-sft-manual-1",
            "RoleArn": ROLE,
            "AlgorithmSpecification.TrainingImage": IMAGE,
            "OutputDataConfig.S3OutputPath": f"{BUCKET}/output",
            "HyperParameters.0": "epochs=3",
        },
        both(
            appears(
                "ListTrainingJobs",
                "TrainingJobSummaries",
                "TrainingJobName",
                "llama3-8b-sft-manual-1",
                ("TrainingJobStatus", "InProgress"),
            ),
            shows(
                "DescribeTrainingJob",
                {"TrainingJobName": "llama3-8b-sft-manual-1"},
                ResourceConfig__InstanceType="ml.m5.xlarge",
                HyperParameters={"epochs": "3"},
            ),
        ),
        prefilled={"ResourceConfig.InstanceCount": "1", "AlgorithmSpecification.TrainingInputMode": "File"},
    ),
    Case(
        "StopTrainingJob",
        "training-jobs",
        listed("ListTrainingJobs", "TrainingJobSummaries", "TrainingJobName", "llama3-8b-sft-nightly"),
        {},
        shows(
            "DescribeTrainingJob",
            {"TrainingJobName": "llama3-8b-sft-nightly"},
            TrainingJobStatus="Stopping",
            SecondaryStatus="Stopping",
        ),
        prefilled={"TrainingJobName": "llama3-8b-sft-nightly"},
        confirm="llama3-8b-sft-nightly",
    ),
    # ---- Studio
    Case(
        "CreateDomain",
        "domains",
        list_only(),
        {
            "DomainName": "research",
            "VpcId": "vpc-0research",
            "SubnetIds.0": "subnet-0research1",
            "DefaultUserSettings.ExecutionRole": ROLE,
        },
        appears("ListDomains", "Domains", "DomainName", "research"),
        prefilled={"AuthMode": "IAM"},
    ),
    Case(
        "CreateUserProfile",
        "user-profiles",
        list_only(DomainIdEquals="d-ml-platform"),  # reached from the domain with `u`
        {"UserProfileName": "dave-researcher"},
        appears(
            "ListUserProfiles",
            "UserProfiles",
            "UserProfileName",
            "dave-researcher",
            ("Status", "Pending"),
            DomainIdEquals="d-ml-platform",
        ),
        prefilled={"DomainId": "d-ml-platform"},
    ),
    Case(
        "CreateSpace",
        "spaces",
        list_only(DomainIdEquals="d-ml-platform"),
        {"SpaceName": "claims-team-shared", "SpaceDisplayName": "Claims team"},
        appears("ListSpaces", "Spaces", "SpaceName", "claims-team-shared", ("Status", "Pending")),
        prefilled={"DomainId": "d-ml-platform"},
    ),
    Case(
        "DeleteApp",
        "apps",
        listed("ListApps", "Apps", "SpaceName", "bob-code-editor"),
        {},
        appears("ListApps", "Apps", "SpaceName", "bob-code-editor", ("Status", "Deleting")),
        prefilled={"DomainId": "d-ml-platform", "SpaceName": "bob-code-editor", "AppType": "CodeEditor"},
        # "default" names every app: the confirmation wants the qualified name.
        confirm="d-ml-platform/bob-code-editor/CodeEditor/default",
    ),
    Case(
        "CreateApp",
        "apps",
        list_only(DomainIdEquals="d-ml-platform", SpaceNameEquals="fraud-team-shared"),
        {},
        appears(
            "ListApps",
            "Apps",
            "SpaceName",
            "fraud-team-shared",
            ("Status", "Pending"),
            SpaceNameEquals="fraud-team-shared",
        ),
        prefilled={
            "DomainId": "d-ml-platform",
            "SpaceName": "fraud-team-shared",
            "AppType": "JupyterLab",
            "AppName": "default",
        },
    ),
]
# Other valid shapes of the same forms, which real users send too.
VARIANTS: list[Case] = [
    Case(
        "CreateEndpointConfig",
        "endpoint-configs",
        list_only(),
        # No ModelName: an endpoint that hosts inference components (then a role is needed).
        {"EndpointConfigName": "genai-shared-v2-config", "ExecutionRoleArn": ROLE},
        shows(
            "DescribeEndpointConfig",
            {"EndpointConfigName": "genai-shared-v2-config"},
            ExecutionRoleArn=ROLE,
            ProductionVariants=[
                {"VariantName": "AllTraffic", "InitialInstanceCount": 1, "InstanceType": "ml.g5.xlarge"}
            ],
        ),
        label="for-inference-components",
    ),
    Case(
        "CreateModelQualityJobDefinition",
        "model-quality-job-definitions",
        list_only(),
        {
            "JobDefinitionName": "churn-batch-model-quality",
            "RoleArn": ROLE,
            "ModelQualityAppSpecification.ImageUri": MONITOR_IMAGE,
            "ModelQualityAppSpecification.ProblemType": "Regression",
            "ModelQualityJobInput.BatchTransformInput.DataCapturedDestinationS3Uri": f"{BUCKET}/capture/churn",
            "ModelQualityJobInput.BatchTransformInput.DatasetFormat.Csv.Header": True,
            "ModelQualityJobInput.BatchTransformInput.LocalPath": "/opt/ml/processing/input",
            "ModelQualityJobInput.GroundTruthS3Input.S3Uri": f"{BUCKET}/ground-truth/churn",
            "ModelQualityJobOutputConfig.MonitoringOutputs.0.S3Output.S3Uri": f"{BUCKET}/monitoring/churn",
            "ModelQualityJobOutputConfig.MonitoringOutputs.0.S3Output.LocalPath": "/opt/ml/processing/output",
        },
        shows(
            "DescribeModelQualityJobDefinition",
            {"JobDefinitionName": "churn-batch-model-quality"},
            ModelQualityJobInput__BatchTransformInput__DatasetFormat={"Csv": {"Header": True}},
        ),
        label="batch-transform",
    ),
    Case(
        "CreateCluster",
        "clusters",
        list_only(),
        {
            "ClusterName": "flex-cluster",
            "InstanceGroups.0.InstanceRequirements.InstanceTypes.0": "ml.g5.12xlarge",
            "InstanceGroups.0.InstanceRequirements.InstanceTypes.1": "ml.g5.24xlarge",
            "InstanceGroups.0.ExecutionRole": ROLE,
            "Orchestrator.Eks.ClusterArn": "arn:aws:eks:us-east-1:123456789012:cluster/flex",
        },
        appears("ListClusters", "ClusterSummaries", "ClusterName", "flex-cluster", ("ClusterStatus", "Creating")),
        label="flexible-instance-types-on-eks",
    ),
]
ALL_CASES = CASES + VARIANTS
BY_OP = {case.op: case for case in CASES}


def path_of(dotted: str) -> tuple[PathPart, ...]:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


def type_into(model: FormModel, dotted: str, text: str | bool) -> None:
    """What the form does for a user: add list items (``+``) where needed, then set the text.

    ``Map.N`` = ``key=value`` adds a map entry (a key and a value typed in one row).
    """
    path = path_of(dotted)
    for depth, part in enumerate(path):
        if isinstance(part, int):
            items = model.get(path[:depth])
            while not isinstance(items, list) or len(items) <= part:
                model.add_item(path[:depth])
                items = model.get(path[:depth])
    spec = model.root.at(path[:-1])
    if spec is not None and spec.kind == "map" and isinstance(text, str):
        key, value = text.split("=", 1)
        model.set_map_key(path, key)
        model.set(path, value)
    else:
        model.set(path, text)


# ---------------------------------------------------------------------------- the flow
@dataclass
class Prepared:
    """A form filled in and previewed: the requests it sends (one per chunk) and the commands."""

    case: Case
    definition: FormDef
    selected: Selected
    requests: list[Record]
    commands: list[str]


async def prepare(case: Case, sm: SageMaker, endpoint_url: str) -> Prepared:
    """Open the curated form as ``run_action`` does, fill it in, check it, preview it."""
    definition = CURATED[case.op]
    rtype = default_catalog().get(case.rtype)
    assert case.op in {op for _, op in rtype.actions}, f"{case.rtype} does not offer {case.op}"
    selected = await case.source(sm)
    model = FormModel(case.op, definition)
    if definition.batch is None:
        model.prefill(selected.record, selected.list_params)
    else:
        model.prefill(selected.record, selected.list_params, from_record=False)
    for dotted, value in case.prefilled.items():
        assert model.get(path_of(dotted)) == value, f"{case.op}: {dotted} prefilled as {model.get(path_of(dotted))!r}"
    for dotted, text in case.typed.items():
        type_into(model, dotted, text)
    assert all(isinstance(v, str | bool | None) for v in _leaves(model.state)), "state is what a user types"
    assert model.problems() == [], f"{case.op}: {model.problems()}"
    if case.confirm:
        assert definition.danger == "type-name"
        assert confirm_name(rtype, definition, selected.record, selected.list_params) == case.confirm
    if definition.batch is None:
        requests = [model.request()]
    else:
        member, size = definition.batch
        ids = batch_ids(selected.marked, definition.marked_from)
        assert len(ids) == len(selected.marked) > size  # more than one chunk
        requests = [{**model.request(), member: chunk} for chunk in chunked(ids, size)]
        assert all(len(r[member]) <= size for r in requests)
        assert [node for r in requests for node in r[member]] == [row["InstanceId"] for row in selected.marked]
    commands = [cli_command(case.op, r, region="us-east-1", endpoint_url=endpoint_url) for r in requests]
    for request, command in zip(requests, commands, strict=True):
        assert_cli_is_valid(case.op, request, command, endpoint_url)
    return Prepared(case, definition, selected, requests, commands)


def assert_cli_is_valid(op: str, request: Record, command: str, endpoint_url: str) -> None:
    """The command parses as a shell would, and its JSON passes botocore's validation."""
    words = shlex.split(command)
    assert words[:3] == ["aws", "sagemaker", cli_name(op)]
    assert words[-4:] == ["--region", "us-east-1", "--endpoint-url", endpoint_url]
    body = json.loads(words[words.index("--cli-input-json") + 1])
    assert body == json.loads(json.dumps(request))
    validate_parameters(body, operation(op).input_shape)  # raises ParamValidationError if invalid


def _leaves(state: Any) -> list[Any]:
    if isinstance(state, dict):
        return [leaf for value in state.values() for leaf in _leaves(value)]
    if isinstance(state, list):
        return [leaf for value in state for leaf in _leaves(value)]
    return [state]


def test_every_curated_operation_has_a_case() -> None:
    assert sorted(BY_OP) == sorted(CURATED)
    assert len(CASES) == len(BY_OP)


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
async def test_curated_form_submits_a_valid_request_and_the_change_shows(emu: EmulatorServer, case: Case) -> None:
    seed(emu)
    op = case.op
    sm = client_for(emu)
    try:
        prepared = await prepare(case, sm, emu.url)
        before = emu.faults.request_counts()["counts"].get(op, 0)
        responses = [await sm.call(op, request) for request in prepared.requests]
        response = merge_responses(responses)
        assert emu.faults.request_counts()["counts"].get(op, 0) - before == len(prepared.requests)
        if prepared.definition.batch is not None:
            assert len(prepared.requests) == 2  # 30 -> 25 + 5, 27 -> 25 + 2
        await case.check(sm, response)
    finally:
        await sm.close()


# ---------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("op", "typed", "cleared", "message"),
    [
        ("CreateCluster", {**BY_OP["CreateCluster"].typed}, "InstanceGroups.0.InstanceType", "needs an InstanceType"),
        (
            "CreateTrainingJob",
            {**BY_OP["CreateTrainingJob"].typed},
            "AlgorithmSpecification.TrainingInputMode",
            "AlgorithmSpecification is required",
        ),
        ("CreateEndpointConfig", {"EndpointConfigName": "no-model-no-role"}, "", "ExecutionRoleArn is required"),
    ],
)
async def test_a_request_the_model_allows_but_sagemaker_refuses_is_a_400_in_the_form(
    emu: EmulatorServer, op: str, typed: dict[str, str], cleared: str, message: str
) -> None:
    """The emulator answers such requests as SageMaker does (a ValidationException), not with a
    500 that botocore retries; the form then shows the refusal."""
    seed(emu)
    model = FormModel(op)
    model.prefill(None)
    for dotted, text in typed.items():
        type_into(model, dotted, text)
    if op == "CreateTrainingJob":  # the user also emptied the image: no algorithm at all
        type_into(model, "AlgorithmSpecification.TrainingImage", "")
    if cleared:
        type_into(model, cleared, "")
    assert model.problems() == []
    sm = client_for(emu)
    try:
        with pytest.raises(ValidationFailed) as refused:
            await sm.call(op, model.request())
    finally:
        await sm.close()
    assert message in refused.value.message
    assert emu.faults.request_counts()["counts"][op] == 1  # a 400 is not retried
    model.set_server_error(refused.value)
    assert model.server_error is refused.value


# ---------------------------------------------------------------------------- the real AWS CLI
# The CLI's own driver, run for each command in one process: starting `aws` costs a second
# (it loads the SageMaker model), so thirty commands through one driver take seconds, not a minute.
DRIVER = """
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
driver = create_clidriver()
results = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = driver.main(argv)
    results.append([code, out.getvalue(), err.getvalue()])
json.dump(results, sys.__stdout__)
"""


def find_aws_cli() -> tuple[str, str] | None:
    """``(aws executable, the Python it runs on)``: the test venv's, else the one on PATH."""
    for aws in ("/tmp/awscli-venv/bin/aws", shutil.which("aws")):
        if aws is None or not os.access(aws, os.X_OK):
            continue
        python = _interpreter(aws)
        if python is None and shutil.which("pyenv"):  # a pyenv shim is a shell script
            found = subprocess.run(["pyenv", "which", "aws"], capture_output=True, text=True, check=False)
            python = _interpreter(found.stdout.strip()) if found.returncode == 0 else None
        if python is not None:
            return aws, python
    return None


def _interpreter(script: str) -> str | None:
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode(errors="replace")
    except OSError:
        return None
    words = first.removeprefix("#!").split()
    if words and words[0].endswith("/env"):
        words = words[1:]
    return shutil.which(words[0]) if first.startswith("#!") and words and "python" in words[0] else None


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    return env


def run_commands(python: str, commands: list[str]) -> list[tuple[int, str, str]]:
    argvs = []
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "aws"
        argvs.append(words[1:])
    done = subprocess.run(
        [python, "-c", DRIVER], input=json.dumps(argvs), capture_output=True, text=True, env=cli_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [(int(code), str(out), str(err)) for code, out, err in json.loads(done.stdout)]


async def test_every_previewed_command_runs_unchanged_with_the_aws_cli(emu: EmulatorServer) -> None:
    """All cases against one account (each acts on resources of its own), through the AWS CLI."""
    found = find_aws_cli()
    if found is None:
        pytest.skip("no AWS CLI: python3 -m venv /tmp/awscli-venv && /tmp/awscli-venv/bin/pip install awscli")
    aws, python = found
    seed(emu)
    sm = client_for(emu)
    try:
        prepared = [await prepare(case, sm, emu.url) for case in ALL_CASES]
        # The `aws` program itself, started as a user would, for one command...
        first, *rest = prepared
        assert len(first.commands) == 1
        words = shlex.split(first.commands[0])
        done = subprocess.run([aws, *words[1:]], capture_output=True, text=True, env=cli_env(), timeout=60)
        assert done.returncode == 0, done.stderr
        results = [[(0, done.stdout, done.stderr)]]
        # ... and its driver for the rest.
        flat = run_commands(python, [c for p in rest for c in p.commands])
        for p in rest:
            results.append(flat[: len(p.commands)])
            flat = flat[len(p.commands) :]
        failed = {p.case.id: r for p, rs in zip(prepared, results, strict=True) for r in rs if r[0] != 0}
        assert not failed, failed
        for p, rs in zip(prepared, results, strict=True):
            responses = [json.loads(out) if out.strip() else {} for _, out, _ in rs]
            await p.case.check(sm, merge_responses(responses))
    finally:
        await sm.close()
