"""Derive resource types from botocore's model, then apply curated overrides.

Every ``ListXs``/``DescribeX`` pair in the model becomes a :class:`ResourceType` with
defaults read from the shapes (items key, key field, ARN, status and its classes, columns,
filters, actions). A :class:`Curation` replaces any default it sets; adding a resource type
is one entry in :mod:`smtui.catalog.curated`, never a class.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smtui.aws import model
from smtui.catalog.status import split_statuses
from smtui.catalog.types import LIST_PREFIX, Column, Jump, ParentSpec, ResourceType

if TYPE_CHECKING:
    # The curated types import this module for Curation: loading botocore's model here would
    # put it on the path to the first frame, which needs no resource type yet.
    from botocore.model import StructureShape

# Members used, in order of preference, as the creation time for AGE and default sort.
_TIME_FIELDS = (
    "CreationTime",
    "CreatedAt",
    "CreateDate",
    "LaunchTime",
    "StartTime",
    "RegistrationTime",
    "EventTime",
)
_SCALAR_TYPES = frozenset({"string", "integer", "long", "boolean", "float", "double"})
# Long free text or links: useful in the describe view, too wide for a default column.
_NOISY = ("Description", "FailureReason", "Message", "Url", "Reason", "Keywords")
# Verbs shown first in menus; others follow alphabetically.
_VERB_ORDER = ("create", "update", "start", "stop", "delete")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@dataclass(frozen=True)
class Curation:
    """Hand-chosen overrides for one type; every ``None`` keeps the derived default.

    Status sets are *forced* classes: each listed value moves into that class, the rest of
    the enum keeps its derived class. ``aliases`` and ``extra_actions`` add to the derived ones.
    ``curated=False`` is for structural fixes (a parent, a describe mapping) to a type that
    keeps derived columns.
    """

    name: str | None = None
    title: str | None = None
    aliases: tuple[str, ...] = ()
    key_field: str | None = None
    arn_field: str | None = None
    describe_params: tuple[tuple[str, str], ...] | None = None
    status_field: str | None = None
    columns: tuple[Column, ...] | None = None
    parent: ParentSpec | None = None
    transitional: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()
    healthy: frozenset[str] = frozenset()
    jumps: tuple[Jump, ...] = ()
    group: str | None = None
    time_field: str | None = None
    extra_actions: tuple[tuple[str, str], ...] = ()
    curated: bool = True
    list_defaults: tuple[tuple[str, str], ...] = ()
    sort_by: str | None = None
    member_health: tuple[str, str] | None = None


def camel_words(noun: str) -> list[str]:
    """Split ``AIBenchmarkJobs`` into ``["AI", "Benchmark", "Jobs"]``."""
    return _CAMEL.findall(noun)


def kebab(noun: str) -> str:
    """``TrainingJobs`` -> ``training-jobs``."""
    return "-".join(w.lower() for w in camel_words(noun))


def _title(noun: str) -> str:
    words = camel_words(noun)
    out = [w if w.isupper() else (w.capitalize() if i == 0 else w.lower()) for i, w in enumerate(words)]
    return " ".join(out)


def list_describe_pairs() -> list[tuple[str, str]]:
    """Every (List*, Describe*) pair in the model (72 with botocore 1.43.117).

    ``ListXs`` and ``ListXes`` pair with ``DescribeX``, ``ListXies`` with ``DescribeXy``.
    """
    names = model.operation_names()
    pairs: list[tuple[str, str]] = []
    for list_op in sorted(n for n in names if n.startswith("List")):
        plural = list_op.removeprefix("List")
        candidates = []
        if plural.endswith("ies"):
            candidates.append(plural[:-3] + "y")
        if plural.endswith("es"):
            candidates.append(plural[:-2])
        if plural.endswith("s"):
            candidates.append(plural[:-1])
        for singular in candidates:
            if f"Describe{singular}" in names:
                pairs.append((list_op, f"Describe{singular}"))
                break
    return pairs


def _is(shape: StructureShape, path: str, *types: str) -> bool:
    member = model.member_shape(shape, path)
    return member is not None and member.type_name in types


def _status_field(summary: StructureShape, singular: str) -> str | None:
    for path in (
        f"{singular}Status",
        "Status",
        f"{singular}Status.Status",
        "Status.Status",
        "Status.PrimaryStatus",
    ):
        if _is(summary, path, "string"):
            return path
    # MlflowTrackingServer reports TrackingServerStatus: a tail of the singular noun.
    tails = [m for m in summary.members if m.endswith("Status") and singular.endswith(m.removesuffix("Status"))]
    return next((m for m in tails if m != "Status" and _is(summary, m, "string")), None)


def _describe_params(
    describe_op: str, summary: StructureShape, parent: ParentSpec | None
) -> tuple[tuple[str, str], ...]:
    """Map each required Describe* input to a summary member or to the parent's list param."""
    from_parent = {param for param, _ in parent.params} if parent else set()
    out: list[tuple[str, str]] = []
    for member in model.operation(describe_op).input_shape.required_members:
        if member in summary.members:
            out.append((member, member))
        elif member in from_parent:
            out.append((member, f"{LIST_PREFIX}{member}"))
        else:
            # MonitoringJobDefinitionName serves DescribeX(JobDefinitionName=...).
            suffixed = [m for m in summary.members if m.endswith(member)]
            if not suffixed:
                raise ValueError(f"{describe_op}: cannot source {member!r}; add a Curation")
            out.append((member, suffixed[0]))
    return tuple(out)


