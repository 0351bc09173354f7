"""Regressions from testing the CLI on scenarios it had never seen (twenty-second session).

Each test names the defect it pins; expected values are derived in the comments.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import scenario, write

runner = CliRunner()


def test_no_pair_to_be_ready_for_plans_ready(tmp_path: Path) -> None:
    """Tests that a scenario with no participant-competency pair plans (it crashed with a ZeroDivisionError in
    the progress line, exit 5): a role requiring nothing, and a role whose only competency is held. Both:
    READY 0/0, exit 0, the module still scheduled (2 h on Mon 4 Mar)."""
    none = scenario(roles=[{"id": "sfp", "requires": []}])
    held = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "holds": ["comp"]}])
    for name, data in (("none.yaml", none), ("held.yaml", held)):
        out = tmp_path / name.removesuffix(".yaml")
        res = runner.invoke(app, ["plan", str(write(tmp_path, data, name)), "--out", str(out), "--time-limit", "5"])
        assert res.exit_code == 0, res.output
        assert "0/0 participant-competency pairs met" in res.output
        assert "m1,1/1,2024-03-04T09:00" in (out / "schedule.csv").read_text()
    assert "No role requires a competency" in runner.invoke(
        app, ["plan", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "o"), "-q"]).output
