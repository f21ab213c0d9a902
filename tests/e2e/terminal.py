"""Drive the real ``smtui --demo`` in a private tmux server, and watch its processes via /proc.

Every session gets its own tmux socket (``tmux -L``) and no tmux.conf, so a user's tmux never
sees these tests and their settings never change what the tests see. The pane command is
``exec``-ed, so the pane's pid *is* the smtui process, and the emulator child is the process
whose parent it is.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

# The console script next to the interpreter running the tests (CI uses a fresh .venv).
SMTUI = Path(sys.executable).parent / "smtui"
# The demo opens on endpoints; this one is always seeded.
DEMO_ENDPOINT = "llama3-70b-prod"
EMULATOR_MODULE = "smtui.emulator"


def tmux_or_skip() -> str:
    """The tmux binary, or skip the test (the e2e tests need a real terminal multiplexer)."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed")
    if not SMTUI.exists():
        pytest.skip(f"no smtui console script at {SMTUI}")
    if not Path("/proc/self/stat").exists():
        pytest.skip("the process checks read /proc (Linux only)")
    return tmux


# ----------------------------------------------------------------------------- processes
def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` after the command name: [state, ppid, ...], or None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """Whether ``pid`` is running (a zombie has exited: it only waits to be reaped)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def emulator_children(parent: int) -> list[int]:
    """Live ``python -m smtui.emulator`` processes whose parent is ``parent``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields is None or fields[0] == "Z" or fields[1] != str(parent):
            continue
        if EMULATOR_MODULE in cmdline(int(entry)):
            found.append(int(entry))
    return found


def wait_gone(pids: list[int], timeout: float) -> float | None:
    """Seconds until every pid has exited (polling every 5 ms), or None after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not any(alive(pid) for pid in pids):
            return time.monotonic() - start
        time.sleep(0.005)
    return None


def exit_times(pids: list[int], since: float, timeout: float) -> list[float | None]:
    """For each pid, seconds from ``since`` (a monotonic time) until it was gone; None if it
    was still running ``timeout`` seconds after ``since``. Polls every 5 ms."""
    times: list[float | None] = [None] * len(pids)
    while True:
        now = time.monotonic()
        for i, pid in enumerate(pids):
            if times[i] is None and not alive(pid):
                times[i] = now - since
        if all(t is not None for t in times) or now - since > timeout:
            return times
        time.sleep(0.005)


# ----------------------------------------------------------------------------- terminal modes
# (set, reset, what is wrong if the set comes last)
_MODES = (
    (b"\x1b[?1049h", b"\x1b[?1049l", "still on the alternate screen"),
    (b"\x1b[?25l", b"\x1b[?25h", "cursor hidden"),
    (b"\x1b[?1000h", b"\x1b[?1000l", "mouse reporting on"),
    (b"\x1b[?2004h", b"\x1b[?2004l", "bracketed paste on"),
)


def terminal_left_dirty(output: bytes) -> list[str]:
    """What a program's terminal output left switched on (empty: it cleaned up, or never set)."""
    problems = [what for on, off, what in _MODES if output.rfind(on) > output.rfind(off)]
    if b"\x1b[?1049h" not in output:
        problems.append("no output recorded")
    return problems


# ----------------------------------------------------------------------------- tmux
class Pane:
    """The one pane of a private tmux server running ``smtui --demo``."""

    def __init__(self, tmux: str, socket: str, log: Path) -> None:
        self.tmux_bin = tmux
        self.socket = socket
        self.log = log  # everything smtui wrote to the terminal (tmux pipe-pane)
        self.target = "smtui"
        self.emulators: set[int] = set()  # every emulator child seen, for the clean-up

    def tmux(self, *args: str, check: bool = True) -> str:
        # env=os.environ explicitly: the C-level environment may differ (see smtui_demo).
        result = subprocess.run(
            [self.tmux_bin, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {shlex.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def capture(self) -> str:
        """The visible screen as plain text."""
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def info(self, fmt: str) -> str:
        """A tmux format for the pane, e.g. ``#{pane_dead}``."""
        return self.tmux("display-message", "-p", "-t", self.target, fmt).strip()

    @property
    def pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    def dead(self) -> bool:
        """Whether the pane's process has exited."""
        return self.info("#{pane_dead}") == "1"

    def exit_status(self, timeout: float = 1.0) -> str | None:
        """smtui's exit status ("0", "143"...) or "signal N"; None if tmux never recorded it.

        tmux 3.3 sometimes marks the pane dead on the pty's EOF and never fills in the status
        (the process is long gone), so callers can only check the status when there is one.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, signal_number = self.info("#{pane_dead_status}|#{pane_dead_signal}").split("|")
            if status:
                return status
            if signal_number:
                return f"signal {signal_number}"
            time.sleep(0.02)
        return None

    def send(self, *keys: str) -> None:
        """tmux key names (``Enter``, ``C-c``, ``Escape``) or literal text."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        """Literal text, never interpreted as key names."""
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

    def wait_for(self, check: str | Callable[[str], bool], timeout: float = 15.0, what: str = "") -> str:
        """Poll the screen until it contains ``check`` (or ``check(screen)`` holds); return it."""
        predicate: Callable[[str], bool] = (lambda screen: check in screen) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        label = what or (repr(check) if isinstance(check, str) else "the screen")
        raise AssertionError(f"timed out after {timeout:.0f}s waiting for {label}; the screen:\n{screen}")

    def output(self) -> bytes:
        try:
            return self.log.read_bytes()
        except FileNotFoundError:
            return b""

    def wait_terminal_restored(self, timeout: float = 3.0) -> None:
        """Assert smtui's last words to the terminal undid its modes (after it has exited)."""
        deadline = time.monotonic() + timeout
        while problems := terminal_left_dirty(self.output()):
            if time.monotonic() > deadline:
                raise AssertionError(f"smtui left the terminal dirty: {', '.join(problems)}")
            time.sleep(0.05)

    def wait_dead(self, pid: int, timeout: float = 10.0) -> float:
        """Wait for smtui (``pid``, the pane's process) to exit; return how long it took."""
        took = wait_gone([pid], timeout)
        if took is None:
            raise AssertionError(f"smtui still running after {timeout:.0f}s; the screen:\n{self.capture()}")
        return took

    def emulator(self, timeout: float = 10.0) -> int:
        """The pid of smtui's emulator child (waits for it to appear)."""
        pid = self.pid
        deadline = time.monotonic() + timeout
        while not (children := emulator_children(pid)):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {EMULATOR_MODULE} child of smtui (pid {pid})")
            time.sleep(0.05)
        self.emulators.update(children)
        assert len(children) == 1, children
        return children[0]


@contextmanager
def smtui_demo(
    tmp_path: Path, *, width: int = 100, height: int = 30, env: dict[str, str] | None = None
) -> Iterator[Pane]:
    """``smtui --demo`` in a ``width``×``height`` tmux pane that stays readable after it exits.

    ``env`` is applied on top of the test's environment (``TERM`` included: tmux's own is
    ``screen`` or ``tmux-256color``). The user's smtui config and AWS settings are kept out.
    """
    with smtui_run(tmp_path, "--demo", width=width, height=height, env=env) as pane:
        yield pane


@contextmanager
def smtui_run(
    tmp_path: Path, *args: str, width: int = 100, height: int = 30, env: dict[str, str] | None = None
) -> Iterator[Pane]:
    """``smtui ARGS`` in a tmux pane, as :func:`smtui_demo` runs ``--demo`` (the test's AWS
    environment, the fake one of ``tests/conftest.py``, is passed on)."""
    tmux = tmux_or_skip()
    socket = f"smtui-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    unset = [name for name in os.environ if name.startswith("SMTUI_") or name in ("AWS_PROFILE", "NO_COLOR")]
    # COLUMNS/LINES would override the pane's real size (shutil.get_terminal_size reads them
    # first). Some library in the test process setenv()s them behind os.environ's back, so
    # they are dropped both from the environment tmux gets and inside the pane.
    unset += ["COLUMNS", "LINES"]
    settings = {
        "SMTUI_CONFIG": str(tmp_path / "no-such-config.toml"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **(env or {}),
    }
    argv = ["exec", "env", *(f"-u{name}" for name in unset), *(f"{k}={v}" for k, v in settings.items())]
    command = shlex.join([*argv, str(SMTUI), *args])
    pane = Pane(tmux, socket, tmp_path / f"{socket}.out")
    # -u: UTF-8 whatever the locale; -f /dev/null: no user tmux.conf.
    pane.tmux(
        "-u", "-f", "/dev/null", "new-session", "-d", "-s", pane.target, "-x", str(width), "-y", str(height), command
    )
    socket_path = pane.tmux("display-message", "-p", "#{socket_path}", check=False).strip()
    try:
        # Keep the pane (and its exit status) after smtui exits, and record what smtui writes:
        # tmux's own view of the terminal modes after the pane died is unreliable (with
        # remain-on-exit, tmux 3.3 sometimes shows a blank screen and a hidden cursor although
        # the bytes restoring both arrived; replaying the same bytes shows them restored).
        pane.tmux("set-option", "-w", "-t", pane.target, "remain-on-exit", "on")
        pane.tmux("pipe-pane", "-t", pane.target, "-o", f"cat >> {shlex.quote(str(pane.log))}")
        yield pane
    finally:
        with suppress(Exception):
            pane.emulators.update(emulator_children(pane.pid))
        pane.tmux("kill-server", check=False)
        if socket_path:  # tmux leaves its socket file behind
            with suppress(OSError):
                os.unlink(socket_path)
        # A failed test must not leave an emulator behind: kill-server hangs up on smtui, which
        # takes its child along; this only catches what that missed.
        for pid in pane.emulators:
            if wait_gone([pid], 3.0) is None:
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
