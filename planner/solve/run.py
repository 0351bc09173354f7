"""Solve a problem with CP-SAT and return a solver-free :class:`Result`.

Readiness problems are solved in two phases. Phase 1 maximises the number of
goals (participant x competency) met; its status is what the readiness
verdict rests on. Phase 2 keeps at least that many goals, schedules as much
of the programme as possible and finishes readiness as early as possible,
starting from the phase-1 plan as a hint.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, DEFAULT_WORKERS
from planner.data.problem import ProblemData
from planner.data.result import Result, Schedule, ScheduledSession, SolveStatus
from planner.model import objective
from planner.model.builder import build_model
from planner.model.context import Context
from planner.solve.budget import Budget
from planner.verify.checks import goals_achieved

Progress = Callable[[str, float, float, float], None]
"""Called on every improving solution: phase, seconds, objective, bound."""

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


@dataclass(frozen=True)
class SolveParams:
    """Solver settings.

    ``deterministic`` runs one search worker with a deterministic time limit
    (CP-SAT work units), so that the same input gives the same plan on any
    machine; the wall clock then only caps the run at ten times the limit
    plus ten seconds as a safety net.
    """

    time_limit: float = DEFAULT_TIME_LIMIT_S
    deterministic: bool = False
    seed: int = DEFAULT_SEED
    num_workers: int = 0
    log: bool = False
    plan_phase: bool = True
    extra: dict[str, object] = field(default_factory=dict)

    def apply(self, solver: cp_model.CpSolver, limit: float) -> None:
        """Set ``solver``'s parameters for a phase of at most ``limit`` seconds."""
        p = solver.parameters
        p.random_seed = self.seed
        p.log_search_progress = self.log
        # Ctrl-C is Python's (see solve_interruptibly): CP-SAT's own handler
        # would only end the current search and let the run go on.
        p.catch_sigint_signal = False
        if self.deterministic:
            p.num_workers = 1
            p.max_deterministic_time = max(limit, 0.01)
            # CP-SAT's work units run several times slower than wall seconds
            # on a loaded machine; the wall cap is only a safety net.
            p.max_time_in_seconds = 10 * limit + 10
        else:
            p.max_time_in_seconds = max(limit, 0.01)
            # CP-SAT sizes its portfolio by the core count; on small machines
            # the two-worker portfolio lacks the bound-proving workers, so ask
            # for eight (time-sliced) unless the user chose.
            p.num_workers = self.num_workers or DEFAULT_WORKERS
        for key, value in self.extra.items():
            setattr(p, key, value)


def solve_interruptibly(
    solver: cp_model.CpSolver, model: cp_model.CpModel, callback: cp_model.CpSolverSolutionCallback | None = None
) -> cp_model.CpSolverStatus:
    """``solver.solve(model)`` in a worker thread, so that Ctrl-C reaches Python at once:
    the search is stopped (repeatedly: a stop before it starts is lost) and
    KeyboardInterrupt is raised only after the solver has returned."""
    code: list[cp_model.CpSolverStatus] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            code.append(solver.solve(model, callback))
        except BaseException as exc:  # e.g. raised in the progress callback: the caller's to handle
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    interrupted = False
    # An Event, not Thread.join/is_alive: a join interrupted by Ctrl-C can leave
    # is_alive() False while the thread still runs (CPython before 3.13), and an
    # interpreter that exits under a running solver aborts.
    while not done.is_set():
        try:
            done.wait(0.1)
            if interrupted:
                solver.stop_search()
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt
    if failure:
        raise failure[0]
    return code[0]


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, progress: Progress | None, t0: float) -> None:
        super().__init__()
        self.phase, self.progress, self.t0 = phase, progress, t0

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(self.phase, time.perf_counter() - self.t0, self.objective_value, self.best_objective_bound)


