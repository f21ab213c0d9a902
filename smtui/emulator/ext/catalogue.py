"""List operations moto lacks for types the demo account has: feature groups, cluster events.

Without them those types open to an empty list in the demo even though the account holds
them; the console's catalogue promises every type can be browsed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError

from smtui.emulator.ext.base import ExtBase
from smtui.emulator.ext.clusters import _cluster
from smtui.emulator.ext.state import Record, filter_sort, page, public


def _event_id(*parts: str) -> str:
    return "ev-" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:16]


def cluster_events(cluster: Any) -> list[Record]:
    """Events derived from the cluster's state: its creation, each node's launch, each fault."""
    base = {"ClusterArn": cluster.arn, "ClusterName": cluster.cluster_name}
    events: list[Record] = [
        {
            **base,
            "EventId": _event_id(cluster.cluster_name, "created"),
            "ResourceType": "Cluster",
            "EventTime": cluster.creation_time,
            "Description": f"Cluster {cluster.cluster_name} created",
            "EventLevel": "Info",
        }
    ]
    for node_id, node in cluster.nodes.items():
        common = {
            **base,
            "InstanceGroupName": node.instance_group_name,
            "InstanceId": node_id,
            "ResourceType": "Instance",
        }
        events.append(
            {
                **common,
                "EventId": _event_id(cluster.cluster_name, node_id, "launch"),
                "EventTime": node.launch_time,
                "Description": f"Instance {node_id} launched in {node.instance_group_name}",
                "EventLevel": "Info",
            }
        )
        if node.status != "Running":
            message = getattr(node, "smtui_message", "") or f"Instance is {node.status}"
            events.append(
                {
                    **common,
                    "EventId": _event_id(cluster.cluster_name, node_id, node.status),
                    "EventTime": node.launch_time,
                    "Description": message,
                    "EventLevel": "Error" if node.status == "Failure" else "Warning",
                }
            )
    return events


class CatalogueMixin(ExtBase):
    """ListFeatureGroups, ListClusterEvents and DescribeClusterEvent."""

    def list_feature_groups(self) -> ActionResult:
        params = dict(self.params)
        groups = [fg.describe() for fg in self.sagemaker_backend.feature_groups.values()]
        records = filter_sort(
            groups,
            params,
            name_key="FeatureGroupName",
            status_key="FeatureGroupStatus",
            status_param="FeatureGroupStatusEquals",
        )
        items, token = page(records, params)
        keys = ("FeatureGroupName", "FeatureGroupArn", "CreationTime", "FeatureGroupStatus")
        return ActionResult(
            {"FeatureGroupSummaries": [{k: g[k] for k in keys if k in g} for g in items], "NextToken": token}
        )

    def list_cluster_events(self) -> ActionResult:
        params = dict(self.params)
        cluster = _cluster(self.ext, str(params["ClusterName"]).rsplit("/", 1)[-1])
        events = cluster_events(cluster)
        for param, key in (
            ("InstanceGroupName", "InstanceGroupName"),
            ("NodeId", "InstanceId"),
            ("ResourceType", "ResourceType"),
        ):
            if params.get(param):
                events = [e for e in events if e.get(key) == params[param]]
        events.sort(key=lambda e: e["EventTime"], reverse=params.get("SortOrder", "Descending") == "Descending")
        items, token = page(events, params)
        return ActionResult({"Events": [public(e) for e in items], "NextToken": token})

    def describe_cluster_event(self) -> ActionResult:
        cluster = _cluster(self.ext, str(self.params["ClusterName"]).rsplit("/", 1)[-1])
        for event in cluster_events(cluster):
            if event["EventId"] == self.params["EventId"]:
                return ActionResult({"EventDetails": public(event)})
        raise ValidationError(message=f"Could not find event '{self.params['EventId']}'.")
