"""Objectives: readiness (lexicographic phases) or makespan (RCPSP)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.data.people import ParticipantData
    from planner.data.problem import ProblemData
    from planner.model.context import Context


def goals_met(ctx: Context) -> cp_model.LinearExprT:
    """Number of goals met."""
    return sum(ctx.goal_sat)


def goals_priority(ctx: Context) -> tuple[cp_model.LinearExprT, int]:
    """What phase 1 maximises, and its weight ``w``: the goals met times ``w``, plus a tie-break worth less
    than one goal. So the most goals first, as ever, and of the plans meeting that many, in order:

    * the most goals of prime crews: a mission's verdict is its prime crews', so a backup crew must not
      take the prime crew's place (one simulator for both);
    * the most goals of competencies that are not waivable: a waivable one can be waived (the programme
      goes ahead, "ready with waivers"), another one not (one tank day for both: the waivable pair waits);
    * of the waivable ones, the dearest to waive kept (``waive_cost``: a higher cost, a later resort);
    * re-planning, the goals the published plan meets (a tie is settled as it was published).

    ``value // w`` is the number of goals met, also of a bound. A tier that tells no goals apart is left
    out: without backup crews and waivable competencies ``w`` is 1 and the objective the count."""
    goals = ctx.data.goals
    costs = sorted({g.waive_cost for g in goals if g.waive_cost is not None})
    prime_tier = [int(not g.backup) for g in goals]
    tiers = [prime_tier, [int(g.waive_cost is None) for g in goals],
             [0 if g.waive_cost is None else 1 + costs.index(g.waive_cost) for g in goals],
             [int(k in ctx.data.published_goals) for k in range(len(goals))]]
    tiers = [t for t in tiers if any(t) and len(set(t)) > 1]
    coef, weight = [0] * len(goals), 1
    for tier in reversed(tiers):  # the last tier weighs 1, each one before it more than all after it
        coef = [c + weight * t for c, t in zip(coef, tier, strict=True)]
        weight *= sum(tier) + 1
    if weight == 1:
        return goals_met(ctx), 1
    if tiers == [prime_tier]:  # the prime tier alone, as written before
        prime = [sat for sat, goal in zip(ctx.goal_sat, goals, strict=True) if not goal.backup]
        return cp_model.LinearExpr.weighted_sum([*ctx.goal_sat, *prime], [weight] * len(goals) + [1] * len(prime)), weight
    return cp_model.LinearExpr.weighted_sum(ctx.goal_sat, [weight + c for c in coef]), weight


def plan_cost(ctx: Context) -> cp_model.LinearExprT:
    """Phase 2 cost, lexicographic: jobs left out first, then the plan's shape.

    The shape is ``ctx.data.shape`` (the scenario's ``objective``):
    ``earliest`` minimises the sum of goal completion days (readiness as
    early as possible, most slack); ``level`` first minimises the sum over
    participants of their peak weekly hours, then the weeks in which a
    participant could train before their last deadline but does not (no
    idle month before the exams), then completion days;
    ``fresh`` keeps competency training as late as its deadlines allow
    (the largest sum of session days of the modules that count towards a
    goal). Each weight makes one unit of a term worth more than any change
    of the terms after it (and, when re-planning, one published session kept
    worth more than all of them).

    ``ctx.linear_weeks`` chooses how ``level`` counts a week (the same values either way): linear rows
    over exact week Booleans for CP-SAT's portfolio, whose LP then bounds the peaks (MS-19: gap 8 %
    instead of 52 % in the same 30 s), or Cumulatives for one deterministic worker, which has no LP
    bound to gain and found worse plans from the rows (MS-19 in 15 units: peaks 344 and 35 idle
    weeks, against 309 and 2).
    """
    terms = _terms(ctx)
    parts: list[Any] = [w * expr for w, (expr, _) in zip(_weights(terms), terms, strict=True)]
    cost = parts[0]  # summed most important first, as the model has always been written
    for part in parts[1:]:
        cost = cost + part
    return cost


def _shape_at(ctx: Context) -> int:
    """Where the shape's terms begin in :func:`_terms`: after "changes", "left out" and "teachers"."""
    return 1 + bool(ctx.changes) + bool(ctx.teacher_changes)


def _weights(terms: list[tuple[cp_model.LinearExprT, int]]) -> list[int]:
    weights, weight = [], 1
    for _, top in reversed(terms):
        weights.append(weight)
        weight *= top + 1
    return weights[::-1]


