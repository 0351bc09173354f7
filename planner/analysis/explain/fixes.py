"""Fixes: single changes of a conflicting fact that make a goal achievable, with their costs.

The searches for the least change (window days, capacity units, weekly
hours) live here, one per kind that has one; every other kind is fixed by
relaxing its fact at the cost its kind declares (:mod:`.kinds`). Costs rank
fixes in the points of ``planner repair`` (:func:`unit_cost`: the scenario's
lever of that kind, else ``repairs.py``'s default): a day of window 16, 2 h
more of a weekly load cap 8, a working Saturday or holiday 8, a capacity unit
40, an instructor 60; without a lever kind: cancelling an absence 40, a campaign resource's extra days at its ``dates``
lever's cost per day (20 for the default lever; with no such lever, the
resource on any working day at 60), lifting load caps 60, waiving a rule
(recency, spacing, session pattern) 100,
a gate deadline or a prerequisite 150. Waivers are listed after every real
fix whatever their cost (:attr:`Fix.order`).

Physical facts are never proposed as fixes unless the scenario's
``repairs.levers`` declares them: a resource's season (``available``) only
through a ``dates`` lever for that resource, at its cost per day; a module's
season (``allowed``) and the gates never (no lever kind moves them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from planner.analysis.explain.edits import (
    add_dates,
    add_instructor,
    add_season,
    add_workdays,
    mission_earlier,
    set_value,
    window_earlier,
)
from planner.analysis.explain.probes import Question
from planner.analysis.explain.types import Fact, Fix, GoalKey
from planner.analysis.window_target import resolve_target
from planner.calendar.grid import build_grid, gate_date, in_season
from planner.calendar.missions import mission_times, participant_missions
from planner.constants import MAX_WINDOW_DAYS
from planner.data.levers import lever_defs
from planner.data.result import SolveStatus
from planner.scenario.repairs import DEFAULT_COSTS, DatesLever, LoadLever, WorkdaysLever
from planner.scenario.schema import WEEKDAYS, Scenario

WAIVER = 100.0
LIFT_LOAD_COST = 0.6 * WAIVER
CAMPAIGN_COST = 0.6 * WAIVER  # a campaign resource on any working day (no dates lever for it)
INSTRUCTOR_AVAILABLE_COST = 0.6 * WAIVER

FixSearch = Callable[[Fact, Scenario, Question, list[GoalKey]], list[Fix]]


def unit_cost(sc: Scenario, kind: str, **target: str) -> float:
    """What one unit of a fix costs: the cost of the scenario's own repair lever of that kind for that
    target (``resource=``, ``qualification=``, ``participant=``, ``mission=`` and ``block=``), else the
    kind's default, so that explain and repair price a change the same way (explain priced a day of an
    earlier window at 1 point, repair at 16)."""
    for lever in sc.repairs.levers:
        if lever.kind != kind:
            continue
        if isinstance(lever, LoadLever) and (lever.within is not None or not lever.extra_hours_per_week or (
                lever.participants and target.get("participant") not in lever.participants)):
            continue  # some weeks only, the daily cap only, or other participants: not this fix's raise
        if all(getattr(lever, key, None) == value for key, value in target.items() if key != "participant"):
            return lever.unit_cost
    return DEFAULT_COSTS[kind]


def checked(fix: Fix, q: Question, required: list[GoalKey]) -> list[Fix]:
    """``[fix]`` if it makes ``required`` achievable on the goal's scenario, else none."""
    return [fix] if q.prober.status([(fix.key, fix.edit)], required) == SolveStatus.FEASIBLE else []


