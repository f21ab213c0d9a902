"""State the extension keeps per account and region, inside moto's own backend object.

Living in ``backend.__dict__`` means ``/moto-api/reset`` (which empties that dict) clears
it together with moto's resources, so the two can never disagree after a reset.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import InvalidToken
from moto.sagemaker.exceptions import ValidationError
from moto.utilities.paginator import Paginator

from smtui.emulator.lifecycle import GONE, Lifecycle, model_name

Record = dict[str, Any]
Applier = Callable[[str], None]
Failer = Callable[[str], None]
Finder = Callable[["ExtState", str], Failer | None]

FAIL_TAG = "smtui:fail"
"""Tag key: a resource created with ``smtui:fail=<reason>`` fails instead of succeeding."""

_FINDERS: list[Finder] = []


def register_finder(finder: Finder) -> Finder:
    """Register a function that maps a resource name to a way of failing it."""
    _FINDERS.append(finder)
    return finder


def utcnow() -> dt.datetime:
    """Timezone-aware now; moto's serializer turns it into epoch seconds."""
    return dt.datetime.now(dt.UTC)


def fail_tag(tags: Iterable[Mapping[str, Any]] | None) -> str | None:
    """The failure reason requested by an ``smtui:fail`` tag, if any."""
    for tag in tags or ():
        if tag.get("Key") == FAIL_TAG:
            return str(tag.get("Value") or "Failed by request (smtui:fail tag)")
    return None


@dataclass
class Tracked:
    """A resource whose status is still moving."""

    kind: str
    name: str
    lc: Lifecycle
    apply: Applier
    fail: Failer | None = None
    fail_reason: str | None = None
    success: frozenset[str] = field(default_factory=frozenset)


class ExtState:
    """The extension's resources and moving statuses for one account/region backend."""

    keep_orders = True
    """Keep each listing's filtered and sorted order between pages (off only in the emulator
    benchmark's baseline, which filters and sorts on every page as moto does)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.account_id: str = backend.account_id
        self.region: str = backend.region_name
        self.lock = threading.RLock()
        self.stores: defaultdict[str, dict[str, Record]] = defaultdict(dict)
        self.tracked: dict[tuple[str, str], Tracked] = {}
        # Real SageMaker job lists cut the page first and filter it afterwards, so a page can
        # be empty yet carry a NextToken. Off by default (tests of other things want full
        # pages); tests of the pager and the demo switch it on.
        self.filter_after_paging = False
        # The filtered and sorted order of a collection, per (collection, query), so that
        # listing page 400 of 50,000 jobs slices a list instead of filtering and sorting 50,000
        # objects again: SageMaker's pages cost O(page), and a benchmark must measure the
        # client, not the emulator. Least recently used first; see :func:`listed`.
        self.orders: OrderedDict[tuple[str, str], tuple[tuple[Any, ...], list[Any]]] = OrderedDict()
        # Moves on once a status (or anything else a listing filters or sorts on besides names
        # and creation times) may have changed: after a lifecycle step, a failure, and every
        # request that is not a read (``ExtBase.call_action``).
        self._moves = itertools.count(1)
        self.moves = 0

    def moved(self) -> None:
        """Record that statuses may have changed, so orders that depend on them are recomputed.

        Whatever writes a status outside a request or a lifecycle step (a seed, a test) after
        a listing has started must call this.
        """
        self.moves = next(self._moves)

    def arn(self, resource: str, name: str) -> str:
        """A SageMaker ARN in this account and region."""
        return f"arn:aws:sagemaker:{self.region}:{self.account_id}:{resource}/{name}"

    def store(self, kind: str) -> dict[str, Record]:
        """The records of one extension-only resource kind, by name."""
        return self.stores[kind]

    def track(
        self,
        kind: str,
        name: str,
        steps: Mapping[str, str],
        initial: str,
        apply: Applier,
        *,
        fail: Failer | None = None,
        fail_reason: str | None = None,
        success: Iterable[str] = (),
    ) -> Tracked:
        """Start (or restart) the lifecycle of a resource from ``initial``."""
        with self.lock:
            existing = self.tracked.get((kind, name))
            if existing is not None:
                existing.lc.set(initial, steps)
                existing.apply = apply
                existing.fail = fail or existing.fail
                existing.fail_reason = fail_reason or existing.fail_reason
                existing.success = frozenset(success) or existing.success
                apply(initial)
                self.moved()
                return existing
            tracked = Tracked(
                kind,
                name,
                Lifecycle(model_name(kind), steps, initial),
                apply,
                fail,
                fail_reason,
                frozenset(success),
            )
            self.tracked[(kind, name)] = tracked
            apply(initial)
            self.moved()
            return tracked

    def untrack(self, kind: str, name: str) -> None:
        """Stop moving a resource's status (e.g. once it was made to fail)."""
        with self.lock:
            self.tracked.pop((kind, name), None)

    def status(self, kind: str, name: str) -> str | None:
        """The lifecycle status of a tracked resource, or None if it is not moving."""
        tracked = self.tracked.get((kind, name))
        return None if tracked is None else tracked.lc.current

    def touch(self, kind: str, name: str) -> None:
        """Count a describe of one resource (manual progression), then catch up."""
        with self.lock:
            tracked = self.tracked.get((kind, name))
            if tracked is not None:
                tracked.lc.touch()
            self.sync()

    def sync(self) -> None:
        """Push every moving status as far as its pacing allows.

        Costs O(resources still moving), which is why seeds use immediate pacing.
        """
        with self.lock:
            moved = False
            try:
                for key, tracked in list(self.tracked.items()):
                    for status in tracked.lc.poll():
                        moved = True
                        if (
                            tracked.fail_reason is not None
                            and tracked.fail is not None
                            and (status in tracked.success or (status != GONE and tracked.lc.done))
                        ):
                            tracked.fail(tracked.fail_reason)
                            break
                        tracked.apply(status)
                        if status == GONE:
                            break
                    if tracked.lc.done or tracked.lc.current == GONE:
                        self.tracked.pop(key, None)
            finally:
                if moved:
                    self.moved()

    def fail(self, name: str, reason: str) -> str:
        """Send the named resource to its failed state; return the kind that matched."""
        with self.lock:
            self.sync()
            for finder in _FINDERS:
                failer = finder(self, name)
                if failer is not None:
                    failer(reason)
                    self.moved()
                    return finder.__name__.removeprefix("_find_")
        raise KeyError(name)


