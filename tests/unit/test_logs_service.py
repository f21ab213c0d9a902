"""``Service.logs`` against the emulator over HTTP: locating a resource's logs, following them
with no gap and no duplicate while they are written, filters pushed to CloudWatch, a bounded
buffer, errors worded for logs, and the hand-offs (tail command, console URL, save)."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from smtui.aws.errors import AccessDenied
from smtui.aws.target import Target
from smtui.catalog import Catalog, default_catalog
from smtui.config import LogSettings, Settings, UnsafePath
from smtui.emulator.ext.studio import APP, create_record
from smtui.emulator.logs_seed import STUDIO, TRAINING, write
from smtui.emulator.seed import add_cluster, add_endpoint, add_training_job, state_of
from smtui.emulator.server import EmulatorServer
from smtui.service import Service
from smtui.service.logs import OVERLAP_MS, LogFilter, LogLine, LogTarget

CATALOG: Catalog = default_catalog()
JOB = "llama3-8b-sft-run"


def target(emu: EmulatorServer) -> Target:
    return Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))


@pytest.fixture
async def service(emu: EmulatorServer) -> AsyncIterator[Service]:
    svc = Service(target(emu), Settings(logs=LogSettings(buffer_lines=50_000)), catalog=CATALOG)
    try:
        yield svc
    finally:
        await svc.close()


def now_ms() -> int:
    return int(time.time() * 1000)


def job_target(started_ms: int | None = None) -> LogTarget:
    return LogTarget(TRAINING, f"{JOB}/", "the job has not started writing logs", True, started_ms, JOB)


class Writer(threading.Thread):
    """Writes numbered lines to streams of the job's group, in process, while the test reads.

    Stream ``late`` stamps its lines up to 3 s in the past: CloudWatch orders by timestamp,
    and a host whose lines arrive late must not lose them.
    """

    def __init__(self, emu: EmulatorServer, streams: list[str], count: int, lag_ms: int = 0) -> None:
        super().__init__(daemon=True)
        self.state = state_of(emu)
        self.streams, self.count, self.lag_ms = streams, count, lag_ms
        self.written: list[str] = []

    def run(self) -> None:
        for i in range(self.count):
            for n, stream in enumerate(self.streams):
                lag = self.lag_ms if n % 2 else 0
                message = f"{stream} line {i}"
                write(self.state, TRAINING, f"{JOB}/{stream}", [(now_ms() - lag, message)])
                self.written.append(message)
            if i % 10 == 0:
                time.sleep(0.025)  # about 1.5 s of writing: many polls happen meanwhile


async def follow_until_done(tail: Any, writer: Writer) -> list[LogLine]:
    shown: list[LogLine] = []
    writer.start()
    while writer.is_alive():
        shown += await tail.poll()
        await asyncio.sleep(0.01)
    for _ in range(2):  # what was written after the last poll
        shown += await tail.poll()
    return shown


async def test_following_every_stream_shows_each_written_line_once(service: Service, emu: EmulatorServer) -> None:
    start = now_ms() - 1000
    writer = Writer(emu, ["algo-1-1700000000", "algo-2-1700000000"], 600, lag_ms=3000)
    # Streams must exist before the tail lists them (it lists again every 10 polls too).
    write(writer.state, TRAINING, f"{JOB}/algo-1-1700000000", [])
    write(writer.state, TRAINING, f"{JOB}/algo-2-1700000000", [])
    tail = service.logs.tail(job_target(), start_ms=start - 5000)
    shown = await follow_until_done(tail, writer)
    messages = [line.message for line in shown]
    assert len(writer.written) == 1200
    assert len(messages) == len(set(messages)), "a line was shown twice"
    assert sorted(messages) == sorted(writer.written), "a line was lost"
    assert tail.polls > 5, "the test must poll while lines are being written"
    counts = emu.faults.request_counts()["counts"]
    assert counts["FilterLogEvents"] >= tail.polls  # interleaved reads are FilterLogEvents
    assert counts.get("GetLogEvents", 0) == 0


async def test_following_one_stream_uses_forward_tokens_with_no_gap(service: Service, emu: EmulatorServer) -> None:
    writer = Writer(emu, ["algo-1-1700000000"], 800)
    write(writer.state, TRAINING, f"{JOB}/algo-1-1700000000", [])
    tail = service.logs.tail(job_target(), start_ms=now_ms() - 60_000, stream=f"{JOB}/algo-1-1700000000")
    shown = await follow_until_done(tail, writer)
    assert [line.message for line in shown] == writer.written  # exact order: one stream
    counts = emu.faults.request_counts()["counts"]
    assert counts["GetLogEvents"] >= tail.polls
    assert counts.get("FilterLogEvents", 0) == 0


async def test_a_stream_that_appears_later_is_read_from_the_start_of_the_range(
    service: Service, emu: EmulatorServer
) -> None:
    state = state_of(emu)
    t = now_ms()
    write(state, TRAINING, f"{JOB}/algo-1-1", [(t, "first host")])
    tail = service.logs.tail(job_target(), start_ms=t - 120_000)
    assert [line.message for line in await tail.poll()] == ["first host"]
    # A second host whose lines are stamped 30 s back: older than the overlap window.
    write(state, TRAINING, f"{JOB}/algo-2-1", [(t - 30_000 + i, f"second host {i}") for i in range(5)])
    shown = []
    for _ in range(10):  # the stream list is read again every 10 polls
        shown += [line.message for line in await tail.poll()]
    assert shown == [f"second host {i}" for i in range(5)]
    assert len(tail.streams) == 2


async def test_exclude_is_pushed_to_cloudwatch_as_a_filter_pattern(service: Service, emu: EmulatorServer) -> None:
    state = state_of(emu)
    t = now_ms() - 10_000
    lines = [(t + i, '"GET /ping HTTP/1.1" 200' if i % 4 else f"POST /invocations {i}") for i in range(400)]
    write(state, "/aws/sagemaker/Endpoints/ep", "AllTraffic/i-1", lines)
    logs_target = LogTarget("/aws/sagemaker/Endpoints/ep", "", "none yet", True, None, "ep")
    tail = service.logs.tail(logs_target, start_ms=t - 1, flt=LogFilter(exclude="/ping"))
    shown = await tail.poll()
    assert [line.message for line in shown] == [f"POST /invocations {i}" for i in range(0, 400, 4)]
    sent = emu.faults.bodies["FilterLogEvents"][-1]
    assert sent["filterPattern"] == '-"/ping"' and sent["logStreamNames"] == ["AllTraffic/i-1"]
    assert tail.pushed
    # What the server returned, before this side's check: only the 100 kept lines came back.
    assert tail.seen_ids == 100


async def test_include_and_exclude_together_and_text_that_cannot_be_a_pattern(
    service: Service, emu: EmulatorServer
) -> None:
    state = state_of(emu)
    t = now_ms() - 10_000
    messages = ["ERROR disk full", "ERROR /ping failed", "INFO ok", 'ERROR say "hi"']
    write(state, TRAINING, f"{JOB}/algo-1-1", [(t + i, m) for i, m in enumerate(messages)])
    both = service.logs.tail(job_target(), start_ms=t - 1, flt=LogFilter(include="ERROR", exclude="/ping"))
    assert [line.message for line in await both.poll()] == ["ERROR disk full", 'ERROR say "hi"']
    assert emu.faults.bodies["FilterLogEvents"][-1]["filterPattern"] == '"ERROR" -"/ping"'
    quoted = service.logs.tail(job_target(), start_ms=t - 1, flt=LogFilter(include='"hi"'))
    assert [line.message for line in await quoted.poll()] == ['ERROR say "hi"']
    assert not quoted.pushed and "filterPattern" not in emu.faults.bodies["FilterLogEvents"][-1]


async def test_the_buffer_keeps_the_newest_lines_and_forgets_old_ids(service: Service, emu: EmulatorServer) -> None:
    state = state_of(emu)
    t = now_ms() - 60_000
    tail = service.logs.tail(job_target(), start_ms=t - 1, capacity=50)
    total = 0
    for batch in range(6):  # batches 20 s apart: ids older than the overlap window are dropped
        lines = [(t + batch * 20_000 + i, f"line {batch}-{i}") for i in range(500)]
        write(state, TRAINING, f"{JOB}/algo-1-1", lines)
        total += len(await tail.poll())
    assert total == 3000
    assert len(tail.lines) == 50 and tail.lines[-1].message == "line 5-499"
    assert tail.dropped == 2950
    assert tail.seen_ids <= 1000 + 500, "event ids must be pruned to the overlap window"
    assert OVERLAP_MS < 20_000


async def test_access_denied_on_logs_is_worded_for_logs_and_sagemaker_still_answers(
    service: Service, emu: EmulatorServer
) -> None:
    state = state_of(emu)
    add_training_job(state, JOB, status="Training")
    emu.faults.set([{"op": op, "error": "AccessDeniedException"} for op in ("DescribeLogStreams", "FilterLogEvents")])
    rtype = CATALOG.get("training-jobs")
    record = await service.describe(rtype, {"TrainingJobName": JOB})
    logs_target = await service.logs.locate(rtype, record)
    with pytest.raises(AccessDenied) as info:
        await service.logs.tail(logs_target).poll()
    assert "CloudWatch Logs" in info.value.message and "logs:FilterLogEvents" in info.value.hint
    assert (await service.describe(rtype, {"TrainingJobName": JOB}))["TrainingJobStatus"] == "InProgress"


async def test_a_group_not_there_yet_is_empty_until_lines_come(service: Service, emu: EmulatorServer) -> None:
    missing = LogTarget("/aws/sagemaker/Endpoints/new", "", "the endpoint has written no logs yet", True, None, "new")
    tail = service.logs.tail(missing)
    assert await tail.poll() == [] and tail.streams == []
    assert await service.logs.last_lines(missing) == {}
    write(state_of(emu), "/aws/sagemaker/Endpoints/new", "AllTraffic/i-1", [(now_ms(), "first line")])
    assert [line.message for line in await tail.poll()] == ["first line"]


async def test_locate_names_each_types_group_and_streams(service: Service, emu: EmulatorServer) -> None:
    state = state_of(emu)
    add_training_job(state, JOB, status="Training")
    add_endpoint(state, "ep-prod", "m1")
    add_cluster(state, "hp", [("workers", "ml.g5.8xlarge", 1)])
    job = await service.logs.locate(
        CATALOG.get("training-jobs"), {"TrainingJobName": JOB, "TrainingJobStatus": "Completed"}
    )
    assert (job.group, job.prefix, job.follow) == ("/aws/sagemaker/TrainingJobs", f"{JOB}/", False)
    ep = await service.logs.locate(CATALOG.get("endpoints"), {"EndpointName": "ep-prod", "EndpointStatus": "InService"})
    assert (ep.group, ep.prefix, ep.follow) == ("/aws/sagemaker/Endpoints/ep-prod", "", True)
    ic = await service.logs.locate(CATALOG.get("inference-components"), {"InferenceComponentName": "ic1"})
    assert ic.group == "/aws/sagemaker/InferenceComponents/ic1"
    node = {"InstanceId": "i-0abc", "InstanceGroupName": "workers", "InstanceStatus": {"Status": "Running"}}
    emu.faults.clear_requests()
    located = await service.logs.locate(CATALOG.get("cluster-nodes"), node, {"ClusterName": "hp"})
    cluster_id = state.backend.clusters["hp"].arn.rsplit("/", 1)[-1]
    assert located.group == f"/aws/sagemaker/Clusters/hp/{cluster_id}"
    assert located.prefix == "LifecycleConfig/workers/i-0abc"
    assert emu.faults.request_counts()["counts"] == {"DescribeCluster": 1}  # the id is in the ARN


async def test_locate_a_studio_apps_streams_by_domain_space_type_and_name(
    service: Service, emu: EmulatorServer
) -> None:
    # Studio writes every app to one group, /aws/sagemaker/studio, in streams named
    # <domain-id>/<space or user profile>/<app-type>/<app-name>, its lifecycle script's under
    # that name plus /LifecycleConfigOnStart (logging-cloudwatch.html, jl-lcc-debug.html).
    state = state_of(emu)
    for space, app_type in (("alice-lab", "JupyterLab"), ("bob-editor", "CodeEditor")):
        fields = {"DomainId": "d-abc", "SpaceName": space, "AppType": app_type}
        create_record(state, APP, f"d-abc/{space}/{app_type}/default", "default", fields)
    t = now_ms() - 60_000
    write(state, STUDIO, "d-abc/alice-lab/JupyterLab/default/LifecycleConfigOnStart", [(t, "lifecycle script done")])
    write(state, STUDIO, "d-abc/alice-lab/JupyterLab/default", [(t + 1, "Jupyter Server is running")])
    write(state, STUDIO, "d-abc/bob-editor/CodeEditor/default", [(t + 2, "another space's app")])
    page = await service.sagemaker.call("ListApps", {"DomainIdEquals": "d-abc"})  # the rows as listed
    row = next(app for app in page["Apps"] if app.get("SpaceName") == "alice-lab")
    app = await service.logs.locate(CATALOG.get("apps"), row)
    assert (app.group, app.prefix, app.title) == (
        STUDIO,
        "d-abc/alice-lab/JupyterLab/default",
        "alice-lab/JupyterLab/default",
    )
    tail = service.logs.tail(app)
    assert [line.message for line in await tail.poll()] == ["lifecycle script done", "Jupyter Server is running"]
    in_space = await service.logs.locate(CATALOG.get("spaces"), {"SpaceName": "bob-editor", "DomainId": "d-abc"})
    assert (in_space.group, in_space.prefix) == (STUDIO, "d-abc/bob-editor/")
    assert [line.message for line in await service.logs.tail(in_space).poll()] == ["another space's app"]
    user = await service.logs.locate(CATALOG.get("user-profiles"), {"UserProfileName": "carol", "DomainId": "d-abc"})
    assert (user.group, user.prefix) == (STUDIO, "d-abc/carol/")


async def test_a_failing_nodes_logs_include_its_health_agents_xid_errors(service: Service, emu: EmulatorServer) -> None:
    # HyperPod's health-monitoring agent writes a node's GPU (Xid) errors to its own stream,
    # SagemakerHealthMonitoringAgent/<group>/<instance>; reading LifecycleConfig/ only, the
    # node's logs never showed the line that says why it failed.
    state = state_of(emu)
    add_cluster(state, "hp", [("workers", "ml.g5.8xlarge", 2)])
    cluster = state.backend.clusters["hp"]
    group = f"/aws/sagemaker/Clusters/hp/{cluster.arn.rsplit('/', 1)[-1]}"
    t = now_ms() - 60_000
    write(state, group, "LifecycleConfig/workers/i-0abc", [(t, "[provisioning] Lifecycle scripts succeeded.")])
    write(
        state, group, "SagemakerHealthMonitoringAgent/workers/i-0abc", [(t + 1, "NVRM: Xid 79, GPU fell off the bus")]
    )
    write(state, group, "SagemakerHealthMonitoringAgent/workers/i-0def", [(t + 2, "another node's line")])
    node = {"InstanceId": "i-0abc", "InstanceGroupName": "workers", "InstanceStatus": {"Status": "Failure"}}
    located = await service.logs.locate(CATALOG.get("cluster-nodes"), node, {"ClusterName": "hp"})
    tail = service.logs.tail(located)
    messages = [line.message for line in await tail.poll()]
    assert messages == ["[provisioning] Lifecycle scripts succeeded.", "NVRM: Xid 79, GPU fell off the bus"]
    assert sorted(tail.streams) == ["LifecycleConfig/workers/i-0abc", "SagemakerHealthMonitoringAgent/workers/i-0abc"]


async def test_last_lines_of_each_stream_in_one_call(service: Service, emu: EmulatorServer) -> None:
    state = state_of(emu)
    t = now_ms() - 100_000
    for stream in ("algo-1-1", "algo-2-1"):
        write(state, TRAINING, f"{JOB}/{stream}", [(t + i, f"{stream} {i}") for i in range(300)])
    write(state, TRAINING, "other-job/algo-1-1", [(t, "not this job")])
    last = await service.logs.last_lines_of(CATALOG.get("training-jobs"), {"TrainingJobName": JOB}, per_stream=200)
    assert sorted(last) == [f"{JOB}/algo-1-1", f"{JOB}/algo-2-1"]
    assert [line.message for line in last[f"{JOB}/algo-2-1"]] == [f"algo-2-1 {i}" for i in range(100, 300)]


async def test_tail_command_console_url_and_a_private_redacted_save(service: Service, tmp_path: Path) -> None:
    logs_target = job_target()
    command = service.logs.tail_command(logs_target, flt=LogFilter(exclude="/ping"), since="1h")
    assert command.startswith("aws logs tail /aws/sagemaker/TrainingJobs --follow --log-stream-name-prefix")
    assert "--filter-pattern '-\"/ping\"'" in command and "--since 1h" in command and "--region us-east-1" in command
    url = service.logs.console_url(logs_target, f"{JOB}/algo-1")
    assert url.endswith("#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FTrainingJobs/log-events/"
                        f"{JOB}$252Falgo-1")  # fmt: skip
    lines = [LogLine(0, f"{JOB}/algo-1", "key AKIAABCDEFGHIJKLMNOP password=hunter2", "1")]
    path = service.logs.save(lines, tmp_path / "out" / "job.log")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert "AKIA" not in text and "hunter2" not in text and "<access-key>" in text
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700  # the folder it made is private
    elsewhere = tmp_path / "someone-elses.txt"
    elsewhere.write_text("keep me")
    (tmp_path / "out" / "linked.log").symlink_to(elsewhere)
    with pytest.raises(UnsafePath):  # a link in the file's place is refused, never followed
        service.logs.save(lines, tmp_path / "out" / "linked.log")
    assert elsewhere.read_text() == "keep me"


async def test_a_terminal_escape_in_a_log_line_never_reaches_the_screen(service: Service, emu: EmulatorServer) -> None:
    t = now_ms() - 1000
    write(state_of(emu), TRAINING, f"{JOB}/algo-1-1", [(t, "evil \x1b]52;c;aGk=\x07 \x1b[2J done")])
    (line,) = await service.logs.tail(job_target(), start_ms=t - 1).poll()
    assert "\x1b" not in line.message and "\x07" not in line.message and "done" in line.message


async def test_saving_into_smtuis_own_logs_folder_tightens_it(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a review: state_dir()/logs, made before folders were private, stayed 0755."""
    monkeypatch.setattr("smtui.service.logs.state_dir", lambda: tmp_path)
    folder = tmp_path / "logs"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    service.logs.save([LogLine(0, "s", "a line", "1")], folder / "x.log")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