def _run(
    ctx: Context, params: SolveParams, limit: float, phase: str, progress: Progress | None, t0: float
) -> tuple[cp_model.CpSolver, SolveStatus, dict[str, object]]:
    solver = cp_model.CpSolver()
    params.apply(solver, limit)
    code = solve_interruptibly(solver, ctx.model, _Callback(phase, progress, t0))
    status = _STATUS[code]
    info: dict[str, object] = {
        "phase": phase,
        "status": status.value,
        "objective": solver.objective_value if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else None,
        "bound": solver.best_objective_bound if status != SolveStatus.INFEASIBLE else None,
        "deterministic_time": round(solver.deterministic_time, 3),
    }
    if not params.deterministic:
        info["wall_time"] = round(solver.wall_time, 3)
    return solver, status, info


def _extract(ctx: Context, solver: cp_model.CpSolver) -> Schedule:
    out: list[ScheduledSession] = []
    pooled: list[tuple[int, int]] = []  # (position in out, instructor pool)
    for j in range(len(ctx.data.jobs)):
        if not ctx.possible(j) or not solver.boolean_value(ctx.present[j]):
            continue
        job = ctx.data.jobs[j]
        for k, sv in enumerate(ctx.sessions[j]):
            start = solver.value(sv.start)
            teacher = None
            if sv.fixed and job.fixed_instructors:
                teacher = job.fixed_instructors[k]
            else:
                pool = next((p for p, x in sv.instructor.items() if solver.boolean_value(x)), None)
                if pool is not None:
                    pooled.append((len(out), pool))
            out.append(ScheduledSession(j, k, start, start + job.length, teacher))
    return Schedule(tuple(sorted(name_instructors(ctx.data, out, pooled))))


def name_instructors(
    data: ProblemData, sessions: list[ScheduledSession], pooled: list[tuple[int, int]]
) -> list[ScheduledSession]:
    """Give each pooled session a member of its pool with spare capacity.

    Sweeping sessions by start time, a member with spare capacity always
    exists because the model kept every pool within its total capacity.
    """
    members, _ = data.instructor_pools()
    out = list(sessions)
    by_pool: dict[int, list[int]] = {}
    for pos, pool in pooled:
        by_pool.setdefault(pool, []).append(pos)
    for pool, positions in by_pool.items():
        busy: dict[int, list[int]] = {i: [] for i in members[pool]}  # end slots of running sessions
        for pos in sorted(positions, key=lambda q: (out[q].start, out[q].end, out[q].job, out[q].index)):
            s = out[pos]
            for ends in busy.values():
                ends[:] = [e for e in ends if e > s.start]
            free = [i for i in members[pool] if len(busy[i]) < data.instructors[i].capacity]
            pick = free[0] if free else min(members[pool], key=lambda i: len(busy[i]))
            busy[pick].append(s.end)
            out[pos] = replace(s, instructor=pick)
    return out


def _hint(ctx: Context, solver: cp_model.CpSolver) -> None:
    """Hint every decision variable with its value in ``solver``'s solution."""
    m = ctx.model
    m.clear_hints()
    seen: set[int] = set()  # a variable may be hinted once only (shared constants)

    def hint(var: cp_model.IntVar, value: int) -> None:
        if var.index not in seen:
            seen.add(var.index)
            m.add_hint(var, value)

    for j in range(len(ctx.data.jobs)):
        if not ctx.possible(j):
            continue
        hint(ctx.present[j], solver.value(ctx.present[j]))
        for sv in ctx.sessions[j]:
            hint(sv.start, solver.value(sv.start))
            for x in sv.instructor.values():
                hint(x, solver.value(x))
    for sat in ctx.goal_sat:
        hint(sat, solver.value(sat))


