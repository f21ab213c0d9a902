"""One resource's history, newest first, from every source that has some.

- training jobs: the status and SecondaryStatusTransitions of DescribeTrainingJob;
- HyperPod clusters and nodes: ListClusterEvents (the node's own, by ``NodeId``);
- pipeline executions: ListPipelineExecutionSteps (each step's start and end);
- every type: the transitions the pollers saw (:mod:`smtui.service.journal`).

Every text field is the service's free text and passes through :func:`smtui.text.printable`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smtui.aws.client import SageMaker
from smtui.aws.errors import AwsError
from smtui.catalog import ResourceType
from smtui.service.journal import Journal
from smtui.text import printable

LEVELS = ("Info", "Warn", "Error")
MAX_EVENT_PAGES = 5
"""ListClusterEvents pages read per timeline (100 events each)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened: when, what moved (``old`` -> ``new``), why, and who says so."""

    at: dt.datetime
    source: str
    """``status``, ``secondary``, ``event``, ``step`` or ``seen`` (the journal)."""
    old: str
    new: str
    reason: str = ""
    level: str = "Info"

    @property
    def change(self) -> str:
        return f"{self.old} → {self.new}" if self.old else self.new


@dataclass(frozen=True)
class Timeline:
    """The entries, newest first, and the sources that could not be read (shown in place)."""

    entries: list[TimelineEntry]
    errors: dict[str, AwsError]

    def at_level(self, level: str) -> list[TimelineEntry]:
        """The entries at ``level`` or worse (``Info`` keeps all)."""
        floor = LEVELS.index(level) if level in LEVELS else 0
        return [e for e in self.entries if (LEVELS.index(e.level) if e.level in LEVELS else 0) >= floor]


def _utc(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return None


def _entry(at: Any, source: str, old: Any, new: Any, reason: Any = "", level: str = "Info") -> TimelineEntry | None:
    when = _utc(at)
    if when is None:
        return None
    return TimelineEntry(
        when,
        source,
        printable(str(old or "")),
        printable(str(new or "")),
        printable(str(reason or "")),
        level if level in LEVELS else ("Warn" if level.startswith("Warn") else "Info"),
    )


def training_entries(detail: Mapping[str, Any]) -> list[TimelineEntry]:
    """Creation, each secondary status (from the one before it), and the end with its reason."""
    out = [_entry(detail.get("CreationTime"), "status", "", "Created")]
    previous = ""
    for step in detail.get("SecondaryStatusTransitions") or []:
        status = step.get("Status", "")
        level = "Error" if status == "Failed" else ("Warn" if status in ("Stopped", "MaxRuntimeExceeded") else "Info")
        out.append(_entry(step.get("StartTime"), "secondary", previous, status, step.get("StatusMessage"), level))
        previous = status
    status = detail.get("TrainingJobStatus", "")
    if status in ("Completed", "Failed", "Stopped"):
        level = "Error" if status == "Failed" else "Info"
        end = detail.get("TrainingEndTime") or detail.get("LastModifiedTime")
        out.append(_entry(end, "status", "InProgress", status, detail.get("FailureReason"), level))
    return [e for e in out if e is not None]


_STATUS_CHANGE = re.compile(r"status changed (?:from (?P<old>\S+) )?to (?P<new>[^:\s]+)(?::\s*(?P<why>.*))?$", re.S)


def event_entries(events: Sequence[Mapping[str, Any]], subject: str = "") -> list[TimelineEntry]:
    """ListClusterEvents entries: ``<where>: old → new`` when the description says so (the
    rest of it is the reason), else ``<where>`` with the description as the reason. ``where``
    is left out when it is the timeline's own ``subject`` (a node's own events)."""
    out = []
    for event in events:
        where = str(event.get("InstanceId") or event.get("InstanceGroupName") or event.get("ClusterName") or "")
        prefix = "" if where == subject else f"{where}: "
        description = str(event.get("Description") or "")
        found = _STATUS_CHANGE.search(description)
        old, new, reason = "", where if prefix else "event", description
        if found:
            old = f"{prefix}{found['old']}" if found["old"] else ""
            new = f"{found['new']}" if found["old"] else f"{prefix}{found['new']}"
            reason = found["why"] or ""
        entry = _entry(event.get("EventTime"), "event", old, new, reason, str(event.get("EventLevel") or "Info"))
        if entry is not None:
            out.append(entry)
    return out


def step_entries(steps: Sequence[Mapping[str, Any]]) -> list[TimelineEntry]:
    """Each pipeline step's start, and its end with the status it ended in."""
    out = []
    for step in steps:
        name = step.get("StepDisplayName") or step.get("StepName") or "step"
        status = step.get("StepStatus", "")
        out.append(_entry(step.get("StartTime"), "step", "", f"{name}: Executing"))
        if step.get("EndTime"):
            level = "Error" if status == "Failed" else ("Warn" if status == "Stopped" else "Info")
            out.append(
                _entry(step.get("EndTime"), "step", f"{name}: Executing", status, step.get("FailureReason"), level)
            )
        elif status and status != "Executing":
            out.append(_entry(step.get("StartTime"), "step", "", f"{name}: {status}", step.get("FailureReason")))
    return [e for e in out if e is not None]


