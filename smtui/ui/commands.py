"""Textual's command palette (Ctrl+P) offers the same commands as the ``:`` line."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from smtui.ui.app import SmtuiApp


class ResourceCommands(Provider):
    """Every resource type (by name, title and alias) plus the app commands."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: SmtuiApp = self.app  # type: ignore[assignment]
        items = [
            (
                f"{t.title}  :{t.aliases[0] if t.aliases else t.name}",
                t.name,
                f"open {t.title.lower()} ({t.group})",
            )
            for t in app.catalog.all()
        ]
        items += [
            ("What's burning  :burning", "burning", "everything unhealthy, across types"),
            ("Help  :help", "help", "every key"),
            ("Quit  :q", "quit", "leave smtui"),
        ]
        return items

    def _run(self, command: str) -> None:
        app: SmtuiApp = self.app  # type: ignore[assignment]
        error = app.run_command(command)
        if error:
            app.notify(error, severity="error")

    async def discover(self) -> Hits:
        app: SmtuiApp = self.app  # type: ignore[assignment]
        for rtype in app.catalog.curated():
            yield DiscoveryHit(rtype.title, partial(self._run, rtype.name), help=f":{rtype.aliases[0]}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, command), help=help_text)
