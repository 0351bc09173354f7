"""``planner generate``: write a synthetic, realistic scenario of any size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from planner.cli._common import EXIT_USAGE, err, refuse_folder, unwritable
from planner.constants import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS
from planner.scenario.common import FIRST_YEAR, LAST_YEAR
from planner.scenario.generate import DEFAULT_START, generate_yaml


def generate(
    crews: Annotated[int, typer.Option("--crews", min=1, max=100, help="Number of crews of 3 (K).")] = 2,
    days: Annotated[
        int, typer.Option("--days", min=MIN_WINDOW_DAYS, max=MAX_WINDOW_DAYS, help="Window length: launch = start + days; the exams at L-27 need 12 working days before them "
                                   "(about 43 days or more).")
    ] = 120,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random details (leave, outage, campaign days).")] = 1,
    start: Annotated[
        str, typer.Option("--start", help="First training day, YYYY-MM-DD.")
    ] = DEFAULT_START.isoformat(),
    staffing: Annotated[
        str,
        typer.Option(
            "--staffing",
            help="Instructors per qualification: full = one per crew (the fact sheet's ratio), lean = ceil(K/2).",
        ),
    ] = "full",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output YAML file (default: standard output).")] = None,
) -> None:
    """Generate a scenario: K crews sharing facilities and instructors, MS-19-style gates.

    Built from the module catalogue of the domain fact sheet (section 7.2).
    The same arguments always give the same bytes.
    """
    try:
        first = dt.date.fromisoformat(start)
    except ValueError as exc:
        err(f"error: --start {start}: {exc} (give a date as YYYY-MM-DD)")
        raise typer.Exit(EXIT_USAGE) from None
    launch = first + dt.timedelta(days=days)
    if first.year < FIRST_YEAR or launch.year > LAST_YEAR:  # the scenario format's plausible years
        err(f"error: --start {start}: the window {first} .. {launch} lies outside the years {FIRST_YEAR} to "
            f"{LAST_YEAR} that a scenario may use")
        raise typer.Exit(EXIT_USAGE)
    try:
        text = generate_yaml(crews, days, seed, first, staffing)
    except ValueError as exc:  # --staffing: an option value
        err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    if out is None:
        typer.echo(text, nl=False)
        return
    refuse_folder("--out", out, "the YAML file to write")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        unwritable("--out", out, exc)
    err(f"Wrote {out}")
