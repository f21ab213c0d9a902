"""One list across regions: each row acts in its own region, and one failing region does not
stop the others (issue 14, point 4). Everything is counted at the emulator, per signed region."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from smtui.emulator.demo import seed_second_region
from smtui.emulator.seed import seed_demo, state_of
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.confirm import ConfirmScreen
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ContextBar, ErrorBanner
from tests.app.helpers import loaded, make_app, prompt_error, screen_text, wait_for

REGIONS = ("us-east-1", "eu-west-1", "ap-east-1")


async def test_a_list_across_regions_describes_and_deletes_in_the_rows_own_region(emu: EmulatorServer) -> None:
    seed_demo(emu)
    seed_second_region(emu)
    # ap-east-1 stands for an opt-in region the account has not enabled.
    emu.faults.set([{"op": "ListEndpoints", "region": "ap-east-1", "error": "UnrecognizedClientException"}])
    app = make_app(emu, "endpoints", regions=REGIONS)
    async with app.run_test(size=(100, 30)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        table = endpoints.table
        assert endpoints.regions == REGIONS
        assert "eu-west-1/search-rerank-eu" in table.rows and "us-east-1/fraud-detector-v7-prod" in table.rows
        assert table.rows["eu-west-1/search-rerank-eu"].cells[0] == "eu-west-1"
        text = await screen_text(pilot)
        # The failing region is named where the user looks; the other two still listed.
        assert "ap-east-1" in text and "1 of 3 regions failed: ap-east-1" in text

        # Enter describes the row in its region, and the header says which.
        assert table.move_cursor_to_key("eu-west-1/search-rerank-eu")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        assert describe.service.target.region == "eu-west-1" and describe.detail["EndpointStatus"] == "Failed"
        assert app.screen.query_one(ContextBar).region_name == "eu-west-1"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))

        # A create has no region to go to in a list across three: refused, nothing sent.
        emu.faults.clear_requests()
        await pilot.press("C")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmScreen)
        assert emu.faults.request_counts()["mutating"] == 0

        # Delete of the eu-west-1 row asks by name and region, and goes to eu-west-1 only.
        assert table.move_cursor_to_key("eu-west-1/search-rerank-eu")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.title_text == "DeleteEndpoint search-rerank-eu in eu-west-1?"
        emu.faults.clear_requests()
        confirm.query_one(Input).value = "search-rerank-eu"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: emu.faults.request_counts()["counts"].get("DeleteEndpoint"), what="the delete sent"
        )
        await pilot.pause(0.5)
        counts = emu.faults.request_counts()
        assert counts["counts"]["DeleteEndpoint"] == 1 and counts["mutating"] == 1
        # The change went to eu-west-1 and nowhere else (the lists keep polling both regions).
        deletes = {region: n for (op, region), n in emu.faults.op_regions.items() if op == "DeleteEndpoint"}
        assert deletes == {"eu-west-1": 1}
        eu = state_of(emu.ext(region="eu-west-1")).backend.endpoints
        gone_or_going = "search-rerank-eu" not in eu or eu["search-rerank-eu"].endpoint_status == "Deleting"
        assert gone_or_going
        assert "fraud-detector-v7-prod" in state_of(emu).backend.endpoints


async def test_a_list_across_regions_is_live_in_each_region(emu: EmulatorServer) -> None:
    seed_demo(emu)
    seed_second_region(emu)
    app = make_app(emu, "endpoints", regions=("us-east-1", "eu-west-1"))
    async with app.run_test(size=(100, 30)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        table = endpoints.table
        assert set(endpoints.region_pollers) == {"us-east-1", "eu-west-1"}
        status = table.column_index("EndpointStatus")
        assert status is not None
        # The eu-west-1 endpoint fails behind smtui's back: its row turns Failed with no key,
        # and the us-east-1 row of the same model is left alone.
        eu = state_of(emu.ext(region="eu-west-1")).backend.endpoints["fraud-detector-v7-eu"]
        eu.endpoint_status, eu.failure_reason = "Failed", "CapacityError: eu-west-1a"
        emu.faults.clear_requests()
        await wait_for(
            pilot,
            lambda: table.rows["eu-west-1/fraud-detector-v7-eu"].cells[status] == "Failed",
            what="the eu-west-1 row live",
        )
        assert table.rows["us-east-1/fraud-detector-v7-prod"].cells[status] == "InService"
        assert emu.faults.regions["eu-west-1"] >= 1 and emu.faults.request_counts()["mutating"] == 0
        assert "regions" in await screen_text(pilot)  # the live line says it covers the regions


async def test_burning_across_regions_names_each_items_region_and_opens_it_there(emu: EmulatorServer) -> None:
    from smtui.ui.screens.burning import BurningScreen

    seed_demo(emu)
    seed_second_region(emu)
    app = make_app(emu, "endpoints", regions=("us-east-1", "eu-west-1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("colon", *"burning", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.rounds > 0, what="burning")
        burning = app.screen
        assert isinstance(burning, BurningScreen) and burning.regions == ("us-east-1", "eu-west-1")
        table = burning.table
        eu_rows = [k for k in table.rows if k.startswith("eu-west-1/")]
        assert any("search-rerank-eu" in k for k in eu_rows) and any("churn-xgb-v13-eu" in k for k in eu_rows)
        assert any(k.startswith("us-east-1/") and "churn-scoring-staging" in k for k in table.rows)
        key = next(k for k in eu_rows if "search-rerank-eu" in k)
        assert table.rows[key].cells[0] == "eu-west-1"
        assert table.move_cursor_to_key(key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        assert describe.service.target.region == "eu-west-1" and describe.detail["EndpointStatus"] == "Failed"


async def test_a_list_across_profiles_has_a_profile_column_and_acts_as_the_rows_profile(
    emu: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 14, point 4: ":profile a,b" opens one list across profiles, with PROFILE and REGION
    # columns; a failing profile (here its region) shows in place and the other carries on;
    # Enter and the action keys go through the row's own profile.
    config = tmp_path / "config"
    config.write_text("[profile prod]\nregion = us-east-1\n[profile staging]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    seed_demo(emu)
    seed_second_region(emu)
    emu.faults.set([{"op": "ListEndpoints", "region": "ap-east-1", "error": "UnrecognizedClientException"}])
    app = make_app(emu, "endpoints")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        await pilot.press("colon")
        await pilot.press(*"profile prod,nosuch", "enter")
        await pilot.pause(0.2)
        assert "unknown profile 'nosuch'" in prompt_error(app)
        await pilot.press("escape")
        await pilot.press("colon")
        await pilot.press(*"region us-east-1,ap-east-1", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and len(app.screen.regions) == 2)
        await pilot.press("colon")
        await pilot.press(*"profile prod,staging", "enter")
        scopes = ("prod/us-east-1", "prod/ap-east-1", "staging/us-east-1", "staging/ap-east-1")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ResourceListScreen) and app.screen.regions == scopes and app.screen.complete,
            what="the list across profiles",
        )
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        table = listing.table
        row = table.rows["staging/us-east-1/fraud-detector-v7-prod"]
        assert row.cells[:2] == ["staging", "us-east-1"] and "prod/us-east-1/fraud-detector-v7-prod" in table.rows
        text = await screen_text(pilot)
        assert "PROFILE" in text and "REGION" in text
        assert "2 of 4 profile-regions failed" in text  # both profiles' ap-east-1, named in place
        assert app.screen.query_one(ContextBar).profile_name == "prod,staging"
        assert table.move_cursor_to_key("staging/us-east-1/fraud-detector-v7-prod")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        assert describe.service.target.profile == "staging" and describe.service.target.region == "us-east-1"
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.title_text == "DeleteEndpoint fraud-detector-v7-prod in staging/us-east-1?"
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert emu.faults.request_counts()["mutating"] == 0


async def test_a_region_that_failed_to_list_is_polled_until_it_answers(emu: EmulatorServer) -> None:
    # A region refused once (a blip, an expired token) stayed empty until the user pressed r:
    # no poller was started for it. Now it is polled like the others, and its rows come in.
    seed_demo(emu)
    seed_second_region(emu)
    emu.faults.set([{"op": "ListEndpoints", "region": "eu-west-1", "error": "AccessDeniedException", "first": 1}])
    app = make_app(emu, "endpoints", regions=("us-east-1", "eu-west-1"))
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await loaded(pilot, "endpoints")
        # Its first list was refused (the rule fires once); its poll may already have come.
        await wait_for(
            pilot, lambda: "eu-west-1/search-rerank-eu" in listing.table.rows, what="eu-west-1's rows from its poll"
        )
        assert not listing.region_errors
        assert not listing.query_one(ErrorBanner).display
        lists = {region: n for (op, region), n in emu.faults.op_regions.items() if op == "ListEndpoints"}
        assert lists["eu-west-1"] >= 2 and emu.faults.request_counts()["mutating"] == 0


async def test_a_read_only_profile_stays_read_only_in_a_list_across_profiles(
    emu: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The settings keep prod read-only; the app started as staging. A prod row's service must
    # refuse changes like prod itself, and :profile NAME ends the list across profiles.
    from smtui.config import PollSettings, Settings

    config = tmp_path / "config"
    config.write_text("[profile prod]\nregion = us-east-1\n[profile staging]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    seed_demo(emu)
    settings = Settings(
        poll=PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0),
        read_only_profiles=frozenset({"prod"}),
    )
    app = make_app(emu, "endpoints", settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "endpoints")
        assert app.service.regional("prod/us-east-1").target.read_only
        assert not app.service.regional("staging/us-east-1").target.read_only
        assert app.run_command("profile prod,staging") is None
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and app.screen.profiles)
        assert app.run_command("profile staging") is None
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen) and not app.screen.regions)
        assert app.scope_regions == ()


async def test_a_list_across_regions_keeps_its_5xx_column_one_call_per_region(
    emu: EmulatorServer, aio_session: Any
) -> None:
    # Left from the last review: across regions the endpoints list dropped its 5XX/15m column.
    # CloudWatch is regional: one GetMetricData per region per tick, and a region whose
    # CloudWatch refuses keeps its cells empty while the others fill.
    seed_demo(emu)
    seed_second_region(emu)
    now = dt.datetime.now(dt.UTC)
    dims = [{"Name": "EndpointName", "Value": "search-rerank-eu"}, {"Name": "VariantName", "Value": "AllTraffic"}]
    data = [
        {
            "MetricName": "Invocation5XXErrors",
            "Dimensions": dims,
            "Value": v,
            "Timestamp": now - dt.timedelta(minutes=3 + i),
        }
        for i, v in enumerate([4.0, 3.0])
    ]
    async with aio_session.create_client("cloudwatch", endpoint_url=emu.url, region_name="eu-west-1") as cw:
        await cw.put_metric_data(Namespace="AWS/SageMaker", MetricData=data)
    app = make_app(emu, "endpoints", regions=REGIONS)
    async with app.run_test(size=(100, 30)) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        table = endpoints.table
        column = len(table.columns) - 1
        assert table.columns[column].title == "5XX/15m"
        await wait_for(pilot, lambda: table.rows["eu-west-1/search-rerank-eu"].cells[column] == "7", what="eu filled")
        assert table.rows["us-east-1/fraud-detector-v7-prod"].cells[column] != ""
        calls = {region: emu.faults.op_regions[("GetMetricData", region)] for region in ("us-east-1", "eu-west-1")}
        assert all(n >= 1 for n in calls.values()), calls
        # Then eu-west-1's CloudWatch refuses: its cells keep their last values, the note says
        # which region, and us-east-1's column carries on.
        emu.faults.set([{"op": "GetMetricData", "region": "eu-west-1", "error": "AccessDeniedException"}])
        before = emu.faults.op_regions[("GetMetricData", "us-east-1")]
        await wait_for(pilot, lambda: "eu-west-1" in endpoints.metrics_note, what="the failing region named")
        assert table.rows["eu-west-1/search-rerank-eu"].cells[column] == "7"
        await wait_for(pilot, lambda: emu.faults.op_regions[("GetMetricData", "us-east-1")] > before, what="us goes on")
