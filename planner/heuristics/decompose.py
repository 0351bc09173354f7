"""A plan meeting every goal, built one participant at a time (a decomposition start).

Where the hours of a window are exactly spent (zero spare hours: every day of a
participant packed), the whole model's search may find no plan in minutes while
each participant alone is packed in seconds. This heuristic plans the
participants in turn, largest programme first: each step asks CP-SAT for a plan
of the participant's jobs and goals together with every job already placed,
pinned where it was placed (:attr:`planner.data.problem.Job.pinned`, a search
restriction), so later participants fit around earlier ones on the shared
resources and instructors. When a step fails, it is asked once more with the
jobs of the participant's crew-mates released (joint crew sessions fixed by a
crew-mate are the usual cause). Each search branches on the earliest start
first, the schedule-or-postpone style that packs days well.

It only ever finds plans: a failed step proves nothing (the pins are choices,
not rules). Every step is a relaxation of the whole problem with restrictions
added, and the final schedule is checked by the independent verifier against
the whole problem before it is returned, like any other plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection

from planner.data.problem import ProblemData, restrict
from planner.data.result import Schedule, ScheduledSession, SolveStatus
from planner.heuristics.swo import squeaky_wheel
from planner.solve.budget import Budget
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.params import SolveParams
from planner.verify.checks import goals_achieved, verify_schedule

Say = Callable[[str], None]


def by_participant(data: ProblemData, params: SolveParams, budget: Budget, goals: tuple[int, ...] | None = None,
                   say: Say | None = None) -> Schedule | None:
    """A verified schedule of ``data`` meeting every goal of ``goals`` (None: all), or None.

    ``budget`` is split by the size of each participant's programme (its slots): a search of participant
    p gets ``budget.seconds x slots(p) / (1.5 x all slots)`` CP-SAT work units (room for a retry for every
    other step) and is charged that much whatever it used, so the searches' limits and their number, and
    so the plan, are the same on any machine, in wall mode too (there the clock only caps each search at
    what the budget has left: with a wall-clock split, two busy processes on the 2-core machine left the
    82-day MS-19 decomposition too little time and min-window answered a range)."""
    wanted = set(range(len(data.goals)) if goals is None else goals)
    slots = [_slots(data, p) for p in range(len(data.participants))]
    order = sorted(range(len(slots)), key=lambda p: (-slots[p], p))
    size = {p: max(1, slots[p]) for p in order}
    placed: dict[int, list[ScheduledSession]] = {}  # job -> its sessions, as placed
    done: list[int] = []  # goals of the participants planned so far
    for p in order:
        mine = [g for g in sorted(wanted) if data.goals[g].participant == p]
        crew = {q for q, part in enumerate(data.participants) if part.crew == data.participants[p].crew}
        step, how = None, "no plan"
        for free in (set(), crew):  # pinned as placed; then with the crew-mates' jobs released
            if free and not any(free & set(data.jobs[j].participants) for j in placed):
                break  # nothing to release: the retry would be the same search
            if budget.remaining() <= 1e-9:
                return None
            # Work units whatever the mode, so that whether a step succeeds does not depend on machine load;
            # wall mode only caps each search at what the clock leaves.
            limit = budget.seconds * size[p] / (1.5 * sum(size.values()))
            budget.charge(limit)  # the whole limit: the next steps' limits must not depend on this one's work
            step = _step(data, p, placed, done + mine, free, params, limit, None if budget.deterministic else budget.remaining())
            if step is not None:
                how = "placed, crew-mates' sessions moved" if free else "placed"
                break
        if say is not None:
            say(f"{data.participants[p].id}: {how}")
        if step is None:
            return None
        placed, done = step, done + mine
    schedule = Schedule(tuple(sorted(s for sessions in placed.values() for s in sessions)))
    met = goals_achieved(data, schedule)
    if verify_schedule(data, schedule) or not all(met[g] for g in wanted):
        return None  # never trusted unchecked: a bug in a step's sub-problem shows here, not in a plan
    return schedule


def _slots(data: ProblemData, p: int) -> int:
    """The slots of training participant ``p`` takes part in (their whole programme)."""
    return sum(job.num_sessions * job.length for job in data.jobs if p in job.participants)


def _step(data: ProblemData, p: int, placed: dict[int, list[ScheduledSession]], goals: list[int], free: set[int],
          params: SolveParams, limit: float, wall: float | None) -> dict[int, list[ScheduledSession]] | None:
    """The jobs placed so far and ``p``'s, planned together to meet ``goals``: the placed jobs pinned
    unless one of ``free`` takes part in them, in ``limit`` work units (``wall``: at most so many seconds,
    else the deterministic safety limit). Returns every job's sessions, or None."""
    keep = sorted({j for j, job in enumerate(data.jobs) if p in job.participants} | set(placed)
                  | {j for g in goals for group in data.goals[g].groups for j in group})
    jobs = list(data.jobs)
    for j, sessions in placed.items():
        if not free & set(jobs[j].participants):  # pins are of the sessions still to place (not history)
            jobs[j] = dataclasses.replace(jobs[j], pinned=tuple(
                s.start for s in sorted(sessions, key=lambda s: s.index) if s.index >= jobs[j].num_fixed))
    position = {j: n for n, j in enumerate(keep)}
    sub = restrict(dataclasses.replace(data, jobs=tuple(jobs)), keep, goals)
    # A retry keeps the placed jobs as a hint: most of them can stay.
    hint = Schedule(tuple(dataclasses.replace(s, job=position[s.job]) for ss in placed.values() for s in ss)) if free else None
    # One worker: the earliest-start-first search is the point, and a portfolio time-sliced on a
    # small machine would give it a fraction of a core.
    ask = dataclasses.replace(params, time_limit=max(0.01, limit), num_workers=1, deterministic=True, wall_cap=wall)
    status, schedule = plan_meeting_goals(sub, None, ask, hint=hint, earliest_first=True)
    if status != SolveStatus.FEASIBLE or schedule is None:
        return None
    out: dict[int, list[ScheduledSession]] = {}
    for s in schedule.sessions:
        out.setdefault(keep[s.job], []).append(dataclasses.replace(s, job=keep[s.job]))
    return out


GREEDY_PASSES = 20
"""Squeaky-wheel passes of :func:`greedy_meeting` (counted, so the same on any machine; tens of
milliseconds on the MS-19 files)."""


def greedy_meeting(data: ProblemData, goals: Collection[int] | None = None, seed: int = 0,
                   passes: int = GREEDY_PASSES) -> Schedule | None:
    """The squeaky-wheel greedy's schedule when it meets every goal of ``goals`` (None: all) and the independent
    verifier passes it (a plan at once, where a cold search of a zero-spare window may find none in its limit),
    else None."""
    found = squeaky_wheel(data, seconds=None, passes=passes, seed=seed).schedule
    met = goals_achieved(data, found)
    wanted = range(len(met)) if goals is None else goals
    return found if all(met[g] for g in wanted) and not verify_schedule(data, found, met) else None
