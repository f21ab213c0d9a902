"""The base of the extended SageMaker response: validation, unknown operations and status syncing."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from botocore.model import OperationNotFoundError
from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import AWSValidationException, ResourceNotFound, ValidationError
from moto.sagemaker.responses import SageMakerResponse

from smtui.aws.model import operation
from smtui.aws.validation import aws_message, validate
from smtui.emulator.ext.state import ExtState, Record, ext, fail_tag, public

__all__ = [
    "ActionResult",
    "EmptyResult",
    "ExtBase",
    "ResourceNotFound",
    "ValidationError",
    "json_error",
]

log = logging.getLogger("smtui.emulator")

Response = tuple[int, dict[str, str], str]


def json_error(status: int, code: str, message: str) -> Response:
    """An error in AWS JSON 1.1 form, for answers that do not come from moto's serializer."""
    body = json.dumps({"__type": code, "message": message})
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": str(uuid.uuid4()),
        "status": str(status),
    }
    return status, headers, body


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

    def call_action(self) -> Any:
        action = self._get_action()
        try:
            op = operation(action)
        except OperationNotFoundError:
            return json_error(400, "UnknownOperationException", f"Unknown operation {action}")
        if op.input_shape is not None:
            problems = validate(self.params, op.input_shape)
            if problems:
                return self.serialized(ActionResult(AWSValidationException(aws_message(problems))))
        self.ext.sync()
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
        except Exception as exc:
            # A bug in moto or the extension: answer in AWS's form instead of Flask's HTML page.
            log.exception("emulator error in %s", action)
            return json_error(500, "InternalFailure", f"{type(exc).__name__}: {exc}")

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
