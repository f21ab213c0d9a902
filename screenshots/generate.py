"""Regenerate the README screenshots: ``python screenshots/generate.py``.

Runs the local emulator in process with the demo account, drives the real app headless at
100×30 through a few views, saves each as SVG (Textual's own export) and, when
``rsvg-convert`` is installed (Debian/Ubuntu: ``apt-get install librsvg2-bin``), as PNG.
The SVGs ask for Fira Code: install it (``apt-get install fonts-firacode``) before making
PNGs, or librsvg falls back to a font whose box-drawing characters leave gaps in borders.
Ages and the emulator's port differ from run to run, so regenerated files always differ.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from smtui.aws.client import Target
from smtui.config import Settings
from smtui.emulator.demo import seed_second_region
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.resource_list import ResourceListScreen

HERE = Path(__file__).resolve().parent
SIZE = (100, 30)

Step = Callable[[Pilot[Any]], Awaitable[None]]


def make_app(server: EmulatorServer, start: str) -> SmtuiApp:
    """The app `smtui --demo` builds (default settings), pointed at the in-process emulator."""
    target = Target(
        region="us-east-1",
        endpoint_url=server.url,
        read_only=False,
        static_credentials=("demo", "demo"),
    )
    return SmtuiApp(target, Settings(), start=start, demo=True)


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], object], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def list_loaded(pilot: Pilot[Any], type_name: str) -> ResourceListScreen:
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, ResourceListScreen) and screen.rtype.name == type_name and screen.complete

    await wait_for(pilot, ready, f"the {type_name} list")
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    return screen


async def describe_loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and app.screen.detail, "the describe view")


async def command(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("colon", *text, "enter")


async def select_row(pilot: Pilot[Any], screen: ResourceListScreen, text: str) -> None:
    """Put the cursor on the first row showing ``text`` (a name, a status...)."""
    table = screen.table
    key = next((k for k in table.view if text.lower() in table.rows[k].text), None)
    if key is None or not table.move_cursor_to_key(key):
        raise LookupError(f"no row showing {text!r}")
    await pilot.pause(0.05)


# ----------------------------------------------------------------------------- the views
async def endpoints(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")


async def inference_components(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")
    await command(pilot, "ic")
    await list_loaded(pilot, "inference-components")


async def hyperpod_nodes(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")
    await command(pilot, "hp")
    clusters = await list_loaded(pilot, "clusters")
    await select_row(pilot, clusters, "llm-pretrain-p5")
    await pilot.press("n")
    nodes = await list_loaded(pilot, "cluster-nodes")
    await select_row(pilot, nodes, "Failure")  # the failing node, highlighted


async def describe_failure(pilot: Pilot[Any]) -> None:
    screen = await list_loaded(pilot, "endpoints")
    await select_row(pilot, screen, "churn-scoring-staging")
    await pilot.press("enter")
    await describe_loaded(pilot)


async def command_line(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")
    await pilot.press("colon", "t", "r")


async def help_screen(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")
    await pilot.press("question_mark")


async def logs_failed_job(pilot: Pilot[Any]) -> None:
    from smtui.ui.screens.logs import LogsScreen

    await list_loaded(pilot, "endpoints")
    await command(pilot, "tj")
    jobs = await list_loaded(pilot, "training-jobs")
    await select_row(pilot, jobs, "llama3-70b-sft-oom")
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogsScreen) and pilot.app.screen.polls > 0, "logs")
    await pilot.pause(0.5)


async def endpoint_metrics(pilot: Pilot[Any]) -> None:
    screen = await list_loaded(pilot, "endpoints")
    await select_row(pilot, screen, "genai-shared-g5")
    await pilot.press("enter")
    await describe_loaded(pilot)
    await pilot.pause(2.0)  # the metrics panel's one GetMetricData


async def node_timeline(pilot: Pilot[Any]) -> None:
    from smtui.ui.screens.timeline import TimelineScreen

    await list_loaded(pilot, "endpoints")
    await command(pilot, "hp")
    clusters = await list_loaded(pilot, "clusters")
    await select_row(pilot, clusters, "llm-pretrain-p5")
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), "the timeline")
    await pilot.pause(1.5)


async def across_regions(pilot: Pilot[Any]) -> None:
    await list_loaded(pilot, "endpoints")
    await command(pilot, "region us-east-1,eu-west-1")
    await list_loaded(pilot, "endpoints")
    screen = pilot.app.screen
    assert isinstance(screen, ResourceListScreen)
    await wait_for(pilot, lambda: bool(screen.regions) and screen.complete, "the list across regions")


VIEWS: dict[str, Step] = {
    "across-regions": across_regions,
    "logs-failed-job": logs_failed_job,
    "endpoint-metrics": endpoint_metrics,
    "cluster-timeline": node_timeline,
    "endpoints": endpoints,
    "inference-components": inference_components,
    "hyperpod-nodes": hyperpod_nodes,
    "describe-failure": describe_failure,
    "command-line": command_line,
    "help": help_screen,
}


async def shoot(server: EmulatorServer, name: str, step: Step, out: Path) -> Path:
    app = make_app(server, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await step(pilot)
        await pilot.pause(0.5)  # let pending paints, notifications and describe enrichment land
        svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
    return svg


def to_png(svg: Path) -> Path | None:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        return None
    png = svg.with_suffix(".png")
    # librsvg drops the leading no-break spaces of a <text> ("  Transform jobs") unless told to
    # preserve whitespace; browsers keep them, so only the PNG's source gets the attribute.
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    # Twice the SVG's size: crisp on high-density screens, still small enough for a README.
    subprocess.run(
        [converter, "--zoom", "2", "--background-color", "#000000", "-o", str(png)],
        input=text.encode(),
        check=True,
    )
    return png


async def generate(names: Sequence[str], out: Path) -> list[Path]:
    server = EmulatorServer(pace="immediate").start()
    try:
        seed_demo(server)
        seed_second_region(server)
        written: list[Path] = []
        for name in names:
            svg = await shoot(server, name, VIEWS[name], out)
            written.append(svg)
            png = to_png(svg)
            if png is not None:
                written.append(png)
        return written
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("views", nargs="*", choices=[*VIEWS, []], help="which views (default: all)")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (default: screenshots/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = asyncio.run(generate(args.views or list(VIEWS), args.out))
    for path in written:
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    if not shutil.which("rsvg-convert"):
        print("rsvg-convert not found: SVGs only (apt-get install librsvg2-bin for PNGs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
