"""The scenario around a goal: the modules and people it depends on, and a focused copy."""

from __future__ import annotations

from collections.abc import Iterable

from planner.analysis.explain.types import GoalKey, Plain, clone
from planner.calendar.missions import participant_missions
from planner.scenario.schema import Module, Scenario, requirement_options


def _requires(sc: Scenario, cid: str) -> list[str]:
    comp = next(c for c in sc.competencies if c.id == cid)
    out: list[str] = []
    for req in comp.requires:
        out.extend(requirement_options(req))
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
        # A refresher of a needed module is required with it when the module is too old.
        todo.extend(m.id for m in sc.modules if m.refresher is not None and m.refresher.of == mid)
    me = next(p for p in sc.participants if p.id == pid)
    which = dict(zip((p.id for p in sc.participants), participant_missions(sc), strict=True))
    people = {pid}
    for mid in seen:
        m = mods[mid]
        if m.joint == "none" or (m.roles and me.role not in m.roles):
            continue
        classmates = {
            "crew": lambda q: q.crew == me.crew,
            "mission": lambda q: which[q.id] == which[pid],
            "cohort": lambda q: me.cohort is not None and q.cohort == me.cohort,
        }[m.joint]
        people |= {q.id for q in sc.participants if classmates(q) and (not m.roles or q.role in m.roles)}
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
    out = clone(plain)
    # A substitute for someone left out is not one here (the copy would not load: an unknown participant).
    out["participants"] = [
        {**p, "holds": [h for h in p["holds"] if h in comps],
         **({"substitute_for": None} if p.get("substitute_for") not in people else {})}
        for p in out["participants"] if p["id"] in people
    ]
    out["modules"] = [m for m in out["modules"] if m["id"] in mods]
    out["competencies"] = [c for c in out["competencies"] if c["id"] in comps]
    for role in out["roles"]:
        role["requires"] = [c for c in role["requires"] if c in comps]
    out["spacing"] = [s for s in out["spacing"] if s["after"] in mods and s["forbid"] in mods]
    out["variants"] = {}
    without_levers(out)
    return out


def without_levers(plain: Plain) -> None:
    """Drop ``repairs.levers``: explain reads them from the scenario; an edited or focused copy
    may no longer have what a lever names (a relaxed season, a participant left out)."""
    if "repairs" in plain:
        plain["repairs"] = {**plain["repairs"], "levers": []}


def qualifications(sc: Scenario, m: Module) -> list[str]:
    """The qualifications a session of ``m`` needs: its instructor's, its staff roles' and those
    participants' own staff roles add (``participants[].modules[].staff``), in that order."""
    own = [n.qualification for p in sc.participants if m.id in p.modules for n in p.modules[m.id].staff.values()]
    lead = [m.instructor] if m.instructor else []
    return list(dict.fromkeys([*lead, *(n.qualification for n in m.staff.values()), *own]))


def shares(sc: Scenario, a: GoalKey, b: GoalKey) -> bool:
    """Whether goals ``a`` and ``b`` can compete: same people, resources or instructors."""
    ma, pa = closure(sc, a)
    mb, pb = closure(sc, b)
    if pa & pb:
        return True
    mods = {m.id: m for m in sc.modules}

    def needs(ms: list[str]) -> set[str]:
        out = {u.id for mid in ms for u in mods[mid].resources}
        return out | {f"q:{q}" for mid in ms for q in qualifications(sc, mods[mid])}

    return bool(needs(ma) & needs(mb))
