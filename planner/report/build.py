"""Assemble the report people read: verdict matrix, critical chains, charts, utilisation, exports.

``write_report`` writes everything into one folder: the plan's CSVs and
manifest, Gantt charts (PNG and SVG), calendars (ICS), a workbook (XLSX) and
the report itself as HTML and Markdown. It adds the sha256 of every file to
the manifest. Nothing in it records the time of the run when the plan is
deterministic, so two deterministic runs give byte-identical folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from planner.calendar.grid import gate_date
from planner.data.people import held as held_pairs
from planner.data.result import status_words
from planner.plan.pipeline import PlanOutcome
from planner.plan.readiness import Readiness, Verdict, impossible_reason
from planner.report.calendar_export import write_ics, write_xlsx
from planner.report.days import participant_sections
from planner.report.export import write_plan
from planner.report.gantt import instructor_label, instructor_unavailable, resource_unavailable, write_gantts
from planner.report.html import Bullets, Cell, Document, Image, Para, Section, Table, render_html, render_markdown
from planner.report.missions import due_at, launches, mission_sections
from planner.report.tables import unscheduled_modules

_CSS = {Verdict.READY: "ready", Verdict.NOT_READY: "not-ready", Verdict.UNKNOWN: "unknown", Verdict.WAIVED: "waived"}


def _date(day: dt.date | dt.datetime) -> str:
    return f"{day:%Y-%m-%d}"


def readiness_matrix(out: PlanOutcome) -> Table:
    """Participant x competency: status colour and slack days; held and not-required cells apart."""
    sc = out.scenario
    cell = {(r.participant, r.competency): r for r in out.readiness}
    required = {role.id: set(role.requires) for role in sc.roles}
    held = held_pairs(sc)
    rows: list[list[str | Cell]] = []
    for p in sc.participants:
        row: list[str | Cell] = [p.id]
        for c in sc.competencies:
            r = cell.get((p.id, c.id))
            if r is not None:
                text = f"+{r.slack_days} d" if r.status == Verdict.READY else r.status.value
                row.append(Cell(text, _CSS[r.status], f"{r.status.value}: {r.reason}"))
            elif c.id in required[p.role] and c.id in held[p.id]:
                row.append(Cell("held", "held", held[p.id][c.id]))
            else:
                row.append(Cell("n.a.", "na", "not required by the role"))
        rows.append(row)
    return Table(["participant", *(c.id for c in sc.competencies)], rows, id="matrix", row_headers=True)


def gates_table(out: PlanOutcome) -> Table:
    """The gates with their dates and the competencies due by each."""
    sc = out.scenario
    rows: list[list[str | Cell]] = []
    gates = sorted(sc.gates, key=lambda g: gate_date(g, sc.window.launch))
    at = due_at(sc, gates, sc.window.launch)
    for g in gates:
        first = gate_date(g, sc.window.launch)
        last = sc.window.launch if g.until_launch else first + dt.timedelta(days=g.days - 1)
        due = [cid for cid, when in at.items() if when == g.id]
        note = "regular training ends" if g.until_launch else ""
        rows.append([g.id, g.name, _date(first), _date(last), ", ".join(due), note])
    due = [cid for cid, when in at.items() if when == "launch"]
    rows.append(["launch", "Launch", _date(sc.window.launch), _date(sc.window.launch), ", ".join(due), ""])
    return Table(["gate", "name", "from", "to", "competencies due", "note"], rows, id="gates")


def _job_times(out: PlanOutcome) -> dict[int, tuple[int, int]]:
    """Done job → (first start slot, last end slot)."""
    times: dict[int, tuple[int, int]] = {}
    for s in out.result.schedule.sessions if out.result.schedule else ():
        a, b = times.get(s.job, (s.start, s.end))
        times[s.job] = (min(a, s.start), max(b, s.end))
    return times


def chain_to(out: PlanOutcome, job: int, times: dict[int, tuple[int, int]]) -> list[int]:
    """The done jobs leading to ``job`` through prerequisites, earliest first.

    From each job it steps to the prerequisite that allows the latest start
    (its end day plus the minimum lag): the one that holds the job where it is.
    """
    S = out.data.slots_per_day
    preds = defaultdict(list)
    for pr in out.data.precedences:
        preds[pr.after].append(pr)
    path = [job]
    while True:
        options = [pr for pr in preds[path[-1]] if pr.before in times and pr.before not in path]
        if not options:
            return path[::-1]
        best = max(options, key=lambda pr: ((times[pr.before][1] - 1) // S + (pr.min_days or 0),
                                            times[pr.before][1], -pr.before))
        path.append(best.before)


def _limiting(rows: list[tuple[int, Readiness]]) -> tuple[int, Readiness]:
    """The goal that limits a participant: the first one not ready, else the one with least slack."""
    missed = [gr for gr in rows if gr[1].status != Verdict.READY]
    if missed:
        return missed[0]
    return min(rows, key=lambda gr: gr[1].slack_days if gr[1].slack_days is not None else 0)


def critical_chains(out: PlanOutcome) -> Table:
    """Per participant: the limiting competency, its last module and the prerequisite chain with dates."""
    data, grid = out.data, out.grid
    times = _job_times(out)
    by_person: dict[str, list[tuple[int, Readiness]]] = defaultdict(list)
    for g, r in enumerate(out.readiness):  # assess() gives one row per goal, in goal order
        by_person[r.participant].append((g, r))
    rows: list[list[str | Cell]] = []
    for p in out.scenario.participants:
        if p.id not in by_person:
            rows.append([p.id, "(none required)", "", "", "", "", ""])
            continue
        g, r = _limiting(by_person[p.id])
        # As in readiness.assess: per requirement the earliest-ending done option; the last of those is the limit.
        chosen = [min(done, key=lambda j: times[j][1]) for group in data.goals[g].groups
                  if (done := [j for j in group if j in times])]
        last = max(chosen, key=lambda j: times[j][1]) if chosen else None
        links = []
        for j in chain_to(out, last, times) if last is not None else []:
            start, end = grid.slot_start(times[j][0]), grid.slot_end(times[j][1])
            span = _date(start) if start.date() == end.date() else f"{_date(start)}..{_date(end)}"
            links.append(f"{data.jobs[j].id} ({span})")
        slack = "" if r.slack_days is None else str(r.slack_days)
        rows.append([
            p.id, r.competency, Cell(r.status.value, _CSS[r.status], r.reason), slack, _date(r.deadline),
            "" if last is None else data.jobs[last].module, " → ".join(links) or "nothing scheduled",
        ])
    return Table(["participant", "competency", "status", "slack (days)", "deadline", "last module",
                  "prerequisite chain (earliest first)"], rows, id="critical")


def utilisation_table(out: PlanOutcome) -> Table:
    """Hours used / hours available per resource and instructor and ISO week of the grid.

    Available hours count the working days the resource (or instructor) is
    open, times its capacity less what gates take that day; used hours weigh
    each session by its demand.
    """
    grid, data, sc = out.grid, out.data, out.scenario
    day_hours = grid.slots_per_day * grid.slot_minutes / 60
    weeks = sorted({d.isocalendar()[:2] for d in grid.days})
    week = [weeks.index(d.isocalendar()[:2]) for d in grid.days]
    closed = [resource_unavailable(grid, r) for r in sc.resources] + [instructor_unavailable(grid, i)
                                                                      for i in sc.instructors]
    caps = [r.capacity for r in sc.resources] + [i.capacity for i in sc.instructors]
    labels = [r.id for r in sc.resources] + [instructor_label(i.id) for i in sc.instructors]
    avail = [[0.0] * len(weeks) for _ in labels]
    used = [[0.0] * len(weeks) for _ in labels]
    nres = len(sc.resources)
    # What gates take (missions: one mission's exam takes a simulator or an examiner on days another trains).
    taken: list[dict[int, int]] = [dict(r.reserved) for r in data.resources]
    for k, flags in enumerate(closed):
        for d, is_open in enumerate(grid.open):
            if not is_open or flags[d]:
                continue
            if k >= nres and not data.instructors[k - nres].open_days[d]:
                continue  # examining at a gate that day
            left = caps[k] - (taken[k].get(d, 0) if k < nres else 0)
            avail[k][week[d]] += max(0, left) * day_hours
    for s in out.result.schedule.sessions if out.result.schedule else ():
        job, w = data.jobs[s.job], week[s.start // data.slots_per_day]
        hours = grid.slots_to_hours(s.end - s.start)
        for r, demand in job.resources:
            used[r][w] += hours * demand
        for who in (s.instructor, *s.staff):
            if who is not None:
                used[nres + who][w] += hours
    rows: list[list[str | Cell]] = []
    for k, label in enumerate(labels):
        cells: list[str | Cell] = [label]
        for u, a in [*zip(used[k], avail[k], strict=True), (sum(used[k]), sum(avail[k]))]:
            cells.append(_use_cell(u, a))
        rows.append(cells)
    columns = ["resource", *(f"{y}-W{w:02d}" for y, w in weeks), "total"]
    return Table(columns, rows, id="utilisation", row_headers=True)


def weekly_hours_table(out: PlanOutcome) -> Table:
    """Training hours per participant and ISO week, with each participant's busiest week.

    A lead compares plan shapes here (``objective``: earliest front-loads,
    level flattens the peaks, fresh moves training towards the deadlines).
    """
    grid, data = out.grid, out.data
    weeks = sorted({d.isocalendar()[:2] for d in grid.days})
    week = [weeks.index(d.isocalendar()[:2]) for d in grid.days]
    hours = [[0.0] * len(weeks) for _ in data.participants]
    for sess in out.result.schedule.sessions if out.result.schedule else ():
        length = grid.slots_to_hours(sess.end - sess.start)
        for p in data.jobs[sess.job].participants:
            hours[p][week[sess.start // data.slots_per_day]] += length
    full_week = 5 * grid.slots_per_day * grid.slot_minutes / 60  # five full training days
    rows: list[list[str | Cell]] = []
    for p, part in enumerate(data.participants):
        cells: list[str | Cell] = [part.id]
        for h in hours[p]:
            level = 0 if h == 0 else min(4, 1 + int(h / full_week * 4))
            cells.append(Cell(_hours(h) if h else "-", f"num u{level}",
                              f"{_hours(h)} h of {_hours(full_week)} h in five full days"))
        cells.append(Cell(_hours(max(hours[p], default=0)), "num", "busiest week"))
        rows.append(cells)
    return Table(["participant", *(f"{y}-W{w:02d}" for y, w in weeks), "peak"], rows, id="weekly-hours",
                 row_headers=True)


def _hours(value: float) -> str:
    """Hours as the report shows them: at most two decimals (20-minute slots gave 2.66667)."""
    return f"{round(value, 2):g}"


def _use_cell(used: float, avail: float) -> Cell:
    if avail == 0 and used == 0:
        return Cell("-", "na", "not available this week")
    share = used / avail if avail else 1.0
    level = 0 if used == 0 else min(4, 1 + int(share * 4))
    return Cell(f"{_hours(used)}/{_hours(avail)}", f"num u{level}", f"{share:.0%} used")


def unscheduled_table(out: PlanOutcome) -> Section:
    """Jobs the plan leaves out, with a static reason where one exists."""
    rows: list[list[str | Cell]] = []
    for job_id in unscheduled_modules(out):
        j = out.data.job_of(job_id)
        why = impossible_reason(out.scenario, out.grid, out.data, j)
        rows.append([job_id, out.data.jobs[j].module, why or "not scheduled in this plan"])
    if not rows:
        return Section("Modules left unscheduled", [Para("Every module of the programme is scheduled.")], id="unscheduled")
    return Section("Modules left unscheduled", [Table(["job", "module", "reason"], rows)], id="unscheduled")


def solver_section(out: PlanOutcome) -> Section:
    """Solver status, bounds and gap, per phase, and the parameters."""
    res, params = out.result, out.params
    gap = "" if res.gap is None else f"{res.gap:.1%}"
    facts = [
        ("readiness status", res.status.value),
        ("competency pairs met", f"{res.num_goals_met} of {len(out.data.goals)}"),
        ("proven upper bound on pairs met", "" if res.goals_bound is None else str(res.goals_bound)),
        ("sessions scheduled", str(len(res.schedule.sessions) if res.schedule else 0)),
        ("plan objective (secondary)", "" if res.objective is None else f"{res.objective:g}"),
        ("plan bound", "" if res.bound is None else f"{res.bound:g}"),
        ("plan gap", gap),
        ("time limit (s)", f"{params.time_limit:g}"),
        ("deterministic", "yes" if params.deterministic else "no"),
        ("seed", str(params.seed)),
    ]
    if out.proof:
        facts.insert(3, ("proof that not all pairs can be met", out.proof))
    if not params.deterministic:  # wall time differs run to run; deterministic reports stay byte-identical
        facts.append(("runtime (s)", f"{res.runtime:.1f}"))
    blocks: list[Para | Table | Image | Bullets] = [Table(["quantity", "value"], [list(f) for f in facts], id="solver")]
    if res.phases:
        rows = [ph.as_dict() for ph in res.phases]
        keys = list(dict.fromkeys(k for row in rows for k in row))
        blocks.append(Table(keys, [[_text(row.get(k, "")) for k in keys] for row in rows]))
    return Section("Solver", blocks, id="solver-section")


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def explanation_section(out: PlanOutcome) -> Section | None:
    """Why the crew is not ready and what would fix it; None when all is ready.

    Runs ``planner explain`` within the plan's time limit. Under
    ``--deterministic`` its wall-clock budget could make the report differ
    between runs, so the report then lists the readiness reasons instead.
    """
    if out.overall == Verdict.READY:
        return None
    rows: list[dict[str, object]]
    if not out.params.deterministic:
        from planner.analysis.explain import explain
        from planner.report.explain import explain_rows

        ex = explain(out.loaded, out.params, time_limit=max(10.0, out.params.time_limit))
        rows, intro = explain_rows(ex), "From the explanation of the plan (planner explain):"
    else:
        rows = [
            {"participant": r.participant, "competency": r.competency, "status": r.status.value, "reason": r.reason}
            for r in out.readiness
            if r.status != Verdict.READY
        ]
        intro = "Readiness reasons of the pairs that are not ready (run 'planner explain' for conflicts and fixes):"
    keys = list(dict.fromkeys(k for row in rows for k in row))
    table = Table(keys, [[_text(row.get(k, "")) for k in keys] for row in rows], id="explanation")
    return Section("Why not ready, and what would fix it", [Para(intro), table], id="explain")


def summary(out: PlanOutcome) -> Para:
    """One paragraph: what was planned and the headline numbers."""
    sc, grid, res = out.scenario, out.grid, out.result
    counts = ", ".join(f"{sum(r.status == v for r in out.readiness)} {v.value}" for v in Verdict
                       if v != Verdict.WAIVED or any(r.status == v for r in out.readiness))
    where = ""
    if out.loaded.variant:
        where += f" Variant: {out.loaded.variant}."
    if out.loaded.edits:
        where += f" Edits: {'; '.join(out.loaded.edits)}."
    return Para(
        f"{sc.name}. Training window {_date(grid.window_start)} to {_date(grid.training_end)} "
        f"({grid.num_open_days} working days), {launches(sc) if sc.missions else f'launch {_date(grid.launch)}'}. "
        f"{res.num_goals_met} of {len(out.data.goals)} participant-competency pairs met ({counts}); "
        f"{status_words(res)}.{where}"
    )


def document(out: PlanOutcome, folder: Path, files: list[Path], extra: Sequence[Section] = ()) -> Document:
    """The report as a document of sections (see :mod:`planner.report.html`); ``extra``
    sections (e.g. "What it would take") follow the readiness matrix."""
    legend = Para(
        "Cells: READY with its slack in days before the deadline (green), NOT_READY (red), "
        "UNKNOWN (grey: time limit, not proven), held (already qualified), n.a. (not required by the role)."
    )
    board, days = participant_sections(out)
    why = explanation_section(out)
    # The answer first (verdict, why not, per participant), the plan next, solver internals last.
    sections = [
        Section("Summary", [summary(out)], id="summary"),
        Section("Readiness: participant x competency", [readiness_matrix(out), legend], id="readiness"),
        *([why] if why is not None else []),
        *extra,
        board,
        *(mission_sections(out) if out.scenario.missions else [Section("Gates", [gates_table(out)], id="gates-section")]),
        Section(
            "Critical chain",
            [Para("For each participant the competency with least slack (or the first one not ready), "
                  "the last module it waits for and the chain of prerequisites that holds it there."),
             critical_chains(out)],
            id="critical-section",
        ),
        Section(
            "Schedule",
            [Image(folder / "gantt_participants.png", "Sessions per participant, coloured by competency served"),
             Image(folder / "gantt_resources.png", "Sessions per resource and instructor")],
            id="charts",
        ),
        days,
        Section("Resource utilisation per week (hours used / hours available)",
                [utilisation_table(out)] if out.data.resources else [Para("The scenario has no shared resources.")],
                id="utilisation-section"),
        Section("Training hours per participant and week",
                [Para(f"Plan shape (objective): {out.scenario.objective}. Peak: the participant's busiest week."),
                 weekly_hours_table(out)], id="weekly-hours-section"),
        unscheduled_table(out),
        solver_section(out),
        Section("Files", [Bullets(links=[(p.name, p.name) for p in files])], id="files"),
    ]
    verdict = out.overall
    return Document(f"Training readiness report: {out.scenario.name}", verdict.value, _CSS[verdict], sections)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_report(
    out: PlanOutcome, folder: Path, command: str = "report", extra: Sequence[Section] = ()
) -> list[Path]:
    """Write the plan's CSVs and manifest, the charts, calendars, workbook and report into ``folder``.

    The manifest gains ``report_files``: every other file with its sha256.
    ``command`` names the command for the manifest's reproduce line.
    """
    paths = write_plan(out, folder, command)
    manifest_path = next(p for p in paths if p.name == "manifest.json")
    paths += write_gantts(out, folder)
    paths += write_ics(out, folder)
    paths.append(write_xlsx(out, folder))
    html_path, md_path = folder / "report.html", folder / "report.md"
    doc = document(out, folder, [html_path, md_path, *paths], extra)
    html_path.write_text(render_html(doc), encoding="utf-8")
    md_path.write_text(render_markdown(doc), encoding="utf-8")
    paths += [html_path, md_path]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if command == "plan":  # `plan --report` wrote this folder: say so in the reproduce line
        manifest["reproduce"] = manifest["reproduce"].replace(" --out DIR", " --report --out DIR")
    manifest["report_files"] = [{"file": p.name, "sha256": _sha256(p)} for p in paths if p != manifest_path]
    manifest_path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return paths
