"""A live panel of a resource's children inside its describe view.

An endpoint's inference components and a HyperPod cluster's nodes (grouped by instance
group) are what people open the parent for during an incident, so they are shown right
there and kept fresh by the same poller as the detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from smtui.catalog import ResourceType, value_at
from smtui.ui.format import age
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
        def order(record: Mapping[str, Any]) -> tuple[str, bool, str]:
            # Within a group, what is not healthy comes first: that is what the user came for.
            healthy = rtype.health(rtype.status_of(record)) == "healthy"
            return (str(record.get(group_by, "")) if group_by else "", healthy, rtype.key_of(record, params))

        self._last = (rtype, records, params, group_by)
        self._ages = self._ages_of(rtype, records, params, group_by)
        rows = sorted(records.values(), key=order)
        self.shown = {rtype.key_of(r, params): rtype.status_of(r) for r in rows}
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False, title_justify="left")
        # Named styles: the app's console resolves them for the current theme when it paints.
        table.title = Text(f"{rtype.title} ({len(rows)})", style=rich_name("strong"))
        columns = [c for c in rtype.columns if c.key != group_by]
        for col in columns:
            table.add_column(
                col.title,
                no_wrap=col.kind != "text",
                overflow="ellipsis",
                style=rich_name("muted") if col.kind == "time" else "",
            )
        last_group: object = object()
        for record in rows[:MAX_ROWS]:
            if group_by and record.get(group_by) != last_group:
                last_group = record.get(group_by)
                table.add_row(Text(f"▸ {last_group}", style=rich_name("accent")))
            built = build_row(rtype, record, params)
            cells = []
            for col, (text, style) in zip(rtype.columns, zip(built.cells, built.styles, strict=False), strict=False):
                if col.key == group_by:
                    continue
                if col.kind == "time":
                    text = age(text)
                cells.append(Text(text, style=rich_name(style) if style in ROLES else ""))
            table.add_row(*cells)
        if len(rows) > MAX_ROWS:
            more = f"… {len(rows) - MAX_ROWS} more: press the jump key for the full list"
            table.add_row(Text(more, style=rich_name("muted")))
        self.update(table)
        # An empty panel would only take rows from the details: show it when there is something.
        self.display = bool(rows)
