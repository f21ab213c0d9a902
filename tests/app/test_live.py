"""Live status in the real app: changes appear without a keypress, throttling backs off, faults-only."""

from __future__ import annotations

from smtui.aws.client import SageMaker, Target
from smtui.emulator.seed import seed_demo, seed_inference_components
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.resource_table import ResourceTable
from tests.app.helpers import SIZE, loaded, make_app, screen_text, wait_for


def cell(screen: ResourceListScreen, key: str, title: str) -> str:
    index = next(i for i, col in enumerate(screen.table.columns) if col.title == title)
    return screen.table.rows[key].cells[index]


async def change_copies(emu: EmulatorServer, name: str, copies: int) -> None:
    client = SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))
    try:
        await client.call(
            "UpdateInferenceComponentRuntimeConfig",
            {"InferenceComponentName": name, "DesiredRuntimeConfig": {"CopyCount": copies}},
        )
    finally:
        await client.close()


async def test_status_change_appears_without_a_keypress(emu: EmulatorServer) -> None:
    seed_inference_components(emu, 6, endpoint="shared")
    emu.set_pace("inference-component", {"progression": "manual", "times": 3})
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "inference-components")
        status_col = next(c.title for c in screen.rtype.columns if c.kind == "status")
        assert cell(screen, "ic-0002", status_col) == "InService"
        await change_copies(emu, "ic-0002", 3)
        await wait_for(pilot, lambda: cell(screen, "ic-0002", status_col) == "Updating", what="Updating shown")
        assert screen.table.rows["ic-0002"].last_change > 0
        # The poller describes rows in transition, so the IC settles on its own.
        await wait_for(pilot, lambda: cell(screen, "ic-0002", status_col) == "InService", what="settled", timeout=15)
        others = [r for k, r in screen.table.rows.items() if k != "ic-0002"]
        assert all(r.last_change == 0 for r in others), [(r.key, r.cells, r.changed_at) for r in others]


async def test_only_changed_cells_are_rewritten(emu: EmulatorServer) -> None:
    seed_inference_components(emu, 20, endpoint="shared")
    emu.set_pace("inference-component", {"progression": "manual", "times": 1000})
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "inference-components")
        copies = next(c.title for c in screen.rtype.columns if c.kind == "copies")
        await wait_for(pilot, lambda: all(cell(screen, k, copies) for k in screen.table.rows), what="copies filled")
        screen.table.cells_rewritten = 0
        await pilot.pause(1.0)  # a few quiet polls: nothing changes, nothing is rewritten
        assert screen.table.cells_rewritten == 0
        before = dict(zip([c.title for c in screen.table.columns], screen.table.rows["ic-0007"].cells, strict=False))
        await change_copies(emu, "ic-0007", 2)
        await wait_for(pilot, lambda: screen.table.cells_rewritten > 0, what="a rewrite")
        after = dict(zip([c.title for c in screen.table.columns], screen.table.rows["ic-0007"].cells, strict=False))
        changed = [c for c in before if before[c] != after[c]]
        assert changed, "the status/copies cells should have changed"
        assert screen.table.cells_rewritten == len(changed)


async def test_throttled_poll_backs_off_then_recovers(emu: EmulatorServer) -> None:
    seed_inference_components(emu, 3, endpoint="shared")
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "inference-components")
        emu.faults.set([{"op": "ListInferenceComponents", "error": "ThrottlingException", "status": 400}])
        await wait_for(pilot, lambda: "throttled" in screen.live_text, what="throttled status", timeout=15)
        assert "next poll in" in screen.live_text
        assert "throttled" in await screen_text(pilot)
        assert len(screen.table.rows) == 3  # the rows stay while backing off
        emu.faults.clear()
        await wait_for(pilot, lambda: screen.live_text.startswith("live"), what="recovered", timeout=15)


async def test_faults_only_shows_exactly_the_unhealthy_nodes(emu: EmulatorServer) -> None:
    seed_demo(emu)
    backend = emu.backend()
    unhealthy = {
        f"{cluster.cluster_name}/{node_id}"
        for cluster in backend.clusters.values()
        for node_id, node in cluster.nodes.items()
        if node.summary()["InstanceStatus"]["Status"] != "Running"
    }
    assert unhealthy, "the demo has a failing node"
    app = make_app(emu, start="cluster-nodes")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceListScreen)
                and app.screen.rtype.name == "cluster-nodes"
                and app.screen.complete
            ),
        )
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        assert screen.fanout  # nodes across every cluster
        assert len(screen.table.rows) > len(unhealthy)
        await pilot.press("ctrl+z")
        assert set(screen.table.view) == unhealthy
        assert "faults only" in await screen_text(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        assert "Xid 79" in await screen_text(pilot)


async def test_failure_raises_a_notification(emu: EmulatorServer) -> None:
    seed_inference_components(emu, 3, endpoint="shared")
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "inference-components")
        emu.fail("ic-0001", "Insufficient capacity for 2 copies")
        await wait_for(
            pilot,
            lambda: any("ic-0001" in str(n.message) for n in app._notifications),
            what="failure notification",
        )
        note = next(n for n in app._notifications if "ic-0001" in str(n.message))
        assert note.severity == "error"
        assert "Insufficient capacity" in str(note.message)


async def test_whats_burning_lists_the_unhealthy_and_jumps(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("colon", *list("burning"), "enter")
        from smtui.ui.screens.burning import BurningScreen

        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.rounds > 0, timeout=20)
        screen = app.screen
        assert isinstance(screen, BurningScreen)
        names = {row.cells[1] for row in screen.query_one(ResourceTable).rows.values()}
        assert {"churn-scoring-staging", "sdxl-turbo-ic"} <= names  # failed endpoint and IC
        assert "llama3-70b-sft-oom" in names  # a training job that failed recently
        assert not {"llama3-70b-prod", "fraud-detector-v7-prod"} & names  # healthy ones stay out
        text = await screen_text(pilot)
        assert "CapacityError" in text
        table = screen.query_one(ResourceTable)
        key = next(k for k, r in table.rows.items() if r.cells[1] == "churn-scoring-staging")
        table.move_cursor_to_key(key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        assert app.screen.detail["EndpointName"] == "churn-scoring-staging"  # type: ignore[attr-defined]
        # Live: a new failure appears without a keypress.
        await pilot.press("escape")
        emu.fail("llama3-70b-ic", "Model container crashed: exit code 137")
        await wait_for(
            pilot,
            lambda: any(r.cells[1] == "llama3-70b-ic" for r in table.rows.values()),
            what="new failure in the burning view",
            timeout=20,
        )


async def test_a_change_that_settles_between_polls_still_shows(emu: EmulatorServer) -> None:
    # With immediate pacing the update is over before the next poll: the row never looks
    # transitional, so the poller must notice the summary moved and describe it again.
    seed_inference_components(emu, 4, endpoint="shared")
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "inference-components")
        copies = next(c.title for c in screen.rtype.columns if c.kind == "copies")
        await wait_for(pilot, lambda: cell(screen, "ic-0001", copies) == "1/1", what="copies filled")
        await change_copies(emu, "ic-0001", 3)
        await wait_for(pilot, lambda: cell(screen, "ic-0001", copies) == "3/3", what="new copy count", timeout=15)
