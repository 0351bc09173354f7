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

from collections.abc import Collection
from dataclasses import dataclass

from planner.data.problem import ProblemData, participant_part, restrict
from planner.data.result import SolveStatus
from planner.solve.budget import (
    FACILITY_EACH,
    OUTER_FACTOR,
    OUTER_SLACK_S,
    PART_DAYS_EACH,
    PART_QUICK,
    SCREEN_GOAL_S,
    Budget,
)
from planner.solve.day_packing import Facility, facilities, most_hosted, packing_status, pairs_bound
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.params import SolveParams
from planner.solve.part_days import part_status, whole_status


def _signature(part: ProblemData, p: int) -> tuple[object, ...]:
    """What makes two participants' relaxed sub-problems the same (ids aside):
    the same jobs, lags, goals and caps, e.g. the doctors of two crews.

    Participants are relabelled in order of appearance (``p`` first), and each
    one's caps are part of the key: two parts differ if a crew-mate in a joint
    job has other caps.
    """
    label = {p: 0}
    for j in part.jobs:
        for q in j.participants:
            label.setdefault(q, len(label))
    jobs = tuple((j.module, j.num_sessions, j.length, j.open_days, j.season_days, j.last_open_days, j.resources,
                  j.instructors, j.staff, j.min_gap_days, j.max_gap_days, j.recent_all, j.consecutive, j.rest_days_after, j.travel_before, j.travel_site, j.deadline_day, j.mandatory,
                  j.fixed_starts, j.pinned, tuple(label[q] for q in j.participants)) for j in part.jobs)
    goals = tuple((label.get(g.participant, -1), g.competency, g.groups, g.deadline_day) for g in part.goals)
    caps = tuple((part.participants[q].daily_cap, part.participants[q].weekly_cap, part.participants[q].week_caps)
                 for q in sorted(label, key=lambda q: label[q]))
    spacing = tuple((label.get(s.participant, -1), s.first, s.second, s.days) for s in part.spacing)
    return jobs, part.precedences, goals, spacing, caps


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


RELAX_WORKERS = 2  # these models are small: more interleaved workers slow the proof


def _budget(params: SolveParams, limit: float | Budget) -> Budget:
    return limit if isinstance(limit, Budget) else Budget(limit, params.deterministic)


def relaxation_status(data: ProblemData, params: SolveParams, limit: float | Budget) -> tuple[SolveStatus, str]:
    """Whether every participant's part alone can meet all its goals.

    INFEASIBLE with the proof's text (then not every goal of ``data`` can
    be met), FEASIBLE when every part can (which proves nothing about the
    whole), UNKNOWN when the time ran out first. The most loaded part is
    tried first and may use the whole ``limit`` (seconds or a budget); each
    part gets what the earlier ones left, counted in work units used under
    ``--deterministic`` (never by the clock), by the clock otherwise.
    """
    budget = _budget(params, limit)
    undecided = False
    for p, part in participant_parts(data):
        left = budget.rest()
        if left < 0.2:
            return SolveStatus.UNKNOWN, ""
        workers = params.num_workers or RELAX_WORKERS
        ask = params.with_workers(workers)
        status = plan_meeting_goals(part, None, ask.within(min(left, PART_QUICK)), budget=budget)[0]
        if status not in (SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE) and budget.rest() > 0:
            # Undecided at once: day by day, hours against caps and campaign days show at the LP's root
            # what the interval model's search takes long to exhaust (planner.solve.part_days).
            work = _work(budget, PART_DAYS_EACH)
            status, used = part_status(part, work, _wall(budget, work))
            budget.charge(used)
            if status != SolveStatus.INFEASIBLE and budget.rest() >= 0.2:
                status = plan_meeting_goals(part, None, ask.within(budget.rest()), budget=budget)[0]
        if status == SolveStatus.INFEASIBLE:
            who = data.participants[p].id
            return SolveStatus.INFEASIBLE, (f"proven: {who} alone cannot meet all {len(part.goals)} of their pairs "
                                            "(relaxation: only their sessions, crew-mates in joint ones)")
        undecided = undecided or status != SolveStatus.FEASIBLE
    return (SolveStatus.UNKNOWN if undecided else SolveStatus.FEASIBLE), ""


