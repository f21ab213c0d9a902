"""Record families: SageMaker types moto lacks, each declared by one :class:`Family` row.

One generic List/Describe/Create/Delete path serves them all, and botocore's shapes drive
it: a record holds the full Describe* answer, a list item is that record cut down to the
members of the List* summary shape, a Create* stores the request members the Describe*
shape knows, and errors are the codes the operation declares. A family's rows therefore
cannot drift from what SageMaker answers: the shapes are the same ones the client parses.

Handlers are attached to :class:`RecordsMixin` as methods named after the operations
(``list_actions``), which is how moto dispatches ``SageMaker.ListActions``.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from moto.sagemaker.exceptions import ResourceInUseException

from smtui.aws.model import list_items_key, operation, summary_shape
from smtui.emulator.ext.base import ActionResult, ExtBase, ResourceNotFound, ValidationError
from smtui.emulator.ext.state import ExtState, Record, filter_sort, page, public, utcnow

__all__ = ["FAMILIES", "Family", "Parent", "RecordsMixin", "add_record", "family", "new_id", "project_page"]

Generator = Callable[[ExtState, Record], Any]


@dataclass(frozen=True)
class Parent:
    """The List* parameter that names a child's parent, and how to tell the parent exists."""

    param: str
    member: str
    exists: Callable[[ExtState, str], bool]
    label: str


