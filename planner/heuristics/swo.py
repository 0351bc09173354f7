"""Squeaky-wheel search over the greedy list scheduler's job order.

The greedy (:mod:`planner.heuristics.greedy`) takes jobs in due-date order and drops a
job it cannot fit. Repeated with a changing order, it becomes a primal
heuristic for training scenarios, the counterpart of the activity-list GA
for PSPLIB: every pass is decoded by the same list scheduler; a job that
was dropped ("the squeaky wheel") moves forward in the order together with
its prerequisites, by a random amount, and a little noise reorders the
rest (Joslin & Clements 1999). Jobs that goals need are capped at the
goal's due day in this search, so a placed job always counts.

The best schedule (most goals met, then most jobs placed, then the
earliest finish) is only a start for CP-SAT: it is never reported without
both verifiers, like any other plan. Pure Python, no solver; seeded and
counted in passes when determinism matters.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from planner.data.problem import ProblemData
from planner.data.result import Schedule
from planner.heuristics.greedy import due_days, greedy_schedule, spare_first
from planner.verify.checks import goals_achieved

NOISE = 0.3  # days: standard deviation of the order noise after each pass
BOOST = (1.0, 5.0)  # days: range of the random move forward of a dropped job
RESTART = 0.1  # chance that a pass starts again from the best order


@dataclass(frozen=True)
class SwoResult:
    """The best schedule found and what it achieved."""

    schedule: Schedule
    goals_met: int
    jobs_placed: int
    passes: int
    first_goals_met: int  # the plain greedy pass (the first), for comparison
    order: tuple[float, ...] = ()  # the job priorities that gave the schedule (a start for another search)


def _score(data: ProblemData, schedule: Schedule, dropped: int) -> tuple[int, int, int]:
    met = sum(goals_achieved(data, schedule))
    finish = max((s.end for s in schedule.sessions), default=0)
    return met, len(data.jobs) - dropped, -finish


def squeaky_wheel(
    data: ProblemData, seconds: float | None = 1.0, passes: int | None = None, seed: int = 0, stall: int = 400,
    order: Sequence[float] | None = None,
) -> SwoResult:
    """Best greedy schedule over re-ordered passes.

    Stops when every goal is met, after ``passes`` passes or ``seconds``
    (whichever is given and comes first), or after ``stall`` passes without
    a better schedule. The first pass is the plain
    :func:`planner.heuristics.greedy.greedy_schedule`, so the result is never worse;
    the search passes then cap each job at its due day and give a drill
    that several pools may teach to the least demanded instructor
    (:func:`planner.heuristics.greedy.spare_first`). ``order`` (a result's :attr:`SwoResult.order`)
    replaces both the plain first pass and the search's first order.
    """
    rng = random.Random(seed)
    due, before = due_days(data)
    n = len(data.jobs)
    size = [job.num_sessions * job.length for job in data.jobs]
    # The greedy's own order: due day, then the largest job first.
    key = ([float(due.get(j, data.num_days)) - size[j] / (1 + max(size, default=0)) for j in range(n)]
           if order is None else list(order))
    index = {job.id: j for j, job in enumerate(data.jobs)}
    teachers = spare_first(data)  # the same for every pass
    t0 = time.perf_counter()
    # The plain greedy first, so that the result is never worse than it.
    best, failed = greedy_schedule(data) if order is None else greedy_schedule(data, key, teachers)
    best_key, best_score, count, since = list(key), _score(data, best, len(failed)), 1, 0
    first = best_score[0]
    while best_score[0] < len(data.goals) and (passes is None or count < passes):
        schedule, failed = greedy_schedule(data, key, teachers)
        count += 1
        score = _score(data, schedule, len(failed))
        if score > best_score:
            best_key, best, best_score, since = list(key), schedule, score, 0
        else:
            since += 1
        if (best_score[0] == len(data.goals) or since >= stall or (passes is not None and count >= passes)
                or (seconds is not None and time.perf_counter() - t0 >= seconds)):
            break
        if rng.random() < RESTART:
            key = list(best_key)
        for jid, why in failed.items():
            if why.startswith("its prerequisite"):
                continue  # it never had a chance: its prerequisite is what squeaks
            boost = rng.uniform(*BOOST)
            stack, seen = [index[jid]], set()
            while stack:
                x = stack.pop()
                if x not in seen:
                    seen.add(x)
                    key[x] -= boost
                    stack.extend(before[x])
        for j in range(n):
            key[j] += rng.gauss(0.0, NOISE)
    return SwoResult(best, best_score[0], best_score[1], count, first, tuple(best_key))
