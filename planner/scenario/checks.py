"""Cross-reference checks of a scenario that pydantic cannot do field by field.

Each check yields ``(yaml_location, message)`` so that the loader can point at
the line. Nothing here knows about the time grid: these are facts of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TypeAlias

import holidays as holidays_lib

from planner.scenario.holidays import official_workdays
from planner.scenario.mission_checks import mission_problems, mission_warnings
from planner.scenario.needs import staff_problems
from planner.scenario.schema import AnyOf, DateRange, Scenario, requirement_options

Loc: TypeAlias = tuple[str | int, ...]
Found: TypeAlias = tuple[Loc, str]


def check_scenario(sc: Scenario) -> list[Found]:
    """All cross-reference problems of ``sc``; empty when it is consistent."""
    found: list[Found] = []
    for check in (_duplicates, _references, _cycles, _sessions, _dates, _holiday_calendar, _local_calendars, _repair_references,
                  mission_problems):
        found.extend(check(sc))
    return found


def _country(country: str | None, subdivision: str | None, at: Loc) -> Iterator[Found]:
    """A calendar at ``at`` names a country (and subdivision) the holidays package has."""
    if country is None:
        if subdivision is not None:
            yield (*at, "subdivision"), f"a subdivision needs a country ({'.'.join(map(str, at))}.country)"
        return
    known = holidays_lib.list_supported_countries()
    if country not in known:
        hint = f"did you mean {country.upper()!r}?" if country.upper() in known else \
            "ISO 3166 codes such as RU, US, DE, KZ"
        yield (*at, "country"), f"the holidays package does not know country {country!r} ({hint})"
    elif subdivision is not None and subdivision not in known[country]:
        subs = ", ".join(known[country][:20]) or "none"
        yield (*at, "subdivision"), f"{country} has no subdivision {subdivision!r} (known: {subs})"


def _holiday_calendar(sc: Scenario) -> Iterator[Found]:
    """The centre's public-holiday calendar must be one the holidays package has."""
    yield from _country(sc.calendar.country, sc.calendar.subdivision, ("calendar",))


def _local_calendars(sc: Scenario) -> Iterator[Found]:
    """A participant's or site's own calendar, likewise."""
    for section in ("participants", "resources", "sites"):
        for i, item in enumerate(getattr(sc, section)):
            if item.calendar is not None:
                yield from _country(item.calendar.country, item.calendar.subdivision, (section, i, "calendar"))


def _duplicates(sc: Scenario) -> Iterator[Found]:
    for section in ("gates", "roles", "participants", "resources", "sites", "instructors", "modules", "competencies"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(sc, section)):
            if item.id in seen:
                yield (section, i, "id"), f"duplicate id {item.id!r} (first at {section}[{seen[item.id]}])"
            seen.setdefault(item.id, i)


def _unknown(kind: str, ref: str, known: set[str]) -> str:
    hint = ", ".join(sorted(known)[:12]) or "none defined"
    return f"unknown {kind} {ref!r} (known: {hint})"


def _references(sc: Scenario) -> Iterator[Found]:
    roles = {r.id for r in sc.roles}
    comps = {c.id for c in sc.competencies}
    mods = {m.id for m in sc.modules}
    res = {r.id for r in sc.resources}
    gates = {g.id for g in sc.gates}
    quals = {q for i in sc.instructors for q in i.qualifications}
    for i, role in enumerate(sc.roles):
        for j, cid in enumerate(role.requires):
            if cid not in comps:
                yield ("roles", i, "requires", j), _unknown("competency", cid, comps)
    sites = {x.id for x in sc.sites}
    for i, res_ in enumerate(sc.resources):
        if res_.site is not None and res_.site not in sites:
            yield ("resources", i, "site"), _unknown("site", res_.site, sites)
    for i, p in enumerate(sc.participants):
        if p.role not in roles:
            yield ("participants", i, "role"), _unknown("role", p.role, roles)
        for j, cid in enumerate(p.holds):
            if cid not in comps:
                yield ("participants", i, "holds", j), _unknown("competency", cid, comps)
    for i, m in enumerate(sc.modules):
        for j, r in enumerate(m.roles):
            if r not in roles:
                yield ("modules", i, "roles", j), _unknown("role", r, roles)
        for j, use in enumerate(m.resources):
            if use.id not in res:
                yield ("modules", i, "resources", j), _unknown("resource", use.id, res)
        if m.instructor is not None and m.instructor not in quals:
            yield ("modules", i, "instructor"), (
                f"no instructor holds qualification {m.instructor!r}"
                f" (held: {', '.join(sorted(quals)) or 'none'})"
            )
        for name, msg in staff_problems(sc.instructors, m.staff):
            yield ("modules", i, "staff", name), msg
        for j, pre in enumerate(m.prerequisites):
            if pre.module not in mods:
                yield ("modules", i, "prerequisites", j, "module"), _unknown("module", pre.module, mods)
            elif pre.module == m.id:
                yield ("modules", i, "prerequisites", j, "module"), "a module cannot be its own prerequisite"
        if m.deadline is not None and m.deadline not in gates and not sc.missions:
            yield ("modules", i, "deadline"), _unknown("gate", m.deadline, gates)
    for i, c in enumerate(sc.competencies):
        for j, req in enumerate(c.requires):
            ids = requirement_options(req)
            for k, mid in enumerate(ids):
                if mid not in mods:
                    loc: Loc = ("competencies", i, "requires", j, "any_of", k) if isinstance(req, AnyOf) else ("competencies", i, "requires", j)
                    yield loc, _unknown("module", mid, mods)
        if c.deadline is not None and c.deadline not in gates and not sc.missions:
            yield ("competencies", i, "deadline"), _unknown("gate", c.deadline, gates)
    for i, m in enumerate(sc.modules):
        if m.after_gate is not None and m.after_gate not in gates and not sc.missions:
            yield ("modules", i, "after_gate"), _unknown("gate", m.after_gate, gates)
        if m.block is not None and not sc.missions:
            yield ("modules", i, "block"), "training blocks belong to missions (missions.*.blocks): no mission is given"
    for i, s in enumerate(sc.spacing):
        for key in ("after", "forbid"):
            if getattr(s, key) not in mods:
                yield ("spacing", i, key), _unknown("module", getattr(s, key), mods)


