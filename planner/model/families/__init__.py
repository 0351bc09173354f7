"""The constraint families, one module each, applied in a fixed order.

Each module declares its :class:`~planner.model.contract.Family` as
``FAMILY`` (keys, constraints, verifier check, explanation); ``CONTRACTS``
holds them in the order of ``FAMILIES``.

A family may add constraints (``add(ctx)``). The working days a session may
use (calendars, seasons, recency, deadlines) are decided in one place,
:mod:`planner.data.days`, and folded into the variables' domains when they
are made (:mod:`planner.model.context`), which is far stronger than posting
them as constraints later.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from planner.model.contract import Family, order_problems
from planner.model.families import (
    bounds,
    calendars,
    competencies,
    instructors,
    joint,
    load,
    precedence,
    recency,
    refreshers,
    resources,
    seasons,
    spacing,
    stability,
    windows,
)

if TYPE_CHECKING:
    from planner.model.context import Context

# The day rules (whose days make the variables) come first; otherwise order
# matters only where a family reads what an earlier one provides
# (``Family.requires``, checked below), e.g. ``bounds`` reads the goal literals
# of ``competencies``.
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
    refreshers,
    load,
    competencies,
    bounds,
    stability,
)

CONTRACTS: tuple[Family, ...] = tuple(family.FAMILY for family in FAMILIES)
_ORDER_PROBLEMS = order_problems(CONTRACTS)
if _ORDER_PROBLEMS:  # a registry error, found at import
    raise RuntimeError("; ".join(_ORDER_PROBLEMS))

def add_all(ctx: Context, skip: frozenset[str] = frozenset()) -> None:
    """Add the constraints of every family not named in ``skip``.

    Raises ValueError for an unknown name, or when a skipped family provides
    what a kept one reads (the kept one would silently constrain nothing).
    """
    unknown = skip - {c.name for c in CONTRACTS}
    if unknown:
        raise ValueError(f"no constraint family named {', '.join(sorted(unknown))}")
    problems = order_problems(CONTRACTS, skip)
    if problems:
        raise ValueError("; ".join(problems))
    for contract in CONTRACTS:
        if contract.name not in skip and contract.add is not None:
            contract.add(ctx)
