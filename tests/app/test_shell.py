"""The app shell against the emulator: streaming lists, describe, navigation, errors in place."""

from __future__ import annotations

from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from tests.app.helpers import SIZE, make_app, screen_text, wait_for


async def test_list_streams_every_page_and_says_complete(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 250)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: screen.complete, what="list complete")
        assert screen.pages_loaded == 3  # 100 + 100 + 50: the rows arrived page by page
        assert len(screen.table.rows) == 250
        text = await screen_text(pilot)
        assert "250 loaded · complete" in text
        assert screen.table.view[0] in text
        assert "account:123456789012" in text
        assert "region:us-east-1" in text


async def test_enter_describes_the_selected_row(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 5)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        list_screen = app.screen
        assert isinstance(list_screen, ResourceListScreen)
        await wait_for(pilot, lambda: list_screen.complete)
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        assert describe.detail["TrainingJobName"] == list_screen.table.view[1]
        assert "TrainingJobStatus" in await screen_text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is list_screen, what="back to the list")
        assert list_screen.table.cursor == 1


async def test_errors_show_in_place_and_the_app_keeps_working(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 3)
    emu.faults.set([{"op": "ListTrainingJobs", "error": "AccessDeniedException", "status": 400}])
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        banner = screen.query_one(ErrorBanner)
        await wait_for(pilot, lambda: banner.display, what="error banner")
        text = await screen_text(pilot)
        assert "access denied to ListTrainingJobs" in text
        assert "Traceback" not in text
        emu.faults.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.complete and len(screen.table.rows) == 3, what="recovered list")
        assert not banner.display


async def test_first_frame_does_not_wait_for_the_catalogue(emu: EmulatorServer) -> None:
    from smtui.ui.screens.startup import StartupScreen

    seed_training_jobs(emu, 2)
    app = make_app(emu, catalog=None)
    async with app.run_test(size=SIZE) as pilot:
        assert app.startup_shown  # painted before the catalogue existed
        assert isinstance(app.screen, (StartupScreen, ResourceListScreen))
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        assert len(app.screen_stack) == 2  # the start-up screen is gone from the history


async def test_colon_while_starting_up_does_not_crash(emu: EmulatorServer) -> None:
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))
        app.uninstall_screen("command")  # as before the catalogue is ready
        await pilot.press("colon", "i")
        await pilot.pause(0.1)
        assert app.is_running and app.typeahead is None
        assert any("starting up" in str(n.message) for n in app._notifications)
