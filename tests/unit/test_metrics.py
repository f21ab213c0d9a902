"""Metrics: the catalogue's queries, the per-minute series, and one GetMetricData per tick,
counted at the emulator (moto's own CloudWatch backend, through the real aiobotocore)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.catalog.metrics import (
    ENDPOINTS,
    SAGEMAKER,
    TRAINING_JOBS,
    MetricQuery,
    column_queries,
    metric_queries,
)
from smtui.config import PollSettings, Settings
from smtui.emulator.seed import add_endpoint, state_of
from smtui.emulator.server import EmulatorServer
from smtui.service import Service
from smtui.service.metrics import MetricsFeed, MetricsReport, format_value, series_from, window

NOW = dt.datetime(2026, 12, 2, 10, 30, 20, tzinfo=dt.UTC)


@pytest.fixture
async def service(emu: EmulatorServer) -> AsyncIterator[Service]:
    target = Target(endpoint_url=emu.url, static_credentials=("testing", "testing"))
    settings = Settings(poll=PollSettings(fast_seconds=0.05, slow_seconds=0.1, max_backoff_seconds=0.5))
    svc = Service(target, settings, catalog=default_catalog())
    try:
        yield svc
    finally:
        await svc.close()


async def put(emu: EmulatorServer, aio_session: Any, namespace: str, data: list[dict[str, Any]]) -> None:
    async with aio_session.create_client("cloudwatch", endpoint_url=emu.url, region_name="us-east-1") as cw:
        await cw.put_metric_data(Namespace=namespace, MetricData=data)


def datum(name: str, value: float, dims: dict[str, str], minutes_ago: float) -> dict[str, Any]:
    return {
        "MetricName": name,
        "Value": value,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
        "Timestamp": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago),
    }


# ---------------------------------------------------------------------------- the catalogue
def test_endpoint_metrics_are_per_variant_with_cloudwatch_dimensions() -> None:
    record = {"EndpointName": "ep", "ProductionVariants": [{"VariantName": "blue"}, {"VariantName": "green"}]}
    queries = metric_queries("endpoints", record)
    names = {(q.namespace, q.name) for q in queries}
    for metric in ("Invocations", "Invocation4XXErrors", "Invocation5XXErrors", "ModelLatency", "OverheadLatency"):
        assert (SAGEMAKER, metric) in names
    for metric in ("CPUUtilization", "GPUUtilization", "MemoryUtilization"):
        assert (ENDPOINTS, metric) in names
    invocations = [q for q in queries if q.name == "Invocations"]
    assert [dict(q.dimensions) for q in invocations] == [
        {"EndpointName": "ep", "VariantName": "blue"},
        {"EndpointName": "ep", "VariantName": "green"},
    ]
    assert [q.label for q in invocations] == ["Invocations blue", "Invocations green"]
    assert len({q.id for q in queries}) == len(queries)  # ids are unique within the call
    latency = next(q for q in queries if q.name == "ModelLatency")
    assert latency.unit == "ms" and latency.scale == 0.001  # CloudWatch reports microseconds


def test_inference_component_metrics_use_its_own_dimension() -> None:
    queries = metric_queries("inference-components", {"InferenceComponentName": "ic-a", "EndpointName": "ep"})
    assert queries and all(dict(q.dimensions) == {"InferenceComponentName": "ic-a"} for q in queries)
    assert {q.namespace for q in queries} == {SAGEMAKER, "/aws/sagemaker/InferenceComponents"}


def test_training_job_metrics_are_its_metric_definitions_and_hosts() -> None:
    record = {
        "TrainingJobName": "job",
        "AlgorithmSpecification": {"MetricDefinitions": [{"Name": "train:loss", "Regex": "loss=(.*)"}]},
        "ResourceConfig": {"InstanceCount": 2},
    }
    queries = metric_queries("training-jobs", record)
    loss = queries[0]
    assert (loss.namespace, loss.name, dict(loss.dimensions)) == (
        TRAINING_JOBS,
        "train:loss",
        {"TrainingJobName": "job"},
    )
    hosts = {dict(q.dimensions)["Host"] for q in queries if q.name == "GPUUtilization"}
    assert hosts == {"job/algo-1", "job/algo-2"}


def test_list_column_queries_stop_at_the_call_limit() -> None:
    records = {f"ep-{i}": {"EndpointName": f"ep-{i}"} for i in range(600)}
    per_row = column_queries("endpoints", records)
    assert len(per_row) == 500 and sum(len(q) for q in per_row.values()) == 500
    assert column_queries("training-jobs", records) == {}


# ---------------------------------------------------------------------------- series
def test_points_land_in_their_minute_and_the_partial_minute_is_left_out() -> None:
    query = MetricQuery("m0", "Invocations", SAGEMAKER, "Invocations", "Sum", (("EndpointName", "ep"),))
    start, end = window(60, NOW)
    assert end - start == dt.timedelta(hours=1)
    assert end == NOW.replace(second=0)  # 10:30 is under way: the window ends at its start
    answer = {
        "MetricDataResults": [
            {
                "Id": "m0",
                "Timestamps": [end - dt.timedelta(seconds=30), end - dt.timedelta(seconds=90), end],
                "Values": [5.0, 7.0, 99.0],
            }
        ]
    }
    (series,) = series_from([query], answer, 60, NOW)
    assert len(series.slots) == 60
    assert series.slots[-1] == 5.0 and series.slots[-2] == 7.0  # 99 is in the minute under way
    assert (series.last, series.low, series.high, series.total) == (5.0, 5.0, 7.0, 12.0)
    assert series.spark()[0] == 0.0  # a gap keeps its place on the time axis


def test_values_are_printable_and_short() -> None:
    assert format_value(1204.0) == "1,204"
    assert format_value(12.34, "ms") == "12.3 ms"
    assert format_value(87.4, "%") == "87%"
    assert format_value(None) == "-"
    assert "\x1b" not in format_value(1.0, "\x1b[31m")


# ---------------------------------------------------------------------------- against the emulator
async def test_describe_metrics_read_back_what_cloudwatch_holds(
    emu: EmulatorServer, aio_session: Any, service: Service
) -> None:
    dims = {"EndpointName": "ep", "VariantName": "AllTraffic"}
    await put(emu, aio_session, SAGEMAKER, [datum("Invocations", float(v), dims, m) for v, m in ((10, 3), (20, 2))])
    await put(emu, aio_session, SAGEMAKER, [datum("ModelLatency", 25_000.0, dims, 2)])
    rtype = service.catalog.get("endpoints")
    series = await service.metrics(rtype, {"EndpointName": "ep", "ProductionVariants": [{"VariantName": "AllTraffic"}]})
    by_name = {s.query.name: s for s in series}
    assert by_name["Invocations"].values == [10.0, 20.0]
    assert by_name["Invocations"].last == 20.0
    assert by_name["ModelLatency"].last == pytest.approx(25.0)  # microseconds shown as ms
    assert by_name["CPUUtilization"].last is None  # nothing published: no data, not zero


async def test_metrics_are_batched_one_get_metric_data_per_tick(emu: EmulatorServer, service: Service) -> None:
    record = {"EndpointName": "ep", "ProductionVariants": [{"VariantName": v} for v in ("a", "b", "c")]}
    rtype = service.catalog.get("endpoints")
    reports: list[MetricsReport] = []
    feed = MetricsFeed(lambda: service.metrics(rtype, record), reports.append, service.poll_settings)
    emu.faults.clear_requests()
    for _ in range(3):
        await feed.tick_once()
    counts = emu.faults.request_counts()["counts"]
    assert counts == {"GetMetricData": 3}  # 24 queries (8 metrics x 3 variants), one call each tick
    assert len(reports[-1].series) == 24 and reports[-1].error is None


async def test_list_column_is_one_call_for_every_row(emu: EmulatorServer, aio_session: Any, service: Service) -> None:
    state = state_of(emu)
    for i in range(12):
        add_endpoint(state, f"ep-{i:02d}", "model")
    await put(
        emu,
        aio_session,
        SAGEMAKER,
        [
            datum("Invocation5XXErrors", 2.0, {"EndpointName": "ep-03", "VariantName": "AllTraffic"}, m)
            for m in (1, 2, 20)
        ],
    )
    records = {f"ep-{i:02d}": {"EndpointName": f"ep-{i:02d}"} for i in range(12)}
    emu.faults.clear_requests()
    values = await service.column_metrics(service.catalog.get("endpoints"), records)
    # ListEndpoints names no variants: one ListMetrics finds them for every endpoint at once.
    assert emu.faults.request_counts()["counts"] == {"ListMetrics": 1, "GetMetricData": 1}
    assert values["ep-03"] == 4.0  # the point 20 minutes ago is outside the 15-minute column
    assert values["ep-00"] == 0.0 and len(values) == 12


async def test_the_list_column_counts_a_variant_not_named_alltraffic(
    emu: EmulatorServer, aio_session: Any, service: Service
) -> None:
    # bench_metrics: the 5XX column guessed VariantName=AllTraffic for every list row (ListEndpoints
    # names no variants), so an endpoint whose variant is "blue" always showed 0 errors.
    state = state_of(emu)
    add_endpoint(state, "ep-blue", "model")
    await put(
        emu,
        aio_session,
        SAGEMAKER,
        [datum("Invocation5XXErrors", 3.0, {"EndpointName": "ep-blue", "VariantName": "blue"}, m) for m in (1, 2)],
    )
    records = {"ep-blue": {"EndpointName": "ep-blue"}}
    emu.faults.clear_requests()
    assert (await service.column_metrics(service.catalog.get("endpoints"), records))["ep-blue"] == 6.0
    assert (await service.column_metrics(service.catalog.get("endpoints"), records))["ep-blue"] == 6.0
    # The names are kept: the second tick is one GetMetricData, no second ListMetrics.
    assert emu.faults.request_counts()["counts"] == {"ListMetrics": 1, "GetMetricData": 2}


async def test_feed_polls_at_the_slow_rate_and_not_while_hidden(emu: EmulatorServer, service: Service) -> None:
    rtype = service.catalog.get("inference-components")
    reports: list[MetricsReport] = []
    emu.faults.clear_requests()
    feed = service.metrics_feed(lambda: service.metrics(rtype, {"InferenceComponentName": "ic"}), reports.append)
    try:
        await _until(lambda: len(reports) >= 3)
        feed.pause()
        await asyncio.sleep(0.05)  # a tick in flight lands
        hidden = emu.faults.request_counts()["counts"].get("GetMetricData", 0)
        await asyncio.sleep(0.4)  # four slow intervals
        assert emu.faults.request_counts()["counts"].get("GetMetricData", 0) == hidden
        feed.resume()
        await _until(lambda: emu.faults.request_counts()["counts"].get("GetMetricData", 0) > hidden)
    finally:
        await feed.stop()
    assert reports[0].status.startswith("live · every")


async def test_a_view_back_within_its_interval_asks_for_no_metrics(emu: EmulatorServer) -> None:
    # bench_metrics: every list -> describe -> list round trip cost a GetMetricData on return,
    # however recent the last tick; metrics move once a minute.
    target = Target(endpoint_url=emu.url, static_credentials=("testing", "testing"))
    settings = Settings(poll=PollSettings(fast_seconds=1.0, slow_seconds=1.0, max_backoff_seconds=2.0))
    service = Service(target, settings, catalog=default_catalog())
    rtype = service.catalog.get("inference-components")
    reports: list[MetricsReport] = []
    feed = service.metrics_feed(lambda: service.metrics(rtype, {"InferenceComponentName": "ic"}), reports.append)
    try:
        await _until(lambda: len(reports) >= 1)
        sent = emu.faults.request_counts()["counts"].get("GetMetricData", 0)
        for _ in range(3):  # in and out of describe, quickly
            feed.pause()
            await asyncio.sleep(0.02)
            feed.resume()
            await asyncio.sleep(0.05)
        assert emu.faults.request_counts()["counts"].get("GetMetricData", 0) == sent
        await _until(lambda: emu.faults.request_counts()["counts"].get("GetMetricData", 0) > sent)  # when due
    finally:
        await feed.stop()
        await service.close()


async def test_throttled_metrics_back_off_and_denied_ones_wait_for_the_user(
    emu: EmulatorServer, service: Service
) -> None:
    rtype = service.catalog.get("inference-components")
    reports: list[MetricsReport] = []
    feed = MetricsFeed(
        lambda: service.metrics(rtype, {"InferenceComponentName": "ic"}), reports.append, service.poll_settings
    )
    emu.faults.set([{"op": "GetMetricData", "error": "ThrottlingException"}])
    report = await feed.tick_once()
    assert report.error is not None and report.error.retryable and feed.pacer.backing_off
    emu.faults.set([{"op": "GetMetricData", "error": "AccessDeniedException"}])
    report = await feed.tick_once()
    assert report.error is not None and feed.pacer.waiting_for_user
    assert "press r" in report.status
    emu.faults.clear()
    feed.refresh()
    report = await feed.tick_once()
    assert report.error is None and report.series


async def _until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_hiding_the_view_cancels_a_tick_in_flight(emu: EmulatorServer, service: Service) -> None:
    """A slow (or retried) GetMetricData stops when the view hides, and the feed still stops cleanly."""
    rtype = service.catalog.get("inference-components")
    reports: list[MetricsReport] = []
    emu.faults.set([{"op": "GetMetricData", "latency_ms": 1500}])
    feed = service.metrics_feed(lambda: service.metrics(rtype, {"InferenceComponentName": "ic"}), reports.append)
    await _until(lambda: emu.faults.request_counts()["counts"].get("GetMetricData", 0) == 1)
    feed.pause()
    await asyncio.sleep(2.0)
    assert reports == []  # the answer of a cancelled tick is never shown
    assert emu.faults.request_counts()["counts"]["GetMetricData"] == 1
    await asyncio.wait_for(feed.stop(), timeout=2)
