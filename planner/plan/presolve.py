"""Pre-solve necessary-condition checks with readable numbers.

Each check is a quick bound that any plan must satisfy; when one fails, the
finding says why in the scenario's terms (hours, dates, capacities). A clean
result does not mean every participant can be ready, only that these simple
bounds do not already rule it out.
"""

from __future__ import annotations

from collections import defaultdict

from planner.calendar.grid import TimeGrid, in_any
from planner.calendar.missions import mission_times, participant_missions
from planner.data.days import Rule, allowed_days
from planner.data.problem import ProblemData
from planner.scenario.holidays import locally_closed
from planner.scenario.schema import Module, Resource, Scenario


def _hours(grid: TimeGrid, slots: float) -> str:
    return f"{grid.slots_to_hours(round(slots)):g} h"


def _span(grid: TimeGrid, days: list[int]) -> str:
    if not days:
        return "(no open day)"
    return f"between {grid.days[days[0]]} and {grid.days[days[-1]]}"


def presolve_checks(sc: Scenario, grid: TimeGrid, data: ProblemData) -> list[str]:
    """Findings of every check, most fundamental first."""
    out: list[str] = []
    out += _structure(sc)
    out += _seasons(sc, grid, data)
    out += _chains(grid, data)
    out += _resources(grid, data)
    out += _instructors(sc, grid, data)
    out += _participants(grid, data)
    return out


def _structure(sc: Scenario) -> list[str]:
    """Rules that silently do nothing for some participants: likely slips in the file."""
    out = []
    # Roles whose every participant already holds what the role requires train for nothing: no warning.
    training = {p.role for p in sc.participants
                if set(next(r.requires for r in sc.roles if r.id == p.role)) - set(p.holds)}
    takes = {r.id: {m.id for m in sc.modules if not m.roles or r.id in m.roles} for r in sc.roles if r.id in training}
    for m in sc.modules:
        for pre in m.prerequisites:
            skip = sorted(r for r, mods in takes.items() if m.id in mods and pre.module not in mods)
            if skip:
                out.append(f"prerequisite: {m.id} requires {pre.module}, which role(s) {', '.join(skip)} do not "
                           f"take: for them {m.id} has no prerequisite {pre.module}")
    crews: dict[str, list[str]] = defaultdict(list)
    for p in sc.participants:
        crews[p.crew].append(p.id)
    joint = [m.id for m in sc.modules if m.joint == "crew"]
    alone = sorted(c for c, members in crews.items() if len(members) == 1)
    if joint and alone and len(crews) > 1:
        out.append(f"crew: {', '.join(alone)} ha{'s' if len(alone) == 1 else 've'} a single member, who takes the "
                   f"joint module(s) {', '.join(joint)} alone (a typo in 'crew'?)")
    return out


def _needed_jobs(data: ProblemData) -> set[int]:
    """Jobs some goal cannot do without (groups with a single option)."""
    return {g[0] for goal in data.goals for g in goal.groups if len(g) == 1}


def _wanted_jobs(data: ProblemData) -> set[int]:
    """Jobs some goal can use: every option of every group, ``any_of`` alternatives included."""
    return {j for goal in data.goals for g in goal.groups for j in g}


def _seasons(sc: Scenario, grid: TimeGrid, data: ProblemData) -> list[str]:
    """Modules whose season or resource availability leaves too few working days: one finding per group of
    their jobs with the same limits and days (a participant's own resource is a limit of theirs alone)."""
    out = []
    res = {r.id: r for r in sc.resources}
    wanted = _wanted_jobs(data)  # an alternative of an ``any_of`` group is depended on too: the goal may need it
    for m in sc.modules:
        jobs = [j for j, job in enumerate(data.jobs) if job.module == m.id]
        note = "" if any(j in wanted for j in jobs) else " (no required competency depends on it)"
        # The season is the module's; the days left also depend on each attendee's blackouts and own
        # resources, so every job is checked and the short ones named, grouped by what limits them.
        groups: dict[tuple[tuple[str, ...], int, int], list[int]] = {}
        for j in jobs:
            limits = _job_limits(m, [res[data.resources[r].id] for r, _ in data.jobs[j].resources])
            days = _open_before(data, j, data.num_days)
            if limits and len(days) < data.days_needed(j):
                groups.setdefault((tuple(limits), len(days), data.days_needed(j)), []).append(j)
        for (said, n_days, need), short in groups.items():
            who = "" if len(short) == len(jobs) else " for " + ", ".join(
                "/".join(data.participants[p].id for p in data.jobs[j].participants) for j in short)
            worst = short[0]
            if not n_days:
                # The window of the job's mission (its participant's): the centre's says nothing of theirs.
                first, end = grid.window_start, grid.training_end
                if sc.missions:
                    t = mission_times(sc)[participant_missions(sc)[data.jobs[worst].participants[0]]]
                    first, end = t.start, t.training_end
                out.append(
                    f"season: {m.id} is limited to {'; '.join(said)}, which leaves no working day in the "
                    f"training window {first}..{end}{who}{_absent(sc, grid, data, worst)}{note}"
                )
            else:
                out.append(
                    f"season: {m.id} needs {need} day(s) but {'; '.join(said)} leave only "
                    f"{n_days} working day(s) in the window{who}{note}"
                )
    return out


