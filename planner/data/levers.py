"""Repair levers in scenario terms: what each may change, the scenario with every lever
at its most, and the edits of a chosen repair.

A lever (:mod:`planner.scenario.repairs`) becomes a :class:`LeverDef` with
concrete units: candidate dates (work a closed day, use a resource on a day
it is not available, open the window a day earlier) or a number of units
(capacity, instructors, hours of a load cap per participant). The repair
model (:mod:`planner.model.levers`) plans the *relaxed* scenario, every lever
at its most, and charges for the units its schedule needs; a chosen repair
is turned back into scenario edits (:func:`changes_for`), which a whole
re-plan then verifies.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from planner.calendar.grid import build_grid, resource_available
from planner.calendar.missions import participant_missions
from planner.scenario.changes import Change
from planner.scenario.loads import week_runs
from planner.scenario.repairs import (
    DEFAULT_EXTRA_DAY_HOURS,
    DEFAULT_EXTRA_UNITS,
    DEFAULT_EXTRA_WEEKLY_HOURS,
    BlockLever,
    CapacityLever,
    DatesLever,
    DropLever,
    HoursLever,
    InstructorLever,
    Lever,
    LoadLever,
    StartLever,
    WaiveLever,
    WorkdaysLever,
)
from planner.scenario.schema import WEEKDAYS, AnyOf, Load, Participant, Scenario, monday_of

DAY_KINDS = ("workdays", "dates", "start", "block")
"""Levers that open days (the others change capacities or the goals)."""


@dataclass(frozen=True)
class LeverDef:
    """One lever with its units.

    ``dates``: candidate dates (workdays, dates); ``most``: the most units
    (capacity, instructor, start days, load hours per participant); for a
    load lever ``participants`` (ids) and which cap (``week``); ``unit_cost``
    per day, unit, instructor, hour or pair.
    """

    index: int
    kind: str
    label: str
    unit: str
    unit_cost: float
    target: str = ""
    dates: tuple[dt.date, ...] = ()
    most: int = 0
    week: bool = True
    participants: tuple[str, ...] = ()
    max_days: int | None = None
    step: float = 1.0  # hours per unit of a load lever (one slot)
    declared: bool = True
    weeks: tuple[dt.date, dt.date] | None = None  # a weekly-cap lever's first and last Monday (None: every week)
    since: dt.date | None = None  # a block lever: the block's own first day
    number: int = 0  # its place in the file's repairs.levers, from 1 (0: a default lever)

    def covers(self, monday: dt.date) -> bool:
        """Whether this (weekly load) lever raises the cap of the week starting on ``monday``."""
        return self.weeks is None or self.weeks[0] <= monday <= self.weeks[1]


@dataclass
class Repair:
    """Units a repair uses, per lever index: dates, a count, or hours per participant."""

    dates: dict[int, tuple[dt.date, ...]] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    hours: dict[int, dict[str, float]] = field(default_factory=dict)
    chosen: set[int] = field(default_factory=set)  # waive and drop levers taken

    def used(self) -> list[int]:
        """Lever indices this repair uses, in order."""
        used = {i for i, d in self.dates.items() if d} | {i for i, u in self.units.items() if u}
        used |= {i for i, h in self.hours.items() if any(v > 0 for v in h.values())} | self.chosen
        return sorted(used)


def _levers(sc: Scenario) -> list[tuple[Lever, bool]]:
    """Declared levers, then the defaults for what they leave unnamed (``(lever, declared)``)."""
    out: list[tuple[Lever, bool]] = [(lv, True) for lv in sc.repairs.levers]
    if not sc.repairs.defaults:
        return out
    kinds = {lv.kind for lv in sc.repairs.levers}
    if "workdays" not in kinds:
        out.append((WorkdaysLever(kind="workdays", weekdays=("sat", "sun"), holidays=True), False))
    dated = {lv.resource for lv in sc.repairs.levers if isinstance(lv, DatesLever)}
    for r in sc.resources:
        if r.available_dates and r.id not in dated:
            out.append((DatesLever.model_construct(kind="dates", resource=r.id, dates=(), within=None, max=None,
                                                   cost=None, note=""), False))
    if "hours" not in kinds:
        extra = min(DEFAULT_EXTRA_DAY_HOURS, _longest_extra(sc))
        step = sc.calendar.slot_minutes / 60
        extra = int(extra / step + 1e-9) * step
        if extra > 0:
            out.append((HoursLever(kind="hours", extra_hours_per_day=extra), False))
    if "load" not in kinds and any(p.load is not None for p in sc.participants):
        weekly = DEFAULT_EXTRA_WEEKLY_HOURS if any(p.load and (p.load.max_hours_per_week or p.load.weeks)
                                                   for p in sc.participants) else 0
        daily = DEFAULT_EXTRA_DAY_HOURS if any(p.load and p.load.max_hours_per_day for p in sc.participants) else 0
        if weekly or daily:
            out.append((LoadLever(kind="load", extra_hours_per_week=weekly, extra_hours_per_day=daily), False))
    widened = {lv.resource for lv in sc.repairs.levers if isinstance(lv, CapacityLever)}
    for r in sc.resources:
        if r.capacity == 1 and r.id not in widened:
            out.append((CapacityLever(kind="capacity", resource=r.id, max=DEFAULT_EXTRA_UNITS), False))
    return out


def _longest_extra(sc: Scenario) -> float:
    """The most hours a working day may grow: to midnight, and to the format's 16-h day."""
    cal = sc.calendar
    return max(0.0, min(16 - cal.day_hours, 24 - (cal.day_start.hour + cal.day_start.minute / 60) - cal.day_hours))


