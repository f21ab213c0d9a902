"""Fault injection, request counting and the emulator's HTTP control API (WSGI middleware).

moto has no way to be slow or to fail on purpose, so this sits in front of it. It reads the
operation from ``X-Amz-Target`` (``SageMaker.ListTrainingJobs``, CloudWatch Logs'
``Logs_20140328.FilterLogEvents``, CloudWatch's ``GraniteServiceVersion20100801.GetMetricData``)
and can add latency, answer an AWS JSON 1.1 error, or close the connection without answering.
"""

from __future__ import annotations

import contextlib
import hmac
import io
import json
import random
import socket
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smtui.aws.model import is_mutating

_SERVICES = frozenset({"SageMaker", "Logs_20140328", "GraniteServiceVersion20100801"})
"""The X-Amz-Target prefixes whose requests are counted and may be faulted: SageMaker,
CloudWatch Logs (the logs view) and CloudWatch (botocore sends it as AWS JSON 1.0). Rules
name operations without the prefix."""
_BODIES_KEPT = frozenset({"Logs_20140328"})

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

CLOUDWATCH_READS = frozenset({"GetMetricData", "ListMetrics", "GetMetricStatistics"})
"""CloudWatch operations (counted under their names, never as SageMaker mutations)."""

_DEFAULT_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "ExpiredTokenException": "The security token included in the request is expired",
    "AccessDeniedException": "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/smtui is not "
    "authorized to perform this action because no identity-based policy allows it",
    "ServiceUnavailable": "Service Unavailable",
    "InternalFailure": "We encountered an internal error. Please try again.",
    "UnrecognizedClientException": "The security token included in the request is invalid.",
}
_DEFAULT_STATUS = {"ServiceUnavailable": 503, "InternalFailure": 500}

MAX_BODY = 5_246_976
"""The largest request body answered. SageMaker documents no body limit for its control plane
(each member has its own length limit, checked by the model); this is the one its front end is
seen to enforce, with this status and message: "An error occurred (413) when calling the
InvokeEndpoint operation: HTTP content length exceeded 5246976 bytes"
(https://github.com/aws/sagemaker-python-sdk/issues/171). Past it the body is not read, so a
huge paste cannot grow the emulator."""
_CODE_FOR_STATUS = {
    500: "InternalFailure",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}
_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Credentials:
    """The one access key and session token the emulator accepts (``smtui --demo`` makes a
    random set per run, so another user of the machine cannot drive the demo's emulator).

    The session token travels verbatim in ``X-Amz-Security-Token``; the access key id in the
    SigV4 ``Authorization`` header. Both are compared in constant time. (The signature itself
    is not verified: the token is already a secret only smtui and its child know.)
    """

    access_key: str
    secret_key: str
    token: str

    @classmethod
    def random(cls) -> Credentials:
        import secrets

        return cls("SMTUIDEMO" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30), secrets.token_urlsafe(48))

    def carried_by(self, environ: Mapping[str, Any]) -> bool:
        token = str(environ.get("HTTP_X_AMZ_SECURITY_TOKEN", ""))
        authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
        _, _, rest = authorization.partition("Credential=")
        key = rest.split("/", 1)[0]
        return hmac.compare_digest(token.encode(), self.token.encode()) and hmac.compare_digest(
            key.encode(), self.access_key.encode()
        )

    def as_json(self) -> str:
        return json.dumps({"access_key": self.access_key, "secret_key": self.secret_key, "token": self.token})

    @classmethod
    def from_json(cls, text: str) -> Credentials:
        data = json.loads(text)
        return cls(str(data["access_key"]), str(data["secret_key"]), str(data["token"]))


