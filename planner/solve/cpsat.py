"""CP-SAT plumbing shared by every solve: status map, interruptible runs, one
search phase, and reading a schedule back from a solution."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.data.problem import ProblemData
from planner.data.result import PhaseInfo, Schedule, ScheduledSession, SolveStatus
from planner.model.context import Context
from planner.solve.budget import OUTER_FACTOR, Budget, note_wall_cut
from planner.solve.params import Progress, SolveParams

STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}
"""CP-SAT's status codes as solver-free statuses."""

ANSWERED = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
"""Statuses that come with a solution."""


WALL_CUT_SLACK_S = 0.02


def wall_cut(solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> bool:
    """Whether a search with a deterministic (work-unit) limit was stopped by its wall-clock safety
    cap instead: not proven, its units not used up, its wall time at the cap. Its answer may then
    depend on the machine's load."""
    p = solver.parameters
    return (p.max_deterministic_time < 1e9 and p.max_time_in_seconds >= OUTER_FACTOR * p.max_deterministic_time
            and code not in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            and solver.deterministic_time < 0.99 * p.max_deterministic_time
            # A search the cap stopped may report a few milliseconds less than the cap as its
            # wall_time (0.1964 s at a 0.2-s cap, on a loaded machine): the cut went unreported.
            and solver.wall_time >= 0.99 * p.max_time_in_seconds - WALL_CUT_SLACK_S)


def note_if_cut(solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> None:
    """Count a finished search that :func:`wall_cut` says the safety limit stopped (for the command's warning)."""
    if wall_cut(solver, code):
        note_wall_cut(f"a search stopped after {solver.wall_time:.0f} s")


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
    note_if_cut(solver, code[0])
    return code[0]


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, progress: Progress | None, t0: float, stop: StopRule | None = None) -> None:
        super().__init__()
        self.phase, self.progress, self.t0, self.stop = phase, progress, t0, stop
        self.best: float | None = None  # the best plan's cost so far

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        if self.progress is not None:
            self.progress(self.phase, time.perf_counter() - self.t0, self.objective_value, self.best_objective_bound)
        if self.stop is not None and self.stop.met(self.objective_value, self.best_objective_bound):
            self.stop_search()


@dataclass(frozen=True)
class StopRule:
    """Stop a minimisation once its best plan is within ``gap`` times ``floor`` of the higher of the
    solver's bound and ``floor``, a lower bound known from outside the solver (the weekly peaks' floors).

    The slack is a share of the floor, not of the plan's cost: in a lexicographic cost a plan that
    leaves a module out (or moves a published session) more than the bound allows is one weight of
    that term away, far more than 5 % of the peaks, so the search goes on; a share of the whole cost
    would have accepted it (the 2-month file: up to 93 % more peak hours once 8 modules are out)."""

    gap: float
    floor: float = 0.0
    also: Callable[[float], bool] | None = None
    """A further test of a plan's cost (``level``: its weeks without training near their floor: the gap on
    the peaks, worth more than every later term, would let any number of idle weeks through)."""

    @property
    def slack(self) -> float:
        """How far above the bound a plan may stop (0 without a floor: polish until the limit)."""
        return self.gap * self.floor

    def met(self, objective: float, bound: float) -> bool:
        """Whether a plan of cost ``objective`` is close enough to the bound."""
        return objective - max(bound, self.floor) <= self.slack and (self.also is None or self.also(objective))


def run_phase(
    ctx: Context, params: SolveParams, limit: float, phase: str, progress: Progress | None, t0: float,
    budget: Budget | None = None, stop: StopRule | None = None,
) -> tuple[cp_model.CpSolver, SolveStatus, PhaseInfo]:
    """One search of ``ctx.model`` for at most ``limit`` seconds; ``budget`` is
    charged the work units it used (its clock counts the wall time anyway). With ``stop``, a
    minimisation ends once its plan is close enough (:class:`StopRule`): its status is then
    FEASIBLE unless the plan is proven best, and its bound the higher of the two."""
    solver = cp_model.CpSolver()
    params.apply(solver, limit)
    callback = _Callback(phase, progress, t0, stop)
    if stop is not None and stop.also is None:
        solver.parameters.absolute_gap_limit = max(stop.slack, 0.0)  # the solver's own bound, also between plans
    elif stop is not None:
        # The solver's own gap limit cannot test ``also``: the bound is checked here when it rises between plans.
        def bound_risen(bound: float) -> None:
            if callback.best is not None and stop.met(callback.best, bound):
                solver.stop_search()

        solver.best_bound_callback = bound_risen
    code = solve_interruptibly(solver, ctx.model, callback)
    status = STATUS[code]
    bound = solver.best_objective_bound
    if stop is not None and status in ANSWERED:
        bound = max(bound, stop.floor)
        if solver.objective_value <= bound + 0.5:
            status = SolveStatus.OPTIMAL  # stopped at the bound: proven best
        elif status == SolveStatus.OPTIMAL:
            status = SolveStatus.FEASIBLE  # stopped within the gap: close, not proven best
    info = PhaseInfo(
        phase=phase,
        status=status,
        objective=solver.objective_value if status in ANSWERED else None,
        bound=bound if status != SolveStatus.INFEASIBLE else None,
        deterministic_time=round(solver.deterministic_time, 3),
        wall_time=None if params.deterministic else round(solver.wall_time, 3),
        cut_by_wall=wall_cut(solver, code),
    )
    if budget is not None:
        assert info.deterministic_time is not None
        budget.charge(info.deterministic_time)
    return solver, status, info


def extract_schedule(ctx: Context, solver: cp_model.CpSolver) -> Schedule:
    """The schedule of ``solver``'s solution, each pooled session given a named instructor."""
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
            staff = tuple(i for (_, i), x in sorted(sv.staff.items()) if solver.boolean_value(x))
            if sv.fixed and job.fixed_staff:
                staff = job.fixed_staff[k]  # as recorded, like the instructor
            out.append(ScheduledSession(j, k, start, start + job.length, teacher, staff))
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
            # Re-planning: a session kept where it was keeps its published instructor when free.
            published = data.teachers.get((s.job, s.start))
            pick = published if published in free else free[0] if free else min(members[pool], key=lambda i: len(busy[i]))
            busy[pick].append(s.end)
            out[pos] = replace(s, instructor=pick)
    return out


def hint_solution(ctx: Context, solver: cp_model.CpSolver) -> None:
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


def hint_every_variable(ctx: Context, solver: cp_model.CpSolver) -> None:
    """Hint every variable the model has so far with its value in ``solver``'s solution.

    Before a phase that adds variables of its own (phase 2's objective terms): with
    the whole phase-1 solution hinted, CP-SAT completes the rest at once, where the
    decision variables alone (:func:`hint_solution`) left it seconds of repair."""
    m = ctx.model
    m.clear_hints()
    for i in range(len(m.proto.variables)):
        var = m.get_int_var_from_proto_index(i)
        m.add_hint(var, solver.value(var))