def solve(
    data: ProblemData,
    params: SolveParams | None = None,
    progress: Progress | None = None,
    require_goals: tuple[int, ...] = (),
    hint: Schedule | None = None,
    forbid_goals: tuple[int, ...] = (),
) -> Result:
    """Solve ``data``; never raises for infeasible or timed-out problems.

    ``require_goals`` forces those goals to be met (used to test whether a
    single unmet goal is achievable at all); ``forbid_goals`` rules out goals
    proven impossible elsewhere (the search need not try them, and the
    proven bound stays the same). ``hint`` starts the search from
    a known schedule (e.g. the plan of a nearby scenario). With
    ``params.plan_phase`` False the result of phase 1 is returned as is.
    """
    params = params or SolveParams()
    t0 = time.perf_counter()
    ctx = build_model(data)
    m = ctx.model
    if hint is not None and data.objective != "makespan":
        complete_hint(ctx, hint, params)
    elif hint is not None:
        hint_schedule(ctx, hint)
    if data.objective == "makespan":
        return _solve_makespan(ctx, params, progress, t0)

    for g in require_goals:
        m.add(ctx.goal_sat[g] == 1)
    for g in forbid_goals:
        m.add(ctx.goal_sat[g] == 0)
    num_goals = len(data.goals)
    m.maximize(objective.goals_met(ctx))
    first_limit = params.time_limit * (0.75 if params.plan_phase else 1.0)
    solver, status1, info1 = _run(ctx, params, first_limit, "readiness", progress, t0)
    if status1 not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Result(status1, None, runtime=time.perf_counter() - t0, phases=(info1,),
                      goals_bound=None if status1 != SolveStatus.INFEASIBLE else 0)
    best = round(solver.objective_value)
    goals_bound = min(num_goals, int(solver.best_objective_bound + 1e-6))
    sched1 = _extract(ctx, solver)
    met1 = tuple(solver.boolean_value(s) for s in ctx.goal_sat)
    if not params.plan_phase:
        return Result(status1, sched1, goals_met=met1, goals_bound=goals_bound,
                      runtime=time.perf_counter() - t0, phases=(info1,))

    # Phase 2: keep the goals count, complete the programme, finish early.
    _hint(ctx, solver)
    m.add(objective.goals_met(ctx) >= best)
    m.minimize(objective.plan_cost(ctx))
    # The readiness answer is settled; polishing the plan gets at most half
    # the budget so that a verdict never waits on the secondary objective.
    spent = time.perf_counter() - t0
    second_limit = min(max(params.time_limit - spent, params.time_limit * 0.1), params.time_limit * 0.5)
    if params.deterministic:
        second_limit = params.time_limit * 0.25
    solver2, status2, info2 = _run(ctx, params, second_limit, "plan", progress, t0)
    if status2 in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        sched = _extract(ctx, solver2)
        met = tuple(solver2.boolean_value(s) for s in ctx.goal_sat)
        obj, bnd = solver2.objective_value, solver2.best_objective_bound
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
    )


DECIDE_SHARE = 0.4  # of a makespan solve's limit, kept back to prove the incumbent by decision
DECIDE_GAP = 0.1  # relative gap up to which the decision proof is tried


