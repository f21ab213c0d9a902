"""``?``: every key, grouped by where it works."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from smtui.ui.registry import CommandRegistry

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            (":", "command line: a resource type or alias (:ic :ep :tj :hp), or a command below"),
            ("?", "this help"),
            ("Ctrl+P", "command palette (same commands)"),
            ("Esc", "back up the drill-down (closes the filter first)"),
            ("-", "the last root view (again: back here)"),
            ("[ ]", "root views history: back, forward"),
            ("Ctrl+L", "redraw the screen"),
            ("Ctrl+C", "quit"),
        ),
    ),
    (
        "Lists",
        (
            ("↑↓ j k, PgUp PgDn, g G", "move"),
            ("← → h l", "scroll columns"),
            ("Enter, d", "describe the selected resource"),
            ("/", "filter: text, regex, !text inverts; Enter also filters on the server"),
            ("1–9", "sort by column N (again: reverse)"),
            ("N A S", "sort by name, age, status"),
            ("Space", "mark a row (for batch actions such as reboot/replace nodes)"),
            ("Ctrl+Z", "faults only: rows that are not healthy (nodes not Running, …)"),
            ("C E Ctrl+D", "create, edit, delete (typed-name confirmation)"),
            ("X T W", "stop, start, scale copies"),
            ("B R U", "reboot, replace (marked nodes), update software"),
            ("Ctrl+X", "every action of this type (a menu)"),
            ("r", "reload"),
            ("a–z (see 'jump:')", "related resources: c config, i inference components, n nodes, …"),
        ),
    ),
    (
        "Describe",
        (
            ("y", "tree → YAML → JSON"),
            ("/ n N", "search; while it has matches, n N next, previous (else n is a jump)"),
            ("Ctrl+Y", "copy the selected value (OSC 52: works over SSH)"),
            ("Ctrl+A", "copy the ARN"),
            ("a–z (see 'jump:')", "related resources (config, models, nodes, executions…)"),
            ("*", "expand everything"),
            ("r", "reload"),
        ),
    ),
)


ACTION_ROWS = frozenset({"C E Ctrl+D", "X T W", "B R U", "Ctrl+X"})
"""The rows of action keys (off in read-only mode)."""


def command_keys(registry: CommandRegistry) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The ``:`` commands, as help shows them: from the same registry the prompt runs."""
    rows = []
    for command in registry:
        aliases = "".join(f" :{a}" for a in command.aliases)
        rows.append((command.shown + aliases, command.help))
    rows.append((":TYPE [FILTER]", "open a resource type, optionally filtered (:tj failed)"))
    return ("Commands (type after :)", tuple(rows))


class HelpScreen(ModalScreen[None]):
    """Every key and every ``:`` command."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, registry: CommandRegistry, *, read_only: str = "") -> None:
        super().__init__()
        self.registry = registry
        self.read_only = read_only
        """Why changes are off ("" when they are on): the action keys are shown unavailable."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            for title, keys in (*KEYS, command_keys(self.registry)):
                table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                for key, what in keys:
                    if self.read_only and key in ACTION_ROWS:
                        what = f"unavailable: {self.read_only} ({what})"
                    table.add_row(key, what)
                yield Static(table)
