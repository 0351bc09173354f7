"""``planner repair``: what would it take? The cheapest verified set of changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.analysis.repair import CheckedRepair, Target, find_repairs, repaired_scenario
from planner.cli._common import (
    EXIT_NOT_READY,
    EXIT_READY,
    EXIT_UNKNOWN,
    EXIT_USAGE,
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
)
from planner.constants import DEFAULT_SEED
from planner.exceptions import PlannerError
from planner.plan.pipeline import prepare
from planner.report.repair import repair_section, repair_text, write_repair
from planner.scenario.edits import save_document

REPAIR_EXIT = {"repaired": EXIT_READY, "nothing needed": EXIT_READY, "impossible": EXIT_NOT_READY,
                "budget too small": EXIT_NOT_READY, "unknown": EXIT_UNKNOWN}


def _target(text: str) -> Target:
    text = text.strip()
    if text == "all":
        return Target()
    if text.isdigit():
        if int(text) < 1:
            err("error: --target N needs N >= 1")
            raise typer.Exit(EXIT_USAGE)
        return Target(count=int(text))
    people = tuple(p.strip() for p in text.split(",") if p.strip())
    if not people:
        err("error: --target takes 'all', a number of pairs, or participant ids separated by commas")
        raise typer.Exit(EXIT_USAGE)
    return Target(participants=people)


def repair(
    scenario: ScenarioArg,
    target: Annotated[str, typer.Option(
        "--target", help="'all' pairs, a number N (at least N pairs), or participant ids (a,b).")] = "all",
    budget: Annotated[float | None, typer.Option(
        "--budget", min=0, max=1e9, help="Most points a repair may cost (proven too small: exit 3).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=20, help="How many repair sets, cheapest first.")] = 1,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for repair.csv, repair.md/.html, repair-K.yaml and repair-K.edits.txt.",
        file_okay=False, callback=out_folder)] = Path("out"),
    time_limit: TimeLimit = 60.0,
    verify_limit: Annotated[float | None, typer.Option(
        "--verify-limit", min=0.1, max=1e6,
        help="Seconds for the re-plan that verifies each set (default: the time limit).")] = None,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write the report of the scenario as it is, with a 'What it would take' section.")]
    = False,
    deterministic: Deterministic = False,
    seed: Seed = DEFAULT_SEED,
    variant: Variant = None,
    edits: Edits = None,
    quiet: Quiet = False,
) -> None:
    """The cheapest set of changes (levers of the scenario's 'repairs:' section) that meets the target.

    Levers are decisions inside the readiness model; each set printed has
    been verified by a whole re-plan of the edited scenario, and is saved as
    a scenario (repair-K.yaml, one comment per change) and as what-if edits
    (repair-K.edits.txt). Exit 0 a verified repair (or none needed), 3 no
    lever set can meet the target or --budget is too small (proven), 4 unknown
    (time limit, or no set passed its re-plan), 1 bad input.
    """
    wanted = _target(target)
    loaded = load(scenario, variant, edits)
    known = {p.id for p in loaded.scenario.participants}
    unknown = [p for p in wanted.participants if p not in known]
    if unknown:
        err(f"error: --target names unknown participant(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        raise typer.Exit(EXIT_USAGE)
    if wanted.count is not None and wanted.count > (pairs := len(prepare(loaded)[1].goals)):
        err(f"error: --target {wanted.count} asks for more pairs than the scenario has ({pairs})")
        raise typer.Exit(EXIT_USAGE)
    if not quiet:
        err(f"Finding what it would take for {loaded.scenario.name} ({wanted.label}; "
            f"time limit {time_limit:g} s, each re-plan {verify_limit or time_limit:g} s)")
    try:
        answer = find_repairs(loaded, params(time_limit, deterministic, seed), wanted, top=top, max_cost=budget,
                              verify_limit=verify_limit, say=None if quiet else err,
                              progress=ProgressPrinter(quiet))
    except PlannerError as exc:
        fail(exc)
    typer.echo(repair_text(answer))
    def save(checked: CheckedRepair, path: Path) -> None:
        save_document(repaired_scenario(loaded, checked.changes)[0], path, scenario)

    written = write_repair(answer, out, save)
    if report and answer.base is not None:
        from planner.report.build import write_report  # matplotlib: only when asked

        written += write_report(answer.base, out / "report", command="repair", extra=[repair_section(answer)])
    typer.echo(f"Wrote {len(written)} files to {out}" + (f": open {out / 'repair.html'}" if written else ""))
    raise typer.Exit(REPAIR_EXIT[answer.verdict])
