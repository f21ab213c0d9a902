"""Why a resource failed and when something happened to it, read from a record.

SageMaker spells the reason a dozen ways (``FailureReason``, ``StatusMessage``,
``InstanceStatus.Message``, ...), and list summaries often omit it where the Describe*
response has it. Both the poller's failure alerts and the "what's burning" view read it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from smtui.catalog import value_at

# Most specific first: the generic StatusMessage of some types is a progress note, not a reason.
REASON_PATHS = (
    "FailureReason",
    "PipelineExecutionFailureReason",
    "InstanceStatus.Message",
    "LastUpdateStatus.FailureReason",
    "FailureMessage",
    "StatusReason",
    "ExitMessage",
    "StatusMessage",
    "Status.Message",
    "OfflineStoreStatus.BlockedReason",
    "Error.Reason",
)

# When "it happened": the last change beats the end of a job, which beats its creation.
WHEN_PATHS = (
    "LastModifiedTime",
    "TrainingEndTime",
    "ProcessingEndTime",
    "TransformEndTime",
    "FailureTime",
    "LaunchTime",
    "CreationTime",
)


def failure_reason(record: Mapping[str, Any]) -> str:
    """The first non-empty reason/message a record carries, or ``""``."""
    for path in REASON_PATHS:
        value = value_at(record, path)
        if isinstance(value, str) and value.strip():
            return value.strip()
    transitions = record.get("SecondaryStatusTransitions")
    if isinstance(transitions, list) and transitions:
        last = transitions[-1]
        if isinstance(last, Mapping) and isinstance(last.get("StatusMessage"), str):
            return str(last["StatusMessage"]).strip()
    return ""


def event_time(record: Mapping[str, Any], fallback: str | None = None) -> datetime | None:
    """The most relevant timestamp of a record (see ``WHEN_PATHS``), or None."""
    for path in (*WHEN_PATHS, *((fallback,) if fallback else ())):
        value = value_at(record, path)
        if isinstance(value, datetime):
            return value
    return None
