"""The field tree of a form, read lazily from a botocore input shape.

Shapes can be recursive (search expressions nest), and the big inputs (CreateCluster,
CreateTrainingJob) have hundreds of members, so children are only built when asked for:
a collapsed section costs nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smtui.aws.model import operation, strip_html
from smtui.aws.validation import wire_range

PathPart = str | int
Path = tuple[PathPart, ...]

SCALAR_KINDS = frozenset({"string", "enum", "integer", "float", "boolean", "timestamp", "blob"})

# Members the SDK fills in itself: asking a person for an idempotency token is noise.
AUTO_MEMBERS = frozenset({"ClientToken", "ClientRequestToken"})


@dataclass(frozen=True, eq=False)
class FieldSpec:
    """One field: a member of a structure, the item of a list, or a map's key/value.

    ``name`` is the member name (``"item"``/``"key"``/``"value"`` inside lists and maps);
    ``shape`` the botocore shape; ``order`` an optional preferred order of child members.
    """

    name: str
    shape: Any
    required: bool = False
    order: tuple[str, ...] = ()

    @functools.cached_property
    def kind(self) -> str:
        """``string enum integer float boolean timestamp blob structure list map``."""
        t = self.shape.type_name
        if t == "string":
            return "enum" if self.enum else "string"
        if t in ("integer", "long"):
            return "integer"
        if t in ("float", "double"):
            return "float"
        return str(t)

    @property
    def is_scalar(self) -> bool:
        return self.kind in SCALAR_KINDS

    @functools.cached_property
    def enum(self) -> tuple[str, ...]:
        return tuple(getattr(self.shape, "enum", None) or ())

    @property
    def is_tags(self) -> bool:
        """A list of ``{Key, Value}`` structures: shown as compact ``key = value`` rows."""
        if self.kind != "list":
            return False
        member = self.shape.member
        return member.type_name == "structure" and set(member.members) == {"Key", "Value"}

    @functools.cached_property
    def doc(self) -> str:
        """The member's documentation as plain text (botocore merges member-level docs in)."""
        return strip_html(getattr(self.shape, "documentation", "") or "")

    @property
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.shape.metadata
        return meta

    def limits(self) -> str:
        """A short summary of the model's limits: ``1–63 chars · [a-z]+`` or ``60–3600``."""
        meta = self.metadata
        low, high = meta.get("min"), meta.get("max")
        wire = wire_range(self.shape.type_name)
        if wire is not None:
            # The model leaves most integers open-ended, but the wire type is not: a hint of
            # "≥ 0" invited 99999999999999999999. Show the limit the value is checked against.
            low = wire[0] if low is None else low
            high = wire[1] if high is None else high
        parts: list[str] = []
        unit = {"string": " chars", "list": " items", "map": " entries"}.get(self.kind, "")
        if low is not None and high is not None:
            parts.append(f"{low}–{high}{unit}")
        elif low is not None and (low or self.kind not in ("string", "list", "map")):
            parts.append(f"≥ {low}{unit}")
        elif high is not None:
            parts.append(f"≤ {high}{unit}")
        if self.kind == "enum":
            parts.append(f"{len(self.enum)} choices")
        if self.kind == "timestamp":
            parts.append("ISO 8601 (2025-01-31T12:00:00Z) or epoch seconds")
        pattern = meta.get("pattern")
        if isinstance(pattern, str) and self.kind == "string":
            parts.append(f"pattern {pattern}")
        return " · ".join(parts)

    @functools.cached_property
    def children(self) -> tuple[FieldSpec, ...]:
        """A structure's members: curated order first, then required, then the rest."""
        if self.kind != "structure":
            return ()
        required = set(self.shape.required_members)
        names = [n for n in self.shape.members if n not in AUTO_MEMBERS or n in required]
        first = [n for n in self.order if n in names]
        rest = [n for n in names if n not in first]
        rest.sort(key=lambda n: 0 if n in required else 1)  # stable: model order within each group
        return tuple(FieldSpec(n, self.shape.members[n], n in required) for n in (*first, *rest))

    def child(self, name: str) -> FieldSpec | None:
        return next((c for c in self.children if c.name == name), None)

    @functools.cached_property
    def item(self) -> FieldSpec:
        """The item field of a list."""
        return FieldSpec("item", self.shape.member, True)

    @functools.cached_property
    def key(self) -> FieldSpec:
        """The key field of a map."""
        return FieldSpec("key", self.shape.key, True)

    @functools.cached_property
    def value(self) -> FieldSpec:
        """The value field of a map."""
        return FieldSpec("value", self.shape.value, True)

    def at(self, path: Sequence[PathPart]) -> FieldSpec | None:
        """The field at a *state* path (ints index list items and map entries)."""
        current: FieldSpec | None = self
        for part in path:
            if current is None:
                return None
            if current.kind == "structure" and isinstance(part, str):
                current = current.child(part)
            elif current.kind == "list" and isinstance(part, int):
                current = current.item
            elif current.kind == "map" and isinstance(part, int):
                current = current.value
            else:
                return None
        return current


def root_field(op_name: str, order: tuple[str, ...] = ()) -> FieldSpec:
    """The root structure field of an operation's input (an empty structure if it has none)."""
    shape = operation(op_name).input_shape
    return FieldSpec(op_name, shape if shape is not None else _EmptyShape(), True, order)


class _EmptyShape:
    """Stands in for operations without an input shape, so every form has a root structure."""

    type_name = "structure"
    members: dict[str, Any] = {}
    required_members: list[str] = []
    metadata: dict[str, Any] = {}
    documentation = ""
