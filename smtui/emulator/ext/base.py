"""The base of the extended SageMaker response: validation, unknown operations and status syncing."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from botocore.model import OperationNotFoundError
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import (
    AWSValidationException,
    ConflictException,
    ResourceInUseException,
    ResourceNotFound,
    ValidationError,
)
from moto.sagemaker.responses import SageMakerResponse

from smtui.aws.model import operation
from smtui.aws.validation import aws_message, validate
from smtui.emulator.ext.errors import declared_error, duplicate, serialization_message
from smtui.emulator.ext.shapes import prune_absent
from smtui.emulator.ext.state import ExtState, Record, ext, fail_tag, public

__all__ = [
    "ActionResult",
    "ConflictException",
    "EmptyResult",
    "ExtBase",
    "ResourceInUseException",
    "ResourceNotFound",
    "ValidationError",
    "json_error",
]

log = logging.getLogger("smtui.emulator")

Response = tuple[int, dict[str, str], str]

READS = ("List", "Describe", "Get", "Search", "BatchDescribe", "BatchGet", "Query")
"""Operation prefixes that change nothing a listing keeps (a read's lifecycle steps count as
moves on their own, :meth:`ExtState.moved`); every other request counts as a move."""


def json_error(status: int, code: str, message: str) -> Response:
    """An error in AWS JSON 1.1 form, for answers that do not come from moto's serializer."""
    body = json.dumps({"__type": code, "message": message})
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": str(uuid.uuid4()),
        "status": str(status),
    }
    return status, headers, body


def _requested_key(exc: KeyError, params: Any) -> str | None:
    """The request's own name (or ARN) when ``exc`` is a lookup of it, else None."""
    key = exc.args[0] if exc.args else None
    if not isinstance(key, str) or not isinstance(params, dict):
        return None
    for value in params.values():
        if isinstance(value, str) and value and (key == value or key.lower().endswith("/" + value.lower())):
            return value
    return None


class ExtBase(SageMakerResponse):
    """Runs before every SageMaker operation, moto's own included.

    Order matters: invalid input is rejected before moto sees it (moto would otherwise
    store half a resource and then fail), and statuses are brought up to date so that
    both moto's handlers and ours read current values.
    """

    @property
    def ext(self) -> ExtState:
        """The extension state of the backend this request addresses."""
        return ext(self.sagemaker_backend)

    @property
    def backend(self) -> Any:
        """moto's SageMaker backend for this request's account and region."""
        return self.sagemaker_backend

    def p(self, key: str, default: Any = None) -> Any:
        """A parsed request parameter."""
        params: dict[str, Any] = self.params
        value = params.get(key)
        return default if value is None else value

    @property
    def fail_reason(self) -> str | None:
        """The reason given by an ``smtui:fail`` tag on a Create request."""
        return fail_tag(self.p("Tags"))

    def parse_parameters(self, request: Any) -> None:
        """moto's typed parse, or (when a value has the wrong JSON type, which moto's parser
        cannot convert and would answer with an HTML 500) the raw body, for
        :meth:`call_action` to refuse as SageMaker does."""
        self._body_error: str | None = None
        self._parse_failed = False
        try:
            raw = json.loads(request.data or b"{}")
        except ValueError:
            raw = None
        if not isinstance(raw, dict):
            self._body_error = "Start of structure or map found where not expected (the body is not a JSON object)"
        try:
            super().parse_parameters(request)
        except Exception:
            self.params = raw if isinstance(raw, dict) else {}
            self._parse_failed = True

    def serialized(self, action_result: ActionResult) -> Any:
        """moto's serializer, with errors given the codes the operation's model declares and
        structures that stand for absent ones left out of the answer."""
        result = action_result.result
        if isinstance(result, ServiceException):
            mapped = declared_error(self._get_action(), result)
            if mapped is not result:
                action_result = ActionResult(mapped)
            return super().serialized(action_result)
        status, headers, body = super().serialized(action_result)
        if isinstance(body, str) and ("{}" in body or '""' in body):
            body = prune_absent(self._get_action(), body)
        return status, headers, body

    def call_action(self) -> Any:
        action = self._get_action()
        try:
            op = operation(action)
        except OperationNotFoundError:
            return json_error(400, "UnknownOperationException", f"Unknown operation {action}")
        body_error = getattr(self, "_body_error", None)
        if body_error is not None:
            return json_error(400, "SerializationException", body_error)
        if op.input_shape is not None:
            problems = validate(self.params, op.input_shape)
            # A value of the wrong JSON type never reaches SageMaker's validation: its
            # deserializer refuses it first (a SerializationException); constraints on
            # well-typed values are the ValidationException.
            wrong_type = [p for p in problems if p.kind == "type"]
            if wrong_type:
                return json_error(400, "SerializationException", serialization_message(wrong_type[0]))
            if problems:
                return self.serialized(ActionResult(AWSValidationException(aws_message(problems))))
        if getattr(self, "_parse_failed", False):
            return json_error(400, "SerializationException", "A value could not be read as its member's type")
        self.ext.sync()
        taken = duplicate(action, self.params, self.backend)
        if taken is not None:
            return self.serialized(ActionResult(taken))
        writes = not action.startswith(READS)
        if writes:
            self.ext.moved()  # before and after: a listing meanwhile must not keep a half-written order
        try:
            return super().call_action()
        except NotImplementedError:
            # Answered as AWS answers an operation it does not know, never as an empty page: a
            # user or a test must be able to tell "not emulated" from "none in the account".
            # A 400 is final for botocore (no retries), unlike the HTML 500 moto would send.
            return json_error(
                400,
                "UnknownOperationException",
                f"The smtui emulator does not implement SageMaker {action}.",
            )
        except KeyError as exc:
            missing = _requested_key(exc, self.params)
            if missing is None:
                log.exception("emulator error in %s", action)
                return json_error(500, "InternalFailure", f"KeyError: {exc}")
            # moto looked the requested name up without checking it exists: that is a
            # resource not found (answered with the code the operation declares), not a 500.
            return self.serialized(ActionResult(ResourceNotFound(message=f"Could not find resource '{missing}'.")))
        except Exception as exc:
            # A bug in moto or the extension: answer in AWS's form instead of Flask's HTML page.
            log.exception("emulator error in %s", action)
            return json_error(500, "InternalFailure", f"{type(exc).__name__}: {exc}")
        finally:
            if writes:
                self.ext.moved()

    # ------------------------------------------------------------------ record helpers

    def record(self, kind: str, name: str, missing: Callable[[str], Exception]) -> Record:
        """A record of an extension-only kind, or the kind's not-found error."""
        rec = self.ext.store(kind).get(name)
        if rec is None:
            raise missing(name)
        return rec

    def describe_record(self, kind: str, name: str, missing: Callable[[str], Exception]) -> ActionResult:
        """Count the describe (manual pacing), catch up, and answer with the record."""
        self.record(kind, name, missing)
        self.ext.touch(kind, name)
        return ActionResult(public(self.record(kind, name, missing)))
