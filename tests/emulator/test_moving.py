"""Notebook instances, domains, pipeline executions and tuning jobs move through their
statuses (paced by describes here) and fail when asked to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.ext.state import FAIL_TAG
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE

MANUAL = {"progression": "manual", "times": 2}
"""One step every second describe: the first shows the status a Create or Stop entered."""
FAIL = [{"Key": FAIL_TAG, "Value": "CapacityError: no ml.t3.medium capacity"}]


async def test_notebook_instance_walks_pending_stopping_deleting(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("notebook-instance", MANUAL)
    await sm.create_notebook_instance(NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE)
    seen = [(await sm.describe_notebook_instance(NotebookInstanceName="nb"))["NotebookInstanceStatus"] for _ in "ab"]
    assert seen == ["Pending", "InService"]
    await sm.stop_notebook_instance(NotebookInstanceName="nb")
    with pytest.raises(ClientError, match=r"Status \(Stopping\)"):
        await sm.delete_notebook_instance(NotebookInstanceName="nb")
    seen = [(await sm.describe_notebook_instance(NotebookInstanceName="nb"))["NotebookInstanceStatus"] for _ in "ab"]
    assert seen == ["Stopping", "Stopped"]
    await sm.delete_notebook_instance(NotebookInstanceName="nb")
    assert (await sm.list_notebook_instances())["NotebookInstances"][0]["NotebookInstanceStatus"] == "Deleting"
    await sm.describe_notebook_instance(NotebookInstanceName="nb")
    with pytest.raises(ClientError):
        await sm.describe_notebook_instance(NotebookInstanceName="nb")  # the describe that completes it
    assert (await sm.list_notebook_instances())["NotebookInstances"] == []


async def test_notebook_instance_fails_by_tag_with_reason(sm: Any) -> None:
    await sm.create_notebook_instance(NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE, Tags=FAIL)
    described = await sm.describe_notebook_instance(NotebookInstanceName="nb")
    assert (described["NotebookInstanceStatus"], described["FailureReason"]) == ("Failed", FAIL[0]["Value"])


async def test_domain_walks_and_fails(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("domain", MANUAL)
    settings = {"DefaultUserSettings": {"ExecutionRole": ROLE}, "SubnetIds": ["subnet-1"], "VpcId": "vpc-1"}
    await sm.create_domain(DomainName="studio", AuthMode="IAM", **settings)
    seen = [(await sm.describe_domain(DomainId="d-studio"))["Status"] for _ in "ab"]
    assert seen == ["Pending", "InService"]
    with pytest.raises(ClientError) as err:
        await sm.create_domain(DomainName="studio", AuthMode="IAM", **settings)
    assert err.value.response["Error"]["Code"] == "ResourceInUse"
    await sm.delete_domain(DomainId="d-studio")
    assert (await sm.describe_domain(DomainId="d-studio"))["Status"] == "Deleting"
    with pytest.raises(ClientError) as err:
        await sm.describe_domain(DomainId="d-studio")
    assert err.value.response["Error"]["Code"] == "ResourceNotFound"
    await sm.create_domain(DomainName="broken", AuthMode="IAM", Tags=FAIL, **settings)
    await sm.describe_domain(DomainId="d-broken")
    described = await sm.describe_domain(DomainId="d-broken")
    assert (described["Status"], described["FailureReason"]) == ("Failed", FAIL[0]["Value"])


async def _pipeline(sm: Any, name: str, tags: list[dict[str, str]] | None = None) -> None:
    definition = {"Version": "2020-12-01", "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {}}]}
    await sm.create_pipeline(
        PipelineName=name,
        PipelineDefinition=json.dumps(definition),
        RoleArn=ROLE,
        ClientRequestToken=name.ljust(32, "x"),
        Tags=tags or [],
    )


async def test_pipeline_execution_walks_stops_and_fails(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("pipeline-execution", MANUAL)
    await _pipeline(sm, "etl")
    arn = (await sm.start_pipeline_execution(PipelineName="etl", ClientRequestToken="a" * 32))["PipelineExecutionArn"]
    listed = (await sm.list_pipeline_executions(PipelineName="etl"))["PipelineExecutionSummaries"]
    assert listed[0]["PipelineExecutionStatus"] == "Executing"
    statuses = [
        (await sm.describe_pipeline_execution(PipelineExecutionArn=arn))["PipelineExecutionStatus"] for _ in "ab"
    ]
    assert statuses == ["Executing", "Succeeded"]
    with pytest.raises(ClientError) as err:
        await sm.stop_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken="b" * 32)
    assert err.value.response["Error"]["Code"] == "ConflictException"
    second = (await sm.start_pipeline_execution(PipelineName="etl", ClientRequestToken="c" * 32))[
        "PipelineExecutionArn"
    ]
    await sm.stop_pipeline_execution(PipelineExecutionArn=second, ClientRequestToken="d" * 32)
    statuses = [
        (await sm.describe_pipeline_execution(PipelineExecutionArn=second))["PipelineExecutionStatus"] for _ in "ab"
    ]
    assert statuses == ["Stopping", "Stopped"]
    await _pipeline(sm, "flaky", tags=[{"Key": FAIL_TAG, "Value": "Step Train failed: OOM"}])
    emu.set_pace("pipeline-execution", {"progression": "immediate"})
    failed = (await sm.start_pipeline_execution(PipelineName="flaky", ClientRequestToken="e" * 32))[
        "PipelineExecutionArn"
    ]
    described = await sm.describe_pipeline_execution(PipelineExecutionArn=failed)
    assert (described["PipelineExecutionStatus"], described["FailureReason"]) == ("Failed", "Step Train failed: OOM")


def _tuning(name: str, tags: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 1},
        },
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
            "RoleArn": ROLE,
            "OutputDataConfig": {"S3OutputPath": "s3://b/o"},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
            "StoppingCondition": {"MaxRuntimeInSeconds": 60},
        },
        "Tags": tags or [],
    }


async def test_tuning_job_walks_stops_and_fails(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("hyper-parameter-tuning-job", MANUAL)
    await sm.create_hyper_parameter_tuning_job(**_tuning("hpo"))
    listed = (await sm.list_hyper_parameter_tuning_jobs())["HyperParameterTuningJobSummaries"]
    assert listed[0]["HyperParameterTuningJobStatus"] == "InProgress"
    await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo")
    described = await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo")
    assert described["HyperParameterTuningJobStatus"] == "Completed"
    assert "BestTrainingJob" not in described  # no invented best job
    await sm.create_hyper_parameter_tuning_job(**_tuning("hpo-2"))
    await sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-2")
    await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-2")
    described = await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-2")
    assert described["HyperParameterTuningJobStatus"] == "Stopped"
    with pytest.raises(ClientError, match="only an InProgress"):
        await sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-2")
    await sm.create_hyper_parameter_tuning_job(**_tuning("hpo-oom", FAIL))
    await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-oom")
    described = await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-oom")
    assert (described["HyperParameterTuningJobStatus"], described["FailureReason"]) == ("Failed", FAIL[0]["Value"])
    # emulator.fail reaches a running one too.
    await sm.create_hyper_parameter_tuning_job(**_tuning("hpo-3"))
    assert emu.fail("hpo-3", "InternalServerError") == "hyper_parameter_tuning_job"
    described = await sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hpo-3")
    assert described["HyperParameterTuningJobStatus"] == "Failed"
