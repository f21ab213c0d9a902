"""Making outside text safe to paint: control characters shown as escapes.

Free text from the service, the command line or a config file (failure reasons, tags, error
messages, flags) can hold anything. Painted raw, an ESC would reach the terminal as a
sequence (clear the screen, retitle the window, write the clipboard with OSC 52).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``, ``\\n``).

    ``keep_lines`` keeps newlines and tabs (multi-line messages stay readable).
    """
    pattern = _CONTROL_BUT_LINES if keep_lines else _CONTROL
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: repr(m.group())[1:-1], text)
