"""The progress file of a re-plan: read every row, name every bad one, say which rows are ignored.

A bad row (unknown participant or module, unknown status, a session number the
module does not have, an unreadable date-time, a completed session that is
planned after the as-of date, an actual start off the grid or not before the
as-of date) is bad input: every one is reported, each with its line number in
the file (the header is line 1), in one run. A row that is valid but changes
nothing (a failed or missed session that is planned on or after the as-of
date, a session the published plan does not have, a row given again for the
same session) is ignored with a note that says so, never silently.

A joint module's rows are each member's: its session is done when every member did it (a member without a
row did, as planned); a session one member missed or failed is retaken by them all together, and its hours
count for the members who were there.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from planner.calendar.grid import TimeGrid
from planner.data.problem import ProblemData
from planner.exceptions import Problem, ScenarioError

STATUSES = ("completed", "failed", "missed")
COLUMNS = ("participant", "module", "session", "status")


@dataclass(frozen=True)
class ProgressRow:
    """One validated line of the progress file (``index`` None: whole module; ``row``: its line)."""

    job: int
    index: int | None
    status: str
    start: dt.datetime | None
    end: dt.datetime | None
    row: int
    participant: int = -1  # whose row it is (a joint module's rows are each member's)
    # A joint session some member missed: the members who attended (their hours count), and why it is retaken.
    attended: tuple[int, ...] | None = None
    note: str = ""

    @property
    def there(self) -> tuple[int, ...] | None:
        """Who took part in a session not completed, their hours spent: those who attended a joint session a
        crew-mate missed; else everybody (None) when it failed, nobody when it was missed."""
        if self.attended is not None:
            return self.attended
        return None if self.status == "failed" else ()


@dataclass(frozen=True)
class IgnoredRow:
    """A valid progress row that the re-plan does not use, and why."""

    row: int
    participant: str
    module: str
    session: int  # 1-based; 0 for the whole module
    reason: str

    def text(self, file: Path | str) -> str:
        """One located line: ``FILE: row N: ignored: REASON``."""
        return f"{file}: row {self.row}: ignored: {self.reason}"


class Published(Protocol):
    """A published session (``planner.analysis.replan.BaselineSession``)."""

    @property
    def index(self) -> int: ...

    @property
    def start(self) -> int: ...


def bad(file: Path, msg: str, row: int | None = None) -> Problem:
    """A problem located at a row (line) of a CSV file."""
    return Problem(str(file), "" if row is None else f"row {row}", None, msg)


def _records(path: Path) -> list[tuple[int, dict[str, str], int]]:
    """(line, fields, number of fields) of every non-empty row after the header; a located error if unreadable."""
    if not path.exists():
        raise ScenarioError([bad(path, "progress file not found")])
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise ScenarioError([bad(path, "not a readable CSV file: the file is empty")])
            header = [h.strip() for h in header]
            missing = set(COLUMNS) - set(header)
            if missing:
                raise ScenarioError([bad(path, f"progress file is missing columns: {', '.join(sorted(missing))}")])
            out = []
            for fields in reader:
                if not any(f.strip() for f in fields):
                    continue  # a blank line
                values = {h: (fields[i] if i < len(fields) else "") for i, h in enumerate(header)}
                out.append((reader.line_num, values, len(fields) - len(header)))
            return out
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ScenarioError([bad(path, f"not a readable CSV file: {exc}")]) from None


def _parse(path: Path, data: ProblemData) -> tuple[list[ProgressRow], list[Problem]]:
    parts = {p.id: p for p in data.participants}
    taken = data.jobs_taken()
    rows: list[ProgressRow] = []
    problems: list[Problem] = []
    for n, row, extra in _records(path):
        if extra > 0:
            problems.append(bad(path, f"{extra} field(s) more than the header has", n))
            continue
        pid, mid, status = row["participant"], row["module"], row["status"].strip().lower()
        if pid not in parts:
            problems.append(bad(path, f"unknown participant {pid!r}", n))
            continue
        if status not in STATUSES:
            problems.append(bad(path, f"status {status!r} is not one of {', '.join(STATUSES)}", n))
            continue
        j = taken.get((pid, mid))
        if j is None:
            problems.append(bad(path, f"{pid} does not take module {mid!r}", n))
            continue
        sess = str(row["session"]).split("/")[0].strip()
        if sess not in ("", "all", "*") and not sess.isdigit():
            problems.append(bad(path, f"session {sess!r} is not a session number (or empty for the whole module)", n))
            continue
        index = None if sess in ("", "all", "*") else int(sess) - 1
        if index is not None and not 0 <= index < data.jobs[j].num_sessions:
            problems.append(bad(path, f"module {mid} has {data.jobs[j].num_sessions} sessions, not {sess}", n))
            continue
        times: list[dt.datetime | None] = []
        for key in ("start", "end"):
            text = str(row.get(key, "") or "")
            try:
                times.append(dt.datetime.fromisoformat(text) if text else None)
            except ValueError:
                problems.append(bad(path, f"{key} {text!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)", n))
                break
        else:
            if times[1] is not None and times[0] is None:
                problems.append(bad(path, "an actual end needs its actual start (give start, or neither)", n))
                continue
            if times[0] is not None and times[1] is not None and times[1] <= times[0]:
                problems.append(bad(path, f"actual end {times[1]} is not after the actual start {times[0]}", n))
                continue
            rows.append(ProgressRow(j, index, status, times[0], times[1], n, list(parts).index(pid)))
    return rows, problems


def read_progress(path: Path, data: ProblemData) -> list[ProgressRow]:
    """Validated progress rows; every bad row is reported at once (a ScenarioError, one problem per row)."""
    rows, problems = _parse(path, data)
    if problems:
        raise ScenarioError(problems)
    return rows


def check_progress(
    path: Path,
    data: ProblemData,
    grid: TimeGrid,
    baseline: Mapping[int, Sequence[Published]],
    as_of: dt.date,
) -> tuple[list[ProgressRow], list[IgnoredRow]]:
    """The rows a re-plan from ``as_of`` uses, and the ones it ignores with the reason.

    Raises a ScenarioError naming every bad row (read errors and rows that
    contradict the published plan or the as-of date), sorted by line.
    """
    rows, problems = _parse(path, data)
    S = data.slots_per_day
    release = grid.first_day_on_or_after(as_of)
    used: list[ProgressRow] = []
    ignored: list[IgnoredRow] = []
    last: dict[tuple[int, int | None, int], ProgressRow] = {}

    def day(slot: int) -> str:
        return grid.slot_start(slot).date().isoformat()

    for prow in rows:
        job = data.jobs[prow.job]
        owner, module = job.id.split("/")[0], job.module
        number = 0 if prow.index is None else prow.index + 1

        def ignore(reason: str, prow: ProgressRow = prow, owner: str = owner, module: str = module,
                   number: int = number) -> None:
            ignored.append(IgnoredRow(prow.row, owner, module, number, reason))

        published = {b.index: b for b in baseline.get(prow.job, [])}
        before = [b for b in published.values() if b.start // S < release]
        if prow.index is None:
            after = sorted((b for b in published.values() if b.start // S >= release), key=lambda b: b.index)
            if prow.status == "completed" and after:
                problems.append(bad(path, f"{job.id} session {after[0].index + 1} is marked completed but is "
                                          f"planned after {as_of}", prow.row))
                continue
            if not before:
                ignore(f"no session of {job.id} is published before the as-of date {as_of}, so there is "
                       f"nothing to mark {prow.status}")
                continue
        else:
            b = published.get(prow.index)
            if b is None:
                ignore(f"the published plan has no session {number} of {job.id} "
                       f"({len(published)} published), so there is nothing to mark {prow.status}")
                continue
            if b.start // S >= release:
                if prow.status == "completed":
                    problems.append(bad(path, f"{job.id} session {number} is marked completed but is planned "
                                              f"after {as_of}", prow.row))
                else:
                    ignore(f"{job.id} session {number} is planned on {day(b.start)}, on or after the as-of "
                           f"date {as_of}: it has not taken place yet, so it stays in the plan "
                           f"(re-plan with a later --as-of to retake it)")
                continue
            if prow.status == "completed" and prow.start is not None:
                actual = grid.slot_of(prow.start)
                if actual is None:
                    problems.append(bad(path, f"actual start {prow.start} is not on the time grid", prow.row))
                    continue
                if actual % S + job.length > S:
                    # A session's slots lie within one working day (the model's and both verifiers' rule):
                    # accepted, it would be read as spilling into the next morning.
                    ends = grid.slot_start(actual) + dt.timedelta(minutes=job.length * grid.slot_minutes)
                    closes = grid.slot_start(actual - actual % S) + dt.timedelta(minutes=S * grid.slot_minutes)
                    problems.append(bad(path, f"actual start {prow.start} with the session's "
                                              f"{job.length * grid.slot_minutes / 60:g} h ends at {ends:%H:%M}, after "
                                              f"the working day ends at {closes:%H:%M}: record a start within "
                                              f"working hours", prow.row))
                    continue
                if actual // S >= release:
                    problems.append(bad(path, f"actual start {prow.start} is not before the as-of date {as_of}",
                                        prow.row))
                    continue
                lasts = dt.timedelta(minutes=job.length * grid.slot_minutes)
                if prow.end is not None and prow.end != grid.slot_start(actual) + lasts:
                    # The plan keeps every session at its module's length: another end cannot be recorded.
                    problems.append(bad(path, f"actual end {prow.end:%Y-%m-%d %H:%M} is not the session's "
                                              f"{lasts.total_seconds() / 3600:g} h after its start: give the start "
                                              f"alone (a session keeps its length)", prow.row))
                    continue
        key = (prow.job, prow.index, prow.participant if len(job.participants) > 1 else -1)
        if key in last:
            earlier = last[key]
            ignored.append(IgnoredRow(earlier.row, owner, module, number,
                                      f"row {prow.row} gives {job.id} "
                                      f"{'as a whole' if prow.index is None else f'session {number}'} again; "
                                      f"the later row is used"))
            used.remove(earlier)
        last[key] = prow
        used.append(prow)
    used = _joint(data, used, path, problems)
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: int(p.path.split()[-1]) if p.path else 0))
    return used, sorted(ignored, key=lambda i: i.row)


def _joint(data: ProblemData, rows: list[ProgressRow], path: Path, problems: list[Problem]) -> list[ProgressRow]:
    """One row per session of a joint module, from its members' rows: done when every member did it (a member
    without a row did, as planned); else retaken by them all together, the hours counting for those who were
    there (a session one member missed took place for the others). Two members' different actual starts of
    one session are a located error."""
    groups: dict[tuple[int, int | None], list[ProgressRow]] = {}
    out: list[ProgressRow] = []
    for r in rows:
        if len(data.jobs[r.job].participants) > 1:
            groups.setdefault((r.job, r.index), []).append(r)
        else:
            out.append(r)
    for (j, _), given in groups.items():
        job = data.jobs[j]
        starts = {r.start for r in given if r.start is not None}
        if len(starts) > 1:  # one joint session took place once, whatever each member reports of it
            problems.append(bad(path, f"{job.id}: the members' rows give {len(starts)} different actual starts "
                                      f"for one joint session ({', '.join(sorted(str(t) for t in starts))})",
                                max(r.row for r in given)))
        start = next((r for r in given if r.start is not None), None)
        bad_ones = [r for r in given if r.status != "completed"]
        if not bad_ones:
            out.append(start or given[-1])
            continue
        status = "failed" if any(r.status == "failed" for r in bad_ones) else "missed"
        away = {r.participant for r in given if r.status == "missed"}
        there = tuple(p for p in job.participants if p not in away)

        def names(kind: str, given: list[ProgressRow] = given) -> str:
            return ", ".join(data.participants[p].id for p in sorted({r.participant for r in given if r.status == kind}))

        said = "; ".join(f"{kind} by {names(kind)}" for kind in ("failed", "missed") if names(kind))
        came = ", ".join(data.participants[p].id for p in there)
        note = said + (f" ({came} attended: their hours count)" if there and away else "") + "; retaken together"
        # The time it took place (an attendee's actual start), for the hours of those there.
        out.append(dataclasses.replace(bad_ones[0], status=status, attended=there, note=note,
                                       start=start.start if start is not None else None,
                                       row=min(r.row for r in given)))
    return sorted(out, key=lambda r: r.row)
