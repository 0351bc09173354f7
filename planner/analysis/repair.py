"""What would it take? ``planner repair``: the cheapest verified set of changes.

1. The relaxed scenario (every lever at its most) is planned for the target:
   if even that cannot meet it, no lever set can (proven, or unknown).
2. The repair model (:mod:`planner.model.levers`) finds the cheapest lever
   set, started from that plan, then the next ``top - 1`` sets.
3. Every set becomes scenario edits and is verified by a whole re-plan of the
   edited scenario (both verifiers): a set is reported as working only when
   that plan makes every targeted pair READY.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from planner.calendar.grid import TimeGrid
from planner.data.levers import changes_for
from planner.data.problem import ProblemData
from planner.data.repair_problem import RepairProblem, build_repair_problem
from planner.data.result import Schedule, ScheduledSession, SolveStatus
from planner.plan.pipeline import PlanOutcome, check_schedule, greedy_start, plan, prepare
from planner.plan.readiness import Verdict, assess
from planner.scenario.changes import Change, apply_changes, edit_lines
from planner.scenario.load import LoadedScenario, load_document, plain_document, validate_document
from planner.solve.budget import REPAIR_BASE, REPAIR_START, REPAIR_UNLOCKS
from planner.solve.repair import FoundRepair, RepairSearch, search_repairs, unlocked_by
from planner.solve.run import Progress, SolveParams, solve

Say = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """Which pairs must be met: all, at least ``count``, or every pair of ``participants``."""

    count: int | None = None
    participants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The target in words."""
        if self.count is not None:
            return f"at least {self.count} pair{'' if self.count == 1 else 's'}"
        if self.participants:
            return "every pair of " + ", ".join(self.participants)
        return "every pair"


@dataclass
class CheckedRepair:
    """A repair set with its scenario edits and the re-plan that checks it."""

    found: FoundRepair
    changes: list[Change]
    edits: list[str]
    outcome: PlanOutcome | None = None
    verified: bool = False
    why: str = ""
    unlocks: dict[int, tuple[tuple[str, ...], bool]] = field(default_factory=dict)


@dataclass
class RepairAnswer:
    """Everything ``planner repair`` found (see :func:`find_repairs`)."""

    loaded: LoadedScenario
    problem: RepairProblem
    target: Target
    targets: tuple[int, ...]
    met_now: int
    search: RepairSearch
    repairs: list[CheckedRepair] = field(default_factory=list)
    verdict: str = "unknown"  # repaired | nothing needed | impossible | budget too small | unknown
    note: str = ""

    base: PlanOutcome | None = None  # the plan of the scenario as it is

    @property
    def pair_names(self) -> list[str]:
        """``participant/competency`` of every goal of the relaxed problem."""
        return _pair_names(self.problem)


def _pair_names(rp: RepairProblem) -> list[str]:
    data = rp.data
    return [f"{data.participants[g.participant].id}/{g.competency}" for g in data.goals]


def _targets(rp: RepairProblem, target: Target) -> tuple[int, ...]:
    data = rp.data
    if target.participants:
        return tuple(g for g, goal in enumerate(data.goals) if data.participants[goal.participant].id
                     in target.participants)
    return tuple(range(len(data.goals)))


