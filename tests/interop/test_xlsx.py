"""Scenarios as workbooks (``planner template`` / ``planner import``): round trips that keep the plan,
and problems located by sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app
from planner.exceptions import ScenarioError
from planner.interop.xlsx import read_workbook, write_workbook
from planner.scenario.load import load_scenario, plain_document, read_document
from tests.helpers import ROOT

SMALL = ROOT / "tests" / "data" / "small_report.yaml"
RUN = CliRunner()


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_every_bundled_scenario_round_trips(tmp_path: Path, name: str) -> None:
    """Tests YAML -> xlsx -> scenario: the same validated scenario (hence the same plan), missions,
    variants and individual needs included."""
    path = ROOT / "scenarios" / name
    book = write_workbook(plain_document(read_document(path)[0], str(path)), tmp_path / "s.xlsx")
    _, scenario = read_workbook(book)
    assert scenario == load_scenario(path).scenario


def test_cli_round_trip_gives_the_same_plan(tmp_path: Path) -> None:
    """Tests template --from, import and plan: the imported file plans to the same bytes."""
    book, again = tmp_path / "s.xlsx", tmp_path / "s.yaml"
    assert RUN.invoke(app, ["template", str(book), "--from", str(SMALL), "--quiet"]).exit_code == 0
    res = RUN.invoke(app, ["import", str(book), "--out", str(again), "--quiet"])
    assert res.exit_code == 0, res.output
    outs = []
    for src in (SMALL, again):
        out = tmp_path / src.stem / src.parent.name
        res = RUN.invoke(app, ["plan", str(src), "--out", str(out), "--deterministic", "--quiet"])
        assert res.exit_code == 0, res.output
        outs.append(((out / "schedule.csv").read_bytes(), (out / "readiness.csv").read_bytes()))
    assert outs[0] == outs[1]


def test_template_has_a_sheet_per_list_and_every_key(tmp_path: Path) -> None:
    """Tests the empty template: the scenario sheet and one sheet per list, each with the format's keys."""
    book = tmp_path / "t.xlsx"
    assert RUN.invoke(app, ["template", str(book), "--empty", "--quiet"]).exit_code == 0
    wb = load_workbook(book)
    assert wb.sheetnames == ["scenario", "gates", "roles", "participants", "resources", "sites", "instructors",
                             "modules", "competencies"]
    header = [c.value for c in next(wb["modules"].iter_rows(max_row=1))]
    assert header[:4] == ["id", "name", "hours", "session_hours"] and "staff" in header and "recency_days" in header


def _edit(book: Path, sheet: str, row: int, column: str, value: object) -> None:
    wb = load_workbook(book)
    header = [c.value for c in next(wb[sheet].iter_rows(max_row=1))]
    wb[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    wb.save(book)


def test_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    """Tests located errors: a text in a number column, and an instructor qualification nobody holds, both
    reported in one run with their sheet, row and column."""
    book = write_workbook(plain_document(read_document(SMALL)[0], str(SMALL)), tmp_path / "s.xlsx")
    _edit(book, "modules", 2, "hours", "many")
    _edit(book, "modules", 3, "prerequisites", "[nowhere")
    with pytest.raises(ScenarioError) as caught:
        read_workbook(book)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "sheet modules, row 3, column" in text and "not valid YAML flow text" in text
    book = write_workbook(plain_document(read_document(SMALL)[0], str(SMALL)), tmp_path / "t.xlsx")
    _edit(book, "modules", 2, "hours", "many")
    with pytest.raises(ScenarioError, match=r"sheet modules, row 2, column C \(hours\): modules\[0\]\.hours"):
        read_workbook(book)
    book = write_workbook(plain_document(read_document(SMALL)[0], str(SMALL)), tmp_path / "u.xlsx")
    _edit(book, "modules", 2, "instructor", "astronomy")
    res = RUN.invoke(app, ["import", str(book), "--out", str(tmp_path / "u.yaml")])
    assert res.exit_code == 1 and "sheet modules, row 2, column" in res.output and "'astronomy'" in res.output
    assert not (tmp_path / "u.yaml").exists()


def test_text_that_looks_like_a_list_reads_back_as_text(tmp_path: Path) -> None:
    """Tests names starting with a bracket or a quote: written quoted, read back as the same text."""
    plain = plain_document(read_document(SMALL)[0], str(SMALL))
    plain["modules"][0]["name"] = "[draft] Fire training"
    plain["modules"][1]["name"] = "'Sokol' fit"
    plain["description"] = "{tbd}"
    plain["name"] = "=MS-19 draft"  # a spreadsheet would read it as a formula
    _, scenario = read_workbook(write_workbook(plain, tmp_path / "s.xlsx"))
    assert [scenario.modules[0].name, scenario.modules[1].name, scenario.description, scenario.name] == \
        ["[draft] Fire training", "'Sokol' fit", "{tbd}", "=MS-19 draft"]


def test_an_impossible_date_in_a_cell_is_located(tmp_path: Path) -> None:
    """Tests a blackout from 30 Feb written in a list cell: a located error, exit 1 (a traceback, exit 5)."""
    book = write_workbook(plain_document(read_document(SMALL)[0], str(SMALL)), tmp_path / "s.xlsx")
    _edit(book, "participants", 2, "blackouts", "[{from: 2022-02-30, to: 2022-03-02}]")
    res = RUN.invoke(app, ["import", str(book), "--out", str(tmp_path / "s.yaml")])
    assert res.exit_code == 1, res.output
    assert "sheet participants, row 2, column" in res.output and "day is out of range for month" in res.output


def test_numbers_and_yes_no_typed_as_text_in_cells_are_read(tmp_path: Path) -> None:
    """Tests cells Excel keeps as text (a text-formatted column, a pasted CSV): "8" in the hours column (4-h
    sessions) and "TRUE" in consecutive_days read as 8 and true (the strict YAML format refuses them quoted, and
    the import failed: "expected a number, got the text '8' (write it without quotes)")."""
    book = write_workbook(plain_document(read_document(SMALL)[0], str(SMALL)), tmp_path / "s.xlsx")
    _edit(book, "modules", 2, "hours", "8")
    _edit(book, "modules", 2, "consecutive_days", "TRUE")
    plain, scenario = read_workbook(book)
    assert scenario.modules[0].hours == 8 and scenario.modules[0].consecutive_days is True
    assert plain["modules"][0]["hours"] == 8  # and so written to the YAML file
