"""Training, processing and transform jobs: progression, stop, failures and correct listing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE, paginate


async def _training_job(sm: Any, name: str, tags: list[Any] | None = None) -> None:
    await sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"},
        ResourceConfig={"InstanceType": "ml.p5.48xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        Tags=tags or [],
    )


async def test_training_walks_secondary_statuses(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("training-job", {"progression": "manual", "times": 1})
    await _training_job(sm, "tj")
    seen = []
    for _ in range(5):
        job = await sm.describe_training_job(TrainingJobName="tj")
        seen.append((job["TrainingJobStatus"], job["SecondaryStatus"]))
    assert seen == [
        ("InProgress", "Downloading"),
        ("InProgress", "Training"),
        ("InProgress", "Uploading"),
        ("Completed", "Completed"),
        ("Completed", "Completed"),
    ]
    transitions = job["SecondaryStatusTransitions"]
    assert [t["Status"] for t in transitions] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert all("EndTime" in t for t in transitions)
    assert "TrainingEndTime" in job


async def test_training_time_pacing_and_waiter(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("training-job", {"progression": "time", "seconds": 0.1})
    await _training_job(sm, "tj")
    assert (await sm.describe_training_job(TrainingJobName="tj"))["TrainingJobStatus"] == "InProgress"
    await asyncio.sleep(0.45)
    waiter = sm.get_waiter("training_job_completed_or_stopped")
    await waiter.wait(TrainingJobName="tj", WaiterConfig={"Delay": 0, "MaxAttempts": 2})


async def test_stop_training_job(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("training-job", {"progression": "manual", "times": 2})
    await _training_job(sm, "tj")
    await sm.stop_training_job(TrainingJobName="tj")
    job = await sm.describe_training_job(TrainingJobName="tj")
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopping", "Stopping")
    job = await sm.describe_training_job(TrainingJobName="tj")
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "Stopped")
    with pytest.raises(ClientError, match="Stopped"):
        await sm.stop_training_job(TrainingJobName="tj")


async def test_training_failure_by_tag_and_by_name(sm: Any, emu: EmulatorServer) -> None:
    await _training_job(sm, "oom", tags=[{"Key": "smtui:fail", "Value": "AlgorithmError: CUDA out of memory"}])
    job = await sm.describe_training_job(TrainingJobName="oom")
    assert (job["TrainingJobStatus"], job["FailureReason"]) == (
        "Failed",
        "AlgorithmError: CUDA out of memory",
    )
    assert job["SecondaryStatusTransitions"][-1]["Status"] == "Failed"
    emu.set_pace("training-job", {"progression": "manual", "times": 5})
    await _training_job(sm, "tj")
    assert emu.fail("tj", "ClientError: no data") == "training_job"
    job = await sm.describe_training_job(TrainingJobName="tj")
    assert (job["TrainingJobStatus"], job["FailureReason"]) == ("Failed", "ClientError: no data")


async def test_list_training_jobs_filters_before_paginating(sm: Any, emu: EmulatorServer) -> None:
    seed_training_jobs(emu, 250, prefix="job")
    page = await sm.list_training_jobs(NameContains="job-001", MaxResults=10)
    names = [j["TrainingJobName"] for j in page["TrainingJobSummaries"]]
    assert len(names) == 10 and all("job-001" in n for n in names)
    assert page["NextToken"]
    pages = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", PaginationConfig={"PageSize": 100})
    assert [len(p) for p in pages] == [100, 100, 50]
    newest_first = [j["TrainingJobName"] for p in pages for j in p]
    assert newest_first[0] == "job-00249" and newest_first[-1] == "job-00000"
    by_name = await sm.list_training_jobs(SortBy="Name", SortOrder="Ascending", MaxResults=3)
    assert [j["TrainingJobName"] for j in by_name["TrainingJobSummaries"]] == [
        "job-00000",
        "job-00001",
        "job-00002",
    ]
    assert (await sm.list_training_jobs(StatusEquals="Failed"))["TrainingJobSummaries"] == []


async def test_processing_and_transform_progress_and_fail(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("processing-job", {"progression": "manual", "times": 1})
    await sm.create_processing_job(
        ProcessingJobName="pj",
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 10}
        },
        AppSpecification={"ImageUri": "img"},
        RoleArn=ROLE,
    )
    listed = (await sm.list_processing_jobs())["ProcessingJobSummaries"]
    assert listed[0]["ProcessingJobStatus"] == "InProgress"
    assert (await sm.describe_processing_job(ProcessingJobName="pj"))["ProcessingJobStatus"] == "Completed"
    await sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    emu.set_pace("transform-job", {"progression": "manual", "times": 3})
    await sm.create_transform_job(
        TransformJobName="xj",
        ModelName="m",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in"}}},
        TransformOutput={"S3OutputPath": "s3://b/out"},
        TransformResources={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    )
    emu.fail("xj", "ClientError: bad input")
    job = await sm.describe_transform_job(TransformJobName="xj")
    assert (job["TransformJobStatus"], job["FailureReason"]) == ("Failed", "ClientError: bad input")


async def test_a_whole_list_is_sorted_once_not_on_every_page(
    sm: Any, emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding: every page request sorted the whole collection again (about 70 ms a page at
    # 50,000 jobs), so list benchmarks measured the emulator instead of smtui.
    from smtui.emulator.ext import jobs as jobs_module

    sorts: list[int] = []
    real = jobs_module.filter_sort  # type: ignore[attr-defined]  # the name the handler calls, patched to count

    def counting(records: Any, *args: Any, **kwargs: Any) -> Any:
        sorts.append(1)
        return real(records, *args, **kwargs)

    monkeypatch.setattr(jobs_module, "filter_sort", counting)
    seed_training_jobs(emu, 250)
    pages = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", MaxResults=100)
    assert [len(p) for p in pages] == [100, 100, 50]
    assert len(sorts) == 1
    # A new job is a new collection: the next listing sorts again, and shows it first.
    await _training_job(sm, "newest")
    pages = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", MaxResults=100)
    assert pages[0][0]["TrainingJobName"] == "newest"
    assert sum(len(p) for p in pages) == 251 and len(sorts) == 2
    # The other order is its own; a filtered list is filtered afresh, never taken from the cache.
    oldest = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", MaxResults=100, SortOrder="Ascending")
    assert oldest[0][0]["TrainingJobName"] == "job-00000" and oldest[-1][-1]["TrainingJobName"] == "newest"
    named = await paginate(sm, "list_training_jobs", "TrainingJobSummaries", NameContains="newest")
    assert [j["TrainingJobName"] for p in named for j in p] == ["newest"]
