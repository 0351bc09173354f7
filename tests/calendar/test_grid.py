"""The time grid: open and closed days, the end of training, slots and dates, weeks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from planner.calendar.grid import TimeGrid, build_grid
from planner.scenario.load import load_scenario
from tests.helpers import BASE, scenario, write


def _grid(tmp_path: Path, **sections: Any) -> TimeGrid:
    """The grid of BASE with ``sections`` replaced (validated like a real file)."""
    return build_grid(load_scenario(write(tmp_path, scenario(**sections))).scenario)


def _calendar(**keys: Any) -> dict[str, Any]:
    return {**BASE["calendar"], **keys}


def test_weekends_are_in_the_grid_but_closed(tmp_path: Path) -> None:
    """Tests that the grid holds every calendar day up to launch and opens only Monday to Friday."""
    grid = _grid(tmp_path)
    # Mon 4 Mar .. Sun 14 Apr 2024: 28 days of March + 14 of April = 42 days, 6 full weeks.
    assert grid.num_days == 42
    assert grid.days[0] == dt.date(2024, 3, 4) and grid.days[-1] == dt.date(2024, 4, 14)
    assert grid.training_end == grid.launch == dt.date(2024, 4, 15)
    assert grid.num_open_days == 30  # 6 weeks x 5 working days
    assert grid.open[:7] == (True, True, True, True, True, False, False)  # Mon..Fri open, Sat and Sun closed
    assert grid.closed_days == {}  # a weekend is closed by the workdays, with no named reason
    # 4 h a day in 60-minute slots: 4 slots a day, 42 x 4 = 168 slots.
    assert grid.slots_per_day == 4 and grid.horizon == 168


def test_custom_workdays(tmp_path: Path) -> None:
    """Tests that a Monday-to-Saturday calendar opens Saturdays too."""
    grid = _grid(tmp_path, calendar=_calendar(workdays=["mon", "tue", "wed", "thu", "fri", "sat"]))
    assert grid.num_open_days == 36  # 6 weeks x 6 days
    assert grid.open[5] and not grid.open[6]  # Sat 9 Mar open, Sun 10 Mar closed


def test_explicit_holidays_and_extra_workdays(tmp_path: Path) -> None:
    """Tests that a listed holiday closes its day with a reason and an extra workday opens a Saturday."""
    grid = _grid(tmp_path, calendar=_calendar(holidays=["2024-03-08", "2024-03-16"], extra_workdays=["2024-03-16"]))
    fri_8, sat_16 = 4, 12  # day indices from Mon 4 Mar
    assert not grid.open[fri_8]
    assert grid.closed_days[dt.date(2024, 3, 8)] == "holiday: holiday"
    # 16 Mar is both a holiday and an extra workday: the extra workday wins.
    assert grid.open[sat_16] and dt.date(2024, 3, 16) not in grid.closed_days
    assert grid.num_open_days == 30 - 1 + 1


def test_country_holidays(tmp_path: Path) -> None:
    """Tests that a country's public holidays close their days, named after the holiday."""
    grid = _grid(tmp_path, calendar=_calendar(country="RU"))
    # Russia: International Women's Day, Friday 8 Mar 2024, is the only public holiday in the window.
    assert grid.closed_days == {dt.date(2024, 3, 8): "holiday: International Women's Day"}
    assert not grid.open[4] and grid.num_open_days == 29


def test_gate_days_are_closed(tmp_path: Path) -> None:
    """Tests that a gate closes each of its days, by date or counted back from launch."""
    gates = [
        {"id": "exams", "date": "2024-03-20", "days": 2},  # Wed 20 and Thu 21 Mar: days 16 and 17
        {"id": "medical", "before_launch_days": 7},  # L-7 = Mon 8 Apr: day 35
    ]
    grid = _grid(tmp_path, gates=gates)
    assert [grid.open[d] for d in (15, 16, 17, 18)] == [True, False, False, True]
    assert grid.closed_days[dt.date(2024, 3, 21)] == "gate exams"
    assert grid.closed_days[dt.date(2024, 4, 8)] == "gate medical" and not grid.open[35]
    assert grid.training_end == dt.date(2024, 4, 15)  # neither gate ends training
    assert grid.num_open_days == 30 - 3


