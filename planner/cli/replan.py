"""``planner replan``: re-plan from a date with minimal disruption."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.replan import changes_frame, replan
from planner.cli._common import (
    VERDICT_EXIT,
    Deterministic,
    Edits,
    ProgressPrinter,
    Quiet,
    ScenarioArg,
    Seed,
    TimeLimit,
    Variant,
    err,
    fail,
    load,
    params,
)
from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S
from planner.exceptions import PlannerError
from planner.report.export import write_plan
from planner.report.text import verdict_table


def replan_cmd(
    scenario: ScenarioArg,
    progress_file: Annotated[Path, typer.Option("--progress", help="Progress CSV (participant,module,session,status[,start,end]).", exists=True, dir_okay=False)],
    as_of: Annotated[dt.datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="Re-plan from this date (YYYY-MM-DD).")],
    baseline: Annotated[Path, typer.Option("--baseline", help="Folder (or schedule.csv) of the published plan.", exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.", file_okay=False)] = Path("out-replan"),
    max_changes: Annotated[int | None, typer.Option("--max-changes", min=0, help="Hard budget of published sessions moved or dropped.")] = None,
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """Fix what happened before --as-of, re-plan the rest close to the baseline.

    Writes schedule.csv, readiness.csv, changes.csv (every kept, moved, added
    or removed session with the reason) and manifest.json. Exit codes as plan.
    """
    loaded = load(scenario, variant, edits)
    try:
        outcome = replan(
            loaded, baseline, progress_file, as_of.date(), max_changes,
            params(time_limit, deterministic, seed), ProgressPrinter(quiet),
        )
    except PlannerError as exc:
        fail(exc)
    paths = write_plan(outcome.plan, out, command="replan")
    frame = changes_frame(outcome)
    frame.to_csv(out / "changes.csv", index=False, lineterminator="\n")
    man = json.loads((out / "manifest.json").read_text())
    man["replan"] = {
        "as_of": outcome.as_of.isoformat(),
        "max_changes": max_changes,
        "changes": outcome.num_changes,
        "counts": {k: int(v) for k, v in frame["change"].value_counts().sort_index().items()},
        "progress_file": str(progress_file),
        "baseline": str(baseline),
    }
    (out / "manifest.json").write_text(json.dumps(man, indent=2, default=str) + "\n")
    typer.echo(verdict_table(outcome.plan))
    counts = ", ".join(f"{k} {v}" for k, v in man["replan"]["counts"].items())
    budget = "" if max_changes is None else f" (budget {max_changes})"
    typer.echo(f"Changes against the baseline: {outcome.num_changes} moved or removed{budget}; {counts}")
    for rec in frame[frame["change"].isin(["moved", "added", "removed"])].to_dict("records"):
        typer.echo(
            f"  {rec['change']!s:8} {rec['owner']!s}/{rec['module']!s} #{rec['session']!s}: "
            f"{rec['old_start'] or '-'!s} -> {rec['new_start'] or '-'!s}  ({rec['reason']!s})"
        )
    if not quiet:
        err(f"Wrote {', '.join(str(p) for p in [*paths, out / 'changes.csv'])}")
    raise typer.Exit(VERDICT_EXIT[outcome.plan.overall])
