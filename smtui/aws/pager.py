"""Streaming pagination: yield each page the moment it arrives.

botocore's paginators work, but smtui needs three things they do not give directly: the first
rows on screen after the first page (not the last), honest handling of SageMaker's
filter-after-paging (an empty page that still carries a NextToken means "keep going", not
"done"), and server-side filters passed only where the operation accepts them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

from smtui.aws.errors import Unknown
from smtui.aws.model import list_items_key, max_page_size, page_size_param, server_filters


@dataclass(frozen=True)
class Page:
    """One page of a List* call."""

    items: list[dict[str, Any]]
    number: int
    next_token: str | None

    @property
    def last(self) -> bool:
        return self.next_token is None


def accepted_filters(operation: str, filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keep only the filters ``operation`` accepts, dropping empty values."""
    if not filters:
        return {}
    allowed = server_filters(operation)
    return {k: v for k, v in filters.items() if k in allowed and v not in (None, "")}


async def stream_pages(
    client: Any,
    operation: str,
    params: Mapping[str, Any] | None = None,
    *,
    filters: Mapping[str, Any] | None = None,
    page_size: int | None = None,
    max_pages: int | None = None,
) -> AsyncGenerator[Page, None]:
    """Yield pages of ``operation`` until there is no NextToken.

    Cancellation is the caller's: cancelling the task that iterates stops the loop between
    (or during) requests. A token that repeats would loop for ever, so it is an error.
    """
    from botocore import xform_name

    method = getattr(client, xform_name(operation))
    items_key = list_items_key(operation)
    request: dict[str, Any] = dict(params or {})
    request.update(accepted_filters(operation, filters))
    size_param = page_size_param(operation)
    if size_param and size_param not in request:
        cap = max_page_size(operation)
        wanted = page_size or 100
        request[size_param] = min(wanted, cap) if cap else wanted
    seen: set[str] = set()
    number = 0
    ahead: asyncio.Task[dict[str, Any]] | None = None
    try:
        response: dict[str, Any] = await method(**request)
        while True:
            token = response.get("NextToken") or None
            items = list(response.get(items_key) or [])
            repeated = token is not None and token in seen
            more = max_pages is None or number + 1 < max_pages
            if token is not None and not repeated and more:
                seen.add(token)
                request["NextToken"] = token
                # One page ahead: the next request is on the wire while the caller draws this
                # page, so a list costs pages x max(RTT, draw) instead of pages x (RTT + draw).
                ahead = asyncio.ensure_future(method(**request))
            yield Page(items=items, number=number, next_token=token)
            number += 1
            if token is None or not more:
                return
            if repeated:
                raise Unknown(f"{operation} returned the same NextToken twice; stopping", operation=operation)
            assert ahead is not None
            task, ahead = ahead, None
            response = await task
    finally:
        # The caller stopped early (the view closed, a filter changed): the page fetched
        # ahead is not wanted, and its request must not outlive the view.
        if ahead is not None:
            ahead.cancel()
            with contextlib.suppress(BaseException):
                await ahead
