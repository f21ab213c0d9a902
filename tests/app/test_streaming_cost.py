"""What a streaming list costs the screen per page (issue 14): counted, not timed, so the
shared machine's noise cannot hide a regression."""

from __future__ import annotations

import datetime as dt
from typing import Any

from botocore.utils import parse_timestamp as botocore_parse
from textual.screen import Screen

from smtui.aws.client import parse_timestamp
from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.ui.screens.resource_list import ResourceListScreen
from tests.app.helpers import loaded, make_app

JOBS = 3_000  # 30 pages of 100


async def test_a_streaming_list_does_not_lay_out_the_screen_per_page(emu: EmulatorServer) -> None:
    # Found by profiling a 20,000-row load: the table's taller virtual size and the status
    # line's new text each asked for a layout of the whole screen, once per page.
    seed_training_jobs(emu, JOBS)
    layouts: list[int] = []
    original = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> Any:
        # Only once the list streams (two pages in, more to come): mounting lays out too.
        if isinstance(self, ResourceListScreen) and self.is_loading and len(self.table.rows) >= 200:
            layouts.append(1)
        return original(self, *args, **kwargs)

    app = make_app(emu, start="training-jobs")
    Screen._refresh_layout = counted  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            jobs = await loaded(pilot, "training-jobs")
            assert len(jobs.table.rows) == JOBS and jobs.pages_loaded >= 30
            during = len(layouts)
    finally:
        Screen._refresh_layout = original  # type: ignore[method-assign]
    # The 28 pages after the second: a layout each before (the finding), none needed now.
    assert during <= 3, f"{during} layouts while {jobs.pages_loaded} pages streamed in"


def test_timestamps_parse_as_botocore_does() -> None:
    """The fast parser gives the same instant and the same offset as botocore's, for the epoch
    numbers SageMaker's JSON sends and for anything else."""
    for value in (1_700_000_000, 1_700_000_000.123, 0, "2024-01-01T00:00:00Z", "1700000000.5"):
        ours, theirs = parse_timestamp(value), botocore_parse(value)
        assert ours == theirs and ours.utcoffset() == theirs.utcoffset(), value
        assert isinstance(ours, dt.datetime) and ours.tzinfo is not None
