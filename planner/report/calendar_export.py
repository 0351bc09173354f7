"""Calendar (ICS) and spreadsheet (XLSX) exports of a plan, byte-reproducible.

Times are the scenario's local times: with ``calendar.timezone`` (an IANA
name) each carries its TZID and the calendar the matching VTIMEZONE; without
it they are floating local times. One calendar per participant, one per
instructor who teaches or staffs a session, and one with every participant's
sessions. Every stamp that would record "now"
(DTSTAMP, the workbook's created/modified dates, zip entry times) is taken
from the window start instead, so the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from icalendar import Calendar, Event, vText

from planner.data.people import staffed
from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.report.tables import readiness_frame, staff_columns
from planner.scenario.schema import Scenario

_PRODID = "-//crew-planner//training report//EN"
_UID_DOMAIN = "crew-planner"
RESOURCE_COLUMNS = ["kind", "id", "module", "job", "session", "participants", "start", "end", "hours", "demand"]
PARTICIPANT_COLUMNS = ["module", "name", "session", "start", "end", "hours", "resources", "instructors", "joint"]


def fixed_stamp(out: PlanOutcome) -> dt.datetime:
    """The one time stamp the exports record: the window start at 00:00 (UTC)."""
    return dt.datetime.combine(out.scenario.window.start, dt.time(0), tzinfo=dt.UTC)


def _serves(mid: str, served: dict[str, list[str]], needed_by: dict[str, list[str]]) -> str:
    """The competencies module ``mid`` counts towards, or those it leads to as a prerequisite."""
    if served.get(mid):
        return ", ".join(served[mid])
    seen, todo, via = {mid}, list(needed_by.get(mid, [])), []
    while todo:  # every module that needs mid, directly or through others
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            via += [c for c in served.get(m, []) if c not in via]
            todo += needed_by.get(m, [])
    return f"none directly; a prerequisite for {', '.join(via)}" if via else "none"


def module_competencies(sc: Scenario) -> dict[str, list[str]]:
    """Module id → every competency (scenario order) it counts towards; modules serving none are absent."""
    served: dict[str, list[str]] = {}
    for c in sc.competencies:
        for req in c.requires:
            for mid in (req,) if isinstance(req, str) else req.any_of:
                served.setdefault(mid, []).append(c.id)
    return served


def session_uid(participant: str, module: str, session: int) -> str:
    """A UID that stays the same for the same participant, module and session number."""
    digest = hashlib.sha256(f"{participant}/{module}/{session}".encode()).hexdigest()[:32]
    return f"{digest}@{_UID_DOMAIN}"


def _local(sc: Scenario, when: dt.datetime) -> dt.datetime:
    """``when`` in the scenario's time zone, or floating (naive) without one."""
    return when.replace(tzinfo=zoneinfo.ZoneInfo(sc.calendar.timezone)) if sc.calendar.timezone else when


def _event(sc: Scenario, summary: str, uid: str, stamp: dt.datetime, when: tuple[dt.datetime, dt.datetime],
           rooms: list[str], description: str) -> Event:
    """One VEVENT: a participant's or an instructor's session."""
    ev = Event()
    ev.add("summary", summary)
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", _local(sc, when[0]))
    ev.add("dtend", _local(sc, when[1]))
    if rooms:
        ev.add("location", ", ".join(rooms))
    ev.add("description", description)
    return ev


def _finish(cal: Calendar, sc: Scenario) -> bytes:
    """The calendar's bytes, with a VTIMEZONE for every TZID it uses."""
    if sc.calendar.timezone:
        # The time-zone rules must span the window: icalendar's default ends in 2038, so a 2040 session would
        # read an hour off in summer. 1970-2038 kept where it spans the window (the same bytes as before).
        cal.add_missing_timezones(min(dt.date(1970, 1, 1), sc.window.start.replace(month=1, day=1)),
                                  max(dt.date(2038, 1, 1), dt.date(sc.window.launch.year + 1, 1, 1)))
    return cal.to_ical()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(name))  # escaped: a name with a line break (an Excel cell's) crashed the export
    return cal


