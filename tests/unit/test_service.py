"""The service, without Textual: every call the UI needs, against the emulator over HTTP.

These are the calls the screens used to make themselves; each test counts what reached the
server, so a refactor that adds a request (or a silent retry) shows up here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from smtui.aws.errors import ReadOnlyRefused
from smtui.aws.target import Target
from smtui.catalog import Catalog, default_catalog
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.service import ActionPlan, Refusal, Service

CATALOG: Catalog = default_catalog()


def target(emu: EmulatorServer, **changes: Any) -> Target:
    return Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"), **changes)


@pytest.fixture
async def service(emu: EmulatorServer) -> AsyncIterator[Service]:
    seed_demo(emu)
    emu.faults.clear_requests()
    svc = Service(target(emu), catalog=CATALOG)
    try:
        yield svc
    finally:
        await svc.close()


def counts(emu: EmulatorServer) -> dict[str, Any]:
    return emu.faults.request_counts()


async def test_stream_lists_across_every_parent_and_labels_each_page(service: Service, emu: EmulatorServer) -> None:
    nodes = CATALOG.get("cluster-nodes")
    assert service.fans_out(nodes, {})
    batches = [b async for b in service.stream(nodes, {})]
    clusters = {b.params["ClusterName"] for b in batches}
    expected = {c["ClusterName"] for c in (await service.sagemaker.call("ListClusters"))["ClusterSummaries"]}
    assert clusters == expected and len(clusters) > 1
    assert all(b.last for b in batches)  # the demo's clusters fit one page each
    assert sum(len(b.items) for b in batches) > len(clusters)
    seen = counts(emu)["counts"]
    assert seen["ListClusters"] == 2  # once for the fan-out, once in this test
    assert seen["ListClusterNodes"] == len(clusters)


async def test_stream_of_one_parent_does_not_fan_out(service: Service, emu: EmulatorServer) -> None:
    nodes = CATALOG.get("cluster-nodes")
    cluster = (await service.sagemaker.call("ListClusters"))["ClusterSummaries"][0]["ClusterName"]
    emu.faults.clear_requests()
    batches = [b async for b in service.stream(nodes, {"ClusterName": cluster})]
    assert [b.params for b in batches] == [{"ClusterName": cluster}]
    assert counts(emu)["counts"] == {"ListClusterNodes": 1}


async def test_server_filter_fits_the_model_or_stays_on_the_client(service: Service) -> None:
    jobs = CATALOG.get("training-jobs")
    assert service.server_filter(jobs, "failed") == {"StatusEquals": "Failed"}
    assert service.server_filter(jobs, "llama") == {"NameContains": "llama"}
    # NameContains allows 63 characters: a longer filter would be refused by SageMaker.
    assert service.server_filter(jobs, "x" * 64) == {}
    assert service.server_filter(jobs, "x" * 63) == {"NameContains": "x" * 63}
    assert "63" in service.server_filter_note(jobs, "x" * 10_000)
    assert len(service.server_filter_note(jobs, "x" * 10_000)) < 80  # never repeats the text
    assert service.server_filter_note(jobs, "llama") == ""
    # The model's pattern for names refuses spaces: checked before sending, not after a refusal.
    assert service.server_filter(jobs, "my job") == {}
    assert "not valid in names" in service.server_filter_note(jobs, "my job")


async def test_describe_and_describe_part(service: Service, emu: EmulatorServer) -> None:
    endpoints = CATALOG.get("endpoints")
    detail = await service.describe(endpoints, {"EndpointName": "fraud-detector-v7-prod"})
    assert detail["EndpointName"] == "fraud-detector-v7-prod"
    merged = {**detail, "NotInTheModel": 1}
    assert "NotInTheModel" not in service.describe_part(endpoints, merged)
    assert counts(emu)["counts"] == {"DescribeEndpoint": 1}


async def test_jump_describes_the_source_first_when_its_summary_lacks_the_field(
    service: Service, emu: EmulatorServer
) -> None:
    endpoints = CATALOG.get("endpoints")
    jump = next(j for j in endpoints.jumps if j.key == "c")
    result = await service.resolve_jump(endpoints, jump, {"EndpointName": "fraud-detector-v7-prod"}, {})
    assert result.kind == "describe" and result.rtype is not None and result.rtype.name == "endpoint-configs"
    assert result.record["EndpointConfigName"]
    assert counts(emu)["counts"] == {"DescribeEndpoint": 1}


async def test_jump_with_list_params_needs_no_call(service: Service, emu: EmulatorServer) -> None:
    endpoints = CATALOG.get("endpoints")
    jump = next(j for j in endpoints.jumps if j.key == "i")
    result = await service.resolve_jump(endpoints, jump, {"EndpointName": "ep-a"}, {})
    assert result.kind == "list" and result.params == {"EndpointNameEquals": "ep-a"}
    assert counts(emu)["total"] == 0


async def test_client_filtered_jump_finds_the_model_of_a_training_job(service: Service, emu: EmulatorServer) -> None:
    jobs = CATALOG.get("training-jobs")
    jump = next(j for j in jobs.jumps if j.key == "m")
    summaries = await service.sagemaker.call("ListTrainingJobs", {"NameContains": "fraud-detector-v7-xgb"})
    job = next(s for s in summaries["TrainingJobSummaries"] if s["TrainingJobStatus"] == "Completed")
    said: list[str] = []
    result = await service.resolve_jump(jobs, jump, job, {}, progress=said.append)
    assert said == ["finding models from this job…"]
    assert result.kind == "describe" and result.record == {"ModelName": "fraud-detector-v7"}


async def test_jump_error_becomes_a_message_not_an_exception(service: Service, emu: EmulatorServer) -> None:
    endpoints = CATALOG.get("endpoints")
    jump = next(j for j in endpoints.jumps if j.key == "c")
    emu.faults.set([{"op": "DescribeEndpoint", "error": "AccessDeniedException", "status": 400}])
    try:
        result = await service.resolve_jump(endpoints, jump, {"EndpointName": "fraud-detector-v7-prod"}, {})
    finally:
        emu.faults.clear()
    assert result.kind == "message" and result.severity == "error" and "Endpoint config" in result.message


async def test_plan_refuses_in_read_only_and_the_client_refuses_too(emu: EmulatorServer) -> None:
    seed_demo(emu)
    emu.faults.clear_requests()
    svc = Service(target(emu, read_only=True), catalog=CATALOG)
    try:
        endpoints = CATALOG.get("endpoints")
        plan = svc.plan(endpoints, "delete", {"EndpointName": "fraud-detector-v7-prod"}, {})
        assert isinstance(plan, Refusal) and "read-only" in plan.message
        assert not svc.action_available(endpoints, "delete") and svc.offered_actions(endpoints) == []
        outcome = await svc.submit("DeleteEndpoint", {"EndpointName": "fraud-detector-v7-prod"})
        assert not outcome.ok and isinstance(outcome.error, ReadOnlyRefused)
    finally:
        await svc.close()
    assert counts(emu)["mutating"] == 0


async def test_plan_and_submit_a_delete(service: Service, emu: EmulatorServer) -> None:
    endpoints = CATALOG.get("endpoints")
    plan = service.plan(endpoints, "delete", {"EndpointName": "fraud-detector-v7-prod"}, {})
    assert isinstance(plan, ActionPlan)
    assert (plan.op, plan.name, plan.show_form) == ("DeleteEndpoint", "fraud-detector-v7-prod", False)
    assert plan.definition.danger == "type-name"
    outcome = await service.submit(plan.op, plan.model.request(), plan.name)
    assert outcome.ok and outcome.message == "DeleteEndpoint accepted: fraud-detector-v7-prod"
    assert counts(emu)["counts"] == {"DeleteEndpoint": 1}
    again = await service.submit(plan.op, plan.model.request(), plan.name)
    assert not again.ok and again.error is not None and again.error.kind == "not-found"


async def test_batch_plan_chunks_the_marked_nodes(service: Service, emu: EmulatorServer) -> None:
    nodes = CATALOG.get("cluster-nodes")
    cluster = (await service.sagemaker.call("ListClusters"))["ClusterSummaries"][0]["ClusterName"]
    listed = (await service.sagemaker.call("ListClusterNodes", {"ClusterName": cluster}))["ClusterNodeSummaries"]
    params = {"ClusterName": cluster}
    nothing = service.plan(nodes, "reboot", None, params, [])
    assert isinstance(nothing, Refusal)
    plan = service.plan(nodes, "reboot", listed[0], params, listed)
    assert isinstance(plan, ActionPlan) and plan.is_batch
    assert plan.batch_ids == [n["InstanceId"] for n in listed]
    emu.faults.clear_requests()
    outcome = await service.submit_batch(plan)
    assert outcome.ok, outcome.message
    assert counts(emu)["counts"] == {"BatchRebootClusterNodes": len(plan.batch_requests())}


async def test_retarget_points_later_calls_at_the_new_region(service: Service, emu: EmulatorServer) -> None:
    before = await service.sagemaker.call("ListEndpoints")
    assert before["Endpoints"]
    assert service.check_region("nowhere") is not None and service.check_region("eu-west-1") is None
    await service.retarget(service.target_for(region="eu-west-1"))
    assert service.target.region == "eu-west-1"
    after = await service.sagemaker.call("ListEndpoints")
    assert after["Endpoints"] == []  # the demo account lives in us-east-1 only


async def test_endpoint_weights_form_is_prefilled_from_the_running_variants(
    service: Service, emu: EmulatorServer
) -> None:
    """Found by a review: W on an endpoint opened a blank form, so the user retyped variant
    names and counts that SageMaker knew (and a typo changes live traffic)."""
    endpoints = CATALOG.get("endpoints")
    row = next(
        e
        for e in (await service.sagemaker.call("ListEndpoints"))["Endpoints"]
        if e["EndpointName"] == "fraud-detector-v7-prod"
    )
    assert "ProductionVariants" not in row  # the list summary does not carry them
    emu.faults.clear_requests()
    plan = await service.plan_detailed(endpoints, "update-weights", row, {})
    assert isinstance(plan, ActionPlan) and plan.op == "UpdateEndpointWeightsAndCapacities"
    described = await service.describe(endpoints, row)
    expected = [
        {
            "VariantName": v["VariantName"],
            "DesiredWeight": v["CurrentWeight"],
            "DesiredInstanceCount": v["CurrentInstanceCount"],
        }
        for v in described["ProductionVariants"]
    ]
    assert plan.model.request()["DesiredWeightsAndCapacities"] == expected
    assert plan.model.changes() == []  # nothing to submit until the user changes a number
    assert counts(emu)["counts"] == {"DescribeEndpoint": 2}  # one to plan, one by this test


async def test_a_list_across_regions_labels_rows_and_one_failing_region_does_not_stop_the_rest(
    service: Service, emu: EmulatorServer
) -> None:
    # An opt-in region that is not enabled answers every call with an error; the other
    # regions' rows still arrive, each labelled with its own region.
    from smtui.emulator.demo import seed_second_region
    from smtui.service import RegionFailed

    seed_second_region(emu)
    emu.faults.set([{"op": "ListEndpoints", "region": "ap-east-1", "error": "UnrecognizedClientException"}])
    emu.faults.clear_requests()
    endpoints = CATALOG.get("endpoints")
    regions, problem = service.parse_regions("us-east-1, eu-west-1,ap-east-1,eu-west-1")
    assert problem is None and regions == ["us-east-1", "eu-west-1", "ap-east-1"]
    rows: dict[str, list[str]] = {}
    failed: list[RegionFailed] = []
    async for item in service.stream_regions(endpoints, regions):
        if isinstance(item, RegionFailed):
            failed.append(item)
        else:
            rows.setdefault(item.region, []).extend(e["EndpointName"] for e in item.items)
    assert sorted(rows["eu-west-1"]) == ["fraud-detector-v7-eu", "search-rerank-eu"]
    assert "fraud-detector-v7-prod" in rows["us-east-1"] and "search-rerank-eu" not in rows["us-east-1"]
    assert [f.region for f in failed] == ["ap-east-1"] and "ap-east-1" not in rows
    # Each region was asked once, with its own signature, and nothing was changed anywhere.
    assert {r: emu.faults.regions[r] for r in regions} == {"us-east-1": 1, "eu-west-1": 1, "ap-east-1": 1}
    assert counts(emu)["mutating"] == 0
    # A row's own region is where it is described: the eu-west-1 service reaches eu-west-1.
    eu = service.regional("eu-west-1")
    assert eu is service.regional("eu-west-1") and eu.target.region == "eu-west-1"
    assert service.regional("us-east-1") is service
    detail = await eu.describe(endpoints, {"EndpointName": "search-rerank-eu"})
    assert detail["EndpointStatus"] == "Failed"
    assert service.parse_regions("us-east-1,nowhere")[1] is not None


async def test_an_update_form_from_a_list_row_is_prefilled_from_describe(service: Service, emu: EmulatorServer) -> None:
    # Finding: E on an MLflow tracking server row opened its Update form with ArtifactStoreUri
    # and the size blank (the list summary lacks them) while it said every field held the
    # current value; from the describe view the same form was filled.
    servers = CATALOG.get("mlflow-tracking-servers")
    row = next(
        s
        for s in (await service.sagemaker.call("ListMlflowTrackingServers"))["TrackingServerSummaries"]
        if s["TrackingServerStatus"] == "Created"
    )
    assert "ArtifactStoreUri" not in row
    emu.faults.clear_requests()
    plan = await service.plan_detailed(servers, "update", row, {})
    assert isinstance(plan, ActionPlan) and plan.op == "UpdateMlflowTrackingServer"
    described = await service.describe(servers, row)
    assert plan.model.get(["ArtifactStoreUri"]) == described["ArtifactStoreUri"]
    assert counts(emu)["counts"].get("DescribeMlflowTrackingServer") == 2 and counts(emu)["mutating"] == 0


async def test_profile_in_the_demo_says_the_demo_has_one_account_first(emu: EmulatorServer) -> None:
    # Finding (fresh-eyes review): ':profile' in the demo answered "known: none" beside a header
    # reading profile:demo; only ':profile foo' said that profiles apply to real AWS.
    demo = Service(target(emu), catalog=CATALOG, demo=True)
    try:
        for name in (None, "", "prod"):
            assert demo.check_profile(name) == "the demo has one account; profiles apply to real AWS"
    finally:
        await demo.close()


def test_all_regions_are_every_region_botocore_knows_for_sagemaker() -> None:
    import botocore.session

    from smtui.ui.format import regions_label

    regions, problem = Service.parse_regions("all")
    assert problem is None
    assert regions == botocore.session.get_session().get_available_regions("sagemaker")
    assert {"us-east-1", "eu-west-1"} <= set(regions)
    # The header and the crumb name a few regions, and count many.
    assert regions_label(["us-east-1", "eu-west-1"]) == "us-east-1,eu-west-1"
    assert regions_label(regions) == f"{len(regions)} regions"
