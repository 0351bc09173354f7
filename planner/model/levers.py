"""The repair model: the readiness model of the relaxed scenario with the levers as decisions.

Every lever unit is a variable (a Boolean per date a day lever may open, an
integer per capacity, instructor or load lever, the number of days the
window opens earlier, a Boolean per waiver or dropped module). A session on
a day that needs a unit needs the unit bought; capacity not bought is taken
by a filler interval in the capacity's Cumulative (:attr:`Context.fillers`);
the targeted goals must be met (or waived); the objective is the total cost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.data.days import allowed_days
from planner.data.levers import Repair
from planner.data.repair_problem import RepairProblem
from planner.model.context import Context
from planner.model.families import add_all
from planner.scenario.schema import monday_of

COST_SCALE = 100
"""Objective units per point: costs are kept to two decimals."""


@dataclass
class LeverVars:
    """The lever variables of one repair model."""

    opens: dict[tuple[int, dt.date], cp_model.IntVar] = field(default_factory=dict)
    # (kind, target, date) -> true when some lever opens that day (two levers may name it): a working day
    # ("workdays", "") or a day of resource ``target`` ("dates")
    opened: dict[tuple[str, str, dt.date], cp_model.IntVar] = field(default_factory=dict)
    units: dict[int, cp_model.IntVar] = field(default_factory=dict)
    hours: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (lever, participant) -> slots
    chosen: dict[int, cp_model.IntVar] = field(default_factory=dict)  # waive / drop
    met: list[cp_model.IntVar] = field(default_factory=list)  # per goal: met (or waived) in the repaired plan
    cost: cp_model.LinearExprT = 0
    force: cp_model.IntVar | None = None  # true when the target is met
    shortfall: cp_model.IntVar | None = None  # targeted pairs short of the target
    most_cost: int = 0  # the highest cost any repair can have (objective units)


@dataclass
class RepairModel:
    """A repair model ready to solve."""

    ctx: Context
    problem: RepairProblem
    levers: LeverVars
    targets: tuple[int, ...]
    pristine: cp_model.CpModel | None = None  # the model before alternatives were excluded


def build_repair_model(
    rp: RepairProblem, targets: Sequence[int], at_least: int | None = None, max_cost: float | None = None
) -> RepairModel:
    """The model meeting every goal of ``targets`` (or ``at_least`` of them) at the least cost."""
    ctx = Context(rp.data)
    lv = _variables(ctx, rp)
    _day_rules(ctx, rp, lv)
    add_all(ctx)
    _goals(ctx, rp, lv, targets, at_least)
    if at_least is None:
        _energy(ctx, rp, lv, targets)
    if max_cost is not None:
        ctx.model.add(lv.cost <= round(max_cost * COST_SCALE))
    assert lv.shortfall is not None
    ctx.model.minimize(cp_model.LinearExpr.weighted_sum([lv.shortfall], [short_weight(lv)]) + lv.cost)  # type: ignore[operator]
    return RepairModel(ctx, rp, lv, tuple(targets))


def short_weight(lv: LeverVars) -> int:
    """Objective units of one targeted pair short of the target: more than any repair costs."""
    return lv.most_cost + 1


def _variables(ctx: Context, rp: RepairProblem) -> LeverVars:
    m, data = ctx.model, ctx.data
    lv = LeverVars()
    terms: list[cp_model.LinearExprT] = []
    horizon = data.horizon
    weeks = data.num_weeks
    for d in rp.defs:
        c = round(d.unit_cost * COST_SCALE)
        if d.kind in ("workdays", "dates"):
            opened = []
            for date in d.dates:
                b = m.new_bool_var(f"open[{d.index},{date}]")
                lv.opens[d.index, date] = b
                opened.append(b)
                terms.append(c * b)
            if d.max_days is not None and len(opened) > d.max_days:
                m.add(sum(opened) <= d.max_days)
        elif d.kind in ("start", "block"):
            x = m.new_int_var(0, d.most, f"earlier[{d.index}]")
            lv.units[d.index] = x
            terms.append(c * x)
        elif d.kind == "hours":
            x = m.new_int_var(0, d.most, f"longer[{d.index}]")
            lv.units[d.index] = x
            terms.append(round(d.unit_cost * d.step * COST_SCALE) * x)
        elif d.kind in ("capacity", "instructor"):
            x = m.new_int_var(0, d.most, f"extra[{d.index}]")
            lv.units[d.index] = x
            terms.append(c * x)
            if d.kind == "capacity" and d.week:
                key = ("resource", rp.resources[d.index])
                itv = m.new_fixed_size_interval_var(0, horizon, f"filler[{d.index}]")
                ctx.fillers.setdefault(key, []).append((itv, d.most - x))
            else:
                # Capacity lever of an instructor: its own units; new instructors: one unit each,
                # the k-th there when more than k are hired.
                for k, i in enumerate(rp.instructors[d.index]):
                    units, most = (x, d.most) if d.kind == "capacity" else (_at_least(m, x, k + 1), 1)
                    itv = m.new_fixed_size_interval_var(0, horizon, f"filler[{d.index},{i}]")
                    ctx.fillers.setdefault(("instructor", i), []).append((itv, most - units))
                    ctx.bought.setdefault(("instructor", i), []).append((units, most))
        elif d.kind == "load":
            for p in rp.people[d.index]:
                x = m.new_int_var(0, d.most, f"load[{d.index},{p}]")
                lv.hours[d.index, p] = x
                terms.append(round(d.unit_cost * d.step * COST_SCALE) * x)
                if d.week and d.weeks is None and data.participants[p].weekly_cap is not None:
                    itv = m.new_fixed_size_interval_var(0, weeks, f"wfill[{d.index},{p}]")
                    ctx.fillers.setdefault(("week", p), []).append((itv, d.most - x))
                elif d.week:
                    # Some weeks only (or a participant whose only caps are some weeks' own): a filler in
                    # each of them that has a cap (the relaxed cap less the hours not bought); a week
                    # without a cap has nothing to raise.
                    for w in _lever_weeks(rp, d.index, p):
                        itv = m.new_fixed_size_interval_var(w, 1, f"wfill[{d.index},{p},{w}]")
                        ctx.fillers.setdefault(("week", p), []).append((itv, d.most - x))
                else:
                    itv = m.new_fixed_size_interval_var(0, data.num_days, f"dfill[{d.index},{p}]")
                    ctx.fillers.setdefault(("day", p), []).append((itv, d.most - x))
        elif d.kind in ("waive", "drop"):
            b = m.new_bool_var(f"{d.kind}[{d.index}]")
            lv.chosen[d.index] = b
            pairs = len(rp.waives.get(d.index, ())) if d.kind == "waive" else 1
            terms.append(c * pairs * b)
    lv.cost = sum(terms)
    lv.most_cost = _most_cost(rp)
    by_day: dict[tuple[str, str, dt.date], list[cp_model.IntVar]] = defaultdict(list)
    for (i, date), b in lv.opens.items():
        by_day[_day_key(rp, i, date)].append(b)
    for day, bought in by_day.items():
        if len(bought) == 1:
            lv.opened[day] = bought[0]
        else:
            either = lv.opened[day] = m.new_bool_var(f"opened[{day[1] or day[0]},{day[2]}]")
            m.add_max_equality(either, bought)
    return lv


def _day_key(rp: RepairProblem, lever: int, date: dt.date) -> tuple[str, str, dt.date]:
    """What day lever ``lever`` opens on ``date``: a working day, or a day of its resource."""
    d = rp.defs[lever]
    return (d.kind, d.target if d.kind == "dates" else "", date)


def _lever_weeks(rp: RepairProblem, lever: int, p: int) -> list[int]:
    """The relaxed problem's weeks whose cap weekly load lever ``lever`` raises for participant ``p``."""
    data, d = rp.data, rp.defs[lever]
    part = data.participants[p]
    weeks = {data.week(day): monday_of(date) for day, date in enumerate(rp.grid.days[:data.num_days])}
    return [w for w, monday in sorted(weeks.items()) if d.covers(monday) and part.cap_in_week(w) is not None]


