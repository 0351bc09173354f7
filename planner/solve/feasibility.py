"""Yes-or-no questions: can these goals be met together? (a plan, or a proof there is none)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.data.problem import ProblemData
from planner.data.result import Schedule, SolveStatus
from planner.model.builder import build_model
from planner.model.context import Context
from planner.solve.budget import Budget
from planner.solve.cpsat import ANSWERED, STATUS, extract_schedule, note_if_cut, solve_interruptibly
from planner.solve.hints import complete_hint
from planner.solve.params import SolveParams
from planner.verify.checks import verify_schedule


def plan_meeting_goals(
    data: ProblemData,
    goals: tuple[int, ...] | None,
    params: SolveParams,
    hint: Schedule | None = None,
    earliest_first: bool = False,
    budget: Budget | None = None,
) -> tuple[SolveStatus, Schedule | None]:
    """A schedule meeting all ``goals`` (None: every goal) within ``params.time_limit``,
    or a proof there is none.

    Returns FEASIBLE with the schedule, INFEASIBLE (proven) or UNKNOWN (the
    limit ran out: never reported as INFEASIBLE). ``earliest_first`` adds the
    schedule-or-postpone style branching of lazy-clause-generation schedulers
    (the unfixed session that can start earliest, at its earliest start): on
    tight pure-scheduling decisions it proves "no" about twice as fast as
    CP-SAT's default search. ``budget`` is charged the work units the search
    (and the hint's completion) used.
    """
    return _search(feasibility_model(data, goals, earliest_first), params, hint, budget)


def plan_meeting_most(
    data: ProblemData,
    required: tuple[int, ...],
    wanted: tuple[int, ...],
    params: SolveParams,
    hint: Schedule | None = None,
    budget: Budget | None = None,
) -> tuple[SolveStatus, Schedule | None]:
    """A schedule meeting every goal of ``required`` and as many of ``wanted`` as it can find
    within ``params.time_limit`` (the best found, not necessarily the most possible).

    Returns FEASIBLE with the schedule, INFEASIBLE (proven: ``required``
    cannot be met) or UNKNOWN. Which ``wanted`` goals the schedule meets is
    for the caller to read (and verify) from the schedule.
    """
    ctx = feasibility_model(data, required)
    ctx.model.maximize(sum(ctx.goal_sat[g] for g in wanted))
    return _search(ctx, params, hint, budget)


def _search(ctx: Context, params: SolveParams, hint: Schedule | None, budget: Budget | None,
            ) -> tuple[SolveStatus, Schedule | None]:
    """Solve ``ctx``'s model from ``hint`` within ``params``: FEASIBLE with a schedule (any solution
    found), INFEASIBLE or UNKNOWN; ``budget`` is charged the work of the hint's completion and the search."""
    # A completion that solved the model with the hint's decisions fixed makes the hint an answer. CP-SAT from
    # it may still spend its whole limit in presolve (41 half-hour sessions under a weekly cap of exactly
    # their hours: 4 work units, no plan). Checked by the independent verifier all the same.
    if (hint is not None and complete_hint(ctx, hint, params, charge=budget) and not ctx.model.has_objective()
            and not verify_schedule(ctx.data, hint)):
        return SolveStatus.FEASIBLE, hint
    solver = cp_model.CpSolver()
    params.apply(solver, params.time_limit)
    status = STATUS[solve_interruptibly(solver, ctx.model)]
    if budget is not None:
        budget.charge(round(solver.deterministic_time, 3))
    if status in ANSWERED:
        return SolveStatus.FEASIBLE, extract_schedule(ctx, solver)
    return status, None


def can_meet_goals(
    data: ProblemData, goals: tuple[int, ...] | None, params: SolveParams, hint: Schedule | None = None,
    budget: Budget | None = None,
) -> SolveStatus:
    """Whether all ``goals`` (None: every goal) can be met together: FEASIBLE,
    INFEASIBLE (proven) or UNKNOWN (see :func:`plan_meeting_goals`; ``budget`` is charged the work)."""
    return plan_meeting_goals(data, goals, params, hint, budget=budget)[0]


def feasibility_model(data: ProblemData, goals: tuple[int, ...] | None, earliest_first: bool = False) -> Context:
    """The model of ``data`` with ``goals`` (None: every goal) required, no objective."""
    ctx = build_model(data)
    if earliest_first:
        starts = [sv.start for sessions in ctx.sessions for sv in sessions]
        ctx.model.add_decision_strategy(starts, cp_model.CHOOSE_LOWEST_MIN, cp_model.SELECT_MIN_VALUE)
    for g in range(len(data.goals)) if goals is None else goals:
        ctx.model.add(ctx.goal_sat[g] == 1)
    return ctx


def first_answer(
    problems: Sequence[ProblemData],
    params: SolveParams,
    earliest_first: bool = False,
    tunings: Sequence[dict[str, object]] | None = None,
) -> tuple[int, SolveStatus, Schedule | None]:
    """Decide equivalent problems at once, one search each, e.g. an RCPSP and its time reversal.

    "Can every goal be met?" is asked of each problem in its own thread (one
    CP-SAT worker each; the solver releases the GIL): how long a proof takes
    differs wildly between equivalent formulations, and the first answer,
    FEASIBLE with a schedule or INFEASIBLE, stops the others. The caller
    vouches that the problems have the same answer. Returns the index of the
    problem that answered, its status and schedule; UNKNOWN (index 0) if none
    answered within the limit. ``--deterministic``: every search runs to its
    own deterministic limit and the first problem in order with an answer
    wins, so the outcome never depends on timing. ``tunings`` (one per
    problem) replaces ``params.extra`` per search, so that the same problem may
    be asked twice with different solver settings (e.g. with and without LP).
    """
    ctxs = [feasibility_model(d, None, earliest_first) for d in problems]
    solvers = [cp_model.CpSolver() for _ in problems]
    for k, solver in enumerate(solvers):
        own = params if tunings is None else replace(params, extra=dict(tunings[k]))
        own.apply(solver, params.time_limit)
        solver.parameters.num_workers = 1
    codes: list[SolveStatus | None] = [None] * len(problems)
    answered = threading.Event()

    finished = [threading.Event() for _ in problems]  # not Thread.is_alive: see solve_interruptibly

    def run(k: int) -> None:
        try:
            code = solvers[k].solve(ctxs[k].model)
            codes[k] = STATUS[code]
            note_if_cut(solvers[k], code)
            if codes[k] != SolveStatus.UNKNOWN:
                answered.set()
        finally:
            finished[k].set()

    for k in range(len(problems)):
        threading.Thread(target=run, args=(k,), daemon=True).start()
    # A stop request before a search has begun is lost, so it is repeated until
    # every search is over: after the first answer (not --deterministic), or Ctrl-C.
    interrupted = False
    while not all(f.is_set() for f in finished):
        try:
            if params.deterministic:  # every search runs to its own limit: wait, do not spin
                next((f for f in finished if not f.is_set()), answered).wait(0.05)
                stop = False
            else:
                stop = answered.wait(0.05)
            if stop or interrupted:
                for solver, f in zip(solvers, finished, strict=True):
                    if not f.is_set():
                        solver.stop_search()
                time.sleep(0.01)
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt
    for k, code in enumerate(codes):
        if code in ANSWERED:
            return k, SolveStatus.FEASIBLE, extract_schedule(ctxs[k], solvers[k])
        if code == SolveStatus.INFEASIBLE:
            return k, code, None
    return 0, SolveStatus.UNKNOWN, None
