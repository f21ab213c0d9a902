"""Seeds: the demo account is complete and realistic, bulk seeds are fast, the demo moves."""

from __future__ import annotations

import time
from typing import Any

from smtui.emulator.animator import Animator
from smtui.emulator.demo import CYCLING_CLUSTER, MOVING_IC, MOVING_JOB
from smtui.emulator.seed import seed_demo, seed_inference_components, seed_training_jobs
from smtui.emulator.server import EmulatorServer


async def test_demo_account_has_every_family(sm: Any, emu: EmulatorServer) -> None:
    made = seed_demo(emu)
    assert len(made["training_jobs"]) >= 40
    checks = {
        "list_endpoints": "Endpoints",
        "list_inference_components": "InferenceComponents",
        "list_clusters": "ClusterSummaries",
        "list_processing_jobs": "ProcessingJobSummaries",
        "list_transform_jobs": "TransformJobSummaries",
        "list_hyper_parameter_tuning_jobs": "HyperParameterTuningJobSummaries",
        "list_pipelines": "PipelineSummaries",
        "list_mlflow_tracking_servers": "TrackingServerSummaries",
        "list_mlflow_apps": "Summaries",
        "list_model_quality_job_definitions": "JobDefinitionSummaries",
        "list_data_quality_job_definitions": "JobDefinitionSummaries",
        "list_model_bias_job_definitions": "JobDefinitionSummaries",
        "list_model_explainability_job_definitions": "JobDefinitionSummaries",
        "list_monitoring_schedules": "MonitoringScheduleSummaries",
        "list_model_package_groups": "ModelPackageGroupSummaryList",
        "list_domains": "Domains",
        "list_user_profiles": "UserProfiles",
        "list_spaces": "Spaces",
        "list_apps": "Apps",
        "list_notebook_instances": "NotebookInstances",
        "list_experiments": "ExperimentSummaries",
        "list_projects": "ProjectSummaryList",
    }
    for op, key in checks.items():
        assert (await getattr(sm, op)())[key], op
    statuses = {j["TrainingJobStatus"] for j in (await sm.list_training_jobs(MaxResults=100))["TrainingJobSummaries"]}
    assert statuses == {"Completed", "InProgress", "Failed", "Stopped", "Stopping"}
    failed = await sm.describe_training_job(TrainingJobName="llama3-70b-sft-oom")
    assert "CUDA out of memory" in failed["FailureReason"]
    nodes = (await sm.list_cluster_nodes(ClusterName="llm-pretrain-p5", MaxResults=100))["ClusterNodeSummaries"]
    broken = [n for n in nodes if n["InstanceStatus"]["Status"] == "Failure"]
    assert len(broken) == 1 and "Xid 79" in broken[0]["InstanceStatus"]["Message"]
    endpoint = await sm.describe_endpoint(EndpointName="churn-scoring-staging")
    assert endpoint["EndpointStatus"] == "Failed"


def test_bulk_seeds_are_fast(emu: EmulatorServer) -> None:
    # ~0.25 s alone on 2 cores; the bound is loose because xdist workers share the CPU,
    # and only has to catch a regression to HTTP-speed seeding (~40 s for 5,000).
    start = time.perf_counter()
    seed_training_jobs(emu, 5000)
    assert time.perf_counter() - start < 5.0
    start = time.perf_counter()
    seed_inference_components(emu, 200, endpoint="bench")
    assert time.perf_counter() - start < 3.0
    assert len(emu.backend().training_jobs) == 5000
    assert len(emu.ext().store("inference-component")) == 200


async def test_animator_starts_changes(sm: Any, emu: EmulatorServer) -> None:
    seed_demo(emu)
    emu.set_pace("*", {"progression": "manual", "times": 100})
    animator = Animator(emu)
    animator.step()
    animator.step()
    ic = await sm.describe_inference_component(InferenceComponentName=MOVING_IC)
    assert ic["InferenceComponentStatus"] == "Updating"
    assert ic["RuntimeConfig"]["DesiredCopyCount"] == 4
    job = await sm.describe_training_job(TrainingJobName=MOVING_JOB)
    assert job["TrainingJobStatus"] == "InProgress"
    cluster = await sm.describe_cluster(ClusterName=CYCLING_CLUSTER)
    assert cluster["ClusterStatus"] == "Updating"