def _terms(ctx: Context) -> list[tuple[cp_model.LinearExprT, int]]:
    """The cost terms, most important first, each with its largest value; built once per model."""
    if ctx.plan_terms is not None:
        return ctx.plan_terms
    optional = _optional(ctx)
    terms: list[tuple[cp_model.LinearExprT, int]] = []
    if ctx.changes:
        # Re-planning: fewer moved or dropped published sessions beats
        # anything else once readiness is settled.
        terms.append((sum(ctx.changes), len(ctx.changes)))
    terms.append((len(optional) - sum(optional), len(optional)))
    if ctx.teacher_changes:
        # Re-planning: a session that stays keeps its published instructor's group where it can.
        terms.append((sum(ctx.teacher_changes), len(ctx.teacher_changes)))
    days = ctx.data.num_days
    if ctx.data.shape == "level":
        peaks = _weekly_peaks(ctx)
        terms.append((sum(peaks), 7 * ctx.data.slots_per_day * len(peaks)))
        trained = _weeks_trained(ctx)
        terms.append((len(trained) - sum(trained), len(trained)))
    if ctx.data.shape == "fresh":
        session_days = _goal_session_days(ctx)
        terms.append((days * len(session_days) - sum(session_days), days * len(session_days)))
    else:
        # Top (days + 1) x max(1, goals): the weights the earliest plan has always had.
        terms.append((sum(ctx.goal_completion), (days + 1) * max(1, len(ctx.goal_completion))))
    ctx.plan_terms = terms
    return terms


