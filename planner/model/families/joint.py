"""Participants: one session at a time, crew events, rest days.

A joint (crew) job is one set of intervals shared by every crew member, so
all attend together. Each participant's sessions, joint or individual, never
overlap, and no session falls on the rest days after an exhausting module;
rest days of two modules may coincide (both ask for the same quiet days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """One NoOverlap per participant over their sessions; with rest blocks, a
    Cumulative in which a session weighs more than all rest blocks together."""
    data, m = ctx.data, ctx.model
    S = data.slots_per_day
    per_p: list[list[cp_model.IntervalVar]] = [[] for _ in data.participants]
    rest_p: list[list[cp_model.IntervalVar]] = [[] for _ in data.participants]
    for j, job in enumerate(data.jobs):
        if not ctx.possible(j):
            continue
        for sv in ctx.sessions[j]:
            if sv.fixed:
                continue  # history: before every free session, nothing to check
            for p in job.participants:
                per_p[p].append(sv.interval)
        if job.rest_days_after and ctx.last(j).day is not None:
            # The rest days are blocked whole: an interval from the start of
            # the next day, rest_days_after days long.
            day = ctx.last(j).day
            assert day is not None
            size = S * job.rest_days_after
            itv = m.new_optional_fixed_size_interval_var(S * (day + 1), size, ctx.present[j], f"rest[{job.id}]")
            for p in job.participants:
                rest_p[p].append(itv)
        if job.travel_before and ctx.first(j).day is not None:
            # Travel out: the travel_before days before the first session's day, blocked whole.
            day = ctx.first(j).day
            assert day is not None
            size = S * job.travel_before
            itv = m.new_optional_fixed_size_interval_var(S * (day - job.travel_before), size, ctx.present[j],
                                                         f"travel[{job.id}]")
            for p in job.participants:
                rest_p[p].append(itv)
    for p, (sessions, rests) in enumerate(zip(per_p, rest_p, strict=True)):
        # Repair levers: a day the participant may train on only if the lever is
        # bought is blocked by an interval present unless it is (weighs as a rest block).
        if len(sessions) > 1:
            m.add_no_overlap(sessions)
        rests = rests + [itv for itv, _ in ctx.fillers.get(("participant", p), [])]
        if rests and sessions:
            # Sessions weigh len(rests) + 1, rest blocks 1, capacity len(rests) + 1:
            # a session excludes any other session or rest block, while all rest
            # blocks may overlap each other.
            w = len(rests) + 1
            m.add_cumulative([*sessions, *rests], [w] * len(sessions) + [1] * len(rests), w)


FAMILY = Family(
    name="joint",
    keys=("modules.*.joint", "participants.*.crew", "participants.*.cohort", "modules.*.rest_days_after",
          "modules.*.travel_days", "sites.*.travel_days"),
    add=add,
    verify=(rules.participant_sessions,),
    no_explanation="one session at a time and crew attendance are not relaxed by one edit; rest days are explained with the module's session pattern (windows: pattern)",
)