@dataclass(frozen=True)
class Family:
    """How one record-only resource type is keyed, named, listed and created.

    ``keys`` pairs (Describe*/Delete* input member, record member); the optional ones (a
    version) narrow the match when given, and without them the record with the highest
    ``latest`` member answers. ``arn`` is the ARN's resource part, a template filled from
    the record (``action/{ActionName}``), or a whole ARN template; ``wrap`` is the
    Describe* output member that holds the record (``Workteam``) when the answer is not
    the record itself.
    """

    kind: str
    list_op: str
    describe_op: str
    keys: tuple[tuple[str, str], ...]
    name_key: str
    arn_key: str | None
    arn: str | None = None
    status_key: str | None = None
    created_key: str = "CreationTime"
    wrap: str | None = None
    parent: Parent | None = None
    create_op: str | None = None
    delete_op: str | None = None
    ready: str | None = None
    latest: str | None = None
    generated: tuple[tuple[str, Generator], ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def record_shape(self) -> Any:
        """The structure shape a record follows (the Describe* output, or its wrapped member)."""
        shape = operation(self.describe_op).output_shape
        return shape.members[self.wrap] if self.wrap else shape

    @property
    def required_keys(self) -> tuple[str, ...]:
        required = operation(self.describe_op).input_shape.required_members
        return tuple(param for param, _ in self.keys if param in required)


FAMILIES: dict[str, Family] = {}
"""Every record family, by kind."""


def family(fam: Family) -> Family:
    """Register a family (its handlers are attached to :class:`RecordsMixin`)."""
    FAMILIES[fam.kind] = fam
    _attach(fam)
    return fam


def _store_key(fam: Family, rec: Mapping[str, Any]) -> str:
    return "\x1f".join(str(rec.get(member, "")) for _, member in fam.keys)


def _project(rec: Mapping[str, Any], shape: Any) -> Record:
    """The record's members that ``shape`` declares (the serializer would drop the rest)."""
    members = shape.members
    return {k: v for k, v in public(rec).items() if k in members}


def project_page(list_op: str, records: Sequence[Record], params: Mapping[str, Any]) -> ActionResult:
    """One page of ``records``, each cut down to ``list_op``'s summary shape."""
    items, token = page(records, params)
    summary = summary_shape(list_op)
    return ActionResult({list_items_key(list_op): [_project(r, summary) for r in items], "NextToken": token})


def _declares(op_name: str, code: str) -> bool:
    return any(err.name == code for err in operation(op_name).error_shapes)


def _not_found(op_name: str, what: str) -> Exception:
    """The not-found error ``op_name`` declares: ResourceNotFound, else ValidationException."""
    if _declares(op_name, "ResourceNotFound"):
        return ResourceNotFound(message=f"{what} does not exist.")
    return ValidationError(message=f"Could not find {what}.")


def _label(fam: Family) -> str:
    return fam.describe_op.removeprefix("Describe")


def add_record(state: ExtState, fam: Family, fields: Mapping[str, Any], *, op: str | None = None) -> Record:
    """Store a new record (the Create* handler and the demo seed both come here)."""
    now = utcnow()
    members = fam.record_shape.members
    rec: Record = {}
    if fam.created_key in members:
        rec[fam.created_key] = now
    for key in ("LastModifiedTime", "LastModifiedAt"):
        if key in members:
            rec[key] = now
    if fam.status_key and fam.ready:
        rec[fam.status_key] = fam.ready
    rec.update({k: copy.deepcopy(v) for k, v in fam.defaults.items()})
    summary = _summary(fam).members
    unknown: list[str] = []
    for key, value in fields.items():
        if not key.startswith("_"):
            shape = members.get(key) or summary.get(key)
            unknown += [key] if shape is None else _unknown(value, shape, key)
    if unknown:
        # A seed with a misspelt member would otherwise lose it silently at serialization.
        raise ValueError(f"{fam.kind} has no member {', '.join(unknown)}")
    rec.update({k: v for k, v in fields.items() if v is not None})
    for member, make in fam.generated:
        if rec.get(member) is None:
            rec[member] = make(state, rec)
    if fam.arn_key and fam.arn and not rec.get(fam.arn_key):
        rec[fam.arn_key] = _format_arn(state, fam.arn, rec)
    store = state.store(fam.kind)
    key = _store_key(fam, rec)
    if key in store:
        message = f"{_label(fam)} {rec.get(fam.name_key)} already exists."
        if op is None or _declares(op, "ResourceInUse"):
            raise ResourceInUseException(message=message)
        raise ValidationError(message=message)
    store[key] = rec
    return rec


def _format_arn(state: ExtState, template: str, rec: Mapping[str, Any]) -> str:
    """``template`` filled from the record: a resource part (``action/{ActionName}``) in this
    account and region, or a whole ARN (``arn:aws:iam::{account}:...``) where the model's
    pattern for the member says the ARN has another service or no region."""
    if template.startswith("arn:"):
        return template.format_map({**rec, "account": state.account_id, "region": state.region})
    resource, _, tail = template.format_map(rec).partition("/")
    return state.arn(resource, tail)


def _unknown(value: Any, shape: Any, path: str) -> list[str]:
    """The paths inside ``value`` that ``shape`` has no member for."""
    out: list[str] = []
    if shape.type_name == "structure" and isinstance(value, Mapping):
        for key, item in value.items():
            member = shape.members.get(key)
            out += [f"{path}.{key}"] if member is None else _unknown(item, member, f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for item in value:
            out += _unknown(item, shape.member, f"{path}[]")
    elif shape.type_name == "map" and isinstance(value, Mapping):
        for item in value.values():
            out += _unknown(item, shape.value, f"{path}{{}}")
    return out


def _summary(fam: Family) -> Any:
    return summary_shape(fam.list_op)


def _find(state: ExtState, fam: Family, params: Mapping[str, Any], op: str) -> Record:
    """The record a Describe*/Delete* request names, or the error ``op`` declares."""
    wanted = [(member, params[param]) for param, member in fam.keys if params.get(param) is not None]
    found = [r for r in state.store(fam.kind).values() if all(str(r.get(m)) == str(v) for m, v in wanted)]
    if not found:
        name = "/".join(str(v) for _, v in wanted)
        raise _not_found(op, f"{_label(fam)} {name}")
    if fam.latest:
        latest = fam.latest
        return max(found, key=lambda r: r.get(latest) or 0)
    return found[-1]


_PAGING = frozenset({"NextToken", "MaxResults", "SortBy", "SortOrder"})


def _list_params(fam: Family, params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalise one List* request to the vocabulary of :func:`filter_sort`.

    ``XNameContains`` becomes ``NameContains``, ``XStatusEquals``/``Status`` become
    ``StatusEquals``, ``Created*``/``CreationTime*`` bounds the creation time, and any other
    parameter naming a record member (``DeviceFleetName``, ``EndpointNameEquals``) filters
    on equality.
    """
    members = fam.record_shape.members
    norm: dict[str, Any] = {k: v for k, v in params.items() if k in _PAGING}
    equals: dict[str, str] = {}
    skip = {fam.parent.param} if fam.parent else set()
    for param, value in params.items():
        if param in _PAGING or param in skip or value is None:
            continue
        if param.endswith("Contains"):
            norm["NameContains"] = value
        elif fam.status_key and param in ("StatusEquals", "Status", f"{fam.status_key}Equals"):
            norm["StatusEquals"] = value
        elif param.endswith(("After", "Before")):
            bound = "After" if param.endswith("After") else "Before"
            kind = "LastModifiedTime" if "Modified" in param else "CreationTime"
            norm[f"{kind}{bound}"] = value
        elif (member := param.removesuffix("Equals")) in members or param in members:
            member = member if member in members else param
            norm[f"_eq_{param}"] = value
            equals[f"_eq_{param}"] = member
    if "name" in str(norm.get("SortBy", "")).lower():
        norm["SortBy"] = "Name"
    elif "status" in str(norm.get("SortBy", "")).lower():
        norm["SortBy"] = "Status"
    return norm, equals


class RecordsMixin(ExtBase):
    """The handlers of every :data:`FAMILIES` row (attached by :func:`family`)."""

    def _records_list(self, fam: Family) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        if fam.parent is not None and params.get(fam.parent.param) is not None:
            value = str(params[fam.parent.param])
            if not fam.parent.exists(self.ext, value):
                raise _not_found(fam.list_op, f"{fam.parent.label} {value}")
        norm, equals = _list_params(fam, params)
        records: Iterable[Record] = self.ext.store(fam.kind).values()
        if fam.parent is not None and params.get(fam.parent.param) is not None:
            member, wanted = fam.parent.member, str(params[fam.parent.param])
            records = [r for r in records if str(r.get(member)) == wanted]
        records = filter_sort(
            records,
            norm,
            name_key=fam.name_key,
            status_key=fam.status_key,
            created_key=fam.created_key,
            equals=equals,
        )
        return project_page(fam.list_op, records, params)

    def _records_describe(self, fam: Family) -> ActionResult:
        rec = _find(self.ext, fam, self.params, fam.describe_op)
        body = _project(rec, fam.record_shape)
        return ActionResult({fam.wrap: body} if fam.wrap else body)

    def _records_create(self, fam: Family) -> ActionResult:
        assert fam.create_op is not None
        params: dict[str, Any] = dict(self.params)
        members = fam.record_shape.members
        fields = {k: v for k, v in params.items() if k in members}
        rec = add_record(self.ext, fam, fields, op=fam.create_op)
        rec["_tags"] = list(params.get("Tags") or [])
        output = operation(fam.create_op).output_shape
        return ActionResult({} if output is None else _project(rec, output))

    def _records_delete(self, fam: Family) -> ActionResult:
        assert fam.delete_op is not None
        rec = _find(self.ext, fam, self.params, fam.delete_op)
        self.ext.store(fam.kind).pop(_store_key(fam, rec), None)
        output = operation(fam.delete_op).output_shape
        body = {} if output is None else _project(rec, output)
        if output is not None and "Success" in output.members:
            body["Success"] = True
        return ActionResult(body)


def _attach(fam: Family) -> None:
    handlers: Iterable[tuple[str | None, Callable[[RecordsMixin, Family], ActionResult]]] = (
        (fam.list_op, RecordsMixin._records_list),
        (fam.describe_op, RecordsMixin._records_describe),
        (fam.create_op, RecordsMixin._records_create),
        (fam.delete_op, RecordsMixin._records_delete),
    )
    for op_name, handler in handlers:
        if op_name is None:
            continue

        def method(self: RecordsMixin, _handler: Any = handler) -> ActionResult:
            result: ActionResult = _handler(self, fam)
            return result

        method.__name__ = xform_name(op_name)
        method.__doc__ = f"SageMaker {op_name} over the {fam.kind} records."
        setattr(RecordsMixin, xform_name(op_name), method)


def new_id(prefix: str = "", size: int = 12, *, upper: bool = False) -> Generator:
    """A generator of random hex ids (``prefix`` + ``size`` characters)."""

    def make(state: ExtState, rec: Record) -> str:
        digits = uuid.uuid4().hex[:size]
        return prefix + (digits.upper() if upper else digits)

    return make
