"""The emulator as a child process: URL line, clean stop, and never outliving its parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from smtui.emulator import EmulatorStartError, emulator_available, start_child


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A zombie still answers kill(0); it has exited, which is what matters.
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_emulator_available() -> None:
    assert emulator_available() is True


def test_child_reports_url_serves_and_stops_on_sigterm() -> None:
    child = start_child(seed="none")
    try:
        assert child.url.startswith("http://127.0.0.1:")
        counts = json.loads(urllib.request.urlopen(f"{child.url}/_smtui/requests").read())
        assert counts["total"] == 0
    finally:
        started = time.monotonic()
        child.stop()
    assert child.process.returncode == 0  # exited by itself on SIGTERM, not SIGKILLed
    assert time.monotonic() - started < 2.0


def test_child_dies_with_its_parent() -> None:
    parent_code = textwrap.dedent(
        """
        import sys, time
        from smtui.emulator import start_child
        child = start_child(seed="none")
        print(child.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        assert not _gone(child_pid, 0.2)
        parent.send_signal(signal.SIGKILL)  # no atexit, no cleanup: the child must notice alone
        parent.wait(timeout=5)
        assert _gone(child_pid, 5.0)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_start_failure_is_explained() -> None:
    with pytest.raises(EmulatorStartError, match="did not start"):
        start_child(seed="none", extra_args=["--bogus-flag"], timeout=10)


def test_a_child_with_credentials_accepts_only_those() -> None:
    """``smtui --demo``'s emulator on a shared machine: another local user, who can reach
    127.0.0.1 and read every process's command line, can neither list nor drive it."""
    import asyncio

    from smtui.aws.client import SageMaker
    from smtui.aws.errors import AwsError
    from smtui.aws.target import Target
    from smtui.cli import demo_target
    from smtui.emulator import Credentials

    credentials = Credentials.random()
    assert credentials != Credentials.random()  # a new set each run
    child = start_child(seed="none", credentials=credentials)
    try:
        cmdline = Path(f"/proc/{child.pid}/cmdline").read_bytes().decode(errors="replace")
        environ = Path(f"/proc/{child.pid}/environ").read_bytes().decode(errors="replace")
        for secret in (credentials.access_key, credentials.secret_key, credentials.token):
            assert secret not in cmdline and secret not in environ
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{child.url}/_smtui/requests")  # the control API too
        assert refused.value.code == 403

        async def list_models(target: Target) -> dict[str, object]:
            client = SageMaker(target)
            try:
                return await client.call("ListModels", {})
            finally:
                await client.close()

        others = Target(endpoint_url=child.url, static_credentials=("testing", "testing"))
        with pytest.raises(AwsError, match="expired or are invalid"):
            asyncio.run(list_models(others))
        stolen_key = Target(
            endpoint_url=child.url, static_credentials=(credentials.access_key, "x"), static_token="guessed"
        )
        with pytest.raises(AwsError, match="expired or are invalid"):
            asyncio.run(list_models(stolen_key))
        assert asyncio.run(list_models(demo_target(credentials, child.url))) == {"Models": []}
    finally:
        child.stop()
