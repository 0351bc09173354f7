"""Seasons: modules that can only run in some date windows (e.g. winter survival)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.data.problem import ProblemData


def days(data: ProblemData, job: int, last: bool) -> Sequence[bool] | None:
    """Days inside the module's season (None: no season rule)."""
    return data.jobs[job].season_days


FAMILY = Family(
    name="seasons",
    keys=("modules.*.allowed",),
    add=None,
    no_constraints="its days are left out of the variables' domains (Job.season_days)",
    verify=(rules.session_season,),
    explains=("season",),
)
