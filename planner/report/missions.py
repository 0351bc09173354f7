"""The report's section per mission: its launch, window or training blocks, crews and gates.

A file with ``missions:`` gets one section per mission in place of the one
gates table (its gates count from the mission's own launch); a file without
keeps that table as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.calendar.grid import gate_date
from planner.calendar.missions import MissionTimes
from planner.data.people import takes as takes_module
from planner.plan.missions import MissionVerdict
from planner.plan.pipeline import PlanOutcome
from planner.report.html import Cell, Para, Section, Table
from planner.report.mission_gantt import mission_order
from planner.scenario.common import Gate
from planner.scenario.schema import Scenario, requirement_options


def _date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def _span(a: dt.date, b: dt.date) -> str:
    return _date(a) if a == b else f"{_date(a)} to {_date(b)}"


def mission_title(m: MissionTimes) -> str:
    """``Mission <id> (<name>), launch <date>``."""
    name = f" ({m.name})" if m.name else ""
    return f"Mission {m.id}{name}, launch {_date(m.launch)}"


def mission_facts(sc: Scenario, m: MissionTimes, members: list[int]) -> Para:
    """The mission's window (or blocks and the breaks between them), crews and substitutes."""
    people = sc.participants
    if m.blocks:
        blocks = "; ".join(f"{bid} {_span(a, b)}" for bid, a, b in m.blocks)
        breaks = [_span(b0 + dt.timedelta(days=1), a1 - dt.timedelta(days=1))
                  for (_, _, b0), (_, a1, _) in zip(m.blocks, m.blocks[1:], strict=False) if (a1 - b0).days > 1]
        window = f"Training blocks: {blocks}" + (f" (breaks: {'; '.join(breaks)})" if breaks else "") + "."
    else:
        window = f"Training from {_date(m.start)}."
    if m.training_end < m.launch:
        window += f" Regular training ends on {_date(m.training_end)}."

    def crew(ids: tuple[str, ...]) -> str:
        return "; ".join(f"{c} ({', '.join(people[pi].id for pi in members if people[pi].crew == c) or 'nobody yet'})"
                         for c in ids)

    text = f"Launch {_date(m.launch)}. {window} Prime crew: {crew(m.prime or ())}."
    if m.backup:
        text += f" Backup crew: {crew(m.backup)}"
        if m.backup_ready_by is not None:
            text += (f", ready by gate {m.backup_ready_by} ({_date(m.gate_first(m.backup_ready_by))}; "
                     "competencies that need a launch-site module by launch)")
        text += "."
    subs = [f"{people[pi].id} for {people[pi].substitute_for}" for pi in members if people[pi].substitute_for]
    if subs:
        text += f" Substitutes: {', '.join(subs)}."
    return Para(text)


def due_at(sc: Scenario, gates: Sequence[Gate], launch: dt.date) -> dict[str, str]:
    """Competency -> the gate it is due at (its deadline), or at the end of regular training (the first
    until-launch gate) without one; "launch" for those a launch-site module gives, or with no such gate."""
    ordered = sorted(gates, key=lambda g: gate_date(g, launch))
    end = next((g.id for g in ordered if g.until_launch), "launch")
    site = {mod.id for mod in sc.modules if mod.after_gate is not None}
    return {c.id: c.deadline or ("launch" if any(o in site for r in c.requires for o in requirement_options(r)) else end)
            for c in sc.competencies}


def mission_gates(sc: Scenario, m: MissionTimes, members: list[int]) -> Table:
    """The mission's gates with their dates, the competencies due by each (for its participants'
    roles), what each takes for every mission, and the launch."""
    roles = {p.role for pi, p in enumerate(sc.participants) if pi in members}
    needed = {c for r in sc.roles if r.id in roles for c in r.requires}
    rows: list[list[str | Cell]] = []
    at = due_at(sc, m.gates, m.launch)
    for g in sorted(m.gates, key=lambda g: gate_date(g, m.launch)):
        first = gate_date(g, m.launch)
        last = m.launch if g.until_launch else first + dt.timedelta(days=g.days - 1)
        due = [cid for cid, when in at.items() if when == g.id and cid in needed]
        takes = [u.id if u.demand is None else f"{u.id} x{u.demand}" for u in g.resources]
        takes += [f"{i} (examiner)" for i in g.instructors]
        notes = ["regular training ends"] if g.until_launch else []
        if g.id == m.backup_ready_by:
            notes.append("backup crew ready by")
        # Only the modules this mission's participants take (another mission's fit check is not this one's).
        site = [mod.id for mod in sc.modules if mod.after_gate == g.id
                and any(takes_module(sc, sc.participants[pi], mod) for pi in members)]
        if site:
            notes.append(f"launch-site modules after it: {', '.join(site)}")
        rows.append([g.id, g.name, _date(first), _date(last), ", ".join(due), ", ".join(takes), "; ".join(notes)])
    at_launch = [cid for cid, when in at.items() if when == "launch" and cid in needed]
    rows.append(["launch", "Launch", _date(m.launch), _date(m.launch), ", ".join(at_launch), "", ""])
    return Table(["gate", "name", "from", "to", "competencies due", "takes", "note"], rows, id=f"gates-{m.id}")


def mission_sections(out: PlanOutcome) -> list[Section]:
    """One section per mission, in file order."""
    sc = out.scenario
    verdicts = {v.mission: v for v in out.missions}
    return [
        Section(mission_title(m), [_verdict(verdicts[m.id]), mission_facts(sc, m, members),
                                   mission_gates(sc, m, members)], id=f"mission-{m.id}")
        for m, members in mission_order(sc)
    ]


def _verdict(v: MissionVerdict) -> Para:
    """The mission's verdict: its prime crew's, and its backup crew's beside it."""
    met, total = v.prime_pairs
    text = f"Verdict: {v.prime.value} - prime crew {met}/{total} pairs ready"
    if v.backup is not None:
        text += f"; backup crew {v.backup.value} ({v.backup_pairs[0]}/{v.backup_pairs[1]})"
    return Para(text + ".")


def launches(sc: Scenario) -> str:
    """Every mission's launch for the summary: ``launches a 2021-03-01, b 2021-04-15``."""
    return "launches " + ", ".join(f"{m.id} {_date(m.launch)}" for m in sc.missions)
