"""The one UI-free façade between the UI and SageMaker.

The UI talks only to :class:`Service`: it lists (streaming, across parents), describes,
resolves related-resource jumps, gathers the burning view, builds pollers, and runs the write
workflow (:mod:`smtui.service.workflow` orders it: plan -> form/preview/confirm through a
presenter -> submit -> outcome; :mod:`smtui.service.actions` decides each step). No Textual
here; an import-linter contract keeps ``smtui.ui`` off the AWS client and pager, so this is
the only way down.
"""

from __future__ import annotations

from smtui.service.actions import ActionPlan, Outcome, Refusal
from smtui.service.jumps import JumpResult
from smtui.service.service import Batch, PresignedUrl, RegionFailed, Service

__all__ = ["ActionPlan", "Batch", "JumpResult", "Outcome", "PresignedUrl", "Refusal", "RegionFailed", "Service"]
