"""CloudWatch logs for the demo: seeded for every job, endpoint, component, cluster node and
Studio app, and kept coming for what is running (a falling training loss, ``/ping`` noise on endpoints,
Xid 79 on the failing HyperPod node).

Lines are written straight into moto's CloudWatch Logs backend, in process, with the group
and stream names SageMaker uses (the same table as ``smtui/catalog/logs.py``; the emulator
may not import the catalogue, so the names are spelled here too).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from smtui.emulator.ext.state import ExtState

TRAINING = "/aws/sagemaker/TrainingJobs"
PROCESSING = "/aws/sagemaker/ProcessingJobs"
TRANSFORM = "/aws/sagemaker/TransformJobs"
NOTEBOOKS = "/aws/sagemaker/NotebookInstances"
STUDIO = "/aws/sagemaker/studio"
OOM_JOB = "llama3-70b-sft-oom"

OOM_TRACEBACK = (
    "Traceback (most recent call last):",
    '  File "/opt/ml/code/train.py", line 212, in <module>',
    "    main()",
    '  File "/opt/ml/code/train.py", line 188, in main',
    "    trainer.train()",
    '  File "/opt/conda/lib/python3.10/site-packages/transformers/trainer.py", line 1859, in train',
    "    return inner_training_loop(",
    '  File "/opt/conda/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1518, in _wrapped_call_impl',
    "    return self._call_impl(*args, **kwargs)",
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 22.19 GiB total capacity; "
    "19.87 GiB already allocated; 1.91 GiB free; 20.01 GiB reserved in total by PyTorch) If reserved memory is >> "
    "allocated memory try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True",
    "ERROR:root:Training failed: exit code 1",
)
XID_79 = "NVRM: Xid (PCI:0000:53:00): 79, pid=48211, name=python3, GPU has fallen off the bus."


def logs_backend(state: ExtState) -> Any:
    """moto's CloudWatch Logs backend for the same account and region as ``state``."""
    from moto.logs.models import logs_backends

    return logs_backends[state.account_id][state.region]


def write(state: ExtState, group: str, stream: str, lines: Iterable[tuple[int, str]]) -> int:
    """Append ``(timestamp ms, message)`` lines to a stream, creating group and stream."""
    backend = logs_backend(state)
    if group not in backend.groups:
        backend.create_log_group(group, {})
    if stream not in backend.groups[group].streams:
        backend.create_log_stream(group, stream)
    events = [{"timestamp": ts, "message": msg} for ts, msg in sorted(lines, key=lambda line: line[0])]
    if events:
        backend.put_log_events(group, stream, events)
    return len(events)


