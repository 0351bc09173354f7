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

In wall mode two searches run at a time (:data:`SEARCH_THREADS`; each is one
CP-SAT worker, which releases the GIL): the first goal of each kind of alike
goals, then the rest, whose probes the shared cache mostly answers; and the
single whole-scenario checks of one fix. Under ``--deterministic`` the same
steps run one after the other in a fixed order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import TypeVar

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
    clone,
    ex_verified,
)
from planner.analysis.window import reload, shift_schedule
from planner.data.result import Result, SolveStatus
from planner.heuristics.decompose import greedy_meeting
from planner.plan.pipeline import PlanOutcome, check_schedule, plan, prepare
from planner.plan.presolve import presolve_checks
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario
from planner.solve.budget import Budget
from planner.solve.feasibility import plan_meeting_goals, plan_meeting_most
from planner.solve.params import SolveParams
from planner.verify.checks import goals_achieved

PLAN_SHARE = 0.25  # the plan being explained (phase 1 only)
ANALYSIS_SHARE = 0.7  # conflicts and fix searches end here; whole-scenario fix checks use the rest
CHECK_SHARE = 0.15  # each whole-scenario fix check, at least CHECK_FLOOR_S
CHECK_FLOOR_S = 4.0
SEARCH_THREADS = 2  # searches at once in wall mode (this machine class has two cores)
CHECK_GREEDY_PASSES = 4
"""Greedy passes on the edited scenario before each whole-scenario check (milliseconds on the MS-19 files)."""
GROUP_CHECK_S = 1.0  # a check of several goals at once: a shortcut, so it gets little time (the singles answer)

T = TypeVar("T")
R = TypeVar("R")


def _each(fn: Callable[[T], R], items: Sequence[T], deterministic: bool) -> list[R]:
    """``fn`` over ``items``, results in order: :data:`SEARCH_THREADS` at a time in wall mode (each search
    is one CP-SAT worker, which releases the GIL); one after the other under ``--deterministic``, so that
    the budget is charged in the same order on every run."""
    if deterministic:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=SEARCH_THREADS) as pool:
        return list(pool.map(fn, items))


def verify_fixes(run: Run, budget: Budget, goals: list[GoalExplanation], limit: float,
                 say: Say | None = None) -> dict[str, Verification]:
    """Check the cheapest fix of each goal on the whole scenario, then the next, until
    one is verified or ``budget`` is used up. Goals sharing a fix are checked together first.

    The checks of one rank (every goal's cheapest fix, then the next) are
    independent and go through :func:`_each` together, every fix's at once so
    that one long check does not hold up the rest.
    """
    done: dict[str, Verification] = {}

    def settled(ge: GoalExplanation, upto: int) -> bool:
        # A goal needs no more checks once one of its fixes is verified.
        return any(ex_verified(done, f, ge.goal) == "yes" for f in ge.fixes[:upto])

    def merge(fix: Fix, check: Verification) -> None:
        old = done.get(fix.key)
        if old is not None:
            check = Verification(max(old.ready, check.ready), check.total,
                                 {**old.status, **check.status}, old.seconds + check.seconds)
        done[fix.key] = check

    stopped: list[bool] = []  # set once a check finds the budget used up

    def check(fix: Fix, group: list[GoalKey]) -> Verification | None:
        left = budget.remaining()
        if left < 1.0 or budget.out_of_time():
            run.exhausted = True
            stopped.append(True)
            return None
        cap = min(limit, GROUP_CHECK_S) if len(group) > 1 else limit
        return _verify(run.outcome, run.plain, fix, group, run.met, run.params, min(cap, left), budget)

    def each(jobs: list[tuple[Fix, list[GoalKey]]]) -> None:
        # In the order given (cheapest fix first).
        for (fix, _), result in zip(jobs, _each(lambda job: check(*job), jobs, run.params.deterministic),
                                    strict=True):
            if result is not None:
                merge(fix, result)

    for rank in range(max((len(ge.fixes) for ge in goals), default=0)):
        todo: dict[str, tuple[Fix, list[GoalKey]]] = {}
        for ge in goals:
            if len(ge.fixes) > rank and not settled(ge, rank):
                fix = ge.fixes[rank]
                todo.setdefault(fix.key, (fix, []))[1].append(ge.goal)
        ranked = [(fix, [g for g in wanted if ex_verified(done, fix, g) == "not run"])
                  for fix, wanted in sorted(todo.values(), key=lambda t: (t[0].cost, t[0].key))]
        # Together first (one plan per fix meeting as many of its goals as it can: each goal it
        # meets is verified), then one by one for the goals it did not meet, every fix's at once
        # so that one long check does not hold up the others.
        each([(fix, wanted) for fix, wanted in ranked if len(wanted) > 1])
        if stopped:
            return done
        each([(fix, [g]) for fix, wanted in ranked for g in wanted if ex_verified(done, fix, g) == "not run"])
        if say and ranked:
            answers = [ex_verified(done, fix, g) for fix, wanted in ranked for g in wanted]
            say(f"  whole-scenario checks of fix {rank + 1} of each pair: {answers.count('yes')} verified, "
                f"{answers.count('no')} proven not, {answers.count('unknown')} undecided, "
                f"{answers.count('not run')} not run ({budget.spent():.1f} s)")
        if stopped:
            return done
    return done


