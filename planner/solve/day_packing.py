"""Can one shared resource host every session the goals need? A day-indexed relaxation.

The whole model places sessions as intervals on a slot axis; its linear
relaxation of a resource is the total energy, which misses packing by the day.
Example: a water-survival course of three consecutive full days on a site of
capacity 1, open Monday to Friday: only one course fits in a week (two would
need six days), so a 13-week season hosts at most 13 courses although its 65
days would hold 21 by energy alone. A search finds this out only by trying
every assignment (a pigeonhole), which CP-SAT does not finish in minutes for
16 courses.

Here the question is asked of the resource alone, day-indexed: one Boolean
per session and allowed day (the days come from the data layer's one
authority, :func:`planner.data.days.allowed_days`); each session of a job
that is done lies on exactly one day; consecutive sessions on consecutive
days, spaced ones at least their gap apart (on prefix sums, the tight
time-indexed form); on every day the sessions' resource-slots fit the
capacity left by gates; every goal group whose options all use the resource
has an option whose last session lies before the goal's deadline. Every
other rule is dropped, so the model is a relaxation: a plan of the whole
problem, read day by day, satisfies it. INFEASIBLE therefore proves that not
every goal can be met; FEASIBLE proves nothing. The day constraints make the
pigeonhole visible to the linear relaxation (each Wednesday is used by any
three-day course of its week), so such proofs come at the root.

Every solve is limited in CP-SAT work units (deterministic), with the wall
clock only as a safety limit, so the answer does not depend on machine load.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.data.days import allowed_days
from planner.data.problem import ProblemData
from planner.data.result import SolveStatus
from planner.solve.cpsat import STATUS, note_if_cut, solve_interruptibly

MAX_DAY_VARS = 15_000
"""Larger day-indexed models are skipped: building them in Python costs about a second per 30,000
Booleans, and the resources that big (a classroom used by every module) are rarely the bottleneck."""


@dataclass(frozen=True)
class Packing:
    """The day-indexed relaxation of one resource: the model and what it holds."""

    resource: int
    model: cp_model.CpModel
    jobs: tuple[int, ...]  # the jobs using the resource
    goal_groups: int  # goal groups it requires (none: nothing to prove)
    load: float  # sessions' resource-slots over the capacity of the days they may use (most loaded first)


def resource_order(data: ProblemData) -> list[int]:
    """Resources worth a day-indexed relaxation, the most loaded first: used by two or more jobs
    that can be done and within :data:`MAX_DAY_VARS` day Booleans."""
    out: list[tuple[float, int]] = []
    for r in range(len(data.resources)):
        size = _size(data, r)
        if size is not None:
            out.append((-size[1], r))
    return [r for _, r in sorted(out)]


def _users(data: ProblemData, r: int) -> list[tuple[int, int]]:
    """(job, units) of the jobs needing resource ``r`` within its capacity (the others can never run)."""
    cap = data.resources[r].capacity
    return [(j, q) for j, job in enumerate(data.jobs) for rr, q in job.resources if rr == r and q <= cap]


def _days(data: ProblemData, j: int) -> dict[int, list[int]]:
    """Allowed days of each session still to place of job ``j``."""
    job = data.jobs[j]
    last = job.num_sessions - 1
    inner = allowed_days(data, j) if last > job.num_fixed else []
    return {k: (allowed_days(data, j, last=True) if k == last else inner) for k in range(job.num_fixed, job.num_sessions)}


def _size(data: ProblemData, r: int) -> tuple[int, float] | None:
    """(day Booleans, load) of resource ``r``'s relaxation, or None when it is not worth building."""
    users = _users(data, r)
    if len(users) < 2 or data.resources[r].capacity <= 0:
        return None
    count, energy, union = 0, 0, set()
    for j, q in users:
        job = data.jobs[j]
        for days in _days(data, j).values():
            count += len(days)
            union.update(days)
        energy += q * job.length * (job.num_sessions - job.num_fixed)
    if count == 0 or count > MAX_DAY_VARS:
        return None
    return count, energy / (data.resources[r].capacity * data.slots_per_day * max(1, len(union)))


