"""Window and gates: deadlines, and the order of a module's sessions.

The grid already ends where regular training ends and leaves gate days out;
a module with a ``deadline`` gate must end before that gate (a day rule, see
:mod:`planner.data.days`), and here the sessions of one module run in order,
with the module's day spacing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """Sessions of a job in order; minimum and maximum gaps; consecutive days."""
    m = ctx.model
    for j, job in enumerate(ctx.data.jobs):
        if not ctx.possible(j):
            continue
        sv = ctx.sessions[j]
        pres = ctx.present[j]
        for k in range(1, len(sv)):
            m.add(sv[k].start >= sv[k - 1].end)
            if sv[k].fixed:
                continue  # two sessions in the history: their days are facts, whatever the gap
            if job.consecutive:
                m.add(ctx.ordinal(j, k) == ctx.ordinal(j, k - 1) + 1).only_enforce_if(pres)
            elif job.min_gap_days:
                m.add(ctx.day(j, k) >= ctx.day(j, k - 1) + job.min_gap_days).only_enforce_if(pres)
            if job.max_gap_days is not None and ctx.data.num_days > 1:
                m.add(ctx.day(j, k) <= ctx.day(j, k - 1) + job.max_gap_days).only_enforce_if(pres)


FAMILY = Family(
    name="windows",
    keys=("window", "gates", "missions.*.launch", "missions.*.start", "missions.*.blocks", "missions.*.gates",
          "participants.*.blocks", "participants.*.modules",
          "modules.*.after_gate", "modules.*.deadline", "modules.*.hours", "modules.*.session_hours",
          "modules.*.sessions", "modules.*.min_days_between_sessions", "modules.*.max_days_between_sessions",
          "modules.*.consecutive_days"),
    add=add,
    verify=(rules.session_deadline, rules.session_pattern,),
    explains=("window", "deadline", "pattern"),
)
