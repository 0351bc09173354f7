"""The time grid: the one module that knows about dates and clock times.

Training time is the sequence of calendar days from the window start to the
end of regular training, each cut into the same number of working-hour slots
(``slots_per_day``). Slot ``s`` lies on day ``s // slots_per_day``; a session
of ``L`` slots that starts at offset ``o <= slots_per_day - L`` never crosses
a day boundary. Weekends, public holidays and gate days stay in the grid (so
that a day index *is* a calendar-day count and lags in days are linear) but
are marked closed: no session may start on them. Everything below this module
works in integer slots and day indices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from planner.calendar.missions import gate_date, grid_end

__all__ = ["TimeGrid", "build_grid", "gate_date", "in_any", "in_season", "instructor_available", "resource_available"]
from planner.scenario.holidays import locally_closed, official_workdays, public_holidays
from planner.scenario.schema import WEEKDAYS, DateRange, Instructor, Resource, Scenario, SeasonRange


@dataclass(frozen=True)
class TimeGrid:
    """Working days of the training window and the slots in them."""

    window_start: dt.date
    launch: dt.date
    training_end: dt.date
    days: tuple[dt.date, ...]
    open: tuple[bool, ...]
    slots_per_day: int
    slot_minutes: int
    day_start: dt.time
    closed_days: dict[dt.date, str] = field(default_factory=dict)

    @cached_property
    def _day_index(self) -> dict[dt.date, int]:
        return {d: i for i, d in enumerate(self.days)}

    @property
    def num_days(self) -> int:
        """Number of calendar days in the grid (open or closed)."""
        return len(self.days)

    @property
    def horizon(self) -> int:
        """Number of slots in the grid."""
        return self.num_days * self.slots_per_day

    def slot_start(self, slot: int) -> dt.datetime:
        """Local date-time at which ``slot`` begins."""
        day, off = divmod(slot, self.slots_per_day)
        base = dt.datetime.combine(self.days[day], self.day_start)
        return base + dt.timedelta(minutes=off * self.slot_minutes)

    def slot_end(self, end_slot: int) -> dt.datetime:
        """Local date-time at which a session ending at ``end_slot`` (exclusive) ends."""
        return self.slot_start(end_slot - 1) + dt.timedelta(minutes=self.slot_minutes)

    @property
    def num_open_days(self) -> int:
        """Number of working days (days on which training may take place)."""
        return sum(self.open)

    def slot_of(self, when: dt.datetime) -> int | None:
        """Slot that begins at ``when``, or None if ``when`` is not a slot start."""
        day = self.day_of(when.date())
        if day is None:
            return None
        minutes = (when - dt.datetime.combine(when.date(), self.day_start)).total_seconds() / 60
        off, rest = divmod(minutes, self.slot_minutes)
        if rest or not 0 <= off < self.slots_per_day:
            return None
        return day * self.slots_per_day + int(off)

    def day_of(self, date: dt.date) -> int | None:
        """Index of ``date`` in the grid, or None if outside it."""
        return self._day_index.get(date)

    def first_day_on_or_after(self, date: dt.date) -> int:
        """Index of ``date`` clamped to ``[0, num_days]``."""
        return min(max((date - self.window_start).days, 0), self.num_days)

    @property
    def week_shift(self) -> int:
        """Weekday of the first day (0 = Monday): week of day d is (d + shift) // 7."""
        return self.window_start.weekday()

    def week(self, day: int) -> int:
        """Calendar week (Monday-based) of day ``day`` counted from the window start."""
        return (day + self.week_shift) // 7

    def days_where(self, keep: Callable[[dt.date], bool]) -> tuple[bool, ...]:
        """One flag per day of the grid: whether ``keep(date)`` holds."""
        return tuple(keep(d) for d in self.days)

    def hours_to_slots(self, hours: float) -> int:
        """Whole slots in ``hours`` (the schema guarantees divisibility)."""
        return round(hours * 60 / self.slot_minutes)

    def slots_to_hours(self, slots: int) -> float:
        """Hours in ``slots``."""
        return slots * self.slot_minutes / 60


def build_grid(sc: Scenario) -> TimeGrid:
    """The working-day grid of scenario ``sc``.

    Raises ValueError when the holidays package does not know the country.
    """
    cal = sc.calendar
    start, launch = sc.window.start, sc.window.launch
    end = launch
    closed: dict[dt.date, str] = {}
    if sc.by_mission:
        end = grid_end(sc)  # gates close days per mission, to its participants (data.missions)
    for g in () if sc.by_mission else sc.gates:
        first = gate_date(g, launch)
        if g.until_launch:
            end = min(end, first)
        for k in range(g.days):
            closed[first + dt.timedelta(days=k)] = f"gate {g.id}"
    hol: dict[dt.date, str] = {}
    if cal.country:
        hol = public_holidays(cal.country, cal.subdivision, range(start.year, launch.year + 1))
    for d in cal.holidays:
        hol[d] = "holiday"
    workdays = {WEEKDAYS.index(w) for w in cal.workdays}
    extra = set(cal.extra_workdays)
    if cal.official_workdays and cal.country:
        extra |= official_workdays(cal.country, cal.subdivision, range(start.year, launch.year + 1))
    days = []
    is_open = []
    day = start
    while day < end:
        is_work = day.weekday() in workdays or day in extra
        if day in hol and day not in extra:
            closed.setdefault(day, f"holiday: {hol[day]}")
        days.append(day)
        is_open.append(is_work and day not in closed)
        day += dt.timedelta(days=1)
    slots = round(cal.day_hours * 60 / cal.slot_minutes)
    return TimeGrid(
        window_start=start,
        launch=launch,
        training_end=end,
        days=tuple(days),
        open=tuple(is_open),
        slots_per_day=slots,
        slot_minutes=cal.slot_minutes,
        day_start=cal.day_start,
        closed_days=closed,
    )


def in_any(ranges: tuple[DateRange, ...], day: dt.date) -> bool:
    """Whether ``day`` lies in one of ``ranges``."""
    return any(r.contains(day) for r in ranges)


def in_season(seasons: tuple[SeasonRange, ...], day: dt.date) -> bool:
    """Whether ``day`` lies in one of ``seasons`` (no seasons: always)."""
    return not seasons or any(s.contains(day) for s in seasons)


def resource_available(res: Resource, day: dt.date) -> bool:
    """Whether facility ``res`` can be used on ``day`` (outages, seasons, campaign days)."""
    return (
        not in_any(res.blackouts, day)
        and not locally_closed(res.calendar, day)
        and in_season(res.available, day)
        and (not res.available_dates or day in res.available_dates)
    )


def instructor_available(ins: Instructor, day: dt.date) -> bool:
    """Whether instructor ``ins`` works on ``day`` (blackouts, availability windows)."""
    return not in_any(ins.blackouts, day) and in_season(ins.available, day)
