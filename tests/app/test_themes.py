"""Themes reach every widget (the self-painted table too), the settings pick one, keys remap."""

from __future__ import annotations

from typing import Any

from rich.color import Color as RichColor
from rich.style import Style as RichStyle
from textual.color import Color
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input, Tree

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.config import PollSettings, Settings
from smtui.emulator.seed import seed_demo, seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.help import HelpScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.theme import HIGH_CONTRAST, ROLES, role_css
from smtui.ui.widgets.chrome import ContextBar
from smtui.ui.widgets.resource_table import ResourceTable
from tests.app.helpers import SIZE, loaded, screen_text, wait_for

HC = HIGH_CONTRAST.name


def app_with(emu: EmulatorServer, start: str = "training-jobs", **settings: Any) -> SmtuiApp:
    """As tests.app.helpers.make_app builds it, with these settings."""
    target = Target(
        region="us-east-1", endpoint_url=emu.url, read_only=False, static_credentials=("testing", "testing")
    )
    poll = PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0)
    return SmtuiApp(target, Settings(poll=poll, **settings), start=start, catalog=default_catalog())


def colour(app: SmtuiApp, variable: str) -> RichColor:
    """A theme variable as the Rich colour painted (the table resolves them against the surface)."""
    return Color.parse(app.theme_variables[variable]).rich_color


def style_of(strip: Strip, text: str) -> RichStyle:
    """The style of the first segment of ``strip`` that shows ``text``."""
    for segment in strip:
        if text in segment.text and segment.style is not None:
            return segment.style
    raise AssertionError(f"{text!r} not in {strip.text!r}")


async def switch(pilot: Pilot[Any], theme: str) -> None:
    pilot.app.theme = theme
    await pilot.pause()
    await pilot.pause()


def table_styles(table: ResourceTable, failed_key: str) -> dict[str, RichStyle]:
    """Header, cursor bar and a failed status cell, as the table paints them now."""
    header = table.render_line(0)
    cursor = table.render_line(table.cursor + 1)
    failed = table.render_line(table.view.index(failed_key) + 1)
    return {
        "header": style_of(header, "NAME"),
        "cursor": style_of(cursor, table.rows[table.view[table.cursor]].cells[0]),
        "failed": style_of(failed, "Failed"),
    }


async def test_the_table_repaints_in_the_new_theme(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 5)
    emu.fail("job-00003", "boom")
    app = app_with(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        table = screen.table
        table.move_cursor_to_key("job-00001")
        seen = {}
        for theme in ("textual-dark", HC):
            await switch(pilot, theme)
            styles = seen[theme] = table_styles(table, "job-00003")
            assert styles["header"].bgcolor == colour(app, "panel")
            assert styles["cursor"].bgcolor == colour(app, "block-cursor-background")
            assert styles["failed"].color == colour(app, "text-error") and styles["failed"].bold
        for part in ("header", "cursor", "failed"):
            assert seen["textual-dark"][part] != seen[HC][part], part
        assert seen[HC]["cursor"].bgcolor == RichColor.parse("#ffff00")
        assert seen[HC]["failed"].color == RichColor.parse("#ff0000")
        # And back: the table's style cache follows the theme both ways.
        await switch(pilot, "textual-dark")
        assert table_styles(table, "job-00003") == seen["textual-dark"]


async def test_rich_text_widgets_follow_the_theme(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = app_with(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "endpoints")
        assert screen.table.move_cursor_to_key("churn-scoring-staging")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        tree: Tree[Any] = describe.query_one(Tree)
        leaf = next(i for i in range(tree.last_line + 1) if "EndpointName:" in tree.render_line(i).text)
        for theme in ("textual-dark", HC, "textual-light"):
            await switch(pilot, theme)
            bar = describe.query_one(ContextBar).render_line(0)
            assert style_of(bar, "smtui").bgcolor == colour(app, "accent"), theme
            assert style_of(tree.render_line(leaf), "EndpointName:").color == colour(app, "text-primary"), theme
            problems = describe.query_one("#problems").render_line(0)
            assert style_of(problems, "⚠ FailureReason:").color == colour(app, "text-error"), theme


async def test_theme_command_and_the_high_contrast_screen(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = app_with(emu, start="endpoints")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, "endpoints")
        assert app.check_command("theme nosuch")
        assert app.run_command(f"theme {HC}") is None
        await pilot.pause()
        assert app.theme == HC
        assert "llama3-70b-prod" in await screen_text(pilot)
        # Nothing is painted dim or in a muted grey: muted text is as white as the rest.
        white = RichColor.parse("#ffffff")
        muted = app.console.get_style("smtui.muted")
        assert muted.color == white and not muted.dim
        table = app.screen.query_one(ResourceTable)
        assert table.get_component_rich_style("resource-table--muted").color == white


async def test_settings_choose_the_theme_at_start(emu: EmulatorServer) -> None:
    app = app_with(emu, theme=HC)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "training-jobs")
        assert app.theme == HC
        assert not [n for n in app._notifications if "theme" in n.message]


async def test_an_unknown_theme_falls_back_and_says_so_once(emu: EmulatorServer) -> None:
    app = app_with(emu, theme="no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "training-jobs")
        await pilot.pause(0.2)
        assert app.theme == "textual-dark"
        said = [n for n in app._notifications if "no-such-theme" in n.message]
        assert len(said) == 1 and said[0].severity == "warning"


async def test_keys_from_the_settings_remap_bindings(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 5)
    app = app_with(emu, keys={"list.filter": "f", "app.help": "f1"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        box = screen.query_one("#filter", Input)
        footer = (await screen_text(pilot)).splitlines()[-1]
        assert "f Filter" in footer and "/ Filter" not in footer
        await pilot.press("slash")  # no longer the filter key
        await pilot.pause()
        assert not box.display
        await pilot.press("f")
        await wait_for(pilot, lambda: box.display and box.has_focus, what="the filter box")
        await pilot.press(*"job-00002")
        await wait_for(pilot, lambda: screen.table.view == ["job-00002"], what="the filter applied")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not box.display)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help on F1")
        help_lines = (await screen_text(pilot)).splitlines()
        filter_row = next(line for line in help_lines if "filter: text, regex" in line)
        # The view's own keys come first; the keys that work anywhere are further down.
        app.screen.query_one("#help-anywhere").scroll_visible(animate=False, top=True)
        help_lines = (await screen_text(pilot)).splitlines()
        help_row = next(line for line in help_lines if "this help" in line)
        assert filter_row.split("│")[1].split()[0] == "f" and "/" not in filter_row.split("filter:")[0]
        assert help_row.split("│")[1].split()[0] == "F1"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))


def test_role_css_writes_each_role_as_declarations() -> None:
    css = role_css(".t--", {"failed": "bold $text-error", "badge": "bold $text on $warning", "muted": "$x"})
    assert ".t--failed { color: $text-error; text-style: bold; }" in css
    assert ".t--badge { background: $warning; color: $text; text-style: bold; }" in css
    assert ".t--muted { color: $x; }" in css
    assert set(ROLES) >= {"failed", "transitional", "healthy", "key", "accent", "muted"}