def _most_cost(rp: RepairProblem) -> int:
    """The cost (objective units) of every lever at its most."""
    total = 0
    for d in rp.defs:
        c = round(d.unit_cost * COST_SCALE)
        if d.kind in ("workdays", "dates"):
            total += c * len(d.dates)
        elif d.kind in ("start", "block", "capacity", "instructor"):
            total += c * d.most
        elif d.kind == "hours":
            total += round(d.unit_cost * d.step * COST_SCALE) * d.most
        elif d.kind == "load":
            total += round(d.unit_cost * d.step * COST_SCALE) * d.most * len(rp.people[d.index])
        elif d.kind == "waive":
            total += c * len(rp.waives.get(d.index, ()))
        else:
            total += c
    return total


def _day_rules(ctx: Context, rp: RepairProblem, lv: LeverVars) -> None:
    """A day a lever opens is blocked unless the lever's unit is bought.

    Worked closed days block every participant; extra days of a resource
    block the resource (its whole relaxed capacity, with the capacity levers' units not bought
    counted once); an earlier start is a bound on
    every session's day. In the relaxed scenario a day is open to a session
    exactly when its calendar day, each resource's day and the window allow
    it, so these blocks give back the scenario's own days unless bought.
    """
    m, data = ctx.model, ctx.data
    S = data.slots_per_day
    res_index = {r.id: i for i, r in enumerate(data.resources)}
    unbought: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)  # per resource: capacity units not bought
    for lever in rp.defs:
        if lever.kind == "capacity" and lever.week:
            unbought[rp.resources[lever.index]].append(lever.most - lv.units[lever.index])
    for (kind, what, date), bought in lv.opened.items():  # one closed-day filler per day, whichever lever opens it
        d = rp.grid.day_of(date)
        if d is None:
            continue
        if kind == "workdays":
            for p in range(len(data.participants)):
                itv = m.new_optional_fixed_size_interval_var(d * S, S, ~bought, f"closed[{p},{date}]")
                ctx.fillers.setdefault(("participant", p), []).append((itv, 1))
        else:
            r = res_index[what]
            itv = m.new_optional_fixed_size_interval_var(d * S, S, ~bought, f"closed[{what},{date}]")
            # The relaxed capacity less what the capacity levers' fillers already take (their units not
            # bought): the whole capacity again would have made a closed day cost every capacity unit.
            ctx.fillers.setdefault(("resource", r), []).append((itv, data.resources[r].capacity - sum(unbought[r])))
    longer = next((d for d in rp.defs if d.kind == "hours"), None)
    if longer is not None and data.num_days > 1:
        # The scenario's day is its first base_slots slots; the rest of the relaxed day is bought.
        base_slots = rp.base_grid.slots_per_day
        extra = lv.units[longer.index]
        for j, job in enumerate(data.jobs):
            if not ctx.possible(j):
                continue
            for sv in ctx.sessions[j]:
                if not sv.fixed and sv.day is not None:
                    m.add(sv.start - S * sv.day + job.length <= base_slots + extra)
    for lever in rp.defs:
        if lever.kind != "block" or not lever.most:
            continue
        assert lever.since is not None
        # The block's first days bought: day ``since - k`` is open to its people only with k days bought.
        for k in range(1, lever.most + 1):
            d = rp.grid.day_of(lever.since - dt.timedelta(days=k))
            if d is None:
                continue
            bought = _at_least(m, lv.units[lever.index], k)
            for p in rp.people[lever.index]:
                itv = m.new_optional_fixed_size_interval_var(d * S, S, ~bought, f"early[{p},{lever.target},{k}]")
                ctx.fillers.setdefault(("participant", p), []).append((itv, 1))
    start = next((d for d in rp.defs if d.kind == "start"), None)
    if start is None or rp.start_day == 0:
        return
    shift = lv.units[start.index]
    for j, job in enumerate(data.jobs):
        if not ctx.possible(j):
            continue
        pres = [] if job.mandatory else [ctx.present[j]]
        for sv in ctx.sessions[j]:
            if not sv.fixed and sv.day is not None:
                m.add(sv.day + shift >= rp.start_day).only_enforce_if(pres)


