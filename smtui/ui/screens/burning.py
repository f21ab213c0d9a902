"""What's burning: one live screen of everything not healthy, across resource types.

Endpoints, inference components and clusters that are failed or in transition, HyperPod
nodes not Running in any cluster, and jobs that failed in the last 24 hours. Enter opens the
resource; the view refreshes on its own (fast while anything is in transition).
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog
from smtui.live import BurningItem, BurningReport, Pacer
from smtui.service import Service
from smtui.ui.format import HEALTH_STYLES, scalar
from smtui.ui.messages import GoBack, OpenDescribe
from smtui.ui.screens.base import ViewScreen
from smtui.ui.widgets.chrome import ContextBar, Crumbs, ErrorBanner, KeyFooter, StatusLine
from smtui.ui.widgets.resource_table import ResourceTable, TableColumn, TableRow

COLUMNS = [
    TableColumn("TYPE", 20),
    TableColumn("NAME", 28),
    TableColumn("STATUS", 12),
    TableColumn("REASON", 40),
    TableColumn("WHEN", 6, age=True),
]


def burning_row(item: BurningItem, title: str) -> TableRow:
    when = item.when.isoformat() if item.when else ""
    status_style = HEALTH_STYLES.get(item.health, "")
    return TableRow(
        key=item.uid,
        cells=[title, item.key, item.status, scalar(item.reason), when],
        styles=["", "strong", status_style, "", "muted"],
        record=item,
        sort_values=[
            title.lower(),
            item.key.lower(),
            item.status,
            item.reason,
            item.when.timestamp() if item.when else 0,
        ],
    )


class BurningScreen(ViewScreen):
    """``:burning``: triage in one screen. Errors for one type show without hiding the others."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="burning.back"),
        Binding("r", "refresh_now", "Refresh", id="burning.refresh"),
    ]

    crumb = "What's burning"

    def __init__(self, service: Service, catalog: Catalog) -> None:
        super().__init__(service, catalog)
        self.report: BurningReport | None = None
        self.rounds = 0
        self._wake = asyncio.Event()
        self.pacer = Pacer(service.poll_settings)
        """The one pacing policy (smtui.live.pacing), as the poller uses it."""
        self.summary = ""

    def compose(self) -> ComposeResult:
        yield ContextBar(id="context")
        yield Crumbs(id="crumbs")
        yield ErrorBanner(id="error")
        yield ResourceTable(COLUMNS, id="table")
        yield StatusLine(id="status")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ErrorBanner).display = False
        self.query_one(ResourceTable).focus()
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
            report = await self.service.burning()
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
        rows = {item.uid: burning_row(item, self.catalog.get(item.type_name).title) for item in report.items}
        table.remove_rows([k for k in table.rows if k not in rows])
        table.append(list(rows.values()))
        banner = self.query_one(ErrorBanner)
        if report.errors:
            first_type, first_error = next(iter(report.errors.items()))
            others = len(report.errors) - 1
            more = f" (and {others} more types)" if others else ""
            banner.show_error(f"{self.catalog.get(first_type).title}: {first_error}{more}")
        else:
            banner.clear()
        failed = sum(1 for i in report.items if i.health == "failed")
        moving = sum(1 for i in report.items if i.health == "transitional")
        self.summary = f"{failed} failed · {moving} in transition · {report.calls} calls" + (
            " · truncated: " + ", ".join(sorted(report.truncated)) if report.truncated else ""
        )
        self.show_status()

    def show_status(self) -> None:
        """The summary and the pace ("throttled · next poll in 7s"), counting down each second."""
        if not self.is_current or self.rounds == 0:
            return
        pace = self.pacer.status_text(time.monotonic())
        self.query_one(StatusLine).update(f"{self.summary} · {pace}" if self.summary else pace)

    @on(ResourceTable.Selected)
    def _open(self, event: ResourceTable.Selected) -> None:
        item = event.row.record
        if isinstance(item, BurningItem):
            self.post_message(OpenDescribe(self.catalog.get(item.type_name), item.record, item.list_params))

    def action_refresh_now(self) -> None:
        self.pacer.refresh()  # r: now, whatever the backoff says
        self._wake.set()

    def action_back(self) -> None:
        self.post_message(GoBack())
