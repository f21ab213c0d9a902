"""The journal: every status change the pollers saw, kept so "when did this go Failed?" survives
a restart.

SageMaker keeps a history for few types (training jobs' SecondaryStatusTransitions, HyperPod
events); for the rest the only record of *when* an endpoint went Updating -> Failed is what a
poller saw. :class:`JournalRecorder` turns the pollers' keyed snapshots into transitions, and
:class:`Journal` appends them as JSON lines to ``state_dir()/journal.jsonl``: mode 0600 (the
names and reasons are the account's), bounded (past :data:`MAX_BYTES` the oldest half goes),
rewritten through a temporary file and a rename so a crash never leaves half a journal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from smtui.config import state_dir

log = logging.getLogger(__name__)

JOURNAL_NAME = "journal.jsonl"
MAX_BYTES = 1_000_000
"""The journal's size bound: about 5,000 transitions."""
GONE = "(deleted)"


@dataclass(frozen=True)
class Transition:
    """One status change of one resource, as a poller saw it."""

    at: dt.datetime
    scope: str
    """``profile/region``: the same name in another account is another resource."""
    type_name: str
    key: str
    old: str
    new: str
    reason: str = ""

    def as_json(self) -> str:
        return json.dumps(
            {
                "at": self.at.isoformat(),
                "scope": self.scope,
                "type": self.type_name,
                "key": self.key,
                "from": self.old,
                "to": self.new,
                "reason": self.reason,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, line: str) -> Transition | None:
        try:
            data = json.loads(line)
            at = dt.datetime.fromisoformat(str(data["at"]))
            return cls(
                at if at.tzinfo else at.replace(tzinfo=dt.UTC),
                str(data["scope"]),
                str(data["type"]),
                str(data["key"]),
                str(data.get("from", "")),
                str(data.get("to", "")),
                str(data.get("reason", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None  # a torn or foreign line: skipped, never fatal


def journal_path(base: Path | None = None) -> Path:
    return (base or state_dir()) / JOURNAL_NAME


def _open_private(path: Path, flags: int) -> int:
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # the mode argument is filtered by umask; this is not
    return fd


class Journal:
    """Append-only JSON lines, bounded, 0600. Thread-safe; errors are logged, never raised
    (a full disk must not take a view down)."""

    def __init__(self, path: Path | None = None, *, max_bytes: int = MAX_BYTES) -> None:
        self._path = path
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str, str], str] = {}

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = journal_path()
        return self._path

    def append(self, transitions: list[Transition]) -> list[Transition]:
        """Write ``transitions``, and return those written; past the bound, keep the newest half.

        A resource's move to the status it was last journalled in is not written again: the
        list and an open describe view each watch the endpoint, and one change is one line.
        """
        with self._lock:
            fresh = []
            for t in transitions:
                resource = (t.scope, t.type_name, t.key)
                if self._last.get(resource) != t.new:
                    self._last[resource] = t.new
                    fresh.append(t)
            if not fresh:
                return fresh
            data = "".join(t.as_json() + "\n" for t in fresh).encode("utf-8")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = _open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
                try:
                    os.write(fd, data)
                    size = os.fstat(fd).st_size
                finally:
                    os.close(fd)
                if size > self.max_bytes:
                    self._trim()
            except OSError as exc:
                log.warning("journal not written: %s", exc)
        return fresh

    def _trim(self) -> None:
        lines = self.path.read_bytes().splitlines(keepends=True)
        kept: list[bytes] = []
        size = 0
        for line in reversed(lines):
            if size + len(line) > self.max_bytes // 2:
                break
            kept.append(line)
            size += len(line)
        tmp = self.path.with_suffix(".jsonl.tmp")
        fd = _open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(reversed(kept))
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, self.path)

    def read(
        self, *, scope: str | None = None, type_name: str | None = None, key: str | None = None
    ) -> list[Transition]:
        """The transitions matching every filter given, oldest first."""
        with self._lock:
            try:
                text = self.path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return []
        out = []
        for line in text.splitlines():
            item = Transition.from_json(line)
            if item is None:
                continue
            if scope is not None and item.scope != scope:
                continue
            if type_name is not None and item.type_name != type_name:
                continue
            if key is not None and item.key != key:
                continue
            out.append(item)
        return out


class JournalRecorder:
    """Turns one poller's snapshots into transitions. The first snapshot of a watch is the
    baseline (nothing is news); after it, a status that moved, a resource that appeared and
    one that went are journalled."""

    def __init__(self, journal: Journal, scope: str) -> None:
        self.journal = journal
        self.scope = scope
        self._seen: dict[tuple[int, str], str] = {}
        self._baselined: set[int] = set()

    def baseline(self, watch_id: int, statuses: Mapping[str, str]) -> None:
        """What a view already showed when it handed a watch over (the poller's seed): the
        first poll diffs against it, so a change in that poll is news."""
        self._baselined.add(watch_id)
        for key, status in statuses.items():
            self._seen[(watch_id, key)] = status

    def observe(
        self,
        watch_id: int,
        type_name: str,
        statuses: Mapping[str, tuple[str, str]],
        complete: bool = True,
        now: dt.datetime | None = None,
    ) -> list[Transition]:
        """``statuses``: key -> (status, reason) of one watch's fresh snapshot. Returns (and
        writes) what changed since the last one."""
        at = now or dt.datetime.now(dt.UTC)
        first = watch_id not in self._baselined
        self._baselined.add(watch_id)
        found: list[Transition] = []
        for key, (status, reason) in statuses.items():
            old = self._seen.get((watch_id, key))
            self._seen[(watch_id, key)] = status
            if first or old == status or not status:
                continue
            found.append(Transition(at, self.scope, type_name, key, old or "", status, reason if status != old else ""))
        if complete and not first:
            for (wid, key), status in list(self._seen.items()):
                if wid == watch_id and key not in statuses:
                    del self._seen[(wid, key)]
                    found.append(Transition(at, self.scope, type_name, key, status, GONE))
        return self.journal.append(found)


def scope_of(profile: str, region: str) -> str:
    return f"{profile}/{region}"
