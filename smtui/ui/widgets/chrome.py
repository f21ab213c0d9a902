"""The frame around every screen: context bar (profile/region/account/endpoint), breadcrumbs,
status line and the in-place error banner."""

from __future__ import annotations

import logging
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from smtui.aws.errors import AwsError
from smtui.text import printable
from smtui.ui.theme import content_style as role

log = logging.getLogger("smtui.ui")


def without_userinfo(url: str) -> str:
    """``https://user:secret@host`` -> ``https://host``: the header is seen over shoulders."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"


class ContextBar(Static):
    """One line: which account and region the user is looking at. Always visible, never guessed."""

    # Not named ``region``: Widget.region is the widget's screen area.
    profile_name: reactive[str] = reactive("")
    region_name: reactive[str] = reactive("")
    account: reactive[str] = reactive("…")
    endpoint: reactive[str] = reactive("")
    read_only: reactive[bool] = reactive(False)
    in_flight: reactive[str] = reactive("")
    """The changes sent and not yet answered: a write in flight is never invisible."""

    def render(self) -> Content:
        # Content styles name theme variables, resolved at paint time: a theme switch repaints it.
        parts: list[tuple[str, str] | str] = [
            (" smtui ", role("brand")),
            # A profile name comes from the user's AWS config, the account from STS: outside text.
            (f" profile:{printable(self.profile_name)} ", role("strong")),
            (f"region:{printable(self.region_name)} ", role("accent")),
            f"account:{printable(self.account)} ",
        ]
        if self.read_only:
            parts.append((" READ-ONLY ", role("badge")))
        if self.in_flight:
            parts.append((f" sending {printable(self.in_flight)}… ", role("badge")))
        if self.endpoint:
            # Last, and the one part that gives way at 80 columns: READ-ONLY and a write in
            # flight must never be the text cut off the edge.
            endpoint = printable(without_userinfo(self.endpoint))
            room = self._width() - Content.assemble(*parts).cell_length - 1
            label = f"endpoint:{endpoint}"
            if len(label) > room:
                label = endpoint
            if len(label) > room > 1:
                label = "…" + label[-(room - 1) :]
            parts.append((f"{label} ", role("muted")))
        return Content.assemble(*parts)

    def _width(self) -> int:
        if self.size.width:
            return self.size.width
        try:
            return self.app.size.width
        except Exception:  # rendered outside an app (a test of what it prints): no edge to cut at
            return 1_000

    def on_resize(self, event: Resize) -> None:
        self.refresh()


class Crumbs(Static):
    """Breadcrumbs: how the user got here (Esc walks back). Too long for the line, they are
    cut from the left ("… › Nodes(llm) › i-0d23…"), so the current view is always visible."""

    parts: list[str] = []

    def set_path(self, parts: list[str]) -> None:
        # A crumb holds a resource's name, the service's text: shown through printable.
        self.parts = [printable(part) for part in parts]
        self._paint()

    def on_resize(self, event: Resize) -> None:
        self._paint()

    def _paint(self) -> None:
        parts = self.parts
        width = self.size.width or self.app.size.width
        sep = " › "
        # Drop whole crumbs from the left while the line is too long; keep at least the last.
        start = 0
        while start < len(parts) - 1 and cell_len(("… › " if start else "") + sep.join(parts[start:])) > width:
            start += 1
        lead = "… › " if start else ""
        shown = parts[start:]
        pieces: list[tuple[str, str] | str] = [(lead, role("muted"))] if lead else []
        for i, part in enumerate(shown):
            if i:
                pieces.append((sep, role("muted")))
            if i < len(shown) - 1:
                pieces.append(part)
                continue
            room = width - cell_len(lead + sep.join(shown[:-1]) + (sep if i else ""))
            if 1 < room < cell_len(part):
                part = "…" + part[-(room - 1) :]  # the end of a long name is what tells it apart
            pieces.append((part, role("current")))
        self.update(Content.assemble(*pieces))


class _PlainStatic(Static):
    """A Static whose strings are never read as markup: what it shows holds outside text (a
    status, a typed filter, an error), and a ``[link=…]`` there must not become a link."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class KeyFooter(Footer):
    """The footer, fitted to the width: the keys that matter most on this screen stay.

    Textual's footer cuts whatever does not fit ("? Hel" at 80 columns). This one keeps the
    app's keys (``:`` and ``?``, which lead to everything else) and the action menu, then the
    screen's keys in the order the screen declares them, dropping the last ones first; ``?``
    lists every key.
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        entries = []
        seen: set[str] = set()
        # A root view (:burning) has nothing to go back to: "esc Back" there was a key that
        # only said so. Esc still closes its filter.
        at_root = self.screen in self.app.screen_stack[:2]
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen or (at_root and binding.action == "back"):
                continue
            seen.add(binding.action)
            display = self.app.get_key_display(binding)
            rank = 0 if node is self.app else (1 if binding.id == "action.menu" else 2)
            cells = cell_len(display) + cell_len(binding.description) + 3
            entries.append((rank, binding, enabled, tooltip, display, cells))
        kept = list(entries)
        # Lowest priority first: rank 2 before 1 before 0, and within a rank the last declared.
        for entry in sorted(entries, key=lambda e: (-e[0], -entries.index(e))):
            if sum(e[5] for e in kept) <= width:
                break
            kept.remove(entry)
        self.styles.grid_size_columns = len(kept)
        for _rank, binding, enabled, tooltip, display, _cells in kept:
            yield FooterKey(
                binding.key, display, binding.description, binding.action, disabled=not enabled, tooltip=tooltip
            ).data_bind(compact=Footer.compact)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)


class StatusLine(_PlainStatic):
    """'1,234 loaded · loading…' plus poll/throttle state and the active filter."""

    _shown: object = None

    def update(self, content: Any = "", *, layout: bool = False) -> None:
        # Every idle poll re-sends the same line; repainting it costs bytes over SSH.
        key = str(content)
        if key == self._shown:
            return
        self._shown = key
        # One line whatever it says (height 1 in the stylesheet; a long line is cut): no
        # layout. With one, every page of a streaming list cost a layout of the whole screen,
        # about half of the frame time of a 20,000-row load.
        super().update(content, layout=layout)


class ErrorBanner(_PlainStatic):
    """The error of this view, with what to do. Shown in place; the rest of the app stays usable."""

    _last = ""

    def show_error(self, error: AwsError | str) -> None:
        if str(error) != self._last:  # a poll that keeps failing logs once, not every tick
            self._last = str(error)
            log.warning("shown to the user: %s", error)
        if isinstance(error, AwsError):
            text = Content.assemble((f"✖ {error.message}", role("strong")), f"\n  → {error.hint}" if error.hint else "")
        else:
            text = Content.styled(f"✖ {error}", role("strong"))  # callers pass text already shown
        self.update(text)
        self.display = True

    def clear(self) -> None:
        self._last = ""
        self.update("")
        self.display = False


def view_header() -> ComposeResult:
    """The top of every view: who and where (ContextBar), how the user got here (Crumbs),
    and what went wrong (ErrorBanner, hidden until something does). One place, so no view
    can forget the account it acts in."""
    yield ContextBar(id="context")
    yield Crumbs(id="crumbs")
    yield ErrorBanner(id="error")


def view_footer() -> ComposeResult:
    """The bottom of a view with live state and keys: the status line, then the footer."""
    yield StatusLine(id="status")
    yield KeyFooter(show_command_palette=False)
