"""The data types of the catalogue, and how source paths in them are read.

Paths
-----
Every "source path" in a :class:`ResourceType` or :class:`Jump` is read from a *record*: a
plain dict holding one list-summary item, merged with the Describe* response once the UI
has it. A path is

- ``A.B``        a dotted walk through nested dicts;
- ``A[].B``      a walk through a list, yielding a list of values;
- ``<list>.X``   the value of parameter ``X`` in the List* request that produced the row
                 (a child's parent name such as ``ClusterName``, or a value the user was asked
                 for such as ``JobCategory``). Summaries often omit it, the request never does;
- any of the above followed by ``:name``: the last ``/`` segment of an ARN (SageMaker names
  are the tail of their ARN), for the few places where the model only gives an ARN.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smtui.catalog.logs import LogSource, log_source
from smtui.catalog.status import classify_status

LIST_PREFIX = "<list>."
ARN_NAME_SUFFIX = ":name"

HEALTH_STATES = ("failed", "transitional", "healthy", "unknown")


def value_at(record: Mapping[str, Any] | None, dotted: str) -> Any:
    """Read ``A.B`` (a value) or ``A[].B`` (a flat list of values) from a nested record.

    Missing steps give None (or are skipped inside a list walk), never an exception: rows
    from the service omit optional members freely.
    """
    if record is None:
        return None
    steps = _steps(dotted)
    if len(steps) == 1 and not steps[0][1]:
        # Most columns name one member: read it without the walk (build_row reads five per
        # row, so at 50,000 rows this walk was a tenth of the list's UI time).
        return record.get(steps[0][0]) if isinstance(record, Mapping) else None
    current: Any = record
    is_list = False
    for part, listed in steps:
        if is_list:
            current = [item.get(part) for item in current if isinstance(item, Mapping)]
            current = [v for v in current if v is not None]
        else:
            current = current.get(part) if isinstance(current, Mapping) else None
        if listed:
            if is_list:
                current = [v for sub in current if isinstance(sub, list) for v in sub]
            else:
                current = list(current) if isinstance(current, list) else []
            is_list = True
        if current is None:
            return None
    return current


@functools.lru_cache(maxsize=4096)
def _steps(dotted: str) -> tuple[tuple[str, bool], ...]:
    """``"A[].B"`` -> ``(("A", True), ("B", False))``: each member and whether it is a list."""
    return tuple((raw.removesuffix("[]"), raw.endswith("[]")) for raw in dotted.split("."))


def arn_name(value: Any) -> Any:
    """The resource name at the end of an ARN (``.../training-session/abc`` -> ``abc``)."""
    if isinstance(value, str):
        return value.rsplit("/", 1)[-1]
    if isinstance(value, list):
        return [arn_name(v) for v in value]
    return value


def resolve(path: str, record: Mapping[str, Any] | None, list_params: Mapping[str, Any] | None = None) -> Any:
    """Read a source path (see the module docstring) from a record and its list request."""
    to_name = path.endswith(ARN_NAME_SUFFIX)
    if to_name:
        path = path.removesuffix(ARN_NAME_SUFFIX)
    if path.startswith(LIST_PREFIX):
        value = value_at(list_params, path.removeprefix(LIST_PREFIX))
    else:
        value = value_at(record, path)
    return arn_name(value) if to_name else value


@dataclass(frozen=True)
class Column:
    """One column of a list table.

    ``kind`` says how the UI renders it: ``text``; ``status`` (coloured by health);
    ``time`` (relative age); ``number``; ``copies`` (``key`` is the desired count and
    ``extra[0]`` the current one, shown ``current/desired``); ``counts`` (``key`` is a list of
    structures, ``extra`` = (current member, target member) summed over it, shown
    ``current/target``). ``from_describe`` marks keys that only the Describe* response
    carries, so the UI fills the cell after describing the row.
    """

    key: str
    title: str
    kind: str = "text"
    width: int | None = None
    extra: tuple[str, ...] = ()
    from_describe: bool = False
    drop: int | None = None
    """When a narrow terminal hides it: the highest rank drops first. None: by position (the
    rightmost first). NAME, STATUS and AGE never drop, whatever this says."""


@dataclass(frozen=True)
class Jump:
    """A related-resource jump from a record of one type to another type.

    Exactly one of ``list_params`` (list the target with server-side filters built from the
    source), ``describe_from`` (describe the target(s) named by a source path; a list value
    means several targets) or ``client_filter`` (list the target and keep items where every
    ``(target path, source path)`` pair is equal; a target path missing from the summary needs
    the target described first) drives it. ``when`` holds ``(source path, value)`` conditions;
    several jumps may share a key when their conditions are disjoint, and the first whose
    conditions hold wins.
    """

    key: str
    label: str
    target: str
    list_params: tuple[tuple[str, str], ...] = ()
    describe_from: str | None = None
    client_filter: tuple[tuple[str, str], ...] = ()
    when: tuple[tuple[str, str], ...] = ()

    def applies(self, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> bool:
        """Whether this jump's ``when`` conditions hold for ``record``."""
        return all(resolve(src, record, list_params) == value for src, value in self.when)

    def list_request(self, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The target List* parameters for a ``list_params`` jump (missing values left out)."""
        params = {param: resolve(src, record, list_params) for param, src in self.list_params}
        return {k: v for k, v in params.items() if v is not None}

    def describe_names(self, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> list[str]:
        """The target key(s) named by ``describe_from``, de-duplicated, in order."""
        if self.describe_from is None:
            return []
        value = resolve(self.describe_from, record, list_params)
        values = value if isinstance(value, list) else [value]
        return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))

    def matches(
        self,
        target: Mapping[str, Any],
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> bool:
        """Whether a target record passes this jump's ``client_filter`` for ``record``."""
        for target_path, source_path in self.client_filter:
            wanted = resolve(source_path, record, list_params)
            got = value_at(target, target_path)
            if wanted is None or got is None:
                return False
            wanted_set = set(wanted) if isinstance(wanted, list) else {wanted}
            got_set = set(got) if isinstance(got, list) else {got}
            if not wanted_set & got_set:
                return False
        return True


@dataclass(frozen=True)
class ParentSpec:
    """The type a child is listed under, and how the parent fills the child's List* call.

    ``params`` pairs (child list-op parameter, parent record path).
    """

    type_name: str
    params: tuple[tuple[str, str], ...]

    def list_request(self, parent: Mapping[str, Any]) -> dict[str, Any]:
        """The child List* parameters drawn from a parent record."""
        return {param: value_at(parent, path) for param, path in self.params}


FAILED_MEMBERS = "smtui:FailedMembers"
"""Record key (not a SageMaker member) for ``{group: failed count}`` of ``member_health``."""


def failed_members(row: Mapping[str, Any]) -> dict[str, int]:
    """``{group: failed count}`` counted into a row by the live source ({} when never counted)."""
    value = row.get(FAILED_MEMBERS)
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class ResourceType:
    """Everything the UI needs to list, describe, watch and act on one SageMaker resource type.

    ``describe_params`` pairs (Describe* input member, source path); a ``<list>.`` path reads
    the List* request (see the module docstring), and params whose value is missing are left
    out of the request (``DescribeApp`` takes a user profile *or* a space). ``required_inputs``
    are List* parameters neither a parent nor a default supplies: the UI must ask for them
    (their enum is in the model).
    """

    name: str
    title: str
    list_op: str
    describe_op: str
    items_key: str
    key_field: str
    arn_field: str | None
    describe_params: tuple[tuple[str, str], ...]
    status_field: str | None
    columns: tuple[Column, ...]
    aliases: tuple[str, ...]
    parent: ParentSpec | None
    transitional: frozenset[str]
    failed: frozenset[str]
    healthy: frozenset[str]
    server_filters: frozenset[str]
    jumps: tuple[Jump, ...]
    curated: bool
    actions: tuple[tuple[str, str], ...]
    group: str
    time_field: str | None
    required_inputs: tuple[str, ...] = ()
    list_defaults: tuple[tuple[str, str], ...] = ()
    """List* parameters always sent unless the caller sets them (``ModelPackageType=Both``:
    the API lists only unversioned packages by default, which hides every registered model)."""
    sort_by: str | None = None
    """The key of the column a list opens sorted by (nodes: status, so a failing node is on top)."""
    member_health: tuple[str, str] | None = None
    """(child type, grouping field) whose failed members count against a healthy-looking
    parent: a cluster is InService while one of its nodes fails, and the list must say which
    instance group. The live source counts them into :data:`FAILED_MEMBERS`."""

    def unhealthy(self, row: Mapping[str, Any]) -> bool:
        """Not healthy by its status, or holding a failed member (a cluster with a failed node)."""
        return self.health(self.status_of(row)) != "healthy" or any(failed_members(row).values())

    @property
    def logs(self) -> LogSource | None:
        """Where this type writes CloudWatch logs (:mod:`smtui.catalog.logs`), or None."""
        return log_source(self.name)

    def status_of(self, row: Mapping[str, Any]) -> str | None:
        """The row's status string, or None when the type has none or the row lacks it."""
        if self.status_field is None:
            return None
        value = value_at(row, self.status_field)
        return str(value) if value is not None else None

    def health(self, status: str | None) -> str:
        """Classify a status: ``failed``, ``transitional``, ``healthy`` or ``unknown``.

        A value newer than the installed model falls back to the shared vocabulary in
        :mod:`smtui.catalog.status`, so a new ``*Failed`` still shows red.
        """
        if status is None:
            return "unknown"
        if status in self.failed:
            return "failed"
        if status in self.transitional:
            return "transitional"
        if status in self.healthy:
            return "healthy"
        return classify_status(status)

    def key_of(self, row: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> str:
        """A stable identity for a row within its list.

        The row-sourced Describe* values joined with ``/``: exactly what names the resource,
        so it is unique even where ``key_field`` alone is not (apps are ``default`` in every
        user profile). For single-key types it equals the ``key_field`` value.
        """
        parts = [resolve(src, row, list_params) for _, src in self.describe_params if not src.startswith(LIST_PREFIX)]
        if len(parts) == 1:
            return "" if parts[0] is None else str(parts[0])
        if not parts:
            value = value_at(row, self.key_field)
            return "" if value is None else str(value)
        return "/".join("" if p is None else str(p) for p in parts)

    def describe_request(self, row: Mapping[str, Any], list_params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The Describe* parameters for a row (missing optional values left out)."""
        params = {param: resolve(src, row, list_params) for param, src in self.describe_params}
        return {k: v for k, v in params.items() if v is not None}

    def action(self, verb: str) -> str | None:
        """The operation behind ``verb`` (``delete`` -> ``DeleteEndpoint``), if the type has it."""
        return next((op for v, op in self.actions if v == verb), None)

    @property
    def all_names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)
