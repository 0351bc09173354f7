"""Fixes: single changes of a conflicting fact that make a goal achievable, with their costs.

The searches for the least change (window days, capacity units, weekly
hours) live here, one per kind that has one; every other kind is fixed by
relaxing its fact at the cost its kind declares (:mod:`.kinds`). Costs rank
fixes in arbitrary units: a day of window 1, 2 h more of a weekly load cap
4, a capacity unit 10, an instructor 30, cancelling an absence 40, opening a
resource's calendar or lifting load caps 60, waiving a rule (season,
recency, spacing, session pattern) 100, a gate deadline or a prerequisite 150.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from planner.analysis.explain.edits import add_instructor, set_value, window_earlier
from planner.analysis.explain.probes import Question
from planner.analysis.explain.types import Fact, Fix, GoalKey
from planner.constants import MAX_WINDOW_DAYS
from planner.data.result import SolveStatus
from planner.scenario.schema import Scenario

WAIVER = 100.0
WINDOW_DAY_COST = 1.0
WEEKLY_STEP_COST = 4.0  # per 2 h more of a weekly cap
CAPACITY_UNIT_COST = 10.0
INSTRUCTOR_COST = 30.0
LIFT_LOAD_COST = 0.6 * WAIVER

FixSearch = Callable[[Fact, Scenario, Question, list[GoalKey]], list[Fix]]


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
    """The fewest days to open the window earlier."""
    days = (sc.window.launch - sc.window.start).days
    found, exact = smallest(
        lambda d: q.prober.status([(f"window:{d}", window_earlier(d))], required), MAX_WINDOW_DAYS - days, 7
    )
    if found is None:
        return []
    start = sc.window.start - dt.timedelta(days=found)
    return [Fix(f"window:{found}", f"open the window {found} days earlier (on {start})", WINDOW_DAY_COST * found,
                window_earlier(found), exact)]


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
                f"{r.capacity + found}", CAPACITY_UNIT_COST * found,
                set_value("resources", rid, "capacity", r.capacity + found), exact)]


def load_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """The least raise of a weekly cap (2-hour steps), else lifting the caps."""
    pid = fact.key.split(":")[1]
    p = next(x for x in sc.participants if x.id == pid)
    assert p.load is not None and fact.edit is not None
    daily, weekly = p.load.max_hours_per_day, p.load.max_hours_per_week
    if weekly is not None:
        # Raise the weekly cap in 2-hour steps, up to every working hour of a week.
        steps = int((7 * sc.calendar.day_hours - weekly) // 2)

        def load(k: int) -> SolveStatus:
            value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * k}
            return q.prober.status([(f"load:{pid}:{k}", set_value("participants", pid, "load", value))], required)

        found, exact = smallest(load, steps) if steps > 0 else (None, False)
        if found is not None:
            value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * found}
            return [Fix(f"load:{pid}:{found}", f"raise {pid}'s weekly cap from {weekly:g} h to "
                        f"{weekly + 2 * found:g} h", WEEKLY_STEP_COST * found,
                        set_value("participants", pid, "load", value), exact)]
    return checked(Fix(f"load:{pid}:none", fact.relaxed, LIFT_LOAD_COST, fact.edit), q, required)


def instructor_fixes(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """One more instructor of the qualification."""
    qual = fact.key.split(":")[1]
    return checked(Fix(f"instructors:{qual}:1", f"add one instructor qualified for {qual}", INSTRUCTOR_COST,
                       add_instructor(qual, 1)), q, required)