def smallest(test: Callable[[int], SolveStatus], top: int, first: int = 1) -> tuple[int | None, bool]:
    """Smallest ``k`` in ``[1, top]`` with ``test(k)`` FEASIBLE (monotone in ``k``), and an exact flag.

    Doubling from ``first``, then bisection: about 2 log2(top) probes. The
    flag is False when an UNKNOWN answer leaves a smaller ``k`` possible.
    """
    lo, hi, exact = 0, None, True
    k = min(first, top)
    while k >= 1:
        st = test(k)
        if st == SolveStatus.FEASIBLE:
            hi = k
            break
        if st == SolveStatus.UNKNOWN:
            exact = False
        else:
            lo = k
        if k >= top:
            break
        k = min(2 * k, top)
    if hi is None:
        return None, False
    while hi - lo > 1:
        mid = (hi + lo) // 2
        st = test(mid)
        if st == SolveStatus.FEASIBLE:
            hi = mid
        else:
            exact = exact and st == SolveStatus.INFEASIBLE
            lo = mid
    return hi, exact


def window_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """The fewest days to open the window (or a mission's window or block) earlier."""
    parts = fact.key.split(":")
    if parts[1] in ("mission", "block"):
        return _mission_window_fixes(parts[2], parts[3] if parts[1] == "block" else None, sc, q, required)
    days = (sc.window.launch - sc.window.start).days
    found, exact = smallest(
        lambda d: q.prober.status([(f"window:{d}", window_earlier(d))], required), MAX_WINDOW_DAYS - days, 7
    )
    if found is None:
        return []
    start = sc.window.start - dt.timedelta(days=found)
    return [Fix(f"window:{found}", f"open the window {found} days earlier (on {start})",
                unit_cost(sc, "start") * found, window_earlier(found), exact)]


def _mission_window_fixes(mission: str, block: str | None, sc: Scenario, q: Question,
                          required: list[GoalKey]) -> list[Fix]:
    target = resolve_target(sc, mission, block)
    found, exact = smallest(
        lambda d: q.prober.status([(f"window:{mission}:{block}:{d}", mission_earlier(mission, block, d))], required),
        target.longest - target.days, 7)
    if found is None:
        return []
    start = target.start - dt.timedelta(days=found)
    what = f"mission {mission}'s training" if block is None else f"block {block} of mission {mission}"
    return [Fix(f"window:{mission}:{block or ''}:{found}", f"start {what} {found} days earlier (on {start})",
                (unit_cost(sc, "start") if block is None else unit_cost(sc, "block", mission=mission, block=block))
                * found, mission_earlier(mission, block, found), exact)]


def capacity_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """The fewest extra capacity units of a resource (at most 64)."""
    rid = fact.key.split(":")[1]
    r = next(x for x in sc.resources if x.id == rid)

    def cap(k: int) -> SolveStatus:
        return q.prober.status([(f"capacity:{rid}:{k}", set_value("resources", rid, "capacity", r.capacity + k))],
                               required)

    found, exact = smallest(cap, min(1000 - r.capacity, 64))
    if found is None:
        return []
    return [Fix(f"capacity:{rid}:{found}", f"raise {rid} capacity from {r.capacity} to "
                f"{r.capacity + found}", unit_cost(sc, "capacity", resource=rid) * found,
                set_value("resources", rid, "capacity", r.capacity + found), exact)]


def load_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """The least raise of a weekly cap (2-hour steps), else lifting the caps."""
    pid = fact.key.split(":")[1]
    p = next(x for x in sc.participants if x.id == pid)
    assert p.load is not None and fact.edit is not None
    daily, weekly = p.load.max_hours_per_day, p.load.max_hours_per_week
    # Weeks with caps of their own keep them (the prober checks whether the raise is enough).
    weeks = {"weeks": [w.model_dump(mode="json", by_alias=True) for w in p.load.weeks]} if p.load.weeks else {}
    if weekly is not None:
        # Raise the weekly cap in 2-hour steps, up to every working hour of a week.
        steps = int((7 * sc.calendar.day_hours - weekly) // 2)

        def load(k: int) -> SolveStatus:
            value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * k, **weeks}
            return q.prober.status([(f"load:{pid}:{k}", set_value("participants", pid, "load", value))], required)

        found, exact = smallest(load, steps) if steps > 0 else (None, False)
        if found is not None:
            value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * found, **weeks}
            return [Fix(f"load:{pid}:{found}", f"raise {pid}'s weekly cap from {weekly:g} h to "
                        f"{weekly + 2 * found:g} h", unit_cost(sc, "load", participant=pid) * 2 * found,
                        set_value("participants", pid, "load", value), exact)]
    return checked(Fix(f"load:{pid}:none", fact.relaxed, LIFT_LOAD_COST, fact.edit), q, required)


