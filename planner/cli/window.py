"""``planner min-window`` and ``planner sweep``: how long must the training window be?

With missions, ``--mission``/``--block`` name the window that varies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.sweep import sweep as run_sweep
from planner.analysis.window import min_window as run_min_window
from planner.analysis.window_target import Target, TargetError, resolve_target
from planner.cli._common import (
    EXIT_USAGE,
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
from planner.report.sweep import sweep_table, write_sweep
from planner.report.window import window_text, write_window
from planner.scenario.load import LoadedScenario

ProbeLimit = Annotated[float, typer.Option("--time-limit", min=0.1, max=1e6, help="Solver seconds per probed window.")]
Out = Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).", file_okay=False, callback=out_folder)]
Mission = Annotated[str | None, typer.Option(
    "--mission", metavar="ID",
    help="With missions: the mission whose window varies (may be omitted when there is one).")]
Block = Annotated[str | None, typer.Option(
    "--block", metavar="ID",
    help="With missions: vary this training block of the mission instead (its start moves, its end "
         "and the other blocks stay).")]


def _target(loaded: LoadedScenario, mission: str | None, block: str | None, quiet: bool) -> Target:
    """What varies, or exit 2 when --mission/--block do not fit the file."""
    try:
        target = resolve_target(loaded.scenario, mission, block)
    except TargetError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    if not target.whole and not quiet:
        err(f"Varying {target.label} ({target.path}, {target.days} days in the file)")
    return target


def min_window(
    scenario: ScenarioArg,
    time_limit: ProbeLimit = 60.0,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write window.csv and the READY plan's CSVs here.", file_okay=False, callback=out_folder)
    ] = None,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    mission: Mission = None,
    block: Block = None,
    quiet: Quiet = False,
) -> None:
    """Shortest training window (latest start for the fixed launch) at which everyone is ready.

    Binary search on the start day, with a verified READY plan at N days and
    a proof of NOT_READY at N-1 days; when probes hit the time limit the
    answer is an interval. Exit 0 exact, 4 interval, 3 never ready, 1 bad input,
    2 on --mission/--block that do not fit the file.

    With missions, the window of --mission moves its start (launch fixed);
    with --block, that block's start moves (its end fixed). The output names
    what was varied.
    """
    loaded = load(scenario, variant, edits)
    target = _target(loaded, mission, block, quiet)
    if not quiet:
        err(f"Searching the shortest window for {loaded.scenario.name} (launch {loaded.scenario.window.launch}, "
            f"{time_limit:g} s per probe)" if target.whole else
            f"Searching the shortest {target.label} for {loaded.scenario.name} ({time_limit:g} s per probe)")
    try:
        result = run_min_window(loaded, params(time_limit, deterministic, seed), say=None if quiet else err,
                                target=target)
    except PlannerError as exc:
        fail(exc)
    typer.echo(window_text(result, timings=not deterministic))
    if out is not None:
        written = write_window(result, out, timings=not deterministic)
        typer.echo(f"Wrote {', '.join(str(p) for p in written)}")
    raise typer.Exit(VERDICT_EXIT[result.verdict])


def sweep(
    scenario: ScenarioArg,
    months: Annotated[str, typer.Option("--months", help="Window lengths in months, comma-separated.")] = "2,3,4,5",
    out: Out = Path("out"),
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=1e6, help="Solver seconds per window.")] = 20.0,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    mission: Mission = None,
    block: Block = None,
    quiet: Quiet = False,
) -> None:
    """Plan the scenario for several window lengths before the same launch; who is ready per competency.

    Writes sweep.csv and sweep.png to --out; a window length outside the
    allowed range is skipped with a note on stderr. Exit 0 when the windows
    are planned (whatever their verdicts), 1 on bad input or when no length
    can be planned, 2 on a bad --months or --mission/--block.

    With missions, the lengths are those of --mission's window before its
    launch or, with --block, of that block before its last day.
    """
    try:
        values = sorted({int(m) for m in months.split(",") if m.strip()})
    except ValueError:
        err(f"error: --months must be whole numbers separated by commas, got {months!r}")
        raise typer.Exit(EXIT_USAGE) from None
    if not values or min(values) < 1 or max(values) > 12:
        err("error: --months must lie between 1 and 12")
        raise typer.Exit(EXIT_USAGE)
    loaded = load(scenario, variant, edits)
    target = _target(loaded, mission, block, quiet)
    try:
        frame = run_sweep(loaded, values, params(time_limit, deterministic, seed), say=None if quiet else err,
                          target=target, note=err)
    except PlannerError as exc:
        fail(exc)
    varied = "" if target.whole else f", varying {target.label}"
    waived = "; '+Nw': N pairs waived" if "waived" in frame.columns else ""
    typer.echo(f"Ready participants per competency and window{varied} ('?': some unknown at the time limit{waived})")
    typer.echo(sweep_table(frame))
    written = write_sweep(frame, out, f"{loaded.scenario.name}: ready per competency{varied}")
    typer.echo(f"Wrote {', '.join(str(p) for p in written)}")
