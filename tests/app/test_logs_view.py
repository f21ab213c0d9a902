"""The logs view in the real app at 80x24, against the emulator over HTTP: l opens it from a
list, a describe view and :burning; new lines appear with no key; f pauses; x hides /ping at
the server; / finds and highlights; s picks a stream; AccessDenied stays in the logs view."""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from smtui.emulator.ext.studio import APP, create_record
from smtui.emulator.logs_seed import STUDIO, TRAINING, seed_logs, write
from smtui.emulator.seed import add_endpoint, add_training_job, state_of
from smtui.emulator.server import EmulatorServer
from smtui.live import BurningItem
from smtui.service.logs import LogFilter
from smtui.ui.screens.burning import BurningScreen
from smtui.ui.screens.describe import DescribeScreen
from smtui.ui.screens.logs import LogsScreen, StreamPicker
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from smtui.ui.widgets.log_pane import LogPane
from smtui.ui.widgets.resource_table import ResourceTable
from tests.app.helpers import loaded, make_app, screen_text, wait_for

SMALL = (80, 24)
JOB = "llama3-8b-sft-live"


def now_ms() -> int:
    return int(time.time() * 1000)


def seed(emu: EmulatorServer) -> None:
    state = state_of(emu)
    add_training_job(state, JOB, status="Training", count=2)
    job = state.backend.training_jobs[JOB]
    t = now_ms() - 30_000
    for n in (1, 2):
        lines = [(t + i * 100, f"algo-{n} step {i}") for i in range(50)]
        lines += [(t + 6000 + n, f"algo-{n} GET /ping 200")]
        write(state, TRAINING, f"{JOB}/algo-{n}-{int(job.creation_time.timestamp())}", lines)


async def open_logs(pilot: Pilot[Any]) -> LogsScreen:
    await loaded(pilot, "training-jobs")
    await pilot.press("l")
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen) and app.screen.polls > 0, what="logs shown")
    screen = app.screen
    assert isinstance(screen, LogsScreen)
    return screen


async def on_screen(pilot: Pilot[Any], *texts: str, timeout: float = 10.0) -> str:
    """The screen once every one of ``texts`` is painted on it (scrolling to the end is
    applied on a later refresh than the lines' arrival)."""
    deadline = time.monotonic() + timeout
    while True:
        text = await screen_text(pilot)
        if all(t in text for t in texts) or time.monotonic() > deadline:
            return text
        await pilot.pause(0.1)


def shown(screen: LogsScreen) -> list[str]:
    return [line.message for line in screen.query_one(LogPane).lines]


async def test_l_opens_the_logs_at_80x24_and_new_lines_arrive_with_no_key(emu: EmulatorServer) -> None:
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        assert screen.following, "a running job is followed by default"
        assert len(shown(screen)) == 102
        text = await on_screen(pilot, "/aws/sagemaker/TrainingJobs", "FOLLOWING", "algo-2 GET /ping 200")
        assert "/aws/sagemaker/TrainingJobs" in text and "FOLLOWING" in text and "algo-2 GET /ping 200" in text
        assert all(len(row) <= 80 for row in text.splitlines())
        job = state_of(emu).backend.training_jobs[JOB]
        stream = f"{JOB}/algo-1-{int(job.creation_time.timestamp())}"
        write(state_of(emu), TRAINING, stream, [(now_ms(), "fresh line after open")])
        await wait_for(pilot, lambda: "fresh line after open" in shown(screen), what="the new line")
        assert "fresh line after open" in await on_screen(pilot, "fresh line after open")

        await pilot.press("f")  # pause: a line written now does not appear
        assert not screen.following and "PAUSED" in await on_screen(pilot, "PAUSED")
        write(state_of(emu), TRAINING, stream, [(now_ms(), "while paused")])
        polls = screen.polls
        await pilot.pause(2.5)
        assert "while paused" not in shown(screen) and screen.polls == polls
        await pilot.press("G")  # end: follows again and catches up
        await wait_for(pilot, lambda: "while paused" in shown(screen), what="caught up after G")
        assert screen.following


