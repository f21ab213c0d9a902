"""Demo metric data points, written into moto's own CloudWatch backend (no re-implementation).

:func:`seed_metrics` fills the last hour for every in-service endpoint variant, inference
component and running training job; :func:`advance_metrics`, called by the animator, adds each
new minute. The story the demo tells: the scaling component's invocations rise, and a few
minutes later its latency follows; the running training job's ``train:loss`` falls.

Values are a pure function of the minute, so a restarted demo draws the same curves.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from smtui.emulator.ext.state import ExtState

SCALING_IC = "mistral-7b-summarizer"
TRAINING_JOB = "llama3-8b-sft-nightly"
ERRORING_ENDPOINT = "genai-shared-g5"
CYCLE_MINUTES = 30
"""One rise of the scaling component's traffic, then its latency, then back down."""
KEEP_MINUTES = 120
"""Older points are dropped: moto scans every point on each query."""
LOSS_DEFINITIONS = [
    {"Name": "train:loss", "Regex": r"loss=([0-9\.]+)"},
    {"Name": "eval:loss", "Regex": r"eval_loss=([0-9\.]+)"},
]

_SAGEMAKER = "AWS/SageMaker"
_ENDPOINTS = "/aws/sagemaker/Endpoints"
_ICS = "/aws/sagemaker/InferenceComponents"
_JOBS = "/aws/sagemaker/TrainingJobs"


def _noise(*parts: object) -> float:
    """A repeatable draw in [0, 1) for one metric at one minute."""
    return random.Random("/".join(map(str, parts))).random()


def _minute(at: dt.datetime) -> int:
    return int(at.timestamp() // 60)


def scaling_traffic(minute: int) -> tuple[float, float]:
    """(invocations per minute, model latency in microseconds) of the scaling component:
    traffic climbs over the first two thirds of each cycle; latency climbs once traffic
    passes what two copies serve, so it lags the invocations by several minutes."""
    phase = (minute % CYCLE_MINUTES) / CYCLE_MINUTES
    invocations = 300 + 2700 * min(1.0, phase * 1.5) * (1.0 if phase < 0.85 else 0.2)
    latency_ms = 45 + max(0.0, invocations - 1500) * 0.12
    return invocations, latency_ms * 1000


def _datum(name: str, value: float, dims: dict[str, str], minute: int, unit: str) -> dict[str, Any]:
    stamp = dt.datetime.fromtimestamp(minute * 60 + 30, dt.UTC).replace(tzinfo=None)  # moto keeps naive UTC
    return {
        "MetricName": name,
        "Value": round(value, 3),
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
        "Timestamp": stamp,
        "Unit": unit,
    }


def _points(state: ExtState, minute: int) -> dict[str, list[dict[str, Any]]]:
    """Every demo metric's point for one minute, by namespace."""
    out: dict[str, list[dict[str, Any]]] = {_SAGEMAKER: [], _ENDPOINTS: [], _ICS: [], _JOBS: []}
    backend = state.backend
    for name, endpoint in list(backend.endpoints.items()):
        if endpoint.endpoint_status != "InService":
            continue
        for variant in endpoint.production_variants or []:
            dims = {"EndpointName": name, "VariantName": variant.get("VariantName", "AllTraffic")}
            n = _noise(name, minute)
            calls = 600 + 400 * math.sin(minute / 9 + len(name)) + 200 * n
            errors = float(round(3 + 6 * n)) if name == ERRORING_ENDPOINT and n > 0.4 else 0.0
            out[_SAGEMAKER] += [
                _datum("Invocations", calls, dims, minute, "Count"),
                _datum("Invocation4XXErrors", round(calls * 0.004 * n), dims, minute, "Count"),
                _datum("Invocation5XXErrors", errors, dims, minute, "Count"),
                _datum("ModelLatency", (80 + 40 * n) * 1000, dims, minute, "Microseconds"),
                _datum("OverheadLatency", (4 + 3 * n) * 1000, dims, minute, "Microseconds"),
            ]
            out[_ENDPOINTS] += [
                _datum("CPUUtilization", 20 + 30 * n, dims, minute, "Percent"),
                _datum("GPUUtilization", 35 + 50 * _noise(name, minute, "gpu"), dims, minute, "Percent"),
                _datum("MemoryUtilization", 55 + 10 * n, dims, minute, "Percent"),
            ]
    for name, ic in list(state.store("inference-component").items()):
        if ic.get("InferenceComponentStatus") != "InService":
            continue
        dims = {"InferenceComponentName": name}
        n = _noise(name, minute)
        if name == SCALING_IC:
            calls, latency = scaling_traffic(minute)
        else:
            calls, latency = 150 + 100 * n, (60 + 30 * n) * 1000
        busy = min(98.0, 20 + calls / 40)
        out[_SAGEMAKER] += [
            _datum("Invocations", calls, dims, minute, "Count"),
            _datum("Invocation4XXErrors", 0.0, dims, minute, "Count"),
            _datum("Invocation5XXErrors", 0.0, dims, minute, "Count"),
            _datum("ModelLatency", latency, dims, minute, "Microseconds"),
        ]
        out[_ICS] += [
            _datum("CPUUtilizationNormalized", 10 + 20 * n, dims, minute, "Percent"),
            _datum("GPUUtilizationNormalized", busy, dims, minute, "Percent"),
            _datum("GPUMemoryUtilizationNormalized", 60 + 10 * n, dims, minute, "Percent"),
            _datum("MemoryUtilizationNormalized", 40 + 10 * n, dims, minute, "Percent"),
        ]
    job = backend.training_jobs.get(TRAINING_JOB)
    if job is not None and job.training_job_status == "InProgress":
        started = _minute(_aware(job.training_start_time or job.creation_time))
        elapsed = max(0, minute - started)
        loss = 0.35 + 2.2 * math.exp(-elapsed / 25) + 0.05 * _noise(TRAINING_JOB, minute)
        out[_JOBS] += [
            _datum("train:loss", loss, {"TrainingJobName": TRAINING_JOB}, minute, "None"),
            _datum("eval:loss", loss * 1.08, {"TrainingJobName": TRAINING_JOB}, minute, "None"),
        ]
        count = int(job.resource_config.get("InstanceCount", 1))
        for host in range(1, min(count, 4) + 1):
            dims = {"Host": f"{TRAINING_JOB}/algo-{host}"}
            out[_JOBS] += [
                _datum("CPUUtilization", 60 + 20 * _noise(host, minute), dims, minute, "Percent"),
                _datum("GPUUtilization", 88 + 10 * _noise(host, minute, "g"), dims, minute, "Percent"),
                _datum("MemoryUtilization", 70 + 5 * _noise(host, minute, "m"), dims, minute, "Percent"),
            ]
    return out


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)