def instructor_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """One more instructor of the qualification."""
    qual = fact.key.split(":")[1]
    return checked(Fix(f"instructors:{qual}:1", f"add one instructor qualified for {qual}",
                       unit_cost(sc, "instructor", qualification=qual),
                       add_instructor(qual, 1)), q, required)


def never_fixed(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """No fix: a module's season is a physical fact and no ``repairs`` lever changes it."""
    return []


def available_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """A resource's season widened by each ``dates`` lever for it (none without one); an
    instructor's availability relaxed at the kind's cost (a contract, not a season)."""
    parts = fact.key.split(":")
    if parts[1] == "instructor":
        assert fact.edit is not None
        return checked(Fix(f"{fact.key}:relax", fact.relaxed, INSTRUCTOR_AVAILABLE_COST, fact.edit), q, required)
    rid = parts[1]
    res = next(r for r in sc.resources if r.id == rid)
    grid = build_grid(sc)
    out: list[Fix] = []
    for k, lever in enumerate(sc.repairs.levers):
        if not isinstance(lever, DatesLever) or lever.resource != rid:
            continue
        # The working days of the window the lever would open, in date order (at most ``max``).
        new = [d for d, is_open in zip(grid.days, grid.open, strict=True)
               if is_open and not in_season(res.available, d) and _in_lever(lever, d)]
        if lever.max is not None:
            new = new[:lever.max]
        if not new:
            continue
        days = [(d, d) for d in new] if lever.max is not None or lever.within is None else [
            (lever.within.start, lever.within.end), *((d, d) for d in lever.dates)]
        out += checked(Fix(f"dates:{rid}:{k}", f"open {rid} on {len(new)} more working day(s) "
                           f"{new[0]} .. {new[-1]} (repairs lever {k + 1})", lever.unit_cost * len(new),
                           add_season(rid, days)), q, required)
    return out


def campaign_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """More days of a campaign resource (one with ``available_dates``), through each ``dates`` lever
    for it (declared, or the default one ``repairs.defaults`` adds): the fewest of the lever's working
    days, those nearest the resource's own dates first, at the lever's cost per day. Without such a
    lever: the resource on any working day, at the kind's cost."""
    rid = fact.key.split(":")[1]
    levers = [lv for lv in lever_defs(sc) if lv.kind == "dates" and lv.target == rid]
    if not levers:
        assert fact.edit is not None
        return checked(Fix(f"{fact.key}:relax", fact.relaxed, CAMPAIGN_COST, fact.edit), q, required)
    res = next(r for r in sc.resources if r.id == rid)
    grid = build_grid(sc)
    working = {d for d, is_open in zip(grid.days, grid.open, strict=True) if is_open}
    out: list[Fix] = []
    for lever in levers:
        days = sorted((d for d in lever.dates if d in working),
                      key=lambda d: (min(abs((d - a).days) for a in res.available_dates), d))
        if lever.max_days is not None:
            days = days[:lever.max_days]
        if not days:
            continue

        def probe(n: int, days: list[dt.date] = days) -> SolveStatus:
            return q.prober.status([(_dates_key(rid, days[:n]), add_dates(rid, days[:n]))], required)

        if probe(len(days)) != SolveStatus.FEASIBLE:
            continue
        found, exact = smallest(probe, len(days))
        chosen = sorted(days[:found or len(days)])
        n = len(chosen)
        which = f"repairs lever {lever.index + 1}" if lever.declared else "default dates lever"
        out.append(Fix(_dates_key(rid, chosen), f"open {rid} on {n} more working day{'s' if n > 1 else ''}: "
                       f"{', '.join(str(d) for d in chosen)} ({which})", lever.unit_cost * n,
                       add_dates(rid, chosen), exact and found is not None))
    return out


def _dates_key(rid: str, days: list[dt.date]) -> str:
    return f"dates:{rid}:" + ",".join(d.isoformat() for d in sorted(days))


def _in_lever(lever: DatesLever, day: dt.date) -> bool:
    return day in lever.dates or (lever.within is not None and lever.within.start <= day <= lever.within.end)


def calendar_fixes(sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """Work on days the calendar closes, before the goal's deadline: the fewest of them, latest first.

    Candidates: every Saturday, and separately every public holiday on a
    working weekday, inside the window before the deadline (gate days stay
    closed), unless ``repairs.levers`` has ``workdays`` levers: then each
    lever's days. Each set is tried whole; when it works, the fewest of its
    days nearest the deadline that still work. Cost per day: the lever's, else
    ``DEFAULT_COSTS["workdays"]``; none without a lever when ``repairs.defaults``
    is off.
    """
    levers = [(k, x) for k, x in enumerate(sc.repairs.levers) if isinstance(x, WorkdaysLever)]
    if not levers and not sc.repairs.defaults:
        return []
    grid = build_grid(sc)
    comp = next(c for c in sc.competencies if c.id == q.goal[1])
    which = dict(zip((p.id for p in sc.participants), participant_missions(sc), strict=True))
    mission = mission_times(sc)[which[q.goal[0]]]
    deadline = min(grid.training_end, mission.training_end)
    if comp.deadline:
        deadline = min(deadline, gate_date(mission.gate(comp.deadline), mission.launch))
    gate_days = mission.gate_days()  # closed to this mission's people on the grid, or only to them
    closed = [d for d, is_open in zip(grid.days, grid.open, strict=True)
              if not is_open and d < deadline and not grid.closed_days.get(d, "").startswith("gate")
              and d not in gate_days and d >= mission.start]
    holiday = {d for d in closed if grid.closed_days.get(d, "").startswith("holiday")}
    sets: list[tuple[str, list[dt.date], float, int | None]] = []
    if levers:
        for k, lever in levers:
            within = lever.within
            days = [d for d in closed if d in lever.dates or (
                (within is None or within.start <= d <= within.end)
                and (WEEKDAYS[d.weekday()] in lever.weekdays or (lever.holidays and d in holiday)))]
            sets.append((f"repairs lever {k + 1}", days, lever.unit_cost, lever.max))
    else:
        cost = DEFAULT_COSTS["workdays"]
        sets.append(("Saturday", [d for d in closed if d.weekday() == 5], cost, None))
        sets.append(("public holiday", [d for d in closed if d in holiday and d.weekday() != 5], cost, None))
    out: list[Fix] = []
    for what, days, cost, most in sets:
        days = days[-most:] if most is not None else days
        if not days:
            continue

        def probe(n: int, days: list[dt.date] = days) -> SolveStatus:
            chosen = days[-n:]
            return q.prober.status([(_workdays_key(chosen), add_workdays(chosen))], required)

        if probe(len(days)) != SolveStatus.FEASIBLE:
            continue
        found, exact = smallest(probe, len(days))
        n = found or len(days)
        chosen = days[-n:]
        listed = ", ".join(str(d) for d in chosen)
        name = what if what.startswith("repairs") else f"{n} {what}{'s' if n > 1 else ''}"
        out.append(Fix(_workdays_key(chosen), f"work on {name} before {deadline}: calendar.extra_workdays=[{listed}]",
                       cost * n, add_workdays(chosen), exact and found is not None))
    return out


def _workdays_key(days: list[dt.date]) -> str:
    return "calendar:" + ",".join(d.isoformat() for d in days)
