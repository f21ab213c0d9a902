"""What a SageMaker resource type is: data derived from botocore's model plus curated overrides.

``default_catalog()`` returns every type; :class:`ResourceType` says how to list, describe,
watch and act on one; :func:`value_at` reads the dotted paths the types use. No Textual here.
"""

from __future__ import annotations

from smtui.catalog.catalog import Catalog, build_catalog, default_catalog
from smtui.catalog.logs import LOG_SOURCES, LogSource, log_source
from smtui.catalog.status import classify_status
from smtui.catalog.types import (
    HEALTH_STATES,
    LIST_PREFIX,
    Column,
    Jump,
    ParentSpec,
    ResourceType,
    resolve,
    value_at,
)

__all__ = [
    "HEALTH_STATES",
    "LIST_PREFIX",
    "LOG_SOURCES",
    "Catalog",
    "Column",
    "Jump",
    "LogSource",
    "ParentSpec",
    "ResourceType",
    "build_catalog",
    "classify_status",
    "default_catalog",
    "log_source",
    "resolve",
    "value_at",
]
