"""Export a scenario as a TaskJuggler 3 project (``.tjp``), the peer on the same work.

TaskJuggler is a heuristic project scheduler: it books resources task by task,
as soon as possible, and only *checks* deadlines. The translation:

* project span: window start to the end of regular training; working hours
  from the calendar; public holidays and gate days as global leaves;
* one resource per participant (load caps as ``limits``, blackouts and days off of their own calendar as
  leaves); one per facility and instructor, with ``efficiency 0`` so that they are
  booked but do no work (a facility of capacity ``c`` is ``c`` instances);
  days outside a facility's seasons or campaign dates, its site's days off and an instructor's days
  outside their availability are leaves;
* one task per job (participant x module, or crew x module for joint
  modules) with ``effort`` = hours x attendees, every allocation
  ``mandatory`` (all attendees, the facility and the instructor together);
* prerequisites as ``depends`` (``min_lag_days`` as ``gapduration``);
  seasons and recency as a dependency on a "not before" milestone (a
  task's own ``start`` would pin it to that day); competency and module
  deadlines as ``maxend`` (a warning when broken, not a constraint).

What TaskJuggler cannot express is listed in :attr:`TjpExport.notes`:
sessions (a task is booked in any pieces), session spacing and consecutive
days, spacing rules, maximum lags, rest days; working weekend days, missions' own dates, launch-site
modules and refreshers are exported approximately, and said so. Recency is stricter than in
the planner (the whole module, not only its last session, in the window).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from planner.calendar.grid import TimeGrid, build_grid, in_any, instructor_available, resource_available
from planner.data.days import Rule, allowed_days
from planner.data.problem import ProblemData, build_problem
from planner.scenario.holidays import locally_closed, public_holidays
from planner.scenario.loads import week_runs
from planner.scenario.schema import Load, Scenario, monday_of

REPORT_ID = "tasks"
_TJ_RESOLUTIONS = (60, 30, 20, 15, 10, 5)  # minutes TaskJuggler accepts as timingresolution


@dataclass(frozen=True)
class TjpTask:
    """A task of the export: its TaskJuggler id and the job it stands for."""

    tj_id: str
    job: int
    job_id: str
    module: str
    participants: tuple[str, ...]
    maxend: dt.date | None


@dataclass(frozen=True)
class TjpExport:
    """The ``.tjp`` text, its tasks, and what could not be expressed."""

    text: str
    tasks: tuple[TjpTask, ...]
    skipped: tuple[str, ...]
    notes: tuple[str, ...]
    project_end: dt.date


def tj_ids(texts: list[str], prefix: str) -> list[str]:
    """Distinct TaskJuggler identifiers (letters, digits, underscores) for ``texts``."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", text)
        tid, k = base, 1
        while tid in seen:  # "a.b" and "a_b" would clash
            k += 1
            tid = f"{base}_{k}"
        seen.add(tid)
        out.append(tid)
    return out


def _q(text: str) -> str:
    """A TaskJuggler string literal (double quotes; inner ones become single). tj3 expands ``${...}`` inside
    strings (an undefined macro stops it) and reads a backslash before the closing quote as escaping it: the
    first is broken up, backslashes become slashes."""
    return '"' + text.replace('"', "'").replace("\n", " ").replace("\\", "/").replace("${", "$ {") + '"'


def _hours(h: float) -> str:
    return f"{h:g}h"


def _ranges(days: list[dt.date]) -> list[tuple[dt.date, int]]:
    """Consecutive runs of ``days`` (sorted) as (first day, length)."""
    out: list[tuple[dt.date, int]] = []
    for d in days:
        if out and out[-1][0] + dt.timedelta(days=out[-1][1]) == d:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((d, 1))
    return out


def _leaves(kind: str, days: list[dt.date], indent: str) -> list[str]:
    return [f"{indent}leaves {kind} {first.isoformat()} +{n}d" for first, n in _ranges(days)]


def _weekly_limits(load: Load, span: list[dt.date]) -> list[str]:
    """Weekly caps that differ between weeks: one ``weeklymax`` per run of weeks with the same cap,
    limited to its period (TaskJuggler applies every limit, so a project-wide one would bind in all)."""
    caps = ((monday, cap) for monday in sorted({monday_of(d) for d in span}) if (cap := load.week_cap(monday)) is not None)
    return [f"weeklymax {_hours(cap)} {{ period {first} - {last + dt.timedelta(days=7)} }}"
            for first, last, cap in week_runs(caps)]


