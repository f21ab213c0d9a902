"""Building the real app against the emulator, and waiting for it without sleeping blindly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.config import PollSettings, Settings
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.resource_list import ResourceListScreen

SIZE = (100, 30)


def make_app(
    emu: EmulatorServer,
    start: str = "training-jobs",
    *,
    read_only: bool = False,
    settings: Settings | None = None,
    **kwargs: Any,
) -> SmtuiApp:
    """The same App `smtui` builds, pointed at the emulator through the real aiobotocore."""
    target = Target(
        region="us-east-1",
        endpoint_url=emu.url,
        read_only=read_only,
        static_credentials=("testing", "testing"),
        emulator=True,
    )
    settings = settings or Settings(poll=PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0))
    # The catalogue is built once per test process and handed over, so tests start on the
    # list; the start-up path that builds it off the UI thread has its own test.
    kwargs.setdefault("catalog", default_catalog())
    return SmtuiApp(target, settings, start=start, **kwargs)


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Let the app run until ``predicate()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.05)
        await asyncio.sleep(0)


async def screen_text(pilot: Pilot[Any]) -> str:
    """What the terminal shows, as plain text lines (after letting pending paints happen)."""
    await pilot.pause(0.1)
    compositor = pilot.app.screen._compositor
    compositor.render_update(full=True)  # builds the cuts that render_strips reads
    strips = compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def loaded(pilot: Pilot[Any], type_name: str) -> ResourceListScreen:
    """Wait until the list of ``type_name`` is on screen and completely loaded."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == type_name and app.screen.complete
        ),
        what=f"{type_name} loaded",
    )
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    return screen


def prompt_error(app: SmtuiApp) -> str:
    """The error shown at the ':' prompt (which stays open with the text for fixing)."""
    from textual.widgets import Static

    from smtui.ui.screens.command import CommandScreen

    screen = app.screen
    assert isinstance(screen, CommandScreen), f"the prompt closed; on {screen!r}"
    return str(screen.query_one("#command-error", Static).content)
