"""Explain output: explain.csv, one row per unmet goal and fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.analysis.explain import Explanation

EXPLAIN_COLUMNS = [
    "participant",
    "competency",
    "status",
    "kind",
    "conflict",
    "conflict_minimal",
    "fix",
    "fix_cost",
    "fix_least",
    "fix_verified",
    "goals_ready_after",
    "goals_total",
    "note",
]


def explain_rows(ex: Explanation) -> list[dict[str, object]]:
    """One row per unmet goal and fix (one row without a fix when there is none)."""
    rows: list[dict[str, object]] = []
    for ge in ex.goals:
        base: dict[str, object] = {
            "participant": ge.participant,
            "competency": ge.competency,
            "status": ge.status.value,
            "kind": ge.kind,
            "conflict": "; ".join(f.text for f in ge.conflict),
            "conflict_minimal": ("proven" if ge.proven_minimal else "not proven") if ge.conflict else "",
            "fix": "",
            "fix_cost": None,
            "fix_least": "",
            "fix_verified": "",
            "goals_ready_after": None,
            "goals_total": ex.total,
            "note": ge.note,
        }
        if not ge.fixes:
            rows.append(base)
        for fix in ge.fixes:
            v = ex.verifications.get(fix.key)
            rows.append({**base, "fix": fix.text, "fix_cost": fix.cost,
                         "fix_least": "yes" if fix.least else "not proven",
                         "fix_verified": ex.verified(fix, ge.goal),
                         # pairs met by the verifying plan; none when there is no such plan
                         "goals_ready_after": v.ready if v is not None and ex.verified(fix, ge.goal) == "yes"
                         else None})
    return rows


def explain_frame(ex: Explanation) -> pd.DataFrame:
    """The rows of :func:`explain_rows`; ``fix_cost`` as nullable floats and
    ``goals_ready_after`` as nullable integers (empty cells where there is no fix or no verifying plan)."""
    frame = pd.DataFrame(explain_rows(ex), columns=EXPLAIN_COLUMNS)
    for col in ("fix_cost", "goals_ready_after"):
        frame[col] = frame[col].astype("Float64" if col == "fix_cost" else "Int64")
    return frame


def write_explain(ex: Explanation, out: Path) -> Path:
    """Write explain.csv into ``out`` (created if missing); its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "explain.csv"
    explain_frame(ex).to_csv(path, index=False, lineterminator="\n")
    return path
