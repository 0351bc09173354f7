"""The explanation kinds: for each, the facts it lists and the fixes it proposes, with their costs.

The constraint families declare which kinds explain them
(``Family.explains`` in :mod:`planner.model.families`); this registry holds,
per kind, the fact builder, the fix (a search for the least change, or a
relaxation at the kind's cost) and the kind's rank. ``tests/model/
test_contract.py`` checks that the kinds here and the families' kinds are
the same set, so a new family cannot silently go unexplained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.analysis.explain.facts import (
    FactBuilder,
    Scope,
    available_facts,
    blackout_facts,
    block_facts,
    campaign_facts,
    capacity_facts,
    deadline_facts,
    gate_facts,
    goal_facts,
    instructor_facts,
    load_facts,
    pattern_facts,
    prerequisite_facts,
    recency_facts,
    season_facts,
    spacing_facts,
    window_facts,
)
from planner.analysis.explain.fixes import (
    WAIVER,
    FixSearch,
    available_fixes,
    campaign_fixes,
    capacity_fixes,
    checked,
    instructor_fixes,
    load_fixes,
    never_fixed,
    window_fixes,
)
from planner.analysis.explain.probes import Question
from planner.analysis.explain.scope import closure, qualifications
from planner.analysis.explain.types import Edit, Fact, Fix, GoalKey
from planner.model.families import CONTRACTS
from planner.scenario.schema import Scenario


@dataclass(frozen=True)
class Kind:
    """How facts of one kind are listed and fixed.

    ``search`` finds the least change (e.g. the fewest window days), or
    decides that the fact is physical and not to be changed (seasons); without
    it the fix relaxes the fact at ``cost``, labelled a waiver when
    ``waiver`` (the rule is dropped rather than eased; waivers come after
    every real fix).
    """

    facts: FactBuilder
    cost: float = WAIVER
    waiver: bool = False
    search: FixSearch | None = None


# In order of preference in a conflict (the deletion filter drops the last
# ones first): the things a planner can act on first, structural rules of
# the programme last.
KINDS: dict[str, Kind] = {
    "window": Kind(window_facts, search=window_fixes),
    "deadline": Kind(deadline_facts, cost=1.5 * WAIVER, waiver=True),
    "load": Kind(load_facts, search=load_fixes),
    "capacity": Kind(capacity_facts, search=capacity_fixes),
    "goal": Kind(goal_facts),  # a competing goal: given up, never "fixed"
    "campaign": Kind(campaign_facts, cost=0.6 * WAIVER, search=campaign_fixes),
    "available": Kind(available_facts, cost=0.6 * WAIVER, search=available_fixes),
    "season": Kind(season_facts, waiver=True, search=never_fixed),
    # A gate's equipment and examiners are the gate's (sourced, like its date): listed, never fixed.
    "gate": Kind(gate_facts, waiver=True, search=never_fixed),
    # A block tie is the programme's choice ("systems in block 1"), not a physical fact.
    "block": Kind(block_facts, cost=0.6 * WAIVER),
    "blackout": Kind(blackout_facts, cost=0.4 * WAIVER),
    "instructors": Kind(instructor_facts, search=instructor_fixes),
    "recency": Kind(recency_facts, waiver=True),
    "pattern": Kind(pattern_facts, waiver=True),
    "spacing": Kind(spacing_facts, waiver=True),
    "prerequisite": Kind(prerequisite_facts, cost=1.5 * WAIVER, waiver=True),
}
RANK = {kind: k for k, kind in enumerate(KINDS)}


def declared_kinds() -> list[str]:
    """The kinds the constraint families declare, in the registry's order of preference."""
    kinds = {kind for family in CONTRACTS for kind in family.explains}
    return sorted(kinds, key=lambda k: RANK.get(k, len(RANK)))


def _scope(sc: Scenario, goals: Sequence[GoalKey], competitors: Sequence[GoalKey]) -> Scope:
    mods = {m.id: m for m in sc.modules}
    all_mods: list[str] = []
    people: set[str] = set()
    for goal in (*goals, *competitors):
        goal_mods, goal_people = closure(sc, goal)
        all_mods += [m for m in goal_mods if m not in all_mods]
        people |= goal_people
    used = list(dict.fromkeys(u.id for mid in all_mods for u in mods[mid].resources))
    quals = list(dict.fromkeys(q for mid in all_mods for q in qualifications(sc, mods[mid])))
    return Scope(sc, goals, competitors, all_mods, [p.id for p in sc.participants if p.id in people], used, quals)


def scenario_facts(sc: Scenario, goals: Sequence[GoalKey], competitors: Sequence[GoalKey] = ()) -> list[Fact]:
    """The facts that can stand in the way of ``goals``, most actionable first.

    Only facts touching the goals' modules (with their prerequisite closure),
    people, resources, instructors and deadlines are listed; the kinds are
    those the constraint families declare.
    """
    target_p, target_c = goals[0]
    found: dict[str, Fact] = {}

    def add(kind: str, parts: Sequence[str], text: str, relaxed: str, edit: Edit | None,
            goal: GoalKey | None = None) -> None:
        key = ":".join([kind, *parts])
        generic = ":".join([kind, *("<P>" if p == target_p else "<C>" if p == target_c else p for p in parts)])
        found.setdefault(key, Fact(key, kind, text, relaxed, edit, generic, goal))

    scope = _scope(sc, goals, competitors)
    for kind in declared_kinds():
        KINDS[kind].facts(scope, add)
    return sorted(found.values(), key=lambda fact: RANK[fact.kind])


def fixes_for(fact: Fact, sc: Scenario, q: Question, required: list[GoalKey]) -> list[Fix]:
    """Single changes of ``fact`` that make the goal achievable (checked on the goal)."""
    if fact.edit is None:
        return []
    kind = KINDS[fact.kind]
    if kind.search is not None:
        return kind.search(fact, sc, q, required)
    return checked(Fix(f"{fact.key}:relax", fact.relaxed + (" (waiver)" if kind.waiver else ""), kind.cost,
                         fact.edit, waiver=kind.waiver), q, required)
