"""Validate request parameters against the constraints in botocore's service model.

botocore's own client-side validation checks only required members, types and minimums;
the service itself also enforces maximums, enums and patterns.  This module checks all of
them, so the app's forms and the local emulator reject exactly what SageMaker would, and
produce the same wording.  It reads the model through :mod:`smtui.aws.model` (one loader
for the whole app) and needs ``regex`` (some SageMaker patterns use Java classes such as
``\\p{L}`` that the stdlib ``re`` lacks).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from smtui.aws.model import operation

__all__ = [
    "Problem",
    "aws_message",
    "aws_path",
    "compiled_pattern",
    "validate",
    "validate_operation",
    "validate_output",
]

PathPart = str | int


@dataclass(frozen=True)
class Problem:
    """One constraint that a value breaks.

    ``path`` names members as in the model (``("Specification", "ComputeResourceRequirements",
    "MinMemoryRequiredInMb")``); list positions are 0-based ints.  ``message`` is short human
    text for a form; ``constraint`` is AWS's wording, used by :func:`aws_message`.
    """

    path: tuple[PathPart, ...]
    kind: str
    message: str
    constraint: str = ""
    value: Any = field(default=None, compare=False)

    def aws_text(self) -> str:
        """This problem in the words a SageMaker ValidationException uses."""
        value = "null" if self.value is None else f"'{_render(self.value)}'"
        return f"Value {value} at '{aws_path(self.path)}' failed to satisfy constraint: {self.constraint}"


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def aws_path(path: Sequence[PathPart]) -> str:
    """Render a path as AWS does: lowerCamelCase members, dotted, lists as ``name.N.member``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            # AWS counts list positions from 1 and follows them with ".member".
            parts.append(f"{part + 1}.member")
        else:
            parts.append(_lower_camel(part))
    return ".".join(parts)


def aws_message(problems: Sequence[Problem]) -> str:
    """Format problems the way SageMaker's ValidationException message does."""
    count = len(problems)
    noun = "validation error" if count == 1 else "validation errors"
    return f"{count} {noun} detected: " + "; ".join(p.aws_text() for p in problems)


@functools.cache
def compiled_pattern(pattern: str) -> regex.Pattern[str] | None:
    """Compile a model pattern, or None if ``regex`` cannot (e.g. UTF-16 surrogate ranges)."""
    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError):
        return None


def validate_operation(op_name: str, params: Mapping[str, Any]) -> list[Problem]:
    """Validate the input of a SageMaker operation such as ``CreateInferenceComponent``."""
    op = operation(op_name)
    if op.input_shape is None:
        return []
    return validate(params, op.input_shape)


def validate(params: Mapping[str, Any], shape: Any) -> list[Problem]:
    """Check ``params`` against a botocore structure shape and list every problem found."""
    problems: list[Problem] = []
    _check(params, shape, (), problems, False)
    return problems


def validate_output(response: Mapping[str, Any], shape: Any) -> list[Problem]:
    """Check a parsed response against an operation's output shape, as strictly as an input.

    The same constraints (required members, types, enums, patterns, lengths) hold for what
    SageMaker sends back; a timestamp must be one botocore parsed (a datetime) or epoch
    seconds off the wire, never free text. ``ResponseMetadata`` is botocore's, not the shape's.
    """
    problems: list[Problem] = []
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    _check(body, shape, (), problems, True)
    return problems


_INT_TYPES = ("integer", "long")
_WIRE_RANGE: dict[str, tuple[int, int]] = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}
_FLOAT_TYPES = ("float", "double")


def wire_range(type_name: str) -> tuple[int, int] | None:
    """The range an ``integer`` or ``long`` member can carry at all (signed 32 or 64 bits)."""
    return _WIRE_RANGE.get(type_name)


def _check(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem], output: bool) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(value, shape, path, out, output)
    elif kind == "list":
        _check_list(value, shape, path, out, output)
    elif kind == "map":
        _check_map(value, shape, path, out, output)
    elif kind == "string":
        _check_string(value, shape, path, out)
    elif kind in _INT_TYPES or kind in _FLOAT_TYPES:
        _check_number(value, shape, path, out)
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(_type_problem(path, value, "boolean"))
    elif kind == "timestamp":
        if not _is_timestamp(value, output):
            out.append(_type_problem(path, value, "timestamp"))
    elif kind == "blob" and not isinstance(value, bytes | bytearray | str):
        out.append(_type_problem(path, value, "blob"))


def _is_timestamp(value: Any, output: bool) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, _dt.datetime | int | float):
        return True
    if output:
        return False
    if isinstance(value, _dt.date):
        return True
    if isinstance(value, str):
        # What botocore would send: ISO 8601 or epoch seconds; "yesterday" is not a time.
        # Imported here: botocore.utils loads most of botocore, and forms import this module
        # before the first frame.
        from botocore.utils import parse_timestamp

        try:
            parse_timestamp(value)
        except (ValueError, OverflowError, TypeError):
            return False
        return True
    return False


