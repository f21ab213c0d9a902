"""Every catalogue type opens from `:` against the demo account; every curated type has rows."""

from __future__ import annotations

from functools import partial

from textual.css.query import NoMatches

from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from tests.app.helpers import SIZE, make_app, wait_for


def settled(app: SmtuiApp, name: str) -> bool:
    screen = app.screen
    if not isinstance(screen, ResourceListScreen) or screen.rtype.name != name or not screen.is_mounted:
        return False
    try:
        failed = screen.query_one(ErrorBanner).display
    except NoMatches:
        return False
    return not screen.is_loading and (screen.complete or failed)


async def test_colon_reaches_every_type_and_curated_types_have_rows(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    empty_curated: list[str] = []
    errors: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        for rtype in app.catalog.all():
            if rtype.required_inputs:
                continue  # needs a value only a related resource gives (checked below)
            assert app.run_command(rtype.aliases[0] if rtype.aliases else rtype.name) is None
            await wait_for(pilot, partial(settled, app, rtype.name), what=f"{rtype.name} opened")
            screen = app.screen
            assert isinstance(screen, ResourceListScreen)
            banner = screen.query_one(ErrorBanner)
            if banner.display:
                errors[rtype.name] = str(banner.render())
            elif rtype.curated and not screen.table.rows:
                empty_curated.append(rtype.name)
            app.pop_screen()
        needs_input = [t.name for t in app.catalog.all() if t.required_inputs]
        assert app.run_command(needs_input[0]) is None
        await pilot.pause(0.2)
        assert any("needs" in str(n.message) for n in app._notifications)
    assert not errors, errors
    # Child types open across their parents, so they must have rows too.
    assert not empty_curated, f"curated types without demo data: {empty_curated}"