def session_events(out: PlanOutcome, ids: Mapping[tuple[str, str, str], int] | None = None) -> dict[str, list[Event]]:
    """Participant id → one VEVENT per session they attend, in schedule order. ``ids``: the stable
    number of each session (participant, module, start) when it differs from its place (a re-plan)."""
    sc = out.scenario
    names = {m.id: m.name or m.id for m in sc.modules}
    people = {p.id: p.name or p.id for p in sc.participants}
    places = {r.id: r.name or r.id for r in sc.resources}
    teachers = {i.id: i.name or i.id for i in sc.instructors}
    served = module_competencies(sc)
    needed_by = {m.id: [n.id for n in sc.modules if any(p.module == m.id for p in n.prerequisites)] for m in sc.modules}
    stamp = fixed_stamp(out)
    events: dict[str, list[Event]] = {p.id: [] for p in sc.participants}
    for r in schedule_rows(out.grid, out.data, out.result):
        pid, mid, k, n = str(r["participant"]), str(r["module"]), int(r["session"]), int(r["sessions"])  # type: ignore[call-overload]
        uid = session_uid(pid, mid, (ids or {}).get((pid, mid, r["start"].isoformat(timespec="minutes")), k))  # type: ignore[attr-defined]
        rooms = [places[x] for x in r["resources"]]  # type: ignore[attr-defined]
        lines = [
            f"Participant: {people[pid]} ({pid}), crew {r['crew']}",
            f"Instructor: {', '.join(teachers[x] for x in r['instructors']) or 'none'}",  # type: ignore[attr-defined]
            f"Competencies: {_serves(mid, served, needed_by)}",
            f"Module: {mid}" + (" (joint crew session)" if r["joint"] else ""),
        ]
        staff = [str(x).split(":", 1) for x in r["staff"]]  # type: ignore[attr-defined]
        if staff:
            lines.insert(2, "Staff: " + ", ".join(f"{teachers[who]} ({role})" for role, who in staff))
        # The participant is in the summary so that overlaid calendars (a crew, an instructor's view) stay readable.
        events[pid].append(_event(sc, f"{names[mid]} (session {k}/{n}): {people[pid]}", uid, stamp,
                                  (r["start"], r["end"]), rooms, "\n".join(lines)))  # type: ignore[arg-type]
    return events


def instructor_events(out: PlanOutcome, ids: Mapping[tuple[str, str, str], int] | None = None) -> dict[str, list[Event]]:
    """Instructor id -> one VEVENT per session they teach or staff, in time order (``ids`` as
    :func:`session_events`)."""
    sc, grid, data = out.scenario, out.grid, out.data
    names = {m.id: m.name or m.id for m in sc.modules}
    people = {p.id: p.name or p.id for p in sc.participants}
    places = {r.id: r.name or r.id for r in sc.resources}
    events: dict[str, list[Event]] = {i.id: [] for i in sc.instructors}
    stamp = fixed_stamp(out)
    sessions = sorted(out.result.schedule.sessions if out.result.schedule else (), key=lambda s: (s.start, s.job, s.index))
    for s in sessions:
        job = data.jobs[s.job]
        roles = [("instructor", s.instructor)] if s.instructor is not None else []
        roles += [(need.role, i) for need, i in staffed(job.staff, s.staff)]
        who = ", ".join(people[data.participants[p].id] for p in job.participants)
        start = grid.slot_start(s.start)
        number = (ids or {}).get((data.participants[job.participants[0]].id, job.module,
                                  start.isoformat(timespec="minutes")), s.index + 1)
        for role, i in roles:
            iid = data.instructors[i].id
            rooms = [places[data.resources[r].id] for r, _ in job.resources]
            events[iid].append(_event(
                sc, f"{names[job.module]} (session {s.index + 1}/{job.num_sessions}): {who}",
                session_uid(f"instructor:{iid}", job.id, number), stamp,
                (grid.slot_start(s.start), grid.slot_end(s.end)), rooms,
                f"Role: {role}\nParticipants: {who}\nModule: {job.module}"))
    return events


def write_ics(out: PlanOutcome, folder: Path, ids: Mapping[tuple[str, str, str], int] | None = None) -> list[Path]:
    """Write ``schedule-<participant>.ics`` for each participant, ``schedule-instructor-<id>.ics`` for each
    instructor with a session, and the combined ``schedule.ics`` (``ids`` as :func:`session_events`)."""
    sc = out.scenario
    events = session_events(out, ids)
    combined = _calendar(sc.name)
    paths = []
    for old in folder.glob("schedule*.ics"):
        old.unlink()  # a calendar of an earlier plan (a participant renamed since) would contradict this one
    taken: set[str] = {"schedule"}
    for p in sc.participants:
        cal = _calendar(f"{p.name or p.id}: {sc.name}")
        for ev in events[p.id]:
            cal.add_component(ev)
            combined.add_component(ev)
        path = folder / f"{_unique(taken, f'schedule-{p.id}')}.ics"
        path.write_bytes(_finish(cal, sc))
        paths.append(path)
    teaching = instructor_events(out, ids)
    for ins in sc.instructors:
        mine = teaching[ins.id]
        if not mine:
            continue
        cal = _calendar(f"{ins.name or ins.id} (instructor): {sc.name}")
        for ev in mine:
            cal.add_component(ev)
        path = folder / f"{_unique(taken, f'schedule-instructor-{ins.id}')}.ics"
        path.write_bytes(_finish(cal, sc))
        paths.append(path)
    path = folder / "schedule.ics"
    path.write_bytes(_finish(combined, sc))
    return [path, *paths]


