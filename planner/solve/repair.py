"""Solve the repair model: the cheapest lever set, then the next ones, and what each lever unlocks."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.data.levers import Repair
from planner.data.repair_problem import RepairProblem
from planner.data.result import PhaseInfo, Schedule, SolveStatus
from planner.exceptions import VerificationError
from planner.model.levers import COST_SCALE, RepairModel, build_repair_model, exclude, read_repair, short_weight
from planner.solve.budget import REPAIR_FIRST, REPAIR_HINT, REPAIR_UNLOCKS, Budget
from planner.solve.cpsat import ANSWERED, STATUS, extract_schedule, run_phase, solve_interruptibly
from planner.solve.hints import complete_hint
from planner.solve.params import Progress, SolveParams


@dataclass(frozen=True)
class FoundRepair:
    """One repair set: its units, cost (points), the relaxed schedule that showed it, and how sure.

    ``status``: OPTIMAL (no cheaper set exists apart from those found
    before it), FEASIBLE (``bound``: no set is cheaper than this).
    """

    repair: Repair
    cost: float
    bound: float
    status: SolveStatus
    schedule: Schedule
    met: frozenset[int] | None = None  # the targeted goals it meets (or waives); None: every target


@dataclass
class RepairSearch:
    """What the search found: the repair sets, cheapest first, and how the first search ended.

    ``status`` of the first search: OPTIMAL (the first set is the cheapest),
    FEASIBLE (``bound`` is a lower bound on any set's cost), INFEASIBLE
    (proven: no lever set within the limits reaches the target), UNKNOWN.
    """

    status: SolveStatus
    found: list[FoundRepair] = field(default_factory=list)
    bound: float | None = None
    best_short: int | None = None  # targeted pairs the best plan found is short of the target
    exhausted: bool = False  # proven: no other set (not using all of a found one's units) meets the target
    phases: list[PhaseInfo] = field(default_factory=list)


def search_repairs(
    rp: RepairProblem,
    targets: Sequence[int],
    params: SolveParams,
    budget: Budget,
    top: int = 1,
    at_least: int | None = None,
    max_cost: float | None = None,
    hint: Schedule | None = None,
    progress: Progress | None = None,
) -> tuple[RepairSearch, RepairModel]:
    """The ``top`` cheapest repair sets, each not using all the units of an earlier one.

    The first search gets most of ``budget``; the alternatives share the rest.
    """
    t0 = time.perf_counter()
    model = build_repair_model(rp, targets, at_least, max_cost)
    weight = short_weight(model.levers)
    shown = None if progress is None else (
        lambda phase, s, obj, _bound: progress(phase, s, (obj % weight) / COST_SCALE, float(obj // weight)))
    if hint is not None:
        # Handed out whole (charged once, in full): not charged again by what it uses.
        complete_hint(model.ctx, hint, params, budget.part(budget.share(REPAIR_HINT)))
    out = RepairSearch(SolveStatus.UNKNOWN)
    lv = model.levers
    assert lv.shortfall is not None
    for k in range(top):
        left = budget.rest(keep=budget.share(REPAIR_UNLOCKS))
        limit = left * (REPAIR_FIRST.fraction if top > 1 else 1.0) if k == 0 else left / (top - k)
        if limit <= 0.05:
            break
        solver, status, info = run_phase(model.ctx, params, limit, f"repair {k + 1}", shown, t0, budget)
        if status == SolveStatus.MODEL_INVALID:  # a bug in the lever model, never a time limit
            raise VerificationError([f"CP-SAT rejected the repair model (MODEL_INVALID) in search {k + 1}"])
        out.phases.append(info)
        short = solver.value(lv.shortfall) if status in ANSWERED else None
        bound = solver.best_objective_bound if status != SolveStatus.INFEASIBLE else None
        if k == 0:
            out.best_short = short
            if status == SolveStatus.INFEASIBLE or (bound is not None and bound >= weight):
                out.status = SolveStatus.INFEASIBLE  # every plan is at least one pair short: proven
                break
            out.status = status if short == 0 else SolveStatus.UNKNOWN
            out.bound = None if bound is None else bound / COST_SCALE
        if short != 0:
            out.exhausted = k > 0 and status == SolveStatus.INFEASIBLE
            break
        repair = read_repair(model, solver)
        out.found.append(FoundRepair(repair, (solver.objective_value) / COST_SCALE,
                                     (bound or 0.0) / COST_SCALE, status, extract_schedule(model.ctx, solver),
                                     frozenset(g for g in model.targets if solver.boolean_value(lv.met[g]))))
        if not repair.used() or k == top - 1:
            break  # nothing to change (no alternative can be cheaper or different), or enough found
        if k == 0:
            model.pristine = model.ctx.model.clone()  # what each lever unlocks is asked of this model
            model.ctx.model.add(lv.shortfall == 0)  # the alternatives meet the target too
        exclude(model, repair)
    return out, model


def unlocked_by(
    model: RepairModel, repair: Repair, lever: int, params: SolveParams, limit: float,
    met: frozenset[int] | None = None,
) -> tuple[tuple[int, ...], bool]:
    """Targeted goals that cannot all be met when ``lever`` goes back to nothing and the
    other levers stay as in ``repair``: (the goals missed, proven). Only goals in ``met`` (those the
    repair meets; default every target) count: with a target of N pairs the others were never unlocked."""
    m = (model.pristine or model.ctx.model).clone()
    lv = model.levers

    def var(v: cp_model.IntVar) -> cp_model.IntVar:
        return m.get_int_var_from_proto_index(v.index)

    for (i, date), b in lv.opens.items():
        m.add(var(b) == int(i != lever and date in repair.dates.get(i, ())))
    for i, x in lv.units.items():
        m.add(var(x) == (0 if i == lever else repair.units.get(i, 0)))
    rp = model.problem
    for (i, p), x in lv.hours.items():
        hours = 0.0 if i == lever else repair.hours.get(i, {}).get(rp.data.participants[p].id, 0.0)
        m.add(var(x) == round(hours / rp.defs[i].step))
    for i, b in lv.chosen.items():
        m.add(var(b) == int(i != lever and i in repair.chosen))
    # The targets the repair meets become goals to meet as many of as possible.
    kept = [g for g in model.targets if met is None or g in met]
    m.clear_objective()
    m.maximize(sum(var(lv.met[g]) for g in kept))
    solver = cp_model.CpSolver()
    params.apply(solver, limit)
    status = STATUS[solve_interruptibly(solver, m)]
    if status not in ANSWERED:
        return (), False
    missed = tuple(g for g in kept if not solver.boolean_value(var(lv.met[g])))
    return missed, status == SolveStatus.OPTIMAL