def _cloudwatch(state: ExtState) -> Any:
    return cloudwatch_backends[state.account_id][state.region]


def _write(state: ExtState, minutes: range) -> None:
    cloudwatch = _cloudwatch(state)
    for minute in minutes:
        for namespace, data in _points(state, minute).items():
            if data:
                cloudwatch.put_metric_data(namespace, data)


def seed_metrics(state: ExtState, now: dt.datetime | None = None) -> None:
    """The last hour of every demo metric, and the training algorithm's metric definitions."""
    for name, job in state.backend.training_jobs.items():
        if name == TRAINING_JOB or name.startswith("llama3-8b-sft"):
            job.algorithm_specification = {**job.algorithm_specification, "MetricDefinitions": LOSS_DEFINITIONS}
    current = _minute(now or dt.datetime.now(dt.UTC))
    _write(state, range(current - 60, current))
    state.store("metrics-seed")["written"] = {"minute": current - 1}


def advance_metrics(state: ExtState, now: dt.datetime | None = None) -> int:
    """Write every minute since the last one written (the animator calls it each round), and
    drop points older than :data:`KEEP_MINUTES`. Returns how many minutes were written."""
    marker = state.store("metrics-seed").setdefault("written", {"minute": None})
    current = _minute(now or dt.datetime.now(dt.UTC))
    last = marker["minute"]
    first = current - 60 if last is None else int(last) + 1
    if first > current:
        return 0
    _write(state, range(first, current + 1))
    marker["minute"] = current
    cutoff = dt.datetime.fromtimestamp((current - KEEP_MINUTES) * 60, dt.UTC).replace(tzinfo=None)
    cloudwatch = _cloudwatch(state)
    cloudwatch.metric_data = [d for d in cloudwatch.metric_data if d.timestamp >= cutoff]
    return current + 1 - first
