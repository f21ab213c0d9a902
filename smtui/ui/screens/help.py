"""``?``: every key, grouped by where it works.

A row names its keys by binding id (``{list.filter}``), so what help shows is what the keys do,
remapped under ``[keys]`` or not; keys that are not bindings (action letters, jumps) are literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from smtui.catalog import Jump, ResourceType
from smtui.catalog.metrics import METRICS
from smtui.forms.actions import actions_for
from smtui.ui.handoff import SSM_TYPES
from smtui.ui.registry import CommandRegistry

SEARCH_ROW = "{describe.search} {describe.next} {describe.prev}"
METRICS_ROW = "Tab"
"""The metrics panel's row: only for a type that has metrics (a cluster's Tab did nothing)."""
N_JUMP_NOTE = " (else n is a jump)"
"""Said only for a type with an ``n`` jump (HyperPod clusters: n lists their nodes)."""

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("{app.command}", "command line: a resource type or alias (:ic :ep :tj :hp), or a command below"),
            ("{app.help}", "this help"),
            ("Ctrl+P", "command palette (same commands)"),
            ("{list.back}", "back up the drill-down (closes the filter first)"),
            ("{app.last_view}", "the last root view (again: back here)"),
            ("{app.history_back} {app.history_forward}", "root views history: back, forward"),
            ("{app.redraw}", "redraw the screen"),
            ("{app.quit}", "quit"),
        ),
    ),
    (
        "Lists",
        (
            ("{table.up} {table.down}", "move up, down"),
            ("{table.page_up}", "a page up"),
            ("{table.page_down}", "a page down"),
            ("{table.top} {table.bottom}", "the first, the last row"),
            ("{table.left} {table.right}", "scroll columns (where the type has logs, l opens them: → scrolls)"),
            ("{table.select}, {list.describe}", "describe the selected resource"),
            ("l", "CloudWatch logs of the selected job, endpoint, component, cluster or node"),
            ("{list.filter}", "filter: text, regex, !text inverts; Enter also filters on the server"),
            ("1–9", "sort by column N (again: reverse)"),
            ("{list.sort_name} {list.sort_age} {list.sort_status}", "sort by name, age, status"),
            ("{table.mark}", "mark a row (for batch actions such as reboot/replace nodes)"),
            ("{list.faults}", "faults only: rows that are not healthy (nodes not Running, …)"),
            ("C E Ctrl+D", "create, edit, delete (typed-name confirmation)"),
            ("X T W", "stop, start, scale copies"),
            ("B R U", "reboot, replace (marked nodes), update software"),
            ("O", "open the MLflow UI of a tracking server or app (a masked link, c copies it)"),
            ("Ctrl+X", "every action of this type (a menu)"),
            ("{list.reload}", "reload"),
            ("a–z (see 'jump:')", "related resources: c config, i inference components, n nodes, …"),
            ("{list.timeline}", "timeline of the selected resource (also in describe and :burning)"),
            ("{handoff.console}", "copy its AWS console URL"),
            ("{handoff.ssm}", "copy `aws ssm start-session` for a HyperPod node"),
            ("{handoff.bundle}", "write an incident bundle (describe, timeline, metrics) to a 0600 file"),
        ),
    ),
    (
        "Describe",
        (
            ("{describe.view}", "tree → YAML → JSON"),
            (SEARCH_ROW, "search; while it has matches, n N next, previous" + N_JUMP_NOTE),
            ("{describe.copy}", "copy the selected value (OSC 52: works over SSH)"),
            ("{describe.copy_arn}", "copy the ARN"),
            ("Ctrl+X", "every action of this type (a menu; the action keys work here too)"),
            ("a–z (see 'jump:')", "related resources (config, models, nodes, executions…)"),
            ("{describe.expand}", "expand everything"),
            ("{describe.wrap}", "wrap: long values whole (YAML/JSON wrap; the tree shows the selected one below)"),
            ("l", "this resource's CloudWatch logs"),
            ("{describe.reload}", "reload (the metrics too)"),
            (METRICS_ROW, "the metrics panel: last hour per metric, last value (min–max); scroll it"),
            ("{describe.timeline}", "timeline of this resource"),
            ("{handoff.console}", "copy its AWS console URL"),
            ("{handoff.ssm}", "copy `aws ssm start-session` for this HyperPod node"),
            ("{handoff.bundle}", "write an incident bundle (describe, timeline, metrics) to a 0600 file"),
        ),
    ),
    (
        "What's burning",
        (
            ("{burning.filter}", "filter the failing resources"),
            ("{burning.sort_name} {burning.sort_status} {burning.sort_when}", "sort by name, status, when"),
            ("1–9", "sort by column N (again: reverse)"),
            ("Enter", "describe the selected resource"),
            ("l", "its CloudWatch logs"),
            ("{burning.timeline}", "its timeline"),
            ("{burning.refresh}", "look again now"),
            ("{burning.back}", "close the filter (a root view: ':' opens another, '-' the last one)"),
        ),
    ),
    (
        "Timeline",
        (
            ("{timeline.level}", "level shown: all → warnings and errors → errors"),
            ("{timeline.reload}", "read the history again"),
        ),
    ),
    (
        "Logs (l from a list, a describe view or :burning)",
        (
            ("{logs.follow}", "pause / follow (on by default while the resource runs or changes)"),
            ("{logs.end}", "jump to the newest line and follow"),
            (
                "↑↓ {logs.up} {logs.down}, PgUp PgDn, {logs.top}",
                "scroll (scrolling up does not stop following: f does)",
            ),
            ("{logs.search} {logs.next} {logs.prev}", "search, next, previous (matches highlighted)"),
            (
                "{logs.include} {logs.exclude}",
                "include / exclude text (e.g. x /ping), sent to CloudWatch as a filter pattern",
            ),
            ("{logs.streams}", "pick a stream, or all streams interleaved by time"),
            ("{logs.range}", "time range: last 5 minutes, last hour, since the resource started"),
            ("{logs.wrap} {logs.times}", "wrap long lines, show timestamps"),
            ("{logs.copy_tail}", "copy the equivalent aws logs tail … --follow command"),
            ("{logs.copy_url}", "copy the log group's CloudWatch console URL"),
            ("{logs.save}", "save the lines shown to a file (0600, secrets redacted)"),
            ("{logs.reload}", "read again from the start of the range"),
        ),
    ),
)


_KEY_NAMES = {
    "question_mark": "?", "slash": "/", "asterisk": "*", "colon": ":", "minus": "-",
    "left_square_bracket": "[", "right_square_bracket": "]", "escape": "Esc", "enter": "Enter",
    "space": "Space", "tab": "Tab", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home",
    "end": "End", "up": "↑", "down": "↓", "left": "←", "right": "→",
}  # fmt: skip
_BINDING_REF = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")


def key_display(keys: str) -> str:
    """Binding keys as a user reads them: ``"down,j"`` -> ``"↓ j"``, ``"ctrl+d"`` -> ``"Ctrl+D"``."""
    shown = []
    for key in keys.split(","):
        key = key.strip()
        *mods, last = key.split("+")
        name = _KEY_NAMES.get(last) or (last.upper() if re.fullmatch(r"f\d+", last) or mods else last)
        shown.append("+".join([*(m.capitalize() for m in mods), name]))
    return " ".join(shown)


def key_refs(text: str) -> list[str]:
    """The binding ids a help row names."""
    return _BINDING_REF.findall(text)


def resolve_keys(text: str, keys: Mapping[str, str]) -> str:
    """A help row's keys with each ``{binding.id}`` replaced by the keys bound to it now."""
    return _BINDING_REF.sub(lambda m: key_display(keys.get(m.group(1), "")) or "(unbound)", text)


