"""The Textual application: wiring, navigation history and app-wide commands.

Screens do their own I/O in workers; the app owns the one :class:`SageMaker` client (rebuilt
when the user switches profile or region), the catalogue and the navigation stack.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import botocore.session
from rich.console import RenderableType
from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import AwsError
from smtui.aws.model import summary_shape
from smtui.catalog import Catalog, Jump, ResourceType, default_catalog, resolve
from smtui.config import Settings
from smtui.live import Failure, Poller, PollStatus, SageMakerSource, Update
from smtui.text import printable
from smtui.ui.commands import ResourceCommands
from smtui.ui.widgets.chrome import ContextBar, Crumbs

DEFAULT_START = "endpoints"


def summary_members(list_op: str) -> set[str]:
    return set(summary_shape(list_op).members)


log = logging.getLogger("smtui.ui")


def styles_path() -> Path:
    """The stylesheet: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "styles" / "smtui.tcss", here.parent / "styles" / "smtui.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("smtui.tcss not found; the install is broken (reinstall smtui)")


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
    ]

    def __init__(
        self,
        target: Target,
        settings: Settings | None = None,
        *,
        demo: bool = False,
        catalog: Catalog | None = None,
        start: str = DEFAULT_START,
    ) -> None:
        super().__init__()
        self.target = target
        self.settings = settings or Settings()
        self.demo = demo
        # Deriving the catalogue from botocore's model takes about a second; it is built off
        # the UI thread so the first frame does not wait for it (see on_mount).
        self._catalog = catalog
        self.start_type = start
        self.sagemaker = SageMaker(target)
        self.account = "…"
        self.typeahead: list[str] | None = None
        self.typeahead_since = 0.0
        self.startup_shown = False

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
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog

    def on_mount(self) -> None:
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
        self.install_screen(CommandScreen(catalog), "command")
        self.open_type(catalog.get(self.start_type), replace_all=True)

    async def on_unmount(self) -> None:
        await self.sagemaker.close()

    @work(group="account", exclusive=True, exit_on_error=False)
    async def fetch_account(self) -> None:
        account = await self.sagemaker.account_id()
        self.account = account or "unknown"
        self.decorate(self.screen)

    def decorate(self, screen: Screen[Any]) -> None:
        """Refresh the context bar and breadcrumbs of ``screen``."""
        try:
            bar = screen.query_one(ContextBar)
            crumbs = screen.query_one(Crumbs)
        except Exception:
            return
        bar.profile_name = self.target.label
        bar.region_name = self.target.region
        bar.account = self.account
        bar.endpoint = "local emulator" if self.demo else (self.target.endpoint_url or "")
        bar.read_only = self.target.read_only
        crumbs.set_path([str(getattr(s, "crumb", "")) for s in self.screen_stack if getattr(s, "crumb", "")])

    # ------------------------------------------------------------ navigation
    def open_type(
        self,
        rtype: ResourceType,
        *,
        params: Mapping[str, Any] | None = None,
        match: Mapping[str, Any] | None = None,
        keep: Callable[[Mapping[str, Any]], bool] | None = None,
        context: str = "",
        replace_all: bool = False,
        initial_filter: str = "",
    ) -> None:
        from smtui.ui.screens.resource_list import ResourceListScreen

        if rtype.required_inputs and not params:
            self.notify(
                f"{rtype.title} needs {', '.join(rtype.required_inputs)}; open it from a related resource",
                severity="warning",
            )
            return
        screen = ResourceListScreen(
            rtype, params=params, match=match, keep=keep, context=context, initial_filter=initial_filter
        )
        if replace_all:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            if len(self.screen_stack) == 1 and isinstance(self.screen_stack[0], ResourceListScreen):
                self.switch_screen(screen)
                return
        self.push_screen(screen)

    def open_describe(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
    ) -> None:
        from smtui.ui.screens.describe import DescribeScreen

        self.push_screen(DescribeScreen(rtype, record, list_params))

    def follow_jump(
        self,
        source: ResourceType,
        jump: Jump,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> None:
        """Go from ``record`` (of ``source``) to the related resources ``jump`` names."""
        self._follow_jump(source, jump, dict(record), dict(list_params or {}))

    @work(group="jump", exclusive=True, exit_on_error=False)
    async def _follow_jump(
        self, source: ResourceType, jump: Jump, record: dict[str, Any], list_params: dict[str, Any]
    ) -> None:
        label = source.key_of(record, list_params)
        if not self._jump_resolvable(jump, record, list_params):
            # List summaries often lack what a jump needs (an endpoint's config name); describe first.
            try:
                detail = await self.sagemaker.call(source.describe_op, source.describe_request(record, list_params))
            except AwsError as error:
                self.notify(f"{jump.label}: {error}", severity="error", markup=False)
                return
            record = {**record, **detail}
        self._open_jump(source, jump, record, list_params, label)

    @staticmethod
    def _jump_resolvable(jump: Jump, record: Mapping[str, Any], list_params: Mapping[str, Any]) -> bool:
        if jump.describe_from is not None:
            return bool(jump.describe_names(record, list_params))
        if jump.list_params:
            return len(jump.list_request(record, list_params)) == len(jump.list_params)
        if jump.client_filter:
            return all(resolve(src, record, list_params) is not None for _, src in jump.client_filter)
        return True

    def _open_jump(
        self,
        source: ResourceType,
        jump: Jump,
        record: dict[str, Any],
        list_params: dict[str, Any],
        label: str,
    ) -> None:
        target = self.catalog.get(jump.target)
        if not jump.applies(record, list_params):
            self.notify(f"{jump.label} does not apply to {label}", severity="warning")
            return
        if jump.describe_from is not None:
            names = jump.describe_names(record, list_params)
            if not names:
                self.notify(f"{label} has no {jump.label.lower()}", severity="warning")
            elif len(names) == 1:
                self.open_describe(target, {target.key_field: names[0]})
            else:
                self.open_type(target, match={target.key_field: names}, context=label)
            return
        if jump.list_params:
            self.open_type(target, params=jump.list_request(record, list_params), context=label)
            return
        if jump.client_filter:
            self._open_client_filtered(target, jump, record, list_params, label)
            return
        self.open_type(target, context=label)

    MAX_JUMP_DESCRIBES = 200
    """Candidates described to follow a jump the target's list cannot filter (models by artifact)."""

    @work(group="jump", exclusive=True, exit_on_error=False)
    async def _open_client_filtered(
        self, target: ResourceType, jump: Jump, record: dict[str, Any], list_params: dict[str, Any], label: str
    ) -> None:
        """Open ``target`` filtered by a field its list summary may lack: describe to compare."""
        summary = summary_members(target.list_op)
        needs_describe = any(path.split(".")[0].removesuffix("[]") not in summary for path, _ in jump.client_filter)
        if not needs_describe:
            self.open_type(target, keep=lambda item: jump.matches(item, record, list_params), context=label)
            return
        self.notify(f"finding {jump.label.lower()}…", timeout=3)
        names: list[str] = []
        described = 0
        try:
            async for page in self.sagemaker.pages(target.list_op):
                for item in page.items:
                    if described >= self.MAX_JUMP_DESCRIBES:
                        break
                    described += 1
                    detail = await self.sagemaker.call(target.describe_op, target.describe_request(item))
                    if jump.matches({**item, **detail}, record, list_params):
                        names.append(target.key_of(item))
        except AwsError as error:
            self.notify(f"{jump.label}: {error}", severity="error", markup=False)
            return
        if not names:
            self.notify(f"no {jump.label.lower()} found for {label} (checked {described})", severity="warning")
        elif len(names) == 1:
            self.open_describe(target, {target.key_field: names[0]})
        else:
            self.open_type(target, match={target.key_field: names}, context=label)

    def go_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
            self.decorate(self.screen)
        else:
            self.notify("top of the history: ':' opens another resource type, Ctrl+C quits")

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
            holding = self.typeahead is not None and time.monotonic() - self.typeahead_since < 2.0
            if holding and (event.is_printable or event.key in ("enter", "backspace")):
                assert self.typeahead is not None
                self.typeahead.append(event.character if event.is_printable and event.character else event.key)
                return
            if not holding:
                self.typeahead = None
            if event.key == "colon" and self._opens_command_line():
                self.typeahead, self.typeahead_since = [], time.monotonic()
        await super().on_event(event)

    def _opens_command_line(self) -> bool:
        from textual.screen import ModalScreen
        from textual.widgets import Input, TextArea

        return not isinstance(self.focused, (Input, TextArea)) and not isinstance(self.screen, ModalScreen)

    def action_help(self) -> None:
        from smtui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_redraw(self) -> None:
        self.screen.refresh(repaint=True, layout=True)

    APP_WORDS = frozenset({"q", "q!", "quit", "exit", "help", "h", "profile", "ctx", "region"})
    BURNING_WORDS = frozenset({"burning", "pulse", "fire", "triage"})

    def check_command(self, text: str) -> str | None:
        """What is wrong with a ``:`` command, without running it (shown at the prompt)."""
        from smtui.config import UsageError, check_region

        words = text.strip().lstrip(":").split()
        if not words:
            return None
        head, args = words[0].lower(), words[1:]
        if head in ("profile", "ctx"):
            known = sorted(botocore.session.Session().available_profiles)
            if not args:
                return "usage: :profile NAME (known: " + (", ".join(known) or "none") + ")"
            if self.demo:
                return "the demo has one account; profiles apply to real AWS"
            if args[0] not in known:
                return f"unknown profile {args[0]!r} (known: {', '.join(known) or 'none'})"
            return None
        if head == "region":
            if not args:
                return "usage: :region NAME (e.g. :region eu-west-1)"
            try:
                check_region(args[0])
            except UsageError as exc:
                return str(exc)
            return None
        if head in self.APP_WORDS or head in self.BURNING_WORDS:
            return None
        if self.catalog.find(head) is None:
            options = ", ".join(t.aliases[0] if t.aliases else t.name for t in self.catalog.complete(head, limit=4))
            return f"unknown resource type {head!r}" + (f"; did you mean {options}?" if options else "")
        return None

    def run_command(self, text: str) -> str | None:
        """Run a ``:`` command. Returns an error message to show at the prompt, or None."""
        error = self.check_command(text)
        if error:
            return error
        words = text.strip().lstrip(":").split()
        if not words:
            return None
        head, args = words[0].lower(), words[1:]
        if head in ("q", "q!", "quit", "exit"):
            self.exit()
            return None
        if head in ("help", "h"):
            self.action_help()
            return None
        if head in ("profile", "ctx"):
            return self.switch_target(profile=args[0], want="profile")
        if head in self.BURNING_WORDS:
            from smtui.ui.screens.burning import BurningScreen

            self.push_screen(BurningScreen())
            return None
        if head == "region":
            return self.switch_target(region=args[0], want="region")
        # `:tj failed` opens the list already filtered, like k9s's `:pod /fred`.
        self.open_type(self.catalog.get(head), initial_filter=" ".join(args))
        return None

    def switch_target(self, *, profile: str | None = None, region: str | None = None, want: str) -> str | None:
        """Switch profile or region at run time; the current view reloads against the new target."""
        from smtui.config import UsageError, check_region

        if want == "profile":
            known = sorted(botocore.session.Session().available_profiles)
            if not profile:
                return "usage: :profile NAME (known: " + (", ".join(known) or "none") + ")"
            if self.demo:
                return "the demo has one account; profiles apply to real AWS"
            if profile not in known:
                return f"unknown profile {profile!r} (known: {', '.join(known) or 'none'})"
            new = self.target.with_changes(
                profile=profile, read_only=self.target.read_only or self.settings.read_only_for(profile)
            )
        else:
            if not region:
                return "usage: :region NAME (e.g. :region eu-west-1)"
            try:
                check_region(region)
            except UsageError as exc:
                return str(exc)
            new = self.target.with_changes(region=region)
        self.retarget(new)
        return None

    def retarget(self, target: Target) -> None:
        old = self.sagemaker
        self.target = target
        self.sagemaker = SageMaker(target)
        self.account = "…"
        self.run_worker(old.close(), group="close", exit_on_error=False)
        current = getattr(self.screen, "rtype", None)
        self.open_type(
            current if isinstance(current, ResourceType) else self.catalog.get(self.start_type),
            replace_all=True,
        )
        self.fetch_account()
        self.notify(f"now on {target.label} · {target.region}")

    def screen_poller(
        self,
        on_result: Callable[[Update], None],
        on_status: Callable[[PollStatus], None],
        on_failure: Callable[[Failure], None],
    ) -> Poller:
        """A started poller for one screen, on the current client and the configured pace."""
        poller = Poller(
            SageMakerSource(self.sagemaker),
            self.settings.poll,
            on_result=on_result,
            on_status=on_status,
            on_failure=on_failure,
        )
        poller.start()
        return poller

    def alert_failure(self, rtype: ResourceType, key: str, status: str, reason: str) -> None:
        """A resource just went to a failed state: say so wherever the user is looking."""
        message = printable(f"{key}: {status}" + (f" — {reason}" if reason else ""))
        # The reason is the service's free text: never let it be read as markup.
        self.notify(message, title=f"{rtype.title} failed", severity="error", timeout=15, markup=False)
        if self.settings.bell:
            self.bell()

    def copy_text(self, text: str) -> None:
        """Copy with OSC 52, which reaches the local clipboard even over SSH."""
        self.copy_to_clipboard(text)
        shown = text if len(text) <= 60 else text[:57] + "…"
        self.notify(f"copied {shown}")
