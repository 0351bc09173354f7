"""The day-by-day timetable's times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.report.build import gates_table
from planner.report.days import _until
from tests.helpers import run, scenario


def test_a_session_ending_at_midnight_ends_at_24_00() -> None:
    """Tests the end of a session of a day that ends at midnight: 16:00-24:00, not 16:00-00:00; an end on
    its own day is its clock time."""
    day = dt.datetime(2025, 3, 3, 16)
    assert _until(day, dt.datetime(2025, 3, 4, 0, 0)) == "24:00"
    assert _until(day, dt.datetime(2025, 3, 3, 20, 30)) == "20:30"


def test_the_gates_table_lists_what_is_due_at_the_end_of_training_and_at_launch(tmp_path: Path) -> None:
    """Tests the report's gates: fire is due at the exams (its deadline); water has none, so it is due at the
    end of regular training, the pre-launch gate; fit is given by a launch-site module, due at launch."""
    data = scenario(
        gates=[{"id": "exams", "date": "2024-04-01"},
               {"id": "prelaunch", "before_launch_days": 7, "until_launch": True}],
        roles=[{"id": "sfp", "requires": ["fire", "water", "fit"]}],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2}, {"id": "m2", "hours": 2, "session_hours": 2},
                 {"id": "m3", "hours": 2, "session_hours": 2, "after_gate": "prelaunch"}],
        competencies=[{"id": "fire", "requires": ["m1"], "deadline": "exams"}, {"id": "water", "requires": ["m2"]},
                      {"id": "fit", "requires": ["m3"]}],
    )
    table = gates_table(run(tmp_path, data))
    due = {str(row[0]): row[4] for row in table.rows}
    assert due == {"exams": "fire", "prelaunch": "water", "launch": "fit"}
