"""The catalogue: every resource type, looked up by name or alias, with fuzzy completion."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from smtui.catalog.curated import CURATIONS
from smtui.catalog.derive import derive_type, list_describe_pairs
from smtui.catalog.types import ResourceType


class Catalog:
    """An immutable set of resource types, indexed by canonical name and alias."""

    def __init__(self, types: Iterable[ResourceType]) -> None:
        self._types: dict[str, ResourceType] = {}
        self._index: dict[str, ResourceType] = {}
        for rtype in types:
            if rtype.name in self._types:
                raise ValueError(f"duplicate resource type {rtype.name!r}")
            self._types[rtype.name] = rtype
            for word in rtype.all_names:
                other = self._index.get(word.lower())
                if other is not None and other is not rtype:
                    raise ValueError(f"{word!r} names both {other.name!r} and {rtype.name!r}")
                self._index[word.lower()] = rtype

    def all(self) -> list[ResourceType]:
        """Every type, sorted by name."""
        return sorted(self._types.values(), key=lambda t: t.name)

    def curated(self) -> list[ResourceType]:
        """The hand-curated types, sorted by name."""
        return [t for t in self.all() if t.curated]

    def find(self, name_or_alias: str) -> ResourceType | None:
        """The type with this exact name or alias (case-insensitive), or None."""
        return self._index.get(name_or_alias.strip().lower())

    def get(self, name_or_alias: str) -> ResourceType:
        """Like :meth:`find`, but raise ``KeyError`` naming the closest matches."""
        found = self.find(name_or_alias)
        if found is None:
            hints = ", ".join(t.name for t in self.complete(name_or_alias, limit=3))
            hint = f"; did you mean {hints}?" if hints else ""
            raise KeyError(f"unknown resource type {name_or_alias!r}{hint}")
        return found

    def children_of(self, type_name: str) -> list[ResourceType]:
        """Types whose list call needs a record of ``type_name`` as parent."""
        return [t for t in self.all() if t.parent is not None and t.parent.type_name == type_name]

    def by_group(self) -> Mapping[str, list[ResourceType]]:
        """Types grouped for help and menus, curated first within a group."""
        groups: dict[str, list[ResourceType]] = {}
        for rtype in sorted(self.all(), key=lambda t: (not t.curated, t.name)):
            groups.setdefault(rtype.group, []).append(rtype)
        return groups

    def complete(self, text: str, limit: int = 10) -> list[ResourceType]:
        """Rank types for what the user typed after ``:``.

        Tiers: exact name/alias, then prefix of a name/alias, then substring, then a
        subsequence of a name, alias or title (``trn`` -> training). Within a tier the better
        subsequence score wins, then curated types, then the shorter name.
        """
        query = text.strip().lower()
        if not query:
            return [t for t in self.all() if t.curated][:limit]
        ranked: list[tuple[tuple[int, bool, float, int, str], ResourceType]] = []
        for rtype in self._types.values():
            best: tuple[int, float] | None = None
            for word in (*rtype.all_names, rtype.title.lower()):
                candidate = _match(query, word.lower())
                if candidate is not None and candidate[0] == 1 and len(word) <= 3:
                    # A short code ("trj") is not a better prefix match than a real word
                    # ("training"): rank it by the type's full name instead.
                    candidate = (1, float(len(rtype.name)))
                if candidate is not None and (best is None or candidate < best):
                    best = candidate
            if best is not None:
                tier, score = best
                # Within a tier the curated types people live in come first.
                ranked.append(((tier, not rtype.curated, score, len(rtype.name), rtype.name), rtype))
        ranked.sort(key=lambda pair: pair[0])
        return [rtype for _, rtype in ranked[:limit]]


def _match(query: str, word: str) -> tuple[int, float] | None:
    """(tier, -score) for ``query`` against one word; lower is better; None if no match."""
    if word == query:
        return (0, 0.0)
    if word.startswith(query):
        return (1, float(len(word)))
    if query in word:
        return (2, float(word.index(query)))
    score = _subsequence_score(query, word)
    return None if score is None else (3, -score)


def _subsequence_score(query: str, word: str) -> float | None:
    """Score ``query`` as a subsequence of ``word`` (fzf-style), or None if it is not one.

    Word starts score 3, consecutive letters 2, other letters 1; each extra letter in the
    word costs 0.1, so of two equally good matches the shorter word wins.
    """
    score = 0.0
    pos = -1
    for ch in query:
        found = word.find(ch, pos + 1)
        if found < 0:
            return None
        if found == 0 or word[found - 1] in "- ":
            score += 3
        elif found == pos + 1:
            score += 2
        else:
            score += 1
        pos = found
    return score - 0.1 * (len(word) - len(query))


def build_catalog() -> Catalog:
    """Derive every List*/Describe* pair from the model and apply the curated overrides."""
    pairs = list_describe_pairs()
    known = {list_op for list_op, _ in pairs}
    unknown = set(CURATIONS) - known
    if unknown:
        raise ValueError(f"curations for operations with no List/Describe pair: {sorted(unknown)}")
    return Catalog(derive_type(list_op, describe_op, CURATIONS.get(list_op)) for list_op, describe_op in pairs)


@functools.cache
def default_catalog() -> Catalog:
    """The catalogue for the installed botocore (built once)."""
    return build_catalog()
