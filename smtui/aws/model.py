"""Helpers over botocore's SageMaker service model.

The service model is the single source for operation names, fields, types and
constraints: the catalogue, the forms and the read-only guard all read it through
this module, so they cannot drift apart. Nothing here talks to the network.
"""

from __future__ import annotations

import functools
import re
import threading
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Types only: botocore.session pulls in most of botocore (a tenth of a second), and the UI
    # imports this module, through the catalogue and the forms, before its first frame.
    from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

SERVICE = "sagemaker"

# Prefixes of operations that only read. Everything else in the SageMaker API changes
# something (creates, updates, deletes, starts, stops, tags, registers, associates, retries,
# sends step results, reboots or replaces nodes, ...), so the guard treats it as mutating.
# That includes the Create*PresignedUrl* operations: they mint a bearer credential that signs
# its holder into Studio, a notebook, MLflow or a partner app with the caller's role (free to
# change anything there), IAM rates them as writes, and the AWS read-only managed policies do
# not grant them. A read-only session must not hand out write access through a browser.
# So "Open MLflow UI" is off in read-only mode too, with no "confirm to allow" escape: read-only
# is a promise to whoever asked for it, and restarting without --read-only is the explicit way.
# BatchGet has no operation today; it is listed so a future one reads as what it says.
READ_ONLY_PREFIXES: tuple[str, ...] = (
    "List",
    "Describe",
    "Get",
    "Search",
    "BatchDescribe",
    "BatchGet",
    "QueryLineage",
    "RenderUiTemplate",
)

# Input members that drive paging, never filters.
_PAGING_MEMBERS = frozenset({"NextToken", "MaxResults"})


_loader_lock = threading.Lock()
_loader: Any = None


def shared_loader() -> Any:
    """The one botocore data loader of the process: it caches the parsed 3 MB SageMaker model,
    which each new session would otherwise parse again (about a second on this class of host).

    The catalogue reads the model in a start-up thread while the event loop builds the first
    client, so the first call is locked: two loaders would parse the model twice.
    """
    global _loader
    with _loader_lock:
        if _loader is None:
            import botocore.loaders

            _loader = botocore.loaders.create_loader()
        return _loader


@functools.cache
def _session() -> Any:
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", shared_loader())
    return session


@functools.cache
def service_model() -> ServiceModel:
    """Return the SageMaker service model shipped with the installed botocore (cached)."""
    return _session().get_service_model(SERVICE)


@functools.cache
def _paginators() -> dict[str, dict[str, Any]]:
    """Return botocore's paginator config for SageMaker, keyed by operation name."""
    model = _session().get_paginator_model(SERVICE)
    # PaginatorModel keeps its config private; it is a plain dict loaded from JSON.
    config: dict[str, dict[str, Any]] = model._paginator_config
    return config


def operation(name: str) -> OperationModel:
    """Return the operation model for ``name``; raises botocore's OperationNotFoundError."""
    return service_model().operation_model(name)


def operation_names() -> frozenset[str]:
    """Every operation name in the SageMaker model."""
    return frozenset(service_model().operation_names)


def is_mutating(op_name: str) -> bool:
    """Whether calling ``op_name`` may change state in the account (or grant a way to).

    Read-only: exactly the operations named with a prefix in :data:`READ_ONLY_PREFIXES`;
    everything else, presigned-URL creators included, is mutating. This is the one rule for
    the read-only guard, the write client, the action menus and the emulator's request
    counts. An operation that is not in the model is treated as mutating: a guard must fail
    closed on a name it cannot classify.
    """
    if op_name not in operation_names():
        return True
    return not op_name.startswith(READ_ONLY_PREFIXES)


@functools.cache
def mutating_operations() -> frozenset[str]:
    """All SageMaker operations that :func:`is_mutating` classifies as mutating."""
    return frozenset(n for n in service_model().operation_names if is_mutating(n))


# --- documentation ------------------------------------------------------------------------