def _goals(ctx: Context, rp: RepairProblem, lv: LeverVars, targets: Sequence[int], at_least: int | None) -> None:
    """Each targeted goal met in the scenario's own terms, or waived; at least ``at_least`` of them."""
    m, data = ctx.model, ctx.data
    waived_by: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for i, goals in rp.waives.items():
        for g in goals:
            waived_by[g].append(lv.chosen[i])
    dropped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, pairs in rp.drops.items():
        for g, j in pairs:
            dropped[g].append((i, j))
    S = data.slots_per_day
    for g, goal in enumerate(data.goals):
        met = m.new_bool_var(f"met[{g}]")
        lv.met.append(met)
        done = m.new_bool_var(f"done[{g}]")
        m.add_implication(done, ctx.goal_sat[g])
        for i, j in dropped[g]:
            # The requirement the drop lever removes: done in time, unless dropped.
            ok = m.new_bool_var(f"kept[{g},{j}]")
            if ctx.possible(j):
                m.add_implication(ok, ctx.present[j])
                last = ctx.last(j)
                if last.day is not None and goal.deadline_day < data.num_days:
                    m.add(last.day <= goal.deadline_day - 1).only_enforce_if(ok)
                elif goal.deadline_day < data.num_days:
                    m.add(last.end <= goal.deadline_day * S).only_enforce_if(ok)
            else:
                m.add(ok == 0)
            m.add_bool_or([ok, lv.chosen[i]]).only_enforce_if(done)
        m.add_bool_or([done, *waived_by[g]]).only_enforce_if(met)
    chosen = [lv.met[g] for g in targets]
    # The target is soft: the objective charges every pair short of it more than
    # any repair costs, so that a plan meeting fewer pairs (the scenario as it
    # is) is a start the search improves, and a bound of one pair short or more
    # proves that no repair reaches the target. 'force' says the target is met.
    need = len(chosen) if at_least is None else min(at_least, len(chosen))
    short = lv.shortfall = m.new_int_var(0, need, "shortfall")
    m.add(short >= need - sum(chosen))
    force = lv.force = m.new_bool_var("target_met")
    m.add(short == 0).only_enforce_if(force)
    m.add(short >= 1).only_enforce_if(~force)


