"""A type whose List* the emulator does not implement says so in its own view, and nowhere else."""

from __future__ import annotations

import dataclasses
from functools import partial

from smtui.catalog import Catalog, default_catalog
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from tests.app.helpers import SIZE, make_app, wait_for
from tests.app.test_catalogue_demo import settled


def _catalog_with_an_unemulated_type() -> Catalog:
    """The catalogue plus lineage associations, a real SageMaker List* the emulator lacks."""
    base = default_catalog()
    associations = dataclasses.replace(
        base.get("lineage-groups"),
        name="associations",
        title="Associations",
        list_op="ListAssociations",
        items_key="AssociationSummaries",
        aliases=(),
    )
    return Catalog([*base.all(), associations])


async def test_unemulated_list_says_so_in_its_banner_only(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints", catalog=_catalog_with_an_unemulated_type())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, partial(settled, app, "endpoints"), what="endpoints listed")
        emu.faults.clear_requests()

        assert app.run_command("associations") is None
        await wait_for(pilot, partial(settled, app, "associations"), what="associations settled")
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        banner = screen.query_one(ErrorBanner)
        assert banner.display
        shown = str(banner.render())
        assert "ListAssociations is not available in the emulator" in shown
        assert "real account" in shown  # the hint
        assert not screen.table.rows
        await pilot.pause(0.5)
        # A permanent answer: asked once, not retried on a timer, and no toast about it.
        assert emu.faults.request_counts()["counts"].get("ListAssociations") == 1
        assert not [n for n in app._notifications if "emulator" in str(n.message)]

        # `:` replaces the root view: the next views open clean, with their rows.
        for name in ("endpoints", "training-jobs"):
            assert app.run_command(name) is None
            await wait_for(pilot, partial(settled, app, name), what=f"{name} listed")
            view = app.screen
            assert isinstance(view, ResourceListScreen)
            assert view.table.rows
            assert not view.query_one(ErrorBanner).display
