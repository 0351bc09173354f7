"""Solve a problem with CP-SAT and return a solver-free :class:`Result`.

The entry point of the solve package: :func:`solve` builds the model, starts
from a hint if given, and runs the two-phase readiness solve
(:mod:`planner.solve.phases`) or the makespan solve
(:mod:`planner.solve.makespan`) within one :class:`Budget`. The settings
(:class:`SolveParams`) and the yes-or-no questions (:func:`first_answer` and
friends in :mod:`planner.solve.feasibility`) are re-exported here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from planner.data.problem import ProblemData
from planner.data.result import Result, Schedule
from planner.model.builder import build_model
from planner.solve.budget import Budget
from planner.solve.feasibility import first_answer
from planner.solve.hints import complete_hint, hint_schedule
from planner.solve.makespan import solve_makespan
from planner.solve.params import Progress, SolveParams
from planner.solve.phases import solve_readiness

__all__ = ["Progress", "SolveParams", "first_answer", "solve"]


def solve(
    data: ProblemData,
    params: SolveParams | None = None,
    progress: Progress | None = None,
    require_goals: tuple[int, ...] = (),
    hint: Schedule | None = None,
    forbid_goals: tuple[int, ...] = (),
    budget: Budget | None = None,
    plan_start: Callable[[int], Schedule | None] | None = None,
) -> Result:
    """Solve ``data``; never raises for infeasible or timed-out problems.

    ``require_goals`` forces those goals to be met (used to test whether a
    single unmet goal is achievable at all); ``forbid_goals`` rules out goals
    proven impossible elsewhere (the search need not try them, and the
    proven bound stays the same). ``hint`` starts the search from
    a known schedule (e.g. the plan of a nearby scenario). With
    ``params.plan_phase`` False the result of phase 1 is returned as is.
    ``budget``: the time of this solve (default: ``params``' limit); every
    phase draws its share from it. ``plan_start``: makes a start for phase 2 once
    phase 1 is done (see :func:`planner.solve.phases.solve_readiness`).
    """
    params = params or SolveParams()
    budget = budget or params.budget()
    t0 = time.perf_counter()
    ctx = build_model(data)
    if hint is not None and data.objective != "makespan":
        complete_hint(ctx, hint, params, budget)
    elif hint is not None:
        hint_schedule(ctx, hint)
    if data.objective == "makespan":
        return solve_makespan(ctx, params, budget, progress, t0)
    return solve_readiness(ctx, params, budget, progress, t0, require_goals, forbid_goals, plan_start)
