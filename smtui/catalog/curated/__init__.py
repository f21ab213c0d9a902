"""Curated overrides: the types an on-call engineer opens most, with hand-chosen columns,
short aliases and related jumps; plus structural fixes to a few derived types.

Keyed by List* operation. Column keys and jump paths are checked against the model by
``tests/unit/test_catalog.py``, so a typo here fails the tests rather than showing an empty
column. Source-path syntax (``<list>.``, ``A[].B``, ``:name``) is described in
:mod:`smtui.catalog.types`.
"""

from __future__ import annotations

from smtui.catalog.curated.serving import SERVING
from smtui.catalog.curated.studio import STUDIO
from smtui.catalog.curated.workloads import WORKLOADS
from smtui.catalog.derive import Curation


def _merge(*parts: dict[str, Curation]) -> dict[str, Curation]:
    merged: dict[str, Curation] = {}
    for part in parts:
        # A List* op curated in two modules would silently lose one entry.
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"curated twice: {sorted(clash)}")
        merged.update(part)
    return merged


CURATIONS: dict[str, Curation] = _merge(SERVING, WORKLOADS, STUDIO)

__all__ = ["CURATIONS"]
