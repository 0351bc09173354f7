"""``planner validate``: check a scenario without solving."""

from __future__ import annotations

from collections import defaultdict

import typer

from planner.cli._common import EXIT_BAD_INPUT, Edits, ScenarioArg, Variant, err, fail, load
from planner.exceptions import PlannerError
from planner.plan.pipeline import prepare
from planner.plan.presolve import presolve_checks
from planner.plan.readiness import static_reasons
from planner.scenario.load import load_scenario


def validate(scenario: ScenarioArg, variant: Variant = None, edits: Edits = None) -> None:
    """Check the schema, references, dates and capacity bounds (no solve).

    Also checks every named variant. Exit 0 when the file is valid (warnings
    about readiness are printed but do not fail), 1 when it is not.
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
    # Goals that can never be met, for the same static reasons 'plan' gives, grouped.
    static: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g, reason in static_reasons(sc, grid, data).items():
        goal = data.goals[g]
        static[goal.competency, reason].append(data.participants[goal.participant].id)
    findings += [f"{comp} can never be met by {', '.join(who)}: {reason}" for (comp, reason), who in static.items()]
    for f in findings:
        err(f"warning: {f}")
    if not findings:
        typer.echo("Pre-solve checks: no capacity, season or chain-length problem found.")
    if variant is None and not edits:
        # A variant is only built when asked for; check each one here, so that a
        # typo in a path or value shows before the day it is needed.
        bad = False
        for name in sc.variants:
            try:
                prepare(load_scenario(scenario, name))
            except PlannerError as exc:
                bad = True
                for p in getattr(exc, "problems", [exc]):
                    err(f"error: variant {name}: {p}")
        if sc.variants and not bad:
            typer.echo(f"Variants: {', '.join(sc.variants)} valid.")
        if bad:
            raise typer.Exit(EXIT_BAD_INPUT)
