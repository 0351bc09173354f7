"""``planner export``: write a scenario in another tool's format (TaskJuggler)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli._common import (
    EXIT_BAD_INPUT,
    Command,
    Edits,
    Group,
    Quiet,
    ScenarioArg,
    Variant,
    err,
    load,
    refuse_folder,
    unwritable,
)
from planner.interop.tjp import export_tjp

export_app = typer.Typer(
    cls=Group, help="Export a scenario for a peer tool (TaskJuggler).", no_args_is_help=True)


@export_app.command("tjp", cls=Command)
def tjp(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output .tjp file.")],
    extra_days: Annotated[
        int, typer.Option("--extra-days", min=0, help="Lengthen the project past training end (to see how late work runs).")
    ] = 0,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """Write SCENARIO as a TaskJuggler 3 project; run it with 'tj3 FILE.tjp'.

    Each participant x module (crew x module when joint) becomes a task with
    the attendees, facility and instructor allocated together; prerequisites
    become dependencies and deadlines 'maxend' checks. What TaskJuggler cannot
    express (sessions, spacing, maximum lags) is listed on standard error.
    """
    refuse_folder("--out", out, "the .tjp file to write")
    loaded = load(scenario, variant, edits)
    try:
        exported = export_tjp(loaded.scenario, extra_days)
    except ValueError as exc:  # e.g. a country the holidays package does not know
        err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(exported.text, encoding="utf-8")
    except OSError as exc:
        unwritable("--out", out, exc)
    if not quiet:
        for line in exported.skipped:
            err(f"skipped: {line}")
        for line in exported.notes:
            err(f"note: {line}")
    err(f"Wrote {out} ({len(exported.tasks)} tasks)")
