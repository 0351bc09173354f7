"""``planner report``: plan a scenario and write the report people read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli._common import (
    VERDICT_EXIT,
    Deterministic,
    Edits,
    Objective,
    PlanGap,
    Quiet,
    ScenarioArg,
    Seed,
    TimeLimit,
    Variant,
    err,
    out_folder,
    plan_or_exit,
    with_objective,
)
from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, PLAN_GAP
from planner.report.text import verdict_table


def report(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Report folder (created if missing).", file_okay=False, callback=out_folder)] = Path("report"),
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    plan_gap: PlanGap = PLAN_GAP,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
    objective: Objective = None,
) -> None:
    """Plan, then write report.html/.md, Gantt charts, calendars (ICS), a workbook (XLSX) and the CSVs.

    The exit code is that of plan: 0 all ready, 3 not ready (proven),
    4 unknown (time limit), 6 ready with waivers, 1 bad input.
    """
    # Imported here: matplotlib and openpyxl slow down every other command's start-up.
    from planner.report.build import write_report

    outcome = plan_or_exit(scenario, variant, with_objective(edits, objective), time_limit, deterministic, seed, quiet,
                           plan_gap)
    if not quiet:
        err(f"Writing the report to {out}")
    paths = write_report(outcome, out)
    typer.echo(verdict_table(outcome))
    typer.echo(f"Wrote {len(paths)} files to {out}: open {out / 'report.html'}")
    raise typer.Exit(VERDICT_EXIT[outcome.overall])
