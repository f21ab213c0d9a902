"""Column helpers shared by the curated modules."""

from __future__ import annotations

from smtui.catalog.types import Column

NAME = "NAME"


def age(key: str = "CreationTime") -> Column:
    """The AGE column, rendered as a relative time."""
    return Column(key, "AGE", "time", width=6)


def status(key: str) -> Column:
    """The STATUS column, coloured by health."""
    # As narrow as its title and a sort arrow: the column grows to the longest status seen, and 14 cells for
    # "Executing" cost the 5 that an 80-column terminal needed for COPIES or AGE.
    return Column(key, "STATUS", "status", width=8)
