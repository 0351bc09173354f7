"""Can one participant's part meet all its goals? A day-indexed relaxation.

A participant's part (:func:`planner.data.problem.participant_part`: their jobs
and goals, crew-mates only in joint jobs) is itself a relaxation of the whole
problem. The whole model places its sessions as intervals on a slot axis and
proves an infeasible part by search, which can take long when hours, load caps
and campaign days meet with almost no slack: Peresild's part of an 81-day MS-19
window (246 h of training, 248 h of room under the 32-h weekly cap before the
exams, the Il-76 days, ten vestibular days before the first flight, the 14-day
liner lag) took 25 s with two workers.

Here the part is asked day by day: one Boolean per session and allowed day
(:func:`planner.data.days.allowed_days`, the one authority); each session of a
done job lies on exactly one day, in order (consecutive days, minimum and
maximum gaps, on prefix sums as in :mod:`planner.solve.day_packing`); a done
job's prerequisites are done, its first session on or after the day their
last (``es``) or first (``ss``) session allows, from the calendar-day lag and
from the slot lag (sessions that do not fit in one day together go on later
days); every participant's sessions of a day fit the day and their daily cap,
those of a week their weekly cap; every resource's sessions of a day fit its
capacity (less what gates reserve); the spacing rules keep their days apart;
every goal group has an option done before the goal's deadline. Positions
within the day, instructors, staff, travel, maximum lags and everything else
are dropped, so any plan of the part, read day by day, satisfies this model:
INFEASIBLE proves that the part, and so the whole, cannot meet every goal;
FEASIBLE proves nothing. The same 81-day proof takes about 2 work units.

Parts with history (sessions already done) or refresher rules are not asked
(their goals are not read the same way).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.data.days import allowed_days
from planner.data.problem import ProblemData
from planner.data.result import SolveStatus
from planner.solve.cpsat import STATUS
from planner.solve.day_packing import (
    MAX_DAY_VARS,
    instructor_day_slots,
    order_days,
    prefix_days,
    resource_day_slots,
    solve_days,
)


@dataclass(frozen=True)
class PartDays:
    """The day-indexed relaxation of one part: the model, whether each job it holds is done, and
    each session's Boolean per allowed day."""

    model: cp_model.CpModel
    done: dict[int, cp_model.IntVar]
    on: dict[tuple[int, int], dict[int, cp_model.IntVar]]  # (job, session) -> day -> Boolean


def needed_jobs(part: ProblemData) -> set[int]:
    """The jobs some goal group of ``part`` may use, with their prerequisites (a done job's are done)."""
    need = {j for goal in part.goals for group in goal.groups for j in group}
    while True:
        more = {pr.before for pr in part.precedences if pr.after in need} - need
        if not more:
            return need
        need |= more


WHOLE_DAY_VARS = 100_000
"""The whole problem's day relaxation (:func:`whole_status`) is built up to this many day Booleans: it
runs once, after everything else, and is what settles lean staffing (4 crews x 90 days: 65,000 Booleans,
built in 0.5 s, INFEASIBLE in 145 work units)."""


