"""Keep a lone Escape that arrives in the same read as the next key.

A terminal sends Escape as the byte ESC, and Alt+X as ESC followed by X. Over a slow link
(SSH, tmux) a user's Escape and the keys after it come in one read, so Textual's parser
takes ``ESC :`` for Alt+: and, having no name for that, drops the Escape: ``Esc :ep``
typed to leave the help screen left help open and lost the ``:``.

smtui binds no Alt key, so an ESC before a printable key is always the user's Escape:
this parser reports Escape and then the key. The driver builds its parser from the name in
its module, which :func:`install` points here before the app starts its driver.
"""

from __future__ import annotations

from collections.abc import Iterable

import textual.drivers.linux_driver
from textual import events
from textual._xterm_parser import XTermParser


class OrderedParser(XTermParser):
    """Textual's parser, with ESC+key read as Escape, then key."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if not alt:
            yield from super()._sequence_to_key_events(sequence)
            return
        yield events.Key("escape", "\x1b")
        yield from super()._sequence_to_key_events(sequence)


def install() -> None:
    """Make the Linux driver (the one a terminal uses) build :class:`OrderedParser`."""
    # The driver looks the name up in its module when its input thread starts.
    vars(textual.drivers.linux_driver)["XTermParser"] = OrderedParser
