"""Keeping a published plan: re-plan only the sessions a change forces to move, and their ring.

A what-if against a published plan (``whatif``/``compare --against``) wants the
fewest moved sessions. A re-plan of the whole programme rarely finds them in
time: the model is large and most published sessions could stay. Here the
jobs whose published sessions are no longer allowed (a new outage, a changed
module) are freed first, every other job pinned to its published slots
(:attr:`planner.data.problem.Job.pinned`, a search restriction, not a rule);
the ring grows (the freed jobs' participants, then the jobs sharing a resource
or an instructor with them) until a plan meets every goal. Pinning only
restricts the search, so whatever plan is found is a plan of the full problem
(checked by both verifiers like any other); when no ring meets every goal the
caller re-plans the whole programme, as before.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from planner.data.days import allowed_days
from planner.data.problem import ProblemData
from planner.data.result import Result, Schedule, SolveStatus
from planner.solve.budget import Budget, Share
from planner.solve.run import Progress, SolveParams, solve

# Of a what-if's solve budget: the pinned rings, before any whole re-plan (the rest).
KEEP_PUBLISHED = Share(0.5, deterministic=0.5)


def _published(data: ProblemData) -> dict[int, list[int]]:
    by_job: dict[int, list[int]] = defaultdict(list)
    for (j, _k), at in sorted(data.baseline.items()):
        by_job[j].append(at)
    return by_job


def broken_jobs(data: ProblemData) -> set[int]:
    """Jobs whose published sessions cannot all stay: another number of sessions, a day no
    longer allowed (calendars, seasons, outages, recency, deadlines), or none published."""
    S = data.slots_per_day
    out = set()
    published = _published(data)
    for j, job in enumerate(data.jobs):
        starts = published.get(j, [])
        todo = job.num_sessions - job.num_fixed
        if len(starts) != todo or not todo:
            out.add(j)
            continue
        days, last = set(allowed_days(data, j)), set(allowed_days(data, j, last=True))
        if any((at // S) not in (last if k == todo - 1 else days) or at % S > S - job.length
               for k, at in enumerate(starts)):
            out.add(j)
    return out


def rings(data: ProblemData, core: set[int]) -> list[set[int]]:
    """The free sets to try, growing: the broken jobs; every job of their participants; and the
    jobs sharing a resource or a qualified instructor with those."""
    people = {p for j in core for p in data.jobs[j].participants}
    second = core | {j for j, job in enumerate(data.jobs) if people & set(job.participants)}
    used = {r for j in second for r, _ in data.jobs[j].resources}
    teach = {i for j in second for i in data.jobs[j].instructors}
    third = second | {j for j, job in enumerate(data.jobs)
                      if used & {r for r, _ in job.resources} or teach & set(job.instructors)}
    return [ring for k, ring in enumerate((core, second, third)) if k == 0 or ring != (core, second, third)[k - 1]]


def keep_published(data: ProblemData, params: SolveParams, budget: Budget,
                   progress: Progress | None) -> tuple[Result | None, Schedule | None]:
    """A plan meeting every goal that moves only sessions of the smallest ring that allows one (None: no
    ring does within ``budget``, re-plan the whole programme), and the ring plan meeting the most goals
    (a start for that whole re-plan, close to the published plan)."""
    if not data.baseline or not data.goals:
        return None, None
    published = _published(data)
    tries = rings(data, broken_jobs(data))
    best: Result | None = None
    for k, free in enumerate(tries):
        pinned = tuple(job if j in free else dataclasses.replace(job, pinned=tuple(published[j]))
                       for j, job in enumerate(data.jobs))
        step = budget.part(budget.rest() / (len(tries) - k))
        result = solve(dataclasses.replace(data, jobs=pinned), params.within(step.seconds), progress, budget=step)
        if result.schedule is not None and result.num_goals_met == len(data.goals):
            # Every goal is met, so readiness is settled; the fewest moves is proven only within the ring.
            ring = f"sessions of {len(free)} of {len(data.jobs)} jobs free to move, the rest kept where published"
            phases = tuple(dataclasses.replace(ph, status=SolveStatus.FEASIBLE, bound=None, details=(*ph.details, ("kept", ring)))
                           if ph.phase == "plan" and ph.status == SolveStatus.OPTIMAL else ph for ph in result.phases)
            return dataclasses.replace(result, phases=phases, bound=None), None
        if result.schedule is not None and (best is None or result.num_goals_met > best.num_goals_met):
            best = result
    return None, best.schedule if best is not None else None
