"""Snapshot tests of the main views at 80×24 and 120×35: the demo seed, time frozen.

Each view is driven as a user would, against the emulator over real HTTP, and compared with
the SVG accepted before (``tests/snapshots/__snapshots__``). A change of layout, a column
that drops, a key hint cut short or a colour gone shows as a failing test with the two
pictures side by side (``snapshot_report.html``); after checking it, accept the new pictures
with ``pytest tests/snapshots --snapshot-update``.

Time is frozen for what the UI paints (``smtui.ui.format.clock``) ten minutes after the seed,
so ages read "10m" whatever the machine's speed. The describe views show an absolute time
(the model's CreationTime): there the clock and that time are both pinned to fixed dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from smtui.config import MetricsSettings, PollSettings, Settings
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui import format as ui_format
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.burning import BurningScreen
from smtui.ui.screens.command import CommandScreen
from smtui.ui.screens.confirm import ConfirmScreen
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.help import HelpScreen
from tests.app.helpers import loaded, make_app, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 35), id="120x35")]
MODEL = "fraud-detector-v7"
PINNED = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)
"""The clock of the describe views, whose model was created three hours before."""
Drive = Callable[[Pilot[Any]], Awaitable[None]]
NOW: list[dt.datetime] = []


@pytest.fixture
def demo(emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    seed_demo(emu)
    NOW[:] = [dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=10, seconds=30)]
    monkeypatch.setattr(ui_format, "clock", lambda: NOW[0])
    emu.backend()._models[MODEL].creation_time = PINNED - dt.timedelta(hours=3)
    return emu


def app_for(emu: EmulatorServer, start: str) -> SmtuiApp:
    # demo=True: the header says "local emulator", not the emulator's port of the day. The
    # CloudWatch column is hidden: the demo's metric values follow the wall clock's minute.
    settings = Settings(
        poll=PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0),
        metrics=MetricsSettings(hide_columns=True),
    )
    return make_app(emu, start=start, demo=True, settings=settings)


async def settle(pilot: Pilot[Any]) -> None:
    """Let pending paints land, with text cursors steady (a blink would differ run to run)."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    # The account is looked up after the first page (not beside it): wait for it to be shown.
    await wait_for(pilot, lambda: getattr(pilot.app, "account", "") not in ("", "…"), what="the account")
    await pilot.pause(0.3)


def list_of(type_name: str) -> Drive:
    async def drive(pilot: Pilot[Any]) -> None:
        await loaded(pilot, type_name)
        await settle(pilot)

    return drive


async def nodes_of_a_cluster(pilot: Pilot[Any]) -> None:
    clusters = await loaded(pilot, "clusters")
    clusters.table.move_cursor_to_key("llm-pretrain-p5")
    await pilot.press("n")
    await loaded(pilot, "cluster-nodes")
    await settle(pilot)


async def burning(pilot: Pilot[Any]) -> None:
    await loaded(pilot, "endpoints")
    await pilot.press("colon", *"burning", "enter")
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.rounds >= 1)
    # By name: the seed fails several things in the same second, and newest-first would order
    # them by the milliseconds between them.
    await pilot.press("N", "g")
    await settle(pilot)


async def help_screen(pilot: Pilot[Any]) -> None:
    await loaded(pilot, "endpoints")
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    await settle(pilot)


async def command_line(pilot: Pilot[Any]) -> None:
    await loaded(pilot, "endpoints")
    await pilot.press("colon", "t", "r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandScreen))
    await settle(pilot)


def describe_model(view_presses: int) -> Drive:
    async def drive(pilot: Pilot[Any]) -> None:
        NOW[:] = [PINNED]
        models = await loaded(pilot, "models")
        assert models.table.move_cursor_to_key(MODEL)
        await pilot.press("enter")
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        for _ in range(view_presses):
            await pilot.press("y")
        await settle(pilot)

    return drive


async def delete_confirmation(pilot: Pilot[Any]) -> None:
    endpoints = await loaded(pilot, "endpoints")
    endpoints.table.move_cursor_to_key("churn-scoring-staging")
    await pilot.press("ctrl+d")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), timeout=15)
    await settle(pilot)


async def action_menu(pilot: Pilot[Any]) -> None:
    from smtui.ui.screens.confirm import ActionMenu

    await loaded(pilot, "endpoints")
    await pilot.press("ctrl+x")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ActionMenu))
    await settle(pilot)


VIEWS: dict[str, tuple[str, Drive]] = {
    "endpoints": ("endpoints", list_of("endpoints")),
    "inference_components": ("inference-components", list_of("inference-components")),
    "cluster_nodes": ("clusters", nodes_of_a_cluster),
    "burning": ("endpoints", burning),
    "help": ("endpoints", help_screen),
    "command_line": ("endpoints", command_line),
    "describe_tree": ("models", describe_model(0)),
    "describe_yaml": ("models", describe_model(1)),
    "delete_confirmation": ("endpoints", delete_confirmation),
    "action_menu": ("endpoints", action_menu),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_view(view: str, size: tuple[int, int], demo: EmulatorServer, snap_compare: Any) -> None:
    start, drive = VIEWS[view]
    assert snap_compare(app_for(demo, start), terminal_size=size, run_before=drive)


@pytest.mark.parametrize("size", SIZES)
def test_error_banner(size: tuple[int, int], demo: EmulatorServer, snap_compare: Any) -> None:
    demo.faults.set([{"op": "ListEndpoints", "error": "AccessDeniedException"}])

    async def drive(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: app.screen.query("#error") and app.screen.query_one("#error").display)
        await settle(pilot)

    assert snap_compare(app_for(demo, "endpoints"), terminal_size=size, run_before=drive)
