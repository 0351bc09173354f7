"""Scenario facts, one builder per explanation kind.

A builder lists, for the goals being explained, the statements of the
scenario of its kind that can stand in their way, each with the edit that
relaxes it. Which kinds exist is declared by the constraint families
(``Family.explains``); :mod:`planner.analysis.explain.kinds` maps each kind
to its builder and its fixes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from planner.analysis.explain.edits import (
    add_instructor,
    drop_blackout,
    drop_gate_use,
    drop_prerequisite,
    drop_recency,
    drop_spacing,
    free_pattern,
    mission_earlier,
    set_value,
    window_earlier,
)
from planner.analysis.explain.types import Edit, GoalKey
from planner.analysis.window_target import resolve_target
from planner.calendar.grid import gate_date
from planner.calendar.missions import MissionTimes, mission_times, participant_missions
from planner.constants import MAX_WINDOW_DAYS
from planner.scenario.schema import Gate, Module, Participant, Resource, Scenario

AddFact = Callable[..., None]  # (kind, parts, text, relaxed, edit, goal=None)


@dataclass(frozen=True)
class Scope:
    """What the facts of some goals may touch: their modules (with every prerequisite), people,
    resources and instructor qualifications, in the scenario's order."""

    sc: Scenario
    goals: Sequence[GoalKey]
    competitors: Sequence[GoalKey]
    modules: list[str]
    people: list[str]  # in the scenario's order
    resources: list[str]  # used by the modules, first use first
    qualifications: list[str]

    @property
    def mission(self) -> MissionTimes:
        """The mission of the goals' first participant (the one launch of a file without missions)."""
        which = dict(zip((p.id for p in self.sc.participants), participant_missions(self.sc), strict=True))
        return mission_times(self.sc)[which[self.goals[0][0]] if self.goals else 0]

    @property
    def gates(self) -> dict[str, Gate]:
        return {g.id: g for g in self.mission.gates}

    @property
    def mods(self) -> dict[str, Module]:
        return {m.id: m for m in self.sc.modules}

    @property
    def res(self) -> dict[str, Resource]:
        return {r.id: r for r in self.sc.resources}

    @property
    def parts(self) -> dict[str, Participant]:
        return {p.id: p for p in self.sc.participants}


FactBuilder = Callable[[Scope, AddFact], None]


def _ranges(items: Sequence[Any]) -> str:
    return ", ".join(f"{b.start}..{b.end}" + (f" ({b.reason})" if b.reason else "") for b in items)


def _dates(days: Sequence[dt.date]) -> str:
    shown = ", ".join(str(d) for d in days[:6])
    return shown + (f" and {len(days) - 6} more" if len(days) > 6 else "")


def _most_demand(sc: Scenario, mods: Sequence[str], people: set[str], rid: str) -> int:
    """Demand on ``rid`` if every job of ``mods`` for ``people`` ran at the same time."""
    res = next(r for r in sc.resources if r.id == rid)
    total = 0
    for m in sc.modules:
        if m.id not in mods:
            continue
        for use in m.resources:
            if use.id != rid:
                continue
            takers = [p for p in sc.participants if p.id in people and (not m.roles or p.role in m.roles)]
            jobs = [[p] for p in takers]
            if m.joint == "crew":
                crews: dict[str, list[Any]] = {}
                for p in takers:
                    crews.setdefault(p.crew, []).append(p)
                jobs = list(crews.values())
            for members in jobs:
                total += use.demand or (len(members) if res.unit == "participants" else 1)
    return total


def window_facts(s: Scope, add: AddFact) -> None:
    """The window's start (relaxed: up to 30 days earlier, within the longest window)."""
    sc = s.sc
    if sc.missions:
        _mission_window_facts(s, add)
        return
    days = (sc.window.launch - sc.window.start).days
    extra = min(30, MAX_WINDOW_DAYS - days)
    if extra > 0:
        add("window", ["start"], f"the training window opens on {sc.window.start} ({days} days before launch)",
            f"open it {extra} days earlier", window_earlier(extra))


