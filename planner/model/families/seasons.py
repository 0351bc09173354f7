"""Seasons: modules that can only run in some date windows (e.g. winter survival).

A day rule (``Job.season_days``): :mod:`planner.data.days` applies it to the
variables' domains, so this family adds no constraint.
"""

from __future__ import annotations

from planner.model.contract import Family
from planner.verify import rules

FAMILY = Family(
    name="seasons",
    keys=("modules.*.allowed", "modules.*.block"),
    add=None,
    no_constraints="its days are left out of the variables' domains by planner.data.days (Job.season_days)",
    verify=(rules.session_season,),
    explains=("season", "block"),
)
