"""Keyed diffing of list results: which rows appeared, went away, or changed, and where.

The table rewrites only the cells that changed (a full redraw of a 2,000-row table on every
3-second poll would flicker over a slow SSH link), so the diff names changed fields as dotted
paths (``InstanceStatus.Status``) that the UI matches against its column keys with
:func:`touches`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Diff:
    """What changed between two keyed snapshots.

    ``added`` follows the new snapshot's order and ``removed`` the old one's, so the UI can
    append and delete in the order the service lists. ``changed`` maps a key present in both
    snapshots to the dotted paths whose values differ.
    """

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, set[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when nothing was added, removed or changed."""
        return not (self.added or self.removed or self.changed)

    def __bool__(self) -> bool:
        return not self.empty


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Dotted paths whose values differ between two records.

    Nested mappings are walked so that a change deep inside (``InstanceStatus.Status``) is
    reported precisely; anything else (lists included) compares as one value, because list
    members have no stable identity to pair them by. A member present on one side only
    counts as changed.
    """
    out: set[str] = set()
    for name in old.keys() | new.keys():
        path = f"{prefix}{name}"
        if name not in old or name not in new:
            out.add(path)
            continue
        before, after = old[name], new[name]
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            out |= changed_fields(before, after, path + ".")
        elif before != after:
            out.add(path)
    return out


def diff(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> Diff:
    """Compare two snapshots keyed by ``ResourceType.key_of`` (ARN or name)."""
    added = [key for key in new if key not in old]
    removed = [key for key in old if key not in new]
    changed: dict[str, set[str]] = {}
    for key, record in new.items():
        previous = old.get(key)
        if previous is None or previous is record:
            continue
        fields = changed_fields(previous, record)
        if fields:
            changed[key] = fields
    return Diff(added=added, removed=removed, changed=changed)


def _root(path: str) -> str:
    """The mapping-only prefix of a catalogue path: ``A[].B:name`` -> ``A``, ``A.B`` -> ``A.B``."""
    path = path.split(":", 1)[0]
    head, sep, _ = path.partition("[]")
    return head if sep else path


def touches(fields: Iterable[str], path: str) -> bool:
    """Whether a changed-field set affects a catalogue path (a column key, a status field).

    A change to ``InstanceStatus`` touches ``InstanceStatus.Status`` and vice versa; a change
    anywhere in a list touches every ``List[].Member`` path through it.
    """
    root = _root(path)
    return any(f == root or f.startswith(root + ".") or root.startswith(f + ".") for f in fields)