def packing_model(data: ProblemData, r: int) -> Packing | None:
    """The day-indexed relaxation of resource ``r`` (see the module docstring), or None if too large."""
    size = _size(data, r)
    if size is None:
        return None
    res, S = data.resources[r], data.slots_per_day
    m = cp_model.CpModel()
    use: dict[int, list[cp_model.LinearExprT]] = {}
    on: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}  # (job, session) -> day -> Boolean
    users = _users(data, r)
    for j, q in users:
        job = data.jobs[j]
        for start in job.fixed_starts:  # history: its days are taken
            use.setdefault(start // S, []).append(q * job.length)
        days = _days(data, j)
        if not days:
            continue
        done = m.new_bool_var(f"done[{j}]")
        for k, allowed in days.items():
            on[j, k] = {t: m.new_bool_var(f"on[{j}#{k},{t}]") for t in allowed}
            m.add(sum(on[j, k].values()) == done)
            for t, x in on[j, k].items():
                use.setdefault(t, []).append(q * job.length * x)
        free = sorted(days)
        for a, b in itertools.pairwise(free):
            _order(m, data, j, on[j, a], on[j, b], done)
    for t, items in use.items():
        reserved = sum(units for day, units in res.reserved if day == t)
        m.add(sum(items) <= max(0, res.capacity - reserved) * S)
    groups = 0
    for goal in data.goals:
        for group in goal.groups:
            if group and all((j, data.jobs[j].num_sessions - 1) in on for j in group):
                last = [x for j in group for t, x in on[j, data.jobs[j].num_sessions - 1].items()
                        if t < goal.deadline_day]
                m.add(sum(last) >= 1)
                groups += 1
    return Packing(r, m, tuple(j for j, _ in users), groups, size[1])


def _order(m: cp_model.CpModel, data: ProblemData, j: int, a: dict[int, cp_model.IntVar],
           b: dict[int, cp_model.IntVar], done: cp_model.IntVar) -> None:
    """Session ``b`` after session ``a`` of job ``j``, in days: the next day if consecutive,
    else at least the minimum gap and at most the maximum gap later."""
    job = data.jobs[j]
    if job.consecutive:
        for t, x in b.items():
            m.add(x <= a.get(t - 1, 0))
        for t, x in a.items():
            m.add(x <= b.get(t + 1, 0))
        return
    # Prefix sums: by any day, no more of b than of a (gap days earlier) has happened.
    gap = job.min_gap_days
    before_a = _prefix(m, a, data.num_days, done)
    before_b = _prefix(m, b, data.num_days, done)
    for t in b:
        m.add(before_b[t] <= (before_a[t - gap] if t - gap >= 0 else 0))
    if job.max_gap_days is not None:
        for t, x in a.items():
            m.add(x <= sum(y for u, y in b.items() if t <= u <= t + job.max_gap_days))


def _prefix(m: cp_model.CpModel, on: dict[int, cp_model.IntVar], days: int,
            done: cp_model.IntVar) -> list[cp_model.LinearExprT]:
    """For every day, whether the session has happened by then (a chain of sums, O(days) terms)."""
    out: list[cp_model.LinearExprT] = []
    if not on:
        return [0] * days
    first, last = min(on), max(on)
    running: cp_model.LinearExpr | int = 0
    for t in range(days):
        if t < first:
            out.append(0)
        elif t >= last:
            out.append(done)
        elif t in on:
            step = m.new_bool_var("")
            m.add(step == on[t] + running)
            running = step
            out.append(step)
        else:  # a closed day: nothing happens on it
            out.append(running)
    return out


def packing_status(data: ProblemData, r: int, work: float, wall: float) -> SolveStatus:
    """Whether resource ``r``'s day-indexed relaxation is INFEASIBLE (a proof), FEASIBLE or UNKNOWN,
    within ``work`` CP-SAT work units (one worker) and, as a safety limit only, ``wall`` seconds.
    UNKNOWN too when it is not worth asking (nothing to prove, or too large)."""
    pk = packing_model(data, r)
    if pk is None or pk.goal_groups == 0 or work <= 0 or wall <= 0:
        return SolveStatus.UNKNOWN
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.max_deterministic_time = work
    p.max_time_in_seconds = wall
    p.catch_sigint_signal = False
    code = solve_interruptibly(solver, pk.model)
    note_if_cut(solver, code)
    status = STATUS[code]
    return SolveStatus.FEASIBLE if status == SolveStatus.OPTIMAL else status
