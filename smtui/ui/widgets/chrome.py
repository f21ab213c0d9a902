"""The frame around every screen: context bar (profile/region/account/endpoint), breadcrumbs,
status line and the in-place error banner."""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from smtui.aws.errors import AwsError
from smtui.text import printable

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

    def render(self) -> Text:
        text = Text()
        text.append(" smtui ", style="bold black on dark_orange")
        text.append(f" profile:{self.profile_name} ", style="bold")
        text.append(f"region:{self.region_name} ", style="bold cyan")
        text.append(f"account:{self.account} ", style="")
        if self.endpoint:
            text.append(f"endpoint:{printable(without_userinfo(self.endpoint))} ", style="dim")
        if self.read_only:
            text.append(" READ-ONLY ", style="bold black on yellow")
        return text


class Crumbs(Static):
    """Breadcrumbs: how the user got here (Esc walks back)."""

    def set_path(self, parts: list[str]) -> None:
        text = Text()
        for i, part in enumerate(parts):
            if i:
                text.append(" › ", style="dim")
            text.append(part, style="bold reverse" if i == len(parts) - 1 else "")
        self.update(text)


class StatusLine(Static):
    """'1,234 loaded · loading…' plus poll/throttle state and the active filter."""

    _shown: object = None

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        # Every idle poll re-sends the same line; repainting it costs bytes over SSH.
        key = str(content)
        if key == self._shown:
            return
        self._shown = key
        super().update(content, layout=layout)


class ErrorBanner(Static):
    """The error of this view, with what to do. Shown in place; the rest of the app stays usable."""

    _last = ""

    def show_error(self, error: AwsError | str) -> None:
        if str(error) != self._last:  # a poll that keeps failing logs once, not every tick
            self._last = str(error)
            log.warning("shown to the user: %s", error)
        text = Text()
        if isinstance(error, AwsError):
            text.append(f"✖ {error.message}", style="bold")
            if error.hint:
                text.append(f"\n  → {error.hint}")
        else:
            text.append(f"✖ {error}", style="bold")
        self.update(text)
        self.display = True

    def clear(self) -> None:
        self._last = ""
        self.update("")
        self.display = False
