"""Metrics, the timeline and the hand-offs in the real app at 80x24, against the emulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Sparkline

from smtui.emulator.seed import add_cluster, add_endpoint, fail_node, state_of
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.timeline import TimelineScreen
from smtui.ui.widgets.metrics import MetricsPanel
from tests.app.helpers import loaded, make_app, screen_text, wait_for

SMALL = (80, 24)
VARIANT = {"EndpointName": "ep-a", "VariantName": "AllTraffic"}


async def put(emu: EmulatorServer, aio_session: Any, name: str, dims: dict[str, str], values: list[float]) -> None:
    now = dt.datetime.now(dt.UTC)
    data = [
        {
            "MetricName": name,
            "Value": v,
            "Dimensions": [{"Name": k, "Value": x} for k, x in dims.items()],
            "Timestamp": now - dt.timedelta(minutes=len(values) - i),
        }
        for i, v in enumerate(values)
    ]
    async with aio_session.create_client("cloudwatch", endpoint_url=emu.url, region_name="us-east-1") as cw:
        await cw.put_metric_data(Namespace="AWS/SageMaker", MetricData=data)


def metric_calls(emu: EmulatorServer) -> int:
    return int(emu.faults.request_counts()["counts"].get("GetMetricData", 0))


async def test_describe_shows_sparklines_and_the_list_a_5xx_column(emu: EmulatorServer, aio_session: Any) -> None:
    add_endpoint(state_of(emu), "ep-a", "model")
    add_endpoint(state_of(emu), "ep-b", "model")
    await put(emu, aio_session, "Invocations", VARIANT, [10, 40, 90, 160])
    await put(emu, aio_session, "Invocation5XXErrors", VARIANT, [1, 0, 2])
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        screen = await loaded(pilot, "endpoints")
        column = len(screen.table.columns) - 1
        assert screen.table.columns[column].title == "5XX/15m"
        await wait_for(pilot, lambda: screen.table.rows["ep-a"].cells[column] == "3", what="5XX column filled")
        assert screen.table.rows["ep-b"].cells[column] == "0"
        screen.table.move_cursor_to_key("ep-a")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen), what="describe")
        panel = app.screen.query_one(MetricsPanel)
        await wait_for(pilot, lambda: len(panel.rows) == 8, what="metric rows")
        invocations = next(r for r in panel.rows.values() if r.series.query.name == "Invocations")
        assert invocations.series.values == [10.0, 40.0, 90.0, 160.0]
        drawn = list(invocations.query_one(Sparkline).data or [])
        assert len(drawn) == 60 and [v for v in drawn if v] == [10.0, 40.0, 90.0, 160.0]  # gaps drawn as 0
        text = await screen_text(pilot)
        assert "Invocations" in text and "160 (10–160)" in text
        assert "EndpointName" in text  # the tree still has room at 80x24
        before = metric_calls(emu)
        await wait_for(pilot, lambda: metric_calls(emu) >= before + 2, what="two more ticks")
        ticks = [r for r in emu.faults.log if r["op"] == "GetMetricData"]
        assert len(ticks) == metric_calls(emu)  # each tick is one call, the whole panel in it


async def test_timeline_from_a_list_row_shows_what_the_poller_saw(emu: EmulatorServer) -> None:
    add_endpoint(state_of(emu), "ep-a", "model")
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        screen = await loaded(pilot, "endpoints")
        await wait_for(pilot, lambda: screen.poller.polls >= 1, what="a baseline poll")
        emu.fail("ep-a", "CapacityError: no capacity")
        status = next(i for i, c in enumerate(screen.rtype.columns) if c.kind == "status")
        await wait_for(pilot, lambda: screen.table.rows["ep-a"].cells[status] == "Failed", what="failed shown")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TimelineScreen) and app.screen.timeline, what="timeline")
        text = await screen_text(pilot)
        assert "InService → Failed" in text and "Error" in text
        await pilot.press("f", "f")  # errors only: the failure stays
        assert "InService → Failed" in await screen_text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back to the list")


async def test_node_hand_offs_copy_the_ssm_command_and_write_a_bundle(
    emu: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("smtui.service.bundle.state_dir", lambda: tmp_path)
    state = state_of(emu)
    add_cluster(state, "hp", [("workers", "ml.p5.48xlarge", 2)])
    bad = fail_node(state, "hp", "workers", "Xid 79")
    app = make_app(emu, start="clusters")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "clusters")
        await pilot.press("n")
        nodes = await loaded(pilot, "cluster-nodes")
        nodes.table.move_cursor_to_key(bad)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "start-session" in app.clipboard, what="the command copied")
        assert f"_workers-{bad} " in app.clipboard and app.clipboard.startswith("aws ssm start-session --target")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.clipboard.startswith("https://"), what="the console URL copied")
        assert app.clipboard.endswith("#/cluster-management/hp")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: list((tmp_path / "incidents").glob("*.md")), what="the bundle")
        (bundle,) = (tmp_path / "incidents").glob("*.md")
        text = bundle.read_text()
        assert "Xid 79" in text and "## Timeline" in text and bad in text
        messages = [n.message for n in app._notifications]
        assert any(str(bundle) in m for m in messages)


async def test_metrics_access_denied_stays_in_the_panel(emu: EmulatorServer) -> None:
    add_endpoint(state_of(emu), "ep-a", "model")
    emu.faults.set([{"op": "GetMetricData", "error": "AccessDeniedException"}])
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SMALL) as pilot:
        screen = await loaded(pilot, "endpoints")
        await wait_for(pilot, lambda: "5XX/15m: access denied" in screen.metrics_note, what="the list's note")
        assert screen.table.rows["ep-a"].cells[-1] == ""  # no value, not a made-up zero
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.detail, what="describe")
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        await wait_for(pilot, lambda: describe.metrics_feed is not None and describe.metrics_feed.ticks, what="a tick")
        text = await screen_text(pilot)
        assert "cloudwatch:GetMetricData" in text or "access denied" in text
        from smtui.ui.widgets.chrome import ErrorBanner

        assert not describe.query_one(ErrorBanner).display  # the describe itself is fine
        assert "EndpointStatus: InService" in text
        calls = metric_calls(emu)
        await pilot.pause(1.5)  # three slow intervals: a permanent error waits for r
        assert metric_calls(emu) == calls
