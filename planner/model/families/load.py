"""Load caps: training hours per participant per working day and per week.

Each session is mapped to a unit interval on the day (or week) axis whose
demand is its length; a Cumulative with the cap as capacity then bounds the
hours of every day (week) without one Boolean per session and day.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """One Cumulative per participant and cap that can bind."""
    data, m = ctx.data, ctx.model
    S = data.slots_per_day
    days_per_week = 7
    for p, part in enumerate(data.participants):
        daily = part.daily_cap if part.daily_cap is not None and part.daily_cap < S else None
        day_cap = min(S, part.daily_cap or S)
        weekly = part.weekly_cap
        week_fill = ctx.fillers.get(("week", p), [])
        day_fill = ctx.fillers.get(("day", p), [])
        week_cap: dict[int, int] = {}
        if part.week_caps:
            # Weeks with caps of their own: the Cumulative's capacity is the largest cap (a week without
            # one holds 7 full days at most), and a fixed filler takes the rest in each lower week.
            full = days_per_week * day_cap
            week_cap = {w: c if (c := part.cap_in_week(w)) is not None else full
                        for w in range(data.num_weeks)}
            weekly = max(week_cap.values())
            if all(c >= full for c in week_cap.values()) and not week_fill:
                weekly = None
            else:
                week_fill = [(m.new_fixed_size_interval_var(w, 1, f"wcap[{p},{w}]"), weekly - c)
                             for w, c in sorted(week_cap.items()) if c < weekly] + week_fill
        elif weekly is not None and weekly >= days_per_week * day_cap and not week_fill:
            weekly = None
        if day_fill and part.daily_cap is not None:
            daily = part.daily_cap  # a repair lever may lower it below a full day
        if daily is None and weekly is None:
            continue
        day_items: list[tuple[cp_model.IntervalVar, cp_model.LinearExprT]] = []
        week_items: list[tuple[cp_model.IntervalVar, cp_model.LinearExprT]] = []
        # Sessions already done (re-planning) fill their day and week; capped at
        # the cap, since a past overload must not make the future infeasible.
        done_day: dict[int, int] = defaultdict(int)
        done_week: dict[int, int] = defaultdict(int)
        for j, job in enumerate(data.jobs):
            if p not in job.participants:
                continue
            if data.num_days > 1:  # history of every job, also one that can no longer be completed
                for at in job.fixed_starts:
                    done_day[at // S] += job.length
                    done_week[data.week(at // S)] += job.length
            if not ctx.possible(j):
                continue
            for k, sv in enumerate(ctx.sessions[j]):
                if sv.day is None or sv.fixed:
                    continue
                if daily is not None:
                    itv = m.new_optional_fixed_size_interval_var(sv.day, 1, ctx.present[j], f"dload[{p},{j}#{k}]")
                    day_items.append((itv, job.length))
                if weekly is not None:
                    wk = ctx.week(j, k)
                    itv = m.new_optional_fixed_size_interval_var(wk, 1, ctx.present[j], f"wload[{p},{j}#{k}]")
                    week_items.append((itv, job.length))
        for who, d, v in data.spent:  # a failed session took its day's and week's hours all the same
            if who == p and data.num_days > 1:
                done_day[d] += v
                done_week[data.week(d)] += v
        if daily is not None:
            day_items += [(m.new_fixed_size_interval_var(d, 1, f"dload[{p},done@{d}]"), min(v, daily))
                          for d, v in sorted(done_day.items())]
        if weekly is not None:
            week_items += [(m.new_fixed_size_interval_var(w, 1, f"wload[{p},done@{w}]"),
                            min(v, week_cap.get(w, weekly))) for w, v in sorted(done_week.items())]
        if daily is not None and day_items:
            day_items += day_fill
            m.add_cumulative([i for i, _ in day_items], [d for _, d in day_items], daily)
        if weekly is not None and week_items:
            week_items += week_fill
            m.add_cumulative([i for i, _ in week_items], [d for _, d in week_items], weekly)


FAMILY = Family(
    name="load",
    keys=("participants.*.load",),
    add=add,
    verify=(rules.participant_load,),
    explains=("load",),
)
