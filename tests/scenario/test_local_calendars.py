"""A participant's or a site's own calendar (``calendar: {country, subdivision, holidays}``):
their days off on top of the centre's calendar; hand-checked against the holidays package."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner.exceptions import ScenarioError
from planner.plan.pipeline import schedule_rows
from planner.scenario.load import load_scenario
from planner.verify.checks import verify_dates
from tests.helpers import run, scenario, sessions, write

# Window Mon 18 Mar .. launch Mon 29 Apr 2024, Mon-Fri, no centre holidays. Kazakhstan's
# Nauryz holidays in 2024, by the holidays package: Thu 21, Fri 22, Sat 23 and Mon 25 Mar (observed).
WINDOW = {"start": "2024-03-18", "launch": "2024-04-29"}


def _sc(**parts: Any) -> dict[str, Any]:
    return scenario(window=WINDOW, calendar={"day_hours": 4, "slot_minutes": 60}, **parts)


def test_site_in_another_country_closes_on_its_holidays(tmp_path: Path) -> None:
    """Tests a site calendar: the Baikonur site (country KZ) is closed for Nauryz, so 4 daily
    sessions from Wed 20 Mar (ann away Mon 18 - Tue 19) take Wed 20, Tue 26, Wed 27, Thu 28 Mar
    instead of Wed 20, Thu 21, Fri 22, Mon 25 Mar."""
    ann = [{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2024-03-18", "to": "2024-03-19"}]}]
    mod = [{"id": "m1", "hours": 16, "session_hours": 4, "resources": ["site"]}]
    plain = run(tmp_path, _sc(participants=ann, modules=mod, resources=[{"id": "site"}]))
    assert [s[:10] for s, _ in sessions(plain, "m1")] == ["2024-03-20", "2024-03-21", "2024-03-22", "2024-03-25"]
    kz = run(tmp_path, _sc(participants=ann, modules=mod, resources=[{"id": "site", "calendar": {"country": "KZ"}}]))
    assert [s[:10] for s, _ in sessions(kz, "m1")] == ["2024-03-20", "2024-03-26", "2024-03-27", "2024-03-28"]
    # The same rows checked against the KZ site: the plain plan's Nauryz days are caught.
    rows = schedule_rows(plain.grid, plain.data, plain.result)
    assert sum("resource site unavailable" in p for p in verify_dates(kz.scenario, rows)) == 3


def test_participant_named_holidays(tmp_path: Path) -> None:
    """Tests a participant's own named day off: Mon 18 Mar moves the one session to Tue 19."""
    ann = [{"id": "ann", "role": "sfp", "crew": "c1", "calendar": {"holidays": ["2024-03-18"]}}]
    out = run(tmp_path, _sc(participants=ann))
    assert out.readiness[0].achieved_on == dt.date(2024, 3, 19)


def test_unknown_country_is_located(tmp_path: Path) -> None:
    """Tests the located error of a site calendar in an unknown country."""
    sc = _sc(resources=[{"id": "site", "calendar": {"country": "XX"}}])
    with pytest.raises(ScenarioError, match=r"resources\[0\]\.calendar\.country.*does not know country 'XX'"):
        load_scenario(write(tmp_path, sc))
