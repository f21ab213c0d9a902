"""The Textual application: wiring, navigation and app-wide commands.

The app owns the :class:`~smtui.service.Service` (the only way to SageMaker), the catalogue,
the command registry and the screen stack. Screens are views: they are built with the
service and the catalogue, and post :mod:`smtui.ui.messages` up for anything that changes
what is on screen (open a list, describe, follow a jump, go back, a failure alert).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from rich.console import RenderableType
from textual import events, on, work
from textual.actions import parse as parse_action
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from smtui.aws.errors import AwsError
from smtui.aws.target import Target
from smtui.catalog import Catalog, ResourceType, default_catalog
from smtui.config import Settings, split_scope
from smtui.forms.actions import ACTION_KEYS
from smtui.live.source import RowPredicate
from smtui.service import JumpResult, Service
from smtui.service.backend import Backend, describe_exit
from smtui.text import printable, without_unsafe
from smtui.ui.boundary import install_terminal_boundary
from smtui.ui.commands import ResourceCommands
from smtui.ui.escape import install as install_escape_parser
from smtui.ui.format import regions_label
from smtui.ui.keyhold import KeyHold
from smtui.ui.messages import (
    FollowJump,
    GoBack,
    OpenBurning,
    OpenDescribe,
    OpenLogs,
    OpenTimeline,
    OpenType,
    ResourceFailed,
    ScreenShown,
    WriteInFlight,
)
from smtui.ui.registry import CommandRegistry
from smtui.ui.screens.base import ViewScreen
from smtui.ui.theme import THEMES, apply_theme, follow_theme
from smtui.ui.widgets.chrome import ContextBar, Crumbs
from smtui.ui.widgets.fields import step_focus, type_into

DEFAULT_START = "endpoints"
ACCOUNT_WAIT = 1.5
"""Seconds the account lookup waits for the first list page before it runs anyway."""
HISTORY_LIMIT = 50
"""How many root views ``[`` can walk back through."""
BURNING = "burning"
"""The root view name of ``:burning`` (every other root is a resource type's name)."""


@dataclass(frozen=True)
class RootView:
    """A view ``:`` opened: a resource type's list (or ``:burning``) and the filter it was
    opened with. The root history is a list of these; drill-downs stack above the root."""

    name: str
    initial_filter: str = ""
    regions: tuple[str, ...] = ()
    """A list across these regions (``--regions``, ``:region a,b``); () is the current one."""


log = logging.getLogger("smtui.ui")


def _first_page_done(screen: Screen[Any]) -> bool:
    """Whether a list's first page is in: its first row, or its loading over (done or failed;
    a help or command screen above it changes nothing)."""
    if getattr(screen, "first_row_at", None) is not None:
        return True
    return bool(getattr(screen, "started", 0)) and getattr(screen, "is_loading", None) is False


def styles_path() -> Path:
    """The stylesheet: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "styles" / "smtui.tcss", here.parent / "styles" / "smtui.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("smtui.tcss not found; the install is broken (reinstall smtui)")


_EDITING_ACTIONS = frozenset(
    {
        "cursor_left",
        "cursor_right",
        "cursor_left_word",
        "cursor_right_word",
        "home",
        "end",
        "delete_left",
        "delete_right",
        "delete_left_word",
        "delete_right_word",
        "delete_left_all",
        "delete_right_all",
        "select_all",
    }
)
"""Input actions that only edit the text or move the cursor (all synchronous)."""


@functools.cache
def _editing_actions(widget_class: type[Input]) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """Key -> (action, params) for the editing bindings of ``widget_class`` (its own win)."""
    keys: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for cls in reversed(widget_class.__mro__):
        for binding in getattr(cls, "BINDINGS", ()):
            if not isinstance(binding, Binding):
                continue
            _, name, params = parse_action(binding.action)
            for key in binding.key.split(","):
                if name in _EDITING_ACTIONS:
                    keys[key.strip()] = (name, tuple(params))
                else:
                    keys.pop(key.strip(), None)
    return keys


def _editing_action(widget_class: type[Input], key: str) -> tuple[str, tuple[Any, ...]] | None:
    return _editing_actions(widget_class).get(key)


def takes_text(widget: object) -> bool:
    """Whether keys typed at ``widget`` are text. The describe view's YAML and JSON are a
    read-only TextArea: there ``/Config`` is a search and its letters must not act on the view
    (``C`` opened a Create form), so it counts as the view, not as a text box."""
    return isinstance(widget, Input) or (isinstance(widget, TextArea) and not widget.read_only)


class SmtuiApp(App[None]):
    """smtui. Build it with a :class:`Target`; tests point the target at the emulator."""

    TITLE = "smtui"
    CSS_PATH = str(styles_path())
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ResourceCommands}
    BINDINGS = [
        Binding("colon", "command_line", "Command", id="app.command"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False, id="app.quit"),
        Binding("ctrl+l", "redraw", "Redraw", show=False, id="app.redraw"),
        # k9s' history: '-' toggles to the last root view, '[' and ']' walk back and forward.
        Binding("minus", "last_view", "Last view", show=False, id="app.last_view"),
        Binding("left_square_bracket", "history(-1)", "History back", show=False, id="app.history_back"),
        Binding("right_square_bracket", "history(1)", "History forward", show=False, id="app.history_forward"),
        Binding("f5", "restart_backend", "Restart emulator", show=False, id="app.restart_emulator"),
    ]

    def __init__(
        self,
        target: Target,
        settings: Settings | None = None,
        *,
        demo: bool = False,
        catalog: Catalog | None = None,
        start: str = DEFAULT_START,
        region_pinned: str = "",
        backend: Backend | None = None,
        notices: Sequence[str] = (),
        regions: Sequence[str] = (),
    ) -> None:
        install_terminal_boundary()
        install_escape_parser()  # a burst "Esc :ep" keeps its Escape (smtui.ui.escape)
        super().__init__()
        self.settings = settings or Settings()
        self.demo = demo
        # Deriving the catalogue from botocore's model takes about a second; it is built off
        # the UI thread so the first frame does not wait for it (see on_mount).
        self._catalog = catalog
        self.service = Service(target, self.settings, catalog=catalog, demo=demo, region_pinned=region_pinned)
        self.start_type = start
        self.start_regions = tuple(regions)
        """``--regions``: the first view is one list across them."""
        self.scope_regions: tuple[str, ...] = self.start_regions if len(self.start_regions) > 1 else ()
        """While set (``--regions``, ``:region a,b``), every view ``:`` opens lists across these
        regions; ``:region NAME`` goes back to one."""
        self.account = "…"
        self.in_flight: list[str] = []
        """The changes sent and not yet answered, oldest first (shown in the context bar)."""
        self.typeahead: list[str] | None = None
        self.key_hold = KeyHold()
        """Keys typed while a form opens (see :mod:`smtui.ui.keyhold`); handed to the views."""
        self.typeahead_since = 0.0
        self.startup_shown = False
        self._command_registry: CommandRegistry | None = None
        self.roots: list[RootView] = []
        """The root views ``:`` opened, oldest first; ``root_at`` is the one on screen."""
        self.root_at = -1
        self.root_before = -1
        self.switched_to = ""
        """The profile and region the history was last restarted for ("" before any switch)."""
        """The history entry shown before ``root_at``: where ``-`` toggles to (and back)."""
        self.backend = backend
        """The demo's emulator process, watched so its death is said, not guessed at."""
        self.backend_down = ""
        self.notices = list(notices)
        """What the start-up could not do (no log file) and the user should hear once."""
        for theme in THEMES:
            self.register_theme(theme)
        self.set_keymap(self.settings.keys)  # binding id -> keys, from [keys] in the config

    @property
    def target(self) -> Target:
        """Where calls go now (the service's target)."""
        return self.service.target

    # ------------------------------------------------------------ the terminal boundary
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (screens' ``notify`` lands here) is plain text, never markup.

        A notification often carries the service's words (a failure reason, a name, an error):
        read as markup, a ``[link=…]`` in them would paint a hyperlink and a ``[`` would garble
        or hide the rest. smtui writes no markup in a toast, so ``markup`` is ignored. Callers
        show outside text through :func:`printable`; what is dropped here is only what slipped
        past (see :mod:`smtui.ui.boundary`).
        """
        del markup
        super().notify(
            without_unsafe(str(message)), title=without_unsafe(title), severity=severity, timeout=timeout, markup=False
        )

    # ------------------------------------------------------------ resilience
    def _handle_exception(self, error: Exception) -> None:
        """In a real terminal, an unexpected error is logged and shown, never a crash.

        Whatever the user was doing (a half-typed form, a filtered list) must survive a bug
        in some other corner. Headless runs (the tests) keep Textual's behaviour, so a bug
        fails the test that hits it instead of hiding.
        """
        if self.is_headless:
            super()._handle_exception(error)
            return
        log.error("unexpected error", exc_info=error)
        try:
            self.notify(
                f"internal error: {type(error).__name__}: {error} (details in the log)",
                severity="error",
                timeout=15,
            )
        except Exception:  # the UI itself is broken: fall back to Textual's exit
            super()._handle_exception(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes a message, not a silent stop."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        log.error("worker %s failed", event.worker.name, exc_info=error)
        if isinstance(error, AwsError):
            self.notify(str(error), severity="error", timeout=10)
        else:
            self.notify(f"{event.worker.name or 'background task'} failed: {error}", severity="error", timeout=10)

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        """Leave — but first write every open form's draft, so a Ctrl+C or a dropped SSH
        session never loses what was typed (the drafts are offered again next time)."""
        for screen in self.screen_stack:
            save = getattr(screen, "save_draft", None)
            if callable(save):
                with contextlib.suppress(Exception):
                    save()
        super().exit(result, return_code, message)

    # ------------------------------------------------------------ lifecycle
    @property
    def catalog(self) -> Catalog:
        """The resource types (built here, on first use, if the start-up thread has not yet)."""
        if self._catalog is None:
            self._catalog = default_catalog()
            self.service.catalog = self._catalog
        return self._catalog

    @property
    def registry(self) -> CommandRegistry:
        """The ``:`` commands and resource types (the prompt, the palette and help read it)."""
        if self._command_registry is None:
            self._command_registry = CommandRegistry(self.catalog)
        return self._command_registry

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(printable(notice), severity="warning", timeout=15)
        if self.backend is not None:
            self.set_interval(1.0, self.watch_backend, name="watch-backend")
        follow_theme(self)
        apply_theme(self, self.settings.theme)
        self.fetch_account()
        if self._catalog is not None:
            self._catalog_ready(self._catalog)
            return
        from smtui.ui.screens.startup import StartupScreen

        self.push_screen(StartupScreen())
        self.startup_shown = True
        self.load_catalog()

    @work(group="catalog", thread=True, exit_on_error=False)
    def load_catalog(self) -> None:
        catalog = default_catalog()
        self.call_from_thread(self._catalog_ready, catalog)

    def _catalog_ready(self, catalog: Catalog) -> None:
        from smtui.ui.screens.command import CommandScreen

        self._catalog = catalog
        self.service.catalog = catalog
        self.install_screen(
            CommandScreen(self.registry, check=self.check_command, run=self.run_command, typeahead=self.take_typeahead),
            "command",
        )
        start = catalog.get(self.start_type).name
        if len(self.start_regions) == 1 and self.start_regions[0] != self.service.region:
            self.retarget(self.service.target_for(region=self.start_regions[0]))
            return
        self.show_root(RootView(start, regions=self.start_regions if len(self.start_regions) > 1 else ()))

    def watch_backend(self) -> None:
        """Say at once when the demo's emulator is gone; every view would otherwise blame the network."""
        if self.backend is None or self.backend_down:
            return
        status = self.backend.exit_status()
        if status is None:
            return
        self.backend_down = describe_exit(status)
        self.notify(
            f"the demo emulator stopped ({self.backend_down}): press F5 to restart it with the demo data",
            title="emulator stopped",
            severity="error",
            timeout=3600,
        )

    def action_restart_backend(self) -> None:
        if self.backend is None:
            return
        if not self.backend_down:
            self.notify("the demo emulator is running")
            return
        self.restart_backend()

    @work(group="backend", exclusive=True, exit_on_error=False, thread=True)
    def restart_backend(self) -> None:
        assert self.backend is not None
        self.call_from_thread(self.notify, "restarting the demo emulator…", timeout=5)
        try:
            url = self.backend.restart()
        except Exception as exc:  # it may fail again: say so, keep the key
            self.call_from_thread(self.notify, f"the emulator did not restart: {exc}", severity="error")
            return
        self.call_from_thread(self._backend_back, url)

    def _backend_back(self, url: str) -> None:
        self.backend_down = ""
        self.clear_notifications()
        self.retarget(self.target.with_changes(endpoint_url=url), "the demo emulator restarted")

    async def on_unmount(self) -> None:
        await self.service.close()

    @work(group="account", exclusive=True, exit_on_error=False)
    async def fetch_account(self) -> None:
        # After the first rows (or ACCOUNT_WAIT at most): building the STS client and parsing
        # its answer ran on the event loop beside the first page, and the first row waited.
        deadline = time.monotonic() + ACCOUNT_WAIT
        while time.monotonic() < deadline and not any(map(_first_page_done, self.screen_stack)):
            await asyncio.sleep(0.05)
        account = await self.service.account_id()
        self.account = account or "unknown"
        for screen in self.screen_stack:  # a prompt or help above the list must not hide it
            self.decorate(screen)

    @on(ScreenShown)
    def _screen_shown(self, event: ScreenShown) -> None:
        self.decorate(event.screen)

    @on(WriteInFlight)
    def _write_in_flight(self, event: WriteInFlight) -> None:
        if event.done:
            if event.label in self.in_flight:
                self.in_flight.remove(event.label)
        else:
            self.in_flight.append(event.label)
        for screen in self.screen_stack:
            self.decorate(screen)

    def decorate(self, screen: Screen[Any]) -> None:
        """Refresh the context bar and breadcrumbs of ``screen``."""
        try:
            bar = screen.query_one(ContextBar)
            crumbs = screen.query_one(Crumbs)
        except Exception:
            return
        # The screen's own service: a row opened from a list across regions is in its region,
        # and the header must say where its keys act, not where the app started.
        service = getattr(screen, "service", None)
        target = service.target if isinstance(service, Service) else self.target
        regions = getattr(screen, "regions", ())
        profiles = sorted({p for p, _ in map(split_scope, regions) if p})
        bar.profile_name = (
            ",".join(profiles)
            if 0 < len(profiles) <= 3
            else (f"{len(profiles)} profiles" if profiles else target.label)
        )
        bar.region_name = regions_label(regions) if regions else target.region
        bar.account = self.account
        bar.endpoint = "local emulator" if self.demo else (target.endpoint_url or "")
        bar.read_only = target.read_only
        bar.in_flight = " · ".join(self.in_flight)
        crumbs.set_path([str(getattr(s, "crumb", "")) for s in self.screen_stack if getattr(s, "crumb", "")])

    # ------------------------------------------------------------ navigation
    def open_type(
        self,
        rtype: ResourceType,
        *,
        params: Mapping[str, Any] | None = None,
        match: Mapping[str, Any] | None = None,
        keep: RowPredicate | None = None,
        context: str = "",
        initial_filter: str = "",
        service: Service | None = None,
    ) -> None:
        """Open the list of ``rtype`` on top: a drill-down (a parent's children, a jump)."""
        from smtui.ui.screens.resource_list import ResourceListScreen

        if rtype.required_inputs and not params:
            self.notify(
                f"{rtype.title} needs {', '.join(rtype.required_inputs)}; open it from a related resource",
                severity="warning",
            )
            return
        screen = ResourceListScreen(
            service or self.service,
            self.catalog,
            rtype,
            params=params,
            match=match,
            keep=keep,
            context=context,
            initial_filter=initial_filter,
        )
        screen.key_hold = self.key_hold
        self.push_screen(screen)

    def open_root(self, rtype: ResourceType, *, initial_filter: str = "") -> None:
        """Open ``rtype`` as ``:`` does: it replaces the view and its drill-downs, and is
        recorded in the root history (``-``, ``[``, ``]``)."""
        self.show_root(RootView(rtype.name, initial_filter))

    def show_root(self, view: RootView, *, record: bool = True) -> None:
        """Make ``view`` the only view (drill-downs above it are closed)."""
        if not view.regions and self.scope_regions and record:
            view = RootView(view.name, view.initial_filter, self.scope_regions)
        from smtui.ui.screens.burning import BurningScreen
        from smtui.ui.screens.resource_list import ResourceListScreen

        screen: ViewScreen
        if view.name == BURNING:
            screen = BurningScreen(self.service, self.catalog, view.regions)
        else:
            rtype = self.catalog.get(view.name)
            if rtype.required_inputs:
                self.notify(
                    f"{rtype.title} needs {', '.join(rtype.required_inputs)}; open it from a related resource",
                    severity="warning",
                )
                return
            screen = ResourceListScreen(
                self.service, self.catalog, rtype, initial_filter=view.initial_filter, regions=view.regions
            )
            screen.key_hold = self.key_hold
        if record:
            del self.roots[self.root_at + 1 :]  # a new view after going back drops the forward part
            self.roots.append(view)
            dropped = max(0, len(self.roots) - HISTORY_LIMIT)
            del self.roots[:dropped]
            self.root_before = self.root_at - dropped
            self.root_at = len(self.roots) - 1
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_last_view(self) -> None:
        """``-``: back to the root view shown before this one (again: and back here)."""
        if self._typing():
            return
        # It moves within the history instead of adding to it: recorded, each '-' appended an
        # entry, and '[' then bounced between the same two views.
        current = self.roots[self.root_at] if 0 <= self.root_at < len(self.roots) else None
        at = self.root_before
        if not 0 <= at < len(self.roots) or self.roots[at] == current:
            at = next((i for i in range(self.root_at - 1, -1, -1) if self.roots[i] != current), -1)
        if at < 0:
            self.notify("no previous view: ':' opens another resource type")
            return
        self._walk_to(at)

    def action_history(self, step: int) -> None:
        """``[`` and ``]``: walk the root history without changing it."""
        if self._typing():
            return
        at = self.root_at + step
        if not 0 <= at < len(self.roots):
            if step > 0:
                self.notify("end of the history")
            else:
                # Said, since the user may remember views from before the switch.
                since = f" (it starts at the switch to {self.switched_to})" if self.switched_to else ""
                self.notify("start of the history" + since, markup=False)
            return
        self._walk_to(at)

    def _walk_to(self, at: int) -> None:
        """Show history entry ``at`` in the scope it was opened in: a list across regions comes
        back across them, and a one-region entry ends one (``:ic`` after it then opens in one
        region, as the view on screen does)."""
        self.root_before, self.root_at = self.root_at, at
        view = self.roots[at]
        self.scope_regions = view.regions
        self.show_root(view, record=False)

    def _typing(self) -> bool:
        """Whether a key should go to a text box or a dialog instead of navigating."""
        return takes_text(self.focused) or isinstance(self.screen, ModalScreen)

    def open_describe(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        service: Service | None = None,
    ) -> None:
        from smtui.ui.screens.describe import DescribeScreen

        # A row of a list across regions brings its own region's service: what is described,
        # changed or followed from it can only reach that region.
        screen = DescribeScreen(service or self.service, self.catalog, rtype, record, list_params)
        screen.key_hold = self.key_hold
        self.push_screen(screen)

    def open_burning(self) -> None:
        """``:burning`` is a root view like a resource type."""
        self.show_root(RootView(BURNING))

    @on(OpenType)
    def _open_type(self, event: OpenType) -> None:
        if event.root:
            self.open_root(event.rtype, initial_filter=event.initial_filter)
            return
        self.open_type(
            event.rtype,
            params=event.params,
            match=event.match,
            keep=event.keep,
            context=event.context,
            initial_filter=event.initial_filter,
        )

    @on(OpenDescribe)
    def _open_describe(self, event: OpenDescribe) -> None:
        self.open_describe(event.rtype, event.record, event.list_params, event.service)

    @on(OpenLogs)
    def _open_logs(self, event: OpenLogs) -> None:
        from smtui.ui.screens.logs import LogsScreen

        if event.rtype.logs is None:
            self.notify(f"{event.rtype.title} write no CloudWatch logs smtui knows of", severity="warning")
            return
        screen = LogsScreen(event.service or self.service, self.catalog, event.rtype, event.record, event.list_params)
        screen.key_hold = self.key_hold
        self.push_screen(screen)

    @on(OpenBurning)
    def _open_burning(self) -> None:
        self.open_burning()

    @on(OpenTimeline)
    def _open_timeline(self, event: OpenTimeline) -> None:
        from smtui.ui.screens.timeline import TimelineScreen

        service = event.service or self.service
        self.push_screen(TimelineScreen(service, self.catalog, event.rtype, event.record, event.list_params))

    @on(GoBack)
    def _go_back(self, event: GoBack) -> None:
        if event.view is self.screen:  # else the user has moved on (a prompt, a menu) since
            self.go_back()

    @on(FollowJump)
    def _follow_jump(self, event: FollowJump) -> None:
        self.follow_jump(event)

    @work(group="jump", exclusive=True, exit_on_error=False)
    async def follow_jump(self, event: FollowJump) -> None:
        """Ask the service where the jump leads, then go there."""
        service = event.service or self.service
        result = await service.resolve_jump(
            event.source,
            event.jump,
            event.record,
            event.list_params,
            progress=lambda text: self.notify(text, timeout=3),
        )
        self.go_to(result, service)

    def go_to(self, result: JumpResult, service: Service | None = None) -> None:
        """Open what a resolved jump names (in ``service``'s region), or say why there is nothing."""
        if result.kind == "message" or result.rtype is None:
            self.notify(result.message, severity=result.severity, markup=False)
        elif result.kind == "describe":
            self.open_describe(result.rtype, result.record, service=service)
        else:
            self.open_type(
                result.rtype,
                params=result.params or None,
                match=result.match,
                keep=result.keep,
                context=result.context,
                service=service,
            )

    def go_back(self) -> None:
        """Esc: up the drill-down (describe, children, jumps) toward the root view."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
            self.decorate(self.screen)
        else:
            self.notify("this is the root view: '-' returns to the last one, ':' opens another, Ctrl+C quits")

    @on(ResourceFailed)
    def alert_failure(self, event: ResourceFailed) -> None:
        """A resource just went to a failed state: say so wherever the user is looking."""
        message = printable(f"{event.key}: {event.status}" + (f" — {event.reason}" if event.reason else ""))
        # The reason is the service's free text: never let it be read as markup.
        self.notify(message, title=f"{event.rtype.title} failed", severity="error", timeout=15, markup=False)
        if self.settings.bell:
            self.bell()

    # ------------------------------------------------------------ commands
    def action_command_line(self) -> None:
        if not self.is_screen_installed("command"):  # still reading the catalogue
            self.typeahead = None
            self.notify("starting up: the command line opens in a moment")
            return
        self.push_screen("command")

    def take_typeahead(self) -> list[str]:
        keys, self.typeahead = self.typeahead or [], None
        return keys

    async def on_event(self, event: events.Event) -> None:
        """Hold the keys typed right after ':' until the prompt can take them.

        Over a slow link ":ic⏎" arrives in one burst; Textual forwards all of it to the list
        before the prompt exists, so "i" and "c" would fire jumps. The app sees ':' first, so
        it starts holding printable keys here and the prompt replays them. A hold that is
        never collected expires, so keys can never be swallowed for good.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.key_hold.hold(event):
                return
            holding = self.typeahead is not None and time.monotonic() - self.typeahead_since < 2.0
            if holding and (event.is_printable or event.key in ("enter", "backspace")):
                # Before the action keys: the C of "/Config" is text for the box, not Create.
                assert self.typeahead is not None
                self.typeahead.append(event.character if event.is_printable and event.character else event.key)
                return
            if self._opens_form(event.key):
                # The screen sees this key only after the app has passed on the rest of the
                # burst: hold from here, or the Tabs and digits reach the list first.
                await super().on_event(event)
                self.key_hold.start()
                return
            if self.key_hold.keys and not self.key_hold.active():
                self.key_hold.release(self)  # the form never came: the keys are not lost
            if not holding:
                self.typeahead = None
            if event.key == "colon" and self._opens_command_line():
                self.typeahead, self.typeahead_since = [], time.monotonic()
            elif event.key == "slash" and self._slash_opens_text_box():
                # '/' opens a filter or a search box: the keys right after it are the text.
                self.typeahead, self.typeahead_since = [], time.monotonic()
            if self._type_in_order(event):
                return
        await super().on_event(event)

    def _type_in_order(self, event: events.Key) -> bool:
        """Apply typing to the focused text field here, in the order the keys came; True if done.

        Textual queues a character for the focused Input but runs Tab's focus change in the
        app, so over a slow link the burst ``abc`` Tab ``def`` typed all six letters into the
        first field and moved focus afterwards. Done here, one key after another, each key
        lands where the previous ones left the focus.
        """
        focused = self.focused
        if event.key in ("tab", "shift+tab") and getattr(self.screen, "tab_moves_focus", False):
            # From any field, a section header or a toggle alike: a Tab left to the queue
            # would let the next keys reach the widget it was leaving.
            step_focus(self.screen, forward=event.key == "tab")
            return True
        if not isinstance(focused, Input):
            return False
        edit = _editing_action(type(focused), event.key)
        if edit is not None:
            # Cursor moves and deletions too: applied from the queue, Ctrl+K after a burst
            # of letters would run before them and wipe nothing, then the letters land.
            name, params = edit
            getattr(focused, f"action_{name}")(*params)
            return True
        if event.is_printable and event.character:
            type_into(focused, event.character)  # done now instead of from Input's queue
            return True
        return False

    def _opens_form(self, key: str) -> bool:
        """Whether ``key`` is an action key the current view will act on now (every key asks)."""
        screen = self.screen
        if not isinstance(screen, ViewScreen) or not screen.offers_actions or self.service.read_only:
            return False
        if takes_text(self.focused):
            return False
        verbs = [verb for verb, bound in ACTION_KEYS.items() if bound == key]
        return any(screen.check_action("act", (verb,)) for verb in verbs)

    def _slash_opens_text_box(self) -> bool:
        """'/' is bound here (keys can be remapped) and opens the view's filter or search."""
        return (
            self._opens_command_line()
            and getattr(self.screen, "types_after_slash", False)
            and "slash" in self.active_bindings
        )

    def _opens_command_line(self) -> bool:
        return not takes_text(self.focused) and not isinstance(self.screen, ModalScreen)

    def action_help(self) -> None:
        from smtui.ui.screens.help import HelpContext, HelpScreen, default_keys

        reason = self.service.read_only_reason() if self.service.read_only else ""
        keys = {**default_keys(), **self.settings.keys}  # help shows the keys as remapped
        screen = self.screen
        context = None
        if isinstance(screen, ViewScreen) and screen.help_section:
            context = HelpContext(screen.help_section, getattr(screen, "rtype", None))
        self.push_screen(HelpScreen(self.registry, keys, read_only=reason, context=context))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen (the palette's Screenshot): in Downloads when there is one,
        else the home directory. Textual's default fails when ~/Downloads is missing, as on
        most servers people reach over SSH."""
        if path is None:
            downloads = Path(platformdirs.user_downloads_dir())
            path = str(downloads if downloads.is_dir() else Path.home())
        try:
            saved = self.save_screenshot(filename, path)
        except OSError as exc:
            self.notify(f"screenshot not saved: {exc}", severity="error", markup=False)
            return
        self.notify(f"screenshot saved to {saved}", markup=False)

    def action_redraw(self) -> None:
        self.screen.refresh(repaint=True, layout=True)

    def check_command(self, text: str) -> str | None:
        """What is wrong with a ``:`` command, without running it (shown at the prompt)."""
        return self.registry.check(self, text)

    def run_command(self, text: str) -> str | None:
        """Run a ``:`` command. Returns an error message to show at the prompt, or None."""
        return self.registry.run(self, text)

    def switch_target(self, *, profile: str | None = None, region: str | None = None) -> str | None:
        """Switch profile or region at run time; the current view reloads against the new target."""
        error = self.service.check_profile(profile) if region is None else self.service.check_region(region)
        if error:
            return error
        if region is not None:
            self.scope_regions = ()  # one region again
        elif any(split_scope(s)[0] for s in self.scope_regions):
            # One profile again: a list across regions stays one, a list across profiles ends.
            regions = tuple(dict.fromkeys(split_scope(s)[1] for s in self.scope_regions))
            self.scope_regions = regions if len(regions) > 1 else ()
        target, how = self.service.switch_to(profile=profile, region=region)
        self.retarget(target, how)
        return None

    def open_regions(self, regions: Sequence[str]) -> str | None:
        """``:region a,b``: the current view's type as one list across ``regions``."""
        current = getattr(self.screen, "rtype", None)
        name = current.name if isinstance(current, ResourceType) else self.start_type
        if len(regions) == 1:
            profile, region = split_scope(regions[0])
            return self.switch_target(profile=profile) if profile else self.switch_target(region=region)
        self.scope_regions = tuple(regions)
        self.show_root(RootView(name, regions=tuple(regions)))
        return None

    def retarget(self, target: Target, how: str = "") -> None:
        self.run_worker(self.service.retarget(target), group="close", exit_on_error=False)
        self.account = "…"
        current = getattr(self.screen, "rtype", None)
        # A new profile or region starts a new history: the old entries were views of another
        # account or region, and '[' brought back a list across two regions after ':region b'.
        self.roots, self.root_at, self.root_before = [], -1, -1
        self.switched_to = f"{target.label} · {target.region}"
        self.show_root(RootView(current.name if isinstance(current, ResourceType) else self.start_type))
        self.fetch_account()
        self.notify(f"now on {target.label} · {target.region}" + (f" ({how})" if how else ""))
