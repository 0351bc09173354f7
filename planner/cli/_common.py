"""Shared CLI pieces: exit codes, option types, error and progress printing."""

from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from planner.constants import PLAN_GAP
from planner.exceptions import OptionError, PlannerError, ScenarioError, VerificationError
from planner.plan.pipeline import PlanOutcome, plan
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario, load_scenario
from planner.solve.run import SolveParams

EXIT_READY = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_NOT_READY = 3
EXIT_UNKNOWN = 4
EXIT_INTERNAL = 5
EXIT_WAIVED = 6  # ready only with waivers: every pair READY or WAIVED, at least one WAIVED
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # standard output closed early (| head), as shells report SIGPIPE

VERDICT_EXIT = {Verdict.READY: EXIT_READY, Verdict.NOT_READY: EXIT_NOT_READY, Verdict.UNKNOWN: EXIT_UNKNOWN,
                Verdict.WAIVED: EXIT_WAIVED}

def _flags_as_flags(params: list[Any]) -> list[Any]:
    """Show an on/off option (and --help) without a value placeholder such as ``<bool>``."""
    for p in params:
        if getattr(p, "is_bool_flag", False) and p.metavar is None:
            p.metavar = ""
    return params


class Command(TyperCommand):
    """Every planner command: flags read as flags in --help."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(list(super().get_params(ctx)))


class Group(TyperGroup):
    """Every planner command group (the app, bench, export): flags read as flags in --help."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(list(super().get_params(ctx)))


ScenarioArg = Annotated[
    Path, typer.Argument(help="Scenario YAML file.", exists=True, dir_okay=False, readable=True)
]
TimeLimit = Annotated[float, typer.Option(
    "--time-limit", min=0.1, max=1e6,
    help="Seconds for each plan, all steps included: 'plan' ends within the limit + 10 % + 2 s after "
         "start-up. With --deterministic: solver work units (confirmations may take the limit again).")]
Deterministic = Annotated[
    bool, typer.Option("--deterministic", help="One worker, deterministic limits: byte-identical output.")
]
Seed = Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1, help="Solver random seed.")]
PlanGap = Annotated[float, typer.Option(
    "--plan-gap", min=0.0, max=1.0,
    help="Level plans: stop polishing once the plan is within this share of the weekly peaks' lower bound "
         "above the best bound, and its weeks without training within this share of the weeks counted above "
         "their floor (0: polish until the time limit). Readiness is proven first either way.")]
class PlanShape(str, Enum):
    """The plan's secondary goal once readiness is settled (the scenario's ``objective``)."""

    earliest = "earliest"
    level = "level"
    fresh = "fresh"


Objective = Annotated[PlanShape | None, typer.Option(
    "--objective", help="The plan's shape once readiness is settled, overriding the scenario's 'objective': "
    "earliest (readiness as early as possible, most slack), level (the default: smallest peak weekly hours per "
    "participant, then the fewest weeks without training before the deadlines), "
    "fresh (competency training as late as the deadlines allow). Same as --set objective=NAME.")]


def with_objective(edits: list[str] | None, objective: PlanShape | None) -> list[str] | None:
    """``edits`` with ``--objective`` as one more edit (so the manifest records it)."""
    return edits if objective is None else [*(edits or []), f"objective={objective.value}"]


Variant = Annotated[str | None, typer.Option("--variant", help="Named variant from the scenario's 'variants:'.")]
Edits = Annotated[
    list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE", help="Edit the scenario by YAML path (repeatable): PATH=VALUE replaces, PATH+=VALUE appends to "
                      "the list at PATH (creating it). Examples: 'planner whatif --help'.")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]


def err(text: str) -> None:
    """Print to standard error."""
    typer.echo(text, err=True)


def refuse_folder(option: str, path: Path | None, what: str) -> None:
    """A file option naming a folder is a usage error (exit 2), as a folder option naming a file is."""
    if path is not None and path.is_dir():
        err(f"error: {option} {path} is a folder: give {what}")
        raise typer.Exit(EXIT_USAGE)


def out_folder(path: Path | None) -> Path | None:
    """Callback of an output-folder option: a usage error (exit 2) before any solving when the folder cannot be
    made or written (a file in the way, no permission); the folder is made later, as before."""
    if path is None:
        return None
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{path} exists and is not a folder")
    above = path
    while not above.exists():  # the nearest existing folder above must be a folder we may write in
        above = above.parent
    if not above.is_dir():
        raise typer.BadParameter(f"cannot make the folder {path}: {above} is a file")
    if not os.access(above if above != path else path, os.W_OK):
        raise typer.BadParameter(f"cannot write in {above} (permission denied)")
    return path


