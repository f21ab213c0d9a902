"""The list of one resource type: pages stream in, filter, sort, jump, describe."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from smtui.aws.errors import AwsError
from smtui.aws.model import enum_values, member_shape, operation
from smtui.catalog import Jump, ResourceType, value_at
from smtui.ui.rows import build_row, table_columns
from smtui.ui.widgets.chrome import ContextBar, Crumbs, ErrorBanner, StatusLine
from smtui.ui.widgets.resource_table import ResourceTable, RowFilter, TableRow

if TYPE_CHECKING:
    from smtui.ui.app import SmtuiApp


class ResourceListScreen(Screen[None]):
    """One resource type as a live table.

    ``params`` are fixed list-call parameters (a parent's name for child types, or a jump's
    filter such as ``EndpointNameEquals``); ``match`` filters client-side when the list call
    cannot (field -> value).
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("escape", "back", "Back", id="list.back"),
        Binding("r", "reload", "Reload", id="list.reload"),
        Binding("d", "describe", "Describe", id="list.describe"),
        Binding("N", "sort_named('NAME')", "Sort name", show=False, id="list.sort_name"),
        Binding("A", "sort_named('AGE')", "Sort age", show=False, id="list.sort_age"),
        Binding("S", "sort_named('STATUS')", "Sort status", show=False, id="list.sort_status"),
    ]

    def __init__(
        self,
        rtype: ResourceType,
        *,
        params: Mapping[str, Any] | None = None,
        match: Mapping[str, Any] | None = None,
        keep: Callable[[Mapping[str, Any]], bool] | None = None,
        context: str = "",
    ) -> None:
        super().__init__()
        self.rtype = rtype
        self.params = dict(params or {})
        self.match = dict(match or {})
        self.keep = keep
        self.context_label = context
        self.is_loading = False
        self.complete = False
        self.server_filter: dict[str, str] = {}
        self.started = 0.0
        self.first_row_at: float | None = None
        self.pages_loaded = 0

    @property
    def smtui(self) -> SmtuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def crumb(self) -> str:
        return f"{self.rtype.title}({self.context_label})" if self.context_label else self.rtype.title

    def compose(self) -> ComposeResult:
        yield ContextBar(id="context")
        yield Crumbs(id="crumbs")
        yield ErrorBanner(id="error")
        yield ResourceTable(table_columns(self.rtype), id="table")
        yield Static(id="filter-error")
        yield Input(
            placeholder="filter: text, regex, or !text to invert; Enter also filters on the server",
            id="filter",
        )
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ErrorBanner).display = False
        self.query_one("#filter", Input).display = False
        self.query_one("#filter-error", Static).display = False
        self.smtui.decorate(self)
        self.query_one(ResourceTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.smtui.decorate(self)

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    # ---------------------------------------------------------------- loading
    def _accepts(self, record: Mapping[str, Any]) -> bool:
        for field, want in self.match.items():
            got = value_at(record, field)
            if (got not in want) if isinstance(want, list) else (got != want):
                return False
        return self.keep is None or self.keep(record)

    def rows_for(self, items: list[dict[str, Any]]) -> list[TableRow]:
        return [build_row(self.rtype, item, self.params) for item in items if self._accepts(item)]

    @work(group="list", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        table = self.table
        banner = self.query_one(ErrorBanner)
        self.is_loading, self.complete = True, False
        self.started, self.first_row_at, self.pages_loaded = time.monotonic(), None, 0
        table.clear()
        self.update_status()
        try:
            async for page in self.smtui.sagemaker.pages(
                self.rtype.list_op, self.params, filters=self.server_filter
            ):
                table.append(self.rows_for(page.items))
                self.pages_loaded += 1
                if self.first_row_at is None and table.rows:
                    self.first_row_at = time.monotonic()
                self.update_status()
            self.complete = True
            banner.clear()
        except AwsError as error:
            banner.show_error(error)
        finally:
            self.is_loading = False
            self.update_status()
        await self.after_load()

    async def after_load(self) -> None:
        """Hook for types whose columns need a describe (HyperPod instance-group counts)."""
        if self.rtype.describe_op == "DescribeCluster":
            for key in list(self.table.rows)[:100]:
                row = self.table.rows.get(key)
                if row is None:
                    continue
                try:
                    detail = await self.smtui.sagemaker.call(
                        "DescribeCluster", self.rtype.describe_request(row.record, self.params)
                    )
                except AwsError:
                    continue
                self.table.update_row(build_row(self.rtype, {**row.record, **detail}, self.params))

    def update_status(self) -> None:
        table = self.table
        shown, total = len(table.view), len(table.rows)
        parts = [f"{total:,} loaded"]
        if shown != total:
            parts.append(f"{shown:,} shown")
        parts.append("loading…" if self.is_loading else ("complete" if self.complete else "stopped"))
        if self.server_filter:
            parts.append("server filter " + " ".join(f"{k}={v}" for k, v in self.server_filter.items()))
        if table.row_filter and not table.row_filter.empty:
            parts.append(f"filter /{table.row_filter.expression}")
        if table.sort_column is not None:
            parts.append(
                f"sort {self.rtype.columns[table.sort_column].title} {'▼' if table.sort_reverse else '▲'}"
            )
        marked = sum(1 for r in table.rows.values() if r.marked)
        if marked:
            parts.append(f"{marked} marked")
        self.query_one(StatusLine).update(" · ".join(parts))

    # ---------------------------------------------------------------- filter
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def apply_filter(self, expression: str) -> None:
        """Filter as if typed after ``/`` and submitted (used by ``:tj failed``)."""
        box = self.query_one("#filter", Input)
        box.value = expression
        self._apply_client_filter(expression)
        self._submit_filter(expression)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_client_filter(event.value)

    def _apply_client_filter(self, expression: str) -> None:
        error = self.query_one("#filter-error", Static)
        try:
            self.table.set_filter(expression)
        except ValueError as exc:
            error.update(f"[b red]✖ {exc}[/] — the list keeps the last valid filter")
            error.display = True
            return
        error.display = False
        self.update_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._submit_filter(event.value)

    def _submit_filter(self, expression: str) -> None:
        try:
            parsed = RowFilter(expression)
        except ValueError:
            return  # the message is already shown next to the input; keep the text for fixing
        self.query_one("#filter", Input).display = False
        self.table.focus()
        wanted = self.server_filter_for(parsed)
        if wanted != self.server_filter:
            self.server_filter = wanted
            self.load()
        self.update_status()

    def server_filter_for(self, parsed: RowFilter) -> dict[str, str]:
        """Push a plain filter to the server where the API can take it (big lists filter at the source)."""
        if parsed.empty or parsed.inverted or parsed.regex is not None:
            return {}
        allowed = self.rtype.server_filters
        status_param = "StatusEquals" if "StatusEquals" in allowed else None
        if status_param:
            shape = member_shape(operation(self.rtype.list_op).input_shape, status_param)
            for value in enum_values(shape):
                if value.lower() == parsed.body.lower():
                    return {status_param: value}
        if "NameContains" in allowed:
            return {"NameContains": parsed.body}
        return {}

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or box.display:
            box.display = False
            self.query_one("#filter-error", Static).display = False
            self.table.focus()
            return
        if self.table.row_filter is not None or self.server_filter:
            box.value = ""
            self.table.set_filter("")
            if self.server_filter:
                self.server_filter = {}
                self.load()
            self.update_status()
            return
        self.smtui.go_back()

    # ---------------------------------------------------------------- sort
    def sort_column(self, index: int) -> None:
        if 0 <= index < len(self.rtype.columns):
            self.table.sort_by(index)
            self.update_status()

    def action_sort_named(self, title: str) -> None:
        columns = self.rtype.columns
        kind = {"STATUS": "status", "AGE": "time"}.get(title)
        exact = [i for i, col in enumerate(columns) if col.title.upper() == title]
        by_kind = [i for i, col in enumerate(columns) if kind and col.kind == kind]
        if title == "NAME" and not exact:
            exact = [i for i, col in enumerate(columns) if col.key == self.rtype.key_field]
        for index in exact or by_kind:
            self.sort_column(index)
            return
        self.notify(f"no {title} column here", severity="warning")

    def on_key(self, event: Any) -> None:
        if event.character and event.character in "123456789" and self.focused is self.table:
            self.sort_column(int(event.character) - 1)
            event.stop()
            return
        jump = self.jump_for_key(event.character)
        if jump is not None and self.focused is self.table:
            event.stop()
            self.follow(jump)

    # ---------------------------------------------------------------- drill down
    def jump_for_key(self, key: str | None) -> Jump | None:
        if not key:
            return None
        for jump in self.rtype.jumps:
            if jump.key == key:
                return jump
        return None

    def follow(self, jump: Jump) -> None:
        row = self.table.cursor_row
        if row is None:
            self.notify("nothing selected", severity="warning")
            return
        self.smtui.follow_jump(self.rtype, jump, row.record, self.params)

    @on(ResourceTable.Selected)
    def _selected(self, event: ResourceTable.Selected) -> None:
        self.smtui.open_describe(self.rtype, event.row.record, self.params)

    def action_describe(self) -> None:
        row = self.table.cursor_row
        if row is not None:
            self.smtui.open_describe(self.rtype, row.record, self.params)

    def action_reload(self) -> None:
        self.load()

    @on(ResourceTable.CursorMoved)
    def _moved(self) -> None:
        self.update_status()
