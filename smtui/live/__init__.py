"""Live status: what to refresh, when, and how to back off. Pure asyncio, no Textual.

- :mod:`smtui.live.source`   :class:`Watch` (a list or one resource on screen), the
  :class:`Source` protocol and :class:`SageMakerSource` (the only part that calls AWS).
- :mod:`smtui.live.poller`   :class:`Poller`: fast while anything is in transition, slow when
  stable, paused while hidden, jittered backoff on throttling; results, failure alerts and a
  status line through callbacks.
- :mod:`smtui.live.diff`     keyed diffs, so the table rewrites only changed cells.
- :mod:`smtui.live.burning`  :func:`gather_burning`, the data of the "what's burning" view.
"""

from __future__ import annotations

from smtui.live.burning import BurningItem, BurningReport, gather_burning
from smtui.live.diff import Diff, diff, touches
from smtui.live.events import Failure, PollStatus, Update, backoff_delay, seconds_text
from smtui.live.poller import Poller
from smtui.live.reasons import event_time, failure_reason
from smtui.live.source import Listing, SageMakerSource, Source, Watch, transitional_rows

__all__ = [
    "BurningItem",
    "BurningReport",
    "Diff",
    "Failure",
    "Listing",
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
    "seconds_text",
    "touches",
    "transitional_rows",
]