def _mission_window_facts(s: Scope, add: AddFact) -> None:
    """The goals' mission's start, or the start of each of its blocks (relaxed: up to 30 days
    earlier, within the longest window and after the block before)."""
    m = s.mission
    blocks: list[str | None] = [b[0] for b in m.blocks] if m.blocks else [None]
    for block in blocks:
        target = resolve_target(s.sc, m.id, block)
        extra = min(30, target.longest - target.days)
        if extra <= 0:
            continue
        if block is None:
            add("window", ["mission", m.id], f"mission {m.id}'s training opens on {target.start} "
                f"({target.days} days before launch)", f"open it {extra} days earlier",
                mission_earlier(m.id, None, extra))
        else:
            last = target.end - dt.timedelta(days=1)
            add("window", ["block", m.id, block], f"block {block} of mission {m.id} runs "
                f"{target.start}..{last}", f"start it {extra} days earlier", mission_earlier(m.id, block, extra))


def block_facts(s: Scope, add: AddFact) -> None:
    """Participants who attend only some blocks, and modules tied to a block, of the goals' mission."""
    m, mods, parts = s.mission, s.mods, s.parts
    spans = {b[0]: (b[1], b[2]) for b in m.blocks}
    for pid in s.people:
        own = [b for b in parts[pid].blocks if b in spans]
        if own:
            add("block", ["participant", pid], f"{pid} attends only block(s) " + ", ".join(
                f"{b} ({spans[b][0]}..{spans[b][1]})" for b in own) + f" of mission {m.id}",
                f"let {pid} attend every block of mission {m.id}", set_value("participants", pid, "blocks", []))
    for mid in s.modules:
        block = mods[mid].block
        if block is None or block not in spans:
            continue  # a block of another mission (the goals' mission has none, or not this one)
        first, last = spans[block]
        add("block", [mid], f"{mid} runs only in block {block} of mission {m.id} ({first}..{last})",
            f"let {mid} run in any block of mission {m.id}", set_value("modules", mid, "block", None))


def deadline_facts(s: Scope, add: AddFact) -> None:
    """Competencies due at a gate, then modules that must end before one."""
    launch, gates, mods = s.mission.launch, s.gates, s.mods
    for _, cid in (*s.goals, *s.competitors):
        comp = next(c for c in s.sc.competencies if c.id == cid)
        if comp.deadline:
            g = gates[comp.deadline]
            add("deadline", [cid], f"{cid} must be held by {g.id} ({gate_date(g, launch)})",
                f"let {cid} count until the end of regular training", set_value("competencies", cid, "deadline", None))
    for mid in s.modules:
        m = mods[mid]
        if m.deadline:
            g = gates[m.deadline]
            add("deadline", [mid], f"{mid} must end before {g.id} ({gate_date(g, launch)})",
                f"let {mid} end after {g.id}", set_value("modules", mid, "deadline", None))


def load_facts(s: Scope, add: AddFact) -> None:
    """Load caps of the people taking part."""
    parts = s.parts
    for pid in s.people:
        p = parts[pid]
        if p.load is not None:
            caps = [f"{p.load.max_hours_per_day:g} h a day" if p.load.max_hours_per_day else "",
                    f"{p.load.max_hours_per_week:g} h a week" if p.load.max_hours_per_week else ""]
            weeks = "; ".join(f"{w.max_hours_per_week:g} h a week from {w.start} to {w.end}" for w in p.load.weeks)
            text = " and ".join(c for c in caps if c)
            text = f"{text} ({weeks})" if text and weeks else text or weeks
            add("load", [pid], f"{pid} trains at most {text}",
                f"lift {pid}'s load caps", set_value("participants", pid, "load", None))


def capacity_facts(s: Scope, add: AddFact) -> None:
    """Capacities of used resources that can bind (not every job of the goals fits at once)."""
    res = s.res
    for rid in s.resources:
        r = res[rid]
        demand = _most_demand(s.sc, s.modules, set(s.people), rid)
        if demand <= r.capacity:
            continue  # every job that could use it fits at once: the capacity never binds
        big = min(1000, demand)
        unit = "session" if r.unit == "sessions" else "participant"
        add("capacity", [rid], f"{rid} takes {r.capacity} {unit}{'s' if r.capacity > 1 else ''} at a time",
            f"{rid} capacity {big}", set_value("resources", rid, "capacity", big))


