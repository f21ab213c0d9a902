"""Column helpers shared by the curated modules."""

from __future__ import annotations

from smtui.catalog.types import Column

NAME = "NAME"


def age(key: str = "CreationTime") -> Column:
    """The AGE column, rendered as a relative time."""
    return Column(key, "AGE", "time", width=6)


def status(key: str) -> Column:
    """The STATUS column, coloured by health."""
    return Column(key, "STATUS", "status", width=14)
