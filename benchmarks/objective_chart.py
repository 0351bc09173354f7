"""Weekly training hours per participant under two objectives, side by side (the README's chart).

    python3 benchmarks/objective_chart.py SCENARIO --out reports/challenge-2021/objective

plans SCENARIO under ``--deterministic`` with ``--objective earliest`` and ``--objective level``
(through the CLI, as a user would), writes both plans to ``OUT/earliest`` and ``OUT/level``,
and draws ``OUT/weekly-hours.png``; it prints, per participant who has something to learn, the
longest run of working days without training between their first session and their last deadline.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from planner.calendar.grid import build_grid
from planner.data.problem import build_problem
from planner.scenario.load import load_scenario

OBJECTIVES = ("earliest", "level")


def _plan(scenario: Path, objective: str, out: Path, time_limit: float) -> list[dict[str, str]]:
    cmd = [sys.executable, "-m", "planner", "plan", str(scenario), "--objective", objective, "--deterministic",
           "--time-limit", str(time_limit), "--quiet", "--out", str(out)]
    subprocess.run(cmd, check=False)
    with (out / "schedule.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _idle(rows: list[dict[str, str]], working: list[dt.date], until: dict[str, dt.date]) -> dict[str, int]:
    """Longest run of working days without a session, from each participant's first session to
    the day before their last deadline."""
    days: dict[str, set[dt.date]] = defaultdict(set)
    for r in rows:
        days[r["participant"]].add(dt.date.fromisoformat(r["start"][:10]))
    out = {}
    for p, ds in sorted(days.items()):
        if p not in until:
            continue  # holds everything: joins crew sessions only
        run = best = 0
        for d in working:
            if d < min(ds) or d >= until[p]:
                continue
            run = 0 if d in ds else run + 1
            best = max(best, run)
        out[p] = best
    return out


def main() -> None:
    """Plan, chart and print the idle runs."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    loaded = load_scenario(args.scenario)
    grid = build_grid(loaded.scenario)
    data = build_problem(loaded.scenario, grid)
    working = [d for d, is_open in zip(grid.days, grid.open, strict=True) if is_open]
    until: dict[str, dt.date] = {}
    for goal in data.goals:
        pid = data.participants[goal.participant].id
        day = grid.days[min(goal.deadline_day, grid.num_days - 1)]
        until[pid] = max(until.get(pid, day), day)
    plans = {o: _plan(args.scenario, o, args.out / o, args.time_limit) for o in OBJECTIVES}
    people = [p.id for p in loaded.scenario.participants]
    fig, axes = plt.subplots(1, len(OBJECTIVES), figsize=(12, 4), sharey=True)
    for ax, (objective, rows) in zip(axes, plans.items(), strict=True):
        hours: dict[tuple[str, dt.date], float] = defaultdict(float)
        for r in rows:
            day = dt.date.fromisoformat(r["start"][:10])
            hours[r["participant"], day - dt.timedelta(days=day.weekday())] += float(r["hours"])
        weeks = sorted({w for _, w in hours})
        for p in people:
            ax.plot(weeks, [hours.get((p, w), 0.0) for w in weeks], marker="o", markersize=3, label=p)
        idle = _idle(rows, working, until)
        ax.set_title(f"objective: {objective} (longest idle run {max(idle.values(), default=0)} working days)")
        ax.set_xlabel("week (Monday)")
        ax.tick_params(axis="x", labelrotation=45)
        print(f"{objective}: longest idle run in working days: " + ", ".join(f"{p} {n}" for p, n in idle.items()))
    axes[0].set_ylabel("training hours in the week")
    axes[-1].legend(fontsize=7)
    fig.suptitle(loaded.scenario.name, fontsize=10)
    fig.tight_layout()
    args.out.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out / "weekly-hours.png", dpi=110, metadata={"Software": None})
    print(f"Wrote {args.out / 'weekly-hours.png'}")


if __name__ == "__main__":
    main()
