"""Who takes which module and how much of it: classes of joint modules and individual needs.

:func:`planner.data.problem.build_problem` asks here which participants train
together in a ``joint: mission`` or ``joint: cohort`` module, how many
sessions a job has (a participant's own hours or sessions,
``participants[].modules``), whether a module is waived for someone, and
which pairs of jobs a refresher rule links (``modules[].refresher``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from planner.calendar.grid import TimeGrid
from planner.calendar.missions import participant_missions
from planner.data.missions import Timeline
from planner.scenario.schema import (
    Load,
    Module,
    ModuleOverride,
    Participant,
    ResourceUse,
    Scenario,
    StaffNeed,
    monday_of,
    requirement_options,
)


@dataclass(frozen=True)
class ParticipantData:
    """A trainee: id, crew and load caps in slots (None: no cap)."""

    id: str
    crew: str
    role: str
    daily_cap: int | None = None
    weekly_cap: int | None = None
    week_caps: tuple[tuple[int, int], ...] = ()  # (week, cap) where it is not weekly_cap (load.weeks)

    def cap_in_week(self, week: int) -> int | None:
        """The weekly cap of calendar week ``week`` in slots (None: no cap)."""
        for w, cap in self.week_caps:
            if w == week:
                return cap
        return self.weekly_cap

    def within_caps(self, by_week: Mapping[int, int]) -> int:
        """The slots of ``by_week`` (week: slots the days offer) that the weekly caps leave."""
        return sum(v if (c := self.cap_in_week(w)) is None else min(v, c) for w, v in by_week.items())

    @property
    def weeks_capped(self) -> bool:
        """Whether some week has a cap."""
        return self.weekly_cap is not None or bool(self.week_caps)


@dataclass(frozen=True)
class Staff:
    """``count`` people of ``candidates`` (instructor indices) staff every session as ``role``."""

    role: str
    qualification: str
    candidates: tuple[int, ...]
    count: int


def takes(sc: Scenario, p: Participant, m: Module) -> bool:
    """Whether ``p`` takes module ``m``: their role does and it is not waived for them; a refresher only with
    the module it refreshes (with that one waived, or not their role's, there is nothing to refresh)."""
    if (m.roles and p.role not in m.roles) or waived(p, m.id):
        return False
    of = None if m.refresher is None else next((x for x in sc.modules if x.id == m.refresher.of), None)
    return of is None or takes(sc, p, of)


def waived(p: Participant, module: str) -> bool:
    """Whether ``p``'s individual needs waive ``module`` (``participants[].modules``)."""
    own = p.modules.get(module)
    return own is not None and own.waived


def waived_competency(sc: Scenario, p: Participant, competency: str) -> bool:
    """Whether every requirement of ``competency`` is met for ``p`` by waived modules (an option of
    each ``any_of`` waived): no goal is made of it, and ``p`` holds it like a ``holds`` entry."""
    comp = next(c for c in sc.competencies if c.id == competency)
    return all(any(waived(p, o) for o in requirement_options(req)) for req in comp.requires)


def held(sc: Scenario) -> dict[str, dict[str, str]]:
    """Per participant id, the competencies they hold without training, with why: already held (their
    ``holds``, whether their role requires it or not), or, of those their role requires, every module of
    it waived for them (``participants[].modules``)."""
    required = {r.id: r.requires for r in sc.roles}
    out: dict[str, dict[str, str]] = {}
    for p in sc.participants:
        mine = out.setdefault(p.id, dict.fromkeys(p.holds, "already holds it"))
        for cid in required[p.role]:
            if cid not in mine and waived_competency(sc, p, cid):
                mine[cid] = "its modules are waived for them"
    return out


def _own(sc: Scenario, m: Module, members: tuple[int, ...]) -> ModuleOverride | None:
    """The individual needs for ``m`` of a job taken alone (checks allow none on a joint module)."""
    return sc.participants[members[0]].modules.get(m.id) if len(members) == 1 else None


def num_sessions(sc: Scenario, m: Module, members: tuple[int, ...]) -> int:
    """The sessions of ``m`` for a job of ``members``: the module's, or one participant's own
    hours or sessions."""
    own = _own(sc, m, members)
    if own is not None and own.sessions is not None:
        return own.sessions
    if own is not None and own.hours is not None:
        return round(own.hours / m.session_hours)
    return m.num_sessions


def extra_resources(sc: Scenario, m: Module, members: tuple[int, ...]) -> tuple[ResourceUse, ...]:
    """Resources one participant's sessions of ``m`` use besides the module's (individual needs)."""
    own = _own(sc, m, members)
    return own.resources if own is not None else ()


def staff_needs(sc: Scenario, m: Module, members: tuple[int, ...]) -> tuple[Staff, ...]:
    """The further staff of a job of ``m`` for ``members``: the module's roles, then the roles its
    members' individual needs add. A role and qualification both name takes the larger count
    (``per: participant`` counts are summed over the members who have them); the same role with
    another qualification is another need (an interpreter for Japanese and one for French)."""
    need: dict[tuple[str, str], int] = {}

    def count(n: StaffNeed, who: int) -> int:
        return n.count * (who if n.per == "participant" else 1)

    for role, n in m.staff.items():
        need[role, n.qualification] = count(n, len(members))
    own: dict[tuple[str, str], tuple[int, int]] = {}  # (role, qualification) -> (per-session max, per-participant sum)
    for pi in members:
        mine = sc.participants[pi].modules.get(m.id)
        for role, n in (mine.staff if mine is not None else {}).items():
            most, total = own.get((role, n.qualification), (0, 0))
            own[role, n.qualification] = (max(most, count(n, 1)) if n.per == "session" else most,
                                          total + n.count if n.per == "participant" else total)
    for key, (most, total) in own.items():
        need[key] = max(need.get(key, 0), most, total)
    return tuple(
        Staff(role, q, tuple(i for i, ins in enumerate(sc.instructors) if q in ins.qualifications), n)
        for (role, q), n in need.items()
    )


def staffed(staff: tuple[Staff, ...], people: tuple[int, ...]) -> list[tuple[Staff, int]]:
    """(need, person) for each person of a session's further staff (``ScheduledSession.staff``: ``count``
    people per need, in the needs' order)."""
    return list(zip([n for n in staff for _ in range(n.count)], people, strict=False))


def people_short(lead: tuple[int, ...] | None, staff: tuple[Staff, ...]) -> int:
    """How many places of a session no distinct qualified person can fill: the lead instructor's (``lead``,
    its candidates, None when it has none) and every staff role's, one person per place (a matching)."""
    places = ([lead] if lead is not None else []) + [n.candidates for n in staff for _ in range(n.count)]
    taken: dict[int, int] = {}  # person -> place

    def place(k: int, seen: set[int]) -> bool:
        for i in places[k]:
            if i not in seen:
                seen.add(i)
                if i not in taken or place(taken[i], seen):
                    taken[i] = k
                    return True
        return False

    return sum(not place(k, set()) for k in range(len(places)))


def trip(sc: Scenario, m: Module, members: tuple[int, ...]) -> tuple[int, str | None]:
    """Calendar days of travel each way for a job of ``m`` (the module's own ``travel_days``, or the longest
    of the sites, ``resources[].site``, of the resources its sessions use), and the site it travels to when
    those days are a site's and its remote resources are all there (None: no travel, the module's own longer
    travel, or two sites). A participant stays at that site between two modules there: no travel between them."""
    where = {r.id: (x.id, x.travel_days) for r in sc.resources for x in sc.sites if r.site == x.id and x.travel_days}
    used = {where[u.id] for u in (*m.resources, *extra_resources(sc, m, members)) if u.id in where}
    days = max([m.travel_days, *(d for _, d in used)])
    sites = {site for site, _ in used}
    return days, (next(iter(sites)) if len(sites) == 1 and days == max(d for _, d in used) else None)


def classes(sc: Scenario, joint: str, takers: list[int]) -> list[tuple[str, tuple[int, ...]]]:
    """Who trains together in a ``joint: mission`` or ``joint: cohort`` module, with the owner id
    of each job: the mission's id (``all`` without missions), or the cohort's name; a taker
    in no cohort trains alone (owner: their id)."""
    which = participant_missions(sc)
    names = [m.id for m in sc.missions] or ["all"]
    out: dict[str, list[int]] = {}
    for pi in takers:
        p = sc.participants[pi]
        owner = names[which[pi]] if joint == "mission" else (p.cohort or p.id)
        out.setdefault(owner, []).append(pi)
    return [(owner, tuple(members)) for owner, members in out.items()]


@dataclass(frozen=True)
class RefresherRule:
    """Job ``refresh`` is done exactly when job ``initial`` is done and its last session is before
    ``threshold_day``; then it starts after ``initial`` ends and ends before ``gate_day``."""

    initial: int
    refresh: int
    threshold_day: int
    gate_day: int


def refresher_rules(sc: Scenario, tl: Timeline, job_of_pm: dict[tuple[int, str], int]) -> list[RefresherRule]:
    """One rule per pair of jobs (a crew job once): each participant taking both modules."""
    out: dict[tuple[int, int], RefresherRule] = {}
    for m in sc.modules:
        if m.refresher is None:
            continue
        for pi in range(len(sc.participants)):
            if (pi, m.id) in job_of_pm and (pi, m.refresher.of) in job_of_pm:
                gate = tl.gate_day(pi, m.refresher.gate)
                rule = RefresherRule(job_of_pm[pi, m.refresher.of], job_of_pm[pi, m.id],
                                     gate - m.refresher.older_than_days, gate)
                out.setdefault((rule.initial, rule.refresh), rule)
    return list(out.values())


def load_caps(load: Load | None, grid: TimeGrid) -> tuple[int | None, int | None, tuple[tuple[int, int], ...]]:
    """A participant's caps in slots: daily, weekly, and (week, cap) of the grid's weeks whose cap
    ``load.weeks`` sets to something else than the weekly cap (a cap that is not a whole number of
    slots rounds down: it is a limit)."""
    if load is None:
        return None, None, ()
    daily = None if load.max_hours_per_day is None else _slots(load.max_hours_per_day, grid)
    weekly = None if load.max_hours_per_week is None else _slots(load.max_hours_per_week, grid)
    caps: dict[int, int] = {}
    if load.weeks:
        for d, date in enumerate(grid.days):
            cap = load.week_cap(monday_of(date))
            if cap is not None and (slots := _slots(cap, grid)) != weekly:
                caps[grid.week(d)] = slots
    return daily, weekly, tuple(sorted(caps.items()))


def _slots(hours: float, grid: TimeGrid) -> int:
    return math.floor(hours * 60 / grid.slot_minutes + 1e-9)
