"""What the poller watches, and where it gets the data from.

The poller's scheduling is tested with an in-memory :class:`Source`; the app passes a
:class:`SageMakerSource`, which is the only part of ``smtui.live`` that talks to AWS.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from smtui.aws.client import SageMaker
from smtui.aws.errors import AwsError
from smtui.catalog import ResourceType, default_catalog, value_at
from smtui.catalog.types import FAILED_MEMBERS

RowPredicate = Callable[[Mapping[str, Any]], bool]
DescribeMode = Literal["auto", "transitional", "none"]

MEMBER_PAGES = 10
"""Pages of members counted per parent and poll (1,000 HyperPod nodes at 100 a page)."""


@dataclass(eq=False)
class Watch:
    """One thing on screen that the poller keeps fresh.

    A *list* watch (``record is None``) makes one List* call per poll with ``params`` and the
    server-side ``filters``, walking at most ``max_pages`` pages (None = all): only what the
    table has loaded, so a 10,000-row account is not re-listed every 3 seconds. The UI raises
    ``max_pages`` as the user loads more. Rows for which ``describe_rows`` says yes are also
    described (at most ``max_describes`` per poll), for columns the summary lacks (HyperPod
    instance-group counts); ``describe_uncached`` also describes every row never described,
    once. ``keep`` drops rows client-side (the list screen's ``match``).

    A *detail* watch (``record`` set) describes that one resource per poll.

    Watches compare by identity: the UI keeps the object and passes it back to unwatch.
    """

    rtype: ResourceType
    params: dict[str, Any] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] | None = None
    max_pages: int | None = 1
    describe_rows: RowPredicate | None = None
    describe_uncached: bool = False
    max_describes: int = 50
    keep: RowPredicate | None = None
    label: str = ""

    @classmethod
    def list_of(
        cls,
        rtype: ResourceType,
        params: Mapping[str, Any] | None = None,
        filters: Mapping[str, Any] | None = None,
        *,
        max_pages: int | None = 1,
        describe: DescribeMode | RowPredicate = "auto",
        keep: RowPredicate | None = None,
    ) -> Watch:
        """A list watch. ``describe="auto"`` describes rows only where the type has columns
        that only Describe* fills: each such row once, then again while it is in transition
        (that is when instance counts move)."""
        uncached = False
        predicate: RowPredicate | None
        if callable(describe):
            predicate = describe
        elif describe == "none":
            predicate = None
        else:
            needs = describe == "transitional" or any(c.from_describe for c in rtype.columns)
            predicate = transitional_rows(rtype) if needs else None
            if rtype.member_health is not None and describe == "auto":
                # A node can fail under a cluster that stays InService: count every poll.
                predicate = _every_row
            uncached = needs and describe == "auto"
        return cls(
            rtype=rtype,
            params=dict(params or {}),
            filters=dict(filters or {}),
            max_pages=max_pages,
            describe_rows=predicate,
            describe_uncached=uncached,
            keep=keep,
            label=rtype.title,
        )

    @classmethod
    def detail(cls, rtype: ResourceType, record: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Watch:
        """A watch of one resource, described on every poll (the open describe view)."""
        watch = cls(rtype=rtype, params=dict(params or {}), record=dict(record))
        watch.label = f"{rtype.title}/{watch.key_of(record)}"
        return watch

    @property
    def kind(self) -> Literal["list", "detail"]:
        """``list`` or ``detail``."""
        return "list" if self.record is None else "detail"

    def key_of(self, record: Mapping[str, Any]) -> str:
        """The row's key within this watch (``ResourceType.key_of`` with this watch's params)."""
        return self.rtype.key_of(record, self.params)

    def health_of(self, record: Mapping[str, Any]) -> str:
        """``failed``, ``transitional``, ``healthy`` or ``unknown`` for a record."""
        return self.rtype.health(self.rtype.status_of(record))


def _every_row(_row: Mapping[str, Any]) -> bool:
    return True


def transitional_rows(rtype: ResourceType) -> RowPredicate:
    """A ``describe_rows`` predicate: rows whose status is in transition."""
    return lambda row: rtype.health(rtype.status_of(row)) == "transitional"


@dataclass(frozen=True)
class Listing:
    """The rows of one list poll; ``complete`` is False when the page cap cut the walk short
    (rows past the cap then show up as removed, which the UI may choose to ignore)."""

    items: list[dict[str, Any]]
    complete: bool = True


class Source(Protocol):
    """Where a poller gets data. ``calls`` counts API requests made (benchmarks read it)."""

    calls: int

    async def list(self, watch: Watch) -> Listing:
        """Run the watch's List* call, up to its page cap."""
        ...

    async def describe(self, watch: Watch, record: Mapping[str, Any]) -> dict[str, Any]:
        """Describe one resource of the watch's type."""
        ...


class SageMakerSource:
    """A :class:`Source` backed by a real :class:`~smtui.aws.client.SageMaker` client."""

    def __init__(self, sagemaker: SageMaker, *, page_size: int | None = None) -> None:
        self.sagemaker = sagemaker
        self.page_size = page_size
        self.calls = 0

    async def list(self, watch: Watch) -> Listing:
        """Walk pages up to ``watch.max_pages``; errors arrive as :class:`AwsError`."""
        items: list[dict[str, Any]] = []
        complete = False
        pages = self.sagemaker.pages(
            watch.rtype.list_op,
            watch.params,
            filters=watch.filters,
            page_size=self.page_size,
            max_pages=watch.max_pages,
        )
        # aclosing: leaving the walk early must close the generator now, not at GC time.
        async with contextlib.aclosing(pages) as stream:
            try:
                async for page in stream:
                    self.calls += 1
                    items.extend(page.items)
                    if page.last:
                        complete = True
                        break
                    if watch.max_pages is not None and page.number + 1 >= watch.max_pages:
                        break
            except Exception:
                self.calls += 1  # the request that failed still counted against the rate limit
                raise
        return Listing(items=items, complete=complete)

    async def describe(self, watch: Watch, record: Mapping[str, Any]) -> dict[str, Any]:
        """Call the type's Describe* for ``record``; in a list, also count its failed members."""
        self.calls += 1
        detail = await self.sagemaker.call(watch.rtype.describe_op, watch.rtype.describe_request(record, watch.params))
        if watch.kind == "list" and watch.rtype.member_health is not None:
            # On an error the counts stay unknown; the cluster's own status still shows.
            with contextlib.suppress(AwsError):
                detail[FAILED_MEMBERS] = await self.failed_members(watch.rtype, {**record, **detail})
        return detail

    async def failed_members(self, rtype: ResourceType, record: Mapping[str, Any]) -> dict[str, int]:
        """``{group: failed}`` over the members of ``record`` (every group, 0 where none failed),
        reading at most MEMBER_PAGES pages of them."""
        assert rtype.member_health is not None
        child_name, group_field = rtype.member_health
        child = default_catalog().get(child_name)
        assert child.parent is not None
        counts: dict[str, int] = {}
        pages = self.sagemaker.pages(child.list_op, child.parent.list_request(record), max_pages=MEMBER_PAGES)
        async with contextlib.aclosing(pages) as stream:
            async for page in stream:
                self.calls += 1
                for member in page.items:
                    group = str(value_at(member, group_field) or "")
                    failed = child.health(child.status_of(member)) == "failed"
                    counts[group] = counts.get(group, 0) + int(failed)
        return counts
