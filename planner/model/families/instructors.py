"""Instructors: each session that needs one gets exactly one qualified,
available instructor, each further staff role (``modules[].staff``) its count
of qualified, available people, and no one exceeds their parallel capacity.

Interchangeable instructors (same jobs, same days) form a pool: a session
chooses a pool, each pool's sessions fit its total capacity, and
:func:`planner.solve.cpsat.name_instructors` names the people afterwards (always
possible for intervals: at any moment fewer sessions run than the pool's
capacity, so a free member exists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """Pool choice per session, then one capacity rule per pool."""
    data, m = ctx.data, ctx.model
    members, pool_of = data.instructor_pools()
    per_pool: list[list[cp_model.IntervalVar]] = [[] for _ in members]
    for j, job in enumerate(data.jobs):
        if not job.needs_instructor or not ctx.possible(j):
            continue
        if not job.instructors:
            m.add(ctx.present[j] == 0)
            continue
        pools = sorted({pool_of[i] for i in job.instructors if any(data.instructors[i].open_days)})
        for k, sv in enumerate(ctx.sessions[j]):
            if sv.fixed:
                continue  # taught already; the record keeps its instructor
            choices = []
            for p in pools:
                x = ctx.present[j] if len(pools) == 1 else m.new_bool_var(f"teach[{job.id}#{k},pool{p}]")
                itv = sv.interval if len(pools) == 1 else m.new_optional_interval_var(
                    sv.start, job.length, sv.end, x, f"teach_itv[{job.id}#{k},{p}]"
                )
                per_pool[p].append(itv)
                sv.instructor[p] = x
                choices.append(x)
            if len(choices) > 1:
                m.add(sum(choices) == ctx.present[j])
            elif not choices:
                m.add(ctx.present[j] == 0)
    _staff(ctx, per_pool, pool_of)
    S = data.slots_per_day
    for p, intervals in enumerate(per_pool):
        if not intervals:
            continue
        cap = sum(data.instructors[i].capacity for i in members[p])
        fillers = [f for i in members[p] for f in ctx.fillers.get(("instructor", i), [])]
        if fillers:  # repair levers: capacity not bought is taken by fillers
            bought = [b for i in members[p] for b in ctx.bought.get(("instructor", i), [])]
            _pool_with_fillers(ctx, members[p], intervals, fillers, bought, cap)
            continue
        blockers = 0
        if data.num_days > 1:
            # Days off are fixed intervals that fill the pool's capacity,
            # cheaper than one enforced domain constraint per assignment.
            for a, b in _runs(data.instructors[members[p][0]].open_days, False):
                intervals.append(m.new_fixed_size_interval_var(a * S, (b - a) * S, f"off[pool{p},{a}]"))
                blockers += 1
        if len(intervals) - blockers <= cap and not blockers:
            continue
        if cap == 1:
            m.add_no_overlap(intervals)
        else:
            demands = [1] * (len(intervals) - blockers) + [cap] * blockers
            m.add_cumulative(intervals, demands, cap)


def _staff(ctx: Context, per_pool: list[list[cp_model.IntervalVar]], pool_of: list[int]) -> None:
    """Further staff roles: ``count`` qualified people per role and session, by name (each is a
    pool alone), no one in two roles of one session; their sessions count in their capacity."""
    data, m = ctx.data, ctx.model
    for j, job in enumerate(data.jobs):
        if not job.staff or not ctx.possible(j):
            continue
        for k, sv in enumerate(ctx.sessions[j]):
            if sv.fixed:
                continue
            roles_of: dict[int, list[cp_model.IntVar]] = {}
            for n, need in enumerate(job.staff):
                xs = []
                for i in need.candidates:
                    if not any(data.instructors[i].open_days):
                        continue
                    x = m.new_bool_var(f"staff[{job.id}#{k},{need.role},{i}]")
                    per_pool[pool_of[i]].append(
                        m.new_optional_interval_var(sv.start, job.length, sv.end, x, f"staff_itv[{job.id}#{k},{n},{i}]")
                    )
                    sv.staff[n, i] = x
                    roles_of.setdefault(i, []).append(x)
                    xs.append(x)
                m.add(sum(xs) == need.count * ctx.present[j])
            for i, xs in roles_of.items():
                lead = sv.instructor.get(pool_of[i]) if i in job.instructors else None
                if len(xs) + (lead is not None) > 1:
                    m.add(sum(xs) + (lead if lead is not None else 0) <= 1)


def _pool_with_fillers(
    ctx: Context,
    members: list[int],
    intervals: list[cp_model.IntervalVar],
    fillers: list[tuple[cp_model.IntervalVar, cp_model.LinearExprT]],
    bought: list[tuple[cp_model.LinearExprT, int]],
    cap: int,
) -> None:
    """One pool's Cumulative when repair levers may add capacity to it (``bought``: each lever's units bought
    and its most, see :attr:`Context.bought`)."""
    m, S = ctx.model, ctx.data.slots_per_day
    items: list[tuple[cp_model.IntervalVar, cp_model.LinearExprT]] = [(itv, 1) for itv in intervals]
    if ctx.data.num_days > 1:
        # A day off takes the units no lever buys and, one interval per lever, the units bought: the fillers
        # (over the whole horizon) already take the units not bought. Taking the whole relaxed capacity made any
        # day off cost every capacity unit; one demand summing several levers is not affine (MODEL_INVALID).
        fixed = cap - sum(most for _, most in bought)
        for a, b in _runs(ctx.data.instructors[members[0]].open_days, False):
            items.append((m.new_fixed_size_interval_var(a * S, (b - a) * S, f"off[pool{members[0]},{a}]"), fixed))
            items += [(m.new_fixed_size_interval_var(a * S, (b - a) * S, f"off[pool{members[0]},{a},{k}]"), units)
                      for k, (units, _) in enumerate(bought)]
    items += fillers
    m.add_cumulative([i for i, _ in items], [d for _, d in items], cap)


def _runs(flags: tuple[bool, ...], value: bool) -> list[tuple[int, int]]:
    """Maximal runs ``[a, b)`` of days whose flag equals ``value``."""
    out, start = [], None
    for d, f in enumerate((*flags, not value)):
        if f == value and start is None:
            start = d
        elif f != value and start is not None:
            out.append((start, d))
            start = None
    return out


FAMILY = Family(
    name="instructors",
    keys=("instructors", "modules.*.instructor", "modules.*.staff",
          "gates.*.instructors", "missions.*.gates.*.instructors"),
    add=add,
    verify=(rules.session_instructor, rules.session_staff, rules.instructor_capacity,),
    explains=("instructors", "available", "blackout", "gate"),
)
