"""Index-based problem data: what the model and the verifier work on.

``build_problem`` compiles a :class:`Scenario` on a :class:`TimeGrid` into plain integer data:
*jobs* (a module for one participant, or for a crew when the module is joint), each split into
equal sessions; precedences; goals (participant x competency); spacing and load rules. Only this
module maps ids to indices. The same structure also holds a plain RCPSP instance (PSPLIB).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from planner.calendar.grid import TimeGrid, in_any, in_season, instructor_available, resource_available
from planner.data import people
from planner.data.missions import Timeline
from planner.data.people import (
    ParticipantData,
    RefresherRule,
    classes,
    extra_resources,
    num_sessions,
    refresher_rules,
    waived,
)
from planner.scenario.holidays import locally_closed
from planner.scenario.schema import Scenario, requirement_options


@dataclass(frozen=True)
class ResourceData:
    """A renewable resource of ``capacity`` units. ``open_days``: the days its own availability, campaign days
    and outages leave open (None: every day). ``reserved``: (day, units) taken for the whole day by gates (exams
    on the simulators), for every mission. Each job's ``open_days`` already folds them in; they are kept here
    only to say *why* a job's days are closed (:func:`planner.data.days.impossible`)."""

    id: str
    capacity: int
    open_days: tuple[bool, ...] | None = None
    reserved: tuple[tuple[int, int], ...] = ()  # (day, units) gates take for the whole day


@dataclass(frozen=True)
class InstructorData:
    """An instructor: parallel capacity and the working days they are available."""

    id: str
    capacity: int
    open_days: tuple[bool, ...]


@dataclass(frozen=True)
class Job:
    """A module to be done by one participant, or jointly by a crew.

    Sessions ``0..num_sessions-1`` run in order, each ``length`` slots, on
    working days where ``open_days`` (participant and resource calendars) and
    ``season_days`` hold; the last one additionally on ``last_open_days``
    (recency). ``deadline_day``: the last session ends on a
    day before it. ``mandatory`` jobs must be scheduled (benchmarks); others
    are optional and scheduled when they serve a goal or the programme.
    """

    id: str
    module: str
    participants: tuple[int, ...]
    num_sessions: int
    length: int
    open_days: tuple[bool, ...]
    season_days: tuple[bool, ...] | None = None
    last_open_days: tuple[bool, ...] | None = None
    resources: tuple[tuple[int, int], ...] = ()
    instructors: tuple[int, ...] = ()
    needs_instructor: bool = False
    staff: tuple[people.Staff, ...] = ()  # further staff roles of every session (modules[].staff, individual needs)
    min_gap_days: int = 0
    max_gap_days: int | None = None  # consecutive sessions at most this many days apart
    recent_all: bool = False  # last_open_days (recency) applies to every session, not only the last
    consecutive: bool = False
    rest_days_after: int = 0  # the module's rest days plus its travel back (travel_days)
    travel_before: int = 0  # travel days before the first session (travel_days), and after the rest days
    travel_site: str | None = None  # the site travelled to; its own sessions there are not blocked by the travel
    deadline_day: int | None = None
    mandatory: bool = False
    fixed_starts: tuple[int, ...] = ()
    fixed_instructors: tuple[int | None, ...] = ()
    fixed_staff: tuple[tuple[int, ...], ...] = ()  # history: each done session's further staff, as recorded
    pinned: tuple[int, ...] = ()  # a search restriction, not a rule: the start slot of each session still to place

    @property
    def num_fixed(self) -> int:
        """Sessions already done (re-planning): the first ``num_fixed`` sessions."""
        return len(self.fixed_starts)


@dataclass(frozen=True)
class Precedence:
    """``after`` may start only once ``before`` allows it.

    ``kind="es"``: end of ``before``'s last session to start of ``after``'s
    first session; ``"ss"``: start to start. ``min_lag``/``max_lag`` are in
    slots (may be negative for "ss"); ``min_days``/``max_days`` in calendar
    days between the two sessions' days.
    """

    before: int
    after: int
    kind: Literal["es", "ss"] = "es"
    min_lag: int = 0
    max_lag: int | None = None
    min_days: int | None = None
    max_days: int | None = None