async def test_exclude_goes_to_cloudwatch_and_search_finds_and_highlights(emu: EmulatorServer) -> None:
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        await pilot.press("x")
        await pilot.press(*"/ping")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.tail is not None and screen.polls > 1 and len(shown(screen)) == 100)
        assert not any("/ping" in m for m in shown(screen))
        assert emu.faults.bodies["FilterLogEvents"][-1]["filterPattern"] == '-"/ping"'
        assert "filtered by CloudWatch" in await on_screen(pilot, "filtered by CloudWatch")

        await pilot.press("slash", *"step 4", "enter")
        pane = screen.query_one(LogPane)
        matches = screen.matches
        assert len(matches) == 2 * 11  # step 4, 40-49, in both streams
        first = pane.current
        await pilot.press("n")
        assert pane.current == matches[1] and pane.current != first
        await pilot.press("N", "N")
        assert pane.current == matches[-1]
        assert not screen.following, "finding a match pauses following"
        assert "match 22/22" in await on_screen(pilot, "match 22/22")


async def test_stream_picker_wrap_times_and_a_burst_of_keys(emu: EmulatorServer) -> None:
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StreamPicker), what="stream picker")
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.stream.endswith("algo-2-" + screen.stream[-10:]))
        await wait_for(pilot, lambda: len(shown(screen)) == 51, what="one stream")
        assert all(m.startswith("algo-2") for m in shown(screen))
        assert emu.faults.request_counts()["counts"]["GetLogEvents"] >= 1  # one stream: forward tokens
        # A burst of toggles and moves: nothing breaks, the view still answers.
        await pilot.press("w", "t", "w", "R", "R", "R", "j", "k", "g", "G", "f", "f", "t")
        await wait_for(pilot, lambda: screen.polls > 2)
        text = await screen_text(pilot)
        assert "Traceback" not in text and "algo-2" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ResourceListScreen)


async def test_access_denied_on_logs_stays_in_the_logs_view(emu: EmulatorServer) -> None:
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "training-jobs")
        emu.faults.set(
            [{"op": op, "error": "AccessDeniedException"} for op in ("DescribeLogStreams", "FilterLogEvents")]
        )
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one(ErrorBanner).display, what="the logs error")
        assert "access denied to CloudWatch Logs" in await on_screen(pilot, "access denied to CloudWatch Logs")
        await pilot.press("escape")
        listing = app.screen
        assert isinstance(listing, ResourceListScreen)
        await pilot.press("r")
        await wait_for(pilot, lambda: listing.complete)
        assert not listing.query_one(ErrorBanner).display, "the list is not affected"
        await pilot.press("enter")  # describe still works
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))


async def test_l_from_describe_and_burning(emu: EmulatorServer) -> None:
    seed(emu)
    add_endpoint(state_of(emu), "broken-ep", "m1", status="Failed", reason="CapacityError")
    write(state_of(emu), "/aws/sagemaker/Endpoints/broken-ep", "AllTraffic/i-1", [(now_ms() - 1000, "no capacity")])
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "training-jobs")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DescribeScreen) and bool(app.screen.detail))
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen) and app.screen.polls > 0)
        await pilot.press("escape", "escape")
        await pilot.press(":", *"burning", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BurningScreen) and app.screen.report is not None)
        burning = app.screen
        assert isinstance(burning, BurningScreen)
        table = burning.query_one(ResourceTable)

        def name_at_cursor() -> object:
            row = table.cursor_row
            item = row.record if row is not None else None
            return item.record.get("EndpointName") if isinstance(item, BurningItem) else None

        for _ in range(len(table.rows)):
            if name_at_cursor() == "broken-ep":
                break
            await pilot.press("down")
        assert name_at_cursor() == "broken-ep"
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen) and app.screen.polls > 0)
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        assert shown(logs) == ["no capacity"] and not logs.following  # a failed endpoint is not followed


async def test_empty_state_says_the_job_has_not_started_writing(emu: EmulatorServer) -> None:
    add_training_job(state_of(emu), JOB, status="Starting")
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "training-jobs")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#logs-empty").display, what="the empty state")
        assert "the job has not started writing logs" in await on_screen(pilot, "the job has not started writing logs")
        assert not screen.query_one(ErrorBanner).display, "no group yet is not an error"
        assert isinstance(screen.query_one("#logs-input"), Input)