def part_model(part: ProblemData, staff: bool = False, most: int = MAX_DAY_VARS) -> PartDays | None:
    """The day-indexed relaxation of ``part`` (see the module docstring), or None when it is not
    asked: history, refreshers, no goal, or more than ``most`` day Booleans. With ``staff``, also
    each group of instructors' working day (:func:`_staff_days`)."""
    if not part.goals or part.refreshers or any(job.num_fixed for job in part.jobs):
        return None
    need = sorted(needed_jobs(part))
    days = {j: (allowed_days(part, j), allowed_days(part, j, last=True)) for j in need}
    count = sum(len(inner) * (part.jobs[j].num_sessions - 1) + len(last) for j, (inner, last) in days.items())
    if count > most:
        return None
    m = cp_model.CpModel()
    done: dict[int, cp_model.IntVar] = {}
    on: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}  # (job, session) -> day -> Boolean
    for j in need:
        job = part.jobs[j]
        inner, last = days[j]
        done[j] = m.new_bool_var(f"done[{j}]")
        for k in range(job.num_sessions):
            on[j, k] = {t: m.new_bool_var(f"on[{j}#{k},{t}]") for t in (last if k == job.num_sessions - 1 else inner)}
            m.add(sum(on[j, k].values()) == done[j])
        for a, b in itertools.pairwise(range(job.num_sessions)):
            order_days(m, part, j, on[j, a], on[j, b], done[j])
    for goal in part.goals:
        for group in goal.groups:
            m.add(sum(x for j in group for t, x in on[j, part.jobs[j].num_sessions - 1].items()
                      if t < goal.deadline_day) >= 1)
    _prerequisites(m, part, on, done)
    _spacing(m, part, on)
    _capacities(m, part, on)
    if staff:
        _staff_days(m, part, on)
    return PartDays(m, done, on)


def _prerequisites(m: cp_model.CpModel, part: ProblemData, on: dict[tuple[int, int], dict[int, cp_model.IntVar]],
                   done: dict[int, cp_model.IntVar]) -> None:
    """A done job's prerequisites are done, and its first session waits for them (in days)."""
    S, D = part.slots_per_day, part.num_days
    for pr in part.precedences:
        a, b = pr.before, pr.after
        if b not in done:
            continue
        m.add_implication(done[b], done[a])
        ja, jb = part.jobs[a], part.jobs[b]
        if pr.kind == "es":
            # start_b >= end_a + lag, with end_a >= day_a * S + len_a and start_b <= day_b * S + S - len_b.
            ref = on[a, ja.num_sessions - 1]
            slot_days = math.ceil((ja.length + jb.length + pr.min_lag - S) / S)
        else:
            # start_b >= start_a + lag, with start_a >= day_a * S and start_b <= day_b * S + S - len_b.
            ref = on[a, 0]
            slot_days = math.ceil((jb.length + pr.min_lag - S) / S)
        gap = max(slot_days, pr.min_days or 0)
        if gap < 0:
            continue  # b may start days before a: nothing a day count can say cheaply
        before_a = prefix_days(m, ref, D, done[a])
        before_b = prefix_days(m, on[b, 0], D, done[b])
        for t in on[b, 0]:
            # By day t, b has started only if a's reference session took place by day t - gap (b done: a done).
            m.add(before_b[t] <= (before_a[t - gap] if t - gap >= 0 else 0))


def _spacing(m: cp_model.CpModel, part: ProblemData, on: dict[tuple[int, int], dict[int, cp_model.IntVar]]) -> None:
    """No session of ``second`` on the day of a session of ``first`` nor on the ``days`` days after it."""
    for rule in part.spacing:
        firsts: dict[int, list[cp_model.IntVar]] = {}
        for k in range(part.jobs[rule.first].num_sessions):
            for t, y in on.get((rule.first, k), {}).items():
                firsts.setdefault(t, []).append(y)
        for k in range(part.jobs[rule.second].num_sessions):
            for t, x in on.get((rule.second, k), {}).items():
                for u in range(t - rule.days, t + 1):
                    for y in firsts.get(u, []):
                        m.add_bool_or([x.Not(), y.Not()])