def _unique(taken: set[str], stem: str) -> str:
    """``stem``, or ``stem~2``, ``~3``... when a file of that name (ignoring case: Windows and macOS) is taken: a
    participant ``instructor-ivan`` and instructor ``ivan``, or ``Anna`` and ``anna``, overwrote each other."""
    name, k = stem, 1
    while name.lower() in taken:
        k += 1
        name = f"{stem}~{k}"
    taken.add(name.lower())
    return name


def participant_frame(out: PlanOutcome, participant: str) -> pd.DataFrame:
    """The sessions of one participant, start and end as date-times."""
    names = {m.id: m.name or m.id for m in out.scenario.modules}
    rows = [
        {
            "module": r["module"],
            "name": names[str(r["module"])],
            "session": f"{r['session']}/{r['sessions']}",
            "start": r["start"],
            "end": r["end"],
            "hours": r["hours"],
            "resources": ";".join(r["resources"]),  # type: ignore[arg-type]
            "instructors": ";".join(r["instructors"]),  # type: ignore[arg-type]
            "staff": ";".join(r["staff"]),  # type: ignore[arg-type]
            "joint": r["joint"],
        }
        for r in schedule_rows(out.grid, out.data, out.result)
        if r["participant"] == participant
    ]
    return pd.DataFrame(rows, columns=staff_columns(out.data, PARTICIPANT_COLUMNS))


def resource_frame(out: PlanOutcome) -> pd.DataFrame:
    """One row per session and resource it uses, then per session and its instructor."""
    grid, data = out.grid, out.data
    rows = []
    sessions = out.result.schedule.sessions if out.result.schedule else ()
    for s in sessions:
        job = data.jobs[s.job]
        common = {
            "module": job.module,
            "job": job.id,
            "session": f"{s.index + 1}/{job.num_sessions}",
            "participants": ";".join(data.participants[p].id for p in job.participants),
            "start": grid.slot_start(s.start),
            "end": grid.slot_end(s.end),
            "hours": grid.slots_to_hours(s.end - s.start),
        }
        for r, demand in job.resources:
            rows.append({"kind": "resource", "id": data.resources[r].id, **common, "demand": demand})
        for who in (s.instructor, *s.staff):
            if who is not None:
                rows.append({"kind": "instructor", "id": data.instructors[who].id, **common, "demand": 1})
    rows.sort(key=lambda r: (r["kind"] != "resource", str(r["id"]), r["start"], str(r["job"])))
    return pd.DataFrame(rows, columns=RESOURCE_COLUMNS)


def sheet_names(out: PlanOutcome) -> dict[str, str]:
    """Participant id → sheet name: Excel allows 31 characters, unique regardless of case."""
    taken = {"readiness", "resources"}
    names = {}
    for p in out.scenario.participants:
        base = p.id[:31]
        name, k = base, 2
        while name.lower() in taken:
            name = f"{base[: 31 - len(str(k)) - 1]}~{k}"
            k += 1
        taken.add(name.lower())
        names[p.id] = name
    return names


def workbook_frames(out: PlanOutcome) -> dict[str, pd.DataFrame]:
    """Sheet name → frame, in workbook order: readiness, one per participant, resources."""
    frames = {"readiness": readiness_frame(out)}
    for pid, name in sheet_names(out).items():
        frames[name] = participant_frame(out, pid)
    frames["resources"] = resource_frame(out)
    return frames


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite an XLSX zip with fixed entry times and a fixed modified date.

    openpyxl stamps docProps/core.xml with the time of saving and each zip
    entry with the local time; both would make every run's bytes differ.
    """
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + modified.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return buf.getvalue()


def write_xlsx(out: PlanOutcome, folder: Path) -> Path:
    """Write ``schedule.xlsx``: readiness, one sheet per participant, resources."""
    stamp = fixed_stamp(out)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl", datetime_format="YYYY-MM-DD HH:MM") as writer:
        for name, frame in workbook_frames(out).items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for col, column in zip(sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)), frame.columns,
                                   strict=False):
                width = max([len(str(column)), *(len(str(c.value)) for c in col if c.value is not None)])
                sheet.column_dimensions[col[0].column_letter].width = min(width + 2, 60)
        writer.book.properties.created = stamp.replace(tzinfo=None)
        writer.book.properties.creator = "crew-planner"
    path = folder / "schedule.xlsx"
    path.write_bytes(_fixed_zip(buf.getvalue(), stamp))
    return path
