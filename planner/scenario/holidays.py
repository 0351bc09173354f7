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
