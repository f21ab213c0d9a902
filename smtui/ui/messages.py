"""What screens ask of the app. Messages go up; the service and the catalogue come down.

A screen never reaches into the App's methods: it posts one of these, and the App (which
owns the screen stack, the breadcrumbs and notifications) does the navigation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.message import Message
from textual.screen import Screen

from smtui.catalog import Jump, ResourceType
from smtui.live.source import RowPredicate
from smtui.service import Service


class ScreenShown(Message):
    """A screen was mounted or came back to the top: refresh its header and breadcrumbs."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen = screen


class OpenType(Message):
    """Open the list of ``rtype`` (``root`` replaces the view stack, as ``:`` does)."""

    def __init__(
        self,
        rtype: ResourceType,
        *,
        params: Mapping[str, Any] | None = None,
        match: Mapping[str, Any] | None = None,
        keep: RowPredicate | None = None,
        context: str = "",
        initial_filter: str = "",
        root: bool = False,
    ) -> None:
        super().__init__()
        self.rtype, self.params, self.match, self.keep = rtype, dict(params or {}), dict(match or {}), keep
        self.context, self.initial_filter, self.root = context, initial_filter, root


class OpenDescribe(Message):
    """Open the describe view of one resource."""

    def __init__(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        *,
        service: Service | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        """The row's own service (its region, in a list across regions); None: the app's."""
        self.rtype, self.record, self.list_params = rtype, dict(record), dict(list_params or {})


class FollowJump(Message):
    """Follow a related-resource jump from ``record`` (of ``source``)."""

    def __init__(
        self,
        source: ResourceType,
        jump: Jump,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None,
        *,
        service: Service | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.source, self.jump, self.record, self.list_params = source, jump, dict(record), dict(list_params or {})


class OpenLogs(Message):
    """Open the logs view of one resource (``l``)."""

    def __init__(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        *,
        service: Service | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        """The row's own service (its region, in a list across regions); None: the app's."""
        self.rtype, self.record, self.list_params = rtype, dict(record), dict(list_params or {})


class GoBack(Message):
    """Esc on a view: back to the previous one.

    It names the view it came from. Messages are handled after the keys that follow them, so
    over a slow link ``Esc :`` in one read reaches the app as GoBack after the ``:`` prompt has
    opened: going back then would close the prompt the user is typing in.
    """

    def __init__(self, view: object) -> None:
        super().__init__()
        self.view = view


class WriteInFlight(Message):
    """A change was sent (``done`` False) or its outcome is known (``done`` True): every view's
    context bar says so meanwhile, wherever the user goes."""

    def __init__(self, label: str, *, done: bool) -> None:
        super().__init__()
        self.label, self.done = label, done


class OpenBurning(Message):
    """Open the ``:burning`` view."""


class ResourceFailed(Message):
    """A watched resource just went to a failed state: say so wherever the user looks."""

    def __init__(self, rtype: ResourceType, key: str, status: str, reason: str) -> None:
        super().__init__()
        self.rtype, self.key, self.status, self.reason = rtype, key, status, reason


class OpenTimeline(Message):
    """Open the timeline (history, newest first) of one resource."""

    def __init__(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        *,
        service: Service | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        """The row's own service (its region, in a list across regions); None: the app's."""
        self.rtype, self.record, self.list_params = rtype, dict(record), dict(list_params or {})
