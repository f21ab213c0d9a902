"""The last draft of each form, so nothing typed is lost, even across a crash or restart.

A draft belongs to one :class:`DraftKey`: the profile, the region, the operation and the
identity of the target resource. A draft of "scale sdxl-turbo-ic" is never offered on the
form that scales another component, nor in another account's region. One file per key:
``state_dir()/drafts/<Operation>.<hash>.json`` (``<Operation>.json`` for a key that is the
operation alone), mode 0600 (drafts can hold role ARNs, bucket names and environment values;
the directory is 0700 too). Files are written to a temporary name and renamed, so a crash
mid-write never leaves half a draft. Drafts older than :data:`MAX_AGE_DAYS` are pruned.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtui.config import private_dir, refuse_symlink, state_dir
from smtui.logs import redact_values

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OP_NAME = re.compile(r"[A-Z][A-Za-z0-9]{1,99}")
MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class DraftKey:
    """What a draft belongs to. ``target`` names the resource ("" for a create)."""

    operation: str
    profile: str = ""
    region: str = ""
    target: str = ""

    @property
    def scoped(self) -> bool:
        """Whether anything beyond the operation is in the key."""
        return bool(self.profile or self.region or self.target)

    def as_dict(self) -> dict[str, str]:
        return {"operation": self.operation, "profile": self.profile, "region": self.region, "target": self.target}


def _key(key: DraftKey | str) -> DraftKey:
    return key if isinstance(key, DraftKey) else DraftKey(key)


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
    return private_dir((base or state_dir()) / "drafts")


def draft_path(key: DraftKey | str, base: Path | None = None) -> Path:
    """Where the draft of ``key`` lives (the operation is checked: it becomes a file name)."""
    key = _key(key)
    if not _OP_NAME.fullmatch(key.operation):
        raise ValueError(f"not an operation name: {key.operation!r}")
    if not key.scoped:
        return drafts_dir(base) / f"{key.operation}.json"
    digest = hashlib.sha256("\0".join((key.profile, key.region, key.target)).encode()).hexdigest()[:16]
    return drafts_dir(base) / f"{key.operation}.{digest}.json"


def save_draft(key: DraftKey | str, values: Mapping[str, Any], *, context: str = "", base: Path | None = None) -> Path:
    """Write the draft of ``key`` (replacing the previous one) with mode 0600.

    :class:`~smtui.config.UnsafePath` (an OSError) if the draft or its temporary file is a
    symbolic link: the form says so and keeps what was typed.
    """
    key = _key(key)
    path = refuse_symlink(draft_path(key, base))
    payload = {
        **key.as_dict(),
        "saved_at": dt.datetime.now(dt.UTC).isoformat(),
        "context": context,
        "values": values,
    }
    tmp = refuse_symlink(path.with_suffix(".json.tmp"))
    # O_NOFOLLOW too: a link put there between the check and the open is not followed either.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the mode argument is filtered by umask; this is not
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # The credentials in use never reach a file, even pasted into a form field.
            handle.write(redact_values(json.dumps(payload, indent=1, default=str)))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path


def load_draft(key: DraftKey | str, *, base: Path | None = None) -> Draft | None:
    """The saved draft of ``key``, or None (also for an unreadable file or one that belongs to
    another key: a hash collision must not offer another resource's values)."""
    key = _key(key)
    try:
        path = draft_path(key, base)
        # Not through a link: a draft pointing at another file must not fill a form with it.
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        with os.fdopen(fd, encoding="utf-8") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    values = data.get("values")
    stored = {field: str(data.get(field, "") or "") for field in ("profile", "region", "target")}
    if not isinstance(values, dict) or stored != {k: v for k, v in key.as_dict().items() if k != "operation"}:
        return None
    return Draft(key.operation, values, str(data.get("saved_at", "")), str(data.get("context", "")))


def discard_draft(key: DraftKey | str, *, base: Path | None = None) -> None:
    """Forget the draft of ``key`` (after its submit succeeded)."""
    with contextlib.suppress(OSError):
        draft_path(key, base).unlink(missing_ok=True)


def prune_drafts(*, max_age_days: int = MAX_AGE_DAYS, base: Path | None = None, now: float | None = None) -> int:
    """Delete drafts not written for ``max_age_days``; returns how many went."""
    cutoff = (now if now is not None else dt.datetime.now(dt.UTC).timestamp()) - max_age_days * 86400
    removed = 0
    try:
        files = list(drafts_dir(base).glob("*.json"))
    except OSError:
        return 0
    for path in files:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed
