"""Following a chatty log stream: RSS growth after warm-up, and the UI's cost per tick.

    python -m tests.perf.bench_logs                   # 90 s following + 30 s baseline
    python -m tests.perf.bench_logs --duration 600    # the issue's 10-minute run

A writer process puts 200 lines/s (20 every 100 ms, through PutLogEvents over HTTP) into one
stream of a training job's log group, in an emulator of its own (``python -m smtui.emulator
--seed none``), so the emulator's store of every line stays out of the measured process.
The real app (headless ``run_test``, 100×30, ``CountingDriver`` rendering real frames) opens
the job's logs view with the default ring (``logs.buffer_lines`` = 10,000) and follows.

Two phases, in one run and one process:

1. **smtui**: the logs view follows for ``--duration`` seconds. Warm-up is the first
   ``--warmup`` seconds (the ring fills in 50 s at 200 lines/s); RSS growth is measured from
   the end of warm-up to the end.
2. **baseline**: the same stream read by the same ``LogTail`` calls, every line kept in a
   plain list (no ring, no UI), for ``--baseline`` seconds: what an unbounded buffer grows by.

A tick is one poll of the view (``LogsScreen.poll_once``). UI CPU per tick is this thread's CPU
(``time.thread_time``) in the pane's ``append`` plus every ``render_line`` since the last tick;
the poll's own CPU (HTTP, JSON) is shown beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import subprocess
import sys
import threading
import time
from typing import Any

from tests.perf._common import (
    CREDENTIALS,
    REGION,
    CountingDriver,
    median,
    mib,
    percentile,
    progress,
    publish,
    render_table,
    rss_kib,
    timed_method,
)

JOB = "bench-follow-job"
GROUP = "/aws/sagemaker/TrainingJobs"
STREAM = f"{JOB}/algo-1-1700000000"
RATE = 200
SIZE = (100, 30)


# ---------------------------------------------------------------------------------- the writer
def writer_main(url: str, seconds: float) -> None:
    """``--writer URL SECONDS``: put RATE lines/s into STREAM until the time is up."""
    import boto3

    logs = boto3.client(
        "logs",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    )
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=GROUP)
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
    print("WRITER_READY", flush=True)
    batch, n = RATE // 10, 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        now = int(time.time() * 1000)
        events = [{"timestamp": now, "message": f"step {n + i} loss=0.{(n + i) % 9973:04d} " + "x" * 60}
                  for i in range(batch)]  # fmt: skip
        logs.put_log_events(logGroupName=GROUP, logStreamName=STREAM, logEvents=events)
        n += batch
        time.sleep(max(0.0, start + n / RATE - time.monotonic()))
    print(f"WRITER_DONE {n}", flush=True)


def start_writer(url: str, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.perf.bench_logs", "--writer", url, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("WRITER_READY"):
        raise RuntimeError(f"the writer did not start: {line!r}")
    return proc


# ---------------------------------------------------------------------------------- the run
async def follow_phase(url: str, duration: float, warmup: float) -> dict[str, Any]:
    from smtui.aws.client import Target
    from smtui.catalog import default_catalog
    from smtui.config import PollSettings, Settings
    from smtui.ui.app import SmtuiApp
    from smtui.ui.screens.logs import LogsScreen
    from smtui.ui.widgets.log_pane import LogPane

    settings = Settings(poll=PollSettings(fast_seconds=1.0, slow_seconds=5.0, max_backoff_seconds=10.0))
    catalog = default_catalog()
    app = SmtuiApp(
        Target(region=REGION, endpoint_url=url, static_credentials=CREDENTIALS),
        settings,
        start="training-jobs",
        catalog=catalog,
    )
    app.driver_class = CountingDriver
    CountingDriver.reset()
    ui_cpu = [0.0]
    ticks: list[dict[str, float]] = []
    samples: list[tuple[float, int]] = []

    def on_ui(wall: float, cpu: float, _: Any) -> None:
        ui_cpu[0] += cpu

    def on_poll(wall: float, cpu: float, screen: Any) -> None:
        ticks.append(
            {
                "at": time.monotonic(),
                "wall": wall,
                "cpu": cpu,
                "ui": ui_cpu[0],
                "bytes": CountingDriver.bytes_written,
                "lines": len(screen.query_one(LogPane).lines),
            }
        )
        ui_cpu[0] = 0.0

    with (
        timed_method(LogPane, "append", on_ui),
        timed_method(LogPane, "render_line", on_ui),
        timed_method(LogsScreen, "poll_once", on_poll),
    ):
        async with app.run_test(size=SIZE, headless=False) as pilot:
            await pilot.pause(1.0)
            record = {"TrainingJobName": JOB, "TrainingJobStatus": "InProgress", "SecondaryStatus": "Training"}
            screen = LogsScreen(app.service, catalog, catalog.get("training-jobs"), record)
            await app.push_screen(screen)
            begin = time.monotonic()
            while (elapsed := time.monotonic() - begin) < duration:
                samples.append((elapsed, rss_kib()))
                await pilot.pause(min(5.0, duration - elapsed))
            samples.append((time.monotonic() - begin, rss_kib()))
            tail = screen.tail
            shown = len(screen.query_one(LogPane).lines)
            dropped = tail.dropped if tail is not None else 0
            received = shown + dropped
    after = [t for t in ticks if t["at"] - ticks[0]["at"] >= warmup] if ticks else []
    at_warm = next((kib for t, kib in samples if t >= warmup), samples[-1][1])
    deltas = [b["bytes"] - a["bytes"] for a, b in itertools.pairwise(after)]
    return {
        "rss_warm": at_warm,
        "rss_end": samples[-1][1],
        "rss_peak_after": max(kib for t, kib in samples if t >= warmup),
        "ticks": len(after),
        "received": received,
        "shown": shown,
        "ui_cpu": [t["ui"] for t in after],
        "poll_cpu": [t["cpu"] for t in after],
        "poll_wall": [t["wall"] for t in after],
        "bytes": deltas,
        "lines_per_tick": received / max(1, len(ticks)),
    }


async def baseline_phase(url: str, seconds: float) -> dict[str, Any]:
    """The same reads, every line kept (no ring): what an unbounded buffer costs."""
    from smtui.aws.target import Target
    from smtui.service import Service
    from smtui.service.logs import LogTarget

    service = Service(Target(region=REGION, endpoint_url=url, static_credentials=CREDENTIALS))
    target = LogTarget(GROUP, f"{JOB}/", "", True, None, JOB)
    tail = service.logs.tail(target, start_ms=int(time.time() * 1000), capacity=10**9)
    kept: list[Any] = []
    await tail.poll()
    before = rss_kib()
    begin = time.monotonic()
    while time.monotonic() - begin < seconds:
        kept.extend(await tail.poll())
        tail.lines.clear()  # the list below is the buffer under test, not the tail's own
        await asyncio.sleep(1.0)
    after = rss_kib()
    await service.close()
    return {"rss_before": before, "rss_after": after, "lines": len(kept), "seconds": time.monotonic() - begin}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=90.0, help="seconds of following (default 90)")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds of warm-up (default 60)")
    parser.add_argument("--baseline", type=float, default=30.0, help="seconds of the unbounded baseline")
    parser.add_argument("--writer", nargs=2, metavar=("URL", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer_main(args.writer[0], float(args.writer[1]))
        return
    from smtui.emulator.child import start_child

    warmup = min(args.warmup, args.duration / 2)
    progress("starting the emulator and the writer")
    child = start_child(seed="none", pace="immediate")
    writer = start_writer(child.url, args.duration + args.baseline + 30)
    try:
        progress(f"following {RATE} lines/s for {args.duration:.0f} s (warm-up {warmup:.0f} s)")
        follow = asyncio.run(follow_phase(child.url, args.duration, warmup))
        progress(f"baseline: every line kept, {args.baseline:.0f} s")
        base = asyncio.run(baseline_phase(child.url, args.baseline))
    finally:
        writer.terminate()
        child.stop()
    growth = follow["rss_end"] - follow["rss_warm"]
    pct = 100.0 * growth / follow["rss_warm"]
    measured = args.duration - warmup
    base_growth = base["rss_after"] - base["rss_before"]
    base_per_min = base_growth * 60.0 / base["seconds"]
    rows = [
        ["smtui logs view (ring 10,000)", mib(follow["rss_warm"]), mib(follow["rss_end"]),
         f"{growth / 1024:+.1f} MiB ({pct:+.1f} %)", f"{growth * 60.0 / measured / 1024:+.2f} MiB/min",
         f"{follow['received']:,}"],
        ["baseline: every line kept", mib(base["rss_before"]), mib(base["rss_after"]),
         f"{base_growth / 1024:+.1f} MiB", f"{base_per_min / 1024:+.2f} MiB/min", f"{base['lines']:,}"],
    ]  # fmt: skip
    memory = render_table(["", "RSS after warm-up", "RSS at end", "growth", "per minute", "lines read"], rows)
    ui, cpu, wall = follow["ui_cpu"], follow["poll_cpu"], follow["poll_wall"]
    per_tick = render_table(
        ["per tick (one poll, after warm-up)", "median", "p95"],
        [
            [
                "UI CPU: pane append + rows painted",
                f"{median(ui) * 1000:.2f} ms",
                f"{percentile(ui, 95) * 1000:.2f} ms",
            ],
            ["poll CPU (HTTP, JSON, dedupe)", f"{median(cpu) * 1000:.2f} ms", f"{percentile(cpu, 95) * 1000:.2f} ms"],
            ["poll wall", f"{median(wall) * 1000:.1f} ms", f"{percentile(wall, 95) * 1000:.1f} ms"],
            ["terminal bytes", f"{median(follow['bytes']):,.0f}", f"{percentile(follow['bytes'], 95):,.0f}"],
        ],
    )
    verdict = "met" if pct <= 10.0 else "NOT met"
    head = (
        f"Following one stream at {RATE} lines/s for {args.duration:.0f} s (warm-up {warmup:.0f} s), "
        f"{follow['ticks']} ticks after warm-up, {follow['lines_per_tick']:.0f} lines per tick; "
        f"{follow['shown']:,} lines on screen at the end.\nGoal RSS growth ≤ 10 % after warm-up: {verdict}."
    )
    name = "bench_logs" if args.duration >= 600 else f"bench_logs_{int(args.duration)}s"
    publish(name, [head, memory, per_tick])


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    threading.current_thread().name = "bench"
    main()
