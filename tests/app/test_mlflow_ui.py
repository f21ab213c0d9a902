"""Open MLflow UI: a presigned URL, masked on screen, counted down, copied over OSC 52.

The URL signs its holder in with the caller's role, so the tests check it never appears
whole: not on screen, not in a notification, not in the log or an error (it is masked by
value from the moment it arrives); and that read-only mode sends no request for one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from smtui.emulator.ext.mlflow import create_mlflow_app, create_tracking_server
from smtui.emulator.seed import ROLE, state_of
from smtui.emulator.server import EmulatorServer
from smtui.logs import redact
from smtui.service import PresignedUrl
from smtui.ui.screens.presigned import PresignedUrlScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from tests.app.helpers import make_app, screen_text, wait_for

OP = "CreatePresignedMlflowTrackingServerUrl"


@pytest.fixture(autouse=True)
def drafts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr("smtui.forms.drafts.state_dir", lambda: tmp_path)
    yield tmp_path


def shows_any_of(secret: str, text: str) -> bool:
    """Whether any 6 characters of ``secret`` are on screen (a long URL wraps over lines)."""
    return any(secret[i : i + 6] in text for i in range(len(secret) - 5))


def seed_server(emu: EmulatorServer, name: str = "team-mlflow") -> None:
    create_tracking_server(state_of(emu), name, artifact_store_uri="s3://bucket/mlflow", role_arn=ROLE)
    emu.sync()


def test_the_masked_url_keeps_where_it_leads_and_hides_what_lets_one_in() -> None:
    link = PresignedUrl("https://t-abc.us-east-1.experiments.sagemaker.aws/auth?authToken=SECRET&x=1", 0.0, 1800)
    assert link.masked == "https://t-abc.us-east-1.experiments.sagemaker.aws/auth?authToken=••••••••&x=••••••••"
    assert "SECRET" not in repr(link)
    fragment = PresignedUrl("https://app.example/auth#authToken=SECRET", 0.0, 1800)
    assert "SECRET" not in fragment.masked and fragment.masked.startswith("https://app.example/auth#authToken=")


async def test_open_mlflow_ui_shows_the_link_masked_counts_down_and_copies_it(
    emu: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    seed_server(emu)
    app = make_app(emu, start="mlflow-tracking-servers")
    caplog.set_level(logging.DEBUG, logger="smtui")  # what smtui logs (its file takes no botocore debug)
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, PresignedUrlScreen) and app.screen.link is not None)
        screen = app.screen
        assert isinstance(screen, PresignedUrlScreen) and screen.link is not None
        url = screen.link.url
        token = url.split("authToken=", 1)[1]
        text = await screen_text(pilot)
        assert str(screen.query_one("#url", Static).content) == screen.link.masked
        assert "••••••••" in text and not shows_any_of(token, text)
        assert "the link works for 5:00 more" in text or "the link works for 4:5" in text
        assert "session lasts 30 min" in text
        await pilot.press("c")
        await pilot.pause(0.1)
        assert app.clipboard == url  # written to the terminal as OSC 52
        said = " ".join(str(n.message) for n in app._notifications)
        assert "copied the MLflow UI link" in said and token not in said
        # Expired: nothing to copy, and r mints a new one (a second request).
        app.copy_to_clipboard("")
        screen.link = PresignedUrl(url, time.monotonic() - 1, 1800)
        screen.tick()
        await pilot.pause(0.1)
        assert "expired" in await screen_text(pilot)
        await pilot.press("c")
        assert app.clipboard == ""
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.link is not None and screen.link.url != url, what="a new link")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))
    assert emu.faults.request_counts()["counts"][OP] == 2
    # Masked by value from the moment it arrived: in the log, an error, anywhere.
    assert token not in redact(f"someone pasted {token} in a ticket")
    assert token not in caplog.text


async def test_read_only_sends_no_request_for_a_presigned_url(emu: EmulatorServer) -> None:
    seed_server(emu)
    app = make_app(emu, start="mlflow-tracking-servers", read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        await pilot.press("O")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, PresignedUrlScreen)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "read-only: Open MLflow UI is off" in said
    assert OP not in emu.faults.request_counts()["counts"]


async def test_an_mlflow_app_opens_through_its_arn(emu: EmulatorServer) -> None:
    create_mlflow_app(state_of(emu), "team-app", artifact_store_uri="s3://bucket/app", role_arn=ROLE)
    emu.sync()
    app = make_app(emu, start="mlflow-apps")
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, PresignedUrlScreen) and app.screen.link is not None)
        text = await screen_text(pilot)
        assert "Open MLflow UI · team-app" in text and "••••••••" in text, text
    assert emu.faults.request_counts()["counts"]["CreatePresignedMlflowAppUrl"] == 1


async def test_a_server_that_is_not_active_says_what_to_do(emu: EmulatorServer) -> None:
    seed_server(emu, "stopped-one")
    state_of(emu).store("mlflow-tracking-server")["stopped-one"]["IsActive"] = "Inactive"
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, PresignedUrlScreen))
        await wait_for(pilot, lambda: "not active" in str(app.screen.query_one("#url", Static).content))
        text = await screen_text(pilot)
        assert "start it first" in text and "highlighted value" not in text  # not a form's hint
        await pilot.press("c")
        assert app.clipboard == ""
