"""Conflicts: for one unmet goal, an irreducible set of facts that rules it out, and its fixes."""

from __future__ import annotations

from collections.abc import Sequence

from planner.analysis.explain.fixes import by_lever, calendar_fixes
from planner.analysis.explain.kinds import fixes_for, scenario_facts
from planner.analysis.explain.probes import Prober, Question, deletion_filter
from planner.analysis.explain.scope import closure, shares
from planner.analysis.explain.types import Fact, Fix, GoalExplanation, GoalKey
from planner.analysis.window import scenario_plain
from planner.data.result import SolveStatus
from planner.plan.pipeline import PlanOutcome
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario
from planner.solve.budget import Budget
from planner.solve.run import SolveParams

# Kinds of facts that are physical: never fixed unless a repairs lever says so (see .fixes).
PHYSICAL = frozenset({"season", "available", "deadline"})


class Run:
    """State of one explanation run: budget, probe cache, conflicts found so far."""

    def __init__(self, loaded: LoadedScenario, outcome: PlanOutcome, params: SolveParams, budget: Budget,
                 probe_limit: float) -> None:
        # ``budget``: what conflicts and fix searches may use (a share of the run's budget).
        self.loaded, self.outcome, self.params, self.budget = loaded, outcome, params, budget
        self.probe_limit = probe_limit
        self.plain = scenario_plain(loaded.scenario)
        self.met = [(r.participant, r.competency) for r in outcome.readiness if r.status == Verdict.READY]
        self.cache: dict[str, SolveStatus] = {}
        self.found: list[list[Fact]] = []
        self.problems: list[str] = []
        self.exhausted = False

    def prober(self, goals: Sequence[GoalKey]) -> Prober:
        """A prober of the scenario focused on ``goals``, sharing the run's cache and budget."""
        return Prober(self.loaded, self.plain, goals, self.params, self.budget, self.probe_limit, self.cache)

    def alike(self, ge: GoalExplanation) -> str:
        """A text equal for goals whose probe on their own is the same up to ids (see ``canonical``)."""
        return self.prober([ge.goal]).key([], [ge.goal])

    def alone(self, ge: GoalExplanation) -> SolveStatus:
        """Whether the goal can be met on its own (cheap: a small focused model)."""
        status = self.prober([ge.goal]).status([], [ge.goal])
        if status == SolveStatus.UNKNOWN:
            ge.kind, ge.note = "undecided", "the check of the goal on its own hit the time limit"
        return status

    def explain_goal(self, ge: GoalExplanation, alone: SolveStatus) -> None:
        """Fill ``ge``: kind, conflict and fixes."""
        q = self._conflict(ge, alone)
        if q is None:
            return
        if ge.conflict:
            fixes: dict[str, Fix] = {}
            found = [fix for fact in ge.conflict for fix in fixes_for(fact, self.loaded.scenario, q, [ge.goal, *q.competitors])]
            for fix in [*found, *calendar_fixes(self.loaded.scenario, q, [ge.goal, *q.competitors])]:
                if fix.key not in fixes or fix.cost < fixes[fix.key].cost:  # one change two levers make: the cheaper
                    fixes[fix.key] = fix
            ge.fixes = sorted((by_lever(fix, self.loaded.scenario) for fix in fixes.values()), key=lambda f: f.order)
            if not ge.fixes and not q.prober.timed_out:
                ge.note = "no single change fixes it: relax several of these facts together"
                if any(f.kind in PHYSICAL for f in ge.conflict):
                    ge.note = ("no single allowed change fixes it: seasons and gates are physical facts, changed only "
                               "by a lever of the scenario's repairs: section (a 'dates' lever for a resource's season)")
        self.problems += q.prober.problems
        self.exhausted = self.exhausted or q.prober.timed_out

    def _conflict(self, ge: GoalExplanation, alone: SolveStatus) -> Question | None:
        sc, goal = self.loaded.scenario, ge.goal
        prober = self.prober([goal])
        competitors: list[GoalKey] = []
        if alone == SolveStatus.FEASIBLE:
            # Possible alone: explain it together with met goals that compete
            # with it, the closest first (the same participant, then the crew,
            # then anyone sharing resources or instructors), so that the
            # conflict names as few other goals as it can.
            crew = closure(sc, goal)[1]
            stages = [
                [g for g in self.met if g[0] == goal[0]],
                [g for g in self.met if g[0] in crew],
                [g for g in self.met if shares(sc, goal, g)],
            ]
            together = SolveStatus.FEASIBLE
            tried: list[list[GoalKey]] = []
            for stage in stages:
                if not stage or stage in tried:
                    continue
                tried.append(stage)
                prober = self.prober([goal, *stage])
                together = prober.status([], [goal, *stage])
                if together != SolveStatus.FEASIBLE:
                    competitors = stage
                    break
            if together != SolveStatus.INFEASIBLE:
                ge.kind = "open" if together == SolveStatus.FEASIBLE else "undecided"
                ge.note = ("possible together with every related goal this plan meets: the plan's time limit left "
                           "it open; plan with a longer limit" if together == SolveStatus.FEASIBLE
                           else "the check together with the competing goals hit the time limit")
                return None
        facts = scenario_facts(sc, [goal], competitors)
        q = Question(goal, competitors, facts, prober)
        relaxed = q.status([])
        if relaxed != SolveStatus.FEASIBLE:
            ge.kind = "unachievable" if relaxed == SolveStatus.INFEASIBLE else "undecided"
            ge.note = ("not achievable even with every listed fact relaxed (calendar, gates or session lengths)"
                       if relaxed == SolveStatus.INFEASIBLE else "the check with every fact relaxed hit the time limit")
            return q
        ge.kind = "trade-off" if competitors else "conflict"
        conflict, proven = self._reuse(q) or deletion_filter(facts, q.status)
        ge.conflict, ge.proven_minimal = tuple(conflict), proven
        self.found.append(conflict)
        return q

    def _reuse(self, q: Question) -> tuple[list[Fact], bool] | None:
        """A conflict of a similar goal (same facts up to participant and competency), if it holds here.

        One probe confirms it, a deletion filter over its few facts makes it
        irreducible: far fewer probes than a search over every fact.
        """
        if q.competitors:
            return None
        by_generic = {f.generic: f for f in q.facts}
        for prior in reversed(self.found[-4:]):
            mapped = [by_generic.get(f.generic) for f in prior]
            cands = [f for f in mapped if f is not None]
            if len(cands) < len(mapped) or not cands:
                continue
            if q.status(cands) == SolveStatus.INFEASIBLE:
                return deletion_filter(cands, q.status)
        return None