def _weekly_peaks(ctx: Context) -> list[cp_model.IntVar]:
    """Per participant, a variable at least their training slots in every calendar week.

    With ``ctx.linear_weeks``, each week's load is a linear sum over the sessions' exact week
    Booleans (:meth:`Context.week_literals`): its LP relaxation bounds the peak by the hours spread
    over the weeks they may use, which a Cumulative on the week axis with the peak as capacity (the
    load family's construction, kept for one deterministic worker) left to search (bound 96 against
    a best 288 on the MS-19 file after 30 s)."""
    data, m = ctx.data, ctx.model
    peaks = []
    for p, _part in enumerate(data.participants):
        sessions: list[tuple[int, int, int]] = []  # (job, session, slots) still to place
        done: dict[int, int] = {}
        for j, job in enumerate(data.jobs):
            if p not in job.participants or not ctx.possible(j):
                continue
            for k, sv in enumerate(ctx.sessions[j]):
                if sv.day is None:
                    continue
                if sv.fixed:
                    week = data.week(job.fixed_starts[k] // data.slots_per_day)
                    done[week] = done.get(week, 0) + job.length
                    continue
                sessions.append((j, k, job.length))
        if not sessions:
            continue
        if ctx.linear_weeks:
            loads: dict[int, list[cp_model.LinearExprT]] = {}
            for j, k, length in sessions:
                for w, x in ctx.week_literals(j, k).items():
                    loads.setdefault(w, []).append(length * x)
            peak = m.new_int_var(max(done.values(), default=0), 7 * data.slots_per_day, f"peak_week[{p}]")
            for w, terms in sorted(loads.items()):
                m.add(sum(terms) + done.get(w, 0) <= peak)
        else:
            items = [(m.new_optional_fixed_size_interval_var(ctx.week(j, k), 1, ctx.present[j], f"peak[{p},{j}#{k}]"),
                      length) for j, k, length in sessions]
            peak = m.new_int_var(max(done.values(), default=0), 7 * data.slots_per_day, f"peak_week[{p}]")
            items += [(m.new_fixed_size_interval_var(w, 1, f"peak[{p},done@{w}]"), v) for w, v in sorted(done.items())]
            m.add_cumulative([i for i, _ in items], [v for _, v in items], peak)
        peaks.append(peak)
    return peaks


def cost_floor(ctx: Context, met: Collection[int] = ()) -> int:
    """A lower bound on :func:`plan_cost` that the solver's own bound may take long to reach: for
    ``level``, the peaks' weight times the sum of :func:`peak_floors` (0 for the other shapes), of the
    plans that meet the goals ``met``.

    Valid for every such plan, not only those that leave nothing out: a plan that moves a published
    session or leaves a job out costs at least the weight of that term, which exceeds the peaks'
    weight times any sum of peaks (each weight is worth more than all the terms after it)."""
    if ctx.data.shape != "level":
        return 0
    terms = _terms(ctx)
    at = _shape_at(ctx)  # the peaks' term follows "changes", "left out" and "teachers"
    return _weights(terms)[at] * min(sum(peak_floors(ctx, met)), terms[at][1])


def peak_floors(ctx: Context, met: Collection[int] = ()) -> list[int]:
    """For each participant with a weekly peak (as :func:`_weekly_peaks` makes them, in order), at
    most their busiest week in any plan that leaves out no job (refreshers aside: they are done only
    when needed) and meets the goals ``met``, in slots. Three counts, each a relaxation of the plan:

    * a week with history holds at least that history;
    * each job's sessions: one session in its lightest possible week (with that week's history), a
      ``consecutive`` job's run of days in its lightest possible placement (three days of water
      survival between a Monday and a Friday are one week's 24 h);
    * energy: the sessions whose allowed days all lie in weeks ``a..b``, with those weeks' history,
      spread over the ``b - a + 1`` weeks, none holding more than its days and caps allow (a week
      with two working days left before the exams takes two days' hours, not a full week's).

    A job that is the only way to a group of a goal in ``met`` uses only the days before that goal's
    deadline. Prerequisites, resources and instructors are left out: the floor stays a floor."""
    data = ctx.data
    refresh = {rule.refresh for rule in data.refreshers}
    by = _must_end(data, met)
    weeks = data.num_weeks
    out: list[int] = []
    for p, who in enumerate(data.participants):
        jobs = [j for j, job in enumerate(data.jobs) if p in job.participants and ctx.possible(j)]
        if not any(sv.day is not None and not sv.fixed for j in jobs for sv in ctx.sessions[j]):
            continue  # no peak variable (see _weekly_peaks)
        done = [0] * weeks
        for j in jobs:
            for k, sv in enumerate(ctx.sessions[j]):
                if sv.day is not None and sv.fixed:
                    done[data.week(data.jobs[j].fixed_starts[k] // data.slots_per_day)] += data.jobs[j].length
        best = max(done)
        spans = [[0] * weeks for _ in range(weeks)]  # [first week][last week] -> slots of such sessions
        open_days: set[int] = set()
        for j in jobs:
            job = data.jobs[j]
            free = [[d for d in ctx.session_days(j, k) if d < by.get(j, data.num_days)]
                    for k, sv in enumerate(ctx.sessions[j]) if sv.day is not None and not sv.fixed]
            for days in free:
                open_days.update(days)
            if j in refresh or not free or not all(free):
                continue
            for days in free:
                spans[data.week(days[0])][data.week(days[-1])] += job.length
            best = max(best, _job_floor(data, job.consecutive and len(free) == job.num_sessions, job.length,
                                        free, done))
        # Repair levers (fillers) may lift the caps: then only the days count.
        room = _week_room(data, who, open_days, done, capped=not ctx.fillers)
        # energy[a][b]: slots of the sessions whose weeks all lie in a..b (a suffix-prefix sum of spans)
        energy = [[0] * weeks for _ in range(weeks + 1)]
        for a in range(weeks - 1, -1, -1):
            row = 0
            for b in range(a, weeks):
                row += spans[a][b]
                energy[a][b] = row + (energy[a + 1][b] if a + 1 <= b else 0)
        for a in range(weeks):
            history = 0
            for b in range(a, weeks):
                history += done[b]
                best = max(best, _level_of(energy[a][b] + history, room[a:b + 1]))
        out.append(min(best, 7 * data.slots_per_day))
    return out


def _must_end(data: ProblemData, met: Collection[int]) -> dict[int, int]:
    """Per job, the first day it may no longer use in a plan meeting the goals ``met``: the earliest
    deadline of those goals with a group it is the only option of."""
    by: dict[int, int] = {}
    for g in met:
        goal = data.goals[g]
        for group in goal.groups:
            if len(group) == 1 and goal.deadline_day < data.num_days:
                by[group[0]] = min(by.get(group[0], data.num_days), goal.deadline_day)
    return by


def _week_room(data: ProblemData, who: ParticipantData, days: set[int], done: list[int], capped: bool) -> list[int]:
    """Per week, the most slots of training a participant can have in it: the history plus a full day
    (``capped``: or their daily cap) on each day their sessions may use, (``capped``) at most the week's
    cap, not below its history."""
    daily = data.slots_per_day if who.daily_cap is None or not capped else min(data.slots_per_day, who.daily_cap)
    room = list(done)
    for d in days:
        room[data.week(d)] += daily
    for w in range(len(room)):
        cap = who.cap_in_week(w) if capped else None
        if cap is not None:
            room[w] = min(room[w], max(cap, done[w]))
    return room


def _level_of(need: int, room: list[int]) -> int:
    """The least peak ``P`` with ``sum(min(P, r) for r in room) >= need`` (0 when ``need`` is 0). When
    even the whole room cannot hold ``need``, no plan leaving nothing out exists: any floor is a floor, and
    :data:`NO_PLAN` is returned (the caller clips it to a week's slots)."""
    if need <= 0:
        return 0
    rooms = sorted(room)
    below, n = 0, len(rooms)
    for i, r in enumerate(rooms):  # P in (rooms[i-1], rooms[i]]: the i smallest rooms are full
        level = -(-(need - below) // (n - i))
        if level <= r:
            return level
        below += r
    return NO_PLAN


NO_PLAN = 1 << 30
"""The level of a need no room holds: above any week's slots."""


def _job_floor(data: ProblemData, consecutive: bool, length: int, free: list[list[int]], done: list[int]) -> int:
    """The least busiest week a job's sessions alone (with each week's history) can give."""
    if not consecutive or len(free) < 2:
        return min(done[data.week(d)] for days in free for d in days) + length
    best = None
    for first in _runs(free):
        load: dict[int, int] = {}
        for k in range(len(free)):
            w = data.week(first + k)
            load[w] = load.get(w, done[w]) + length
        best = max(load.values()) if best is None else min(best, max(load.values()))
    return length if best is None else best


def _runs(days: list[list[int]]) -> Iterator[int]:
    """The first days of the runs of consecutive days a job's sessions may take: session ``k`` on the first
    day + ``k``, each on an allowed day of its own (``days``: each session's allowed days)."""
    allowed = [set(d) for d in days]
    return (first for first in days[0] if all(first + k in allowed[k] for k in range(1, len(days))))


def idle_weeks(ctx: Context, cost: float) -> int:
    """The ``level`` cost's weeks without training (the term after the peaks) of a :func:`plan_cost` value."""
    terms = _terms(ctx)
    at = _shape_at(ctx) + 1
    return (round(cost) // _weights(terms)[at]) % (terms[at][1] + 1)


def idle_floor(ctx: Context) -> tuple[int, int]:
    """(the fewest weeks without training any ``level`` plan can have, the weeks counted): per participant,
    the weeks :func:`_weeks_trained` counts less the most of them their sessions can cover, one week each
    (a matching of sessions to the weeks they may use); a run of consecutive days covers at most the weeks
    its widest allowed run touches (a five-day course Monday to Friday: one week, not five). Prerequisites,
    spacing, caps and resources are left out, so it is a floor."""
    data = ctx.data
    last = _last_days(data)
    options: list[list[list[int]]] = [[] for _ in data.participants]  # per participant: each session's weeks
    for j, job in enumerate(data.jobs):
        if not ctx.possible(j) or max((last[p] for p in job.participants), default=-1) < 0:
            continue
        free = [k for k, sv in enumerate(ctx.sessions[j]) if not sv.fixed and sv.day is not None]
        covers = [ctx.session_weeks(j, k) for k in free]
        if job.consecutive and len(free) == job.num_sessions > 1:
            run = _run_weeks(data, [ctx.session_days(j, k) for k in free])
            if run is not None:  # as many "sessions" as weeks one run may touch, each of any week of the job's
                covers = [sorted({w for ws in covers for w in ws})] * min(run, len(free))
        for weeks in covers:
            for p in job.participants:
                if last[p] >= 0:
                    options[p].append([w for w in weeks if w <= data.week(last[p])])
    floor = counted = 0
    for sessions in options:
        weeks = sorted({w for ws in sessions for w in ws})
        counted += len(weeks)
        floor += len(weeks) - _matching(sessions, weeks)
    return floor, counted


def _run_weeks(data: ProblemData, days: list[list[int]]) -> int | None:
    """The most calendar weeks one run of consecutive days (:func:`_runs`) may touch; None when no run fits."""
    return max((len({data.week(first + k) for k in range(len(days))}) for first in _runs(days)), default=None)


def _matching(sessions: list[list[int]], weeks: list[int]) -> int:
    """The most weeks that get a session of their own (augmenting paths from each week)."""
    users: dict[int, list[int]] = {w: [] for w in weeks}
    for s, ws in enumerate(sessions):
        for w in ws:
            users[w].append(s)
    owner: dict[int, int] = {}  # session -> the week it covers

    def augment(w: int, seen: set[int]) -> bool:
        for s in users[w]:
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or augment(owner[s], seen):
                owner[s] = w
                return True
        return False

    return sum(augment(w, set()) for w in weeks)


def _last_days(data: ProblemData) -> list[int]:
    """Per participant, the last day on which training counts for a goal of theirs (-1: no goal)."""
    last = [-1] * len(data.participants)
    for goal in data.goals:
        last[goal.participant] = max(last[goal.participant], goal.deadline_day - 1)
    return last


def _weeks_trained(ctx: Context) -> list[cp_model.IntVar]:
    """Per participant and calendar week before their last goal deadline in which some session
    of theirs could run: a Boolean that may be 1 only if one of their sessions runs that week."""
    data, m = ctx.data, ctx.model
    if data.num_days <= 1:
        return []
    last = _last_days(data)
    weeks_of: list[dict[int, list[cp_model.IntVar]]] = [{} for _ in data.participants]
    for j, job in enumerate(data.jobs):
        if not ctx.possible(j):
            continue
        latest = max((last[p] for p in job.participants), default=-1)
        if latest < 0:
            continue  # no member has a goal: no week of theirs counts
        horizon = data.week(latest)
        for k, sv in enumerate(ctx.sessions[j]):
            if sv.fixed or sv.day is None:
                continue
            for w, x in _week_bools(ctx, j, k, horizon):
                for p in job.participants:
                    if last[p] >= 0 and w <= data.week(last[p]):
                        weeks_of[p].setdefault(w, []).append(x)
    trained = []
    for p, by_week in enumerate(weeks_of):
        for w, xs in sorted(by_week.items()):
            t = m.new_bool_var(f"trains[{p},{w}]")
            m.add(sum(xs) >= t)
            trained.append(t)
    return trained


def _week_bools(ctx: Context, j: int, k: int, horizon: int) -> list[tuple[int, cp_model.IntVar]]:
    """(week, Boolean) for the weeks up to ``horizon`` that session ``k`` of job ``j`` may use: the exact
    week literals with ``ctx.linear_weeks``, else Booleans of their own that may be 1 only if the session
    runs that week (made here, in week order, as the model has always had them)."""
    if ctx.linear_weeks:
        return [(w, x) for w, x in ctx.week_literals(j, k).items() if w <= horizon]
    out = []
    for w in ctx.session_weeks(j, k):
        if w > horizon:
            break
        x = ctx.in_week(j, k, w)
        ctx.model.add_implication(x, ctx.present[j])
        out.append((w, x))
    return out


def _goal_session_days(ctx: Context) -> list[cp_model.LinearExprT]:
    """The day of every session still to place of a job that counts towards some goal."""
    jobs = sorted({j for goal in ctx.data.goals for group in goal.groups for j in group if ctx.possible(j)})
    return [ctx.day(j, k) for j in jobs for k, sv in enumerate(ctx.sessions[j]) if not sv.fixed]


def _optional(ctx: Context) -> list[cp_model.IntVar]:
    # A refresher is done only when needed (model.families.refreshers): never "left out".
    refresh = {rule.refresh for rule in ctx.data.refreshers}
    return [ctx.present[j] for j, job in enumerate(ctx.data.jobs)
            if ctx.possible(j) and not job.mandatory and j not in refresh]


def decode_plan_cost(ctx: Context, cost: float) -> tuple[int, int, int]:
    """A :func:`plan_cost` value as (published sessions changed, jobs left out, value of the
    shape's first term: sum of goal completion days for ``earliest``, sum of weekly peaks in
    slots for ``level``, days before the horizon summed over sessions for ``fresh``): exact, as
    each weight exceeds all the terms after it."""
    value = round(cost)
    parts: list[int] = []
    for w in _weights(_terms(ctx)):
        part, value = divmod(value, w)
        parts.append(part)
    return parts[0] if ctx.changes else 0, parts[bool(ctx.changes)], parts[_shape_at(ctx)]


def makespan(ctx: Context) -> cp_model.IntVar:
    """The end of the last session (RCPSP objective)."""
    m = ctx.model
    var = m.new_int_var(0, ctx.data.horizon, "makespan")
    ends = [ctx.last(j).end for j in range(len(ctx.data.jobs)) if ctx.possible(j) and ctx.sessions[j]]
    if ends:
        m.add_max_equality(var, ends)
    return var
