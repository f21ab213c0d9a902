"""The write workflow without a screen: from a verb on a record to the call's outcome.

A change goes: **plan** (which operation, its form definition, the name the user confirms,
the form model prefilled from the record; or a refusal that says why) -> the UI shows the
form, the preview and the confirmation the plan asks for -> **submit** (the call) ->
:class:`Outcome` (what happened, worded for the user) -> the UI hands the resource to the
poller. Screens only render those states; everything decided here is tested without Textual.

Sending policy (a write is never sent twice by accident):

- Mutating calls go out with botocore's retries off (:mod:`smtui.aws.client`).
- Where the input has an idempotency token (``ClientToken``, ``ClientRequestToken``), it is
  filled once per submit, so resending the same request is safe: a transport failure is
  then retried, with the same token.
- A **throttle** is a refusal before processing: it is retried with jittered backoff, at most
  :data:`ATTEMPTS` times in all, and the progress line says so each time it really retries.
- A failure whose **fate is unknown** (read timeout, dropped connection, 5xx) is never resent
  without a token. The outcome says "not known whether X was applied", and the workflow looks
  at the target (describe) to say what actually happened.
- A failure **before sending** (no connection, read-only, bad parameters) says it was not sent.
- "SageMaker refused" is said only when SageMaker itself answered no.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import AwsError, NotFound, Throttled
from smtui.aws.model import is_mutating, operation
from smtui.aws.validation import validate_operation
from smtui.catalog import ResourceType
from smtui.catalog.status import has_ended
from smtui.forms.actions import batch_ids, chunked, confirm_name, merge_responses, resolve_operation
from smtui.forms.curated import FormDef, form_def
from smtui.forms.drafts import DraftKey
from smtui.forms.model import Change, FormModel
from smtui.forms.preview import cli_command

Severity = Literal["information", "warning", "error"]
State = Literal["applied", "refused", "not-sent", "unknown"]

ATTEMPTS = 3
"""Sends of one submit at most: only throttles, or transport failures with a token, repeat."""
RECHECK_SECONDS = 2.0
"""After a failure of unknown fate, how long to wait before looking at the target again."""


@dataclass(frozen=True)
class Refusal:
    """An action that cannot start here, and why (shown in the status area)."""

    message: str
    severity: Severity = "warning"


@dataclass
class ActionPlan:
    """Everything the UI needs to run one action.

    ``show_form`` is False when the record already supplies the whole input (a plain delete):
    the UI goes straight to the confirmation. ``batch_ids`` is set for batch node operations
    (the marked rows, or the selected one).
    """

    rtype: ResourceType
    op: str
    definition: FormDef
    name: str
    model: FormModel
    show_form: bool
    title: str
    batch_ids: list[str] = field(default_factory=list)
    draft_key: DraftKey = field(default_factory=lambda: DraftKey("Unknown"))
    """Where this form's draft lives: profile, region, operation and the target's identity."""

    @property
    def is_batch(self) -> bool:
        """A batch node operation, sent in chunks."""
        return self.definition.batch is not None

    def batch_requests(self) -> list[dict[str, Any]]:
        """One request per chunk the API allows."""
        assert self.definition.batch is not None
        member, size = self.definition.batch
        return [{**self.model.request(), member: chunk} for chunk in chunked(self.batch_ids, size)]


@dataclass(frozen=True)
class Outcome:
    """What a submit did. ``ok`` with the ``response``, or the ``error``; ``message`` says it.

    ``state``: ``applied``, ``refused`` (SageMaker said no), ``not-sent`` (it never left), or
    ``unknown`` (nobody can say; ``message`` reports what a look at the target showed).
    ``sends`` counts the requests this submit made.
    """

    op: str
    ok: bool
    message: str
    response: dict[str, Any] | None = None
    error: AwsError | None = None
    state: State = "applied"
    sends: int = 1
    superseded: bool = False
    """A newer submit to the same resource started while this one was in flight."""


def not_now(rtype: ResourceType, op: str, record: Mapping[str, Any] | None) -> str | None:
    """Why ``op`` does not apply to ``record`` in its current status, or None when it may.

    SageMaker refuses to stop what has already ended (a Failed job, a Completed execution);
    saying so before a confirmation saves a refused call, and keeps the action menu honest.
    """
    if record is None or not op.startswith("Stop"):
        return None
    status = rtype.status_of(record)
    if status is None:
        return None
    if has_ended(status):
        return f"it is {status}: {op} only applies while it runs"
    if status.lower().startswith("stopping"):
        return f"it is already {status}"
    return None


def plan_action(
    target: Target,
    rtype: ResourceType,
    verb_or_op: str,
    record: Mapping[str, Any] | None,
    list_params: Mapping[str, Any] | None,
    marked: Sequence[Mapping[str, Any]] = (),
) -> ActionPlan | Refusal:
    """Plan ``verb_or_op`` (a verb of ``rtype`` or an operation name) on ``record``."""
    op = resolve_operation(rtype, verb_or_op)
    if op is None:
        return Refusal(f"{rtype.title} has no action {verb_or_op!r}")
    if target.read_only and is_mutating(op):
        # The AWS layer refuses too; saying so here avoids a form the user cannot submit.
        return Refusal(f"read-only mode: {op} is not offered")
    definition = form_def(op)
    name = confirm_name(rtype, definition, record, list_params)
    if (reason := not_now(rtype, op, record)) is not None:
        return Refusal(f"{name or rtype.title}: {reason}")
    model = FormModel(op, definition)
    title = op + (f" · {name}" if name and not op.startswith("Create") else "")
    if definition.batch is not None:
        ids = batch_ids(list(marked) or ([record] if record else []), definition.marked_from)
        if not ids:
            return Refusal("mark nodes with Space first (or select one)")
        model.prefill(record, list_params, from_record=False)
        return ActionPlan(rtype, op, definition, name, model, False, title, ids)
    model.prefill(record, list_params)
    if not op.startswith("Create"):
        model.lock(identity_members(rtype, model, record, list_params, name))
    show_form = definition.form if definition.form is not None else not model.is_complete_without_input()
    return ActionPlan(rtype, op, definition, name, model, show_form, title, draft_key=draft_key(target, op, model))


def identity_members(
    rtype: ResourceType,
    model: FormModel,
    record: Mapping[str, Any] | None,
    list_params: Mapping[str, Any] | None,
    name: str,
) -> list[str]:
    """The input members that name the target: prefilled with its key, describe request or
    parent (``InferenceComponentName``, ``ClusterName``). They are frozen in the form."""
    names: set[str] = {name} if name else set()
    if record:
        with contextlib.suppress(Exception):  # a record without its key cannot name anything
            names.update(str(v) for v in rtype.describe_request(record, list_params).values() if v)
    names.update(str(v) for v in (list_params or {}).values() if isinstance(v, str) and v)
    return [m for m in model.prefilled if isinstance(model.state.get(m), str) and model.state[m] in names]


def draft_key(target: Target, op: str, model: FormModel) -> DraftKey:
    """The draft of this form: per profile, region, operation and (for all but creates) target."""
    identity = ",".join(f"{m}={model.locked[m]}" for m in sorted(model.locked))
    return DraftKey(op, profile=target.label, region=target.region, target=identity)


def cli_for(target: Target, op: str, params: Mapping[str, Any]) -> str:
    """The same request as an ``aws sagemaker … --cli-input-json`` command, for this target."""
    return cli_command(op, dict(params), region=target.region, profile=target.profile, endpoint_url=target.endpoint_url)


def token_member(op: str) -> str | None:
    """The input member SageMaker uses to deduplicate retries of ``op``, if it has one."""
    shape = operation(op).input_shape
    if shape is None:
        return None
    return next((name for name, member in shape.members.items() if member.metadata.get("idempotencyToken")), None)


def with_token(op: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with the idempotency token filled (kept if the user gave one)."""
    out = dict(params)
    member = token_member(op)
    if member is not None and not out.get(member):
        out[member] = str(uuid.uuid4())
    return out


