"""Why is a participant not ready for a competency, and what would fix it?

Everything here works on *scenario facts*: statements of the YAML file
("the window opens on 2021-08-05", "the centrifuge takes one trainee at a
time", "parabolic needs vestibular first"), each with a relaxation written as
an edit of the plain scenario data. No explanation code lives in the model:
a question "can goal g be met with these facts relaxed?" is answered by
editing the scenario, compiling it as usual and calling
:func:`planner.solve.feasibility.can_meet_goals` (one goal, or several
when several goals compete).

For each unmet goal, a deletion filter over the facts (keeping the most
actionable ones where it can) finds an irreducible conflicting set: with
those facts enforced and every other fact relaxed the goal is proven
unachievable, and relaxing any one of them as well makes it achievable. A probe that hits its time limit counts as "not
proven infeasible"; the set is then still a conflict but is marked as not
proven minimal. Fixes are single changes of a conflicting fact (the fewest
extra window days, the fewest extra capacity units, a waiver, ...), each
first checked on the goal and then verified on the whole scenario: one
plan that meets the goal and keeps every pair that was ready (both
verifiers check it).

Each probe runs on a *focused* copy of the scenario: only the participants,
modules (with their prerequisite closure) and competencies of the goals in
question. Every other job is optional in the model, so dropping it changes
neither feasibility nor infeasibility of those goals, and the probes stay
small.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from planner.analysis.window import reload, scenario_plain, set_window_start, shift_schedule
from planner.calendar.grid import gate_date
from planner.constants import MAX_WINDOW_DAYS
from planner.data.problem import ProblemData
from planner.data.result import Result, SolveStatus
from planner.exceptions import ScenarioError
from planner.plan.pipeline import PlanOutcome, check_schedule, plan, prepare
from planner.plan.presolve import presolve_checks
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario
from planner.scenario.schema import AnyOf, Scenario
from planner.solve.feasibility import can_meet_goals, plan_meeting_goals
from planner.solve.run import SolveParams
from planner.verify.checks import goals_achieved

Plain = dict[str, Any]
Edit = Callable[[Plain], None]
GoalKey = tuple[str, str]  # (participant, competency)
Say = Callable[[str], None]

# Costs that rank fixes (arbitrary units): a day of window 1, 2 h more of a
# weekly load cap 4, a capacity unit 10, an instructor 30, cancelling an
# absence 40, opening a resource's calendar or lifting load caps 60, waiving
# a rule (season, recency, spacing, session pattern) 100, a gate deadline or
# a prerequisite 150.
WAIVER = 100.0

# Facts earlier in this order are preferred in a conflict (the deletion
# filter tries to drop the last ones first): the things a planner can act on
# first, structural rules of the programme last.
_KIND_ORDER = (
    "window",
    "deadline",
    "load",
    "capacity",
    "goal",
    "campaign",
    "available",
    "season",
    "blackout",
    "instructors",
    "recency",
    "pattern",
    "spacing",
    "prerequisite",
)


@dataclass(frozen=True)
class Fact:
    """A statement of the scenario and how to relax it.

    ``edit`` changes plain scenario data; a fact without ``edit`` is another
    goal that competes with the explained one (relaxing it means not
    requiring it). ``generic`` is ``key`` with the explained participant and
    competency abstracted, to reuse a conflict for a similar goal.
    """

    key: str
    kind: str
    text: str
    relaxed: str
    edit: Edit | None = None
    generic: str = ""
    goal: GoalKey | None = None


@dataclass(frozen=True)
class Fix:
    """A single change of the scenario that makes a goal achievable."""

    key: str
    text: str
    cost: float
    edit: Edit
    least: bool = True  # False when a smaller amount could not be ruled out in time


@dataclass
class Verification:
    """Whole-scenario checks of one fix: for each goal tried, whether a full
    plan with the fix makes it ready while every already-ready pair stays ready.

    ``status[goal]``: READY (a verified whole plan exists), NOT_READY (proven:
    not without losing a ready pair) or UNKNOWN (time limit). ``ready`` is the
    number of pairs the best verified plan meets.
    """

    ready: int
    total: int
    status: dict[GoalKey, Verdict]
    seconds: float


@dataclass
class GoalExplanation:
    """The explanation of one unmet goal."""

    participant: str
    competency: str
    status: Verdict
    kind: str  # conflict | trade-off | unachievable | open | undecided
    conflict: tuple[Fact, ...] = ()
    proven_minimal: bool = True
    note: str = ""
    fixes: list[Fix] = field(default_factory=list)

    @property
    def goal(self) -> GoalKey:
        """``(participant, competency)``."""
        return self.participant, self.competency


@dataclass
class Explanation:
    """Everything ``planner explain`` found."""

    outcome: PlanOutcome
    findings: list[str]
    goals: list[GoalExplanation]
    verifications: dict[str, Verification]
    seconds: float
    exhausted: bool
    problems: list[str] = field(default_factory=list)
    probes: int = 0  # feasibility questions answered by the solver (cached ones not counted)

    @property
    def total(self) -> int:
        """Number of participant-competency goals."""
        return len(self.outcome.readiness)

    @property
    def ready_before(self) -> int:
        """Goals ready in the plan before any fix."""
        return sum(r.status == Verdict.READY for r in self.outcome.readiness)

    def verified(self, fix: Fix, goal: GoalKey) -> str:
        """``yes``/``no``/``unknown`` from the whole-scenario check of ``fix``, or ``not run``."""
        return ex_verified(self.verifications, fix, goal)


def ex_verified(verifications: dict[str, Verification], fix: Fix, goal: GoalKey) -> str:
    """Whether ``fix`` makes ``goal`` ready in a whole plan keeping every ready pair: yes, no, unknown or not run."""
    v = verifications.get(fix.key)
    if v is None or goal not in v.status:
        return "not run"
    return {Verdict.READY: "yes", Verdict.NOT_READY: "no", Verdict.UNKNOWN: "unknown"}[v.status[goal]]


class _Clock:
    """The time budget of the whole explanation."""

    def __init__(self, limit: float) -> None:
        self.t0 = time.perf_counter()
        self.limit = limit

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def left(self, share: float = 1.0) -> float:
        """Seconds left until ``share`` of the budget is used."""
        return self.limit * share - self.elapsed()


# -- the scenario around a goal ----------------------------------------------------------------


def _requires(sc: Scenario, cid: str) -> list[str]:
    comp = next(c for c in sc.competencies if c.id == cid)
    out: list[str] = []
    for req in comp.requires:
        out.extend(req.any_of if isinstance(req, AnyOf) else (req,))
    return out


def closure(sc: Scenario, goal: GoalKey) -> tuple[list[str], set[str]]:
    """Modules a goal may need (with every prerequisite) and the people who take part.

    People: the participant, and crew-mates who attend the joint modules.
    """
    pid, cid = goal
    mods = {m.id: m for m in sc.modules}
    todo = _requires(sc, cid)
    seen: list[str] = []
    while todo:
        mid = todo.pop(0)
        if mid in seen:
            continue
        seen.append(mid)
        todo.extend(p.module for p in mods[mid].prerequisites)
    me = next(p for p in sc.participants if p.id == pid)
    people = {pid}
    for mid in seen:
        m = mods[mid]
        if m.joint == "crew" and (not m.roles or me.role in m.roles):
            people |= {q.id for q in sc.participants if q.crew == me.crew and (not m.roles or q.role in m.roles)}
    return seen, people


def focus(plain: Plain, sc: Scenario, goals: Iterable[GoalKey]) -> Plain:
    """Only what ``goals`` can depend on: their people, modules and competencies.

    Every other job is optional in the model, so this changes neither
    feasibility nor infeasibility of ``goals``; it only makes probes small.
    """
    mods: set[str] = set()
    people: set[str] = set()
    comps: set[str] = set()
    for goal in goals:
        goal_mods, goal_people = closure(sc, goal)
        mods |= set(goal_mods)
        people |= goal_people
        comps.add(goal[1])
    out = copy.deepcopy(plain)
    out["participants"] = [
        {**p, "holds": [h for h in p["holds"] if h in comps]} for p in out["participants"] if p["id"] in people
    ]
    out["modules"] = [m for m in out["modules"] if m["id"] in mods]
    out["competencies"] = [c for c in out["competencies"] if c["id"] in comps]
    for role in out["roles"]:
        role["requires"] = [c for c in role["requires"] if c in comps]
    out["spacing"] = [s for s in out["spacing"] if s["after"] in mods and s["forbid"] in mods]
    out["variants"] = {}
    return out


def _item(plain: Plain, section: str, ident: str) -> dict[str, Any]:
    item: dict[str, Any] = next(x for x in plain[section] if x["id"] == ident)
    return item


def _set(section: str, ident: str, key: str, value: Any) -> Edit:
    def edit(plain: Plain) -> None:
        _item(plain, section, ident)[key] = copy.deepcopy(value)

    return edit


def _drop_prerequisite(module: str, pre: str) -> Edit:
    def edit(plain: Plain) -> None:
        m = _item(plain, "modules", module)
        m["prerequisites"] = [p for p in m["prerequisites"] if p["module"] != pre]

    return edit


def _drop_blackout(section: str, ident: str, start: dt.date) -> Edit:
    def edit(plain: Plain) -> None:
        item = _item(plain, section, ident)
        item["blackouts"] = [b for b in item["blackouts"] if b["from"] != start]

    return edit


def _drop_spacing(after: str, forbid: str) -> Edit:
    def edit(plain: Plain) -> None:
        plain["spacing"] = [s for s in plain["spacing"] if not (s["after"] == after and s["forbid"] == forbid)]

    return edit


def _add_instructor(qual: str, capacity: int) -> Edit:
    def edit(plain: Plain) -> None:
        ids = {i["id"] for i in plain["instructors"]}
        ident = next(f"extra_{qual}_{k}" for k in range(1, 1000) if f"extra_{qual}_{k}" not in ids)
        plain["instructors"].append(
            {"id": ident, "name": f"additional {qual} instructor", "qualifications": [qual],
             "capacity": capacity, "blackouts": []}
        )

    return edit


def _window_earlier(days: int) -> Edit:
    def edit(plain: Plain) -> None:
        set_window_start(plain, plain["window"]["start"] - dt.timedelta(days=days))

    return edit


def _free_pattern(module: str) -> Edit:
    def edit(plain: Plain) -> None:
        m = _item(plain, "modules", module)
        m["min_days_between_sessions"] = 0
        m["consecutive_days"] = False
        m["rest_days_after"] = 0

    return edit


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


def scenario_facts(sc: Scenario, goals: Sequence[GoalKey], competitors: Sequence[GoalKey] = ()) -> list[Fact]:
    """The facts that can stand in the way of ``goals``, most actionable first.

    Only facts touching the goals' modules (with their prerequisite closure),
    people, resources, instructors and deadlines are listed.
    """
    launch = sc.window.launch
    gates = {g.id: g for g in sc.gates}
    mods = {m.id: m for m in sc.modules}
    res = {r.id: r for r in sc.resources}
    people_by_id = {p.id: p for p in sc.participants}
    target_p, target_c = goals[0]
    facts: dict[str, Fact] = {}

    def add(kind: str, parts: Sequence[str], text: str, relaxed: str, edit: Edit | None,
            goal: GoalKey | None = None) -> None:
        key = ":".join([kind, *parts])
        generic = ":".join([kind, *("<P>" if x == target_p else "<C>" if x == target_c else x for x in parts)])
        facts.setdefault(key, Fact(key, kind, text, relaxed, edit, generic, goal))

    days = (launch - sc.window.start).days
    extra = min(30, MAX_WINDOW_DAYS - days)
    if extra > 0:
        add("window", ["start"], f"the training window opens on {sc.window.start} ({days} days before launch)",
            f"open it {extra} days earlier", _window_earlier(extra))
    all_mods: list[str] = []
    people: set[str] = set()
    for goal in (*goals, *competitors):
        goal_mods, goal_people = closure(sc, goal)
        all_mods += [x for x in goal_mods if x not in all_mods]
        people |= goal_people
    for _, cid in (*goals, *competitors):
        comp = next(c for c in sc.competencies if c.id == cid)
        if comp.deadline:
            g = gates[comp.deadline]
            add("deadline", [cid], f"{cid} must be held by {g.id} ({gate_date(g, launch)})",
                f"let {cid} count until the end of regular training", _set("competencies", cid, "deadline", None))
    for mid in all_mods:
        m = mods[mid]
        if m.deadline:
            g = gates[m.deadline]
            add("deadline", [mid], f"{mid} must end before {g.id} ({gate_date(g, launch)})",
                f"let {mid} end after {g.id}", _set("modules", mid, "deadline", None))
    ordered = [p.id for p in sc.participants if p.id in people]
    for pid in ordered:
        p = people_by_id[pid]
        if p.load is not None:
            caps = [f"{p.load.max_hours_per_day:g} h a day" if p.load.max_hours_per_day else "",
                    f"{p.load.max_hours_per_week:g} h a week" if p.load.max_hours_per_week else ""]
            add("load", [pid], f"{pid} trains at most {' and '.join(c for c in caps if c)}",
                f"lift {pid}'s load caps", _set("participants", pid, "load", None))
    used = [u.id for mid in all_mods for u in mods[mid].resources]
    for rid in dict.fromkeys(used):
        r = res[rid]
        demand = _most_demand(sc, all_mods, people, rid)
        if demand <= r.capacity:
            continue  # every job that could use it fits at once: the capacity never binds
        big = min(1000, demand)
        unit = "session" if r.unit == "sessions" else "participant"
        add("capacity", [rid], f"{rid} takes {r.capacity} {unit}{'s' if r.capacity > 1 else ''} at a time",
            f"{rid} capacity {big}", _set("resources", rid, "capacity", big))
    for pid, cid in competitors:
        add("goal", [pid, cid], f"{pid} is also to be ready for {cid} (met in the plan)",
            f"give up {pid}/{cid}", None, (pid, cid))
    for rid in dict.fromkeys(used):
        r = res[rid]
        if r.available_dates:
            add("campaign", [rid], f"{rid} is available only on {_dates(r.available_dates)}",
                f"make {rid} available on any working day", _set("resources", rid, "available_dates", []))
        if r.available:
            seasons = ", ".join(f"{s.start}..{s.end}" for s in r.available)
            add("available", [rid], f"{rid} is available only {seasons}", f"make {rid} available all year",
                _set("resources", rid, "available", []))
    for mid in all_mods:
        m = mods[mid]
        if m.allowed:
            seasons = ", ".join(f"{s.start}..{s.end}" for s in m.allowed)
            add("season", [mid], f"{mid} runs only {seasons}", f"run {mid} in any season",
                _set("modules", mid, "allowed", []))
    for pid in ordered:
        p = people_by_id[pid]
        if p.blackouts:
            add("blackout", ["participant", pid], f"{pid} is unavailable {_ranges(p.blackouts)}",
                f"cancel {pid}'s absences", _set("participants", pid, "blackouts", []))
    for rid in dict.fromkeys(used):
        r = res[rid]
        if r.blackouts:
            add("blackout", ["resource", rid], f"{rid} is closed {_ranges(r.blackouts)}", f"cancel {rid}'s closures",
                _set("resources", rid, "blackouts", []))
    quals = list(dict.fromkeys(mods[mid].instructor for mid in all_mods if mods[mid].instructor))
    for q in quals:
        assert q is not None
        teachers = [i for i in sc.instructors if q in i.qualifications]
        for i in teachers:
            if i.available:
                seasons = ", ".join(f"{r.start}..{r.end}" for r in i.available)
                add("available", ["instructor", i.id], f"instructor {i.id} is available only {seasons}",
                    f"make {i.id} available all year", _set("instructors", i.id, "available", []))
            for b in i.blackouts:
                add("blackout", ["instructor", i.id, b.start.isoformat()],
                    f"instructor {i.id} is away {_ranges((b,))}", f"cancel {i.id}'s absence from {b.start}",
                    _drop_blackout("instructors", i.id, b.start))
        add("instructors", [q], f"only {', '.join(i.id for i in teachers)} teach{'es' if len(teachers) == 1 else ''} {q}",
            f"add an instructor qualified for {q}", _add_instructor(q, 100))
    for mid in all_mods:
        m = mods[mid]
        if m.recency_days:
            add("recency", [mid], f"{mid} must end within {m.recency_days} days of launch "
                f"(not before {launch - dt.timedelta(days=m.recency_days)})", f"drop the recency rule of {mid}",
                _set("modules", mid, "recency_days", None))
    for mid in all_mods:
        m = mods[mid]
        rules = []
        if m.min_days_between_sessions:
            rules.append(f"sessions at least {m.min_days_between_sessions} day(s) apart")
        if m.consecutive_days:
            rules.append("sessions on consecutive days")
        if m.rest_days_after:
            rules.append(f"{m.rest_days_after} rest day(s) after")
        if rules:
            add("pattern", [mid], f"{mid}: {', '.join(rules)} ({m.num_sessions} sessions of {m.session_hours:g} h)",
                f"schedule {mid} sessions on any days", _free_pattern(mid))
    for s in sc.spacing:
        if s.after in all_mods and s.forbid in all_mods:
            add("spacing", [s.after, s.forbid], f"no {s.forbid} within {s.hours:g} h after {s.after}",
                f"drop the spacing rule {s.after} -> {s.forbid}", _drop_spacing(s.after, s.forbid))
    for mid in all_mods:
        for pre in mods[mid].prerequisites:
            lag = ""
            if pre.min_lag_days:
                lag = f", at least {pre.min_lag_days} days before"
            if pre.max_lag_days is not None:
                lag += f", at most {pre.max_lag_days} days before"
            add("prerequisite", [mid, pre.module], f"{mid} needs {pre.module} first{lag}",
                f"let {mid} start without {pre.module}", _drop_prerequisite(mid, pre.module))
    return sorted(facts.values(), key=lambda f: _KIND_ORDER.index(f.kind))


# -- probes ------------------------------------------------------------------------------------


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


def _goal_index(data: ProblemData) -> dict[GoalKey, int]:
    """Goal index of each (participant id, competency)."""
    return {(data.participants[g.participant].id, g.competency): i for i, g in enumerate(data.goals)}


class _Prober:
    """Answers "can these goals be met with these edits?" on a focused scenario.

    Answers are cached by :func:`canonical`, shared by every goal of a run.
    """

    def __init__(self, base: LoadedScenario, plain: Plain, goals: Sequence[GoalKey], params: SolveParams,
                 clock: _Clock, cap: float, cache: dict[str, SolveStatus], share: float) -> None:
        self.base, self.params, self.clock, self.cap, self.cache = base, params, clock, cap, cache
        self.plain = focus(plain, base.scenario, goals)
        self.share = share
        self.timed_out = False
        self.problems: list[str] = []

    def status(self, edits: Sequence[tuple[str, Edit]], required: Sequence[GoalKey]) -> SolveStatus:
        plain = copy.deepcopy(self.plain)
        for _, edit in edits:
            edit(plain)
        key = canonical(plain, required)
        if key in self.cache:
            return self.cache[key]
        limit = min(self.cap, self.clock.left(self.share))
        if limit < 0.05:
            self.timed_out = True
            return SolveStatus.UNKNOWN  # not cached: out of time, not an answer
        try:
            loaded = reload(self.base, plain)
            _, data = prepare(loaded)
        except ScenarioError as exc:
            self.problems.append(f"relaxed scenario rejected ({', '.join(k for k, _ in edits)}): {exc}")
            self.cache[key] = SolveStatus.UNKNOWN
            return SolveStatus.UNKNOWN
        index = _goal_index(data)
        goals = tuple(index[g] for g in required)
        # One worker: on these small models more workers cost more than they
        # gain; likewise symmetry detection, probing and repeated presolve
        # (together 25 % of explain's time on MS-19, answers unchanged).
        params = replace(self.params, time_limit=limit, num_workers=1, extra={**PROBE_EXTRA, **self.params.extra})
        status = can_meet_goals(data, goals, params)
        if status not in (SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE):
            self.timed_out = True
            return SolveStatus.UNKNOWN  # not cached: a longer limit may answer
        self.cache[key] = status
        return status


@dataclass
class _Question:
    """One goal (with competitors) and the facts that can stand in its way."""

    goal: GoalKey
    competitors: list[GoalKey]
    facts: list[Fact]
    prober: _Prober

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


# -- fixes -------------------------------------------------------------------------------------


def _smallest(test: Callable[[int], SolveStatus], top: int, first: int = 1) -> tuple[int | None, bool]:
    """Smallest ``k`` in ``[1, top]`` with ``test(k)`` FEASIBLE (monotone in ``k``), and an exact flag.

    Doubling from ``first``, then bisection: about 2 log2(top) probes. The
    flag is False when an UNKNOWN answer leaves a smaller ``k`` possible.
    """
    lo, hi, exact = 0, None, True
    k = min(first, top)
    while k >= 1:
        st = test(k)
        if st == SolveStatus.FEASIBLE:
            hi = k
            break
        if st == SolveStatus.UNKNOWN:
            exact = False
        else:
            lo = k
        if k >= top:
            break
        k = min(2 * k, top)
    if hi is None:
        return None, False
    while hi - lo > 1:
        mid = (hi + lo) // 2
        st = test(mid)
        if st == SolveStatus.FEASIBLE:
            hi = mid
        else:
            exact = exact and st == SolveStatus.INFEASIBLE
            lo = mid
    return hi, exact


def _fixes_for(fact: Fact, sc: Scenario, q: _Question, required: list[GoalKey]) -> list[Fix]:
    """Single changes of ``fact`` that make the goal achievable (checked on the goal)."""
    if fact.edit is None:
        return []

    def ok(fix: Fix) -> bool:
        return q.prober.status([(fix.key, fix.edit)], required) == SolveStatus.FEASIBLE

    kind = fact.kind
    out: list[Fix] = []
    if kind == "window":
        days = (sc.window.launch - sc.window.start).days
        found, exact = _smallest(
            lambda d: q.prober.status([(f"window:{d}", _window_earlier(d))], required), MAX_WINDOW_DAYS - days, 7
        )
        if found is not None:
            start = sc.window.start - dt.timedelta(days=found)
            out.append(Fix(f"window:{found}", f"open the window {found} days earlier (on {start})", float(found),
                           _window_earlier(found), exact))
        return out
    if kind == "capacity":
        rid = fact.key.split(":")[1]
        r = next(x for x in sc.resources if x.id == rid)

        def cap(k: int) -> SolveStatus:
            return q.prober.status([(f"capacity:{rid}:{k}", _set("resources", rid, "capacity", r.capacity + k))],
                                   required)

        found, exact = _smallest(cap, min(1000 - r.capacity, 64))
        if found is not None:
            out.append(Fix(f"capacity:{rid}:{found}", f"raise {rid} capacity from {r.capacity} to "
                           f"{r.capacity + found}", 10.0 * found,
                           _set("resources", rid, "capacity", r.capacity + found), exact))
        return out
    if kind == "load":
        pid = fact.key.split(":")[1]
        p = next(x for x in sc.participants if x.id == pid)
        assert p.load is not None
        daily, weekly = p.load.max_hours_per_day, p.load.max_hours_per_week
        if weekly is not None:
            # Raise the weekly cap in 2-hour steps, up to every working hour of a week.
            steps = int((7 * sc.calendar.day_hours - weekly) // 2)

            def load(k: int) -> SolveStatus:
                value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * k}
                return q.prober.status([(f"load:{pid}:{k}", _set("participants", pid, "load", value))], required)

            found, exact = _smallest(load, steps) if steps > 0 else (None, False)
            if found is not None:
                value = {"max_hours_per_day": daily, "max_hours_per_week": weekly + 2 * found}
                out.append(Fix(f"load:{pid}:{found}", f"raise {pid}'s weekly cap from {weekly:g} h to "
                               f"{weekly + 2 * found:g} h", 4.0 * found,
                               _set("participants", pid, "load", value), exact))
                return out
        fix = Fix(f"load:{pid}:none", fact.relaxed, 0.6 * WAIVER, fact.edit)
        return [fix] if ok(fix) else []
    if kind == "instructors":
        qual = fact.key.split(":")[1]
        fix = Fix(f"instructors:{qual}:1", f"add one instructor qualified for {qual}", 30.0, _add_instructor(qual, 1))
        return [fix] if ok(fix) else []
    cost = {"deadline": 1.5 * WAIVER, "prerequisite": 1.5 * WAIVER, "campaign": 0.6 * WAIVER,
            "available": 0.6 * WAIVER, "blackout": 0.4 * WAIVER}.get(kind, WAIVER)
    waiver = kind in ("deadline", "season", "recency", "pattern", "spacing", "prerequisite")
    fix = Fix(f"{fact.key}:relax", fact.relaxed + (" (waiver)" if waiver else ""), cost, fact.edit)
    return [fix] if ok(fix) else []


# -- the explanation ---------------------------------------------------------------------------


def _shares(sc: Scenario, a: GoalKey, b: GoalKey) -> bool:
    """Whether goals ``a`` and ``b`` can compete: same people, resources or instructors."""
    ma, pa = closure(sc, a)
    mb, pb = closure(sc, b)
    if pa & pb:
        return True
    mods = {m.id: m for m in sc.modules}

    def needs(ms: list[str]) -> set[str]:
        out = {u.id for mid in ms for u in mods[mid].resources}
        return out | {f"q:{mods[mid].instructor}" for mid in ms if mods[mid].instructor}

    return bool(needs(ma) & needs(mb))


PROBE_EXTRA: dict[str, object] = {"symmetry_level": 0, "cp_model_probing_level": 0, "max_presolve_iterations": 1}
ANALYSIS_SHARE = 0.7  # conflicts and fix searches end here; whole-scenario fix checks use the rest


class _Run:
    """State of one explanation run: budget, probe cache, conflicts found so far."""

    def __init__(self, loaded: LoadedScenario, outcome: PlanOutcome, params: SolveParams, clock: _Clock,
                 probe_limit: float) -> None:
        self.loaded, self.outcome, self.params, self.clock = loaded, outcome, params, clock
        self.probe_limit = probe_limit
        self.plain = scenario_plain(loaded.scenario)
        self.met = [(r.participant, r.competency) for r in outcome.readiness if r.status == Verdict.READY]
        self.cache: dict[str, SolveStatus] = {}
        self.found: list[list[Fact]] = []
        self.problems: list[str] = []
        self.exhausted = False

    def prober(self, goals: Sequence[GoalKey]) -> _Prober:
        return _Prober(self.loaded, self.plain, goals, self.params, self.clock, self.probe_limit, self.cache,
                       ANALYSIS_SHARE)

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
            for fact in ge.conflict:
                for fix in _fixes_for(fact, self.loaded.scenario, q, [ge.goal, *q.competitors]):
                    fixes.setdefault(fix.key, fix)
            ge.fixes = sorted(fixes.values(), key=lambda f: (f.cost, f.key))
            if not ge.fixes and not q.prober.timed_out:
                ge.note = "no single change fixes it: relax several of these facts together"
        self.problems += q.prober.problems
        self.exhausted = self.exhausted or q.prober.timed_out

    def _conflict(self, ge: GoalExplanation, alone: SolveStatus) -> _Question | None:
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
                [g for g in self.met if _shares(sc, goal, g)],
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
        q = _Question(goal, competitors, facts, prober)
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

    def _reuse(self, q: _Question) -> tuple[list[Fact], bool] | None:
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

    def verify(self, goals: list[GoalExplanation], limit: float) -> dict[str, Verification]:
        """Check the cheapest fix of each goal on the whole scenario, then the next, until
        one is verified or time is up. Goals sharing a fix are checked together first."""
        done: dict[str, Verification] = {}

        def settled(ge: GoalExplanation, upto: int) -> bool:
            # A goal needs no more checks once one of its fixes is verified.
            return any(ex_verified(done, f, ge.goal) == "yes" for f in ge.fixes[:upto])

        for rank in range(max((len(ge.fixes) for ge in goals), default=0)):
            todo: dict[str, tuple[Fix, list[GoalKey]]] = {}
            for ge in goals:
                if len(ge.fixes) > rank and not settled(ge, rank):
                    fix = ge.fixes[rank]
                    todo.setdefault(fix.key, (fix, []))[1].append(ge.goal)
            for fix, wanted in sorted(todo.values(), key=lambda t: (t[0].cost, t[0].key)):
                wanted = [g for g in wanted if ex_verified(done, fix, g) == "not run"]
                # Together first (one solve when they all fit), then one by one.
                groups: list[list[GoalKey]] = [wanted, *([g] for g in wanted)] if len(wanted) > 1 else [wanted]
                for group in groups:
                    if not group or all(ex_verified(done, fix, g) != "not run" for g in group):
                        continue
                    left = self.clock.left()
                    if left < 1.0:
                        self.exhausted = True
                        return done
                    check = _verify(self.outcome, self.plain, fix, group, self.met, self.params, min(limit, left))
                    if len(group) > 1 and any(v != Verdict.READY for v in check.status.values()):
                        continue  # not all together: the single checks answer for each
                    old = done.get(fix.key)
                    if old is not None:
                        check = Verification(max(old.ready, check.ready), check.total,
                                             {**old.status, **check.status}, old.seconds + check.seconds)
                    done[fix.key] = check
        return done


def explain(
    loaded: LoadedScenario,
    params: SolveParams,
    time_limit: float = 28.0,
    probe_limit: float = 5.0,
    say: Say | None = None,
) -> Explanation:
    """Plan ``loaded``, explain every goal that is not READY and suggest verified fixes.

    ``time_limit`` caps the whole run: at most a quarter for the plan, then
    conflicts and fix searches goal by goal (each probe at most
    ``probe_limit`` s) up to 70 % of it, then whole-scenario checks verify the
    cheapest fixes with the time left.
    """
    clock = _Clock(time_limit)
    sc = loaded.scenario
    grid, data = prepare(loaded)
    findings = presolve_checks(sc, grid, data)
    if say:
        for finding in findings:
            say(f"pre-solve: {finding}")
    # Phase 1 settles who is ready; polishing the plan would only eat the budget.
    outcome = plan(loaded, replace(params, time_limit=max(1.0, min(params.time_limit, 0.25 * time_limit)),
                                   plan_phase=False), confirm=False)
    if say:
        say(f"plan: {outcome.overall.value}, {sum(r.status == Verdict.READY for r in outcome.readiness)}/"
            f"{len(outcome.readiness)} pairs ready ({clock.elapsed():.1f} s)")
    run = _Run(loaded, outcome, params, clock, probe_limit)
    missing = {(data.participants[g.participant].id, g.competency): g.missing for g in data.goals if g.missing}
    goals = [GoalExplanation(r.participant, r.competency, r.status, "undecided")
             for r in outcome.readiness if r.status != Verdict.READY]
    # Goals impossible on their own first (small probes, conflicts shared
    # between alike goals), then trade-offs, whose probes hold several goals.
    alone: dict[GoalKey, SolveStatus] = {}
    for ge in goals:
        if ge.goal in missing:
            ge.kind, ge.note = "unachievable", f"the role does not take {', '.join(missing[ge.goal])}"
        elif clock.left(ANALYSIS_SHARE) > 0.1:
            alone[ge.goal] = run.alone(ge)
    for wanted in (SolveStatus.INFEASIBLE, SolveStatus.FEASIBLE):
        for ge in goals:
            if alone.get(ge.goal) != wanted:
                continue
            if clock.left(ANALYSIS_SHARE) <= 0.1:
                ge.note, run.exhausted = "not examined (time budget)", True
                continue
            run.explain_goal(ge, wanted)
            if say:
                say(f"  {ge.participant}/{ge.competency}: {ge.kind}, {len(ge.conflict)} facts, {len(ge.fixes)} "
                    f"fixes ({clock.elapsed():.1f} s)")
    for ge in goals:
        if ge.goal not in missing and ge.goal not in alone:
            ge.note, run.exhausted = "not examined (time budget)", True
    verifications = run.verify(goals, max(4.0, 0.15 * time_limit))
    return Explanation(outcome, findings, goals, verifications, clock.elapsed(), run.exhausted, run.problems,
                       len(run.cache))


def _verify(outcome: PlanOutcome, plain: Plain, fix: Fix, wanted: Sequence[GoalKey], met: Sequence[GoalKey],
            params: SolveParams, limit: float) -> Verification:
    """Whether, with ``fix``, one whole plan meets ``wanted`` and every pair in ``met``.

    A feasibility solve of the whole edited scenario with those goals
    required, started from the plan being explained (moved onto the new grid
    when the fix moves the window). A plan found is checked by both
    verifiers like any plan; INFEASIBLE proves the fix cannot do it without
    losing a ready pair.
    """
    t0 = time.perf_counter()
    edited = copy.deepcopy(plain)
    fix.edit(edited)
    loaded = reload(outcome.loaded, edited, (f"fix: {fix.text}",))
    grid, data = prepare(loaded)
    index = _goal_index(data)
    required = tuple(sorted({index[g] for g in (*met, *wanted) if g in index}))
    hint = None
    if outcome.result.schedule is not None:
        hint = shift_schedule(outcome.result.schedule, outcome.scenario.window.start, loaded.scenario.window.start,
                              data.slots_per_day)
    status, schedule = plan_meeting_goals(data, required, replace(params, time_limit=limit), hint)
    ready = 0
    if schedule is not None:
        met_now = goals_achieved(data, schedule)
        check_schedule(loaded.scenario, grid, data, Result(SolveStatus.FEASIBLE, schedule, goals_met=met_now))
        ready = sum(met_now)
    verdict = {SolveStatus.FEASIBLE: Verdict.READY, SolveStatus.INFEASIBLE: Verdict.NOT_READY}.get(
        status, Verdict.UNKNOWN)
    return Verification(ready, len(data.goals), dict.fromkeys(wanted, verdict), time.perf_counter() - t0)


# -- tables ------------------------------------------------------------------------------------

EXPLAIN_COLUMNS = [
    "participant",
    "competency",
    "status",
    "kind",
    "conflict",
    "conflict_minimal",
    "fix",
    "fix_cost",
    "fix_least",
    "fix_verified",
    "goals_ready_after",
    "goals_total",
    "note",
]


def explain_rows(ex: Explanation) -> list[dict[str, object]]:
    """One row per unmet goal and fix (one row without a fix when there is none)."""
    rows: list[dict[str, object]] = []
    for ge in ex.goals:
        base: dict[str, object] = {
            "participant": ge.participant,
            "competency": ge.competency,
            "status": ge.status.value,
            "kind": ge.kind,
            "conflict": "; ".join(f.text for f in ge.conflict),
            "conflict_minimal": ("proven" if ge.proven_minimal else "not proven") if ge.conflict else "",
            "fix": "",
            "fix_cost": None,
            "fix_least": "",
            "fix_verified": "",
            "goals_ready_after": None,
            "goals_total": ex.total,
            "note": ge.note,
        }
        if not ge.fixes:
            rows.append(base)
        for fix in ge.fixes:
            v = ex.verifications.get(fix.key)
            rows.append({**base, "fix": fix.text, "fix_cost": fix.cost,
                         "fix_least": "yes" if fix.least else "not proven",
                         "fix_verified": ex.verified(fix, ge.goal),
                         # pairs met by the verifying plan; none when there is no such plan
                         "goals_ready_after": v.ready if v is not None and ex.verified(fix, ge.goal) == "yes"
                         else None})
    return rows


def format_explanation(ex: Explanation) -> str:
    """Terminal text: a summary table, then each conflict with its fixes.

    Goals of one participant with the same conflict up to the competency
    (e.g. two competencies with the same rule) are shown once.
    """
    out = ex.outcome
    lines = [
        f"Plan: {out.overall.value}, {ex.ready_before}/{ex.total} participant-competency pairs ready "
        f"(solver {out.result.status.value}).",
    ]
    lines += [f"Pre-solve: {f}" for f in ex.findings]
    if not ex.goals:
        lines.append("Every participant is ready: nothing to explain.")
        return "\n".join(lines)
    header = ("participant", "competency", "status", "kind", "facts", "cheapest fix", "verified", "ready after")
    rows = []
    for ge in ex.goals:
        fix = ge.fixes[0] if ge.fixes else None
        v = ex.verifications.get(fix.key) if fix else None
        rows.append((ge.participant, ge.competency, ge.status.value, ge.kind, str(len(ge.conflict)) if ge.conflict
                     else "-", fix.text if fix else "-", ex.verified(fix, ge.goal) if fix else "-",
                     f"{v.ready}/{v.total}" if v else "-"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines.append("")
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    groups: dict[tuple[object, ...], list[GoalExplanation]] = {}
    for ge in ex.goals:
        key = (ge.participant, ge.kind, ge.note, tuple(f.generic for f in ge.conflict),
               tuple(f.key.replace(ge.competency, "<C>") for f in ge.fixes))
        groups.setdefault(key, []).append(ge)
    for members in groups.values():
        ge = members[0]
        comps = ", ".join(m.competency for m in members)

        def alike(text: str, ge: GoalExplanation = ge, comps: str = comps) -> str:
            # Name every competency of the group where the text names the first.
            return re.sub(rf"\b{re.escape(ge.competency)}\b", comps.replace(", ", "/"), text)

        lines.append("")
        lines.append(f"{ge.participant} / {comps}: {ge.status.value}, {ge.kind}" + (f" - {ge.note}" if ge.note else ""))
        if ge.conflict:
            proof = "proven irreducible" if ge.proven_minimal else "NOT proven irreducible (a probe hit its time limit)"
            lines.append(f"  conflict ({proof}): these facts together rule it out; without any one of them the rest "
                         "do not")
            for f in ge.conflict:
                lines.append(f"    - {alike(f.text)}")
        if ge.fixes:
            lines.append("  fixes (cheapest first; checked on the goal, then on the whole scenario keeping every ready pair):")
            for fix in ge.fixes:
                v = ex.verifications.get(fix.key)
                least = "" if fix.least else " (a smaller change not ruled out)"
                settled = any(ex.verified(f, ge.goal) == "yes" for f in ge.fixes)
                skipped = "a cheaper fix is verified" if settled else "time budget"
                verdict = ex.verified(fix, ge.goal)
                result = f"not checked ({skipped})" if v is None or verdict == "not run" else (
                    f"whole plan: {verdict}" + (f" ({v.ready}/{v.total} pairs ready in it)" if verdict == "yes"
                                                 else " (not without losing a ready pair)" if verdict == "no"
                                                 else " (time limit)"))
                lines.append(f"    - {alike(fix.text)}{least} "
                             f"[cost {fix.cost:g}]: {result}")
    if ex.exhausted:
        lines.append("")
        lines.append(f"Time budget used up ({ex.seconds:.0f} s): some answers are missing or unproven; "
                     "raise --time-limit for more.")
    for p in ex.problems:
        lines.append(f"warning: {p}")
    return "\n".join(lines)