def journal_entries(journal: Journal, scope: str, type_name: str, key: str) -> list[TimelineEntry]:
    out = []
    for item in journal.read(scope=scope, type_name=type_name, key=key):
        failed = any(word in item.new for word in ("Fail", "Error"))
        entry = _entry(item.at, "seen", item.old, item.new, item.reason, "Error" if failed else "Info")
        if entry is not None:
            out.append(entry)
    return out


async def all_items(sagemaker: SageMaker, op: str, params: dict[str, Any], items_key: str) -> list[dict[str, Any]]:
    """Every item of ``op`` up to MAX_EVENT_PAGES pages, following NextToken."""
    items: list[dict[str, Any]] = []
    for _ in range(MAX_EVENT_PAGES):
        answer = await sagemaker.call(op, params)
        items.extend(answer.get(items_key) or [])
        token = answer.get("NextToken")
        if not token:
            break
        params = {**params, "NextToken": token}
    return items


async def gather_timeline(
    sagemaker: SageMaker,
    journal: Journal,
    scope: str,
    rtype: ResourceType,
    record: Mapping[str, Any],
    list_params: Mapping[str, Any] | None = None,
) -> Timeline:
    """Every source for ``record``'s type; a source that fails is named in ``errors``."""
    params = dict(list_params or {})
    key = rtype.key_of(record, params)
    entries = journal_entries(journal, scope, rtype.name, key)
    errors: dict[str, AwsError] = {}
    try:
        if rtype.name == "training-jobs":
            detail = dict(record)
            if "SecondaryStatusTransitions" not in detail:
                detail = await sagemaker.call("DescribeTrainingJob", {"TrainingJobName": key})
            entries += training_entries(detail)
        elif rtype.name in ("clusters", "cluster-nodes", "cluster-events"):
            cluster = record.get("ClusterName") or params.get("ClusterName")
            request: dict[str, Any] = {"ClusterName": cluster, "MaxResults": 100, "SortOrder": "Descending"}
            subject = ""
            if rtype.name == "cluster-nodes":
                request["NodeId"] = subject = str(record.get("InstanceId") or "")
            if cluster:
                entries += event_entries(await all_items(sagemaker, "ListClusterEvents", request, "Events"), subject)
        elif rtype.name == "pipeline-executions":
            arn = record.get("PipelineExecutionArn")
            if arn:
                request = {"PipelineExecutionArn": arn, "MaxResults": 100}
                entries += step_entries(
                    await all_items(sagemaker, "ListPipelineExecutionSteps", request, "PipelineExecutionSteps")
                )
    except AwsError as error:
        errors[rtype.name] = error
    entries.sort(key=lambda e: e.at, reverse=True)
    return Timeline(entries, errors)


def has_history(type_name: str) -> str:
    """What besides the journal the timeline of ``type_name`` reads ("" for the journal only)."""
    return {
        "training-jobs": "DescribeTrainingJob",
        "clusters": "ListClusterEvents",
        "cluster-nodes": "ListClusterEvents",
        "pipeline-executions": "ListPipelineExecutionSteps",
    }.get(type_name, "")
