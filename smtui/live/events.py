"""What the poller reports, and the pure arithmetic of its pace (backoff, status text).

The policy that uses this arithmetic is :class:`smtui.live.pacing.Pacer`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Literal

from smtui.aws.errors import AwsError
from smtui.live.diff import Diff
from smtui.live.source import Watch

Record = dict[str, Any]
State = Literal["idle", "live", "paused", "backoff", "error", "stopped"]
"""``idle`` before the first poll; ``backoff`` after Throttled/Unreachable (retried on a jittered,
growing timer); ``error`` after any other AWS error (not retried on a timer: waiting until the
user refreshes or what is watched changes)."""


@dataclass(frozen=True)
class Update:
    """One watch's fresh records and how they differ from the previous poll.

    ``first`` is True for the poll that established the baseline (no seed was given), when
    every row is "added". ``complete`` is False when the page cap cut the list short.
    """

    watch: Watch
    records: dict[str, Record]
    diff: Diff
    complete: bool = True
    first: bool = False


@dataclass(frozen=True)
class Failure:
    """A watched resource went into a failed state (or from one failed state to another)."""

    watch: Watch
    key: str
    status: str
    reason: str
    previous_status: str | None
    record: Record


@dataclass(frozen=True)
class PollStatus:
    """What the status line shows: ``text`` like ``live · every 3s`` or
    ``throttled · next poll in 8s``, as of the moment it was posted.

    ``error`` is the fault behind a ``backoff``/``error`` state or, in a ``live`` state, a watch
    that hit a permanent error while the others stay live; ``recovered`` marks the first poll
    with no error after one. ``due`` is the :func:`time.monotonic` time of the next poll (None:
    none is scheduled — paused, stopped, or waiting for the user), so a UI can count down with
    :meth:`text_at` once a second without the poller posting anything.
    ``waiting_for_user`` is True when only an explicit refresh (``r``) or a change of what is
    watched will poll again.
    """

    state: State
    text: str
    interval: float
    error: AwsError | None = None
    recovered: bool = False
    due: float | None = None
    waiting_for_user: bool = False

    def text_at(self, now: float) -> str:
        """``text`` as of ``now`` (monotonic): ``throttled · next poll in 7s``, then ``6s``…"""
        return pace_text(self.state, interval=self.interval, error=self.error, due=self.due, now=now)


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random, floor: float = 0.0) -> float:
    """Full-jitter backoff: uniform in ``[0, min(cap, base * 2**attempt)]``, raised to ``floor``.

    The floor keeps a near-zero draw from re-polling immediately into the same throttle.
    """
    ceiling = min(cap, base * 2.0 ** min(max(0, attempt), 32))  # 32: no float overflow
    return max(min(floor, ceiling), rng.uniform(0.0, ceiling))


def seconds_text(seconds: float) -> str:
    """``8s``, ``2m``, ``1m30s``: short enough for an 80-column status line."""
    whole = max(0, math.ceil(seconds - 1e-9))
    if whole < 60:
        return f"{whole}s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"


def pace_text(
    state: State,
    *,
    interval: float,
    error: AwsError | None = None,
    due: float | None = None,
    now: float = 0.0,
) -> str:
    """The status-line words for a pace, counting down to ``due`` as ``now`` advances.

    ``live · every 30s`` (plus ``· access denied: press r to retry`` when one watch is parked
    on a permanent error), ``throttled · next poll in 7s`` / ``throttled · retrying now``,
    ``access denied · waiting: press r to retry``, ``paused``, ``stopped``.
    """
    if state in ("paused", "stopped"):
        return state
    if state == "idle":
        return "starting"
    if state == "live":
        text = f"live · every {seconds_text(interval)}"
        return f"{text} · {error_label(error)}: press r to retry" if error is not None else text
    label = error_label(error) if error is not None else ("backing off" if state == "backoff" else "error")
    if due is None:
        return f"{label} · waiting: press r to retry"
    remaining = due - now
    if remaining > 1e-9:
        return f"{label} · next poll in {seconds_text(remaining)}"
    return f"{label} · retrying now"


def error_label(error: AwsError) -> str:
    """``throttled``, ``access denied``, ``credentials expired``: the status-line word."""
    return error.kind.replace("-", " ")
