"""Statuses that change over time, paced through moto's state-manager configuration.

Each model name below can be configured like any moto managed-state model, in process with
:func:`set_pace` or over HTTP with ``POST /moto-api/state-manager/set-transition``:
``{"progression": "immediate"}``, ``{"progression": "manual", "times": N}`` (advance one
step after N describes of that resource) or ``{"progression": "time", "seconds": S}``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from moto.moto_api import state_manager

GONE = "__gone__"
"""Pseudo status: the resource disappears when its lifecycle reaches it."""

MODELS: dict[str, str] = {
    "endpoint": "sagemaker::endpoint",
    "inference-component": "sagemaker::inference-component",
    "training-job": "sagemaker::training-job",
    "processing-job": "sagemaker::processing-job",
    "transform-job": "sagemaker::transform-job",
    "hyper-parameter-tuning-job": "sagemaker::hyper-parameter-tuning-job",
    "cluster": "sagemaker::cluster",
    "cluster-node": "sagemaker::cluster-node",
    "mlflow-tracking-server": "sagemaker::mlflow-tracking-server",
    "mlflow-app": "sagemaker::mlflow-app",
    "notebook-instance": "sagemaker::notebook-instance",
    "domain": "sagemaker::domain",
    "user-profile": "sagemaker::user-profile",
    "space": "sagemaker::space",
    "app": "sagemaker::app",
    "monitoring-schedule": "sagemaker::monitoring-schedule",
    "project": "sagemaker::project",
    "pipeline-execution": "sagemaker::pipeline-execution",
}
"""Resource kind -> state-manager model name."""

# Seconds per step when the demo runs: long enough to watch, short enough to stay lively.
DEMO_SECONDS: dict[str, float] = {
    "endpoint": 8.0,
    "inference-component": 5.0,
    "training-job": 6.0,
    "processing-job": 8.0,
    "transform-job": 8.0,
    "hyper-parameter-tuning-job": 8.0,
    "cluster": 7.0,
    "cluster-node": 5.0,
    "mlflow-tracking-server": 6.0,
    "mlflow-app": 6.0,
    "notebook-instance": 5.0,
    "domain": 5.0,
    "user-profile": 3.0,
    "space": 4.0,
    "app": 4.0,
    "monitoring-schedule": 3.0,
    "project": 4.0,
    "pipeline-execution": 6.0,
}

IMMEDIATE: dict[str, Any] = {"progression": "immediate"}


def register_defaults() -> None:
    """Register every model with moto's state manager (default: immediate)."""
    for model in MODELS.values():
        state_manager.register_default_transition(model, IMMEDIATE)


def model_name(kind_or_model: str) -> str:
    """Accept either a kind (``training-job``) or a full model name."""
    return MODELS.get(kind_or_model, kind_or_model)


def set_pace(kind_or_model: str, transition: Mapping[str, Any]) -> None:
    """Set the progression of one model, or of every model when given ``"*"``/``"all"``."""
    targets = list(MODELS.values()) if kind_or_model in ("*", "all") else [model_name(kind_or_model)]
    for model in targets:
        state_manager.set_transition(model, dict(transition))


def set_demo_pace() -> None:
    """Time-based progression at human speed, for ``smtui --demo``."""
    for kind, model in MODELS.items():
        state_manager.set_transition(model, {"progression": "time", "seconds": DEMO_SECONDS[kind]})


def clear_pace() -> None:
    """Forget configured transitions, back to the registered defaults."""
    for model in MODELS.values():
        state_manager.unset_transition(model)


class Lifecycle:
    """A status machine advanced by time or by describes, according to its model's pacing.

    Unlike moto's ManagedState it can be re-set (Update/Stop/Delete start a new walk) and
    takes several steps at once when enough time has passed.
    """

    def __init__(self, model: str, steps: Mapping[str, str], status: str) -> None:
        self.model = model
        self.steps = dict(steps)
        self._status = status
        self._since = time.monotonic()
        self._ticks = 0

    @property
    def current(self) -> str:
        """The status reached so far, without advancing."""
        return self._status

    @property
    def done(self) -> bool:
        """True once no further step is defined."""
        return self._status not in self.steps

    def set(self, status: str, steps: Mapping[str, str] | None = None) -> None:
        """Restart the walk from ``status`` (optionally with new steps)."""
        if steps is not None:
            self.steps = dict(steps)
        self._status = status
        self._since = time.monotonic()
        self._ticks = 0

    def touch(self) -> None:
        """Count one describe, for ``manual`` progression."""
        self._ticks += 1

    def poll(self) -> list[str]:
        """Advance as far as the pacing allows; return the statuses entered, in order."""
        entered: list[str] = []
        cfg = state_manager.get_transition(self.model)
        kind = cfg.get("progression", "immediate")
        while self._status in self.steps:
            if kind == "manual":
                if self._ticks < int(cfg.get("times", 1)):
                    break
                self._ticks = 0
            elif kind == "time":
                seconds = float(cfg.get("seconds", 1.0))
                now = time.monotonic()
                if now - self._since < seconds:
                    break
                self._since += seconds
            self._status = self.steps[self._status]
            entered.append(self._status)
        return entered
