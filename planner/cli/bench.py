"""``planner bench psplib``: PSPLIB RCPSP and RCPSP/max on the planner's engine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli._common import EXIT_BAD_INPUT, EXIT_USAGE, Command, Group, out_folder

bench_app = typer.Typer(
    cls=Group,
    help="Benchmarks of the planner's own scheduling engine on public instance libraries.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _suite(suite: str | None, old_set: str | None) -> str:
    """The --suite value; --set is its old name, still read (with a note) but not shown in --help."""
    if old_set is not None:
        if suite is not None and suite != old_set:
            typer.echo("error: give the instance set once, with --suite (--set is its old name)", err=True)
            raise typer.Exit(EXIT_USAGE)
        typer.echo("note: 'bench psplib --set' is deprecated, use --suite (what-if edits keep --set)", err=True)
        return old_set
    if suite is None:
        typer.echo("error: missing option '--suite' (j30, j60, j90, j120 or rcpsp-max/SUBSET)", err=True)
        raise typer.Exit(EXIT_USAGE)
    return suite


@bench_app.command(cls=Command)
def psplib(
    out: Annotated[Path, typer.Option("--out", help="Output folder: results.csv and schedules/.", file_okay=False, callback=out_folder)],
    suite: Annotated[
        str | None, typer.Option("--suite", help="j30, j60, j90, j120 or rcpsp-max/SUBSET, e.g. rcpsp-max/sm_j10; or a folder of "
                                     "your own .sm/.sch files, or one such file.")
    ] = None,
    instances: Annotated[
        int | None, typer.Option("--instances", min=1, help="Only the first N instances (natural order).")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=1e6, help="Seconds per instance.")] = 10.0,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root", help="PSPLIB folder (default: $PLANNER_PSPLIB, else the one named below)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="CP-SAT workers (0: the default portfolio of 8, time-sliced on small machines; "
                                 "the last decision on plain RCPSP always runs two one-worker searches).")] = 0,
    deterministic: Annotated[
        bool,
        typer.Option(
            "--deterministic",
            help="One worker, limit in CP-SAT work units: figures that do not depend on machine load.",
        ),
    ] = False,
    ga: Annotated[
        bool,
        typer.Option(
            "--ga/--no-ga",
            help="Plain RCPSP: the activity-list GA alternates with CP-SAT; RCPSP/max: a first schedule "
            "from the two-direction search. --no-ga: CP-SAT alone, for comparison.",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-instance lines (the summary only).")] = False,
    old_set: Annotated[str | None, typer.Option("--set", hidden=True, help="Deprecated: --suite.")] = None,
) -> None:
    """Solve a PSPLIB set, verify every schedule and compare with best known bounds.

    --suite also takes a folder of your own instance files (.sm: RCPSP, .sch: RCPSP/max) or one file;
    their bounds are the folder's optimum/optimum.csv, else the published j-set bounds of the same file
    names. Prints one line per instance, then a summary. An unreadable instance file
    gets an ERROR row and the run goes on. schedules/ is emptied first, so it
    matches results.csv. Exit 0; 2 for an unknown set or a missing folder; 1 on bad input (also when
    some file was unreadable; the other instances are still run and written). Without
    numba (the ``bench`` extra) the GA runs as plain Python, with a note.
    Without --root and $PLANNER_PSPLIB the instances are read from
    ../shared/benchmarks/psplib.
    """
    # Imported here, not at the top: the GA imports numba (about 0.3 s), which no other command needs.
    from planner.bench.ga import INSTALL_HINT, NUMBA_INSTALLED
    from planner.bench.instance import MAX_DIR, BenchInputError, BenchUsageError, default_root
    from planner.bench.runner import format_summary, run_benchmark, summarize

    set_name = _suite(suite, old_set)
    if ga and not NUMBA_INSTALLED and not set_name.startswith(f"{MAX_DIR}/") and not set_name.lower().endswith(".sch"):
        # numba is an optional extra: the GA still runs, as plain Python.
        typer.echo(f"note: numba is not installed, so the activity-list GA runs as plain Python (much slower; "
                   f"the same schedules under --deterministic); for the compiled GA: {INSTALL_HINT}", err=True)
    try:
        df = run_benchmark(
            root if root is not None else default_root(),
            set_name,
            instances,
            time_limit,
            out,
            progress=None if quiet else typer.echo,
            workers=workers,
            deterministic=deterministic,
            ga=ga,
        )
    except (BenchInputError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE if isinstance(exc, BenchUsageError) else EXIT_BAD_INPUT) from None
    typer.echo(format_summary(summarize(df)))
    typer.echo(f"results: {out / 'results.csv'}")
    errors = df[df["status"] == "ERROR"]
    for _, row in errors.iterrows():
        typer.echo(f"error: {row['verify_errors']}", err=True)
    if len(errors):
        raise typer.Exit(EXIT_BAD_INPUT)
