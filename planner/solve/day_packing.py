"""Can one facility host every session the goals need? A day-indexed relaxation.

A facility is a shared resource, or a pool of interchangeable instructors with the
jobs that only they can teach (the same packing question: one survival brigade for
every crew's three-day course).

The whole model places sessions as intervals on a slot axis; its linear
relaxation of a resource is the total energy, which misses packing by the day.
Example: a water-survival course of three consecutive full days on a site of
capacity 1, open Monday to Friday: only one course fits in a week (two would
need six days), so a 13-week season hosts at most 13 courses although its 65
days would hold 21 by energy alone. A search finds this out only by trying
every assignment (a pigeonhole), which CP-SAT does not finish in minutes for
16 courses.

Here the question is asked of the facility alone, day-indexed: one Boolean
per session and allowed day (the days come from the data layer's one
authority, :func:`planner.data.days.allowed_days`); each session of a job
that is done lies on exactly one day; consecutive sessions on consecutive
days, spaced ones at least their gap apart (on prefix sums, the tight
time-indexed form); on every day the sessions' slots fit the capacity that
day leaves (less a resource's units gates reserve; none on an instructor's
day off); every goal group whose options all use the facility has an option whose last session lies before the goal's deadline. Every
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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from planner.data.days import allowed_days
from planner.data.problem import ProblemData
from planner.data.result import SolveStatus
from planner.solve.cpsat import STATUS, note_if_cut, solve_interruptibly

MAX_DAY_VARS = 15_000
"""Larger day-indexed models are skipped: building them in Python costs about a second per 30,000
Booleans, and facilities that big (a classroom used by every module) are rarely the bottleneck."""


@dataclass(frozen=True)
class Facility:
    """What is packed day by day: a shared resource, or a pool of interchangeable instructors
    (:meth:`ProblemData.instructor_pools`) with the jobs only they can teach."""

    kind: Literal["resource", "instructors"]
    index: int  # the resource, or the pool
    users: tuple[tuple[int, int], ...]  # (job, units per session)
    day_capacity: tuple[int, ...]  # units x slots, per day

    def describe(self, data: ProblemData) -> str:
        """The facility in the words of a proof."""
        if self.kind == "resource":
            res = data.resources[self.index]
            return f"{res.id} (capacity {res.capacity})"
        members = data.instructor_pools()[0][self.index]
        return f"instructor{'s' if len(members) > 1 else ''} {', '.join(data.instructors[i].id for i in members)}"


@dataclass(frozen=True)
class Packing:
    """The day-indexed relaxation of one facility: the model and what it holds."""

    model: cp_model.CpModel
    goal_groups: int  # goal groups it requires (none: nothing to prove)
    needed: int  # jobs those goal groups need


def facilities(data: ProblemData, min_load: float = 0.0) -> list[Facility]:
    """Every facility worth a day-indexed relaxation, the most loaded first: used by two or more
    jobs that can be done, within :data:`MAX_DAY_VARS` day Booleans, needed by some goal group and
    loaded at least ``min_load`` (see :func:`_load`).

    A resource's users are the jobs needing it within its capacity (the others can never run);
    each day holds its capacity less the units gates reserve. An instructor pool's users are the
    jobs whose every available candidate belongs to it (only its members may teach them); each of
    its open days holds the members' parallel capacity."""
    found: list[Facility] = []
    for r, res in enumerate(data.resources):
        users = tuple((j, q) for j, job in enumerate(data.jobs) for rr, q in job.resources
                      if rr == r and q <= res.capacity)
        found.append(Facility("resource", r, users, resource_day_slots(data, r)))
    members, pool_of = data.instructor_pools()
    taught: list[list[tuple[int, int]]] = [[] for _ in members]
    for j, job in enumerate(data.jobs):
        pools = {pool_of[i] for i in job.instructors if any(data.instructors[i].open_days)}
        if job.needs_instructor and len(pools) == 1:
            taught[pools.pop()].append((j, 1))
    for p, jobs in enumerate(taught):
        found.append(Facility("instructors", p, tuple(jobs), instructor_day_slots(data, members[p])))
    ranked = []
    for n, fac in enumerate(found):
        load = _load(data, fac)
        if load is not None and load > 0 and load >= min_load:  # load 0: no goal needs it, nothing to prove
            ranked.append((-load, n, fac))
    return [fac for _, _, fac in sorted(ranked, key=lambda t: (t[0], t[1]))]


def resource_day_slots(data: ProblemData, r: int) -> tuple[int, ...]:
    """Unit-slots resource ``r`` holds on each day: its capacity less the units gates reserve, times the slots."""
    res, days = data.resources[r], data.num_days
    reserved = [0] * days
    for day, units in res.reserved:
        if 0 <= day < days:
            reserved[day] += units
    return tuple(max(0, res.capacity - reserved[t]) * data.slots_per_day for t in range(days))