def test_until_launch_gate_ends_training(tmp_path: Path) -> None:
    """Tests that an until_launch gate cuts the grid at its first day."""
    grid = _grid(tmp_path, gates=[{"id": "baikonur", "before_launch_days": 14, "until_launch": True}])
    # L-14 = Mon 1 Apr 2024: the grid is 4 Mar .. 31 Mar, 28 days, 4 full weeks.
    assert grid.training_end == dt.date(2024, 4, 1)
    assert grid.num_days == 28 and grid.days[-1] == dt.date(2024, 3, 31)
    assert grid.num_open_days == 20
    assert grid.day_of(dt.date(2024, 4, 1)) is None


def test_slot_datetime_round_trip(tmp_path: Path) -> None:
    """Tests that slot_start, slot_end and slot_of agree, and that non-slot times map to None."""
    grid = _grid(tmp_path)
    # Slot 5 = day 1 (Tue 5 Mar), offset 1: 09:00 + 60 min.
    assert grid.slot_start(5) == dt.datetime(2024, 3, 5, 10, 0)
    assert grid.slot_end(6) == dt.datetime(2024, 3, 5, 11, 0)  # a session in [5, 6) ends at 11:00
    assert grid.slot_end(4) == dt.datetime(2024, 3, 4, 13, 0)  # the last slot of day 0 ends at 13:00, not next day
    assert all(grid.slot_of(grid.slot_start(s)) == s for s in range(grid.horizon))
    assert grid.slot_of(dt.datetime(2024, 3, 5, 10, 30)) is None  # mid-slot
    assert grid.slot_of(dt.datetime(2024, 3, 5, 13, 0)) is None  # after the working hours
    assert grid.slot_of(dt.datetime(2024, 3, 5, 8, 0)) is None  # before them
    assert grid.slot_of(dt.datetime(2024, 4, 15, 9, 0)) is None  # launch day: outside the grid


def test_half_hour_slots(tmp_path: Path) -> None:
    """Tests slot arithmetic with 30-minute slots and a 08:30 day start."""
    grid = _grid(tmp_path, calendar=_calendar(day_hours=3, slot_minutes=30, day_start="08:30"))
    assert grid.slots_per_day == 6  # 3 h / 30 min
    assert grid.slot_start(6 * 2 + 3) == dt.datetime(2024, 3, 6, 10, 0)  # day 2, 08:30 + 3 x 30 min
    assert grid.hours_to_slots(1.5) == 3 and grid.slots_to_hours(3) == 1.5


def test_week_numbers_from_a_midweek_start(tmp_path: Path) -> None:
    """Tests that weeks are Monday-based when the window starts on a Wednesday."""
    grid = _grid(tmp_path, window={"start": "2024-03-06", "launch": "2024-04-15"})
    assert grid.week_shift == 2  # Wednesday
    # Day 0 is Wed 6 Mar, day 4 Sun 10 Mar (week 0), day 5 Mon 11 Mar (week 1): (5 + 2) // 7 = 1.
    assert [grid.week(d) for d in (0, 4, 5, 11, 12)] == [0, 0, 1, 1, 2]


def test_first_day_on_or_after_clamps(tmp_path: Path) -> None:
    """Tests that dates before and after the grid clamp to its ends."""
    grid = _grid(tmp_path)
    assert grid.first_day_on_or_after(dt.date(2024, 1, 1)) == 0
    assert grid.first_day_on_or_after(dt.date(2024, 3, 11)) == 7
    assert grid.first_day_on_or_after(dt.date(2024, 5, 1)) == 42  # num_days: past the last day
