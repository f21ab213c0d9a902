"""The :class:`Service`: every call the UI needs, behind one object with no Textual in it.

The UI holds one Service for the life of the app. It owns the SageMaker client of the current
target (rebuilt by :meth:`Service.retarget`), builds the pollers, and answers list, describe,
jump, burning and action requests. Errors arrive as :class:`~smtui.aws.errors.AwsError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import botocore.session

from smtui.aws.client import READ_TIMEOUT, SageMaker, Target
from smtui.aws.model import enum_values, member_shape, operation
from smtui.aws.validation import validate
from smtui.catalog import Catalog, Jump, ResourceType, default_catalog
from smtui.config import PollSettings, Settings, UsageError, check_region
from smtui.forms.actions import actions_for
from smtui.live import BurningReport, Failure, Poller, PollStatus, SageMakerSource, Update, gather_burning
from smtui.service import actions
from smtui.service.actions import ActionPlan, Outcome, Refusal
from smtui.service.jumps import JumpResult, resolve_jump


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
        """Close the client (at exit)."""
        await self.sagemaker.close()

    # ------------------------------------------------------------ switching
    @staticmethod
    def known_profiles() -> list[str]:
        """The profiles in the user's AWS config, sorted."""
        return sorted(botocore.session.Session().available_profiles)

    def check_profile(self, profile: str | None) -> str | None:
        """What is wrong with switching to ``profile``, or None."""
        known = self.known_profiles()
        if not profile:
            return "usage: :profile NAME (known: " + (", ".join(known) or "none") + ")"
        if self.demo:
            return "the demo has one account; profiles apply to real AWS"
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
        """Point every later call at ``target``. Returns the closing of the old client, to await."""
        old = self.sagemaker
        self.sagemaker = SageMaker(target, read_timeout=self.read_timeout)
        return old.close()

    # ------------------------------------------------------------ live
    def poller(
        self,
        on_result: Callable[[Update], None],
        on_status: Callable[[PollStatus], None],
        on_failure: Callable[[Failure], None],
    ) -> Poller:
        """A started poller for one view, on the current client and the configured pace."""
        poller = Poller(
            SageMakerSource(self.sagemaker),
            self.poll_settings,
            on_result=on_result,
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
        """Every page of ``rtype``'s list, as it arrives (across parents when fanning out)."""
        for call in await self.parent_params(rtype, params):
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
            shape = member_shape(input_shape, "NameContains")
            if shape is None:
                return {"NameContains": text}, ""
            limit = shape.metadata.get("max")
            if isinstance(limit, int) and len(text) > limit:
                return {}, f"filtering here only: server names ≤{limit} chars"
            # Checked against the model before sending: a refused filter would only come back
            # as an error (and a retry) for something the client can filter by itself.
            problems = validate({"NameContains": text}, input_shape)
            if any(p.path[:1] == ("NameContains",) for p in problems):
                return {}, "filtering here only: the server refuses these characters"
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

    def action_available(self, rtype: ResourceType, verb: str) -> bool:
        """Whether ``verb`` is offered for ``rtype`` now (never in read-only mode)."""
        if self.read_only:
            return False
        if verb == "menu":
            return bool(actions_for(rtype, read_only=False))
        return rtype.action(verb) is not None

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
    ) -> Outcome:
        """Send one change under the write policy (:mod:`smtui.service.actions`).

        Submits are numbered per resource: when a newer one to the same resource starts
        before this one ends, this outcome is marked ``superseded`` (its failure is history).
        """
        key = (rtype.name if rtype is not None else op, name or op)
        number = self._submits.get(key, 0) + 1
        self._submits[key] = number
        outcome = await actions.submit(self.sagemaker, op, params, name, rtype=rtype, progress=progress)
        if self._submits.get(key) != number:
            outcome = dataclasses.replace(outcome, superseded=True)
        return outcome

    async def submit_batch(self, plan: ActionPlan) -> Outcome:
        """Send a batch node operation in the chunks the API allows."""
        return await actions.submit_batch(self.sagemaker, plan)
