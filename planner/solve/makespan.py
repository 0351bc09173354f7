"""Minimising the makespan (RCPSP benchmarks), with decision proofs of small gaps."""

from __future__ import annotations

import math
import time
from dataclasses import replace

from planner.data.result import PhaseInfo, Result, SolveStatus
from planner.model import objective
from planner.model.context import Context
from planner.solve.budget import DECIDE, Budget
from planner.solve.cpsat import ANSWERED, extract_schedule, hint_solution, run_phase
from planner.solve.params import Progress, SolveParams

DECIDE_GAP = 0.1  # relative gap up to which the decision proof is tried


def solve_makespan(ctx: Context, params: SolveParams, budget: Budget, progress: Progress | None, t0: float) -> Result:
    """Minimise the makespan, then try to close a small gap by decision.

    CP-SAT's objective bound often stalls a few units under an optimal
    makespan that it found early. "Is there a schedule of makespan U - 1?",
    solved as a feasibility problem, propagates the tight horizon into every
    time window and is often proven infeasible far sooner, which proves U
    optimal; a schedule found instead is a better incumbent, and the
    question is asked again. Far from a proof, the rest of the time goes on
    optimising from the incumbent instead. ``budget`` counts the work units
    of every search (--deterministic) or the clock.
    """
    m = ctx.model
    span = objective.makespan(ctx)
    m.minimize(span)
    solver, status, info = run_phase(ctx, params, budget.seconds * (1 - DECIDE), "makespan", progress, t0, budget)
    phases: list[PhaseInfo] = [info]

    if status == SolveStatus.UNKNOWN and budget.remaining() > 0.05:
        # No schedule yet: the share kept back for the decision goes to the search instead.
        solver, status, info = run_phase(ctx, params, budget.remaining(), "makespan", progress, t0, budget)
        phases.append(info)
    if status != SolveStatus.FEASIBLE:
        sched = extract_schedule(ctx, solver) if status == SolveStatus.OPTIMAL else None
        return Result(status, sched, objective=info.objective, bound=info.bound,
                      runtime=time.perf_counter() - t0, phases=tuple(phases))
    sched = extract_schedule(ctx, solver)
    ub = round(solver.objective_value)
    lb = math.ceil(solver.best_objective_bound - 1e-6)

    if ub - lb > DECIDE_GAP * ub:
        hint_solution(ctx, solver)
        solver2, status2, info2 = run_phase(ctx, params, max(0.05, budget.remaining()), "makespan", progress, t0, budget)
        phases.append(info2)
        if status2 in ANSWERED and round(solver2.objective_value) <= ub:
            sched, ub = extract_schedule(ctx, solver2), round(solver2.objective_value)
            lb = max(lb, math.ceil(solver2.best_objective_bound - 1e-6))
    else:
        m.clear_objective()
        while lb < ub and budget.remaining() > 0.05:
            hint_solution(ctx, solver)
            m.add(span <= ub - 1)
            solver2, status2, info2 = run_phase(ctx, params, budget.remaining(), "decide", progress, t0, budget)
            phases.append(replace(info2, question=f"makespan <= {ub - 1}"))
            if status2 == SolveStatus.INFEASIBLE:
                lb = ub
            elif status2 in ANSWERED:
                solver, sched, ub = solver2, extract_schedule(ctx, solver2), solver2.value(span)
            else:
                break
    final = SolveStatus.OPTIMAL if lb >= ub else SolveStatus.FEASIBLE
    return Result(final, sched, objective=float(ub), bound=float(max(lb, 0)), runtime=time.perf_counter() - t0,
                  phases=tuple(phases))
