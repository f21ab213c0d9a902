"""Textual's command palette (Ctrl+P): the ``:`` registry's commands and the resource types."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from smtui.ui.registry import CommandRegistry


class ResourceCommands(Provider):
    """Every resource type (by name, title and alias) plus the app commands, from the registry."""

    def _registry(self) -> CommandRegistry | None:
        from smtui.ui.app import SmtuiApp

        return self.app.registry if isinstance(self.app, SmtuiApp) else None

    def _commands(self, registry: CommandRegistry) -> list[tuple[str, str, str]]:
        items = [
            (
                f"{t.title}  :{t.aliases[0] if t.aliases else t.name}",
                t.name,
                f"open {t.title.lower()} ({t.group})",
            )
            for t in registry.catalog.all()
        ]
        # Commands that need an argument are typed at ':' (the palette cannot ask for it).
        items += [(f"{c.title}  :{c.name}", c.name, c.help) for c in registry if not c.usage]
        return items

    def _run(self, command: str) -> None:
        from smtui.ui.app import SmtuiApp

        if not isinstance(self.app, SmtuiApp):
            return
        error = self.app.run_command(command)
        if error:
            self.app.notify(error, severity="error")

    async def discover(self) -> Hits:
        registry = self._registry()
        if registry is None:
            return
        for rtype in registry.catalog.curated():
            yield DiscoveryHit(rtype.title, partial(self._run, rtype.name), help=f":{rtype.aliases[0]}")

    async def search(self, query: str) -> Hits:
        registry = self._registry()
        if registry is None:
            return
        matcher = self.matcher(query)
        for label, command, help_text in self._commands(registry):
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, command), help=help_text)