def _word(op: str, error: AwsError) -> str:
    """The first line of a failed write, by what became of the request."""
    if error.delivery == "not-sent":
        return f"{op} not sent: {error}"
    if error.delivery == "unknown":
        return f"not known whether {op} was applied: {error.message}"
    return f"SageMaker refused {op}: {error}"


async def submit(
    sagemaker: SageMaker,
    op: str,
    params: Mapping[str, Any],
    name: str = "",
    *,
    rtype: ResourceType | None = None,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    rng: random.Random | None = None,
    changes: Sequence[Change] = (),
) -> Outcome:
    """Send one change under the policy in the module docstring, and word its outcome.

    ``rtype`` is the type of the target, used to look at it when the fate is unknown and to
    say where the change will show. ``progress`` hears each step ("throttled: retrying in 2s
    (send 2 of 3)", "checking…"). ``changes`` (an update form's current → new) are repeated
    in the success message, so the user reads what was asked of SageMaker.
    """
    say = progress or (lambda _text: None)
    rng = rng or random.Random()
    request = with_token(op, params)
    safe_to_resend = token_member(op) is not None
    sends = 0
    while True:
        sends += 1
        try:
            response = await sagemaker.call(op, request)
        except AwsError as exc:
            error = exc
        else:
            return Outcome(op, True, applied_message(op, name, rtype, changes), response=response, sends=sends)
        retry = isinstance(error, Throttled) or (error.delivery == "unknown" and safe_to_resend)
        if retry and sends < ATTEMPTS:
            delay = min(8.0, rng.uniform(1.0, 2.0**sends))
            reason = "throttled" if isinstance(error, Throttled) else error.message
            say(f"{op}: {reason}; retrying in {delay:.0f}s (send {sends + 1} of {ATTEMPTS})")
            await sleep(delay)
            continue
        break
    if error.delivery != "unknown":
        state: State = "not-sent" if error.delivery == "not-sent" else "refused"
        message = _word(op, error)
        if isinstance(error, Throttled):
            message = f"SageMaker refused {op}: throttled after {sends} sends; it was not applied, try again shortly"
        return Outcome(op, False, message, error=error, state=state, sends=sends)
    say(f"not known whether {op} was applied: checking…")
    found = await _look(sagemaker, rtype, op, request, sleep)
    return Outcome(op, False, f"{_word(op, error)} — {found}", error=error, state="unknown", sends=sends)