def gate_facts(s: Scope, add: AddFact) -> None:
    """Gates (of any mission) that take the goals' resources or instructors of their qualifications for their
    days: a fixed event, never a fix, but a fact a conflict may need (another mission's exams on the simulator)."""
    sc = s.sc
    events = [(m.id if sc.missions else None, m.launch, g) for m in mission_times(sc) for g in m.gates]
    for mid, launch, g in events:
        first = gate_date(g, launch)
        when = f"{first}" if g.days == 1 else f"{first}..{first + dt.timedelta(days=g.days - 1)}"
        of = f" of mission {mid}" if mid is not None else ""
        for use in g.resources:
            if use.id in s.resources:
                add("gate", [mid or "", g.id, use.id], f"{g.id}{of} ({when}) takes {use.id}",
                    f"let {g.id}{of} leave {use.id} free", drop_gate_use(mid, g.id, "resources", use.id))
        for iid in g.instructors:
            ins = next((i for i in sc.instructors if i.id == iid), None)
            if ins is not None and set(ins.qualifications) & set(s.qualifications):
                add("gate", [mid or "", g.id, iid], f"{g.id}{of} ({when}) takes instructor {iid}",
                    f"let {g.id}{of} leave {iid} free", drop_gate_use(mid, g.id, "instructors", iid))


def goal_facts(s: Scope, add: AddFact) -> None:
    """Met goals competing with the explained one (relaxed: not required)."""
    for pid, cid in s.competitors:
        add("goal", [pid, cid], f"{pid} is also to be ready for {cid} (met in the plan)",
            f"give up {pid}/{cid}", None, (pid, cid))


def campaign_facts(s: Scope, add: AddFact) -> None:
    """Resources available only on listed dates."""
    res = s.res
    for rid in s.resources:
        r = res[rid]
        if r.available_dates:
            add("campaign", [rid], f"{rid} is available only on {_dates(r.available_dates)}",
                f"make {rid} available on any working day", set_value("resources", rid, "available_dates", []))


def available_facts(s: Scope, add: AddFact) -> None:
    """Seasonal availability of resources, then of the instructors of the goals' qualifications."""
    res = s.res
    for rid in s.resources:
        r = res[rid]
        if r.available:
            seasons = ", ".join(f"{x.start}..{x.end}" for x in r.available)
            add("available", [rid], f"{rid} is available only {seasons}", f"make {rid} available all year",
                set_value("resources", rid, "available", []))
    for q in s.qualifications:
        for i in s.sc.instructors:
            if q in i.qualifications and i.available:
                seasons = ", ".join(f"{x.start}..{x.end}" for x in i.available)
                add("available", ["instructor", i.id], f"instructor {i.id} is available only {seasons}",
                    f"make {i.id} available all year", set_value("instructors", i.id, "available", []))


def season_facts(s: Scope, add: AddFact) -> None:
    """Modules that run only in some seasons."""
    mods = s.mods
    for mid in s.modules:
        m = mods[mid]
        if m.allowed:
            seasons = ", ".join(f"{x.start}..{x.end}" for x in m.allowed)
            add("season", [mid], f"{mid} runs only {seasons}", f"run {mid} in any season",
                set_value("modules", mid, "allowed", []))


def blackout_facts(s: Scope, add: AddFact) -> None:
    """Absences of people, closures of resources, then each absence of an instructor."""
    parts, res = s.parts, s.res
    for pid in s.people:
        p = parts[pid]
        if p.blackouts:
            add("blackout", ["participant", pid], f"{pid} is unavailable {_ranges(p.blackouts)}",
                f"cancel {pid}'s absences", set_value("participants", pid, "blackouts", []))
    for rid in s.resources:
        r = res[rid]
        if r.blackouts:
            add("blackout", ["resource", rid], f"{rid} is closed {_ranges(r.blackouts)}", f"cancel {rid}'s closures",
                set_value("resources", rid, "blackouts", []))
    for q in s.qualifications:
        for i in s.sc.instructors:
            if q not in i.qualifications:
                continue
            for b in i.blackouts:
                add("blackout", ["instructor", i.id, b.start.isoformat()],
                    f"instructor {i.id} is away {_ranges((b,))}", f"cancel {i.id}'s absence from {b.start}",
                    drop_blackout("instructors", i.id, b.start))


