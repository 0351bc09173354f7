"""Independent pure-Python verification of a schedule.

Nothing here uses the CP-SAT model: every rule is re-checked from the problem
data (``verify_schedule``) and, for training scenarios, from the scenario's
dates (``verify_dates``), which rebuilds holidays, weekdays, blackouts, seasons
and campaign days from the YAML rather than from the time grid. A violation
is a bug in the model, never a user error.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable

from planner.calendar.grid import gate_date, in_any, in_season
from planner.data.problem import ProblemData
from planner.data.result import Schedule
from planner.scenario.holidays import locally_closed, official_workdays, public_holidays
from planner.scenario.schema import WEEKDAYS, Gate, Instructor, Load, Module, Participant, Scenario
from planner.verify import rules
from planner.verify.rules import ByJob, goals_achieved

__all__ = ["goals_achieved", "verify_dates", "verify_schedule"]


def verify_schedule(data: ProblemData, schedule: Schedule, goals_met: tuple[bool, ...] = ()) -> list[str]:
    """Every rule ``schedule`` breaks, in words; empty when it is valid.

    ``goals_met`` is what the solver claims; each claimed goal must hold.
    The rules themselves are in :mod:`planner.verify.rules`, one per rule.
    """
    out: list[str] = []
    S = data.slots_per_day
    by_job: ByJob = defaultdict(list)
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
            day = rules.session_day(data, s)
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
            for rule in rules.SESSION_RULES:
                out.extend(rule(data, job, s, tag))
        out.extend(rules.session_pattern(data, job, sessions))
    out.extend(rules.precedence(data, by_job))
    for pi in range(len(data.participants)):
        out.extend(rules.participant_sessions(data, by_job, pi))
        out.extend(rules.participant_load(data, by_job, pi))
    out.extend(rules.resource_capacity(data, by_job))
    out.extend(rules.instructor_capacity(data, by_job))
    out.extend(rules.spacing(data, by_job))
    out.extend(rules.refreshers(data, by_job))
    out.extend(rules.stability(data, schedule))
    out.extend(rules.claimed_goals(data, schedule, goals_met))
    return out


def _staff(rows: list[dict[str, object]], m: Module, parts: dict[str, Participant], ins: dict[str, Instructor],
           taken: dict[tuple[str, dt.date], str], tag: str) -> list[str]:
    """One session's further staff (``role:id`` on each of its ``rows``, one per participant): for
    each role and qualification, at least its count of people in that role holding it, the module's
    count times the participants for ``per: participant``, a participant's own need at least as large;
    everyone there that day; no one twice (nor the instructor)."""
    out: list[str] = []
    row = rows[0]
    day = row["start"].date()  # type: ignore[attr-defined]
    people = [str(x).split(":", 1) for x in row.get("staff", ())]  # type: ignore[attr-defined]
    want = {(role, n.qualification): n.count * (len(rows) if n.per == "participant" else 1)
            for role, n in m.staff.items()}
    mine: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # per-session max, per-participant sum
    for r in rows:
        own = parts[str(r["participant"])].modules.get(m.id)
        for role, n in (own.staff if own is not None else {}).items():
            at = mine[role, n.qualification]
            if n.per == "participant":
                at[1] += n.count
            else:
                at[0] = max(at[0], n.count)
    for key, counts in mine.items():
        want[key] = max(want.get(key, 0), *counts)
    for (role, qual), count in want.items():
        who = [iid for r, iid in people if r == role]
        if sum(qual in ins[iid].qualifications for iid in who) < count:
            out.append(f"{tag}: {len(who)} {role} staff, needs {count} x {qual}")
    for role, iid in people:
        if in_any(ins[iid].blackouts, day) or not in_season(ins[iid].available, day):
            out.append(f"{tag}: {role} {iid} unavailable")
        if (iid, day) in taken:
            out.append(f"{tag}: {role} {iid} examines at gate {taken[iid, day]}")
    names = [iid for _, iid in people] + [str(i) for i in row["instructors"]]  # type: ignore[attr-defined]
    if len(set(names)) < len(names):
        out.append(f"{tag}: one person in two roles of the session")
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
    extra = set(cal.extra_workdays)
    if cal.official_workdays and cal.country:
        extra |= official_workdays(cal.country, cal.subdivision, range(sc.window.start.year, sc.window.launch.year + 1))
    hol -= extra
    workdays = {WEEKDAYS.index(w) for w in cal.workdays}
    times = _mission_dates(sc)
    parts = {p.id: p for p in sc.participants}
    taken_res, taken_ins = _gate_takes(sc)
    res = {r.id: r for r in sc.resources}
    sites = {x.id: x for x in sc.sites}
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
    hours_done: dict[tuple[str, str], float] = defaultdict(float)
    starts: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    sessions: dict[tuple[str, str, object], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        p, mid = str(row["participant"]), str(row["module"])
        start, end = row["start"], row["end"]
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        day = start.date()
        monday = day - dt.timedelta(days=day.weekday())
        hours_day[p, day] += (end - start).total_seconds() / 3600
        hours_week[p, monday] += (end - start).total_seconds() / 3600
        key = (p, mid)
        hours_done[key] += (end - start).total_seconds() / 3600
        last_end[key] = max(last_end.get(key, end), end)
        last_day[key] = max(last_day.get(key, day), day)  # lags count from this day, even if it ends at 24:00
        first_start[key] = min(first_start.get(key, start), start)
        starts[key].append(start)
        if since is not None and start < since:
            continue
        planned.add((p, day))
        tag = f"{p} {mid} {start:%Y-%m-%d %H:%M}"
        m = mods[mid]
        mission = times[parts[p].crew]
        # A working day may end at 24:00 exactly: that end is dated the next day.
        if end > dt.datetime.combine(day + dt.timedelta(days=1), dt.time()):
            out.append(f"{tag}: crosses midnight")
        if start.time() < day_start.time() or (end - dt.datetime.combine(day, cal.day_start)) > (day_end - day_start):
            out.append(f"{tag}: outside working hours")
        if day.weekday() not in workdays and day not in extra:
            out.append(f"{tag}: not a workday")
        if day in hol:
            out.append(f"{tag}: public holiday")
        if day in mission.closed:
            out.append(f"{tag}: on a gate day")
        if m.after_gate is not None:
            arrive = mission.gates[m.after_gate] + dt.timedelta(days=mission.gate_len[m.after_gate])
            if not arrive <= day < mission.launch:
                out.append(f"{tag}: launch-site module outside {arrive} .. launch {mission.launch}")
        elif not mission.start <= day < mission.end_training:
            out.append(f"{tag}: outside the training window")
        elif mission.blocks and not any(a <= day <= b for a, b in mission.blocks.values()):
            out.append(f"{tag}: in a break between training blocks")
        elif parts[p].blocks and not any(a <= day <= b for bid, (a, b) in mission.blocks.items()
                                         if bid in parts[p].blocks):
            out.append(f"{tag}: outside {p}'s blocks ({', '.join(parts[p].blocks)})")
        if m.block is not None and m.block in mission.blocks:
            a, b = mission.blocks[m.block]
            if not a <= day <= b:
                out.append(f"{tag}: outside block {m.block}")
        if in_any(parts[p].blackouts, day):
            out.append(f"{tag}: participant unavailable")
        if locally_closed(parts[p].calendar, day):
            out.append(f"{tag}: a day off in {p}'s own calendar")
        if not in_season(m.allowed, day):
            out.append(f"{tag}: outside the module's season")
        if m.deadline and day >= mission.gates[m.deadline]:
            out.append(f"{tag}: after deadline gate {m.deadline}")
        own = parts[p].modules.get(mid)
        needed = {u.id for u in m.resources} | ({u.id for u in own.resources} if own is not None else set())
        if not needed <= set(row["resources"]):  # type: ignore[call-overload]
            out.append(f"{tag}: without resource(s) {', '.join(sorted(needed - set(row['resources'])))}")  # type: ignore[call-overload]
        for rid in row["resources"]:  # type: ignore[attr-defined]
            r = res[rid]
            if in_any(r.blackouts, day) or (r.available and not in_season(r.available, day)) or \
                    locally_closed(r.calendar, day) or (r.site is not None and locally_closed(sites[r.site].calendar, day)):
                out.append(f"{tag}: resource {rid} unavailable")
            if r.available_dates and day not in r.available_dates:
                out.append(f"{tag}: resource {rid} has no campaign day then")
            if (rid, day) in taken_res:
                out.append(f"{tag}: resource {rid} taken whole by gate {taken_res[rid, day]}")
        for iid in row["instructors"]:  # type: ignore[attr-defined]
            if in_any(ins[iid].blackouts, day) or not in_season(ins[iid].available, day):
                out.append(f"{tag}: instructor {iid} unavailable")
            if (iid, day) in taken_ins:
                out.append(f"{tag}: instructor {iid} examines at gate {taken_ins[iid, day]}")
            if m.instructor not in ins[iid].qualifications:
                out.append(f"{tag}: instructor {iid} lacks {m.instructor}")
        # A joint session is one row per participant (rows without a job id: one session each).
        sessions[str(row.get("job", p)), mid, row.get("session", start)].append(row)
    for (_, mid, _), group in sessions.items():
        who = "/".join(sorted(str(r["participant"]) for r in group))
        out += _staff(group, mods[mid], parts, ins, taken_ins, f"{who} {mid} {group[0]['start']:%Y-%m-%d %H:%M}")
    # Load caps in hours, from the dates alone (weeks from Monday).
    planned_weeks = {(p, d - dt.timedelta(days=d.weekday())) for p, d in planned}
    for (p, day), h in sorted(hours_day.items()):
        load = parts[p].load
        cap = load.max_hours_per_day if load is not None else None
        if cap is not None and h > cap + 1e-9 and (p, day) in planned:
            out.append(f"{p}: {h:g} h on {day}, daily cap {cap:g} h")
    for (p, monday), h in sorted(hours_week.items()):
        load = parts[p].load
        cap = _week_cap(load, monday)
        if cap is not None and h > cap + 1e-9 and (p, monday) in planned_weeks:
            out.append(f"{p}: {h:g} h in the week of {monday}, weekly cap {cap:g} h")
    for (p, mid), done in sorted(hours_done.items()):
        # A scheduled module has all its hours: the module's, or the participant's own.
        own = parts[p].modules.get(mid)
        if own is not None and own.waived:
            out.append(f"{p} {mid}: scheduled although waived for {p}")
            continue
        need = mods[mid].total_hours
        if own is not None and own.hours is not None:
            need = own.hours
        elif own is not None and own.sessions is not None:
            need = own.sessions * mods[mid].session_hours
        # Re-planning keeps the sessions done even when the rest can no longer be scheduled.
        partial = since is not None and first_start[(p, mid)] < since
        if done > need + 1e-6 or (not partial and abs(done - need) > 1e-6):
            out.append(f"{p} {mid}: {done:g} h scheduled, the programme gives {p} {need:g} h")
    for (p, mid), end in last_end.items():
        m = mods[mid]
        before_launch = (times[parts[p].crew].launch - last_day[p, mid]).days
        history = since is not None and end <= since  # finished in the history: a fact, not a plan
        if m.recency_days is not None and before_launch > m.recency_days and not history:
            out.append(f"{p} {mid}: completed {before_launch} days before launch, more than {m.recency_days}")
        began = (times[parts[p].crew].launch - first_start[(p, mid)].date()).days
        if m.recency_of == "all" and m.recency_days is not None and began > m.recency_days and (
                since is None or first_start[(p, mid)] >= since):
            out.append(f"{p} {mid}: first session {began} days before launch, more than {m.recency_days} "
                       "(recency_of: all)")
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
    out += _gaps_and_travel(sc, starts, since)
    out += _refresher_dates(sc, first_start, last_end, times)
    return out


def _week_cap(load: Load | None, monday: dt.date) -> float | None:
    """The weekly cap of the week from ``monday``: a ``weeks`` entry with a day in that week, else the
    participant's weekly cap (derived here from the dates, apart from the problem data's week indices)."""
    if load is None:
        return None
    sunday = monday + dt.timedelta(days=6)
    for w in load.weeks:
        if w.start <= sunday and w.end >= monday:
            return w.max_hours_per_week
    return load.max_hours_per_week


def _gaps_and_travel(sc: Scenario, starts: dict[tuple[str, str], list[dt.datetime]],
                     since: dt.datetime | None) -> list[str]:
    """From the dates alone (``starts``: each participant's session starts per module): the largest
    gap between a module's sessions, and no other session on the travel days before and after an
    off-site module (``travel_days``, or its resources' sites', after its rest days)."""
    mods = {m.id: m for m in sc.modules}
    parts = {p.id: p for p in sc.participants}
    far = {r.id: (x.id, x.travel_days) for r in sc.resources for x in sc.sites if r.site == x.id and x.travel_days}

    def trip(p: str, mid: str) -> tuple[int, str | None]:
        # Days each way, and the one site travelled to (None: the module's own travel days, or two sites).
        own = parts[p].modules.get(mid)
        used = {far[u.id] for u in (*mods[mid].resources, *(own.resources if own is not None else ())) if u.id in far}
        days = max([mods[mid].travel_days, *(d for _, d in used)])
        sites = {x for x, _ in used}
        return days, (next(iter(sites)) if len(sites) == 1 and days == max(d for _, d in used) else None)

    out: list[str] = []
    for (p, mid), times in sorted(starts.items()):
        times.sort()
        m = mods[mid]
        travel, site = trip(p, mid)
        if m.max_days_between_sessions is not None:
            for k, (a, b) in enumerate(itertools.pairwise(times)):
                if (b.date() - a.date()).days > m.max_days_between_sessions and (since is None or b >= since):
                    out.append(f"{p} {mid}: sessions {k + 1} and {k + 2} {(b.date() - a.date()).days} days apart "
                               f"(at most {m.max_days_between_sessions})")
        if travel:
            first, last = times[0].date(), times[-1].date()
            away_before = (first - dt.timedelta(days=travel), first)
            away_after = (last, last + dt.timedelta(days=m.rest_days_after + travel))
            for (q, other), others in starts.items():
                if q != p or other == mid:
                    continue
                # A participant stays at the site between two modules there: no trip between them.
                there = site is not None and trip(p, other)[1] == site
                for t in others:
                    if there and not last < t.date() <= last + dt.timedelta(days=m.rest_days_after):
                        continue
                    if (away_before[0] <= t.date() < away_before[1] or away_after[0] < t.date() <= away_after[1]) and (
                            since is None or t >= since):
                        out.append(f"{p} {other} {t:%Y-%m-%d %H:%M}: on a travel day of {mid}")
    return out


def _refresher_dates(sc: Scenario, first: dict[tuple[str, str], dt.datetime],
                     last: dict[tuple[str, str], dt.datetime], times: dict[str, _Dates]) -> list[str]:
    """From the dates alone (``first``/``last``: each participant's first start and last end per
    module): a refresher runs exactly when the module it refreshes ends more than
    ``older_than_days`` before the gate, and then after that module and before the gate, itself
    ending at most ``older_than_days`` before it."""
    crew = {p.id: p.crew for p in sc.participants}
    out: list[str] = []
    for m in sc.modules:
        ref = m.refresher
        if ref is None:
            continue
        for p in sorted({q for q, _ in first}):
            gate = times[crew[p]].gates.get(ref.gate)
            if gate is None or (p, ref.of) not in last:
                if (p, m.id) in first:
                    out.append(f"{p} {m.id}: refresher scheduled without {ref.of}")
                continue
            age = (gate - last[p, ref.of].date()).days
            if age > ref.older_than_days and (p, m.id) not in first:
                out.append(f"{p} {m.id}: {ref.of} ends {age} days before {ref.gate}, more than "
                           f"{ref.older_than_days}, but the refresher is not scheduled")
            elif age <= ref.older_than_days and (p, m.id) in first:
                out.append(f"{p} {m.id}: refresher scheduled although {ref.of} ends {age} days before {ref.gate}")
            elif (p, m.id) in first and (first[p, m.id] < last[p, ref.of] or last[p, m.id].date() >= gate):
                out.append(f"{p} {m.id}: refresher not between {ref.of} and {ref.gate}")
            elif (p, m.id) in first and (gate - last[p, m.id].date()).days > ref.older_than_days:
                out.append(f"{p} {m.id}: the refresher itself ends more than {ref.older_than_days} days before {ref.gate}")
    return out


class _Dates:
    """One mission's dates, rebuilt from the scenario for the checks above."""

    def __init__(self, launch: dt.date, start: dt.date, gates: tuple[Gate, ...],
                 blocks: dict[str, tuple[dt.date, dt.date]]) -> None:
        self.launch, self.start, self.blocks = launch, start, blocks
        self.gates = {g.id: gate_date(g, launch) for g in gates}
        self.gate_len = {g.id: g.days for g in gates}
        self.closed = {self.gates[g.id] + dt.timedelta(days=k) for g in gates for k in range(g.days)}
        self.end_training = min([launch, *(self.gates[g.id] for g in gates if g.until_launch)])


def _mission_dates(sc: Scenario) -> dict[str, _Dates]:
    """Each crew's mission dates: its mission's, or the file's one window and gates."""
    if not sc.missions:
        one = _Dates(sc.window.launch, sc.window.start, sc.gates, {})
        return {p.crew: one for p in sc.participants}
    out = {}
    for m in sc.missions:
        blocks = {b.id: (b.start, b.end or m.launch - dt.timedelta(days=1)) for b in m.blocks}
        dates = _Dates(m.launch, m.start or m.blocks[0].start, m.gates, blocks)
        out.update(dict.fromkeys((*m.crews.prime, *m.crews.backup), dates))
    return out


def _gate_takes(sc: Scenario) -> tuple[dict[tuple[str, dt.date], str], dict[tuple[str, dt.date], str]]:
    """(resource, day) a gate takes whole, and (instructor, day) a gate takes, with the gate's id."""
    pairs = [(g, sc.window.launch) for g in sc.gates] + [(g, m.launch) for m in sc.missions for g in m.gates]
    cap = {r.id: r.capacity for r in sc.resources}
    res: dict[tuple[str, dt.date], str] = {}
    ins: dict[tuple[str, dt.date], str] = {}
    for g, launch in pairs:
        first = gate_date(g, launch)
        for k in range(g.days):
            day = first + dt.timedelta(days=k)
            for use in g.resources:
                if use.demand is None or use.demand >= cap[use.id]:
                    res[use.id, day] = g.id  # partly taken: checked on the problem data (resource_capacity)
            for iid in g.instructors:
                ins[iid, day] = g.id
    return res, ins
