"""Show the exact request before it is sent: as JSON, and as an AWS CLI command.

The command is ``aws sagemaker <kebab-op> --cli-input-json '<json>'``: it runs unchanged in a
shell (the JSON is quoted with :func:`shlex.quote`), so a user can paste it into a ticket, a
runbook or a terminal with other credentials. Timestamps become ISO 8601 strings, which the
CLI accepts for timestamp members.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shlex
from collections.abc import Mapping
from typing import Any

from botocore import xform_name

from smtui.text import UNSAFE_BEYOND_C0


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as ISO strings and bytes as base64 (what the CLI reads)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _json(value: Any, **options: Any) -> str:
    """JSON that keeps readable text (accents, CJK) as it is, with every unsafe character
    ``json`` leaves raw (it escapes only C0: DEL, C1 controls, bidi overrides, U+2028/2029)
    written as its ``\\uXXXX`` escape. Those characters only occur inside strings, so the JSON means exactly the same
    request; it is just safe to paint, and to paste into a shell or a ticket."""
    return UNSAFE_BEYOND_C0.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, **options))


def request_json(params: Mapping[str, Any]) -> str:
    """The request as indented JSON, for reading."""
    return _json(jsonable(params), indent=2)


def cli_name(op_name: str) -> str:
    """The CLI sub-command: ``CreateMlflowTrackingServer`` -> ``create-mlflow-tracking-server``.

    The CLI derives its names with the same botocore function.
    """
    return str(xform_name(op_name, "-"))


def cli_command(
    op_name: str,
    params: Mapping[str, Any],
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> str:
    """An ``aws sagemaker`` command equivalent to sending ``params`` to ``op_name``."""
    words = ["aws", "sagemaker", cli_name(op_name)]
    body = _json(jsonable(params), separators=(",", ":"))
    words += ["--cli-input-json", body]
    if region:
        words += ["--region", region]
    if profile:
        words += ["--profile", profile]
    if endpoint_url:
        words += ["--endpoint-url", endpoint_url]
    return " ".join(shlex.quote(w) for w in words)
