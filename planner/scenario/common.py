"""Pieces of the scenario schema shared by its sections: ids, strict models, date ranges, gates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ID = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
Id = Annotated[str, Field(pattern=_ID, max_length=64)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 366  # the longest window: no lag, gap or offset in days can usefully exceed it


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


class DateRange(StrictModel):
    """An inclusive range of calendar dates, e.g. an outage or a leave."""

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    reason: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the range (both ends included)."""
        return self.start <= day <= self.end


def bare_ids(value: object, key: str) -> object:
    """A list whose items may be bare ids (``[sim]``) as items ``{key: id}``; anything else unchanged."""
    if isinstance(value, list | tuple):
        return [{key: v} if isinstance(v, str) else v for v in value]
    return value


class GateUse(StrictModel):
    """A resource a gate occupies for its whole days; ``demand`` defaults to all of it."""

    id: Id
    demand: int | None = Field(None, ge=1, le=1000)


class Gate(StrictModel):
    """A fixed event before launch (commission, exams, pre-launch block).

    Give ``date`` or ``before_launch_days`` (L-N). No regular training takes
    place on a gate's days; a gate with ``until_launch`` ends regular
    training for good (the pre-launch block at the launch site), except
    launch-site modules (``after_gate``). A gate may take equipment and
    examiners for its days (``resources``, ``instructors``): they are then
    unavailable to every other session, of any mission.
    """

    id: Id
    name: str = ""
    date: dt.date | None = None
    before_launch_days: int | None = Field(None, ge=0, le=MAX_DAYS)
    days: int = Field(1, ge=1, le=60)
    until_launch: bool = False
    resources: tuple[GateUse, ...] = ()
    instructors: tuple[Id, ...] = ()

    @field_validator("resources", mode="before")
    @classmethod
    def _resource_ids(cls, value: object) -> object:
        return bare_ids(value, "id")

    @model_validator(mode="after")
    def _one_date(self) -> Gate:
        if (self.date is None) == (self.before_launch_days is None):
            raise ValueError("give exactly one of 'date' and 'before_launch_days'")
        return self
