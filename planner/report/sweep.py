"""Sweep output: the terminal table, sweep.csv and the sweep.png heat map."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def sweep_table(frame: pd.DataFrame) -> str:
    """Ready/total per competency (rows) and window length (columns); '?' marks unknown pairs, '+Nw' the pairs
    waived (a waived pair read like one not ready)."""
    table = frame.pivot(index="competency", columns="months", values="ready").astype(str)
    totals = frame.pivot(index="competency", columns="months", values="total").astype(str)
    unknown = frame.pivot(index="competency", columns="months", values="unknown")
    marks = unknown.map(lambda n: "?" if n else "")
    cells = table + "/" + totals + marks
    if "waived" in frame.columns:
        waived = frame.pivot(index="competency", columns="months", values="waived")
        cells = cells + waived.map(lambda n: f" +{n}w" if n else "")
    cells = cells.reindex(list(dict.fromkeys(frame["competency"])))
    cells.columns = [f"{m} mo" for m in cells.columns]
    return cells.to_string()


def sweep_plot(frame: pd.DataFrame, path: Path, title: str) -> None:
    """Heat map competency x window length: share ready, with counts and verdicts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    comps = list(dict.fromkeys(frame["competency"]))
    months = list(dict.fromkeys(frame["months"]))
    grid = [[0.0] * len(months) for _ in comps]
    fig, ax = plt.subplots(figsize=(1.6 + 1.2 * len(months), 1.0 + 0.45 * len(comps)))
    for _, r in frame.iterrows():
        i, j = comps.index(r["competency"]), months.index(r["months"])
        grid[i][j] = r["ready"] / r["total"] if r["total"] else 1.0
        mark = "?" if r["unknown"] else ""
        ax.text(j, i, f"{r['ready']}/{r['total']}{mark}", ha="center", va="center", fontsize=9)
    ax.imshow(grid, cmap="RdYlGn", vmin=0.0, vmax=1.0, aspect="auto", alpha=0.55)  # light: text stays legible
    ax.set_xticks(range(len(months)), [f"{m} mo" for m in months])
    ax.set_yticks(range(len(comps)), comps)
    ax.set_xlabel("training window before launch")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    # The saved image grows to hold every text: a long title is not cut at the edges.
    fig.savefig(path, dpi=120, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)


def write_sweep(frame: pd.DataFrame, out: Path, title: str) -> list[Path]:
    """Write sweep.csv and sweep.png into ``out`` (created if missing); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out / "sweep.csv", index=False, lineterminator="\n")
    sweep_plot(frame, out / "sweep.png", title)
    return [out / "sweep.csv", out / "sweep.png"]
