"""Turning API values into short cell text: ages, local times, statuses, counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from smtui.config import split_scope
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


def clock() -> dt.datetime:
    """Now, for every age the UI paints: the one seam the snapshot tests freeze."""
    return dt.datetime.now(dt.UTC)


def age(value: Any, now: dt.datetime | None = None) -> str:
    """'42s', '3m', '5h', '12d' — the k9s AGE column."""
    when = as_datetime(value)
    if when is None:
        return ""
    now = now or clock()
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


def regions_label(regions: Sequence[str]) -> str:
    """``us-east-1,eu-west-1``; past three, ``34 regions`` (the header and crumb fit 80 columns).
    Scopes across profiles (``prod/us-east-1``) name their regions only: the profiles are
    said beside them."""
    names = list(dict.fromkeys(split_scope(r)[1] for r in regions))
    return ",".join(names) if len(names) <= 3 else f"{len(names)} regions"


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


# PyYAML's safe emitter, with strings that hold anything unsafe to paint double-quoted. A
# subclass of its own, so the representer below changes nobody else's SafeDumper.
_Dumper: Any = type("_Dumper", (yaml.SafeDumper,), {})


def _represent_str(dumper: Any, text: str) -> Any:
    # Double-quoted scalars are the one style where every character can be an escape: a
    # control or bidi character then reaches the screen as \x1b or \u202e, never raw.
    style = '"' if _UNSAFE.search(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_RAW_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What PyYAML's double-quoted style still writes raw (it is printable to YAML)."""


def _plain(value: Any) -> Any:
    """What safe_dump takes: dicts, lists, scalars; aware times in UTC (the same instant, and an
    offset such as +00:53:28 that YAML timestamps cannot say becomes +00:00)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo is not None else value
    if value is None or isinstance(value, (str, bool, int, float, bytes, dt.date)):
        return value
    return str(value)


def to_yaml(value: Any) -> str:
    """YAML through PyYAML's safe emitter, in the response's key order.

    Loading it gives back exactly what was dumped: strings such as "true", "123", "null",
    "yes", "2024-01-01" or "- x" are quoted as YAML needs, which a hand-written emitter got
    wrong (environment maps and hyperparameters are exactly such strings).
    """
    text = yaml.dump(
        _plain(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    # Only double-quoted scalars can hold these (see _represent_str), where \uXXXX is an escape.
    return str(_RAW_BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)).rstrip("\n")
