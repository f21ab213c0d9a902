"""What every full-screen view of smtui shares: the service and catalogue it was built with,
and telling the app when it is shown (so the header and breadcrumbs are current)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input

from smtui.catalog import Catalog, ResourceType
from smtui.forms.actions import ACTION_KEYS, ACTION_MENU_KEY, label_of
from smtui.service import Service
from smtui.text import printable
from smtui.ui.keyhold import KeyHold
from smtui.ui.messages import ScreenShown


class ViewScreen(Screen[None]):
    """A view. It receives the :class:`Service` and the :class:`Catalog`; it posts messages up."""

    def __init__(self, service: Service, catalog: Catalog) -> None:
        super().__init__()
        self.service = service
        self.catalog = catalog

    def on_mount(self) -> None:
        # The header is filled in here, before the first paint: posted, ScreenShown reached the
        # app a frame late, and every ':' switch showed a blank header (no profile, no region)
        # for that frame. The app's decorate, looked up like take_typeahead (no cast).
        decorate = getattr(self.app, "decorate", None)
        if callable(decorate):
            decorate(self)
        else:
            self.post_message(ScreenShown(self))

    def on_screen_resume(self) -> None:
        self.post_message(ScreenShown(self))

    def on_key(self, event: events.Key) -> None:
        """An action key that does nothing here says why: read-only mode, or a type without
        that action (W on an MLflow app). Textual drops a key whose binding is off in silence,
        and a silent key reads as a hung console."""
        if not self.offers_actions or isinstance(self.focused, Input):
            return
        verbs = [verb for verb, key in ACTION_KEYS.items() if key == event.key]
        if not self.service.read_only:
            if event.key in self.active_bindings:
                return  # the key does something here
            reason = self.unavailable_reason(event.key, verbs)
            if reason:
                event.stop()
                self.notify(reason, severity="warning", markup=False)
            return
        if event.key == ACTION_MENU_KEY or verbs:
            event.stop()
            what = label_of(verbs[0]) if verbs else "Actions"
            self.notify(
                f"read-only: {what} is off because {self.service.read_only_reason()}",
                severity="warning",
                markup=False,
            )

    def unavailable_reason(self, key: str, verbs: list[str]) -> str:
        """Why ``key`` (bound to ``verbs``) does nothing on this view, or "" if it is not ours."""
        rtype: ResourceType | None = getattr(self, "rtype", None)
        if rtype is None:
            return ""
        if verbs:
            shown = key.replace("ctrl+", "Ctrl+")
            labels = " or ".join(label_of(v).lower() for v in verbs)
            return f"{rtype.title}: {shown} does nothing here (no {labels}); Ctrl+X lists what can be done"
        if key == "ctrl+t":
            return "Ctrl+T copies the SSM session command of a HyperPod node: open one from :nodes"
        return ""

    def say_unbound(self, event: events.Key) -> None:
        """A letter no key of this view uses says so, once it has gone past every binding and
        jump: in silence, ``z`` on a list read as a console that had stopped listening."""
        char = event.character
        if not char or len(char) != 1 or not char.isalpha() or event.key in self.active_bindings:
            return
        if event.key in ACTION_KEYS.values():
            return  # an action key this type lacks: on_key says which action, once
        if isinstance(self.focused, Input) or not self.is_current:
            return
        event.stop()
        self.notify(f"{char} does nothing here; ? lists this view's keys", timeout=3, markup=False)

    types_after_slash = False
    """Whether ``/`` opens a text box here (filter, search): the app then holds the keys typed
    right after it, and :meth:`open_text_box` types them into the box."""

    def open_text_box(self, box: Input) -> None:
        """Show and focus ``box``. Over a slow link ``/research`` arrives in one read, and the
        letters reached the view (``r`` reloaded, ``E`` opened a form) before the box had focus;
        the app held them, and they are typed into the box here, in order."""
        box.display = True
        box.focus()
        self.call_after_refresh(self._replay_into, box)

    async def _replay_into(self, box: Input) -> None:
        take = getattr(self.app, "take_typeahead", None)
        keys: list[str] = take() if callable(take) else []
        for at, key in enumerate(keys):
            if key == "enter":
                box.cursor_position = len(box.value)
                await box.action_submit()
                for later in keys[at + 1 :]:  # what came after Enter goes to the view, in order
                    named = later if len(later) > 1 else None
                    self.app.post_message(events.Key(named or later, None if named else later))
                return
            box.value = box.value[:-1] if key == "backspace" else box.value + key
        box.cursor_position = len(box.value)

    key_hold: KeyHold | None = None
    """The app's hold of keys typed while a form opens (set by the app when it builds the view)."""

    offers_actions = False
    """Whether this view has the action keys (lists and describe views do)."""

    help_section = ""
    """The section of help (:data:`smtui.ui.screens.help.KEYS`) holding this view's keys."""

    def copy_text(self, text: str) -> None:
        """Copy with OSC 52, which reaches the local clipboard even over SSH."""
        self.app.copy_to_clipboard(text)
        shown = printable(text if len(text) <= 60 else text[:57] + "…")  # a value from the service
        self.notify(f"copied {shown}")


class ResourceScreen(ViewScreen):
    """A view of one resource (describe, logs, timeline): its type, its record (a list row,
    or more) and the List* parameters it was listed with."""

    def __init__(
        self,
        service: Service,
        catalog: Catalog,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(service, catalog)
        self.rtype = rtype
        self.record = dict(record)
        self.list_params = dict(list_params or {})
