"""The frame around every screen: context bar (profile/region/account/endpoint), breadcrumbs,
status line and the in-place error banner."""

from __future__ import annotations

import logging
from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

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
        if self.in_flight:
            parts.append((f" sending {printable(self.in_flight)}… ", role("badge")))
        if self.endpoint:
            parts.append((f"endpoint:{printable(without_userinfo(self.endpoint))} ", role("muted")))
        if self.read_only:
            parts.append((" READ-ONLY ", role("badge")))
        return Content.assemble(*parts)


class Crumbs(Static):
    """Breadcrumbs: how the user got here (Esc walks back)."""

    def set_path(self, parts: list[str]) -> None:
        """``parts`` as the screens name themselves (a crumb holds a resource's name, which is
        the service's text, so each is shown through :func:`printable`)."""
        pieces: list[tuple[str, str] | str] = []
        for i, raw in enumerate(parts):
            part = printable(raw)
            if i:
                pieces.append((" › ", role("muted")))
            pieces.append((part, role("current")) if i == len(parts) - 1 else part)
        self.update(Content.assemble(*pieces))


class _PlainStatic(Static):
    """A Static whose strings are never read as markup: what it shows holds outside text (a
    status, a typed filter, an error), and a ``[link=…]`` there must not become a link."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class StatusLine(_PlainStatic):
    """'1,234 loaded · loading…' plus poll/throttle state and the active filter."""

    _shown: object = None

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        # Every idle poll re-sends the same line; repainting it costs bytes over SSH.
        key = str(content)
        if key == self._shown:
            return
        self._shown = key
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
