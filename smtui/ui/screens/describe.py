"""The describe view: the full Describe* response as a collapsible tree, problems on top."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, Static, TextArea, Tree
from textual.widgets.text_area import Selection
from textual.widgets.tree import TreeNode

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog, ResourceType, value_at
from smtui.catalog.metrics import has_metrics
from smtui.live import Failure, PollStatus, Update, Watch
from smtui.logs import redact_deep
from smtui.service import Service
from smtui.service.metrics import MetricsFeed, MetricsReport
from smtui.text import printable
from smtui.ui.actions import ACTION_BINDINGS
from smtui.ui.format import scalar, timestamp, to_json, to_yaml
from smtui.ui.handoff import HANDOFF_BINDINGS, HandoffScreen
from smtui.ui.messages import FollowJump, GoBack, OpenLogs, OpenTimeline, ResourceFailed
from smtui.ui.screens.base import ResourceScreen
from smtui.ui.screens.form import run_action
from smtui.ui.theme import content_style, rich_name
from smtui.ui.widgets.chrome import ErrorBanner, StatusLine, view_footer, view_header
from smtui.ui.widgets.detail_tree import DetailTree
from smtui.ui.widgets.metrics import MetricsPanel
from smtui.ui.widgets.related import LIVE_CHILDREN, RelatedPanel, StepsPanel

# Fields that explain a problem; shown above the tree so nobody has to dig for them.
PROBLEM_FIELDS = (
    "FailureReason",
    "StatusMessage",
    "Message",
    "ExitMessage",
    "Reason",
    "TrackingServerMaintenanceStatus",
)


def problems_of(record: Any, path: str = "") -> list[tuple[str, str]]:
    """Every failure reason / status message anywhere in the response, with where it was."""
    found: list[tuple[str, str]] = []
    if isinstance(record, Mapping):
        for key, value in record.items():
            where = f"{path}.{key}" if path else str(key)
            if key in PROBLEM_FIELDS and isinstance(value, str) and value.strip():
                found.append((where, value))
            elif isinstance(value, (Mapping, list)):
                found.extend(problems_of(value, where))
    elif isinstance(record, list):
        for i, item in enumerate(record):
            found.extend(problems_of(item, f"{path}[{i}]"))
    return found


INFORMATIONAL_FIELDS = frozenset({"StatusMessage", "Message", "TrackingServerMaintenanceStatus"})
"""Fields that only say what is going on: a problem only when the resource has failed (or its state is unknown)."""


def shown_problems(rtype: ResourceType, merged: Mapping[str, Any], detail: Any) -> list[tuple[str, str]]:
    """The problems above the tree: each message once, under its most telling field.

    A failed training job repeats its FailureReason in the last SecondaryStatusTransitions
    message: the top-level field names it (the shallowest path wins, then FailureReason).
    A healthy or moving resource (a Completed job; an InProgress one "Uploading generated
    training model") shows its status messages in the tree only: as a warning above it, a
    job doing well read as one in trouble.
    """
    healthy = rtype.health(rtype.status_of(merged)) in ("healthy", "transitional")
    best: dict[str, tuple[str, str]] = {}
    for where, message in problems_of(detail):
        field = where.rsplit(".", 1)[-1]
        if healthy and field in INFORMATIONAL_FIELDS:
            continue
        held = best.get(message)
        if held is None or _rank(where) < _rank(held[0]):
            best[message] = (where, message)
    return list(best.values())


def _rank(where: str) -> tuple[int, int]:
    return (where.count(".") + where.count("["), 0 if where.endswith("FailureReason") else 1)


class DescribeScreen(HandoffScreen, ResourceScreen):
    """Describe one resource. y: tree/YAML/JSON; /: search; Ctrl+Y: copy value; Ctrl+A: copy ARN.

    Lower-case letters are the type's related-resource jumps, so copying uses Ctrl keys.
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="describe.back"),
        Binding("y", "cycle_view", "YAML/JSON", id="describe.view"),
        Binding("slash", "search", "Search", id="describe.search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="describe.next"),
        Binding("N", "next_match(-1)", "Prev match", show=False, id="describe.prev"),
        Binding("ctrl+y", "copy_value", "Copy", id="describe.copy"),
        Binding("ctrl+a", "copy_arn", "Copy ARN", show=False, id="describe.copy_arn"),
        Binding("r", "reload", "Reload", show=False, id="describe.reload"),
        # Not a letter: letters are the type's jumps (e is an IC's endpoint, a cluster's events).
        Binding("asterisk", "expand_all", "Expand all", show=False, id="describe.expand"),
        Binding("t", "timeline", "Timeline", id="describe.timeline"),
        Binding("w", "toggle_wrap", "Wrap", show=False, id="describe.wrap"),
        *HANDOFF_BINDINGS,
        *ACTION_BINDINGS,
    ]

    VIEWS = ("tree", "yaml", "json")
    offers_actions = True
    help_section = "Describe"

    def __init__(
        self,
        service: Service,
        catalog: Catalog,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(service, catalog, rtype, record, list_params)
        self.detail: dict[str, Any] = {}
        self.view_mode = "tree"
        self.matches: list[Any] = []
        self.match_index = -1
        self.search_text = ""
        self.live_text = ""

    @property
    def name_of(self) -> str:
        return self.rtype.key_of(self.record, self.list_params)

    @property
    def shown_name(self) -> str:
        """The name a user knows the resource by: a pipeline execution's key is its ARN, and
        at 80 columns the crumb showed "…execution/h5jd597zcrau" instead of "…-run-3"."""
        columns = self.rtype.columns
        if columns and columns[0].title == "NAME":
            name = value_at({**self.record, **self.detail}, columns[0].key)
            if name not in (None, ""):
                return str(name)
        return self.name_of

    @property
    def crumb(self) -> str:
        return self.shown_name

    def compose(self) -> ComposeResult:
        yield from view_header()
        yield Static(id="problems")
        yield Static(id="jumps")
        yield RelatedPanel(id="related")
        if self.rtype.name == "pipeline-executions":
            yield StepsPanel(id="steps")
        if has_metrics(self.rtype.name):
            yield MetricsPanel(id="metrics")
        yield DetailTree("…", leaf_label=_label, id="tree")
        yield TextArea("", read_only=True, id="raw", soft_wrap=False)
        yield Static(id="value")
        yield Input(placeholder="search (Enter: find, then n/N; Esc: close)", id="search")
        yield from view_footer()

    def on_mount(self) -> None:
        self.wrap = False
        """w: long values read whole (YAML/JSON wrap; the tree shows the selected value below)."""
        self.query_one("#value", Static).styles.max_height = 6
        for selector in ("#error", "#problems", "#raw", "#search", "#related", "StepsPanel", "#value"):
            for widget in self.query(selector):
                widget.display = False
        self.detail_watch: Watch | None = None
        self.child_watch: Watch | None = None
        self.metrics_feed: MetricsFeed | None = None
        self.poller = self.service.poller(self.on_poll_result, self.on_poll_status, self.on_poll_failure)
        self.show_jumps()
        self.query_one(Tree).focus()
        self.set_interval(1.0, self.query_one(DetailTree).tick, name="describe-ages")  # "(3m ago)" moves on
        self.load()

    def on_screen_resume(self) -> None:
        self.poller.resume()
        if self.metrics_feed is not None:
            self.metrics_feed.resume()

    def on_screen_suspend(self) -> None:
        self.poller.pause()
        if self.metrics_feed is not None:
            self.metrics_feed.pause()

    async def on_unmount(self) -> None:
        await self.poller.stop()
        if self.metrics_feed is not None:
            await self.metrics_feed.stop()

    def show_jumps(self) -> None:
        jumps = self.rtype.jumps
        widget = self.query_one("#jumps", Static)
        if not jumps:
            widget.display = False
            return
        # Content styles name theme variables (resolved at paint time, so a theme switch repaints).
        parts: list[tuple[str, str] | str] = [("jump: ", content_style("muted"))]
        for jump in jumps:
            parts.append((f"<{jump.key}>", content_style("key")))
            parts.append(f" {jump.label}  ")
        widget.update(Content.assemble(*parts))

    # ---------------------------------------------------------------- data
    @work(group="describe", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        banner = self.query_one(ErrorBanner)
        try:
            detail = await self.service.describe(self.rtype, self.record, self.list_params)
        except AwsError as error:
            banner.show_error(error)
            if not self.detail:
                self.show({**self.record})
            return
        banner.clear()
        self.detail = detail
        self.show(detail)
        self.start_watching()
        self.start_metrics()
        self.load_steps()

    @work(group="steps", exclusive=True, exit_on_error=False)
    async def load_steps(self) -> None:
        """A pipeline execution's steps, read again whenever its detail changes."""
        panels = self.query(StepsPanel)
        if not panels:
            return
        try:
            steps = await self.service.execution_steps(self.shown_record)
        except AwsError as error:
            self.query_one(ErrorBanner).show_error(error)
            return
        panels.first().show_steps(steps)

    # ---------------------------------------------------------------- metrics
    def start_metrics(self) -> None:
        """One GetMetricData per tick for the whole panel, at the slow poll rate."""
        if self.metrics_feed is not None or not has_metrics(self.rtype.name):
            return
        self.metrics_feed = self.service.metrics_feed(
            lambda: self.service.metrics(self.rtype, {**self.record, **self.detail}), self.on_metrics
        )
        if not self.is_current:
            self.metrics_feed.pause()  # loaded while hidden: the feed starts with the view's return

    def on_metrics(self, report: MetricsReport) -> None:
        try:
            panel = self.query_one(MetricsPanel)
        except NoMatches:
            return
        panel.show(report)

    @property
    def shown_record(self) -> dict[str, Any]:
        """The record this view shows (what the hand-off keys act on)."""
        return {**self.record, **self.detail}

    def handoff_subject(self) -> tuple[ResourceType, dict[str, Any], dict[str, Any]] | None:
        return self.rtype, self.shown_record, dict(self.list_params)

    def action_timeline(self) -> None:
        self.post_message(OpenTimeline(self.rtype, self.shown_record, self.list_params, service=self.service))

    # ---------------------------------------------------------------- live
    def start_watching(self) -> None:
        """Keep the detail (and the children panel) fresh while this view is open."""
        if self.detail_watch is None:
            watch = Watch.detail(self.rtype, {**self.record, **self.detail}, self.list_params)
            # The poller merges the list summary into each describe, so seed it the same way:
            # otherwise a status only the summary carries (a node's) looks like a new failure.
            seed = {watch.key_of(watch.record or {}): {**self.record, **self.detail}}
            self.detail_watch = self.poller.watch(watch, seed=seed)
        spec = LIVE_CHILDREN.get(self.rtype.name)
        if spec is None or self.child_watch is not None:
            return
        jump = next((j for j in self.rtype.jumps if j.key == spec[0] and j.list_params), None)
        if jump is None:
            return
        child = self.catalog.get(jump.target)
        params = jump.list_request({**self.record, **self.detail}, self.list_params)
        # "auto": children are described once for the columns only Describe* has (an inference
        # component's copies), then again only while they change.
        self.child_watch = self.poller.watch(Watch.list_of(child, params, max_pages=5, describe="auto"))

    def on_poll_result(self, update: Update) -> None:
        try:
            banner = self.query_one(ErrorBanner)
        except NoMatches:
            return
        if update.watch is self.detail_watch:
            if not update.records:
                banner.show_error(f"{self.name_of} no longer exists (deleted?)")
                return
            record = next(iter(update.records.values()))
            if update.diff:
                self.record = {**self.record, **record}
                self.detail = self.describe_part(record)
                self.show(self.detail)
                self.load_steps()
        elif update.watch is self.child_watch and self.child_watch is not None:
            spec = LIVE_CHILDREN[self.rtype.name]
            self.query_one(RelatedPanel).show_rows(
                self.child_watch.rtype, update.records, self.child_watch.params, spec[1]
            )

    def describe_part(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The Describe* response within a merged record (what this view shows)."""
        return self.service.describe_part(self.rtype, record)

    def on_poll_status(self, status: PollStatus) -> None:
        try:
            banner = self.query_one(ErrorBanner)
        except NoMatches:
            return
        if status.error is not None:
            banner.show_error(status.error)
        elif status.recovered:
            banner.clear()
        self.live_text = status.text

    def on_poll_failure(self, failure: Failure) -> None:
        self.post_message(ResourceFailed(failure.watch.rtype, failure.key, failure.status, failure.reason))

    def show(self, detail: Mapping[str, Any]) -> None:
        problems = shown_problems(self.rtype, {**self.record, **detail}, detail)
        box = self.query_one("#problems", Static)
        if problems:
            parts: list[tuple[str, str] | str] = []
            for where, message in problems[:6]:
                parts.append((f"⚠ {printable(where)}: ", content_style("error")))
                parts.append(f"{printable(message, keep_lines=True)}\n")
            box.update(Content.assemble(*parts).rstrip())
            box.display = True
        else:
            box.display = False
        # In place, keyed by path: cursor, expansion and scroll survive a live update.
        tree = self.query_one(DetailTree)
        # Shown masked: a presigned URL or a key someone pasted into a field is a credential on
        # a shared screen. The actions still work on the real values.
        tree.show(
            Text(f"{self.rtype.title}: {printable(self.shown_name)}", style=rich_name("strong")), redact_deep(detail)
        )
        raw = self.query_one("#raw", TextArea)
        text = self.raw_text()
        if text != raw.text:
            selection, scroll = raw.selection, raw.scroll_offset
            raw.load_text(text)
            raw.selection = selection
            raw.scroll_to(scroll.x, scroll.y, animate=False)
        # Some statuses live only in the list summary (a node's): fall back to the merged record.
        status = self.rtype.status_of(detail) or self.rtype.status_of({**self.record, **detail})
        shown = printable(status or "-")
        self.query_one(StatusLine).update(f"{self.rtype.describe_op} · status {shown} · view {self.view_mode}")

    def raw_text(self) -> str:
        data = redact_deep(self.detail or self.record)
        return to_json(data) if self.view_mode == "json" else to_yaml(data)

    # ---------------------------------------------------------------- views
    def action_cycle_view(self) -> None:
        self.view_mode = self.VIEWS[(self.VIEWS.index(self.view_mode) + 1) % len(self.VIEWS)]
        self.matches, self.match_index, self.search_text = [], -1, ""  # positions differ per view
        raw = self.query_one("#raw", TextArea)
        tree = self.query_one(Tree)
        if self.view_mode == "tree":
            raw.display, tree.display = False, True
            tree.focus()
        else:
            raw.load_text(self.raw_text())
            raw.display, tree.display = True, False
            raw.focus()
        self.query_one(StatusLine).update(f"view {self.view_mode} · y: next view")
        self.show_value()

    def action_expand_all(self) -> None:
        self.query_one(Tree).root.expand_all()

    # ---------------------------------------------------------------- search
    types_after_slash = True

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.value = ""
        self.open_text_box(box)

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        if event.value != self.search_text:
            self.search_text = event.value
            self.find_matches()
        self.action_next_match(1)
        # Enter commits the search, as in less and k9s: the view takes the keys again, so n/N
        # walk the matches (typed into the box they became part of the search text).
        event.input.display = False
        (self.query_one(Tree) if self.view_mode == "tree" else self.query_one("#raw", TextArea)).focus()

    def find_matches(self) -> None:
        needle = self.search_text.lower()
        self.match_index = -1
        if not needle:
            self.matches = []
            return
        if self.view_mode == "tree":
            tree: Tree[Any] = self.query_one(Tree)
            tree.root.expand_all()
            self.matches = [n for n in _walk(tree.root) if needle in str(n.label).lower()]
        else:
            text = self.query_one("#raw", TextArea).text
            self.matches = []
            for row, line in enumerate(text.splitlines()):
                start = line.lower().find(needle)
                while start >= 0:
                    self.matches.append((row, start))
                    start = line.lower().find(needle, start + 1)

    def action_next_match(self, step: int) -> None:
        status = self.query_one(StatusLine)
        if not self.matches:
            status.update(f"no match for {self.search_text!r}" if self.search_text else "search with /")
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        target = self.matches[self.match_index]
        if isinstance(target, tuple):
            raw = self.query_one("#raw", TextArea)
            row, col = target
            raw.selection = Selection((row, col), (row, col + len(self.search_text)))
            raw.scroll_cursor_visible()
        else:
            tree: Tree[Any] = self.query_one(Tree)
            # Expanding nodes renumbers the tree's lines only on its next refresh.
            tree.call_after_refresh(tree.move_cursor, target)
            tree.call_after_refresh(tree.scroll_to_node, target)
        status.update(f"match {self.match_index + 1}/{len(self.matches)} for {self.search_text!r} · n/N next/prev")

    # ---------------------------------------------------------------- copy
    def action_copy_value(self) -> None:
        value: str | None = None
        if self.view_mode == "tree":
            node = self.query_one(Tree).cursor_node
            if node is not None and node.data is not None:
                value = node.data if isinstance(node.data, str) else to_json(node.data)
        else:
            raw = self.query_one("#raw", TextArea)
            value = raw.selected_text or raw.text
        if value:
            self.copy_text(value)

    def action_toggle_wrap(self) -> None:
        """At 80 columns an ARN or a reason is cut at the right edge: wrap the YAML and JSON,
        and under the tree show the selected value whole."""
        self.wrap = not self.wrap
        self.query_one("#raw", TextArea).soft_wrap = self.wrap
        self.show_value()
        self.query_one(StatusLine).update(f"wrap {'on' if self.wrap else 'off'} · view {self.view_mode} · w: toggle")

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        self.show_value()

    def show_value(self) -> None:
        box = self.query_one("#value", Static)
        node = self.query_one(Tree).cursor_node if self.view_mode == "tree" and self.wrap else None
        if node is None or node.data is None or node.allow_expand:
            box.display = False  # a structure is read by expanding it, not on one line
            return
        label = node.label.plain if isinstance(node.label, Text) else str(node.label)
        box.update(Content(printable(label)))
        box.display = True

    def action_copy_arn(self) -> None:
        data = self.detail or self.record
        arn = data.get(self.rtype.arn_field) if self.rtype.arn_field else None
        if not arn:
            arn = next((v for k, v in data.items() if k.endswith("Arn") and isinstance(v, str)), None)
        if arn:
            self.copy_text(str(arn))
        else:
            self.notify("this resource has no ARN", severity="warning")

    # ---------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return self.service.action_available(self.rtype, str(parameters[0]))
        return self.check_handoff(action)

    def action_act(self, verb: str) -> None:
        self.run_act(verb)

    @work(group="action", exclusive=True, exit_on_error=False)
    async def run_act(self, verb: str) -> None:
        record = None if verb == "create" else {**self.record, **self.detail}
        if await run_action(self.app, self.service, self.rtype, verb, record, self.list_params, keys=self.key_hold):
            self.load()

    # ---------------------------------------------------------------- nav
    def action_back(self) -> None:
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
            (self.query_one(Tree) if self.view_mode == "tree" else self.query_one("#raw", TextArea)).focus()
            return
        if self.search_text:  # Esc clears a committed search before it leaves the view
            self.matches, self.match_index, self.search_text = [], -1, ""
            self.query_one(StatusLine).update(f"search cleared · view {self.view_mode} · Esc again goes back")
            return
        self.post_message(GoBack(self))

    def action_reload(self) -> None:
        """r: describe again now, and let the poller retry a watch parked on an error."""
        self.poller.refresh_now()
        if self.metrics_feed is not None:
            self.metrics_feed.refresh()
        self.load()

    def on_key(self, event: Any) -> None:
        if isinstance(self.focused, Input):
            return
        if event.character == "l" and self.rtype.logs is not None:
            event.stop()
            self.post_message(
                OpenLogs(self.rtype, {**self.record, **self.detail}, self.list_params, service=self.service)
            )
            return
        if event.character in ("n", "N") and self.matches:
            return  # while a search has matches, n and N walk them (the bindings), not jumps
        for jump in self.rtype.jumps:
            if event.character and jump.key == event.character:
                event.stop()
                record = {**self.record, **self.detail}
                self.post_message(FollowJump(self.rtype, jump, record, self.list_params, service=self.service))
                return
        self.say_unbound(event)


def _walk(node: TreeNode[Any]) -> list[TreeNode[Any]]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out


def _label(key: str, value: Any) -> Text:
    # Tree labels are Rich text painted through the app's console: named styles, resolved there
    # for the current theme (smtui.ui.theme.follow_theme).
    text = Text()
    text.append(f"{key}: ", style=rich_name("key"))
    if isinstance(value, dt.datetime):
        text.append(timestamp(value))
    elif key in PROBLEM_FIELDS:
        text.append(scalar(value), style=rich_name("error"))
    elif key.endswith("Status") or key == "Status":
        text.append(scalar(value), style=rich_name("strong"))
    else:
        text.append(scalar(value))
    return text
