"""Competencies: a goal (participant x competency) is met when every group of
its rule has a done job that ends before the goal's deadline day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """One Boolean per goal, and its completion day for the objective."""
    data, m = ctx.data, ctx.model
    for g, goal in enumerate(data.goals):
        sat = m.new_bool_var(f"sat[{g}]")
        comp = m.new_int_var(0, data.num_days, f"ready_day[{g}]")
        ctx.goal_sat.append(sat)
        ctx.goal_completion.append(comp)
        for group in goal.groups:
            options = [j for j in group if ctx.possible(j)]
            if not options:
                m.add(sat == 0)
                break
            picks = []
            for j in options:
                y = m.new_bool_var(f"use[{g},{j}]") if len(options) > 1 else sat
                m.add_implication(y, ctx.present[j])
                last = ctx.last(j)
                if last.day is not None and goal.deadline_day < data.num_days:
                    m.add(last.day <= goal.deadline_day - 1).only_enforce_if(y)
                elif goal.deadline_day < data.num_days:
                    m.add(last.end <= goal.deadline_day * data.slots_per_day).only_enforce_if(y)
                m.add(comp >= ctx.day(j, len(ctx.sessions[j]) - 1)).only_enforce_if(y)
                for need, day in ctx.refreshed.get(j, ()):  # current again only once refreshed
                    m.add(comp >= day).only_enforce_if([y, need])
                picks.append(y)
            if len(picks) > 1:
                m.add(sum(picks) >= 1).only_enforce_if(sat)


FAMILY = Family(
    name="competencies",
    keys=("competencies", "roles.*.requires", "participants.*.role", "participants.*.holds", "modules.*.roles",
          "missions.*.crews", "participants.*.substitute_for"),
    add=add,
    verify=(rules.claimed_goals,),
    explains=("deadline", "goal"),
    provides=("goal_sat", "goal_completion"),
)
