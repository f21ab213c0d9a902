"""Live status: what to refresh, when, and how to back off. Pure asyncio, no Textual.

- :mod:`smtui.live.source`   :class:`Watch` (a list or one resource on screen), the
  :class:`Source` protocol and :class:`SageMakerSource` (the only part that calls AWS).
- :mod:`smtui.live.pacing`   :class:`Pacer`: the one pacing policy (fast/slow cadence, jittered
  backoff, waiting for the user after a permanent error, a status line that counts down).
- :mod:`smtui.live.poller`   :class:`Poller`: keeps watches fresh at the Pacer's pace, paused
  while hidden; results, failure alerts and a status line through callbacks.
- :mod:`smtui.live.diff`     keyed diffs, so the table rewrites only changed cells.
- :mod:`smtui.live.burning`  :func:`gather_burning`, the data of the "what's burning" view.
"""

from __future__ import annotations

from smtui.live.burning import BurningItem, BurningReport, gather_burning
from smtui.live.diff import Diff, diff, touches
from smtui.live.events import Failure, PollStatus, Update, backoff_delay, pace_text, seconds_text
from smtui.live.pacing import Pacer
from smtui.live.poller import Poller
from smtui.live.reasons import event_time, failure_reason
from smtui.live.source import Listing, SageMakerSource, Source, Watch, transitional_rows

__all__ = [
    "BurningItem",
    "BurningReport",
    "Diff",
    "Failure",
    "Listing",
    "Pacer",
    "PollStatus",
    "Poller",
    "SageMakerSource",
    "Source",
    "Update",
    "Watch",
    "backoff_delay",
    "diff",
    "event_time",
    "failure_reason",
    "gather_burning",
    "pace_text",
    "seconds_text",
    "touches",
    "transitional_rows",
]
