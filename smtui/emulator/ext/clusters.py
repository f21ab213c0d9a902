"""HyperPod clusters: moving statuses, realistic nodes, and the Update/Batch operations."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import random
import uuid
from typing import Any

from moto.sagemaker.models import Cluster, ClusterNode

from smtui.emulator.ext.base import (
    ActionResult,
    ConflictException,
    ExtBase,
    ResourceInUseException,
    ResourceNotFound,
    ValidationError,
)
from smtui.emulator.ext.state import (
    ExtState,
    Failer,
    filter_sort,
    page,
    register_finder,
    utcnow,
)
from smtui.emulator.lifecycle import GONE

CL = "cluster"
NODE = "cluster-node"
EVENT = "cluster-event"
MAX_EVENTS = 2_000
"""Events kept per account and region (oldest dropped first), so a long demo stays small."""
_rng = random.Random(7)
_counter = itertools.count(1)


def epoch_of(value: Any) -> float:
    """A timestamp (a datetime, naive meaning UTC; epoch seconds; or an ISO string) as epoch
    seconds; 0.0 for none."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    try:
        return float(text)
    except ValueError:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def reset_ids() -> None:
    """Start the node ids over (on a reset): the same seed then gives the same ids, which
    snapshot tests and screenshots rely on whatever ran before in the process."""
    global _rng, _counter
    _rng = random.Random(7)
    _counter = itertools.count(1)


def new_node_id() -> str:
    """An EC2-style instance id (moto uses ``<group>-<n>``, which no real cluster shows)."""
    return f"i-0{_rng.getrandbits(64):016x}"


def cluster_id(state: ExtState, name: str) -> str:
    """The 12-character id a cluster's ARN ends in (the model's pattern: ``cluster/[a-z0-9]{12}``).

    Derived from the name and how many clusters of that name this account has had, so the
    demo's ARNs are the same every run, yet a cluster created again under an old name gets a
    new ARN, as on AWS."""
    generations = state.store("cluster-generation")
    generation = int(generations.get(name, {}).get("n", 0)) + 1
    generations[name] = {"n": generation}
    digest = hashlib.sha256(f"{state.account_id}/{state.region}/{name}/{generation}".encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:12])


def _cluster(state: ExtState, name: str) -> Any:
    """A cluster by name or ARN (every cluster operation accepts either)."""
    if name.startswith("arn:"):
        cluster = next((c for c in state.backend.clusters.values() if c.arn == name), None)
    else:
        cluster = state.backend.clusters.get(name)
    if cluster is None:
        raise ResourceNotFound(message=f"Could not find cluster '{name}'.")
    return cluster


def record_event(
    state: ExtState,
    cluster_name: str,
    description: str,
    *,
    level: str = "Info",
    group: str | None = None,
    instance: str | None = None,
) -> None:
    """Remember one ListClusterEvents entry: about the cluster, an instance group or a node."""
    cluster = state.backend.clusters.get(cluster_name)
    if cluster is None:
        return
    resource = "Instance" if instance else ("InstanceGroup" if group else "Cluster")
    events = state.store(EVENT)
    event_id = str(uuid.uuid4())  # the model's pattern: a UUID
    events[event_id] = {
        "_seq": next(_counter),  # ties in EventTime keep the order things happened in
        "EventId": event_id,
        "ClusterArn": cluster.arn,
        "ClusterName": cluster_name,
        "InstanceGroupName": group,
        "InstanceId": instance,
        "ResourceType": resource,
        "EventTime": utcnow(),
        "Description": description,
        "EventLevel": level,
    }
    while len(events) > MAX_EVENTS:
        del events[next(iter(events))]


def _node_event(state: ExtState, cluster_name: str, node_id: str, status: str, message: str = "") -> None:
    cluster = state.backend.clusters.get(cluster_name)
    node = None if cluster is None else cluster.nodes.get(node_id)
    group = node.instance_group_name if node is not None else None
    old = f"from {node.status} " if node is not None and node.status != status else ""
    level = "Error" if status == "Failure" else ("Info" if status in ("Running", "Pending") else "Warn")
    text = f"Instance {node_id} status changed {old}to {status}" + (f": {message}" if message else "")
    record_event(state, cluster_name, text, level=level, group=group, instance=node_id)