def _job_limits(m: Module, resources: list[Resource]) -> list[str]:
    """What limits a job's days besides calendars, in the file's words: the module's season and the
    availability of each resource it uses (the module's and its participant's own)."""
    limits = [f"the module's season {', '.join(f'{s.start}..{s.end}' for s in m.allowed)}"] if m.allowed else []
    for r in resources:
        if r.available:
            limits.append(f"{r.id} availability {', '.join(f'{s.start}..{s.end}' for s in r.available)}")
        if r.available_dates:
            limits.append(f"{r.id} campaign days ({len(r.available_dates)})")
    return limits


def _absent(sc: Scenario, grid: TimeGrid, data: ProblemData, j: int) -> str:
    """", where its attendees are away": when every day its season and resources leave is a day an attendee
    is away (a blackout or their own calendar's day off: a crew member's leave on the only campaign day), so
    that the finding names it. Days closed for another reason (outside a mission's dates) make no claim."""
    job = data.jobs[j]
    left = [d for d in range(data.num_days) if grid.open[d] and (job.season_days is None or job.season_days[d])
            and all((days := data.resources[r].open_days) is None or days[d] for r, _ in job.resources)]
    people = [sc.participants[p] for p in job.participants]

    def away(d: int) -> bool:
        day = grid.days[d]
        return any(in_any(p.blackouts, day) or locally_closed(p.calendar, day) for p in people)

    if not left or not all(away(d) for d in left):
        return ""
    dates = ", ".join(str(grid.days[d]) for d in left[:3]) + (" ..." if len(left) > 3 else "")
    return f" (an attendee is away on the days they leave: {dates})"


# These bounds count the days the calendars and seasons leave, deliberately
# without the module's deadline gate, recency or the re-planning date: that
# only makes them weaker (still necessary conditions), and the day counts in
# the findings stay what they have always reported.
_COUNTED = Rule.CALENDAR | Rule.SEASON


def _open_before(data: ProblemData, job: int, limit: int) -> list[int]:
    """Days before ``limit`` that the job's calendars and season leave open."""
    return [d for d in allowed_days(data, job, rules=_COUNTED) if d < limit]


def _chains(grid: TimeGrid, data: ProblemData) -> list[str]:
    """Longest prerequisite chain (working days, one job at a time) vs the deadline."""
    preds: dict[int, list[int]] = defaultdict(list)
    lag: dict[tuple[int, int], int] = {}
    for p in data.precedences:
        if p.kind == "es":
            preds[p.after].append(p.before)
            lag[p.before, p.after] = p.min_days or 0
    # Earliest finish day of each job assuming whole days per S slots of work.
    memo: dict[int, tuple[int, list[int]]] = {}

    def finish(j: int, stack: frozenset[int] = frozenset()) -> tuple[int, list[int]]:
        if j in memo:
            return memo[j]
        start, chain = 0, [j]
        for b in preds[j]:
            if b in stack:
                continue
            fb, cb = finish(b, stack | {j})
            # The job may start on its prerequisite's last day (fb - 1) plus the lag in days, as the model
            # reads it (the same day with no lag); fb + lag made every link a day too long.
            cand = fb - 1 + lag[b, j]
            if cand > start:
                start, chain = cand, [*cb, j]
        open_days = [d for d in _open_before(data, j, data.num_days) if d >= start]
        days_needed = data.days_needed(j)
        end = open_days[days_needed - 1] + 1 if len(open_days) >= days_needed else data.num_days + 1
        memo[j] = (end, chain)
        return memo[j]

    out = []
    reported: set[str] = set()
    for goal in data.goals:
        for group in goal.groups:
            if len(group) != 1:
                continue
            end, chain = finish(group[0])
            if end > goal.deadline_day:
                names = " -> ".join(data.jobs[j].module for j in chain)
                key = f"{data.jobs[group[0]].id}"
                if key in reported:
                    continue
                reported.add(key)
                deadline = grid.days[goal.deadline_day] if goal.deadline_day < grid.num_days else grid.training_end
                out.append(
                    f"chain: {data.jobs[group[0]].id} cannot end before {deadline} even with nothing else to do "
                    f"(prerequisite chain {names} needs open days up to "
                    f"{grid.days[end - 1] if end <= grid.num_days else 'after the window'})"
                )
    return out


