"""Memory during a long watch: RSS over time while smtui watches a large, moving demo account.

Run: ``python -m tests.perf.bench_memory [--minutes 30] [--jobs 20000]``. The emulator runs in
its own process (the demo account plus N training jobs, resources moving every few seconds);
the real app runs headless in this process, opens the training-jobs list (every page loaded,
the poller live), then the inference components (one scaling), then what's-burning, cycling
every minute, while VmRSS is sampled. The baseline is the RSS right after the first full load,
measured in the same run: a bounded process stays within a small margin of it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import time
from pathlib import Path

from smtui.aws.client import Target
from smtui.catalog import default_catalog
from smtui.config import PollSettings, Settings
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.resource_list import ResourceListScreen

RESULTS = Path(__file__).resolve().parent / "results"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_emulator(jobs: int) -> tuple[subprocess.Popen[str], str]:
    args = [sys.executable, "-m", "smtui.emulator", "--seed", "demo", "--training-jobs", str(jobs), "--pace", "demo"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    if not line.startswith("SMTUI_EMULATOR_URL="):
        child.kill()
        raise SystemExit(f"emulator did not start: {line!r}")
    return child, line.split("=", 1)[1]


async def watch(url: str, minutes: float, samples: list[tuple[float, float, int]]) -> float:
    target = Target(region="us-east-1", endpoint_url=url, static_credentials=("testing", "testing"))
    settings = Settings(poll=PollSettings(fast_seconds=3, slow_seconds=10, max_backoff_seconds=60))
    app = SmtuiApp(target, settings, catalog=default_catalog(), start="training-jobs")
    async with app.run_test(size=(100, 30)) as pilot:
        started = time.monotonic()
        while not (isinstance(app.screen, ResourceListScreen) and app.screen.complete):
            await pilot.pause(0.5)
        gc.collect()
        baseline = rss_mib()
        rows = len(app.screen.table.rows)
        samples.append((0.0, baseline, rows))
        print(f"loaded {rows:,} rows in {time.monotonic() - started:.1f} s; RSS {baseline:.1f} MiB", flush=True)
        cycle = ["inference-components", "burning", "training-jobs"]
        next_sample = time.monotonic() + 30
        next_switch = time.monotonic() + 60
        end = time.monotonic() + minutes * 60
        step = 0
        while time.monotonic() < end:
            await pilot.pause(1.0)
            now = time.monotonic()
            if now >= next_switch:
                name = cycle[step % len(cycle)]
                step += 1
                app.run_command(name)
                next_switch = now + 60
            if now >= next_sample:
                while len(app.screen_stack) > 4:  # keep the history short, as a user pressing Esc would
                    app.pop_screen()
                    await pilot.pause(0.2)
                elapsed = (now - started) / 60
                samples.append((elapsed, rss_mib(), 0))
                print(f"{elapsed:5.1f} min  RSS {samples[-1][1]:.1f} MiB", flush=True)
                next_sample = now + 30
        return baseline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--jobs", type=int, default=20000)
    args = parser.parse_args()
    child, url = start_emulator(args.jobs)
    samples: list[tuple[float, float, int]] = []
    try:
        baseline = asyncio.run(watch(url, args.minutes, samples))
    finally:
        child.terminate()
        child.wait(5)
    peak = max(s[1] for s in samples)
    last = samples[-1][1]
    lines = [
        f"RSS of smtui over a {args.minutes:g}-minute watch of the demo account plus {args.jobs:,} training jobs",
        "(views cycle every minute: training jobs, inference components, what's burning; polls live)",
        "",
        "minute   RSS MiB   vs first full load",
        "------   -------   ------------------",
    ]
    lines += [f"{m:6.1f}   {r:7.1f}   {r / baseline:17.2f}×" for m, r, _ in samples[:: max(1, len(samples) // 20)]]
    lines += [
        "",
        f"baseline (after the first full load) {baseline:.1f} MiB · peak {peak:.1f} MiB · last {last:.1f} MiB",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_memory.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
