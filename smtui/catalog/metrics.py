"""Which CloudWatch metrics describe a resource: catalogue data, no I/O.

A :class:`MetricDef` names one metric the way CloudWatch files it (namespace, metric name,
statistic) and how its dimensions come out of the resource's Describe* record. Expanding the
definitions against a record (:func:`metric_queries`) gives concrete :class:`MetricQuery`
rows: one per variant for an endpoint, one per host for a training job, one per metric
definition of the training algorithm. The service batches them into one GetMetricData call.

Names, namespaces and dimensions follow AWS's list of SageMaker AI metrics:
https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
- endpoint invocations (``AWS/SageMaker``, ``EndpointName`` + ``VariantName``):
  #cloudwatch-metrics-endpoint-invocation; ModelLatency and OverheadLatency are in microseconds.
- endpoint instances (``/aws/sagemaker/Endpoints``, ``EndpointName`` + ``VariantName``):
  #cloudwatch-metrics-endpoints.
- inference components: invocations in ``AWS/SageMaker`` and utilisation in
  ``/aws/sagemaker/InferenceComponents``, both with the ``InferenceComponentName`` dimension:
  #cloudwatch-metrics-inference-component (and, for the per-copy dimensions that enhanced
  metrics add, https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html).
- training jobs: host utilisation in ``/aws/sagemaker/TrainingJobs`` with ``Host`` =
  ``<job>/algo-<n>``, and the algorithm's own metric definitions (``train:loss``) in the same
  namespace with the ``TrainingJobName`` dimension: #cloudwatch-metrics-jobs and
  https://docs.aws.amazon.com/sagemaker/latest/dg/training-metrics.html.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SAGEMAKER = "AWS/SageMaker"
ENDPOINTS = "/aws/sagemaker/Endpoints"
INFERENCE_COMPONENTS = "/aws/sagemaker/InferenceComponents"
TRAINING_JOBS = "/aws/sagemaker/TrainingJobs"

PERIOD = 60
"""Seconds per data point: SageMaker publishes at 1-minute frequency by default."""
WINDOW_MINUTES = 60
"""The describe panel's sparkline spans the last hour."""
COLUMN_WINDOW_MINUTES = 15
"""A list column (5XX) sums the last 15 minutes."""
MAX_HOSTS = 4
"""Training hosts shown per job (a 16-node job would need 80 rows)."""
MAX_QUERIES = 500
"""GetMetricData's limit on queries per call."""


@dataclass(frozen=True)
class MetricDef:
    """One metric of a resource type. ``dims`` maps CloudWatch dimension names to what fills
    them: a record field, or ``<variant>`` / ``<host>`` for the per-variant or per-host copy."""

    label: str
    namespace: str
    name: str
    stat: str
    dims: tuple[tuple[str, str], ...]
    unit: str = ""
    scale: float = 1.0
    """Multiply by this to show ``unit`` (microseconds -> ms: 0.001)."""


@dataclass(frozen=True)
class MetricQuery:
    """One concrete query: a metric of one resource (one variant, one host). ``id`` is its
    GetMetricData query id (lower-case letter first, as CloudWatch requires)."""

    id: str
    label: str
    namespace: str
    name: str
    stat: str
    dimensions: tuple[tuple[str, str], ...]
    unit: str = ""
    scale: float = 1.0

    def request(self, period: int = PERIOD) -> dict[str, Any]:
        """The ``MetricDataQueries`` entry."""
        return {
            "Id": self.id,
            "MetricStat": {
                "Metric": {
                    "Namespace": self.namespace,
                    "MetricName": self.name,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
                },
                "Period": period,
                "Stat": self.stat,
            },
            "ReturnData": True,
        }


_VARIANT = (("EndpointName", "EndpointName"), ("VariantName", "<variant>"))
_IC = (("InferenceComponentName", "InferenceComponentName"),)
_HOST = (("Host", "<host>"),)

METRICS: Mapping[str, tuple[MetricDef, ...]] = {
    "endpoints": (
        MetricDef("Invocations", SAGEMAKER, "Invocations", "Sum", _VARIANT),
        MetricDef("4XX errors", SAGEMAKER, "Invocation4XXErrors", "Sum", _VARIANT),
        MetricDef("5XX errors", SAGEMAKER, "Invocation5XXErrors", "Sum", _VARIANT),
        MetricDef("Model latency", SAGEMAKER, "ModelLatency", "Average", _VARIANT, "ms", 0.001),
        MetricDef("Overhead latency", SAGEMAKER, "OverheadLatency", "Average", _VARIANT, "ms", 0.001),
        MetricDef("CPU", ENDPOINTS, "CPUUtilization", "Average", _VARIANT, "%"),
        MetricDef("GPU", ENDPOINTS, "GPUUtilization", "Average", _VARIANT, "%"),
        MetricDef("Memory", ENDPOINTS, "MemoryUtilization", "Average", _VARIANT, "%"),
    ),
    "inference-components": (
        MetricDef("Invocations", SAGEMAKER, "Invocations", "Sum", _IC),
        MetricDef("4XX errors", SAGEMAKER, "Invocation4XXErrors", "Sum", _IC),
        MetricDef("5XX errors", SAGEMAKER, "Invocation5XXErrors", "Sum", _IC),
        MetricDef("Model latency", SAGEMAKER, "ModelLatency", "Average", _IC, "ms", 0.001),
        MetricDef("CPU", INFERENCE_COMPONENTS, "CPUUtilizationNormalized", "Average", _IC, "%"),
        MetricDef("GPU", INFERENCE_COMPONENTS, "GPUUtilizationNormalized", "Average", _IC, "%"),
        MetricDef("GPU memory", INFERENCE_COMPONENTS, "GPUMemoryUtilizationNormalized", "Average", _IC, "%"),
        MetricDef("Memory", INFERENCE_COMPONENTS, "MemoryUtilizationNormalized", "Average", _IC, "%"),
    ),
    "training-jobs": (
        MetricDef("CPU", TRAINING_JOBS, "CPUUtilization", "Average", _HOST, "%"),
        MetricDef("GPU", TRAINING_JOBS, "GPUUtilization", "Average", _HOST, "%"),
        MetricDef("Memory", TRAINING_JOBS, "MemoryUtilization", "Average", _HOST, "%"),
    ),
}

