""":class:`FormModel`: one operation's form: its state, prefill, problems and request.

The model is the single owner of what the user typed. Screens are views of it: a form
screen can be closed and reopened (after a server error, or to show the preview) and every
value is still here, because no widget holds the truth.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smtui.aws.errors import AwsError
from smtui.aws.validation import Problem, validate
from smtui.catalog import value_at
from smtui.forms.curated import FormDef, form_def
from smtui.forms.fields import FieldSpec, Path, PathPart, root_field
from smtui.forms.server import problems_from_error
from smtui.forms.values import UNSET, build, strip_placeholders, to_state


@dataclass(frozen=True)
class Change:
    """One leaf of the request that differs from what the form opened with.

    ``before``/``after`` are None where the member is absent (set for the first time, or
    cleared)."""

    path: str
    before: Any
    after: Any

    def text(self) -> str:
        """``DesiredRuntimeConfig.CopyCount: 4 → 6`` (``(unset)`` for an absent side)."""

        def shown(value: Any) -> str:
            if value is None:
                return "(unset)"
            if isinstance(value, str):
                return f'"{value}"'  # as typed: the screen escapes what cannot be painted
            return json.dumps(value, default=str, ensure_ascii=False)

        return f"{self.path}: {shown(self.before)} → {shown(self.after)}"


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted leaf paths of a request (``A.B``, ``Items[0].C``); lists of scalars stay whole."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
        out = {}
        for index, item in enumerate(value):
            out.update(_leaves(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


class FormModel:
    """The editable input of one SageMaker operation.

    ``state`` is the JSON form state (see :mod:`smtui.forms`); ``server_problems`` hold the
    last server rejection, tied to fields where its message names them, and ``server_error``
    the rejection itself (shown above the form when no field claims it).
    """

    def __init__(self, op_name: str, definition: FormDef | None = None) -> None:
        self.op = op_name
        self.definition = definition or form_def(op_name)
        self.root: FieldSpec = root_field(op_name, self.definition.order)
        self.state: dict[str, Any] = {}
        self.initial: dict[str, Any] = {}
        self.prefilled: set[str] = set()
        self.server_problems: list[Problem] = []
        self.server_error: AwsError | None = None
        self.locked: dict[str, Any] = {}
        """Top-level members that name the target resource (update, delete, scale…), with
        their state: they cannot be edited, and restoring a draft never changes them."""

    def lock(self, members: Sequence[str]) -> None:
        """Freeze ``members`` at their current (prefilled) state."""
        self.locked = {m: copy.deepcopy(self.state.get(m)) for m in members if self.state.get(m) not in (None, "")}

    def is_locked(self, path: Sequence[PathPart]) -> bool:
        """Whether ``path`` is (inside) a member that names the target."""
        return bool(path) and isinstance(path[0], str) and path[0] in self.locked

    # ----------------------------------------------------------------- setting values
    def get(self, path: Sequence[PathPart]) -> Any:
        """The state at ``path`` (None when absent); an int indexes a list item or map entry."""
        current: Any = self.state
        spec: FieldSpec | None = self.root
        for part in path:
            if spec is None:
                return None
            if isinstance(part, int):
                if not isinstance(current, list) or part >= len(current):
                    return None
                current = current[part]
                if spec.kind == "map":  # an entry is ``[key, value]``; the path means its value
                    current = current[1] if isinstance(current, list) and len(current) == 2 else None
                    spec = spec.value
                else:
                    spec = spec.item
            else:
                if not isinstance(current, dict):
                    return None
                current, spec = current.get(part), spec.child(part)
        return current

    def set(self, path: Sequence[PathPart], value: Any) -> None:
        """Set the state at ``path``, creating the containers on the way (never a locked one)."""
        if self.is_locked(path):
            return
        if not path:
            self.state = value if isinstance(value, dict) else {}
            self.state.update(copy.deepcopy(self.locked))
            return
        current: Any = self.state
        spec: FieldSpec | None = self.root
        for depth, part in enumerate(path):
            if spec is None:
                raise KeyError(f"{list(path)} is not a field of {self.op}")
            last = depth == len(path) - 1
            child: FieldSpec | None
            slot: PathPart
            if isinstance(part, int):
                is_map = spec.kind == "map"
                child = spec.value if is_map else spec.item
                holder, slot = (current[part], 1) if is_map else (current, part)
            else:
                child = spec.child(part)
                holder, slot = current, part
            if last:
                holder[slot] = value
                return
            if holder[slot] is None if isinstance(slot, int) else holder.get(slot) is None:
                holder[slot] = {} if child is not None and child.kind == "structure" else []
            current, spec = holder[slot], child

    def set_map_key(self, path: Sequence[PathPart], key: str) -> None:
        """Rename the map entry at ``path`` (which ends with the entry's index)."""
        entries = self.get(path[:-1])
        index = path[-1]
        if isinstance(entries, list) and isinstance(index, int) and index < len(entries):
            entries[index][0] = key

    def map_key(self, path: Sequence[PathPart]) -> str:
        entries = self.get(path[:-1])
        index = path[-1]
        if isinstance(entries, list) and isinstance(index, int) and index < len(entries):
            return str(entries[index][0] or "")
        return ""

    def add_item(self, path: Sequence[PathPart]) -> int:
        """Append an empty item to the list or map at ``path``; returns its index."""
        spec = self.root.at(tuple(path))
        items = self.get(path)
        if not isinstance(items, list):
            items = []
            self.set(path, items)
        if spec is not None and spec.kind == "map":
            items.append(["", None])
        elif spec is not None and spec.kind == "list" and spec.item.kind == "structure":
            items.append({})
        elif spec is not None and spec.kind == "list" and spec.item.kind in ("list", "map"):
            items.append([])
        else:
            items.append(None if spec is not None and spec.item.kind == "boolean" else "")
        return len(items) - 1

    def remove_item(self, path: Sequence[PathPart]) -> None:
        """Remove the list item or map entry at ``path`` (which ends with its index)."""
        items = self.get(path[:-1])
        index = path[-1]
        if isinstance(items, list) and isinstance(index, int) and index < len(items):
            del items[index]

    # ----------------------------------------------------------------- prefill
    def prefill(
        self,
        record: Mapping[str, Any] | None,
        list_params: Mapping[str, Any] | None = None,
        *,
        from_record: bool | None = None,
    ) -> None:
        """Fill defaults, then values from the selected resource, and remember the result.

        ``from_record`` (default: the definition's; true for all but Create*) copies every
        record member whose name the input shape shares; the definition's ``prefill`` pairs then
        map the members whose names differ
        (``InstanceGroups[].InstanceCount`` <- ``InstanceGroups[].TargetCount``).
        """
        for path, value in self.definition.defaults.items():
            self._fill(path, value)
        if from_record is None:
            from_record = self.definition.from_record
        source: dict[str, Any] = {**dict(list_params or {}), **dict(record or {})}
        if from_record and record:
            filled = to_state(self.root, source)
            if isinstance(filled, dict):
                self.state.update(filled)
                self.prefilled.update(filled)
        for target, src in self.definition.prefill:
            if src.startswith("<list>."):
                value = value_at(list_params, src.removeprefix("<list>."))
            else:
                value = value_at(record, src)
            if value is not None:
                self._fill(target, value, record=record, src=src)
        self.initial = copy.deepcopy(self.state)

    def _fill(self, target: str, value: Any, *, record: Mapping[str, Any] | None = None, src: str = "") -> None:
        """Set a dotted target path; ``A[].B`` <- ``C[].D`` copies element by element."""
        if "[]." in target and record is not None and "[]." in src:
            list_name, member = target.split("[].", 1)
            src_list, src_member = src.split("[].", 1)
            items = value_at(record, src_list) or []
            current = self.state.get(list_name)
            if not isinstance(current, list):
                current = [{} for _ in items]
                self.state[list_name] = current
            for index, item in enumerate(items):
                if index < len(current) and isinstance(current[index], dict) and isinstance(item, Mapping):
                    spec = self.root.at((list_name, 0, *member.split(".")))
                    item_value = value_at(item, src_member)
                    if spec is not None and item_value is not None:
                        _set_dotted(current[index], member, to_state(spec, item_value))
            self.prefilled.add(list_name)
            return
        parts = tuple(target.split("."))
        spec = self.root.at(parts)
        if spec is None:
            return
        self.set(parts, to_state(spec, value))
        self.prefilled.add(parts[0])

    # ----------------------------------------------------------------- state as a whole
    @property
    def changed(self) -> bool:
        """Whether the user changed anything since the form opened (or was prefilled)."""
        return _normal(self.state) != _normal(self.initial)

    @property
    def is_update(self) -> bool:
        """An update of an existing resource: its preview compares current with new."""
        return self.op.startswith("Update")

    def changes(self) -> list[Change]:
        """What this request changes against the values the form opened with (the resource's
        current ones, for an update form), leaf by leaf, in request order."""
        before, _ = build(self.root, self.initial)
        old = _leaves(strip_placeholders({} if before is UNSET else before))
        new = _leaves(self.request())
        paths = list(new) + [p for p in old if p not in new]
        return [Change(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p)]

    def load(self, state: Mapping[str, Any]) -> None:
        """Replace the state (restoring a draft); server problems no longer apply. The
        members that name the target keep their values: a draft never retargets a form."""
        self.state = copy.deepcopy(dict(state))
        self.state.update(copy.deepcopy(self.locked))
        self.server_problems, self.server_error = [], None

    # ----------------------------------------------------------------- requests and problems
    def _built(self) -> tuple[dict[str, Any], list[Problem]]:
        value, problems = build(self.root, self.state)
        return ({} if value is UNSET else value), problems

    def request(self) -> dict[str, Any]:
        """The request this state builds (placeholders for broken list items removed)."""
        params, _ = self._built()
        result: dict[str, Any] = strip_placeholders(params)
        return result

    def problems(self) -> list[Problem]:
        """Everything the client can tell is wrong: parse errors, then the model's limits.

        A value that did not parse is unset for the validator, which would then also call a
        required field missing; one message per field is enough, so those are dropped.
        """
        params, parse_problems = self._built()
        taken = {p.path for p in parse_problems}
        checked = validate(params, self.root.shape)
        return parse_problems + [p for p in checked if p.path not in taken]

    def state_path(self, problem_path: Sequence[PathPart]) -> Path:
        """Map a request path to a state path: map keys become entry indexes."""
        out: list[PathPart] = []
        spec: FieldSpec | None = self.root
        for part in problem_path:
            if spec is not None and spec.kind == "map" and isinstance(part, str):
                entries = self.get(tuple(out)) or []
                index = next((i for i, e in enumerate(entries) if str(e[0]) == part), 0)
                out.append(index)
                spec = spec.value
                continue
            out.append(part)
            spec = spec.at((part,)) if spec is not None else None
        return tuple(out)

    def problems_by_path(self) -> dict[Path, list[Problem]]:
        """Client and server problems grouped by state path (``()`` for the whole form)."""
        grouped: dict[Path, list[Problem]] = {}
        for problem in [*self.problems(), *self.server_problems]:
            grouped.setdefault(self.state_path(problem.path), []).append(problem)
        return grouped

    def set_server_error(self, error: AwsError) -> None:
        """Remember a server rejection, tied to fields where its message says which."""
        self.server_error = error
        self.server_problems = problems_from_error(error, self.root, self.request())

    def clear_server_error(self, paths: Iterable[Path] = ()) -> None:
        """Forget the server's complaint about ``paths`` (all of it when none are given)."""
        wanted = set(paths)
        if not wanted:
            self.server_problems, self.server_error = [], None
            return
        self.server_problems = [p for p in self.server_problems if self.state_path(p.path) not in wanted]

    def is_complete_without_input(self) -> bool:
        """Whether every input member was filled from the resource (a plain delete/stop/start)."""
        members = [c.name for c in self.root.children]
        return all(name in self.prefilled for name in members) and not self.problems()


def _set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    if value is not None:
        target[parts[-1]] = value


def _normal(state: Any) -> str:
    """A canonical text of a state, with empty values dropped, to compare two states."""

    def prune(value: Any) -> Any:
        if isinstance(value, dict):
            pruned = {k: prune(v) for k, v in value.items()}
            return {k: v for k, v in pruned.items() if v not in (None, "", {}, [])}
        if isinstance(value, list):
            return [prune(v) for v in value]
        return value

    return json.dumps(prune(state), sort_keys=True, default=str)