def instructor_day_slots(data: ProblemData, group: Sequence[int]) -> tuple[int, ...]:
    """Slots instructors ``group`` can teach on each day: the parallel capacity of those open that day."""
    people = [data.instructors[i] for i in group]
    return tuple(data.slots_per_day * sum(x.capacity for x in people if t < len(x.open_days) and x.open_days[t])
                 for t in range(data.num_days))


def _days(data: ProblemData, j: int) -> dict[int, list[int]]:
    """Allowed days of each session still to place of job ``j``."""
    job = data.jobs[j]
    last = job.num_sessions - 1
    inner = allowed_days(data, j) if last > job.num_fixed else []
    return {k: (allowed_days(data, j, last=True) if k == last else inner) for k in range(job.num_fixed, job.num_sessions)}


def _allowed(data: ProblemData, fac: Facility) -> dict[int, dict[int, list[int]]] | None:
    """Each user job's sessions still to place with their allowed days, or None when the facility's
    relaxation is not worth building: fewer than two users, no day Boolean, or more than
    :data:`MAX_DAY_VARS`."""
    if len(fac.users) < 2:
        return None
    out = {j: _days(data, j) for j, _ in fac.users}
    count = sum(len(d) for sessions in out.values() for d in sessions.values())
    return out if 0 < count <= MAX_DAY_VARS else None


def _load(data: ProblemData, fac: Facility) -> float | None:
    """How loaded a facility is (None: not worth building, see :func:`_allowed`).

    The load counts what the proof is about: the sessions of the jobs goal groups need, over the
    capacity of the days they may use before the earliest deadline of those goals (0 if none needed)."""
    allowed = _allowed(data, fac)
    if allowed is None:
        return None
    due = {j: min(days) for j, days in _deadlines(data, fac).items()}
    units = dict(fac.users)
    energy = 0
    union: set[int] = set()
    for j in due:
        job = data.jobs[j]
        for days in allowed[j].values():
            union.update(t for t in days if t < due[j])
        energy += units[j] * job.length * (job.num_sessions - job.num_fixed)
    room = sum(fac.day_capacity[t] for t in union)
    return energy / room if room > 0 else (0.0 if energy == 0 else float("inf"))


