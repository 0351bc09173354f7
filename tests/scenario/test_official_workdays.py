"""Official working weekend days from the holidays package (``calendar.official_workdays``), hand-checked.

In Russia, 2021, Saturday 20 February was worked and its day off moved to Monday 22 February; with
Tuesday 23 February (Defender of the Fatherland Day) the holidays package closes 22 and 23 Feb.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner.exceptions import ScenarioError
from planner.plan.pipeline import schedule_rows
from planner.scenario.checks import scenario_warnings
from planner.scenario.load import load_scenario
from planner.verify.checks import verify_dates
from tests.helpers import run, scenario, write


def _sc(official: bool) -> dict[str, Any]:
    # Window Mon 15 Feb .. launch Mon 29 Mar 2021; ann away Mon 15 .. Fri 19 Feb; one 4-hour session.
    return scenario(
        window={"start": "2021-02-15", "launch": "2021-03-29"},
        calendar={"day_hours": 4, "slot_minutes": 60, "country": "RU", "official_workdays": official},
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2021-02-15", "to": "2021-02-19"}]}],
        modules=[{"id": "m1", "hours": 4, "session_hours": 4}],
    )


def test_official_saturday_is_worked(tmp_path: Path) -> None:
    """Tests the grid: with official_workdays the session is on Sat 20 Feb; without, Sat 20 is a
    weekend and Mon 22 / Tue 23 are days off, so the first day is Wed 24 Feb."""
    assert run(tmp_path, _sc(True)).readiness[0].achieved_on == dt.date(2021, 2, 20)
    assert run(tmp_path, _sc(False)).readiness[0].achieved_on == dt.date(2021, 2, 24)


def test_verify_dates_knows_the_official_saturday(tmp_path: Path) -> None:
    """Tests the independent check: the Sat 20 Feb session passes with the option and is flagged
    as not a workday when the same rows are checked against the calendar without it."""
    out = run(tmp_path, _sc(True))
    rows = schedule_rows(out.grid, out.data, out.result)
    assert verify_dates(out.scenario, rows) == []
    without = load_scenario(write(tmp_path, _sc(False), "off.yaml")).scenario
    assert any("not a workday" in p for p in verify_dates(without, rows))


def test_validate_points_to_the_option(tmp_path: Path) -> None:
    """Tests the warning: a RU calendar without the option is told which Saturday it loses."""
    sc = load_scenario(write(tmp_path, _sc(False))).scenario
    assert any(loc == ("calendar", "country") and "officially works 2021-02-20" in msg
               for loc, msg in scenario_warnings(sc))
    sc_on = load_scenario(write(tmp_path, _sc(True), "on.yaml")).scenario
    assert not any(loc == ("calendar", "country") for loc, _ in scenario_warnings(sc_on))


def test_official_workdays_needs_a_country(tmp_path: Path) -> None:
    """Tests the located error: the option without calendar.country."""
    sc = _sc(True)
    del sc["calendar"]["country"]
    with pytest.raises(ScenarioError, match=r"calendar.*official_workdays needs a country"):
        load_scenario(write(tmp_path, sc))
