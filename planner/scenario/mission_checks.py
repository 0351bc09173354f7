"""Cross-reference checks and warnings of missions, gates' equipment, blocks and substitutes.

Each check yields ``(yaml_location, message)`` as :mod:`planner.scenario.checks`
does. A module or competency that names a gate (``deadline``, ``after_gate``)
or a block needs it in the mission of *every* participant who takes it: gate
ids are per mission, so a file with two missions names its gates alike
(``exams``, ``prelaunch``) or keeps the module to the roles of one mission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TypeAlias

from planner.scenario.common import Gate
from planner.scenario.needs import staff_problems
from planner.scenario.schema import Resource, Scenario, requirement_options

Loc: TypeAlias = tuple[str | int, ...]
Found: TypeAlias = tuple[Loc, str]


def mission_of_crew(sc: Scenario) -> dict[str, int]:
    """Index of the mission each crew belongs to (prime or backup); empty without missions."""
    out: dict[str, int] = {}
    for mi, mission in enumerate(sc.missions):
        for crew in (*mission.crews.prime, *mission.crews.backup):
            out.setdefault(crew, mi)
    return out


def _takers(sc: Scenario, roles: tuple[str, ...]) -> list[int]:
    return [pi for pi, p in enumerate(sc.participants) if not roles or p.role in roles]


def _cohorts(sc: Scenario) -> Iterator[Found]:
    """A ``joint: cohort`` module's cohort must train in one mission (its dates are one mission's),
    and a module trained by cohort needs a cohort among its takers."""
    crews = mission_of_crew(sc)
    for i, m in enumerate(sc.modules):
        if m.joint != "cohort":
            continue
        seen: dict[str, tuple[int, str]] = {}
        takers = _takers(sc, m.roles)
        if not any(sc.participants[pi].cohort for pi in takers):
            yield ("modules", i, "joint"), ("'joint: cohort' but no participant taking the module names a cohort "
                                            "(participants[].cohort)")
        for pi in takers:
            p = sc.participants[pi]
            if p.cohort is None:
                continue
            mission = crews.get(p.crew, 0)
            first = seen.setdefault(p.cohort, (mission, p.id))
            if first[0] != mission:
                yield ("modules", i, "joint"), (f"cohort {p.cohort!r} trains {m.id} together but {first[1]} and "
                                                f"{p.id} are in different missions; a joint session has one "
                                                "mission's dates (split the cohort per mission)")
                break


def _participant_blocks(sc: Scenario) -> Iterator[Found]:
    """A participant's ``blocks`` name blocks of their own mission, once each."""
    crews = mission_of_crew(sc)
    for i, p in enumerate(sc.participants):
        if not p.blocks:
            continue
        if not sc.missions:
            yield ("participants", i, "blocks"), "blocks needs missions: (a training block is a mission's)"
            continue
        if p.crew not in crews:
            continue  # reported on the crew
        m = sc.missions[crews[p.crew]]
        known = [b.id for b in m.blocks]
        for k, b in enumerate(p.blocks):
            if b not in known:
                yield ("participants", i, "blocks", k), (
                    f"mission {m.id} has no block {b!r} (blocks: {', '.join(known) or 'none: it has one window'})")
            elif b in p.blocks[:k]:
                yield ("participants", i, "blocks", k), f"block {b!r} listed twice"


def _overrides(sc: Scenario) -> Iterator[Found]:
    """Individual needs (``participants[].modules``) name modules the participant takes, in whole
    sessions, and change hours only of a module taken alone (a joint session has one length)."""
    mods = {m.id: m for m in sc.modules}
    known = {r.id for r in sc.resources}
    for i, p in enumerate(sc.participants):
        for mid, own in p.modules.items():
            at: Loc = ("participants", i, "modules", mid)
            m = mods.get(mid)
            if m is None:
                yield at, f"unknown module {mid!r}"
                continue
            if m.roles and p.role not in m.roles:
                yield at, f"{p.id} ({p.role}) does not take {mid} (roles: {', '.join(m.roles)})"
                continue
            if own.waived:
                continue
            if m.joint != "none" and (own.hours is not None or own.sessions is not None or own.resources):
                yield at, (f"{mid} is trained together (joint: {m.joint}): one participant's hours or resources "
                           "cannot differ (staff can); waive it for them or give the module its own copy")
            if m.instructor is not None and "instructor" in own.staff:
                yield (*at, "staff", "instructor"), ("the role 'instructor' is the module's 'instructor:'; "
                                                     "name the further role otherwise")
            for role, msg in staff_problems(sc.instructors, own.staff):
                yield (*at, "staff", role), msg
            for k, use in enumerate(own.resources):
                if use.id not in known:
                    yield (*at, "resources", k), f"unknown resource {use.id!r}"
            if own.hours is not None:
                ratio = own.hours / m.session_hours
                if abs(ratio - round(ratio)) > 1e-9:
                    yield at, f"hours ({own.hours:g}) is not a whole number of {mid}'s sessions of {m.session_hours:g} h"


