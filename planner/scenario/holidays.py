"""Public-holiday tables of the scenario's ``calendar.country`` (the holidays package)."""

from __future__ import annotations

import datetime as dt

import holidays as holidays_lib


def public_holidays(country: str, subdivision: str | None, years: range) -> dict[dt.date, str]:
    """Public holidays of ``country`` in ``years`` from the holidays package."""
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise ValueError(f"the holidays package does not know country {country!r}") from None
    return {day: str(name) for day, name in sorted(table.items())}


def official_workdays(country: str, subdivision: str | None, years: range) -> set[dt.date]:
    """Weekend days ``country`` officially works in ``years`` (e.g. Russia's Saturday 20 Feb 2021,
    whose day off moved to Monday 22 Feb), as the holidays package lists them; none when it has no list."""
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise ValueError(f"the holidays package does not know country {country!r}") from None
    return set(getattr(table, "weekend_workdays", ()) or ())
