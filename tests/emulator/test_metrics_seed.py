"""The demo's metric data points: in moto's own CloudWatch backend, and they move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smtui.emulator.demo import seed_demo
from smtui.emulator.metrics_seed import SCALING_IC, TRAINING_JOB, advance_metrics, scaling_traffic
from smtui.emulator.seed import state_of
from smtui.emulator.server import EmulatorServer


async def series(emu: EmulatorServer, aio_session: Any, namespace: str, name: str, dims: dict[str, str]) -> list[float]:
    now = dt.datetime.now(dt.UTC)
    async with aio_session.create_client("cloudwatch", endpoint_url=emu.url, region_name="us-east-1") as cw:
        answer = await cw.get_metric_data(
            MetricDataQueries=[
                {
                    "Id": "m0",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": namespace,
                            "MetricName": name,
                            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                        },
                        "Period": 60,
                        "Stat": "Average",
                    },
                }
            ],
            StartTime=now - dt.timedelta(minutes=61),
            EndTime=now + dt.timedelta(minutes=1),
            ScanBy="TimestampAscending",
        )
    return list(answer["MetricDataResults"][0]["Values"])


def test_the_scaling_components_latency_follows_its_invocations() -> None:
    minutes = range(0, 30)
    calls = [scaling_traffic(m)[0] for m in minutes]
    latency = [scaling_traffic(m)[1] for m in minutes]
    rise = next(m for m in minutes if calls[m] > calls[0] * 2)
    slow = next(m for m in minutes if latency[m] > latency[0] * 1.5)
    assert rise < slow  # traffic climbs first, latency a few minutes later
    assert max(calls) > 5 * min(calls) and max(latency) > 3 * min(latency)


async def test_the_demo_seeds_an_hour_and_keeps_writing(emu: EmulatorServer, aio_session: Any) -> None:
    seed_demo(emu)
    ic = {"InferenceComponentName": SCALING_IC}
    invocations = await series(emu, aio_session, "AWS/SageMaker", "Invocations", ic)
    assert len(invocations) >= 59 and max(invocations) > 3 * min(invocations)
    loss = await series(
        emu, aio_session, "/aws/sagemaker/TrainingJobs", "train:loss", {"TrainingJobName": TRAINING_JOB}
    )
    assert loss and loss[0] > loss[-1]  # the loss falls
    endpoint = {"EndpointName": "genai-shared-g5", "VariantName": "AllTraffic"}
    assert await series(emu, aio_session, "/aws/sagemaker/Endpoints", "GPUUtilization", endpoint)
    state = state_of(emu)
    written = int(state.store("metrics-seed")["written"]["minute"])  # the seed's last whole minute
    later = dt.datetime.fromtimestamp((written + 4) * 60 + 10, dt.UTC)
    assert advance_metrics(state, later) == 4  # the minutes since, the one under way included
    assert advance_metrics(state, later) == 0  # nothing twice
    much_later = later + dt.timedelta(hours=3)
    advance_metrics(state, much_later)
    from moto.cloudwatch.models import cloudwatch_backends

    oldest = min(d.timestamp for d in cloudwatch_backends[state.account_id][state.region].metric_data)
    assert oldest >= (much_later - dt.timedelta(minutes=121)).replace(tzinfo=None)  # old points are dropped


async def test_the_training_job_has_metric_definitions(emu: EmulatorServer, sm: Any) -> None:
    seed_demo(emu)
    job = await sm.describe_training_job(TrainingJobName=TRAINING_JOB)
    names = [d["Name"] for d in job["AlgorithmSpecification"]["MetricDefinitions"]]
    assert "train:loss" in names
