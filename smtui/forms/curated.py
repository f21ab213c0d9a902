"""Hand-tuned forms, expressed as data.

Every operation gets a form from the model alone; a :class:`FormDef` only says what the
model cannot: which fields come first, sensible defaults, which record values prefill the
form, how dangerous the call is, and whether it is sent in chunks (batch node operations).

Paths: ``defaults`` keys and ``prefill`` targets are dotted input paths (``RuntimeConfig.
CopyCount``); ``prefill`` sources are record paths as in :mod:`smtui.catalog.types`
(``<list>.ClusterName`` reads the list request). ``A[].B`` <- ``C[].D`` copies element-wise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Danger = Literal["none", "confirm", "type-name"]

_TYPED_VERBS = ("Delete", "Stop", "BatchDelete", "BatchReplace", "BatchReboot")


@dataclass(frozen=True)
class FormDef:
    """What a form for ``operation`` looks like beyond what the model says.

    ``danger``: ``type-name`` asks the user to type the resource's name (``confirm_from``
    is the record path of that name; the type's key field when empty; ``confirm_qualified``
    joins several record paths with ``/`` where the name alone is weak); ``confirm`` asks
    yes/no. ``from_record`` copies same-named record members into the form (update forms).
    ``form``: False skips the form when prefill supplies the input (a plain delete), True
    always shows it, None decides by whether every member was prefilled. ``batch`` =
    (member, size) sends the marked rows' ``marked_from`` values in chunks of ``size``.
    """

    operation: str
    order: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    prefill: tuple[tuple[str, str], ...] = ()
    danger: Danger = "none"
    confirm_from: str = ""
    confirm_qualified: tuple[str, ...] = ()
    warning: str = ""
    from_record: bool = True
    form: bool | None = None
    batch: tuple[str, int] | None = None
    marked_from: str = ""
    expand: tuple[str, ...] = ()


def _d(op: str, **kw: Any) -> FormDef:
    return replace(generic_def(op), **kw)


def generic_def(op: str) -> FormDef:
    """The definition every operation gets without curation, derived from its name."""
    danger: Danger = "type-name" if op.startswith(_TYPED_VERBS) else "none"
    return FormDef(op, danger=danger, from_record=not op.startswith("Create"))


CURATED: dict[str, FormDef] = {
    d.operation: d
    for d in (
        # ---- HyperPod clusters
        _d(
            "CreateCluster",
            order=("ClusterName", "Orchestrator", "InstanceGroups", "VpcConfig", "NodeRecovery"),
            defaults={
                "NodeRecovery": "Automatic",
                "InstanceGroups": [{"InstanceGroupName": "workers", "InstanceCount": 1, "ThreadsPerCore": 1}],
            },
            expand=("InstanceGroups",),
        ),
        _d(
            "UpdateCluster",
            order=("ClusterName", "InstanceGroups", "NodeRecovery"),
            prefill=(("InstanceGroups[].InstanceCount", "InstanceGroups[].TargetCount"),),
            expand=("InstanceGroups",),
        ),
        _d(
            "UpdateClusterSoftware",
            order=("ClusterName", "InstanceGroups", "DeploymentConfig", "ImageId"),
            form=True,
        ),
        _d(
            "DeleteCluster",
            warning="Deleting a cluster terminates every node and deletes its instance volumes.",
        ),
        _d(
            "BatchRebootClusterNodes",
            confirm_from="<list>.ClusterName",
            prefill=(("ClusterName", "<list>.ClusterName"),),
            batch=("NodeIds", 25),
            marked_from="InstanceId",
            warning="Rebooting interrupts whatever runs on these nodes.",
        ),
        _d(
            "BatchReplaceClusterNodes",
            confirm_from="<list>.ClusterName",
            prefill=(("ClusterName", "<list>.ClusterName"),),
            batch=("NodeIds", 25),
            marked_from="InstanceId",
            warning="Replacing a node gives it a new instance: its instance volumes are WIPED.",
        ),
        # ---- inference components
        _d(
            "CreateInferenceComponent",
            order=("InferenceComponentName", "EndpointName", "VariantName", "Specification", "RuntimeConfig"),
            defaults={
                "RuntimeConfig": {"CopyCount": 1},
                "Specification": {"ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
            },
            # A Create* gets no record from the list (only its parameters): the endpoint comes
            # from the list reached with the endpoint's `i` jump, else from a record if given.
            prefill=(
                ("EndpointName", "<list>.EndpointNameEquals"),
                ("EndpointName", "EndpointName"),
                ("VariantName", "VariantName"),
            ),
            expand=("Specification", "RuntimeConfig"),
        ),
        _d(
            "UpdateInferenceComponent",
            order=("InferenceComponentName", "Specification", "RuntimeConfig"),
            prefill=(("RuntimeConfig.CopyCount", "RuntimeConfig.DesiredCopyCount"),),
            expand=("RuntimeConfig",),
        ),
        _d(
            "UpdateInferenceComponentRuntimeConfig",
            prefill=(("DesiredRuntimeConfig.CopyCount", "RuntimeConfig.DesiredCopyCount"),),
            form=True,
            expand=("DesiredRuntimeConfig",),
        ),
        _d("DeleteInferenceComponent"),
        # ---- MLflow
        _d(
            "CreateMlflowTrackingServer",
            order=(
                "TrackingServerName",
                "ArtifactStoreUri",
                "RoleArn",
                "TrackingServerSize",
                "MlflowVersion",
            ),
            defaults={"TrackingServerSize": "Small"},
        ),
        _d("UpdateMlflowTrackingServer", form=True),
        _d("StartMlflowTrackingServer"),
        _d(
            "StopMlflowTrackingServer",
            warning="The MLflow UI and API stop answering until it is started again.",
        ),
        _d("DeleteMlflowTrackingServer"),
        _d("CreateMlflowApp", order=("Name", "ArtifactStoreUri", "RoleArn")),
        _d("UpdateMlflowApp", form=True),
        _d("DeleteMlflowApp", confirm_from="Name"),
        # ---- model monitoring
        _d(
            "CreateModelQualityJobDefinition",
            order=(
                "JobDefinitionName",
                "RoleArn",
                "ModelQualityAppSpecification",
                "ModelQualityJobInput",
                "ModelQualityJobOutputConfig",
                "JobResources",
                "StoppingCondition",
            ),
            defaults={
                "JobResources": {
                    "ClusterConfig": {
                        "InstanceCount": 1,
                        "InstanceType": "ml.m5.xlarge",
                        "VolumeSizeInGB": 20,
                    }
                },
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            },
        ),
        # ---- real-time inference
        _d(
            "CreateEndpointConfig",
            order=("EndpointConfigName", "ProductionVariants", "ExecutionRoleArn"),
            defaults={
                "ProductionVariants": [
                    {"VariantName": "AllTraffic", "InitialInstanceCount": 1, "InstanceType": "ml.g5.xlarge"}
                ]
            },
            expand=("ProductionVariants",),
        ),
        _d("CreateEndpoint", order=("EndpointName", "EndpointConfigName")),
        _d("UpdateEndpoint", order=("EndpointName", "EndpointConfigName"), form=True),
        _d("DeleteEndpoint", warning="Inference components on this endpoint stop serving."),
        # ---- training
        _d(
            "CreateTrainingJob",
            order=(
                "TrainingJobName",
                "RoleArn",
                "AlgorithmSpecification",
                "InputDataConfig",
                "OutputDataConfig",
                "ResourceConfig",
                "StoppingCondition",
                "HyperParameters",
            ),
            defaults={
                "AlgorithmSpecification": {"TrainingInputMode": "File"},
                "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
                "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
            },
            expand=("AlgorithmSpecification", "OutputDataConfig", "ResourceConfig"),
        ),
        _d("StopTrainingJob"),
        # ---- Studio
        _d(
            "CreateDomain",
            order=("DomainName", "AuthMode", "VpcId", "SubnetIds", "DefaultUserSettings"),
            defaults={"AuthMode": "IAM"},
            expand=("DefaultUserSettings",),
        ),
        _d(
            "CreateUserProfile",
            order=("DomainId", "UserProfileName"),
            prefill=(("DomainId", "<list>.DomainIdEquals"), ("DomainId", "DomainId")),
        ),
        _d(
            "CreateSpace",
            order=("DomainId", "SpaceName", "SpaceDisplayName"),
            prefill=(("DomainId", "<list>.DomainIdEquals"), ("DomainId", "DomainId")),
        ),
        _d(
            "CreateApp",
            order=("DomainId", "UserProfileName", "SpaceName", "AppType", "AppName"),
            defaults={"AppType": "JupyterLab", "AppName": "default"},
            prefill=(
                ("DomainId", "<list>.DomainIdEquals"),
                ("UserProfileName", "<list>.UserProfileNameEquals"),
                ("SpaceName", "<list>.SpaceNameEquals"),
                ("DomainId", "DomainId"),
                ("UserProfileName", "UserProfileName"),
                ("SpaceName", "SpaceName"),
            ),
        ),
        # ---- endpoint traffic: the variants as they run now, so the user edits one number
        _d(
            "UpdateEndpointWeightsAndCapacities",
            form=True,
            expand=("DesiredWeightsAndCapacities",),
            prefill=(
                ("DesiredWeightsAndCapacities[].VariantName", "ProductionVariants[].VariantName"),
                ("DesiredWeightsAndCapacities[].DesiredWeight", "ProductionVariants[].CurrentWeight"),
                ("DesiredWeightsAndCapacities[].DesiredInstanceCount", "ProductionVariants[].CurrentInstanceCount"),
            ),
            warning="Changes live traffic: weights are relative across variants; instance counts scale now.",
        ),
        # Nearly every Studio app is named "default": typing that proves nothing about which
        # user's app goes, so the confirmation asks for domain/owner/type/name.
        _d(
            "DeleteApp",
            form=False,
            confirm_qualified=("DomainId", "UserProfileName", "SpaceName", "AppType", "AppName"),
        ),
    )
}


def form_def(op: str) -> FormDef:
    """The curated definition of ``op``, or the generic one."""
    return CURATED.get(op) or generic_def(op)
