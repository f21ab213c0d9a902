"""Endpoints and inference components: round trips, filters, pagination and pacing."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.seed import seed_endpoints, seed_models
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE, make_endpoint, make_ic, paginate


async def test_inference_component_round_trip(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a", copies=2)
    ic = await sm.describe_inference_component(InferenceComponentName="ic-a")
    assert ic["InferenceComponentStatus"] == "InService"
    assert ic["RuntimeConfig"] == {"DesiredCopyCount": 2, "CurrentCopyCount": 2}
    assert ic["EndpointName"] == "ep" and ic["VariantName"] == "AllTraffic"
    assert ic["Specification"]["ComputeResourceRequirements"]["MinMemoryRequiredInMb"] == 1024
    await sm.update_inference_component(InferenceComponentName="ic-a", RuntimeConfig={"CopyCount": 3})
    ic = await sm.describe_inference_component(InferenceComponentName="ic-a")
    assert ic["RuntimeConfig"]["CurrentCopyCount"] == 3
    await sm.delete_inference_component(InferenceComponentName="ic-a")
    with pytest.raises(ClientError) as err:
        await sm.describe_inference_component(InferenceComponentName="ic-a")
    assert err.value.response["Error"]["Code"] == "ValidationException"


async def test_create_on_missing_endpoint_and_duplicate(sm: Any) -> None:
    with pytest.raises(ClientError, match="Could not find endpoint"):
        await make_ic(sm, "ic-a", endpoint="nope")
    await make_endpoint(sm)
    await make_ic(sm, "ic-a")
    with pytest.raises(ClientError, match="already existing"):
        await make_ic(sm, "ic-a")


async def test_list_filters_sort_and_pagination(sm: Any) -> None:
    await make_endpoint(sm, "ep")
    await make_endpoint(sm, "other")
    for i in range(7):
        await make_ic(sm, f"chat-{i}")
    await make_ic(sm, "embed-0", endpoint="other")
    pages = await paginate(sm, "list_inference_components", "InferenceComponents", PaginationConfig={"PageSize": 3})
    assert [len(p) for p in pages] == [3, 3, 2]
    names = [i["InferenceComponentName"] for p in pages for i in p]
    assert names[0] == "embed-0"  # newest first, AWS's default order
    only = await sm.list_inference_components(EndpointNameEquals="other")
    assert [i["InferenceComponentName"] for i in only["InferenceComponents"]] == ["embed-0"]
    by_name = await sm.list_inference_components(
        NameContains="chat", SortBy="Name", SortOrder="Ascending", MaxResults=100
    )
    assert [i["InferenceComponentName"] for i in by_name["InferenceComponents"]] == [f"chat-{i}" for i in range(7)]
    assert (await sm.list_inference_components(StatusEquals="Failed"))["InferenceComponents"] == []
    assert (await sm.list_inference_components(VariantNameEquals="AllTraffic", MaxResults=100))["InferenceComponents"]


async def test_scaling_steps_copy_count_under_manual_pacing(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a", copies=2)
    emu.set_pace("inference-component", {"progression": "manual", "times": 1})
    await sm.update_inference_component_runtime_config(
        InferenceComponentName="ic-a", DesiredRuntimeConfig={"CopyCount": 4}
    )
    seen = []
    for _ in range(3):
        ic = await sm.describe_inference_component(InferenceComponentName="ic-a")
        seen.append((ic["InferenceComponentStatus"], ic["RuntimeConfig"]["CurrentCopyCount"]))
    assert seen == [("Updating", 3), ("InService", 4), ("InService", 4)]
    assert ic["RuntimeConfig"]["DesiredCopyCount"] == 4


async def test_update_while_updating_is_rejected(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a")
    emu.set_pace("inference-component", {"progression": "manual", "times": 5})
    await sm.update_inference_component_runtime_config(
        InferenceComponentName="ic-a", DesiredRuntimeConfig={"CopyCount": 3}
    )
    with pytest.raises(ClientError, match="cannot be updated"):
        await sm.update_inference_component_runtime_config(
            InferenceComponentName="ic-a", DesiredRuntimeConfig={"CopyCount": 1}
        )


async def test_time_based_pacing_shows_in_lists(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    emu.set_pace("inference-component", {"progression": "time", "seconds": 0.3})
    await make_ic(sm, "ic-a", copies=1)
    first = (await sm.list_inference_components())["InferenceComponents"][0]
    assert first["InferenceComponentStatus"] == "Creating"
    await asyncio.sleep(0.4)
    later = (await sm.list_inference_components())["InferenceComponents"][0]
    assert later["InferenceComponentStatus"] == "InService"


async def test_endpoint_lifecycle_and_update(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("endpoint", {"progression": "manual", "times": 2})
    await make_endpoint(sm)
    statuses = [(await sm.describe_endpoint(EndpointName="ep"))["EndpointStatus"] for _ in range(3)]
    assert statuses == ["Creating", "InService", "InService"]
    waiter = sm.get_waiter("endpoint_in_service")
    await waiter.wait(EndpointName="ep", WaiterConfig={"Delay": 0, "MaxAttempts": 3})
    await sm.create_endpoint_config(
        EndpointConfigName="ep-config-2",
        ProductionVariants=[
            {
                "VariantName": "blue",
                "ModelName": "ep-model",
                "InstanceType": "ml.g5.48xlarge",
                "InitialInstanceCount": 2,
            }
        ],
    )
    await sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-config-2")
    described = await sm.describe_endpoint(EndpointName="ep")
    assert described["EndpointStatus"] == "Updating"
    # The current configuration serves until the new one is deployed.
    assert described["EndpointConfigName"] == "ep-config"
    assert described["PendingDeploymentSummary"]["EndpointConfigName"] == "ep-config-2"
    with pytest.raises(ClientError, match="in-progress"):
        await sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-config")
    described = await sm.describe_endpoint(EndpointName="ep")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "ep-config-2")
    assert "PendingDeploymentSummary" not in described
    emu.set_pace("endpoint", {"progression": "immediate"})
    await sm.delete_endpoint(EndpointName="ep")
    assert (await sm.list_endpoints())["Endpoints"] == []


async def test_fail_endpoint_and_ic_with_reason(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a")
    assert emu.fail("ic-a", "Insufficient memory") == "inference-component"
    assert emu.fail("ep", "CapacityError") == "endpoint"
    ic = await sm.describe_inference_component(InferenceComponentName="ic-a")
    assert (ic["InferenceComponentStatus"], ic["FailureReason"]) == ("Failed", "Insufficient memory")
    ep = await sm.describe_endpoint(EndpointName="ep")
    assert (ep["EndpointStatus"], ep["FailureReason"]) == ("Failed", "CapacityError")
    with pytest.raises(KeyError):
        emu.fail("no-such-thing", "x")


async def test_fail_tag_at_create(sm: Any, emu: EmulatorServer) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-bad", tags=[{"Key": "smtui:fail", "Value": "Model download timed out"}])
    ic = await sm.describe_inference_component(InferenceComponentName="ic-bad")
    assert (ic["InferenceComponentStatus"], ic["FailureReason"]) == ("Failed", "Model download timed out")


def _count_sorts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every filter-and-sort of ListEndpoints and ListModels, from now on."""
    from smtui.emulator.ext import inference

    sorts: list[int] = []
    real = inference.filter_sort  # type: ignore[attr-defined]  # the name the handlers call, patched to count

    def counting(records: Any, *args: Any, **kwargs: Any) -> Any:
        sorts.append(1)
        return real(records, *args, **kwargs)

    monkeypatch.setattr(inference, "filter_sort", counting)
    return sorts


