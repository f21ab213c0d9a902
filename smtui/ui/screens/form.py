"""The form screen, and :func:`run_action`: the one entry point for every change smtui makes.

Flow (STYLE habit 5): a worker awaits the form (``push_screen_wait``), the form shows the
request preview, the worker asks for the typed-name confirmation when the action is
dangerous, calls SageMaker and notifies. A server rejection re-opens the same
:class:`~smtui.forms.model.FormModel`, so every value survives and the error sits next to
the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static

from smtui.aws.errors import AwsError
from smtui.catalog import ResourceType
from smtui.forms.actions import ACTION_KEYS, ACTION_MENU_KEY, actions_for, is_presigned, resolve_operation
from smtui.forms.drafts import Draft, DraftKey, save_draft
from smtui.forms.fields import FieldSpec, Path
from smtui.forms.model import FormModel
from smtui.forms.preview import request_json
from smtui.service import ActionPlan, Refusal, Service
from smtui.service.actions import Severity
from smtui.service.workflow import run_write
from smtui.text import has_unsafe, printable, unprintable
from smtui.ui.keyhold import HELD_KEYS, Held, KeyHold
from smtui.ui.messages import WriteInFlight
from smtui.ui.screens.confirm import ActionMenu, ConfirmScreen, PreviewScreen, confirm_action, confirm_batch
from smtui.ui.screens.presigned import open_presigned
from smtui.ui.widgets.fields import (
    EnumPicker,
    FieldInput,
    FieldRow,
    SectionRow,
    TriState,
    build_rows,
    step_focus,
    type_into,
)

__all__ = ["ACTION_KEYS", "ACTION_MENU_KEY", "FormScreen", "actions_for", "run_action"]


def refusal_text(error: AwsError) -> str:
    """The form's banner after a failed submit, worded by what became of the request."""
    if error.delivery == "not-sent":
        return f"Not sent: {error.message}"
    if error.delivery == "unknown":
        return f"Not known whether it was applied: {error.message}"
    return f"SageMaker refused: {error.message}"


