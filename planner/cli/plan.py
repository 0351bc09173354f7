"""``planner plan``: schedule a scenario and write the verdict and CSVs."""

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
    out_folder,
    plan_or_exit,
    with_objective,
)
from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, PLAN_GAP
from planner.report.export import write_plan
from planner.report.text import verdict_table


def plan(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).", file_okay=False, callback=out_folder)] = Path("out"),
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    plan_gap: PlanGap = PLAN_GAP,
    variant: Variant = None,
    edits: Edits = None,
    objective: Objective = None,
    quiet: Quiet = False,
    report: Annotated[
        bool, typer.Option("--report", help="Also write the report (HTML, Markdown, charts, ICS, XLSX) to --out.")
    ] = False,
) -> None:
    """Schedule every session, check the schedule, and give the readiness verdict.

    Writes schedule.csv, readiness.csv and manifest.json to --out (with
    --report also the files of 'planner report'). Exit code:
    0 all ready, 3 not ready (proven), 4 unknown (time limit), 6 ready with
    waivers, 1 bad input, 2 usage error, 5 internal error (a bug), 130 Ctrl-C.
    With missions: the worst mission's verdict (each by its prime crew).
    """
    outcome = plan_or_exit(scenario, variant, with_objective(edits, objective), time_limit, deterministic, seed, quiet, plan_gap)
    if report:
        # Imported here: matplotlib and openpyxl slow down start-up. The report includes the CSVs and manifest.
        from planner.report.build import write_report

        paths = write_report(outcome, out, command="plan")
    else:
        paths = write_plan(outcome, out)
    typer.echo(verdict_table(outcome))
    typer.echo(f"Wrote {', '.join(str(p) for p in paths)}")
    raise typer.Exit(VERDICT_EXIT[outcome.overall])