def packing_model(data: ProblemData, fac: Facility, maximise: bool = False) -> Packing | None:
    """The day-indexed relaxation of ``fac`` (see the module docstring), or None if not worth building.

    ``maximise``: instead of requiring the goal groups, maximise how many of the jobs they need end
    before their deadline (the earliest of the goals needing each): how much the facility can host."""
    allowed = _allowed(data, fac)
    if allowed is None:
        return None
    S = data.slots_per_day
    m = cp_model.CpModel()
    use: dict[int, list[cp_model.LinearExprT]] = {}
    on: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}  # (job, session) -> day -> Boolean
    for j, q in fac.users:
        job = data.jobs[j]
        if fac.kind == "resource":
            for start in job.fixed_starts:  # history: its days are taken
                use.setdefault(start // S, []).append(q * job.length)
        days = allowed[j]
        if not days:
            continue
        done = m.new_bool_var(f"done[{j}]")
        for k, open_days in days.items():
            on[j, k] = {t: m.new_bool_var(f"on[{j}#{k},{t}]") for t in open_days}
            m.add(sum(on[j, k].values()) == done)
            for t, x in on[j, k].items():
                use.setdefault(t, []).append(q * job.length * x)
        for a, b in itertools.pairwise(sorted(days)):
            order_days(m, data, j, on[j, a], on[j, b], done)
    for t, items in use.items():
        m.add(sum(items) <= fac.day_capacity[t])
    needs = _needs(data, fac)
    due = {j: min(days) for j, days in _deadlines(data, fac, needs).items()}
    if not maximise:
        for g, group in needs:
            m.add(sum(x for j in group for t, x in on[j, data.jobs[j].num_sessions - 1].items()
                      if t < data.goals[g].deadline_day) >= 1)
    else:
        in_time = []
        for j, deadline in sorted(due.items()):
            y = m.new_bool_var(f"in_time[{j}]")
            m.add(y <= sum(x for t, x in on[j, data.jobs[j].num_sessions - 1].items() if t < deadline))
            in_time.append(y)
        m.maximize(sum(in_time))
    return Packing(m, len(needs), len(due))


def order_days(m: cp_model.CpModel, data: ProblemData, j: int, a: dict[int, cp_model.IntVar],
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
    before_a = prefix_days(m, a, data.num_days, done)
    before_b = prefix_days(m, b, data.num_days, done)
    for t in b:
        m.add(before_b[t] <= (before_a[t - gap] if t - gap >= 0 else 0))
    if job.max_gap_days is not None:
        for t, x in a.items():
            m.add(x <= sum(y for u, y in b.items() if t <= u <= t + job.max_gap_days))


def prefix_days(m: cp_model.CpModel, on: dict[int, cp_model.IntVar], days: int,
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


def packing_status(data: ProblemData, fac: Facility, work: float, wall: float) -> SolveStatus:
    """Whether ``fac``'s day-indexed relaxation is INFEASIBLE (a proof), FEASIBLE or UNKNOWN,
    within ``work`` CP-SAT work units (one worker) and, as a safety limit only, ``wall`` seconds.
    UNKNOWN too when it is not worth asking (nothing to prove, or too large)."""
    pk = packing_model(data, fac)
    if pk is None or pk.goal_groups == 0 or work <= 0 or wall <= 0:
        return SolveStatus.UNKNOWN
    _, code = _solve(pk.model, work, wall)
    status = STATUS[code]
    return SolveStatus.FEASIBLE if status == SolveStatus.OPTIMAL else status


def most_hosted(data: ProblemData, fac: Facility, work: float, wall: float) -> tuple[int, int] | None:
    """(at most how many, of how many) jobs that goal groups need ``fac`` can host before their
    deadlines, proven within the limits (as :func:`packing_status`); None if the bound is not below
    the number needed (the proof then rests on alternatives or several deadlines)."""
    pk = packing_model(data, fac, maximise=True)
    if pk is None or pk.needed == 0 or work <= 0 or wall <= 0:
        return None
    solver, code = _solve(pk.model, work, wall)
    if STATUS[code] not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None
    most = int(solver.best_objective_bound + 1e-6)
    return (most, pk.needed) if most < pk.needed else None


def _needs(data: ProblemData, fac: Facility) -> list[tuple[int, tuple[int, ...]]]:
    """(goal, group) for every goal group whose options are all jobs of ``fac`` with sessions still to
    place: what the relaxation requires (or counts)."""
    users = {j for j, _ in fac.users}
    return [(g, group) for g, goal in enumerate(data.goals) for group in goal.groups
            if group and all(j in users and data.jobs[j].num_fixed < data.jobs[j].num_sessions for j in group)]


def _deadlines(data: ProblemData, fac: Facility,
               needs: list[tuple[int, tuple[int, ...]]] | None = None) -> dict[int, set[int]]:
    """Each job the goal groups on ``fac`` need (``needs``, default :func:`_needs`), with the deadlines
    of those goals."""
    out: dict[int, set[int]] = {}
    for g, group in _needs(data, fac) if needs is None else needs:
        for j in group:
            out.setdefault(j, set()).add(data.goals[g].deadline_day)
    return out


def pairs_bound(data: ProblemData, fac: Facility, most: int, work: float, wall: float) -> int | None:
    """At most how many goals can be met when ``fac`` hosts at most ``most`` of the jobs its goal
    groups need: a goal with a group on the facility needs one hosted job of it. None when a job
    serves goals with different deadlines (hosting counted by the earliest would not bound the later)."""
    needs = _needs(data, fac)
    deadlines = _deadlines(data, fac, needs)
    if any(len(d) > 1 for d in deadlines.values()):
        return None
    m = cp_model.CpModel()
    hosted = {j: m.new_bool_var(f"hosted[{j}]") for j in sorted(deadlines)}
    m.add(sum(hosted.values()) <= most)
    met: dict[int, cp_model.IntVar] = {}
    for g, group in needs:
        met.setdefault(g, m.new_bool_var(f"met[{g}]"))
        m.add(met[g] <= sum(hosted[j] for j in group))
    m.maximize(sum(met.values()))
    solver, code = _solve(m, work, wall)
    if STATUS[code] not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None
    return len(data.goals) - len(met) + int(solver.best_objective_bound + 1e-6)


def _solve(model: cp_model.CpModel, work: float, wall: float) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    # The proofs are the LP's (the day rows against the courses of a week). At level 1 presolve's
    # rewriting hides them from one worker (16 crews x 120 days: undecided after 20 work units);
    # level 2 finds them at the root (0.03 units).
    return solve_days(model, work, wall, linearization_level=2)


def solve_days(model: cp_model.CpModel, work: float, wall: float,
               linearization_level: int) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """A day-indexed relaxation's solve: one worker, ``work`` work units, ``wall`` seconds as a safety limit only."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.max_deterministic_time = work
    p.max_time_in_seconds = wall
    p.catch_sigint_signal = False
    p.linearization_level = linearization_level
    code = solve_interruptibly(solver, model)
    note_if_cut(solver, code)
    return solver, code
