"""``planner repair`` outputs: the terminal table, repair.csv, the repaired scenarios and
edit lists, and the "What it would take" section of the report."""

from __future__ import annotations

import csv
import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.analysis.explain.text import points
from planner.analysis.repair import CheckedRepair, RepairAnswer
from planner.data.levers import LeverDef
from planner.data.result import SolveStatus
from planner.report.html import Bullets, Cell, Document, Para, Section, Table, render_html, render_markdown


@dataclass(frozen=True)
class LeverLine:
    """One lever of a repair set, in words."""

    lever: str
    change: str
    units: float
    unit: str
    cost: float
    unlocks: str


def _day(d: dt.date) -> str:
    return d.strftime("%a %d %b").replace(" 0", " ")


def _num(x: float) -> str:
    return f"{x:g}"


def _total(levers: Sequence[LeverLine]) -> float:
    """A set's cost: the sum of its levers' (units x cost per unit, as declared). The model counts costs in
    hundredths of a point per unit, so a cost per hour of 3.33 on half-hour slots made the total 8.3 against
    the levers' 8.325; the proofs are the model's, the figures the scenario's."""
    return round(sum(ln.cost for ln in levers), 6) + 0.0


def lever_lines(answer: RepairAnswer, checked: CheckedRepair) -> list[LeverLine]:
    """The levers ``checked`` uses: what changes, how many units, at what cost, what it unlocks."""
    defs = answer.problem.defs
    rep = checked.found.repair
    sc = answer.loaded.scenario
    out = []
    for i in rep.used():
        lv: LeverDef = defs[i]
        if lv.kind in ("workdays", "dates"):
            days = sorted(rep.dates[i])
            units: float = len(days)
            shown = ", ".join(_day(d) for d in days[:8]) + (f" (+{len(days) - 8} more)" if len(days) > 8 else "")
            change = f"work {len(days)} closed day(s): {shown}" if lv.kind == "workdays" else \
                f"{lv.target} also on {shown}"
        elif lv.kind == "capacity":
            units = rep.units[i]
            items = sc.resources if lv.week else sc.instructors
            now = next(x.capacity for x in items if x.id == lv.target)
            change = f"{lv.target} capacity {now} -> {now + units:g}"
        elif lv.kind == "instructor":
            units = rep.units[i]
            change = f"hire {units:g} {lv.target} instructor(s)"
        elif lv.kind == "load":
            hours = {p: h for p, h in rep.hours[i].items() if h > 0}
            units = sum(hours.values())
            cap = "weekly" if lv.week else "daily"
            if lv.weeks is not None:
                cap += f" (weeks {lv.weeks[0]} to {lv.weeks[1] + dt.timedelta(days=6)})"
            change = f"{cap} cap " + ", ".join(f"{p} +{_num(h)} h" for p, h in sorted(hours.items()))
        elif lv.kind == "hours":
            units = rep.units[i] * lv.step
            day = sc.calendar.day_hours
            change = f"working day {_num(day)} h -> {_num(day + units)} h (every working day)"
        elif lv.kind == "start":
            units = rep.units[i]
            change = f"start {units:g} day(s) earlier, on {sc.window.start - dt.timedelta(days=int(units))}"
        elif lv.kind == "block":
            units = rep.units[i]
            assert lv.since is not None
            change = f"{lv.target} {units:g} day(s) earlier, from {lv.since - dt.timedelta(days=int(units))}"
        elif lv.kind == "waive":
            units = len(answer.problem.waives.get(i, ()))
            change = f"waive {lv.target} ({units:g} pair(s))"
        else:
            units = 1
            change = f"drop module {lv.target} from its competencies"
        cost = units * lv.unit_cost
        unlocked = checked.unlocks.get(i)
        if unlocked is None:
            unlocks = "not checked (time budget)"
        else:
            pairs, proven = unlocked
            if pairs:
                unlocks = ", ".join(pairs) + ("" if proven else " (not proven)")
            else:
                unlocks = "none alone: it saves cost" if proven else "none lost without it in the time given"
        out.append(LeverLine(lv.label, change, units, lv.unit, cost, unlocks))
    return out


def _status_words(answer: RepairAnswer, k: int) -> str:
    found = answer.repairs[k].found
    # The last set found when the search then proved there is no other: the only one left, so the cheapest left.
    last = answer.search.exhausted and k == len(answer.search.found) - 1
    if found.status == SolveStatus.OPTIMAL or last:
        return "proven cheapest" if k == 0 else "proven cheapest of the sets not using all of an earlier one's units"
    # No set costs less than the cheapest of all, once that one is proven.
    first = answer.repairs[0].found
    bound = max(found.bound, first.cost) if k and first.status == SolveStatus.OPTIMAL else found.bound
    return f"best found; nothing costs less than {bound:g} points (not proven cheapest)"


