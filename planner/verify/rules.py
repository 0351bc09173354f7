"""The verifier's rules, one function per rule of the model.

Each constraint family names the functions here that independently check its
rule (``Family.verify``); :func:`planner.verify.checks.verify_schedule` runs
them all, in the order of its messages. Nothing here uses the model.

Session rules take one scheduled session (with its job and a ``tag`` naming
it) and say what it breaks; job rules take the sessions of one job in index
order; participant rules one participant; the others the whole schedule as
``by_job`` (the sessions of each scheduled job, in index order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import pairwise

from planner.data.problem import Job, ProblemData
from planner.data.result import Schedule, ScheduledSession

ByJob = dict[int, list[ScheduledSession]]
SessionRule = Callable[[ProblemData, Job, ScheduledSession, str], list[str]]
Rule = Callable[..., list[str]]


def load_profile(items: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Sweep ``(start, end, demand)`` into ``(time, load)`` change points."""
    events: dict[int, int] = defaultdict(int)
    for s, e, d in items:
        if e > s:
            events[s] += d
            events[e] -= d
    load, out = 0, []
    for t in sorted(events):
        load += events[t]
        out.append((t, load))
    return out


def goals_achieved(data: ProblemData, schedule: Schedule) -> tuple[bool, ...]:
    """Which goals ``schedule`` actually meets, recomputed from scratch."""
    done = schedule.done_jobs
    last_day: dict[int, int] = {}
    for s in schedule.sessions:
        last_day[s.job] = max(last_day.get(s.job, -1), session_day(data, s))
    met = []
    for goal in data.goals:
        ok = all(
            any(j in done and last_day[j] < goal.deadline_day for j in group) for group in goal.groups
        )
        met.append(ok)
    return tuple(met)


# -- session rules -------------------------------------------------------------------------------


def session_day(data: ProblemData, s: ScheduledSession) -> int:
    """The day a session runs on. A zero-length session may start at the very end of the
    horizon (a PSPLIB sink when the optimum is the sum of the durations): it belongs to the
    last day, not to a day past the grid."""
    if s.start == s.end == data.horizon:
        return data.num_days - 1
    return s.start // data.slots_per_day


