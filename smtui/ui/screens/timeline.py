"""``t``: one resource's history, newest first — time (local and relative), from → to, reason.

The sources (training job transitions, HyperPod events, pipeline steps, and the journal of
what the pollers saw) are gathered by the service (:mod:`smtui.service.timeline`); a source
that cannot be read shows in the error banner while the others still show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog, ResourceType
from smtui.service import Service
from smtui.service.timeline import LEVELS, Timeline, TimelineEntry, has_history
from smtui.ui.format import local_time
from smtui.ui.messages import GoBack
from smtui.ui.screens.base import ResourceScreen
from smtui.ui.widgets.chrome import ErrorBanner, StatusLine, view_header
from smtui.ui.widgets.resource_table import ResourceTable, TableColumn, TableRow

COLUMNS = [
    TableColumn("TIME", 14),
    TableColumn("AGO", 4, age=True),
    TableColumn("LEVEL", 5),
    TableColumn("CHANGE", 22),
    TableColumn("REASON", 40),
]
"""At 80 columns the reason keeps about 20 characters; a wider terminal shows more. An entry
only the journal knows says "(seen by smtui)": the others are AWS's own history."""
LEVEL_STYLES = {"Error": "failed", "Warn": "transitional", "Info": ""}


def timeline_row(number: int, entry: TimelineEntry) -> TableRow:
    when = entry.at.astimezone()
    return TableRow(
        key=f"{number:06d}",
        cells=[
            when.strftime("%m-%d %H:%M:%S"),
            entry.at.isoformat(),
            entry.level,
            entry.change,
            f"(seen by smtui) {entry.reason}".strip() if entry.source == "seen" else entry.reason,
        ],
        styles=["muted", "muted", LEVEL_STYLES.get(entry.level, ""), "strong", ""],
        record=entry,
        sort_values=[-entry.at.timestamp(), -entry.at.timestamp(), entry.level, entry.change, ""],
    )


class TimelineScreen(ResourceScreen):
    """The history of one resource. ``f`` cycles the level shown (all, warnings and worse,
    errors); ``r`` reads the sources again."""

    help_section = "Timeline"
    BINDINGS = [
        Binding("escape", "back", "Back", id="timeline.back"),
        Binding("f", "cycle_level", "Level", id="timeline.level"),
        Binding("r", "reload", "Reload", id="timeline.reload"),
    ]

    def __init__(
        self,
        service: Service,
        catalog: Catalog,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(service, catalog, rtype, record, list_params)
        self.level = LEVELS[0]
        self.timeline: Timeline | None = None

    @property
    def name_of(self) -> str:
        return self.rtype.key_of(self.record, self.list_params)

    @property
    def crumb(self) -> str:
        return f"timeline {self.name_of}"

    def compose(self) -> ComposeResult:
        yield from view_header()
        yield ResourceTable(COLUMNS, id="table")
        yield StatusLine(id="status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ErrorBanner).display = False
        self.query_one(ResourceTable).focus()
        self.query_one(StatusLine).update(Text(f"reading the history of {self.name_of}…"))
        self.load()

    @work(group="timeline", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        banner = self.query_one(ErrorBanner)
        try:
            timeline = await self.service.timeline(self.rtype, self.record, self.list_params)
        except AwsError as error:
            banner.show_error(error)
            return
        self.timeline = timeline
        if timeline.errors:
            source = has_history(self.rtype.name) or self.rtype.title
            banner.show_error(f"{source}: {next(iter(timeline.errors.values()))} (the journal still shows)")
        else:
            banner.clear()
        self.show()

    def show(self) -> None:
        if self.timeline is None:
            return
        table = self.query_one(ResourceTable)
        entries = self.timeline.at_level(self.level)
        table.clear()
        table.append([timeline_row(i, e) for i, e in enumerate(entries)])
        sources = has_history(self.rtype.name)
        what = f"{sources} + what smtui saw" if sources else "what smtui saw while watching (the journal)"
        level = "all levels" if self.level == "Info" else f"{self.level} and worse"
        shown = f"{len(entries)} of {len(self.timeline.entries)}"
        newest = f" · newest {local_time(entries[0].at)}" if entries else ""
        empty = " · nothing recorded yet: smtui journals status changes while a view is open" if not entries else ""
        self.query_one(StatusLine).update(
            Text(f"{shown} entries · {level} · from {what}{newest}{empty} · f: level · r: reload")
        )

    def action_cycle_level(self) -> None:
        self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        self.show()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.post_message(GoBack(self))
