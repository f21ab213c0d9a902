"""Asking before something happens: the request preview, and the typed-name confirmation.

:class:`ConfirmScreen` with ``expected`` set is the guard on deletes, stops and node replaces:
the action only goes ahead once the resource's name is typed exactly (a stray Enter during
on-call triage must not delete an endpoint). Without ``expected`` it is a plain yes/no.

:func:`confirm_batch` lives here too: a batch node operation's whole UI is that question
(which nodes, how many requests, what it wipes); the service sends the chunks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from smtui.forms.curated import FormDef
from smtui.forms.preview import request_json
from smtui.service import ActionPlan
from smtui.text import printable, unprintable


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no, or "type NAME to confirm" when ``expected`` is given. Dismisses with the answer."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen.-danger > Vertical { border: round $error; }
    ConfirmScreen .title { text-style: bold; }
    ConfirmScreen .warning { color: $error; text-style: bold; }
    ConfirmScreen .body { height: auto; max-height: 10; }
    ConfirmScreen Input { height: 1; border: none; padding: 0 1; background: $boost; }
    ConfirmScreen .mismatch { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "escape", "Cancel", id="confirm.cancel")]

    def __init__(
        self,
        title: str,
        body: str = "",
        *,
        expected: str | None = None,
        warning: str = "",
        yes: str = "y / Enter: yes · n / Esc: no",
        escape_answers: bool = False,
    ) -> None:
        super().__init__(classes="-danger" if expected else "")
        # Esc is "no" unless the question is itself about leaving ("close this form?"): there a
        # second Esc is the user leaving, as Esc Esc leaves every other view.
        self.escape_answers = escape_answers
        self.title_text, self.body, self.expected, self.warning, self.yes = (
            title,
            body,
            expected,
            warning,
            yes,
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            # The title and the name to type are the service's (a resource name): shown escaped.
            yield Label(printable(self.title_text), classes="title", markup=False)
            if self.warning:
                yield Static(f"⚠ {self.warning}", classes="warning", markup=False)
            if self.body:
                with VerticalScroll(classes="body"):
                    yield Static(self.body, markup=False)  # request_json: unsafe text is escaped
            if self.expected is not None:
                shown = printable(self.expected)
                yield Label(f"Type {shown} to confirm, then Enter (Esc cancels):", markup=False)
                yield Input(placeholder=shown, compact=True, id="typed")
                yield Static("", classes="mismatch", markup=False)
            else:
                yield Label(self.yes, markup=False)

    def on_mount(self) -> None:
        if self.expected is not None:
            self.query_one("#typed", Input).focus()

    def on_key(self, event: events.Key) -> None:
        # Plain yes/no answers to single keys; the typed form only answers through its Input.
        if self.expected is None and event.key in ("y", "enter"):
            event.stop()
            self.dismiss(True)
        elif self.expected is None and event.key == "n":
            event.stop()
            self.dismiss(False)

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        # What was typed is compared as shown, so a name holding an escaped character can be
        # typed the way it reads.
        if self.expected is not None and unprintable(event.value.strip()) == self.expected:
            self.dismiss(True)
        else:
            shown = printable(self.expected or "")
            self.query_one(".mismatch", Static).update(f"that is not {shown}: nothing was done")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_escape(self) -> None:
        self.dismiss(self.escape_answers)


class PreviewScreen(ModalScreen[bool]):
    """The exact request, as JSON and as an ``aws sagemaker`` command, before it is sent."""

    DEFAULT_CSS = """
    PreviewScreen { background: $background 60%; }
    PreviewScreen > Vertical { height: 1fr; border: round $accent; background: $surface; }
    PreviewScreen .title { text-style: bold; padding: 0 1; }
    PreviewScreen VerticalScroll { height: 1fr; padding: 0 1; }
    PreviewScreen .cli { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s,enter", "answer(True)", "Submit", id="preview.submit"),
        Binding("escape", "answer(False)", "Back to form", id="preview.back"),
        Binding("c", "copy_cli", "Copy CLI", id="preview.copy_cli"),
        Binding("j", "copy_json", "Copy JSON", id="preview.copy_json"),
    ]

    def __init__(
        self, title: str, request_json: str, cli: str, *, warning: str = "", changes: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.title_text, self.request_json, self.cli, self.warning = title, request_json, cli, warning
        self.changes = list(changes)
        """An update's current → new, one line per field that changes (the rest is unchanged)."""

    def compose(self) -> ComposeResult:
        from rich.syntax import Syntax

        with Vertical():
            yield Label(printable(self.title_text), classes="title", markup=False)  # it names the target
            if self.warning:
                yield Static(f"⚠ {self.warning}", markup=False)
            with VerticalScroll():
                if self.changes:
                    yield Static("Changes (current → new):", classes="title", markup=False)
                    yield Static("\n".join(f"  {printable(c)}" for c in self.changes), id="changes", markup=False)
                    yield Static("The whole request:", classes="cli", markup=False)
                yield Static(Syntax(self.request_json, "json", word_wrap=True, background_color="default"))
                yield Static("Same request with the AWS CLI (c copies it):", classes="cli", markup=False)
                yield Static(self.cli, markup=False, id="cli")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"copied the {what}")

    def action_copy_cli(self) -> None:
        self._copy(self.cli, "AWS CLI command")

    def action_copy_json(self) -> None:
        self._copy(self.request_json, "request JSON")


