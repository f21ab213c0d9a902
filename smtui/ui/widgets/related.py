"""A live panel of a resource's children inside its describe view.

An endpoint's inference components and a HyperPod cluster's nodes (grouped by instance
group) are what people open the parent for during an incident, so they are shown right
there and kept fresh by the same poller as the detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from smtui.catalog import ResourceType, value_at
from smtui.text import printable
from smtui.ui.format import age, as_datetime, scalar
from smtui.ui.rows import build_row
from smtui.ui.theme import ROLES, rich_name

# parent type -> (jump key that lists the children, child field to group by)
LIVE_CHILDREN: dict[str, tuple[str, str | None]] = {
    "endpoints": ("i", None),
    "clusters": ("n", "InstanceGroupName"),
}

MAX_ROWS = 40


class RelatedPanel(Static):
    """A compact table of child resources; grouped when ``group_by`` is set."""

    shown: dict[str, str | None] = {}
    """Key -> status of the rows last shown."""
    _last: tuple[Any, ...] | None = None
    _ages: list[str] = []

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick, name="related-ages")

    def tick(self) -> None:
        """Paint again when an AGE shown has moved on (polls can be 30 s apart)."""
        if self._last is not None and self._ages_of(*self._last) != self._ages:
            self.show_rows(*self._last)

    @staticmethod
    def _ages_of(
        rtype: ResourceType, records: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any], group_by: str | None
    ) -> list[str]:
        times = [c for c in rtype.columns if c.kind == "time"]
        return [age(value_at(r, c.key)) for r in list(records.values())[:MAX_ROWS] for c in times]

    def show_rows(
        self,
        rtype: ResourceType,
        records: Mapping[str, Mapping[str, Any]],
        params: Mapping[str, Any],
        group_by: str | None,
    ) -> None:
        def healthy(record: Mapping[str, Any]) -> bool:
            return rtype.health(rtype.status_of(record)) == "healthy"

        sick_groups = {str(r.get(group_by, "")) for r in records.values() if group_by and not healthy(r)}

        def order(record: Mapping[str, Any]) -> tuple[bool, str, bool, str]:
            # What is not healthy comes first, its group first among groups: that is what the
            # user came for, and at 80×24 only the first rows fit.
            group = str(record.get(group_by, "")) if group_by else ""
            return (group not in sick_groups, group, healthy(record), rtype.key_of(record, params))

        self._last = (rtype, records, params, group_by)
        self._ages = self._ages_of(rtype, records, params, group_by)
        rows = sorted(records.values(), key=order)
        self.shown = {rtype.key_of(r, params): rtype.status_of(r) for r in rows}
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False, title_justify="left")
        # Named styles: the app's console resolves them for the current theme when it paints.
        table.title = Text(f"{rtype.title} ({len(rows)})", style=rich_name("strong"))
        columns = [c for c in rtype.columns if c.key != group_by]
        body: list[list[Text] | Text] = []  # a row's cells, or a group's label
        last_group: object = object()
        for record in rows[:MAX_ROWS]:
            if group_by and record.get(group_by) != last_group:
                last_group = record.get(group_by)
                body.append(Text(f"▸ {scalar(last_group)}", style=rich_name("accent")))
            built = build_row(rtype, record, params)
            cells = []
            for col, (text, style) in zip(rtype.columns, zip(built.cells, built.styles, strict=False), strict=False):
                if col.key == group_by:
                    continue
                if col.kind == "time":
                    text = age(text)
                cells.append(Text(text, style=rich_name(style) if style in ROLES else ""))
            body.append(cells)
        # One line per row (a long message is cut; describe the row to read it whole), so a
        # cluster's nodes fit at 80×24 instead of two of them in wrapped messages. The short
        # columns keep their width; the last text column (MESSAGE) takes what is left.
        flexible = max((i for i, c in enumerate(columns) if c.kind == "text"), default=len(columns) - 1)
        for i, col in enumerate(columns):
            texts = [line[i] for line in body if isinstance(line, list) and i < len(line)]
            if i == 0:
                texts += [line for line in body if isinstance(line, Text)]
            widest = max([len(col.title), *(t.cell_len for t in texts)])
            table.add_column(
                col.title,
                no_wrap=True,
                overflow="ellipsis",
                min_width=None if i == flexible else min(widest, 24),
                ratio=1 if i == flexible else None,
                style=rich_name("muted") if col.kind == "time" else "",
            )
        for line in body:
            if isinstance(line, Text):
                table.add_row(line)
            else:
                table.add_row(*line)
        if len(rows) > MAX_ROWS:
            more = f"… {len(rows) - MAX_ROWS} more: press the jump key for the full list"
            table.add_row(Text(more, style=rich_name("muted")))
        self.update(table)
        # An empty panel would only take rows from the details: show it when there is something.
        self.display = bool(rows)


STEP_ROWS = 8
"""Steps shown in a pipeline execution's panel: at 80×24 the detail keeps the rest."""


def duration(start: Any, end: Any) -> str:
    """``12m`` from two times; "" when either is missing."""
    begin, finish = as_datetime(start), as_datetime(end)
    if begin is None or finish is None:
        return ""
    seconds = int((finish - begin).total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _step_order(step: Mapping[str, Any]) -> tuple[int, float]:
    status = str(step.get("StepStatus") or "")
    started = as_datetime(step.get("StartTime"))
    # Failed steps first (why the execution failed), then the newest: what runs now.
    rank = 0 if status == "Failed" else 1 if status in ("Executing", "Starting", "Stopping") else 2
    return (rank, -(started.timestamp() if started else 0.0))


class StepsPanel(Static):
    """A pipeline execution's steps: which one failed and its own reason, which one runs."""

    def show_steps(self, steps: Sequence[Mapping[str, Any]]) -> None:
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False, title_justify="left")
        failed = sum(1 for s in steps if s.get("StepStatus") == "Failed")
        title = f"Steps ({len(steps)}" + (f", {failed} failed)" if failed else ")")
        table.title = Text(title, style=rich_name("strong"))
        table.add_column("STEP", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("STATUS", no_wrap=True)
        table.add_column("STARTED", no_wrap=True, style=rich_name("muted"))
        table.add_column("TOOK", no_wrap=True, style=rich_name("muted"))
        # The reason wraps: it is the one thing here worth reading whole.
        table.add_column("REASON", ratio=1, overflow="fold")
        ordered = sorted(steps, key=_step_order)
        for step in ordered[:STEP_ROWS]:
            status = str(step.get("StepStatus") or "")
            style = {"Failed": "failed", "Succeeded": "healthy"}.get(status, "transitional")
            reason = step.get("FailureReason") or ""
            table.add_row(
                Text(printable(str(step.get("StepDisplayName") or step.get("StepName") or ""))),
                Text(status, style=rich_name(style)),
                age(step.get("StartTime")),
                duration(step.get("StartTime"), step.get("EndTime")),
                Text(printable(str(reason)), style=rich_name("error") if reason else ""),
            )
        if len(ordered) > STEP_ROWS:
            table.add_row(Text(f"… {len(ordered) - STEP_ROWS} more: t opens the timeline", style=rich_name("muted")))
        self.update(table)
        self.display = bool(steps)
