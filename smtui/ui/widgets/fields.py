"""The rows a form is drawn with: one line per field, so a form is usable at 80×24.

Rows are views: each knows its state path and reads/writes the :class:`~smtui.forms.model.
FormModel` through the screen, which re-renders rows when the tree's shape changes (a section
opens, an item is added). Nothing typed lives only in a widget.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from smtui.forms.fields import FieldSpec, Path
from smtui.forms.model import FormModel
from smtui.text import printable, unprintable


def step_focus(screen: Screen[Any], forward: bool) -> None:
    """Tab or Shift+Tab, applied now. A field that selects its value on focus (a number) is
    selected now too: its own select-on-focus runs only after the rest of a burst, and Tab 3
    on a copy count of 1 gave 13."""
    if forward:
        screen.focus_next()
    else:
        screen.focus_previous()
    landed = screen.focused
    if isinstance(landed, Input) and landed.select_on_focus:
        landed.select_all()


def type_into(box: Input, character: str) -> None:
    """What Input does with a printable key, now: replace the selection, or insert."""
    if box.selection.is_empty:
        box.insert_text_at_cursor(character)
    else:
        box.replace(character, *box.selection)


class FieldInput(Input):
    """A one-line text input bound to a state path. ``role`` is ``value`` or ``key`` (map keys)."""

    DEFAULT_CSS = """
    FieldInput { height: 1; border: none; padding: 0 1; width: 1fr; background: $boost; }
    FieldInput:focus { background: $accent 30%; }
    FieldInput.-invalid { background: $error 20%; }
    """

    def __init__(self, spec: FieldSpec, path: Path, value: str, *, role: str = "value", **kw: Any) -> None:
        suggester = SuggestFromList(spec.enum, case_sensitive=False) if spec.enum and role == "value" else None
        # The box shows the escaped text (a value from the service may hold ESC sequences that
        # would otherwise reach the terminal raw); ``real_value`` is what it stands for.
        # A number is replaced, not extended: Tab to a copy count of 1 and type 3 gave 13, a
        # scale-up the user never meant. Text is edited in place, as it is everywhere else.
        numeric = spec.kind in ("integer", "float") and role == "value"
        super().__init__(value=printable(value), suggester=suggester, compact=True, select_on_focus=numeric, **kw)
        self.spec, self.path, self.role = spec, path, role

    @property
    def real_value(self) -> str:
        """The value the box stands for: its shown text with the escapes read back."""
        return unprintable(self.value)

    def show_real(self, value: str) -> None:
        """Put ``value`` in the box, escaped for display."""
        self.value = printable(value)


class TriState(Static, can_focus=True):
    """An optional boolean: unset (not sent), true or false. Space or Enter cycles."""

    DEFAULT_CSS = """
    TriState { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    TriState:focus { background: $accent 30%; }
    """
    BINDINGS = [Binding("space,enter", "cycle", "Toggle", show=False)]

    class Changed(Message):
        def __init__(self, widget: TriState) -> None:
            super().__init__()
            self.widget = widget

    def __init__(self, spec: FieldSpec, path: Path, value: bool | None) -> None:
        super().__init__()
        self.spec, self.path, self.value = spec, path, value

    class Refused(Message):
        """Text typed on the toggle that it cannot take: the form says so, in place."""

        def __init__(self, widget: TriState, text: str) -> None:
            super().__init__()
            self.widget, self.text = widget, text

    def render(self) -> str:
        return {None: "— (not set)", True: "true", False: "false"}[self.value]

    def on_key(self, event: events.Key) -> None:
        # Letters typed here used to vanish without a word. They are not a value either (the
        # "t" of a mistyped word must not set true): the form reports them instead.
        if event.is_printable and event.character and event.key != "space":
            event.stop()
            event.prevent_default()
            self.post_message(self.Refused(self, event.character))


class SectionRow(Static, can_focus=True):
    """The header of a structure, list, map or list item: Enter opens or closes it.

    On a list or map header ``+`` adds an item; on an item header ``-`` removes it.
    """

    DEFAULT_CSS = """
    SectionRow { height: 1; width: 1fr; }
    SectionRow:focus { background: $accent 30%; }
    SectionRow.-invalid { color: $error; }
    """
    BINDINGS = [
        Binding("enter,space", "flip", "Open/close", show=False),
        Binding("right", "open(True)", "Open", show=False),
        Binding("left", "open(False)", "Close", show=False),
        # No letters: a letter typed on a header is text for the section's first field (see
        # on_key), so "ax" typed here never adds and removes items behind the user's back.
        Binding("plus", "add", "Add item", show=False),
        Binding("minus,delete", "remove", "Remove item", show=False),
    ]

    class Requested(Message):
        """The user asked to ``toggle``/``open``/``close``/``add``/``remove`` at ``path``."""

        def __init__(self, path: Path, what: str) -> None:
            super().__init__()
            self.path, self.what = path, what

    def __init__(self, spec: FieldSpec, path: Path, text: str, *, is_item: bool) -> None:
        super().__init__(text, markup=False)
        self.spec, self.path, self.is_item = spec, path, is_item

    class Typed(Message):
        """A character typed while this header had focus: it belongs in the section's first field."""

        def __init__(self, path: Path, character: str) -> None:
            super().__init__()
            self.path, self.character = path, character

    def on_key(self, event: events.Key) -> None:
        # Typing after Shift+Tab lands here; dropping it silently lost what the user typed.
        if event.is_printable and event.character and event.key not in ("plus", "minus", "space"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(self.path, event.character))

    def action_flip(self) -> None:
        self.post_message(self.Requested(self.path, "toggle"))

    def action_open(self, state: bool) -> None:
        self.post_message(self.Requested(self.path, "open" if state else "close"))

    def action_add(self) -> None:
        if self.spec.kind in ("list", "map") and not self.is_item:
            self.post_message(self.Requested(self.path, "add"))

    def action_remove(self) -> None:
        if self.is_item:
            self.post_message(self.Requested(self.path, "remove"))
        elif self.spec.kind in ("list", "map"):
            self.post_message(self.Requested(self.path, "remove-last"))


class FieldRow(Vertical):
    """One field: a label and its editor on one line, problems on the lines below."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Horizontal { height: 1; }
    FieldRow .label { width: 30; height: 1; color: $text-muted; }
    FieldRow .label.-required { color: $text; }
    FieldRow .problem { height: auto; color: $error; padding-left: 2; }
    FieldRow .eq { width: 3; height: 1; content-align: center middle; }
    """

    def __init__(self, path: Path, label: str, editors: Sequence[Any], *, required: bool) -> None:
        super().__init__()
        self.path, self.label_text, self.editors, self.required = path, label, list(editors), required
        self._shown: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label_text, classes="label -required" if self.required else "label", markup=False)
            for index, editor in enumerate(self.editors):
                if index:
                    yield Label("=", classes="eq")
                yield editor
        yield Static("", classes="problem", markup=False)

    def show_problems(self, messages: Sequence[str]) -> None:
        # Called for every row on every keystroke: an unchanged row must not re-layout.
        shown = tuple(messages)
        if shown == self._shown:
            return
        self._shown = shown
        problem = self.query_one(".problem", Static)
        problem.update("\n".join(f"⚠ {m}" for m in messages))
        problem.display = bool(messages)
        for editor in self.editors:
            editor.set_class(bool(messages), "-invalid")