class ActionMenu(ModalScreen[str | None]):
    """Every action of a resource type, with its key: pick one (dismisses with the operation)."""

    DEFAULT_CSS = """
    ActionMenu { align: center middle; }
    ActionMenu > Vertical { width: 76; max-width: 100%; height: auto; max-height: 80%;
                            border: round $accent; background: $surface; }
    ActionMenu OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="actions.cancel")]

    def __init__(
        self, title: str, actions: Sequence[tuple[str, str, str]], unavailable: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.title_text, self.actions = title, list(actions)
        self.unavailable = dict(unavailable or {})
        """Operation -> why not now: shown greyed with the reason, and not selectable."""

    def compose(self) -> ComposeResult:
        def option(key: str, label: str, op: str) -> Option:
            reason = self.unavailable.get(op)
            text = f"{label:<18} {key or '':<8} {op}"
            if reason is None:
                return Option(text, id=op)
            return Option(f"{text}\n  {printable(reason)}", id=op, disabled=True)

        with Vertical():
            yield Label(self.title_text, markup=False)
            yield OptionList(*(option(key, label, op) for key, label, op in self.actions))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        """The key shown beside an action picks it, as it would on the list (a user reads
        "Open MLflow UI  O" and presses O); a greyed one says why instead."""
        matches = [op for key, _label, op in self.actions if key and event.key == key]
        if not matches:
            return
        event.stop()
        op = matches[0]
        if op in self.unavailable:
            self.notify(printable(self.unavailable[op]), severity="warning", markup=False)
            return
        self.dismiss(op)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------- flows
async def confirm_action(
    app: App[Any], op: str, definition: FormDef, name: str, params: Mapping[str, Any], where: str = ""
) -> bool:
    """Ask as ``definition.danger`` says: nothing, yes/no, or the typed name. ``where`` names
    the region when it is not the app's own (a row of a list across regions)."""
    if definition.danger == "none":
        return True
    body = request_json(params)
    place = f" in {where}" if where else ""
    if definition.danger == "type-name" and name:
        screen = ConfirmScreen(f"{op} {name}{place}?", body, expected=name, warning=definition.warning)
    else:
        screen = ConfirmScreen(f"{op} {name}{place}?".replace(" ?", "?"), body, warning=definition.warning)
    answer: bool = await app.push_screen_wait(screen)
    return answer


async def confirm_batch(app: App[Any], plan: ActionPlan, where: str = "") -> bool:
    """Batch node operations: ask once about the marked rows (or the selected one), naming
    every id and how many requests the API's chunk size makes of them."""
    ids, size = plan.batch_ids, plan.definition.batch[1] if plan.definition.batch else 1
    chunks = len(plan.batch_requests())
    body = f"{len(ids)} node(s) of {plan.name}, in {chunks} request(s) of at most {size}:\n" + "\n".join(ids)
    screen = ConfirmScreen(
        f"{plan.op}: {len(ids)} node(s){f' in {where}' if where else ''}?",
        body,
        expected=plan.name or None,
        warning=plan.definition.warning,
    )
    answer: bool = await app.push_screen_wait(screen)
    return answer
