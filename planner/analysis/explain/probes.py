"""Probes: "can these goals be met with these facts relaxed?", cached, and the deletion filter."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from planner.analysis.explain.scope import focus
from planner.analysis.explain.types import Edit, Fact, GoalKey, Plain
from planner.analysis.window import reload
from planner.data.problem import ProblemData
from planner.data.result import SolveStatus
from planner.exceptions import ScenarioError
from planner.plan.pipeline import prepare
from planner.scenario.load import LoadedScenario
from planner.solve.budget import Budget
from planner.solve.feasibility import can_meet_goals
from planner.solve.params import SolveParams

PROBE_EXTRA: dict[str, object] = {"symmetry_level": 0, "cp_model_probing_level": 0, "max_presolve_iterations": 1}

_DROPPED_KEYS = frozenset({"name", "description", "reason", "variants"})


def canonical(plain: Plain, required: Sequence[GoalKey]) -> str:
    """A text equal for two focused scenarios that differ only in participant, crew and
    competency ids (and names): such probes have the same answer.

    Goals that are alike (two competencies with the same rule, two crews
    with the same make-up) then share every probe through the cache.
    """
    people: dict[str, str] = {}
    comps: dict[str, str] = {}
    for pid, cid in required:
        people.setdefault(pid, f"_P{len(people)}")
        comps.setdefault(cid, f"_K{len(comps)}")
    for p in plain["participants"]:
        people.setdefault(p["id"], f"_P{len(people)}")
    for c in plain["competencies"]:
        comps.setdefault(c["id"], f"_K{len(comps)}")
    crews: dict[str, str] = {}
    for p in plain["participants"]:
        crews.setdefault(p["crew"], f"_C{len(crews)}")

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _DROPPED_KEYS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    out = strip(plain)
    for p in out["participants"]:
        p["id"], p["crew"] = people[p["id"]], crews[p["crew"]]
        p["holds"] = [comps.get(h, h) for h in p["holds"]]
    for c in out["competencies"]:
        c["id"] = comps[c["id"]]
    for r in out["roles"]:
        r["requires"] = [comps.get(c, c) for c in r["requires"]]
    goals = [(people[p], comps[c]) for p, c in required]
    return json.dumps([out, goals], sort_keys=True, default=str)


def goal_index(data: ProblemData) -> dict[GoalKey, int]:
    """Goal index of each (participant id, competency)."""
    return {(data.participants[g.participant].id, g.competency): i for i, g in enumerate(data.goals)}


class Prober:
    """Answers "can these goals be met with these edits?" on a focused scenario.

    Answers are cached by :func:`canonical`, shared by every goal of a run.
    Each probe gets at most ``cap`` seconds and what is left of ``budget``,
    and charges it the work it used; none starts once the budget's wall-clock
    safety limit has passed (``--deterministic``).
    """

    def __init__(self, base: LoadedScenario, plain: Plain, goals: Sequence[GoalKey], params: SolveParams,
                 budget: Budget, cap: float, cache: dict[str, SolveStatus]) -> None:
        self.base, self.params, self.budget, self.cap, self.cache = base, params, budget, cap, cache
        self.plain = focus(plain, base.scenario, goals)
        self.timed_out = False
        self.problems: list[str] = []

    def status(self, edits: Sequence[tuple[str, Edit]], required: Sequence[GoalKey]) -> SolveStatus:
        """FEASIBLE, INFEASIBLE or UNKNOWN: can ``required`` be met on the focused scenario with ``edits``?"""
        plain = copy.deepcopy(self.plain)
        for _, edit in edits:
            edit(plain)
        key = canonical(plain, required)
        if key in self.cache:
            return self.cache[key]
        limit = min(self.cap, self.budget.remaining())
        if limit < 0.05 or self.budget.out_of_time():
            self.timed_out = True
            return SolveStatus.UNKNOWN  # not cached: out of time, not an answer
        try:
            loaded = reload(self.base, plain)
            _, data = prepare(loaded)
        except ScenarioError as exc:
            self.problems.append(f"relaxed scenario rejected ({', '.join(k for k, _ in edits)}): {exc}")
            self.cache[key] = SolveStatus.UNKNOWN
            return SolveStatus.UNKNOWN
        index = goal_index(data)
        goals = tuple(index[g] for g in required)
        # One worker: on these small models more workers cost more than they
        # gain; likewise symmetry detection, probing and repeated presolve
        # (together 25 % of explain's time on MS-19, answers unchanged).
        params = replace(self.params, time_limit=limit, num_workers=1, extra={**PROBE_EXTRA, **self.params.extra})
        status = can_meet_goals(data, goals, params, budget=self.budget)
        if status not in (SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE):
            self.timed_out = True
            return SolveStatus.UNKNOWN  # not cached: a longer limit may answer
        self.cache[key] = status
        return status


@dataclass
class Question:
    """One goal (with competitors) and the facts that can stand in its way."""

    goal: GoalKey
    competitors: list[GoalKey]
    facts: list[Fact]
    prober: Prober

    def status(self, enforced: Sequence[Fact]) -> SolveStatus:
        """Status of the goal with ``enforced`` facts kept and every other fact relaxed."""
        keep = {f.key for f in enforced}
        relaxed = [f for f in self.facts if f.key not in keep]
        edits = [(f.key, f.edit) for f in relaxed if f.edit is not None]
        dropped = {f.goal for f in relaxed if f.goal is not None}
        required = [self.goal, *(g for g in self.competitors if g not in dropped)]
        return self.prober.status(edits, required)


def deletion_filter(facts: Sequence[Fact], status: Callable[[Sequence[Fact]], SolveStatus]) -> tuple[list[Fact], bool]:
    """An irreducible subset of ``facts`` whose enforcement is infeasible (the deletion filter).

    ``status(enforced)`` must be INFEASIBLE for all of ``facts``. Each fact in
    turn is dropped when the others still make the goal infeasible; what is
    left is a conflict from which no fact can be dropped. Facts are tried
    from the end of the list, so the earlier (more actionable) facts are the
    ones that stay. An UNKNOWN answer keeps the fact: the result is still a
    proven conflict but may not be minimal; the flag says whether it is.
    Most probes here are infeasible ones, which CP-SAT's presolve settles
    in milliseconds; only the kept facts cost a feasible solve.
    """
    kept = list(facts)
    proven = True
    for fact in reversed(list(facts)):
        st = status([f for f in kept if f.key != fact.key])
        if st == SolveStatus.INFEASIBLE:
            kept.remove(fact)
        elif st == SolveStatus.UNKNOWN:
            proven = False
    return kept, proven

