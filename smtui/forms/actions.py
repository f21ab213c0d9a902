"""Which actions a resource type offers, on which keys, and the pure parts of running them.

Keys were chosen not to collide with the list screen (``j k g G h l d r y n N A S / : ?``,
Space, ``1``–``9``) nor with any jump key (lower-case letters): actions are capital letters,
plus ``ctrl+d`` for delete as in k9s. A verb without its own key is still reachable through
the action menu (``ACTION_MENU_KEY``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smtui.aws.model import is_mutating, operation_names
from smtui.catalog import ResourceType, value_at
from smtui.catalog.types import resolve
from smtui.forms.curated import FormDef

ACTION_MENU_KEY = "ctrl+x"
"""Opens a menu of every action the selected type offers (the keyless ones included)."""

ACTION_KEYS: dict[str, str] = {
    "create": "C",
    "update": "E",  # edit
    "update-software": "U",
    "delete": "ctrl+d",
    "stop": "X",
    "start": "T",
    "reboot": "B",
    "replace": "R",
    "scale": "W",  # copy count of an inference component
    "update-weights": "W",  # weights and capacities of an endpoint's variants
    "health-check": "H",
    "add": "I",
    "retry": "Y",
    "open-ui": "O",  # MLflow tracking servers and apps: a presigned URL to their UI
}

_LABELS = {"open-ui": "Open MLflow UI"}


def label_of(verb: str) -> str:
    """``update-software`` -> ``Update software``."""
    return _LABELS.get(verb) or verb.replace("-", " ").capitalize()


def is_presigned(op: str) -> bool:
    """Whether ``op`` mints a presigned URL (shown masked by its own screen, never a form)."""
    return op.startswith("CreatePresigned") or op.endswith("PresignedUrl")


def actions_for(rtype: ResourceType, read_only: bool) -> list[tuple[str, str, str]]:
    """``(key, label, operation)`` for each action of ``rtype``; none at all when read-only.

    ``key`` is ``""`` for a verb without a dedicated key (use the action menu).
    """
    if read_only:
        return []
    out: list[tuple[str, str, str]] = []
    for verb, op in rtype.actions:
        if is_mutating(op):
            out.append((ACTION_KEYS.get(verb, ""), label_of(verb), op))
    return out


def resolve_operation(rtype: ResourceType, verb_or_op: str) -> str | None:
    """The operation behind a verb of ``rtype`` or an operation name it (or the model) has."""
    op = rtype.action(verb_or_op)
    if op is not None:
        return op
    if verb_or_op in (o for _, o in rtype.actions) or verb_or_op in operation_names():
        return verb_or_op
    return None


def confirm_name(
    rtype: ResourceType,
    definition: FormDef,
    record: Mapping[str, Any] | None,
    list_params: Mapping[str, Any] | None,
) -> str:
    """What the user types to confirm a dangerous action: the resource's own name, or its
    qualified name (``d-1/alice/JupyterServer/default``) where the name alone is weak."""
    if definition.confirm_qualified:
        parts = (resolve(path, record, list_params) for path in definition.confirm_qualified)
        qualified = "/".join(str(v) for v in parts if v not in (None, ""))
        if qualified:
            return qualified
    if definition.confirm_from:
        value = resolve(definition.confirm_from, record, list_params)
        if value not in (None, ""):
            return str(value)
    if record:
        value = value_at(record, rtype.key_field)
        if value not in (None, "") and not str(value).startswith("arn:"):
            return str(value)
        return rtype.key_of(record, list_params)
    return ""


def batch_ids(rows: Iterable[Mapping[str, Any]], path: str) -> list[str]:
    """The values at ``path`` of the marked rows, de-duplicated, in order."""
    found = (value_at(row, path) for row in rows)
    return list(dict.fromkeys(str(v) for v in found if v not in (None, "")))


def chunked(items: Sequence[str], size: int) -> list[list[str]]:
    """``items`` in consecutive chunks of at most ``size`` (the API's per-call limit)."""
    return [list(items[i : i + size]) for i in range(0, len(items), max(size, 1))]


def merge_responses(responses: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """One response from several chunked calls: lists are concatenated, the rest kept last."""
    merged: dict[str, Any] = {}
    for response in responses:
        for key, value in response.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged
