"""Charts of robustness studies (matplotlib, deterministic files).

matplotlib is imported when a chart is drawn, not with this module: the CLI
imports it for every command, and pyplot alone adds a quarter of a second to
each command's start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.analysis.stress import OutageResult, SampleResult

if TYPE_CHECKING:
    import matplotlib.pyplot as plt


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: plt.Figure, path: Path) -> None:
    fig.tight_layout()
    # The saved image grows to hold every text: a long label is not cut at the edges.
    fig.savefig(path, dpi=110, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.1)
    _pyplot().close(fig)


def outage_chart(results: Sequence[OutageResult], path: Path) -> None:
    """Horizontal bars: largest survivable outage per entity (capped bars hatched)."""
    rows = sorted(results, key=lambda r: (r.max_outage_days, r.kind, r.entity))
    fig, ax = _pyplot().subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    colours = {"resource": "#4c72b0", "instructor": "#dd8452", "participant": "#55a868"}
    for y, r in enumerate(rows):
        ax.barh(y, r.max_outage_days, color=colours[r.kind], hatch="//" if r.capped else None)
    ax.set_yticks(range(len(rows)), [f"{r.kind}: {r.entity}" for r in rows])
    ax.set_xlabel("largest outage survived at the worst tested time (working days; hatched = at least)")
    ax.set_title("Robustness: every participant still ready after an outage")
    _save(fig, path)


def montecarlo_chart(results: Sequence[SampleResult], path: Path) -> None:
    """Running estimate of P(all ready) over the samples."""
    fig, ax = _pyplot().subplots(figsize=(7, 3.2))
    ready = 0
    xs, ys = [], []
    for n, r in enumerate(results, start=1):
        ready += r.status == "READY"
        xs.append(n)
        ys.append(ready / n)
    ax.plot(xs, ys, color="#4c72b0")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("samples")
    ax.set_ylabel("P(every participant ready)")
    ax.set_title("Monte Carlo disruptions: running estimate")
    _save(fig, path)
