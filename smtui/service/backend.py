"""A backend process smtui itself started (the demo's emulator), watched from the UI.

The UI may not import the emulator, so ``smtui.cli`` hands the app an object with this
shape. If the process dies, the app says so, with its exit status or signal, and offers one
key to start it again with the same seed.
"""

from __future__ import annotations

import signal
from typing import Protocol


class Backend(Protocol):
    """A child process serving SageMaker's API for this session."""

    def exit_status(self) -> int | None:
        """None while it runs; else its return code (negative: killed by that signal)."""
        ...

    def restart(self) -> str:
        """Start it again (same seed); returns its new endpoint URL. May raise."""
        ...


def describe_exit(status: int) -> str:
    """``exit status 1`` or ``killed by SIGKILL``: how a process ended, in words."""
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"killed by {name}"
    return f"exit status {status}"
