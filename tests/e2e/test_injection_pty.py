"""Nothing from the service reaches the terminal raw: the real ``smtui`` under a pseudo-terminal.

The emulator (in this process) is seeded past its own validation, as a hostile endpoint or a
compromised proxy could answer: names, tags, failure reasons, an MLflow artifact URI and an
error message holding OSC 0/2 (window title), OSC 52 (clipboard), OSC 8 (hyperlink), CSI
(clear screen, colours), DCS, C1 controls, bidi overrides, U+2028/2029 and Textual markup.
smtui is driven through every kind of widget that shows them, and every byte it wrote to the
pty (tmux ``pipe-pane``) is checked: none of those sequences, characters or links is there.
The screen, meanwhile, shows each payload escaped (``\\x1b]0;…``), so the user can still read
what the service said: that proves the text went through ``printable`` at the widget, not only
through the last-resort filter of ``smtui.ui.boundary``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from smtui.emulator.ext.mlflow import create_tracking_server
from smtui.emulator.seed import ROLE, add_endpoint, add_training_job, state_of
from smtui.emulator.server import EmulatorServer
from tests.e2e.terminal import Pane, smtui_run

pytestmark = pytest.mark.e2e

START_TIMEOUT = 25.0

# One of each kind of terminal sequence an attacker would want, with a visible word after each.
OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"
OSC_TITLE2 = "\x1b]2;PWNED-TITLE2\x1b\\"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
OSC_LINK = "\x1b]8;;https://evil.example/\x1b\\LINKED\x1b]8;;\x1b\\"
CSI = "\x1b[2J\x1b[H\x1b[31mRED"
DCS = "\x1bP+q544e\x1b\\"
C1 = "\x9b2J\x9d0;C1TITLE\x9c\x85"
BIDI = "\u202eRLO\u2066LRI\u2069\u200f"
SEPARATORS = "LS\u2028PS\u2029"
MARKUP = "[link=https://evil.example/]MARKUP[/link][reverse]REV[/]"
PAYLOAD = OSC_TITLE + OSC_TITLE2 + OSC_CLIPBOARD + OSC_LINK + CSI + DCS + C1 + BIDI + SEPARATORS + MARKUP
SHORT = OSC_TITLE + CSI + C1 + BIDI  # for names: table cells are cut at 40 columns

ENDPOINT_BAD_NAME = "ep-" + SHORT
ENDPOINT_FAILED = "ep-failed"
ENDPOINT_WATCHED = "ep-watched"
JOB = "job-evil"
SERVER = "mlflow-evil"

_UNSAFE_CHARS = re.compile("[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Every escape sequence Textual itself writes: CSI (cursor, colours, modes, its queries) and the
# two-byte ESC 7/8 and ESC = / ESC >, and the one OSC it writes, 22 (the mouse pointer's shape,
# with a fixed name). Anything else after an ESC is not Textual's.
_TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]+\x07")
_TEXTUAL_ESCAPES = re.compile(rb"\x1b(\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|[78=>])")


def seed(emu: EmulatorServer) -> None:
    state = state_of(emu)
    add_endpoint(state, ENDPOINT_BAD_NAME, "model-a")
    add_endpoint(state, ENDPOINT_FAILED, "model-a", status="Failed", reason=PAYLOAD)
    add_endpoint(state, ENDPOINT_WATCHED, "model-a", status="Updating")
    add_training_job(
        state,
        JOB,
        status="Failed",
        reason=PAYLOAD,
        tags=[{"Key": "team" + SHORT, "Value": PAYLOAD}],
    )
    create_tracking_server(state, SERVER, artifact_store_uri="s3://bucket/" + PAYLOAD, role_arn=ROLE, fail_reason=None)
    emu.sync()
    # An error message: the models list answers with one.
    emu.faults.set([{"op": "ListModels", "error": "ValidationException", "message": "bad: " + PAYLOAD}])


def check_output(raw: bytes) -> None:
    """The bytes smtui wrote hold no sequence, control or bidi character but Textual's own."""
    raw = _TEXTUAL_OSC.sub(b"", raw)
    for sequence in (b"\x1b]", b"\x1bP", b"\x1b\\", b"\x1b^", b"\x1b_"):
        at = raw.find(sequence)
        assert at < 0, f"{sequence!r} reached the terminal: {raw[max(0, at - 60) : at + 60]!r}"
    foreign = {
        raw[m.start() : m.start() + 12]
        for m in re.finditer(rb"\x1b", raw)
        if not _TEXTUAL_ESCAPES.match(raw, m.start())
    }
    assert not foreign, f"escape sequences that are not Textual's: {sorted(foreign)[:5]}"
    for painted in (b"\x1b[31mRED", b"\x1b[2J\x1b[H\x1b[31m"):
        assert painted not in raw
    text = raw.decode("utf-8", errors="replace")
    found = sorted({f"U+{ord(c):04X}" for c in _UNSAFE_CHARS.findall(text)})
    assert not found, f"C1/bidi/separator characters reached the terminal: {found}"


