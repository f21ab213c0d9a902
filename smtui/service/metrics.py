"""Metrics for a view: one batched GetMetricData per tick, at the slow poll rate.

What a resource's metrics are is catalogue data (:mod:`smtui.catalog.metrics`); this module
asks CloudWatch for all of a view's queries in **one** GetMetricData call (up to its 500-query
limit), turns the answer into per-minute series (:class:`MetricSeries`), and keeps asking on
a :class:`MetricsFeed`, paced by :class:`~smtui.live.pacing.Pacer` like every other loop:
``poll.slow_seconds`` apart (metrics are published once a minute, so the fast cadence would
only spend rate limit), backing off on throttles, waiting for ``r`` after a permanent error,
and making no request while the view is hidden.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smtui.aws.cloudwatch import CloudWatch
from smtui.aws.errors import AwsError, Unknown
from smtui.catalog.metrics import MAX_QUERIES, PERIOD, WINDOW_MINUTES, MetricQuery
from smtui.config import PollSettings
from smtui.live.pacing import Pacer
from smtui.text import printable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MetricSeries:
    """One query's values over the window, oldest first, one slot per period (None: no data)."""

    query: MetricQuery
    slots: tuple[float | None, ...]

    @property
    def values(self) -> list[float]:
        """The slots that have data."""
        return [v for v in self.slots if v is not None]

    @property
    def last(self) -> float | None:
        """The newest value, if any."""
        return next((v for v in reversed(self.slots) if v is not None), None)

    @property
    def low(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def high(self) -> float | None:
        return max(self.values) if self.values else None

    @property
    def total(self) -> float:
        """The sum of the window (for Sum statistics: the count over the window)."""
        return sum(self.values)

    def spark(self) -> list[float]:
        """Values for a sparkline: the gaps as 0, so the line keeps its time axis."""
        return [v if v is not None else 0.0 for v in self.slots]

    def text(self, value: float | None) -> str:
        """``12.3 ms``, ``1,204``, ``-`` (the query's unit, scaled)."""
        return format_value(value, self.query.unit)


def format_value(value: float | None, unit: str = "") -> str:
    """A short, printable number: ``1,204``, ``12.3 ms``, ``87%``, ``-`` for none."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "%":
        return f"{value:.0f}%"
    if abs(value) >= 100 or float(value).is_integer():
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return printable(f"{text} {unit}".strip())


def window(minutes: int, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the last ``minutes`` whole periods. The period under way is left out:
    its point is still partial (a Sum would show a dip at the end of every sparkline)."""
    current = now or dt.datetime.now(dt.UTC)
    end = current.replace(second=0, microsecond=0)
    return end - dt.timedelta(minutes=minutes), end


def request_for(
    queries: Sequence[MetricQuery], minutes: int = WINDOW_MINUTES, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The GetMetricData parameters for ``queries`` (one call; at most 500 queries)."""
    if len(queries) > MAX_QUERIES:
        raise ValueError(f"{len(queries)} queries: GetMetricData takes at most {MAX_QUERIES}")
    start, end = window(minutes, now)
    return {
        "MetricDataQueries": [q.request() for q in queries],
        "StartTime": start,
        "EndTime": end,
        "ScanBy": "TimestampAscending",
    }


def series_from(
    queries: Sequence[MetricQuery], answer: Mapping[str, Any], minutes: int, now: dt.datetime | None = None
) -> list[MetricSeries]:
    """Per-minute series from a GetMetricData answer. A point lands in the slot of the period it
    falls in (CloudWatch aligns them; the emulator does not), scaled to the query's unit."""
    start, _ = window(minutes, now)
    results = {r.get("Id"): r for r in answer.get("MetricDataResults", [])}
    out = []
    for query in queries:
        slots: list[float | None] = [None] * minutes
        result = results.get(query.id) or {}
        for stamp, value in zip(result.get("Timestamps", []), result.get("Values", []), strict=False):
            if not isinstance(stamp, dt.datetime) or not isinstance(value, int | float):
                continue
            index = int((stamp.astimezone(dt.UTC) - start).total_seconds() // PERIOD)
            if 0 <= index < minutes:
                scaled = float(value) * query.scale
                previous = slots[index]
                slots[index] = scaled if previous is None else _combine(query.stat, previous, scaled)
        out.append(MetricSeries(query, tuple(slots)))
    return out


def _combine(stat: str, a: float, b: float) -> float:
    if stat == "Sum":
        return a + b
    if stat == "Maximum":
        return max(a, b)
    if stat == "Minimum":
        return min(a, b)
    return (a + b) / 2


async def fetch_series(
    cloudwatch: CloudWatch,
    queries: Sequence[MetricQuery],
    minutes: int = WINDOW_MINUTES,
    now: dt.datetime | None = None,
) -> list[MetricSeries]:
    """All of ``queries`` in one GetMetricData call. One page is enough: 500 queries of 60
    one-minute points stay far below the 100,800 points a page holds."""
    if not queries:
        return []
    at = now or dt.datetime.now(dt.UTC)
    answer = await cloudwatch.call("GetMetricData", request_for(queries, minutes, at))
    return series_from(queries, answer, minutes, at)


@dataclass(frozen=True)
class MetricsReport:
    """One tick's result: the series, or the error that stopped it."""

    series: list[MetricSeries]
    error: AwsError | None = None
    status: str = ""


class MetricsFeed:
    """Ask for one view's metrics on a timer: one call per tick, paced by :class:`Pacer`.

    ``tick`` makes the call (one GetMetricData); ``on_report`` receives each outcome, on the
    event loop the feed runs on. Call :meth:`start` from a running loop, ``await``
    :meth:`stop` when the view goes; :meth:`pause` / :meth:`resume` as it hides and shows.
    """

    def __init__(
        self,
        tick: Callable[[], Awaitable[list[MetricSeries]]],
        on_report: Callable[[MetricsReport], None],
        settings: PollSettings | None = None,
    ) -> None:
        self._tick = tick
        self.on_report = on_report
        self.pacer = Pacer(settings or PollSettings())
        self._wake = asyncio.Event()
        self._shown = asyncio.Event()
        self._shown.set()
        self._task: asyncio.Task[None] | None = None
        self._tick_task: asyncio.Task[MetricsReport] | None = None
        self.ticks = 0

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="smtui-metrics")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def pause(self) -> None:
        """The view is hidden: no request until :meth:`resume`. A tick in flight is cancelled,
        so botocore's retries of it cannot go on spending rate limit for a hidden view; the
        tick is due again as soon as the view is back."""
        self._shown.clear()
        if self._tick_task is not None and not self._tick_task.done():
            self._tick_task.cancel()

    def resume(self) -> None:
        """The view is back: a tick when the one it missed was due, not before. Metrics move
        once a minute; a tick on every return cost a GetMetricData per list → describe → list
        round trip (bench_metrics counted 2 per trip instead of 1)."""
        self._shown.set()
        self._wake.set()  # the loop re-reads the pace: due already (hidden long), or later

    def refresh(self) -> None:
        """The user asked (``r``): a tick now, whatever the pace."""
        self.pacer.refresh()
        self._wake.set()

    async def tick_once(self) -> MetricsReport:
        """One tick: one call, its report (also given to ``on_report``)."""
        self.ticks += 1
        try:
            series = await self._tick()
        except AwsError as error:
            self.pacer.failure(error)
            report = MetricsReport([], error, self.pacer.status_text())
        except Exception as exc:  # a bug must not stop the view
            log.exception("metrics tick failed")
            bug = Unknown(f"internal error while reading metrics: {type(exc).__name__}: {exc}")
            self.pacer.failure(bug)
            report = MetricsReport([], bug, self.pacer.status_text())
        else:
            self.pacer.success(transitional=False)
            report = MetricsReport(series, None, self.pacer.status_text())
        try:
            self.on_report(report)
        except Exception:
            log.exception("metrics callback failed")
        return report

    async def _run(self) -> None:
        while True:
            await self._shown.wait()
            delay = self.pacer.delay()
            if delay is None or delay > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)
                continue  # re-check: hidden meanwhile, or a request moved the due time
            self._tick_task = asyncio.ensure_future(self.tick_once())
            try:
                await self._tick_task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # the feed itself is stopping; only pause() cancels just the tick
            finally:
                self._tick_task = None
