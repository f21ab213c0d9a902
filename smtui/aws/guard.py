"""The read-only guard: mutating SageMaker operations are refused inside the process.

Hiding buttons in the UI is not enough — a bug or a generic form could still send a Create or
Delete. The guard hooks botocore's ``before-parameter-build`` event, which fires for every call
before the request is even serialised, so nothing mutating can leave the process.
"""

from __future__ import annotations

from typing import Any

from smtui.aws.errors import ReadOnlyRefused
from smtui.aws.model import is_mutating


def _refuse_mutations(model: Any, **_: Any) -> None:
    name = str(getattr(model, "name", ""))
    if is_mutating(name):
        raise ReadOnlyRefused(
            f"{name} refused: smtui is in read-only mode",
            "restart without --read-only (or clear read_only for this profile) to make changes",
            operation=name,
        )


def install_read_only_guard(client: Any) -> None:
    """Make ``client`` refuse every mutating SageMaker operation."""
    client.meta.events.register("before-parameter-build.sagemaker", _refuse_mutations, unique_id="smtui-read-only")
