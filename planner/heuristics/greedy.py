"""A deterministic greedy baseline: a list scheduler for training scenarios.

Jobs that a goal needs (the first option of an ``any_of``, and every
prerequisite) are taken one at a time, the job whose goals fall due first
among those whose prerequisites are placed; each session goes to the
earliest slot that keeps every rule the verifier checks (calendars, seasons,
recency, deadlines, participants one thing at a time, load caps, rest days,
facility and instructor capacity, session spacing, consecutive days, lags
and spacing rules). A job that cannot be completed is dropped with
everything that needs it. No search, no backtracking beyond one job: this is
what a careful planner with a spreadsheet does, and what the CP-SAT model
is measured against. The schedule is checked with
:func:`planner.verify.checks.verify_schedule`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planner.calendar.grid import TimeGrid, build_grid
from planner.data.days import day_range, is_open
from planner.data.problem import Job, ProblemData, build_problem
from planner.data.result import Schedule, ScheduledSession
from planner.scenario.schema import Scenario
from planner.verify.checks import goals_achieved, verify_schedule


@dataclass
class ParticipantReadiness:
    """One participant's readiness in the greedy plan."""

    ready: bool
    ready_on: dt.date | None  # all goals met: the day the last needed module ends
    met: int
    total: int


@dataclass
class GreedyResult:
    """The greedy schedule, the goals it meets and whether it verifies."""

    schedule: Schedule
    goals_met: tuple[bool, ...]
    participants: dict[str, ParticipantReadiness]
    failed: dict[str, str] = field(default_factory=dict)  # job id -> why it was dropped
    violations: list[str] = field(default_factory=list)  # empty unless the greedy has a bug

    @property
    def num_goals_met(self) -> int:
        """How many goals the greedy plan meets."""
        return sum(self.goals_met)


class _State:
    """Bookings so far: slot occupancy and loads."""

    def __init__(self, data: ProblemData) -> None:
        h = data.horizon
        self.data = data
        self.busy = [bytearray(h) for _ in data.participants]  # 1 = in a session, 2 = resting
        self.res = [[0] * h for _ in data.resources]
        S = data.slots_per_day
        for r, res in enumerate(data.resources):
            for day, units in res.reserved:  # gates' whole days (exams on the simulators)
                for t in range(day * S, min(h, (day + 1) * S)):
                    self.res[r][t] += units
        self.ins = [[0] * h for _ in data.instructors]
        self.day_load: list[dict[int, int]] = [defaultdict(int) for _ in data.participants]
        self.week_load: list[dict[int, int]] = [defaultdict(int) for _ in data.participants]
        self.days_of: dict[int, set[int]] = defaultdict(set)  # job -> days it has sessions on
        self.sessions: dict[int, list[ScheduledSession]] = {}
        self.teachers: dict[int, tuple[int, ...]] = {}  # job -> its instructors in the order to try them


def spare_first(data: ProblemData) -> dict[int, tuple[int, ...]]:
    """Each job's instructors (job index -> instructors), the least demanded elsewhere first.

    An instructor's demand elsewhere: the hours of the jobs of every other
    pool it belongs to, shared among that pool. An emergency drill that a
    Soyuz or an RS instructor may teach then goes to the RS one when the
    Soyuz instructors alone must teach far more hours.
    """
    demand: dict[tuple[int, ...], int] = defaultdict(int)
    for job in data.jobs:
        if job.needs_instructor:
            demand[job.instructors] += job.num_sessions * job.length
    out: dict[int, tuple[int, ...]] = {}
    for j, job in enumerate(data.jobs):
        if job.needs_instructor and len(job.instructors) > 1:
            def elsewhere(i: int, own: tuple[int, ...] = job.instructors) -> tuple[float, int]:
                return sum(h / len(pool) for pool, h in demand.items() if i in pool and pool != own), i
            out[j] = tuple(sorted(job.instructors, key=elsewhere))
    return out


def _spacing_ok(data: ProblemData, st: _State, j: int, day: int) -> bool:
    """Whether a session of job ``j`` on ``day`` keeps every spacing rule."""
    for rule in data.spacing:
        if rule.second == j and any(0 <= day - d <= rule.days for d in st.days_of.get(rule.first, ())):
            return False
        if rule.first == j and any(0 <= d - day <= rule.days for d in st.days_of.get(rule.second, ())):
            return False
    return True