def track_cluster(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a cluster to InService (or away, from Deleting)."""

    def apply(status: str) -> None:
        cluster = state.backend.clusters.get(name)
        if cluster is None:
            return
        if status == GONE:
            del state.backend.clusters[name]
            return
        if cluster.status != status:
            record_event(state, name, f"Cluster status changed from {cluster.status} to {status}")
        cluster.status = status

    steps = {"Deleting": GONE} if initial == "Deleting" else {initial: "InService"}
    state.track(CL, name, steps, initial, apply, fail=_cluster_failer(state, name), fail_reason=fail_reason)


def _cluster_failer(state: ExtState, name: str) -> Failer:
    def fail(reason: str) -> None:
        cluster = state.backend.clusters.get(name)
        if cluster is not None:
            record_event(state, name, f"Cluster failed: {reason}", level="Error")
            cluster.status = "Failed"
            cluster.failure_message = reason
        state.untrack(CL, name)

    return fail


def track_node(state: ExtState, cluster_name: str, node_id: str, initial: str) -> None:
    """Walk a node to Running (or away, from ShuttingDown)."""

    def apply(status: str) -> None:
        cluster = state.backend.clusters.get(cluster_name)
        node = None if cluster is None else cluster.nodes.get(node_id)
        if node is None:
            return
        if status == GONE:
            record_event(
                state, cluster_name, f"Instance {node_id} terminated", group=node.instance_group_name, instance=node_id
            )
            del cluster.nodes[node_id]
            return
        if node.status != status:
            _node_event(state, cluster_name, node_id, status)
        node.status = status
        node.smtui_message = "" if status == "Running" else node.__dict__.get("smtui_message", "")

    steps = {"ShuttingDown": GONE} if initial == "ShuttingDown" else {initial: "Running"}
    state.track(NODE, f"{cluster_name}/{node_id}", steps, initial, apply)


def set_node_status(state: ExtState, cluster_name: str, node_id: str, status: str, message: str = "") -> None:
    """Put a node in a status with a message, stopping any walk it was on."""
    node = _cluster(state, cluster_name).nodes[node_id]
    state.untrack(NODE, f"{cluster_name}/{node_id}")
    _node_event(state, cluster_name, node_id, status, message)
    node.status = status
    node.smtui_message = message


def add_node(state: ExtState, cluster: Any, group: dict[str, Any], status: str = "Pending") -> str:
    """Add a node to an instance group, walking from ``status`` to Running."""
    node_id = new_node_id()
    node = ClusterNode(
        region_name=state.region,
        account_id=state.account_id,
        cluster_name=cluster.cluster_name,
        instance_group_name=group["InstanceGroupName"],
        instance_type=group["InstanceType"],
        life_cycle_config=group.get("LifeCycleConfig", {}),
        execution_role=group.get("ExecutionRole", ""),
        node_id=node_id,
        threads_per_core=group.get("ThreadsPerCore", 1),
    )
    # Extra attributes on moto's object: it has no IP, and nothing of moto reads them.
    node.__dict__["ip"] = f"10.1.{next(_counter) % 250}.{_rng.randint(2, 250)}"
    cluster.nodes[node_id] = node
    node.status = status  # launched in it: moto's default (Running) never happened
    track_node(state, cluster.cluster_name, node_id, status)
    return node_id


def node_view(node: Any, *, details: bool = False) -> dict[str, Any]:
    """A node as ListClusterNodes/DescribeClusterNode show it."""
    ip = node.__dict__.get("ip", "10.1.0.10")
    view: dict[str, Any] = {
        "InstanceGroupName": node.instance_group_name,
        "InstanceId": node.instance_id,
        "InstanceType": node.instance_type,
        "LaunchTime": node.launch_time,
        "InstanceStatus": {"Status": node.status, "Message": node.__dict__.get("smtui_message", "")},
        "PrivateDnsHostname": f"ip-{ip.replace('.', '-')}.ec2.internal",
    }
    if details:
        view.update(
            LifeCycleConfig=node.life_cycle_config,
            ThreadsPerCore=node.threads_per_core,
            PrivatePrimaryIp=ip,
            Placement={"AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1"},
        )
    return view


def cluster_view(state: ExtState, cluster: Any) -> dict[str, Any]:
    """DescribeCluster, with counts computed from the nodes that are actually Running."""
    groups = []
    for spec in cluster.instance_groups:
        group = {k: v for k, v in spec.items() if k != "InstanceCount"}
        nodes = [n for n in cluster.nodes.values() if n.instance_group_name == spec["InstanceGroupName"]]
        running = sum(1 for n in nodes if n.status == "Running")
        group["CurrentCount"] = running
        group["TargetCount"] = spec.get("TargetCount", len(nodes))
        group["Status"] = (
            "InService"
            if running == group["TargetCount"] and cluster.status == "InService"
            else ("Creating" if cluster.status == "Creating" else "Updating")
        )
        if cluster.status == "Failed" or any(n.status == "Failure" for n in nodes):
            group["Status"] = "Degraded" if cluster.status != "Failed" else "Failed"
        groups.append(group)
    return {
        "ClusterArn": cluster.arn,
        "ClusterName": cluster.cluster_name,
        "ClusterStatus": cluster.status,
        "CreationTime": cluster.creation_time,
        "FailureMessage": cluster.failure_message or None,
        "InstanceGroups": groups,
        "VpcConfig": cluster.vpc_config,
        "NodeRecovery": cluster.__dict__.get("node_recovery", "Automatic"),
        "Orchestrator": cluster.__dict__.get("orchestrator"),
    }


def create_cluster(
    state: ExtState,
    name: str,
    groups: list[dict[str, Any]],
    *,
    vpc_config: dict[str, Any] | None = None,
    tags: list[dict[str, str]] | None = None,
    fail_reason: str | None = None,
) -> Any:
    """Create a cluster in process: Creating with Pending nodes (used by handler and seeds)."""
    if name in state.backend.clusters:
        raise ResourceInUseException(message=f"Cluster with name {name} already exists.")
    specs = copy.deepcopy(groups)
    for spec in specs:
        _instance_type(spec)
        spec.setdefault("ThreadsPerCore", 1)
        spec.setdefault("LifeCycleConfig", {"SourceS3Uri": "s3://sagemaker-lifecycle/", "OnCreate": "on_create.sh"})
    cluster = Cluster(
        cluster_name=name,
        region_name=state.region,
        account_id=state.account_id,
        instance_groups=specs,
        vpc_config=vpc_config or {"SecurityGroupIds": ["sg-0demo"], "Subnets": ["subnet-0demo"]},
        tags=tags,
    )
    cluster.arn = state.arn("cluster", cluster_id(state, name))
    state.backend.clusters[name] = cluster
    for spec in cluster.instance_groups:
        for _ in range(int(spec["TargetCount"])):
            add_node(state, cluster, spec)
    cluster.status = "Creating"  # created in it: moto's default (InService) never happened
    track_cluster(state, name, "Creating", fail_reason)
    return cluster


def _instance_type(spec: dict[str, Any]) -> None:
    """Give an instance group its ``InstanceType``: the member, else the first of
    ``InstanceRequirements.InstanceTypes`` (flexible groups). moto needs one; SageMaker
    refuses a group with neither."""
    if spec.get("InstanceType"):
        return
    choices = (spec.get("InstanceRequirements") or {}).get("InstanceTypes") or []
    if not choices:
        raise ValidationError(
            message=f"Instance group {spec.get('InstanceGroupName')} needs an InstanceType "
            "or InstanceRequirements.InstanceTypes."
        )
    spec["InstanceType"] = choices[0]


@register_finder
def _find_cluster(state: ExtState, name: str) -> Failer | None:
    return _cluster_failer(state, name) if name in state.backend.clusters else None


@register_finder
def _find_cluster_node(state: ExtState, name: str) -> Failer | None:
    for cluster in state.backend.clusters.values():
        if name in cluster.nodes:
            cluster_name = cluster.cluster_name

            def fail(reason: str, cluster_name: str = cluster_name) -> None:
                set_node_status(state, cluster_name, name, "Failure", reason)

            return fail
    return None


class ClusterMixin(ExtBase):
    """Cluster overlays plus UpdateCluster, UpdateClusterSoftware and the node batches."""

    def create_cluster(self) -> ActionResult:
        cluster = create_cluster(
            self.ext,
            self.p("ClusterName"),
            self.p("InstanceGroups", []),
            vpc_config=self.p("VpcConfig"),
            tags=self.p("Tags"),
            fail_reason=self.fail_reason,
        )
        cluster.node_recovery = self.p("NodeRecovery", "Automatic")
        cluster.orchestrator = self.p("Orchestrator")
        return ActionResult({"ClusterArn": cluster.arn})

    def describe_cluster(self) -> ActionResult:
        cluster = _cluster(self.ext, self.p("ClusterName"))
        self.ext.touch(CL, cluster.cluster_name)
        return ActionResult(cluster_view(self.ext, cluster))

    def delete_cluster(self) -> ActionResult:
        cluster = _cluster(self.ext, self.p("ClusterName"))
        if cluster.status == "Deleting":
            raise ConflictException(f"Cluster {cluster.cluster_name} is already being deleted.")
        track_cluster(self.ext, cluster.cluster_name, "Deleting")
        return ActionResult({"ClusterArn": cluster.arn})

    def describe_cluster_node(self) -> ActionResult:
        cluster = _cluster(self.ext, self.p("ClusterName"))
        node_id = self.p("NodeId")
        self.ext.touch(NODE, f"{cluster.cluster_name}/{node_id}")
        node = cluster.nodes.get(node_id)
        if node is None:
            raise ResourceNotFound(message=f"Could not find node '{node_id}' in cluster '{cluster.cluster_name}'.")
        return ActionResult({"NodeDetails": node_view(node, details=True)})

    def list_cluster_nodes(self) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        cluster = _cluster(self.ext, self.p("ClusterName"))
        views = [node_view(n) for n in cluster.nodes.values()]
        contains = params.get("InstanceGroupNameContains")
        if contains:
            views = [v for v in views if contains in v["InstanceGroupName"]]
        views = [dict(v) for v in filter_sort(views, params, name_key="InstanceGroupName", created_key="LaunchTime")]
        items, token = page(views, params, default=100)
        return ActionResult({"ClusterNodeSummaries": items, "NextToken": token})

    def update_cluster(self) -> ActionResult:
        state = self.ext
        cluster = _cluster(state, self.p("ClusterName"))
        if cluster.status not in ("InService", "Failed"):
            raise ConflictException(f"Cannot update cluster {cluster.cluster_name} in status {cluster.status}.")
        groups = {g["InstanceGroupName"]: g for g in cluster.instance_groups}
        for spec in self.p("InstanceGroups", []):
            group = groups.get(spec["InstanceGroupName"])
            if group is None:
                group = {k: v for k, v in spec.items() if k != "InstanceCount"}
                _instance_type(group)
                group.setdefault("ThreadsPerCore", 1)
                cluster.instance_groups.append(group)
                groups[spec["InstanceGroupName"]] = group
            else:
                group.update({k: v for k, v in spec.items() if k != "InstanceCount"})
            group["TargetCount"] = int(spec["InstanceCount"])
            self._cl_reconcile(cluster, group)
        for name in self.p("InstanceGroupsToDelete", []):
            for node_id, node in list(cluster.nodes.items()):
                if node.instance_group_name == name:
                    track_node(state, cluster.cluster_name, node_id, "ShuttingDown")
            cluster.instance_groups[:] = [g for g in cluster.instance_groups if g["InstanceGroupName"] != name]
        if self.p("NodeRecovery"):
            cluster.node_recovery = self.p("NodeRecovery")
        track_cluster(state, cluster.cluster_name, "Updating")
        return ActionResult({"ClusterArn": cluster.arn})

    def _cl_reconcile(self, cluster: Any, group: dict[str, Any]) -> None:
        nodes = [
            (i, n)
            for i, n in cluster.nodes.items()
            if n.instance_group_name == group["InstanceGroupName"] and n.status != "ShuttingDown"
        ]
        target = int(group["TargetCount"])
        for _ in range(target - len(nodes)):
            add_node(self.ext, cluster, group)
        for node_id, _node in nodes[target:]:
            track_node(self.ext, cluster.cluster_name, node_id, "ShuttingDown")

    def update_cluster_software(self) -> ActionResult:
        cluster = _cluster(self.ext, self.p("ClusterName"))
        if cluster.status != "InService":
            raise ConflictException(
                f"Cannot update software of cluster {cluster.cluster_name} in status {cluster.status}."
            )
        track_cluster(self.ext, cluster.cluster_name, "SystemUpdating")
        return ActionResult({"ClusterArn": cluster.arn})

    def _cl_batch(self, status: str, code_key: str, not_found: str) -> ActionResult:
        cluster = _cluster(self.ext, self.p("ClusterName"))
        ok: list[str] = []
        failed: list[dict[str, str]] = []
        for node_id in self.p("NodeIds", []):
            if node_id not in cluster.nodes:
                failed.append({"NodeId": node_id, code_key: not_found, "Message": "Node not found."})
                continue
            if status == "ShuttingDown":
                node = cluster.nodes[node_id]
                for group in cluster.instance_groups:
                    if group["InstanceGroupName"] == node.instance_group_name:
                        group["TargetCount"] = max(0, int(group["TargetCount"]) - 1)
            else:
                cluster.nodes[node_id].launch_time = utcnow()
            track_node(self.ext, cluster.cluster_name, node_id, status)
            ok.append(node_id)
        return ActionResult({"Successful": ok, "Failed": failed})

    def batch_delete_cluster_nodes(self) -> ActionResult:
        # Each batch has its own error enum: delete's says NodeId, reboot's and replace's InstanceId.
        return self._cl_batch("ShuttingDown", "Code", "NodeIdNotFound")

    def batch_reboot_cluster_nodes(self) -> ActionResult:
        return self._cl_batch("Pending", "ErrorCode", "InstanceIdNotFound")

    def batch_replace_cluster_nodes(self) -> ActionResult:
        return self._cl_batch("Pending", "ErrorCode", "InstanceIdNotFound")
