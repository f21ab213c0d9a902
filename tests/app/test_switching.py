"""Switching profile and region at run time, and the command palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ContextBar
from tests.app.helpers import SIZE, make_app, prompt_error, screen_text, wait_for


async def test_region_switch_reloads_from_that_region(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 4)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        await pilot.press("colon", *list("region eu-west-1"), "enter")
        await wait_for(
            pilot,
            lambda: (
                app.target.region == "eu-west-1" and isinstance(app.screen, ResourceListScreen) and app.screen.complete
            ),
            what="the eu-west-1 list",
        )
        assert app.screen.rtype.name == "training-jobs"  # type: ignore[attr-defined]
        assert len(app.screen.table.rows) == 0  # type: ignore[attr-defined]  # nothing seeded there
        assert app.screen.query_one(ContextBar).region_name == "eu-west-1"
        assert "region:eu-west-1" in await screen_text(pilot)
        await pilot.press("colon", *list("region us-east-1"), "enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ResourceListScreen) and len(app.screen.table.rows) == 4,
            what="back in us-east-1",
        )


async def test_bad_region_is_refused_at_the_prompt(emu: EmulatorServer) -> None:
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))
        await pilot.press("colon", *list("region narnia"), "enter")
        await pilot.pause(0.2)
        assert app.target.region == "us-east-1"
        assert "not a region name" in prompt_error(app)


async def test_profile_switch(emu: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = us-east-1\n[profile staging]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    seed_training_jobs(emu, 2)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        await pilot.press("colon", *list("profile nosuch"), "enter")
        await pilot.pause(0.2)
        assert "unknown profile 'nosuch'" in prompt_error(app)
        await pilot.press(*["backspace"] * len("nosuch"), *list("staging"), "enter")
        await wait_for(
            pilot,
            lambda: (
                app.target.profile == "staging"
                and isinstance(app.screen, ResourceListScreen)
                and app.screen.complete
                and len(app.screen.table.rows) == 2
            ),
            what="reloaded under the staging profile",
        )
        assert "profile:staging" in await screen_text(pilot)


async def test_command_palette_opens_resource_types(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*list("mlflow tracking"))
        await pilot.pause(0.8)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "mlflow-tracking-servers",
            what="MLflow tracking servers opened from the palette",
        )


@pytest.mark.parametrize(
    ("pinned", "region", "how"),
    [("", "eu-west-1", "region from profile b"), ("--region", "us-east-1", "region kept: set by --region")],
)
async def test_a_profile_switch_takes_the_profiles_region_unless_pinned(
    emu: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned: str, region: str, how: str
) -> None:
    """Found in a security review: `:profile b` kept a's region, and every later call went there."""
    config = tmp_path / "aws-config"
    config.write_text("[profile a]\nregion = us-east-1\n[profile b]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    seed_training_jobs(emu, 2)
    app = make_app(emu, region_pinned=pinned)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)
        assert app.run_command("profile b") is None
        await wait_for(
            pilot,
            lambda: app.target.profile == "b" and isinstance(app.screen, ResourceListScreen) and app.screen.complete,
            what="reloaded under profile b",
        )
        assert app.target.region == region
        assert f"region:{region}" in await screen_text(pilot)
        assert any(how in str(n.message) for n in app._notifications)
        expected_rows = 2 if region == "us-east-1" else 0  # the jobs live in us-east-1
        screen = app.screen
        assert isinstance(screen, ResourceListScreen) and len(screen.table.rows) == expected_rows