def _key_field(row_params: list[str], singular: str) -> str | None:
    """The row member that names the resource: ``<Singular>Name``-like first, then any name/id."""
    names = [p.removesuffix(":name") for p in row_params]
    ids = [p for p in names if p.endswith(("Name", "Id", "Arn"))]
    own = [p for p in ids if p.startswith(singular)]
    return next(iter(own or ids or names), None)


def _name_field(summary: StructureShape, key_field: str) -> str:
    """The human name to show: the key unless the key is an ARN/ID and a name exists."""
    if not key_field.endswith(("Arn", "Id")):
        return key_field
    stem = key_field.removesuffix("Arn").removesuffix("Id")
    for candidate in (f"{stem}Name", "Name"):
        if _is(summary, candidate, "string"):
            return candidate
    names = [m for m in summary.members if m.endswith("Name") and _is(summary, m, "string")]
    # An ID says more than some other resource's name (a cluster event is not its cluster).
    return names[0] if names and key_field.endswith("Arn") else key_field


def _default_columns(
    summary: StructureShape, key_field: str, status_field: str | None, time_field: str | None
) -> tuple[Column, ...]:
    name_field = _name_field(summary, key_field)
    cols = [Column(name_field, "NAME")]
    if status_field:
        cols.append(Column(status_field, "STATUS", "status"))
    has_name = name_field.endswith("Name") or name_field == "Name"
    used = {name_field, key_field, status_field, time_field}
    extra: list[Column] = []
    for member, shape in summary.members.items():
        if len(extra) == 3:
            break
        if member in used or shape.type_name not in _SCALAR_TYPES or any(n in member for n in _NOISY):
            continue
        if has_name and member.endswith(("Arn", "Id")):
            continue
        title = " ".join(w.upper() for w in camel_words(member)[-2:])
        kind = "number" if shape.type_name in ("integer", "long", "float", "double") else "text"
        extra.append(Column(member, title, kind))
    cols.extend(extra)
    if time_field:
        cols.append(Column(time_field, "AGE", "time"))
    return tuple(cols)


@functools.cache
def _mutating_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Split once: every derived type scans all ~230 mutating operations, and splitting them
    # again for each of the 72 types was half of the catalogue's build time at start-up.
    return tuple((op, tuple(camel_words(op))) for op in sorted(model.mutating_operations()))


def _actions(singular: str, plural: str) -> tuple[tuple[str, str], ...]:
    """(verb, op) for mutating ops named ``<Verb><Singular>`` or ``Batch<Verb><Plural>``."""
    found: dict[str, str] = {}
    for op, words in _mutating_words():
        if words[0] == "Batch":
            verb, noun = words[1], op.removeprefix("Batch" + words[1])
            ok = noun in (plural, singular)
        else:
            verb, noun = words[0], op.removeprefix(words[0])
            ok = noun == singular
        if ok:
            found.setdefault(verb.lower(), op)

    def order(verb: str) -> tuple[int, str]:
        return (_VERB_ORDER.index(verb) if verb in _VERB_ORDER else len(_VERB_ORDER), verb)

    return tuple((verb, found[verb]) for verb in sorted(found, key=order))


