"""Public-holiday tables of the scenario's ``calendar.country`` (the holidays package)."""

from __future__ import annotations

import datetime as dt
import functools

import holidays as holidays_lib

from planner.scenario.schema import LocalCalendar


def public_holidays(country: str, subdivision: str | None, years: range) -> dict[dt.date, str]:
    """Public holidays of ``country`` in ``years`` from the holidays package."""
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise ValueError(f"the holidays package does not know country {country!r}") from None
    return {day: str(name) for day, name in sorted(table.items())}


@functools.lru_cache(maxsize=256)
def _local_days(country: str | None, subdivision: str | None, year: int) -> frozenset[dt.date]:
    if country is None:
        return frozenset()
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=[year])
    except NotImplementedError:
        return frozenset()  # reported by the scenario checks
    return frozenset(table)


def locally_closed(cal: LocalCalendar | None, day: dt.date) -> bool:
    """Whether ``day`` is a day off in a participant's or site's own calendar (``calendar:``)."""
    if cal is None:
        return False
    return day in cal.holidays or day in _local_days(cal.country, cal.subdivision, day.year)


def official_workdays(country: str, subdivision: str | None, years: range) -> set[dt.date]:
    """Weekend days ``country`` officially works in ``years`` (e.g. Russia's Saturday 20 Feb 2021,
    whose day off moved to Monday 22 Feb), as the holidays package lists them; none when it has no list."""
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise ValueError(f"the holidays package does not know country {country!r}") from None
    return set(getattr(table, "weekend_workdays", ()) or ())
