"""What the emulator remembers of the past: HyperPod events as they happened, pipeline steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smtui.emulator.demo import seed_demo
from smtui.emulator.seed import add_cluster, fail_node, state_of
from smtui.emulator.server import EmulatorServer


async def test_cluster_events_record_each_status_change(emu: EmulatorServer, sm: Any) -> None:
    state = state_of(emu)
    add_cluster(state, "hp", [("workers", "ml.p5.48xlarge", 2)])
    bad = fail_node(state, "hp", "workers", "NVIDIA GPU Xid 79")
    events = (await sm.list_cluster_events(ClusterName="hp", MaxResults=100, SortOrder="Ascending"))["Events"]
    texts = [e["Description"] for e in events]
    assert "Cluster status changed from Creating to InService" in texts
    assert not any("from InService to Creating" in t for t in texts)  # moto's default never happened
    failure = next(e for e in events if e["EventLevel"] == "Error")
    assert failure["InstanceId"] == bad and failure["InstanceGroupName"] == "workers"
    assert failure["Description"] == f"Instance {bad} status changed from Running to Failure: NVIDIA GPU Xid 79"
    assert {e["EventLevel"] for e in events} <= {"Info", "Warn", "Error"}  # the model's enum
    mine = (await sm.list_cluster_events(ClusterName="hp", NodeId=bad, MaxResults=100))["Events"]
    assert mine and all(e.get("InstanceId") == bad for e in mine)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert (await sm.list_cluster_events(ClusterName="hp", EventTimeAfter=later))["Events"] == []
    detail = await sm.describe_cluster_event(ClusterName="hp", EventId=failure["EventId"])
    assert detail["EventDetails"]["Description"] == failure["Description"]


async def test_pipeline_execution_steps_follow_the_execution_status(emu: EmulatorServer, sm: Any) -> None:
    seed_demo(emu)
    runs = (await sm.list_pipeline_executions(PipelineName="fraud-detector-train-pipeline"))[
        "PipelineExecutionSummaries"
    ]
    by_status = {r["PipelineExecutionStatus"]: r["PipelineExecutionArn"] for r in runs}
    now = dt.datetime.now(dt.UTC)
    for status, expected in (
        ("Succeeded", ["RegisterModel", "Evaluate", "Train", "Preprocess"]),
        ("Failed", ["Train", "Preprocess"]),
        ("Executing", ["Evaluate", "Train", "Preprocess"]),
    ):
        steps = (await sm.list_pipeline_execution_steps(PipelineExecutionArn=by_status[status]))[
            "PipelineExecutionSteps"
        ]
        assert [s["StepName"] for s in steps] == expected, status  # newest first by default
        assert all(s["StartTime"] <= now and s.get("EndTime", now) <= now for s in steps)
    failed = (await sm.list_pipeline_execution_steps(PipelineExecutionArn=by_status["Failed"]))[
        "PipelineExecutionSteps"
    ]
    assert failed[0]["StepStatus"] == "Failed" and "loss is NaN" in failed[0]["FailureReason"]