def _fits(data: ProblemData, st: _State, j: int, t: int) -> tuple[bool, int | None, tuple[int, ...]]:
    """Whether slots ``[t, t + length)`` are free for job ``j``, the instructor to book (if any)
    and the people of its further staff roles."""
    job = data.jobs[j]
    L, S = job.length, data.slots_per_day
    day = t // S
    for p in job.participants:
        if any(st.busy[p][t : t + L]):
            return False, None, ()
        part = data.participants[p]
        if part.daily_cap is not None and st.day_load[p][day] + L > part.daily_cap:
            return False, None, ()
        if part.weeks_capped and (cap := part.cap_in_week(data.week(day))) is not None \
                and st.week_load[p][data.week(day)] + L > cap:
            return False, None, ()
    for r, demand in job.resources:
        cap = data.resources[r].capacity
        if any(u + demand > cap for u in st.res[r][t : t + L]):
            return False, None, ()

    def free(i: int) -> bool:
        ins = data.instructors[i]
        return ins.open_days[day] and all(u < ins.capacity for u in st.ins[i][t : t + L])

    if not job.needs_instructor:
        staff = _staff(job, None, free)
        return (True, None, staff) if staff is not None else (False, None, ())
    for teacher in st.teachers.get(j, job.instructors):
        if free(teacher):
            staff = _staff(job, teacher, free)
            if staff is not None:  # else another teacher may leave the roles their people
                return True, teacher, staff
    return False, None, ()


def _staff(job: Job, teacher: int | None, free: Callable[[int], bool]) -> tuple[int, ...] | None:
    """The people of the job's further roles beside ``teacher``, the first free ones; None if short."""
    staff: list[int] = []
    for need in job.staff:
        pick = [i for i in need.candidates if i != teacher and i not in staff and free(i)][: need.count]
        if len(pick) < need.count:
            return None
        staff += sorted(pick)
    return tuple(staff)


