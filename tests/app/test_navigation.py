"""k9s-style navigation against the demo account: `:`, `/`, sorting, Esc history, jumps."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smtui.emulator.seed import seed_demo, seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.help import HelpScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import Crumbs
from tests.app.helpers import SIZE, loaded, make_app, prompt_error, screen_text, wait_for


def current_list(app: SmtuiApp) -> ResourceListScreen:
    screen = app.screen
    assert isinstance(screen, ResourceListScreen), f"expected a list, got {screen!r}"
    return screen


async def command(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("colon")
    await pilot.press(*list(text))
    await pilot.press("enter")


async def test_colon_completes_aliases_and_opens_the_type(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "endpoints")
        await command(pilot, "ic")
        ics = await loaded(pilot, "inference-components")
        assert "llama3-70b-ic" in ics.table.rows
        await command(pilot, "trai")  # a partial word takes the best completion
        await loaded(pilot, "training-jobs")
        await command(pilot, "nosuchthing")
        await pilot.pause(0.2)
        assert "unknown resource type" in prompt_error(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))
        assert app.screen.rtype.name == "training-jobs"  # type: ignore[attr-defined]


async def test_every_catalogue_type_is_reachable_from_colon(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE):
        for rtype in app.catalog.all():
            assert app.catalog.find(rtype.name) is rtype
            for alias in rtype.aliases:
                assert app.catalog.find(alias) is rtype


async def test_filter_client_side_then_server_side(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 40, prefix="alpha")
    seed_training_jobs(emu, 40, prefix="beta")
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        assert len(screen.table.rows) == 80
        await pilot.press("slash", *list("beta-0001"))
        await pilot.pause(0.1)
        assert screen.table.view and all("beta-0001" in k for k in screen.table.view)
        assert len(screen.table.rows) == 80  # client side: nothing reloaded yet
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.server_filter == {"NameContains": "beta-0001"} and screen.complete)
        assert sorted(screen.table.rows) == [f"beta-{i:05d}" for i in range(10, 20)]
        assert "server filter NameContains=beta-0001" in await screen_text(pilot)
        await pilot.press("escape")  # clears the filter and reloads everything
        await wait_for(pilot, lambda: not screen.server_filter and screen.complete and len(screen.table.rows) == 80)


async def test_status_word_becomes_status_equals(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 10)
    emu.fail("job-00003", "boom")
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        await pilot.press("slash", *list("failed"), "enter")
        await wait_for(pilot, lambda: screen.server_filter == {"StatusEquals": "Failed"} and screen.complete)
        assert list(screen.table.rows) == ["job-00003"]


async def test_inverted_and_invalid_regex_filters(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 12)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        await pilot.press("slash", *list("!job-0000"))
        await pilot.pause(0.1)
        assert sorted(screen.table.view) == ["job-00010", "job-00011"]
        await pilot.press("ctrl+u", *list("job-(1"))
        await pilot.pause(0.1)
        text = await screen_text(pilot)
        assert "invalid regex" in text
        box = screen.query_one("#filter")
        assert box.value == "job-(1"  # type: ignore[attr-defined]
        # The last valid filter ("job-", typed on the way) still applies; nothing was lost.
        assert screen.table.row_filter is not None and screen.table.row_filter.expression == "job-"
        assert len(screen.table.view) == 12
        await pilot.press("enter")  # refused: the text stays for fixing
        assert box.display


async def test_sort_by_column_keys(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 30)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        await pilot.press("1")
        assert screen.table.view == sorted(screen.table.view)
        await pilot.press("1")
        assert screen.table.view == sorted(screen.table.view, reverse=True)
        await pilot.press("A")  # by age: the youngest first (creation times descending)
        ages = [screen.table.rows[k].sort_values[-1] for k in screen.table.view]
        assert ages == sorted(ages, reverse=True)
        assert "sort AGE" in await screen_text(pilot)


async def test_escape_walks_back_and_crumbs_show_the_way(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("genai-shared-g5")
        await pilot.press("i")
        ics = await loaded(pilot, "inference-components")
        crumbs = str(ics.query_one(Crumbs).render())
        assert "Endpoints" in crumbs and "genai-shared-g5" in crumbs
        assert set(ics.table.rows) >= {"llama3-8b-chat-ic", "sdxl-turbo-ic"}
        assert "llama3-70b-ic" not in ics.table.rows
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is ics)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is endpoints)


async def test_jumps_endpoint_to_config_to_models(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        endpoints.table.move_cursor_to_key("fraud-detector-v7-prod")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        config = app.screen
        assert isinstance(config, DescribeScreen)
        assert config.rtype.name == "endpoint-configs"
        assert config.detail["EndpointConfigName"] == "fraud-detector-v7-prod-config"
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.rtype.name == "models")
        await wait_for(pilot, lambda: bool(app.screen.detail))  # type: ignore[attr-defined]
        assert app.screen.detail["ModelName"] == "fraud-detector-v7"  # type: ignore[attr-defined]


async def test_cluster_to_its_nodes_and_pipeline_to_executions(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=SIZE) as pilot:
        clusters = await loaded(pilot, "clusters")
        clusters.table.move_cursor_to_key("llm-pretrain-p5")
        await pilot.press("n")
        nodes = await loaded(pilot, "cluster-nodes")
        assert len(nodes.table.rows) == 10
        assert nodes.params == {"ClusterName": "llm-pretrain-p5"}
        await command(pilot, "pl")
        pipelines = await loaded(pilot, "pipelines")
        pipelines.table.move_cursor_to_key("fraud-detector-train-pipeline")
        await pilot.press("e")
        executions = await loaded(pilot, "pipeline-executions")
        assert executions.table.rows


async def test_help_lists_keys(emu: EmulatorServer) -> None:
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=(100, 60)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = await screen_text(pilot)
        for needle in ("command line", "filter", "sort by column", "faults only"):
            assert needle in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_usable_at_small_and_large_sizes(emu: EmulatorServer, size: tuple[int, int]) -> None:
    seed_demo(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot, "inference-components")
        text = await screen_text(pilot)
        assert "NAME" in text and "complete" in text
        assert screen.table.view[0] in text


async def test_command_typed_in_one_burst_is_not_lost(emu: EmulatorServer) -> None:
    # Over a slow SSH link ":ic⏎" arrives at once, before the prompt exists.
    from textual import events

    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "endpoints")
        for key, char in (("colon", ":"), ("i", "i"), ("c", "c"), ("enter", None)):
            app.post_message(events.Key(key, char))
        await loaded(pilot, "inference-components")
        assert [view.name for view in app.roots] == ["endpoints", "inference-components"]


async def test_training_job_to_the_model_built_from_it(emu: EmulatorServer) -> None:
    seed_demo(emu)
    backend = emu.backend()
    url = backend._models["fraud-detector-v7"].primary_container["ModelDataUrl"]
    job = next(n for n, j in backend.training_jobs.items() if j.model_artifacts["S3ModelArtifacts"] == url)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        assert jobs.table.move_cursor_to_key(job)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, DescribeScreen) and app.screen.rtype.name == "models" and bool(app.screen.detail)
            ),
            what="the model built from the job",
            timeout=20,
        )
        assert app.screen.detail["ModelName"] == "fraud-detector-v7"  # type: ignore[attr-defined]
