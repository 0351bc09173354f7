"""Recency: a module must be completed within N days before launch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.data.problem import ProblemData


def days(data: ProblemData, job: int, last: bool) -> Sequence[bool] | None:
    """For the last session only: days recent enough before launch."""
    return data.jobs[job].last_open_days if last else None


FAMILY = Family(
    name="recency",
    keys=("modules.*.recency_days",),
    add=None,
    no_constraints="its days are left out of the last session's domain (Job.last_open_days)",
    verify=(rules.session_recency,),
    explains=("recency",),
)
