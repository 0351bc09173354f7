"""The ``planner`` command line (typer). Only this package imports typer."""

from __future__ import annotations

import errno
import os
import sys
import traceback
from typing import Any

import typer

from planner.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    Command,
    Group,
)
from planner.cli.bench import bench_app
from planner.cli.explain import explain
from planner.cli.export import export_app
from planner.cli.generate import generate
from planner.cli.plan import plan
from planner.cli.repair import repair
from planner.cli.replan import replan_cmd
from planner.cli.report import report
from planner.cli.sheets import import_cmd, template
from planner.cli.stress import stress
from planner.cli.validate import validate
from planner.cli.whatif import compare, whatif
from planner.cli.window import min_window, sweep
from planner.solve.budget import OUTER_FACTOR, OUTER_SLACK_S, wall_cuts

_CLI_EXCEPTIONS = {"ClickException", "Exit", "Abort"}


class _Guarded(Group):
    """Turns an unexpected exception (a bug) into exit code 5 with the traceback,
    so that scripts never mistake a crash for exit 1, bad input."""

    def invoke(self, ctx: Any) -> Any:
        wall_cuts(reset=True)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # Ctrl-C: the solver was stopped cleanly (planner.solve.cpsat.solve_interruptibly);
            # files already written stay (a benchmark keeps its finished rows).
            typer.echo("interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                # Output piped into 'head' and closed: end quietly with the shell's
                # code for SIGPIPE (files were written; exit 1 would say "bad input").
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(EXIT_BROKEN_PIPE) from None
            # Not a bug: a file that cannot be read or written (permissions, disk full).
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:
            # Usage errors, --help and typer.Exit are the CLI's own (typer
            # vendors click in some versions, so they are known by name).
            if isinstance(exc, typer.Exit | typer.Abort) or any(
                    c.__name__ in _CLI_EXCEPTIONS for c in type(exc).__mro__):
                raise
            traceback.print_exc(file=sys.stderr)
            typer.echo(f"internal error (a bug in the planner, please report it): {type(exc).__name__}: {exc}",
                       err=True)
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            cuts = wall_cuts(reset=True)
            if cuts:
                # --deterministic promises the same answer under any load, up to the safety limit.
                typer.echo(f"warning: {cuts} solver step(s) were stopped by the wall-clock safety limit "
                           f"(--deterministic counts work units; the machine was too busy to do them in "
                           f"{OUTER_FACTOR:g} x their seconds + {OUTER_SLACK_S:g} s): this answer may differ "
                           "from an idle machine's", err=True)


app = typer.Typer(
    cls=_Guarded,
    name="planner",
    help="Crew training-readiness planner: schedule training into a fixed window and say who is ready.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command(cls=Command)(validate)
app.command(cls=Command)(plan)
app.command(cls=Command)(report)
app.command("replan", cls=Command)(replan_cmd)
app.command(cls=Command)(stress)
app.command(cls=Command)(generate)
app.add_typer(export_app, name="export")
app.add_typer(bench_app, name="bench")
app.command(cls=Command)(explain)
app.command("min-window", cls=Command)(min_window)
app.command(cls=Command)(sweep)
app.command(cls=Command)(whatif)
app.command(cls=Command)(compare)
app.command(cls=Command)(repair)
app.command(cls=Command)(template)
app.command("import", cls=Command)(import_cmd)
