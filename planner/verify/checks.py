"""Independent pure-Python verification of a schedule.

Nothing here uses the CP-SAT model: every rule is re-checked from the problem
data (``verify_schedule``) and, for training scenarios, from the scenario's
dates (``verify_dates``), which rebuilds holidays, weekdays, blackouts, seasons
and campaign days from the YAML rather than from the time grid. A violation
is a bug in the model, never a user error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from planner.calendar.grid import gate_date, in_any, in_season
from planner.data.problem import ProblemData
from planner.data.result import Schedule, ScheduledSession
from planner.scenario.holidays import public_holidays
from planner.scenario.schema import WEEKDAYS, Scenario


def _load_profile(items: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
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
        last_day[s.job] = max(last_day.get(s.job, -1), s.start // data.slots_per_day)
    met = []
    for goal in data.goals:
        ok = all(
            any(j in done and last_day[j] < goal.deadline_day for j in group) for group in goal.groups
        )
        met.append(ok)
    return tuple(met)


def verify_schedule(data: ProblemData, schedule: Schedule, goals_met: tuple[bool, ...] = ()) -> list[str]:
    """Every rule ``schedule`` breaks, in words; empty when it is valid.

    ``goals_met`` is what the solver claims; each claimed goal must hold.
    """
    out: list[str] = []
    S = data.slots_per_day
    by_job: dict[int, list[ScheduledSession]] = defaultdict(list)
    for s in schedule.sessions:
        by_job[s.job].append(s)
    for j, job in enumerate(data.jobs):
        if job.mandatory and j not in by_job:
            out.append(f"{job.id}: mandatory job not scheduled")
    for j, sessions in by_job.items():
        job = data.jobs[j]
        sessions.sort(key=lambda s: s.index)
        if [s.index for s in sessions] != list(range(job.num_sessions)):
            out.append(f"{job.id}: sessions {[s.index for s in sessions]} instead of 0..{job.num_sessions - 1}")
            continue
        for s in sessions:
            tag = f"{job.id} session {s.index + 1}"
            day = s.start // S
            last = s.index == job.num_sessions - 1
            if s.index < job.num_fixed:
                # History (re-planning): it must stay exactly where it happened.
                if s.start != job.fixed_starts[s.index]:
                    out.append(f"{tag}: moved although it already took place")
                continue
            if day < data.release_day:
                out.append(f"{tag}: planned before the re-planning date (day {data.release_day})")
            if s.end - s.start != job.length:
                out.append(f"{tag}: lasts {s.end - s.start} slots, not {job.length}")
            if s.start < 0 or s.end > data.horizon:
                out.append(f"{tag}: outside the horizon")
                continue
            if job.length and (s.end - 1) // S != day:
                out.append(f"{tag}: crosses a day boundary")
            if not job.open_days[day]:
                out.append(f"{tag}: day {day} is closed for a participant, resource or the calendar")
            if job.season_days is not None and not job.season_days[day]:
                out.append(f"{tag}: day {day} is outside the module's season")
            if last and job.last_open_days is not None and not job.last_open_days[day]:
                out.append(f"{tag}: ends too early for the recency rule")
            if job.deadline_day is not None and day >= job.deadline_day:
                out.append(f"{tag}: after its deadline gate (day {job.deadline_day})")
            if job.needs_instructor:
                if s.instructor is None:
                    out.append(f"{tag}: has no instructor")
                elif s.instructor not in job.instructors:
                    out.append(f"{tag}: instructor {data.instructors[s.instructor].id} is not qualified")
                elif not data.instructors[s.instructor].open_days[day]:
                    out.append(f"{tag}: instructor {data.instructors[s.instructor].id} is away that day")
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

    # Participants: one thing at a time, no session on a rest day, load caps.
    for pi, part in enumerate(data.participants):
        items: list[tuple[int, int, int]] = []
        rests: list[tuple[int, int, str]] = []
        for j, sessions in by_job.items():
            if pi not in data.jobs[j].participants:
                continue
            items.extend((s.start, s.end, 1) for s in sessions if s.index >= data.jobs[j].num_fixed)
            rest = data.jobs[j].rest_days_after
            if rest:
                d = last_of(j).start // S
                rests.append(((d + 1) * S, (d + 1 + rest) * S, data.jobs[j].module))
        for t, load in _load_profile(items):
            if load > 1:
                out.append(f"{part.id}: two sessions at slot {t}")
                break
        for r0, r1, module in rests:  # rest days of two modules may coincide
            if any(lo < r1 and r0 < hi for lo, hi, _ in items):
                out.append(f"{part.id}: a session on a rest day after {module}")
        # History (re-planning) counts towards its day and week, but only a
        # period with a newly planned session can break a cap: the past is given.
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
        planned_weeks = {data.week(d) for d in planned_days}
        if part.daily_cap is not None:
            out.extend(f"{part.id}: {v} slots on day {d} > cap {part.daily_cap}"
                       for d, v in per_day.items() if v > part.daily_cap and d in planned_days)
        if part.weekly_cap is not None:
            out.extend(f"{part.id}: {v} slots in week {w} > cap {part.weekly_cap}"
                       for w, v in per_week.items() if v > part.weekly_cap and w in planned_weeks)

    # Resources and instructors: capacity at every slot.
    for r, res in enumerate(data.resources):
        items = [
            (s.start, s.end, demand)
            for j, sessions in by_job.items()
            for rr, demand in data.jobs[j].resources
            if rr == r
            for s in sessions
            if s.index >= data.jobs[j].num_fixed
        ]
        for t, load in _load_profile(items):
            if load > res.capacity:
                out.append(f"resource {res.id}: {load} in use at slot {t}, capacity {res.capacity}")
                break
    for i, ins in enumerate(data.instructors):
        items = [
            (s.start, s.end, 1)
            for j, sessions in by_job.items()
            for s in sessions
            if s.instructor == i and s.index >= data.jobs[j].num_fixed
        ]
        for t, load in _load_profile(items):
            if load > ins.capacity:
                out.append(f"instructor {ins.id}: {load} sessions at slot {t}, capacity {ins.capacity}")
                break

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

    if data.max_changes is not None:
        starts = {(s.job, s.start) for s in schedule.sessions if s.index >= data.jobs[s.job].num_fixed}
        changed = sum(1 for (j, _k), at in data.baseline.items() if (j, at) not in starts)
        if changed > data.max_changes:
            out.append(f"{changed} published sessions changed, budget {data.max_changes}")

    actual = goals_achieved(data, schedule)
    for g, claimed in enumerate(goals_met):
        if claimed and not actual[g]:
            goal = data.goals[g]
            out.append(f"{data.participants[goal.participant].id}/{goal.competency}: claimed met but is not")
    return out


def verify_dates(sc: Scenario, rows: Iterable[dict[str, object]], since: dt.datetime | None = None) -> list[str]:
    """Check exported rows (participant, module, start, end, resources, instructors)
    against the scenario's own dates, without the time grid.

    Rows carry ``participant`` (one id), ``module``, ``start``/``end`` as
    datetimes, and ``resources``/``instructors`` as lists of ids. Rows that
    start before ``since`` are history (re-planning): not checked themselves,
    but they count towards load caps, recency and the order of prerequisites.
    """
    out: list[str] = []
    cal = sc.calendar
    hol: set[dt.date] = set(cal.holidays)
    if cal.country:
        hol |= set(public_holidays(cal.country, cal.subdivision, range(sc.window.start.year, sc.window.launch.year + 1)))
    hol -= set(cal.extra_workdays)
    workdays = {WEEKDAYS.index(w) for w in cal.workdays}
    closed: set[dt.date] = set()
    end_training = sc.window.launch
    for g in sc.gates:
        first = gate_date(g, sc.window.launch)
        closed |= {first + dt.timedelta(days=k) for k in range(g.days)}
        if g.until_launch:
            end_training = min(end_training, first)
    gates = {g.id: gate_date(g, sc.window.launch) for g in sc.gates}
    parts = {p.id: p for p in sc.participants}
    res = {r.id: r for r in sc.resources}
    ins = {i.id: i for i in sc.instructors}
    mods = {m.id: m for m in sc.modules}
    day_start = dt.datetime.combine(dt.date(2000, 1, 1), cal.day_start)
    day_end = day_start + dt.timedelta(hours=cal.day_hours)
    last_end: dict[tuple[str, str], dt.datetime] = {}
    first_start: dict[tuple[str, str], dt.datetime] = {}
    last_day: dict[tuple[str, str], dt.date] = {}
    hours_day: dict[tuple[str, dt.date], float] = defaultdict(float)
    hours_week: dict[tuple[str, dt.date], float] = defaultdict(float)
    planned: set[tuple[str, dt.date]] = set()  # (participant, day) with a session that is not history
    for row in rows:
        p, mid = str(row["participant"]), str(row["module"])
        start, end = row["start"], row["end"]
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        day = start.date()
        monday = day - dt.timedelta(days=day.weekday())
        hours_day[p, day] += (end - start).total_seconds() / 3600
        hours_week[p, monday] += (end - start).total_seconds() / 3600
        key = (p, mid)
        last_end[key] = max(last_end.get(key, end), end)
        last_day[key] = max(last_day.get(key, day), day)  # lags count from this day, even if it ends at 24:00
        first_start[key] = min(first_start.get(key, start), start)
        if since is not None and start < since:
            continue
        planned.add((p, day))
        tag = f"{p} {mid} {start:%Y-%m-%d %H:%M}"
        m = mods[mid]
        # A working day may end at 24:00 exactly: that end is dated the next day.
        if end > dt.datetime.combine(day + dt.timedelta(days=1), dt.time()):
            out.append(f"{tag}: crosses midnight")
        if start.time() < day_start.time() or (end - dt.datetime.combine(day, cal.day_start)) > (day_end - day_start):
            out.append(f"{tag}: outside working hours")
        if day.weekday() not in workdays and day not in cal.extra_workdays:
            out.append(f"{tag}: not a workday")
        if day in hol:
            out.append(f"{tag}: public holiday")
        if day in closed:
            out.append(f"{tag}: on a gate day")
        if not sc.window.start <= day < end_training:
            out.append(f"{tag}: outside the training window")
        if in_any(parts[p].blackouts, day):
            out.append(f"{tag}: participant unavailable")
        if not in_season(m.allowed, day):
            out.append(f"{tag}: outside the module's season")
        if m.deadline and day >= gates[m.deadline]:
            out.append(f"{tag}: after deadline gate {m.deadline}")
        for rid in row["resources"]:  # type: ignore[attr-defined]
            r = res[rid]
            if in_any(r.blackouts, day) or (r.available and not in_season(r.available, day)):
                out.append(f"{tag}: resource {rid} unavailable")
            if r.available_dates and day not in r.available_dates:
                out.append(f"{tag}: resource {rid} has no campaign day then")
        for iid in row["instructors"]:  # type: ignore[attr-defined]
            if in_any(ins[iid].blackouts, day) or not in_season(ins[iid].available, day):
                out.append(f"{tag}: instructor {iid} unavailable")
            if m.instructor not in ins[iid].qualifications:
                out.append(f"{tag}: instructor {iid} lacks {m.instructor}")
    # Load caps in hours, from the dates alone (weeks from Monday).
    planned_weeks = {(p, d - dt.timedelta(days=d.weekday())) for p, d in planned}
    for (p, day), h in sorted(hours_day.items()):
        load = parts[p].load
        cap = load.max_hours_per_day if load is not None else None
        if cap is not None and h > cap + 1e-9 and (p, day) in planned:
            out.append(f"{p}: {h:g} h on {day}, daily cap {cap:g} h")
    for (p, monday), h in sorted(hours_week.items()):
        load = parts[p].load
        cap = load.max_hours_per_week if load is not None else None
        if cap is not None and h > cap + 1e-9 and (p, monday) in planned_weeks:
            out.append(f"{p}: {h:g} h in the week of {monday}, weekly cap {cap:g} h")
    for (p, mid), end in last_end.items():
        m = mods[mid]
        before_launch = (sc.window.launch - last_day[p, mid]).days
        history = since is not None and end <= since  # finished in the history: a fact, not a plan
        if m.recency_days is not None and before_launch > m.recency_days and not history:
            out.append(f"{p} {mid}: completed {before_launch} days before launch, more than {m.recency_days}")
        if since is not None and first_start[(p, mid)] < since:
            continue  # started in the history: its order is a fact, not a plan
        for pre in m.prerequisites:
            pk = (p, pre.module)
            if pk not in last_end:
                continue  # a role that does not take the prerequisite
            gap = (first_start[(p, mid)].date() - last_day[pk]).days
            if first_start[(p, mid)] < last_end[pk]:
                out.append(f"{p} {mid}: starts before prerequisite {pre.module} ends")
            elif gap < pre.min_lag_days:
                out.append(f"{p} {mid}: {gap} days after {pre.module}, needs {pre.min_lag_days}")
            elif pre.max_lag_days is not None and gap > pre.max_lag_days:
                out.append(f"{p} {mid}: {gap} days after {pre.module}, at most {pre.max_lag_days}")
    return out