def unwritable(option: str, path: Path, exc: OSError) -> NoReturn:
    """A file option's path that cannot be written (no such folder, permissions): a usage error (exit 2)."""
    err(f"error: {option} {path}: cannot write it ({exc.strerror or exc})")
    raise typer.Exit(EXIT_USAGE) from None


def fail(exc: PlannerError) -> NoReturn:
    """Report a planner error and exit with its documented code."""
    if isinstance(exc, ScenarioError):
        for p in exc.problems:
            err(f"error: {p}")
        raise typer.Exit(EXIT_BAD_INPUT)
    if isinstance(exc, VerificationError):
        err(f"internal error: {exc}")
        raise typer.Exit(EXIT_INTERNAL)
    err(f"error: {exc}")
    raise typer.Exit(EXIT_USAGE if isinstance(exc, OptionError) else EXIT_BAD_INPUT)


def load(path: Path, variant: str | None = None, edits: list[str] | None = None) -> LoadedScenario:
    """Load a scenario or exit 1 with one line per problem."""
    try:
        loaded = load_scenario(path, variant, edits or ())
    except PlannerError as exc:
        fail(exc)
    for w in loaded.warnings:
        err(f"warning: {w}")
    return loaded


def params(time_limit: float, deterministic: bool, seed: int, plan_gap: float = PLAN_GAP) -> SolveParams:
    """Solver parameters from the common options."""
    return SolveParams(time_limit=time_limit, deterministic=deterministic, seed=seed, plan_gap=plan_gap)


class ProgressPrinter:
    """Prints solver progress to stderr, at most twice a second per phase."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last: dict[str, float] = {}

    def __call__(self, phase: str, seconds: float, objective: float, bound: float) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if now - self.last.get(phase, -1.0) < 0.5:
            return
        self.last[phase] = now
        if phase == "readiness":
            text = f"competency pairs met: {round(objective)} (at most {round(bound)})"
        elif phase == "start":
            text = f"greedy start meets {round(objective)} of {round(bound)} competency pairs"
        elif phase == "screen":
            text = f"{round(objective)} of {round(bound)} competency pairs cannot be met even alone (proven)"
        elif phase == "plan":  # objective: modules left out; bound: average day the pairs met are ready
            text = f"programme: {_count(objective, 'module')} left out" + (
                f", readiness on average on day {bound:.0f} of the window" if bound >= 0 else "")
        elif phase == "level":  # objective: modules left out; bound: average peak week in full training days
            text = (f"programme: {_count(objective, 'module')} left out, busiest week on average "
                    f"{bound:.1f} full training days per participant")
        elif phase == "replan":  # objective: published sessions moved or dropped; bound: modules left out
            text = (f"{_count(objective, 'published session')} moved or dropped, "
                    f"{_count(bound, 'module')} left out")
        elif phase == "decompose":  # objective: pairs met (-1: no plan); bound: pairs not proven impossible
            text = (f"planned one participant at a time: all {round(bound)} pairs met" if objective >= 0
                    else "planning one participant at a time found no plan")
        elif phase.startswith("repair"):  # objective: the set's cost; bound: pairs short of the target
            text = f"best set {objective:g} points" + (f", {round(bound)} pair(s) short of the target" if bound else "")
        else:
            text = f"objective {objective:g} (bound {bound:g})"
        sys.stderr.write(f"  [{seconds:6.1f}s] {phase}: {text}\n")
        sys.stderr.flush()


def _count(n: float, what: str) -> str:
    return f"{round(n)} {what}{'' if round(n) == 1 else 's'}"


def plan_or_exit(
    scenario: Path,
    variant: str | None,
    edits: list[str] | None,
    time_limit: float,
    deterministic: bool,
    seed: int,
    quiet: bool,
    plan_gap: float = PLAN_GAP,
) -> PlanOutcome:
    """Load and plan a scenario with progress and pre-solve findings on stderr; exit on errors."""
    loaded = load(scenario, variant, edits)
    if not quiet:
        err(f"Planning {loaded.scenario.name} (time limit {time_limit:g} s)")
    try:
        outcome = plan(loaded, params(time_limit, deterministic, seed, plan_gap), ProgressPrinter(quiet))
    except PlannerError as exc:
        fail(exc)
    for finding in outcome.findings:
        err(f"pre-solve: {finding}")
    return outcome