def _label(name: str, depth: int, required: bool) -> str:
    text = "  " * depth + name + (" *" if required else "")
    return text if len(text) <= 29 else text[:28] + "…"


def _count(model: FormModel, path: Path) -> int:
    value = model.get(path)
    return len(value) if isinstance(value, list) else 0


def build_rows(model: FormModel, is_open: Any) -> Iterator[Any]:
    """Every visible row of ``model``'s form; ``is_open(path, spec)`` says which sections are open."""
    for child in model.root.children:
        yield from _rows(model, child, (child.name,), 0, child.name, is_open)


def _rows(model: FormModel, spec: FieldSpec, path: Path, depth: int, label: str, is_open: Any) -> Iterator[Any]:
    required = spec.required and not isinstance(path[-1], int)
    if spec.kind == "boolean":
        value = model.get(path)
        yield FieldRow(path, _label(label, depth, required), [TriState(spec, path, value)], required=required)
        return
    if spec.is_scalar:
        raw = model.get(path)
        editor = FieldInput(spec, path, "" if raw is None else str(raw), placeholder=_placeholder(spec))
        yield FieldRow(path, _label(label, depth, required), [editor], required=required)
        return
    opened = is_open(path, spec)
    arrow = "▼" if opened else "▶"
    is_item = isinstance(path[-1], int)
    if spec.kind == "structure":
        hint = f"{len(spec.children)} field{'' if len(spec.children) == 1 else 's'}"
    else:
        limit = spec.metadata.get("max")
        noun = "entries" if spec.kind == "map" else "items"
        hint = f"{_count(model, path)}{f'/{limit}' if limit else ''} {noun}"
        hint += "  + add" + ("  - remove last" if _count(model, path) else "")
    if is_item:
        hint = "- remove"
    header = "  " * depth + f"{arrow} {label}{' *' if required else ''}  ({hint})"
    yield SectionRow(spec, path, header, is_item=is_item)
    if not opened:
        return
    if spec.kind == "structure":
        for child in spec.children:
            yield from _rows(model, child, (*path, child.name), depth + 1, child.name, is_open)
    elif spec.kind == "list":
        for index in range(_count(model, path)):
            yield from _item_rows(model, spec, (*path, index), depth + 1, is_open)
    elif spec.kind == "map":
        for index in range(_count(model, path)):
            yield from _entry_rows(model, spec, (*path, index), depth + 1, is_open)