def _capacities(m: cp_model.CpModel, part: ProblemData, on: dict[tuple[int, int], dict[int, cp_model.IntVar]]) -> None:
    """Each participant's day within the day and their daily cap, each week within their weekly cap;
    each resource's day within its capacity less the units gates reserve."""
    S = part.slots_per_day
    for p, who in enumerate(part.participants):
        by_day: dict[int, list[cp_model.LinearExprT]] = {}
        for (j, _), xs in on.items():
            if p in part.jobs[j].participants:
                for t, x in xs.items():
                    by_day.setdefault(t, []).append(part.jobs[j].length * x)
        day_cap = min(S, who.daily_cap or S)
        for items in by_day.values():
            m.add(sum(items) <= day_cap)
        if who.weeks_capped:
            by_week: dict[int, list[cp_model.LinearExprT]] = {}
            for t, items in by_day.items():
                by_week.setdefault(part.week(t), []).extend(items)
            for w, items in by_week.items():
                if (cap := who.cap_in_week(w)) is not None:
                    m.add(sum(items) <= cap)
    for r in range(len(part.resources)):
        room = resource_day_slots(part, r)
        use: dict[int, list[cp_model.LinearExprT]] = {}
        for (j, _), xs in on.items():
            for rr, q in part.jobs[j].resources:
                if rr == r:
                    for t, x in xs.items():
                        use.setdefault(t, []).append(q * part.jobs[j].length * x)
        for t, items in use.items():
            m.add(sum(items) <= room[t])


def _staff_days(m: cp_model.CpModel, part: ProblemData, on: dict[tuple[int, int], dict[int, cp_model.IntVar]]) -> None:
    """For each set of people some sessions must be taught (or staffed) by, one of them each (or
    ``count``): those sessions of a day fit the working days of the set's people open that day, times
    their parallel capacity. Whoever else they teach, this holds for every plan."""
    needs: list[tuple[tuple[int, ...], int, int, int]] = []  # (people, count, job, session)
    for (j, k) in on:
        job = part.jobs[j]
        if job.needs_instructor and job.instructors:
            needs.append((tuple(sorted(job.instructors)), 1, j, k))
        needs += [(tuple(sorted(st.candidates)), st.count, j, k) for st in job.staff if st.candidates]
    for group in sorted({who for who, _, _, _ in needs}):
        use: dict[int, list[cp_model.LinearExprT]] = {}
        for who, count, j, k in needs:
            if set(who) <= set(group):
                for t, x in on[j, k].items():
                    use.setdefault(t, []).append(count * part.jobs[j].length * x)
        room = instructor_day_slots(part, group)
        for t, items in use.items():
            m.add(sum(items) <= room[t])


def whole_status(data: ProblemData, work: float, wall: float) -> tuple[SolveStatus, float]:
    """Whether every goal of ``data`` can be met day by day with every participant, resource and group of
    instructors at once (:func:`part_model` of the whole problem with ``staff``): INFEASIBLE is a proof
    where one participant or one facility alone proves nothing (a chain through two instructors'
    pools); with the work units used. UNKNOWN when not asked (history, refreshers, too large)."""
    pd = part_model(data, staff=True, most=WHOLE_DAY_VARS)
    if pd is None or work <= 0 or wall <= 0:
        return SolveStatus.UNKNOWN, 0.0
    solver, code = solve_days(pd.model, work, wall, linearization_level=1)
    return STATUS[code], solver.deterministic_time


def part_status(part: ProblemData, work: float, wall: float) -> tuple[SolveStatus, float]:
    """Whether ``part``'s day-indexed relaxation is INFEASIBLE (a proof that not all its goals can be
    met), FEASIBLE or UNKNOWN, within ``work`` CP-SAT work units (one worker) and, as a safety limit
    only, ``wall`` seconds; with the work units used (the same on any machine). UNKNOWN too when it
    is not asked (see :func:`part_model`)."""
    pd = part_model(part)
    if pd is None or work <= 0 or wall <= 0:
        return SolveStatus.UNKNOWN, 0.0
    # Level 1: the proofs here come from the search over the day rows (the 81-day MS-19 part: 1.9 units;
    # 2.8 at level 2, undecided after 20 at level 0).
    solver, code = solve_days(pd.model, work, wall, linearization_level=1)
    status = STATUS[code]
    return (SolveStatus.FEASIBLE if status == SolveStatus.OPTIMAL else status), solver.deterministic_time
