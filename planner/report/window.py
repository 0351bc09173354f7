"""Min-window output: the probe table, window.csv and the READY plan's files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from planner.analysis.window import WindowResult
from planner.report.export import write_plan


def probes_frame(result: WindowResult, timings: bool = True) -> pd.DataFrame:
    """One row per probe of a min-window search (``timings=False``: no wall-clock
    column, for --deterministic output). With missions a last ``varied`` column
    names the mission's window or block that moved."""
    columns = ["days", "window_start", "verdict", "seconds", "proof"] if timings else \
        ["days", "window_start", "verdict", "proof"]
    frame = pd.DataFrame(
        [
            {"days": p.days, "window_start": p.start.isoformat(), "verdict": p.verdict.value,
             "seconds": round(p.seconds, 2), "proof": p.proof}
            for p in result.probes
        ],
        columns=columns,
    )
    return frame if result.target is None else frame.assign(varied=result.target.label)


def window_text(result: WindowResult, timings: bool = True) -> str:
    """The terminal text: every probe (with its seconds unless ``timings`` is False: --deterministic output is the
    same bytes run after run), a blank line, the summary (with missions, a first line names what was varied)."""
    table = probes_frame(result, timings=timings)
    if result.target is None:
        return f"{table.to_string(index=False)}\n\n{result.summary()}"
    varied = f"Varied: {result.target.label} ({result.target.path}, last day {result.target.end - dt.timedelta(days=1)})"
    return f"{varied}\n{table.drop(columns='varied').to_string(index=False)}\n\n{result.summary()}"


def write_window(result: WindowResult, out: Path, timings: bool = True) -> list[Path]:
    """Write window.csv and, when a READY window was found, its plan's files into ``out``
    (created if missing); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    probes_frame(result, timings=timings).to_csv(out / "window.csv", index=False, lineterminator="\n")
    written = [out / "window.csv"]
    ready = result.ready_probe
    if ready is not None and ready.outcome is not None:
        written += write_plan(ready.outcome, out, command="min-window")
    return written
