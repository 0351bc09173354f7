"""Proofs from relaxations: one participant's part of the problem alone.

Each participant's part (their jobs and goals; crew-mates only in joint
sessions; every shared capacity kept) is a relaxation of the whole problem:
a schedule of the whole, cut down to the part, is a schedule of the part. So
if the part cannot meet all its goals, the whole cannot meet all goals. The
parts are small, and CP-SAT often proves them infeasible where the whole
model does not finish, e.g. a trainee whose own hours do not fit under a
weekly cap around fixed campaign days.
"""

from __future__ import annotations

import time
from dataclasses import replace

from planner.data import ProblemData, participant_part
from planner.result import SolveStatus
from planner.solve import SolveParams, feasible_plan


def _signature(part: ProblemData, p: int) -> tuple[object, ...]:
    """What makes two participants' relaxed sub-problems the same (ids aside):
    the same jobs, lags, goals and caps, e.g. the doctors of two crews."""
    jobs = tuple((j.module, j.num_sessions, j.length, j.open_days, j.season_days, j.last_open_days, j.resources,
                  j.instructors, j.min_gap_days, j.consecutive, j.rest_days_after, j.deadline_day, j.mandatory,
                  j.fixed_starts, len(j.participants)) for j in part.jobs)
    goals = tuple((g.competency, g.groups, g.deadline_day) for g in part.goals)
    who = part.participants[p]
    return jobs, part.precedences, goals, tuple((s.first, s.second, s.days) for s in part.spacing), \
        (who.daily_cap, who.weekly_cap)


def participant_parts(data: ProblemData) -> list[tuple[int, ProblemData]]:
    """Each participant's part alone (one per distinct sub-problem), the most loaded first.

    "Most loaded": hours to train per open working slot of the window under
    the participant's caps, so that the part most likely to be infeasible is
    tried first.
    """
    seen: set[tuple[object, ...]] = set()
    out: list[tuple[float, int, ProblemData]] = []
    for p, who in enumerate(data.participants):
        part = participant_part(data, p)
        if not part.goals:
            continue
        key = _signature(part, p)
        if key in seen:
            continue
        seen.add(key)
        need = sum(j.num_sessions * j.length for j in part.jobs)
        per_day = min(data.slots_per_day, who.daily_cap or data.slots_per_day)
        per_week = min(7 * per_day, who.weekly_cap or 7 * per_day)
        capacity = max(1, per_week * data.num_days / 7)
        out.append((-need / capacity, p, part))
    return [(p, part) for _, p, part in sorted(out, key=lambda t: (t[0], t[1]))]


RELAX_SHARE = 0.5  # of a probe's limit, for the one-participant relaxations
RELAX_WORKERS = 2  # these models are small: more interleaved workers slow the proof


def relaxation_status(data: ProblemData, params: SolveParams, limit: float) -> tuple[SolveStatus, str]:
    """Whether every participant's part alone can meet all its goals.

    INFEASIBLE with the proof's text (then not every goal of ``data`` can
    be met), FEASIBLE when every part can (which proves nothing about the
    whole), UNKNOWN when the time ran out first. The most loaded part is
    tried first and may use the whole ``limit``.
    """
    t0 = time.perf_counter()
    undecided = False
    for p, part in participant_parts(data):
        left = limit - (time.perf_counter() - t0)
        if left < 0.2:
            return SolveStatus.UNKNOWN, ""
        workers = params.num_workers or RELAX_WORKERS
        status = feasible_plan(part, None, replace(params, time_limit=left, num_workers=workers))[0]
        if status == SolveStatus.INFEASIBLE:
            who = data.participants[p].id
            return SolveStatus.INFEASIBLE, (f"proven: {who} alone cannot meet all {len(part.goals)} of their pairs "
                                            "(relaxation: only their sessions, crew-mates in joint ones)")
        undecided = undecided or status != SolveStatus.FEASIBLE
    return (SolveStatus.UNKNOWN if undecided else SolveStatus.FEASIBLE), ""


def relaxation_proof(data: ProblemData, params: SolveParams, limit: float) -> str | None:
    """A proof that not every goal can be met, from one participant alone (see
    :func:`relaxation_status`), or None."""
    status, proof = relaxation_status(data, params, limit)
    return proof if status == SolveStatus.INFEASIBLE else None
