"""Instructors: each session that needs one gets exactly one qualified,
available instructor, and no instructor exceeds their parallel capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """Assignment variables per candidate, then one capacity rule per instructor."""
    data, m = ctx.data, ctx.model
    per_i: list[list[cp_model.IntervalVar]] = [[] for _ in data.instructors]
    blockers = [0] * len(data.instructors)
    for j, job in enumerate(data.jobs):
        if not job.needs_instructor or not ctx.possible(j):
            continue
        if not job.instructors:
            m.add(ctx.present[j] == 0)
            continue
        for k, sv in enumerate(ctx.sessions[j]):
            if sv.fixed:
                continue  # taught already; the record keeps its instructor
            choices = []
            for i in job.instructors:
                if not any(data.instructors[i].open_days):
                    continue
                x = m.new_bool_var(f"teach[{job.id}#{k},{data.instructors[i].id}]")
                itv = m.new_optional_interval_var(sv.start, job.length, sv.end, x, f"teach_itv[{job.id}#{k},{i}]")
                per_i[i].append(itv)
                sv.instructor[i] = x
                choices.append(x)
            m.add(sum(choices) == ctx.present[j])
    for i, intervals in enumerate(per_i):
        cap = data.instructors[i].capacity
        if len(per_i[i]) and len(ctx.data.jobs) and data.num_days > 1:
            # Days off are fixed intervals that fill the instructor's capacity,
            # cheaper than one enforced domain constraint per assignment.
            S = data.slots_per_day
            for a, b in _runs(data.instructors[i].open_days, False):
                intervals.append(m.new_fixed_size_interval_var(a * S, (b - a) * S, f"off[{i},{a}]"))
                blockers[i] += 1
        if len(intervals) - blockers[i] <= cap and not blockers[i]:
            continue
        if cap == 1:
            m.add_no_overlap(intervals)
        else:
            demands = [1] * (len(intervals) - blockers[i]) + [cap] * blockers[i]
            m.add_cumulative(intervals, demands, cap)


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
