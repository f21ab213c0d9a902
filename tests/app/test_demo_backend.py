"""The demo watches its emulator: found by a new user, a killed emulator was blamed on the network.

The emulator here is a real child process (``python -m smtui.emulator``) started the way
``smtui --demo`` starts it; the test kills it and restarts it through the app.
"""

from __future__ import annotations

import signal

from smtui.catalog import default_catalog
from smtui.cli import _DemoBackend, _HangupGuard, demo_target
from smtui.config import PollSettings, Settings
from smtui.emulator import Credentials, start_child
from smtui.service.backend import describe_exit
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.resource_list import ResourceListScreen
from tests.app.helpers import wait_for


def test_exit_statuses_are_worded() -> None:
    assert describe_exit(1) == "exit status 1"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"


async def test_a_dead_emulator_is_said_with_its_signal_and_f5_brings_it_back() -> None:
    guard = _HangupGuard()
    guard.credentials = Credentials.random()  # as run_demo does: the restart must reuse them
    guard.child = start_child(seed="demo", credentials=guard.credentials)
    try:
        target = demo_target(guard.credentials, guard.child.url)
        settings = Settings(poll=PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0))
        app = SmtuiApp(target, settings, demo=True, backend=_DemoBackend(guard), catalog=default_catalog())
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
            first = guard.child
            first.process.send_signal(signal.SIGKILL)
            await wait_for(pilot, lambda: app.backend_down != "", timeout=5, what="the death noticed")
            said = " ".join(str(n.message) for n in app._notifications)
            assert "the demo emulator stopped (killed by SIGKILL): press F5" in said
            await pilot.press("f5")
            await wait_for(pilot, lambda: guard.child is not first and app.backend_down == "", timeout=30)
            assert app.target.endpoint_url == guard.child.url
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete and app.screen.table.rows,
                timeout=15,
                what="the demo data back",
            )
    finally:
        if guard.child is not None:
            guard.child.stop()