def repair_text(answer: RepairAnswer) -> str:
    """The terminal answer: verdict, then each repair set as a table."""
    n = len(answer.targets)
    lines = [f"Target: {answer.target.label} ({n} pair{'' if n == 1 else 's'}; {answer.met_now} READY as it is)"]
    if answer.verdict == "nothing needed":
        lines.append("Nothing needed: the scenario meets the target as it is (verified plan).")
        return "\n".join(lines)
    if not answer.repairs:
        lines.append(f"No repair: {answer.note}.")
        if answer.search.bound is not None and answer.verdict == "unknown":
            lines.append(f"(any repair costs at least {answer.search.bound:g} points)")
        return "\n".join(lines)
    for k, checked in enumerate(answer.repairs):
        lines.append("")
        check = "verified: the re-plan of the edited scenario meets the target" if checked.verified else \
            f"NOT verified: {checked.why}"
        levers = lever_lines(answer, checked)
        lines.append(f"Option {k + 1}: {points(_total(levers))} ({_status_words(answer, k)}); {check}")
        rows = [(ln.lever, ln.change, _num(ln.cost), ln.unlocks) for ln in levers]
        lines += _table(("lever", "change", "cost", "pairs it unlocks"), rows)
    if answer.note:
        lines += ["", answer.note]
    return "\n".join(lines)


CELL = 60
"""Widest column of the terminal table; a longer cell goes on over further lines (nothing is cut)."""


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [min(CELL, max(len(h), *(len(r[c]) for r in rows))) for c, h in enumerate(head)] if rows else \
        [len(h) for h in head]

    def fmt(row: Sequence[str]) -> list[str]:
        parts = [textwrap.wrap(cell, w, break_on_hyphens=False) or [""] for cell, w in zip(row, widths, strict=True)]
        return ["  " + "  ".join((p[i] if i < len(p) else "").ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()
                for i in range(max(len(p) for p in parts))]

    return [*fmt(head), "  " + "  ".join("-" * w for w in widths), *(line for r in rows for line in fmt(r))]


def repair_rows(answer: RepairAnswer) -> list[dict[str, Any]]:
    """repair.csv: one row per lever of each repair set."""
    rows = []
    for k, checked in enumerate(answer.repairs, 1):
        levers = lever_lines(answer, checked)
        for ln in levers:
            rows.append({
                "option": k, "option_cost": _total(levers), "option_status": str(checked.found.status),
                "verified": checked.verified, "lever": ln.lever, "change": ln.change, "units": _num(ln.units),
                "unit": ln.unit, "cost": _num(ln.cost), "unlocks": ln.unlocks,
            })
    return rows


def repair_section(answer: RepairAnswer) -> Section:
    """The report's "What it would take" section."""
    blocks: list[Para | Table | Bullets] = [Para(f"Target: {answer.target.label}; "
                                                 f"{answer.met_now} of {len(answer.targets)} pairs READY as it is.")]
    if answer.verdict == "nothing needed":
        blocks.append(Para("Nothing needed: the scenario meets the target as it is."))
    elif not answer.repairs:
        blocks.append(Para(f"No repair: {answer.note}."))
    for k, checked in enumerate(answer.repairs):
        css = "ready" if checked.verified else "unknown"
        blocks.append(Para(f"Option {k + 1}: {points(_total(lever_lines(answer, checked)))} ({_status_words(answer, k)}); "
                           + ("verified by a whole re-plan." if checked.verified else f"not verified: {checked.why}")))
        rows: list[list[str | Cell]] = [[ln.lever, ln.change, Cell(_num(ln.cost), css), ln.unlocks]
                                        for ln in lever_lines(answer, checked)]
        blocks.append(Table(["Lever", "Change", "Cost (points)", "Pairs it unlocks"], rows))
        variant = f"--variant {answer.loaded.variant} " if answer.loaded.variant else ""
        blocks.append(Bullets(items=[f"planner whatif {answer.loaded.path} {variant}"
                                     + " ".join(f"--set '{e}'" for e in _edit_list(answer, checked))]))
    if answer.repairs and answer.note:
        blocks.append(Para(f"{answer.note[0].upper()}{answer.note[1:]}."))
    return Section("What it would take", blocks, id="repair")


def _edit_list(answer: RepairAnswer, checked: CheckedRepair) -> tuple[str, ...]:
    """The edits that rebuild repair set ``checked`` from the file: the command's own --set edits first
    (with its --variant, which the report's whatif line names), then the set's."""
    return (*answer.loaded.edits, *checked.edits)


def write_repair(answer: RepairAnswer, folder: Path, save: Any) -> list[Path]:
    """Write repair.csv, repair.md/.html and, per option, the edited scenario and its edit list.

    ``save(checked, path)`` writes one repaired scenario (the round-trip document with comments).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    csv_path = folder / "repair.csv"
    rows = repair_rows(answer)
    fields = ["option", "option_cost", "option_status", "verified", "lever", "change", "units", "unit", "cost",
              "unlocks"]
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    paths.append(csv_path)
    for k, checked in enumerate(answer.repairs, 1):
        edits = folder / f"repair-{k}.edits.txt"
        edits.write_text("".join(f"{e}\n" for e in _edit_list(answer, checked)), encoding="utf-8")
        yaml_path = folder / f"repair-{k}.yaml"
        save(checked, yaml_path)
        paths += [yaml_path, edits]
    doc = Document(f"What it would take: {answer.loaded.scenario.name}", answer.verdict,
                   "ready" if answer.verdict in ("repaired", "nothing needed") else "unknown",
                   [repair_section(answer)])
    html, md = folder / "repair.html", folder / "repair.md"
    html.write_text(render_html(doc), encoding="utf-8")
    md.write_text(render_markdown(doc), encoding="utf-8")
    return [*paths, md, html]