async def test_a_burst_of_keys_through_the_prompts_lands_where_typed(emu: EmulatorServer) -> None:
    """``x/ping⏎i step 4⏎w`` as one burst (over SSH it arrives in one read): each key goes
    where the user meant, with no pause for the prompt to open or close."""
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        typed = ["x", *"/ping", "enter", "i", *"step 4", "enter", "w", "slash", *"step 49", "enter"]
        names = {"/": "slash", " ": "space"}
        for key in typed:  # posted without waiting, as one terminal read delivers them
            char = key if len(key) == 1 else None
            app.post_message(events.Key(names.get(key, key), char))
        await wait_for(pilot, lambda: screen.polls > 1 and screen.pane.search == "step 49", what="the burst applied")
        assert screen.filter == LogFilter(include="step 4", exclude="/ping")
        assert screen.pane.wrap and not screen.mode
        await wait_for(pilot, lambda: len(shown(screen)) == 22, what="the filtered lines")


async def test_a_finished_job_opens_at_its_last_lines(emu: EmulatorServer) -> None:
    """Found driving it: a failed job's logs opened paused at the first line, with the CUDA
    traceback that says why three screens below."""
    state = state_of(emu)
    add_training_job(state, "oom-job", status="Failed", count=1)
    job = state.backend.training_jobs["oom-job"]
    t = now_ms() - 60_000
    lines = [(t + i * 100, f"step {i}") for i in range(80)] + [(t + 9000, "torch.OutOfMemoryError: CUDA out of memory")]
    write(state, TRAINING, f"oom-job/algo-1-{int(job.creation_time.timestamp())}", lines)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        assert not screen.following  # a finished job has nothing more to follow
        # ... and says it ended, not that it is paused (finding from a fresh-eyes run).
        head = await on_screen(pilot, "ENDED")
        assert "ENDED" in head and "PAUSED" not in head and "ended: f follows" in head
        text = await on_screen(pilot, "CUDA out of memory")
        assert "CUDA out of memory" in text and "step 0 " not in text


async def test_s_down_enter_in_one_burst_picks_the_stream(emu: EmulatorServer) -> None:
    # Finding: over a slow link "s Down Enter" arrives in one read; the Down and the Enter
    # reached the logs view before the picker existed, so the picker stayed open on
    # "all streams" and the user's choice was lost.
    seed(emu)
    app = make_app(emu, "training-jobs")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_logs(pilot)
        for key in ("s", "down", "down", "enter"):
            app.post_message(events.Key(key, "s" if key == "s" else None))
        await wait_for(pilot, lambda: app.screen is screen and "algo-2" in screen.stream, what="algo-2 picked")
        await wait_for(pilot, lambda: len(shown(screen)) == 51, what="one stream")
        assert all(m.startswith("algo-2") for m in shown(screen))


async def test_l_on_a_studio_app_row_shows_its_seeded_lines(emu: EmulatorServer) -> None:
    # The demo's Studio apps write to /aws/sagemaker/studio, <domain>/<space>/<type>/<name>.
    state = state_of(emu)
    fields = {"DomainId": "d-ml-platform", "SpaceName": "alice-jupyterlab", "AppType": "JupyterLab"}
    create_record(state, APP, "d-ml-platform/alice-jupyterlab/JupyterLab/default", "default", fields)
    seed_logs(state)
    app = make_app(emu, "apps")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, "apps")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen) and app.screen.polls > 0, what="logs shown")
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        await wait_for(pilot, lambda: any("Jupyter Server" in m for m in shown(screen)), what="the app's lines")
        assert screen.following, "a running app is followed"
        # It belongs to a space, not a user profile: the crumb has no empty slot for it.
        assert screen.crumb == "logs: d-ml-platform/alice-jupyterlab/JupyterLab/default"
        text = await on_screen(pilot, STUDIO, "Jupyter Server")
        assert STUDIO in text and "Jupyter Server" in text