def _resource(rid: str, name: str, capacity: int, closed: list[dt.date]) -> tuple[list[str], list[str]]:
    """Lines of a facility/instructor resource of ``capacity`` instances, and the instance ids."""
    # Instance ids nest under the group id, so they cannot clash with other resources.
    ids = [rid] if capacity == 1 else [f"{rid}__{k}" for k in range(1, capacity + 1)]
    lines: list[str] = []
    # Efficiency 0: booked (so never double-booked) but does none of the effort.
    body = ["  efficiency 0.0", *_leaves("unpaid", closed, "  ")]
    if capacity == 1:
        lines += [f"resource {rid} {_q(name)} {{", *body, "}"]
    else:
        lines.append(f"resource {rid} {_q(name)} {{")
        for k, iid in enumerate(ids, start=1):
            lines += [f"  resource {iid} {_q(f'{name} {k}')} {{", *("  " + b for b in body), "  }"]
        lines.append("}")
    return lines, ids


def _alloc(first: str, alternatives: list[str]) -> str:
    alt = f"alternative {', '.join(alternatives)} " if alternatives else ""
    return f"  allocate {first} {{ {alt}mandatory }}"


def _span_days(first: dt.date, end: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((end - first).days)]


def export_tjp(sc: Scenario, extra_days: int = 0, drop: Collection[str] = ()) -> TjpExport:
    """Translate ``sc`` into a TaskJuggler project.

    ``extra_days`` lengthens the project beyond the end of regular training
    (weekends and public holidays still off) so that TaskJuggler can place
    work that does not fit: its dates then show how late a heuristic plan is.
    With 0 the span is exactly the training window. ``drop`` leaves out jobs
    (by id) and everything that needs them: TaskJuggler schedules nothing at
    all while one task cannot be placed.
    """
    grid: TimeGrid = build_grid(sc)
    data: ProblemData = build_problem(sc, grid)
    cal = sc.calendar
    start, end = grid.window_start, grid.training_end + dt.timedelta(days=extra_days)
    span = _span_days(start, end)
    notes: list[str] = []
    skipped: list[str] = []

    res = next(r for r in _TJ_RESOLUTIONS if cal.slot_minutes % r == 0)
    end_min = cal.day_start.hour * 60 + cal.day_start.minute + round(cal.day_hours * 60)
    day_end = f"{end_min // 60:02d}:{end_min % 60:02d}"  # may be 24:00, which TaskJuggler accepts
    wd = ", ".join(cal.workdays)
    off = [w for w in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if w not in cal.workdays]
    lines = [
        f"# TaskJuggler export of {sc.name!r} (planner export tjp).",
        "# Heuristic peer: sessions, session spacing, spacing rules, maximum lags and rest days are not",
        "# expressible here; deadlines are maxend checks (warnings), not constraints.",
        f"project training {_q(sc.name)} {start.isoformat()} - {end.isoformat()} {{",
        '  timezone "UTC"',
        '  timeformat "%Y-%m-%d %H:%M"',
        f"  timingresolution {res}min",
        f"  dailyworkinghours {cal.day_hours:g}",
        f"  workinghours {wd} {cal.day_start.strftime('%H:%M')} - {day_end}",
    ]
    if off:
        lines.append(f"  workinghours {', '.join(off)} off")
    lines += ["}", ""]
    if any(is_open and d.strftime("%a").lower() not in cal.workdays for d, is_open in zip(grid.days, grid.open, strict=True)):
        notes.append("working days outside the working week (calendar.extra_workdays, official working weekend days) "
                     "are not exported (TaskJuggler working hours are weekly)")
    if sc.missions:
        notes.append("missions: each mission's own window, training blocks and gates are not exported (the project "
                     "spans the centre's window, in which TaskJuggler may book a crew outside its mission's dates)")
    if any(m.after_gate is not None for m in sc.modules):
        notes.append("launch-site modules (after_gate) are exported as ordinary tasks, and the gates around them "
                     "not as leaves")
    if any(m.refresher is not None for m in sc.modules):
        notes.append("refreshers are exported as ordinary tasks (needed only when the module refreshed is too old)")

    # Public holidays and gate days close every resource: global leaves.
    closed = dict(grid.closed_days)
    if extra_days and cal.country:
        hol = public_holidays(cal.country, cal.subdivision, range(grid.training_end.year, end.year + 1))
        closed.update({d: f"holiday: {n}" for d, n in hol.items() if grid.training_end <= d < end})
    for d in sorted(closed):
        if start <= d < end:
            lines.append(f"leaves holiday {_q(closed[d])} {d.isoformat()} +1d")
    lines.append("")

    # Participants: the only resources that do the work (efficiency 1).
    p_ids = tj_ids([p.id for p in sc.participants], "p_")
    for p, pid in zip(sc.participants, p_ids, strict=True):
        body = []
        if p.load is not None:
            lim = []
            if p.load.max_hours_per_day is not None:
                lim.append(f"dailymax {_hours(p.load.max_hours_per_day)}")
            if p.load.weeks:
                lim += _weekly_limits(p.load, span)
            elif p.load.max_hours_per_week is not None:
                lim.append(f"weeklymax {_hours(p.load.max_hours_per_week)}")
            if lim:
                body.append(f"  limits {{ {' '.join(lim)} }}")
        body += _leaves("annual", [d for d in span if in_any(p.blackouts, d) or locally_closed(p.calendar, d)], "  ")
        lines += [f"resource {pid} {_q(p.name or p.id)} {{", *body, "}"]

    facility_ids: list[list[str]] = []
    for r, rid in zip(sc.resources, tj_ids([r.id for r in sc.resources], "r_"), strict=True):
        site = next((x.calendar for x in sc.sites if x.id == r.site), None)
        shut = [d for d in span if not resource_available(r, d) or locally_closed(site, d)]
        more, ids = _resource(rid, r.name or r.id, r.capacity, shut)
        lines += more
        facility_ids.append(ids)
    instructor_ids: list[list[str]] = []
    for ins, iid in zip(sc.instructors, tj_ids([i.id for i in sc.instructors], "i_"), strict=True):
        more, ids = _resource(iid, ins.name or ins.id, ins.capacity, [d for d in span if not instructor_available(ins, d)])
        lines += more
        instructor_ids.append(ids)
    lines.append("")

    # Deadlines: the gate of the module, and of every competency for which the job is the only option.
    deadline: dict[int, int] = {}
    for j, job in enumerate(data.jobs):
        if job.deadline_day is not None:
            deadline[j] = job.deadline_day
    for goal in data.goals:
        for group in goal.groups:
            if len(group) == 1 and goal.deadline_day < data.num_days:
                deadline[group[0]] = min(deadline.get(group[0], data.num_days), goal.deadline_day)

    # Jobs that can never run (no open day, nobody to teach, too little capacity), and all that need them.
    dead: set[int] = set()
    for j, job in enumerate(data.jobs):
        # Calendars and season only: the deadline (maxend) and recency (a
        # not-before milestone) are written as TaskJuggler constraints below.
        days = allowed_days(data, j, rules=Rule.CALENDAR | Rule.SEASON)
        why = None
        if job.id in drop:
            why = "dropped"
        elif not days:
            why = "no open day in its season or facility availability"
        elif (job.needs_instructor and not job.instructors) or any(len(n.candidates) < n.count for n in job.staff):
            why = "no qualified instructor"
        elif any(demand > len(facility_ids[ri]) for ri, demand in job.resources):
            why = "needs more facility units than exist"
        if why:
            dead.add(j)
            skipped.append(f"{job.id}: {why}")
    changed = True
    while changed:
        changed = False
        for pr in data.precedences:
            if pr.before in dead and pr.after not in dead:
                dead.add(pr.after)
                skipped.append(f"{data.jobs[pr.after].id}: its prerequisite {data.jobs[pr.before].id} cannot run")
                changed = True

    t_ids = tj_ids([job.id for job in data.jobs], "t_")
    preds: dict[int, list[str]] = {}
    for pr in data.precedences:
        if pr.after in dead:
            continue
        gap = ""
        if pr.min_days:
            # Ends at day X (at the latest at the end of the working day); may start on day X + min_days.
            gap = f" {{ gapduration {_hours(24 * pr.min_days - cal.day_hours)} }}"
        preds.setdefault(pr.after, []).append(f"{t_ids[pr.before]}{gap}")
        if pr.max_days is not None:
            notes.append(f"{data.jobs[pr.after].id}: max_lag_days not expressible, ignored")

    hour_per_slot = cal.slot_minutes / 60
    milestones: set[dt.date] = set()
    task_lines: list[str] = []
    tasks: list[TjpTask] = []
    unexpressed: set[str] = set()
    for j, job in enumerate(data.jobs):
        if j in dead:
            continue
        tid = t_ids[j]
        hours = job.num_sessions * job.length * hour_per_slot
        body = [f"  effort {_hours(hours * len(job.participants))}"]
        earliest = [grid.window_start]
        if job.season_days is not None and any(job.season_days):
            earliest.append(grid.days[job.season_days.index(True)])
        if job.last_open_days is not None and any(job.last_open_days):
            earliest.append(grid.days[job.last_open_days.index(True)])
        deps = list(preds.get(j, []))
        if max(earliest) > start:
            # A task's own 'start' would pin it to that day; a dependency on a milestone only bounds it.
            not_before = max(earliest)
            milestones.add(not_before)
            deps.append(f"nb_{not_before.strftime('%Y_%m_%d')}")
        if deps:
            body.append(f"  depends {', '.join(deps)}")
        body += [_alloc(p_ids[p], []) for p in job.participants]
        for ri, demand in job.resources:
            ids = facility_ids[ri]
            for k in range(demand):  # "any `demand` of the instances": one allocation each, rotated
                rot = ids[k:] + ids[:k]
                body.append(_alloc(rot[0], rot[1:]))
        # The instructor and every staff place: different people (as the planner requires). Each allocation
        # gets a first choice no other allocation of the task has, and none of theirs as an alternative:
        # TaskJuggler books nothing when two allocations of a task both want the same person.
        pools = ([[i for ii in job.instructors for i in instructor_ids[ii]]] if job.needs_instructor else [])
        for need in job.staff:  # "any `count` of the qualified": one allocation each, rotated
            pool = [i for ii in need.candidates for i in instructor_ids[ii]]
            pools += [pool[k:] + pool[:k] for k in range(min(need.count, len(pool)))]
        firsts: dict[int, str] = {}
        for k in sorted(range(len(pools)), key=lambda k: (len(pools[k]), k)):  # the fewest candidates choose first
            firsts[k] = next((i for i in pools[k] if i not in firsts.values()), pools[k][0])
        for k, pool in enumerate(pools):
            body.append(_alloc(firsts[k], [i for i in pool if i not in firsts.values()]))
            if any(i in firsts.values() and i != firsts[k] for i in pool):
                unexpressed.add("an instructor who is one place's first choice as another place's alternative "
                                "(a session with an instructor and staff may lose an alternative)")
        due = None
        if j in deadline:
            due = grid.days[deadline[j]] if deadline[j] < grid.num_days else grid.training_end
            body.append(f"  maxend {due.isoformat()}")
        if job.num_sessions > 1:
            unexpressed.add("sessions")
        if job.min_gap_days or job.consecutive or job.max_gap_days is not None:
            unexpressed.add("min/max_days_between_sessions / consecutive_days")
        if job.rest_days_after:
            unexpressed.add("rest_days_after")
        if job.travel_before:
            unexpressed.add("travel_days")
        module = next(m for m in sc.modules if m.id == job.module)
        name = f"{job.id}: {module.name or module.id}"
        task_lines += [f"task {tid} {_q(name)} {{", *body, "}"]
        parts = tuple(data.participants[p].id for p in job.participants)
        tasks.append(TjpTask(tid, j, job.id, job.module, parts, due))
    for day in sorted(milestones):
        lines.append(f'task nb_{day.strftime("%Y_%m_%d")} "not before {day.isoformat()}" {{ milestone start {day.isoformat()} }}')
    lines += task_lines
    if data.spacing:
        unexpressed.add("spacing rules")
    notes += [f"not expressible, ignored: {u}" for u in sorted(unexpressed)]

    lines += [
        "",
        f'taskreport {REPORT_ID} "{REPORT_ID}" {{',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%d %H:%M"',
        "}",
        "",
    ]
    return TjpExport("\n".join(lines), tuple(tasks), tuple(skipped), tuple(notes), end)

