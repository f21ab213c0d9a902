"""The terminal boundary: the one step every painted character passes before it becomes bytes.

Outside text (names, tags, failure reasons, error messages, draft and config values) is shown
through :func:`smtui.text.printable` where a widget is given it, so a control character reads
as ``\\x1b`` and a backslash as ``\\\\``. That is what makes the display unambiguous, and it is
done at each source. This module is the guarantee behind it: whatever a widget paints, Textual
turns it into terminal output in :meth:`textual.strip.Strip.render`, and here that step drops
every control, bidi and line-separator character from the painted text and every hyperlink
from its styles. Textual's own sequences (cursor moves, colours, modes) are written around the
text, never inside it, so they are untouched; a string that slipped past ``printable`` in some
corner can still never retitle the window, clear the screen, write the clipboard (OSC 52) or
open a link (OSC 8). smtui shows no hyperlinks of its own, so dropping every link costs nothing.

The dropped characters are all zero-width, so a cleaned line keeps the width it was laid out
with. The check runs once per strip (Textual caches the rendered strip). Textual is pinned, and
this hooks one method of it: ``tests/app/test_injection.py`` fails if an upgrade moves it.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from smtui.text import UNSAFE, without_unsafe

_textual_render = Strip.render


def _unlinked(style: Style) -> Style:
    plain = style.copy()
    plain._link = None
    plain._link_id = ""
    return plain


def _safe_render(self: Strip, console: Console) -> str:
    if self._render_cache is None:
        segments: list[Any] = self._segments
        # One search over the joined text and one pass for links: the cheapest check found
        # (about 9 µs a strip on this class of host, against ~20 µs for a search per segment).
        if UNSAFE.search("".join([seg[0] for seg in segments])) or any(
            [seg[1] is not None and seg[1]._link for seg in segments]
        ):
            cleaned = [
                Segment(without_unsafe(text), _unlinked(style) if style is not None and style._link else style, control)
                for text, style, control in segments
            ]
            self._render_cache = _textual_render(Strip(cleaned), console)
    return _textual_render(self, console)


def install_terminal_boundary() -> None:
    """Route Textual's strip rendering through the boundary (idempotent; the app calls it)."""
    setattr(Strip, "render", _safe_render)  # noqa: B010 (mypy refuses assigning to a method)


def installed() -> bool:
    """Whether the boundary is in place (the tests check it, so removing it fails them)."""
    return Strip.render is _safe_render
