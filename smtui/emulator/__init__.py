"""The local SageMaker used by ``smtui --demo`` and the tests: moto in server mode, extended.

Importing this package does not import moto (it is an optional extra); use
:func:`emulator_available` first, then :func:`start_child` (separate process) or
``smtui.emulator.server.EmulatorServer`` (in process).
"""

from __future__ import annotations

from smtui.emulator.child import (
    INSTALL_HINT,
    EmulatorChild,
    EmulatorStartError,
    emulator_available,
    start_child,
)
from smtui.emulator.faults import Credentials

__all__ = [
    "INSTALL_HINT",
    "Credentials",
    "EmulatorChild",
    "EmulatorStartError",
    "emulator_available",
    "start_child",
]