def _repair_references(sc: Scenario) -> Iterator[Found]:
    """Every lever of ``repairs:`` names things the scenario has."""
    res = {r.id: r for r in sc.resources}
    people = {p.id for p in sc.participants}
    instructors = {i.id for i in sc.instructors}
    comps = {c.id for c in sc.competencies}
    mods = {m.id for m in sc.modules}
    quals = {q for i in sc.instructors for q in i.qualifications}
    needed = {m.instructor for m in sc.modules if m.instructor} | {n.qualification for m in sc.modules
                                                                     for n in m.staff.values()}
    for i, lever in enumerate(sc.repairs.levers):
        at: Loc = ("repairs", "levers", i)
        if lever.kind in ("dates", "capacity") and lever.resource is not None and lever.resource not in res:
            yield (*at, "resource"), _unknown("resource", lever.resource, set(res))
        if lever.kind == "capacity" and lever.instructor is not None and lever.instructor not in instructors:
            yield (*at, "instructor"), _unknown("instructor", lever.instructor, instructors)
        if lever.kind == "instructor" and lever.qualification not in quals | needed:
            known = ", ".join(sorted(quals | needed)) or "none"
            yield (*at, "qualification"), (f"no module needs and no instructor holds qualification "
                                           f"{lever.qualification!r} (known: {known})")
        if lever.kind == "load":
            for j, pid in enumerate(lever.participants):
                if pid not in people:
                    yield (*at, "participants", j), _unknown("participant", pid, people)
        if lever.kind == "waive" and lever.competency not in comps:
            yield (*at, "competency"), _unknown("competency", lever.competency, comps)
        if lever.kind == "block":
            missions = {m.id: m for m in sc.missions}
            mission = missions.get(lever.mission)
            if mission is None:
                yield (*at, "mission"), _unknown("mission", lever.mission, set(missions))
            elif lever.block not in (blocks := {b.id for b in mission.blocks}):
                yield (*at, "block"), _unknown(f"block of mission {mission.id!r}", lever.block, blocks)
        if lever.kind == "drop" and lever.module not in mods:
            yield (*at, "module"), _unknown("module", lever.module, mods)
        if lever.kind == "dates" and lever.resource in res:
            r = res[lever.resource]
            if not r.available and not r.available_dates:
                yield (*at, "resource"), (f"resource {r.id!r} is available every working day already: "
                                          "more days of it cannot help (a 'capacity' lever may)")


def _cycles(sc: Scenario) -> Iterator[Found]:
    index = {m.id: i for i, m in enumerate(sc.modules)}
    graph = {m.id: [p.module for p in m.prerequisites if p.module in index] for m in sc.modules}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> Iterator[Found]:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield ("modules", index[node], "prerequisites"), (
                        "prerequisite cycle: " + " -> ".join(reversed(cycle))
                    )
            elif nxt not in state:
                yield from visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for mid in graph:
        if mid not in state:
            yield from visit(mid, [])


