"""``planner explain``: plan, explain every unmet goal, verify the cheapest fixes on the whole scenario.

One :class:`~planner.solve.budget.Budget` of ``time_limit`` covers the run:
a quarter for the plan, conflicts and fix searches until 70 % of it is used
(each probe at most ``probe_limit``), whole-scenario fix checks with the
rest. Under ``--deterministic`` the budget counts CP-SAT work units (the plan
its whole share, each probe and check the work it did), so the answers do
not depend on the machine's load, unless the budget's wall-clock safety
limit (:attr:`~planner.solve.budget.Budget.outer`) stops the run first.
Building and compiling each probe's model is not counted in work units: on
a busy machine a deterministic run takes several times its limit.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import replace

from planner.analysis.explain.conflicts import Run
from planner.analysis.explain.probes import goal_index
from planner.analysis.explain.scope import without_levers
from planner.analysis.explain.types import (
    Explanation,
    Fix,
    GoalExplanation,
    GoalKey,
    Plain,
    Say,
    Verification,
    ex_verified,
)
from planner.analysis.window import reload, shift_schedule
from planner.data.result import Result, SolveStatus
from planner.plan.pipeline import PlanOutcome, check_schedule, plan, prepare
from planner.plan.presolve import presolve_checks
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario
from planner.solve.budget import Budget
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.params import SolveParams
from planner.verify.checks import goals_achieved

PLAN_SHARE = 0.25  # the plan being explained (phase 1 only)
ANALYSIS_SHARE = 0.7  # conflicts and fix searches end here; whole-scenario fix checks use the rest
CHECK_SHARE = 0.15  # each whole-scenario fix check, at least CHECK_FLOOR_S
CHECK_FLOOR_S = 4.0


def verify_fixes(run: Run, budget: Budget, goals: list[GoalExplanation], limit: float) -> dict[str, Verification]:
    """Check the cheapest fix of each goal on the whole scenario, then the next, until
    one is verified or ``budget`` is used up. Goals sharing a fix are checked together first."""
    done: dict[str, Verification] = {}

    def settled(ge: GoalExplanation, upto: int) -> bool:
        # A goal needs no more checks once one of its fixes is verified.
        return any(ex_verified(done, f, ge.goal) == "yes" for f in ge.fixes[:upto])

    for rank in range(max((len(ge.fixes) for ge in goals), default=0)):
        todo: dict[str, tuple[Fix, list[GoalKey]]] = {}
        for ge in goals:
            if len(ge.fixes) > rank and not settled(ge, rank):
                fix = ge.fixes[rank]
                todo.setdefault(fix.key, (fix, []))[1].append(ge.goal)
        for fix, wanted in sorted(todo.values(), key=lambda t: (t[0].cost, t[0].key)):
            wanted = [g for g in wanted if ex_verified(done, fix, g) == "not run"]
            # Together first (one solve when they all fit), then one by one.
            groups: list[list[GoalKey]] = [wanted, *([g] for g in wanted)] if len(wanted) > 1 else [wanted]
            for group in groups:
                if not group or all(ex_verified(done, fix, g) != "not run" for g in group):
                    continue
                left = budget.remaining()
                if left < 1.0 or budget.out_of_time():
                    run.exhausted = True
                    return done
                check = _verify(run.outcome, run.plain, fix, group, run.met, run.params, min(limit, left), budget)
                if len(group) > 1 and any(v != Verdict.READY for v in check.status.values()):
                    continue  # not all together: the single checks answer for each
                old = done.get(fix.key)
                if old is not None:
                    check = Verification(max(old.ready, check.ready), check.total,
                                         {**old.status, **check.status}, old.seconds + check.seconds)
                done[fix.key] = check
    return done


def explain(
    loaded: LoadedScenario,
    params: SolveParams,
    time_limit: float = 28.0,
    probe_limit: float = 5.0,
    say: Say | None = None,
) -> Explanation:
    """Plan ``loaded``, explain every goal that is not READY and suggest verified fixes.

    ``time_limit`` caps the whole run (one budget, in work units under
    ``--deterministic``): at most a quarter for the plan, then conflicts and
    fix searches goal by goal (each probe at most ``probe_limit`` s) up to
    70 % of it, then whole-scenario checks verify the cheapest fixes with
    what is left.
    """
    budget = Budget(time_limit, params.deterministic)
    sc = loaded.scenario
    grid, data = prepare(loaded)
    findings = presolve_checks(sc, grid, data)  # printed once, with the explanation
    # Phase 1 settles who is ready; polishing the plan would only eat the budget.
    plan_limit = max(1.0, min(params.time_limit, budget.share(PLAN_SHARE)))
    outcome = plan(loaded, replace(params, time_limit=plan_limit, plan_phase=False), confirm=False)
    budget.charge(plan_limit)  # counted whole: the plan's own steps are not metered here
    if say:
        say(f"plan: {outcome.overall.value}, {sum(r.status == Verdict.READY for r in outcome.readiness)}/"
            f"{len(outcome.readiness)} pairs ready ({budget.spent():.1f} s)")
    analysis = budget.child(ANALYSIS_SHARE * budget.seconds - budget.spent())
    run = Run(loaded, outcome, params, analysis, probe_limit)
    missing = {(data.participants[g.participant].id, g.competency): g.missing for g in data.goals if g.missing}
    goals = [GoalExplanation(r.participant, r.competency, r.status, "undecided")
             for r in outcome.readiness if r.status != Verdict.READY]
    # Goals impossible on their own first (small probes, conflicts shared
    # between alike goals), then trade-offs, whose probes hold several goals.
    alone: dict[GoalKey, SolveStatus] = {}
    for ge in goals:
        if ge.goal in missing:
            ge.kind, ge.note = "unachievable", f"the role does not take {', '.join(missing[ge.goal])}"
        elif analysis.remaining() > 0.1 and not analysis.out_of_time():
            alone[ge.goal] = run.alone(ge)
    for wanted in (SolveStatus.INFEASIBLE, SolveStatus.FEASIBLE):
        for ge in goals:
            if alone.get(ge.goal) != wanted:
                continue
            if analysis.remaining() <= 0.1 or analysis.out_of_time():
                ge.note, run.exhausted = "not examined (time budget)", True
                continue
            run.explain_goal(ge, wanted)
            if say:
                say(f"  {ge.participant}/{ge.competency}: {ge.kind}, {len(ge.conflict)} facts, {len(ge.fixes)} "
                    f"fixes ({budget.spent():.1f} s)")
    for ge in goals:
        if ge.goal not in missing and ge.goal not in alone:
            ge.note, run.exhausted = "not examined (time budget)", True
    verifications = verify_fixes(run, budget, goals, max(CHECK_FLOOR_S, CHECK_SHARE * time_limit))
    return Explanation(outcome, findings, goals, verifications, budget.spent(), run.exhausted, run.problems,
                       len(run.cache))


def _verify(outcome: PlanOutcome, plain: Plain, fix: Fix, wanted: Sequence[GoalKey], met: Sequence[GoalKey],
            params: SolveParams, limit: float, budget: Budget) -> Verification:
    """Whether, with ``fix``, one whole plan meets ``wanted`` and every pair in ``met``.

    A feasibility solve of the whole edited scenario with those goals
    required, started from the plan being explained (moved onto the new grid
    when the fix moves the window). A plan found is checked by both
    verifiers like any plan; INFEASIBLE proves the fix cannot do it without
    losing a ready pair. ``budget`` is charged the work of the solve.
    """
    t0 = time.perf_counter()
    edited = copy.deepcopy(plain)
    without_levers(edited)
    fix.edit(edited)
    loaded = reload(outcome.loaded, edited, (f"fix: {fix.text}",))
    grid, data = prepare(loaded)
    index = goal_index(data)
    required = tuple(sorted({index[g] for g in (*met, *wanted) if g in index}))
    hint = None
    if outcome.result.schedule is not None:
        hint = shift_schedule(outcome.result.schedule, outcome.scenario.window.start, loaded.scenario.window.start,
                              data.slots_per_day)
    status, schedule = plan_meeting_goals(data, required, replace(params, time_limit=limit), hint, budget=budget)
    ready = 0
    if schedule is not None:
        met_now = goals_achieved(data, schedule)
        check_schedule(loaded.scenario, grid, data, Result(SolveStatus.FEASIBLE, schedule, goals_met=met_now))
        ready = sum(met_now)
    verdict = {SolveStatus.FEASIBLE: Verdict.READY, SolveStatus.INFEASIBLE: Verdict.NOT_READY}.get(
        status, Verdict.UNKNOWN)
    return Verification(ready, len(data.goals), dict.fromkeys(wanted, verdict), time.perf_counter() - t0)
