"""The :class:`Service`: every call the UI needs, behind one object with no Textual in it.

The UI holds one Service for the life of the app. It owns the SageMaker client of the current
target (rebuilt by :meth:`Service.retarget`), builds the pollers, and answers list, describe,
jump, burning and action requests. Errors arrive as :class:`~smtui.aws.errors.AwsError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtui.aws.client import READ_TIMEOUT, SageMaker, Target
from smtui.aws.cloudwatch import CloudWatch
from smtui.aws.errors import AwsError, ValidationFailed, translate
from smtui.aws.model import enum_values, is_mutating, member_shape, operation
from smtui.aws.validation import validate
from smtui.catalog import Catalog, Jump, ResourceType, default_catalog, value_at
from smtui.catalog.metrics import COLUMN_WINDOW_MINUTES, column_queries, metric_queries
from smtui.config import (
    PollSettings,
    Settings,
    UsageError,
    check_region,
    list_scope,
    parse_profiles,
    parse_regions,
    split_scope,
)
from smtui.forms.actions import actions_for, resolve_operation
from smtui.forms.curated import form_def
from smtui.forms.model import Change
from smtui.live import BurningReport, Failure, Poller, PollStatus, SageMakerSource, Update, Watch, gather_burning
from smtui.live.reasons import failure_reason
from smtui.logs import note_secrets
from smtui.service import actions, bundle, handoff, windows
from smtui.service.actions import ActionPlan, Outcome, Refusal
from smtui.service.journal import Journal, JournalRecorder, scope_of
from smtui.service.jumps import JumpResult, resolve_jump
from smtui.service.logs import LogsService, format_line
from smtui.service.metrics import MetricSeries, MetricsFeed, MetricsReport, fetch_series
from smtui.service.timeline import Timeline, all_items, gather_timeline

log = logging.getLogger(__name__)

VARIANTS_TTL = 300.0
"""How long the endpoints' variant names (from ListMetrics) are kept for the 5XX column."""

URL_SECONDS = 300
"""How long a presigned URL works before its first use: the API's maximum, still minutes."""
SESSION_SECONDS = 1800
"""How long the browser session it opens lasts: the API's minimum (a short session)."""


@dataclass(frozen=True, repr=False)
class PresignedUrl:
    """A URL that signs its holder in (the MLflow UI), and when it stops working.

    It is a bearer credential: its ``repr`` hides it, it is noted for by-value redaction the
    moment it arrives (so no log line, error or file can carry it), and the UI shows it masked.
    """

    url: str
    expires_at: float  # time.monotonic() after which the URL no longer works
    session_seconds: int

    def __repr__(self) -> str:
        return f"PresignedUrl(<hidden>, expires_at={self.expires_at:.0f})"

    @property
    def masked(self) -> str:
        """``https://host/path?authToken=••••••••``: where it leads, without what lets one in."""
        cut = min((i for i in (self.url.find("?"), self.url.find("#")) if i >= 0), default=-1)
        if cut < 0:
            return self.url
        names = [part.split("=", 1)[0] for part in re.split("[&#?]", self.url[cut + 1 :]) if part]
        return self.url[: cut + 1] + "&".join(f"{name}=••••••••" for name in names)

    def seconds_left(self, now: float | None = None) -> float:
        return max(0.0, self.expires_at - (time.monotonic() if now is None else now))


@dataclass(frozen=True)
class Batch:
    """One page of a listing: its rows and the List* parameters they came from.

    In the across-parents view (every node of every cluster) ``params`` names the parent;
    ``last`` marks the last page for those parameters, ``number`` counts pages from 0.
    """

    items: list[dict[str, Any]]
    params: dict[str, Any]
    number: int
    last: bool
    region: str = ""
    """The region the rows came from, in a list across regions ("" otherwise)."""


@dataclass(frozen=True)
class RegionFailed:
    """One region of a list across regions could not be listed; the others carry on."""

    region: str
    error: AwsError


REGION_CONCURRENCY = 4
"""Regions listed at once: SageMaker's List* limits are per region, so this bounds the
client's sockets and CPU, not the API's rate."""


