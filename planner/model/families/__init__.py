"""The constraint families, one module each, applied in a fixed order.

A family may restrict the working days a session can use (``days(data,
job, last)`` returning one flag per day, or None when it has no say) and may
add constraints (``add(ctx)``). Day restrictions are folded into the
variables' domains when they are made, which is far stronger than posting
them as constraints later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    from planner.data.problem import ProblemData
    from planner.model.context import Context

# Order matters only for readability of the model: every family is
# independent, but variables (made from the day filters) come first.
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

DayFilter = Callable[["ProblemData", int, bool], Sequence[bool] | None]


def allowed_days(data: ProblemData, job: int, last: bool) -> list[int]:
    """Working days on which a session (the last one if ``last``) of ``job`` may run."""
    flags: list[Sequence[bool]] = []
    for family in FAMILIES:
        hook: DayFilter | None = getattr(family, "days", None)
        if hook is not None:
            f = hook(data, job, last)
            if f is not None:
                flags.append(f)
    return [d for d in range(data.num_days) if all(f[d] for f in flags)]


def add_all(ctx: Context, skip: frozenset[str] = frozenset()) -> None:
    """Add the constraints of every family not named in ``skip``."""
    for family in FAMILIES:
        name = family.__name__.rsplit(".", 1)[-1]
        if name not in skip and hasattr(family, "add"):
            family.add(ctx)
