"""The ``:`` command line: fuzzy-completes resource types and aliases, runs app commands."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.keys import _character_to_key
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from smtui.text import has_unsafe, printable
from smtui.ui.registry import CommandRegistry
from smtui.ui.theme import content_style


class CommandScreen(ModalScreen[None]):
    """A one-line prompt at the bottom, with completions above it (Tab completes)."""

    BINDINGS = [
        Binding("escape", "dismiss_prompt", "Close", id="command.close"),
        Binding("tab", "complete", "Complete", id="command.complete"),
        Binding("down", "move(1)", "Next", show=False, id="command.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="command.previous"),
    ]

    def __init__(
        self,
        registry: CommandRegistry,
        *,
        check: Callable[[str], str | None],
        run: Callable[[str], str | None],
        typeahead: Callable[[], list[str]],
    ) -> None:
        super().__init__()
        self.registry = registry
        self.catalog = registry.catalog
        self.check, self.run, self.typeahead = check, run, typeahead

    def compose(self) -> ComposeResult:
        with Vertical(id="command-box"):
            yield OptionList(id="completions")
            yield Static(id="command-error")
            yield Input(placeholder=":ic  :tj failed  :hp  :profile NAME  :region NAME  :q", id="command-input")

    def on_mount(self) -> None:
        self.query_one("#command-error", Static).display = False
        self.refresh_completions("")
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        # The screen is installed once and reused, so it opens instantly.
        box = self.query_one(Input)
        box.value = ""
        self.refresh_completions("")
        box.focus()
        # Focus lands on the next refresh; keys typed until then are held by the app.
        self.call_after_refresh(self._replay_typeahead)

    async def _replay_typeahead(self) -> None:
        box = self.query_one(Input)
        keys = self.typeahead()
        for at, key in enumerate(keys):
            if key == "enter":
                box.cursor_position = len(box.value)
                rest = keys[at + 1 :]
                await box.action_submit()
                # ":ic⏎:hp⏎" in one burst: what came after the Enter is typed again, in order,
                # once this command has run (the next ':' opens the prompt again).
                if rest:
                    self.app.call_after_refresh(self._type_again, rest)
                return
            box.value = box.value[:-1] if key == "backspace" else box.value + key
        box.cursor_position = len(box.value)

    def _type_again(self, keys: list[str], tries: int = 50) -> None:
        """Post held keys to the app as if typed now, once the prompt has closed."""
        if self.app.screen is self and tries:
            self.app.set_timer(0.02, lambda: self._type_again(keys, tries - 1))
            return
        for key in keys:
            char = key if len(key) == 1 else None
            self.app.post_message(events.Key(_character_to_key(key) if char else key, char))

    def refresh_completions(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        head = text.strip().lstrip(":").split(" ")[0].lower()
        found: list[Option] = []
        # One line per completion: wrapped, ':pipeline-executions' took two lines at 80 columns
        # and its aliases read as a completion of their own.
        width = max(20, (options.scrollable_content_region.width or self.app.size.width) - 2)
        for command in self.registry.completions(head):
            name, what = f":{command.name}", f"  {command.help}"
            usage = f"  {command.usage}" if command.usage else ""
            if len(name) + len(what) + len(usage) > width:
                usage = ""
            found.append(
                Option(
                    Content.assemble(
                        (name, content_style("strong")),
                        _cut(what, width - len(name)),
                        (usage, content_style("muted")),
                    ),
                    id=f"cmd:{command.name}",
                )
            )
        for rtype in self.catalog.complete(head, limit=8) if head else self.catalog.curated()[:8]:
            name, title = f":{rtype.name}", f"  {rtype.title}"
            room = width - len(name) - len(title) - 2
            # The shortest aliases first: they are the ones worth typing.
            aliases = sorted(rtype.aliases, key=len)[:3]
            while aliases and len(", ".join(aliases)) > room:
                aliases.pop()
            found.append(
                Option(
                    Content.assemble(
                        (name, content_style("strong")),
                        _cut(title, width - len(name)),
                        (f"  {', '.join(aliases)}" if aliases else "", content_style("muted")),
                    ),
                    id=rtype.name,
                )
            )
        options.add_options(found)
        if found:
            options.highlighted = 0
        options.display = bool(found)

    @on(Input.Changed, "#command-input")
    def _changed(self, event: Input.Changed) -> None:
        if has_unsafe(event.value):  # a pasted control character would be painted raw by the Input
            # printable() doubles backslashes, so comparing its output with the input would
            # never settle: test for what needs escaping instead.
            event.input.value = printable(event.value)
            return
        self.query_one("#command-error", Static).display = False
        self.refresh_completions(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def action_complete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return
        option = options.get_option_at_index(options.highlighted)
        box = self.query_one(Input)
        rest = box.value.strip().lstrip(":").split(" ", 1)
        tail = f" {rest[1]}" if len(rest) > 1 else ""
        name = (option.id or "").removeprefix("cmd:")
        box.value = f"{name}{tail}"
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip(":")
        if not text:
            self.dismiss()
            return
        head = text.split(" ")[0].lower()
        if not self.registry.known(head):
            # Accept the highlighted completion for a partial word ("trai" -> training-jobs).
            options = self.query_one(OptionList)
            if options.highlighted is not None and options.option_count:
                chosen = (options.get_option_at_index(options.highlighted).id or "").removeprefix("cmd:")
                rest = text.split(" ", 1)
                text = chosen + (f" {rest[1]}" if len(rest) > 1 else "")
        error = self.check(text)
        if error:
            # Said where it was typed; the text stays for fixing.
            box = self.query_one("#command-error", Static)
            box.update(Content.styled(f"✖ {error}", content_style("error")))
            box.display = True
            return
        self.dismiss()
        error = self.run(text)
        if error:  # a failure only running could reveal
            self.app.notify(error, severity="error", title=f":{text}", markup=False)

    def action_dismiss_prompt(self) -> None:
        self.dismiss()


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