def session_calendar(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Calendars: the day is open for every participant and resource of the job."""
    day = session_day(data, s)
    return [] if job.open_days[day] else [f"{tag}: day {day} is closed for a participant, resource or the calendar"]


def session_season(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Seasons: the day is inside the module's season."""
    day = session_day(data, s)
    if job.season_days is not None and not job.season_days[day]:
        return [f"{tag}: day {day} is outside the module's season"]
    return []


def session_recency(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Recency: the last session ends recently enough before launch."""
    day = session_day(data, s)
    last = s.index == job.num_sessions - 1 or job.recent_all
    if last and job.last_open_days is not None and not job.last_open_days[day]:
        return [f"{tag}: {'runs' if job.recent_all else 'ends'} too early for the recency rule"]
    return []


def session_deadline(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Gates: the session is before the job's deadline gate."""
    day = session_day(data, s)
    if job.deadline_day is not None and day >= job.deadline_day:
        return [f"{tag}: after its deadline gate (day {job.deadline_day})"]
    return []


def session_instructor(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Instructors: a qualified instructor who is there that day."""
    if not job.needs_instructor:
        return []
    day = session_day(data, s)
    if s.instructor is None:
        return [f"{tag}: has no instructor"]
    if s.instructor not in job.instructors:
        return [f"{tag}: instructor {data.instructors[s.instructor].id} is not qualified"]
    if not data.instructors[s.instructor].open_days[day]:
        return [f"{tag}: instructor {data.instructors[s.instructor].id} is away that day"]
    return []


def session_staff(data: ProblemData, job: Job, s: ScheduledSession, tag: str) -> list[str]:
    """Instructors: every further role staffed by its count of qualified people who are there that
    day, no one twice in one session (nor the session's instructor)."""
    if len(s.staff) != sum(need.count for need in job.staff):
        want = ", ".join(f"{need.count} {need.role}" for need in job.staff) or "none"
        return [f"{tag}: has {len(s.staff)} staff besides the instructor, needs {want}"]
    out, at, day = [], 0, session_day(data, s)
    for need in job.staff:
        for i in s.staff[at : at + need.count]:
            if i not in need.candidates:
                out.append(f"{tag}: {need.role} {data.instructors[i].id} lacks {need.qualification}")
            elif not data.instructors[i].open_days[day]:
                out.append(f"{tag}: {need.role} {data.instructors[i].id} is away that day")
        at += need.count
    people = [*s.staff, *([s.instructor] if s.instructor is not None else [])]
    if len(set(people)) < len(people):
        out.append(f"{tag}: one person in two roles of the session")
    return out


# In the order of their messages.
SESSION_RULES: tuple[SessionRule, ...] = (
    session_calendar, session_season, session_recency, session_deadline, session_instructor, session_staff,
)


# -- job, participant and schedule rules ------------------------------------------------------------


def session_pattern(data: ProblemData, job: Job, sessions: list[ScheduledSession]) -> list[str]:
    """Windows: sessions in order, on consecutive days or within the module's gaps."""
    out = []
    S = data.slots_per_day
    for a, b in pairwise(sessions):
        da, db = a.start // S, b.start // S
        if b.start < a.end:
            out.append(f"{job.id}: session {b.index + 1} starts before session {a.index + 1} ends")
        if b.index < job.num_fixed:
            continue  # both in the history
        if job.consecutive and db != da + 1:
            out.append(f"{job.id}: sessions {a.index + 1} and {b.index + 1} not on consecutive days")
        if job.min_gap_days and db - da < job.min_gap_days:
            out.append(f"{job.id}: sessions {a.index + 1} and {b.index + 1} only {db - da} days apart")
        if job.max_gap_days is not None and db - da > job.max_gap_days:
            out.append(f"{job.id}: sessions {a.index + 1} and {b.index + 1} {db - da} days apart "
                       f"(at most {job.max_gap_days})")
    return out


def precedence(data: ProblemData, by_job: ByJob) -> list[str]:
    """Prerequisites: done, and started within the lags after them."""
    out: list[str] = []
    S = data.slots_per_day

    def first_of(j: int) -> ScheduledSession:
        return min(by_job[j], key=lambda s: s.index)

    def last_of(j: int) -> ScheduledSession:
        return max(by_job[j], key=lambda s: s.index)

    for before, after in data.done_after:
        if after in by_job and before not in by_job:
            out.append(f"{data.jobs[before].id} -> {data.jobs[after].id}: done without its prerequisite")
    for p in data.precedences:
        if p.after not in by_job:
            continue
        name = f"{data.jobs[p.before].id} -> {data.jobs[p.after].id}"
        if p.before not in by_job:
            out.append(f"{name}: done without its prerequisite")
            continue
        ref = last_of(p.before).end if p.kind == "es" else first_of(p.before).start
        ref_day = (last_of(p.before) if p.kind == "es" else first_of(p.before)).start // S
        start = first_of(p.after).start
        if start < ref + p.min_lag:
            out.append(f"{name}: starts at {start}, before {ref} + lag {p.min_lag}")
        if p.max_lag is not None and start > ref + p.max_lag:
            out.append(f"{name}: starts at {start}, after {ref} + max lag {p.max_lag}")
        if p.min_days and start // S - ref_day < p.min_days:
            out.append(f"{name}: only {start // S - ref_day} days after, needs {p.min_days}")
        if p.max_days is not None and start // S - ref_day > p.max_days:
            out.append(f"{name}: {start // S - ref_day} days after, at most {p.max_days} allowed")
    return out


def participant_sessions(data: ProblemData, by_job: ByJob, pi: int) -> list[str]:
    """Participants: one thing at a time, no session on a rest day."""
    out: list[str] = []
    S = data.slots_per_day
    part = data.participants[pi]
    # The sessions still to place (history is given), with the site each travels to.
    where = [(s.start, s.end, data.jobs[j].travel_site) for j, sessions in by_job.items()
             if pi in data.jobs[j].participants for s in sessions if s.index >= data.jobs[j].num_fixed]
    rests: list[tuple[int, int, str, str | None]] = []  # (from, to, module, the site whose sessions may be there)
    for j, sessions in by_job.items():
        job = data.jobs[j]
        if pi not in job.participants:
            continue
        # Travel back follows the rest days; with a site, a session there may fall on travel days.
        back = job.travel_before if job.travel_site is not None else 0
        d = max(sessions, key=lambda s: s.index).start // S
        if job.rest_days_after - back:
            rests.append(((d + 1) * S, (d + 1 + job.rest_days_after - back) * S, job.module, None))
        if back:
            rests.append(((d + 1 + job.rest_days_after - back) * S, (d + 1 + job.rest_days_after) * S, job.module,
                          job.travel_site))
        if job.travel_before:
            d = min(sessions, key=lambda s: s.index).start // S
            rests.append(((d - job.travel_before) * S, d * S, job.module, job.travel_site))
    for t, load in load_profile((lo, hi, 1) for lo, hi, _ in where):
        if load > 1:
            out.append(f"{part.id}: two sessions at slot {t}")
            break
    for r0, r1, module, site in rests:  # rest days of two modules may coincide
        if any(lo < r1 and r0 < hi and (site is None or at != site) for lo, hi, at in where):
            out.append(f"{part.id}: a session on a rest or travel day of {module}")
    return out


def participant_load(data: ProblemData, by_job: ByJob, pi: int) -> list[str]:
    """Load caps per working day and per week.

    History (re-planning) counts towards its day and week, but only a period
    with a newly planned session can break a cap: the past is given.
    """
    S = data.slots_per_day
    part = data.participants[pi]
    per_day: dict[int, int] = defaultdict(int)
    per_week: dict[int, int] = defaultdict(int)
    planned_days: set[int] = set()
    for j, sessions in by_job.items():
        if pi in data.jobs[j].participants:
            for s in sessions:
                per_day[s.start // S] += s.end - s.start
                per_week[data.week(s.start // S)] += s.end - s.start
                if s.index >= data.jobs[j].num_fixed:
                    planned_days.add(s.start // S)
    for j, job in enumerate(data.jobs):  # history of a job that is not completed counts too
        if j not in by_job and pi in job.participants:
            for at in job.fixed_starts:
                per_day[at // S] += job.length
                per_week[data.week(at // S)] += job.length
    for who, d, v in data.spent:  # and sessions trained in vain (failed)
        if who == pi:
            per_day[d] += v
            per_week[data.week(d)] += v
    planned_weeks = {data.week(d) for d in planned_days}
    out: list[str] = []
    if part.daily_cap is not None:
        out.extend(f"{part.id}: {v} slots on day {d} > cap {part.daily_cap}"
                   for d, v in per_day.items() if v > part.daily_cap and d in planned_days)
    for w, v in per_week.items():
        cap = part.cap_in_week(w)
        if cap is not None and v > cap and w in planned_weeks:
            out.append(f"{part.id}: {v} slots in week {w} > cap {cap}")
    return out


def resource_capacity(data: ProblemData, by_job: ByJob) -> list[str]:
    """Resources: the users fit the capacity at every slot."""
    out: list[str] = []
    for r, res in enumerate(data.resources):
        items = [
            (s.start, s.end, demand)
            for j, sessions in by_job.items()
            for rr, demand in data.jobs[j].resources
            if rr == r
            for s in sessions
            if s.index >= data.jobs[j].num_fixed
        ]
        if not items:
            continue
        # Gates take whole days of it for every mission (exams on the simulators).
        items += [(day * data.slots_per_day, (day + 1) * data.slots_per_day, units) for day, units in res.reserved]
        for t, load in load_profile(items):
            if load > res.capacity:
                out.append(f"resource {res.id}: {load} in use at slot {t}, capacity {res.capacity}")
                break
    return out


def instructor_capacity(data: ProblemData, by_job: ByJob) -> list[str]:
    """Instructors: no one teaches more sessions at once than their capacity."""
    out: list[str] = []
    for i, ins in enumerate(data.instructors):
        items = [
            (s.start, s.end, 1)
            for j, sessions in by_job.items()
            for s in sessions
            for who in (s.instructor, *s.staff)
            if who == i and s.index >= data.jobs[j].num_fixed
        ]
        for t, load in load_profile(items):
            if load > ins.capacity:
                out.append(f"instructor {ins.id}: {load} sessions at slot {t}, capacity {ins.capacity}")
                break
    return out


def spacing(data: ProblemData, by_job: ByJob) -> list[str]:
    """Spacing: no session of B on A's day or the quiet days after it."""
    out: list[str] = []
    S = data.slots_per_day
    for rule in data.spacing:
        if rule.first not in by_job or rule.second not in by_job:
            continue
        for a in by_job[rule.first]:
            for b in by_job[rule.second]:
                if a.index < data.jobs[rule.first].num_fixed and b.index < data.jobs[rule.second].num_fixed:
                    continue
                gap = b.start // S - a.start // S
                if 0 <= gap <= rule.days:
                    out.append(
                        f"{data.participants[rule.participant].id}: {data.jobs[rule.second].module} "
                        f"{gap} days after {data.jobs[rule.first].module} (needs > {rule.days})"
                    )
    return out


def refreshers(data: ProblemData, by_job: ByJob) -> list[str]:
    """Refreshers: done exactly when the initial module is done too long before the gate, and
    then after it, ending before the gate but not too long before it."""
    out: list[str] = []
    S = data.slots_per_day
    for rule in data.refreshers:
        a, r = rule.initial, rule.refresh
        ra, rr = data.jobs[a], data.jobs[r]
        if a not in by_job:
            if r in by_job:
                out.append(f"{rr.id}: scheduled although {ra.id} is not")
            continue
        last = max(by_job[a], key=lambda s: s.index)
        old = last.start // S < rule.threshold_day
        if old and r not in by_job:
            out.append(f"{rr.id}: required ({ra.id} ends too long before the gate) but not scheduled")
        elif not old and r in by_job:
            out.append(f"{rr.id}: scheduled although {ra.id} is recent enough")
        elif old:
            first = min(by_job[r], key=lambda s: s.index)
            end = max(by_job[r], key=lambda s: s.index)
            if first.start < last.end:
                out.append(f"{rr.id}: starts before {ra.id} ends")
            if end.start // S >= rule.gate_day:
                out.append(f"{rr.id}: ends after its gate")
            elif end.start // S < rule.threshold_day:
                out.append(f"{rr.id}: ends too long before its gate as well")
    return out


def stability(data: ProblemData, schedule: Schedule) -> list[str]:
    """Re-planning: at most ``max_changes`` published sessions moved or dropped."""
    if data.max_changes is None:
        return []
    starts = {(s.job, s.start) for s in schedule.sessions if s.index >= data.jobs[s.job].num_fixed}
    changed = sum(1 for (j, _k), at in data.baseline.items() if (j, at) not in starts)
    if changed > data.max_changes:
        return [f"{changed} published sessions changed, budget {data.max_changes}"]
    return []


def claimed_goals(data: ProblemData, schedule: Schedule, goals_met: tuple[bool, ...]) -> list[str]:
    """Competencies: every goal the solver claims met is met."""
    out: list[str] = []
    actual = goals_achieved(data, schedule)
    for g, claimed in enumerate(goals_met):
        if claimed and not actual[g]:
            goal = data.goals[g]
            out.append(f"{data.participants[goal.participant].id}/{goal.competency}: claimed met but is not")
    return out
