"""What the poller reports, and the pure arithmetic of its pace (backoff, status text)."""

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
"""``idle`` before the first poll; ``backoff`` after Throttled/Unreachable; ``error`` after any
other AWS error (still polling, slowly)."""


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
    ``throttled · next poll in 8s``; ``error`` is the fault behind a backoff/error state;
    ``recovered`` marks the first good poll after one."""

    state: State
    text: str
    interval: float
    error: AwsError | None = None
    recovered: bool = False


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


def error_label(error: AwsError) -> str:
    """``throttled``, ``access denied``, ``credentials expired``: the status-line word."""
    return error.kind.replace("-", " ")
