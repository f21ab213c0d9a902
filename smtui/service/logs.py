"""CloudWatch logs of one resource: find them, read them, follow them, take them elsewhere.

No Textual here; the logs view (:mod:`smtui.ui.screens.logs`) renders what this hands it.

**Following.** Live Tail (``StartLiveTail``) is not used, for two reasons. It answers an event
stream from ``streaming-logs.<region>.amazonaws.com``, and its API reference says "VPC endpoint
support is not available" (API_StartLiveTail.html): a bastion in a private subnet, reaching
AWS through VPC endpoints, would get no logs at all. And the emulator's moto answers it with
one snapshot of the lines already written and closes the stream, so following could not be
tested against it. So the view polls, in one of two ways, each losing no line and showing
none twice:

- every stream of the resource, interleaved by time: ``FilterLogEvents`` over the resource's
  stream names, paged with ``nextToken`` inside one poll. The next poll starts ``OVERLAP_MS``
  before the newest timestamp seen and drops the event ids it has already shown, so a line
  that reached CloudWatch a little late (behind a later one from another host) is still shown.
  A line whose timestamp is older than that window when it arrives is missed; CloudWatch
  gives no way to ask "what arrived since", only "what is stamped since".
- one stream without a pattern: ``GetLogEvents`` with ``startFromHead`` and the forward token,
  which is exact (the token is a position in the stream, not a time).

**Filters.** Include/exclude text is pushed to the server as a CloudWatch filter pattern
(``"include" -"exclude"``) whenever the terms can be quoted, and always checked again here, so
a server that ignores part of a pattern (the emulator's moto, or a pattern CloudWatch reads
differently) shows the same lines. :attr:`LogTail.pushed` says which.

**Memory.** :class:`LogTail` keeps the lines in a ring of ``logs.buffer_lines`` (oldest
dropped first), and the seen-ids set is pruned to the overlap window, so following a chatty
stream for an hour keeps memory flat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from smtui.aws.client import SageMaker
from smtui.aws.errors import AccessDenied, AwsError, NotFound
from smtui.aws.logs_client import CloudWatchLogs
from smtui.aws.target import Target
from smtui.catalog import ResourceType, value_at
from smtui.config import private_dir, refuse_symlink, state_dir
from smtui.logs import redact
from smtui.text import printable

OVERLAP_MS = 10_000
"""How far behind the newest line each poll looks again for lines that arrived late."""
PAGE_LIMIT = 10_000
"""Events per FilterLogEvents / GetLogEvents page (the API's maximum)."""
MAX_PAGES = 20
"""Pages read in one poll; the rest waits for the next poll (the view stays responsive)."""
MAX_STREAMS = 100
"""FilterLogEvents takes at most 100 stream names; past that, the stream prefix is sent."""
TIME_RANGES: tuple[tuple[str, int | None], ...] = (("5m", 5 * 60_000), ("1h", 3_600_000), ("start", None))
"""The time ranges the view offers: last 5 minutes, last hour, since the resource started."""


@dataclass(frozen=True)
class LogLine:
    """One log event, fit for a terminal (``message`` went through :func:`printable`)."""

    timestamp: int
    stream: str
    message: str
    event_id: str


@dataclass(frozen=True)
class LogTarget:
    """Where one resource's logs are: a group and the prefix of its streams in that group."""

    group: str
    prefix: str
    empty: str
    """Why there is nothing yet, said for the type ("the job has not started writing logs")."""
    follow: bool
    """Whether to follow by default (the resource is running or in transition)."""
    started_ms: int | None
    """When the resource started (the "since start" range), if the record says."""
    title: str
    also: tuple[str, ...] = ()
    """More stream prefixes of the resource (a HyperPod node's health-agent streams)."""


@dataclass(frozen=True)
class LogFilter:
    """Include/exclude text. Both are plain, case-sensitive text (as CloudWatch's terms are)."""

    include: str = ""
    exclude: str = ""

    def matches(self, message: str) -> bool:
        if self.include and self.include not in message:
            return False
        return not (self.exclude and self.exclude in message)

    def pattern(self) -> str | None:
        """The CloudWatch filter pattern, "" for none, or None when the text cannot be quoted
        (a double quote inside), so the filter stays on this side only."""
        parts = []
        for sign, text in (("", self.include), ("-", self.exclude)):
            if not text:
                continue
            if '"' in text or "\\" in text:
                return None
            parts.append(f'{sign}"{text}"')
        return " ".join(parts)

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)