def instructor_facts(s: Scope, add: AddFact) -> None:
    """Who teaches each qualification the goals need."""
    for q in s.qualifications:
        teachers = [i for i in s.sc.instructors if q in i.qualifications]
        add("instructors", [q], f"only {', '.join(i.id for i in teachers)} teach{'es' if len(teachers) == 1 else ''} {q}",
            f"add an instructor qualified for {q}", add_instructor(q, 100))


def recency_facts(s: Scope, add: AddFact) -> None:
    """Modules that must end close enough to launch, and refresher rules."""
    refresher_facts(s, add)
    launch, mods = s.mission.launch, s.mods
    for mid in s.modules:
        m = mods[mid]
        if m.recency_days:
            what = f"every session of {mid} must fall" if m.recency_of == "all" else f"{mid} must end"
            add("recency", [mid], f"{what} within {m.recency_days} days of launch "
                f"(not before {launch - dt.timedelta(days=m.recency_days)})", f"drop the recency rule of {mid}",
                drop_recency(mid))


def refresher_facts(s: Scope, add: AddFact) -> None:
    """Refreshers of the goals' modules: required when the module is too old at a gate."""
    for m in s.sc.modules:
        ref = m.refresher
        if ref is not None and ref.of in s.modules:
            add("recency", ["refresher", m.id], f"{m.id} must repeat {ref.of} within {ref.older_than_days} days before {ref.gate} "
                f"when {ref.of} ends more than {ref.older_than_days} days before it", f"drop the refresher rule of {m.id}",
                set_value("modules", m.id, "refresher", None))


def pattern_facts(s: Scope, add: AddFact) -> None:
    """Session patterns: gaps, consecutive days, rest days after."""
    mods = s.mods
    far = {r.id: x for r in s.sc.resources for x in s.sc.sites if r.site == x.id}  # resource -> its site
    for mid in s.modules:
        m = mods[mid]
        rules = []
        if m.min_days_between_sessions:
            rules.append(f"sessions at least {m.min_days_between_sessions} day(s) apart")
        if m.max_days_between_sessions is not None:
            rules.append(f"sessions at most {m.max_days_between_sessions} day(s) apart")
        if m.consecutive_days:
            rules.append("sessions on consecutive days")
        if m.rest_days_after:
            rules.append(f"{m.rest_days_after} rest day(s) after")
        travel = max([m.travel_days, *(far[u.id].travel_days for u in m.resources if u.id in far)])
        if travel:
            where = sorted({far[u.id].id for u in m.resources if u.id in far and far[u.id].travel_days == travel})
            rules.append(f"{travel} travel day(s) each way" + (f" ({', '.join(where)})" if where else ""))
        if rules:
            add("pattern", [mid], f"{mid}: {', '.join(rules)} ({m.num_sessions} sessions of {m.session_hours:g} h)",
                f"schedule {mid} sessions on any days", free_pattern(mid))


def spacing_facts(s: Scope, add: AddFact) -> None:
    """Spacing rules between two modules of the goals."""
    for x in s.sc.spacing:
        if x.after in s.modules and x.forbid in s.modules:
            add("spacing", [x.after, x.forbid], f"no {x.forbid} within {x.hours:g} h after {x.after}",
                f"drop the spacing rule {x.after} -> {x.forbid}", drop_spacing(x.after, x.forbid))


def prerequisite_facts(s: Scope, add: AddFact) -> None:
    """Prerequisites (with their lags) of the goals' modules."""
    mods = s.mods
    for mid in s.modules:
        for pre in mods[mid].prerequisites:
            lag = ""
            if pre.min_lag_days:
                lag = f", at least {pre.min_lag_days} days before"
            if pre.max_lag_days is not None:
                lag += f", at most {pre.max_lag_days} days before"
            add("prerequisite", [mid, pre.module], f"{mid} needs {pre.module} first{lag}",
                f"let {mid} start without {pre.module}", drop_prerequisite(mid, pre.module))


__all__ = ["Edit", "FactBuilder", "Scope"]
