"""--deterministic answers are load-independent up to the wall-clock safety limit; a search that
limit stops is said so (terminal, status line, manifest), never passed off as the idle answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import write

# One participant, 20 Mon-Fri 8-h days (160 h) and exactly 160 h of training in 3-, 5-, 2- and 6-h
# sessions, theory before systems: a 5-h systems session fills a day only with a 3-h theory session,
# which must all come before systems, so every systems day but one wastes 3 h and the plan cannot
# exist, yet the hours fit. CP-SAT takes far longer than a few milliseconds to decide it.
TIGHT = {
    "name": "zero spare hours",
    "window": {"start": "2021-03-01", "launch": "2021-03-29"},
    "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "day_hours": 8, "slot_minutes": 60},
    "roles": [{"id": "sfp", "requires": ["ready"]}],
    "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 40}}],
    "modules": [
        {"id": "theory", "hours": 30, "session_hours": 3},
        {"id": "systems", "hours": 40, "session_hours": 5, "prerequisites": ["theory"]},
        {"id": "medical", "hours": 20, "session_hours": 2},
        {"id": "sim", "hours": 42, "session_hours": 6},
        {"id": "drill", "hours": 28, "session_hours": 2},
    ],
    "competencies": [{"id": "ready", "requires": ["theory", "systems", "medical", "sim", "drill"]}],
}


def test_a_search_cut_by_the_wall_clock_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the report of a cut: with the safety limit shrunk to 0.2 s of wall time (instead of
    30 x the work units + 30 s), the deterministic plan is stopped by the clock before its 5 work
    units are used. The command warns on stderr, the status line and the manifest name the phase."""
    monkeypatch.setattr("planner.solve.params.OUTER_FACTOR", 0.0)
    monkeypatch.setattr("planner.solve.params.OUTER_SLACK_S", 0.2)
    monkeypatch.setattr("planner.solve.cpsat.OUTER_FACTOR", 0.0)
    path = write(tmp_path, TIGHT)
    res = CliRunner().invoke(app, ["plan", str(path), "--deterministic", "--time-limit", "5", "--out", str(tmp_path / "o")])
    assert res.exit_code == 4, res.output  # UNKNOWN: neither a plan nor a proof
    assert "stopped by the wall-clock safety limit" in res.output
    assert "readiness and plan stopped by the wall-clock safety limit (may depend on machine load)" in res.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert "readiness" in manifest["solver"]["cut_by_wall_clock"]


def test_an_uncut_run_says_nothing(tmp_path: Path) -> None:
    """Tests the normal case: a deterministic plan that ends within its work units has no warning
    and no ``cut_by_wall_clock`` key (manifests of normal runs are unchanged)."""
    path = write(tmp_path, {**TIGHT, "modules": TIGHT["modules"][:1],  # type: ignore[index]
                            "competencies": [{"id": "ready", "requires": ["theory"]}]})
    res = CliRunner().invoke(app, ["plan", str(path), "--deterministic", "--time-limit", "5", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert "wall-clock" not in res.output
    assert "cut_by_wall_clock" not in (tmp_path / "o" / "manifest.json").read_text()
