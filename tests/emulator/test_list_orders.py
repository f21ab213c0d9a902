"""Lists sorted by status or filtered: the order is kept between pages, and is what sorting
the whole collection on every page gives (ties, tokens, creates and status changes between
pages included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from smtui.emulator.seed import add_endpoint, add_training_job, seed_endpoints, seed_models, state_of
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE, make_endpoint, paginate

JOB_STATUSES = ("Completed", "Failed", "Stopped", "Training")
"""Secondary statuses given in turn to seeded jobs (Training is InProgress): many ties."""


def _count_sorts(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[int]:
    """Every filter-and-sort a List* handler of ``module`` runs, from now on."""
    sorts: list[int] = []
    real = module.filter_sort

    def counting(records: Any, *args: Any, **kwargs: Any) -> Any:
        sorts.append(1)
        return real(records, *args, **kwargs)

    monkeypatch.setattr(module, "filter_sort", counting)
    return sorts


def _jobs_sorts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from smtui.emulator.ext import jobs

    return _count_sorts(monkeypatch, jobs)


def _inference_sorts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from smtui.emulator.ext import inference

    return _count_sorts(monkeypatch, inference)


def _seed_jobs(emu: EmulatorServer, n: int) -> None:
    """``n`` jobs ``job-00000…`` one minute apart (newest last), statuses in turn."""
    state = state_of(emu)
    for i in range(n):
        status = JOB_STATUSES[i % len(JOB_STATUSES)]
        add_training_job(state, f"job-{i:05d}", created_minutes_ago=float(n - i), status=status)


def _when(value: dt.datetime) -> dt.datetime:
    """moto stamps naive UTC times, the seeds aware ones: compare them as aware."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _expected(
    items: list[Any],
    name: Callable[[Any], str],
    key: Callable[[Any], Any],
    *,
    descending: bool = True,
    keep: Callable[[Any], bool] = lambda _: True,
) -> list[str]:
    """The order computed here from the backend's objects (never through the emulator's
    helpers): a stable sort of the collection in insertion order, as every page once did."""
    kept = [item for item in items if keep(item)]
    return [name(item) for item in sorted(kept, key=key, reverse=descending)]


def _jobs_by_status(
    emu: EmulatorServer, *, descending: bool = True, keep: Callable[[Any], bool] = lambda _: True
) -> list[str]:
    return _expected(
        list(emu.backend().training_jobs.values()),
        lambda j: j.training_job_name,
        lambda j: j.training_job_status,
        descending=descending,
        keep=keep,
    )


def _job_names(pages: list[list[Any]]) -> list[str]:
    return [j["TrainingJobName"] for p in pages for j in p]


