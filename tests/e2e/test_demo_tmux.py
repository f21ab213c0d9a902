"""The real ``smtui --demo`` in tmux: list, command line, HyperPod nodes, filter, describe, quit.

Everything a user would do, through a real terminal; at the end the emulator child must be
gone with smtui.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import DEMO_ENDPOINT, smtui_demo, wait_gone

pytestmark = pytest.mark.e2e

CLUSTER = "llm-pretrain-p5"
FAILED_NODE_MESSAGE = "Node health check failed"
COMMAND_LINE_HINT = ":profile NAME"  # the command line's placeholder
FILTER_HINT = "filter: text, regex"  # the filter's placeholder
INPUT_BORDER = "▔▔▔▔▔▔▔▔▔▔"  # the top edge of the filter input (gone once Enter hid it)
# Enter after a filter also asks the server where the API can filter (clusters by name): the
# list reloads, and only then is a row selected again.
SERVER_FILTERED_TO_ONE = re.compile(r"^ ?1 loaded · complete\b.*server filter", re.MULTILINE)
CLIENT_FILTERED_TO_ONE = re.compile(r"\b\d+ loaded · 1 shown\b")


def filtered(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """The screen once the filter input has closed and the status line matches ``pattern``."""
    return lambda screen: INPUT_BORDER not in screen and pattern.search(screen) is not None


def test_demo_walkthrough_and_clean_exit(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    started = time.monotonic()
    with smtui_demo(tmp_path) as pane:
        # The demo opens on endpoints, populated from the emulator.
        screen = pane.wait_for(DEMO_ENDPOINT, timeout=20, what="the endpoints list")
        assert "Endpoints" in screen
        smtui_pid = pane.pid
        emulator_pid = pane.emulator()

        # `:hp` Enter: HyperPod clusters.
        pane.send(":")
        pane.wait_for(COMMAND_LINE_HINT, what="the command line")
        pane.type("hp")
        pane.wait_for(":clusters", what="the :hp completions")
        pane.send("Enter")
        # The rows can paint a frame before the header and breadcrumb are filled in (the app
        # decorates a view once it is shown): wait for both.
        screen = pane.wait_for(lambda s: CLUSTER in s and "HyperPod clusters" in s, what="the HyperPod clusters list")

        # Select the cluster by filtering down to it, then `n` jumps to its nodes.
        pane.send("/")
        pane.wait_for(FILTER_HINT, what="the filter input")
        pane.type(CLUSTER)
        pane.send("Enter")
        pane.wait_for(filtered(SERVER_FILTERED_TO_ONE), what="the clusters filtered down to one")
        pane.send("n")
        screen = pane.wait_for(f"HyperPod nodes({CLUSTER})", what="the cluster's nodes")
        screen = pane.wait_for(lambda s: s.count("ml.p5.48xlarge") >= 2, what="node rows")
        assert "Failure" in screen, screen

        # Filter the nodes down to the failing one and describe it.
        pane.send("/")
        pane.wait_for(FILTER_HINT, what="the nodes' filter input")
        pane.type("Failure")
        pane.send("Enter")
        screen = pane.wait_for(filtered(CLIENT_FILTERED_TO_ONE), what="the nodes filtered down to the failing one")
        assert "Running" not in screen, screen
        pane.send("Enter")
        screen = pane.wait_for("DescribeClusterNode", what="the node's describe view")
        assert FAILED_NODE_MESSAGE in screen, screen

        # Ctrl+C quits; smtui takes its emulator along and leaves the terminal as it found it.
        pane.send("C-c")
        quit_seconds = pane.wait_dead(smtui_pid, timeout=10)
        assert pane.exit_status() in ("0", None)
        assert wait_gone([emulator_pid], timeout=0.5) is not None, "the emulator outlived smtui"
        pane.wait_terminal_restored()
    elapsed = time.monotonic() - started
    record_property("quit_seconds", round(quit_seconds, 3))
    record_property("e2e_seconds", round(elapsed, 3))
    # Typically 7-12 s (about 4 s of it the emulator starting); not asserted: CI machines vary.
    print(f"\ne2e walkthrough: {elapsed:.1f}s in all; Ctrl+C to exit: {quit_seconds:.2f}s")
