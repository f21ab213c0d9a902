"""Making outside text safe to paint: control characters shown as escapes, unambiguously.

Free text from the service, the command line, a draft or a config file (failure reasons,
tags, error messages, form values) can hold anything. Painted raw, an ESC would reach the
terminal as a sequence (clear the screen, retitle the window, write the clipboard with OSC
52), and a bidi override would make the screen lie about what it shows. So every such string
goes through :func:`printable` before a widget shows it.

The escaping is unambiguous: a literal backslash is shown doubled, so a real ESC (``\\x1b``)
never looks like the four characters ``\\x1b``, and :func:`unprintable` turns the shown text
back into the exact original (form inputs edit the shown text and keep the real value).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the bidi embeddings/overrides/isolates and marks, and the Unicode
# line and paragraph separators (AWS's tag pattern admits them; terminals treat them oddly).
_OTHER_UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_ESCAPE = re.compile(f"[\\\\\x00-\x1f{_OTHER_UNSAFE}]")
_ESCAPE_BUT_LINES = re.compile(f"[\\\\\x00-\x08\x0b-\x1f{_OTHER_UNSAFE}]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Just the C0/C1 controls (what a terminal would act on), for callers that test for or
replace them."""
UNSAFE = re.compile(f"[\x00-\x1f{_OTHER_UNSAFE}]")
"""Everything :func:`printable` escapes but the backslash: what must never reach a terminal raw."""
UNSAFE_BEYOND_C0 = re.compile(f"[{_OTHER_UNSAFE}]")
"""The unsafe characters that are not C0 controls (what ``json.dumps`` leaves raw)."""
_SHOWN_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|n|t|r)")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every unsafe character shown as its escape (``\\x1b``, ``\\n``,
    ``\\u202e``) and every backslash doubled.

    ``keep_lines`` keeps newlines and tabs (multi-line messages stay readable).
    """
    pattern = _ESCAPE_BUT_LINES if keep_lines else _ESCAPE
    if not pattern.search(text):
        return text
    return pattern.sub(_escape, text)


def unprintable(shown: str) -> str:
    """The exact text :func:`printable` (without ``keep_lines``) was given to show ``shown``.

    Only the escapes :func:`printable` writes are read back; any other backslash stays as it
    is, so a value typed by hand with a single backslash keeps it.
    """
    if "\\" not in shown:
        return shown

    def back(match: re.Match[str]) -> str:
        body = match.group(1)
        if body == "\\":
            return "\\"
        if body in ("n", "t", "r"):
            return {"n": "\n", "t": "\t", "r": "\r"}[body]
        return chr(int(body[1:], 16))

    return _SHOWN_ESCAPE.sub(back, shown)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a C0/C1 control character."""
    return bool(CONTROL.search(text))


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds anything :func:`printable` escapes, backslashes aside."""
    return bool(_ESCAPE.search(text.replace("\\", "")))


def without_unsafe(text: str) -> str:
    """``text`` with every unsafe character dropped: the terminal boundary's last resort.

    Idempotent, unlike :func:`printable`, so it can run on text that was escaped already; and
    every character it drops is zero-width, so a line it cleans keeps its painted width.
    """
    return UNSAFE.sub("", text) if UNSAFE.search(text) else text