class JournalledPoller(Poller):
    """A poller whose seeds are the journal's baseline too (a seeded watch's first poll is
    already a diff: a status that moved in it is news)."""

    def __init__(self, recorder: JournalRecorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorder = recorder

    def watch(self, watch: Watch, seed: Mapping[str, Mapping[str, Any]] | None = None) -> Watch:
        if seed is not None:
            rtype = watch.rtype
            self.recorder.baseline(id(watch), {k: rtype.status_of(r) or "" for k, r in seed.items()})
        return super().watch(watch, seed)


class Service:
    """The one door between the UI and SageMaker. Build it with a :class:`Target`."""

    def __init__(
        self,
        target: Target,
        settings: Settings | None = None,
        *,
        catalog: Catalog | None = None,
        demo: bool = False,
        read_timeout: float = READ_TIMEOUT,
        region_pinned: str = "",
        journal: Journal | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.demo = demo
        self._catalog = catalog
        self.read_timeout = read_timeout
        self.region_pinned = region_pinned
        """What fixed the region (``--region``, ``:region``, ``AWS_REGION``), or "" when a
        profile switch should take the new profile's region."""
        self._submits: dict[tuple[str, str], int] = {}
        self.sagemaker = SageMaker(target, read_timeout=read_timeout)
        """The client of the current target. The UI never calls it; tests may, for set-up."""
        self.logs = LogsService(
            lambda: self.target, lambda: self.sagemaker, self.settings.logs.buffer_lines, read_timeout
        )
        """CloudWatch logs of a resource: locate, tail and follow, last lines, hand-offs."""
        self.cloudwatch = CloudWatch(target, read_timeout=read_timeout)
        """The metrics client of the current target (built on the first metrics view)."""
        self.journal = journal or Journal()
        """Where the pollers' status changes are kept (the timeline reads it)."""
        self._regional: dict[str, Service] = {}
        self._variants: dict[str, list[str]] = {}
        self._variants_at: float | None = None

    # ------------------------------------------------------------ context
    @property
    def target(self) -> Target:
        """Where calls go now."""
        return self.sagemaker.target

    @property
    def read_only(self) -> bool:
        """True when every change is refused (``--read-only`` or the profile's setting)."""
        return self.target.read_only

    def read_only_reason(self) -> str:
        """Why changes are off, in the words the user set it with."""
        profile = self.target.profile
        if profile is not None and profile in self.settings.read_only_profiles:
            return f"profile {profile} is read-only in the config"
        if self.settings.read_only:
            return "read_only is set in the config (or SMTUI_READ_ONLY)"
        return "smtui was started with --read-only"

    @property
    def poll_settings(self) -> PollSettings:
        """The configured pace of live views."""
        return self.settings.poll

    @property
    def catalog(self) -> Catalog:
        """The resource types (built on first use when none was given)."""
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog

    @catalog.setter
    def catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog

    async def account_id(self) -> str | None:
        """The account behind the credentials, or None when STS cannot say."""
        return await self.sagemaker.account_id()

    async def close(self) -> None:
        """Close the clients (at exit)."""
        await self.sagemaker.close()
        await self.logs.close()
        await self.cloudwatch.close()
        for sibling in self._regional.values():
            await sibling.close()
        self._regional.clear()

    # ------------------------------------------------------------ regions
    @property
    def region(self) -> str:
        return self.target.region

    def regional(self, region: str) -> Service:
        """The service for ``region`` with this one's profile, settings and journal: what a row
        of a list across regions is described, changed and followed through, so an action on
        an eu-west-1 row can only reach eu-west-1. ``region`` may be a scope naming a profile
        too (``prod/eu-west-1``, :func:`smtui.config.list_scope`): then that profile's."""
        scope = region
        profile, region = split_scope(scope)
        if not region or (region == self.region and profile in (None, self.target.profile)):
            return self
        sibling = self._regional.get(scope)
        if sibling is None:  # retarget drops them: a sibling belongs to this service's lists
            # A scope that names a profile ("prod/us-east-1", a list across profiles) gets that
            # profile's credentials: a row of prod is described and changed as prod.
            # Through target_for: a profile the settings keep read-only stays read-only in a
            # list across profiles too, whichever profile the app started with.
            base = self.target if profile is None else self.target_for(profile=profile)
            sibling = Service(
                base.with_changes(region=region),
                self.settings,
                catalog=self._catalog,
                demo=self.demo,
                read_timeout=self.read_timeout,
                region_pinned=":region",
                journal=self.journal,
            )
            self._regional[scope] = sibling
        return sibling

    def profile_scopes(self, text: str, regions: Sequence[str] = ()) -> tuple[list[str], str | None]:
        """``prod,staging`` as the scopes of one list across those profiles, in ``regions``
        (this service's region when none): ``prod/us-east-1``, ``staging/us-east-1``…; or what
        is wrong, for the prompt to show. Each profile must be in the AWS config."""
        try:
            profiles = parse_profiles(text)
        except UsageError as exc:
            return [], str(exc)
        for profile in profiles:
            problem = self.check_profile(profile)
            if problem:
                return [], problem
        return [list_scope(p, r) for p in profiles for r in (regions or [self.region])], None

    @staticmethod
    def parse_regions(text: str) -> tuple[list[str], str | None]:
        """``us-east-1,eu-west-1`` or ``all`` as a list (:func:`smtui.config.parse_regions`),
        or what is wrong, for the prompt to show."""
        try:
            return parse_regions(text), None
        except UsageError as exc:
            return [], str(exc)

    async def stream_regions(
        self,
        rtype: ResourceType,
        regions: Sequence[str],
        params: Mapping[str, Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[Batch | RegionFailed]:
        """Every page of ``rtype`` in each of ``regions``, listed in parallel (at most
        :data:`REGION_CONCURRENCY` at once), as each page arrives. A region that fails
        (access denied, an opt-in region not enabled, throttling past the retries) yields a
        :class:`RegionFailed` and the others go on."""
        queue: asyncio.Queue[Batch | RegionFailed | None] = asyncio.Queue()
        gate = asyncio.Semaphore(REGION_CONCURRENCY)

        async def one(region: str) -> None:
            try:
                async with gate:
                    async for batch in self.regional(region).stream(rtype, dict(params or {}), filters):
                        await queue.put(dataclasses.replace(batch, region=region))
            except AwsError as error:
                await queue.put(RegionFailed(region, error))
            finally:
                await queue.put(None)

        tasks = [asyncio.ensure_future(one(region)) for region in regions]
        try:
            running = len(tasks)
            while running:
                item = await queue.get()
                if item is None:
                    running -= 1
                else:
                    yield item
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    # ------------------------------------------------------------ switching
    @staticmethod
    def known_profiles() -> list[str]:
        """The profiles in the user's AWS config, sorted."""
        # Imported here: botocore.session is heavy and off the path to the first frame.
        import botocore.session

        return sorted(botocore.session.Session().available_profiles)

    def check_profile(self, profile: str | None) -> str | None:
        """What is wrong with switching to ``profile``, or None."""
        # The demo first: "known: none" beside a header reading profile:demo confused a user.
        if self.demo:
            return "the demo has one account; profiles apply to real AWS"
        known = self.known_profiles()
        if not profile:
            return "usage: :profile NAME (known: " + (", ".join(known) or "none") + ")"
        if profile not in known:
            return f"unknown profile {profile!r} (known: {', '.join(known) or 'none'})"
        return None

    @staticmethod
    def check_region(region: str | None) -> str | None:
        """What is wrong with switching to ``region``, or None."""
        if not region:
            return "usage: :region NAME (e.g. :region eu-west-1)"
        try:
            check_region(region)
        except UsageError as exc:
            return str(exc)
        return None

    def target_for(self, *, profile: str | None = None, region: str | None = None) -> Target:
        """The target after switching profile or region (checked with the methods above)."""
        if profile is not None:
            read_only = self.target.read_only or self.settings.read_only_for(profile)
            return self.target.with_changes(profile=profile, read_only=read_only)
        return self.target.with_changes(region=region)

    @staticmethod
    def profile_region(profile: str) -> str | None:
        """The region configured for ``profile`` in the AWS config, if any."""
        # Read the profile's own section: the session's "region" variable would prefer
        # AWS_DEFAULT_REGION, which is the old target's region, not this profile's.
        import botocore.session

        profiles = botocore.session.Session().full_config.get("profiles", {})
        region = profiles.get(profile, {}).get("region")
        return str(region) if region else None

    def switch_to(self, *, profile: str | None = None, region: str | None = None) -> tuple[Target, str]:
        """The target after ``:profile`` or ``:region``, and how its region was chosen.

        A profile brings its own region unless the region was given explicitly (``--region``,
        ``:region``, ``AWS_REGION``): otherwise every later call would go to the old
        profile's region with nothing to say so. ``:region`` pins the region from then on.
        """
        if region is not None:
            self.region_pinned = ":region"
            return self.target.with_changes(region=region), ""
        target = self.target_for(profile=profile)
        assert profile is not None
        if self.region_pinned:
            return target, f"region kept: set by {self.region_pinned}"
        own = self.profile_region(profile)
        if own is None:
            return target, f"region kept: profile {profile} sets none"
        return target.with_changes(region=own), f"region from profile {profile}"

    def retarget(self, target: Target) -> Coroutine[Any, Any, None]:
        """Point every later call at ``target``. Returns the closing of the old clients (the
        regional siblings' too: they belong to the old profile), to await."""
        old, old_cloudwatch = self.sagemaker, self.cloudwatch
        siblings, self._regional = list(self._regional.values()), {}
        self.sagemaker = SageMaker(target, read_timeout=self.read_timeout)
        self.cloudwatch = CloudWatch(target, read_timeout=self.read_timeout)

        async def close_both() -> None:
            await old.close()
            await old_cloudwatch.close()
            for sibling in siblings:
                await sibling.close()

        return close_both()

    # ------------------------------------------------------------ live
    def poller(
        self,
        on_result: Callable[[Update], None],
        on_status: Callable[[PollStatus], None],
        on_failure: Callable[[Failure], None],
    ) -> Poller:
        """A started poller for one view, on the current client and the configured pace.

        Every status change it sees is also written to the journal (the timeline's memory)."""
        recorder = JournalRecorder(self.journal, self.scope)

        def journalled(update: Update) -> None:
            rtype = update.watch.rtype
            statuses = {k: (rtype.status_of(r) or "", failure_reason(r)) for k, r in update.records.items()}
            recorder.observe(id(update.watch), rtype.name, statuses, update.complete)
            on_result(update)

        poller = JournalledPoller(
            recorder,
            SageMakerSource(self.sagemaker),
            self.poll_settings,
            on_result=journalled,
            on_status=on_status,
            on_failure=on_failure,
        )
        poller.start()
        return poller

    # ------------------------------------------------------------ read
    @staticmethod
    def fans_out(rtype: ResourceType, params: Mapping[str, Any]) -> bool:
        """A child type opened without its parent: it is listed across every parent."""
        parent = rtype.parent
        return parent is not None and not any(param in params for param, _ in parent.params)

    async def parent_params(self, rtype: ResourceType, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """One parameter set per list call: ``params``, or one per parent when fanning out."""
        if rtype.parent is None or not self.fans_out(rtype, params):
            return [dict(params)]
        parent_type = self.catalog.get(rtype.parent.type_name)
        found: list[dict[str, Any]] = []
        async for page in self.sagemaker.pages(parent_type.list_op, {}):
            found.extend(rtype.parent.list_request(item) for item in page.items)
        return found

    async def stream(
        self, rtype: ResourceType, params: Mapping[str, Any], filters: Mapping[str, Any] | None = None
    ) -> AsyncIterator[Batch]:
        """Every page of ``rtype``'s list, as it arrives (across parents when fanning out).

        With ``list.windows`` above 1, a job list newest first is listed in that many
        CreationTime windows at once and merged in order (:mod:`smtui.service.windows`)."""
        k = self.settings.list.windows
        for call in await self.parent_params(rtype, params):
            if k > 1 and windows.qualifies(rtype.list_op, call, filters):

                def key(row: Mapping[str, Any], call: Mapping[str, Any] = call) -> str:
                    arn = row.get(rtype.arn_field) if rtype.arn_field else None
                    return str(arn) if arn else rtype.key_of(row, call)

                merged = windows.windowed_pages(self.sagemaker, rtype.list_op, call, filters, k, key)
                async with contextlib.aclosing(merged) as pages:
                    number = 0
                    async for items, last in pages:
                        yield Batch(items, call, number, last)
                        number += 1
                continue
            async for page in self.sagemaker.pages(rtype.list_op, call, filters=filters):
                yield Batch(page.items, call, page.number, page.last)

    def server_filter(self, rtype: ResourceType, text: str) -> dict[str, str]:
        """The server-side filter for a plain filter ``text``, where the list API takes one.

        A status name becomes ``StatusEquals`` (matched case-insensitively against the enum);
        other text becomes ``NameContains``, unless the model says the server would refuse it
        (too long, or a character its pattern does not allow): then the filter stays on the
        client only (:meth:`server_filter_note` says why).
        """
        return self._server_filter(rtype, text)[0]

    def server_filter_note(self, rtype: ResourceType, text: str) -> str:
        """Why ``text`` filters on the client only although the list API has NameContains
        ("" when it goes to the server or the API has no such filter). Short: it never
        repeats the text, which may be 10,000 characters."""
        return self._server_filter(rtype, text)[1]

    def _server_filter(self, rtype: ResourceType, text: str) -> tuple[dict[str, str], str]:
        if not text:
            return {}, ""
        allowed = rtype.server_filters
        input_shape = operation(rtype.list_op).input_shape
        if "StatusEquals" in allowed:
            for value in enum_values(member_shape(input_shape, "StatusEquals")):
                if value.lower() == text.lower():
                    return {"StatusEquals": value}, ""
        if "NameContains" in allowed:
            if text != text.lower():
                # The filter here ignores case; NameContains may not (the emulator's matches
                # case exactly). "/Config" showed 5 configs, and Enter turned them into 0.
                return {}, "filtering here only: mixed case"
            shape = member_shape(input_shape, "NameContains")
            if shape is None:
                return {"NameContains": text}, ""
            limit = shape.metadata.get("max")
            if isinstance(limit, int) and len(text) > limit:
                return {}, f"filtering here only: names ≤{limit}"
            # Checked against the model before sending: a refused filter would only come back
            # as an error (and a retry) for something the client can filter by itself.
            problems = validate({"NameContains": text}, input_shape)
            if any(p.path[:1] == ("NameContains",) for p in problems):
                return {}, "filtering here only: not valid in names"
            return {"NameContains": text}, ""
        return {}, ""

    async def describe(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The Describe* response for ``record``."""
        return await self.sagemaker.call(rtype.describe_op, rtype.describe_request(record, list_params))

    @staticmethod
    def describe_part(rtype: ResourceType, record: Mapping[str, Any]) -> dict[str, Any]:
        """The Describe* response within a record merged with its list summary."""
        members = operation(rtype.describe_op).output_shape.members
        return {k: v for k, v in record.items() if k in members}

    async def execution_steps(self, record: Mapping[str, Any]) -> list[dict[str, Any]]:
        """A pipeline execution's steps (ListPipelineExecutionSteps, as the timeline reads them).

        A failed execution's own FailureReason is often only "one or more steps failed": the
        step's reason is the one that says why, and it is the first thing on-call reads.
        """
        arn = record.get("PipelineExecutionArn")
        if not arn:
            return []
        request: dict[str, Any] = {"PipelineExecutionArn": arn, "MaxResults": 100}
        return await all_items(self.sagemaker, "ListPipelineExecutionSteps", request, "PipelineExecutionSteps")

    async def resolve_jump(
        self,
        source: ResourceType,
        jump: Jump,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        *,
        progress: Callable[[str], None] | None = None,
    ) -> JumpResult:
        """Where ``jump`` leads from ``record``: see :mod:`smtui.service.jumps`."""
        return await resolve_jump(
            self.sagemaker, self.catalog, source, jump, record, dict(list_params or {}), progress=progress
        )

    async def burning(self) -> BurningReport:
        """Everything not healthy, across types (the ``:burning`` view)."""
        return await gather_burning(self.sagemaker, self.catalog)

    # ------------------------------------------------------------ write
    def offered_actions(self, rtype: ResourceType) -> list[tuple[str, str, str]]:
        """``(key, label, operation)`` of the actions offered for ``rtype`` now."""
        return actions_for(rtype, self.read_only)

    @staticmethod
    def unavailable_actions(rtype: ResourceType, record: Mapping[str, Any] | None) -> dict[str, str]:
        """Operation -> why it does not apply to ``record`` now (the menu shows them greyed)."""
        return {op: reason for _, op in rtype.actions if (reason := actions.not_now(rtype, op, record)) is not None}

    def action_available(self, rtype: ResourceType, verb: str) -> bool:
        """Whether ``verb`` is offered for ``rtype`` now (never in read-only mode)."""
        if self.read_only:
            return False
        if verb == "menu":
            return bool(actions_for(rtype, read_only=False))
        return rtype.action(verb) is not None

    async def presigned_url(self, rtype: ResourceType, op: str, record: Mapping[str, Any]) -> PresignedUrl:
        """Mint the presigned URL ``op`` makes for ``record`` (CreatePresignedMlflowTrackingServerUrl
        with the server's name, CreatePresignedMlflowAppUrl with the app's ARN).

        Read-only refuses it (the guard in :mod:`smtui.aws.guard`, before anything is sent): the
        URL opens the MLflow UI with the caller's role, which can delete experiments, runs and
        registered models. A confirmation could have let it through, but read-only is a promise
        to the person who asked for it (often for an incident, on a shared screen), and a
        promise with a "press y to break it" is not one; restarting without ``--read-only`` is
        the explicit way.
        """
        shape = operation(op).input_shape
        required = list(shape.required_members) if shape is not None else []
        params: dict[str, Any] = {}
        for member in required:
            value = record.get(member)
            if value in (None, ""):
                raise ValidationFailed(f"{rtype.title}: the row has no {member} to open it with")
            params[member] = value
        members = shape.members if shape is not None else {}
        if "ExpiresInSeconds" in members:
            params["ExpiresInSeconds"] = URL_SECONDS
        if "SessionExpirationDurationInSeconds" in members:
            params["SessionExpirationDurationInSeconds"] = SESSION_SECONDS
        asked = time.monotonic()
        result = await self.sagemaker.call(op, params)
        url = str(result.get("AuthorizedUrl") or result.get("Url") or "")
        if not url:
            raise ValidationFailed(f"{op} answered without a URL")
        # Before anything else can log or show it: the URL, and each of its parameter values.
        query = url.replace("#", "?").partition("?")[2]
        note_secrets([url, *(part.partition("=")[2] for part in query.split("&"))])
        return PresignedUrl(url, asked + URL_SECONDS, SESSION_SECONDS)

    def plan(
        self,
        rtype: ResourceType,
        verb_or_op: str,
        record: Mapping[str, Any] | None,
        list_params: Mapping[str, Any] | None,
        marked: Sequence[Mapping[str, Any]] = (),
    ) -> ActionPlan | Refusal:
        """Plan an action: see :func:`smtui.service.actions.plan_action`."""
        return actions.plan_action(self.target, rtype, verb_or_op, record, list_params, marked)

    async def plan_detailed(
        self,
        rtype: ResourceType,
        verb_or_op: str,
        record: Mapping[str, Any] | None,
        list_params: Mapping[str, Any] | None,
        marked: Sequence[Mapping[str, Any]] = (),
    ) -> ActionPlan | Refusal:
        """:meth:`plan`, after describing the record when its form is prefilled from members a
        list row lacks (an endpoint's variants): a form opened blank asks the user to retype
        what SageMaker already knows, and a wrong retyped value changes live traffic."""
        op = resolve_operation(rtype, verb_or_op)
        if op is not None and record is not None and not (self.read_only and is_mutating(op)):
            sources = [src for _, src in form_def(op).prefill if not src.startswith("<list>.")]
            missing = [src for src in sources if value_at(record, src.split("[]", 1)[0]) is None]
            if missing or self._summary_lacks(rtype, op, record):
                # On failure, plan with the row as it is: the form shows what is still missing.
                with contextlib.suppress(AwsError):
                    record = {**record, **await self.describe(rtype, record, list_params)}
        return self.plan(rtype, verb_or_op, record, list_params, marked)

    @staticmethod
    def _summary_lacks(rtype: ResourceType, op: str, record: Mapping[str, Any]) -> bool:
        """Whether an Update* form would open with fields blank that Describe* fills: a list
        row is a summary (an MLflow server's row has no ArtifactStoreUri), and a form that
        says "every field holds the current value" must hold them."""
        if not op.startswith("Update"):
            return False
        try:
            inputs = operation(op).input_shape
            described = operation(rtype.describe_op).output_shape
        except Exception:
            return False
        if inputs is None or described is None:
            return False
        shared = set(inputs.members) & set(described.members)
        return any(member not in record for member in shared)

    def cli(self, op: str, params: Mapping[str, Any]) -> str:
        """The equivalent AWS CLI command on the current target."""
        return actions.cli_for(self.target, op, params)

    async def submit(
        self,
        op: str,
        params: Mapping[str, Any],
        name: str = "",
        *,
        rtype: ResourceType | None = None,
        progress: Callable[[str], None] | None = None,
        changes: Sequence[Change] = (),
    ) -> Outcome:
        """Send one change under the write policy (:mod:`smtui.service.actions`).

        Submits are numbered per resource: when a newer one to the same resource starts
        before this one ends, this outcome is marked ``superseded`` (its failure is history).
        """
        key = (rtype.name if rtype is not None else op, name or op)
        number = self._submits.get(key, 0) + 1
        self._submits[key] = number
        outcome = await actions.submit(
            self.sagemaker, op, params, name, rtype=rtype, progress=progress, changes=changes
        )
        if self._submits.get(key) != number:
            outcome = dataclasses.replace(outcome, superseded=True)
        return outcome

    async def submit_batch(self, plan: ActionPlan) -> Outcome:
        """Send a batch node operation in the chunks the API allows."""
        return await actions.submit_batch(self.sagemaker, plan)

    # ------------------------------------------------------------ metrics, timeline, hand-offs
    @property
    def scope(self) -> str:
        """``profile/region``: what the journal files the current target's resources under."""
        return scope_of(self.target.label, self.target.region)

    async def metrics(self, rtype: ResourceType, record: Mapping[str, Any]) -> list[MetricSeries]:
        """The last hour of ``record``'s metrics: one GetMetricData call (empty for a type
        without metrics, with no call)."""
        return await fetch_series(self.cloudwatch, metric_queries(rtype.name, record))

    async def column_metrics(self, rtype: ResourceType, records: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
        """The list column (5XX over 15 minutes) per row key: one GetMetricData call."""
        if rtype.name == "endpoints" and any(not r.get("ProductionVariants") for r in records.values()):
            records = await self._with_variants(records)
        per_row = column_queries(rtype.name, records)
        queries = [q for row in per_row.values() for q in row]
        series = {s.query.id: s for s in await fetch_series(self.cloudwatch, queries, COLUMN_WINDOW_MINUTES)}
        return {key: sum(series[q.id].total for q in row if q.id in series) for key, row in per_row.items()}

    async def column_metrics_across(
        self, rtype: ResourceType, records: Mapping[str, tuple[str, Mapping[str, Any]]]
    ) -> tuple[dict[str, float], dict[str, AwsError]]:
        """The list column across regions or profiles: ``records`` maps a row key to its scope
        and record. CloudWatch is regional, so one GetMetricData per scope, all at once.
        Returns the values of the scopes that answered and the error of each that did not, so
        one failing region leaves the others' column filled."""
        groups: dict[str, dict[str, Mapping[str, Any]]] = {}
        for key, (scope, record) in records.items():
            groups.setdefault(scope, {})[key] = record
        scopes = list(groups)
        answers = await asyncio.gather(
            *(self.regional(scope).column_metrics(rtype, groups[scope]) for scope in scopes), return_exceptions=True
        )
        values: dict[str, float] = {}
        errors: dict[str, AwsError] = {}
        for scope, answer in zip(scopes, answers, strict=True):
            if isinstance(answer, BaseException):
                if not isinstance(answer, Exception):
                    raise answer  # cancelled: the view went
                errors[scope] = translate(answer, operation="GetMetricData")
            else:
                values.update(answer)
        return values, errors

    async def _with_variants(self, records: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
        """Endpoint rows with their variants' names. ListEndpoints does not say them, and the
        metrics are per variant: guessed as AllTraffic, an endpoint whose variant has another
        name always showed 0 errors. One ListMetrics (a few pages for the whole region) names
        them all, kept for VARIANTS_TTL; a row it does not know keeps the AllTraffic guess."""
        now = time.monotonic()
        if self._variants_at is None or now - self._variants_at > VARIANTS_TTL:
            found: dict[str, set[str]] = {}
            params: dict[str, Any] = {"Namespace": "AWS/SageMaker", "MetricName": "Invocation5XXErrors"}
            try:
                for _ in range(5):
                    answer = await self.cloudwatch.call("ListMetrics", params)
                    for metric in answer.get("Metrics") or []:
                        dims = {d.get("Name"): d.get("Value") for d in metric.get("Dimensions") or []}
                        if dims.get("EndpointName") and dims.get("VariantName"):
                            found.setdefault(str(dims["EndpointName"]), set()).add(str(dims["VariantName"]))
                    token = answer.get("NextToken")
                    if not token:
                        break
                    params = {**params, "NextToken": token}
            except AwsError:
                log.info("ListMetrics failed: the 5XX column guesses variants", exc_info=True)
            self._variants = {name: sorted(names) for name, names in found.items()}
            self._variants_at = now
        out: dict[str, Mapping[str, Any]] = {}
        for key, record in records.items():
            names = self._variants.get(str(record.get("EndpointName", "")))
            if names and not record.get("ProductionVariants"):
                record = {**record, "ProductionVariants": [{"VariantName": n} for n in names]}
            out[key] = record
        return out

    def metrics_feed(
        self, tick: Callable[[], Coroutine[Any, Any, list[MetricSeries]]], on_report: Callable[[MetricsReport], None]
    ) -> MetricsFeed:
        """A started feed calling ``tick`` (one of the two methods above) at the slow poll rate."""
        feed = MetricsFeed(tick, on_report, self.poll_settings)
        feed.start()
        return feed

    async def timeline(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
    ) -> Timeline:
        """``record``'s history, newest first: see :mod:`smtui.service.timeline`."""
        return await gather_timeline(self.sagemaker, self.journal, self.scope, rtype, record, list_params)

    def console_url(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
    ) -> handoff.ConsoleLink:
        """The resource's page in the SageMaker console."""
        return handoff.console_url(self.target, rtype, record, list_params)

    async def ssm_command(self, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> str:
        """``aws ssm start-session`` for a HyperPod node (reads the cluster's ARN for its id)."""
        cluster = record.get("ClusterName") or (list_params or {}).get("ClusterName")
        group, node = record.get("InstanceGroupName"), record.get("InstanceId")
        if not (cluster and group and node):
            raise ValueError("a HyperPod node needs its cluster, instance group and instance id")
        arn = str(record.get("ClusterArn") or "")
        if not arn:
            arn = str((await self.sagemaker.call("DescribeCluster", {"ClusterName": cluster})).get("ClusterArn", ""))
        return handoff.ssm_command(self.target, arn, str(group), str(node))

    async def _bundle_logs(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None
    ) -> dict[str, list[str]]:
        """The last lines of each of the resource's log streams, as the bundle prints them; a
        logs failure (AccessDenied on logs:) is said in the bundle, which keeps the rest."""
        try:
            found = await self.logs.last_lines_of(rtype, record, list_params, per_stream=bundle.LOG_LINES)
        except AwsError as error:
            return {"logs not gathered": [str(error)]}
        return {stream: [format_line(line, streams=False) for line in lines] for stream, lines in found.items()}

    async def write_bundle(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        *,
        logs: Mapping[str, Sequence[str]] | None = None,
    ) -> Path:
        """Write the incident bundle of ``record`` and return its path (see
        :mod:`smtui.service.bundle`). ``logs``: stream -> last lines, from the logs view."""
        detail = await self.describe(rtype, record, list_params)
        timeline = await self.timeline(rtype, {**record, **detail}, list_params)
        try:
            series = await self.metrics(rtype, {**record, **detail})
        except AwsError:
            series = []  # no cloudwatch: permissions: the bundle still has the rest
        if logs is None and rtype.logs is not None:
            logs = await self._bundle_logs(rtype, {**record, **detail}, list_params)
        title = f"{rtype.title} {rtype.key_of(record, dict(list_params or {}))}"
        return bundle.write_bundle(
            title=title,
            describe=detail,
            timeline=timeline,
            metrics=series,
            logs=logs,
            target=f"{self.target.label} · {self.target.region}",
        )
