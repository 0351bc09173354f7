"""``planner replan``: re-plan from a date with minimal disruption."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.replan import replan
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
    out_folder,
    params,
)
from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S
from planner.exceptions import PlannerError
from planner.report.replan import replan_text, write_replan


def replan_cmd(
    scenario: ScenarioArg,
    progress_file: Annotated[Path, typer.Option("--progress", help="Progress CSV: participant, module, session, status (start, end, note optional).",
                                                  exists=True, dir_okay=False)],
    as_of: Annotated[dt.datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="Re-plan from this date (YYYY-MM-DD).")],
    baseline: Annotated[Path, typer.Option("--baseline", help="Folder (or schedule.csv) of the published plan.", exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.", file_okay=False, callback=out_folder)] = Path("out-replan"),
    max_changes: Annotated[int | None, typer.Option("--max-changes", min=0, help="Hard budget of published sessions moved or dropped.")] = None,
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """Fix what happened before --as-of, re-plan the rest close to the baseline.

    Writes schedule.csv, readiness.csv, changes.csv (every done, not done, kept,
    moved, added or removed session with the reason, and every progress row not used) and
    manifest.json. A bad progress row is exit 1 (every one is named, with its
    line); an ignored row is a warning. Exit codes as plan.
    """
    loaded = load(scenario, variant, edits)
    try:
        outcome = replan(
            loaded, baseline, progress_file, as_of.date(), max_changes,
            params(time_limit, deterministic, seed), ProgressPrinter(quiet),
            say=lambda text: err(f"warning: {text}"),
        )
    except PlannerError as exc:
        fail(exc)
    paths = write_replan(outcome, out, progress_file, baseline)
    typer.echo(replan_text(outcome))
    if not quiet:
        err(f"Wrote {', '.join(str(p) for p in paths)}")
    raise typer.Exit(VERDICT_EXIT[outcome.plan.overall])
