"""The two-phase readiness solve.

Phase 1 maximises the number of goals (participant x competency) met; its
status is what the readiness verdict rests on. Phase 2 keeps at least that
many goals, schedules as much of the programme as possible and finishes
readiness as early as possible, starting from the phase-1 plan as a hint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from planner.data.result import Result, Schedule, SolveStatus
from planner.model import objective
from planner.model.context import Context
from planner.solve.budget import PLAN_PHASE, READINESS_PHASE, Budget
from planner.solve.cpsat import (
    ANSWERED,
    StopRule,
    extract_schedule,
    hint_every_variable,
    hint_solution,
    run_phase,
)
from planner.solve.hints import completed_cost
from planner.solve.params import Progress, SolveParams
from planner.verify.checks import goals_achieved


def solve_readiness(
    ctx: Context,
    params: SolveParams,
    budget: Budget,
    progress: Progress | None,
    t0: float,
    require_goals: tuple[int, ...] = (),
    forbid_goals: tuple[int, ...] = (),
    plan_start: Callable[[int], Schedule | None] | None = None,
) -> Result:
    """Phase 1, then (with ``params.plan_phase``) phase 2, within ``budget``.

    Phase 2 of the ``level`` shape stops once its plan is within ``params.plan_gap`` of the best lower
    bound known (the solver's, or :func:`planner.model.objective.cost_floor`); 0 polishes until the
    limit. With a gap, ``plan_start`` (called after phase 1 with the goals it met, so that the verdict never
    waits on it; e.g.
    :mod:`planner.heuristics.level`'s) gives a schedule that replaces phase 1's plan as phase 2's start when
    it meets as many goals, leaves nothing out and is completed into the model.

    The status is phase 1's: OPTIMAL or INFEASIBLE are proofs, FEASIBLE a plan
    whose goal count is not proven best, UNKNOWN neither a plan nor a proof
    (the limit ran out); a limit never turns into INFEASIBLE.
    """
    data, m = ctx.data, ctx.model
    for g in require_goals:
        m.add(ctx.goal_sat[g] == 1)
    for g in forbid_goals:
        m.add(ctx.goal_sat[g] == 0)
    num_goals = len(data.goals)
    first, weight = objective.goals_priority(ctx)
    m.maximize(first)
    first_limit = budget.share(READINESS_PHASE if params.plan_phase else 1.0)

    def count(value: float) -> int:  # the goals met of a value (or bound) of the weighted objective
        return int(value + 1e-6) // weight

    counting = progress if progress is None or weight == 1 else (
        lambda phase, s, obj, bnd: progress(phase, s, float(count(obj)), float(count(bnd))))
    solver, status1, info1 = run_phase(ctx, params, first_limit, "readiness", counting, t0, budget)
    if weight > 1:
        info1 = replace(info1, objective=None if info1.objective is None else float(count(info1.objective)),
                        bound=None if info1.bound is None else float(count(info1.bound)))
    if status1 not in ANSWERED:
        return Result(status1, None, runtime=time.perf_counter() - t0, phases=(info1,),
                      goals_bound=None if status1 != SolveStatus.INFEASIBLE else 0)
    best_value = round(solver.objective_value)
    best = best_value // weight
    goals_bound = min(num_goals, count(solver.best_objective_bound))
    settled = True
    if status1 == SolveStatus.FEASIBLE and goals_bound == best:
        # The count is proven best; only the tie-break among such plans (prime crews, waivers) is not.
        # Which pairs give way matters to the verdicts only between decisive pairs (a prime crew's, that cannot
        # be waived) and the others (waivable, or a backup crew's).
        status1, settled = SolveStatus.OPTIMAL, weight == 1 or all(g.decisive for g in data.goals)
    sched1 = extract_schedule(ctx, solver)
    met1 = tuple(solver.boolean_value(s) for s in ctx.goal_sat)
    if not params.plan_phase:
        return Result(status1, sched1, goals_met=met1, goals_bound=goals_bound,
                      runtime=time.perf_counter() - t0, phases=(info1,), settled=settled)

    # Phase 2: keep the goals count, complete the programme, finish early.
    # Wall mode: the whole phase-1 solution, which the portfolio completes at once (from the decision variables
    # alone it spent 5 s repairing it on the MS-19 file). One deterministic worker does better from the decision
    # variables alone (re-planning MS-19 in 10 units: 1 published session moved, proven, against 3 unproven).
    (hint_solution if params.deterministic else hint_every_variable)(ctx, solver)
    # Phase 1's pairs, each (not only as many): the verdicts are phase 1's, and the plan's shape
    # (--objective) must not trade one pair for another (which pair of 3 of 4 was met depended on it).
    for sat, ok in zip(ctx.goal_sat, met1, strict=True):
        if ok:
            m.add(sat == 1)
    m.add(first >= best_value)  # implied by the pairs fixed above (every tier counts a met pair), kept as the solver knows it
    ctx.linear_weeks = not params.deterministic
    m.minimize(objective.plan_cost(ctx))
    phase2, stop = params.for_plan_phase(), None
    if params.plan_gap > 0 and data.shape == "level":
        # Level only: earliest and fresh minimise the slack (or the freshness) itself, which the verdicts
        # report day by day; level's terms after the peaks weigh less than one slot of a peak.
        idle, counted = objective.idle_floor(ctx)
        # Phase 2 meets each goal phase 1 met (fixed above): their deadlines bound the floor.
        forced = {g for g, ok in enumerate(met1) if ok}
        idle_most = idle + math.ceil(params.plan_gap * counted)
        stop = StopRule(params.plan_gap, objective.cost_floor(ctx, forced), lambda cost: objective.idle_weeks(ctx, cost) <= idle_most)
        hinted = (list(m.proto.solution_hint.vars), list(m.proto.solution_hint.values))  # phase 1's plan
        schedule = plan_start(best) if plan_start is not None else None
        start = _from_start(ctx, schedule, met1, params, budget, stop) if schedule is not None else None
        if start == "unused":
            m.clear_hints()
            m.proto.solution_hint.vars.extend(hinted[0])
            m.proto.solution_hint.values.extend(hinted[1])
        elif start == "close":
            # The start is close enough already: presolving the model again (2.4 s on the MS-19 file) would only
            # delay the search that stops at its first plan, and one worker makes that plan the start's.
            phase2 = replace(phase2, num_workers=1, extra={**phase2.extra, "cp_model_presolve": False})
    # The readiness answer is settled; polishing the plan gets at most a
    # share of the budget so that a verdict never waits on the secondary objective.
    solver2, status2, info2 = run_phase(ctx, phase2, budget.share(PLAN_PHASE), "plan",
                                        _plan_progress(ctx, progress, best), t0, budget, stop)
    if status2 in ANSWERED:
        sched = extract_schedule(ctx, solver2)
        met = tuple(solver2.boolean_value(s) for s in ctx.goal_sat)
        obj, bnd = solver2.objective_value, info2.bound
    else:
        sched, met, obj, bnd = sched1, met1, None, None
    return Result(
        status1,
        sched,
        goals_met=met,
        goals_bound=goals_bound,
        objective=obj,
        bound=bnd,
        runtime=time.perf_counter() - t0,
        phases=(info1, info2),
        settled=settled,
    )


def _from_start(ctx: Context, start: Schedule, met: tuple[bool, ...], params: SolveParams, budget: Budget,
                stop: StopRule) -> str:
    """Hint phase 2 with ``start`` when it meets every goal of ``met`` (phase 1's) and completes with nothing
    left out or moved: "close" when it is within ``stop``'s gap already, "search" when phase 2 must still
    improve on it, "unused" when it is not used (the hints may have changed: the caller sets phase 1's again)."""
    achieved = goals_achieved(ctx.data, start)
    if not all(a for a, m in zip(achieved, met, strict=True) if m):
        return "unused"
    cost = completed_cost(ctx, start, params, budget, charge=budget)
    if cost is None:
        return "unused"
    changes, left_out, _ = objective.decode_plan_cost(ctx, cost)
    if changes or left_out:
        return "unused"  # phase 1's plan may do better
    return "close" if stop.met(cost, stop.floor) else "search"


def _plan_progress(ctx: Context, progress: Progress | None, met: int) -> Progress | None:
    """Phase-2 progress in the plan's own terms instead of the raw cost:
    "plan" (jobs left out, average completion day of the goals, 1-based, -1
    unless all ``met``) or, when re-planning, "replan" (published sessions
    moved or dropped, jobs left out)."""
    if progress is None:
        return None
    say = progress

    def report(phase: str, seconds: float, cost: float, _bound: float) -> None:
        changes, left_out, days = objective.decode_plan_cost(ctx, cost)
        if ctx.changes:
            say("replan", seconds, float(changes), float(left_out))
        elif ctx.data.shape == "level":  # days: the participants' weekly peaks, in slots
            full_days = len(ctx.data.participants) * ctx.data.slots_per_day
            say("level", seconds, float(left_out), days / full_days if full_days else 0.0)
        elif ctx.data.shape == "fresh":
            say(phase, seconds, float(left_out), -1.0)
        else:
            # Goals not met have a free completion day: the average is exact only when all are met.
            say(phase, seconds, float(left_out), days / met + 1 if met and met == len(ctx.goal_completion) else -1.0)

    return report