def _ms(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(dt.datetime.fromisoformat(value).timestamp() * 1000)
    return int(time.time() * 1000)


def _spread(start: int, messages: Sequence[str], step_ms: int = 1500) -> list[tuple[int, str]]:
    now = int(time.time() * 1000)
    start = min(start, now - step_ms * len(messages))
    # moto refuses events older than 14 days; the oldest demo job is 12 days old.
    start = max(start, now - 13 * 86_400_000)
    return [(start + i * step_ms, m) for i, m in enumerate(messages)]


def endpoint_group(name: str) -> str:
    return f"/aws/sagemaker/Endpoints/{name}"


def component_group(name: str) -> str:
    return f"/aws/sagemaker/InferenceComponents/{name}"


def cluster_group(cluster: Any) -> str:
    return f"/aws/sagemaker/Clusters/{cluster.cluster_name}/{str(cluster.arn).rsplit('/', 1)[-1]}"


def training_streams(job: Any) -> list[str]:
    count = int((job.resource_config or {}).get("InstanceCount", 1))
    epoch = _ms(job.creation_time) // 1000
    return [f"{job.training_job_name}/algo-{i}-{epoch}" for i in range(1, min(count, 2) + 1)]


def loss_line(step: int, rng: random.Random) -> str:
    loss = 2.6 * (0.985 ** (step / 10)) + 0.05 + rng.uniform(-0.03, 0.03)
    return f"{{'loss': {loss:.4f}, 'grad_norm': {rng.uniform(0.3, 1.4):.3f}, 'learning_rate': 2e-05, 'step': {step}}}"


def _training(state: ExtState, rng: random.Random) -> int:
    written = 0
    for name, job in list(state.backend.training_jobs.items()):
        status = job.training_job_status
        head = [
            "bash: cannot set terminal process group (-1): Inappropriate ioctl for device",
            f"Invoking script with the following command: torchrun --nproc_per_node 8 train.py --job {name}",
            "Loading checkpoint shards: 100%|##########| 4/4 [00:21<00:00,  5.33s/it]",
            "***** Running training *****",
        ]
        body = [loss_line(step, rng) for step in range(10, 160, 10)]
        tail: list[str] = []
        if status == "Completed":
            tail = ["Training completed. Saving model to /opt/ml/model", "Reporting training SUCCESS"]
        elif status == "Failed" and name == OOM_JOB:
            tail = list(OOM_TRACEBACK)
        elif status == "Failed":
            tail = [f"ERROR: {job.failure_reason or 'training failed'}", "Reporting training FAILURE"]
        elif status == "Stopped":
            tail = ["Received SIGTERM: stopping training (StopTrainingJob)"]
        messages = head + body + tail
        if status == "InProgress" and job.secondary_status in ("Starting", "Downloading"):
            messages = [] if job.secondary_status == "Starting" else head[:2]
        for stream in training_streams(job):
            written += write(state, TRAINING, stream, _spread(_ms(job.creation_time), messages))
    return written


def _jobs(state: ExtState) -> int:
    written = 0
    backend = state.backend
    for name, job in list(backend.processing_jobs.items()):
        messages = ["Starting processing: python3 process.py", "Read 1,204,311 rows from /opt/ml/processing/input"]
        if job.processing_job_status == "Failed":
            messages.append(f"ERROR: {job.failure_reason}")
        elif job.processing_job_status == "Completed":
            messages.append("Wrote 1,198,020 rows to /opt/ml/processing/output")
        written += write(
            state,
            PROCESSING,
            f"{name}/algo-1-{_ms(job.creation_time) // 1000}",
            _spread(_ms(job.creation_time), messages),
        )
    for name, job in list(backend.transform_jobs.items()):
        messages = ["Starting the inference server with 4 workers.", "Batch 1/40: 200 records"]
        if job.transform_job_status == "Failed":
            messages.append(f"ERROR: {job.failure_reason}")
        written += write(
            state,
            TRANSFORM,
            f"{name}/i-0b1c2d3e4f5a6b7c8-{_ms(job.creation_time) // 1000}",
            _spread(_ms(job.creation_time), messages),
        )
    for name in list(backend.notebook_instances):
        written += write(
            state,
            NOTEBOOKS,
            f"{name}/jupyter.log",
            _spread(
                int(time.time() * 1000) - 3_600_000, ["[I 2024-11-20 09:01:12 ServerApp] Jupyter Server is running"]
            ),
        )
    return written


def endpoint_streams(endpoint: Any) -> list[str]:
    streams = []
    for variant in endpoint.production_variants or []:
        name = variant.get("VariantName", "AllTraffic")
        count = int(variant.get("CurrentInstanceCount") or variant.get("InitialInstanceCount") or 1)
        streams += [
            f"{name}/i-0{zlib.crc32(f'{endpoint.endpoint_name}/{i}'.encode()):08x}{i:08x}" for i in range(min(count, 2))
        ]
    return streams or ["AllTraffic/i-0a1b2c3d4e5f60718"]


def ping_lines(now: int, n: int, rng: random.Random) -> list[tuple[int, str]]:
    out = []
    for i in range(n):
        if rng.random() < 0.8:
            msg = '169.254.178.2 - - "GET /ping HTTP/1.1" 200 0 "-" "AHC/2.0"'
        else:
            size, latency = rng.randint(200, 4000), rng.randint(40, 900)
            msg = f'10.0.3.17 - - "POST /invocations HTTP/1.1" 200 {size} latency_ms={latency}'
        out.append((now - (n - i) * 200, msg))
    return out


def _inference(state: ExtState, rng: random.Random) -> int:
    written = 0
    now = int(time.time() * 1000)
    for name, endpoint in list(state.backend.endpoints.items()):
        failed = endpoint.endpoint_status == "Failed"
        for stream in endpoint_streams(endpoint):
            start = ["Starting the model server...", "Model server started. Listening on 0.0.0.0:8080"]
            if failed:
                start = ["Starting the model server...", f"ERROR: {endpoint.failure_reason}"]
            written += write(state, endpoint_group(name), stream, _spread(now - 1_800_000, start))
            if not failed:
                written += write(state, endpoint_group(name), stream, ping_lines(now, 30, rng))
    for name, ic in list(state.store("inference-component").items()):
        status = ic.get("InferenceComponentStatus")
        lines = ["Loading model weights from /opt/ml/model", "Model loaded on 1 GPU(s); warming up"]
        if status == "Failed":
            lines.append(f"ERROR: {ic.get('FailureReason') or 'failed to place a copy'}")
        else:
            lines.append("Ready: serving requests")
        written += write(
            state,
            component_group(name),
            f"{ic.get('VariantName', 'AllTraffic')}/i-0c0ffee000000001",
            _spread(now - 1_200_000, lines),
        )
    return written


def node_stream(node: Any) -> str:
    return f"LifecycleConfig/{node.instance_group_name}/{node.instance_id}"


HEALTH_AGENT = "SagemakerHealthMonitoringAgent"
"""HyperPod's health-monitoring agent's streams (the emulator may not import the catalogue)."""


def health_stream(node: Any) -> str:
    """Where HyperPod's health-monitoring agent writes a node's GPU (Xid) errors."""
    return f"{HEALTH_AGENT}/{node.instance_group_name}/{node.instance_id}"


def _clusters(state: ExtState) -> int:
    written = 0
    now = int(time.time() * 1000)
    for cluster in list(state.backend.clusters.values()):
        for node in list(cluster.nodes.values()):
            lines = [
                "[provisioning] Running on_create.sh from s3://sagemaker-lifecycle/scripts/",
                "[provisioning] Mounting FSx for Lustre at /fsx",
                "[provisioning] Lifecycle scripts succeeded.",
            ]
            written += write(state, cluster_group(cluster), node_stream(node), _spread(now - 2_400_000, lines))
            if node.status == "Failure":
                health = [XID_79, "GPU 3 unreachable: node marked unhealthy"]
                written += write(state, cluster_group(cluster), health_stream(node), _spread(now - 600_000, health))
    return written


def app_stream(app: Any) -> str:
    """A Studio app's stream, ``<domain-id>/<space or user profile>/<app-type>/<app-name>``."""
    owner = app.get("SpaceName") or app.get("UserProfileName")
    return f"{app.get('DomainId')}/{owner}/{app.get('AppType')}/{app.get('AppName')}"


STUDIO_LINES = {
    "JupyterLab": (
        "Starting JupyterLab on port 8888",
        "[I ServerApp] Serving notebooks from local directory: /home/sagemaker-user",
        "[I ServerApp] Jupyter Server 2.14.2 is running at: http://localhost:8888/jupyterlab/default",
        "[I ServerApp] Kernel started: 5c1e0a52-3f4b-4d0e-9f1a-2b7c8d9e0f11, name: python3",
    ),
    "CodeEditor": (
        "Starting Code Editor on port 8888",
        "[info] Extension host agent started.",
        "[info] Web UI available at http://localhost:8888/codeeditor/default",
    ),
}


def _studio(state: ExtState) -> int:
    written = 0
    now = int(time.time() * 1000)
    for app in list(state.store("app").values()):
        if app.get("Status") in ("Deleted", "Deleting"):
            continue
        lines = STUDIO_LINES.get(str(app.get("AppType")), ("Starting the app server",))
        written += write(state, STUDIO, app_stream(app), _spread(now - 900_000, lines))
        if app.get("AppType") == "JupyterLab":  # a lifecycle script's own stream beside the app's
            lcc = ["Installing jupyterlab-git", "Successfully installed jupyterlab-git-0.50.1", "Lifecycle script done"]
            written += write(state, STUDIO, f"{app_stream(app)}/LifecycleConfigOnStart", _spread(now - 960_000, lcc))
    return written


def seed_logs(state: ExtState, seed: int = 7) -> int:
    """Write the demo's logs for every resource there is now; returns the lines written."""
    rng = random.Random(seed)
    with state.lock:
        return _training(state, rng) + _jobs(state) + _inference(state, rng) + _clusters(state) + _studio(state)


class LogWriter:
    """Keeps the demo's running resources writing lines, every ``interval`` seconds."""

    def __init__(self, state: ExtState, *, interval: float = 1.0, seed: int = 3) -> None:
        self.state = state
        self.interval = interval
        self._rng = random.Random(seed)
        self._step: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="smtui-demo-logs", daemon=True)

    def start(self) -> LogWriter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with contextlib.suppress(Exception):  # a demo glitch must never kill the emulator
                self.tick()

    def tick(self) -> int:
        """One round of new lines; returns how many were written."""
        state, rng, now = self.state, self._rng, int(time.time() * 1000)
        with state.lock:
            jobs = [j for j in state.backend.training_jobs.values() if j.training_job_status == "InProgress"]
            endpoints = [e for e in state.backend.endpoints.values() if e.endpoint_status == "InService"]
            components = [
                (name, ic.get("VariantName", "AllTraffic"))
                for name, ic in state.store("inference-component").items()
                if ic.get("InferenceComponentStatus") == "InService"
            ]
            failing = [
                (c, n) for c in state.backend.clusters.values() for n in c.nodes.values() if n.status == "Failure"
            ]
        written = 0
        for job in jobs:
            if job.secondary_status != "Training":
                continue
            step = self._step.get(job.training_job_name, 150) + 10
            self._step[job.training_job_name] = step
            for stream in training_streams(job):
                written += write(state, TRAINING, stream, [(now, loss_line(step, rng))])
        for endpoint in endpoints:
            for stream in endpoint_streams(endpoint):
                written += write(state, endpoint_group(endpoint.endpoint_name), stream, ping_lines(now, 3, rng))
        for name, variant in components:
            line = f"request served: model={name} tokens_out={rng.randint(20, 900)} ttft_ms={rng.randint(30, 400)}"
            written += write(state, component_group(name), f"{variant}/i-0c0ffee000000001", [(now, line)])
        if self._rng.random() < 0.3:
            for cluster, node in failing:
                written += write(state, cluster_group(cluster), health_stream(node), [(now, XID_79)])
        return written
