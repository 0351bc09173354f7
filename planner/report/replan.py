"""Replan output: changes.csv, the manifest's ``replan`` section and the terminal text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from planner.analysis.replan import Change, ReplanOutcome
from planner.report.calendar_export import write_ics
from planner.report.export import write_plan
from planner.report.text import verdict_table


def changes_frame(out: ReplanOutcome) -> pd.DataFrame:
    """The change list as a DataFrame (sorted by owner, module, session)."""
    frame = pd.DataFrame([dataclasses.asdict(c) for c in out.changes])
    if frame.empty:
        return pd.DataFrame(columns=[f.name for f in dataclasses.fields(Change)])
    return frame.sort_values(["owner", "module", "session"], kind="stable").reset_index(drop=True)


def change_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Rows per kind of change (kept, moved, ...), in alphabetical order."""
    return {str(k): int(v) for k, v in frame["change"].value_counts().sort_index().items()}


def replan_manifest(out: ReplanOutcome, frame: pd.DataFrame, progress_file: Path, baseline: Path) -> dict[str, object]:
    """The ``replan`` section of manifest.json: as-of date, budget, changes and the input files."""
    return {
        "as_of": out.as_of.isoformat(),
        "max_changes": out.max_changes,
        "changes": out.num_changes,
        "counts": change_counts(frame),
        "progress_file": str(progress_file),
        "baseline": str(baseline),
        "ignored_progress_rows": [{"row": r.row, "reason": r.reason} for r in out.ignored],
    }


def write_replan(out: ReplanOutcome, folder: Path, progress_file: Path, baseline: Path) -> list[Path]:
    """Write the new plan's schedule.csv, readiness.csv and manifest.json (with its
    ``replan`` section), changes.csv and the calendars (.ics, stable UIDs) into ``folder``; the paths written."""
    frame = changes_frame(out)
    paths = write_plan(out.plan, folder, command="replan",
                       extra={"replan": replan_manifest(out, frame, progress_file, baseline)})
    frame.to_csv(folder / "changes.csv", index=False, lineterminator="\n")
    # Calendars whose UIDs are the published sessions' ids: importing them moves an entry, never duplicates it.
    return [*paths, folder / "changes.csv", *write_ics(out.plan, folder, out.session_ids())]


def replan_text(out: ReplanOutcome) -> str:
    """The terminal text: the verdict table, the change counts and every moved, added or removed session."""
    frame = changes_frame(out)
    counts = ", ".join(f"{k} {v}" for k, v in change_counts(frame).items())
    teachers = frame[(frame["change"] == "kept") & (frame["reason"] != "")]
    if len(teachers):
        counts += f" ({len(teachers)} kept with another instructor: see changes.csv)"
    budget = "" if out.max_changes is None else f" (budget {out.max_changes})"
    lines = [verdict_table(out.plan),
             f"Changes against the baseline: {out.num_changes} moved or removed{budget}; {counts}"]
    for rec in frame[frame["change"].isin(["moved", "added", "removed"])].to_dict("records"):
        lines.append(
            f"  {rec['change']!s:8} {rec['owner']!s}/{rec['module']!s} #{rec['session']!s}: "
            f"{rec['old_start'] or '-'!s} -> {rec['new_start'] or '-'!s}  ({rec['reason']!s})"
        )
    return "\n".join(lines)
