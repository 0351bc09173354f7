"""Shared resources: unary facilities (NoOverlap) and capacities (Cumulative)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """At every slot, a resource's users fit its capacity."""
    data, m = ctx.data, ctx.model
    uses: list[list[tuple[cp_model.IntervalVar, int]]] = [[] for _ in data.resources]
    for j, job in enumerate(data.jobs):
        for r, demand in job.resources:
            if demand > data.resources[r].capacity:
                if ctx.possible(j):
                    m.add(ctx.present[j] == 0)
                continue
            if ctx.possible(j):
                uses[r].extend((sv.interval, demand) for sv in ctx.sessions[j] if not sv.fixed)
    S = data.slots_per_day
    for r, items in enumerate(uses):
        cap = data.resources[r].capacity
        fillers = ctx.fillers.get(("resource", r), [])
        if data.resources[r].reserved and items:
            # Gates take whole days of it (exams on the simulator): fixed intervals.
            fillers = fillers + [
                (m.new_fixed_size_interval_var(day * S, S, f"gate_{r}_{day}"), units)
                for day, units in data.resources[r].reserved
            ]
        if fillers:  # a repair lever: the capacity not bought is taken by a filler
            m.add_cumulative([itv for itv, _ in items + fillers], [d for _, d in items + fillers], cap)
            continue
        if sum(d for _, d in items) <= cap:
            continue  # can never be exceeded
        if cap == 1 or all(2 * d > cap for _, d in items):
            m.add_no_overlap([itv for itv, _ in items])
        else:
            m.add_cumulative([itv for itv, _ in items], [d for _, d in items], cap)


FAMILY = Family(
    name="resources",
    keys=("resources.*.capacity", "resources.*.unit", "modules.*.resources", "gates.*.resources",
          "missions.*.gates.*.resources"),
    add=add,
    verify=(rules.resource_capacity,),
    explains=("capacity", "gate"),
)
