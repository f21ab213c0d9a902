"""The list of one resource type: pages stream in, filter, sort, jump, describe."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, Static

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog, Jump, ResourceType, value_at
from smtui.catalog.metrics import COLUMN_METRICS
from smtui.catalog.types import FAILED_MEMBERS
from smtui.config import split_scope
from smtui.live import Failure, Pacer, Poller, PollStatus, Update, Watch
from smtui.service import RegionFailed, Service
from smtui.service.metrics import MetricsFeed, MetricsReport, format_value
from smtui.text import printable
from smtui.ui.actions import ACTION_BINDINGS
from smtui.ui.format import regions_label
from smtui.ui.handoff import HANDOFF_BINDINGS, HandoffScreen
from smtui.ui.messages import FollowJump, GoBack, OpenDescribe, OpenLogs, OpenTimeline, ResourceFailed
from smtui.ui.rows import age_key, build_row, table_columns
from smtui.ui.screens.form import run_action
from smtui.ui.theme import content_style
from smtui.ui.widgets.chrome import ErrorBanner, StatusLine, view_footer, view_header
from smtui.ui.widgets.resource_table import ResourceTable, RowFilter, TableColumn, TableRow

DEBOUNCE_FILTER_ROWS = 5000
FANOUT_PARAMS = "_list_params"
"""Where a row of the across-parents view keeps the parent it was listed under."""
ROW_REGION = "smtui:Region"
"""Where a row of a list across regions keeps the region it was listed in."""
LOCAL_KEYS = frozenset({FANOUT_PARAMS, FAILED_MEMBERS, ROW_REGION})
"""Record keys smtui adds, which no handoff (form, timeline, describe) may take for SageMaker's."""


def plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` as SageMaker sent it, without the keys smtui added to the row."""
    return {k: v for k, v in record.items() if k not in LOCAL_KEYS}


PARENT_KEY = "<parent>"
REGION_KEY = "<region>"
PROFILE_KEY = "<profile>"
METRIC_KEY = "<metric>"
"""The optional CloudWatch column (5XX in the last 15 minutes): not a record path."""
"""The key of the across-parents view's first column (the parent's name)."""


class ResourceListScreen(HandoffScreen):
    """One resource type as a live table.

    ``params`` are fixed list-call parameters (a parent's name for child types, or a jump's
    filter such as ``EndpointNameEquals``); ``match`` filters client-side when the list call
    cannot (field -> value).
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("escape", "back", "Back", show=False, id="list.back"),
        Binding("r", "reload", "Reload", show=False, id="list.reload"),
        Binding("ctrl+z", "faults_only", "Faults", id="list.faults"),
        *ACTION_BINDINGS,
        Binding("d", "describe", "Describe", show=False, id="list.describe"),
        Binding("N", "sort_named('NAME')", "Sort name", show=False, id="list.sort_name"),
        Binding("A", "sort_named('AGE')", "Sort age", show=False, id="list.sort_age"),
        Binding("S", "sort_named('STATUS')", "Sort status", show=False, id="list.sort_status"),
        Binding("t", "timeline", "Timeline", show=False, id="list.timeline"),
        *HANDOFF_BINDINGS,
    ]
    offers_actions = True
    help_section = "Lists"

    def __init__(
        self,
        service: Service,
        catalog: Catalog,
        rtype: ResourceType,
        *,
        params: Mapping[str, Any] | None = None,
        match: Mapping[str, Any] | None = None,
        keep: Callable[[Mapping[str, Any]], bool] | None = None,
        context: str = "",
        initial_filter: str = "",
        regions: Sequence[str] = (),
    ) -> None:
        super().__init__(service, catalog)
        self.rtype = rtype
        self.regions = tuple(regions) if len(regions) > 1 else ()
        """The regions of a list across regions (``--regions``, ``:region a,b``), else ()."""
        self.region_errors: dict[str, AwsError] = {}
        self.region_pollers: dict[str, Poller] = {}
        """One poller per region of a list across regions, each through that region's service."""
        self.params = {**dict(rtype.list_defaults), **dict(params or {})}
        self.match = dict(match or {})
        self.keep = keep
        self.initial_filter = initial_filter
        self._filter_timer: Timer | None = None
        self.load_pacer = Pacer(service.poll_settings)
        """Paces the first load's retries (the poller takes over once a listing is complete)."""
        self.context_label = context
        self.is_loading = False
        self.complete = False
        self.server_filter: dict[str, str] = {}
        self.filter_note = ""
        """Why the typed filter stays on the client (too long for the server, say), or ""."""
        self.started = 0.0
        self.first_row_at: float | None = None
        self.pages_loaded = 0
        self.faults_only = False
        self.live_text = ""
        self.watches: list[Watch] = []
        self.metric_cells: dict[str, float] = {}
        """The metrics column (5XX over 15 minutes) per row key, from the last metrics tick."""
        self.metrics_note = ""
        self.metrics_feed: MetricsFeed | None = None

    @property
    def crumb(self) -> str:
        title = f"{self.rtype.title}({self.context_label})" if self.context_label else self.rtype.title
        if self.profiles:
            profiles = list(dict.fromkeys(str(split_scope(r)[0]) for r in self.regions))
            title += " · " + (",".join(profiles) if len(profiles) <= 3 else f"{len(profiles)} profiles")
        return f"{title} · {regions_label(self.regions)}" if self.regions else title

    def scope_word(self, count: int) -> str:
        """What ``count`` of this view's scopes are called in its status line."""
        word = "profile-region" if self.profiles else "region"
        return word if count == 1 else f"{word}s"

    @property
    def profiles(self) -> bool:
        """Whether this list spans profiles (its scopes are ``profile/region``): a PROFILE column."""
        return any(split_scope(r)[0] for r in self.regions)

    def compose(self) -> ComposeResult:
        yield from view_header()
        columns = table_columns(self.rtype)
        if self.fanout and self.rtype.parent is not None:
            parent = self.rtype.parent.type_name.rstrip("s").replace("-", " ").upper()
            # Drops last of the droppable columns: which cluster a node is in matters.
            columns.insert(0, TableColumn(parent, max(len(parent), 12), key=PARENT_KEY, drop=0))
        if self.regions:
            # Never dropped: which region (and profile) a row is in is what every key on it acts on.
            scopes = [split_scope(r) for r in self.regions]
            columns.insert(0, TableColumn("REGION", max(len(r) for _, r in scopes), key=REGION_KEY))
            if self.profiles:
                width = max(len(str(p)) for p, _ in scopes)
                columns.insert(0, TableColumn("PROFILE", max(width, 7), key=PROFILE_KEY))
        if self.metric_column is not None:
            # Drops late, after the text columns (at 80 columns it pushed out COPIES on :ic).
            columns.append(TableColumn(self.metric_column, 7, numeric=True, key=METRIC_KEY, drop=0))
        yield ResourceTable(columns, id="table")
        yield Static(id="filter-error")
        yield Input(
            placeholder="filter: text, regex, or !text to invert; Enter also filters on the server",
            id="filter",
        )
        yield from view_footer()

    def on_mount(self) -> None:
        self.query_one(ErrorBanner).display = False
        self.query_one("#filter", Input).display = False
        self.query_one("#filter-error", Static).display = False
        self.query_one(ResourceTable).focus()
        if self.rtype.sort_by:
            self.table.sort_by(self.rtype.sort_by, reverse=False)
        elif self.regions or self.fanout:
            # Each region's (each parent's) pages arrive newest first; merged, they stay newest
            # first overall. Unsorted, every pipeline's executions came as one block, and the
            # newest run of the last pipeline sat at the bottom.
            age = age_key(self.rtype)
            if age is not None:
                self.table.sort_by(age, reverse=True)
        self.poller = self.service.poller(self.on_poll_result, self.on_poll_status, self.on_poll_failure)
        # "next poll in 8s" counts down: the text is re-read from the pace each second.
        self.set_interval(1.0, self._tick_status, name="status-countdown")
        if self.initial_filter:
            self.query_one("#filter", Input).value = self.initial_filter
            self._apply_client_filter(self.initial_filter)
            with contextlib.suppress(ValueError):  # an invalid regex is already shown at the box
                self.server_filter = self.server_filter_for(RowFilter(self.initial_filter))
        self.load()

    def on_screen_resume(self) -> None:
        self.poller.resume()
        for poller in self.region_pollers.values():
            poller.resume()
        if self.metrics_feed is not None:
            self.metrics_feed.resume()
        # A list that never loaded retries when it comes back, but not before its backoff.
        if not self.complete and not self.is_loading and self.load_pacer.request():
            self.load()

    def _tick_status(self) -> None:
        if not self.is_current:
            return
        now = time.monotonic()
        if not self.complete and self.load_pacer.error is not None:
            text = self.load_pacer.status_text(now)
        elif self.poller.status is not None:
            text = self.poller.status.text_at(now)
        else:
            return
        if text != self.live_text:
            self.live_text = text
            self.update_status()

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    # ---------------------------------------------------------------- loading
    @property
    def fanout(self) -> bool:
        """A child type opened without its parent: list it across every parent (all clusters)."""
        return self.service.fans_out(self.rtype, self.params)

    def _accepts(self, record: Mapping[str, Any]) -> bool:
        for field, want in self.match.items():
            got = value_at(record, field)
            if (got not in want) if isinstance(want, list) else (got != want):
                return False
        return self.keep is None or self.keep(record)

    def params_of(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The list-call parameters a row came from (its parent, in the across-parents view)."""
        own = record.get(FANOUT_PARAMS)
        return dict(own) if isinstance(own, Mapping) else dict(self.params)

    @property
    def metric_column(self) -> str | None:
        """The title of the optional metrics column (off with ``metrics.hide_columns``), if any."""
        definition = COLUMN_METRICS.get(self.rtype.name)
        if definition is None or self.service.settings.metrics.hide_columns:
            return None
        return definition.label

    def row_for(self, item: Mapping[str, Any], params: Mapping[str, Any]) -> TableRow:
        row = self._row_for(item, params)
        region = item.get(ROW_REGION)
        if self.regions and isinstance(region, str):
            row.key = f"{region}/{row.key}"
            profile, name = split_scope(region)
            for cell in ([profile or "", name] if self.profiles else [name])[::-1]:
                row.cells.insert(0, cell)
                row.styles.insert(0, "muted")
                row.sort_values.insert(0, cell)
        if self.metric_column is not None:
            value = self.metric_cells.get(row.key)
            row.cells.append(format_value(value) if value is not None else "")
            row.styles.append("failed" if value else "muted")
            row.sort_values.append(value or 0.0)
        return row

    def _row_for(self, item: Mapping[str, Any], params: Mapping[str, Any]) -> TableRow:
        if not self.fanout:
            return build_row(self.rtype, item, params)
        record = {**item, FANOUT_PARAMS: dict(params)}
        row = build_row(self.rtype, record, params)
        parent = " ".join(str(v) for v in params.values())
        row.key = f"{parent}/{row.key}"
        row.cells.insert(0, parent)
        row.styles.insert(0, "")
        row.sort_values.insert(0, parent.lower())
        return row

    def rows_for(
        self, items: list[dict[str, Any]], params: Mapping[str, Any] | None = None, region: str = ""
    ) -> list[TableRow]:
        use = self.params if params is None else params
        if region:
            items = [{**item, ROW_REGION: region} for item in items]
        return [self.row_for(item, use) for item in items if self._accepts(item)]

    def row_service(self, record: Mapping[str, Any]) -> Service:
        """The service of a row's own region: every key on the row acts there."""
        region = record.get(ROW_REGION)
        return self.service.regional(region) if self.regions and isinstance(region, str) else self.service

    def subject_service(self) -> Service:
        row = self.table.cursor_row
        return self.row_service(row.record) if row is not None else self.service

    @work(group="list", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        table = self.table
        banner = self.query_one(ErrorBanner)
        self.is_loading, self.complete = True, False
        self.started, self.first_row_at, self.pages_loaded = time.monotonic(), None, 0
        for watch in self.watches:
            self.poller.unwatch(watch)
        self.watches = []
        # What is on screen stays until the first page of the new listing replaces it, so a
        # key pressed right after Enter (a jump, Describe) still has a row to act on.
        stale = bool(table.rows)
        cursor_key = table.cursor_key
        self.update_status()
        if self.regions:
            await self.load_regions(stale)
            return
        try:
            async for batch in self.service.stream(self.rtype, self.params, self.server_filter):
                if stale:
                    table.clear()
                    stale = False
                table.append(self.rows_for(batch.items, batch.params))
                # Put the cursor back on its row if it comes back early (bounded: each try
                # scans the view).
                if cursor_key is not None and (table.move_cursor_to_key(cursor_key) or self.pages_loaded >= 5):
                    cursor_key = None
                self.pages_loaded += 1
                if self.first_row_at is None and table.rows:
                    self.first_row_at = time.monotonic()
                self.update_status()
                if batch.last:
                    self.watch_list(batch.params, batch.number + 1)
            if stale:  # the new listing is empty
                table.clear()
            self.complete = True
            self.start_metrics()
            banner.clear()
            self.load_pacer.success(transitional=False)
        except AwsError as error:
            banner.show_error(error)
            self.retry_load(error)
        finally:
            self.is_loading = False
            self.update_status()

    def retry_load(self, error: AwsError) -> None:
        """A list that never loaded has nothing for the poller to watch: retry it under the one
        pacing policy (smtui.live.pacing): back off on throttles and transport errors, wait for
        r after a permanent error, and never retry while hidden."""
        delay = self.load_pacer.failure(error)
        self.live_text = self.load_pacer.status_text()
        if delay is not None:
            self.set_timer(delay, self._retry_if_still_failing)

    def _retry_if_still_failing(self) -> None:
        # Hidden: on_screen_resume retries once the backoff allows.
        if not self.complete and not self.is_loading and self.is_attached and self.is_current:
            self.load()

    async def load_regions(self, stale: bool) -> None:
        """The list across regions: every region at once, each row labelled with its region;
        a region that fails is named in the banner and the status line, and the rest load.
        Each region then has its own poller, a failed one too (it retries with backoff)."""
        table, banner = self.table, self.query_one(ErrorBanner)
        self.region_errors = {}
        for poller in self.region_pollers.values():
            await poller.stop()
        self.region_pollers = {}
        listed: dict[str, list[tuple[dict[str, Any], int]]] = {}
        try:
            async for item in self.service.stream_regions(self.rtype, self.regions, self.params, self.server_filter):
                if stale:
                    table.clear()
                    stale = False
                if isinstance(item, RegionFailed):
                    self.region_errors[item.region] = item.error
                    self.show_region_errors()
                else:
                    table.append(self.rows_for(item.items, item.params, item.region))
                    if item.last:
                        listed.setdefault(item.region, []).append((item.params, item.number + 1))
                    self.pages_loaded += 1
                    if self.first_row_at is None and table.rows:
                        self.first_row_at = time.monotonic()
                self.update_status()
            if stale:
                table.clear()
            self.complete = True
            self.start_metrics()
            if not self.region_errors:
                banner.clear()
            for region, calls in listed.items():
                self.watch_region(region, calls)
            if not self.fanout:
                # A region that failed (throttled, a token that expired, a network blip) is
                # polled too, with the poller's backoff: its rows come in when it answers,
                # instead of waiting for an r that nobody knows to press.
                for region in list(self.region_errors):
                    self.watch_region(region, [(dict(self.params), 1)])
        finally:
            self.is_loading = False
            self.update_status()

    def watch_region(self, region: str, calls: list[tuple[dict[str, Any], int]]) -> None:
        """Keep one region's rows live: a poller of that region's service, seeded with its rows."""
        service = self.service.regional(region)
        poller = service.poller(
            lambda update: self.on_region_result(region, update),
            lambda status: self.on_region_status(region, status),
            self.on_poll_failure,
        )
        self.region_pollers[region] = poller
        for params, pages in calls:
            watch = Watch.list_of(self.rtype, params, self.server_filter, max_pages=max(1, pages), keep=self._accepts)
            seed = {
                self.rtype.key_of(plain(row.record), params): plain(row.record)
                for row in self.table.rows.values()
                if row.record.get(ROW_REGION) == region and self.params_of(row.record) == params
            }
            poller.watch(watch, seed=seed)

    def on_region_result(self, region: str, update: Update) -> None:
        self.apply_update(update, region)
        if region in self.region_errors:  # it answered: its rows are in, its error is over
            del self.region_errors[region]
            self.show_region_errors()
            self.update_status()

    def show_region_errors(self) -> None:
        """Every failing region in the banner, each with its hint; cleared when none is left."""
        try:
            banner = self.query_one(ErrorBanner)
        except NoMatches:
            return
        if not self.region_errors:
            banner.clear()
            return
        banner.show_error(
            "\n  ".join(
                f"{region}: {error.message}" + (f" → {error.hint}" if error.hint else "")
                for region, error in self.region_errors.items()
            )
        )

    def on_region_status(self, region: str, status: PollStatus) -> None:
        self.live_text = f"{status.text} ({len(self.region_pollers)} {self.scope_word(len(self.region_pollers))})"
        if status.error is not None:
            self.region_errors[region] = status.error
            self.show_region_errors()
        elif status.recovered and region in self.region_errors:
            del self.region_errors[region]
            self.show_region_errors()
        self.update_status()

    # ---------------------------------------------------------------- live
    def watch_list(self, params: dict[str, Any], pages: int) -> None:
        """Hand what was loaded to the poller, seeded with what is on screen."""
        watch = Watch.list_of(self.rtype, params, self.server_filter, max_pages=max(1, pages), keep=self._accepts)
        seed = {}
        for row in self.table.rows.values():
            record = plain(row.record)
            if self.params_of(row.record) == params:
                seed[self.rtype.key_of(record, params)] = record
        self.watches.append(self.poller.watch(watch, seed=seed))
        if any(col.from_describe for col in self.rtype.columns):
            self.poller.poll_now()  # fill the describe-only columns (HyperPod counts) at once

    def on_poll_result(self, update: Update) -> None:
        self.apply_update(update)

    def apply_update(self, update: Update, region: str = "") -> None:
        """A poll's diff, cell by cell (``region``: the rows' region in a list across regions)."""
        try:
            table = self.table
        except NoMatches:
            return
        params = update.watch.params
        local = {ROW_REGION: region} if region else {}
        order = list(update.records)
        added = set(update.diff.added)
        for key in [*update.diff.added, *update.diff.changed]:
            record = update.records.get(key)
            if record is None or not self._accepts(record):
                continue
            row = self.row_for({**record, **local}, params)
            if key in added and row.key not in table.rows:
                # Where the server lists it: above the first row it lists after it.
                at = order.index(key) if key in order else len(order)
                later = (self.row_for({**update.records[k], **local}, params).key for k in order[at + 1 :])
                table.insert_before(row, next((k for k in later if k in table.rows), None))
            else:
                table.update_row(row)
        if update.diff.removed and update.complete:
            prefix = f"{region}/" if region else ""
            prefix += f"{' '.join(str(v) for v in params.values())}/" if self.fanout else ""
            table.remove_rows(prefix + key for key in update.diff.removed)
        if update.diff:
            # The highlight of a changed cell fades by itself: the table's age tick repaints it.
            self.update_status()

    def on_poll_status(self, status: PollStatus) -> None:
        self.live_text = status.text
        try:
            banner = self.query_one(ErrorBanner)
        except NoMatches:  # the poller can report once more while the screen is being removed
            return
        if status.error is not None:
            banner.show_error(status.error)
        elif status.recovered:
            banner.clear()
        self.update_status()

    def on_poll_failure(self, failure: Failure) -> None:
        self.post_message(ResourceFailed(self.rtype, failure.key, failure.status, failure.reason))

    def on_screen_suspend(self) -> None:
        self.poller.pause()
        for poller in self.region_pollers.values():
            poller.pause()
        if self.metrics_feed is not None:
            self.metrics_feed.pause()

    async def on_unmount(self) -> None:
        if hasattr(self, "poller"):
            await self.poller.stop()
        for poller in self.region_pollers.values():
            await poller.stop()
        if self.metrics_feed is not None:
            await self.metrics_feed.stop()

    # ---------------------------------------------------------------- metrics column
    def start_metrics(self) -> None:
        """The metrics column: one GetMetricData per tick for every loaded row (up to 500)."""
        if self.metrics_feed is not None or self.metric_column is None:
            return

        async def tick() -> list[Any]:
            if not self.regions:
                records = {key: row.record for key, row in self.table.rows.items()}
                self.metric_cells = await self.service.column_metrics(self.rtype, records)
                return []
            # Across regions: one call per region (CloudWatch is regional); a region that fails
            # keeps its last values, and says so, while the others' move on.
            scoped = {
                key: (str(row.record.get(ROW_REGION, "")), row.record)
                for key, row in self.table.rows.items()
                if row.record.get(ROW_REGION)
            }
            values, errors = await self.service.column_metrics_across(self.rtype, scoped)
            self.metric_cells = {**self.metric_cells, **values}
            if errors:
                scope, error = next(iter(errors.items()))
                more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
                raise type(error)(
                    f"{scope}: {error.message}{more}", error.hint, code=error.code, operation=error.operation
                )
            return []

        self.metrics_feed = self.service.metrics_feed(tick, self.on_metrics)
        if not self.is_current:
            self.metrics_feed.pause()  # loaded while hidden: the feed starts with the view's return

    def on_metrics(self, report: MetricsReport) -> None:
        try:
            table = self.table
        except NoMatches:
            return
        # A failed tick keeps the last values; the status line says why they are not moving.
        self.metrics_note = f"{self.metric_column}: {report.error}" if report.error is not None else ""
        # Even after an error: across regions, the regions that answered have new values (a
        # region that failed, or a list in one, keeps the last ones, so nothing changes there).
        for key, row in list(table.rows.items()):
            value = self.metric_cells.get(key)
            shown = format_value(value) if value is not None else ""
            if row.cells[-1] != shown:
                table.update_row(self.row_for(row.record, self.params_of(row.record)))
        self.update_status()

    # ---------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the actions this type has (none at all in read-only mode)."""
        if action == "act":
            return self.service.action_available(self.rtype, str(parameters[0]))
        return self.check_handoff(action)

    def handoff_subject(self) -> tuple[ResourceType, dict[str, Any], dict[str, Any]] | None:
        row = self.table.cursor_row
        if row is None:
            return None
        record = plain(row.record)
        return self.rtype, record, self.params_of(row.record)

    def action_timeline(self) -> None:
        subject = self.handoff_subject()
        if subject is None:
            self.notify("nothing selected", severity="warning")
            return
        self.post_message(OpenTimeline(*subject, service=self.subject_service()))

    def action_act(self, verb: str) -> None:
        row = self.table.cursor_row
        if row is None and verb not in ("create", "menu"):
            if self.key_hold is not None:
                self.key_hold.release(self.app)  # no form is coming
            self.notify("nothing selected", severity="warning")
            return
        record = plain(row.record) if row is not None and verb != "create" else None
        params = self.params_of(row.record) if row is not None else dict(self.params)
        marked = [r.record for r in self.table.marked_rows()]
        service = self.service
        if self.regions:
            # Each region is its own account of resources: a change goes to the row's region,
            # and one change never spans two (nor guesses where a new resource should go).
            regions = {str(r.get(ROW_REGION)) for r in marked} or ({str(row.record.get(ROW_REGION))} if row else set())
            problem = ""
            if not regions:
                problem = "select a row first: in a list across regions a change goes to its row's region"
            elif verb == "create":
                problem = f"create in one region: :region NAME first (this list spans {', '.join(self.regions)})"
            elif len(regions) > 1:
                problem = (
                    f"the marked rows are in {len(regions)} regions ({', '.join(sorted(regions))}): mark one region's"
                )
            if problem:
                if self.key_hold is not None:
                    self.key_hold.release(self.app)
                self.notify(problem, severity="warning", markup=False)
                return
            service = self.service.regional(regions.pop())
            marked = [plain(r) for r in marked]
        self.run_act(verb, record, params, marked, service)

    @work(group="action", exclusive=True, exit_on_error=False)
    async def run_act(
        self,
        verb: str,
        record: dict[str, Any] | None,
        params: dict[str, Any],
        marked: list[dict[str, Any]],
        service: Service,
    ) -> None:
        result = await run_action(self.app, service, self.rtype, verb, record, params, marked, keys=self.key_hold)
        if result is not None:
            if marked:
                self.table.clear_marks()
            # Hand the change to the poller: the next poll shows it moving (Creating, Updating…).
            self.poller.poll_now()

    # ---------------------------------------------------------------- faults
    def action_faults_only(self) -> None:
        """Ctrl+Z: only what is not healthy (nodes not Running, clusters not InService or with
        a failed node, …)."""
        self.faults_only = not self.faults_only
        rtype = self.rtype
        self.table.set_predicate((lambda row: rtype.unhealthy(row.record)) if self.faults_only else None)
        self.update_status()

    def update_status(self) -> None:
        try:
            table = self.table
        except NoMatches:  # a poller's late report, after the view was taken down
            return
        shown, total = len(table.view), len(table.rows)
        parts = [f"{total:,} loaded"]
        if shown != total:
            parts.append(f"{shown:,} shown")
        # What the user did comes before what smtui does (polling, metrics): at 80 columns the
        # line is cut at the right, and the server filter and the sort were the parts lost.
        parts.append("loading…" if self.is_loading else ("complete" if self.complete else "stopped"))
        filtered = table.row_filter is not None and not table.row_filter.empty
        if filtered and self.filter_note:
            parts.append(self.filter_note)  # why Enter kept it here: before the long filter text
        if filtered:
            expression = table.row_filter.expression if table.row_filter is not None else ""
            # A 10,000-character filter must not fill the line: its start says which it is.
            parts.append(f"filter /{expression if len(expression) <= 40 else expression[:39] + '…'}")
        if self.server_filter:
            parts.append("server filter " + " ".join(f"{k}={v}" for k, v in self.server_filter.items()))
        if table.sort_column is not None:
            parts.append(f"sort {table.columns[table.sort_column].title} {table.sort_arrow}")
        marked = len(table.marked)
        if marked:
            parts.append(f"{marked} marked")
        if self.faults_only:
            parts.append("faults only")
        if self.region_errors:
            failed = ",".join(self.region_errors)
            word = self.scope_word(len(self.regions))
            parts.append(f"{len(self.region_errors)} of {len(self.regions)} {word} failed: {failed}")
        if self.live_text:
            parts.append(self.live_text)
        if self.metrics_note:
            parts.append(self.metrics_note)
        # Plain text: a filter such as 'x[/]' must not be read as markup.
        self.query_one(StatusLine).update(Text(" · ".join(parts)))

    # ---------------------------------------------------------------- filter
    types_after_slash = True

    def action_filter(self) -> None:
        self.open_text_box(self.query_one("#filter", Input))

    def apply_filter(self, expression: str) -> None:
        """Filter as if typed after ``/`` and submitted (used by ``:tj failed``)."""
        box = self.query_one("#filter", Input)
        box.value = expression
        self._apply_client_filter(expression)
        self._submit_filter(expression)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # Filtering 50,000 rows takes ~0.1 s: on a big list wait for a pause in typing, so
        # every key is answered at once and the filter runs once per burst.
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self.table.rows) < DEBOUNCE_FILTER_ROWS:
            self._apply_client_filter(event.value)
        else:
            value = event.value
            self._filter_timer = self.set_timer(0.15, lambda: self._apply_client_filter(value))

    def _apply_client_filter(self, expression: str) -> None:
        error = self.query_one("#filter-error", Static)
        try:
            self.table.set_filter(expression)
        except ValueError as exc:
            # The message quotes what was typed: plain Content, never markup.
            shown = printable(str(exc))
            error.update(
                Content.assemble((f"✖ {shown}", content_style("error")), " — the list keeps the last valid filter")
            )
            error.display = True
            return
        error.display = False
        self.update_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._submit_filter(event.value)

    def _submit_filter(self, expression: str) -> None:
        if self._filter_timer is not None:  # Enter beats the typing pause
            self._filter_timer.stop()
            self._filter_timer = None
            self._apply_client_filter(expression)
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
            self.filter_note = ""
            return {}
        self.filter_note = self.service.server_filter_note(self.rtype, parsed.body)
        wanted = self.service.server_filter(self.rtype, parsed.body)
        if "NameContains" in wanted and not self._names_hold(parsed.body):
            # '/fail' showed the 3 Failed jobs (it matches the whole row), and Enter sent
            # NameContains=fail, which no job name holds: 0 rows. A server filter must keep
            # what the user sees.
            self.filter_note = "filtering here only: not just names"
            return {}
        return wanted

    def _names_hold(self, text: str) -> bool:
        """Whether every row the filter shows has ``text`` in its name (what NameContains keeps)."""
        table, needle = self.table, text.lower()
        for key in table.view:
            name = value_at(table.rows[key].record, self.rtype.key_field)
            if needle not in str(name or "").lower():
                return False
        return True

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
        self.post_message(GoBack(self))

    # ---------------------------------------------------------------- sort
    def sort_column(self, key: str) -> None:
        """Sort by the column named ``key`` (its source path); again to reverse."""
        if self.table.column_index(key) is not None:
            self.table.sort_by(key)
            self.update_status()

    def action_sort_named(self, title: str) -> None:
        columns = self.rtype.columns
        kind = {"STATUS": "status", "AGE": "time"}.get(title)
        exact = [col.key for col in columns if col.title.upper() == title]
        by_kind = [col.key for col in columns if kind and col.kind == kind]
        if title == "NAME" and not exact:
            exact = [col.key for col in columns if col.key == self.rtype.key_field]
        for key in exact or by_kind:
            self.sort_column(key)
            return
        self.notify(f"no {title} column here", severity="warning")

    def on_key(self, event: Any) -> None:
        if event.character and event.character in "123456789" and self.focused is self.table:
            # The Nth column on screen, whatever the across-parents view or the width added or hid.
            shown = self.table.shown_keys()
            index = int(event.character) - 1
            if index < len(shown):
                self.sort_column(shown[index])
            event.stop()
            return
        if event.character == "l" and self.rtype.logs is not None and self.focused is self.table:
            # l opens the logs where the type has them (it scrolls the columns elsewhere; → too).
            event.stop()
            row = self.table.cursor_row
            if row is None:
                self.notify("nothing selected", severity="warning")
            else:
                self.post_message(
                    OpenLogs(
                        self.rtype, plain(row.record), self.params_of(row.record), service=self.row_service(row.record)
                    )
                )
            return
        jump = self.jump_for_key(event.character)
        if jump is not None and self.focused is self.table:
            event.stop()
            self.follow(jump)
        elif self.focused is self.table:
            self.say_unbound(event)

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
        self.post_message(
            FollowJump(
                self.rtype, jump, plain(row.record), self.params_of(row.record), service=self.row_service(row.record)
            )
        )

    @on(ResourceTable.Selected)
    def _selected(self, event: ResourceTable.Selected) -> None:
        self.post_message(
            OpenDescribe(
                self.rtype,
                plain(event.row.record),
                self.params_of(event.row.record),
                service=self.row_service(event.row.record),
            )
        )

    def action_describe(self) -> None:
        row = self.table.cursor_row
        if row is not None:
            self.post_message(
                OpenDescribe(
                    self.rtype, plain(row.record), self.params_of(row.record), service=self.row_service(row.record)
                )
            )

    def action_reload(self) -> None:
        """r: the user asked, so now, whatever the backoff says."""
        self.load_pacer.refresh()
        self.poller.refresh_now()
        if self.metrics_feed is not None:
            self.metrics_feed.refresh()
        self.load()

    @on(ResourceTable.CursorMoved)
    def _moved(self) -> None:
        self.update_status()
