"""The first frame: where smtui is pointed, painted before the catalogue is ready."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from smtui.ui.messages import ScreenShown
from smtui.ui.widgets.chrome import ContextBar, Crumbs, StatusLine


class StartupScreen(Screen[None]):
    """Shown for the second or so it takes to derive the resource catalogue."""

    crumb = "starting"

    def compose(self) -> ComposeResult:
        yield ContextBar(id="context")
        yield Crumbs(id="crumbs")
        yield Static("reading the SageMaker resource catalogue…", id="startup")
        yield StatusLine("starting", id="status")

    def on_mount(self) -> None:
        self.post_message(ScreenShown(self))
