"""Starting a search from a known schedule: a partial hint, or a complete one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.data.people import staffed
from planner.data.problem import Job
from planner.data.result import Schedule, ScheduledSession
from planner.model.context import Context, SessionVars
from planner.solve.budget import COMPLETE_HINT, Budget
from planner.solve.cpsat import ANSWERED, STATUS, solve_interruptibly
from planner.solve.params import SolveParams
from planner.verify.checks import goals_achieved


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
            for x, value in _staff_values(ctx.data.jobs[j], sv, old):
                m.add_hint(x, value)


def complete_hint(
    ctx: Context, schedule: Schedule, params: SolveParams, budget: Budget | None = None, charge: Budget | None = None
) -> bool:
    """Hint *every* variable of the model with a completion of ``schedule``.

    A hint of the sessions alone is rarely used on large models: CP-SAT must
    first complete it (days, offsets, goals, auxiliary literals) within a small
    conflict budget. Here a copy of the model with the schedule's decisions
    fixed is solved first (a propagation exercise), and its whole assignment
    becomes the hint. Falls back to the partial hint if that fails.

    The completion is counted in work units (:data:`COMPLETE_HINT` of the
    solve's ``budget``, default ``params``' limit) in either mode, so the hint
    is the same on any machine; in wall mode the clock of ``budget`` caps it too.
    ``charge`` (e.g. a whole command's budget) is charged the work units it used.
    """
    if completed_cost(ctx, schedule, params, budget, charge) is None:
        hint_schedule(ctx, schedule)
        return False
    return True


def completed_cost(
    ctx: Context, schedule: Schedule, params: SolveParams, budget: Budget | None = None, charge: Budget | None = None
) -> float | None:
    """:func:`complete_hint` without the fall-back: the hint is set only when the completion succeeds
    (the hints are then every variable's), and the result is the completion's objective value (0
    without an objective), or None when it fails (the hints are left as they were)."""
    budget = budget or params.budget()
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
            for x, value in _staff_values(ctx.data.jobs[j], sv, old):
                copy.add(var(x) == value)
    # The goals the schedule meets are fixed too: completing them is then
    # pure propagation instead of an optimisation.
    for g, met in enumerate(goals_achieved(ctx.data, schedule)):
        if met and g < len(ctx.goal_sat):
            copy.add(var(ctx.goal_sat[g]) == 1)
    solver = cp_model.CpSolver()
    SolveParams(deterministic=True, seed=params.seed, wall_cap=None if budget.deterministic else budget.remaining()
                ).apply(solver, COMPLETE_HINT.limit(budget.seconds, True))
    code = STATUS[solve_interruptibly(solver, copy)]
    if charge is not None:
        charge.charge(round(solver.deterministic_time, 3))
    if code not in ANSWERED:
        return None
    m = ctx.model
    m.clear_hints()
    for i in range(len(m.proto.variables)):
        v = m.get_int_var_from_proto_index(i)
        m.add_hint(v, solver.value(copy.get_int_var_from_proto_index(i)))
    return solver.objective_value if copy.has_objective() else 0.0


def _staff_values(job: Job, sv: SessionVars, old: ScheduledSession) -> list[tuple[cp_model.IntVar, int]]:
    """Each further-staff Boolean of a session and its value in ``old``: 1 for the people ``old`` has in
    that role (the role's people worked out once per session, not once per Boolean)."""
    roles = staffed(job.staff, old.staff)
    return [(x, int((job.staff[n], i) in roles)) for (n, i), x in sv.staff.items()]
