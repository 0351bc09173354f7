"""The pre-solve chain check: a prerequisite chain longer than the days before the deadline (hand-derived)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.plan.pipeline import prepare
from planner.plan.presolve import presolve_checks
from planner.scenario.load import load_scenario
from tests.helpers import write


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
