"""HyperPod clusters: creation quirks, node pagination, updates and node failures."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE, paginate


def _group(name: str, count: int, itype: str = "ml.g5.8xlarge", threads: bool = False) -> dict[str, Any]:
    group: dict[str, Any] = {
        "InstanceGroupName": name,
        "InstanceType": itype,
        "InstanceCount": count,
        "ExecutionRole": ROLE,
        "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-lifecycle/scripts/", "OnCreate": "on_create.sh"},
    }
    if threads:
        group["ThreadsPerCore"] = 2
    return group


async def test_create_without_threads_per_core_and_modern_types(sm: Any) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("workers", 2, "ml.p5.48xlarge")])
    cluster = await sm.describe_cluster(ClusterName="c1")
    assert cluster["ClusterStatus"] == "InService"
    [group] = cluster["InstanceGroups"]
    assert (group["CurrentCount"], group["TargetCount"], group["ThreadsPerCore"]) == (2, 2, 1)


async def test_list_cluster_nodes_paginates(sm: Any) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 3), _group("b", 2, threads=True)])
    pages = await paginate(
        sm, "list_cluster_nodes", "ClusterNodeSummaries", ClusterName="c1", PaginationConfig={"PageSize": 2}
    )
    assert [len(p) for p in pages] == [2, 2, 1]
    ids = [n["InstanceId"] for p in pages for n in p]
    assert len(set(ids)) == 5 and all(i.startswith("i-") for i in ids)
    only_b = await sm.list_cluster_nodes(ClusterName="c1", InstanceGroupNameContains="b")
    assert {n["InstanceGroupName"] for n in only_b["ClusterNodeSummaries"]} == {"b"}
    node = await sm.describe_cluster_node(ClusterName="c1", NodeId=ids[0])
    assert node["NodeDetails"]["InstanceStatus"]["Status"] == "Running"


async def test_cluster_and_node_pacing(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("cluster", {"progression": "manual", "times": 1})
    emu.set_pace("cluster-node", {"progression": "manual", "times": 1})
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 1)])
    nodes = (await sm.list_cluster_nodes(ClusterName="c1"))["ClusterNodeSummaries"]
    assert nodes[0]["InstanceStatus"]["Status"] == "Pending"
    assert (await sm.describe_cluster(ClusterName="c1"))["ClusterStatus"] == "InService"
    node = await sm.describe_cluster_node(ClusterName="c1", NodeId=nodes[0]["InstanceId"])
    assert node["NodeDetails"]["InstanceStatus"]["Status"] == "Running"


async def test_update_cluster_scales_groups(sm: Any, emu: EmulatorServer) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 1)])
    emu.set_pace("cluster", {"progression": "manual", "times": 1})
    await sm.update_cluster(ClusterName="c1", InstanceGroups=[_group("a", 3), _group("new", 1)])
    with pytest.raises(ClientError, match="Cannot update"):
        await sm.update_cluster(ClusterName="c1", InstanceGroups=[_group("a", 1)])
    cluster = await sm.describe_cluster(ClusterName="c1")
    assert cluster["ClusterStatus"] == "InService"
    counts = {g["InstanceGroupName"]: (g["CurrentCount"], g["TargetCount"]) for g in cluster["InstanceGroups"]}
    assert counts == {"a": (3, 3), "new": (1, 1)}
    await sm.update_cluster_software(ClusterName="c1")
    listed = (await sm.list_clusters())["ClusterSummaries"]
    assert listed[0]["ClusterStatus"] == "SystemUpdating"


async def test_batch_node_operations(sm: Any) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 3)])
    ids = [n["InstanceId"] for n in (await sm.list_cluster_nodes(ClusterName="c1"))["ClusterNodeSummaries"]]
    result = await sm.batch_delete_cluster_nodes(ClusterName="c1", NodeIds=[ids[0], "i-00000000000000000"])
    assert result["Successful"] == [ids[0]]
    assert result["Failed"][0]["NodeId"] == "i-00000000000000000"
    remaining = (await sm.list_cluster_nodes(ClusterName="c1"))["ClusterNodeSummaries"]
    assert len(remaining) == 2
    assert (await sm.batch_reboot_cluster_nodes(ClusterName="c1", NodeIds=[ids[1]]))["Successful"] == [ids[1]]
    assert (await sm.batch_replace_cluster_nodes(ClusterName="c1", NodeIds=[ids[2]]))["Successful"] == [ids[2]]


@pytest.mark.parametrize(
    ("operation", "error_shape", "code_member"),
    [
        ("batch_delete_cluster_nodes", "BatchDeleteClusterNodesError", "Code"),
        ("batch_reboot_cluster_nodes", "BatchRebootClusterNodesError", "ErrorCode"),
        ("batch_replace_cluster_nodes", "BatchReplaceClusterNodesError", "ErrorCode"),
    ],
)
async def test_a_node_that_is_not_there_fails_with_a_code_from_the_models_enum(
    sm: Any, operation: str, error_shape: str, code_member: str
) -> None:
    # Finding: the emulator answered BatchDeleteClusterNodes with InstanceIdNotFound, a code
    # outside that operation's enum (NodeIdNotFound); a client switching on it would miss.
    shape = botocore.session.get_session().get_service_model("sagemaker").shape_for(error_shape)
    enum = shape.members[code_member].enum
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 1)])
    result = await getattr(sm, operation)(ClusterName="c1", NodeIds=["i-00000000000000000"])
    [failed] = result["Failed"]
    assert result["Successful"] == []
    assert failed["NodeId"] == "i-00000000000000000"
    assert failed[code_member] in enum and failed[code_member].endswith("IdNotFound"), (failed, enum)
    assert set(failed) <= set(shape.members)


async def test_failing_node_and_cluster(sm: Any, emu: EmulatorServer) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 2)])
    node_id = (await sm.list_cluster_nodes(ClusterName="c1"))["ClusterNodeSummaries"][0]["InstanceId"]
    assert emu.fail(node_id, "GPU Xid 79") == "cluster_node"
    node = (await sm.describe_cluster_node(ClusterName="c1", NodeId=node_id))["NodeDetails"]
    assert node["InstanceStatus"] == {"Status": "Failure", "Message": "GPU Xid 79"}
    cluster = await sm.describe_cluster(ClusterName="c1")
    assert cluster["InstanceGroups"][0]["Status"] == "Degraded"
    emu.fail("c1", "VPC subnet has no free IPs")
    cluster = await sm.describe_cluster(ClusterName="c1")
    assert (cluster["ClusterStatus"], cluster["FailureMessage"]) == ("Failed", "VPC subnet has no free IPs")


async def test_delete_cluster(sm: Any) -> None:
    await sm.create_cluster(ClusterName="c1", InstanceGroups=[_group("a", 1)])
    await sm.delete_cluster(ClusterName="c1")
    assert (await sm.list_clusters())["ClusterSummaries"] == []
