"""The ``planner`` command line (typer). Only this package imports typer."""

from __future__ import annotations

import typer

from planner.cli.bench import bench_app
from planner.cli.explain import explain
from planner.cli.export import export_app
from planner.cli.generate import generate
from planner.cli.plan import plan
from planner.cli.replan import replan_cmd
from planner.cli.report import report
from planner.cli.stress import stress
from planner.cli.validate import validate
from planner.cli.whatif import compare, whatif
from planner.cli.window import min_window, sweep

app = typer.Typer(
    name="planner",
    help="Crew training-readiness planner: schedule training into a fixed window and say who is ready.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command()(validate)
app.command()(plan)
app.command()(report)
app.command("replan")(replan_cmd)
app.command()(stress)
app.command()(generate)
app.add_typer(export_app, name="export")
app.add_typer(bench_app, name="bench")
app.command()(explain)
app.command("min-window")(min_window)
app.command()(sweep)
app.command()(whatif)
app.command()(compare)