async def _look(
    sagemaker: SageMaker,
    rtype: ResourceType | None,
    op: str,
    request: Mapping[str, Any],
    sleep: Callable[[float], Awaitable[Any]],
) -> str:
    """Describe the target after a failure of unknown fate, and say what it shows."""
    if rtype is None:
        return "look at the list to see"
    try:
        describe = rtype.describe_request(request)
    except Exception:
        return "look at the list to see"
    if not describe or not all(describe.values()):
        return "look at the list to see"
    for attempt in range(2):  # a slow server may still be applying it: look twice
        try:
            detail = await sagemaker.call(rtype.describe_op, describe)
        except NotFound:
            if attempt == 0:
                await sleep(RECHECK_SECONDS)
                continue
            gone = "it does not exist" if op.startswith("Create") else "it no longer exists"
            return f"checked: {gone}" + (" (not applied)" if op.startswith("Create") else "")
        except AwsError as exc:
            return f"could not check ({exc.message}); look at the list before resubmitting"
        status = rtype.status_of(detail)
        shown = f" ({status})" if status else ""
        if op.startswith("Create"):
            return f"checked: it exists{shown}, so it was applied; do not resubmit"
        return f"checked: it is now{shown or ' there'}; look before resubmitting"
    return "look at the list to see"


def applied_message(op: str, name: str, rtype: ResourceType | None, changes: Sequence[Change] = ()) -> str:
    """What an accepted change did and where it will show.

    SageMaker accepting a request is not the change being in place (a scale takes minutes),
    so the message says "accepted" and points at the view that will show it happen.
    """
    where = f": {name}" if name else ""
    said = f"{op} accepted{where}"
    if changes:
        shown = "; ".join(c.text() for c in changes[:3])
        more = f" (+{len(changes) - 3} more)" if len(changes) > 3 else ""
        said += f" · {shown}{more}"
    if rtype is None:
        return said
    view = f":{rtype.aliases[0]}" if rtype.aliases else rtype.title
    if op.startswith("Create"):
        return f"{said} · it appears in {view} as SageMaker creates it"
    if op.startswith("Delete"):
        return f"{said} · {view} shows it going, then gone"
    return f"{said} · {view} shows the status as SageMaker applies it"


async def submit_batch(sagemaker: SageMaker, plan: ActionPlan) -> Outcome:
    """Send a batch node operation chunk by chunk; stop at the first refusal and say how far it got."""
    responses: list[dict[str, Any]] = []
    requests = plan.batch_requests()
    total = len(plan.batch_ids)
    done = 0
    for params in requests:
        problems = validate_operation(plan.op, params)
        if problems:
            return Outcome(plan.op, False, f"{plan.op} not sent: {problems[0].path}: {problems[0].message}")
        try:
            responses.append(await sagemaker.call(plan.op, params))
        except AwsError as exc:
            merged = merge_responses(responses) if responses else None
            return Outcome(
                plan.op, False, f"{plan.op} failed after {done} of {total} node(s): {exc}", response=merged, error=exc
            )
        assert plan.definition.batch is not None
        done += len(params[plan.definition.batch[0]])
    merged = merge_responses(responses)
    failed = len(merged.get("Failed", []) or [])
    message = f"{plan.op}: {total - failed} node(s) accepted" + (f", {failed} failed" if failed else "")
    return Outcome(plan.op, True, message, response=merged)
