"""Objectives: readiness (lexicographic phases) or makespan (RCPSP)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.model.context import Context


def goals_met(ctx: Context) -> cp_model.LinearExprT:
    """Number of goals met (phase 1 maximises it)."""
    return sum(ctx.goal_sat)


def plan_cost(ctx: Context) -> cp_model.LinearExprT:
    """Phase 2 cost: jobs left out first, then sum of goal completion days.

    The weight makes one more scheduled job worth more than any change of
    completion times (and, when re-planning, one published session kept
    worth more than both), so the programme is as complete as possible and,
    within that, readiness comes as early as possible (most slack).
    """
    optional = [ctx.present[j] for j, job in enumerate(ctx.data.jobs) if ctx.possible(j) and not job.mandatory]
    weight = (ctx.data.num_days + 1) * max(1, len(ctx.goal_completion)) + 1
    cost = weight * (len(optional) - sum(optional)) + sum(ctx.goal_completion)
    if ctx.changes:
        # Re-planning: fewer moved or dropped published sessions beats
        # anything else once readiness is settled.
        change_weight = weight * (len(optional) + 1)
        cost = change_weight * sum(ctx.changes) + cost
    return cost


def makespan(ctx: Context) -> cp_model.IntVar:
    """The end of the last session (RCPSP objective)."""
    m = ctx.model
    var = m.new_int_var(0, ctx.data.horizon, "makespan")
    ends = [ctx.last(j).end for j in range(len(ctx.data.jobs)) if ctx.possible(j) and ctx.sessions[j]]
    if ends:
        m.add_max_equality(var, ends)
    return var
