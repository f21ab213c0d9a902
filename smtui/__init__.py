"""smtui: a terminal console for Amazon SageMaker, in the spirit of k9s.

Layers (imports point downward only; import-linter contracts enforce it). ARCHITECTURE.md at
the top of the repository is the authority, with a "where do I change X" table:

- ``smtui.cli``       argument parsing and wiring: Settings -> App, or the emulator for ``--demo``.
- ``smtui.ui``        Textual app, screens (views) and widgets. Talks to SageMaker only through
                      the service; screens post messages up.
- ``smtui.service``   the one UI-free façade: list, describe, jumps, burning, pollers, writes.
- ``smtui.live``      polling: what to refresh, when, and backoff (one pacing policy).
- ``smtui.forms``     the form engine: fields from the model, values, drafts, previews.
- ``smtui.catalog``   what a resource type is, derived from botocore's model plus curated overrides.
- ``smtui.aws``       client factory, streaming pagination, typed errors, read-only guard,
                      model-driven validation. No Textual.
- ``smtui.emulator``  the local SageMaker (moto, extended) used by ``--demo`` and the tests.
"""

from __future__ import annotations

__version__ = "0.1.0"
