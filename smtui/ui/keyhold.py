"""Keys typed while a form is opening, replayed into it in the order they were typed.

Over a slow SSH link ``W``, Tab, Tab, ``7`` arrive in one burst. The form takes a moment to
build, so without a hold the Tabs and digits went to the list behind it (the digits sorted
columns) or landed in whichever field had focus first. The app starts a hold when an action
key fires, keeps every key that reaches it meanwhile, and the form replays them once its
fields exist; when no form opens, the keys go back to the app as they were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual.app import App

HELD_KEYS = frozenset({"enter", "backspace", "delete", "tab", "shift+tab", "left", "right", "home", "end"})

Held = tuple[str, "str | None"]


@dataclass
class KeyHold:
    """A short-lived buffer of key events (``seconds`` at most, so nothing is held for good)."""

    seconds: float = 8.0
    """Long enough for a form that describes its resource first over a slow link (a held
    key is released early whenever no form comes); short enough that nothing is held for good."""
    keys: list[Held] | None = None
    since: float = 0.0
    released: list[Held] = field(default_factory=list)

    def start(self) -> None:
        """Hold from now on (an action key fired)."""
        self.keys, self.since = [], time.monotonic()

    def active(self) -> bool:
        return self.keys is not None and time.monotonic() - self.since < self.seconds

    def hold(self, event: events.Key) -> bool:
        """Keep ``event`` if a hold is on and it is a key a form would take; True if kept."""
        if not self.active() or not (event.is_printable or event.key in HELD_KEYS):
            return False
        assert self.keys is not None
        self.keys.append((event.key, event.character))
        return True

    def take(self) -> list[Held]:
        """The held keys, in order; the hold ends."""
        keys, self.keys = self.keys or [], None
        return keys

    def release(self, app: App[Any]) -> None:
        """No form is coming: give the held keys back to the app, in order."""
        for key, character in self.take():
            app.post_message(events.Key(key, character))
