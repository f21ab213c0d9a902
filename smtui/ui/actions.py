"""Action keys shared by the list and describe screens (create, edit, delete, stop, …).

One binding per verb, hidden by ``check_action`` where the type has no such operation, so
the footer only ever shows what can be done here — and nothing at all in read-only mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from smtui.catalog import ResourceType
from smtui.forms.actions import ACTION_KEYS, ACTION_MENU_KEY, actions_for, label_of

if TYPE_CHECKING:
    from smtui.ui.app import SmtuiApp

# The footer has room for a few at 80 columns; ? and Ctrl+X list the rest.
_SHOWN = {"update", "delete", "scale"}

ACTION_BINDINGS: list[Binding] = [
    *(
        Binding(key, f"act('{verb}')", label_of(verb), show=verb in _SHOWN, id=f"action.{verb}")
        for verb, key in ACTION_KEYS.items()
    ),
    Binding(ACTION_MENU_KEY, "act('menu')", "Actions", id="action.menu"),
]


def action_available(app: SmtuiApp, rtype: ResourceType, verb: str) -> bool:
    """Whether ``verb`` is offered for ``rtype`` right now (never in read-only mode)."""
    if app.target.read_only:
        return False
    if verb == "menu":
        return bool(actions_for(rtype, read_only=False))
    return rtype.action(verb) is not None
