"""``?``: every key, grouped by where it works."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
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
            ("← → h l", "scroll columns (l opens logs where the type has them)"),
            ("Enter, d", "describe the selected resource"),
            ("l", "CloudWatch logs of the selected job, endpoint, component, cluster or node"),
            ("/", "filter: text, regex, !text inverts; Enter also filters on the server"),
            ("1–9", "sort by column N (again: reverse)"),
            ("N A S", "sort by name, age, status"),
            ("Space", "mark a row (for batch actions such as reboot/replace nodes)"),
            ("Ctrl+Z", "faults only: rows that are not healthy (nodes not Running, …)"),
            ("C E Ctrl+D", "create, edit, delete (typed-name confirmation)"),
            ("X T W", "stop, start, scale copies"),
            ("B R U", "reboot, replace (marked nodes), update software"),
            ("O", "open the MLflow UI of a tracking server or app (a masked link, c copies it)"),
            ("Ctrl+X", "every action of this type (a menu)"),
            ("r", "reload"),
            ("a–z (see 'jump:')", "related resources: c config, i inference components, n nodes, …"),
            ("t", "timeline of the selected resource (also in describe and :burning)"),
            ("Ctrl+O", "copy its AWS console URL"),
            ("Ctrl+T", "copy `aws ssm start-session` for a HyperPod node"),
            ("Ctrl+S", "write an incident bundle (describe, timeline, metrics) to a 0600 file"),
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
            ("l", "this resource's CloudWatch logs"),
            ("r", "reload (the metrics too)"),
            ("Tab", "the metrics panel: last hour per metric, last value (min–max); scroll it"),
            ("t, Ctrl+O Ctrl+T Ctrl+S", "timeline, console URL, SSM command, incident bundle"),
        ),
    ),
    (
        "Timeline",
        (
            ("f", "level shown: all → warnings and errors → errors"),
            ("r", "read the history again"),
        ),
    ),
    (
        "Logs (l from a list, a describe view or :burning)",
        (
            ("f", "pause / follow (on by default while the resource runs or changes)"),
            ("G End", "jump to the newest line and follow"),
            ("↑↓ j k, PgUp PgDn, g", "scroll (scrolling up does not stop following: f does)"),
            ("/ n N", "search, next, previous (matches highlighted)"),
            ("i x", "include / exclude text (e.g. x /ping), sent to CloudWatch as a filter pattern"),
            ("s", "pick a stream, or all streams interleaved by time"),
            ("R", "time range: last 5 minutes, last hour, since the resource started"),
            ("w t", "wrap long lines, show timestamps"),
            ("Ctrl+Y", "copy the equivalent aws logs tail … --follow command"),
            ("Ctrl+U", "copy the log group's CloudWatch console URL"),
            ("Ctrl+S", "save the lines shown to a file (0600, secrets redacted)"),
            ("r", "read again from the start of the range"),
        ),
    ),
)


ACTION_ROWS = frozenset({"C E Ctrl+D", "X T W", "B R U", "O", "Ctrl+X"})
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
                    # Text, not str: Rich would read a "[" in the read-only reason (which names
                    # the profile, from the user's config) as markup.
                    table.add_row(Text(key), Text(what))
                yield Static(table)