def shown_escaped(screen: str) -> bool:
    """The payload is on screen as text: its ESC and BEL read as escapes."""
    return "\\x1b]0;PWNED-TITLE\\x07" in screen


def command(pane: Pane, text: str) -> None:
    """``:text`` Enter, once the prompt is open (keys sent before it would act on the view)."""
    pane.send(":")
    pane.wait_for(":tj failed", what="the command prompt", timeout=5)
    pane.type(text)
    pane.send("Enter")


def step(pane: Pane, keys: list[str], until: str | Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
    for key in keys:
        pane.send(key)
    return pane.wait_for(until, timeout=timeout, what=what)


def test_no_service_text_reaches_the_pty_raw(emu: EmulatorServer, tmp_path: Path) -> None:
    seed(emu)
    env = {"SMTUI_POLL_FAST": "0.5", "SMTUI_POLL_SLOW": "1"}
    with smtui_run(tmp_path, "--endpoint-url", emu.url, width=120, height=60, env=env) as pane:
        visited: dict[str, str] = {}
        # Table cells: the endpoints list, with the name and the failed endpoint.
        visited["table"] = pane.wait_for(
            lambda s: ENDPOINT_FAILED in s and "ep-\\x1b]0;" in s, timeout=START_TIMEOUT, what="the endpoints list"
        )
        # A form's title names its target: the delete form of the last row (the bad name,
        # created first: the list is newest first).
        visited["form title"] = step(pane, ["G", "C-d"], "DeleteEndpoint ·", "the delete form")
        assert "DeleteEndpoint · ep-\\x1b]0;PWNED-TITLE\\x07" in visited["form title"]
        pane.send("Escape")
        pane.wait_for("Update", what="the list again")
        # Describe: the tree with the failure reason, its breadcrumb, then the YAML view (the
        # failed endpoint is the row above the bad name).
        pane.send("Up")
        visited["tree"] = step(pane, ["Enter"], lambda s: "FailureReason" in s and shown_escaped(s), "the tree")
        visited["yaml"] = step(pane, ["y"], lambda s: "FailureReason:" in s and "\\e]0;PWNED" in s, "the YAML")
        pane.send("Escape")
        pane.wait_for(lambda s: "FailureReason:" not in s, what="the tree again")
        pane.send("Escape")
        pane.wait_for(ENDPOINT_WATCHED, what="the endpoints again")
        # A training job's tree: its FailureReason (and the problems box above the tree).
        command(pane, "training-jobs")
        visited["jobs"] = pane.wait_for(lambda s: JOB in s, what="the training jobs")
        visited["job tree"] = step(
            pane, ["Enter"], lambda s: "DescribeTrainingJob" in s and shown_escaped(s), "the job tree"
        )
        pane.send("Escape")
        pane.wait_for(lambda s: "DescribeTrainingJob" not in s, what="the jobs again")
        # :burning: the reasons of everything failed.
        command(pane, "burning")
        visited["burning"] = pane.wait_for(lambda s: JOB in s and "\\x1b]0;" in s, timeout=20, what=":burning")
        pane.send("Escape")
        # The error banner: the models list answers an error holding the payload.
        command(pane, "models")
        visited["banner"] = pane.wait_for(lambda s: "bad:" in s and shown_escaped(s), what="the error banner")
        # A form input, its title, then the preview (JSON and the CLI line): the MLflow server.
        command(pane, "mlflow-tracking-servers")
        pane.wait_for(SERVER, what="the tracking servers")
        visited["server tree"] = step(pane, ["Enter"], lambda s: "ArtifactStoreUri" in s and shown_escaped(s), "tree")
        visited["form"] = step(pane, ["E"], lambda s: "UpdateMlflow" in s and shown_escaped(s), "the form")
        # An edit of ArtifactStoreUri puts its whole value in the request (an update that
        # changes nothing cannot be previewed; the name field is locked to the target).
        pane.send("Tab")
        pane.send("End")
        pane.type("x")
        pane.wait_for(lambda s: "REV[/]x" in s, what="the edit")
        visited["preview"] = step(pane, ["C-s"], lambda s: "AWS CLI" in s, "the preview")
        assert "\\u001b]0;PWNED-TITLE\\u0007" in visited["preview"], visited["preview"]
        pane.send("Escape")
        pane.wait_for(lambda s: "AWS CLI" not in s, what="the form again")
        pane.send("Escape")  # the form holds an edit: it asks before closing
        pane.wait_for("Close this form?", what="the close question")
        pane.type("y")
        pane.wait_for(lambda s: "UpdateMlflow" not in s, what="the tree again")
        # Help and the command palette (they show the registry and the key names).
        visited["help"] = step(pane, ["?"], "tree → YAML → JSON", "help")
        pane.send("Escape")
        pane.wait_for(lambda s: "tree → YAML → JSON" not in s, what="help to close")
        visited["palette"] = step(pane, ["C-p"], "🔎", "the palette", timeout=5)
        pane.send("Escape")
        pane.wait_for(lambda s: "🔎" not in s, what="the palette to close")
        # Last, so the toast hides no other check: a watched endpoint fails (the payload is its
        # reason) while the endpoints list is open.
        command(pane, "endpoints")
        pane.wait_for(ENDPOINT_WATCHED, what="the endpoints list")
        emu.fail(ENDPOINT_WATCHED, PAYLOAD)
        visited["notification"] = pane.wait_for(
            lambda s: "Endpoints failed" in s and shown_escaped(s), timeout=20, what="the failure notification"
        )
        title = pane.info("#{pane_title}")
        raw = pane.output()
    assert "PWNED" not in title and "C1TITLE" not in title, title
    check_output(raw)
    # The payload was on screen (escaped) in every widget that holds it.
    for where, screen in visited.items():
        if where not in ("help", "palette", "jobs"):
            # Escaped as the view writes it: \x1b (printable), \u001b (JSON), \e (YAML).
            assert any(f"{esc}]0;PWNED-TITLE" in screen for esc in ("\\x1b", "\\u001b", "\\e")), where


def test_the_check_catches_a_raw_sequence() -> None:
    """The output check fails on each kind of payload, written raw (so it can fail above)."""
    for payload in (OSC_TITLE, OSC_TITLE2, OSC_CLIPBOARD, OSC_LINK, CSI, DCS, C1, BIDI, SEPARATORS):
        with pytest.raises(AssertionError):
            check_output(b"\x1b[?1049h\x1b[1;1H" + payload.encode())
    check_output(b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mplain \\x1b]0;text\x1b[0m\x1b7\x1b8")
