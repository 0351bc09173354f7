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
    Cumulative in which a session weighs more than all rest blocks together;
    travel to and from a site blocks the sessions elsewhere (one such Cumulative
    per participant and site), not those at the site."""
    data, m = ctx.data, ctx.model
    S = data.slots_per_day
    per_p: list[list[tuple[cp_model.IntervalVar, str | None]]] = [[] for _ in data.participants]
    rest_p: list[list[cp_model.IntervalVar]] = [[] for _ in data.participants]
    away: dict[tuple[int, str], list[cp_model.IntervalVar]] = {}  # (participant, site) -> travel days
    for j, job in enumerate(data.jobs):
        if not ctx.possible(j):
            continue
        for sv in ctx.sessions[j]:
            if sv.fixed:
                continue  # history: before every free session, nothing to check
            for p in job.participants:
                per_p[p].append((sv.interval, job.travel_site))
        blocks: list[tuple[int, int, str | None]] = []  # (first day offset, days, site whose sessions may overlap)
        after_travel = job.travel_before if job.travel_site is not None else 0
        last, first = ctx.last(j).day, ctx.first(j).day
        if job.rest_days_after - after_travel and last is not None:
            # The rest days are blocked whole, from the start of the next day.
            blocks.append((1, job.rest_days_after - after_travel, None))
        if after_travel and last is not None:
            blocks.append((1 + job.rest_days_after - after_travel, after_travel, job.travel_site))
        if job.travel_before and first is not None:
            # Travel out: the travel_before days before the first session's day, blocked whole.
            blocks.append((-job.travel_before, job.travel_before, job.travel_site))
        for offset, days, site in blocks:
            day = last if offset > 0 else first
            assert day is not None
            itv = m.new_optional_fixed_size_interval_var(S * (day + offset), S * days, ctx.present[j],
                                                         f"{'rest' if offset > 0 and site is None else 'travel'}[{job.id}]")
            for p in job.participants:
                (rest_p[p] if site is None else away.setdefault((p, site), [])).append(itv)
    for p, (sessions, rests) in enumerate(zip(per_p, rest_p, strict=True)):
        # Repair levers: a day the participant may train on only if the lever is
        # bought is blocked by an interval present unless it is (weighs as a rest block).
        if len(sessions) > 1:
            m.add_no_overlap([itv for itv, _ in sessions])
        rests = rests + [itv for itv, _ in ctx.fillers.get(("participant", p), [])]
        _exclude(m, [itv for itv, _ in sessions], rests)
    for (p, site), travel in away.items():
        _exclude(m, [itv for itv, at in per_p[p] if at != site], travel)


def _exclude(m: cp_model.CpModel, sessions: list[cp_model.IntervalVar], blocks: list[cp_model.IntervalVar]) -> None:
    """No session overlaps a block; blocks may overlap each other. Sessions weigh
    len(blocks) + 1, blocks 1, capacity len(blocks) + 1: a session excludes any other
    session or block, while all blocks fit together."""
    if blocks and sessions:
        w = len(blocks) + 1
        m.add_cumulative([*sessions, *blocks], [w] * len(sessions) + [1] * len(blocks), w)


FAMILY = Family(
    name="joint",
    keys=("modules.*.joint", "participants.*.crew", "participants.*.cohort", "modules.*.rest_days_after",
          "modules.*.travel_days", "sites.*.travel_days"),
    add=add,
    verify=(rules.participant_sessions,),
    no_explanation="one session at a time and crew attendance are not relaxed by one edit; rest days are explained with the module's session pattern (windows: pattern)",
)
