"""The repair problem: the scenario with every lever at its most, and the lever bookkeeping.

Every lever at its most gives the *relaxed* scenario; its problem data is
what the repair model (:mod:`planner.model.levers`) schedules. Only three
kinds of lever open days -- closed calendar days worked, more days of a
resource, an earlier start -- and each opens its days in one place
(calendar, resource availability, window), so a day is open to a session in
the scenario as it is exactly when it is open in the relaxed one and none of
those three levers is needed on it: the repair model blocks each such day
unless its unit is bought.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from planner.calendar.grid import TimeGrid, build_grid
from planner.data.levers import LeverDef, Repair, changes_for, hire_blocks, lever_defs, most_repair
from planner.data.problem import ProblemData, build_problem
from planner.scenario.changes import changed_scenario
from planner.scenario.schema import Scenario


@dataclass(frozen=True)
class RepairProblem:
    """The relaxed problem and the lever bookkeeping the repair model needs.

    ``start_day``: the scenario's own first day in the relaxed grid.
    ``drops[lever]``: (goal, job) pairs whose requirement the lever removes.
    ``instructors[lever]``/``resources[lever]``: relaxed indices it widens;
    ``people[lever]``: participant indices of a load lever.
    """

    scenario: Scenario
    relaxed: Scenario
    defs: tuple[LeverDef, ...]
    base_grid: TimeGrid
    base: ProblemData
    grid: TimeGrid
    data: ProblemData
    start_day: int = 0
    drops: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    waives: dict[int, tuple[int, ...]] = field(default_factory=dict)
    resources: dict[int, int] = field(default_factory=dict)
    instructors: dict[int, tuple[int, ...]] = field(default_factory=dict)
    people: dict[int, tuple[int, ...]] = field(default_factory=dict)


def scenario_with(sc: Scenario, defs: Sequence[LeverDef], repair: Repair) -> Scenario:
    """``sc`` with the edits of ``repair``, made by the edit code that makes a saved repair (validated)."""
    return changed_scenario(sc, changes_for(sc, defs, repair), "<every lever at its most>")


def build_repair_problem(sc: Scenario) -> RepairProblem:
    """The relaxed problem of ``sc`` and its lever bookkeeping (see the class)."""
    defs = tuple(lever_defs(sc))
    relaxed = scenario_with(sc, defs, most_repair(defs))
    grid = build_grid(relaxed)
    data = build_problem(relaxed, grid)
    base_grid = build_grid(sc)
    base = build_problem(sc, base_grid)
    start_day = (sc.window.start - relaxed.window.start).days
    # A gate takes the units the scenario has (its demand, or the whole capacity *as written*):
    # capacity a repair buys stays free on the gate's days.
    taken = {r.id: r.reserved for r in base.resources}
    data = replace(data, resources=tuple(
        replace(r, reserved=tuple((d + start_day, u) for d, u in taken.get(r.id, r.reserved))) for r in data.resources))
    drops: dict[int, tuple[tuple[int, int], ...]] = {}
    goals = list(data.goals)
    for lv in defs:
        if lv.kind != "drop":
            continue
        pairs = []
        for g, goal in enumerate(goals):
            kept = []
            for group in goal.groups:
                if group and all(data.jobs[j].module == lv.target for j in group) and len(group) == 1:
                    pairs.append((g, group[0]))
                else:
                    kept.append(group)
            goals[g] = replace(goal, groups=tuple(kept))
        drops[lv.index] = tuple(pairs)
    data = replace(data, goals=tuple(goals))
    waives = {lv.index: tuple(g for g, goal in enumerate(data.goals) if goal.competency == lv.target)
              for lv in defs if lv.kind == "waive"}
    resources = {lv.index: next(r for r, res in enumerate(data.resources) if res.id == lv.target)
                 for lv in defs if lv.kind == "capacity" and lv.week}
    instructors: dict[int, tuple[int, ...]] = {}
    hires = hire_blocks(sc, defs)  # as changes_for names them
    for lv in defs:
        if lv.kind == "capacity" and not lv.week:
            instructors[lv.index] = tuple(i for i, ins in enumerate(data.instructors) if ins.id == lv.target)
        elif lv.kind == "instructor":
            instructors[lv.index] = tuple(i for i, ins in enumerate(data.instructors) if ins.id in hires[lv.index])
    people = {lv.index: tuple(p for p, part in enumerate(data.participants) if part.id in lv.participants)
              for lv in defs if lv.kind in ("load", "block")}
    return RepairProblem(sc, relaxed, defs, base_grid, base, grid, data, start_day, drops, waives, resources, instructors, people)
