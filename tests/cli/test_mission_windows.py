"""``min-window``, ``sweep`` and ``whatif`` on files with missions: --mission/--block and their usage errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app

DATA = Path(__file__).parents[1] / "data"
BLOCKS = str(DATA / "two_blocks.yaml")
MISSIONS = str(DATA / "two_missions_window.yaml")
runner = CliRunner()


def test_min_window_on_a_block_says_what_it_varied(tmp_path: Path) -> None:
    """Tests --block b2 on the one-mission file (no --mission needed): the proven 7 days of
    tests/data/two_blocks.yaml, named on the terminal and in window.csv."""
    result = runner.invoke(app, ["min-window", BLOCKS, "--block", "b2", "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Varied: mission m, block b2 (missions.m.blocks.b2.from")
    assert "shortest 7 days (start 2021-02-22, last day 2021-02-28); 6 days is proven not enough" in result.stdout
    window = pd.read_csv(tmp_path / "window.csv")
    assert set(window["varied"]) == {"mission m, block b2"}
    assert "missions.m.blocks.b2.from=2021-02-22" in (tmp_path / "manifest.json").read_text()


def test_sweep_on_a_block_says_what_it_varied(tmp_path: Path) -> None:
    """Tests sweep --mission m --block b2 --months 1: one planned length, named in the heading and sweep.csv."""
    result = runner.invoke(app, ["sweep", BLOCKS, "--mission", "m", "--block", "b2", "--months", "1",
                                 "--out", str(tmp_path), "--time-limit", "5", "-q"])
    assert result.exit_code == 0, result.output
    assert "varying mission m, block b2" in result.stdout
    assert set(pd.read_csv(tmp_path / "sweep.csv")["varied"]) == {"mission m, block b2"}


@pytest.mark.parametrize(("command", "file", "args", "says"), [
    ("min-window", MISSIONS, [], "2 missions (a, b): name one with --mission ID"),
    ("sweep", MISSIONS, [], "2 missions (a, b): name one with --mission ID"),
    ("min-window", MISSIONS, ["--mission", "b"], "mission b trains in blocks (b1, b2)"),
    ("min-window", MISSIONS, ["--mission", "b", "--block", "b3"], "no block 'b3' (blocks: b1, b2)"),
    ("sweep", MISSIONS, ["--mission", "c"], "no mission 'c' (missions: a, b)"),
    ("min-window", str(DATA / "tiny_window.yaml"), ["--mission", "a"], "apply to a scenario with missions"),
    ("sweep", str(DATA / "tiny_window.yaml"), ["--block", "b1"], "apply to a scenario with missions"),
])
def test_selections_that_do_not_fit_are_usage_errors(command: str, file: str, args: list[str], says: str,
                                                     tmp_path: Path) -> None:
    """Tests exit 2 with a message listing what the file has, before any solving."""
    result = runner.invoke(app, [command, file, *args, "--out", str(tmp_path), "-q"])
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert not any(tmp_path.iterdir())


def test_whatif_edits_a_block_and_refuses_the_top_level_window() -> None:
    """Tests whatif on missions: b2 from Tue 23 Feb leaves 4 working days for 5 sessions (NOT_READY, exit 3);
    a window.* edit is exit 1 pointing to the missions' own starts and blocks."""
    moved = runner.invoke(app, ["whatif", BLOCKS, "--set", "missions.m.blocks.b2.from=2021-02-23",
                                "--time-limit", "5", "-q"])
    assert moved.exit_code == 3, moved.output
    assert moved.stdout.startswith("Readiness: READY (1/1 ready) -> NOT_READY (0/1 ready)")
    start = runner.invoke(app, ["whatif", MISSIONS, "--set", "missions.a.start=2021-02-01", "--time-limit", "5", "-q"])
    assert start.exit_code == 0, start.output
    refused = runner.invoke(app, ["whatif", MISSIONS, "--set", "window.start=2021-01-11", "-q"])
    assert refused.exit_code == 1, refused.output
    assert "has missions (a, b), each with its own window: edit missions.ID.start" in refused.stderr
    assert "missions.ID.blocks.BID.from" in refused.stderr
