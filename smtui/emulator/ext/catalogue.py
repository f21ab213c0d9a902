"""List operations moto lacks for types the demo account has: feature groups, cluster events,
pipeline execution steps.

Without them those types open to an empty list in the demo even though the account holds
them; the console's catalogue promises every type can be browsed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.utils import get_pipeline_execution_from_arn

from smtui.emulator.ext.base import ExtBase
from smtui.emulator.ext.clusters import EVENT, _cluster, epoch_of
from smtui.emulator.ext.state import ExtState, Record, filter_sort, page, public


def _event_id(*parts: str) -> str:
    """A stable UUID (the model's EventId pattern) for an event derived from state."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "smtui-event/" + "/".join(parts)))


def cluster_events(state: ExtState, cluster: Any) -> list[Record]:
    """The cluster's creation and each node's launch (derived from its state), then every
    status change the emulator recorded as it happened (:func:`record_event`)."""
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
        events.append(
            {
                **base,
                "InstanceGroupName": node.instance_group_name,
                "InstanceId": node_id,
                "ResourceType": "Instance",
                "EventId": _event_id(cluster.cluster_name, node_id, "launch"),
                "EventTime": node.launch_time,
                "Description": f"Instance {node_id} launched in {node.instance_group_name}",
                "EventLevel": "Info",
            }
        )
    events.extend(e for e in state.store(EVENT).values() if e["ClusterName"] == cluster.cluster_name)
    # moto's times are naive UTC, the extension's aware: one kind, so they sort together.
    return [{**e, "EventTime": _aware(e["EventTime"])} for e in events]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


STEP_MINUTES = 7
"""How long each demo pipeline step seems to have run."""


def execution_steps(execution: Any) -> list[Record]:
    """The steps of a pipeline execution, oldest first, as far as its status says it got.

    Succeeded: every step succeeded. Failed: the step its failure reason names (``Step Train
    failed: ...``; else the last) failed and the later ones never ran. Executing or Stopping:
    the middle step is running. Times are spaced from the execution's start."""
    try:
        names = [str(step["Name"]) for step in json.loads(execution.pipeline_definition_for_execution)["Steps"]]
    except (ValueError, KeyError, TypeError):
        names = []
    status = execution.pipeline_execution_status
    reason = execution.pipeline_execution_failure_reason or ""
    stop = len(names)
    if status == "Failed":
        named = [i for i, name in enumerate(names) if f"Step {name} " in reason]
        stop = (named[0] if named else len(names) - 1) + 1
    elif status in ("Executing", "Stopping", "Stopped"):
        stop = len(names) // 2 + 1
    start = _aware(execution.start_time)
    # Steps never end in the future: a young execution's steps are as short as it is old.
    elapsed = (dt.datetime.now(dt.UTC) - start).total_seconds() / 60
    minutes = max(0.0, min(float(STEP_MINUTES), elapsed / max(1, stop)))
    steps: list[Record] = []
    for i, name in enumerate(names[:stop]):
        began = start + dt.timedelta(minutes=minutes * i)
        step: Record = {"StepName": name, "StepDisplayName": name, "StartTime": began, "AttemptCount": 1}
        last = i == stop - 1
        if status == "Failed" and last:
            step.update(
                StepStatus="Failed",
                FailureReason=reason or "step failed",
                EndTime=began + dt.timedelta(minutes=minutes * 0.3),
            )
        elif status in ("Executing", "Stopping") and last:
            step["StepStatus"] = "Executing" if status == "Executing" else "Stopping"
        elif status == "Stopped" and last:
            step.update(StepStatus="Stopped", EndTime=began + dt.timedelta(minutes=minutes * 0.2))
        else:
            step.update(StepStatus="Succeeded", EndTime=began + dt.timedelta(minutes=minutes * 0.9))
        steps.append(step)
    return steps


class CatalogueMixin(ExtBase):
    """ListFeatureGroups, ListClusterEvents, DescribeClusterEvent and ListPipelineExecutionSteps."""

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
        cluster = _cluster(self.ext, str(params["ClusterName"]))
        events = cluster_events(self.ext, cluster)
        after, before = params.get("EventTimeAfter"), params.get("EventTimeBefore")
        if after is not None:
            events = [e for e in events if e["EventTime"].timestamp() > epoch_of(after)]
        if before is not None:
            events = [e for e in events if e["EventTime"].timestamp() < epoch_of(before)]
        for param, key in (
            ("InstanceGroupName", "InstanceGroupName"),
            ("NodeId", "InstanceId"),
            ("ResourceType", "ResourceType"),
        ):
            if params.get(param):
                events = [e for e in events if e.get(key) == params[param]]
        events.sort(
            key=lambda e: (e["EventTime"], e.get("_seq", 0)),
            reverse=params.get("SortOrder", "Descending") == "Descending",
        )
        items, token = page(events, params)
        return ActionResult({"Events": [public(e) for e in items], "NextToken": token})

    def list_pipeline_execution_steps(self) -> ActionResult:
        params = dict(self.params)
        execution = get_pipeline_execution_from_arn(self.sagemaker_backend.pipelines, params["PipelineExecutionArn"])
        steps = execution_steps(execution)
        if params.get("SortOrder", "Descending") == "Descending":
            steps.reverse()
        items, token = page(steps, params)
        return ActionResult({"PipelineExecutionSteps": items, "NextToken": token})

    def describe_cluster_event(self) -> ActionResult:
        cluster = _cluster(self.ext, str(self.params["ClusterName"]))
        for event in cluster_events(self.ext, cluster):
            if event["EventId"] == self.params["EventId"]:
                return ActionResult({"EventDetails": public(event)})
        raise ValidationError(message=f"Could not find event '{self.params['EventId']}'.")