def _type_problem(path: tuple[PathPart, ...], value: Any, expected: str) -> Problem:
    return Problem(
        path,
        "type",
        f"must be a {expected}",
        f"Member must be of type {expected}",
        value,
    )


def _check_structure(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem], output: bool) -> None:
    if not isinstance(value, Mapping):
        out.append(_type_problem(path, value, "structure"))
        return
    members: Mapping[str, Any] = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            out.append(Problem((*path, name), "required", "is required", "Member must not be null", None))
    for name, member_value in value.items():
        member_shape = members.get(name)
        if member_shape is None or member_value is None:
            continue
        _check(member_value, member_shape, (*path, name), out, output)


def _check_size(
    size: int, meta: Mapping[str, Any], path: tuple[PathPart, ...], value: Any, kind: str, unit: str
) -> Problem | None:
    low, high = meta.get("min"), meta.get("max")
    if isinstance(low, int) and size < low:
        return Problem(
            path,
            kind,
            f"must be at least {low} {unit}",
            f"Member must have length greater than or equal to {low}",
            value,
        )
    if isinstance(high, int) and size > high:
        return Problem(
            path,
            kind,
            f"must be at most {high} {unit}",
            f"Member must have length less than or equal to {high}",
            value,
        )
    return None


def _check_list(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem], output: bool) -> None:
    if not isinstance(value, list | tuple):
        out.append(_type_problem(path, value, "list"))
        return
    problem = _check_size(len(value), shape.metadata, path, value, "list-size", "items")
    if problem is not None:
        out.append(problem)
    for index, item in enumerate(value):
        if item is not None:
            _check(item, shape.member, (*path, index), out, output)


def _check_map(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem], output: bool) -> None:
    if not isinstance(value, Mapping):
        out.append(_type_problem(path, value, "map"))
        return
    problem = _check_size(len(value), shape.metadata, path, value, "list-size", "entries")
    if problem is not None:
        out.append(problem)
    for key, item in value.items():
        _check(key, shape.key, (*path, str(key)), out, output)
        if item is not None:
            _check(item, shape.value, (*path, str(key)), out, output)


def _check_string(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem]) -> None:
    if not isinstance(value, str):
        out.append(_type_problem(path, value, "string"))
        return
    meta = shape.metadata
    enum: Iterable[str] = meta.get("enum", ())
    allowed = list(enum)
    if allowed and value not in allowed:
        shown = ", ".join(allowed) if len(allowed) <= 12 else ", ".join(allowed[:12]) + ", …"
        out.append(
            Problem(
                path,
                "enum",
                f"must be one of: {shown}",
                "Member must satisfy enum value set: [" + ", ".join(allowed) + "]",
                value,
            )
        )
        return
    problem = _check_size(len(value), meta, path, value, "length", "characters")
    if problem is not None:
        out.append(problem)
        return
    pattern = meta.get("pattern")
    if isinstance(pattern, str):
        compiled = compiled_pattern(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            out.append(
                Problem(
                    path,
                    "pattern",
                    f"must match the pattern {pattern}",
                    f"Member must satisfy regular expression pattern: {pattern}",
                    value,
                )
            )


def _check_number(value: Any, shape: Any, path: tuple[PathPart, ...], out: list[Problem]) -> None:
    is_int = shape.type_name in _INT_TYPES
    ok = isinstance(value, int) if is_int else isinstance(value, int | float)
    if not ok or isinstance(value, bool):
        out.append(_type_problem(path, value, "integer" if is_int else "number"))
        return
    if not is_int and not math.isfinite(value):
        out.append(Problem(path, "type", "must be a finite number", "Member must be a finite number", value))
        return
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    # The wire type bounds every number, whatever the model says: SageMaker stores an
    # ``integer`` in 32 bits and a ``long`` in 64, and a larger value must be refused here,
    # with the limit named, not overflow somewhere downstream.
    wire_low, wire_high = _WIRE_RANGE.get(shape.type_name, (None, None))
    if wire_low is not None and (not isinstance(low, int | float) or low < wire_low):
        low = wire_low
    if wire_high is not None and (not isinstance(high, int | float) or high > wire_high):
        high = wire_high
    if isinstance(low, int | float) and value < low:
        out.append(
            Problem(
                path,
                "range",
                f"must be at least {low}",
                f"Member must have value greater than or equal to {low}",
                value,
            )
        )
    elif isinstance(high, int | float) and value > high:
        out.append(
            Problem(
                path,
                "range",
                f"must be at most {high}",
                f"Member must have value less than or equal to {high}",
                value,
            )
        )
