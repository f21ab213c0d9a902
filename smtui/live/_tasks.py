"""Bounded concurrency without leaking tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
        if not isinstance(exc, asyncio.CancelledError):
            return exc
    return group.exceptions[0]


async def bounded_gather(jobs: Iterable[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run ``jobs`` (factories, so nothing is created that might never be awaited) at most
    ``limit`` at a time, in input order.

    The first failure cancels the rest and is re-raised as itself, not wrapped in an
    ExceptionGroup, so callers keep catching :class:`~smtui.aws.errors.AwsError`.
    """
    gate = asyncio.Semaphore(max(1, limit))

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(job)) for job in jobs]
    except BaseExceptionGroup as failed:
        raise _first_error(failed) from None
    return [task.result() for task in tasks]
