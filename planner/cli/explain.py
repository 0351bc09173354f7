"""``planner explain``: why participants are not ready, and the cheapest verified fixes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.explain import explain as run_explain
from planner.analysis.explain import format_explanation
from planner.cli._common import (
    VERDICT_EXIT,
    Deterministic,
    Edits,
    Quiet,
    ScenarioArg,
    Seed,
    Variant,
    err,
    fail,
    load,
    out_folder,
    params,
)
from planner.constants import DEFAULT_SEED
from planner.exceptions import PlannerError
from planner.report.explain import write_explain


def explain(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for explain.csv (created if missing).", file_okay=False, callback=out_folder)] = Path(
        "out"
    ),
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1.0, max=1e6, help="Seconds for the whole explanation (plan, probes, fix checks).")
    ] = 13.0,
    probe_limit: Annotated[float, typer.Option("--probe-limit", min=0.1, help="Seconds per feasibility probe.")] = 5.0,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """Why pairs are not ready (irreducible conflicting facts) and the cheapest verified fixes.

    For each participant-competency pair that is not ready: a small set of
    scenario facts that together rule it out, and single changes that fix
    it, each checked on the pair and verified on the whole scenario. Writes explain.csv to --out. Exit code as for plan: 0 all ready, 3 not
    ready, 4 unknown, 1 bad input.
    """
    loaded = load(scenario, variant, edits)
    if not quiet:
        err(f"Explaining {loaded.scenario.name} (budget {time_limit:g} s)")
    try:
        ex = run_explain(loaded, params(time_limit, deterministic, seed), time_limit, probe_limit,
                         say=None if quiet else err)
    except PlannerError as exc:
        fail(exc)
    typer.echo(format_explanation(ex))
    typer.echo(f"Wrote {write_explain(ex, out)}")
    raise typer.Exit(VERDICT_EXIT[ex.outcome.overall])
