"""``planner stress``: largest survivable outages, or Monte Carlo disruptions."""

from __future__ import annotations

import sys
import time
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.stress import (
    OutageResult,
    SampleResult,
    entities,
    estimate,
    monte_carlo,
    outage_study,
    studied_data,
)
from planner.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_READY,
    EXIT_USAGE,
    EXIT_WAIVED,
    Edits,
    Quiet,
    ScenarioArg,
    Variant,
    err,
    fail,
    load,
    out_folder,
)
from planner.data.result import SolveStatus
from planner.exceptions import PlannerError
from planner.plan.pipeline import prepare
from planner.report.stress import montecarlo_text, outage_text, write_montecarlo, write_outages
from planner.scenario.schema import Disruptions

PROGRESS_INTERVAL_S = 0.3  # at most about three progress lines a second


def stress(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.", file_okay=False, callback=out_folder)] = Path("out-stress"),
    samples: Annotated[int | None, typer.Option("--samples", min=1, help="Monte Carlo samples (omit for the outage study).")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1, help="Random seed of the disruptions.")] = 0,
    executor: Annotated[str, typer.Option("--executor", help="local (processes), serial or ray.")] = "local",
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Parallel processes (default: cores).")] = None,
    max_outage_days: Annotated[int, typer.Option("--max-outage-days", min=1, help="Longest outage tried.")] = 10,
    stride: Annotated[int, typer.Option("--stride", min=1, help="Try an outage start every N working days.")] = 5,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=1e6, help="Deterministic solver limit per case.")] = 5.0,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """Robustness of readiness to outages and disruptions.

    Without --samples: for each resource, instructor and participant a goal
    depends on, the largest outage (working days, worst tested start) after
    which every participant can still be made ready (stress.csv, stress.png).
    With --samples: disruptions drawn from the scenario's 'disruptions:' rates,
    each re-planned; P(every participant ready) with a 95 % interval
    (montecarlo.csv, montecarlo.png). Same seed, same numbers, any executor.
    """
    if executor not in ("local", "serial", "ray"):
        err(f"error: --executor must be local, serial or ray, not {executor!r}")
        raise typer.Exit(EXIT_USAGE)
    if executor == "ray" and find_spec("ray") is None:
        # Checked before any work: without it the run failed only when the first case was sent (minutes in).
        err('error: --executor ray needs Ray, an optional extra: python3 -m pip install -e ".[ray]" '
            "(or use --executor local)")
        raise typer.Exit(EXIT_USAGE)
    loaded = load(scenario, variant, edits)
    try:
        grid, data = prepare(loaded)
    except PlannerError as exc:
        fail(exc)
    out.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        if not quiet:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    # Disruptions only make sense on a scenario that is READY without them.
    # (UNKNOWN: the study runs without a reference plan, as a time limit is no proof.)
    every = len(data.goals)
    status, reference_plan, data = studied_data(data, time_limit * 4, 0)
    if status == SolveStatus.INFEASIBLE:
        err("The scenario is NOT_READY (proven) without any disruption: nothing to stress. "
            "See 'planner plan' and 'planner explain'.")
        raise typer.Exit(EXIT_NOT_READY)
    if len(data.goals) < every:
        # Ready with waivers: the study asks whether the pairs that cannot be waived stay ready.
        firm, left = len(data.goals), every - len(data.goals)
        err(f"note: without any disruption not every pair can be met (proven), but the {firm} pair"
            f"{'' if firm == 1 else 's'} that cannot be waived can: the scenario is ready with waivers, and the study "
            f"asks for those only ({left} waivable pair{'' if left == 1 else 's'} left out)")
        if not data.goals:
            err("Every pair is waivable: nothing to stress.")
            raise typer.Exit(EXIT_WAIVED)
    if samples is None:
        say(f"Outage study: outages of 1..{max_outage_days} working days, a start every {stride} working days "
            "and on each day an entity used on few days is used")
        todo = len(entities(data))
        finished = 0

        def studied(r: OutageResult) -> None:
            nonlocal finished
            finished += 1
            say(f"  [{finished}/{todo}] {r.kind} {r.entity}: survives {r.max_outage_days}{'+' if r.capped else ''} days "
                f"({r.cases} outage{'' if r.cases == 1 else 's'} tried)")

        results = outage_study(data, grid, max_outage_days, stride, time_limit, 0, workers, studied, hint=reference_plan)
        written = write_outages(results, out)
        typer.echo(outage_text(results))
        typer.echo(f"Wrote {', '.join(str(p) for p in written)}")
        return

    rates = loaded.scenario.disruptions
    if rates is None:
        err("warning: the scenario has no 'disruptions:' section; using the defaults of the Disruptions schema (all zero)")
        rates = Disruptions()
    say(f"Monte Carlo: {samples} samples, seed {seed}, executor {executor}")
    done = ready = 0
    last = -1.0

    def tick(r: SampleResult) -> None:
        # One line per sample re-planned, at most a few a second (the last one always).
        nonlocal done, ready, last
        done += 1
        ready += r.status == "READY"
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL_S or done == samples:
            last = now
            say(f"  sample {r.sample + 1} ({done}/{samples} done): {r.status}; {ready} of {done} READY so far")

    try:
        results_mc = monte_carlo(data, grid, rates, samples, seed, time_limit, executor, workers, tick)  # type: ignore[arg-type]
    except RuntimeError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    est = estimate(results_mc)
    written = write_montecarlo(results_mc, est, seed, samples, rates, out)
    typer.echo(montecarlo_text(est))
    typer.echo(f"Wrote {', '.join(str(p) for p in written)}")
