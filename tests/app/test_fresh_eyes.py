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
        assert any(t.startswith("start of the history (it starts at the switch to") for t in toasts(app))


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
        assert "STARTED ▲" in header(runs)  # ages ascending: the newest run on top
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


async def test_a_sorts_by_age_youngest_first_and_the_arrow_reads_the_ages(emu: EmulatorServer) -> None:
    # Finding: 'A' gave "AGE ▲" with the oldest (12d) on top; a second A put the newest first.
    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=(100, 30)) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        created = [jobs.table.rows[key].record["CreationTime"] for key in jobs.table.view]
        await pilot.press("A")
        order = [jobs.table.rows[key].record["CreationTime"] for key in jobs.table.view]
        assert order == sorted(created, reverse=True), "youngest first"
        assert "AGE ▲" in header(jobs) and "sort AGE ▲" in await screen_text(pilot)
        await pilot.press("A")
        order = [jobs.table.rows[key].record["CreationTime"] for key in jobs.table.view]
        assert order == sorted(created) and "AGE ▼" in header(jobs)


async def test_enter_on_a_filter_that_matches_more_than_names_keeps_its_rows(emu: EmulatorServer) -> None:
    # Finding: ':tj' '/fail' showed the 3 Failed jobs; Enter sent NameContains=fail, which no
    # job name holds, and the list went to 0 rows.
    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        await pilot.press("slash", *"fail")
        await pilot.pause(0.2)
        shown = list(jobs.table.view)
        assert shown, "the typed filter matches the failed jobs' status"
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert jobs.server_filter == {} and jobs.table.view == shown
        assert "filtering here only: not just names" in await screen_text(pilot)
        # A filter every shown name holds still goes to the server.
        await pilot.press("escape", "slash", *"llama", "enter")
        await wait_for(pilot, lambda: jobs.server_filter == {"NameContains": "llama"}, what="pushed down")


async def test_an_action_key_a_describe_view_lacks_says_so_once(emu: EmulatorServer) -> None:
    # Finding: Y in an endpoint's describe gave two toasts ("does nothing here" and "no retry").
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("llama3-70b-prod")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        app.clear_notifications()
        await pilot.press("Y")
        await pilot.pause(0.2)
        said = toasts(app)
        assert len(said) == 1 and "no retry" in said[0], said


async def test_a_job_in_progress_shows_no_warning_for_its_progress_message(emu: EmulatorServer) -> None:
    # Finding: the InProgress bge-finetune-hardneg showed "⚠ ...StatusMessage: Uploading
    # generated training model" above its tree, as if it were in trouble.
    seed_demo(emu)
    app = make_app(emu, start="training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        jobs.table.move_cursor_to_key("bge-finetune-hardneg")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        screen = app.screen
        await wait_for(pilot, lambda: bool(getattr(screen, "detail", None)), what="described")
        await pilot.pause(0.2)
        assert not screen.query_one("#problems").display
        assert "⚠" not in await screen_text(pilot)


async def test_help_offers_no_metrics_panel_where_there_are_no_metrics(emu: EmulatorServer) -> None:
    # Finding: a cluster's describe help listed "Tab the metrics panel"; Tab did nothing.
    seed_demo(emu)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=(100, 40)) as pilot:
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = await screen_text(pilot)
        assert "metrics panel" not in text and "(the metrics too)" not in text
        await pilot.press("escape", "escape", "colon", *"ep", "enter")
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("llama3-70b-prod")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DescribeScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "metrics panel" in await screen_text(pilot)