def relaxation_proof(data: ProblemData, params: SolveParams, limit: float | Budget) -> str | None:
    """A proof that not every goal can be met, from one participant alone (see
    :func:`relaxation_status`), or None."""
    status, proof = relaxation_status(data, params, limit)
    return proof if status == SolveStatus.INFEASIBLE else None


def whole_days_proof(data: ProblemData, params: SolveParams, limit: float | Budget) -> str | None:
    """A proof that not every goal can be met from the whole problem day by day with the instructors'
    working days (:func:`planner.solve.part_days.whole_status`), or None: in work units (all of
    ``limit``; wall mode: also at most what the clock leaves), so its answer does not depend on load."""
    budget = _budget(params, limit)
    if budget.remaining() < 0.2:
        return None
    work = budget.remaining()
    status, used = whole_status(data, work, _wall(budget, work))
    budget.charge(used)
    if status != SolveStatus.INFEASIBLE:
        return None
    return ("proven: not every pair can be met, even day by day (relaxation: every session on a day, "
            "with the participants' days and caps, the resources and each group of instructors' working "
            "days, the prerequisites and the deadlines; positions within the day dropped)")


@dataclass(frozen=True)
class FacilityProof:
    """That not every goal can be met, from one facility alone: the words, and at most how many goals
    can be met: counted when the count was proven too, else one fewer than all (what the proof says)."""

    text: str
    pairs: int


def facility_proof(data: ProblemData, params: SolveParams, limit: float | Budget,
                   min_load: float = 0.0, all_pairs: int | None = None) -> FacilityProof | None:
    """A proof that not every goal can be met, from one shared resource or instructor pool alone, or None.

    Each facility's day-indexed relaxation (:mod:`planner.solve.day_packing`), the most loaded first
    (at least ``min_load``), gets :data:`FACILITY_EACH` work units whatever the mode (wall mode: also at
    most what the clock leaves of ``limit``, a safety cap), so the answer does not depend on machine load.
    ``all_pairs``: the number of pairs the words count, when ``data`` holds only those not
    proven impossible (the others can never be met, so the bound is the same).
    """
    budget = _budget(params, limit)
    for fac in facilities(data, min_load):
        if budget.remaining() <= 0:
            return None
        work = _work(budget, FACILITY_EACH)
        status = packing_status(data, fac, work, _wall(budget, work))
        budget.charge(work)
        if status == SolveStatus.INFEASIBLE:
            return _facility_words(data, fac, budget, all_pairs)
    return None


def _work(budget: Budget, each: float) -> float:
    """The work units of a relaxation that gets ``each`` whatever the mode: under ``--deterministic``
    no more than the budget has left (wall mode caps it by the clock instead, :func:`_wall`)."""
    return min(each, budget.remaining()) if budget.deterministic else each


def _wall(budget: Budget, work: float) -> float:
    """The wall-clock cap of a facility solve of ``work`` units: only a safety limit under
    ``--deterministic`` (as :meth:`SolveParams.apply`'s), what the clock leaves in wall mode."""
    return OUTER_FACTOR * work + OUTER_SLACK_S if budget.deterministic else budget.remaining()


def _facility_words(data: ProblemData, fac: Facility, budget: Budget, all_pairs: int | None = None) -> FacilityProof:
    """The proof that ``fac`` cannot host every session the pairs need, with how much it can host
    when that is proven too (another :data:`FACILITY_EACH` work units)."""
    modules = ", ".join(sorted({data.jobs[j].module for j, _ in fac.users}))
    verb, scope = ("host", f"only its modules {modules}") if fac.kind == "resource" else \
        ("teach", f"only the modules no one else may teach, {modules}")
    why = f"(relaxation: {scope}, day by day, with their calendars, spacing and deadlines)"
    wall = _wall(budget, FACILITY_EACH)
    count = most_hosted(data, fac, FACILITY_EACH, wall)
    budget.charge(FACILITY_EACH)
    if count is not None:
        most, needed = count
        pairs = pairs_bound(data, fac, most, FACILITY_EACH, wall)
        if pairs is not None and pairs >= len(data.goals):
            pairs = None
        total = len(data.goals) if all_pairs is None else all_pairs
        so = "" if pairs is None else f", so at most {pairs} of the {total} pairs can be met"
        return FacilityProof(f"proven: {fac.describe(data)} can {verb} at most {most} of the {needed} {modules} "
                             f"trainings the pairs need before their deadlines{so} {why}",
                             len(data.goals) - 1 if pairs is None else pairs)
    # Not every goal: at most all but one (the pairs the plan misses may then be proven a trade-off).
    return FacilityProof(f"proven: {fac.describe(data)} cannot {verb} every session the pairs need {why}",
                         len(data.goals) - 1)


