"""``planner validate``: check a scenario without solving."""

from __future__ import annotations

import typer

from planner.cli._common import Edits, ScenarioArg, Variant, err, fail, load
from planner.exceptions import PlannerError
from planner.pipeline import prepare
from planner.presolve import presolve_checks


def validate(scenario: ScenarioArg, variant: Variant = None, edits: Edits = None) -> None:
    """Check the schema, references, dates and capacity bounds (no solve).

    Exit 0 when the file is valid (warnings about readiness are printed but
    do not fail), 1 when it is not.
    """
    loaded = load(scenario, variant, edits)
    try:
        grid, data = prepare(loaded)
    except PlannerError as exc:
        fail(exc)
    sc = loaded.scenario
    typer.echo(
        f"{scenario}: valid. {len(sc.participants)} participants, {len(sc.modules)} modules, "
        f"{len(data.jobs)} jobs ({sum(j.num_sessions for j in data.jobs)} sessions), {len(data.goals)} "
        f"participant-competency goals; {grid.num_open_days} working days from {grid.window_start} "
        f"to {grid.training_end}."
    )
    findings = presolve_checks(sc, grid, data)
    for f in findings:
        err(f"warning: {f}")
    if not findings:
        typer.echo("Pre-solve checks: no capacity, season or chain-length problem found.")
