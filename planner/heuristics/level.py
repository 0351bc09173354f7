"""A level start for the plan phase: the squeaky-wheel greedy under the lowest weekly caps it can keep.

The ``level`` shape (:func:`planner.model.objective.plan_cost`) minimises the sum of the participants'
busiest weeks. CP-SAT's plan phase reaches a level plan slowly from the readiness plan (the MS-19 file:
the busiest weeks at their floor after 13 s on two cores). A greedy that is *told* the busiest week is
at most ``c`` hours (every participant's weekly cap lowered to ``c``) places the same programme in
milliseconds when ``c`` is reachable. So: the lowest common cap at which the greedy still meets as
many goals and places as many jobs as the uncapped start (a bisection), then, participant by
participant, the lowest cap of their own with the others kept.

Counted in greedy passes, so that the start is the same on any machine. Only a start: the plan phase
completes it into the model and keeps it only when it is at least as good, and both verifiers check
whatever is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from planner.data.problem import ProblemData
from planner.data.result import Schedule
from planner.heuristics.swo import SwoResult, squeaky_wheel

TRIAL_PASSES = 8
"""Greedy passes per cap tried: enough for the squeaky wheel to move a dropped job forward a few times."""


@dataclass(frozen=True)
class LevelStart:
    """The level start found: the schedule, each participant's weekly cap in slots, the passes used."""

    schedule: Schedule
    caps: tuple[int, ...]
    passes: int


def level_start(data: ProblemData, start: SwoResult, passes: int, seed: int = 0,
                seconds: float | None = None) -> LevelStart | None:
    """The schedule with the lowest weekly caps found within ``passes`` greedy passes (and ``seconds``,
    a safety limit in wall mode) that meets as many goals and places as many jobs as ``start``; each
    cap tried starts from the job order of the last success (at first ``start``'s). None if none does."""
    want = (start.goals_met, _placed(start.schedule))
    top = 7 * data.slots_per_day
    floor = [max((job.length for job in data.jobs if p in job.participants), default=0)
             for p in range(len(data.participants))]
    used, order, t0 = 0, start.order or None, time.perf_counter()
    best: LevelStart | None = None

    def attempt(caps: list[int], spread: int | None = None) -> bool:
        nonlocal used, best, order
        heavy = None if spread is None or best is None else _heavy_weeks(data, best.schedule, spread)
        result = squeaky_wheel(_capped(data, caps, spread, heavy), seconds=None,
                               passes=min(TRIAL_PASSES, passes - used), seed=seed, stall=TRIAL_PASSES, order=order)
        used += result.passes
        ok = result.goals_met >= want[0] and _placed(result.schedule) >= want[1]
        if ok:
            best, order = LevelStart(result.schedule, tuple(caps), used), result.order
        return ok

    def left() -> bool:  # every attempt is made through this guard: passes, then the wall safety limit
        return used < passes and (seconds is None or time.perf_counter() - t0 < seconds)

    # The lowest common cap (bisection: the greedy is not monotone in it, but nearly so).
    lo, hi = max(floor, default=0), top
    caps = [hi] * len(data.participants)
    while lo < hi and left():
        mid = (lo + hi) // 2
        if attempt([mid] * len(caps)):
            hi, caps = mid, [mid] * len(caps)
        else:
            lo = mid + 1
    if best is None:
        return None
    # Then spread: every week but the busiest ones of the plan so far capped lower still, so that the
    # programme does not end weeks before the exams (level's second term: no idle weeks).
    lo, hi = min(floor, default=0), max(caps, default=0)
    spread = None
    while lo < hi and left():
        mid = (lo + hi) // 2
        if attempt(caps, mid):
            hi, spread = mid, mid
        else:
            lo = mid + 1
    # Last, each participant's own cap, the busiest (by hours to train) first.
    hours = [sum(job.num_sessions * job.length for job in data.jobs if p in job.participants)
             for p in range(len(data.participants))]
    for p in sorted((q for q in range(len(caps)) if hours[q]), key=lambda q: (-hours[q], q)):
        lo, hi = floor[p], caps[p]
        while lo < hi and left():
            mid = (lo + hi) // 2
            trial = [*caps[:p], mid, *caps[p + 1:]]
            if attempt(trial, spread):
                hi, caps = mid, trial
            else:
                lo = mid + 1
    return best


def _heavy_weeks(data: ProblemData, schedule: Schedule, spread: int) -> list[set[int]]:
    """Per participant, the weeks in which ``schedule`` has more than ``spread`` slots of their training
    that cannot be split over two weeks: the runs of consecutive-day modules, and sessions longer than
    ``spread`` (the water survival's three days stay in one week, whatever the cap)."""
    load: dict[tuple[int, int], int] = {}
    for s in schedule.sessions:
        job = data.jobs[s.job]
        if not job.consecutive and job.length <= spread:
            continue
        for p in job.participants:
            key = (p, data.week(s.start // data.slots_per_day))
            load[key] = load.get(key, 0) + s.end - s.start
    heavy: list[set[int]] = [set() for _ in data.participants]
    for (p, w), v in load.items():
        if v > spread:
            heavy[p].add(w)
    return heavy


def _placed(schedule: Schedule) -> int:
    return len({s.job for s in schedule.sessions})


def _capped(data: ProblemData, caps: list[int], spread: int | None = None,
            heavy: list[set[int]] | None = None) -> ProblemData:
    """``data`` with every participant's weekly caps lowered to ``caps`` (their own stay where lower) and,
    with ``spread``, to ``spread`` in every week but their ``heavy`` ones."""
    people = []
    for p, (who, cap) in enumerate(zip(data.participants, caps, strict=True)):
        if spread is None:
            people.append(replace(who, weekly_cap=cap if who.weekly_cap is None else min(who.weekly_cap, cap),
                                  week_caps=tuple((w, min(c, cap)) for w, c in who.week_caps)))
            continue
        low = min(cap, spread)
        weekly = low if who.weekly_cap is None else min(who.weekly_cap, low)
        week_caps = []
        for w in range(data.num_weeks):
            own = who.cap_in_week(w)
            top = cap if heavy is not None and w in heavy[p] else low
            target = top if own is None else min(own, top)
            if target != weekly:
                week_caps.append((w, target))
        people.append(replace(who, weekly_cap=weekly, week_caps=tuple(week_caps)))
    return replace(data, participants=tuple(people))
