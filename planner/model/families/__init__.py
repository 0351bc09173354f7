"""The constraint families, one module each, applied in a fixed order.

A family may add constraints (``add(ctx)``). The working days a session may
use (calendars, seasons, recency, deadlines) are decided in one place,
:mod:`planner.data.days`, and folded into the variables' domains when they
are made (:mod:`planner.model.context`), which is far stronger than posting
them as constraints later.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from planner.model.families import (
    bounds,
    calendars,
    competencies,
    instructors,
    joint,
    load,
    precedence,
    recency,
    resources,
    seasons,
    spacing,
    stability,
    windows,
)

if TYPE_CHECKING:
    from planner.model.context import Context

# Order matters only for readability of the model: every family is
# independent, but the day rules (whose days make the variables) come first.
FAMILIES: tuple[ModuleType, ...] = (
    windows,
    calendars,
    seasons,
    recency,
    precedence,
    joint,
    resources,
    instructors,
    spacing,
    load,
    competencies,
    bounds,
    stability,
)

def add_all(ctx: Context, skip: frozenset[str] = frozenset()) -> None:
    """Add the constraints of every family not named in ``skip``."""
    for family in FAMILIES:
        name = family.__name__.rsplit(".", 1)[-1]
        if name not in skip and hasattr(family, "add"):
            family.add(ctx)
