"""The write workflow without a screen: from a verb on a record to the call's outcome.

A change goes: **plan** (which operation, its form definition, the name the user confirms,
the form model prefilled from the record; or a refusal that says why) -> the UI shows the
form, the preview and the confirmation the plan asks for -> **submit** (the call) ->
:class:`Outcome` (what happened, worded for the user) -> the UI hands the resource to the
poller. Screens only render those states; everything decided here is tested without Textual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import AwsError
from smtui.aws.model import is_mutating
from smtui.aws.validation import validate_operation
from smtui.catalog import ResourceType
from smtui.forms.actions import actions_for, batch_ids, chunked, confirm_name, merge_responses, resolve_operation
from smtui.forms.curated import FormDef, form_def
from smtui.forms.model import FormModel
from smtui.forms.preview import cli_command

Severity = Literal["information", "warning", "error"]


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
    """What a submit did. ``ok`` with the ``response``, or the ``error``; ``message`` says it."""

    op: str
    ok: bool
    message: str
    response: dict[str, Any] | None = None
    error: AwsError | None = None


def offered_actions(rtype: ResourceType, read_only: bool) -> list[tuple[str, str, str]]:
    """``(key, label, operation)`` of what can be done to ``rtype`` (the action menu)."""
    return actions_for(rtype, read_only)


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
    model = FormModel(op, definition)
    title = op + (f" · {name}" if name and not op.startswith("Create") else "")
    if definition.batch is not None:
        ids = batch_ids(list(marked) or ([record] if record else []), definition.marked_from)
        if not ids:
            return Refusal("mark nodes with Space first (or select one)")
        model.prefill(record, list_params, from_record=False)
        return ActionPlan(rtype, op, definition, name, model, False, title, ids)
    model.prefill(record, list_params)
    show_form = definition.form if definition.form is not None else not model.is_complete_without_input()
    return ActionPlan(rtype, op, definition, name, model, show_form, title)


def cli_for(target: Target, op: str, params: Mapping[str, Any]) -> str:
    """The same request as an ``aws sagemaker … --cli-input-json`` command, for this target."""
    return cli_command(op, dict(params), region=target.region, profile=target.profile, endpoint_url=target.endpoint_url)


async def submit(sagemaker: SageMaker, op: str, params: Mapping[str, Any], name: str = "") -> Outcome:
    """Send one request and word its outcome."""
    try:
        response = await sagemaker.call(op, params)
    except AwsError as exc:
        return Outcome(op, False, f"{op} failed: {exc}", error=exc)
    return Outcome(op, True, f"{op} sent" + (f": {name}" if name else ""), response=response)


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
