"""Turn a list-summary record into a table row, driven by the catalogue's column specs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smtui.catalog import Column, ResourceType, value_at
from smtui.catalog.types import failed_members
from smtui.ui.format import HEALTH_STYLES, as_datetime, copies, scalar
from smtui.ui.widgets.resource_table import TableColumn, TableRow

SEVERITY = {"failed": 0, "transitional": 1, "unknown": 2, "healthy": 3}
"""How a status sorts: ascending puts what needs attention on top."""


def table_columns(rtype: ResourceType) -> list[TableColumn]:
    """The table's columns, keyed by source path. NAME, STATUS and AGE never drop on a narrow
    terminal; the others drop from the right (the curated order puts the least needed last)."""
    cols = []
    age_col = age_key(rtype)
    for position, col in enumerate(rtype.columns):
        width = col.width or max(len(col.title), 6 if col.kind == "time" else 8)
        # AGE stays; another time column (ENDED, UPDATED) drops like any other when it must:
        # at 80 columns with a REGION column, ENDED pushed AGE off the screen.
        age = col.kind == "time" and col.key == age_col
        if age:
            width = max(width, len(col.title) + 2)  # room for the sort arrow: lists open sorted by it
        keep = col.key == rtype.key_field or col.kind == "status" or age or position == 0
        cols.append(
            TableColumn(
                title=col.title,
                width=width,
                numeric=col.kind in ("number",),
                age=col.kind == "time",
                key=col.key,
                # A time column other than AGE drops late: after the text columns, before AGE.
                drop=None if keep else (1 if col.kind == "time" else position if col.drop is None else col.drop),
            )
        )
    return cols


def age_key(rtype: ResourceType) -> str | None:
    """The type's age column: AGE, or its first time column where it has no AGE (STARTED for
    pipeline executions: at 80 columns it dropped, and nothing said which run was newest)."""
    times = [col for col in rtype.columns if col.kind == "time"]
    chosen = next((col for col in times if col.title == "AGE"), times[0] if times else None)
    return chosen.key if chosen is not None else None


def group_counts(
    groups: Any,
    current_key: str = "CurrentCount",
    target_key: str = "TargetCount",
    failed: Mapping[str, int] | None = None,
) -> str:
    """HyperPod instance groups as '✗1 gpu 8/8 · ctrl 1/1' (current/target per group).

    A group with failed nodes comes first, marked ✗ with how many failed: at 80 columns the
    cell is cut at the right, and the group in trouble is the one that must stay visible.
    """
    if not isinstance(groups, list):
        return scalar(groups)
    failed = failed or {}
    parts: list[tuple[int, str]] = []
    for group in groups:
        if not isinstance(group, Mapping):
            continue
        name = scalar(group.get("InstanceGroupName", "?"))
        bad = failed.get(str(group.get("InstanceGroupName", "")), 0)
        mark = f"✗{bad} " if bad else ""
        parts.append((-bad, f"{mark}{name} {copies(group.get(target_key), group.get(current_key))}"))
    return " · ".join(text for _, text in sorted(parts, key=lambda part: part[0]))


def cell(rtype: ResourceType, col: Column, record: Mapping[str, Any]) -> tuple[str, str, Any]:
    """(text, role, sort value) of one cell; the role is one of smtui.ui.theme.ROLES, or ""."""
    if col.kind == "copies":
        desired = value_at(record, col.key)
        current = value_at(record, col.extra[0]) if col.extra else None
        return copies(desired, current), "", desired if isinstance(desired, (int, float)) else -1
    value = value_at(record, col.key)
    if col.kind == "time":
        when = as_datetime(value)
        return (when.isoformat() if when else ""), "muted", when.timestamp() if when else 0.0
    if col.kind == "status":
        text = scalar(value)
        health = rtype.health(text or None)
        # By severity, not alphabetically: failed first, then moving, then unknown, then healthy.
        return text, HEALTH_STYLES.get(health, ""), (SEVERITY.get(health, 2), text.lower())
    if col.kind == "counts":
        keys = col.extra if len(col.extra) == 2 else ("CurrentCount", "TargetCount")
        bad = failed_members(record)
        text = group_counts(value, keys[0], keys[1], failed=bad)
        # Sorted by failed nodes, most first: ascending puts the cluster in trouble on top, as
        # a status sort does.
        return text, "failed" if any(bad.values()) else "", -sum(bad.values())
    if col.kind == "number":
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        return scalar(value), "", number if number is not None else float("-inf")
    text = scalar(value)
    return text, "", text.lower()


def build_row(rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> TableRow:
    cells, styles, sorts = [], [], []
    for col in rtype.columns:
        text, style, sort = cell(rtype, col, record)
        cells.append(text)
        styles.append(style)
        sorts.append(sort)
    return TableRow(
        key=rtype.key_of(record, list_params),
        cells=cells,
        styles=styles,
        record=dict(record),
        sort_values=sorts,
    )
