"""Public-holiday tables of the scenario's ``calendar.country`` (the holidays package)."""

from __future__ import annotations

import datetime as dt
import functools

import holidays as holidays_lib

from planner.scenario.schema import LocalCalendar


def _table(country: str, subdivision: str | None, years: range) -> holidays_lib.HolidayBase:
    """The holidays package's table of ``country`` for ``years``; ValueError for an unknown country."""
    try:
        return holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise ValueError(f"the holidays package does not know country {country!r}") from None


def public_holidays(country: str, subdivision: str | None, years: range) -> dict[dt.date, str]:
    """Public holidays of ``country`` in ``years`` from the holidays package."""
    return {day: str(name) for day, name in sorted(_table(country, subdivision, years).items())}


@functools.lru_cache(maxsize=256)
def _local_days(country: str | None, subdivision: str | None, year: int) -> frozenset[dt.date]:
    if country is None:
        return frozenset()
    try:
        return frozenset(_table(country, subdivision, range(year, year + 1)))
    except ValueError:
        return frozenset()  # reported by the scenario checks


def locally_closed(cal: LocalCalendar | None, day: dt.date) -> bool:
    """Whether ``day`` is a day off in a participant's or site's own calendar (``calendar:``)."""
    if cal is None:
        return False
    return day in cal.holidays or day in _local_days(cal.country, cal.subdivision, day.year)


def official_workdays(country: str, subdivision: str | None, years: range) -> set[dt.date]:
    """Weekend days ``country`` officially works in ``years`` (e.g. Russia's Saturday 20 Feb 2021,
    whose day off moved to Monday 22 Feb), as the holidays package lists them; none when it has no list."""
    return set(getattr(_table(country, subdivision, years), "weekend_workdays", ()) or ())
