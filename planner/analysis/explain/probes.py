"""Probes: "can these goals be met with these facts relaxed?", cached, and the deletion filter."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from planner.analysis.explain.scope import focus
from planner.analysis.explain.types import Edit, Fact, GoalKey, Plain, clone
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
    """A text equal for two focused scenarios that differ only in participant, role, crew and
    competency ids (and names) and in the order of those lists: such probes have the same answer.

    Goals that are alike (two competencies with the same rule, two crews
    with the same make-up, two trainees of the same programme in one crew)
    then share every probe through the cache. The ids are renamed in order
    of first use (the required goals first) and the lists sorted by the new
    names, which is sound only when every reference to them is renamed: if an
    old id is still found anywhere else in the text (a field this function
    does not know), the text is the scenario as it is, so that an unrenamed
    reference can never point at a different entry in two equal texts.
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
    by_label = sorted(plain["participants"], key=lambda p: _label_order(people[p["id"]]))
    roles: dict[str, str] = {}
    crews: dict[str, str] = {}
    for p in by_label:
        roles.setdefault(p["role"], f"_R{len(roles)}")
        crews.setdefault(p["crew"], f"_C{len(crews)}")
    for r in plain["roles"]:
        roles.setdefault(r["id"], f"_R{len(roles)}")

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _DROPPED_KEYS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    out = strip(plain)
    for p in out["participants"]:
        p["id"], p["crew"], p["role"] = people[p["id"]], crews[p["crew"]], roles[p["role"]]
        p["holds"] = sorted(comps.get(h, h) for h in p["holds"])
    for c in out["competencies"]:
        c["id"] = comps[c["id"]]
    for r in out["roles"]:
        r["id"] = roles[r["id"]]
        r["requires"] = sorted(comps.get(c, c) for c in r["requires"])
    for m in out["modules"]:
        if m.get("roles"):
            m["roles"] = sorted(roles.get(r, r) for r in m["roles"])
    if _mentions(out, {*people, *roles, *comps, *crews}):
        # An id is referred to where it was not renamed: only the text as it is is safe.
        return json.dumps([plain, list(required)], sort_keys=True, default=str)
    out["participants"].sort(key=lambda p: _label_order(p["id"]))
    out["roles"].sort(key=lambda r: _label_order(r["id"]))
    out["competencies"].sort(key=lambda c: _label_order(c["id"]))
    goals = [(people[p], comps[c]) for p, c in required]
    return json.dumps([out, goals], sort_keys=True, default=str)


def _label_order(label: str) -> int:
    return int(label[2:])


def _mentions(node: Any, ids: set[str]) -> bool:
    """Whether any string in ``node`` (keys included) is one of ``ids``."""
    if isinstance(node, str):
        return node in ids
    if isinstance(node, dict):
        return any(k in ids or _mentions(v, ids) for k, v in node.items())
    if isinstance(node, list | tuple):
        return any(_mentions(v, ids) for v in node)
    return False


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

    def edited(self, edits: Sequence[tuple[str, Edit]]) -> Plain:
        """The focused scenario with ``edits``."""
        plain = clone(self.plain) if edits else self.plain  # edits change the copy in place
        for _, edit in edits:
            edit(plain)
        return plain

    def key(self, edits: Sequence[tuple[str, Edit]], required: Sequence[GoalKey]) -> str:
        """The cache key of the probe (see :func:`canonical`)."""
        return canonical(self.edited(edits), required)

    def status(self, edits: Sequence[tuple[str, Edit]], required: Sequence[GoalKey]) -> SolveStatus:
        """FEASIBLE, INFEASIBLE or UNKNOWN: can ``required`` be met on the focused scenario with ``edits``?"""
        plain = self.edited(edits)
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

