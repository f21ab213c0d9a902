"""Nothing from the service reaches the terminal raw, form inputs included.

Found in a security review: an MLflow server whose ArtifactStoreUri held ESC sequences put
them on the terminal when its Update form opened (window title, screen clear, clipboard).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smtui.emulator.server import EmulatorServer
from smtui.text import printable, unprintable
from smtui.ui.screens.form import FormScreen, run_action
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.fields import FieldInput
from tests.app.helpers import make_app, screen_text, wait_for

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
EVIL = "s3://bucket/\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;cHduZWQ=\x1b\\\u202eend"


@pytest.fixture(autouse=True)
def drafts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr("smtui.forms.drafts.state_dir", lambda: tmp_path)
    yield tmp_path


def test_printable_is_unambiguous_and_round_trips() -> None:
    for value in (EVIL, "a literal \\x1b is not an ESC", "\\", "\u2028\u2029", "\x9b31m", "plain"):
        shown = printable(value)
        assert unprintable(shown) == value
        assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e\u2028\u2029")
    assert printable("\\x1b") != printable("\x1b")


async def test_an_update_form_shows_escape_sequences_escaped_and_sends_them_unchanged(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.service.sagemaker.call(
            "CreateMlflowTrackingServer",
            {"TrackingServerName": "evil", "ArtifactStoreUri": EVIL, "RoleArn": ROLE},
        )
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await pilot.press("r")
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        record = next(iter(listing.table.rows.values())).record
        detail = await app.service.describe(listing.rtype, record)
        work = run_action(app, app.service, listing.rtype, "update", {**record, **detail}, {})
        app.run_worker(work, group="action", exit_on_error=False)
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert isinstance(form, FormScreen)
        box = next(w for w in form.query(FieldInput) if w.path == ("ArtifactStoreUri",))
        assert "\x1b" not in box.value and "\u202e" not in box.value
        assert box.real_value == EVIL
        text = await screen_text(pilot)
        assert "\x1b" not in text and "PWNED" in text  # shown, as text
        # Typing at the end keeps the real value exact.
        box.focus()
        await pilot.press("end", "x")
        await pilot.pause(0.1)
        assert form.model.request()["ArtifactStoreUri"] == EVIL + "x"
        # A paste of control characters is shown escaped too, and kept.
        box.insert_text_at_cursor("\x1b[31m")
        await pilot.pause(0.1)
        assert "\x1b" not in box.value
        assert form.model.request()["ArtifactStoreUri"] == EVIL + "x\x1b[31m"


# ---------------------------------------------------------------------------- the boundary
def test_the_terminal_boundary_drops_controls_bidi_and_links_and_keeps_the_width() -> None:
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from smtui.ui.boundary import install_terminal_boundary, installed

    install_terminal_boundary()
    assert installed()
    strip = Strip([Segment("a" + EVIL, Style(bold=True, link="https://evil.example/")), Segment("\x9b2J\u2028z")])
    out = Strip(list(strip)).render(Console())
    assert "\x1b]" not in out and "\x9b" not in out and "\u202e" not in out and "\u2028" not in out
    assert "evil.example" not in out  # no OSC 8 hyperlink
    assert "]0;PWNED" in out and out.endswith("2Jz")  # the visible text stays
    # Nothing changes for text that is safe (Textual's own sequences are outside the text).
    assert Strip([Segment("plain", Style(bold=True))]).render(Console()) == "\x1b[1mplain\x1b[0m"


async def test_the_app_installs_the_boundary_and_toasts_are_plain_text(emu: EmulatorServer) -> None:
    from textual.strip import Strip

    from smtui.ui.boundary import _safe_render

    app = make_app(emu)
    assert Strip.render is _safe_render
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify("[link=https://evil.example/]click[/link] \x1b]0;PWNED\x07", title="t\x9b2J")
        await pilot.pause(0.1)
        note = list(app._notifications)[-1]
        assert not note.markup  # a "[link=…]" from the service stays text
        assert "\x1b" not in note.message and "\x9b" not in note.title
        assert "[link=https://evil.example/]click[/link]" in note.message


async def test_a_confirmation_shows_the_name_escaped_and_accepts_it_typed_as_shown(emu: EmulatorServer) -> None:
    from textual.widgets import Input

    from smtui.ui.screens.confirm import ConfirmScreen

    name = "ep\x1b]0;PWNED\x07\u202e"
    app = make_app(emu)
    answers: list[bool | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ConfirmScreen(f"DeleteEndpoint {name}?", "{}", expected=name), answers.append)
        await pilot.pause(0.1)
        text = await screen_text(pilot)
        assert "\x1b" not in text and "\u202e" not in text
        assert printable(name) in text
        box = app.screen.query_one("#typed", Input)
        box.value = printable(name)
        await pilot.press("enter")
        await pilot.pause(0.1)
    assert answers == [True]


def test_the_preview_json_escapes_what_json_leaves_raw_and_means_the_same() -> None:
    import json
    import shlex

    from smtui.forms.preview import cli_command, request_json

    params = {"Uri": "s3://b/\x9b2J\x85\u202e\u2028\x7fé日本"}
    for shown in (request_json(params), shlex.split(cli_command("CreateThing", params))[4]):
        assert not any(c in shown for c in "\x9b\x85\u202e\u2028\x7f")
        assert "é日本" in shown  # readable text stays readable
        assert json.loads(shown) == params


async def test_a_presigned_url_in_a_field_is_masked_in_describe_and_kept_for_actions(emu: EmulatorServer) -> None:
    # Finding (fresh-eyes review): an ArtifactStoreUri holding a presigned S3 URL showed its
    # X-Amz-Signature and X-Amz-Security-Token in full in the tree and the JSON view.
    from smtui.emulator.ext.mlflow import create_tracking_server
    from smtui.emulator.seed import state_of
    from smtui.ui.screens.describe import DescribeScreen
    from tests.app.helpers import loaded, make_app, screen_text, wait_for

    signed = (
        "https://bkt.s3.amazonaws.com/a?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261203&"
        "X-Amz-Signature=0123456789abcdef0123456789abcdef&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN"
    )
    create_tracking_server(
        state_of(emu), "sec-ts", artifact_store_uri=signed, role_arn="arn:aws:iam::123456789012:role/mlflow"
    )
    app = make_app(emu, "mlflow-tracking-servers")
    async with app.run_test(size=(200, 40)) as pilot:
        servers = await loaded(pilot, "mlflow-tracking-servers")
        servers.table.move_cursor_to_key("sec-ts")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        describe = app.screen
        assert isinstance(describe, DescribeScreen)
        for view in ("tree", "yaml", "json"):
            text = await screen_text(pilot) if view == "tree" else describe.raw_text()
            assert "0123456789abcdef0123456789abcdef" not in text and "FwoGZXIv" not in text, view
            assert "AKIAIOSFODNN7EXAMPLE" not in text, view
            if view == "tree":
                assert "https://bkt.s3.amazonaws.com/a?" in text  # where it leads stays readable
                await pilot.press("y")
            elif view == "yaml":
                await pilot.press("y")
        assert describe.detail["ArtifactStoreUri"] == signed  # what an action would send is the real value