@dataclass(frozen=True)
class Goal:
    """Participant ``participant`` holds ``competency`` when, for every group, one job of the group is done
    and ends before ``deadline_day``; ``backup``: in a mission's backup crew; ``waive_cost``: the
    competency's when it is waivable (None: it is not)."""

    participant: int
    competency: str
    groups: tuple[tuple[int, ...], ...]
    deadline_day: int
    missing: tuple[str, ...] = ()
    backup: bool = False
    waive_cost: float | None = None

    @property
    def decisive(self) -> bool:  # the verdict rests on it: a prime crew's, that cannot be waived
        return self.waive_cost is None and not self.backup


@dataclass(frozen=True)
class SpacingRule:
    """For ``participant``: no session of ``second`` on the calendar day of a
    session of ``first`` nor on the ``days`` days after it."""

    participant: int
    first: int
    second: int
    days: int


@dataclass(frozen=True)
class ProblemData:
    """The whole problem in integers; see the module docstring.

    Day ``d`` is the ``d``-th calendar day of the grid, so lags in days are differences of day indices;
    closed days are closed in every job's ``open_days``. For re-planning, sessions that are not fixed
    start on or after ``release_day``; ``baseline`` maps (job, session) to the published start slot,
    ``teachers`` (job, start slot) to its published instructor, and ``max_changes`` caps how many
    published sessions may move or be dropped."""

    slots_per_day: int
    num_days: int
    week_shift: int
    participants: tuple[ParticipantData, ...]
    resources: tuple[ResourceData, ...]
    instructors: tuple[InstructorData, ...]
    jobs: tuple[Job, ...]
    precedences: tuple[Precedence, ...] = ()
    goals: tuple[Goal, ...] = ()
    spacing: tuple[SpacingRule, ...] = ()
    refreshers: tuple[RefresherRule, ...] = ()
    objective: Literal["readiness", "makespan"] = "readiness"
    shape: Literal["earliest", "level", "fresh"] = "earliest"  # the plan's secondary goal (scenario objective)
    job_index: dict[str, int] = field(default_factory=dict, compare=False)
    release_day: int = 0
    baseline: dict[tuple[int, int], int] = field(default_factory=dict, compare=False)
    teachers: dict[tuple[int, int], int] = field(default_factory=dict, compare=False)
    max_changes: int | None = None
    done_after: tuple[tuple[int, int], ...] = ()  # (before, after): after only with before done, in any order
    spent: tuple[tuple[int, int, int], ...] = ()  # (participant, day, slots) trained in vain (failed): load only
    published_goals: frozenset[int] = frozenset()  # re-planning: the goals the published plan meets (ties keep them)

    @property
    def horizon(self) -> int:
        """Total number of slots."""
        return self.slots_per_day * self.num_days

    def job_of(self, job_id: str) -> int:
        """Index of job ``job_id``."""
        return self.job_index[job_id]

    def days_needed(self, job: int, sessions: int | None = None) -> int:
        """Fewest working days ``sessions`` (default: all) sessions of ``job`` can take: one a day when
        sessions are spaced or consecutive; otherwise as many as fit in a working day and under every
        attendee's daily cap (a bound, not a packing: other jobs may take part of those days)."""
        jb = self.jobs[job]
        n = jb.num_sessions if sessions is None else sessions
        per_day = 1 if jb.min_gap_days or jb.consecutive else self.slots_per_day // max(1, jb.length)
        for p in jb.participants:
            cap = self.participants[p].daily_cap
            if cap is not None:
                per_day = min(per_day, cap // max(1, jb.length))
        return math.ceil(n / max(1, per_day))

    def jobs_taken(self) -> dict[tuple[str, str], int]:
        """(participant id, module id) -> the job of that module the participant attends (own or joint)."""
        return {(self.participants[p].id, job.module): j for j, job in enumerate(self.jobs) for p in job.participants}

    def participant_jobs(self) -> list[list[int]]:
        """For each participant, the jobs they attend."""
        out: list[list[int]] = [[] for _ in self.participants]
        for j, job in enumerate(self.jobs):
            for p in job.participants:
                out[p].append(j)
        return out

    def instructor_pools(self) -> tuple[list[list[int]], list[int]]:
        """Groups of interchangeable instructors, and each instructor's group.

        Instructors who may teach exactly the same jobs on the same days are
        interchangeable: the model only decides how many of a group teach at
        once, and names them afterwards, which removes the symmetry (and the
        Booleans) of choosing among identical people. Anyone who may staff a
        session in a further role (``Job.staff``) is a group alone: one person
        must not fill two roles of one session, which the model checks by name.
        """
        can_teach: dict[int, set[int]] = defaultdict(set)
        alone: set[int] = set()
        for j, job in enumerate(self.jobs):
            for i in job.instructors:
                can_teach[i].add(j)
            for need in job.staff:
                alone.update(need.candidates)
        index: dict[tuple[tuple[bool, ...], frozenset[int], int], int] = {}
        members: list[list[int]] = []
        pool_of: list[int] = []
        for i, ins in enumerate(self.instructors):
            key = (ins.open_days, frozenset(can_teach[i]), i if i in alone else -1)
            if key not in index:
                index[key] = len(members)
                members.append([])
            members[index[key]].append(i)
            pool_of.append(index[key])
        return members, pool_of

    def week(self, day: int) -> int:
        """Calendar week of day ``day`` (weeks start on Monday)."""
        return (day + self.week_shift) // 7

    @property
    def num_weeks(self) -> int:
        """How many calendar weeks the window touches (weeks ``0 .. num_weeks - 1``)."""
        return self.week(max(0, self.num_days - 1)) + 1


def _and(*flags: Sequence[bool]) -> tuple[bool, ...]:
    return tuple(all(v) for v in zip(*flags, strict=True))


def build_problem(sc: Scenario, grid: TimeGrid) -> ProblemData:
    """Compile ``sc`` on ``grid`` into :class:`ProblemData`."""
    n = grid.num_days
    every = grid.open
    tl = Timeline(sc, grid)

    participants = []
    p_open = []
    p_free: list[tuple[bool, ...]] = []  # blackouts only: a launch-site module does not follow the regular training days
    for p in sc.participants:
        participants.append(ParticipantData(p.id, p.crew, p.role, *people.load_caps(p.load, grid)))
        free = grid.days_where(lambda d, p=p: not in_any(p.blackouts, d) and not locally_closed(p.calendar, d))  # type: ignore[misc]
        trains = tl.trains(len(p_free))
        p_free.append(free)
        p_open.append(free if trains is None else _and(free, trains))

    res_index = {r.id: i for i, r in enumerate(sc.resources)}
    at = {x.id: x.calendar for x in sc.sites}  # a site's days off close every resource there
    r_open = [grid.days_where(lambda d, r=r: resource_available(r, d)  # type: ignore[misc]
                              and not locally_closed(at.get(r.site or ""), d)) for r in sc.resources]
    reserved = tl.reservations([r.capacity for r in sc.resources])
    resources = tuple(ResourceData(r.id, r.capacity, o, rs) for r, o, rs in zip(sc.resources, r_open, reserved, strict=True))
    examining = tl.examiner_days()
    instructors = tuple(
        InstructorData(
            i.id,
            i.capacity,
            grid.days_where(lambda d, i=i: instructor_available(i, d) and d not in examining.get(i.id, ())),  # type: ignore[misc]
        )
        for i in sc.instructors
    )

    # Which participants take which module, and in which job.
    jobs: list[Job] = []
    job_index: dict[str, int] = {}
    job_of_pm: dict[tuple[int, str], int] = {}
    crews: dict[str, list[int]] = defaultdict(list)
    for pi, p in enumerate(sc.participants):
        crews[p.crew].append(pi)
    # A spacing rule from a module to itself spaces its consecutive sessions
    # (e.g. 48 h between centrifuge runs): a minimum gap in days between them.
    self_gap: dict[str, int] = defaultdict(int)
    for rule in sc.spacing:
        if rule.after == rule.forbid:
            self_gap[rule.after] = max(self_gap[rule.after], math.ceil(rule.hours / 24) + 1)
    for m in sc.modules:
        takers = [pi for pi, p in enumerate(sc.participants) if people.takes(sc, p, m)]
        if m.joint == "crew":
            groups = [
                (crew, tuple(pi for pi in members if pi in takers)) for crew, members in crews.items()
            ]
        elif m.joint in ("mission", "cohort"):
            groups = classes(sc, m.joint, takers)
        else:
            groups = [(sc.participants[pi].id, (pi,)) for pi in takers]
        season = grid.days_where(lambda d, m=m: in_season(m.allowed, d))  # type: ignore[misc]
        for owner, members in groups:
            if not members:
                continue
            first = members[0]  # a joint job's members share a crew, hence a mission
            last_open = None
            if m.recency_days is not None:
                earliest = grid.first_day_on_or_after(tl.launch(first) - dt.timedelta(days=m.recency_days))
                last_open = tuple(d >= earliest for d in range(n))
            if m.after_gate is not None:
                open_days = _and(every, tl.at_site(first, m.after_gate), *(p_free[pi] for pi in members))
            else:
                open_days = _and(every, *(p_open[pi] for pi in members))
            days_of_block = tl.in_block(first, m.block) if m.block is not None else None
            job_season = season if m.allowed else None
            if days_of_block is not None:
                job_season = days_of_block if job_season is None else _and(job_season, days_of_block)
            uses = []
            for use in (*m.resources, *extra_resources(sc, m, members)):
                ri = res_index[use.id]
                demand = use.demand
                if demand is None:
                    demand = len(members) if sc.resources[ri].unit == "participants" else 1
                uses.append((ri, demand))
                open_days = _and(open_days, r_open[ri])
            cands = tuple(ii for ii, ins in enumerate(sc.instructors) if m.instructor in ins.qualifications)
            travel, site = people.trip(sc, m, members)
            job = Job(
                id=f"{owner}/{m.id}",
                module=m.id,
                participants=members,
                num_sessions=num_sessions(sc, m, members),
                length=grid.hours_to_slots(m.session_hours),
                open_days=open_days,
                season_days=job_season,
                last_open_days=last_open,
                resources=tuple(uses),
                instructors=cands,
                needs_instructor=m.instructor is not None,
                staff=people.staff_needs(sc, m, members),
                min_gap_days=max(m.min_days_between_sessions, self_gap[m.id]),
                max_gap_days=m.max_days_between_sessions,
                recent_all=m.recency_of == "all",
                consecutive=m.consecutive_days,
                rest_days_after=m.rest_days_after + travel,
                travel_before=travel,
                travel_site=site,
                deadline_day=tl.gate_day(first, m.deadline) if m.deadline else None,
            )
            job_index[job.id] = len(jobs)
            for pi in members:
                job_of_pm[pi, m.id] = len(jobs)
            jobs.append(job)

    precedences = []
    seen: set[tuple[int, int]] = set()
    for m in sc.modules:
        for pre in m.prerequisites:
            for (pi, mid), j in job_of_pm.items():
                if mid != m.id or (pi, pre.module) not in job_of_pm:
                    continue
                b = job_of_pm[pi, pre.module]
                if (b, j) in seen or b == j:
                    continue
                seen.add((b, j))
                precedences.append(
                    Precedence(b, j, "es", 0, None, pre.min_lag_days, pre.max_lag_days)
                )

    role_req = {r.id: r.requires for r in sc.roles}
    comp = {c.id: c for c in sc.competencies}
    site_modules = {m.id for m in sc.modules if m.after_gate is not None}
    goals = []
    for pi, p in enumerate(sc.participants):
        for cid in role_req[p.role]:
            if cid in p.holds or people.waived_competency(sc, p, cid):
                continue  # held, or every module of it waived for this participant: no goal (people.held)
            c = comp[cid]
            groups_: list[tuple[int, ...]] = []
            missing = []
            for req in c.requires:
                options = requirement_options(req)
                if any(waived(p, o) for o in options):
                    continue  # waived for this participant (individual needs): the requirement is met
                jobs_ = tuple(job_of_pm[pi, o] for o in options if (pi, o) in job_of_pm)
                if not jobs_:
                    missing.append(" or ".join(options))
                groups_.append(jobs_)
            # A backup crew's own rule ("ready by the commission") replaces the deadline, except
            # for competencies only the launch site gives: those stay due by launch.
            at_site = any(mid in site_modules for req in c.requires
                          for mid in requirement_options(req))
            backup = tl.backup_gate(pi)
            if backup is not None and not at_site:
                deadline = tl.gate_day(pi, backup)
            elif c.deadline:
                deadline = tl.gate_day(pi, c.deadline)
            else:
                deadline = tl.end_day(pi, at_site)
            goals.append(Goal(pi, cid, tuple(groups_), deadline, tuple(missing), tl.is_backup(pi),
                              c.waive_cost if c.waivable else None))

    spacing = []
    for rule in sc.spacing:
        if rule.after == rule.forbid:
            continue  # a minimum gap of the module's own sessions (above)
        days = math.ceil(rule.hours / 24)
        for pi in range(len(sc.participants)):
            before, second = job_of_pm.get((pi, rule.after)), job_of_pm.get((pi, rule.forbid))
            if before is not None and second is not None:
                spacing.append(SpacingRule(pi, before, second, days))

    return ProblemData(
        slots_per_day=grid.slots_per_day,
        num_days=n,
        week_shift=grid.week_shift,
        participants=tuple(participants),
        resources=resources,
        instructors=instructors,
        jobs=tuple(jobs),
        precedences=tuple(precedences),
        goals=tuple(goals),
        spacing=tuple(spacing),
        refreshers=tuple(refresher_rules(sc, tl, job_of_pm)),
        objective="readiness",
        shape=sc.objective,
        job_index=job_index,
    )


def restrict(data: ProblemData, keep: Sequence[int], goals: Sequence[int]) -> ProblemData:
    """The sub-problem of jobs ``keep`` and goals ``goals``: a relaxation of ``data``.

    Every constraint among the kept jobs stays; every constraint touching a
    dropped job (precedence, spacing, shared capacity) goes. A schedule of
    ``data`` restricted to ``keep`` is therefore a schedule of the result, so
    "the sub-problem cannot meet these goals" proves the same of ``data``.
    Goals must only need kept jobs.
    """
    new_of = {j: n for n, j in enumerate(sorted(set(keep)))}
    jobs = tuple(data.jobs[j] for j in sorted(new_of))
    kept_goals = []
    for g in goals:
        goal = data.goals[g]
        if any(j not in new_of for group in goal.groups for j in group):
            raise ValueError(f"goal {g} needs a job outside the sub-problem")
        groups = tuple(tuple(new_of[j] for j in group) for group in goal.groups)
        kept_goals.append(replace(goal, groups=groups))
    precs = tuple(
        Precedence(new_of[p.before], new_of[p.after], p.kind, p.min_lag, p.max_lag, p.min_days, p.max_days)
        for p in data.precedences
        if p.before in new_of and p.after in new_of
    )
    spacing = tuple(
        SpacingRule(s.participant, new_of[s.first], new_of[s.second], s.days)
        for s in data.spacing
        if s.first in new_of and s.second in new_of
    )
    return ProblemData(
        slots_per_day=data.slots_per_day,
        num_days=data.num_days,
        week_shift=data.week_shift,
        participants=data.participants,
        resources=data.resources,
        instructors=data.instructors,
        jobs=jobs,
        precedences=precs,
        goals=tuple(kept_goals),
        spacing=spacing,
        refreshers=tuple(RefresherRule(new_of[r.initial], new_of[r.refresh], r.threshold_day, r.gate_day)
                         for r in data.refreshers if r.initial in new_of and r.refresh in new_of),
        objective=data.objective,
        shape=data.shape,
        job_index={job_id: new_of[j] for job_id, j in data.job_index.items() if j in new_of},
        release_day=data.release_day,
        baseline={(new_of[j], k): s for (j, k), s in data.baseline.items() if j in new_of},
        teachers={(new_of[j], at): i for (j, at), i in data.teachers.items() if j in new_of},
        max_changes=data.max_changes, spent=data.spent,
    )


def participant_part(data: ProblemData, p: int) -> ProblemData:
    """Participant ``p``'s jobs and goals alone (crew-mates stay only in joint jobs): a relaxation."""
    goals = [g for g, goal in enumerate(data.goals) if goal.participant == p]
    keep = {j for j, job in enumerate(data.jobs) if p in job.participants}
    keep |= {j for g in goals for group in data.goals[g].groups for j in group}  # never a goal without its jobs
    return restrict(data, sorted(keep), goals)
