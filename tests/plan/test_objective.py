"""The plan's shape after readiness (``objective``): earliest, level, fresh (hand-derived)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.exceptions import ScenarioError
from planner.plan.pipeline import PlanOutcome, plan, schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates, verify_schedule
from tests.helpers import write

# Mon-Fri, full 8-hour days, window Mon 1 Mar .. launch Mon 5 Apr 2021 (5 weeks,
# 25 working days). fire needs theory (5 full days) then drill (2 full days).
SHAPE = {
    "name": "shape",
    "window": {"start": "2021-03-01", "launch": "2021-04-05"},
    "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "day_hours": 8},
    "roles": [{"id": "sfp", "requires": ["fire"]}],
    "participants": [{"id": "p1", "role": "sfp", "crew": "c1"}],
    "modules": [
        {"id": "theory", "hours": 40, "session_hours": 8},
        {"id": "drill", "hours": 16, "session_hours": 8, "prerequisites": ["theory"]},
    ],
    "competencies": [{"id": "fire", "requires": ["theory", "drill"]}],
}
PARAMS = SolveParams(time_limit=10.0, num_workers=1)


def _plan(tmp_path: Path, objective: str) -> PlanOutcome:
    out = plan(load_scenario(write(tmp_path, {**SHAPE, "objective": objective})), PARAMS)
    assert out.result.schedule is not None
    assert verify_schedule(out.data, out.result.schedule, out.result.goals_met) == []
    assert verify_dates(out.scenario, schedule_rows(out.grid, out.data, out.result)) == []
    assert out.overall == Verdict.READY
    return out


def _days(out: PlanOutcome) -> list[dt.date]:
    return sorted(r["start"].date() for r in schedule_rows(out.grid, out.data, out.result))  # type: ignore[attr-defined]


def test_earliest_packs_the_first_seven_working_days(tmp_path: Path) -> None:
    """Tests earliest: 7 sessions on Mon 1 .. Tue 9 Mar, ready 9 Mar, slack 27 days
    (deadline: launch Mon 5 Apr; 9 Mar -> 5 Apr is 27 days)."""
    out = _plan(tmp_path, "earliest")
    assert _days(out)[-1] == dt.date(2021, 3, 9)
    assert out.readiness[0].slack_days == 27


def test_level_is_the_default(tmp_path: Path) -> None:
    """Tests the default objective: a file without ``objective:`` is planned level (the same sessions as
    ``objective: level``, busiest week 2 days), not front-loaded (earliest's first week is 5 days)."""
    default = plan(load_scenario(write(tmp_path, SHAPE, "d.yaml")), PARAMS)
    assert default.scenario.objective == "level"
    assert _days(default) == _days(_plan(tmp_path, "level"))
    assert max(Counter(d.isocalendar()[1] for d in _days(default)).values()) == 2


def test_level_spreads_to_two_days_a_week(tmp_path: Path) -> None:
    """Tests level: 7 sessions over 5 weeks need a busiest week of at least ceil(7/5) = 2 days
    (16 h), and 2 is reachable (2+2+2+1); earliest has a 40-hour week."""
    out = _plan(tmp_path, "level")
    weeks = Counter(d.isocalendar()[1] for d in _days(out))
    assert max(weeks.values()) == 2


def test_fresh_ends_on_the_last_working_day(tmp_path: Path) -> None:
    """Tests fresh: training as late as possible, the last 7 working days before launch:
    Thu 25 Mar .. Fri 2 Apr (theory 25, 26, 29, 30, 31 Mar; drill 1, 2 Apr); slack 3 days."""
    out = _plan(tmp_path, "fresh")
    assert _days(out) == [dt.date(2021, 3, 25), dt.date(2021, 3, 26), dt.date(2021, 3, 29), dt.date(2021, 3, 30),
                          dt.date(2021, 3, 31), dt.date(2021, 4, 1), dt.date(2021, 4, 2)]
    assert out.readiness[0].slack_days == 3


def test_unknown_objective_is_a_located_error(tmp_path: Path) -> None:
    """Tests that a misspelt objective names the key, its line and the allowed values."""
    path = write(tmp_path, {**SHAPE, "objective": "levelled"})
    with pytest.raises(ScenarioError, match=r"objective.*'earliest', 'level' or 'fresh'"):
        load_scenario(path)


def test_cli_objective_overrides_the_scenario(tmp_path: Path) -> None:
    """Tests --objective: recorded as an edit in the manifest, and the plan is the level one."""
    path = write(tmp_path, SHAPE)
    res = CliRunner().invoke(app, ["plan", str(path), "--objective", "level", "--out", str(tmp_path / "o"),
                                   "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    manifest = (tmp_path / "o" / "manifest.json").read_text()
    assert "objective=level" in manifest
    res = CliRunner().invoke(app, ["plan", str(path), "--objective", "steady", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