def _group(name: str) -> str:
    rules = (
        (("cluster", "compute-quota"), "HyperPod"),
        (("mlflow",), "MLflow"),
        (("monitoring", "quality", "bias", "explainability"), "Monitoring"),
        (("domain", "user-profile", "space", "app", "studio", "notebook", "code-repositor"), "Studio"),
        (
            ("endpoint", "inference", "model", "compilation", "optimization", "edge", "device", "ai-"),
            "Inference",
        ),
        (
            (
                "training",
                "tuning",
                "processing",
                "transform",
                "pipeline",
                "auto-ml",
                "algorithm",
                "job",
                "trial",
            ),
            "Training",
        ),
        (("experiment",), "Training"),
    )
    for needles, group in rules:
        if any(n in name for n in needles):
            return group
    return "Other"


def _aliases(name: str, singular_kebab: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    auto = (name.replace("-", ""), singular_kebab, singular_kebab.replace("-", ""))
    return tuple(dict.fromkeys(a for a in (*extra, *auto) if a != name))


def _force(
    derived: tuple[frozenset[str], frozenset[str], frozenset[str]], cur: Curation
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    forced = cur.transitional | cur.failed | cur.healthy
    transitional, failed, healthy = (s - forced for s in derived)
    return transitional | cur.transitional, failed | cur.failed, healthy | cur.healthy


def derive_type(list_op: str, describe_op: str, cur: Curation | None = None) -> ResourceType:
    """Build one :class:`ResourceType` from the model, with ``cur`` applied on top."""
    cur = cur or Curation(curated=False)
    plural = list_op.removeprefix("List")
    singular = describe_op.removeprefix("Describe")
    summary = model.summary_shape(list_op)
    name = cur.name or kebab(plural)

    describe_params = cur.describe_params or _describe_params(describe_op, summary, cur.parent)
    row_params = [src for _, src in describe_params if not src.startswith(LIST_PREFIX)]
    key_field = cur.key_field or _key_field(row_params, singular) or describe_params[0][1]
    arn_field = cur.arn_field
    if arn_field is None:
        for candidate in (f"{singular}Arn", "Arn", key_field.removesuffix("Name") + "Arn"):
            if _is(summary, candidate, "string"):
                arn_field = candidate
                break
    status_field = cur.status_field or _status_field(summary, singular)
    time_field = cur.time_field or next((t for t in _TIME_FIELDS if _is(summary, t, "timestamp")), None)
    enum = model.enum_values(model.member_shape(summary, status_field)) if status_field else ()
    transitional, failed, healthy = _force(split_statuses(enum), cur)

    parent_params = {param for param, _ in cur.parent.params} if cur.parent else set()
    required = tuple(p for p in model.required_list_params(list_op) if p not in parent_params)
    columns = cur.columns or _default_columns(summary, key_field, status_field, time_field)
    actions = dict(_actions(singular, plural))
    actions.update(dict(cur.extra_actions))

    return ResourceType(
        name=name,
        title=cur.title or _title(plural),
        list_op=list_op,
        describe_op=describe_op,
        items_key=model.list_items_key(list_op),
        key_field=key_field,
        arn_field=arn_field,
        describe_params=describe_params,
        status_field=status_field,
        columns=columns,
        aliases=_aliases(name, kebab(singular), cur.aliases),
        parent=cur.parent,
        transitional=transitional,
        failed=failed,
        healthy=healthy,
        server_filters=model.server_filters(list_op),
        jumps=cur.jumps,
        curated=cur.curated,
        actions=tuple(actions.items()),
        group=cur.group or _group(name),
        time_field=time_field,
        required_inputs=required,
        list_defaults=cur.list_defaults,
        sort_by=cur.sort_by,
        member_health=cur.member_health,
    )
