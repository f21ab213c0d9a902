"""The extension of moto's SageMaker: missing operations, moving statuses, validation.

:func:`install` must run before the first SageMaker request reaches moto, because moto
builds its per-service Flask app lazily from ``moto.sagemaker.urls.url_paths``.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import moto.backends
import moto.core.responses
import moto.core.utils
from moto.sagemaker import models as sm_models
from moto.sagemaker import urls as sm_urls
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import Cluster, FakeEndpointConfig, FakeSagemakerNotebookInstance

from smtui.emulator.ext.catalogue import CatalogueMixin
from smtui.emulator.ext.clusters import ClusterMixin
from smtui.emulator.ext.corrections import CorrectionsMixin
from smtui.emulator.ext.families import MotoListsMixin
from smtui.emulator.ext.inference import InferenceMixin
from smtui.emulator.ext.jobs import JobsMixin
from smtui.emulator.ext.logs import install_filter_patterns
from smtui.emulator.ext.mlflow import MlflowMixin
from smtui.emulator.ext.moving import MovingMixin
from smtui.emulator.ext.records import RecordsMixin
from smtui.emulator.ext.state import ExtState, ext
from smtui.emulator.ext.studio import StudioMixin
from smtui.emulator.lifecycle import register_defaults

__all__ = ["ExtSageMakerResponse", "ExtState", "ext", "install"]


class ExtSageMakerResponse(
    InferenceMixin,
    MlflowMixin,
    ClusterMixin,
    JobsMixin,
    StudioMixin,
    CatalogueMixin,
    RecordsMixin,
    MotoListsMixin,
    MovingMixin,
    CorrectionsMixin,
):
    """moto's SageMakerResponse plus every smtui extension."""


_installed = False
_lock = threading.Lock()


def _no_check(self: Any, instance_type: str) -> None:
    # moto's lists date from 2019 (no g5/p5/inf2); botocore's enum is checked instead.
    return None


def _validate_variant_models(self: Any, production_variants: list[dict[str, Any]]) -> None:
    # moto requires every variant's model; a variant that hosts inference components has none.
    for variant in production_variants:
        name = variant.get("ModelName")
        if name and name not in self._models:
            arn = f"arn:aws:sagemaker:{self.region_name}:{self.account_id}:model/{name}"
            raise ValidationError(message=f"Could not find model '{arn}'.")


def _accept_batch_transform_input(cls: Any, member: str) -> None:
    """moto's job definition reads ``EndpointInput`` only; ``BatchTransformInput`` is as valid."""
    original = cls.__init__

    @functools.wraps(original)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        job_input = kwargs.get(member)
        if isinstance(job_input, dict) and "EndpointInput" not in job_input:
            kwargs[member] = {**job_input, "EndpointInput": {"EndpointName": None}}
            original(self, *args, **kwargs)
            setattr(self, member, job_input)  # describe shows what was sent
            return
        original(self, *args, **kwargs)

    cls.__init__ = init


def install() -> None:
    """Point moto's SageMaker route at the extension and apply the moto patches (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        register_defaults()
        sm_urls.url_paths["{0}/$"] = ExtSageMakerResponse.dispatch
        # moto checks instance types against a list that lags the real service; setattr
        # because these replace methods of moto's classes, which mypy rightly flags.
        for cls, method in (
            (FakeEndpointConfig, "validate_instance_type"),
            (FakeSagemakerNotebookInstance, "validate_instance_type"),
            (Cluster, "valid_cluster_node_instance_types"),
        ):
            setattr(cls, method, _no_check)
        setattr(sm_models.SageMakerModelBackend, "validate_production_variants", _validate_variant_models)  # noqa: B010
        _accept_batch_transform_input(sm_models.ModelQualityJobDefinition, "model_quality_job_input")
        _accept_batch_transform_input(sm_models.ModelExplainabilityJobDefinition, "model_explainability_job_input")
        # Both run on every request: list_of_moto_modules stats ~175 directories (25% of a
        # request), method_names_from_class walks hundreds of methods with inspect.
        modules = tuple(moto.backends.list_of_moto_modules())
        moto.backends.list_of_moto_modules = lambda: modules
        cached = functools.cache(moto.core.utils.method_names_from_class)
        setattr(moto.core.responses, "method_names_from_class", cached)  # noqa: B010 (not in moto's stubs)
        install_filter_patterns()
        _installed = True
