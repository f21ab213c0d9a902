"""Curated HyperPod and inference types."""

from __future__ import annotations

from smtui.catalog.curated._common import NAME, age, status
from smtui.catalog.derive import Curation
from smtui.catalog.types import Column, Jump, ParentSpec

_CLUSTER_PARENT = ParentSpec("clusters", (("ClusterName", "ClusterName"),))

SERVING: dict[str, Curation] = {
    # --- HyperPod ---------------------------------------------------------------------------
    "ListClusters": Curation(
        title="HyperPod clusters",
        aliases=("hp", "hyperpod"),
        group="HyperPod",
        columns=(
            Column("ClusterName", NAME),
            status("ClusterStatus"),
            # Instance groups are only in DescribeCluster: the UI sums current/target counts.
            Column("InstanceGroups", "NODES", "counts", extra=("CurrentCount", "TargetCount"), from_describe=True),
            Column("ImageVersionStatus", "IMAGE"),
            age(),
        ),
        jumps=(
            Jump("n", "Nodes", "cluster-nodes", list_params=(("ClusterName", "ClusterName"),)),
            Jump("e", "Events", "cluster-events", list_params=(("ClusterName", "ClusterName"),)),
        ),
        # InService says nothing of the nodes: one failing p5 node stops a training run.
        member_health=("cluster-nodes", "InstanceGroupName"),
        extra_actions=(
            ("update-software", "UpdateClusterSoftware"),
            ("health-check", "StartClusterHealthCheck"),
        ),
    ),
    "ListClusterNodes": Curation(
        title="HyperPod nodes",
        aliases=("nodes", "hpn"),
        group="HyperPod",
        key_field="InstanceId",
        describe_params=(("ClusterName", "<list>.ClusterName"), ("NodeId", "InstanceId")),
        # The node status is nested: InstanceStatus.{Status, Message}.
        status_field="InstanceStatus.Status",
        columns=(
            Column("InstanceId", "INSTANCE", width=21),
            Column("InstanceGroupName", "GROUP"),
            Column("InstanceType", "TYPE"),
            status("InstanceStatus.Status"),
            age("LaunchTime"),
            # Last: the one long column, so the short ones stay on screen at 80 columns.
            Column("InstanceStatus.Message", "MESSAGE"),
        ),
        parent=_CLUSTER_PARENT,
        time_field="LaunchTime",
        # "Failure" and "NotFound" fail; every other non-Running state is on its way somewhere.
        failed=frozenset({"Failure", "NotFound"}),
        # Status sorts by severity: the failing node is the first row.
        sort_by="InstanceStatus.Status",
        jumps=(Jump("c", "Cluster", "clusters", describe_from="<list>.ClusterName"),),
    ),
    # Only clusters with NodeProvisioningMode=Continuous have events.
    "ListClusterEvents": Curation(
        title="HyperPod cluster events",
        aliases=("hpe", "events"),
        group="HyperPod",
        parent=_CLUSTER_PARENT,
        time_field="EventTime",
        columns=(
            Column("EventLevel", "LEVEL", width=7),
            Column("InstanceGroupName", "GROUP", drop=9),
            Column("InstanceId", "INSTANCE", width=21, drop=8),
            # What happened: the last to go on a narrow terminal.
            Column("Description", "DESCRIPTION", drop=0),
            age("EventTime"),
        ),
        jumps=(Jump("c", "Cluster", "clusters", describe_from="ClusterName"),),
    ),
    # --- Inference --------------------------------------------------------------------------
    "ListInferenceComponents": Curation(
        aliases=("ic",),
        group="Inference",
        columns=(
            Column("InferenceComponentName", NAME),
            Column("EndpointName", "ENDPOINT"),
            status("InferenceComponentStatus"),
            # The summary has no RuntimeConfig; copies come from DescribeInferenceComponent.
            Column(
                "RuntimeConfig.DesiredCopyCount",
                "COPIES",
                "copies",
                extra=("RuntimeConfig.CurrentCopyCount",),
                from_describe=True,
                drop=0,  # what W changes, and what scaling is judged by: it stays at 80 columns
            ),
            Column("VariantName", "VARIANT"),
            age(),
        ),
        jumps=(
            Jump("e", "Endpoint", "endpoints", describe_from="EndpointName"),
            Jump("m", "Model", "models", describe_from="Specification.ModelName"),
        ),
        extra_actions=(("scale", "UpdateInferenceComponentRuntimeConfig"),),
    ),
    "ListEndpoints": Curation(
        aliases=("ep",),
        group="Inference",
        columns=(
            Column("EndpointName", NAME),
            status("EndpointStatus"),
            Column("LastModifiedTime", "UPDATED", "time"),
            age(),
        ),
        jumps=(
            Jump("c", "Endpoint config", "endpoint-configs", describe_from="EndpointConfigName"),
            Jump(
                "i",
                "Inference components",
                "inference-components",
                list_params=(("EndpointNameEquals", "EndpointName"),),
            ),
            Jump(
                "s",
                "Monitoring schedules",
                "monitoring-schedules",
                list_params=(("EndpointName", "EndpointName"),),
            ),
        ),
        extra_actions=(("update-weights", "UpdateEndpointWeightsAndCapacities"),),
    ),
    "ListEndpointConfigs": Curation(
        aliases=("epc", "ec"),
        group="Inference",
        columns=(Column("EndpointConfigName", NAME), age()),
        jumps=(Jump("m", "Models", "models", describe_from="ProductionVariants[].ModelName"),),
    ),
    "ListModels": Curation(aliases=("mo",), group="Inference", columns=(Column("ModelName", NAME), age())),
    "ListModelPackageGroups": Curation(
        aliases=("mpg",),
        group="Inference",
        columns=(Column("ModelPackageGroupName", NAME), status("ModelPackageGroupStatus"), age()),
        jumps=(
            Jump(
                "p",
                "Model packages",
                "model-packages",
                list_params=(("ModelPackageGroupName", "ModelPackageGroupName"),),
            ),
        ),
    ),
    "ListModelPackages": Curation(
        aliases=("mp",),
        list_defaults=(("ModelPackageType", "Both"),),
        group="Inference",
        # Versioned packages share the group's name; only the ARN names one version.
        key_field="ModelPackageArn",
        describe_params=(("ModelPackageName", "ModelPackageArn"),),
        columns=(
            Column("ModelPackageGroupName", "GROUP"),
            Column("ModelPackageVersion", "VER", "number", width=4),
            status("ModelPackageStatus"),
            Column("ModelApprovalStatus", "APPROVAL"),
            age(),
        ),
        jumps=(Jump("g", "Package group", "model-package-groups", describe_from="ModelPackageGroupName"),),
    ),
}
