"""Start the emulator as a child process, for ``smtui --demo`` and end-to-end tests."""

from __future__ import annotations

import atexit
import contextlib
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from smtui.emulator.faults import Credentials

URL_PREFIX = "SMTUI_EMULATOR_URL="


class EmulatorStartError(RuntimeError):
    """The emulator child did not report its URL in time (the message includes its stderr)."""


def emulator_available() -> bool:
    """Whether the optional emulator dependencies (``smtui[demo]``: moto[server]) are installed."""
    try:
        import flask  # noqa: F401
        import moto  # noqa: F401
    except ImportError:
        return False
    return True


INSTALL_HINT = "The local emulator needs moto: pip install 'smtui[demo]'"


@dataclass
class EmulatorChild:
    """A running ``python -m smtui.emulator`` process."""

    url: str
    process: subprocess.Popen[bytes]
    stderr_path: str | None = None
    credentials: Credentials | None = field(default=None, repr=False)
    """What the child accepts (None: any credentials)."""
    _stopped: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def alive(self) -> bool:
        """Whether the child is still running."""
        return self.process.poll() is None

    def stop(self, timeout: float = 2.0) -> None:
        """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.stderr_path:
            with contextlib.suppress(OSError):
                os.unlink(self.stderr_path)

    def __enter__(self) -> EmulatorChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_url(stdout: IO[bytes], deadline: float) -> str | None:
    selector = selectors.DefaultSelector()
    selector.register(stdout, selectors.EVENT_READ)
    buffer = b""
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=remaining):
                continue
            chunk = os.read(stdout.fileno(), 4096)
            if not chunk:
                return None
            buffer += chunk
            for line in buffer.decode(errors="replace").splitlines():
                if line.startswith(URL_PREFIX):
                    return line[len(URL_PREFIX) :].strip()
        return None
    finally:
        selector.close()


def start_child(
    seed: str = "demo",
    *,
    port: int = 0,
    training_jobs: int = 0,
    pace: str | None = None,
    extra_args: Sequence[str] = (),
    timeout: float = 30.0,
    credentials: Credentials | None = None,
) -> EmulatorChild:
    """Spawn the emulator with ``sys.executable -m smtui.emulator`` and wait for its URL.

    Raises :class:`EmulatorStartError` (with the child's stderr) if no URL arrives within
    ``timeout`` seconds.  The child is stopped at interpreter exit as a last resort; it also
    exits by itself when this process dies.
    """
    args = [sys.executable, "-m", "smtui.emulator", "--port", str(port), "--seed", seed]
    if training_jobs:
        args += ["--training-jobs", str(training_jobs)]
    if pace:
        args += ["--pace", pace]
    if credentials is not None:
        args += ["--credentials-from-stdin"]  # a pipe: never argv or the environment
    args += list(extra_args)
    err_fd, err_path = tempfile.mkstemp(prefix="smtui-emulator-", suffix=".log")
    try:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL if credentials is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err_fd,
            # Its own session: terminal signals meant for smtui (Ctrl-C, Ctrl-Z) don't reach it.
            start_new_session=True,
        )
    finally:
        os.close(err_fd)
    if credentials is not None:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it died at once: its stderr says why below
            process.stdin.write(credentials.as_json().encode() + b"\n")
            process.stdin.close()
    assert process.stdout is not None
    url = _read_url(process.stdout, time.monotonic() + timeout)
    child = EmulatorChild(url or "", process, err_path, credentials)
    if url is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=5)
        with open(err_path, errors="replace") as fh:
            tail = fh.read()[-2000:]
        os.unlink(err_path)
        status = process.returncode
        raise EmulatorStartError(
            f"the local emulator did not start within {timeout:.0f}s (exit status {status}). Its output:\n{tail}"
        )
    atexit.register(child.stop)
    return child
