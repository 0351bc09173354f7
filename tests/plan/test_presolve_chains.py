"""The pre-solve chain check: a prerequisite chain longer than the days before the deadline (hand-derived)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.plan.pipeline import prepare
from planner.plan.presolve import presolve_checks
from planner.scenario.load import load_scenario
from tests.helpers import write
from tests.plan.test_missions import centre


def _chains(tmp_path: Path, lag: int, exams: str) -> list[str]:
    """b1 (one full day) then b2 (one full day) ``lag`` days after b1's day at the earliest; the window opens
    Mon 3 Mar 2025 and descent is due by the exams on ``exams``."""
    data: dict[str, Any] = {
        "name": "chain",
        "window": {"start": "2025-03-03", "launch": "2025-03-31"},
        "calendar": {"day_hours": 8},
        "gates": [{"id": "exams", "date": exams}],
        "roles": [{"id": "r", "requires": ["descent"]}],
        "participants": [{"id": "ann", "role": "r", "crew": "c"}],
        "modules": [{"id": "b1", "hours": 8, "session_hours": 8},
                    {"id": "b2", "hours": 8, "session_hours": 8,
                     "prerequisites": [{"module": "b1", "min_lag_days": lag}]}],
        "competencies": [{"id": "descent", "requires": ["b1", "b2"], "deadline": "exams"}],
    }
    loaded = load_scenario(write(tmp_path, data))
    grid, pdata = prepare(loaded)
    return [f for f in presolve_checks(loaded.scenario, grid, pdata) if f.startswith("chain:")]


def test_a_chain_that_just_fits_is_not_reported(tmp_path: Path) -> None:
    """Tests the lag's day: b1 on Mon 3 Mar, b2 two days later on Wed 5 Mar, before the exams on Thu 6 Mar:
    it fits (the plan is READY), and the check said "cannot end before 2025-03-06" (each link a day long)."""
    assert _chains(tmp_path, 2, "2025-03-06") == []


def test_a_chain_a_day_too_long_is_reported(tmp_path: Path) -> None:
    """Tests the same chain with the exams on Wed 5 Mar: b2 cannot be on Wed 5 Mar or earlier."""
    (found,) = _chains(tmp_path, 2, "2025-03-05")
    assert found.startswith("chain: ann/b2 cannot end before 2025-03-05") and "b1 -> b2" in found


def _two_missions_season(tmp_path: Path, first: str, last: str) -> str:
    """The season finding of a forest open ``first`` .. ``last`` (MM-DD) for ann (mission a, 4 Mar .. 15 Apr
    2024) and bob (mission b, to 3 Jun)."""
    missions = [{"id": "a", "start": "2024-03-04", "launch": "2024-04-15", "crews": {"prime": ["c1"]}},
                {"id": "b", "start": "2024-03-04", "launch": "2024-06-03", "crews": {"prime": ["c2"]}}]
    data = centre(missions, [{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}],
                  [{"id": "forest", "hours": 4, "session_hours": 4, "resources": ["site"]}],
                  resources=[{"id": "site", "available": [{"from": first, "to": last}]}])
    loaded = load_scenario(write(tmp_path, data))
    grid, pdata = prepare(loaded)
    (found,) = [f for f in presolve_checks(loaded.scenario, grid, pdata) if f.startswith("season:")]
    return found


def test_a_season_warning_quotes_the_mission_s_window(tmp_path: Path) -> None:
    """Tests the season finding of a training centre: the forest is open 10 Jan .. 28 Feb; mission a trains
    4 Mar .. 15 Apr 2024 (its launch), the centre until b's launch on 3 Jun. The finding names a's window,
    where the days are missing, not the centre's."""
    found = _two_missions_season(tmp_path, "01-10", "02-28")
    assert "training window 2024-03-04..2024-04-15" in found


def test_a_season_finding_names_an_attendee_s_absence(tmp_path: Path) -> None:
    """Tests the season finding when the campaign's only day (Thu 20 Mar 2025) falls in a crew member's leave
    (ann, 17..21 Mar): the joint drill has no day, and the finding says an attendee is away on it (it named
    only the campaign)."""
    data: dict[str, Any] = {
        "name": "leave",
        "window": {"start": "2025-03-03", "launch": "2025-04-11"},
        "calendar": {"day_hours": 8},
        "roles": [{"id": "sfp", "requires": ["descent"]}],
        "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2025-03-17", "to": "2025-03-21"}]},
                         {"id": "bob", "role": "sfp", "crew": "c1"}],
        "resources": [{"id": "sim", "capacity": 1, "available_dates": ["2025-03-20"]}],
        "modules": [{"id": "drill", "hours": 6, "session_hours": 6, "joint": "crew", "resources": ["sim"]}],
        "competencies": [{"id": "descent", "requires": ["drill"]}],
    }
    loaded = load_scenario(write(tmp_path, data))
    grid, pdata = prepare(loaded)
    (found,) = [f for f in presolve_checks(loaded.scenario, grid, pdata) if f.startswith("season:")]
    assert found.endswith("(an attendee is away on the days they leave: 2025-03-20)")


def test_days_after_a_mission_s_launch_are_not_an_absence(tmp_path: Path) -> None:
    """Tests the absence note's claim: the site opens 6..10 May 2024, after mission a's launch (15 Apr) but in
    the centre's window (to 3 Jun): ann misses the days because of her mission's dates, not a leave, so the
    finding says nothing of absences (it said "an attendee is away")."""
    found = _two_missions_season(tmp_path, "05-06", "05-10")
    assert "for ann" in found and "away" not in found