def _item_rows(model: FormModel, spec: FieldSpec, path: Path, depth: int, is_open: Any) -> Iterator[Any]:
    index = path[-1]
    assert isinstance(index, int)
    if spec.is_tags:
        key, value = (*path, "Key"), (*path, "Value")
        item = spec.item
        editors = [
            FieldInput(item.child("Key") or item, key, str(model.get(key) or ""), placeholder="key"),
            FieldInput(item.child("Value") or item, value, str(model.get(value) or ""), placeholder="value"),
        ]
        yield FieldRow(path, _label(f"[{index + 1}]", depth, False), editors, required=False)
        return
    yield from _rows(model, spec.item, path, depth, f"[{index + 1}]", is_open)


def _entry_rows(model: FormModel, spec: FieldSpec, path: Path, depth: int, is_open: Any) -> Iterator[Any]:
    index = path[-1]
    assert isinstance(index, int)
    key_editor = FieldInput(spec.key, path, model.map_key(path), role="key", placeholder="key")
    if spec.value.is_scalar and spec.value.kind != "boolean":
        raw = model.get(path)
        value_editor = FieldInput(spec.value, path, "" if raw is None else str(raw), placeholder="value")
        yield FieldRow(path, _label(f"[{index + 1}]", depth, False), [key_editor, value_editor], required=False)
        return
    yield FieldRow(path, _label(f"[{index + 1}] key", depth, False), [key_editor], required=False)
    yield from _rows(model, spec.value, path, depth + 1, "value", is_open)


def _placeholder(spec: FieldSpec) -> str:
    if spec.kind == "enum":
        return "type to complete · Enter lists all"
    if spec.kind == "timestamp":
        return "2025-01-31T12:00:00Z"
    return spec.limits()[:60]


class EnumPicker(ModalScreen[str | None]):
    """A searchable list of an enum's values (instance types have hundreds)."""

    DEFAULT_CSS = """
    EnumPicker { align: center middle; }
    EnumPicker > Vertical {
        width: 60; max-width: 100%; height: 80%; border: round $accent; background: $surface;
    }
    EnumPicker Input { height: 1; border: none; padding: 0 1; }
    EnumPicker OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="enum.cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, title: str, values: Sequence[str], current: str = "", *, allow_unset: bool = True) -> None:
        super().__init__()
        self.title_text, self.values, self.current, self.allow_unset = (
            title,
            list(values),
            current,
            allow_unset,
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            yield Input(value=self.current, placeholder="filter", compact=True)
            yield OptionList()

    def on_mount(self) -> None:
        self._fill(self.current if self.current not in self.values else "")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().lower()
        starts = [v for v in self.values if v.lower().startswith(needle)]
        inside = [v for v in self.values if needle in v.lower() and v not in starts]
        options = [Option(v, id=v) for v in starts + inside]
        if self.allow_unset and not needle:
            options.insert(0, Option("— (not set)", id=""))
        picker = self.query_one(OptionList)
        picker.clear_options()
        picker.add_options(options)
        if options:
            ids = [o.id for o in options]
            picker.highlighted = ids.index(self.current) if self.current in ids else 0

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _choose_highlighted(self) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is not None:
            self.dismiss(picker.get_option_at_index(picker.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_move(self, step: int) -> None:
        picker = self.query_one(OptionList)
        if picker.option_count:
            current = picker.highlighted if picker.highlighted is not None else -step
            picker.highlighted = max(0, min(picker.option_count - 1, current + step))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
