"""Following a related-resource jump: from one record to the resources a :class:`Jump` names.

What the UI gets back is a :class:`JumpResult`, a plain description of where to go (describe
one resource, open a list with parameters or a client-side match, or a message). Working it
out may take calls (describe the source when its summary lacks what the jump needs; describe
candidates when the target's list cannot filter on the field), so it lives here, not in a
screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from smtui.aws.client import SageMaker
from smtui.aws.errors import AwsError
from smtui.aws.model import summary_shape
from smtui.catalog import Catalog, Jump, ResourceType, resolve
from smtui.live.source import RowPredicate

MAX_JUMP_DESCRIBES = 200
"""Candidates described to follow a jump the target's list cannot filter (models by artifact)."""


@dataclass(frozen=True)
class JumpResult:
    """Where a jump leads.

    ``kind`` is ``describe`` (open ``rtype``'s describe view of ``record``), ``list`` (open the
    list of ``rtype`` with ``params``, ``match`` and ``keep``), or ``message`` (nothing to open:
    say ``message`` with ``severity``). ``context`` labels the list (the source's name).
    """

    kind: Literal["describe", "list", "message"]
    rtype: ResourceType | None = None
    record: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    match: dict[str, Any] = field(default_factory=dict)
    keep: RowPredicate | None = None
    context: str = ""
    message: str = ""
    severity: Literal["information", "warning", "error"] = "information"

    @classmethod
    def say(cls, message: str, severity: Literal["information", "warning", "error"] = "warning") -> JumpResult:
        """Nothing to open; tell the user why."""
        return cls("message", message=message, severity=severity)


def resolvable(jump: Jump, record: Mapping[str, Any], list_params: Mapping[str, Any]) -> bool:
    """Whether ``record`` already holds what ``jump`` needs (else describe the source first)."""
    if jump.describe_from is not None:
        return bool(jump.describe_names(record, list_params))
    if jump.list_params:
        return len(jump.list_request(record, list_params)) == len(jump.list_params)
    if jump.client_filter:
        return all(resolve(src, record, list_params) is not None for _, src in jump.client_filter)
    return True


async def resolve_jump(
    sagemaker: SageMaker,
    catalog: Catalog,
    source: ResourceType,
    jump: Jump,
    record: Mapping[str, Any],
    list_params: Mapping[str, Any],
    *,
    progress: Callable[[str], None] | None = None,
) -> JumpResult:
    """Work out where ``jump`` leads from ``record`` (of ``source``). Errors become messages."""
    record, list_params = dict(record), dict(list_params)
    label = source.key_of(record, list_params)
    if not resolvable(jump, record, list_params):
        # List summaries often lack what a jump needs (an endpoint's config name); describe first.
        try:
            detail = await sagemaker.call(source.describe_op, source.describe_request(record, list_params))
        except AwsError as error:
            return JumpResult.say(f"{jump.label}: {error}", "error")
        record = {**record, **detail}
    target = catalog.get(jump.target)
    if not jump.applies(record, list_params):
        return JumpResult.say(f"{jump.label} does not apply to {label}")
    if jump.describe_from is not None:
        return _named(target, jump.describe_names(record, list_params), label, f"{label} has no {jump.label.lower()}")
    if jump.list_params:
        return JumpResult("list", target, params=jump.list_request(record, list_params), context=label)
    if jump.client_filter:
        return await _client_filtered(sagemaker, target, jump, record, list_params, label, progress)
    return JumpResult("list", target, context=label)


def _named(target: ResourceType, names: list[str], label: str, none: str) -> JumpResult:
    if not names:
        return JumpResult.say(none)
    if len(names) == 1:
        return JumpResult("describe", target, record={target.key_field: names[0]})
    return JumpResult("list", target, match={target.key_field: names}, context=label)


async def _client_filtered(
    sagemaker: SageMaker,
    target: ResourceType,
    jump: Jump,
    record: dict[str, Any],
    list_params: dict[str, Any],
    label: str,
    progress: Callable[[str], None] | None,
) -> JumpResult:
    """``target`` filtered by a field its list summary may lack: describe candidates to compare."""
    summary = set(summary_shape(target.list_op).members)
    needs_describe = any(path.split(".")[0].removesuffix("[]") not in summary for path, _ in jump.client_filter)
    if not needs_describe:
        return JumpResult("list", target, keep=lambda item: jump.matches(item, record, list_params), context=label)
    if progress is not None:
        progress(f"finding {jump.label.lower()}…")
    names: list[str] = []
    described = 0
    try:
        async for page in sagemaker.pages(target.list_op):
            for item in page.items:
                if described >= MAX_JUMP_DESCRIBES:
                    break
                described += 1
                detail = await sagemaker.call(target.describe_op, target.describe_request(item))
                if jump.matches({**item, **detail}, record, list_params):
                    names.append(target.key_of(item))
            if described >= MAX_JUMP_DESCRIBES:
                break
    except AwsError as error:
        return JumpResult.say(f"{jump.label}: {error}", "error")
    return _named(target, names, label, f"no {jump.label.lower()} found for {label} (checked {described})")