def _energy(ctx: Context, rp: RepairProblem, lv: LeverVars, targets: Sequence[int]) -> None:
    """Implied cuts: each participant's needed hours fit the hours the bought levers give.

    For a deadline D of a targeted goal, the jobs every targeted goal due by
    D needs (single-option requirements and their prerequisites, unless a
    waiver or a dropped module may excuse them) must fit into the weeks
    before D: a week gives at most the weekly cap (plus the hours bought)
    and at most a day's hours on each day open to the participant (working
    days, plus closed days bought, after the start bought). Implied by the
    other constraints; they give the LP the bound that proves a cheaper set
    cannot work.
    """
    m, data = ctx.model, ctx.data
    S = data.slots_per_day
    excused = {g for goals in rp.waives.values() for g in goals} | {g for pairs in rp.drops.values() for g, _ in pairs}
    preds: dict[int, list[int]] = defaultdict(list)
    for prec in data.precedences:
        if prec.kind == "es":
            preds[prec.after].append(prec.before)
    # Per participant and week: the hours the weekly levers may add there, and the slots they added.
    extra_week: dict[int, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    week_most: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    day_extra: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    all_weeks = range(data.num_weeks)
    for (i, p), x in lv.hours.items():
        if rp.defs[i].week:
            for w in all_weeks if rp.defs[i].weeks is None else _lever_weeks(rp, i, p):
                extra_week[p][w].append(x)
                week_most[p][w] += rp.defs[i].most
        else:
            day_extra[p].append(x)
    day_lever = set(day_extra)
    longer = next((d for d in rp.defs if d.kind == "hours"), None)
    workdays = {date: b for (kind, _, date), b in lv.opened.items() if kind == "workdays"}
    start = next((d for d in rp.defs if d.kind == "start"), None)
    early: dict[int, cp_model.IntVar] = {}
    for p, part in enumerate(data.participants):
        deadlines: dict[int, set[int]] = defaultdict(set)
        for g in targets:
            goal = data.goals[g]
            if goal.participant != p or g in excused:
                continue
            for group in goal.groups:
                if len(group) == 1 and ctx.possible(group[0]):
                    deadlines[goal.deadline_day].add(group[0])
        if not deadlines:
            continue
        per_day = S if p in day_lever or part.daily_cap is None else min(S, part.daily_cap)
        mine = [j for j, job in enumerate(data.jobs) if p in job.participants and ctx.possible(j)]
        open_days = sorted({d for j in mine for d in allowed_days(data, j)})
        base = rp.base_grid
        for deadline, jobs in sorted(deadlines.items()):
            need = set(jobs)
            stack = list(jobs)
            while stack:
                for b in preds[stack.pop()]:
                    if b not in need and ctx.possible(b):
                        need.add(b)
                        stack.append(b)
            # A crew event's prerequisites include crew-mates' own jobs: only the
            # participant's jobs take their time.
            work = sum(data.jobs[j].length * (data.jobs[j].num_sessions - data.jobs[j].num_fixed)
                       for j in need if p in data.jobs[j].participants)
            weeks: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
            for d in open_days:
                if d >= deadline:
                    break
                date = rp.grid.days[d]
                term: cp_model.LinearExprT = 1
                if d < rp.start_day and start is not None:
                    if d not in early:
                        early[d] = _at_least(m, lv.units[start.index], rp.start_day - d)
                    term = early[d]
                elif date in workdays and not base.open[base.day_of(date) or 0]:
                    term = workdays[date]
                weeks[data.week(d)].append(term)
            caps = []
            for w, terms in sorted(weeks.items()):
                c = m.new_int_var(0, per_day * len(terms), f"energy[{p},{deadline},{w}]")
                m.add(c <= per_day * sum(terms))
                # A day holds the hours bought for it: the scenario's day plus longer days,
                # and at most the daily cap plus the hours bought on it.
                if longer is not None:
                    m.add(c <= len(terms) * (rp.base_grid.slots_per_day + lv.units[longer.index]))
                if part.daily_cap is not None and p in day_extra:
                    m.add(c <= len(terms) * (part.daily_cap - _day_most(rp, p) + sum(day_extra[p])))
                if (cap := part.cap_in_week(w)) is not None:
                    m.add(c <= cap - week_most[p][w] + sum(extra_week[p][w]))
                caps.append(c)
            assert lv.force is not None
            m.add(sum(caps) >= work).only_enforce_if(lv.force)  # freed with the target (unlocked_by)


def _day_most(rp: RepairProblem, p: int) -> int:
    """Slots the load levers added to participant ``p``'s daily cap in the relaxed scenario."""
    return sum(d.most for d in rp.defs if d.kind == "load" and not d.week and p in rp.people.get(d.index, ()))


def read_repair(model: RepairModel, solver: cp_model.CpSolver) -> Repair:
    """The lever units of ``solver``'s solution."""
    lv, rp = model.levers, model.problem
    out = Repair()
    for (i, date), b in lv.opens.items():
        if solver.boolean_value(b):
            out.dates[i] = (*out.dates.get(i, ()), date)
    for i, x in lv.units.items():
        out.units[i] = solver.value(x)
    for (i, p), x in lv.hours.items():
        out.hours.setdefault(i, {})[rp.data.participants[p].id] = solver.value(x) * rp.defs[i].step
    for i, b in lv.chosen.items():
        if solver.boolean_value(b):
            out.chosen.add(i)
    return out


def exclude(model: RepairModel, repair: Repair) -> None:
    """Forbid ``repair`` and every repair that uses at least its units (the next one must differ)."""
    m, lv, rp = model.ctx.model, model.levers, model.problem
    lits: list[cp_model.IntVar] = []
    for i, dates in repair.dates.items():  # the day opened, by whichever lever: the same edit
        lits += [lv.opened[_day_key(rp, i, d)] for d in dates]
    for i, n in repair.units.items():
        if n > 0:
            lits.append(_at_least(m, lv.units[i], n))
    for i, hours in repair.hours.items():
        for pid, h in hours.items():
            slots = round(h / rp.defs[i].step)
            if slots > 0:
                p = next(p for p, part in enumerate(rp.data.participants) if part.id == pid)
                lits.append(_at_least(m, lv.hours[i, p], slots))
    lits += [lv.chosen[i] for i in repair.chosen]
    m.add_bool_or([~b for b in lits])


def _at_least(m: cp_model.CpModel, x: cp_model.IntVar, n: int) -> cp_model.IntVar:
    b = m.new_bool_var(f"{x.name}>={n}")
    m.add(x >= n).only_enforce_if(b)
    m.add(x <= n - 1).only_enforce_if(~b)
    return b
