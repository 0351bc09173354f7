"""``planner whatif`` and ``planner compare``: plan two versions of a scenario and diff them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.against import against as replan_against
from planner.analysis.compare import compare_outcomes, format_comparison
from planner.cli._common import (
    EXIT_USAGE,
    VERDICT_EXIT,
    Deterministic,
    Edits,
    ProgressPrinter,
    Quiet,
    ScenarioArg,
    Seed,
    TimeLimit,
    Variant,
    err,
    fail,
    load,
    out_folder,
    params,
    refuse_folder,
    unwritable,
)
from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S
from planner.exceptions import PlannerError
from planner.plan.pipeline import PlanOutcome, plan
from planner.report.compare import write_compare
from planner.report.replan import changes_frame
from planner.scenario.edits import save_document
from planner.scenario.load import LoadedScenario, load_document
from planner.solve.run import SolveParams


def _plan_both(before: LoadedScenario, after: LoadedScenario, p: SolveParams, quiet: bool) -> tuple[
    PlanOutcome, PlanOutcome
]:
    outcomes = []
    for label, loaded in (("before", before), ("after", after)):
        if not quiet:
            err(f"Planning {label}: {loaded.path}" + (f" --variant {loaded.variant}" if loaded.variant else "")
                + "".join(f" --set {e}" for e in loaded.edits))
        try:
            # No per-goal confirmation solves: the diff needs verdicts and
            # slack, not the reasons, and they would double the time.
            outcomes.append(plan(loaded, p, confirm=False))
        except PlannerError as exc:
            fail(exc)
    return outcomes[0], outcomes[1]


SCRATCH = ("Both plans were made from scratch, so sessions may move although nothing forces them: "
           "give --against PLAN_DIR (an earlier 'planner plan --out') to keep a published plan's sessions.")

Against = Annotated[
    Path | None,
    typer.Option("--against", metavar="PLAN_DIR", exists=True, file_okay=False,
                 help="A published plan (the --out folder of an earlier 'planner plan' of SCENARIO): compare "
                      "with it, keeping its sessions where they can stay, each move with its reason."),
]


def _report(before: PlanOutcome, after: PlanOutcome, out: Path | None) -> None:
    comparison = compare_outcomes(before, after)
    typer.echo(format_comparison(comparison, note=SCRATCH))
    if out is not None:
        typer.echo(f"Wrote {write_compare(comparison, out)}")
    raise typer.Exit(VERDICT_EXIT[after.overall])


def _report_against(before: LoadedScenario, after: LoadedScenario, plan_dir: Path, p: SolveParams,
                    out: Path | None, quiet: bool) -> None:
    if not quiet:
        err(f"Re-planning against the published plan in {plan_dir}: {after.path}"
            + (f" --variant {after.variant}" if after.variant else "") + "".join(f" --set {e}" for e in after.edits))
    try:
        res = replan_against(before, after, plan_dir, p, ProgressPrinter(quiet))
    except PlannerError as exc:
        fail(exc)
    comparison = res.comparison()
    why = {(x.owner, x.module, x.session): x.reason for x in res.after.changes}
    others = sum(1 for x in res.after.changes if x.change == "kept" and x.reason)
    note = (f"Against the published plan in {plan_dir}: {res.after.num_changes} of its sessions moved or removed, "
            "the rest kept" + (f" ({others} with another instructor: see changes.csv with --out)." if others else "."))
    typer.echo(format_comparison(comparison, max_sessions=60, why=why, note=note))
    if out is not None:
        path = write_compare(comparison, out)
        changes_frame(res.after).to_csv(out / "changes.csv", index=False, lineterminator="\n")
        typer.echo(f"Wrote {path}, {out / 'changes.csv'}")
    raise typer.Exit(VERDICT_EXIT[res.after.plan.overall])


def whatif(
    scenario: ScenarioArg,
    edits: Edits = None,
    variant: Variant = None,
    save: Annotated[
        Path | None, typer.Option("--save", help="Write the edited scenario here (comments and layout kept).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write compare.csv to this folder.", file_okay=False, callback=out_folder)] = None,
    against: Against = None,
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    quiet: Quiet = False,
) -> None:
    """Apply --set PATH=VALUE / PATH+=VALUE edits (and/or a --variant), plan before and after, show what changes.

    Without --against both are planned from scratch; with --against PLAN_DIR
    the published plan is "before" and the edited scenario is re-planned
    keeping its sessions where they can stay (changes.csv: each move with its
    reason). The scenario file is never modified; --save writes the edited
    copy to another file. Exit code is the verdict after the edits (0 ready,
    3 not ready, 4 unknown), 1 on a bad path or value, 2 without any change.

    Examples of --set (list items with an id are addressed by it):
    resources.centrifuge.capacity=2,
    calendar.extra_workdays+=[2021-06-19, 2021-06-26],
    modules.soyuz_systems.hours=40.
    With missions, each has its own window (window.* is refused):
    missions.ms20.start=2021-03-01,
    missions.ms20.blocks.block2.from=2021-05-10.
    """
    if not edits and variant is None:
        err("error: nothing to change: give --set PATH=VALUE or PATH+=VALUE (repeatable) and/or --variant NAME")
        raise typer.Exit(EXIT_USAGE)
    refuse_folder("--save", save, "the file to write the edited scenario to")
    before = load(scenario)
    try:
        doc, after = load_document(scenario, variant, edits or [])
        if save is not None:
            try:
                save_document(doc, save, scenario)
            except OSError as exc:  # only the save: an unreadable scenario is the guard's (exit 1)
                unwritable("--save", save, exc)
    except PlannerError as exc:
        fail(exc)
    for w in after.warnings:  # the edited scenario's own (an appended crew nobody is in): as plan would print them
        if w not in before.warnings:
            err(f"warning: {w}")
    if save is not None and not quiet:
        err(f"Saved the edited scenario to {save}")
    if against is not None:
        _report_against(before, after, against, params(time_limit, deterministic, seed), out, quiet)
    b, a = _plan_both(before, after, params(time_limit, deterministic, seed), quiet)
    _report(b, a, out)


def compare(
    scenario: ScenarioArg,
    other: Annotated[
        Path | None, typer.Argument(help="Second scenario; omit to compare SCENARIO with its --variant/--set.",
                                    exists=True, dir_okay=False, readable=True)
    ] = None,
    variant: Variant = None,
    edits: Edits = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for compare.csv.", file_okay=False, callback=out_folder)] = Path("out"),
    against: Against = None,
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT_S,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    quiet: Quiet = False,
) -> None:
    """Plan two scenarios (A and B, or A and A with --variant/--set) and compare them.

    Per participant and competency: verdict and slack before and after;
    sessions moved, added and removed; resource hours. Writes compare.csv.
    With --against PLAN_DIR (a published plan of A), B is re-planned keeping
    its sessions where they can stay (changes.csv gives each move's reason).
    Exit code is B's verdict (0 ready, 3 not ready, 4 unknown), 1 on bad input, 2 without a second scenario or edit.
    """
    if other is None and variant is None and not edits:
        err("error: give a second scenario, or --variant NAME / --set PATH=VALUE to compare with")
        raise typer.Exit(EXIT_USAGE)
    before = load(scenario)
    after = load(other if other is not None else scenario, variant, edits)
    if against is not None:
        _report_against(before, after, against, params(time_limit, deterministic, seed), out, quiet)
    b, a = _plan_both(before, after, params(time_limit, deterministic, seed), quiet)
    _report(b, a, out)
