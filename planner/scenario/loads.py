"""Participants' load caps: hours a day, hours a week, and weeks with caps of their own."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from pydantic import Field, model_validator

from planner.scenario.common import DateRange, StrictModel


class WeekLoad(DateRange):
    """A weekly cap for some weeks: every calendar week (Monday to Sunday) with a day in ``from``..``to``."""

    max_hours_per_week: float = Field(gt=0, le=168)

    def mondays(self) -> tuple[dt.date, dt.date]:
        """The Mondays of the first and the last week the cap applies to."""
        return monday_of(self.start), monday_of(self.end)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s calendar week."""
    return day - dt.timedelta(days=day.weekday())


class Load(StrictModel):
    """Per-participant training load caps (hours).

    ``weeks`` sets the weekly cap of some weeks (e.g. a heavier fortnight before the exams); it
    overrides ``max_hours_per_week`` there, and caps those weeks when there is no weekly cap.
    """

    max_hours_per_day: float | None = Field(None, gt=0, le=24)
    max_hours_per_week: float | None = Field(None, gt=0, le=168)
    weeks: tuple[WeekLoad, ...] = ()

    @model_validator(mode="after")
    def _weeks_apart(self) -> Load:
        # One cap per week: two entries touching the same calendar week would leave it ambiguous.
        spans = sorted((w.mondays(), k) for k, w in enumerate(self.weeks))
        for ((_, last), a), ((first, _), b) in itertools.pairwise(spans):
            if first <= last:
                raise ValueError(f"weeks[{a}] and weeks[{b}] both set the cap of the week of {first}: "
                                 "give each calendar week (Monday to Sunday) at most one weekly cap")
        return self

    def week_cap(self, monday: dt.date) -> float | None:
        """The weekly cap of the week starting on ``monday`` (None: no cap)."""
        for w in self.weeks:
            lo, hi = w.mondays()
            if lo <= monday <= hi:
                return w.max_hours_per_week
        return self.max_hours_per_week


def week_runs(caps: Iterable[tuple[dt.date, float]]) -> list[tuple[dt.date, dt.date, float]]:
    """Weekly caps by Monday, in order, as runs of consecutive weeks with the same cap:
    (first Monday, last Monday, cap)."""
    runs: list[tuple[dt.date, dt.date, float]] = []
    for monday, cap in caps:
        if runs and runs[-1][2] == cap and runs[-1][1] == monday - dt.timedelta(days=7):
            runs[-1] = (runs[-1][0], monday, cap)
        else:
            runs.append((monday, monday, cap))
    return runs
