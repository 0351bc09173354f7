"""Fixes: single changes of a conflicting fact that make a goal achievable, with their costs.

The searches for the least change (window days, capacity units, weekly
hours) live here, one per kind that has one; every other kind is fixed by
relaxing its fact at the cost its kind declares (:mod:`.kinds`). Costs rank
fixes in the points of ``planner repair`` (:func:`unit_cost`: the scenario's
lever of that kind, else ``repairs.py``'s default): a day of window 16, an hour
more of a weekly load cap 4, a closed day worked 8, a capacity unit
40, an instructor 60; without a lever kind: cancelling an absence 40, a campaign resource's extra days at its ``dates``
lever's cost per day (20 for the default lever; with no such lever, the
resource on any working day at 60), lifting load caps 60, waiving a rule
(recency, spacing, session pattern) 100,
a gate deadline or a prerequisite 150. Waivers are listed after every real
fix whatever their cost (:attr:`Fix.order`). A fix no repair lever makes says so (:func:`by_lever`).

Physical facts are never proposed as fixes unless the scenario's
``repairs.levers`` declares them: a resource's season (``available``) only
through a ``dates`` lever for that resource, at its cost per day; a module's
season (``allowed``) and the gates never (no lever kind moves them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

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
from planner.analysis.explain.types import Edit, Fact, Fix, GoalKey, Plain
from planner.analysis.window_target import resolve_target
from planner.calendar.grid import build_grid, gate_date, in_season
from planner.calendar.missions import mission_times, participant_missions
from planner.constants import MAX_WINDOW_DAYS
from planner.data.levers import LeverDef, lever_defs, week_raise
from planner.data.result import SolveStatus
from planner.scenario.repairs import DEFAULT_COSTS, LoadLever
from planner.scenario.schema import Participant, Scenario

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


def by_lever(fix: Fix, sc: Scenario) -> Fix:
    """``fix``, its text saying so when no lever of ``planner repair`` makes the change (the kind or the
    amount is not among the scenario's levers, declared or default): explain shows every single change
    that works, repair chooses only among the levers, and the two must not read as contradicting."""
    kind, *parts = fix.key.split(":")
    if kind in ("dates", "calendar", "icapacity", "loadweeks"):  # these come from the levers
        return fix
    amount = int(parts[-1]) if parts and parts[-1].isdigit() else 0
    levers = lever_defs(sc)
    if kind == "window" and len(parts) == 1:
        ok = any(lv.kind == "start" and lv.most >= amount for lv in levers)
    elif kind == "window":  # window:<mission>:<block or ''>:<days>
        ok = bool(parts[1]) and any(lv.kind == "block" and lv.target == f"{parts[0]}/{parts[1]}"
                                    and lv.most >= amount for lv in levers)
    elif kind == "capacity":
        ok = any(lv.kind == "capacity" and lv.week and lv.target == parts[0] and lv.most >= amount for lv in levers)
    elif kind == "instructors":
        ok = any(lv.kind == "instructor" and lv.target == parts[0] and lv.most >= amount for lv in levers)
    elif kind == "load" and parts[-1] != "none":
        step = sc.calendar.slot_minutes / 60
        ok = any(lv.kind == "load" and lv.week and lv.weeks is None and parts[0] in lv.participants
                 and lv.most * lv.step >= amount * step - 1e-9 for lv in levers)
    elif kind == "loadday":
        step = sc.calendar.slot_minutes / 60
        ok = any(lv.kind == "load" and not lv.week and parts[0] in lv.participants
                 and lv.most * lv.step >= amount * step - 1e-9 for lv in levers)
    else:
        ok = False  # a relaxed fact: lifting caps, an availability, a block tie, a campaign on any day
    return fix if ok else replace(fix, text=f"{fix.text} (no repair lever)", lever=False)


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
    """The least raise of the weekly caps, as ``repair``'s whole-window load lever raises them: the weekly cap
    and each week's own cap (``load.weeks``) by as much, one slot at a time; else lifting the caps."""
    pid = fact.key.split(":")[1]
    p = next(x for x in sc.participants if x.id == pid)
    assert p.load is not None and fact.edit is not None
    out = _some_weeks(sc, q, required, p) + _daily(sc, q, required, p)
    daily, weekly = p.load.max_hours_per_day, p.load.max_hours_per_week
    own = [w.model_dump(mode="json", by_alias=True) for w in p.load.weeks]
    if weekly is not None or own:
        step = sc.calendar.slot_minutes / 60
        lowest = min([*([weekly] if weekly is not None else []), *(w["max_hours_per_week"] for w in own)])
        steps = int((7 * sc.calendar.day_hours - lowest) / step + 1e-9)  # until the lowest cap is every hour

        def value(k: int) -> dict[str, object]:
            weeks = [{**w, "max_hours_per_week": w["max_hours_per_week"] + step * k} for w in own]
            return {"max_hours_per_day": daily, "max_hours_per_week": None if weekly is None else weekly + step * k,
                    **({"weeks": weeks} if own else {})}

        found, exact = _least_load(q, required, f"load:{pid}", pid, value, steps, max(1, round(2 / step))) \
            if steps > 0 else (None, False)
        if found is not None:
            more = step * found
            text = (f"raise {pid}'s weekly cap from {weekly:g} h to {weekly + more:g} h"
                    + (f" (and each week's own cap by {more:g} h)" if own else "") if weekly is not None
                    else f"raise {pid}'s weekly caps of their own weeks by {more:g} h")
            return [*out, Fix(f"load:{pid}:{found}", text, unit_cost(sc, "load", participant=pid) * more,
                              set_value("participants", pid, "load", value(found)), exact)]
    return [*out, *checked(Fix(f"load:{pid}:none", fact.relaxed, LIFT_LOAD_COST, fact.edit), q, required)]


def _least_load(q: Question, required: list[GoalKey], key: str, pid: str, value: Callable[[int], dict[str, object]],
                steps: int, first: int = 1) -> tuple[int | None, bool]:
    """The least ``k`` in ``1..steps`` whose load caps ``value(k)`` for participant ``pid`` make ``required``
    achievable (:func:`smallest`); each probe is cached under ``key:k``."""
    return smallest(lambda k: q.prober.status([(f"{key}:{k}", set_value("participants", pid, "load", value(k)))],
                                              required), steps, first)


def _daily(sc: Scenario, q: Question, required: list[GoalKey], p: Participant) -> list[Fix]:
    """The least raise of participant ``p``'s daily cap, one slot at a time up to the working day, priced by the
    daily load lever covering ``p`` (repair's; a daily cap was only lifted whole, at 60 points, where repair's
    default lever raised it by 2 h for 8)."""
    assert p.load is not None
    daily = p.load.max_hours_per_day
    step = sc.calendar.slot_minutes / 60
    steps = 0 if daily is None else int((sc.calendar.day_hours - daily) / step + 1e-9)
    if daily is None or steps <= 0:
        return []
    lever = min((lv for lv in lever_defs(sc) if lv.kind == "load" and not lv.week and p.id in lv.participants),
                key=lambda lv: lv.unit_cost, default=None)  # the cheapest, as repair would choose
    now = p.load.model_dump(mode="json", by_alias=True)

    def value(k: int) -> dict[str, object]:
        return {**now, "max_hours_per_day": daily + step * k}

    found, exact = _least_load(q, required, f"loadday:{p.id}", p.id, value, steps)
    if found is None:
        return []
    more = step * found
    cost = (lever.unit_cost if lever is not None else DEFAULT_COSTS["load"]) * more
    return [Fix(f"loadday:{p.id}:{found}", f"raise {p.id}'s daily cap from {daily:g} h to {daily + more:g} h", cost,
                set_value("participants", p.id, "load", value(found)), exact)]


def _some_weeks(sc: Scenario, q: Question, required: list[GoalKey], p: Participant) -> list[Fix]:
    """Through each declared weekly load lever of some weeks only (``within``) that covers participant ``p``: the
    least raise of those weeks' caps that works, written and priced as ``repair`` makes it (explain offered
    only the whole-window raise, at 32 points where the lever's 8 do)."""
    assert p.load is not None
    out = []
    for lv in lever_defs(sc):
        if lv.kind != "load" or not lv.week or lv.weeks is None or p.id not in lv.participants or not lv.most:
            continue

        def value(k: int, lv: LeverDef = lv) -> dict[str, object]:
            assert p.load is not None
            load = p.load.model_dump(mode="json", by_alias=True)
            for change in week_raise(p, lv, k * lv.step):
                load[change.path.rsplit(".", 1)[1]] = change.value
            return load

        found, exact = _least_load(q, required, f"loadweeks:{p.id}:{lv.number}", p.id, value, lv.most)
        if found is not None:
            hours = found * lv.step
            out.append(Fix(f"loadweeks:{p.id}:{lv.number}:{found}",
                           f"raise {p.id}'s weekly caps by {hours:g} h in the weeks of {lv.weeks[0]} .. {lv.weeks[1]} "
                           f"(repairs lever {lv.number})", lv.unit_cost * hours,
                           set_value("participants", p.id, "load", value(found)), exact))
    return out


def instructor_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """One more instructor of the qualification; and, through each ``capacity`` lever of an instructor who
    holds it, the fewest more sessions at a time for that instructor (as ``repair`` would raise it)."""
    qual = fact.key.split(":")[1]
    out = checked(Fix(f"instructors:{qual}:1", f"add one instructor qualified for {qual}",
                      unit_cost(sc, "instructor", qualification=qual), add_instructor(qual, 1)), q, required)
    holders = {i.id: i for i in sc.instructors if qual in i.qualifications}
    for lever in lever_defs(sc):
        if lever.kind != "capacity" or lever.week or lever.target not in holders:
            continue
        now = holders[lever.target].capacity

        def more(k: int, iid: str = lever.target, now: int = now) -> SolveStatus:
            return q.prober.status([(f"icapacity:{iid}:{k}", set_value("instructors", iid, "capacity", now + k))],
                                   required)

        found, exact = smallest(more, lever.most) if lever.most > 0 else (None, False)
        if found is not None:
            out.append(Fix(f"icapacity:{lever.target}:{found}", f"let {lever.target} teach {now + found} sessions at "
                           f"a time (was {now}; repairs lever {lever.number})", lever.unit_cost * found,
                           set_value("instructors", lever.target, "capacity", now + found), exact))
    return out


def never_fixed(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """No fix: a module's season is a physical fact and no ``repairs`` lever changes it."""
    return []


def available_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """A resource's season widened by each ``dates`` lever for it (none without one: a season is a
    physical fact); an instructor's availability relaxed at the kind's cost (a contract, not a season)."""
    parts = fact.key.split(":")
    if parts[1] == "instructor":
        assert fact.edit is not None
        return checked(Fix(f"{fact.key}:relax", fact.relaxed, INSTRUCTOR_AVAILABLE_COST, fact.edit), q, required)
    return _dates_fixes(parts[1], sc, q, required)


def campaign_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """More days of a campaign resource (one with ``available_dates``), through each ``dates`` lever for it
    (declared, or the default one ``repairs.defaults`` adds). Without such a lever: the resource on any
    working day, at the kind's cost."""
    rid = fact.key.split(":")[1]
    if not any(lv.kind == "dates" and lv.target == rid for lv in lever_defs(sc)):
        assert fact.edit is not None
        return checked(Fix(f"{fact.key}:relax", fact.relaxed, CAMPAIGN_COST, fact.edit), q, required)
    return _dates_fixes(rid, sc, q, required)


SINGLE_DAY_TRIES = 8
"""Days tried alone when a lever's fewest days, in its order, are more than one: a day farther in that order
may do alone what the nearer ones do together (the one Saturday the aircraft flies)."""


def _fewest(days: list[dt.date], probe: Callable[[list[dt.date]], SolveStatus],
            most: int | None = None) -> tuple[list[dt.date], bool] | None:
    """The fewest of ``days`` (in order of preference), at most ``most`` (a lever's ``max``), that work, and
    whether that is proven; None when no set tried works. A prefix found by :func:`smallest` when the first
    ``most`` work together, then, when it has more than one day (or none works), each day alone (at most
    :data:`SINGLE_DAY_TRIES`, from all of the lever's days); one day is the fewest possible."""
    top = len(days) if most is None else min(most, len(days))
    n = None
    if top and probe(days[:top]) == SolveStatus.FEASIBLE:
        found, _ = smallest(lambda k: probe(days[:k]), top)
        n = found or top
        if n == 1:
            return days[:1], True
    for day in days[:SINGLE_DAY_TRIES]:
        if probe([day]) == SolveStatus.FEASIBLE:
            return [day], True
    return None if n is None else (days[:n], False)


def _dates_fixes(rid: str, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """Per ``dates`` lever of resource ``rid`` (``repair``'s, so that both offer the same days at the same
    cost): the fewest of its working days that work, those nearest the resource's own days first, at the
    lever's cost per day. The fewest is proven only when it is one day: a day farther away may serve where a
    nearer one does not."""
    res = next(r for r in sc.resources if r.id == rid)
    grid = build_grid(sc)
    working = {d for d, is_open in zip(grid.days, grid.open, strict=True) if is_open}
    own = [d for d in grid.days if d in res.available_dates or (res.available and in_season(res.available, d))]
    out: list[Fix] = []
    for lever in (lv for lv in lever_defs(sc) if lv.kind == "dates" and lv.target == rid):
        days = sorted((d for d in lever.dates if d in working),
                      key=lambda d: (min((abs((d - a).days) for a in own), default=0), d))
        if not days:
            continue

        def edit(chosen: list[dt.date]) -> Edit:
            # Both lists where the resource has both (a day must be in each to open), as repair's edit does.
            edits = [e for e in (add_dates(rid, chosen) if res.available_dates else None,
                                 add_season(rid, [(d, d) for d in chosen]) if res.available or not res.available_dates
                                 else None) if e is not None]

            def both(plain: Plain) -> None:
                for e in edits:
                    e(plain)

            return both

        def probe(chosen: list[dt.date]) -> SolveStatus:
            return q.prober.status([(_dates_key(rid, chosen), edit(chosen))], required)

        fewest = _fewest(days, probe, lever.max_days)
        if fewest is None:
            continue
        chosen, exact = sorted(fewest[0]), fewest[1]
        n = len(chosen)
        which = f"repairs lever {lever.number}" if lever.declared else "default dates lever"
        out.append(Fix(_dates_key(rid, chosen), f"open {rid} on {n} more working day{'s' if n > 1 else ''}: "
                       f"{', '.join(str(d) for d in chosen)} ({which})", lever.unit_cost * n, edit(chosen), exact))
    return out


def _dates_key(rid: str, days: list[dt.date]) -> str:
    return f"dates:{rid}:" + ",".join(d.isoformat() for d in sorted(days))


def calendar_fixes(sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """Work on days the calendar closes, before the goal's deadline, through each ``workdays`` lever
    (``repair``'s: declared, or the default one of Saturdays, Sundays and public holidays): the fewest of
    its days, latest first. Each lever's days are tried whole; when they work, the fewest nearest the
    deadline that still work, at the lever's cost per day. The fewest is proven only when it is one day:
    an earlier day may serve where a later one does not (the aircraft flies that Saturday)."""
    grid = build_grid(sc)
    which = dict(zip((p.id for p in sc.participants), participant_missions(sc), strict=True))
    mission = mission_times(sc)[which[q.goal[0]]]
    comp = next(c for c in sc.competencies if c.id == q.goal[1])
    deadline = min(grid.training_end, mission.training_end)
    if comp.deadline:
        deadline = min(deadline, gate_date(mission.gate(comp.deadline), mission.launch))
    gate_days = mission.gate_days()  # closed to this mission's people on the grid, or only to them
    out: list[Fix] = []
    for lever in (lv for lv in lever_defs(sc) if lv.kind == "workdays"):
        days = [d for d in lever.dates if mission.start <= d < deadline and d not in gate_days]
        if not days:
            continue

        def probe(chosen: list[dt.date]) -> SolveStatus:
            chosen = sorted(chosen)
            return q.prober.status([(_workdays_key(chosen), add_workdays(chosen))], required)

        fewest = _fewest(days[::-1], probe, lever.max_days)  # nearest the deadline first
        if fewest is None:
            continue
        chosen, exact = sorted(fewest[0]), fewest[1]
        n = len(chosen)
        listed = ", ".join(str(d) for d in chosen)
        what = f"repairs lever {lever.number}" if lever.declared else "default workdays lever"
        out.append(Fix(_workdays_key(chosen), f"work on {n} closed day{'s' if n > 1 else ''} before {deadline} "
                       f"({what}): calendar.extra_workdays+=[{listed}]", lever.unit_cost * n, add_workdays(chosen),
                       exact))
    return out


def _workdays_key(days: list[dt.date]) -> str:
    return "calendar:" + ",".join(d.isoformat() for d in days)
