"""smtui: a terminal console for Amazon SageMaker, in the spirit of k9s.

Layers (imports point downward only; an import-linter contract enforces it):

- ``smtui.cli``       argument parsing and wiring: Settings -> App, or the emulator for ``--demo``.
- ``smtui.ui``        Textual app, screens and widgets. Never calls AWS itself except through
                      ``smtui.aws`` objects injected at start-up.
- ``smtui.live``      polling: what to refresh, when, and backoff. Pure asyncio.
- ``smtui.catalog``   what a resource type is, derived from botocore's model plus curated overrides.
- ``smtui.aws``       client factory, streaming pagination, typed errors, read-only guard,
                      model-driven validation. No Textual.
- ``smtui.emulator``  the local SageMaker (moto, extended) used by ``--demo`` and the tests.
"""

from __future__ import annotations

__version__ = "0.1.0"
