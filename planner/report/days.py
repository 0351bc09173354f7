"""The report's pages for each participant: a readiness dashboard and a day-by-day timetable."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.plan.readiness import Verdict
from planner.report.html import Cell, Para, Section, Table

_CSS = {Verdict.READY: "ready", Verdict.NOT_READY: "not-ready", Verdict.UNKNOWN: "unknown", Verdict.WAIVED: "waived"}


def dashboard(out: PlanOutcome) -> Table:
    """Per participant: their verdict, pairs ready, the least slack (and where), the first expiry."""
    rows: list[list[str | Cell]] = []
    by_person = defaultdict(list)
    for r in out.readiness:
        by_person[r.participant].append(r)
    for p in out.scenario.participants:
        mine = by_person.get(p.id, [])
        if not mine:
            rows.append([p.id, Cell("held", "held"), "-", "-", "-"])
            continue
        statuses = {r.status for r in mine}
        worst = next(v for v in (Verdict.NOT_READY, Verdict.UNKNOWN, Verdict.WAIVED, Verdict.READY) if v in statuses)
        ready = [r for r in mine if r.status == Verdict.READY]
        tight = min(ready, key=lambda r: (r.slack_days or 0, r.competency), default=None)
        expiring = min((r for r in ready if r.expires is not None), key=lambda r: (r.expires, r.competency),
                       default=None)
        rows.append([
            p.id,
            Cell(worst.value, _CSS[worst]),
            Cell(f"{len(ready)}/{len(mine)}", "num"),
            f"+{tight.slack_days}d ({tight.competency})" if tight is not None else "-",
            f"{expiring.expires} ({expiring.competency})" if expiring is not None and expiring.expires else "-",
        ])
    return Table(["participant", "verdict", "pairs ready", "least slack", "first expiry (recency)"], rows,
                 id="dashboard", row_headers=True)


def day_by_day(out: PlanOutcome) -> list[Para | Table]:
    """Per participant, every training day: time, module, where, with whom (A4 print: one page break each)."""
    names = {m.id: m.name or m.id for m in out.scenario.modules}
    people = {p.id: p.name or p.id for p in out.scenario.participants}
    rows = schedule_rows(out.grid, out.data, out.result)
    data = out.data
    together: dict[tuple[str, str, object], list[str]] = {}  # (participant, module, start) -> the session's others
    for sess in out.result.schedule.sessions if out.result.schedule else ():
        job = data.jobs[sess.job]
        members = [data.participants[q].id for q in job.participants]
        for pid in members:
            together[pid, job.module, out.grid.slot_start(sess.start)] = [people[q] for q in members if q != pid]
    blocks: list[Para | Table] = []
    for p in out.scenario.participants:
        mine = [r for r in rows if r["participant"] == p.id]
        if not mine:
            continue
        table: list[list[str | Cell]] = []
        for r in mine:
            start, end = r["start"], r["end"]
            others = together.get((p.id, str(r["module"]), start), [])
            staff = [str(x).split(":", 1)[1] + f" ({str(x).split(':', 1)[0]})" for x in r["staff"]]  # type: ignore[attr-defined]
            table.append([
                f"{start:%a %d %b}",  # type: ignore[str-format]
                f"{start:%H:%M}-{_until(start, end)}",  # type: ignore[arg-type]
                f"{names[str(r['module'])]} ({r['session']}/{r['sessions']})",
                ", ".join(r["resources"]) or "-",  # type: ignore[arg-type]
                ", ".join([*map(str, r["instructors"]), *staff, *others]) or "-",  # type: ignore[call-overload]
            ])
        blocks.append(Para(f"{people[p.id]} ({p.id}), crew {p.crew}: {len(mine)} sessions"))
        blocks.append(Table(["day", "time", "module (session)", "where", "with"], table, id=f"days-{p.id}"))
    return blocks


def participant_sections(out: PlanOutcome) -> tuple[Section, Section]:
    """The dashboard section and the day-by-day section."""
    board = Section("Readiness by participant", [
        dashboard(out),
        Para("Least slack: days before the deadline of the participant's tightest competency. First expiry: "
             "the last launch date for which their training still counts under its recency rules."),
    ], id="dashboard-section")
    days = day_by_day(out) or [Para("No session is scheduled.")]
    return board, Section("Day by day", days, id="days")


def _until(start: dt.datetime, end: dt.datetime) -> str:
    """A session's end time; 24:00 for one that ends at the midnight after its day (not 00:00)."""
    return "24:00" if end.date() > start.date() and end.time() == dt.time(0) else f"{end:%H:%M}"
