"""``planner repair`` through the CLI: exit codes, files, the saved scenario, usage errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.scenario.load import load_scenario
from tests.analysis.test_repair import WEEK
from tests.helpers import write

runner = CliRunner()
FAST = ["--time-limit", "10", "--deterministic", "--quiet"]


def test_repair_writes_a_verified_scenario_and_exits_0(tmp_path: Path) -> None:
    """Tests that the 40-point repair of WEEK (see tests/analysis/test_repair.py) is printed, saved as a
    scenario with one comment per change that plans READY, and as edit lines; exit 0."""
    src = write(tmp_path, WEEK)
    out = tmp_path / "out"
    res = runner.invoke(app, ["repair", str(src), "--out", str(out), *FAST])
    assert res.exit_code == 0, res.output
    assert "Option 1: 40 points (proven cheapest); verified" in res.output
    saved = (out / "repair-1.yaml").read_text(encoding="utf-8")
    assert saved.count("# repair:") == 2
    assert "max_hours_per_week: 48  # repair: was 40 h, 32 points" in saved
    assert load_scenario(out / "repair-1.yaml").scenario.participants[0].load.max_hours_per_week == 48  # type: ignore[union-attr]
    edits = (out / "repair-1.edits.txt").read_text(encoding="utf-8").splitlines()
    plan = runner.invoke(app, ["whatif", str(src), *[a for e in edits for a in ("--set", e)], *FAST])
    assert plan.exit_code == 0, plan.output
    header = (out / "repair.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "option,option_cost,option_status,verified,lever,change,units,unit,cost,unlocks"
    assert "What it would take" in (out / "repair.html").read_text(encoding="utf-8")


def test_repair_budget_too_small_exits_3(tmp_path: Path) -> None:
    """Tests that --budget 39 below the 40-point cheapest repair is a proven 'no' (exit 3)."""
    res = runner.invoke(app, ["repair", str(write(tmp_path, WEEK)), "--budget", "39", "-o", str(tmp_path / "o"),
                              *FAST])
    assert res.exit_code == 3, res.output
    assert "no set of the allowed levers that costs at most 39 points meets the target (proven)" in res.output


def test_repair_unreachable_target_exits_3(tmp_path: Path) -> None:
    """Tests that a module whose season lies outside the window, with no lever for seasons, exits 3."""
    data = {**WEEK, "modules": [{"id": "m1", "sessions": 1, "session_hours": 8,
                                 "allowed": [{"from": "06-01", "to": "06-30"}]}]}
    res = runner.invoke(app, ["repair", str(write(tmp_path, data)), "-o", str(tmp_path / "o"), *FAST])
    assert res.exit_code == 3, res.output
    assert "No repair: no set of the allowed levers can meet the target" in res.output


def test_repair_report_has_the_section(tmp_path: Path) -> None:
    """Tests that --report writes the report of the scenario as it is with 'What it would take' in it."""
    out = tmp_path / "o"
    res = runner.invoke(app, ["repair", str(write(tmp_path, WEEK)), "-o", str(out), "--report", *FAST])
    assert res.exit_code == 0, res.output
    html = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert "What it would take" in html and "weekly cap ann +8 h" in html


def test_repair_usage_errors(tmp_path: Path) -> None:
    """Tests that an unknown participant and a bad count in --target (0, or more pairs than WEEK's one)
    are usage errors (exit 2)."""
    src = str(write(tmp_path, WEEK))
    res = runner.invoke(app, ["repair", src, "--target", "zed", *FAST])
    assert res.exit_code == 2
    assert "unknown participant(s) zed" in res.output
    res = runner.invoke(app, ["repair", src, "--target", "0", *FAST])
    assert res.exit_code == 2
    res = runner.invoke(app, ["repair", src, "--target", "2", *FAST])
    assert res.exit_code == 2
    assert "--target 2 asks for more pairs than the scenario has (1)" in res.output


def test_explain_points_to_repair_when_no_single_fix_works(tmp_path: Path) -> None:
    """Tests that explain on WEEK (a weekend day AND more weekly hours are both needed, neither alone
    works), its window stretched to the longest allowed (366 days, so no earlier start either), names
    'planner repair' for the combination: its only verified fix is a waiver."""
    src = write(tmp_path, {**WEEK, "window": {"start": "2024-03-04", "launch": "2025-03-05"}})
    res = runner.invoke(app, ["explain", str(src), "-o", str(tmp_path / "e"), *FAST])
    assert res.exit_code == 3, res.output
    assert f"'planner repair {src}' finds the cheapest combination" in res.output


def test_repair_table_wraps_long_cells() -> None:
    """Tests the terminal table: a cell longer than 60 characters goes on over a second line, every word
    kept (it was cut at 60: "weekly cap dudin +20 h, mordovina +20 h, peresild +20 h, shi")."""
    from planner.report.repair import _table

    change = "weekly cap dudin +20 h, mordovina +20 h, peresild +20 h, shipenko +20 h"
    lines = _table(("lever", "change"), [("higher weekly load cap", change)])
    assert lines[2] == "  higher weekly load cap  weekly cap dudin +20 h, mordovina +20 h, peresild +20 h,"
    assert lines[3] == "                          shipenko +20 h"



def test_repair_edit_list_starts_with_the_commands_own_edits(tmp_path: Path) -> None:
    """Tests repair --set: the edit list rebuilds the repaired scenario from the file, so the command's own
    edit (the weekly cap set to 36 h) comes first; WEEK's repair then raises that cap to 48 h."""
    src = write(tmp_path, WEEK)
    out = tmp_path / "out"
    res = runner.invoke(app, ["repair", str(src), "--set", "participants.ann.load.max_hours_per_week=36",
                              "--out", str(out), *FAST])
    assert res.exit_code == 0, res.output
    edits = (out / "repair-1.edits.txt").read_text(encoding="utf-8").splitlines()
    assert edits[0] == "participants.ann.load.max_hours_per_week=36"
    assert "participants.ann.load.max_hours_per_week=48" in edits[1:]