def _solve_makespan(ctx: Context, params: SolveParams, progress: Progress | None, t0: float) -> Result:
    """Minimise the makespan, then try to close a small gap by decision.

    CP-SAT's objective bound often stalls a few units under an optimal
    makespan that it found early. "Is there a schedule of makespan U - 1?",
    solved as a feasibility problem, propagates the tight horizon into every
    time window and is often proven infeasible far sooner, which proves U
    optimal; a schedule found instead is a better incumbent, and the
    question is asked again. Far from a proof, the rest of the time goes on
    optimising from the incumbent instead.
    """
    m = ctx.model
    span = objective.makespan(ctx)
    m.minimize(span)
    solver, status, info = _run(ctx, params, params.time_limit * (1 - DECIDE_SHARE), "makespan", progress, t0)
    phases: list[dict[str, object]] = [info]

    def left() -> float:
        if params.deterministic:
            return params.time_limit - sum(p["deterministic_time"] for p in phases)  # type: ignore[misc]
        return params.time_limit - (time.perf_counter() - t0)

    if status == SolveStatus.UNKNOWN and left() > 0.05:
        # No schedule yet: the share kept back for the decision goes to the search instead.
        solver, status, info = _run(ctx, params, left(), "makespan", progress, t0)
        phases.append(info)
    if status != SolveStatus.FEASIBLE:
        sched = _extract(ctx, solver) if status == SolveStatus.OPTIMAL else None
        return Result(status, sched, objective=info["objective"], bound=info["bound"],  # type: ignore[arg-type]
                      runtime=time.perf_counter() - t0, phases=tuple(phases))
    sched = _extract(ctx, solver)
    ub = round(solver.objective_value)
    lb = math.ceil(solver.best_objective_bound - 1e-6)

    if ub - lb > DECIDE_GAP * ub:
        _hint(ctx, solver)
        solver2, status2, info2 = _run(ctx, params, max(0.05, left()), "makespan", progress, t0)
        phases.append(info2)
        if status2 in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and round(solver2.objective_value) <= ub:
            sched, ub = _extract(ctx, solver2), round(solver2.objective_value)
            lb = max(lb, math.ceil(solver2.best_objective_bound - 1e-6))
    else:
        m.clear_objective()
        while lb < ub and left() > 0.05:
            _hint(ctx, solver)
            m.add(span <= ub - 1)
            solver2, status2, info2 = _run(ctx, params, left(), "decide", progress, t0)
            info2["question"] = f"makespan <= {ub - 1}"
            phases.append(info2)
            if status2 == SolveStatus.INFEASIBLE:
                lb = ub
            elif status2 in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
                solver, sched, ub = solver2, _extract(ctx, solver2), solver2.value(span)
            else:
                break
    final = SolveStatus.OPTIMAL if lb >= ub else SolveStatus.FEASIBLE
    return Result(final, sched, objective=float(ub), bound=float(max(lb, 0)), runtime=time.perf_counter() - t0,
                  phases=tuple(phases))


def is_achievable(data: ProblemData, goal: int, params: SolveParams, budget: Budget | None = None) -> SolveStatus:
    """Whether goal ``goal`` alone can be met: FEASIBLE, INFEASIBLE or UNKNOWN (``budget`` is charged the work)."""
    return goals_achievable(data, (goal,), params, budget=budget)


def hint_schedule(ctx: Context, schedule: Schedule) -> None:
    """Hint the model with ``schedule`` (e.g. the plan before a disruption).

    Sessions the schedule does not have are hinted absent; CP-SAT repairs
    the parts a disruption broke far faster than it searches from scratch.
    """
    m = ctx.model
    m.clear_hints()
    starts = {(s.job, s.index): s for s in schedule.sessions}
    _, pool_of = ctx.data.instructor_pools()
    seen: set[int] = set()
    for j in range(len(ctx.data.jobs)):
        if not ctx.possible(j):
            continue
        # A mandatory job's presence is the constant true: only its starts are hinted.
        if not ctx.data.jobs[j].mandatory and ctx.present[j].index not in seen:
            seen.add(ctx.present[j].index)
            m.add_hint(ctx.present[j], int((j, 0) in starts))
        for k, sv in enumerate(ctx.sessions[j]):
            old = starts.get((j, k))
            if old is None or sv.fixed:
                continue
            m.add_hint(sv.start, old.start)
            for p, x in sv.instructor.items():
                if x.index not in seen:
                    seen.add(x.index)
                    m.add_hint(x, int(old.instructor is not None and pool_of[old.instructor] == p))


