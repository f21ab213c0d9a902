"""What's burning: one live screen of everything not healthy, across resource types.

Endpoints, inference components, clusters and MLflow servers and apps that are failed or in
transition, HyperPod nodes not Running in any cluster (with their cluster), and jobs that
failed in the last 24 hours. Newest first; it filters (``/``) and sorts (``1``–``9``, ``N``
``S`` ``A``) like any list, and the selected row's whole reason is shown under the table.
Enter opens the resource; the view refreshes on its own (fast while anything is moving).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog
from smtui.config import split_scope
from smtui.live import BurningItem, BurningReport, Pacer
from smtui.service import Service
from smtui.text import printable
from smtui.ui.format import HEALTH_STYLES, regions_label, scalar
from smtui.ui.messages import GoBack, OpenDescribe, OpenLogs, OpenTimeline
from smtui.ui.rows import SEVERITY
from smtui.ui.screens.base import ViewScreen
from smtui.ui.theme import content_style
from smtui.ui.widgets.chrome import ErrorBanner, StatusLine, view_footer, view_header
from smtui.ui.widgets.resource_table import ResourceTable, TableColumn, TableRow


def columns() -> list[TableColumn]:
    """NAME, STATUS and WHEN never drop. As the width shrinks PARENT goes first, then REASON
    is narrowed and goes, then TYPE: the line under the table shows both whole."""
    return [
        TableColumn("TYPE", 20, key="type", drop=3),
        TableColumn("NAME", 28, key="name"),
        TableColumn("PARENT", 12, key="parent", drop=5),
        TableColumn("STATUS", 12, key="status"),
        TableColumn("WHEN", 6, age=True, key="when"),
        TableColumn("REASON", 40, key="reason", drop=4),
    ]


def parent_of(item: BurningItem) -> str:
    """The parent a child was listed under (a node's cluster), or ""."""
    return " ".join(str(v) for v in item.list_params.values() if v is not None)


def burning_row(item: BurningItem, title: str) -> TableRow:
    when = item.when.isoformat() if item.when else ""
    status_style = HEALTH_STYLES.get(item.health, "")
    parent = parent_of(item)
    return TableRow(
        key=item.uid,
        cells=[title, scalar(item.name or item.key), scalar(parent), scalar(item.status), when, scalar(item.reason)],
        styles=["", "strong", "", status_style, "muted", ""],
        record=item,
        sort_values=[
            title.lower(),
            (item.name or item.key).lower(),
            parent.lower(),
            (SEVERITY.get(item.health, 2), item.status.lower()),
            item.when.timestamp() if item.when else 0.0,
            item.reason.lower(),
        ],
    )


class BurningScreen(ViewScreen):
    """``:burning``: triage in one screen. Errors for one type show without hiding the others."""

    help_section = "What's burning"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="burning.filter"),
        Binding("escape", "back", "Back", id="burning.back"),
        Binding("r", "refresh_now", "Refresh", id="burning.refresh"),
        Binding("t", "timeline", "Timeline", id="burning.timeline"),
        Binding("N", "sort('name')", "Sort name", show=False, id="burning.sort_name"),
        Binding("S", "sort('status')", "Sort status", show=False, id="burning.sort_status"),
        Binding("A", "sort('when')", "Sort when", show=False, id="burning.sort_when"),
    ]

    @property
    def crumb(self) -> str:
        if not self.regions:
            return "What's burning"
        profiles = list(dict.fromkeys(p for p, _ in map(split_scope, self.regions) if p))
        shown = (",".join(profiles) if len(profiles) <= 3 else f"{len(profiles)} profiles") + " · " if profiles else ""
        return f"What's burning · {shown}{regions_label(self.regions)}"

    def __init__(self, service: Service, catalog: Catalog, regions: Sequence[str] = ()) -> None:
        super().__init__(service, catalog)
        self.regions = tuple(regions) if len(regions) > 1 else ()
        """Triage across these regions (``--regions``, ``:region a,b``), else ()."""
        self.region_of: dict[str, str] = {}
        """Row key -> the region its item was gathered in (a list across regions)."""
        self.report: BurningReport | None = None
        self.rounds = 0
        self._wake = asyncio.Event()
        self.pacer = Pacer(service.poll_settings)
        """The one pacing policy (smtui.live.pacing), as the poller uses it."""
        self.summary = ""
        self.item_regions: dict[int, str] = {}

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    def compose(self) -> ComposeResult:
        yield from view_header()
        cols = columns()
        if self.regions:
            # Across profiles a row's scope is profile/region: the title says so.
            title = "PROFILE/REGION" if any(split_scope(r)[0] for r in self.regions) else "REGION"
            cols.insert(0, TableColumn(title, max(len(title), *(len(r) for r in self.regions)), key="region"))
        yield ResourceTable(cols, id="table")
        yield Static(id="reason")
        yield Input(placeholder="filter: text, regex, or !text to invert", id="filter")
        yield from view_footer()

    def on_mount(self) -> None:
        self.query_one(ErrorBanner).display = False
        self.query_one("#filter", Input).display = False
        table = self.query_one(ResourceTable)
        table.sort_by("when", reverse=True)  # newest first: what just broke is on top
        table.focus()
        self.query_one(StatusLine).update("gathering across endpoints, inference components, clusters, nodes, jobs…")
        self.watch_loop()
        self.set_interval(1.0, self.show_status, name="status-countdown")

    def on_screen_resume(self) -> None:
        self._wake.set()  # the loop gathers again if the pace allows it now, else when it does

    @work(group="burning", exclusive=True, exit_on_error=False)
    async def watch_loop(self) -> None:
        """Gather, show, wait, again — scheduled after each round finishes, never overlapping."""
        while True:
            due = self.pacer.delay()
            if self.rounds == 0 or (self.is_current and due is not None and due <= 0):
                await self.gather_once()
                due = self.pacer.delay()
            self._wake.clear()
            if not self.is_current or due is None:
                await self._wake.wait()  # hidden, or waiting for r after a permanent error
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=max(due, 0.05))

    async def gather_once(self) -> None:
        table = self.query_one(ResourceTable)
        try:
            report = await self.gather_regions() if self.regions else await self.service.burning()
        except AwsError as error:
            self.rounds += 1
            self.pacer.failure(error)
            self.query_one(ErrorBanner).show_error(error)
            self.show_status()
            return
        self.report = report
        self.rounds += 1
        busy = any(i.health == "transitional" for i in report.items)
        throttled = next((e for e in report.errors.values() if e.retryable), None)
        if throttled is not None:
            self.pacer.failure(throttled)  # one type throttled: the whole gather backs off
        else:
            self.pacer.success(busy, partial=next(iter(report.errors.values()), None))
        rows = {}
        for item in report.items:
            row = burning_row(item, self.catalog.get(item.type_name).title)
            region = self.item_regions.get(id(item), "")
            if region:
                row.key = f"{region}/{row.key}"
                row.cells.insert(0, region)
                row.styles.insert(0, "muted")
                row.sort_values.insert(0, region)
                self.region_of[row.key] = region
            rows[row.key] = row
        table.remove_rows([k for k in table.rows if k not in rows])
        table.append(list(rows.values()))
        self.show_reason()
        banner = self.query_one(ErrorBanner)
        if report.errors:
            first_type, first_error = next(iter(report.errors.items()))
            others = len(report.errors) - 1
            more = f" (and {others} more types)" if others else ""
            region, _, type_name = first_type.rpartition(" ")
            where = f"{region}: " if region else ""
            title = "every type" if type_name == "*" else self.catalog.get(type_name).title
            banner.show_error(f"{where}{title}: {first_error}{more}")
        else:
            banner.clear()
        failed = sum(1 for i in report.items if i.health == "failed")
        moving = sum(1 for i in report.items if i.health == "transitional")
        self.summary = f"{failed} failed · {moving} in transition · {report.calls} calls" + (
            " · truncated: " + ", ".join(sorted(report.truncated)) if report.truncated else ""
        )
        self.show_status()

    async def gather_regions(self) -> BurningReport:
        """Each region's triage through its own service, at once; a region whose gather fails
        is reported as an error of that region, and the others' items still show."""
        answers = await asyncio.gather(
            *(self.service.regional(region).burning() for region in self.regions), return_exceptions=True
        )
        merged = BurningReport()
        self.item_regions = {}
        for region, answer in zip(self.regions, answers, strict=True):
            if isinstance(answer, AwsError):
                merged.errors[f"{region} *"] = answer  # the whole region
                continue
            if isinstance(answer, BaseException):
                raise answer
            for item in answer.items:
                self.item_regions[id(item)] = region
            merged.items.extend(answer.items)
            merged.errors.update({f"{region} {name}": error for name, error in answer.errors.items()})
            merged.calls += answer.calls
            merged.truncated |= {f"{region} {name}" for name in answer.truncated}
        return merged

    def item_service(self, row_key: str) -> Service:
        """The service of the region a row's item came from."""
        region = self.region_of.get(row_key, "")
        return self.service.regional(region) if region else self.service

    def show_status(self) -> None:
        """The summary and the pace ("throttled · next poll in 7s"), counting down each second."""
        if not self.is_current or self.rounds == 0:
            return
        pace = self.pacer.status_text(time.monotonic())
        table = self.query_one(ResourceTable)
        parts = [self.summary, pace] if self.summary else [pace]
        if len(table.view) != len(table.rows):
            parts.append(f"{len(table.view)} shown")
        if table.row_filter is not None and not table.row_filter.empty:
            parts.append(f"filter /{table.row_filter.expression}")
        if table.sort_column is not None:
            parts.append(f"sort {table.columns[table.sort_column].title} {table.sort_arrow}")
        self.query_one(StatusLine).update(Text(" · ".join(parts)))  # a filter is not markup

    @on(ResourceTable.CursorMoved)
    def show_reason(self) -> None:
        """The selected row's whole reason, wrapped: the column can only show its start."""
        row = self.query_one(ResourceTable).cursor_row
        box = self.query_one("#reason", Static)
        item = row.record if row is not None else None
        if not isinstance(item, BurningItem) or not item.reason:
            box.display = False
            return
        box.update(
            Content.assemble(
                (f"{printable(item.name or item.key)}: ", content_style("strong")),
                printable(item.reason, keep_lines=True),
            )
        )
        box.display = True

    # ---------------------------------------------------------------- filter and sort
    types_after_slash = True

    def action_filter(self) -> None:
        self.open_text_box(self.query_one("#filter", Input))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        try:
            self.query_one(ResourceTable).set_filter(event.value)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.show_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(ResourceTable).focus()

    def action_sort(self, key: str) -> None:
        self.query_one(ResourceTable).sort_by(key)
        self.show_status()

    def on_key(self, event: events.Key) -> None:
        table = self.query_one(ResourceTable)
        if event.character == "l":
            # The table binds l to scroll right; here l opens logs, as in the lists.
            event.stop()
            self.action_logs()
            return
        if event.character and event.character in "123456789" and self.focused is table:
            shown = table.shown_keys()
            index = int(event.character) - 1
            if index < len(shown):
                self.action_sort(shown[index])
            event.stop()

    @on(ResourceTable.Selected)
    def _open(self, event: ResourceTable.Selected) -> None:
        item = event.row.record
        if isinstance(item, BurningItem):
            service = self.item_service(event.row.key)
            self.post_message(
                OpenDescribe(self.catalog.get(item.type_name), item.record, item.list_params, service=service)
            )

    def action_logs(self) -> None:
        """l: the selected resource's CloudWatch logs."""
        row = self.query_one(ResourceTable).cursor_row
        item = row.record if row is not None else None
        if isinstance(item, BurningItem) and row is not None:
            service = self.item_service(row.key)
            self.post_message(
                OpenLogs(self.catalog.get(item.type_name), item.record, item.list_params, service=service)
            )
        else:
            self.notify("nothing selected", severity="warning")

    def action_timeline(self) -> None:
        row = self.query_one(ResourceTable).cursor_row
        item = row.record if row is not None else None
        if not isinstance(item, BurningItem):
            self.notify("nothing selected", severity="warning")
            return
        service = self.item_service(row.key) if row is not None else self.service
        self.post_message(
            OpenTimeline(self.catalog.get(item.type_name), item.record, item.list_params, service=service)
        )

    def action_refresh_now(self) -> None:
        self.pacer.refresh()  # r: now, whatever the backoff says
        self._wake.set()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        table = self.query_one(ResourceTable)
        if box.display:
            box.display = False
            table.focus()
            return
        if table.row_filter is not None:
            box.value = ""
            table.set_filter("")
            self.show_status()
            return
        self.post_message(GoBack(self))
