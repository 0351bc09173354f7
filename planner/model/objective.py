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
    optional = _optional(ctx)
    weight, change_weight = plan_cost_weights(ctx)
    cost = weight * (len(optional) - sum(optional)) + sum(ctx.goal_completion)
    if ctx.changes:
        # Re-planning: fewer moved or dropped published sessions beats
        # anything else once readiness is settled.
        cost = change_weight * sum(ctx.changes) + cost
    return cost


def _optional(ctx: Context) -> list[cp_model.IntVar]:
    return [ctx.present[j] for j, job in enumerate(ctx.data.jobs) if ctx.possible(j) and not job.mandatory]


def plan_cost_weights(ctx: Context) -> tuple[int, int]:
    """The weights of :func:`plan_cost`: one job left out, one published session changed."""
    weight = (ctx.data.num_days + 1) * max(1, len(ctx.goal_completion)) + 1
    return weight, weight * (len(_optional(ctx)) + 1)


def decode_plan_cost(ctx: Context, cost: float) -> tuple[int, int, int]:
    """A :func:`plan_cost` value as (published sessions changed, jobs left out,
    sum of goal completion days): exact, as each weight exceeds all the terms after it."""
    weight, change_weight = plan_cost_weights(ctx)
    value = round(cost)
    changes, value = divmod(value, change_weight) if ctx.changes else (0, value)
    left_out, days = divmod(value, weight)
    return changes, left_out, days


def makespan(ctx: Context) -> cp_model.IntVar:
    """The end of the last session (RCPSP objective)."""
    m = ctx.model
    var = m.new_int_var(0, ctx.data.horizon, "makespan")
    ends = [ctx.last(j).end for j in range(len(ctx.data.jobs)) if ctx.possible(j) and ctx.sessions[j]]
    if ends:
        m.add_max_equality(var, ends)
    return var
