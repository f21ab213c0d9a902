"""The timeline and its journal, the hand-offs and the incident bundle, against the emulator."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.config import PollSettings, Settings
from smtui.emulator.demo import seed_demo
from smtui.emulator.logs_seed import endpoint_group, write
from smtui.emulator.seed import add_cluster, add_endpoint, add_training_job, fail_node, state_of
from smtui.emulator.server import EmulatorServer
from smtui.live import Watch
from smtui.service import Service
from smtui.service.bundle import render_bundle
from smtui.service.journal import GONE, Journal, JournalRecorder, Transition
from smtui.service.timeline import Timeline, TimelineEntry


def make_service(emu: EmulatorServer, journal: Journal) -> Service:
    target = Target(endpoint_url=emu.url, static_credentials=("testing", "testing"))
    settings = Settings(poll=PollSettings(fast_seconds=0.05, slow_seconds=0.1, max_backoff_seconds=0.5))
    return Service(target, settings, catalog=default_catalog(), journal=journal)


@pytest.fixture
async def service(emu: EmulatorServer, tmp_path: Path) -> AsyncIterator[Service]:
    svc = make_service(emu, Journal(tmp_path / "journal.jsonl"))
    try:
        yield svc
    finally:
        await svc.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------------- the journal
async def test_the_journal_survives_a_restart(emu: EmulatorServer, tmp_path: Path) -> None:
    """A status change a poller saw is in the timeline of a new Service on the same journal."""
    add_endpoint(state_of(emu), "ep-journal", "model")
    path = tmp_path / "journal.jsonl"
    first = make_service(emu, Journal(path))
    rtype = first.catalog.get("endpoints")
    updates: list[Any] = []
    poller = first.poller(updates.append, lambda _: None, lambda _: None)
    try:
        poller.watch(Watch.list_of(rtype, {}))
        await poller.poll_once()  # the baseline: nothing is news
        assert not path.exists() or path.read_text() == ""
        emu.fail("ep-journal", "CapacityError: no ml.g5 capacity")
        await poller.poll_once()
    finally:
        await poller.stop()
        await first.close()
    assert mode(path) == 0o600

    second = make_service(emu, Journal(path))  # a new process would build exactly this
    try:
        timeline = await second.timeline(rtype, {"EndpointName": "ep-journal"})
    finally:
        await second.close()
    (entry,) = timeline.entries
    assert (entry.source, entry.old, entry.new) == ("seen", "InService", "Failed")
    assert "CapacityError" in entry.reason and entry.level == "Error"


def test_recorder_journals_changes_appearances_and_removals(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    recorder = JournalRecorder(journal, "demo/us-east-1")
    assert recorder.observe(1, "endpoints", {"a": ("InService", ""), "b": ("Creating", "")}) == []
    found = recorder.observe(1, "endpoints", {"a": ("Updating", ""), "c": ("Creating", "")})
    assert {(t.key, t.old, t.new) for t in found} == {
        ("a", "InService", "Updating"),
        ("c", "", "Creating"),
        ("b", "Creating", GONE),
    }
    assert recorder.observe(1, "endpoints", {"a": ("Updating", ""), "c": ("Creating", "")}) == []
    assert len(journal.read(type_name="endpoints")) == 3
    assert journal.read(scope="prod/eu-west-1") == []  # another account's endpoint "a" is another resource


def test_a_change_seen_by_the_list_and_the_describe_view_is_journalled_once(tmp_path: Path) -> None:
    # Finding: the timeline showed each change twice when a describe view was open, because
    # the list's poller and the describe view's poller each journalled what they saw.
    journal = Journal(tmp_path / "j.jsonl")
    in_list, in_describe = JournalRecorder(journal, "demo/us-east-1"), JournalRecorder(journal, "demo/us-east-1")
    for recorder, watch in ((in_list, 1), (in_describe, 2)):
        recorder.observe(watch, "endpoints", {"a": ("InService", "")})
    assert len(in_list.observe(1, "endpoints", {"a": ("Updating", "")})) == 1
    assert in_describe.observe(2, "endpoints", {"a": ("Updating", "")}) == []
    assert len(in_describe.observe(2, "endpoints", {"a": ("Failed", "capacity")})) == 1
    assert in_list.observe(1, "endpoints", {"a": ("Failed", "capacity")}) == []
    assert [(t.old, t.new) for t in journal.read(key="a")] == [("InService", "Updating"), ("Updating", "Failed")]
    # Another account's "a" is another resource: its change is its own line.
    prod = JournalRecorder(journal, "prod/eu-west-1")
    prod.observe(3, "endpoints", {"a": ("InService", "")})
    assert len(prod.observe(3, "endpoints", {"a": ("Updating", "")})) == 1
    assert len(journal.read(key="a")) == 3


def test_the_journal_is_bounded_and_private(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, max_bytes=20_000)
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(2_000):
        journal.append([Transition(at + dt.timedelta(seconds=i), "s/r", "endpoints", f"ep-{i}", "A", "B")])
    assert path.stat().st_size <= 20_000
    kept = journal.read()
    assert kept[-1].key == "ep-1999" and kept[0].key != "ep-0"  # the oldest went first
    assert mode(path) == 0o600
    path.write_text(path.read_text() + '{"torn": \n')  # a crash mid-line is skipped, not fatal
    assert journal.read()[-1].key == "ep-1999"


# ---------------------------------------------------------------------------- the sources
async def test_training_job_timeline_has_its_transitions_newest_first(emu: EmulatorServer, service: Service) -> None:
    add_training_job(state_of(emu), "tj-oom", status="Failed", reason="AlgorithmError: CUDA out of memory")
    rtype = service.catalog.get("training-jobs")
    timeline = await service.timeline(rtype, {"TrainingJobName": "tj-oom"})
    assert timeline.errors == {}
    times = [e.at for e in timeline.entries]
    assert times == sorted(times, reverse=True)
    failed = [e for e in timeline.entries if e.new == "Failed"]
    assert failed and "CUDA out of memory" in failed[0].reason and failed[0].level == "Error"
    assert any(e.source == "secondary" for e in timeline.entries)


async def test_node_timeline_reads_only_its_cluster_events(emu: EmulatorServer, service: Service) -> None:
    state = state_of(emu)
    add_cluster(state, "hp", [("workers", "ml.p5.48xlarge", 3)])
    bad = fail_node(state, "hp", "workers", "NVIDIA GPU Xid 79 (GPU has fallen off the bus)")
    rtype = service.catalog.get("cluster-nodes")
    emu.faults.clear_requests()
    timeline = await service.timeline(rtype, {"InstanceId": bad, "InstanceGroupName": "workers"}, {"ClusterName": "hp"})
    assert emu.faults.request_counts()["counts"] == {"ListClusterEvents": 1}
    assert all(bad not in e.new + e.old for e in timeline.entries)  # its own id is not repeated
    assert bad in {e.reason.split()[1] for e in timeline.entries if e.reason.startswith("Instance")}
    errors = timeline.at_level("Error")
    assert len(errors) == 1 and "Xid 79" in errors[0].reason
    assert (errors[0].old, errors[0].new) == ("Running", "Failure")
    cluster = await service.timeline(service.catalog.get("clusters"), {"ClusterName": "hp"})
    assert len(cluster.entries) > len(timeline.entries)
    assert cluster.at_level("Warn") == cluster.at_level("Error")  # no warnings: only the failure


async def test_pipeline_execution_timeline_has_each_step(emu: EmulatorServer, service: Service) -> None:
    seed_demo(emu)
    executions = await service.sagemaker.call("ListPipelineExecutions", {"PipelineName": "llm-eval-pipeline"})
    failed = next(e for e in executions["PipelineExecutionSummaries"] if e["PipelineExecutionStatus"] == "Failed")
    rtype = service.catalog.get("pipeline-executions")
    timeline = await service.timeline(rtype, failed, {"PipelineName": "llm-eval-pipeline"})
    changes = [e.change for e in timeline.entries]
    assert changes[0] == "Train: Executing → Failed" and "loss is NaN" in timeline.entries[0].reason
    assert "Preprocess: Executing → Succeeded" in changes and "Evaluate: Executing" not in changes
    assert all(e.at <= dt.datetime.now(dt.UTC) for e in timeline.entries)  # nothing in the future


async def test_a_source_that_fails_leaves_the_journal_shown(emu: EmulatorServer, service: Service) -> None:
    add_cluster(state_of(emu), "hp", [("workers", "ml.m5.xlarge", 1)])
    service.journal.append(
        [Transition(dt.datetime.now(dt.UTC), service.scope, "clusters", "hp", "InService", "Updating")]
    )
    emu.faults.set([{"op": "ListClusterEvents", "error": "AccessDeniedException"}])
    timeline = await service.timeline(service.catalog.get("clusters"), {"ClusterName": "hp"})
    assert "clusters" in timeline.errors and [e.new for e in timeline.entries] == ["Updating"]


# ---------------------------------------------------------------------------- hand-offs
async def test_ssm_command_names_the_cluster_id_group_and_node(emu: EmulatorServer, service: Service) -> None:
    add_cluster(state_of(emu), "hp", [("workers", "ml.p5.48xlarge", 1)])
    arn = (await service.sagemaker.call("DescribeCluster", {"ClusterName": "hp"}))["ClusterArn"]
    nodes = await service.sagemaker.call("ListClusterNodes", {"ClusterName": "hp"})
    node = nodes["ClusterNodeSummaries"][0]
    command = await service.ssm_command(node, {"ClusterName": "hp"})
    cluster_id = arn.rsplit("/", 1)[-1]
    assert command == (
        f"aws ssm start-session --target sagemaker-cluster:{cluster_id}_workers-{node['InstanceId']} --region us-east-1"
    )


def test_console_urls(service: Service) -> None:
    link = service.console_url(service.catalog.get("endpoints"), {"EndpointName": "my ep"})
    assert (
        link.exact
        and link.url == "https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/my%20ep"
    )
    other = service.console_url(service.catalog.get("cluster-events"), {"EventId": "x"}, {"ClusterName": "hp"})
    assert not other.exact and other.url.endswith("#/")


# ---------------------------------------------------------------------------- the bundle
async def test_incident_bundle_is_private_and_has_every_section(
    emu: EmulatorServer, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("smtui.service.bundle.state_dir", lambda: tmp_path)
    add_endpoint(state_of(emu), "ep-bundle", "model", status="Failed", reason="token=AKIAABCDEFGHIJKLMNOP leaked")
    path = await service.write_bundle(service.catalog.get("endpoints"), {"EndpointName": "ep-bundle"})
    assert path.parent == tmp_path / "incidents" and mode(path) == 0o600 and mode(path.parent) == 0o700
    text = path.read_text()
    for heading in ("## Describe (redacted)", "## Timeline", "## Metrics", "## Logs"):
        assert heading in text
    assert "AKIAABCDEFGHIJKLMNOP" not in text and "<access-key>" in text
    assert "| Invocations | - | - | - |" in text  # the metric rows are there, with no data yet
    assert "_no log lines were gathered_" in text


async def test_incident_bundle_holds_the_last_log_lines_of_each_stream(
    emu: EmulatorServer, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle gathers the logs itself, from the emulator's CloudWatch Logs, redacted."""
    monkeypatch.setattr("smtui.service.bundle.state_dir", lambda: tmp_path)
    add_endpoint(state_of(emu), "ep-logs", "model", status="Failed", reason="health check failed")
    now = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    lines = [(now - 60_000 + i, f"request {i}") for i in range(250)] + [(now - 1000, "key AKIAABCDEFGHIJKLMNOP")]
    write(state_of(emu), endpoint_group("ep-logs"), "AllTraffic/i-0abc", lines)
    path = await service.write_bundle(service.catalog.get("endpoints"), {"EndpointName": "ep-logs"})
    text = path.read_text()
    assert "### AllTraffic/i-0abc (last 200 lines)" in text
    assert "request 249" in text and "request 50 " not in text and "request 51" in text
    assert "AKIAABCDEFGHIJKLMNOP" not in text
    counts = emu.faults.request_counts()["counts"]
    assert counts.get("FilterLogEvents", 0) + counts.get("GetLogEvents", 0) >= 1


def test_bundle_keeps_the_last_200_lines_of_each_stream() -> None:
    logs = {"AllTraffic/i-1": [f"line {i}" for i in range(500)], "AllTraffic/i-2": ["\x1b[31mred\x1b[0m"]}
    entry = TimelineEntry(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "seen", "InService", "Failed", "why")
    text = render_bundle(title="Endpoints ep", describe={}, timeline=Timeline([entry], {}), metrics=[], logs=logs)
    assert "line 299" not in text and "line 300" in text and "line 499" in text
    assert "(last 200 lines)" in text and "\x1b" not in text
    assert "InService → Failed — why" in text