async def test_jobs_sorted_by_status_page_through_one_kept_order(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding: SortBy=Status re-sorted every job on every page. Pages of 7 cut through runs
    # of equal statuses, so the order among ties must hold from page to page.
    sorts = _jobs_sorts(monkeypatch)
    _seed_jobs(emu, 250)
    for order, descending in (("Descending", True), ("Ascending", False)):
        pages = await paginate(
            sm, "list_training_jobs", "TrainingJobSummaries", SortBy="Status", SortOrder=order, MaxResults=7
        )
        assert len(pages) == 36
        assert _job_names(pages) == _jobs_by_status(emu, descending=descending)
        statuses = [j["TrainingJobStatus"] for p in pages for j in p]
        assert statuses == sorted(statuses, reverse=descending)
    assert len(sorts) == 2  # once per order, not once per page
    # Sorted by name: one order too, and a NextToken resumes where it left off.
    by_name = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", SortBy="Name", MaxResults=50)
    assert _job_names(by_name) == [f"job-{i:05d}" for i in range(249, -1, -1)]
    assert len(sorts) == 3


async def test_a_status_change_or_a_create_between_pages_reorders_the_next_page(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ListTrainingJobs' NextToken is an offset: the next page is cut at that offset from the
    # order as it is now (the semantics of sorting on every page, kept).
    sorts = _jobs_sorts(monkeypatch)
    _seed_jobs(emu, 60)
    query = {"SortBy": "Status", "SortOrder": "Descending", "MaxResults": 10}
    first = await sm.list_training_jobs(**query)
    assert [j["TrainingJobName"] for j in first["TrainingJobSummaries"]] == _jobs_by_status(emu)[:10]
    second = await sm.list_training_jobs(**query, NextToken=first["NextToken"])
    assert [j["TrainingJobName"] for j in second["TrainingJobSummaries"]] == _jobs_by_status(emu)[10:20]
    assert len(sorts) == 1
    # A job in progress fails (a lifecycle move, no request): it leaves the InProgress run,
    # so every later job moves up one.
    before = _jobs_by_status(emu)
    emu.fail("job-00003", "ClientError: test")
    after = _jobs_by_status(emu)
    assert after[20:30] != before[20:30]
    third = await sm.list_training_jobs(**query, NextToken=second["NextToken"])
    assert [j["TrainingJobName"] for j in third["TrainingJobSummaries"]] == after[20:30]
    assert len(sorts) == 2
    # A job created between two pages is in the next page's order.
    await sm.create_training_job(
        TrainingJobName="job-new",
        AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    fourth = await sm.list_training_jobs(**query, NextToken=third["NextToken"])
    expected = _jobs_by_status(emu)
    assert "job-new" in expected and len(expected) == 61
    assert [j["TrainingJobName"] for j in fourth["TrainingJobSummaries"]] == expected[30:40]
    # StatusEquals is kept too, until a status moves.
    completed = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", StatusEquals="Completed", MaxResults=4)
    is_completed: Callable[[Any], bool] = lambda j: j.training_job_status == "Completed"  # noqa: E731
    newest_first = _expected(
        list(emu.backend().training_jobs.values()),
        lambda j: j.training_job_name,
        lambda j: _when(j.creation_time),
        keep=is_completed,
    )
    assert _job_names(completed) == newest_first and len(newest_first) >= 14
    sorts_before = len(sorts)
    page = await sm.list_training_jobs(StatusEquals="Completed", MaxResults=4)
    emu.fail(newest_first[1], "ClientError: test")
    page = await sm.list_training_jobs(StatusEquals="Completed", MaxResults=4, NextToken=page["NextToken"])
    remaining = [n for n in newest_first if n != newest_first[1]]
    assert [j["TrainingJobName"] for j in page["TrainingJobSummaries"]] == remaining[4:8]
    assert len(sorts) == sorts_before + 1  # the first page came from the kept order


async def test_a_filtered_job_list_is_filtered_once_across_pages(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sorts = _jobs_sorts(monkeypatch)
    _seed_jobs(emu, 250)
    oldest = min(j.creation_time for j in emu.backend().training_jobs.values())
    since = oldest + dt.timedelta(minutes=30, seconds=30)
    query = {"NameContains": "01", "CreationTimeAfter": since, "MaxResults": 9}
    pages = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", **query)
    expected = _expected(
        list(emu.backend().training_jobs.values()),
        lambda j: j.training_job_name,
        lambda j: j.creation_time,
        keep=lambda j: "01" in j.training_job_name and j.creation_time > since,
    )
    assert _job_names(pages) == expected
    assert len(expected) > 18 and "job-00015" not in expected and "job-00199" in expected
    assert len(sorts) == 1
    # A matching job created between two pages (newest, so first): the offset now points one
    # earlier in the order, so the next page starts with the last job of the page before.
    first = await sm.list_training_jobs(**query)
    add_training_job(state_of(emu), "job-new-01", created_minutes_ago=0.0)
    second = await sm.list_training_jobs(**query, NextToken=first["NextToken"])
    assert [j["TrainingJobName"] for j in second["TrainingJobSummaries"]] == (["job-new-01", *expected])[9:18]
    assert second["TrainingJobSummaries"][0]["TrainingJobName"] == first["TrainingJobSummaries"][-1]["TrainingJobName"]
    assert len(sorts) == 2


def _endpoints_by_status(emu: EmulatorServer, *, descending: bool = True) -> list[str]:
    return _expected(
        list(emu.backend().endpoints.values()),
        lambda e: e.endpoint_name,
        lambda e: e.endpoint_status,
        descending=descending,
    )


async def test_endpoints_sorted_by_status_keep_moto_tokens_across_changes(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ListEndpoints' NextToken names the next endpoint: after a change between pages the next
    # page starts at that endpoint, wherever the order now puts it.
    sorts = _inference_sorts(monkeypatch)
    seed_endpoints(emu, 60)
    state = state_of(emu)
    for i, status in enumerate(("Failed", "OutOfService", "Failed", "Updating", "OutOfService")):
        add_endpoint(state, f"odd-{i}", "ep-model", status=status)
    query = {"SortBy": "Status", "MaxResults": 7}
    pages = await paginate(sm, "list_endpoints", "Endpoints", **query)
    assert [e["EndpointName"] for p in pages for e in p] == _endpoints_by_status(emu)
    ascending = await paginate(sm, "list_endpoints", "Endpoints", **query, SortOrder="Ascending")
    assert [e["EndpointName"] for p in ascending for e in p] == _endpoints_by_status(emu, descending=False)
    assert len(sorts) == 2
    order = _endpoints_by_status(emu)
    first = await sm.list_endpoints(**query)
    assert len(sorts) == 2
    # An endpoint on the next page fails between two pages: the next page starts at the
    # endpoint the token names, without the one that left for the Failed run.
    emu.fail("ep-00006", "test")
    second = await sm.list_endpoints(**query, NextToken=first["NextToken"])
    now = _endpoints_by_status(emu)
    start = now.index(order[7])
    assert [e["EndpointName"] for e in second["Endpoints"]] == now[start : start + 7]
    assert "ep-00006" in order[7:14] and "ep-00006" not in now[start : start + 7]
    assert len(sorts) == 3
    # One created between two pages (Creating: after every InService endpoint) is on the next.
    emu.set_pace("endpoint", {"progression": "manual", "times": 1})
    big = {"SortBy": "Status", "MaxResults": 60}
    head = await sm.list_endpoints(**big)
    named = now[60]
    await make_endpoint(sm, "zz-new")
    tail = await sm.list_endpoints(**big, NextToken=head["NextToken"])
    now2 = _endpoints_by_status(emu)
    assert [e["EndpointName"] for e in tail["Endpoints"]] == now2[now2.index(named) :]
    assert [e["EndpointStatus"] for e in tail["Endpoints"] if e["EndpointName"] == "zz-new"] == ["Creating"]


async def test_endpoint_and_model_name_filters_are_kept_across_pages(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sorts = _inference_sorts(monkeypatch)
    seed_endpoints(emu, 120)
    seed_models(emu, 120)
    eps = await paginate(sm, "list_endpoints", "Endpoints", NameContains="-000", MaxResults=8)
    assert [e["EndpointName"] for p in eps for e in p] == [f"ep-{i:05d}" for i in range(99, -1, -1)]
    assert len(sorts) == 1
    # moto's ListEndpoints NameContains is case-sensitive (kept: SageMaker's is undocumented).
    assert (await sm.list_endpoints(NameContains="EP-000"))["Endpoints"] == []
    models = await paginate(sm, "list_models", "Models", NameContains="L-001", SortBy="Name", MaxResults=6)
    assert [m["ModelName"] for p in models for m in p] == [f"model-{i:05d}" for i in range(119, 99, -1)]
    assert len(sorts) == 3
    # A matching model created between two pages, after the token's (moto's tokens): it is
    # on the next page, and nothing repeats or is skipped.
    by_name = {"NameContains": "l-001", "SortBy": "Name", "SortOrder": "Ascending", "MaxResults": 6}
    first = await sm.list_models(**by_name)
    await sm.create_model(ModelName="model-00107a", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    second = await sm.list_models(**by_name, NextToken=first["NextToken"])
    assert [m["ModelName"] for m in first["Models"]] == [f"model-{i:05d}" for i in range(100, 106)]
    assert [m["ModelName"] for m in second["Models"]] == [
        "model-00106",
        "model-00107",
        "model-00107a",
        "model-00108",
        "model-00109",
        "model-00110",
    ]


async def test_kept_orders_are_bounded(sm: Any, emu: EmulatorServer) -> None:
    from smtui.emulator.ext.state import ORDERS_KEPT

    seed_models(emu, 30)
    for i in range(ORDERS_KEPT + 5):
        await sm.list_models(NameContains=f"model-000{i:02d}", MaxResults=5)
    assert len(state_of(emu).orders) == ORDERS_KEPT