class _DocText(HTMLParser):
    """Collects botocore's documentation HTML as plain-text blocks."""

    _BLOCKS = frozenset({"p", "div", "note", "important", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._list_depth = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text and text != "•":
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._flush()
            self._current.append("  " * max(self._list_depth - 1, 0) + "• ")
        elif tag == "br":
            self._flush()
        elif tag in self._BLOCKS:
            # A <p> inside an <li> continues the bullet instead of starting a new block.
            if not (tag == "p" and self._current and self._current[0].lstrip().startswith("•")):
                self._flush()
            if tag in ("ul", "ol"):
                self._list_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" or (tag in self._BLOCKS and tag != "p"):
            self._flush()
            if tag in ("ul", "ol"):
                self._list_depth = max(self._list_depth - 1, 0)
        elif tag == "p" and not (self._current and self._current[0].lstrip().startswith("•")):
            self._flush()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def strip_html(doc: str) -> str:
    """Turn botocore documentation HTML into plain text.

    Paragraphs are separated by a blank line, list items become ``• item`` lines (indented
    two spaces per nesting level), ``<code>``/``<a>``/emphasis become their plain text and
    entities are decoded.
    """
    parser = _DocText()
    parser.feed(doc or "")
    parser.close()
    out: list[str] = []
    for block in parser.blocks:
        is_item = block.lstrip().startswith("•")
        if out and not (is_item and out[-1].lstrip().startswith("•")):
            out.append("")
        out.append(block.rstrip() if is_item else block)
    return "\n".join(out)


# --- list operations ----------------------------------------------------------------------


def list_items_key(list_op: str) -> str:
    """The output member that holds the items of a ``List*`` call (``TrainingJobSummaries``)."""
    config = _paginators().get(list_op)
    if config is not None and isinstance(config.get("result_key"), str):
        return str(config["result_key"])
    output = operation(list_op).output_shape
    for name, shape in output.members.items():
        if shape.type_name == "list" and shape.member.type_name == "structure":
            return str(name)
    raise KeyError(f"{list_op} has no list of structures in its output")


def summary_shape(list_op: str) -> StructureShape:
    """The shape of one item returned by ``list_op``."""
    items = operation(list_op).output_shape.members[list_items_key(list_op)]
    member: StructureShape = items.member
    return member


def required_list_params(list_op: str) -> tuple[str, ...]:
    """Input members ``list_op`` cannot be called without (``ClusterName`` for nodes)."""
    shape = operation(list_op).input_shape
    return tuple(shape.required_members) if shape is not None else ()


def server_filters(list_op: str) -> frozenset[str]:
    """Optional input members of ``list_op`` other than paging: the server-side filters and sort.

    ``NameContains``, ``StatusEquals``, ``CreationTimeAfter``, ``SortBy``, ``EndpointNameEquals``
    and so on, whichever the operation accepts. Required members (a parent's name) are not
    filters and are left out.
    """
    shape = operation(list_op).input_shape
    if shape is None:
        return frozenset()
    required = set(shape.required_members)
    paging = {page_size_param(list_op), "NextToken"}
    return frozenset(m for m in shape.members if m not in required and m not in paging | _PAGING_MEMBERS)


def page_size_param(list_op: str) -> str | None:
    """The input member that sets the page size (usually ``MaxResults``), if any."""
    config = _paginators().get(list_op)
    if config is not None and isinstance(config.get("limit_key"), str):
        return str(config["limit_key"])
    shape = operation(list_op).input_shape
    if shape is not None and "MaxResults" in shape.members:
        return "MaxResults"
    return None


def max_page_size(list_op: str) -> int | None:
    """The largest page size the model allows for ``list_op`` (its ``max`` constraint)."""
    param = page_size_param(list_op)
    if param is None:
        return None
    value = operation(list_op).input_shape.members[param].metadata.get("max")
    return int(value) if value is not None else None


def member_shape(shape: Shape, dotted: str) -> Shape | None:
    """Walk ``A.B`` / ``A[].B`` through structure and list shapes; None if a step is missing."""
    current: Shape = shape
    for raw in dotted.split("."):
        part = raw.removesuffix("[]")
        if current.type_name != "structure" or part not in current.members:
            return None
        current = current.members[part]
        if raw.endswith("[]"):
            if current.type_name != "list":
                return None
            current = current.member
    return current


def enum_values(shape: Shape | None) -> tuple[str, ...]:
    """The enum of a string shape, or ``()``."""
    if shape is None or shape.type_name != "string":
        return ()
    return tuple(getattr(shape, "enum", None) or ())
