"""Action keys shared by the list and describe screens (create, edit, delete, stop, …).

One binding per verb, hidden by ``check_action`` where the type has no such operation, so
the footer only ever shows what can be done here — and nothing at all in read-only mode.
"""

from __future__ import annotations

from textual.binding import Binding

from smtui.forms.actions import ACTION_KEYS, ACTION_MENU_KEY, label_of

# The footer has room for a few at 80 columns; ? and Ctrl+X list the rest.
_SHOWN = {"update", "delete", "scale"}

ACTION_BINDINGS: list[Binding] = [
    *(
        Binding(key, f"act('{verb}')", label_of(verb), show=verb in _SHOWN, id=f"action.{verb}")
        for verb, key in ACTION_KEYS.items()
    ),
    Binding(ACTION_MENU_KEY, "act('menu')", "Actions", id="action.menu"),
]