def _book(data: ProblemData, st: _State, j: int, k: int, t: int, teacher: int | None,
          staff: tuple[int, ...] = ()) -> None:
    job = data.jobs[j]
    L, S = job.length, data.slots_per_day
    for p in job.participants:
        st.busy[p][t : t + L] = b"\x01" * L
        st.day_load[p][t // S] += L
        st.week_load[p][data.week(t // S)] += L
    for r, demand in job.resources:
        for s in range(t, t + L):
            st.res[r][s] += demand
    for who in (teacher, *staff):
        if who is not None:
            for s in range(t, t + L):
                st.ins[who][s] += 1
    st.days_of[j].add(t // S)
    st.sessions.setdefault(j, []).append(ScheduledSession(j, k, t, t + L, teacher, staff))


def _unbook(data: ProblemData, st: _State, j: int) -> None:
    job = data.jobs[j]
    S = data.slots_per_day
    for s in st.sessions.pop(j, []):
        L = s.end - s.start
        for p in job.participants:
            st.busy[p][s.start : s.end] = bytes(L)
            st.day_load[p][s.start // S] -= L
            st.week_load[p][data.week(s.start // S)] -= L
        for r, demand in job.resources:
            for x in range(s.start, s.end):
                st.res[r][x] -= demand
        for who in (s.instructor, *s.staff):
            if who is not None:
                for x in range(s.start, s.end):
                    st.ins[who][x] -= 1
    st.days_of.pop(j, None)


def _place_job(data: ProblemData, st: _State, j: int, first_day: int, first_slot: int,
               due: int | None = None) -> str | None:
    """Place every session of job ``j`` earliest-first, before day ``due`` if given; None on success, else why not."""
    job = data.jobs[j]
    S, n = data.slots_per_day, data.num_days
    last_day = min(day_range(data, j).stop, n if due is None else due)
    start_day = first_day
    while start_day < last_day:
        day, ok = start_day, True
        limit = last_day
        for k in range(job.num_sessions):
            last = k == job.num_sessions - 1
            placed = False
            while day < limit:
                if is_open(data, j, day, last) and _spacing_ok(data, st, j, day):
                    for off in range(S - job.length + 1):
                        t = day * S + off
                        if t < first_slot:
                            continue
                        free, teacher, staff = _fits(data, st, j, t)
                        if free:
                            _book(data, st, j, k, t, teacher, staff)
                            placed = True
                            break
                if placed:
                    break
                if job.consecutive and k > 0:
                    break  # the next day was the only choice
                day += 1
            if not placed:
                ok = False
                break
            # The next session: another day if spacing asks for it, the next day if consecutive,
            # and no later than the module's largest gap allows.
            day = day + max(job.min_gap_days, 1 if job.consecutive else 0)
            if job.max_gap_days is not None:
                limit = min(last_day, max(s.start for s in st.sessions[j]) // S + job.max_gap_days + 1)
        if ok:
            return None
        failed_first = min((s.start // S for s in st.sessions.get(j, [])), default=None)
        _unbook(data, st, j)
        if not (job.consecutive or job.max_gap_days is not None) or failed_first is None:
            return "no room for all its sessions before its deadline"
        start_day = failed_first + 1  # a consecutive run or a gap broke: try a later first day
    return "no room for all its sessions before its deadline"


def _rest(data: ProblemData, st: _State, j: int) -> None:
    """Block the participants' rest (and travel back) days after job ``j`` and its travel days before."""
    job = data.jobs[j]
    if not job.rest_days_after and not job.travel_before:
        return
    S = data.slots_per_day
    spans = []
    if job.rest_days_after:
        d = max(s.start for s in st.sessions[j]) // S
        spans.append(((d + 1) * S, min(data.horizon, (d + 1 + job.rest_days_after) * S)))
    if job.travel_before:
        d = min(s.start for s in st.sessions[j]) // S
        spans.append((max(0, (d - job.travel_before) * S), d * S))
    for lo, hi in spans:
        for p in job.participants:
            if 1 in st.busy[p][lo:hi]:
                # A session already sits on a rest or travel day: the job cannot run here
                # (another module's rest or travel days may coincide with these).
                _unbook(data, st, j)
                raise ValueError("its rest or travel days collide with sessions already placed")
    for lo, hi in spans:
        for p in job.participants:
            st.busy[p][lo:hi] = b"\x02" * (hi - lo)  # no session there (checked above): rest or travel


def due_days(data: ProblemData) -> tuple[dict[int, int], dict[int, list[int]]]:
    """The jobs a plan needs and the day each falls due (before it), and each job's prerequisites.

    Needed: the first option of every goal group and, recursively, its
    prerequisites (due with the job that needs them), and mandatory jobs
    (due at the end of the window).
    """
    preds: dict[int, list[int]] = defaultdict(list)
    for pr in data.precedences:
        preds[pr.after].append(pr.before)
    due: dict[int, int] = {}
    for goal in data.goals:
        for group in goal.groups:
            if group:
                due[group[0]] = min(due.get(group[0], data.num_days), goal.deadline_day)
    stack = list(due)
    while stack:
        j = stack.pop()
        for b in preds[j]:
            if due.get(b, data.num_days + 1) > due[j]:
                due[b] = due[j]
                stack.append(b)
    for j, job in enumerate(data.jobs):
        if job.mandatory:
            due.setdefault(j, data.num_days)
    return due, preds


def greedy_schedule(
    data: ProblemData, priority: Sequence[float] | None = None, teachers: dict[int, tuple[int, ...]] | None = None
) -> tuple[Schedule, dict[str, str]]:
    """A greedy schedule of ``data`` and the jobs it had to drop (id -> reason).

    ``priority`` (one number per job, lower first) replaces the due-date
    order among the jobs whose prerequisites are placed, and caps each job
    at its due day. ``teachers`` (e.g. :func:`spare_first`) gives the order
    in which a job's instructors are tried; by default, as listed.
    """
    S = data.slots_per_day
    due, _ = due_days(data)
    preds: dict[int, list[int]] = defaultdict(list)
    for i, pr in enumerate(data.precedences):
        preds[pr.after].append(i)
    st = _State(data)
    st.teachers = teachers or {}
    failed: dict[str, str] = {}
    done: set[int] = set()
    dead: set[int] = set()
    todo = set(due)
    while todo:
        ready = [j for j in todo if all(data.precedences[i].before in done | dead for i in preds[j])]
        if priority is None:
            j = min(ready, key=lambda x: (due[x], -data.jobs[x].num_sessions * data.jobs[x].length, x))
        else:
            j = min(ready, key=lambda x: (priority[x], x))
        todo.discard(j)
        blocked = [data.precedences[i].before for i in preds[j] if data.precedences[i].before in dead]
        if blocked:
            dead.add(j)
            failed[data.jobs[j].id] = f"its prerequisite {data.jobs[blocked[0]].id} was dropped"
            continue
        first_day, first_slot = data.release_day, 0
        for i in preds[j]:
            pr = data.precedences[i]
            ref = st.sessions[pr.before]
            anchor = max(ref, key=lambda s: s.index) if pr.kind == "es" else min(ref, key=lambda s: s.index)
            ref_slot = anchor.end if pr.kind == "es" else anchor.start
            first_slot = max(first_slot, ref_slot + pr.min_lag)
            first_day = max(first_day, anchor.start // S + (pr.min_days or 0), (ref_slot + pr.min_lag) // S)
        why = _place_job(data, st, j, first_day, first_slot, None if priority is None else due[j])
        if why is None:
            try:
                _rest(data, st, j)
            except ValueError as exc:
                why = str(exc)
        if why is None and not _max_lags_ok(data, st, j, preds[j]):
            _unbook(data, st, j)
            why = "a maximum lag after its prerequisite cannot be kept"
        if why is None:
            done.add(j)
        else:
            dead.add(j)
            failed[data.jobs[j].id] = why
    sessions = sorted(s for ss in st.sessions.values() for s in ss)
    return Schedule(tuple(sessions)), failed


def _max_lags_ok(data: ProblemData, st: _State, j: int, incoming: list[int]) -> bool:
    S = data.slots_per_day
    start = min(st.sessions[j], key=lambda s: s.index).start
    for i in incoming:
        pr = data.precedences[i]
        ref = st.sessions[pr.before]
        anchor = max(ref, key=lambda s: s.index) if pr.kind == "es" else min(ref, key=lambda s: s.index)
        ref_slot = anchor.end if pr.kind == "es" else anchor.start
        if pr.max_lag is not None and start > ref_slot + pr.max_lag:
            return False
        if pr.max_days is not None and start // S - anchor.start // S > pr.max_days:
            return False
    return True


def readiness_by_participant(data: ProblemData, grid: TimeGrid, schedule: Schedule, met: tuple[bool, ...]
                             ) -> dict[str, ParticipantReadiness]:
    """Per participant: all goals met?, when, and how many."""
    S = data.slots_per_day
    end_day: dict[int, int] = {}
    for s in schedule.sessions:
        end_day[s.job] = max(end_day.get(s.job, -1), s.start // S)
    out: dict[str, ParticipantReadiness] = {}
    for g, goal in enumerate(data.goals):
        pid = data.participants[goal.participant].id
        r = out.setdefault(pid, ParticipantReadiness(True, None, 0, 0))
        r.total += 1
        if not met[g]:
            r.ready = False
            continue
        r.met += 1
        day = max(min(end_day[j] for j in group if j in end_day and end_day[j] < goal.deadline_day)
                  for group in goal.groups)
        r.ready_on = grid.days[day] if r.ready_on is None else max(r.ready_on, grid.days[day])
    for r in out.values():
        if not r.ready:
            r.ready_on = None
    return out


def greedy_plan(sc: Scenario) -> GreedyResult:
    """Greedy-schedule scenario ``sc``, verify the schedule and assess readiness."""
    grid = build_grid(sc)
    data = build_problem(sc, grid)
    schedule, failed = greedy_schedule(data)
    met = goals_achieved(data, schedule)
    return GreedyResult(schedule, met, readiness_by_participant(data, grid, schedule, met), failed,
                        verify_schedule(data, schedule, met))
