"""``planner template`` and ``planner import``: scenarios as Excel workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli._common import Quiet, err, fail
from planner.exceptions import PlannerError
from planner.interop.xlsx import dump_yaml, read_workbook, write_workbook
from planner.scenario.load import plain_document, read_document

# The example a template carries: the bundled MS-19 file of a checkout (headers only when it is absent).
EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "challenge-2021.yaml"


def template(
    out: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx).", dir_okay=False)],
    source: Annotated[Path | None, typer.Option(
        "--from", help="Scenario YAML to fill it with (default: the bundled MS-19 file, as an example).",
        exists=True, dir_okay=False)] = None,
    empty: Annotated[bool, typer.Option("--empty", help="Headers only, no example rows.")] = False,
    quiet: Quiet = False,
) -> None:
    """Write a scenario workbook to fill in Excel: one sheet per list (participants, modules, ...).

    A cell holds a value, or YAML flow text for a list or mapping
    ('[fire, depress]', '{from: "06-01", to: "08-31"}'). Convert it back
    with 'planner import'. Exit 1 when the source scenario cannot be read.
    """
    if out.suffix.lower() != ".xlsx":
        err("error: the workbook must be an .xlsx file")
        raise typer.Exit(2)
    plain = None
    src = source or (EXAMPLE if EXAMPLE.exists() and not empty else None)
    if src is not None and not empty:
        try:
            plain = plain_document(read_document(src)[0], str(src))
        except PlannerError as exc:
            fail(exc)
    write_workbook(plain, out)
    if not quiet:
        err(f"Wrote {out}" + (f" (filled from {src})" if plain is not None else " (headers only)"))


def import_cmd(
    book: Annotated[Path, typer.Argument(help="Filled workbook (.xlsx).", exists=True, dir_okay=False, readable=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Scenario YAML to write.", dir_okay=False)],
    quiet: Quiet = False,
) -> None:
    """Convert a filled workbook (see 'planner template') into a scenario YAML file, validated.

    Exit 0 when the scenario is valid and written; 1 with one line per
    problem (sheet, row, column and the key), nothing written.
    """
    try:
        plain, _ = read_workbook(book)
    except PlannerError as exc:
        fail(exc)
    dump_yaml(plain, out, book.name)
    if not quiet:
        err(f"Wrote {out}")
