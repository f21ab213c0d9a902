"""Findings of a fresh-eyes run of the demo at 80x24 (issue 11): history, help, the footer, keys
that do nothing, completions, and the columns an 80-column list keeps."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from smtui.emulator.demo import seed_second_region
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.burning import BurningScreen
from smtui.ui.screens.help import HelpScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import KeyFooter
from tests.app.helpers import loaded, make_app, screen_text, wait_for

SMALL = (80, 24)


async def command(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("colon", *list(text), "enter")


def toasts(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def header(screen: ResourceListScreen) -> str:
    return screen.table.render_line(0).text


async def test_bracket_after_region_switch_does_not_bring_back_the_list_across_regions(emu: EmulatorServer) -> None:
    # Finding: ':region a,b' then ':region b', and '[' brought back the two-region list while
    # the header said region b; the next ':ic' then opened in one region again.
    seed_demo(emu)
    seed_second_region(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        await command(pilot, "region us-east-1,eu-west-1")
        both = await loaded(pilot, "endpoints")
        await wait_for(pilot, lambda: app.screen is not both or both.regions)
        assert app.screen.regions == ("us-east-1", "eu-west-1")  # type: ignore[attr-defined]
        await command(pilot, "region eu-west-1")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and not app.screen.regions)
        await loaded(pilot, "endpoints")
        await pilot.press("left_square_bracket")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, ResourceListScreen) and not screen.regions
        assert "start of the history" in toasts(app)


async def test_walking_back_to_a_list_across_regions_restores_its_scope(emu: EmulatorServer) -> None:
    # '[' back to a two-region list brings its scope back with it: ':ic' from there opens
    # across the same regions, as the view on screen does.
    seed_demo(emu)
    seed_second_region(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        await command(pilot, "region us-east-1,eu-west-1")
        await wait_for(pilot, lambda: getattr(app.screen, "regions", ()) == ("us-east-1", "eu-west-1"))
        await command(pilot, "ep")  # recorded in the same scope
        await pilot.press("left_square_bracket", "left_square_bracket")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and not app.screen.regions)
        assert app.scope_regions == ()
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: getattr(app.screen, "regions", ()) == ("us-east-1", "eu-west-1"))
        await command(pilot, "ic")
        ics = await loaded(pilot, "inference-components")
        assert ics.regions == ("us-east-1", "eu-west-1")


async def test_help_says_n_is_a_jump_only_where_it_is(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 40)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("llama3-70b-prod")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = await screen_text(pilot)
        assert "n N next, previous" in text and "else n is a jump" not in text
        await pilot.press("escape", "escape")
        await command(pilot, "hp")
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "else n is a jump" in await screen_text(pilot)  # clusters: n lists the nodes


async def test_a_root_view_offers_no_esc_back(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        await command(pilot, "burning")
        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen))
        await pilot.pause(0.3)
        footer = app.screen.query_one(KeyFooter)
        shown = [key.description for key in footer.query("FooterKey")]  # type: ignore[attr-defined]
        assert shown and "Back" not in shown and "Help" in shown


async def test_a_letter_that_does_nothing_says_so(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("z")
        await pilot.pause(0.2)
        assert "z does nothing here; ? lists this view's keys" in toasts(app)
        assert emu.faults.request_counts()["mutating"] == 0
        # A jump key is not "nothing": c opens the endpoint config.
        endpoints = app.screen
        assert isinstance(endpoints, ResourceListScreen)
        endpoints.table.move_cursor_to_key("llama3-70b-prod")
        await pilot.press("c")
        await wait_for(pilot, lambda: getattr(getattr(app.screen, "rtype", None), "name", "") == "endpoint-configs")


async def test_colon_completions_stay_one_line_each_at_80_columns(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("colon", "p")
        await pilot.pause(0.3)
        options = app.screen.query_one(OptionList)
        assert options.option_count >= 5
        text = (await screen_text(pilot)).splitlines()
        top = next(i for i, line in enumerate(text) if line.startswith("────"))
        bottom = next(i for i, line in enumerate(text) if line.startswith("▊▔"))
        lines = [line[:76].strip() for line in text[top + 1 : bottom]]
        # Each completion is one line: wrapped, a list of aliases stood on a line of its own.
        assert lines and all(line.startswith(":") for line in lines), lines
        assert any(line.startswith(":pipeline-executions") and " pe" in line for line in lines)


async def test_an_80_column_list_keeps_copies_and_the_newest_runs_on_top(emu: EmulatorServer) -> None:
    # Findings: ':ic' at 80 columns showed 5XX but no COPIES; ':pe' across pipelines came in
    # blocks per pipeline with STARTED dropped, so the newest run of the last pipeline sat at
    # the bottom with nothing saying when it started.
    seed_demo(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        ics = await loaded(pilot, "inference-components")
        copies = ics.table.column_index("RuntimeConfig.DesiredCopyCount")
        assert copies is not None
        await wait_for(pilot, lambda: all("/" in r.cells[copies] for r in ics.table.rows.values()))
        assert "COPIES" in header(ics) and "AGE" in header(ics)
        await command(pilot, "pe")
        runs = await loaded(pilot, "pipeline-executions")
        assert runs.fanout
        assert "STARTED" in header(runs) and "▼" in header(runs)
        starts = [runs.table.rows[key].record["StartTime"] for key in runs.table.view]
        assert starts == sorted(starts, reverse=True)
        pipelines = [runs.table.rows[key].record.get("PipelineName") or key for key in runs.table.view[:3]]
        assert len(set(pipelines)) > 1, "the newest runs of different pipelines come first"


async def test_a_root_switch_never_paints_a_blank_header(emu: EmulatorServer) -> None:
    # Each ':' switch painted one frame of header with no profile and no region: the new view
    # was filled in by a message that reached the app after its first paint.
    from smtui.ui.widgets.chrome import ContextBar

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    painted: list[tuple[str, str]] = []
    original = ContextBar.render

    def render(self: ContextBar) -> Any:
        painted.append((self.profile_name, self.region_name))
        return original(self)

    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "endpoints")
        ContextBar.render = render  # type: ignore[method-assign]
        try:
            await command(pilot, "ic")
            await loaded(pilot, "inference-components")
            await command(pilot, "burning")
            await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen))
            await pilot.pause(0.3)
        finally:
            ContextBar.render = original  # type: ignore[method-assign]
    assert painted and all(profile and region for profile, region in painted), painted
