"""Start-up: from launching ``smtui`` to its first painted frame and first row, beside other tools.

    python -m tests.perf.bench_startup           # 5 runs of each, median
    python -m tests.perf.bench_startup --quick   # 3 runs

The app runs exactly as a user starts it, ``smtui --endpoint-url URL --region us-east-1``, on a
real pseudo-terminal of 100×30 (Textual's own Linux driver), against an emulator child that is
already running (``--seed demo``, immediate pacing). Times run from just before the process is
spawned; marks: the first visible text (the start-up screen), the list's header (``NAME``), and
the first row (an endpoint's name). Ctrl+C then quits, and that is timed too.

Baselines in the same run, each as a fresh process timed from spawn to exit: ``python -c pass``,
``python -c "import botocore"``, ``smtui --version``, ``python -c "import smtui.ui.app"``,
``aws --version`` and ``aws sagemaker list-endpoints`` (the CLI's first useful output).
The commands are interleaved, so drift on this shared machine hits each of them alike.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import math
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.perf._common import (
    REGION,
    aws_cli,
    aws_cli_version,
    aws_env,
    median,
    plain,
    progress,
    publish,
    ratio,
    render_table,
    secs,
)

COLUMNS, LINES = 100, 30
HEADER = "NAME"
ENDPOINTS = (
    "llama3-70b-prod",
    "genai-shared-g5",
    "fraud-detector-v7-prod",
    "churn-scoring-staging",
    "embeddings-bge-dev",
)


# A floor for "first frame" and "quit": Textual alone, one Static with the text the markers look for.
MINIMAL_TEXTUAL_APP = f"""
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

class Minimal(App[None]):
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", priority=True)]

    def compose(self):
        yield Static("{HEADER}\\n{ENDPOINTS[0]}")

Minimal().run()
"""


def time_exit(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from spawn to exit; a failure is an error, not a fast run."""
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return elapsed


def app_env(home: str) -> dict[str, str]:
    env = aws_env()
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_STATE_HOME=os.path.join(home, "state"),
        XDG_CACHE_HOME=os.path.join(home, "cache"),
    )
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "NO_COLOR"):
        env.pop(name, None)
    return env


def time_app(command: Sequence[str], env: dict[str, str], timeout: float = 90.0) -> dict[str, float]:
    """Run the app on a pseudo-terminal: seconds to first frame, to first row, and Ctrl+C to exit."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    raw = ""
    marks: dict[str, float] = {}
    quit_at = math.nan
    try:
        while True:
            now = time.perf_counter()
            if now - start > timeout:
                raise RuntimeError(
                    f"{command[0]} showed no row within {timeout:.0f} s; it printed:\n{plain(raw)[-800:]}"
                )
            ready, _, _ = select.select([master], [], [], 0.02)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                raw += chunk.decode("utf-8", "replace")
                now = time.perf_counter()
                text = plain(raw)
                if "paint" not in marks and text.strip():
                    marks["paint"] = now - start
                if "frame" not in marks and HEADER in text:
                    marks["frame"] = now - start
                if "row" not in marks and any(name in text for name in ENDPOINTS):
                    marks["row"] = now - start
                    quit_at = now
                    os.write(master, b"\x03")  # Ctrl+C: quit
            elif proc.poll() is not None:
                break
        proc.wait(timeout=10)
        marks["quit"] = time.perf_counter() - quit_at
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        os.close(master)
    if "row" not in marks:
        raise RuntimeError(f"{command[0]} exited {proc.returncode} before showing a row:\n{plain(raw)[-800:]}")
    return marks


def run(repeats: int) -> list[str]:
    from smtui.emulator import start_child

    python = sys.executable
    smtui = str(Path(sys.executable).parent / "smtui")
    aws = aws_cli()
    progress("starting the emulator (demo seed, immediate pacing)")
    with (
        start_child(seed="demo", pace="immediate", extra_args=["--no-animate"], timeout=120) as child,
        tempfile.TemporaryDirectory() as home,
    ):
        env = app_env(home)
        plain_runs: dict[str, Callable[[], float]] = {
            "python -c pass": lambda: time_exit([python, "-c", "pass"]),
            'python -c "import botocore"': lambda: time_exit([python, "-c", "import botocore"]),
            'python -c "import smtui.ui.app"': lambda: time_exit([python, "-c", "import smtui.ui.app"]),
            "smtui --version": lambda: time_exit([smtui, "--version"], env),
        }
        if aws is not None:
            cli = str(aws)
            plain_runs["aws --version"] = lambda: time_exit([cli, "--version"], env)
            plain_runs["aws sagemaker list-endpoints"] = lambda: time_exit(
                [cli, "sagemaker", "list-endpoints", "--endpoint-url", child.url], env
            )
        app_command = [smtui, "--endpoint-url", child.url, "--region", REGION]
        textual_command = [python, "-c", MINIMAL_TEXTUAL_APP]
        times: dict[str, list[float]] = {name: [] for name in plain_runs}
        app_marks: dict[str, list[float]] = {"paint": [], "frame": [], "row": [], "quit": []}
        demo_marks: dict[str, list[float]] = {"paint": [], "frame": [], "row": [], "quit": []}
        textual_marks: dict[str, list[float]] = {"paint": [], "frame": [], "row": [], "quit": []}
        # One untimed round first: the page cache and .pyc files then favour no one.
        for fn in plain_runs.values():
            fn()
        time_app(app_command, env)
        time_app(textual_command, env)
        for i in range(repeats):
            progress(f"round {i + 1} of {repeats}")
            for name, fn in plain_runs.items():
                times[name].append(fn())
            for key, value in time_app(app_command, env).items():
                app_marks[key].append(value)
            for key, value in time_app([smtui, "--demo"], env).items():
                demo_marks[key].append(value)
            for key, value in time_app(textual_command, env).items():
                textual_marks[key].append(value)

    reference = median(times["aws --version"]) if "aws --version" in times else math.nan
    rows: list[list[str]] = []

    def add(label: str, values: list[float], what: str) -> None:
        rows.append(
            [label, what, secs(median(values)), secs(min(values)), secs(max(values)), ratio(median(values), reference)]
        )

    for name, values in times.items():
        add(name, values, "exit")
    add("minimal Textual app (pty)", textual_marks["row"], "first frame")
    add("minimal Textual app (pty)", textual_marks["quit"], "Ctrl+C → exit")
    add("smtui --endpoint-url … (pty)", app_marks["paint"], "first text")
    add("smtui --endpoint-url … (pty)", app_marks["frame"], "list header")
    add("smtui --endpoint-url … (pty)", app_marks["row"], "first row")
    add("smtui --endpoint-url … (pty)", app_marks["quit"], "Ctrl+C → exit")
    add("smtui --demo (pty)", demo_marks["paint"], "first text")
    add("smtui --demo (pty)", demo_marks["frame"], "list header")
    add("smtui --demo (pty)", demo_marks["row"], "first row")
    add("smtui --demo (pty)", demo_marks["quit"], "Ctrl+C → exit")
    table = render_table(["command", "until", "median", "min", "max", "vs aws --version"], rows, right=2)
    cli_note = (
        f"aws CLI: {aws_cli_version(aws)}, in its own venv. " if aws else "aws CLI unavailable: its rows are missing. "
    )
    return [
        f"Start-up, {repeats} runs each (interleaved; one untimed warm-up round), seconds from spawn\n\n"
        + table
        + "\n\n"
        + cli_note
        + "smtui runs on a 100×30 pseudo-terminal with Textual's real driver; first text = any visible text\n"
        "has reached the terminal (smtui's start-up screen), list header = the endpoint list's column header\n"
        "has, first row = an endpoint's name has. `smtui --demo` also starts\n"
        "and seeds its own emulator process before the app, which the --endpoint-url rows do not pay.\n"
        "minimal Textual app = `App` with one `Static` and a Ctrl+C binding, same terminal: Textual's own floor."
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_startup", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs of each instead of 5")
    parser.add_argument("--repeat", type=int, help="runs of each (overrides --quick)")
    args = parser.parse_args(argv)
    repeats = args.repeat or (3 if args.quick else 5)
    publish("bench_startup_quick" if args.quick else "bench_startup", run(repeats))


if __name__ == "__main__":
    main()
