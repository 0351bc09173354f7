"""``--set PATH+=VALUE`` through the CLI: whatif plans with an appended list item, errors, help."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.scenario.load import load_scenario

ROOT = Path(__file__).parents[2]
DATA = Path(__file__).parents[1] / "data"
runner = CliRunner()


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """A private copy of tiny_capacity.yaml: one simulator, 5 working days for 6 days of drills."""
    path = tmp_path / "tiny_capacity.yaml"
    shutil.copy(DATA / "tiny_capacity.yaml", path)
    return path


def test_whatif_append_working_saturday_gains_the_pair(source: Path, tmp_path: Path) -> None:
    """Tests that a working Saturday appended by --set PATH+=VALUE gives the sixth simulator day (exit 0),
    and that --save writes the new list as one line of an otherwise unchanged file that loads again."""
    target = tmp_path / "edited.yaml"
    result = runner.invoke(app, ["whatif", str(source), "--set", "calendar.extra_workdays+=[2021-03-06]",
                                 "--save", str(target), "--time-limit", "5", "-q"])
    assert result.exit_code == 0, result.output
    assert "gained" in result.output
    old = source.read_text(encoding="utf-8").splitlines()
    new = target.read_text(encoding="utf-8").splitlines()
    assert [line for line in new if line not in old] == ["  extra_workdays: [2021-03-06]"]
    assert len(new) == len(old) + 1
    assert load_scenario(target).scenario.calendar.extra_workdays[0].isoformat() == "2021-03-06"


def test_validate_accepts_append_on_bundled_scenario() -> None:
    """Tests the bundled challenge scenario with a new instructor and an extra Il-76 day (no solve)."""
    result = runner.invoke(app, ["validate", str(ROOT / "scenarios" / "challenge-2021.yaml"),
                                 "--set", "instructors+={id: extra_emergency_1, qualifications: [emergency]}",
                                 "--set", "resources.il76.available_dates+=2021-08-26"])
    assert result.exit_code == 0, result.output


def test_whatif_append_to_a_value_is_exit_1(source: Path) -> None:
    """Tests that appending to a number is a located error (exit 1), before any planning."""
    result = runner.invoke(app, ["whatif", str(source), "--set", "calendar.day_hours+=2"])
    assert result.exit_code == 1
    assert ("calendar.day_hours: cannot append: this holds the value 8, not a list (PATH=VALUE replaces it)"
            in result.output)


def test_set_help_mentions_append() -> None:
    """Tests that the --set help of whatif and plan names the append form."""
    for command in ("whatif", "plan"):
        result = runner.invoke(app, [command, "--help"], terminal_width=400)
        assert result.exit_code == 0
        text = " ".join(result.output.replace("│", " ").split())  # however rich wraps the panel
        assert "PATH+=VALUE appends to the list at PATH" in text
