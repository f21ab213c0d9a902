"""Keys that reach smtui in one read, as a slow SSH or tmux link delivers them.

A terminal sends Escape as ESC and Alt+X as ESC X, so a burst ``Esc :hp`` looks like Alt+:
followed by ``hp``. Textual's parser dropped that Escape: help stayed open and the ``:`` was
lost. smtui binds no Alt key, so an ESC before a printable key is the user's Escape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui.ui.escape import OrderedParser
from tests.e2e.terminal import DEMO_ENDPOINT, smtui_demo


def keys(data: str) -> list[str]:
    parser = OrderedParser()
    return [getattr(event, "key", type(event).__name__) for event in [*parser.feed(data), *parser.feed("")]]


def test_the_parser_keeps_an_escape_that_shares_a_read_with_the_next_key() -> None:
    assert keys("\x1b:hp") == ["escape", "colon", "h", "p"]
    assert keys("\x1bq") == ["escape", "q"]
    assert keys("\x1b\x1b:") == ["escape", "escape", "colon"]
    # Real escape sequences are still what they were.
    assert keys("\x1b[A:") == ["up", "colon"]
    assert keys("\x1b[1;3A") == ["alt+up"]
    assert keys("\x1bOP") == ["f1"]
    assert keys("\x1b") == ["escape"]


@pytest.mark.e2e
def test_escape_then_a_command_in_one_burst_closes_help_and_runs_the_command(tmp_path: Path) -> None:
    with smtui_demo(tmp_path, width=80, height=24) as pane:
        pane.wait_for(DEMO_ENDPOINT, timeout=20, what="the endpoints list")
        pane.type("?")
        pane.wait_for("move up, down", what="the help screen")
        pane.type("\x1b:hp")  # one write: Escape and the command arrive together
        pane.send("Enter")
        screen = pane.wait_for("HyperPod clusters", what="the HyperPod clusters list")
        assert "move up, down" not in screen, screen
