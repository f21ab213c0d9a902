"""Form state <-> request values.

State is plain JSON (see :mod:`smtui.forms`). :func:`build` turns it into request values and
reports what cannot be parsed as :class:`~smtui.aws.validation.Problem` objects at the same
paths the validator uses, so both kinds of problem land next to the same field.

Empty means unset: an empty text field, an empty structure or an empty list is left out of
the request. One exception keeps tags usable: a tag's ``Value`` may be length 0, so it is sent as ``""``
when its ``Key`` is set.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from smtui.aws.validation import Problem
from smtui.forms.fields import FieldSpec, Path


class _Unset:
    """The value of a field the user left empty (distinct from None, which JSON also has)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def parse_timestamp(raw: str) -> dt.datetime:
    """ISO 8601 (``Z`` or an offset; a naive time is UTC) or epoch seconds -> aware datetime."""
    text = raw.strip()
    try:
        seconds = float(text)
    except ValueError:
        parsed = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def parse_scalar(field: FieldSpec, raw: Any, path: Path) -> tuple[Any, Problem | None]:
    """Parse one scalar's state. Returns ``(UNSET, None)`` for an empty field."""
    kind = field.kind
    if kind == "boolean":
        return (raw, None) if isinstance(raw, bool) else (UNSET, None)
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and kind != "string"):
        return UNSET, None
    text = str(raw)
    if kind in ("string", "enum", "blob"):
        return (text, None) if text != "" else (UNSET, None)
    if kind == "integer":
        try:
            return int(text.strip().replace("_", "")), None
        except ValueError:
            return UNSET, Problem(path, "type", "must be a whole number", "Member must be of type integer", text)
    if kind == "float":
        try:
            value = float(text.strip())
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value, None
        return UNSET, Problem(path, "type", "must be a number", "Member must be of type number", text)
    if kind == "timestamp":
        try:
            return parse_timestamp(text), None
        except (ValueError, OverflowError, OSError):
            return UNSET, Problem(path, "type", "must be a time: 2025-01-31T12:00:00Z or epoch seconds", "", text)
    return text, None


def build(field: FieldSpec, state: Any, path: Path = ()) -> tuple[Any, list[Problem]]:
    """Build the request value of ``field`` from its state.

    Returns ``(value, problems)``; value is :data:`UNSET` when nothing was entered. A list
    item that is empty or unparsable is kept as ``None`` so later items keep their indexes
    (and their problems stay next to the right row); :func:`strip_placeholders` removes it.
    """
    problems: list[Problem] = []
    value = _build(field, state, path, problems)
    return value, problems


def _build(field: FieldSpec, state: Any, path: Path, out: list[Problem]) -> Any:
    kind = field.kind
    if field.is_scalar:
        value, problem = parse_scalar(field, state, path)
        if problem is not None:
            out.append(problem)
        return value
    if kind == "structure":
        if not isinstance(state, Mapping):
            return UNSET
        result: dict[str, Any] = {}
        for child in field.children:
            if child.name in state:
                value = _build(child, state[child.name], (*path, child.name), out)
                if value is not UNSET:
                    result[child.name] = value
        if result and set(field.shape.members) == {"Key", "Value"}:
            # A tag's Value may be "" (min 0): send it rather than report it missing. Only
            # tags: most SageMaker names also have min 0 in the model, yet "" is never meant.
            for child in field.children:
                raw = state.get(child.name)
                empty_ok = child.kind == "string" and not child.metadata.get("min")
                if child.required and child.name not in result and raw == "" and empty_ok:
                    result[child.name] = ""
        return result if result else UNSET
    if kind == "list":
        if not isinstance(state, list) or not state:
            return UNSET
        items: list[Any] = []
        for index, item_state in enumerate(state):
            before = len(out)
            value = _build(field.item, item_state, (*path, index), out)
            if value is UNSET:
                if len(out) == before:
                    out.append(Problem((*path, index), "required", "is empty: fill it in or remove it"))
                items.append(None)
            else:
                items.append(value)
        return items
    if kind == "map":
        return _build_map(field, state, path, out)
    return UNSET


def _build_map(field: FieldSpec, state: Any, path: Path, out: list[Problem]) -> Any:
    if not isinstance(state, list) or not state:
        return UNSET
    result: dict[str, Any] = {}
    for index, entry in enumerate(state):
        key_raw, value_state = (
            (entry[0], entry[1]) if isinstance(entry, list | tuple) and len(entry) == 2 else ("", None)
        )
        key = str(key_raw or "")
        value = _build(field.value, value_state, (*path, index), out)
        if key == "":
            if value is not UNSET:
                out.append(Problem((*path, index), "required", "the key is empty"))
            continue
        if key in result:
            out.append(Problem((*path, index), "duplicate", f"the key {key!r} appears twice"))
            continue
        result[key] = "" if value is UNSET and field.value.kind == "string" else value
    return result if result else UNSET


def strip_placeholders(value: Any) -> Any:
    """Drop the ``None`` list placeholders :func:`build` leaves (only present with problems)."""
    if isinstance(value, dict):
        return {k: strip_placeholders(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_placeholders(v) for v in value if v is not None]
    return value


def to_state(field: FieldSpec, value: Any) -> Any:
    """The state that shows ``value`` (from a record or a default) in ``field``.

    Members the input shape does not have are dropped (a Describe* response carries many),
    so an Update* form can be prefilled straight from the resource's record.
    """
    if value is None:
        return None
    kind = field.kind
    if kind == "structure":
        if not isinstance(value, Mapping):
            return None
        out: dict[str, Any] = {}
        for child in field.children:
            if child.name in value:
                child_state = to_state(child, value[child.name])
                if child_state is not None:
                    out[child.name] = child_state
        return out or None
    if kind == "list":
        if not isinstance(value, list | tuple):
            return None
        items = [to_state(field.item, v) for v in value]
        return [i for i in items if i is not None] or None
    if kind == "map":
        if not isinstance(value, Mapping):
            return None
        return [[str(k), to_state(field.value, v)] for k, v in value.items()] or None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "timestamp" and isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping | list):
        return None  # a record value of the wrong type: leave the field empty
    if kind == "enum" and str(value) not in field.enum:
        return None  # output enums are often wider than input ones (statuses, "Default")
    return str(value)
