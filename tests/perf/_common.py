"""What the benchmarks share: statistics, plain-text tables, timing hooks, workers, the emulator.

Every benchmark compares numbers measured in the same run (smtui beside a baseline), because
this machine is shared and noisy: absolute times drift from one run to the next, ratios much less.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from textual.drivers.headless_driver import HeadlessDriver

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
RESULT_PREFIX = "BENCH_RESULT "
AWSCLI_VENV = Path("/tmp/awscli-venv")
CREDENTIALS = ("testing", "testing")
REGION = "us-east-1"


# ---------------------------------------------------------------------------------- statistics
def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values (shown as "–")."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 50 values is the 48th smallest), NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float, digits: int = 2) -> str:
    """Seconds as milliseconds text."""
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.{digits}f} ms"


def secs(seconds: float) -> str:
    """Seconds as text."""
    return "–" if math.isnan(seconds) else f"{seconds:.2f} s"


def ratio(a: float, b: float) -> str:
    """``a / b`` as ``1.23×``."""
    if math.isnan(a) or math.isnan(b) or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def mib(kib: float) -> str:
    """KiB as MiB text."""
    return "–" if math.isnan(kib) else f"{kib / 1024:.1f} MiB"


# ---------------------------------------------------------------------------------- memory
def _status_field(name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def rss_kib() -> int:
    """Resident set size of this process now (VmRSS), in KiB."""
    return _status_field("VmRSS")


def peak_rss_kib() -> int:
    """Peak resident set size of this process (VmHWM), in KiB."""
    return _status_field("VmHWM")


# ---------------------------------------------------------------------------------- output
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")


def plain(text: str) -> str:
    """Terminal output without its escape sequences."""
    return _ANSI.sub("", text)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: int = 1) -> str:
    """A plain-text table; columns from index ``right`` on are right-aligned (numbers)."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if i >= right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def machine_line() -> str:
    """One line saying where and when the numbers were taken."""
    load = os.getloadavg()[0]
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')} · Python {sys.version.split()[0]} · "
        f"{os.cpu_count()} CPUs · load {load:.2f} at the end of the run"
    )


def publish(name: str, sections: Sequence[str]) -> str:
    """Print the report and write it to ``tests/perf/results/<name>.txt``; returns the text."""
    text = "\n\n".join([*sections, machine_line()]) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.txt").write_text(text, encoding="utf-8")
    print(text, end="")
    print(f"(written to {(RESULTS / f'{name}.txt').relative_to(REPO)})")
    return text


def progress(message: str) -> None:
    """A progress line on stderr (the tables go to stdout)."""
    print(f"· {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- timing hooks
@contextlib.contextmanager
def timed_method(cls: type, name: str, record: Callable[[float, float, Any], None]) -> Iterator[None]:
    """Wrap ``cls.name`` so every call reports ``record(wall_seconds, cpu_seconds, self)``.

    ``cpu_seconds`` is this thread's CPU time (``time.thread_time``): unlike wall time it does not
    grow when another process takes the core, which on a shared machine is most of the noise.
    For a coroutine method both run from the call until it returns, awaits (and so whatever
    else ran on the event loop meanwhile) included.

    Measures only; the original runs unchanged. Restored on exit (inherited methods are
    removed again rather than pinned on the class).
    """
    own = name in cls.__dict__
    original = cls.__dict__[name] if own else getattr(cls, name)

    @functools.wraps(original)
    async def timed_coroutine(self: Any, *args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return await original(self, *args, **kwargs)
        finally:
            record(time.perf_counter() - wall, time.thread_time() - cpu, self)

    @functools.wraps(original)
    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            record(time.perf_counter() - wall, time.thread_time() - cpu, self)

    setattr(cls, name, timed_coroutine if inspect.iscoroutinefunction(original) else timed)
    try:
        yield
    finally:
        if own:
            setattr(cls, name, original)
        else:
            delattr(cls, name)


class CountingDriver(HeadlessDriver):
    """The headless driver, except that the app renders real frames and hands them to ``write``.

    Textual's headless mode skips turning frames into terminal output altogether; with
    ``is_headless`` False the app builds exactly the escape sequences it would send to a real
    terminal, and this driver counts them instead of writing them.
    """

    bytes_written = 0
    writes = 0
    listeners: list[Callable[[str], None]] = []

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        size = len(data.encode("utf-8", "surrogateescape"))
        CountingDriver.bytes_written += size
        CountingDriver.writes += 1
        for listener in CountingDriver.listeners:
            listener(data)

    @classmethod
    def reset(cls) -> None:
        cls.bytes_written = 0
        cls.writes = 0
        cls.listeners = []


# ---------------------------------------------------------------------------------- workers
def run_worker(module: str, args: Sequence[str], *, timeout: float = 900.0) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh process and return the JSON it reported.

    A fresh process per measurement keeps imports, caches and memory of one measurement out
    of the next (and makes the RSS figures mean something).
    """
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    raise RuntimeError(
        f"worker {module} {' '.join(args)} exited {proc.returncode} without a result:\n{proc.stderr[-3000:]}"
    )


def report_result(data: dict[str, Any]) -> None:
    """What a worker ends with: one line the parent picks up."""
    print(RESULT_PREFIX + json.dumps(data), flush=True)


# ---------------------------------------------------------------------------------- emulator
def emulator_control(url: str, method: str, path: str, body: Any = None) -> Any:
    """Call the emulator's HTTP control API (``/_faults``, ``/_smtui/...``)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def set_latency(url: str, op: str, latency_ms: float) -> None:
    """Every ``op`` request waits ``latency_ms`` before it is answered (0 removes the rule)."""
    if latency_ms:
        emulator_control(url, "POST", "/_faults", [{"op": op, "latency_ms": latency_ms}])
    else:
        emulator_control(url, "DELETE", "/_faults")


def aws_env() -> dict[str, str]:
    """Environment for AWS clients run as subprocesses: dummy keys, no user config."""
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID=CREDENTIALS[0],
        AWS_SECRET_ACCESS_KEY=CREDENTIALS[1],
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.pop("AWS_PROFILE", None)
    return env


# ---------------------------------------------------------------------------------- AWS CLI
def aws_cli() -> Path | None:
    """``aws`` (v1) from its own venv, installed on first use; None (with a note) if impossible.

    Its own venv because awscli pins a botocore that clashes with aiobotocore's.
    """
    aws = AWSCLI_VENV / "bin" / "aws"
    if aws.exists():
        return aws
    progress(f"installing awscli into {AWSCLI_VENV} (once)")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(AWSCLI_VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(AWSCLI_VENV / "bin" / "pip"), "install", "-q", "awscli"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        progress(f"awscli unavailable, its column is skipped: {exc}")
        return None
    return aws if aws.exists() else None


def aws_cli_version(aws: Path) -> str:
    """``aws-cli/1.x botocore/1.y``, for the table's notes."""
    proc = subprocess.run([str(aws), "--version"], capture_output=True, text=True, check=False)
    words = (proc.stdout or proc.stderr).split()
    return " ".join(w for w in words if w.startswith(("aws-cli/", "botocore/")))