def default_keys() -> dict[str, str]:
    """Binding id -> keys, as smtui's widgets and screens declare them (before ``[keys]``)."""
    import importlib

    from textual.dom import DOMNode

    for module in ("app", "screens.burning", "screens.describe", "screens.logs", "screens.timeline",
                   "screens.resource_list", "screens.form", "screens.confirm", "screens.presigned",
                   "screens.command", "widgets.resource_table", "handoff"):  # fmt: skip
        importlib.import_module(f"smtui.ui.{module}")
    found: dict[str, str] = {}
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("smtui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding.key)
    return found


ACTION_ROWS = frozenset({"C E Ctrl+D", "X T W", "B R U", "O", "Ctrl+X"})
"""The rows of action keys (off in read-only mode)."""

JUMP_ROW = "a–z (see 'jump:')"
SCROLL_ROW = "{table.left} {table.right}"
LOGS_ROW = "l"
SSM_ROW = "{handoff.ssm}"


@dataclass(frozen=True)
class HelpContext:
    """The view help was opened on: its section of :data:`KEYS` and the type it shows.

    With a type, help lists that type's own actions, jumps and hand-offs instead of every key
    any type has: "O opens the MLflow UI" on an endpoint list is a key that does nothing.
    """

    section: str
    rtype: ResourceType | None = None


def section_rows(
    title: str, rows: tuple[tuple[str, str], ...], context: HelpContext | None
) -> tuple[tuple[str, str], ...]:
    """The rows of one section as the context's type has them (all of them without a type)."""
    rtype = context.rtype if context is not None and title == context.section else None
    if rtype is None:
        return rows
    own: list[tuple[str, str]] = []
    """The type's own rows (actions, jumps, logs): first, they are what help is opened for."""
    out: list[tuple[str, str]] = []
    listed_actions = False
    for key, what in rows:
        if key in ACTION_ROWS:
            if not listed_actions:
                listed_actions = True
                own.extend((shown_key(k) or "Ctrl+X", f"{label} ({op})") for k, label, op in actions_for(rtype, False))
                if rtype.actions:
                    own.append(("Ctrl+X", "every action of this type (a menu)"))
            continue
        if key == SCROLL_ROW:
            if rtype.logs is not None:  # l is the logs row's here: not listed twice
                key, what = "{table.left} →", "scroll columns"
            else:
                what = "scroll columns"
        if key == JUMP_ROW:
            own.extend((jump.key, f"jump: {jump.label}") for jump in unique_jumps(rtype))
            continue
        if key == LOGS_ROW:
            if rtype.logs is not None:
                own.insert(0, (key, what))
            continue
        if key == SSM_ROW and rtype.name not in SSM_TYPES:
            continue
        if rtype.name not in METRICS:
            if key == METRICS_ROW:
                continue
            what = what.replace(" (the metrics too)", "")
        if key == SEARCH_ROW and not any(jump.key == "n" for jump in rtype.jumps):
            what = what.replace(N_JUMP_NOTE, "")
        out.append((key, what))
    return (*own, *out)


def shown_key(key: str) -> str:
    return key_display(key) if "+" in key else key


def unique_jumps(rtype: ResourceType) -> list[Jump]:
    """One row per key: jumps that share a key under disjoint conditions are one key to press."""
    seen: dict[str, Jump] = {}
    for jump in rtype.jumps:
        seen.setdefault(jump.key, jump)
    return list(seen.values())


def command_keys(registry: CommandRegistry) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The ``:`` commands, as help shows them: from the same registry the prompt runs."""
    rows = []
    for command in registry:
        # Aliases beside the help, not in the key column: wrapped there, ":triage" stood alone.
        aliases = " ".join(f":{a}" for a in command.aliases)
        rows.append((command.shown, command.help + (f" (also {aliases})" if aliases else "")))
    rows.append((":TYPE [FILTER]", "open a resource type, optionally filtered (:tj failed)"))
    return ("Commands (type after :)", tuple(rows))


class HelpScreen(ModalScreen[None]):
    """Every key and every ``:`` command."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(
        self,
        registry: CommandRegistry,
        keys: Mapping[str, str],
        *,
        read_only: str = "",
        context: HelpContext | None = None,
    ) -> None:
        super().__init__()
        self.registry = registry
        self.context = context
        """The view help was opened on: its keys come first, other views' keys are left out."""
        self.keys = keys
        """Binding id -> the keys bound to it now (defaults with the user's ``[keys]`` applied)."""
        self.read_only = read_only
        """Why changes are off ("" when they are on): the action keys are shown unavailable."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            for title, keys in (*self.sections(), command_keys(self.registry)):
                table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
                # The keys' column wraps past 22 cells, so a binding remapped to many keys
                # cannot squeeze what it does out of an 80-column terminal.
                table.add_column(style="bold cyan", max_width=22)
                table.add_column(ratio=1)
                for key, what in keys:
                    if self.read_only and (key in ACTION_ROWS or key in self.action_keys):
                        what = f"unavailable: {self.read_only} ({what})"
                    # Text, not str: Rich would read a "[" in the read-only reason (which names
                    # the profile, from the user's config) as markup.
                    table.add_row(Text(resolve_keys(key, self.keys)), Text(what))
                # Named, so a section can be scrolled to (Anywhere sits below the view's keys).
                slug = re.sub(r"[^a-z]+", "-", title.split(":")[0].split("(")[0].lower()).strip("-")
                yield Static(table, id=f"help-{slug}")

    @property
    def action_keys(self) -> frozenset[str]:
        rtype = self.context.rtype if self.context is not None else None
        if rtype is None:
            return frozenset()
        return frozenset(shown_key(k) or "Ctrl+X" for k, _, _ in actions_for(rtype, False)) | {"Ctrl+X"}

    def sections(self) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        """The current view's keys first, then the keys that work anywhere; without a known
        view (a screen with no section of its own), every section."""
        by_title = dict(KEYS)
        if self.context is None or self.context.section not in by_title:
            return list(KEYS)
        title = self.context.section
        heading = f"{title}: {self.context.rtype.title}" if self.context.rtype is not None else title
        return [(heading, section_rows(title, by_title[title], self.context)), ("Anywhere", by_title["Anywhere"])]