def to_ms(value: Any) -> int | None:
    """A record's time (datetime, epoch seconds) as epoch milliseconds."""
    if isinstance(value, dt.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, (int, float)):
        return int(value * 1000)
    return None


def _line(event: Mapping[str, Any], stream: str = "") -> LogLine:
    return LogLine(
        timestamp=int(event.get("timestamp", 0)),
        stream=printable(str(event.get("logStreamName", stream))),
        message=printable(str(event.get("message", "")).rstrip("\n")),
        event_id=str(event.get("eventId", "")),
    )


def _logs_error(exc: AwsError, target: LogTarget) -> AwsError:
    """An error of the logs view, worded for logs (the generic hint speaks of SageMaker)."""
    if isinstance(exc, AccessDenied):
        return AccessDenied(
            f"access denied to CloudWatch Logs ({exc.operation or 'logs'}) for {target.group}",
            "ask for logs:FilterLogEvents, logs:GetLogEvents and logs:DescribeLogStreams on this "
            "log group; the other views are not affected",
            code=exc.code,
            operation=exc.operation,
        )
    if isinstance(exc, NotFound):
        return NotFound(f"no log group {target.group} yet: {target.empty}", "press r to look again", code=exc.code)
    return exc


class LogTail:
    """The lines of one resource's logs: a ring buffer, fed by :meth:`poll`.

    ``stream`` "" reads every stream of the resource interleaved; a name reads that stream
    only. A new :class:`LogTail` is made when the stream, the filter or the range changes.
    """

    def __init__(
        self,
        client: CloudWatchLogs,
        target: LogTarget,
        *,
        capacity: int,
        start_ms: int | None = None,
        flt: LogFilter | None = None,
        stream: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.target = target
        self.filter = flt or LogFilter()
        self.stream = stream
        self.start_ms = start_ms
        self.lines: deque[LogLine] = deque(maxlen=capacity)
        self.dropped = 0
        """Lines that fell off the front of the ring."""
        self.streams: list[str] = []
        self.polls = 0
        self._clock = clock
        self._high = 0  # newest timestamp seen
        self._seen: dict[str, int] = {}  # event id -> timestamp, pruned to the overlap window
        self._token: str | None = None  # a FilterLogEvents page left for the next poll
        self._token_start: int | None = None
        self._forward: str | None = None  # GetLogEvents forward token
        self.pattern = self.filter.pattern()

    @property
    def pushed(self) -> bool:
        """Whether the filter went to the server (else it is applied here only)."""
        return bool(self.filter) and bool(self.pattern)

    @property
    def capacity(self) -> int:
        return self.lines.maxlen or 0

    # ---------------------------------------------------------------- streams
    async def refresh_streams(self) -> list[str]:
        """The resource's stream names, newest activity first where the API allows; under
        each of its prefixes (DescribeLogStreams takes one at a time)."""
        names: list[str] = []
        for prefix in (self.target.prefix, *self.target.also):
            for name in await self._streams_under(prefix):
                if name not in names:
                    names.append(name)
        self.streams = names
        return names

    async def _streams_under(self, prefix: str) -> list[str]:
        params: dict[str, Any] = {"logGroupName": self.target.group}
        if prefix:
            params["logStreamNamePrefix"] = prefix
        else:
            params.update(orderBy="LastEventTime", descending=True)
        names: list[str] = []
        token = None
        for _ in range(MAX_PAGES):
            try:
                page = await self._call("DescribeLogStreams", {**params, **({"nextToken": token} if token else {})})
            except NotFound:
                # No group yet (a job still starting creates it with its first line): an empty
                # state, not an error, and following carries on until lines appear.
                return []
            names.extend(str(s["logStreamName"]) for s in page.get("logStreams", []))
            token = page.get("nextToken")
            if not token or len(names) >= 5 * MAX_STREAMS:
                break
        return names

    # ---------------------------------------------------------------- reading
    async def poll(self) -> list[LogLine]:
        """The lines written since the last poll, oldest first; also appended to the ring."""
        late: list[str] = []
        if self.polls % 10 == 0 or not self.streams:
            known = set(self.streams)
            await self.refresh_streams()
            if known and self._high:
                late = [name for name in self.streams if name not in known]
        self.polls += 1
        if not self.streams:
            return []
        if self.stream and not self.filter:
            new = await self._poll_stream()
        else:
            new = await self._poll_filter()
            if late and not self.stream and "logStreamNames" in self._filter_params():
                # A stream that appeared since the last listing may hold lines older than the
                # overlap window: read it from the range's start (ids already shown are skipped).
                params = {**self._filter_params(), "logStreamNames": late[:MAX_STREAMS]}
                if self.start_ms is not None:
                    params["startTime"] = self.start_ms
                new = sorted(new + await self._read(params), key=lambda line: line.timestamp)
        keep = self.capacity
        overflow = len(self.lines) + len(new) - keep
        if overflow > 0:
            self.dropped += overflow
        self.lines.extend(new)
        return new

    async def _poll_stream(self) -> list[LogLine]:
        params: dict[str, Any] = {
            "logGroupName": self.target.group,
            "logStreamName": self.stream,
            "startFromHead": True,
            "limit": PAGE_LIMIT,
        }
        if self.start_ms is not None:
            params["startTime"] = self.start_ms
        out: list[LogLine] = []
        for _ in range(MAX_PAGES):
            page = await self._call(
                "GetLogEvents", {**params, **({"nextToken": self._forward} if self._forward else {})}
            )
            events = page.get("events", [])
            out.extend(_line(e, self.stream) for e in events)
            token = page.get("nextForwardToken")
            same = token == self._forward
            self._forward = token or self._forward
            if not events or same:
                break
        return out

    def _filter_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"logGroupName": self.target.group, "limit": PAGE_LIMIT}
        if self.stream:
            params["logStreamNames"] = [self.stream]
        elif len(self.streams) <= MAX_STREAMS:
            params["logStreamNames"] = list(self.streams)
        elif self.target.prefix:
            params["logStreamNamePrefix"] = self.target.prefix
        if self.pattern:
            params["filterPattern"] = self.pattern
        return params

    async def _poll_filter(self) -> list[LogLine]:
        params = self._filter_params()
        if self._token is not None:
            start = self._token_start
        elif self._high:
            start = max(self._high - OVERLAP_MS, self.start_ms or 0)
        else:
            start = self.start_ms
        if start is not None:
            params["startTime"] = start
        token = self._token
        self._token = None
        fresh = await self._read(params, token, start)
        fresh.sort(key=lambda line: line.timestamp)
        self._prune()
        return fresh

    async def _read(self, params: dict[str, Any], token: str | None = None, start: int | None = None) -> list[LogLine]:
        """FilterLogEvents pages from ``token``: the lines whose ids were not seen before."""
        fresh: list[LogLine] = []
        for _ in range(MAX_PAGES):
            page = await self._call("FilterLogEvents", {**params, **({"nextToken": token} if token else {})})
            for event in page.get("events", []):
                event_id = str(event.get("eventId", ""))
                if event_id in self._seen:
                    continue
                line = _line(event)
                self._seen[event_id] = line.timestamp
                self._high = max(self._high, line.timestamp)
                if self.filter.matches(line.message):
                    fresh.append(line)
            token = page.get("nextToken")
            if not token:
                break
        else:  # more pages than one poll reads: carry on from here next time
            self._token, self._token_start = token, start
        return fresh

    def _prune(self) -> None:
        if self._token is not None:
            return
        floor = self._high - OVERLAP_MS
        if len(self._seen) > 1000:
            self._seen = {k: ts for k, ts in self._seen.items() if ts >= floor}

    async def _call(self, op: str, params: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return await self.client.call(op, params)
        except AwsError as exc:
            raise _logs_error(exc, self.target) from exc

    @property
    def seen_ids(self) -> int:
        """How many event ids are remembered for de-duplication (bounded by the window)."""
        return len(self._seen)


@dataclass
class LogsService:
    """The logs part of the :class:`~smtui.service.Service`; ``Service.logs`` is one of these.

    It follows the service's current target (a ``:profile`` or ``:region`` switch rebuilds its
    client on next use).
    """

    target_of: Callable[[], Target]
    sagemaker_of: Callable[[], SageMaker]
    capacity: int = 10_000
    read_timeout: float = 30.0
    _client: CloudWatchLogs | None = field(default=None, init=False)
    _retired: list[CloudWatchLogs] = field(default_factory=list, init=False)

    @property
    def client(self) -> CloudWatchLogs:
        target = self.target_of()
        if self._client is None or self._client.target != target:
            if self._client is not None:
                self._retired.append(self._client)  # a tail may still hold it; closed at exit
            self._client = CloudWatchLogs(target, read_timeout=self.read_timeout)
        return self._client

    async def close(self) -> None:
        for client in [*self._retired, *([self._client] if self._client is not None else [])]:
            await client.close()
        self._client, self._retired = None, []

    # ---------------------------------------------------------------- where
    @staticmethod
    def has_logs(rtype: ResourceType) -> bool:
        return rtype.logs is not None

    async def locate(
        self, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
    ) -> LogTarget:
        """Where ``record``'s logs are. Raises :class:`NotFound` for a type without logs."""
        source = rtype.logs
        if source is None:
            raise NotFound(f"{rtype.title} write no CloudWatch logs smtui knows of")
        params = dict(list_params or {})
        name = str(value_at(record, rtype.key_field) or "")
        fields = {"name": name}
        if rtype.name in ("clusters", "cluster-nodes"):
            cluster = (
                name if rtype.name == "clusters" else str(params.get("ClusterName") or record.get("ClusterName", ""))
            )
            arn = str(record.get("ClusterArn", "")) if rtype.name == "clusters" else ""
            if not arn:
                described = await self.sagemaker_of().call("DescribeCluster", {"ClusterName": cluster})
                arn = str(described.get("ClusterArn", ""))
            fields.update(cluster=cluster, cluster_id=arn.rsplit("/", 1)[-1])
            fields.update(group=str(record.get("InstanceGroupName", "")), instance=str(record.get("InstanceId", "")))
        if rtype.name in ("apps", "spaces", "user-profiles"):
            # Studio's streams start <domain-id>/<space or user profile>/; an app of a space
            # is named by the space (ListApps may carry the user profile that owns the space too).
            fields.update(
                domain=str(record.get("DomainId") or params.get("DomainIdEquals", "")),
                owner=str(record.get("SpaceName") or record.get("UserProfileName") or ""),
                app_type=str(record.get("AppType", "")),
            )
        health = rtype.health(rtype.status_of(record))
        # Serving resources (endpoints, nodes…) keep writing while they run; a failed one has
        # written its last line, except a HyperPod node in Failure, which still logs (Xid errors).
        follow = health == "transitional" or (source.serving and (health != "failed" or source.follow_failed))
        started = None
        for key in ("TrainingStartTime", "ProcessingStartTime", "TransformStartTime", "LaunchTime", "CreationTime"):
            started = to_ms(record.get(key))
            if started is not None:
                break
        title = name
        if rtype.name == "cluster-nodes":
            title = f"{fields['cluster']}/{fields['instance']}"
        elif rtype.name == "apps":  # every space's app is "default"
            title = f"{fields['owner']}/{fields['app_type']}/{name}"
        return LogTarget(
            group=source.group.format(**fields),
            prefix=source.stream_prefix.format(**fields),
            also=tuple(p.format(**fields) for p in source.also),
            empty=source.empty,
            follow=follow,
            started_ms=started,
            title=printable(title),
        )

    # ---------------------------------------------------------------- read
    def tail(
        self,
        target: LogTarget,
        *,
        start_ms: int | None = None,
        flt: LogFilter | None = None,
        stream: str = "",
        capacity: int | None = None,
    ) -> LogTail:
        """A tail of ``target``'s logs (empty until its first :meth:`LogTail.poll`)."""
        return LogTail(
            self.client, target, capacity=capacity or self.capacity, start_ms=start_ms, flt=flt, stream=stream
        )

    @staticmethod
    def range_start(range_name: str, target: LogTarget, now_ms: int | None = None) -> int | None:
        """The start of a named time range (``5m``, ``1h``, ``start``) in epoch ms."""
        now = int(time.time() * 1000) if now_ms is None else now_ms
        for name, span in TIME_RANGES:
            if name == range_name:
                return target.started_ms if span is None else now - span
        raise ValueError(f"unknown time range {range_name!r}")

    async def last_lines(self, target: LogTarget, per_stream: int = 200) -> dict[str, list[LogLine]]:
        """The last ``per_stream`` lines of each of ``target``'s streams (for the incident bundle).

        One call for the caller: it lists the streams, then reads each stream's tail with
        ``GetLogEvents`` (newest page, ``startFromHead`` false). Errors are the logs view's
        (:class:`AccessDenied` worded for logs, :class:`NotFound` when there is no group yet).
        """
        tail = self.tail(target, capacity=max(per_stream, 10))
        out: dict[str, list[LogLine]] = {}
        for stream in await tail.refresh_streams():
            page = await tail._call(
                "GetLogEvents",
                {"logGroupName": target.group, "logStreamName": stream, "limit": per_stream, "startFromHead": False},
            )
            out[stream] = [_line(e, stream) for e in page.get("events", [])][-per_stream:]
        return out

    async def last_lines_of(
        self,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
        per_stream: int = 200,
    ) -> dict[str, list[LogLine]]:
        """The last ``per_stream`` lines of each stream of one resource: :meth:`locate` then
        :meth:`last_lines`, for callers (the incident bundle) that hold only the row."""
        return await self.last_lines(await self.locate(rtype, record, list_params), per_stream)

    # ---------------------------------------------------------------- elsewhere
    def tail_command(
        self, target: LogTarget, *, stream: str = "", flt: LogFilter | None = None, since: str = ""
    ) -> str:
        """The equivalent ``aws logs tail … --follow`` for the current target."""
        where = self.target_of()
        words = ["aws", "logs", "tail", target.group, "--follow"]
        if stream:
            words += ["--log-stream-names", stream]
        elif target.prefix:
            words += ["--log-stream-name-prefix", target.prefix]
        pattern = (flt or LogFilter()).pattern()
        if pattern:
            words += ["--filter-pattern", pattern]
        if since:
            words += ["--since", since]
        words += ["--region", where.region]
        if where.profile:
            words += ["--profile", where.profile]
        if where.endpoint_url:
            words += ["--endpoint-url", where.endpoint_url]
        return " ".join(shlex.quote(w) for w in words)

    def console_url(self, target: LogTarget, stream: str = "") -> str:
        """The CloudWatch console page of the log group (or one stream of it)."""
        region = self.target_of().region
        host = "console.amazonaws.cn" if region.startswith("cn-") else "console.aws.amazon.com"
        if region.startswith("us-gov-"):
            host = "console.amazonaws-us-gov.com"

        def enc(text: str) -> str:  # the console's own escaping: percent-encoded twice, % as $
            return quote(quote(text, safe=""), safe="").replace("%", "$")

        url = f"https://{region}.{host}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{enc(target.group)}"
        return url + (f"/log-events/{enc(stream)}" if stream else "")

    @staticmethod
    def save(lines: Iterable[LogLine], path: Path, *, timestamps: bool = True, streams: bool = True) -> Path:
        """Write ``lines`` to ``path`` (created 0600, replaced if there), credentials redacted."""
        path = path.expanduser()
        # A folder made here is the user's alone; a link in the file's place is refused, not
        # followed (on a shared bastion another user could aim it at a file of yours).
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(ValueError):
            path.parent.relative_to(state_dir())
            private_dir(path.parent)  # smtui's own folder (the default): tightened if looser
        refuse_symlink(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(redact(format_line(line, timestamps=timestamps, streams=streams)) + "\n")
        return path


def format_time(ms: int) -> str:
    """A log line's time, local, to the millisecond."""
    return dt.datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def format_line(line: LogLine, *, timestamps: bool = True, streams: bool = True) -> str:
    """One line as text: ``time  stream  message``."""
    parts: list[str] = []
    if timestamps:
        parts.append(format_time(line.timestamp))
    if streams and line.stream:
        parts.append(line.stream)
    parts.append(line.message)
    return "  ".join(parts)


def short_stream(name: str, prefix: str) -> str:
    """A stream's label without the resource's prefix (``algo-1-1700000000``)."""
    return name[len(prefix) :] if prefix and name.startswith(prefix) and len(name) > len(prefix) else name
