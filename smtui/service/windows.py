"""A long job list cut into CreationTime windows, listed at once and merged newest first.

A list of N pages costs N round trips when each page waits for the previous page's NextToken.
ListTrainingJobs, ListProcessingJobs and ListTransformJobs take CreationTimeAfter and
CreationTimeBefore, so behind the ``list.windows`` setting (K > 1) the span below the first page
is cut into K windows, each its own NextToken chain of about N/K pages, listed concurrently:

1. the first page is listed as today (the first rows appear as fast as serially); if it is the
   last page, that is all;
2. one request (SortOrder=Ascending, MaxResults=1, the same filters) finds the oldest
   CreationTime;
3. [oldest, the first page's last CreationTime] is cut into K windows, each widened by
   :data:`OVERLAP` at both ends (SageMaker's bounds are exclusive in some operations' words and
   inclusive in others', and its timestamp precision is not documented), and every row is
   deduplicated by its key, so a row on an edge or sharing its CreationTime with others is
   listed exactly once;
4. the newest window's pages are yielded as they arrive; an older window's pages are kept
   until every newer window is done, so rows arrive strictly newest first, in the serial order.

Cost: about pages + K + 1 requests (the oldest, and a partial last page per window), asked K
at a time instead of one: SageMaker's List* rate limits are low (about 2 requests/s has been
reported for ListTrainingJobs), so this is off (K = 1) unless the user trades rate for speed.
Cancelling the iteration cancels every window (each chain's page fetched ahead too).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import itertools
from collections import deque
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

from smtui.aws.client import SageMaker
from smtui.aws.model import enum_values, list_items_key, member_shape, operation, summary_shape
from smtui.aws.pager import accepted_filters

AFTER = "CreationTimeAfter"
BEFORE = "CreationTimeBefore"
CREATED = "CreationTime"
"""The members a windowed list needs: checked against botocore's model for each operation."""

WINDOWED_LISTS = frozenset({"ListTrainingJobs", "ListProcessingJobs", "ListTransformJobs"})
"""The long time-ordered lists ``list.windows`` applies to. About fifty List* operations take
the same members (the model says so), but these are the lists that grow to thousands of rows;
each must also qualify by the model (:func:`windowable`)."""

OVERLAP = dt.timedelta(seconds=1)
"""How far each window reaches past its edges (rows seen twice are dropped by key)."""

Key = Callable[[Mapping[str, Any]], str]


@functools.cache
def windowable(list_op: str) -> bool:
    """Whether ``list_op`` is one of :data:`WINDOWED_LISTS` and its model takes both time bounds,
    sorts by CreationTime both ways, pages with NextToken and returns each row's CreationTime."""
    if list_op not in WINDOWED_LISTS:
        return False
    shape = operation(list_op).input_shape
    if shape is None:
        return False
    members = shape.members
    return (
        AFTER in members
        and BEFORE in members
        and "NextToken" in members
        and CREATED in enum_values(member_shape(shape, "SortBy"))
        and {"Ascending", "Descending"} <= set(enum_values(member_shape(shape, "SortOrder")))
        and CREATED in summary_shape(list_op).members
    )


def qualifies(list_op: str, params: Mapping[str, Any], filters: Mapping[str, Any] | None = None) -> bool:
    """Whether this request may be windowed: a windowable list, newest first by CreationTime
    (SortBy and SortOrder absent or so), with no time bound or token of the caller's."""
    if not windowable(list_op):
        return False
    request = {**params, **accepted_filters(list_op, filters)}
    if any(request.get(name) not in (None, "") for name in (AFTER, BEFORE, "NextToken")):
        return False
    return request.get("SortBy") in (None, CREATED) and request.get("SortOrder") in (None, "Descending")


def split(oldest: dt.datetime, newest: dt.datetime, k: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """``(after, before)`` of ``k`` equal windows covering [oldest, newest], newest first, each
    widened by :data:`OVERLAP` at both ends. One window when the span is empty."""
    span = newest - oldest
    count = k if span > dt.timedelta(0) else 1
    edges = [oldest + span * i / count for i in range(count)] + [newest]
    windows = [(edges[i] - OVERLAP, edges[i + 1] + OVERLAP) for i in range(count)]
    return windows[::-1]


def _fresh(items: list[dict[str, Any]], seen: set[str], key: Key) -> list[dict[str, Any]]:
    """The rows of ``items`` not seen yet (now seen)."""
    fresh = []
    for item in items:
        name = key(item)
        if name not in seen:
            seen.add(name)
            fresh.append(item)
    return fresh


def _newest_first(items: list[dict[str, Any]]) -> bool:
    times = [t for item in items if isinstance(t := item.get(CREATED), dt.datetime)]
    if len(times) != len(items):
        return False
    return all(a >= b for a, b in itertools.pairwise(times))


async def windowed_pages(
    sagemaker: SageMaker,
    list_op: str,
    params: Mapping[str, Any],
    filters: Mapping[str, Any] | None,
    k: int,
    key: Key,
) -> AsyncGenerator[tuple[list[dict[str, Any]], bool], None]:
    """``(rows, last)`` of every page of ``list_op``, newest first, through ``k`` windows
    listed at once (see the module's docstring). Exactly one page has ``last`` set, the final
    one. Call it only when :func:`qualifies` says so."""
    first = None
    async with contextlib.aclosing(sagemaker.pages(list_op, params, filters=filters, max_pages=1)) as pages:
        async for page in pages:
            first = page
    if first is None:  # the pager always yields a page; an empty answer is one with no rows
        yield [], True
        return
    yield first.items, first.last
    if first.last:
        return
    seen: set[str] = set()
    _fresh(first.items, seen, key)
    newest = first.items[-1].get(CREATED) if first.items else None
    oldest = None
    if isinstance(newest, dt.datetime) and _newest_first(first.items):
        request = {**params, **accepted_filters(list_op, filters), "SortBy": CREATED, "SortOrder": "Ascending"}
        request["MaxResults"] = 1
        answer = await sagemaker.call(list_op, request)
        rows = answer.get(list_items_key(list_op)) or []
        found = rows[0].get(CREATED) if rows else None
        oldest = found if isinstance(found, dt.datetime) and found <= newest else None
    if oldest is None or not isinstance(newest, dt.datetime):
        # Nothing to cut (an empty first page with a token, a filter applied after paging that
        # hid the oldest row, rows out of order): the rest serially, from the first page's token.
        rest = {**params, "NextToken": first.next_token}
        async with contextlib.aclosing(sagemaker.pages(list_op, rest, filters=filters)) as pages:
            async for page in pages:
                yield _fresh(page.items, seen, key), page.last
        return
    windows = split(oldest, newest, k)
    async with contextlib.aclosing(_merge(sagemaker, list_op, params, filters, windows, key, seen)) as merged:
        async for rows_and_last in merged:
            yield rows_and_last


async def _merge(
    sagemaker: SageMaker,
    list_op: str,
    params: Mapping[str, Any],
    filters: Mapping[str, Any] | None,
    windows: list[tuple[dt.datetime, dt.datetime]],
    key: Key,
    seen: set[str],
) -> AsyncGenerator[tuple[list[dict[str, Any]], bool], None]:
    """Every window listed at once (one chain each); pages yielded strictly in window order."""
    events: asyncio.Queue[tuple[int, list[dict[str, Any]], bool] | BaseException] = asyncio.Queue()

    async def chain(index: int, after: dt.datetime, before: dt.datetime) -> None:
        call = {**params, AFTER: after, BEFORE: before}
        try:
            async with contextlib.aclosing(sagemaker.pages(list_op, call, filters=filters)) as pages:
                async for page in pages:
                    events.put_nowait((index, page.items, page.last))
        except Exception as error:  # raised by the consumer, at once, as the serial path would
            events.put_nowait(error)

    tasks = [asyncio.ensure_future(chain(i, after, before)) for i, (after, before) in enumerate(windows)]
    buffers: list[deque[tuple[list[dict[str, Any]], bool]]] = [deque() for _ in windows]
    current = 0
    try:
        while current < len(windows):
            event = await events.get()
            if isinstance(event, BaseException):
                raise event
            index, items, last = event
            buffers[index].append((items, last))
            while current < len(windows) and buffers[current]:
                items, last = buffers[current].popleft()
                final = last and current == len(windows) - 1
                fresh = _fresh(items, seen, key)
                if last:
                    current += 1
                if fresh or final:
                    yield fresh, final
    finally:
        # Done, failed or abandoned (the view closed): no window's request may outlive the list.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