def earliest_start(sc: Scenario) -> dt.date:
    """The window start with every start lever at its most."""
    most = max((lv.max_days for lv in sc.repairs.levers if isinstance(lv, StartLever)), default=0) if not sc.missions else 0
    longest = (sc.window.launch - dt.timedelta(days=366)) if most else sc.window.start
    return max(sc.window.start - dt.timedelta(days=most), longest)


def lever_defs(sc: Scenario) -> list[LeverDef]:
    """Every lever of ``sc`` (declared and default) with its candidate units."""
    start = earliest_start(sc)
    wide = build_grid(sc.model_copy(update={"window": sc.window.model_copy(update={"start": start})}))
    gate_days = {d for d, why in wide.closed_days.items() if why.startswith("gate")}
    out: list[LeverDef] = []
    for place, (lever, declared) in enumerate(_levers(sc), start=1):  # the declared ones come first, in order
        i = len(out)
        cost = lever.unit_cost
        if isinstance(lever, WorkdaysLever):
            lo, hi = (lever.within.start, lever.within.end) if lever.within else (start, wide.training_end)
            wanted = {WEEKDAYS.index(w) for w in lever.weekdays}
            days = []
            for d, ok in zip(wide.days, wide.open, strict=True):
                reason = wide.closed_days.get(d, "")
                named = d in lever.dates or d.weekday() in wanted or (lever.holidays and reason.startswith("holiday"))
                # A day two levers name is each one's: the model opens it when either is bought, and the
                # cheaper one is the one a least-cost repair buys (the first declared took it before).
                if lo <= d <= hi and named and not ok and d not in gate_days:
                    days.append(d)
            what = ", ".join([*lever.weekdays, *(["holidays"] if lever.holidays else []), *(["named days"] if lever.dates else [])])
            out.append(LeverDef(i, "workdays", f"work on closed days ({what})", "day", cost,
                                dates=tuple(days), max_days=lever.max, declared=declared))
        elif isinstance(lever, DatesLever):
            res = next(r for r in sc.resources if r.id == lever.resource)
            lo, hi = (lever.within.start, lever.within.end) if lever.within else (start, wide.training_end)
            cands = set(lever.dates) | {d for d in wide.days if lo <= d <= hi} if lever.within or not lever.dates \
                else set(lever.dates)
            days = sorted(d for d in cands if start <= d < wide.training_end and d not in gate_days
                          and not resource_available(res, d)
                          and not any(b.contains(d) for b in res.blackouts))
            out.append(LeverDef(i, "dates", f"more {res.id} days", "day", cost, target=res.id,
                                dates=tuple(days), max_days=lever.max, declared=declared))
        elif isinstance(lever, CapacityLever):
            target = lever.resource or lever.instructor or ""
            out.append(LeverDef(i, "capacity", f"more {target} capacity", "unit", cost, target=target,
                                most=lever.max, week=lever.resource is not None, declared=declared))
        elif isinstance(lever, InstructorLever):
            out.append(LeverDef(i, "instructor", f"new {lever.qualification} instructor", "instructor", cost,
                                target=lever.qualification, most=lever.max, declared=declared))
        elif isinstance(lever, LoadLever):
            for weekly, extra in ((True, lever.extra_hours_per_week), (False, lever.extra_hours_per_day)):
                if not extra:
                    continue
                key = "max_hours_per_week" if weekly else "max_hours_per_day"
                weeks = (monday_of(lever.within.start), monday_of(lever.within.end)) if lever.within else None
                people = tuple(p.id for p in sc.participants
                               if (not lever.participants or p.id in lever.participants)
                               and p.load is not None and (getattr(p.load, key) is not None
                                                           or ((weekly or weeks is not None) and _capped(p.load, weeks))))
                if people:
                    slots = round(extra * 60 / sc.calendar.slot_minutes)
                    label = f"higher {'weekly' if weekly else 'daily'} load cap"
                    if weeks is not None:
                        label += f" in the weeks from {weeks[0]} to {weeks[1] + dt.timedelta(days=6)}"
                    out.append(LeverDef(len(out), "load", label,
                                        "hour", cost, most=slots, week=weekly, participants=people,
                                        step=sc.calendar.slot_minutes / 60, declared=declared, weeks=weeks))
        elif isinstance(lever, HoursLever):
            step = sc.calendar.slot_minutes / 60
            # At most to midnight and to a 16-h day (the format's limits), as the default lever is made.
            room = min(lever.extra_hours_per_day, _longest_extra(sc))
            out.append(LeverDef(i, "hours", "longer working days", "hour", cost,
                                most=int(room / step + 1e-9), step=step, declared=declared))
        elif isinstance(lever, StartLever) and not sc.missions:  # a file with missions: left out (a warning)
            earlier = (sc.window.start - start).days
            out.append(LeverDef(i, "start", "earlier window start", "day", cost, most=min(lever.max_days, earlier),
                                declared=declared))
        elif isinstance(lever, BlockLever):
            mission = next(m for m in sc.missions if m.id == lever.mission)
            k = next(k for k, b in enumerate(mission.blocks) if b.id == lever.block)
            block = mission.blocks[k]
            # Into the break before the block (never overlapping the block before), at most to the grid's start.
            earliest = start if k == 0 else mission.block_end(mission.blocks[k - 1]) + dt.timedelta(days=1)
            missions = participant_missions(sc)
            mi = sc.missions.index(mission)
            people = tuple(p.id for p, pm in zip(sc.participants, missions, strict=True)
                           if pm == mi and (not p.blocks or block.id in p.blocks))
            out.append(LeverDef(i, "block", f"earlier start of {mission.id} {block.id}", "day", cost,
                                target=f"{mission.id}/{block.id}", participants=people, since=block.start,
                                most=max(0, min(lever.max_days, (block.start - earliest).days)), declared=declared))
        elif isinstance(lever, WaiveLever):
            out.append(LeverDef(i, "waive", f"waive {lever.competency}", "pair", cost, target=lever.competency,
                                declared=declared))
        elif isinstance(lever, DropLever):
            out.append(LeverDef(i, "drop", f"drop module {lever.module}", "module", cost, target=lever.module,
                                declared=declared))
        if declared:  # one lever may make several (a load lever's weekly and daily raises)
            out[i:] = [replace(d, number=place) for d in out[i:]]
    return out


