"""The day-by-day timetable's times."""

from __future__ import annotations

import datetime as dt

from planner.report.days import _until


def test_a_session_ending_at_midnight_ends_at_24_00() -> None:
    """Tests the end of a session of a day that ends at midnight: 16:00-24:00, not 16:00-00:00; an end on
    its own day is its clock time."""
    day = dt.datetime(2025, 3, 3, 16)
    assert _until(day, dt.datetime(2025, 3, 4, 0, 0)) == "24:00"
    assert _until(day, dt.datetime(2025, 3, 3, 20, 30)) == "20:30"
