"""The data behind the "what's burning" view: everything not healthy, across types, in one go.

On-call triage starts with "what is broken right now?", which the console answers one type
at a time. This gathers it in one pass:

- endpoints, inference components and HyperPod clusters that are not InService (failed or in
  transition). Their list APIs cannot filter on "not InService", so each is listed once,
  unfiltered, and filtered here;
- HyperPod nodes that are not Running, in *every* cluster. ListClusterNodes has no status
  filter and needs a cluster name, so the clusters listed above are reused and their nodes
  listed with bounded concurrency (SageMaker's list rate limits are low);
- MLflow tracking servers and apps that failed or are in transition;
- pipeline executions that failed in the last 24 hours, in every pipeline (ListPipelineExecutions
  needs a pipeline name and has no status filter: the pipelines are listed, then each one's
  executions created in the window, with bounded concurrency);
- training, processing and transform jobs that failed in the last 24 hours, filtered on the
  server (``StatusEquals=Failed`` + ``LastModifiedTimeAfter``) and checked again here, since an
  endpoint that ignores a filter must not flood the view.

Failed rows whose summary has no reason are described (a bounded number) to get one. An
error in one type is recorded for that type; the others still arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from smtui.aws.client import SageMaker
from smtui.aws.errors import AwsError, Unknown, translate
from smtui.catalog import Catalog, ResourceType, default_catalog, value_at
from smtui.live.reasons import event_time, failure_reason

UNHEALTHY_TYPES = ("endpoints", "inference-components", "clusters")
"""Types listed whole and kept when not healthy."""
MLFLOW_TYPES = ("mlflow-tracking-servers", "mlflow-apps")
"""Types listed whole and kept when failed or in transition (a Stopped server was stopped on
purpose: it is not burning)."""
NODE_TYPE = "cluster-nodes"
EXECUTION_TYPE = "pipeline-executions"
FAILED_JOB_TYPES = ("training-jobs", "processing-jobs", "transform-jobs")
"""Types listed with ``StatusEquals=Failed`` over the recent window."""
DEFAULT_WINDOW = timedelta(hours=24)

_HEALTH_ORDER = {"failed": 0, "transitional": 1, "unknown": 2}
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class BurningItem:
    """One unhealthy resource. ``record`` and ``list_params`` are what the list view would
    hold for the row, so the UI can open its describe view or jump to its list directly."""

    type_name: str
    key: str
    status: str
    health: str
    reason: str
    when: datetime | None
    record: dict[str, Any]
    list_params: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    """The name a user knows it by, where the key is not it (a pipeline execution's ARN)."""

    @property
    def uid(self) -> str:
        """Unique across the whole report (node ids repeat nothing, but keys are per-list)."""
        scope = "/".join(str(v) for v in self.list_params.values())
        return f"{self.type_name}:{scope}:{self.key}" if scope else f"{self.type_name}:{self.key}"


@dataclass
class BurningReport:
    """Everything gathered: items (worst and newest first), errors by type name, the number
    of API requests made, and the types whose walk stopped at the page cap."""

    items: list[BurningItem] = field(default_factory=list)
    errors: dict[str, AwsError] = field(default_factory=dict)
    calls: int = 0
    truncated: set[str] = field(default_factory=set)

    def of_type(self, type_name: str) -> list[BurningItem]:
        """The items of one type."""
        return [i for i in self.items if i.type_name == type_name]


SectionCallback = Callable[[str, list[BurningItem], AwsError | None], None]


def _shown_name(rtype: ResourceType, record: Mapping[str, Any]) -> str:
    """The row's NAME column where it is not the key (a display name beside an ARN key)."""
    columns = rtype.columns
    if columns and columns[0].title == "NAME" and columns[0].key != rtype.key_field:
        value = value_at(record, columns[0].key)
        if value not in (None, ""):
            return str(value)
    return ""


def _aware(value: datetime | None) -> datetime | None:
    # The SDK returns aware datetimes; be safe with a naive one rather than raise TypeError.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class _Gatherer:
    def __init__(
        self,
        sagemaker: SageMaker,
        catalog: Catalog,
        *,
        since: datetime,
        concurrency: int,
        max_pages: int | None,
        describe_limit: int,
        on_section: SectionCallback | None,
    ) -> None:
        self.sm = sagemaker
        self.catalog = catalog
        self.since = since
        self.gate = asyncio.Semaphore(max(1, concurrency))
        self.max_pages = max_pages
        self.describe_limit = describe_limit
        self.on_section = on_section
        self.report = BurningReport()
        self.clusters: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()

    async def walk(
        self, rtype: ResourceType, params: Mapping[str, Any], filters: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        async with self.gate:
            pages = self.sm.pages(rtype.list_op, params, filters=filters, max_pages=self.max_pages)
            async with contextlib.aclosing(pages) as stream:
                async for page in stream:
                    items.extend(page.items)
                    if not page.last and self.max_pages is not None and page.number + 1 >= self.max_pages:
                        self.report.truncated.add(rtype.name)
                        break
        return items

    def item(self, rtype: ResourceType, record: dict[str, Any], params: Mapping[str, Any]) -> BurningItem:
        status = rtype.status_of(record) or ""
        return BurningItem(
            type_name=rtype.name,
            key=rtype.key_of(record, params),
            status=status,
            health=rtype.health(status or None),
            reason=failure_reason(record),
            when=_aware(event_time(record, rtype.time_field)),
            record=record,
            list_params=dict(params),
            name=_shown_name(rtype, record),
        )

    async def with_reasons(self, rtype: ResourceType, items: list[BurningItem]) -> list[BurningItem]:
        """Describe failed items that lack a reason (at most ``describe_limit`` per type)."""
        todo = [i for i in items if i.health == "failed" and not i.reason][: self.describe_limit]

        async def one(item: BurningItem) -> BurningItem:
            try:
                async with self.gate:
                    detail = await self.sm.call(
                        rtype.describe_op, rtype.describe_request(item.record, item.list_params)
                    )
            except AwsError:
                return item  # the row is still worth showing without its reason
            return self.item(rtype, {**item.record, **detail}, item.list_params)

        described = {i.uid: i for i in await asyncio.gather(*(one(i) for i in todo))}
        return [described.get(i.uid, i) for i in items]

    def finish(self, type_name: str, items: list[BurningItem], error: AwsError | None) -> None:
        self.report.items.extend(items)
        if error is not None:
            self.report.errors[type_name] = error
        if self.on_section is not None:
            self.on_section(type_name, items, error)

    async def guarded(self, type_name: str, section: Awaitable[None]) -> None:
        """Run one section; a bug in it becomes that type's error instead of sinking the rest."""
        try:
            await section
        except Exception as exc:
            self.finish(type_name, [], translate(exc))
        finally:
            if type_name == "clusters" and not self.clusters.done():
                # The nodes section waits on this; it must never wait for ever.
                self.clusters.set_exception(Unknown("the cluster list was not available"))

    async def unhealthy(self, type_name: str, keep: tuple[str, ...] = ("failed", "transitional", "unknown")) -> None:
        rtype = self.catalog.get(type_name)
        try:
            records = await self.walk(rtype, {})
        except AwsError as error:
            if type_name == "clusters":
                self.clusters.set_exception(error)
            self.finish(type_name, [], error)
            return
        if type_name == "clusters":
            self.clusters.set_result(records)
        items = [self.item(rtype, r, {}) for r in records]
        items = [i for i in items if i.status and i.health in keep]
        self.finish(type_name, await self.with_reasons(rtype, items), None)

    async def nodes(self) -> None:
        rtype = self.catalog.get(NODE_TYPE)
        try:
            clusters = await self.clusters
        except AwsError as error:
            self.finish(NODE_TYPE, [], error)  # no cluster list, no nodes: say so, not "none"
            return
        parent = rtype.parent
        first_error: list[AwsError] = []

        async def of_cluster(cluster: Mapping[str, Any]) -> list[BurningItem]:
            params = parent.list_request(cluster) if parent else {"ClusterName": cluster.get("ClusterName")}
            try:
                records = await self.walk(rtype, params)
            except AwsError as error:
                first_error.append(error)
                return []
            items = [self.item(rtype, r, params) for r in records]
            return [i for i in items if i.health != "healthy"]

        per_cluster = await asyncio.gather(*(of_cluster(c) for c in clusters))
        items = [i for chunk in per_cluster for i in chunk]
        self.finish(NODE_TYPE, items, first_error[0] if first_error else None)

    async def failed_executions(self) -> None:
        rtype = self.catalog.get(EXECUTION_TYPE)
        parent = rtype.parent
        if parent is None:
            return
        try:
            pipelines = await self.walk(self.catalog.get(parent.type_name), {})
        except AwsError as error:
            self.finish(EXECUTION_TYPE, [], error)
            return
        first_error: list[AwsError] = []
        after = {name: self.since for name in ("CreatedAfter",) if name in rtype.server_filters}

        async def of_pipeline(pipeline: Mapping[str, Any]) -> list[BurningItem]:
            params = parent.list_request(pipeline)
            try:
                records = await self.walk(rtype, params, after)
            except AwsError as error:
                first_error.append(error)
                return []
            items = [self.item(rtype, r, params) for r in records]
            return [i for i in items if i.health == "failed" and (i.when is None or i.when >= self.since)]

        per_pipeline = await asyncio.gather(*(of_pipeline(p) for p in pipelines))
        items = [i for chunk in per_pipeline for i in chunk]
        self.finish(EXECUTION_TYPE, items, first_error[0] if first_error else None)

    async def failed_jobs(self, type_name: str) -> None:
        rtype = self.catalog.get(type_name)
        filters: dict[str, Any] = {"StatusEquals": "Failed"}
        # LastModified, not Creation: a three-day job that failed an hour ago is news.
        for name in ("LastModifiedTimeAfter", "CreationTimeAfter"):
            if name in rtype.server_filters:
                filters[name] = self.since
                break
        try:
            records = await self.walk(rtype, {}, filters)
        except AwsError as error:
            self.finish(type_name, [], error)
            return
        items = [self.item(rtype, r, {}) for r in records]
        items = [i for i in items if i.health == "failed" and (i.when is None or i.when >= self.since)]
        self.finish(type_name, await self.with_reasons(rtype, items), None)


async def gather_burning(
    sagemaker: SageMaker,
    catalog: Catalog | None = None,
    *,
    now: datetime | None = None,
    window: timedelta = DEFAULT_WINDOW,
    concurrency: int = 4,
    max_pages: int | None = 20,
    describe_limit: int = 20,
    on_section: SectionCallback | None = None,
) -> BurningReport:
    """Gather everything not healthy (see the module docstring).

    ``concurrency`` bounds simultaneous requests; ``max_pages`` caps each list walk (the type
    lands in ``report.truncated`` when it bites); ``on_section(type_name, items, error)`` is
    called as each type completes, so the view can fill in while slower types still load.
    """
    catalog = catalog or default_catalog()
    since = (now or datetime.now(UTC)) - window
    gatherer = _Gatherer(
        sagemaker,
        catalog,
        since=_aware(since) or since,
        concurrency=concurrency,
        max_pages=max_pages,
        describe_limit=describe_limit,
        on_section=on_section,
    )
    before = sagemaker.calls
    await asyncio.gather(
        *(gatherer.guarded(name, gatherer.unhealthy(name)) for name in UNHEALTHY_TYPES),
        *(gatherer.guarded(name, gatherer.unhealthy(name, ("failed", "transitional"))) for name in MLFLOW_TYPES),
        gatherer.guarded(NODE_TYPE, gatherer.nodes()),
        gatherer.guarded(EXECUTION_TYPE, gatherer.failed_executions()),
        *(gatherer.guarded(name, gatherer.failed_jobs(name)) for name in FAILED_JOB_TYPES),
    )
    report = gatherer.report
    report.calls = sagemaker.calls - before
    report.items.sort(
        key=lambda i: (_HEALTH_ORDER.get(i.health, 3), -(i.when or _EPOCH).timestamp(), i.type_name, i.key)
    )
    return report
