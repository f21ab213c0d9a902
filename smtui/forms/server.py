"""Tie a server rejection back to the fields it is about.

SageMaker's ValidationException says ``Value 'x' at 'specification.computeResourceRequirements
.minMemoryRequiredInMb' failed to satisfy constraint: ...`` (lowerCamelCase members, lists as
``name.N.member`` counted from 1). Other errors name a member in plain words ("Could not find
endpoint configuration" does not; "ExecutionRoleArn is not authorized" does). Both are turned
into :class:`~smtui.aws.validation.Problem` objects at request paths, like client problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from smtui.aws.errors import AwsError, ResourceConflict
from smtui.aws.validation import Problem
from smtui.forms.fields import FieldSpec, Path, PathPart

_AWS_PROBLEM = re.compile(
    r"Value (?:'(?P<value>.*?)'|(?P<null>null)) at '(?P<path>[^']+)' failed to satisfy constraint:\s*"
    r"(?P<constraint>.+?)(?=;\s*Value |$)",
    re.DOTALL,
)


def parse_aws_path(text: str, root: FieldSpec) -> Path | None:
    """``tags.1.member.key`` -> ``("Tags", 0, "Key")``; None when the path leaves the model."""
    parts = text.split(".")
    out: list[PathPart] = []
    spec = root
    i = 0
    while i < len(parts):
        part = parts[i]
        if spec.kind == "structure":
            child = next((c for c in spec.children if c.name.lower() == part.lower()), None)
            if child is None:
                return None
            out.append(child.name)
            spec = child
        elif spec.kind == "list":
            if not part.isdigit():
                return None
            out.append(int(part) - 1)
            if i + 1 < len(parts) and parts[i + 1] == "member":
                i += 1
            spec = spec.item
        elif spec.kind == "map":
            out.append(part)  # a map key; the model maps it to its entry
            spec = spec.value
        else:
            return None
        i += 1
    return tuple(out)


def _mentioned_member(message: str, root: FieldSpec, request: Mapping[str, Any]) -> str | None:
    """A top-level member named verbatim in the message, preferring ones the request sent."""
    names = sorted((c.name for c in root.children), key=len, reverse=True)
    for name in names:
        if re.search(rf"\b{re.escape(name)}\b", message):
            return name
    for name in names:
        value = request.get(name)
        quoted = (f"'{value}'", f'"{value}"')
        if isinstance(value, str) and len(value) > 2 and any(q in message for q in quoted):
            return name
    return None


def _names_value(message: str, value: Any) -> bool:
    return (
        isinstance(value, str)
        and bool(value)
        and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", message) is not None
    )


def name_member(root: FieldSpec) -> str | None:
    """The member that names the resource being created (``EndpointName``), if one does."""
    required = [c.name for c in root.children if c.required and c.kind == "string"]
    return next((n for n in required if n.endswith("Name")), None)


def problems_from_error(error: AwsError, root: FieldSpec, request: Mapping[str, Any]) -> list[Problem]:
    """Problems for each field the server's error is about; ``[]`` when it names none."""
    message = error.message
    found: list[Problem] = []
    for match in _AWS_PROBLEM.finditer(message):
        path = parse_aws_path(match.group("path"), root)
        if path is None:
            continue
        constraint = match.group("constraint").strip().rstrip(".")
        found.append(Problem(path, "server", f"rejected by SageMaker: {constraint}", constraint, match.group("value")))
    if found:
        return found
    member = _mentioned_member(message, root, request)
    if member is None and "already exist" in message.lower():
        # "Tracking server x already exists", "Cannot create already existing endpoint": the
        # name is what to change.
        name = name_member(root)
        if name is not None and (isinstance(error, ResourceConflict) or _names_value(message, request.get(name))):
            member = name
    if member is None:
        return []
    return [Problem((member,), "server", f"rejected by SageMaker: {message}", "", request.get(member))]
