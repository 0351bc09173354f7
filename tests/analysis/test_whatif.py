"""``planner whatif`` and ``planner compare``: edits, round trip, diffs and error messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.analysis.compare import compare_outcomes
from planner.cli import app
from planner.plan.pipeline import plan
from planner.scenario.edits import save_document
from planner.scenario.load import load_scenario, read_document
from planner.solve.run import SolveParams

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data"
runner = CliRunner()


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """A private copy of tiny_capacity.yaml (comments with [S]/[E] markers, a variant)."""
    path = tmp_path / "tiny_capacity.yaml"
    shutil.copy(DATA / "tiny_capacity.yaml", path)
    return path


@pytest.mark.parametrize("path", [*sorted((ROOT / "scenarios").glob("*.yaml")), DATA / "tiny_capacity.yaml"],
                         ids=lambda p: p.name)
def test_unedited_round_trip_is_byte_identical(path: Path, tmp_path: Path) -> None:
    """Tests that saving a document without edits reproduces the file byte for byte."""
    doc, text = read_document(path)
    save_document(doc, tmp_path / "copy.yaml", path)
    assert (tmp_path / "copy.yaml").read_text(encoding="utf-8") == text


def test_whatif_saves_edit_keeps_comments_and_source(source: Path, tmp_path: Path) -> None:
    """Tests --save: one changed line, every comment kept, and the source untouched (bytes and mtime)."""
    before, mtime = source.read_bytes(), source.stat().st_mtime_ns
    target = tmp_path / "edited.yaml"
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.sim.capacity=2", "--save", str(target),
                                 "--time-limit", "5", "-q"])
    assert result.exit_code == 0, result.output  # READY after the edit
    assert source.read_bytes() == before and source.stat().st_mtime_ns == mtime
    old, new = before.decode().splitlines(), target.read_text(encoding="utf-8").splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("    capacity: 1       # [E] one trainee at a time",
                        "    capacity: 2       # [E] one trainee at a time")]
    assert sum("# [S]" in line for line in new) == sum("# [S]" in line for line in old) > 0
    assert "gained" in result.output


def test_whatif_refuses_to_overwrite_the_input(source: Path) -> None:
    """Tests that --save onto the input file is refused with a clear message."""
    before = source.read_bytes()
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.sim.capacity=2", "--save", str(source)])
    assert result.exit_code == 1
    assert "refusing to overwrite the input scenario" in result.output
    assert source.read_bytes() == before


def test_whatif_save_to_a_folder_or_nowhere_is_a_usage_error(source: Path, tmp_path: Path) -> None:
    """Tests --save naming a folder, or a file under a file, as a usage error (exit 2, like --out naming a
    file) with the option named, not a bare "[Errno 21] Is a directory" and exit 1."""
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.sim.capacity=2", "--save", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--save {tmp_path} is a folder" in result.output
    target = source / "x.yaml"  # under the scenario file: no such folder can be made
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.sim.capacity=2", "--save", str(target)])
    assert result.exit_code == 2
    assert f"--save {target}: cannot write it" in result.output


def test_whatif_bad_path_names_it(source: Path) -> None:
    """Tests that an unknown path is an error naming the path and what exists there."""
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.nosuch.capacity=2"])
    assert result.exit_code == 1
    assert "resources.nosuch.capacity: no 'nosuch' under resources (there: sim)" in result.output


def test_whatif_bad_value_names_path_and_edit(source: Path) -> None:
    """Tests that a wrong value is an error naming the schema path and the edit, not the
    file's line 25 (which still reads 'capacity: 1')."""
    result = runner.invoke(app, ["whatif", str(source), "--set", "resources.sim.capacity=abc"])
    assert result.exit_code == 1
    assert "resources[0].capacity: expected a number, got the text 'abc'" in result.output
    assert "(set by --set resources.sim.capacity=abc)" in result.output
    assert f"{source}:25:" not in result.output


def test_whatif_needs_a_change(source: Path) -> None:
    """Tests that whatif without --set or --variant is a usage error (exit 2)."""
    result = runner.invoke(app, ["whatif", str(source)])
    assert result.exit_code == 2 and "nothing to change" in result.output


def test_compare_scenario_with_variant(source: Path, tmp_path: Path) -> None:
    """Tests compare A --variant: the unmet trainee becomes ready, sessions and hours are listed."""
    result = runner.invoke(app, ["compare", str(source), "--variant", "two_sims", "--out", str(tmp_path),
                                 "--time-limit", "5", "-q"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "compare.csv", keep_default_na=False)
    readiness = frame[frame["kind"] == "readiness"]
    assert sorted(readiness["change"]) == ["gained", "same"]
    hours = frame[frame["kind"] == "resource_hours"].set_index("item")
    assert hours.loc["sim", "before"] == "48" and hours.loc["sim", "after"] == "48"


def test_compare_two_files_matches_sessions(source: Path, tmp_path: Path) -> None:
    """Tests compare_outcomes on two files: sessions matched by participant, module and number."""
    other = tmp_path / "shifted.yaml"
    other.write_text(source.read_text(encoding="utf-8").replace("date: 2021-03-08", "date: 2021-03-15"),
                     encoding="utf-8")
    params = SolveParams(time_limit=5.0, num_workers=2)
    c = compare_outcomes(plan(load_scenario(source), params, confirm=False),
                         plan(load_scenario(other), params, confirm=False))
    changes = sorted(r.change for r in c.readiness)
    # The gate moves a week later: the unmet trainee gains, the other keeps its
    # drill (finishing 3 March: slack +7d) or takes the second slot (+2d).
    assert changes in (["gained", "slack +7d"], ["gained", "slack +2d"])
    for s in c.sessions:
        assert s.change in ("moved", "added", "removed") and 1 <= s.session <= 3
    assert c.unchanged_sessions + sum(s.change != "added" for s in c.sessions) == 6