def _capped(load: Load, weeks: tuple[dt.date, dt.date] | None) -> bool:
    """Whether ``load`` caps some week from Monday ``weeks[0]`` to Monday ``weeks[1]`` (None: any week;
    a participant whose only caps are some weeks' own, ``load.weeks``, has those raised)."""
    if load.max_hours_per_week is not None:
        return True
    return any(weeks is None or (w.mondays()[0] <= weeks[1] and w.mondays()[1] >= weeks[0]) for w in load.weeks)


def week_raise(p: Participant, lever: LeverDef, hours: float) -> list[Change]:
    """The edits of participant ``p``'s weekly caps that weekly load ``lever`` raising them by ``hours`` makes
    (as ``repair`` writes them: explain prices a lever of some weeks through these)."""
    return _week_changes(p, [(lever, hours)])


def _week_changes(p: Participant, raises: list[tuple[LeverDef, float]]) -> list[Change]:
    """The edits of participant ``p``'s weekly caps that the (lever, hours) ``raises`` make: the weekly
    cap raised by the whole-window levers, and ``load.weeks`` rewritten when some week differs from it
    (a week's cap is its own, or the weekly cap, plus every raise that covers it; a week without a cap
    stays without one)."""
    load = p.load
    assert load is not None
    whole = sum(h for lv, h in raises if lv.weeks is None)
    out = []
    now = load.max_hours_per_week
    default = None if now is None else now + whole
    if whole and now is not None:
        cost = _points(sum(lv.unit_cost * h for lv, h in raises if lv.weeks is None))
        out.append(Change(f"participants.{p.id}.load.max_hours_per_week", _hours(now + whole), False,
                          f"repair: was {_hours(now)} h, {cost}"))
    ranged: list[tuple[tuple[dt.date, dt.date], float]] = [(lv.weeks, h) for lv, h in raises if lv.weeks is not None]
    if not ranged and not (whole and load.weeks):
        return out
    mondays: set[dt.date] = set()
    for lo, hi in [w.mondays() for w in load.weeks] + [span for span, _ in ranged]:
        mondays.update(lo + dt.timedelta(days=7 * k) for k in range((hi - lo).days // 7 + 1))
    caps = []  # (Monday, cap) of the weeks whose cap is not the weekly cap
    for monday in sorted(mondays):
        own = load.week_cap(monday)
        if own is None:
            continue  # a week without a cap stays without one
        cap = own + whole + sum(h for (lo, hi), h in ranged if lo <= monday <= hi)
        if cap != default:
            caps.append((monday, cap))
    weeks = [{"from": a, "to": b + dt.timedelta(days=6), "max_hours_per_week": _hours(c)}
             for a, b, c in week_runs(caps)]
    before = "; ".join(f"{w.max_hours_per_week:g} h from {w.start} to {w.end}" for w in load.weeks) or "none"
    # Each edit's comment gives its own cost: the weeks' rewrite costs the raises of some weeks only (none
    # when it only carries the whole-window raise into weeks with caps of their own).
    own = sum(lv.unit_cost * h for lv, h in raises if lv.weeks is not None)
    if now is None:  # no weekly cap to carry the whole-window raise: its cost is this edit's
        own += sum(lv.unit_cost * h for lv, h in raises if lv.weeks is None)
    why = _points(own) if own else "part of the weekly cap's raise"
    out.append(Change(f"participants.{p.id}.load.weeks", weeks, False, f"repair: weeks' own caps were {before}, {why}"))
    return out


def _ranges(days: Sequence[dt.date]) -> list[dict[str, str]]:
    """Consecutive dates as inclusive ``{from, to}`` ranges."""
    out: list[list[dt.date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days == 1:
            out[-1][1] = d
        else:
            out.append([d, d])
    return [{"from": a.isoformat(), "to": b.isoformat()} for a, b in out]


def _hours(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def changes_for(sc: Scenario, defs: Sequence[LeverDef], repair: Repair) -> list[Change]:
    """The scenario edits that make ``repair`` (one or more per lever used), each with its reason."""
    out: list[Change] = []
    workdays: list[dt.date] = []
    opened: dict[str, set[dt.date]] = {}  # per resource: the days a dates lever opens
    extra_units: dict[tuple[str, str], int] = {}
    weekly: dict[str, list[tuple[LeverDef, float]]] = {}  # participant: (weekly load lever, hours)
    released: dict[str, str] = {}  # competency no role requires any more (waived, or its only module dropped): why
    dropped: list[str] = []  # modules a drop lever drops
    hires = hire_blocks(sc, defs)  # the k-th hire of a lever is the same person in the model and in the file
    for i in repair.used():
        if defs[i].kind == "load" and defs[i].week:
            for pid, extra in repair.hours[i].items():
                if extra > 0:
                    weekly.setdefault(pid, []).append((defs[i], extra))
    for i in repair.used():
        lv = defs[i]
        if lv.kind == "workdays":
            workdays.extend(repair.dates[i])
        elif lv.kind == "dates":
            res = next(r for r in sc.resources if r.id == lv.target)
            days = sorted(set(repair.dates[i]) - opened.get(res.id, set()))  # a day two levers open: once
            opened.setdefault(res.id, set()).update(days)
            if not days:
                continue
            why = f"repair: {len(days)} more {res.id} day(s), {_points(lv.unit_cost * len(days))}"
            new_dates = [d for d in days if d not in res.available_dates]  # a campaign day only its season closed
            if res.available_dates and new_dates:
                out.append(Change(f"resources.{res.id}.available_dates", new_dates, True, why))
            if res.available:
                out.append(Change(f"resources.{res.id}.available", _ranges(days), True, why))
        elif lv.kind == "capacity":
            key = ("resources" if lv.week else "instructors", lv.target)
            extra_units[key] = extra_units.get(key, 0) + repair.units[i]
        elif lv.kind == "instructor":
            for k, new_id in enumerate(hires[i][:repair.units[i]]):
                item = {"id": new_id, "name": f"New {lv.target} instructor {k + 1}",
                        "qualifications": [lv.target]}
                out.append(Change("instructors", item, True,
                                  f"repair: hire a {lv.target} instructor, {_points(lv.unit_cost)}"))
        elif lv.kind == "load" and lv.week:
            # Every weekly raise of a participant at once, where the first weekly lever stands.
            for pid in sorted(weekly):
                raises = weekly.pop(pid)
                p = next(p for p in sc.participants if p.id == pid)
                out += _week_changes(p, raises)
        elif lv.kind == "load":
            for pid, extra in sorted(repair.hours[i].items()):
                if extra <= 0:
                    continue
                p = next(p for p in sc.participants if p.id == pid)
                assert p.load is not None
                now = p.load.max_hours_per_day
                assert now is not None
                out.append(Change(f"participants.{pid}.load.max_hours_per_day", _hours(now + extra), False,
                                  f"repair: was {_hours(now)} h, {_points(lv.unit_cost * extra)}"))
        elif lv.kind == "hours":
            extra = repair.units[i] * lv.step
            out.append(Change("calendar.day_hours", _hours(sc.calendar.day_hours + extra), False,
                              f"repair: was {_hours(sc.calendar.day_hours)} h, {_points(lv.unit_cost * extra)}"))
        elif lv.kind == "block":
            n = repair.units[i]
            assert lv.since is not None
            mid, bid = lv.target.split("/")
            out.append(Change(f"missions.{mid}.blocks.{bid}.from", lv.since - dt.timedelta(days=n), False,
                              f"repair: {n} day(s) earlier than {lv.since}, {_points(lv.unit_cost * n)}"))
        elif lv.kind == "start":
            n = repair.units[i]
            new = sc.window.start - dt.timedelta(days=n)
            out.append(Change("window.start", new, False,
                              f"repair: {n} day(s) earlier than {sc.window.start}, {_points(lv.unit_cost * n)}"))
        elif lv.kind == "waive":
            released.setdefault(lv.target, f"{lv.target} waived")
        elif lv.kind == "drop":
            dropped.append(lv.target)
    for comp in sc.competencies:  # every drop at once: two levers may empty one competency between them
        kept = [r for r in comp.requires if not any(_only(r, m) for m in dropped)]
        cut = ", ".join(m for m in dropped if any(_only(r, m) for r in comp.requires))
        if not kept:
            # Nothing left to train for it: the roles no longer require it (a competency must require
            # some module, so an empty list would not load).
            released[comp.id] = f"module {cut} dropped, all {comp.id} requires"
        elif len(kept) < len(comp.requires):
            out.append(Change(f"competencies.{comp.id}.requires", [_plain_req(r) for r in kept], False,
                              f"repair: module {cut} dropped"))
    for role in sc.roles:  # one edit per role for every competency waived or left with nothing to train
        gone = [c for c in role.requires if c in released]
        if gone:
            out.append(Change(f"roles.{role.id}.requires", [c for c in role.requires if c not in released], False,
                              "repair: " + "; ".join(released[c] for c in gone)))
    if workdays:
        days = sorted(set(workdays))
        cost = sum(defs[i].unit_cost * len(repair.dates[i]) for i in repair.used() if defs[i].kind == "workdays")
        out.insert(0, Change("calendar.extra_workdays", days, True,
                             f"repair: work {len(days)} closed day(s), {_points(cost)}"))
    for (section, target), units in sorted(extra_units.items()):
        items = sc.resources if section == "resources" else sc.instructors
        now = next(x.capacity for x in items if x.id == target)
        cost = sum(defs[i].unit_cost * repair.units[i] for i in repair.used()
                   if defs[i].kind == "capacity" and defs[i].target == target)
        out.append(Change(f"{section}.{target}.capacity", now + units, False,
                          f"repair: was {now}, {_points(cost)}"))
        if section == "resources":
            out += _gates_keep(sc, target, now)
    return out


def _gates_keep(sc: Scenario, rid: str, units: int) -> list[Change]:
    """A gate taking the whole of resource ``rid`` (no ``demand``) keeps taking the ``units`` it took before a
    repair raised the capacity: the repair model leaves the units bought free on the gate's days
    (:func:`planner.data.repair_problem.build_repair_problem`), so the saved file says so (it wrote the capacity
    alone, the gate then took both units, and the set failed its re-plan)."""
    out = []
    for prefix, gates in (("gates", sc.gates), *((f"missions.{m.id}.gates", m.gates) for m in sc.missions)):
        for g in gates:
            if any(u.id == rid and u.demand is None for u in g.resources):
                uses = [{"id": u.id, "demand": units} if u.id == rid and u.demand is None else
                        u.id if u.demand is None else {"id": u.id, "demand": u.demand} for u in g.resources]
                out.append(Change(f"{prefix}.{g.id}.resources", uses, False,
                                  f"repair: the gate keeps taking {units} {rid} (all of it before the repair)"))
    return out


def hire_blocks(sc: Scenario, defs: Sequence[LeverDef]) -> dict[int, list[str]]:
    """Each hiring lever's instructor ids, all of its units, in lever order: the names the repair model gives
    the hires (:mod:`planner.data.repair_problem`) and the saved file writes."""
    hired: set[str] = set()
    return {lv.index: hire_ids(sc, lv.target, lv.most, hired) for lv in defs if lv.kind == "instructor"}


def hire_ids(sc: Scenario, qualification: str, n: int, hired: set[str] | None = None) -> list[str]:
    """The ids of ``n`` instructors hired with ``qualification``: ``new_<qualification>_<k>``, skipping ids the
    file already has (a file saved by an earlier repair has ``new_q_1``: hiring again clashed, exit 1) and those
    in ``hired`` (other levers' hires), which the new ones join."""
    hired = set() if hired is None else hired
    taken = {ins.id for ins in sc.instructors} | hired
    ids = list(itertools.islice((x for k in itertools.count(1) if (x := f"new_{qualification}_{k}") not in taken), n))
    hired.update(ids)
    return ids


def _only(req: str | AnyOf, module: str) -> bool:
    """Whether requirement ``req`` is ``module`` alone (a plain id, or an any_of of just it)."""
    return req == module or (isinstance(req, AnyOf) and req.any_of == (module,))


def _plain_req(req: str | AnyOf) -> str | dict[str, list[str]]:
    return req if isinstance(req, str) else {"any_of": list(req.any_of)}


def _points(value: float) -> str:
    return f"{_hours(value)} points"


def most_repair(defs: Sequence[LeverDef], skip: frozenset[int] = frozenset()) -> Repair:
    """Every lever (but those in ``skip``) at its most: the relaxed scenario's repair.

    Waivers and dropped modules are left out: they change the goals, which
    the repair model handles itself, not the schedule's room.
    """
    out = Repair()
    for lv in defs:
        if lv.index in skip:
            continue
        if lv.kind in ("workdays", "dates"):
            out.dates[lv.index] = lv.dates
        elif lv.kind in ("capacity", "instructor", "start", "hours", "block"):
            out.units[lv.index] = lv.most
        elif lv.kind == "load":
            out.hours[lv.index] = dict.fromkeys(lv.participants, lv.most * lv.step)
    return out
