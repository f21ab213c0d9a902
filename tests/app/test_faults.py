"""The real app under injected faults: it never crashes, says what is wrong where it is wrong,
keeps answering keys, and recovers by itself once the fault clears.

Every test drives the real :class:`SmtuiApp` through Pilot, talking HTTP to the emulator through
the real aiobotocore client (standard retry mode, 3 attempts: a burst must outlast 3 requests
to reach the user). Poll pace in ``make_app``: 0.2 s fast, 0.5 s slow, 2 s backoff cap.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import pytest
from textual.pilot import Pilot

from smtui.emulator.seed import add_endpoint, seed_training_jobs, state_of
from smtui.emulator.server import EmulatorServer
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.help import HelpScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from tests.app.helpers import SIZE, make_app, screen_text, wait_for

JOBS = 12
RECOVERY = 12.0  # seconds: botocore's retries (up to 1 s + 2 s) plus one capped backoff, with room


# ---------------------------------------------------------------------------- helpers
async def loaded(pilot: Pilot[Any], type_name: str, timeout: float = 10.0) -> ResourceListScreen:
    app: SmtuiApp = pilot.app  # type: ignore[assignment]
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == type_name and app.screen.complete
        ),
        timeout=timeout,
        what=f"{type_name} loaded",
    )
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    return screen


def banner(screen: ResourceListScreen) -> ErrorBanner:
    return screen.query_one(ErrorBanner)


def banner_text(screen: ResourceListScreen) -> str:
    widget = banner(screen)
    return str(widget.content) if widget.display else ""


async def alive(pilot: Pilot[Any]) -> str:
    """The app is still running, nothing crashed, and no traceback is on screen; returns the screen."""
    app = pilot.app
    assert app.is_running
    assert app.return_code is None
    assert app._exception is None
    text = await screen_text(pilot)
    assert "Traceback" not in text
    assert "Error in" not in text  # Textual's crash report header
    return text


async def keys_still_work(pilot: Pilot[Any], screen: ResourceListScreen) -> None:
    """j moves the cursor, ? opens help, Esc closes it: each within a fraction of a second."""
    app = pilot.app
    table = screen.table
    assert app.screen is screen
    table.focus()
    start = table.cursor
    await pilot.press("j")
    await wait_for(pilot, lambda: table.cursor == min(start + 1, len(table.view) - 1), timeout=1.0, what="j moved")
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1.0, what="help opened")
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is screen, timeout=1.0, what="help closed")
    await pilot.press("k")
    await wait_for(pilot, lambda: table.cursor == start, timeout=1.0, what="k moved back")


@pytest.fixture(autouse=True)
def no_logged_errors(caplog: pytest.LogCaptureFixture) -> Any:
    """A poller callback or poll that blows up is logged, not raised: that must not happen either."""
    caplog.set_level(logging.ERROR, logger="smtui")
    yield
    errors = [r for r in caplog.records if r.name.startswith("smtui") and r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def seed_where_first_requests_fire(probability: float, runs: int) -> int:
    """A seed for the emulator's fault RNG under which the first ``runs`` requests all fire.

    The rule stays "50% of calls", but the test does not wait on luck to see a poll fail.
    """
    for seed in range(10_000):
        rng = random.Random(seed)
        if all(rng.random() < probability for _ in range(runs)):
            return seed
    raise AssertionError("no seed found")


# ---------------------------------------------------------------------------- throttling
async def test_half_of_calls_throttled(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        # 50% of ListTrainingJobs calls throttled; the seed makes the first poll's 3 attempts all
        # fail, so the user sees it without the test waiting on luck.
        emu.faults.set(
            [{"op": "ListTrainingJobs", "error": "ThrottlingException", "status": 400, "probability": 0.5}],
            seed=seed_where_first_requests_fire(0.5, 3),
        )
        await wait_for(pilot, lambda: "throttled" in banner_text(screen), timeout=RECOVERY, what="throttle shown")
        text = await alive(pilot)
        assert "ListTrainingJobs is throttled" in text
        assert "backs off and retries by itself" in text  # what to do: nothing, it handles it
        assert "throttled · next poll in" in text  # the status line says it is backing off
        assert len(screen.table.rows) == JOBS  # rows stay while backing off
        await keys_still_work(pilot, screen)
        # Still 50% throttled: the next poll that gets through clears the banner by itself.
        await wait_for(pilot, lambda: not banner(screen).display, timeout=RECOVERY, what="recovered under 50%")
        await wait_for(pilot, lambda: screen.live_text.startswith("live"), timeout=RECOVERY, what="live again")
        assert len(screen.table.rows) == JOBS
        await alive(pilot)
        counts = emu.faults.request_counts()["counts"]
        outcomes = [e["outcome"] for e in emu.faults.log if e["op"] == "ListTrainingJobs"]
        assert "error:ThrottlingException" in outcomes and "ok" in outcomes, outcomes
        assert counts["ListTrainingJobs"] >= 4


# ---------------------------------------------------------------------------- latency
async def test_two_second_latency_keeps_the_ui_responsive(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    emu.faults.set([{"op": "*", "latency_ms": 2000}])
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        # The first page is 2 s away: meanwhile the view says so and keys are answered at once.
        await pilot.pause(0.3)
        assert not screen.complete
        assert "loading…" in await alive(pilot)
        t0 = time.monotonic()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1.0, what="help during load")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, timeout=1.0, what="help closed during load")
        assert time.monotonic() - t0 < 1.5, "keys waited for the network"
        assert not screen.complete  # the load was still in flight while keys were answered
        assert await loaded(pilot, "training-jobs", timeout=10) is screen
        assert len(screen.table.rows) == JOBS
        assert not banner(screen).display  # slow is not an error
        # Polls in flight (each 2 s) never block keys, and never pile up: one at a time.
        emu.faults.clear_requests()
        window = time.monotonic()
        await keys_still_work(pilot, screen)
        await keys_still_work(pilot, screen)
        await pilot.pause(max(0.0, 4.2 - (time.monotonic() - window)))
        elapsed = time.monotonic() - window
        polls = emu.faults.request_counts()["counts"].get("ListTrainingJobs", 0)
        assert polls <= elapsed / 2.0 + 1, f"{polls} polls in {elapsed:.1f}s at 2 s latency: they overlapped"
        emu.faults.clear()
        await alive(pilot)


# ---------------------------------------------------------------------------- 5xx
async def test_burst_of_503_that_outlasts_the_retries(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        # 3 requests = one poll's worth of attempts (botocore retries 503 twice).
        emu.faults.set([{"op": "ListTrainingJobs", "status": 503, "first": 3}])
        await wait_for(pilot, lambda: "503" in banner_text(screen), timeout=RECOVERY, what="503 shown")
        text = await alive(pilot)
        assert "SageMaker answered 503" in text
        assert "service-side problem" in text
        assert len(screen.table.rows) == JOBS
        await keys_still_work(pilot, screen)
        # The burst is over (first: 3): the next poll recovers without a keypress.
        await wait_for(pilot, lambda: not banner(screen).display, timeout=RECOVERY, what="recovered after burst")
        assert screen.live_text.startswith("live")
        assert len(screen.table.rows) == JOBS
        await alive(pilot)


async def test_intermittent_5xx_is_absorbed_by_retries(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        emu.faults.set([{"op": "ListTrainingJobs", "status": 500, "every": 2}])
        emu.faults.clear_requests()
        shown = False
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            shown = shown or banner(screen).display
            await pilot.pause(0.05)
        failed = [e for e in emu.faults.log if e["outcome"].startswith("error:")]
        assert failed, "the fault never fired: the test proves nothing"
        assert not shown, "a retried-away 500 reached the user"
        assert len(screen.table.rows) == JOBS
        await alive(pilot)


# ---------------------------------------------------------------------------- connection refused
async def test_connection_refused_mid_session(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        emu.pause()
        try:
            await wait_for(pilot, lambda: "cannot reach" in banner_text(screen), timeout=RECOVERY, what="refused")
            text = await alive(pilot)
            assert "cannot reach SageMaker" in text
            assert "check the network" in text
            assert "unreachable · next poll in" in text
            assert len(screen.table.rows) == JOBS  # what was loaded stays readable
            await keys_still_work(pilot, screen)
        finally:
            emu.resume()
        await wait_for(pilot, lambda: not banner(screen).display, timeout=RECOVERY, what="reconnected")
        await wait_for(pilot, lambda: screen.live_text.startswith("live"), timeout=RECOVERY, what="live again")
        assert len(screen.table.rows) == JOBS
        await alive(pilot)


# ---------------------------------------------------------------------------- credentials
async def test_expired_credentials_mid_session(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot, "training-jobs")
        emu.faults.set([{"op": "*", "error": "ExpiredTokenException", "status": 400}])
        await wait_for(pilot, lambda: "expired" in banner_text(screen), timeout=RECOVERY, what="expired shown")
        text = await alive(pilot)
        assert "credentials" in text and "expired" in text
        assert "aws sso login" in text  # what to do
        assert "credentials expired · next poll in" in text
        assert len(screen.table.rows) == JOBS
        await keys_still_work(pilot, screen)
        # The user refreshes their credentials in another terminal: no keypress needed here.
        emu.faults.clear()
        await wait_for(pilot, lambda: not banner(screen).display, timeout=RECOVERY, what="recovered")
        assert screen.live_text.startswith("live")
        await alive(pilot)


# ---------------------------------------------------------------------------- access denied
async def test_access_denied_on_one_type_stays_in_that_view(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    add_endpoint(state_of(emu), "fraud-detector", "fraud-model")
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        jobs = await loaded(pilot, "training-jobs")
        emu.faults.set([{"op": "ListTrainingJobs", "error": "AccessDeniedException", "status": 400}])
        await wait_for(pilot, lambda: "access denied" in banner_text(jobs), timeout=RECOVERY, what="denied shown")
        text = await alive(pilot)
        assert "access denied to ListTrainingJobs" in text
        assert "ask for sagemaker permissions" in text
        await keys_still_work(pilot, jobs)
        # Endpoints are allowed: they load, with no banner and no word of the other view's error.
        await pilot.press("colon", *"ep", "enter")
        endpoints = await loaded(pilot, "endpoints")
        assert endpoints is not jobs
        assert "fraud-detector" in endpoints.table.rows
        await pilot.pause(1.2)  # a couple of endpoint polls
        assert not banner(endpoints).display
        text = await alive(pilot)
        assert "access denied" not in text
        assert "fraud-detector" in text
        # Back to training jobs ('-': the last root view): still denied, still said there.
        await pilot.press("minus")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ResourceListScreen) and app.screen.rtype.name == "training-jobs",
            timeout=2,
            what="back to jobs",
        )
        again = app.screen
        assert isinstance(again, ResourceListScreen)
        jobs = again
        await wait_for(pilot, lambda: "access denied" in banner_text(jobs), timeout=RECOVERY, what="still denied")
        # A permanent error is not retried on a timer: nothing is sent until the user asks.
        emu.faults.clear_requests()
        await pilot.pause(1.5)
        assert emu.faults.request_counts()["counts"].get("ListTrainingJobs", 0) == 0
        assert "press r" in jobs.live_text
        # Permission granted; r retries at once.
        emu.faults.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: not banner(jobs).display, timeout=RECOVERY, what="recovered")
        assert len(jobs.table.rows) == JOBS
        await alive(pilot)


# ---------------------------------------------------------------------------- faults from the start
START_FAULTS = [
    pytest.param([{"op": "*", "error": "ExpiredTokenException", "status": 400}], "expired", id="expired"),
    pytest.param([{"op": "ListTrainingJobs", "status": 503, "first": 3}], "503", id="503-burst"),
]


@pytest.mark.parametrize(("rules", "needle"), START_FAULTS)
async def test_fault_at_start_recovers_without_a_keypress(
    emu: EmulatorServer, rules: list[dict[str, Any]], needle: str
) -> None:
    seed_training_jobs(emu, JOBS)
    emu.faults.set(rules)
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: needle in banner_text(screen), timeout=RECOVERY, what=f"{needle} shown")
        await alive(pilot)
        emu.faults.clear()
        # A slow poll (0.5 s) or one capped backoff (2 s) later, the view should be back.
        await wait_for(
            pilot,
            lambda: len(screen.table.rows) == JOBS and not banner(screen).display,
            timeout=4.0,
            what="recovered by itself",
        )


async def test_access_denied_at_start_waits_for_r_and_sends_nothing_meanwhile(emu: EmulatorServer) -> None:
    """A permanent error is not retried on a timer: the first load waits for r, and says so."""
    seed_training_jobs(emu, JOBS)
    emu.faults.set([{"op": "ListTrainingJobs", "error": "AccessDeniedException", "status": 400}])
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: "access denied" in banner_text(screen), timeout=RECOVERY, what="denied shown")
        emu.faults.clear_requests()
        for _ in range(5):  # navigating away and back does not retry it either
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1.0)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, timeout=1.0)
        await pilot.pause(1.5)
        assert emu.faults.request_counts()["total"] == 0
        assert "press r to retry" in screen.live_text
        emu.faults.clear()
        await pilot.press("r")
        await loaded(pilot, "training-jobs", timeout=RECOVERY)
        assert len(screen.table.rows) == JOBS and not banner(screen).display


async def test_connection_refused_at_start_says_so_and_answers_keys(emu: EmulatorServer) -> None:
    seed_training_jobs(emu, JOBS)
    emu.pause()
    try:
        app = make_app(emu)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ResourceListScreen)
            await wait_for(pilot, lambda: "cannot reach" in banner_text(screen), timeout=RECOVERY, what="refused")
            text = await alive(pilot)
            assert "check the network or --endpoint-url" in text
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1.0)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, timeout=1.0)
            emu.resume()
            await pilot.press("r")  # (see the xfail above: today recovery from a failed first load needs r)
            await loaded(pilot, "training-jobs", timeout=RECOVERY)
            assert len(screen.table.rows) == JOBS
            assert not banner(screen).display
            await alive(pilot)
    finally:
        if not emu.running:
            emu.resume()
