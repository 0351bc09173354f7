"""Calendars: participant leave and resource outages or availability.

Weekends, holidays and gate days are not in the grid at all; what is left per
job is in ``Job.open_days`` (computed from dates by the data layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.data.problem import ProblemData


def days(data: ProblemData, job: int, last: bool) -> Sequence[bool] | None:
    """Days on which every participant and resource of the job is available."""
    return data.jobs[job].open_days


FAMILY = Family(
    name="calendars",
    keys=("calendar", "participants.*.blackouts", "resources.*.blackouts", "resources.*.available",
          "resources.*.available_dates"),
    add=None,
    no_constraints="its days are left out of the variables' domains (Job.open_days)",
    verify=(rules.session_calendar,),
    explains=("available", "campaign", "blackout"),
)
