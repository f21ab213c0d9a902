"""The incident bundle: one Markdown file with what an on-call engineer pastes into a ticket.

It holds the redacted describe, the timeline, the current metric values and — when given —
the last lines of each log stream. It is written under ``state_dir()/incidents``, mode 0600
(the directory 0700), through a temporary file and a rename.

:func:`write_bundle` takes ``logs``, a mapping of stream name -> its last lines (at most
:data:`LOG_LINES` are kept per stream); ``Service.write_bundle`` gathers them from the logs
service. A type without logs, or a resource with no streams yet, says no lines were gathered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from smtui.config import state_dir
from smtui.logs import redact
from smtui.service.metrics import MetricSeries
from smtui.service.timeline import Timeline
from smtui.text import printable

LOG_LINES = 200
_SECRET_NAME = re.compile(r"(?i)secret|token|password|passwd|api_?key|access_?key|credential")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def incidents_dir(base: Path | None = None) -> Path:
    path = (base or state_dir()) / "incidents"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def redact_record(value: Any, key: str = "") -> Any:
    """``value`` with credential-looking strings replaced, and the values of environment
    variables whose names look secret (``HF_TOKEN``, ``DB_PASSWORD``) masked."""
    if isinstance(value, Mapping):
        return {
            k: ("<redacted>" if key == "Environment" and _SECRET_NAME.search(str(k)) else redact_record(v, str(k)))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_record(v, key) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def _fence(text: str) -> str:
    # A ``` inside the content would end the block early.
    return "```\n" + text.replace("```", "`\u200b``") + "\n```"


def render_bundle(
    *,
    title: str,
    describe: Mapping[str, Any],
    timeline: Timeline | None,
    metrics: Sequence[MetricSeries],
    logs: Mapping[str, Sequence[str]] | None = None,
    now: dt.datetime | None = None,
    target: str = "",
) -> str:
    """The bundle's Markdown."""
    at = now or dt.datetime.now(dt.UTC)
    out = [f"# Incident bundle: {printable(title)}", "", f"Written {at.isoformat(timespec='seconds')}"]
    if target:
        out[-1] += f" · {printable(target)}"
    body = json.dumps(redact_record(describe), indent=2, default=str, ensure_ascii=False)
    out += ["", "## Describe (redacted)", "", _fence(printable(body, keep_lines=True))]
    out += ["", "## Timeline (newest first)", ""]
    if timeline is None:
        out.append("_not gathered_")
    else:
        for name, error in timeline.errors.items():
            out.append(f"- _{printable(name)} could not be read: {printable(str(error))}_")
        if not timeline.entries:
            out.append("_no history recorded_")
        for entry in timeline.entries:
            reason = f" — {entry.reason}" if entry.reason else ""
            stamp = entry.at.astimezone(dt.UTC).isoformat(timespec="seconds")
            out.append(f"- {stamp} [{entry.level}] {entry.source}: {entry.change}{redact(reason)}")
    out += ["", "## Metrics (last hour, 1-minute points)", ""]
    if not metrics:
        out.append("_no metrics for this resource_")
    else:
        out += ["| metric | last | min | max |", "|---|---|---|---|"]
        for series in metrics:
            label = printable(series.query.label).replace("|", "\\|")
            out.append(
                f"| {label} | {series.text(series.last)} | {series.text(series.low)} | {series.text(series.high)} |"
            )
    out += ["", "## Logs", ""]
    if not logs:
        out.append("_no log lines were gathered_")
    else:
        for stream, lines in logs.items():
            tail = [redact(printable(line)) for line in list(lines)[-LOG_LINES:]]
            out += [f"### {printable(stream)} (last {len(tail)} lines)", "", _fence("\n".join(tail)), ""]
    return "\n".join(out).rstrip() + "\n"


def write_bundle(
    *,
    title: str,
    describe: Mapping[str, Any],
    timeline: Timeline | None,
    metrics: Sequence[MetricSeries],
    logs: Mapping[str, Sequence[str]] | None = None,
    target: str = "",
    base: Path | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Write the bundle (see :func:`render_bundle`) and return its path."""
    at = now or dt.datetime.now(dt.UTC)
    text = render_bundle(
        title=title, describe=describe, timeline=timeline, metrics=metrics, logs=logs, now=at, target=target
    )
    name = _SAFE_NAME.sub("_", title)[:80] or "resource"
    path = incidents_dir(base) / f"{at.strftime('%Y%m%dT%H%M%SZ')}-{name}.md"
    tmp = path.with_suffix(".md.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path