def complete_hint(ctx: Context, schedule: Schedule, params: SolveParams, budget: Budget | None = None) -> bool:
    """Hint *every* variable of the model with a completion of ``schedule``.

    A hint of the sessions alone is rarely used on large models: CP-SAT must
    first complete it (days, offsets, goals, auxiliary literals) within a small
    conflict budget. Here a copy of the model with the schedule's decisions
    fixed is solved first (a propagation exercise), and its whole assignment
    becomes the hint. Falls back to the partial hint if that fails.
    ``budget`` is charged the work units of that solve.
    """
    starts = {(s.job, s.index): s for s in schedule.sessions}
    _, pool_of = ctx.data.instructor_pools()
    copy = ctx.model.clone()

    def var(v: cp_model.IntVar) -> cp_model.IntVar:
        return copy.get_int_var_from_proto_index(v.index)

    for j in range(len(ctx.data.jobs)):
        if not ctx.possible(j):
            continue
        done = (j, 0) in starts
        if not ctx.data.jobs[j].mandatory:
            copy.add(var(ctx.present[j]) == int(done))
        if not done:
            continue
        for k, sv in enumerate(ctx.sessions[j]):
            old = starts.get((j, k))
            if old is None:
                continue
            copy.add(var(sv.start) == old.start)
            for p, x in sv.instructor.items():
                copy.add(var(x) == int(old.instructor is not None and pool_of[old.instructor] == p))
    # The goals the schedule meets are fixed too: completing them is then
    # pure propagation instead of an optimisation.
    for g, met in enumerate(goals_achieved(ctx.data, schedule)):
        if met and g < len(ctx.goal_sat):
            copy.add(var(ctx.goal_sat[g]) == 1)
    solver = cp_model.CpSolver()
    SolveParams(deterministic=True, seed=params.seed).apply(solver, max(1.0, min(10.0, 0.1 * params.time_limit)))
    code = _STATUS[solve_interruptibly(solver, copy)]
    if budget is not None:
        budget.charge(solver.deterministic_time)
    if code not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        hint_schedule(ctx, schedule)
        return False
    m = ctx.model
    m.clear_hints()
    for i in range(len(m.proto.variables)):
        v = m.get_int_var_from_proto_index(i)
        m.add_hint(v, solver.value(copy.get_int_var_from_proto_index(i)))
    return True


def feasible_plan(
    data: ProblemData,
    goals: tuple[int, ...] | None,
    params: SolveParams,
    hint: Schedule | None = None,
    earliest_first: bool = False,
    budget: Budget | None = None,
) -> tuple[SolveStatus, Schedule | None]:
    """A schedule meeting all ``goals`` (None: every goal), or a proof there is none.

    Returns FEASIBLE with the schedule, INFEASIBLE (proven) or UNKNOWN.
    ``earliest_first`` adds the schedule-or-postpone style branching of
    lazy-clause-generation schedulers (the unfixed session that can start
    earliest, at its earliest start): on tight pure-scheduling decisions it
    proves "no" about twice as fast as CP-SAT's default search. ``budget``
    is charged the work units the search (and the hint's completion) used.
    """
    ctx = _feasibility_model(data, goals, earliest_first)
    if hint is not None:
        complete_hint(ctx, hint, params, budget)
    solver = cp_model.CpSolver()
    params.apply(solver, params.time_limit)
    status = _STATUS[solve_interruptibly(solver, ctx.model)]
    if budget is not None:
        budget.charge(solver.deterministic_time)
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return SolveStatus.FEASIBLE, _extract(ctx, solver)
    return status, None


def _feasibility_model(data: ProblemData, goals: tuple[int, ...] | None, earliest_first: bool) -> Context:
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
    ctxs = [_feasibility_model(d, None, earliest_first) for d in problems]
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
            codes[k] = _STATUS[solvers[k].solve(ctxs[k].model)]
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
        if code in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return k, SolveStatus.FEASIBLE, _extract(ctxs[k], solvers[k])
        if code == SolveStatus.INFEASIBLE:
            return k, code, None
    return 0, SolveStatus.UNKNOWN, None


def goals_achievable(
    data: ProblemData, goals: tuple[int, ...] | None, params: SolveParams, hint: Schedule | None = None,
    budget: Budget | None = None,
) -> SolveStatus:
    """Whether all ``goals`` (None: every goal) can be met together (``budget`` is charged the work)."""
    return feasible_plan(data, goals, params, hint, budget=budget)[0]
