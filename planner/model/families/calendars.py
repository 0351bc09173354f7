"""Calendars: participant leave and resource outages or availability.

Weekends, holidays and gate days are not in the grid at all; what is left per
job is in ``Job.open_days`` (computed from dates by the data layer). The
rule is a day rule: :mod:`planner.data.days` applies it to the variables'
domains, so this family adds no constraint.
"""

from __future__ import annotations

from planner.model.contract import Family
from planner.verify import rules

FAMILY = Family(
    name="calendars",
    keys=("calendar", "participants.*.blackouts", "resources.*.blackouts", "resources.*.available",
          "resources.*.available_dates", "participants.*.calendar", "resources.*.calendar", "resources.*.site",
          "sites.*.calendar"),
    add=None,
    no_constraints="its days are left out of the variables' domains by planner.data.days (Job.open_days)",
    verify=(rules.session_calendar,),
    explains=("available", "campaign", "blackout"),
)
