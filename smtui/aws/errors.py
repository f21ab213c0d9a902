"""One small hierarchy for everything that can go wrong talking to SageMaker.

botocore raises a zoo of exception types (ClientError with a code string, NoCredentialsError,
EndpointConnectionError, aiohttp errors, ...). The UI should catch exactly one base type and
show a sentence a person can act on, so the translation happens here, once, at the boundary.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Literal

from smtui.logs import redact
from smtui.text import printable


def _aiohttp_connection_errors() -> tuple[type[BaseException], ...]:
    """aiohttp's connection errors, if aiohttp is loaded at all.

    Importing aiohttp costs a tenth of a second at start-up, and the UI imports this module
    before its first frame. An exception cannot be an instance of a class that was never
    imported, so when aiohttp is absent from ``sys.modules`` the answer is exactly ``()``.
    """
    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is None:
        return ()
    try:
        return (aiohttp.ClientConnectionError, aiohttp.ServerDisconnectedError)
    except AttributeError:  # pragma: no cover - still being imported by another thread
        return ()


def _shown(text: str) -> str:
    """Text fit for the screen and the log: credentials redacted, control characters escaped.

    Error messages are the service's (or a proxy's) free text: they can echo an access key, a
    presigned URL or a session token, and an ESC in them would reach the terminal raw.
    """
    return printable(redact(text), keep_lines=True)


Delivery = Literal["not-sent", "refused", "unknown"]
"""What became of the request: it never left (``not-sent``: no connection, read-only, bad
parameters), SageMaker answered and refused it (``refused``, throttles included: a throttled
call is rejected before it is processed), or nobody can say whether it was processed
(``unknown``: a read timeout, a dropped connection, a 5xx). Only the last makes a retried
write unsafe."""


class AwsError(Exception):
    """Base of every error the AWS layer raises. ``message`` says what, ``hint`` says what to do."""

    kind = "unknown"
    retryable = False
    default_delivery: Delivery = "refused"

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        code: str = "",
        operation: str = "",
        delivery: Delivery | None = None,
    ) -> None:
        message, hint = _shown(message), _shown(hint)
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
        self.operation = operation
        self.delivery: Delivery = delivery or self.default_delivery

    @property
    def refused_by_sagemaker(self) -> bool:
        """SageMaker itself answered no (not a transport problem, not a local refusal)."""
        return self.delivery == "refused"

    def __str__(self) -> str:
        return f"{self.message}: {self.hint}" if self.hint else self.message


class Throttled(AwsError):
    kind = "throttled"
    retryable = True


class AccessDenied(AwsError):
    kind = "access-denied"


class CredentialsExpired(AwsError):
    """Retried on the backoff timer: the fix (``aws sso login`` in another terminal) happens
    outside smtui, and the view should come back by itself when it does."""

    kind = "credentials-expired"
    retryable = True


class CredentialsMissing(AwsError):
    kind = "credentials-missing"
    default_delivery: Delivery = "not-sent"


class NotFound(AwsError):
    kind = "not-found"


class ValidationFailed(AwsError):
    kind = "validation"


class ResourceConflict(AwsError):
    """ResourceInUse / ResourceLimitExceeded / ConflictException: the request was fine, the state was not."""

    kind = "conflict"


class Unreachable(AwsError):
    kind = "unreachable"
    retryable = True
    default_delivery: Delivery = "unknown"


class ReadOnlyRefused(AwsError):
    """Raised by the read-only guard before a mutating request leaves the process."""

    kind = "read-only"
    default_delivery: Delivery = "not-sent"


class UnknownOperation(AwsError):
    """The endpoint does not know the operation (``UnknownOperationException``): a region or
    endpoint that does not offer it yet, or the demo's emulator, which implements a subset.
    Permanent: retrying cannot make the operation exist."""

    kind = "unknown-operation"


class Unknown(AwsError):
    kind = "unknown"
    default_delivery: Delivery = "unknown"


_THROTTLE_CODES = {
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
    "RequestThrottled",
    "RequestThrottledException",
}
_EXPIRED_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
}
_DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}
_NOT_FOUND_CODES = {"ResourceNotFound", "ResourceNotFoundException", "NotFound", "NoSuchEntity"}
_CONFLICT_CODES = {"ResourceInUse", "ResourceLimitExceeded", "ConflictException", "ResourceInUseException"}


_UNKNOWN_OPERATION_CODES = {"UnknownOperationException", "UnknownOperation", "InvalidAction"}


def _unknown_operation(op: str, code: str, emulator: bool) -> UnknownOperation:
    what = op or "this operation"
    if emulator:
        return UnknownOperation(
            f"{what} is not available in the emulator",
            "the demo's local SageMaker implements a subset of the API; against a real account this view works",
            code=code,
            operation=op,
        )
    return UnknownOperation(
        f"{what} is not known at this endpoint",
        "the region or --endpoint-url may not offer it yet; check them, or try another region",
        code=code,
        operation=op,
    )


def _login_hint(profile: str | None) -> str:
    if profile:
        return f"run `aws sso login --profile {profile}` (or refresh its keys), then press r"
    return "refresh your credentials (e.g. `aws sso login`), then press r"


def translate(
    exc: BaseException, *, profile: str | None = None, operation: str = "", emulator: bool = False
) -> AwsError:
    """Map any exception raised by a botocore/aiobotocore call to an :class:`AwsError`.

    ``profile`` names the profile in hints ("credentials for profile X expired: run ...");
    ``emulator`` says the endpoint is the demo's emulator, so a missing operation is the
    emulator's gap, not SageMaker's.
    An :class:`AwsError` passes through unchanged, so translating twice is harmless.
    """
    if isinstance(exc, AwsError):
        return exc
    # Imported here, not at the top: botocore is heavy, and the UI imports this module before
    # its first frame. By the time something needs translating botocore is usually loaded.
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionClosedError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ParamValidationError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
        SSOTokenLoadError,
        TokenRetrievalError,
        UnauthorizedSSOTokenError,
    )

    who = f"profile {profile}" if profile else "the default credentials"
    # "credentials for profile prod" / "the default credentials": never "credentials for the
    # default credentials".
    creds = f"credentials for profile {profile}" if profile else "the default credentials"
    if isinstance(exc, ClientError):
        err: dict[str, Any] = exc.response.get("Error", {}) or {}
        code = str(err.get("Code", ""))
        msg = str(err.get("Message", "")) or code or "request failed"
        op = operation or str(getattr(exc, "operation_name", "") or "")
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code in _THROTTLE_CODES:
            return Throttled(
                f"{op or 'SageMaker'} is throttled ({msg})",
                "smtui backs off and retries by itself",
                code=code,
                operation=op,
            )
        if code in _EXPIRED_CODES:
            return CredentialsExpired(f"{creds} expired or are invalid", _login_hint(profile), code=code, operation=op)
        if code in _DENIED_CODES:
            return AccessDenied(
                f"access denied to {op or 'this call'} for {who}",
                "ask for sagemaker permissions on this resource type, or switch profile with :profile",
                code=code,
                operation=op,
            )
        if code in _NOT_FOUND_CODES or (code == "ValidationException" and "could not find" in msg.lower()):
            return NotFound(msg, "it may have been deleted; press r to refresh the list", code=code, operation=op)
        if code in ("ValidationException", "ValidationError"):
            return ValidationFailed(msg, "fix the highlighted value and submit again", code=code, operation=op)
        if status == 413:
            # Refused before it was read: nothing was applied, and sending it again would fail
            # the same way (a pasted file in a text field, most likely).
            return ValidationFailed(
                f"{op or 'the request'} is too large for SageMaker ({msg})",
                "shorten the longest value (a pasted file?) and submit again",
                code=code or "413",
                operation=op,
            )
        if code in _CONFLICT_CODES:
            return ResourceConflict(msg, "wait for the resource to settle, then retry", code=code, operation=op)
        if code in _UNKNOWN_OPERATION_CODES:
            return _unknown_operation(op, code, emulator)
        if code == "NotImplemented" or status == 501:
            return Unknown(
                f"{op or 'this operation'} is not available at this endpoint",
                code=code,
                operation=op,
                delivery="refused",
            )
        if status >= 500:
            return Unreachable(
                f"SageMaker answered {status} ({code or msg})",
                "a service-side problem; smtui retries, or press r",
                code=code,
                operation=op,
            )
        return Unknown(f"{code}: {msg}" if code else msg, code=code, operation=op, delivery="refused")
    if isinstance(exc, (UnauthorizedSSOTokenError, SSOTokenLoadError, TokenRetrievalError)):
        return CredentialsExpired(
            f"{creds} expired",
            _login_hint(profile),
            code=type(exc).__name__,
            operation=operation,
            delivery="not-sent",
        )
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return CredentialsMissing(
            "no AWS credentials found" + (f" for profile {profile}" if profile else ""),
            "set AWS_PROFILE or run `aws configure` / `aws sso login`, then press r",
            operation=operation,
        )
    if isinstance(exc, ProfileNotFound):
        return CredentialsMissing(str(exc), "pick another profile with :profile", operation=operation)
    if isinstance(exc, NoRegionError):
        return CredentialsMissing("no region configured", "pass --region or set AWS_REGION", operation=operation)
    if isinstance(exc, ParamValidationError):
        return ValidationFailed(str(exc), "fix the value and submit again", operation=operation, delivery="not-sent")
    if isinstance(exc, ReadTimeoutError):
        return Unreachable(
            "SageMaker did not answer in time (read timeout)",
            "a slow or congested link; smtui retries reads, or press r",
            code="ReadTimeout",
            operation=operation,
        )
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return Unreachable(
            "cannot reach SageMaker (no connection)",
            "check the network or --endpoint-url; smtui retries reads, or press r",
            code="ConnectFailed",
            operation=operation,
            delivery="not-sent",
        )
    if isinstance(exc, (ConnectionClosedError, *_aiohttp_connection_errors())):
        return Unreachable(
            "the connection dropped before SageMaker answered",
            "a flaky link or proxy; smtui retries reads, or press r",
            code="ConnectionDropped",
            operation=operation,
        )
    if isinstance(exc, (asyncio.TimeoutError, ConnectionError, OSError)):
        return Unreachable(
            f"cannot reach SageMaker ({type(exc).__name__})", "smtui retries, or press r", operation=operation
        )
    if isinstance(exc, BotoCoreError):
        return Unknown(str(exc), operation=operation)
    return Unknown(f"{type(exc).__name__}: {exc}", operation=operation)
