"""The one list of ``:`` commands. The command line, the palette and the help read it.

Each :class:`Command` has a name, aliases, a usage line, a help line, an argument check
(what is wrong, said at the prompt before anything runs) and a run function. Resource types
are commands too: ``:ic``, ``:tj failed`` (a type by name or alias, then an optional filter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smtui.catalog import Catalog, ResourceType
from smtui.config import split_scope

if TYPE_CHECKING:
    from smtui.ui.app import SmtuiApp

Check = Callable[["SmtuiApp", list[str]], "str | None"]
Run = Callable[["SmtuiApp", list[str]], "str | None"]


def _no_check(app: SmtuiApp, args: list[str]) -> str | None:
    return None


@dataclass(frozen=True)
class Command:
    """One ``:`` command."""

    name: str
    title: str
    help: str
    run: Run
    aliases: tuple[str, ...] = ()
    usage: str = ""
    check: Check = _no_check

    @property
    def words(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    @property
    def shown(self) -> str:
        """How help and the palette show it: ``:profile NAME``."""
        return self.usage or f":{self.name}"


def _first(args: list[str]) -> str | None:
    return args[0] if args else None


def _run_quit(app: SmtuiApp, args: list[str]) -> str | None:
    app.exit()
    return None


def _run_help(app: SmtuiApp, args: list[str]) -> str | None:
    app.action_help()
    return None


def _run_burning(app: SmtuiApp, args: list[str]) -> str | None:
    app.open_burning()
    return None


def _many(args: list[str]) -> bool:
    """``a,b`` or ``a b``: one list across several (regions or profiles)."""
    return "," in " ".join(args) or len(args) > 1


def _check_profile(app: SmtuiApp, args: list[str]) -> str | None:
    if _many(args):
        return app.service.profile_scopes(" ".join(args))[1]
    return app.service.check_profile(_first(args))


def _run_profile(app: SmtuiApp, args: list[str]) -> str | None:
    if _many(args):
        # Across profiles in each region the view lists now (one, or those of :region a,b).
        regions = list(dict.fromkeys(split_scope(s)[1] for s in app.scope_regions)) or [app.service.region]
        scopes, problem = app.service.profile_scopes(" ".join(args), regions)
        return problem or app.open_regions(scopes)
    return app.switch_target(profile=args[0])


def _check_region(app: SmtuiApp, args: list[str]) -> str | None:
    text = " ".join(args)
    if _many(args) or text == "all":
        return app.service.parse_regions(text)[1]
    return app.service.check_region(_first(args))


def _run_region(app: SmtuiApp, args: list[str]) -> str | None:
    text = " ".join(args)
    if _many(args) or text == "all":
        regions, problem = app.service.parse_regions(text)
        return problem or app.open_regions(regions)
    return app.switch_target(region=args[0])


def _check_theme(app: SmtuiApp, args: list[str]) -> str | None:
    names = sorted(app.available_themes)
    if not args:
        return "usage: :theme NAME (" + ", ".join(names) + ")"
    if args[0] not in app.available_themes:
        return f"unknown theme {args[0]!r} (known: {', '.join(names)})"
    return None


def _run_theme(app: SmtuiApp, args: list[str]) -> str | None:
    app.theme = args[0]
    return None


COMMANDS: tuple[Command, ...] = (
    Command(
        "burning",
        "What's burning",
        "everything unhealthy, across types",
        _run_burning,
        ("pulse", "fire", "triage"),
    ),
    Command(
        "profile",
        "Switch profile",
        "switch AWS profile; a,b: one list across them",
        _run_profile,
        ("ctx",),
        ":profile NAME",
        _check_profile,
    ),
    Command(
        "region",
        "Switch region",
        "switch region; a,b or all: one list across them",
        _run_region,
        (),
        ":region NAME[,…]",
        _check_region,
    ),
    Command("theme", "Switch theme", "switch colour theme", _run_theme, (), ":theme NAME", _check_theme),
    Command("help", "Help", "every key", _run_help, ("h",)),
    Command("quit", "Quit", "leave smtui", _run_quit, ("q", "q!", "exit")),
)


class CommandRegistry:
    """The app's commands plus the catalogue's resource types, looked up by any word."""

    def __init__(self, catalog: Catalog, commands: Sequence[Command] = COMMANDS) -> None:
        self.catalog = catalog
        self.commands = tuple(commands)
        self._by_word = {word: command for command in self.commands for word in command.words}

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    @staticmethod
    def split(text: str) -> tuple[str, list[str]]:
        """``":tj failed"`` -> ``("tj", ["failed"])``; the head lower-cased."""
        words = text.strip().lstrip(":").split()
        return (words[0].lower(), words[1:]) if words else ("", [])

    def command(self, word: str) -> Command | None:
        """The app command ``word`` names (not a resource type)."""
        return self._by_word.get(word.lower())

    def resource_type(self, word: str) -> ResourceType | None:
        """The resource type ``word`` names."""
        return self.catalog.find(word)

    def known(self, word: str) -> bool:
        """Whether ``word`` names a command or a resource type."""
        return self.command(word) is not None or self.resource_type(word) is not None

    def completions(self, head: str) -> list[Command]:
        """App commands whose name starts with ``head``."""
        return [c for c in self.commands if head and c.name.startswith(head)]

    def check(self, app: SmtuiApp, text: str) -> str | None:
        """What is wrong with ``text``, without running it (shown at the prompt)."""
        head, args = self.split(text)
        if not head:
            return None
        command = self.command(head)
        if command is not None:
            return command.check(app, args)
        if self.resource_type(head) is None:
            near = self.catalog.complete(head, limit=4)
            options = ", ".join(t.aliases[0] if t.aliases else t.name for t in near)
            return f"unknown resource type {head!r}" + (f"; did you mean {options}?" if options else "")
        return None

    def run(self, app: SmtuiApp, text: str) -> str | None:
        """Run ``text``. Returns an error to show at the prompt, or None."""
        error = self.check(app, text)
        if error:
            return error
        head, args = self.split(text)
        if not head:
            return None
        command = self.command(head)
        if command is not None:
            return command.run(app, args)
        # `:tj failed` opens the list already filtered, like k9s's `:pod /fred`.
        app.open_root(self.catalog.get(head), initial_filter=" ".join(args))
        return None