def ext(backend: Any) -> ExtState:
    """The extension state stored in (and reset with) a moto SageMaker backend."""
    state = backend.__dict__.get("_smtui_ext")
    if state is None:
        state = backend.__dict__.setdefault("_smtui_ext", ExtState(backend))
    assert isinstance(state, ExtState)
    return state


# ---------------------------------------------------------------------------- listing helpers


def encode_token(offset: int, fingerprint: str) -> str:
    """An opaque NextToken carrying the offset and the request's filter fingerprint."""
    raw = json.dumps({"o": offset, "f": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str, fingerprint: str) -> int:
    """The offset inside a NextToken; a token from another query is rejected as AWS does."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(data["o"])
        same_query = data["f"] == fingerprint
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(message="Invalid pagination token.") from exc
    if not same_query or offset < 0:
        raise ValidationError(message="Invalid pagination token for this request.")
    return offset


def page(
    items: Sequence[Any],
    params: Mapping[str, Any],
    *,
    default: int = 10,
    cap: int = 100,
) -> tuple[list[Any], str | None]:
    """Cut one page out of an already filtered and sorted list."""
    fingerprint = json.dumps({k: str(v) for k, v in sorted(params.items()) if k not in ("NextToken", "MaxResults")})
    start = decode_token(params["NextToken"], fingerprint) if params.get("NextToken") else 0
    size = min(int(params.get("MaxResults") or default), cap)
    chunk = list(items[start : start + size])
    end = start + size
    return chunk, encode_token(end, fingerprint) if end < len(items) else None


def _as_dt(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return None


def _item(record: Any, key: str) -> Any:
    return record.get(key)


STABLE = frozenset({"SortBy", "SortOrder", "NameContains", "CreationTimeAfter", "CreationTimeBefore"})
"""Request members whose answer depends only on which items a collection holds: names and
creation times never change (SortBy too, unless it sorts by status)."""

ORDERS_KEPT = 32
"""Orders kept per account and region (each holds one reference per listed item)."""


def listed(
    state: ExtState,
    kind: str,
    collection: dict[str, Any],
    params: Mapping[str, Any],
    sort: Callable[[list[Any], Mapping[str, Any]], list[Any]],
) -> list[Any]:
    """``sort(list(collection.values()), params)``, kept between pages while it cannot change.

    Kept per query (every member but NextToken and MaxResults), so a NextToken resumes at its
    offset in the same list instead of filtering and sorting the collection again. Items are
    only added and removed, never re-created in place without a removal, so the size, the
    newest key and its object identify the collection's contents. That alone keeps a query
    of names, creation times and sort orders (:data:`STABLE`); any other (by status, of
    statuses, of modification times) is kept only until :meth:`ExtState.moved`. The answer is
    what sorting on every page gives: an item created, removed or changed between two pages
    is in the next page's order exactly as it would have been.
    """
    if not state.keep_orders:
        return sort(list(collection.values()), params)
    query = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults") and v is not None}
    query["SortBy"] = query.get("SortBy") or "CreationTime"  # the defaults, so they share the order asked for
    query["SortOrder"] = query.get("SortOrder") or "Descending"
    key = (kind, json.dumps({k: str(v) for k, v in sorted(query.items())}))
    # The version is read before sorting: a change made meanwhile moves it on afterwards
    # (every change is counted once it is done), so a stale order is never found again.
    newest = next(reversed(collection), None) if collection else None
    version: tuple[Any, ...] = (len(collection), newest, id(collection.get(newest)) if newest is not None else 0)
    if not set(query) <= STABLE or query["SortBy"] in ("Status", "status"):
        version = (*version, state.moves)
    with state.lock:
        cached = state.orders.get(key)
        if cached is not None and cached[0] == version:
            state.orders.move_to_end(key)
            return cached[1]
    ordered = sort(list(collection.values()), params)
    with state.lock:
        state.orders[key] = (version, ordered)
        state.orders.move_to_end(key)
        while len(state.orders) > ORDERS_KEPT:
            state.orders.popitem(last=False)
    return ordered


class _ResumingPaginator(Paginator):
    """moto's paginator, resuming at the offset its token remembers.

    moto's token names the next item (its ``unique_attribute``) and moto finds it by scanning
    the whole list, an O(n) page. The offset is only a hint: when the item is no longer
    there (the collection changed between pages), the scan finds it as moto would.
    """

    def paginate(self, results: list[Any]) -> tuple[list[Any], str | None]:
        start = 0
        token = self._parsed_token
        if self._starting_token and token is not None:
            hint = token.get("offset")
            if isinstance(hint, int) and 0 <= hint < len(results) and self._check_predicate(results[hint]):
                start = hint
            else:
                found = next((i for i, item in enumerate(results) if self._check_predicate(item)), None)
                if found is None:
                    raise InvalidToken("Resource not found!")
                start = found
        end = min(start + self._max_results, len(results))
        chunk = results[start:end]
        if not chunk or end >= len(results):
            return chunk, None
        attrs = "|".join(str(self._get_unique_value(results[end], a)) for a in self._unique_attributes)
        fields = {"parameterChecksum": self._param_checksum, "uniqueAttributes": attrs, "offset": end}
        return chunk, self._token_encoder.encode(fields)


def moto_page(
    items: list[Any], params: Mapping[str, Any], *, unique: str = "arn", default: int = 100
) -> tuple[list[Any], str | None]:
    """Cut one page out of an already filtered and sorted list with moto's NextToken semantics.

    The token names the next item, so an item created or removed before it between two
    pages neither repeats nor skips one; a token from another query, or whose item is gone,
    is moto's ``InvalidToken``.
    """
    query = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults") and v}
    paginator = _ResumingPaginator(
        max_results=params.get("MaxResults"),
        max_results_default=default,
        starting_token=params.get("NextToken"),
        unique_attribute=unique,
        param_values_to_check=query,
    )
    return paginator.paginate(items)


def filter_sort(
    records: Iterable[Any],
    params: Mapping[str, Any],
    *,
    name_key: str,
    status_key: str | None = None,
    status_param: str = "StatusEquals",
    created_key: str = "CreationTime",
    time_params: tuple[str, str] = ("CreationTimeAfter", "CreationTimeBefore"),
    equals: Mapping[str, str] | None = None,
    get: Callable[[Any, str], Any] = _item,
) -> list[Any]:
    """Filter and sort summaries the way SageMaker's List* operations do, before paginating.

    ``get`` reads a summary key from a record, so moto objects can be filtered without
    first building thousands of summary dicts.
    """
    out = list(records)
    contains = params.get("NameContains")
    if contains:
        out = [r for r in out if str(contains).lower() in str(get(r, name_key) or "").lower()]
    if status_key and params.get(status_param):
        out = [r for r in out if get(r, status_key) == params[status_param]]
    for param, key in (equals or {}).items():
        if params.get(param):
            out = [r for r in out if get(r, key) == params[param]]
    bounds = (
        (time_params[0], created_key, 1),
        (time_params[1], created_key, -1),
        ("LastModifiedTimeAfter", "LastModifiedTime", 1),
        ("LastModifiedTimeBefore", "LastModifiedTime", -1),
    )
    for param, key, sign in bounds:
        limit = _as_dt(params.get(param))
        if limit is not None:
            out = [r for r in out if (t := _as_dt(get(r, key))) is not None and (t > limit if sign > 0 else t < limit)]
    sort_by = str(params.get("SortBy") or "CreationTime")
    descending = params.get("SortOrder", "Descending") == "Descending"
    if sort_by in ("Name", "name"):
        out.sort(key=lambda r: str(get(r, name_key) or ""), reverse=descending)
    elif sort_by in ("Status", "status") and status_key:
        out.sort(key=lambda r: str(get(r, status_key) or ""), reverse=descending)
    else:
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        out.sort(key=lambda r: _as_dt(get(r, created_key)) or epoch, reverse=descending)
    return out


def public(record: Mapping[str, Any]) -> Record:
    """A record without the extension's private (underscore) keys."""
    return {k: v for k, v in record.items() if not k.startswith("_") and v is not None}


def record_lifecycle(
    state: ExtState,
    kind: str,
    name: str,
    status_key: str,
    steps: Mapping[str, str],
    initial: str,
    *,
    failed: Callable[[str], str] | None = None,
    on_status: Callable[[Record, str], None] | None = None,
    fail_reason: str | None = None,
    success: Iterable[str] = (),
    reason_key: str = "FailureReason",
) -> None:
    """Track a dict record in ``state.store(kind)``: statuses move; GONE removes it."""

    def apply(status: str) -> None:
        rec = state.store(kind).get(name)
        if rec is None:
            return
        if status == GONE:
            state.store(kind).pop(name, None)
            return
        rec[status_key] = status
        rec["LastModifiedTime"] = utcnow()
        if on_status is not None:
            on_status(rec, status)

    def fail(reason: str) -> None:
        rec = state.store(kind).get(name)
        if rec is None:
            return
        current = str(rec.get(status_key, ""))
        rec[status_key] = failed(current) if failed else "Failed"
        rec[reason_key] = reason
        rec["LastModifiedTime"] = utcnow()
        state.untrack(kind, name)

    state.track(kind, name, steps, initial, apply, fail=fail, fail_reason=fail_reason, success=success)


def store_finder(kind: str, status_key: str, failed: Callable[[str], str] | None = None) -> Finder:
    """A finder for dict records of one kind, failing them without a live lifecycle too."""

    def finder(state: ExtState, name: str) -> Failer | None:
        rec = state.store(kind).get(name)
        if rec is None:
            return None

        def fail(reason: str) -> None:
            tracked = state.tracked.get((kind, name))
            if tracked is not None and tracked.fail is not None:
                tracked.fail(reason)
                return
            current = str(rec.get(status_key, ""))
            rec[status_key] = failed(current) if failed else "Failed"
            rec["FailureReason"] = reason
            rec["LastModifiedTime"] = utcnow()

        return fail

    finder.__name__ = f"_find_{kind}"
    return finder
