"""Where smtui is pointed: a plain record the UI may hold (it never holds the client itself)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Target:
    """Which account/region/endpoint to talk to, and whether writes are allowed."""

    profile: str | None = None
    region: str = "us-east-1"
    endpoint_url: str | None = None
    read_only: bool = False
    # Static credentials, used by --demo and the tests so the user's own profiles never leak in.
    static_credentials: tuple[str, str] | None = field(default=None, repr=False)
    static_token: str | None = field(default=None, repr=False)
    """The session token that goes with ``static_credentials`` (the demo's emulator checks it)."""
    emulator: bool = False
    """The endpoint is smtui's local emulator (``--demo``): an operation it lacks is said to be
    missing from the emulator, not from SageMaker."""

    def with_changes(self, **changes: Any) -> Target:
        return replace(self, **changes)

    @property
    def label(self) -> str:
        return self.profile or ("demo" if self.static_credentials else "default")