def explain(
    loaded: LoadedScenario,
    params: SolveParams,
    time_limit: float = 13.0,
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
    def examine(ge: GoalExplanation, wanted: SolveStatus) -> None:
        if analysis.remaining() <= 0.1 or analysis.out_of_time():
            ge.note, run.exhausted = "not examined (time budget)", True
            return
        run.explain_goal(ge, wanted)
        if say:
            say(f"  {ge.participant}/{ge.competency}: {ge.kind}, {len(ge.conflict)} facts, {len(ge.fixes)} "
                f"fixes ({budget.spent():.1f} s)")

    for wanted in (SolveStatus.INFEASIBLE, SolveStatus.FEASIBLE):
        todo = [ge for ge in goals if alone.get(ge.goal) == wanted]
        batches = [todo]
        if not params.deterministic:
            # One goal of each kind of alike goals first, in parallel; then the others, which mostly
            # find their probes answered in the shared cache.
            first: dict[str, GoalExplanation] = {}
            for ge in todo:
                first.setdefault(run.alike(ge), ge)
            lead = list(first.values())
            batches = [lead, [ge for ge in todo if all(ge is not x for x in lead)]]
        for batch in batches:
            _each(partial(examine, wanted=wanted), batch, params.deterministic)
    for ge in goals:
        if ge.goal not in missing and ge.goal not in alone:
            ge.note, run.exhausted = "not examined (time budget)", True
    verifications = verify_fixes(run, budget, goals, max(CHECK_FLOOR_S, CHECK_SHARE * time_limit), say)
    return Explanation(outcome, findings, goals, verifications, budget.spent(), run.exhausted, run.problems,
                       len(run.cache))


def _verify(outcome: PlanOutcome, plain: Plain, fix: Fix, wanted: Sequence[GoalKey], met: Sequence[GoalKey],
            params: SolveParams, limit: float, budget: Budget) -> Verification:
    """Whether, with ``fix``, one whole plan meets ``wanted`` and every pair in ``met``.

    One goal: a feasibility solve of the whole edited scenario with it and
    ``met`` required. Several: one plan keeping ``met`` and meeting as many of
    them as it finds; the goals it meets are READY, the others are left out
    of the answer (for single checks). Either way the search starts from the
    plan being explained (moved onto the new grid when the fix moves the
    window), a plan found is checked by both verifiers like any plan, and
    INFEASIBLE proves the fix cannot do it without losing a ready pair. One
    CP-SAT worker: from that start a single search finds plans and proofs
    several times faster than the portfolio. ``budget`` is charged the work.
    """
    t0 = time.perf_counter()
    edited = clone(plain)
    without_levers(edited)
    fix.edit(edited)
    loaded = reload(outcome.loaded, edited, (f"fix: {fix.text}",))
    grid, data = prepare(loaded)
    index = goal_index(data)
    hint = None
    if outcome.result.schedule is not None:
        hint = shift_schedule(outcome.result.schedule, outcome.scenario.window.start, loaded.scenario.window.start,
                              data.slots_per_day)
    one = replace(params, time_limit=limit, num_workers=1)
    keep = tuple(sorted({index[g] for g in met if g in index}))
    targets = {g: index[g] for g in wanted if g in index}
    # The plan being explained misses the wanted goals by definition; a few greedy passes on the edited
    # scenario often meet them (a weekly cap raised to exactly the hours needed: the single search from the
    # old plan used its 4 units without a plan). Counted in passes, so the same under --deterministic.
    hint = greedy_meeting(data, (*keep, *targets.values()), params.seed, CHECK_GREEDY_PASSES) or hint
    if len(wanted) == 1:
        status, schedule = plan_meeting_goals(data, tuple(sorted({*keep, *targets.values()})), one, hint,
                                              budget=budget)
    else:
        status, schedule = plan_meeting_most(data, keep, tuple(sorted(targets.values())), one, hint, budget=budget)
    ready, verdict = 0, {}
    if schedule is not None:
        met_now = goals_achieved(data, schedule)
        check_schedule(loaded.scenario, grid, data, Result(SolveStatus.FEASIBLE, schedule, goals_met=met_now))
        ready = sum(met_now)
        if len(wanted) == 1:
            verdict = dict.fromkeys(wanted, Verdict.READY)
        else:
            verdict = {g: Verdict.READY for g, i in targets.items() if met_now[i]}
    elif status == SolveStatus.INFEASIBLE:
        verdict = dict.fromkeys(wanted, Verdict.NOT_READY)
    elif len(wanted) == 1:
        verdict = dict.fromkeys(wanted, Verdict.UNKNOWN)
    return Verification(ready, len(data.goals), verdict, time.perf_counter() - t0)