def find_repairs(
    loaded: LoadedScenario,
    params: SolveParams,
    target: Target = Target(),
    top: int = 1,
    max_cost: float | None = None,
    verify_limit: float | None = None,
    say: Say | None = None,
    progress: Progress | None = None,
) -> RepairAnswer:
    """The cheapest verified repair sets of ``loaded`` for ``target`` (see the module docstring)."""
    say = say or (lambda _text: None)
    budget = params.budget()
    rp = build_repair_problem(loaded.scenario)
    targets = _targets(rp, target)
    need = len(targets) if target.count is None else min(target.count, len(targets))
    # 0. The scenario as it is: maybe nothing is needed.
    base_s = budget.share(REPAIR_BASE)
    now = plan(loaded, replace(params, time_limit=base_s), progress, budget=budget.part(base_s))
    names = _pair_names(rp)
    status = {f"{r.participant}/{r.competency}": r.status for r in now.readiness}
    met_now = sum(1 for g in targets if status.get(names[g]) == Verdict.READY)
    some = need == len(targets) < len(rp.data.goals)  # some participants' pairs, each: the plan may trade them
    if some and met_now < need:
        # The plan met as many pairs as it could, not these first: ask for a plan meeting every one of them.
        meeting = plan_meeting(loaded, params, base_s, [names[g] for g in targets])
        if meeting is not None:
            now, met_now = meeting, need
    answer = RepairAnswer(loaded, rp, target, targets, met_now, RepairSearch(SolveStatus.UNKNOWN), base=now)
    say(f"as it is: {met_now}/{len(targets)} targeted pairs READY ({now.overall.value})")
    if met_now >= need:
        answer.verdict = "nothing needed"
        return answer
    levers = ", ".join(d.label for d in rp.defs) or "none"
    say(f"levers: {levers}")
    # 1. The relaxed scenario: can every lever at its most meet the target?
    start_budget = budget.part(budget.share(REPAIR_START))
    greedy = greedy_start(rp.data, params, start_budget)
    first = solve(rp.data, replace(params, plan_phase=False, time_limit=start_budget.rest()), progress,
                  hint=greedy, budget=start_budget)
    relaxed_met = first.goals_met
    hits = sum(1 for g in targets if g < len(relaxed_met) and relaxed_met[g])
    say(f"every lever at its most: {hits}/{len(targets)} targeted pairs met ({first.status})")
    every = len(targets) == len(rp.data.goals)
    excuses = any(d.kind in ("waive", "drop") for d in rp.defs)  # goals a waiver or a drop may excuse
    if every and not excuses and first.goals_bound is not None and first.goals_bound < need:
        answer.verdict = "impossible"
        answer.note = (f"no set of the allowed levers can meet the target: even with every lever at its most "
                       f"at most {first.goals_bound} of {len(targets)} pairs can be met (proven)")
        return answer
    hint = first.schedule if first.schedule is not None and hits >= answer.met_now else now.result.schedule
    # 2. The repair model: cheapest sets first.
    search, model = search_repairs(rp, targets, params, budget, top=top,
                                   at_least=target.count, max_cost=max_cost, hint=hint, progress=progress)
    answer.search = search
    if search.status == SolveStatus.INFEASIBLE:
        answer.verdict = "budget too small" if max_cost is not None else "impossible"
        # With a budget the proof covers both: too dear, or no set at all (the run without --budget tells which).
        answer.note = (f"no set of the allowed levers that costs at most {max_cost:g} points meets the target (proven)"
                       if max_cost is not None else "no set of the allowed levers can meet the target (proven)")
        return answer
    if not search.found:
        answer.verdict = "unknown"
        short = "" if search.best_short is None else \
            f" (the best plan found is {search.best_short} pair(s) short of it)"
        answer.note = f"the time limit stopped the search before any repair set meeting the target was found{short}"
        return answer
    # 3. Verify each set by a whole re-plan of the edited scenario.
    for k, found in enumerate(search.found, 1):
        changes = changes_for(loaded.scenario, rp.defs, found.repair)
        checked = CheckedRepair(found, changes, edit_lines(changes))
        say(f"repair {k}: {len(changes)} change(s); re-planning to verify")
        checked.outcome, checked.verified, checked.why = _verify(loaded, changes, params, verify_limit,
                                                                 [names[g] for g in targets], need,
                                                                 rp, found.schedule)
        answer.repairs.append(checked)
    unlock_budget = budget.part(budget.share(REPAIR_UNLOCKS))
    for checked in answer.repairs:
        used = checked.found.repair.used()
        for i in used:
            each = unlock_budget.seconds / max(1, len(used) * len(answer.repairs))
            missed, proven = unlocked_by(model, checked.found.repair, i, params, each, checked.found.met)
            checked.unlocks[i] = (tuple(names[g] for g in missed), proven)
    if any(c.verified for c in answer.repairs):
        answer.verdict = "repaired"
        sets = len(search.found)
        if sets < top and search.found[-1].repair.used():
            answer.note = (f"no other set of the allowed levers meets the target (proven): {sets} of the {top} asked"
                           if search.exhausted else
                           f"the time limit stopped the search for further sets: {sets} of the {top} asked")
    else:
        answer.verdict = "unknown"
        # A re-plan that proves the target missed says a lever model disagrees with the scenario's (a bug to
        # report), not a time limit; the repair search's answer is not trusted either way.
        proven_not = any(c.outcome is not None and c.outcome.result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
                         for c in answer.repairs)
        answer.note = ("no repair set passed its re-plan: the re-plan of a set missed the target with its pairs proven"
                       if proven_not else "no repair set passed its re-plan within the time limit")
    return answer


