"""One shared vocabulary for SageMaker status strings.

SageMaker spells states many ways (``UpdateFailed``, ``Update_Failed``, ``UPDATE_FAILED``,
``INPROGRESS``, ``IN_PROGRESS``). Every derived type classifies its status enum with this
function, so a type added by a newer botocore is coloured correctly without curation;
curated types may still override single values.
"""

from __future__ import annotations

import re

# Stable, good states. Checked first because "Running" would otherwise look transitional.
_HEALTHY = frozenset(
    {
        "inservice",
        "completed",
        "running",
        "created",
        "updated",
        "started",
        "active",
        "available",
        "succeeded",
        "approved",
        "scheduled",
        "uptodate",
        "supported",
        "maintenancecomplete",
        "createcompleted",
        "updatecompleted",
        "passed",
        "healthy",
    }
)

# Bad states that are not spelled "...Failed": an endpoint out of service, a node gone,
# a job killed by a limit, a rejected package.
_FAILED = frozenset(
    {
        "outofservice",
        "notfound",
        "rejected",
        "interrupted",
        "maxruntimeexceeded",
        "maxwaittimeexceeded",
        "securityupdaterequired",
        "endoflife",
        "unhealthy",
        "impaired",
        "degraded",
    }
)

# Neutral terminal states: nothing is happening and nothing is wrong.
_NEUTRAL = frozenset(
    {
        "stopped",
        "deleted",
        "deletecompleted",
        "cancelled",
        "archived",
        "draft",
        "deprecated",
        "expired",
        "unknown",
    }
)


def _norm(status: str) -> str:
    return re.sub(r"[^a-z]", "", status.lower())


def classify_status(status: str | None) -> str:
    """Classify a status as ``failed``, ``transitional``, ``healthy`` or ``unknown``.

    ``transitional`` means "something is in progress, poll fast": Creating, Updating,
    Deleting, Stopping, Starting, InProgress, Pending, SystemUpdating, RollingBack, Executing,
    and every other ``-ing`` state. Neutral terminal states (Stopped, Deleted) are ``unknown``.
    """
    if not status:
        return "unknown"
    norm = _norm(status)
    if norm in _NEUTRAL:
        return "unknown"
    if norm in _HEALTHY:
        return "healthy"
    if norm in _FAILED or "fail" in norm or "error" in norm:
        return "failed"
    # Any "-ing" word: Creating, SystemUpdating, RollingBack, ShuttingDown, DeepHealthCheck...
    words = (w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+", status))
    if "inprogress" in norm or norm.startswith("pending") or norm in ("inmaintenance", "blocked"):
        return "transitional"
    if any(w.endswith("ing") for w in words):
        return "transitional"
    return "unknown"


def split_statuses(values: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Partition enum values into (transitional, failed, healthy); the rest stay unknown."""
    by_health: dict[str, set[str]] = {
        "transitional": set(),
        "failed": set(),
        "healthy": set(),
        "unknown": set(),
    }
    for value in values:
        by_health[classify_status(value)].add(value)
    return (
        frozenset(by_health["transitional"]),
        frozenset(by_health["failed"]),
        frozenset(by_health["healthy"]),
    )


# States after which nothing more will happen to a run (a job, an execution, a notebook off).
_ENDED = frozenset({"completed", "succeeded", "stopped", "deleted", "cancelled", "expired"})


def has_ended(status: str | None) -> bool:
    """Whether ``status`` is final for a run: completed, stopped, failed and the like.

    Used to say "not now" for an action that only applies while something runs (Stop*).
    """
    if not status:
        return False
    norm = _norm(status)
    return norm in _ENDED or norm in _FAILED or "fail" in norm