@dataclass
class Rule:
    """One fault rule; see :meth:`FaultInjector.set` for the accepted keys."""

    op: str = "*"
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error: str | None = None
    status: int | None = None
    message: str | None = None
    drop: bool = False
    echo_headers: bool = False
    """Append every request header to the error message, as a debugging proxy would (the
    Authorization header names the access key, X-Amz-Security-Token is the session token)."""
    first: int | None = None
    every: int | None = None
    probability: float | None = None
    region: str | None = None
    """Only requests signed for this region (an opt-in region refused, one region throttled)."""
    seen: int = field(default=0, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """Build a rule from its JSON form, rejecting unknown keys (typos fail loudly)."""
        known = {f for f in cls.__dataclass_fields__ if f != "seen"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault rule keys: {sorted(unknown)}")
        return cls(**dict(data))

    def matches(self, op: str, region: str = "") -> bool:
        """Whether this rule is about ``op`` (in ``region``, when the rule names one)."""
        return self.op in ("*", op) and (self.region is None or self.region == region)

    def fires(self, rng: random.Random) -> bool:
        """Count one matching request and decide whether the fault applies to it."""
        self.seen += 1
        if self.first is not None:
            return self.seen <= self.first
        if self.every is not None:
            return self.every > 0 and self.seen % self.every == 0
        if self.probability is not None:
            return rng.random() < self.probability
        return True


def _signed_region(environ: Mapping[str, Any]) -> str:
    """The region a SigV4 request is signed for (``Credential=AKID/date/REGION/service/...``)."""
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    _, _, rest = auth.partition("Credential=")
    parts = rest.split("/")
    return parts[2] if len(parts) > 3 else ""


class FaultInjector:
    """WSGI middleware: faults, per-operation request counts, and the control API.

    Control endpoints (JSON): ``POST /_faults`` (list of rules), ``DELETE /_faults``,
    ``GET /_faults/log``, ``GET``/``DELETE /_smtui/requests``, ``POST /_smtui/fail``
    (``{"name", "reason"}``), ``POST /_smtui/reset``, ``POST /_smtui/pace``
    (``{"model", "transition"}``).
    """

    def __init__(
        self, app: WSGIApp, *, seed: int = 0, control: Any = None, credentials: Credentials | None = None
    ) -> None:
        self.app = app
        self.control = control
        self.credentials = credentials
        """When set, every request (SageMaker, STS, the control API) must carry them."""
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._seed = seed
        self._rules: list[Rule] = []
        self.log: list[dict[str, Any]] = []
        self.requests: Counter[str] = Counter()
        self.regions: Counter[str] = Counter()
        """Requests per signed region (a multi-region list must reach each region)."""
        self.op_regions: Counter[tuple[str, str]] = Counter()
        """Requests per (operation, signed region): where a change actually went."""
        self.bodies: dict[str, deque[dict[str, Any]]] = {}
        """The last request bodies of each CloudWatch Logs operation (see :meth:`_keep_body`)."""

    # ------------------------------------------------------------------ python API

    def set(self, rules: Iterable[Mapping[str, Any] | Rule], *, seed: int | None = None) -> None:
        """Replace the rules.  Keys: op, latency_ms, jitter_ms, error, status, message, drop,
        echo_headers, first | every | probability."""
        parsed = [r if isinstance(r, Rule) else Rule.from_dict(r) for r in rules]
        with self._lock:
            self._rules = parsed
            self._rng = random.Random(self._seed if seed is None else seed)

    def add(self, rule: Mapping[str, Any] | Rule) -> None:
        """Append one rule."""
        with self._lock:
            self._rules.append(rule if isinstance(rule, Rule) else Rule.from_dict(rule))

    def clear(self) -> None:
        """Remove every rule and forget the outcome log."""
        with self._lock:
            self._rules = []
            self.log = []

    @property
    def rules(self) -> list[Rule]:
        """The current rules (a copy)."""
        with self._lock:
            return list(self._rules)

    def clear_requests(self) -> None:
        """Forget the per-operation request counts."""
        with self._lock:
            self.requests.clear()
            self.regions.clear()
            self.op_regions.clear()
            self.bodies.clear()

    def request_counts(self) -> dict[str, Any]:
        """Counts per SageMaker (and CloudWatch Logs) operation, plus how many SageMaker
        operations among them were mutating."""
        with self._lock:
            counts = dict(self.requests)
        # CloudWatch and CloudWatch Logs operations are not in SageMaker's model (which would
        # call them mutating); smtui only reads them, and they are counted under their names.
        mutating = sum(
            n for op, n in counts.items() if op not in self.bodies and op not in CLOUDWATCH_READS and is_mutating(op)
        )
        return {"counts": counts, "total": sum(counts.values()), "mutating": mutating}

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.credentials is not None and not self.credentials.carried_by(environ):
            return _json(
                start_response,
                403,
                {"__type": "UnrecognizedClientException", "message": _DEFAULT_MESSAGES["UnrecognizedClientException"]},
            )
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/_faults", "/_smtui/")):
            return self._control(environ, start_response, path)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        service, _, op = target.partition(".")
        if service not in _SERVICES or not op:
            return self.app(environ, start_response)
        too_large = int(environ.get("CONTENT_LENGTH") or 0) > MAX_BODY
        if service in _BODIES_KEPT and not too_large:
            self._keep_body(op, environ)
        latency, fault = self._decide(op, _signed_region(environ))
        if latency > 0:
            time.sleep(latency / 1000.0)
        if too_large:
            self._record(op, "error:413", latency)
            _drain(environ)
            return _json(start_response, 413, {"message": f"HTTP content length exceeded {MAX_BODY} bytes."})
        if fault is None:
            self._record(op, "ok", latency)
            return self.app(environ, start_response)
        if fault.drop:
            self._record(op, "drop", latency)
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # werkzeug treats this as a dropped connection and writes nothing.
            raise ConnectionAbortedError("smtui emulator: connection dropped by fault rule")
        code = fault.error or _CODE_FOR_STATUS.get(fault.status or 400, "InternalFailure")
        status = fault.status or _DEFAULT_STATUS.get(code, 400)
        self._record(op, f"error:{code}", latency)
        message = fault.message or _DEFAULT_MESSAGES.get(code, code)
        if fault.echo_headers:
            headers = {k: str(v) for k, v in environ.items() if k.startswith("HTTP_")}
            message += f" (request headers: {json.dumps(headers)})"
        return _json(start_response, status, {"__type": code, "message": message})

    def _keep_body(self, op: str, environ: dict[str, Any]) -> None:
        """Keep the JSON body of a CloudWatch Logs request, so a test can say what was asked
        (the filter pattern pushed down, the stream names); the body is put back for moto."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        with self._lock:
            self.bodies.setdefault(op, deque(maxlen=200)).append(body)

    def _decide(self, op: str, region: str = "") -> tuple[float, Rule | None]:
        latency = 0.0
        fault: Rule | None = None
        with self._lock:
            self.requests[op] += 1
            self.regions[region] += 1
            self.op_regions[(op, region)] += 1
            for rule in self._rules:
                if not rule.matches(op, region) or not rule.fires(self._rng):
                    continue
                if rule.latency_ms or rule.jitter_ms:
                    latency += rule.latency_ms + self._rng.uniform(0, rule.jitter_ms)
                if fault is None and (rule.error or rule.status or rule.drop):
                    fault = rule
        return latency, fault

    def _record(self, op: str, outcome: str, latency: float) -> None:
        with self._lock:
            self.log.append({"op": op, "outcome": outcome, "latency_ms": round(latency, 1), "t": time.time()})
            if len(self.log) > 10_000:
                del self.log[:1_000]

    # ------------------------------------------------------------------ control API

    def _control(self, environ: dict[str, Any], start_response: Callable[..., Any], path: str) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
            return _json(start_response, 200, self._handle(method, path, body))
        except KeyError as exc:
            return _json(start_response, 404, {"error": f"not found: {exc.args[0]}"})
        except (ValueError, TypeError) as exc:
            return _json(start_response, 400, {"error": str(exc)})

    def _handle(self, method: str, path: str, body: Any) -> Any:
        route = (method, path.rstrip("/"))
        if route == ("POST", "/_faults"):
            rules = body.get("rules", []) if isinstance(body, dict) else body or []
            self.set(rules, seed=body.get("seed") if isinstance(body, dict) else None)
            return {"rules": len(self.rules)}
        if route == ("DELETE", "/_faults"):
            self.clear()
            return {"rules": 0}
        if route == ("GET", "/_faults"):
            return [{k: v for k, v in vars(r).items() if k != "seen"} for r in self.rules]
        if route == ("GET", "/_faults/log"):
            with self._lock:
                return list(self.log)
        if route == ("GET", "/_smtui/requests"):
            return self.request_counts()
        if route == ("DELETE", "/_smtui/requests"):
            self.clear_requests()
            return {"total": 0}
        if self.control is not None:
            if route == ("POST", "/_smtui/fail"):
                if not isinstance(body, dict) or "name" not in body:
                    raise ValueError('expected {"name": ..., "reason": ...}')
                kind = self.control.fail(str(body["name"]), str(body.get("reason") or "Failed by request"))
                return {"name": body["name"], "kind": kind}
            if route == ("POST", "/_smtui/reset"):
                self.control.reset()
                return {"reset": True}
            if route == ("POST", "/_smtui/pace"):
                if not isinstance(body, dict):
                    raise ValueError('expected {"model": ..., "transition": {...}}')
                self.control.set_pace(str(body.get("model", "*")), dict(body["transition"]))
                return {"model": body.get("model", "*")}
        raise KeyError(f"{method} {path}")


def _drain(environ: Mapping[str, Any], chunk: int = 1 << 16, most: int = 64 << 20) -> None:
    """Read a refused body and keep none of it: left on the connection, the client was still
    sending it when the answer came, and saw a reset instead of the 413."""
    left = min(int(environ.get("CONTENT_LENGTH") or 0), most)
    stream = environ["wsgi.input"]
    while left > 0:
        data = stream.read(min(chunk, left))
        if not data:
            return
        left -= len(data)


def _json(start_response: Callable[..., Any], status: int, payload: Any) -> list[bytes]:
    body = json.dumps(payload, default=str).encode()
    start_response(
        f"{status} {_REASONS.get(status, 'OK' if status == 200 else 'Error')}",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", str(uuid.uuid4())),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]
