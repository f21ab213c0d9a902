"""The describe view: problems on top, tree/YAML/JSON, search, copy over OSC 52, live refresh."""

from __future__ import annotations

import json

from textual.widgets import TextArea, Tree

from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.describe import DescribeScreen, problems_of
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.related import RelatedPanel
from tests.app.helpers import SIZE, make_app, screen_text, wait_for


async def open_describe(pilot: object, app: object, type_name: str, key: str) -> DescribeScreen:
    from smtui.ui.app import SmtuiApp

    assert isinstance(app, SmtuiApp)
    await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.complete)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    assert screen.table.move_cursor_to_key(key)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))  # type: ignore[arg-type]
    describe = app.screen
    assert isinstance(describe, DescribeScreen)
    return describe


async def test_failure_reason_is_on_top_and_times_are_local_and_relative(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await open_describe(pilot, app, "endpoints", "churn-scoring-staging")
        text = await screen_text(pilot)
        lines = text.splitlines()
        reason_line = next(i for i, line in enumerate(lines) if "FailureReason" in line and "⚠" in line)
        tree_line = next(i for i, line in enumerate(lines) if "EndpointArn" in line)
        assert reason_line < tree_line  # problems come before the tree
        assert "CapacityError" in lines[reason_line]
        assert "ago)" in text  # CreationTime shown as local time plus relative


async def test_yaml_json_toggle_and_search(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        describe = await open_describe(pilot, app, "endpoints", "llama3-70b-prod")
        await pilot.press("y")
        raw = describe.query_one("#raw", TextArea)
        assert describe.view_mode == "yaml" and raw.display
        assert "EndpointName: llama3-70b-prod" in raw.text
        await pilot.press("y")
        assert describe.view_mode == "json"
        assert json.loads(raw.text)["EndpointName"] == "llama3-70b-prod"
        await pilot.press("slash", *list("variantname"), "enter")
        assert describe.matches, "search found nothing"
        row, _col = describe.matches[describe.match_index]
        assert "variantname" in raw.document.get_line(row).lower()
        assert raw.selected_text.lower() == "variantname"
        # Found by a review: Enter left the box focused, so n n N were typed into the search.
        assert not describe.query_one("#search").display and describe.focused is raw
        await pilot.press("n")
        assert describe.match_index == 1 % len(describe.matches)
        await pilot.press("escape")  # clears the search; the view stays
        assert describe.is_current and describe.search_text == ""
        await pilot.press("y")
        assert describe.view_mode == "tree"
        await pilot.press("slash", *list("InService"), "enter")
        await pilot.pause(0.2)
        node = describe.query_one(Tree).cursor_node
        assert node is not None and "InService" in str(node.label)


async def test_copy_value_and_arn_use_the_clipboard(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        describe = await open_describe(pilot, app, "endpoints", "genai-shared-g5")
        await pilot.press("ctrl+a")
        assert app.clipboard == describe.detail["EndpointArn"]
        tree = describe.query_one(Tree)
        target = next(n for n in tree.root.children if str(n.label).startswith("EndpointName"))
        tree.move_cursor(target)
        await pilot.pause(0.2)
        await pilot.press("ctrl+y")
        assert app.clipboard == "genai-shared-g5"


async def test_endpoint_detail_lists_its_inference_components_live(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await open_describe(pilot, app, "endpoints", "genai-shared-g5")
        panel = app.screen.query_one(RelatedPanel)
        await wait_for(pilot, lambda: "llama3-8b-chat-ic" in panel.shown, what="the endpoint's ICs")
        assert "llama3-70b-ic" not in panel.shown  # only this endpoint's components
        assert panel.shown["llama3-8b-chat-ic"] == "InService"
        emu.fail("llama3-8b-chat-ic", "container exited")
        await wait_for(pilot, lambda: panel.shown["llama3-8b-chat-ic"] == "Failed", what="the panel shows the failure")
        assert "Failed" in await screen_text(pilot)


def test_problems_are_found_anywhere_in_the_response() -> None:
    response = {
        "Status": "Failed",
        "FailureReason": "boom",
        "Nodes": [{"InstanceStatus": {"Status": "Failure", "Message": "GPU Xid 79"}}],
    }
    assert problems_of(response) == [("FailureReason", "boom"), ("Nodes[0].InstanceStatus.Message", "GPU Xid 79")]