def plural(count: int, noun: str) -> str:
    """``1 problem``, ``2 problems``."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def problem_lines(grouped: Mapping[Path, Sequence[Any]]) -> list[str]:
    """One ``Field.Path: message`` per distinct problem, in form order (the count is their number).

    The same message for the same field (a client check and the server's echo of it) is one
    problem, not two."""
    lines: list[str] = []
    for path, problems in grouped.items():
        where = ".".join(str(p) for p in path) or "form"
        for problem in problems:
            line = f"{where}: {problem.message}"
            if line not in lines:
                lines.append(line)
    return lines


def _under(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def _holds_default(defaults: Mapping[str, Any], path: Path) -> bool:
    """Whether the curated ``defaults`` put a value somewhere under the section at ``path``."""
    node: Any = defaults
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            return False
    return True


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """Edit ``model``; dismisses with the request after the preview, or None when cancelled.

    ``cli`` renders the equivalent AWS CLI command of a request (bound to the app's target).
    """

    DEFAULT_CSS = """
    FormScreen { background: $surface; }
    FormScreen #form-title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    FormScreen #form-error { height: auto; max-height: 4; padding: 0 1; background: $error 25%;
                             border-left: thick $error; }
    FormScreen #form-fields { height: 1fr; padding: 0 1; }
    FormScreen #form-summary { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    FormScreen #form-summary.-invalid { color: $error; }
    FormScreen #form-help { height: 4; padding: 0 1; color: $text-muted; border-top: hkey $panel; }
    FormScreen #form-help.-full { height: 50%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Preview & submit", priority=True, id="form.submit"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+r", "restore_draft", "Restore draft", id="form.restore"),
        Binding("f1", "toggle_help", "Help", id="form.help"),
        Binding("down", "app.focus_next", "Next", show=False, id="form.next"),
        Binding("up", "app.focus_previous", "Previous", show=False, id="form.previous"),
    ]

    tab_moves_focus = True
    """Tab and Shift+Tab only move between fields here: the app applies them in typing order."""

    def __init__(
        self,
        model: FormModel,
        *,
        title: str,
        cli: Callable[[dict[str, Any]], str],
        draft: Draft | None = None,
        context: str = "",
        warning: str = "",
        draft_key: DraftKey | None = None,
        typeahead: Callable[[], list[Held]] | None = None,
    ) -> None:
        super().__init__()
        self.typeahead = typeahead
        self.model, self.title_text, self.cli, self.draft = model, title, cli, draft
        self.draft_key = draft_key or DraftKey(model.op)
        self.context, self.warning = context, warning
        self.opened: dict[Path, bool] = {}
        self._save_timer: Timer | None = None
        self._rendering = False
        self._typing: dict[Path, tuple[Path, str]] = {}
        """Headers being typed on -> the field their characters go to (until it is shown)."""
        self._typing_render = False
        self._refused, self._refused_for = "", ""
        self._refused_timer: Timer | None = None
        for problem in model.server_problems:  # show where the server pointed
            self.reveal(model.state_path(problem.path))

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Label(printable(self.title_text), id="form-title", markup=False)  # it names the target
        yield Static("", id="form-error", markup=False)
        fields = VerticalScroll(id="form-fields")
        # Not a tab stop: Shift+Tab from the first field focused the scroll area, where
        # typing went nowhere. The fields scroll into view as they take focus.
        fields.can_focus = False
        yield fields
        yield Static("", id="form-summary", markup=False)
        yield Static("", id="form-help", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        await self.render_rows()
        error = self.model.server_error
        banner = self.query_one("#form-error", Static)
        if error is not None:
            banner.update(refusal_text(error) + (f"\n{error.hint}" if error.hint else ""))
        elif self.draft is not None and self.draft.values and self.draft.values != self.model.state:
            saved = printable(self.draft.saved_label)  # read back from a file
            banner.update(f"A draft of this form from {saved} is saved: Ctrl+R restores it.")
        else:
            banner.update(self.warning and f"⚠ {self.warning}")
        banner.display = bool(banner.content)
        target = self._first_problem_widget() or next(iter(self._focusables()), None)
        if target is not None:
            # Now, not via widget.focus() (queued on the app): the held keys replayed next
            # count their Tabs from this field.
            self.set_focus(target)
        if self.typeahead is not None:
            self.call_after_refresh(self._replay_typeahead)

    def _replay_typeahead(self) -> None:
        """Apply the keys typed while the form was opening, in order, where focus is then."""
        assert self.typeahead is not None
        keys, self.typeahead = self.typeahead(), None
        for key, character in keys:
            focused = self.focused
            if key in ("tab", "shift+tab"):
                step_focus(self, forward=key == "tab")
            elif isinstance(focused, Input) and key not in HELD_KEYS and character:
                type_into(focused, character)
            elif isinstance(focused, Input) and key == "backspace":
                focused.action_delete_left()
            else:  # Enter, arrows, a section header's keys: the widget's own bindings decide
                self.app.post_message(events.Key(key, character))

    def is_open(self, path: Path, spec: FieldSpec) -> bool:
        """Whether a section shows its contents: the user's choice, else a sensible default."""
        if path in self.opened:
            return self.opened[path]
        if isinstance(path[-1], int):
            return True  # an item the user added (or that was prefilled) is worth seeing
        if len(path) == 1 and path[0] in self.model.definition.expand:
            return True
        if len(path) > 1 and _holds_default(self.model.definition.defaults, path):
            return True  # a curated default (an IC's memory) is a value to look at, not to hide
        return spec.required and spec.kind == "structure" and any(c.required for c in spec.children)

    def reveal(self, path: Path) -> None:
        """Open every section above ``path``."""
        for depth in range(1, len(path)):
            self.opened[path[:depth]] = True

    def _focusables(self) -> list[Widget]:
        return [w for w in self.query("FieldInput, TriState, SectionRow") if isinstance(w, Widget)]

    def _focus_key(self) -> tuple[Path, str] | None:
        focused = self.focused
        path = getattr(focused, "path", None)
        return (path, getattr(focused, "role", "")) if path is not None else None

    async def render_rows(self, focus: tuple[Path, str] | None = None) -> None:
        """Rebuild the rows from the model (after a section opened, an item came or went)."""
        focus = focus or self._focus_key()
        body = self.query_one("#form-fields", VerticalScroll)
        self._rendering = True
        try:
            await body.remove_children()
            await body.mount_all(list(build_rows(self.model, self.is_open)))
        finally:
            self._rendering = False
        self.refresh_problems()
        if focus is not None:
            for widget in self._focusables():
                if (getattr(widget, "path", None), getattr(widget, "role", "")) == focus:
                    widget.focus()
                    break

    # ------------------------------------------------------------ problems
    def refresh_problems(self) -> None:
        """Put every problem next to its field, count hidden ones on their section, sum up."""
        grouped = self.model.problems_by_path()
        for row in self.query(FieldRow):
            messages = [p.message for path, ps in grouped.items() if self._row_owns(row, path) for p in ps]
            row.show_problems(messages)
        for section in self.query(SectionRow):
            hidden = sum(len(ps) for path, ps in grouped.items() if _under(path, section.path))
            section.set_class(bool(hidden), "-invalid")
            section.tooltip = f"{hidden} problem(s) inside" if hidden else None
        listed = problem_lines(grouped)
        summary = self.query_one("#form-summary", Static)
        summary.set_class(bool(listed), "-invalid")
        if listed:
            # Every problem counted is named: "2 problems" over one message read as a miscount.
            text = f"{plural(len(listed), 'problem')} · " + " · ".join(listed)
            text = text if len(text) <= 300 else text[:299] + "…"
        elif self.model.is_update and not self.model.changes():
            text = "no change yet · every field holds the current value"
        else:
            text = "ready · Ctrl+S previews the request"
        if str(summary.content) != text:  # each update lays the screen out again: once per change
            summary.update(text)

    def _row_owns(self, row: FieldRow, path: Path) -> bool:
        # A tag row shows its Key/Value problems too; section problems show on the section.
        return path == row.path or (len(path) == len(row.path) + 1 and _under(path, row.path))

    def _first_problem_widget(self) -> Widget | None:
        for row in self.query(FieldRow):
            if row.query_one(".problem", Static).display:
                return next(iter(row.editors), None)
        return None

    # ------------------------------------------------------------ editing
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        widget = event.input
        if not isinstance(widget, FieldInput) or self._rendering:
            return
        if has_unsafe(event.value):
            # A pasted control character would be painted raw: show it escaped (the box
            # then posts Changed again with the shown text, which stands for the same value).
            widget.value = printable(unprintable(event.value))
            return
        self._take(widget)

    def _take(self, widget: FieldInput) -> None:
        """Put what ``widget`` shows into the model (an edit), unless it names the target."""
        value = widget.real_value
        # Inputs also announce their initial value when mounted: only a real edit counts
        # (else re-rendering would wipe the server's complaints).
        if self.model.is_locked(widget.path):
            # The member names the target: the form acts on that resource and no other.
            current = self.model.get(widget.path) or ""
            if value != current:
                widget.show_real(current)
                self.notify(
                    f"{widget.path[0]} names the resource this form changes; it stays {printable(current)}",
                    severity="warning",
                    markup=False,
                )
            return
        if widget.role == "key":
            if self.model.map_key(widget.path) == value:
                return
            self.model.set_map_key(widget.path, value)
        else:
            if (self.model.get(widget.path) or "") == value:
                return
            self.model.set(widget.path, value)
        self.model.clear_server_error([widget.path])
        self._edited()

    @on(TriState.Changed)
    def _toggled(self, event: TriState.Changed) -> None:
        self.model.set(event.widget.path, event.widget.value)
        self.model.clear_server_error([event.widget.path])
        self._edited()

    @on(TriState.Refused)
    def _refused_text(self, event: TriState.Refused) -> None:
        # One message per burst, not one per character: the toasts would pile up.
        name = ".".join(str(p) for p in event.widget.path)
        self._refused = (self._refused + event.text) if self._refused_for == name else event.text
        self._refused_for = name
        if self._refused_timer is not None:
            self._refused_timer.stop()
        self._refused_timer = self.set_timer(0.3, self._say_refused)

    def _say_refused(self) -> None:
        self.notify(
            f"{self._refused_for} is a yes/no toggle: {self._refused!r} was not typed anywhere "
            "(Space changes it; Tab moves to the next field)",
            severity="warning",
            markup=False,
        )
        self._refused, self._refused_for, self._refused_timer = "", "", None

    def _edited(self) -> None:
        self.refresh_problems()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(0.5, self.save_draft)

    def save_draft(self) -> None:
        """Keep what was typed on disk (only if something changed: an untouched form saves nothing)."""
        if self.model.changed:
            try:
                save_draft(self.draft_key, self.model.state, context=self.context)
            except OSError as exc:
                self.notify(f"could not save the draft: {exc}", severity="warning")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        widget = event.input
        if not isinstance(widget, FieldInput):
            return
        event.stop()
        if widget.spec.enum and widget.role == "value":
            picker = EnumPicker(f"{widget.path[-1]}: pick a value", widget.spec.enum, widget.real_value)
            self.app.push_screen(picker, callback=lambda value: self._picked(widget, value))
        else:
            self.focus_next()

    def _picked(self, widget: FieldInput, value: str | None) -> None:
        if value is not None:
            widget.show_real(value)  # posts Input.Changed, which updates the model
            widget.focus()
            self.call_after_refresh(self.focus_next)

    @on(SectionRow.Requested)
    async def _section(self, event: SectionRow.Requested) -> None:
        path, what = event.path, event.what
        focus: tuple[Path, str] | None = (path, "")
        spec = self.model.root.at(path)
        if what == "toggle":
            self.opened[path] = not self.is_open(path, spec) if spec is not None else True
        elif what in ("open", "close"):
            self.opened[path] = what == "open"
        elif what == "add":
            index = self.model.add_item(path)
            self.opened[path] = True
            focus = self._first_editor_key((*path, index))
        elif what == "remove":
            self.model.remove_item(path)
            focus = (path[:-1], "")
        elif what == "remove-last":
            count = len(self.model.get(path) or [])
            if count:
                self.model.remove_item((*path, count - 1))
        if what in ("add", "remove", "remove-last"):
            self._edited()
        await self.render_rows(focus)

    @on(SectionRow.Typed)
    def _typed_on_header(self, event: SectionRow.Typed) -> None:
        """Text typed on a section header goes into the section's first field, in order.

        The model takes each character at once (so a burst keeps its order even before the
        section's fields exist); the section then opens with that field focused."""
        event.stop()
        first = event.path not in self._typing
        target = self._typing.get(event.path) or self._typing_target(event.path)
        if target is None:
            self.notify("this section has no field to type into", severity="warning")
            return
        self._typing[event.path] = target
        path, role = target
        if self.model.is_locked(path):
            return
        if role == "key":
            self.model.set_map_key(path, self.model.map_key(path) + event.character)
        else:
            # A number is replaced, as when Tab reaches it (Tab 3 on a copy count of 1 gave 13);
            # text is extended, as in its own box.
            spec = self.model.root.at(path)
            replace = first and spec is not None and spec.kind in ("integer", "float")
            self.model.set(path, ("" if replace else str(self.model.get(path) or "")) + event.character)
        self._edited()
        if len(self._typing) == 1 and not self._typing_render:
            self._typing_render = True
            self.call_later(self._show_typing, event.path)

    async def _show_typing(self, header: Path) -> None:
        target = self._typing.get(header)
        try:
            await self.render_rows(target)
        finally:
            self._typing.clear()
            self._typing_render = False
        if isinstance(self.focused, Input):
            self.focused.cursor_position = len(self.focused.value)

    def _typing_target(self, path: Path) -> tuple[Path, str] | None:
        """The first field under the header at ``path``, opening (or adding) what it takes."""
        spec = self.model.root.at(path)
        for _ in range(8):  # nested structures are shallow; the bound only guards a cycle
            if spec is None:
                return None
            self.opened[path] = True
            if spec.kind in ("list", "map"):
                index = self.model.add_item(path)
                key = self._first_editor_key((*path, index))
                if key[1]:
                    return key
                path = (*path, index)
                spec = self.model.root.at(path)
                continue
            # A boolean's editor is a toggle, not text: the first field that takes characters.
            child = next((c for c in spec.children if c.kind != "boolean"), None)
            if child is None:
                return None
            path = (*path, child.name)
            if child.is_scalar:
                return (path, "value")
            spec = child
        return None

    def _first_editor_key(self, path: Path) -> tuple[Path, str]:
        """Where the cursor goes in a new item: its first input (a tag's Key, a map entry's key)."""
        parent = self.model.root.at(path[:-1])
        if parent is not None and parent.kind == "map":
            return (path, "key")
        if parent is not None and parent.is_tags:
            return ((*path, "Key"), "value")
        spec = self.model.root.at(path)
        return (path, "value") if spec is not None and spec.is_scalar else (path, "")

    def on_descendant_focus(self, event: Any) -> None:
        widget = event.widget
        spec: FieldSpec | None = getattr(widget, "spec", None)
        path: Path | None = getattr(widget, "path", None)
        if spec is None or path is None:
            return
        name = ".".join(str(p) for p in path)
        lines = [f"{name}  [{spec.kind}{', required' if spec.required else ''}]  {spec.limits()}"]
        if spec.kind == "enum":
            lines[0] += "  · Enter: searchable list"
        if isinstance(widget, SectionRow):
            lines[0] += "  · Enter: open/close" + ("  + add  - remove" if spec.kind in ("list", "map") else "")
            lines[0] += "  · typing goes into its first field"
        lines.append(spec.doc or "(no documentation in the model)")
        self.query_one("#form-help", Static).update("\n".join(lines))

    # ------------------------------------------------------------ actions
    def action_toggle_help(self) -> None:
        self.query_one("#form-help", Static).toggle_class("-full")

    def _sync_inputs(self) -> None:
        """Take every field's text now: in a burst (``x`` then Ctrl+S) the Changed message of
        the last keys may still be queued, and the preview must send what the screen shows."""
        for widget in self.query(FieldInput):
            self._take(widget)

    async def action_submit(self) -> None:
        self._sync_inputs()
        problems = self.model.problems()
        if problems:
            first = problems[0]
            self.reveal(self.model.state_path(first.path))
            await self.render_rows()
            target = self._first_problem_widget()
            if target is not None:
                target.focus()
            count = len(problem_lines(self.model.problems_by_path()))
            self.notify(f"{plural(count, 'problem')} to fix before submitting", severity="warning")
            return
        changes = self.model.changes() if self.model.is_update else None
        if changes == []:
            # An update that changes nothing would still be a call (and a status flip to
            # Updating on some types): there is nothing to submit until a field differs.
            self.notify(
                f"nothing to submit: every field still holds {self.context or 'the resource'}'s current value",
                severity="warning",
            )
            return
        self.save_draft()
        params = self.model.request()
        preview = PreviewScreen(
            f"{self.model.op}: this request will be sent",
            request_json(params),
            self.cli(params),
            warning=self.warning,
            changes=[c.text() for c in changes or ()],
        )

        def previewed(ok: bool | None) -> None:
            if ok:
                self.dismiss(params)

        self.app.push_screen(preview, callback=previewed)

    def action_cancel(self) -> None:
        self._sync_inputs()  # the draft keeps the last keys of a burst too
        if not self.model.changed:
            self.dismiss(None)
            return
        self.save_draft()
        ask = ConfirmScreen(
            "Close this form?",
            f"What you typed stays saved as the draft of {self.title_text}: open it again and press Ctrl+R.",
            yes="y / Enter / Esc: close · n: keep editing",
            escape_answers=True,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ask, callback=answered)

    async def action_restore_draft(self) -> None:
        if self.draft is None or not self.draft.values:
            self.notify("no saved draft for this form")
            return
        self.model.load(self.draft.values)
        for path in list(self.opened):
            del self.opened[path]
        await self.render_rows()
        self.query_one("#form-error", Static).display = False
        self.notify(f"restored the draft from {printable(self.draft.saved_label)}")


# ---------------------------------------------------------------------------- entry point
class ScreenPresenter:
    """The write workflow's states (:mod:`smtui.service.workflow`) as screens and toasts.

    It only shows what the workflow asks for; the order, the drafts and where a failure goes
    are the workflow's.
    """

    def __init__(self, app: App[Any], service: Service, hold: KeyHold) -> None:
        self.app = app
        self.service = service
        self.hold = hold

    async def edit(self, plan: ActionPlan, draft: Draft | None) -> dict[str, Any] | None:
        service, model = self.service, plan.model

        def cli(params: dict[str, Any]) -> str:
            return service.cli(model.op, params)

        where = f"{service.target.label}@{service.target.region}"  # profile@region, short for 80 columns
        screen = FormScreen(
            model,
            # The account a change goes to stays in sight while it is being written.
            title=f"{plan.title} · {where}",
            cli=cli,
            draft=draft,
            context=plan.name,
            warning=plan.definition.warning,
            draft_key=plan.draft_key,
            typeahead=self.hold.take,
        )
        params: dict[str, Any] | None = await self.app.push_screen_wait(screen)
        return params

    @property
    def elsewhere(self) -> str:
        """The region, when it is not the app's (a row of a list across regions), else "";
        ``profile/region`` when the profile is not the app's either (across profiles)."""
        home = getattr(self.app, "service", None)
        if home is self.service or not isinstance(home, Service):
            return ""
        target = self.service.target
        return target.region if target.profile == home.target.profile else f"{target.label}/{target.region}"

    async def confirm(self, plan: ActionPlan, params: Mapping[str, Any]) -> bool:
        return await confirm_action(self.app, plan.op, plan.definition, plan.name, params, self.elsewhere)

    async def confirm_batch(self, plan: ActionPlan) -> bool:
        return await confirm_batch(self.app, plan, self.elsewhere)

    def sending(self, label: str, *, done: bool) -> None:
        self.app.post_message(WriteInFlight(label, done=done))

    def say(self, message: str, severity: Severity = "information", timeout: float | None = None) -> None:
        self.app.notify(message, severity=severity, timeout=timeout)

    def here(self) -> object:
        return self.app.screen


async def run_action(
    app: App[Any],
    service: Service,
    rtype: ResourceType,
    verb_or_op: str,
    record: Mapping[str, Any] | None,
    list_params: Mapping[str, Any] | None,
    marked: Sequence[Mapping[str, Any]] = (),
    *,
    keys: KeyHold | None = None,
) -> dict[str, Any] | None:
    """Run one action on ``record`` (or on the ``marked`` rows): form, preview, confirm, call.

    The service plans it and runs the workflow (:func:`smtui.service.workflow.run_write`);
    this picks the verb when asked to (``menu``) and shows the screens the workflow asks for.
    Must run in a worker (it awaits screens). ``verb_or_op`` is a verb of ``rtype``
    (``delete``), an operation name (``DeleteEndpoint``), or ``menu`` to let the user pick.
    Returns the SageMaker response, or None when cancelled or refused.
    """
    hold = keys or KeyHold()
    if verb_or_op == "menu":
        hold.release(app)  # the keys go to the menu
        offered = service.offered_actions(rtype)
        if not offered:
            app.notify("read-only: no actions" if service.read_only else f"{rtype.title} has no actions")
            return None
        menu = ActionMenu(f"{rtype.title}: actions", offered, service.unavailable_actions(rtype, record))
        chosen = await app.push_screen_wait(menu)
        if chosen is None:
            return None
        verb_or_op = chosen
    op = resolve_operation(rtype, verb_or_op)
    if op is not None and is_presigned(op) and not service.read_only:
        # A URL that signs its holder in: its own screen shows it masked (a form's outcome
        # would print the response), and the read-only guard still refuses it below.
        hold.release(app)
        name = str(record.get(rtype.key_field, "")) if record else ""
        await open_presigned(app, service, rtype, op, record, name.rsplit("/", 1)[-1])
        return None
    plan = await service.plan_detailed(rtype, verb_or_op, record, list_params, marked)
    if isinstance(plan, Refusal) or plan.is_batch or not plan.show_form:
        hold.release(app)  # a confirmation or a message, not a form: it takes its own keys
    outcome = await run_write(service, plan, ScreenPresenter(app, service, hold))
    return outcome.response if outcome is not None and outcome.ok else None