COLUMN_METRICS: Mapping[str, MetricDef] = {
    "endpoints": MetricDef("5XX/15m", SAGEMAKER, "Invocation5XXErrors", "Sum", _VARIANT),
    "inference-components": MetricDef("5XX/15m", SAGEMAKER, "Invocation5XXErrors", "Sum", _IC),
}
"""The optional list column per type: 5XX errors over the last 15 minutes."""


def has_metrics(type_name: str) -> bool:
    """Whether the describe view of ``type_name`` has a metrics panel."""
    return type_name in METRICS


def _variants(record: Mapping[str, Any]) -> list[str]:
    variants = record.get("ProductionVariants") or []
    names = [str(v.get("VariantName")) for v in variants if isinstance(v, Mapping) and v.get("VariantName")]
    return names or ["AllTraffic"]


def _hosts(record: Mapping[str, Any]) -> list[str]:
    job = str(record.get("TrainingJobName", ""))
    count = (record.get("ResourceConfig") or {}).get("InstanceCount") or 1
    return [f"{job}/algo-{n}" for n in range(1, min(int(count), MAX_HOSTS) + 1)]


def _algorithm_metrics(record: Mapping[str, Any]) -> list[str]:
    spec = record.get("AlgorithmSpecification") or {}
    definitions = spec.get("MetricDefinitions") or [] if isinstance(spec, Mapping) else []
    return [str(d["Name"]) for d in definitions if isinstance(d, Mapping) and d.get("Name")]


def _expand(definition: MetricDef, record: Mapping[str, Any]) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(label suffix, dimensions) for each copy of ``definition`` the record has."""
    fields = dict(definition.dims)
    copies: list[tuple[str, dict[str, str]]] = [("", {})]
    if "<variant>" in fields.values():
        variants = _variants(record)
        copies = [(v if len(variants) > 1 else "", {"<variant>": v}) for v in variants]
    elif "<host>" in fields.values():
        hosts = _hosts(record)
        copies = [(h.rsplit("/", 1)[-1] if len(hosts) > 1 else "", {"<host>": h}) for h in hosts]
    out = []
    for suffix, fill in copies:
        dims = tuple((name, fill.get(source) or str(record.get(source, ""))) for name, source in definition.dims)
        if all(value for _, value in dims):
            out.append((suffix, dims))
    return out


def _query(n: int, definition: MetricDef, suffix: str, dims: tuple[tuple[str, str], ...]) -> MetricQuery:
    label = f"{definition.label} {suffix}".strip()
    return MetricQuery(
        f"m{n}", label, definition.namespace, definition.name, definition.stat, dims, definition.unit, definition.scale
    )


def metric_queries(type_name: str, record: Mapping[str, Any]) -> list[MetricQuery]:
    """Every metric of one resource, in panel order (at most :data:`MAX_QUERIES`)."""
    definitions = list(METRICS.get(type_name, ()))
    if type_name == "training-jobs":
        job = (("TrainingJobName", "TrainingJobName"),)
        own = [MetricDef(name, TRAINING_JOBS, name, "Average", job) for name in _algorithm_metrics(record)]
        definitions = own + definitions
    queries: list[MetricQuery] = []
    for definition in definitions:
        for suffix, dims in _expand(definition, record):
            queries.append(_query(len(queries), definition, suffix, dims))
    return queries[:MAX_QUERIES]


def column_queries(type_name: str, records: Mapping[str, Mapping[str, Any]]) -> dict[str, list[MetricQuery]]:
    """The list column's queries for each row key (an endpoint sums its variants). Rows past
    the call's query limit get none."""
    definition = COLUMN_METRICS.get(type_name)
    if definition is None:
        return {}
    out: dict[str, list[MetricQuery]] = {}
    used = 0
    for key, record in records.items():
        expanded = _expand(definition, record)
        if used + len(expanded) > MAX_QUERIES:
            break
        out[key] = [_query(used + i, definition, suffix, dims) for i, (suffix, dims) in enumerate(expanded)]
        used += len(expanded)
    return out


_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")


def valid_query_id(text: str) -> bool:
    """CloudWatch's rule for a query id: a lower-case letter, then letters, digits, underscores."""
    return bool(_ID.fullmatch(text))
