"""The last draft of each form, so nothing typed is lost, even across a crash or restart.

One file per operation: ``state_dir()/drafts/<Operation>.json``, mode 0600 (drafts can hold
role ARNs, bucket names and environment values; the directory is 0700 too). Files are written
to a temporary name and renamed, so a crash mid-write never leaves half a draft.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtui.config import state_dir

_OP_NAME = re.compile(r"[A-Z][A-Za-z0-9]{1,99}")


@dataclass(frozen=True)
class Draft:
    """A saved form state: ``values`` is the JSON form state (see :mod:`smtui.forms`)."""

    operation: str
    values: dict[str, Any]
    saved_at: str
    context: str = ""

    @property
    def saved_label(self) -> str:
        """``2025-01-31 12:03`` in local time, for the form's hint line."""
        try:
            when = dt.datetime.fromisoformat(self.saved_at).astimezone()
        except ValueError:
            return self.saved_at
        return when.strftime("%Y-%m-%d %H:%M")


def drafts_dir(base: Path | None = None) -> Path:
    path = (base or state_dir()) / "drafts"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def draft_path(op_name: str, base: Path | None = None) -> Path:
    """Where the draft of ``op_name`` lives (the name is checked: it becomes a file name)."""
    if not _OP_NAME.fullmatch(op_name):
        raise ValueError(f"not an operation name: {op_name!r}")
    return drafts_dir(base) / f"{op_name}.json"


def save_draft(op_name: str, values: Mapping[str, Any], *, context: str = "", base: Path | None = None) -> Path:
    """Write the draft of ``op_name`` (replacing the previous one) with mode 0600."""
    path = draft_path(op_name, base)
    payload = {
        "operation": op_name,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(),
        "context": context,
        "values": values,
    }
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the mode argument is filtered by umask; this is not
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1, default=str)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path


def load_draft(op_name: str, *, base: Path | None = None) -> Draft | None:
    """The saved draft of ``op_name``, or None (also for an unreadable file: a draft is a convenience)."""
    try:
        path = draft_path(op_name, base)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, dict):
        return None
    return Draft(op_name, values, str(data.get("saved_at", "")), str(data.get("context", "")))


def delete_draft(op_name: str, *, base: Path | None = None) -> None:
    draft_path(op_name, base).unlink(missing_ok=True)
