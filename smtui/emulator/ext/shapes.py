"""Answers shaped as the operation's output model says: absent members left out.

moto and the extension's records often hold ``{}`` for a structure nobody set
(DataCaptureConfig, VpcConfig, StoppingCondition) and ``""`` for an ARN nobody has. The
model's structures have required members and its ARNs patterns, so an empty one is not a
value SageMaker could send: it sends nothing. This walks a serialized answer against the
output shape and drops exactly those members; a client then reads "absent", as from AWS.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.model import OperationNotFoundError

from smtui.aws.model import operation
from smtui.aws.validation import compiled_pattern

__all__ = ["prune_absent"]


def _empty_is_absent(value: Any, shape: Any) -> bool:
    if value == {} and shape.type_name == "structure":
        return bool(shape.required_members)
    if value == "" and shape.type_name == "string":
        meta = shape.metadata
        if int(meta.get("min", 0) or 0) > 0:
            return True
        pattern = meta.get("pattern")
        compiled = compiled_pattern(pattern) if isinstance(pattern, str) else None
        return compiled is not None and compiled.fullmatch("") is None
    return False


def _prune(value: Any, shape: Any) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        required = set(shape.required_members)
        for name in list(value):
            member = shape.members.get(name)
            if member is None:
                continue
            if name not in required and _empty_is_absent(value[name], member):
                del value[name]
            else:
                _prune(value[name], member)
    elif kind == "list" and isinstance(value, list):
        for item in value:
            _prune(item, shape.member)
    elif kind == "map" and isinstance(value, dict):
        for item in value.values():
            _prune(item, shape.value)


def prune_absent(action: str, body: str) -> str:
    """``body`` (a JSON answer to ``action``) without the empty members that mean absent."""
    try:
        shape = operation(action).output_shape
    except OperationNotFoundError:
        return body
    if shape is None:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    _prune(data, shape)
    return json.dumps(data)
