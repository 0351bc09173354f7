"""Redundant energy cuts that help CP-SAT *prove* that goals cannot all be met.

For every deadline day D used by a goal, ``need[j, D]`` says job j must be
finished before D (because a met goal with that deadline needs it, directly
or as a prerequisite). Then, per participant and per resource, the work of
the needed jobs must fit the working time before D. These are implied by
the scheduling constraints, but as plain linear knapsacks they give the LP a
bound it can otherwise find only by search (e.g. a 2-month window that
cannot hold 250 training hours).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.data.days import Rule, allowed_days
from planner.model.contract import Family

if TYPE_CHECKING:
    from planner.data.problem import ParticipantData, ProblemData
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """Knapsack cuts per (participant, deadline) and (resource, deadline)."""
    data, m = ctx.data, ctx.model
    if not data.goals or data.num_days <= 1:
        return
    S = data.slots_per_day
    preds: dict[int, list[int]] = defaultdict(list)
    for prec in data.precedences:
        if prec.kind == "es" and ctx.possible(prec.before):
            preds[prec.after].append(prec.before)
    heads = _heads(data, (j for j in range(len(data.jobs)) if ctx.possible(j)))
    by_deadline: dict[int, list[int]] = defaultdict(list)
    for g, goal in enumerate(data.goals):
        by_deadline[goal.deadline_day].append(g)
    for deadline, goals in by_deadline.items():
        need: dict[int, cp_model.IntVar] = {}

        def need_var(j: int, deadline: int = deadline, need: dict[int, cp_model.IntVar] = need) -> cp_model.IntVar:
            if j not in need:
                need[j] = m.new_bool_var(f"need[{j},{deadline}]")
                m.add_implication(need[j], ctx.present[j])
                for b in preds[j]:
                    m.add_implication(need[j], need_var(b))
            return need[j]

        for g in goals:
            for group in data.goals[g].groups:
                options = [j for j in group if ctx.possible(j)]
                if len(options) == 1:
                    m.add_implication(ctx.goal_sat[g], need_var(options[0]))
        if not need:
            continue
        limit = min(deadline, data.num_days)
        for p, part in enumerate(data.participants):
            jobs = [j for j in need if p in data.jobs[j].participants]
            if not jobs:
                continue
            per_day = min(S, part.daily_cap or S)

            def cap_p(days: list[int], per_day: int = per_day, who: ParticipantData = part) -> int:
                if not who.weeks_capped:
                    return per_day * len(days)
                weeks: dict[int, int] = defaultdict(int)
                for d in days:
                    weeks[data.week(d)] += per_day
                return who.within_caps(weeks)

            _energy_cuts(ctx, jobs, need, dict.fromkeys(jobs, 1), limit, cap_p, heads)
        for r, res in enumerate(data.resources):
            demand = {j: d for j in need for rr, d in data.jobs[j].resources if rr == r}
            if demand:

                def cap_r(days: list[int], c: int = res.capacity) -> int:
                    return c * S * len(days)

                _energy_cuts(ctx, list(demand), need, demand, limit, cap_r, heads)


def _energy_cuts(
    ctx: Context,
    jobs: list[int],
    need: dict[int, cp_model.IntVar],
    weight: dict[int, int],
    limit: int,
    capacity: Callable[[list[int]], int],
    heads: dict[int, tuple[int, int] | None],
) -> None:
    """Energy of the needed jobs that must fall in [t, limit) fits its capacity.

    For each release day t of one of the jobs: a job whose sessions cannot
    start before t brings all its remaining work, a job whose *last* session
    cannot start before t (recency) brings at least that session. ``heads``:
    :func:`_heads`.
    """
    data = ctx.data
    release: dict[int, tuple[int, int]] = {}
    for j in jobs:
        head = heads[j]
        if head is not None:
            release[j] = head
    points = sorted({data.release_day} | {t for pair in release.values() for t in pair})
    for t in points:
        if t >= limit:
            continue
        terms = []
        for j, (r_all, r_last) in release.items():
            if r_all >= t:
                terms.append(weight[j] * _work(data, j) * need[j])
            elif r_last >= t and data.jobs[j].num_sessions > data.jobs[j].num_fixed:
                terms.append(weight[j] * data.jobs[j].length * need[j])
        if not terms:
            continue
        days = sorted({d for j in release for d in range(t, limit) if data.jobs[j].open_days[d]})
        ctx.model.add(sum(terms) <= capacity(days))


def _heads(data: ProblemData, jobs: Iterable[int]) -> dict[int, tuple[int, int] | None]:
    """Per job, the first day its sessions and its last session may use (None if none), worked
    out once per model (the energy cuts ask for every deadline).

    The job's own rules without the re-planning date, which is applied as a
    floor: weaker than the first allowed day after it, but the cut the model
    has always had (a stronger one would change it).
    """
    out: dict[int, tuple[int, int] | None] = {}
    for j in jobs:
        first = allowed_days(data, j, last=False, rules=Rule.ALL & ~Rule.RELEASE)
        last = allowed_days(data, j, last=True, rules=Rule.ALL & ~Rule.RELEASE)
        out[j] = (max(first[0], data.release_day), max(last[0], data.release_day)) if first and last else None
    return out


def _work(data: ProblemData, job: int) -> int:
    """Slots of the job's sessions still to be scheduled."""
    jb = data.jobs[job]
    return jb.length * (jb.num_sessions - jb.num_fixed)


FAMILY = Family(
    name="bounds",
    keys=(),
    add=add,
    verify=(),
    implied="redundant energy cuts implied by the other families: no rule of its own, nothing to explain",
    requires=("goal_sat",),
)