def goal_part(data: ProblemData, g: int) -> ProblemData:
    """Goal ``g`` alone with the jobs it needs (its options and, transitively,
    their prerequisites; crew-mates only in joint sessions): a relaxation."""
    keep = _with_prerequisites(data, {j for group in data.goals[g].groups for j in group})
    return restrict(data, sorted(keep), [g])


def _with_prerequisites(data: ProblemData, jobs: set[int]) -> set[int]:
    """``jobs`` and, transitively, their prerequisites."""
    before: dict[int, list[int]] = {}
    for pr in data.precedences:
        before.setdefault(pr.after, []).append(pr.before)
    keep = set(jobs)
    stack = list(keep)
    while stack:
        for b in before.get(stack.pop(), ()):
            if b not in keep:
                keep.add(b)
                stack.append(b)
    return keep


def _load_numbers(part: ProblemData, p: int) -> tuple[int, int] | None:
    """(required, available) slots of participant ``p`` for the part's goal under the load caps
    before its deadline, when the required do not fit (the usual reason); else None."""
    who, goal, S = part.participants[p], part.goals[0], part.slots_per_day
    mine = [j for j in part.jobs if p in j.participants]
    demand = _least_demand(part, p)
    per_day = min(S, who.daily_cap or S)
    weeks: dict[int, int] = {}
    for d in range(min(goal.deadline_day, part.num_days)):
        if any(j.open_days[d] for j in mine):
            weeks[part.week(d)] = weeks.get(part.week(d), 0) + per_day
    supply = who.within_caps(weeks)
    return (demand, supply) if demand > supply else None


def _least_demand(part: ProblemData, p: int) -> int:
    """The fewest slots participant ``p`` must train for the part's goal: every job of a group with one
    option, with its prerequisites, and the lightest option of each ``any_of`` group (nobody takes both)."""
    goal = part.goals[0]
    need = _with_prerequisites(part, {group[0] for group in goal.groups if len(group) == 1})

    def slots(j: int) -> int:
        job = part.jobs[j]
        return job.length * job.num_sessions if p in job.participants else 0

    lightest = sum(min(slots(j) for j in group) for group in goal.groups if len(group) > 1 and not need & set(group))
    return sum(slots(j) for j in need) + lightest


def screen_goals(
    data: ProblemData, params: SolveParams, limit: float | Budget, skip: Collection[int] = ()
) -> dict[int, tuple[int, int] | None]:
    """Goals that cannot be met even alone (proven), each with its load numbers
    (required and available slots, see :func:`_load_numbers`) when they explain it.

    Each goal is asked of its own part (:func:`goal_part`), most often
    settled in CP-SAT's presolve, e.g. a participant whose required hours for
    that competency alone exceed the load caps before the deadline. Knowing
    them, the full model need not search for them, and the verdict names each
    one instead of leaving it UNKNOWN. ``skip``: goals known to be possible
    (met by a start schedule). ``limit`` (seconds or a budget) caps the whole
    screening, each goal at most :data:`SCREEN_GOAL_S`; under ``--deterministic``
    each check is charged its full deterministic limit, so the outcome never
    depends on timing.
    """
    budget = _budget(params, limit)
    out: dict[int, tuple[int, int] | None] = {}
    seen: dict[tuple[object, ...], tuple[bool, tuple[int, int] | None]] = {}
    for g, goal in enumerate(data.goals):
        if g in skip:
            continue
        part = goal_part(data, g)
        p = goal.participant
        key = (goal.competency, _signature(part, p))
        if key not in seen:
            each = budget.rest(cap=SCREEN_GOAL_S)
            if each < 0.05:
                break
            status = plan_meeting_goals(part, None, params.within(each).with_workers(1))[0]
            budget.charge(each)
            seen[key] = (status == SolveStatus.INFEASIBLE, _load_numbers(part, p))
        if seen[key][0]:
            out[g] = seen[key][1]
    return out