def _resources(grid: TimeGrid, data: ProblemData) -> list[str]:
    """Demand of needed jobs on each resource vs its capacity on the days they may use."""
    S = data.slots_per_day
    needed = _needed_jobs(data)
    out = []
    for r, res in enumerate(data.resources):
        demand = 0
        days: set[int] = set()
        latest = 0
        for j in needed:
            job = data.jobs[j]
            for rr, d in job.resources:
                if rr != r:
                    continue
                demand += d * job.length * job.num_sessions
                limit = min((g.deadline_day for g in data.goals for grp in g.groups if grp == (j,)), default=data.num_days)
                opened = _open_before(data, j, limit)
                days |= set(opened)
                latest = max(latest, limit)
        if demand == 0:
            continue
        supply = res.capacity * S * len(days)
        if demand > supply:
            span = sorted(days)
            out.append(
                f"resource {res.id}: {_hours(grid, demand)} needed (in capacity units), "
                f"{_hours(grid, supply)} available {_span(grid, span)}"
            )
    return out


def _instructors(sc: Scenario, grid: TimeGrid, data: ProblemData) -> list[str]:
    S = data.slots_per_day
    needed = _needed_jobs(data)
    by_qual: dict[str, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)  # (job, people, candidates)
    qual_of = {m.id: m.instructor for m in sc.modules}
    for j in needed:
        job = data.jobs[j]
        q = qual_of.get(job.module)
        if job.needs_instructor and q:
            by_qual[q].append((j, 1, job.instructors))
        for need in job.staff:
            by_qual[need.qualification].append((j, need.count, need.candidates))
    out = []
    for q, uses in sorted(by_qual.items()):
        jobs = [j for j, _, _ in uses]
        demand = sum(data.jobs[j].length * data.jobs[j].num_sessions * n for j, n, _ in uses)
        cands = sorted({i for _, _, c in uses for i in c})
        days = sorted({d for j in jobs for d in _open_before(data, j, data.num_days)})
        supply = sum(data.instructors[i].capacity * S * sum(1 for d in days if data.instructors[i].open_days[d]) for i in cands)
        if demand > supply:
            out.append(f"instructors ({q}): {_hours(grid, demand)} of teaching needed, {_hours(grid, supply)} available {_span(grid, days)}")
    return out


def _participants(grid: TimeGrid, data: ProblemData) -> list[str]:
    """Hours each participant must train vs what the load caps and days allow."""
    S = data.slots_per_day
    needed = _needed_jobs(data)
    out = []
    for p, part in enumerate(data.participants):
        jobs = [j for j in needed if p in data.jobs[j].participants]
        if not jobs:
            continue
        demand = sum(data.jobs[j].length * data.jobs[j].num_sessions for j in jobs)
        limit = max((g.deadline_day for g in data.goals if g.participant == p), default=data.num_days)
        days = [d for d in range(min(limit, data.num_days)) if grid.open[d]]
        per_day = min(S, part.daily_cap or S)
        supply = per_day * len(days)
        if part.weeks_capped:
            weeks: dict[int, int] = defaultdict(int)
            for d in days:
                weeks[data.week(d)] += per_day
            supply = part.within_caps(weeks)
        if demand > supply:
            out.append(
                f"participant {part.id}: {_hours(grid, demand)} of required training, at most "
                f"{_hours(grid, supply)} fit "
                f"{'under the load caps' if part.daily_cap or part.weeks_capped else 'in the working hours'} in "
                f"{len(days)} working days before "
                f"{grid.days[limit] if limit < grid.num_days else grid.training_end}"
            )
    return out