def _refreshers(sc: Scenario) -> Iterator[Found]:
    """A refresher names another known module and a gate of every mission whose participants take it,
    and no competency lists it (it is required only through its rule)."""
    mods = {m.id for m in sc.modules}
    crews = mission_of_crew(sc)
    listed = {mid for c in sc.competencies for req in c.requires
              for mid in requirement_options(req)}
    for i, m in enumerate(sc.modules):
        ref = m.refresher
        if ref is None:
            continue
        at: Loc = ("modules", i, "refresher")
        if ref.of == m.id or ref.of not in mods:
            yield (*at, "of"), (f"{ref.of!r} is this module" if ref.of == m.id else f"unknown module {ref.of!r}")
        if m.id in listed:
            yield at, (f"{m.id} is a refresher: it is required only when {ref.of} is too old at {ref.gate}, "
                       "so no competency may list it (list the module it refreshes)")
        for pi in _takers(sc, m.roles):
            p = sc.participants[pi]
            gates = sc.gates if not sc.missions else sc.missions[crews.get(p.crew, 0)].gates
            if ref.gate not in {g.id for g in gates}:
                where = "the scenario" if not sc.missions else f"mission {sc.missions[crews.get(p.crew, 0)].id}"
                yield (*at, "gate"), f"{where} has no gate {ref.gate!r} ({p.id} takes {m.id})"
                break


def gate_first_day(gate: Gate, launch: dt.date) -> dt.date:
    """First day of ``gate`` for a mission launching on ``launch``."""
    if gate.date is not None:
        return gate.date
    assert gate.before_launch_days is not None
    return launch - dt.timedelta(days=gate.before_launch_days)


def mission_problems(sc: Scenario) -> Iterator[Found]:
    """Errors: crews in no or two missions, unknown gates, blocks, equipment and substitutes."""
    people = {p.id: p for p in sc.participants}
    yield from _gate_equipment(sc, sc.gates, ("gates",))
    for i, p in enumerate(sc.participants):
        if p.substitute_for is not None:
            if p.substitute_for not in people:
                yield ("participants", i, "substitute_for"), f"unknown participant {p.substitute_for!r}"
            elif p.substitute_for == p.id:
                yield ("participants", i, "substitute_for"), "a participant cannot substitute for themselves"
    yield from _cohorts(sc)
    yield from _participant_blocks(sc)
    yield from _overrides(sc)
    yield from _refreshers(sc)
    if not sc.missions:
        return
    owner: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for mi, mission in enumerate(sc.missions):
        if mission.id in seen_ids:
            yield ("missions", mi, "id"), f"duplicate id {mission.id!r} (first at missions[{seen_ids[mission.id]}])"
        seen_ids.setdefault(mission.id, mi)
        for key in ("prime", "backup"):
            for j, crew in enumerate(getattr(mission.crews, key)):
                if crew in owner:
                    yield ("missions", mi, "crews", key, j), f"crew {crew!r} is already in mission {sc.missions[owner[crew]].id!r}"
                else:
                    owner[crew] = mi
        gates = {g.id for g in mission.gates}
        if mission.crews.backup_ready_by is not None and mission.crews.backup_ready_by not in gates:
            yield ("missions", mi, "crews", "backup_ready_by"), _unknown_gate(mission.crews.backup_ready_by, mission.id, gates)
        yield from _gate_equipment(sc, mission.gates, ("missions", mi, "gates"))
        for gi, gate in enumerate(mission.gates):
            day = gate_first_day(gate, mission.launch)
            if day == mission.launch:
                yield ("missions", mi, "gates", gi), (
                    f"gate on {day}, the mission's launch day: a gate must start before launch (at the latest L-1)")
            elif not mission.first_day <= day < mission.launch:
                yield ("missions", mi, "gates", gi), (
                    f"gate on {day} lies outside the mission's window {mission.first_day} .. {mission.launch}")
    for i, p in enumerate(sc.participants):
        if p.crew not in owner:
            yield ("participants", i, "crew"), (
                f"crew {p.crew!r} is in no mission: list it under missions.*.crews (prime or backup)")
    mission_of = {pi: owner[p.crew] for pi, p in enumerate(sc.participants) if p.crew in owner}
    for i, m in enumerate(sc.modules):
        used = sorted({mission_of[pi] for pi in _takers(sc, m.roles) if pi in mission_of})
        for key in ("deadline", "after_gate"):
            gid = getattr(m, key)
            for mi in used if gid is not None else ():
                gates = {g.id for g in sc.missions[mi].gates}
                if gid not in gates:
                    yield ("modules", i, key), _unknown_gate(gid, sc.missions[mi].id, gates, "whose participants take the module")
        if m.block is not None:
            for mi in used:
                blocks = {b.id for b in sc.missions[mi].blocks}
                if blocks and m.block not in blocks:
                    yield ("modules", i, "block"), (
                        f"mission {sc.missions[mi].id!r} (whose participants take the module) has no block "
                        f"{m.block!r} (blocks: {', '.join(sorted(blocks))})")
    for i, c in enumerate(sc.competencies):
        if c.deadline is None:
            continue
        needed = {mission_of[pi] for pi, p in enumerate(sc.participants) if pi in mission_of
                  and c.id in next(r.requires for r in sc.roles if r.id == p.role)} if _roles_ok(sc) else set()
        for mi in sorted(needed):
            gates = {g.id for g in sc.missions[mi].gates}
            if c.deadline not in gates:
                yield ("competencies", i, "deadline"), _unknown_gate(c.deadline, sc.missions[mi].id, gates, "whose roles need it")