def _names(pages: list[list[Any]], key: str) -> list[str]:
    return [item[key] for page in pages for item in page]


async def test_endpoints_are_sorted_once_not_on_every_page(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding: moto's ListEndpoints filtered and sorted every endpoint for every page, so a
    # page cost more the more endpoints the account held.
    sorts = _count_sorts(monkeypatch)
    seed_endpoints(emu, 250)
    newest_first = {"MaxResults": 100, "SortOrder": "Descending"}
    pages = await paginate(sm, "list_endpoints", "Endpoints", **newest_first)
    assert [len(p) for p in pages] == [100, 100, 50]
    assert pages[0][0]["EndpointName"] == "ep-00249" and pages[-1][-1]["EndpointName"] == "ep-00000"
    assert len(sorts) == 1
    # A new endpoint is a new collection: the next listing sorts again, and shows it first.
    emu.set_pace("endpoint", {"progression": "manual", "times": 1})
    await make_endpoint(sm, "newest")
    pages = await paginate(sm, "list_endpoints", "Endpoints", **newest_first)
    assert pages[0][0]["EndpointName"] == "newest"
    assert sum(len(p) for p in pages) == 251 and len(sorts) == 2
    # SageMaker's default order is newest first (moto's was oldest first): the same kept order.
    default = await paginate(sm, "list_endpoints", "Endpoints", MaxResults=100)
    assert default[0][0]["EndpointName"] == "newest" and default[-1][-1]["EndpointName"] == "ep-00000"
    assert len(sorts) == 2
    oldest = await paginate(sm, "list_endpoints", "Endpoints", MaxResults=100, SortOrder="Ascending")
    assert oldest[0][0]["EndpointName"] == "ep-00000" and oldest[-1][-1]["EndpointName"] == "newest"
    assert len(sorts) == 3
    # Filters read statuses, which move: never taken from the kept order.
    assert _names(await paginate(sm, "list_endpoints", "Endpoints", StatusEquals="Creating"), "EndpointName") == [
        "newest"
    ]
    await sm.describe_endpoint(EndpointName="newest")  # one describe: InService
    assert (await sm.list_endpoints(StatusEquals="Creating"))["Endpoints"] == []
    in_service = await paginate(sm, "list_endpoints", "Endpoints", StatusEquals="InService", MaxResults=100)
    assert sum(len(p) for p in in_service) == 251
    named = await paginate(sm, "list_endpoints", "Endpoints", NameContains="newest")
    assert _names(named, "EndpointName") == ["newest"]


async def test_an_endpoint_token_names_the_endpoint_it_resumes_at(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto's NextToken semantics: an endpoint created before the resume point between two
    # pages neither repeats one nor skips one, and a token from another query is refused.
    from smtui.emulator.ext import state

    checks: list[int] = []
    real = state._ResumingPaginator._check_predicate

    def counting(self: Any, item: Any) -> bool:
        checks.append(1)
        return real(self, item)

    monkeypatch.setattr(state._ResumingPaginator, "_check_predicate", counting)
    seed_endpoints(emu, 250)
    pages = await paginate(sm, "list_endpoints", "Endpoints", MaxResults=10)
    assert len(pages) == 25
    # Resuming looks at the one endpoint its token remembers, not at every endpoint before it.
    assert len(checks) == 24
    first = await sm.list_endpoints(MaxResults=10, SortOrder="Descending")
    await make_endpoint(sm, "newest")
    second = await sm.list_endpoints(MaxResults=10, SortOrder="Descending", NextToken=first["NextToken"])
    assert [e["EndpointName"] for e in second["Endpoints"]] == [f"ep-{i:05d}" for i in range(239, 229, -1)]
    with pytest.raises(ClientError) as err:
        await sm.list_endpoints(MaxResults=10, SortBy="Name", NextToken=second["NextToken"])
    assert err.value.response["Error"]["Code"] == "InvalidToken"


async def test_models_are_sorted_once_not_on_every_page(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding: moto's ListModels answered every model in one page, ignoring the request.
    sorts = _count_sorts(monkeypatch)
    seed_models(emu, 250)
    pages = await paginate(sm, "list_models", "Models", MaxResults=100)
    assert [len(p) for p in pages] == [100, 100, 50]
    assert pages[0][0]["ModelName"] == "model-00249" and pages[-1][-1]["ModelName"] == "model-00000"
    assert len(sorts) == 1
    await sm.create_model(ModelName="newest", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    pages = await paginate(sm, "list_models", "Models", MaxResults=100)
    assert pages[0][0]["ModelName"] == "newest"
    assert sum(len(p) for p in pages) == 251 and len(sorts) == 2
    oldest = await paginate(sm, "list_models", "Models", MaxResults=100, SortOrder="Ascending")
    assert oldest[0][0]["ModelName"] == "model-00000" and oldest[-1][-1]["ModelName"] == "newest"
    by_name = await sm.list_models(SortBy="Name", SortOrder="Ascending", MaxResults=2)
    assert [m["ModelName"] for m in by_name["Models"]] == ["model-00000", "model-00001"]
    assert len(sorts) == 4
    # A filtered list is filtered afresh, so a model created since is in it.
    created = pages[0][0]["CreationTime"]
    since = {"CreationTimeAfter": created - dt.timedelta(seconds=1)}
    assert _names(await paginate(sm, "list_models", "Models", **since), "ModelName") == ["newest"]
    await sm.create_model(ModelName="newer", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    assert _names(await paginate(sm, "list_models", "Models", **since), "ModelName") == ["newer", "newest"]
    assert _names(await paginate(sm, "list_models", "Models", NameContains="NEW"), "ModelName") == [
        "newer",
        "newest",
    ]