def repaired_scenario(loaded: LoadedScenario, changes: Sequence[Change]) -> tuple[Any, LoadedScenario]:
    """The round-trip document of ``loaded`` with ``changes`` (commented), and its validated scenario:
    what ``planner repair`` saves is exactly what its re-plan verified."""
    doc, _ = load_document(loaded.path, loaded.variant, loaded.edits)
    doc = apply_changes(doc, changes, str(loaded.path))
    file = str(loaded.path)
    scenario = validate_document(plain_document(doc, file), doc, file)
    return doc, LoadedScenario(scenario, loaded.path, loaded.sha256, loaded.variant,
                               (*loaded.edits, *edit_lines(changes)))


def _verify(
    loaded: LoadedScenario, changes: Sequence[Change], params: SolveParams, limit: float | None,
    wanted: Sequence[str], need: int, rp: RepairProblem, schedule: Schedule,
) -> tuple[PlanOutcome | None, bool, str]:
    """Re-plan ``loaded`` with ``changes``: (the plan, whether ``need`` of ``wanted`` are READY or waived, why not).

    The repair model's schedule, moved onto the edited scenario's grid, is the re-plan's start (a hint:
    the solver re-checks it, and both verifiers check what it returns).
    """
    edited = repaired_scenario(loaded, changes)[1]
    grid, data = prepare(edited)
    start = moved_schedule(rp, schedule, grid, data)
    # Only the readiness phase: the verdict is the check; polishing the order would only take time.
    outcome = plan(edited, replace(params, time_limit=limit or params.time_limit, plan_phase=False), hint=start)
    status = {f"{r.participant}/{r.competency}": r.status for r in outcome.readiness}
    ready = [p for p in wanted if status.get(p, Verdict.READY) == Verdict.READY]
    if len(ready) < need == len(wanted) < len(data.goals):
        # Some participants' pairs, each: the re-plan met the most pairs, maybe others' first. The question is
        # whether a plan meets these: the re-plan with them required (verified the same way).
        meeting = plan_meeting(edited, params, limit or params.time_limit, wanted, start)
        if meeting is not None:
            return meeting, True, ""
    # A pair that is no longer a goal was waived by the repair: it counts as met, never as READY.
    if len(ready) >= need:
        return outcome, True, ""
    missing = [p for p in wanted if p not in ready]
    return outcome, False, f"the re-plan leaves {len(missing)} pair(s) not READY: {', '.join(missing[:6])}"


def plan_meeting(loaded: LoadedScenario, params: SolveParams, limit: float, wanted: Sequence[str],
                 hint: Schedule | None = None) -> PlanOutcome | None:
    """A plan of ``loaded`` meeting every pair of ``wanted`` ("participant/competency"), verified by both
    verifiers, or None when none was found in ``limit``: phase 1 with them required. Its other pairs are
    as that plan leaves them (UNKNOWN when unmet: the plan proves nothing about them)."""
    grid, data = prepare(loaded)
    index = {f"{data.participants[g.participant].id}/{g.competency}": k for k, g in enumerate(data.goals)}
    required = tuple(sorted(index[p] for p in wanted if p in index))
    result = solve(data, replace(params, time_limit=limit, plan_phase=False), hint=hint, require_goals=required)
    if result.schedule is None or not all(result.goals_met[g] for g in required):
        return None
    result = replace(result, status=SolveStatus.FEASIBLE, goals_bound=None)  # a plan, not a proof of the rest
    check_schedule(loaded.scenario, grid, data, result)
    readiness = assess(loaded.scenario, grid, data, result, params, confirm=False)
    return PlanOutcome(loaded, grid, data, result, tuple(readiness), params)


def moved_schedule(rp: RepairProblem, schedule: Schedule, grid: TimeGrid, data: ProblemData) -> Schedule:
    """``schedule`` of the relaxed problem on another grid of the same scenario family: each session
    keeps its date and clock time; sessions whose job, day or instructor is not there are left out."""
    out = []
    S_from, S_to = rp.grid.slots_per_day, grid.slots_per_day
    names = {ins.id: i for i, ins in enumerate(data.instructors)}
    for s in schedule.sessions:
        job = rp.data.jobs[s.job]
        j = data.job_index.get(job.id)
        day = grid.day_of(rp.grid.days[s.start // S_from])
        off = s.start % S_from
        if j is None or day is None or off + job.length > S_to:
            continue
        teacher = None if s.instructor is None else names.get(rp.data.instructors[s.instructor].id)
        staff = tuple(names[rp.data.instructors[i].id] for i in s.staff if rp.data.instructors[i].id in names)
        start = day * S_to + off
        out.append(ScheduledSession(j, s.index, start, start + job.length, teacher, staff))
    return Schedule(tuple(sorted(out)))
