"""`:burning` uses the one pacing policy: under throttling, navigation sends nothing extra."""

from __future__ import annotations

import time
from typing import Any

from smtui.aws.target import Target
from smtui.catalog import default_catalog
from smtui.config import PollSettings, Settings
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.burning import BurningScreen
from smtui.ui.screens.help import HelpScreen
from smtui.ui.widgets.chrome import StatusLine
from tests.app.helpers import wait_for


async def quiet(pilot: Any, emu: EmulatorServer, seconds: float = 1.0) -> None:
    """Wait until no request has reached the emulator for ``seconds`` (at most 20 s)."""
    deadline = time.monotonic() + 20
    last, since = emu.faults.request_counts()["total"], time.monotonic()
    while time.monotonic() - since < seconds and time.monotonic() < deadline:
        await pilot.pause(0.1)
        now = emu.faults.request_counts()["total"]
        if now != last:
            last, since = now, time.monotonic()


async def test_navigating_while_burning_backs_off_sends_no_request(emu: EmulatorServer) -> None:
    seed_demo(emu)
    target = Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))
    # Paces long enough that no scheduled round falls inside the navigation, however loaded
    # the machine: any request counted below is one the navigation caused.
    slow = Settings(poll=PollSettings(fast_seconds=30.0, slow_seconds=60.0, max_backoff_seconds=300.0))
    app = SmtuiApp(target, slow, catalog=default_catalog(), start="endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)
        app.open_burning()
        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.rounds >= 1)
        burning = app.screen
        assert isinstance(burning, BurningScreen)
        emu.faults.set([{"op": "*", "error": "ThrottlingException", "status": 400}])
        await pilot.press("r")  # r goes now, and meets the throttle
        await wait_for(pilot, lambda: burning.pacer.backing_off, timeout=15, what="backing off")
        await quiet(pilot, emu)  # a round already in flight may still be finishing its retries
        emu.faults.clear_requests()
        for _ in range(10):  # ten trips to help and back: each resumes the view
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1.0)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is burning, timeout=1.0)
        await pilot.pause(0.2)
        sent = emu.faults.request_counts()["total"]
        assert sent == 0, emu.faults.request_counts()
        await pilot.pause(1.1)
        assert "throttled · next poll in" in str(burning.query_one(StatusLine).content)
        emu.faults.clear()
