"""Error codes as each operation's model declares them.

moto and the extension refuse things in one vocabulary (a missing resource, a duplicate, a
resource busy with another change); SageMaker's model says, per operation, which error code
carries each of them. ``DescribeCluster`` declares ResourceNotFound, ``DescribeEndpoint``
declares none and answers a ValidationException: a client that branches on the code (as
botocore's error factory lets it) must see what the real service sends.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationNotFoundError
from moto.core.exceptions import ServiceException
from moto.sagemaker.exceptions import ConflictException, ResourceInUseException, ResourceNotFound, ValidationError

from smtui.aws.model import operation
from smtui.aws.validation import Problem, aws_path

__all__ = ["declared_error", "duplicate", "serialization_message"]

_NOT_FOUND = re.compile(r"could not find|does not exist|not found", re.IGNORECASE)
_IN_USE = re.compile(r"already exist", re.IGNORECASE)
_INPUT_PROBLEMS = re.compile(r"^\d+ validation errors? detected")

_CLASSES: dict[str, type[ServiceException]] = {
    "ResourceNotFound": ResourceNotFound,
    "ResourceInUse": ResourceInUseException,
    "ConflictException": ConflictException,
    "ValidationException": ValidationError,
}


@functools.cache
def declared_codes(action: str) -> frozenset[str]:
    """The error codes an operation's model declares (empty for an unknown operation)."""
    try:
        return frozenset(e.name for e in operation(action).error_shapes)
    except OperationNotFoundError:
        return frozenset()


def refusal_kind(exc: ServiceException) -> str | None:
    """``not-found``, ``in-use`` or ``conflict`` for an error that says so, else None."""
    code = str(getattr(exc, "code", ""))
    message = str(getattr(exc, "message", "") or exc)
    if code == "ResourceNotFound":
        return "not-found"
    if code in ("ResourceInUse", "ConflictException"):
        return "in-use" if code == "ResourceInUse" or _IN_USE.search(message) else "conflict"
    if code != "ValidationException" or _INPUT_PROBLEMS.match(message):
        return None
    if _IN_USE.search(message):
        return "in-use"
    if _NOT_FOUND.search(message):
        return "not-found"
    return None


_PREFERENCE = {
    "not-found": ("ResourceNotFound",),
    # A duplicate or a busy resource: an operation declares one of the two codes for both
    # (CreateModelCard has only ConflictException, UpdateDomain only ResourceInUse).
    "in-use": ("ResourceInUse", "ConflictException"),
    "conflict": ("ConflictException", "ResourceInUse"),
}


def declared_error(action: str, exc: ServiceException) -> ServiceException:
    """``exc`` with the code ``action`` declares for its kind of refusal; SageMaker answers
    an undeclared one as a ValidationException. Other errors pass unchanged."""
    kind = refusal_kind(exc)
    if kind is None:
        return exc
    declared = declared_codes(action)
    code = next((c for c in _PREFERENCE[kind] if c in declared), "ValidationException")
    if code == getattr(exc, "code", None):
        return exc
    message = str(getattr(exc, "message", "") or exc)
    return _CLASSES[code](message)


_JSON_KIND = {str: "STRING_VALUE", int: "NUMBER_VALUE", float: "NUMBER_VALUE", bool: "BOOLEAN_VALUE"}
_TARGET = {
    "integer": "an Integer",
    "number": "a Double",
    "string": "a String",
    "boolean": "a Boolean",
    "timestamp": "a Timestamp",
    "list": "a List",
    "map": "a Map",
    "structure": "a Structure",
    "blob": "a Blob",
}


def serialization_message(problem: Problem) -> str:
    """A SerializationException message for a value of the wrong JSON type, in the service's
    words ("STRING_VALUE can not be converted to an Integer"), naming the member."""
    value = problem.value
    if isinstance(value, dict):
        found = "START_OBJECT"
    elif isinstance(value, list | tuple):
        found = "START_ARRAY"
    else:
        found = _JSON_KIND.get(type(value), "VALUE")
    expected = problem.constraint.removeprefix("Member must be of type ")
    target = _TARGET.get(expected, expected)
    return f"{found} can not be converted to {target} (at '{aws_path(problem.path)}')"


# Creates moto would let overwrite a resource (a completed job back to InProgress): the
# backend's store, the name parameter, the ARN's resource word and SageMaker's wording.
_UNIQUE: dict[str, tuple[str, str, str, str]] = {
    "CreateModel": ("_models", "ModelName", "model", 'Cannot create already existing model "{arn}".'),
    "CreateEndpointConfig": (
        "endpoint_configs",
        "EndpointConfigName",
        "endpoint-config",
        'Cannot create already existing endpoint configuration "{arn}".',
    ),
    "CreateEndpoint": ("endpoints", "EndpointName", "endpoint", 'Cannot create already existing endpoint "{arn}".'),
    "CreateTrainingJob": (
        "training_jobs",
        "TrainingJobName",
        "training-job",
        "Training job names must be unique within an AWS account and region, and a training job "
        "with this name already exists ({arn})",
    ),
    "CreateProcessingJob": (
        "processing_jobs",
        "ProcessingJobName",
        "processing-job",
        "Processing job names must be unique within an AWS account and region, and a processing job "
        "with this name already exists ({arn})",
    ),
    "CreateTransformJob": (
        "transform_jobs",
        "TransformJobName",
        "transform-job",
        "Transform job names must be unique within an AWS account and region, and a transform job "
        "with this name already exists ({arn})",
    ),
    "CreateModelPackageGroup": (
        "model_package_groups",
        "ModelPackageGroupName",
        "model-package-group",
        "Model Package Group already exists: {arn}",
    ),
    "CreateExperiment": ("experiments", "ExperimentName", "experiment", "Experiment already exists: {arn}"),
    "CreateTrial": ("trials", "TrialName", "experiment-trial", "Trial already exists: {arn}"),
    "CreateTrialComponent": (
        "trial_components",
        "TrialComponentName",
        "experiment-trial-component",
        "Trial component already exists: {arn}",
    ),
}


def duplicate(action: str, params: Mapping[str, Any], backend: Any) -> ServiceException | None:
    """The refusal of a create whose name is taken (None when it is free or not guarded here).

    The caller serializes it; :func:`declared_error` then gives it the declared code."""
    unique = _UNIQUE.get(action)
    if unique is None:
        return None
    attr, param, resource, wording = unique
    name = params.get(param)
    if not isinstance(name, str) or name not in getattr(backend, attr, {}):
        return None
    arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:{resource}/{name.lower()}"
    return ResourceInUseException(wording.format(arn=arn))
