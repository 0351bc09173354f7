"""Min-window output: the probe table, window.csv and the READY plan's files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.analysis.window import WindowResult
from planner.report.export import write_plan


def probes_frame(result: WindowResult, timings: bool = True) -> pd.DataFrame:
    """One row per probe of a min-window search (``timings=False``: no wall-clock
    column, for --deterministic output)."""
    columns = ["days", "window_start", "verdict", "seconds", "proof"] if timings else \
        ["days", "window_start", "verdict", "proof"]
    return pd.DataFrame(
        [
            {"days": p.days, "window_start": p.start.isoformat(), "verdict": p.verdict.value,
             "seconds": round(p.seconds, 2), "proof": p.proof}
            for p in result.probes
        ],
        columns=columns,
    )


def window_text(result: WindowResult) -> str:
    """The terminal text: every probe (with its seconds), a blank line, the summary."""
    return f"{probes_frame(result).to_string(index=False)}\n\n{result.summary()}"


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