def _roles_ok(sc: Scenario) -> bool:
    roles = {r.id for r in sc.roles}
    return all(p.role in roles for p in sc.participants)


def _unknown_gate(gid: str, mission: str, gates: set[str], whose: str = "") -> str:
    known = ", ".join(sorted(gates)) or "none"
    return f"mission {mission!r}{f' ({whose})' if whose else ''} has no gate {gid!r} (its gates: {known})"


def _gate_equipment(sc: Scenario, gates: tuple[Gate, ...], at: Loc) -> Iterator[Found]:
    res = {r.id: r for r in sc.resources}
    instructors = {i.id for i in sc.instructors}
    for gi, gate in enumerate(gates):
        for j, use in enumerate(gate.resources):
            if use.id not in res:
                known = ", ".join(sorted(res)[:12]) or "none defined"
                yield (*at, gi, "resources", j), f"unknown resource {use.id!r} (known: {known})"
            elif use.demand is not None and use.demand > res[use.id].capacity:
                yield (*at, gi, "resources", j, "demand"), (
                    f"takes {use.demand} of {use.id}, whose capacity is {res[use.id].capacity}")
        for j, iid in enumerate(gate.instructors):
            if iid not in instructors:
                known = ", ".join(sorted(instructors)[:12]) or "none defined"
                yield (*at, gi, "instructors", j), f"unknown instructor {iid!r} (known: {known})"


def mission_warnings(sc: Scenario) -> list[Found]:
    """Settings that cannot act: a block no module can use, a gate needing a resource closed on
    all its days, a substitute with another role, a block key on a mission without blocks, a module
    tied to a block its taker does not attend."""
    found: list[Found] = []
    people = {p.id: p for p in sc.participants}
    for i, p in enumerate(sc.participants):
        other = people.get(p.substitute_for or "")
        if other is not None and other.role != p.role:
            found.append((("participants", i, "substitute_for"),
                          f"{p.id} ({p.role}) substitutes for {other.id} ({other.role}), another role: the "
                          f"competencies of {other.role} that {p.role} does not train are reported missing"))
        if p.blocks:
            for m in sc.modules:
                if m.block is not None and m.block not in p.blocks and (not m.roles or p.role in m.roles):
                    found.append((("participants", i, "blocks"),
                                  f"{p.id} attends only block(s) {', '.join(p.blocks)} but takes {m.id}, tied to "
                                  f"block {m.block}: it cannot run for {p.id}"))
    owner = mission_of_crew(sc)
    crews = {p.crew for p in sc.participants}
    for mi, mission in enumerate(sc.missions):
        for key in ("prime", "backup"):
            for j, crew in enumerate(getattr(mission.crews, key)):
                if crew not in crews:
                    found.append((("missions", mi, "crews", key, j),
                                  f"no participant is in crew {crew!r} yet (crews: {', '.join(sorted(crews))})"))
        members = [pi for pi, p in enumerate(sc.participants) if owner.get(p.crew) == mi]
        taken = [m for m in sc.modules if any(pi in members for pi in _takers(sc, m.roles))]
        for bi, block in enumerate(mission.blocks):
            if taken and all(m.block is not None and m.block != block.id for m in taken):
                found.append((("missions", mi, "blocks", bi),
                              f"no module can use block {block.id!r}: every module of the mission is tied to another block"))
        for gi, gate in enumerate(mission.gates):
            found.extend(_gate_closed(sc, gate, mission.launch, ("missions", mi, "gates", gi)))
        if not mission.blocks:
            for j, m in enumerate(sc.modules):
                if m.block is not None and m in taken:
                    found.append((("modules", j, "block"),
                                  f"mission {mission.id!r} has no blocks: 'block: {m.block}' does not restrict it there"))
    for gi, gate in enumerate(sc.gates):
        found.extend(_gate_closed(sc, gate, sc.window.launch, ("gates", gi)))
    return found


def _gate_closed(sc: Scenario, gate: Gate, launch: dt.date, at: Loc) -> list[Found]:
    res = {r.id: r for r in sc.resources}
    first = gate_first_day(gate, launch)
    days = [first + dt.timedelta(days=k) for k in range(gate.days)]
    out: list[Found] = []
    for j, use in enumerate(gate.resources):
        r = res.get(use.id)
        if r is None:
            continue
        if not any(_resource_open(r, d) for d in days):
            out.append(((*at, "resources", j),
                        f"the gate needs {r.id}, which is never available on its days ({days[0]} .. {days[-1]})"))
    return out


def _resource_open(r: Resource, day: dt.date) -> bool:
    if any(b.contains(day) for b in r.blackouts):
        return False
    if r.available and not any(s.contains(day) for s in r.available):
        return False
    return not r.available_dates or day in r.available_dates