def _sessions(sc: Scenario) -> Iterator[Found]:
    cal = sc.calendar
    for i, m in enumerate(sc.modules):
        if m.session_hours > cal.day_hours + 1e-9:
            yield ("modules", i, "session_hours"), (
                f"a session of {m.session_hours} h is longer than the working day "
                f"({cal.day_hours} h); split the module into shorter sessions"
            )
        slots = m.session_hours * 60 / cal.slot_minutes
        if abs(slots - round(slots)) > 1e-9:
            yield ("modules", i, "session_hours"), (
                f"{m.session_hours} h is not a whole number of {cal.slot_minutes}-minute slots"
            )
        if m.joint == "crew" and m.consecutive_days and m.num_sessions > 14:
            yield ("modules", i, "consecutive_days"), "at most 14 consecutive days"
        if m.consecutive_days and m.num_sessions > 1:
            for k, rule in enumerate(sc.spacing):
                if rule.after == rule.forbid == m.id:
                    yield ("spacing", k), (f"spaces the sessions of {m.id!r}, whose sessions run on consecutive "
                                           "days (consecutive_days): the two exclude each other")
    for i, p in enumerate(sc.participants):
        if p.load is None:
            continue
        for key, cap, per in (("max_hours_per_day", p.load.max_hours_per_day, "a day"),
                              ("max_hours_per_week", p.load.max_hours_per_week, "a week")):
            if cap is None:
                continue
            for j, m in enumerate(sc.modules):
                if (not m.roles or p.role in m.roles) and m.session_hours > cap + 1e-9:
                    yield ("participants", i, "load", key), (
                        f"{p.id} may train {cap} h {per} but module "
                        f"{m.id!r} (modules[{j}]) has {m.session_hours}-h sessions"
                    )


def _gate_day(sc: Scenario, gate_idx: int) -> dt.date:
    g = sc.gates[gate_idx]
    if g.date is not None:
        return g.date
    assert g.before_launch_days is not None
    return sc.window.launch - dt.timedelta(days=g.before_launch_days)


def _dates(sc: Scenario) -> Iterator[Found]:
    start, launch = sc.window.start, sc.window.launch
    inside = f"the window {start} .. {launch}"
    for i, _g in enumerate(sc.gates):
        day = _gate_day(sc, i)
        if day == launch:
            yield ("gates", i), f"gate on {day}, the launch day: a gate must start before launch (at the latest L-1)"
        elif not start <= day < launch:
            yield ("gates", i), f"gate on {day} lies outside {inside}"


def scenario_warnings(sc: Scenario) -> list[Found]:
    """Dates that have no effect because they lie outside the window: a typo, or
    a window moved by an edit (what-if, sweep), so a warning and not an error."""
    start, launch = sc.window.start, sc.window.launch
    inside = f"the window {start} .. {launch}"
    found: list[Found] = []
    for section in ("participants", "resources", "instructors"):
        for i, item in enumerate(getattr(sc, section)):
            blackouts: tuple[DateRange, ...] = item.blackouts
            for j, b in enumerate(blackouts):
                if b.end < start or b.start > launch:
                    found.append(((section, i, "blackouts", j),
                                  f"blackout {b.start} .. {b.end} lies outside {inside} (no effect)"))
    for i, r in enumerate(sc.resources):
        for j, day in enumerate(r.available_dates):
            if not start <= day <= launch:
                found.append((("resources", i, "available_dates", j), f"{day} lies outside {inside} (no effect)"))
    for j, day in enumerate(sc.calendar.holidays):
        if not start <= day <= launch:
            found.append((("calendar", "holidays", j), f"holiday {day} lies outside {inside} (no effect)"))
    for i, p in enumerate(sc.participants):
        for j, w in enumerate(p.load.weeks if p.load is not None else ()):
            if w.end < start or w.start > launch:
                found.append((("participants", i, "load", "weeks", j),
                              f"weeks {w.start} .. {w.end} lie outside {inside} (no effect)"))
    cal = sc.calendar
    if cal.country and not cal.official_workdays:
        try:
            moved = sorted(d for d in official_workdays(cal.country, cal.subdivision, range(start.year, launch.year + 1))
                           if start <= d < launch)
        except ValueError:
            moved = []  # an unknown country is reported where the grid is built
        if moved:
            found.append((("calendar", "country"),
                          f"{cal.country} officially works {', '.join(map(str, moved))} (a day off moved to a weekday "
                          "the holidays package already closes); set calendar.official_workdays: true to work it"))
    for i, lever in enumerate(sc.repairs.levers):
        if lever.kind == "start" and sc.missions:  # a warning: such files loaded before; repair leaves it out
            found.append((("repairs", "levers", i, "kind"),
                          "a 'start' lever moves window.start, which a file with missions does not have (each mission "
                          "has its own start): repair leaves it out; a 'block' lever moves a mission's training block"))
    found.extend(mission_warnings(sc))
    return found
