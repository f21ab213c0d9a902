"""Turning API values into short cell text: ages, local times, statuses, counts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from smtui.text import printable

HEALTH_STYLES = {
    "failed": "failed",
    "transitional": "transitional",
    "healthy": "healthy",
    "unknown": "",
}
"""Health -> the role (in smtui.ui.theme.ROLES) its status is shown in; the theme gives it colour."""


def as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def age(value: Any, now: dt.datetime | None = None) -> str:
    """'42s', '3m', '5h', '12d' — the k9s AGE column."""
    when = as_datetime(value)
    if when is None:
        return ""
    now = now or dt.datetime.now(dt.UTC)
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        return "0s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def relative(value: Any, now: dt.datetime | None = None) -> str:
    text = age(value, now)
    return f"{text} ago" if text else ""


def local_time(value: Any) -> str:
    when = as_datetime(value)
    if when is None:
        return str(value)
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def timestamp(value: Any) -> str:
    """Local time plus relative: '2026-11-22 06:01:02 UTC (3m ago)'."""
    when = as_datetime(value)
    if when is None:
        return str(value)
    return f"{local_time(when)} ({relative(when)})"


"""C0 controls, DEL and C1 controls: ESC and CSI start terminal sequences, BEL rings, CR/LF break lines."""


def scalar(value: Any) -> str:
    """One-line, printable text for any JSON-ish value (what a generic column shows)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return age(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ",".join(scalar(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, default=str, separators=(",", ":"))  # ensure_ascii: escapes controls
    return printable(str(value))


def copies(desired: Any, current: Any) -> str:
    """Inference-component copies as 'current/desired' with a direction arrow while scaling."""
    if desired is None and current is None:
        return ""
    d = int(desired) if isinstance(desired, (int, float)) else None
    c = int(current) if isinstance(current, (int, float)) else None
    text = f"{'' if c is None else c}/{'' if d is None else d}"
    if d is not None and c is not None and c != d:
        text += " ▲" if d > c else " ▼"
    return text


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, default=_default, sort_keys=False)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small YAML writer (no PyYAML dependency) good enough to read a Describe response."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        if not value:
            return pad + "{}"
        for k, v in value.items():
            key = _yaml_key(k)
            if isinstance(v, (Mapping, list)) and v:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_yaml_scalar(v)}")
    elif isinstance(value, list):
        if not value:
            return pad + "[]"
        for item in value:
            if isinstance(item, (Mapping, list)) and item:
                body = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    else:
        lines.append(pad + _yaml_scalar(value))
    return "\n".join(lines)


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _yaml_string(str(value))


def _yaml_key(key: Any) -> str:
    return _yaml_string(str(key))


def _yaml_string(text: str) -> str:
    """Plain when safe, else a JSON string (valid YAML; escapes every control character)."""
    risky = any(c in text for c in ":#{}[],&*?|<>=!%@`\"'\n") or printable(text) != text
    if text == "" or risky or text.strip() != text:
        return json.dumps(text)
    return text
