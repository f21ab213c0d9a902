"""What every full-screen view of smtui shares: the service and catalogue it was built with,
and telling the app when it is shown (so the header and breadcrumbs are current)."""

from __future__ import annotations

from textual.screen import Screen

from smtui.catalog import Catalog
from smtui.service import Service
from smtui.ui.messages import ScreenShown


class ViewScreen(Screen[None]):
    """A view. It receives the :class:`Service` and the :class:`Catalog`; it posts messages up."""

    def __init__(self, service: Service, catalog: Catalog) -> None:
        super().__init__()
        self.service = service
        self.catalog = catalog

    def on_mount(self) -> None:
        self.post_message(ScreenShown(self))

    def on_screen_resume(self) -> None:
        self.post_message(ScreenShown(self))

    def copy_text(self, text: str) -> None:
        """Copy with OSC 52, which reaches the local clipboard even over SSH."""
        self.app.copy_to_clipboard(text)
        shown = text if len(text) <= 60 else text[:57] + "…"
        self.notify(f"copied {shown}")
