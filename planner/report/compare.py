"""Compare output: compare.csv for ``planner whatif`` and ``planner compare``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.analysis.compare import Comparison, readiness_cell

COMPARE_COLUMNS = ["kind", "participant", "item", "before", "after", "change"]


def comparison_frame(c: Comparison) -> pd.DataFrame:
    """``compare.csv``: readiness rows (all), session rows (changed only), resource rows (all)."""
    rows: list[dict[str, object]] = []
    for r in c.readiness:
        rows.append({"kind": "readiness", "participant": r.participant, "item": r.competency,
                     "before": readiness_cell(r.before), "after": readiness_cell(r.after), "change": r.change})
    for s in c.sessions:
        rows.append({"kind": "session", "participant": s.participant, "item": f"{s.module} #{s.session}",
                     "before": s.before.isoformat(timespec="minutes") if s.before else "",
                     "after": s.after.isoformat(timespec="minutes") if s.after else "", "change": s.change})
    for rid, b, a in c.resource_hours:
        rows.append({"kind": "resource_hours", "participant": "", "item": rid, "before": f"{b:g}",
                     "after": f"{a:g}", "change": f"{a - b:+g}"})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def write_compare(c: Comparison, out: Path) -> Path:
    """Write compare.csv into ``out`` (created if missing); its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "compare.csv"
    comparison_frame(c).to_csv(path, index=False, lineterminator="\n")
    return path
