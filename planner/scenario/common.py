"""Pieces of the scenario schema shared by its sections: ids, strict models, date ranges, gates."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

_ID = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
Id = Annotated[str, Field(pattern=_ID, max_length=64)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 366  # the longest window: no lag, gap or offset in days can usefully exceed it
FIRST_YEAR, LAST_YEAR = 1957, 2199  # the plausible years of a training date (room for gates and seasons)


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys are errors, values frozen, and a yes/no is never a number."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_number(cls, value: object, info: ValidationInfo) -> object:
        # pydantic's lax mode reads true/false as 1/0 for a number ('sessions: true' was one session), the text
        # "2" as a number, "yes" as true and a number as a Unix time for a date: the format is strict.
        if info.field_name is None or isinstance(value, dict) or value is None:
            return value
        kinds = _kinds(cls.model_fields[info.field_name].annotation)
        if isinstance(value, list | tuple):  # a list of dates is typed Date: each item checked where it stands
            return value
        if isinstance(value, bool):
            if kinds & {int, float} and bool not in kinds:
                raise ValueError(f"expected a number, got {str(value).lower()} (a yes/no)")
        elif isinstance(value, str) and str not in kinds:
            if kinds & {int, float}:
                quoted = value.strip().lstrip("+-").replace(".", "", 1).isdigit()
                raise ValueError(f"expected a number, got the text {value!r}"
                                 + (" (write it without quotes)" if quoted else ""))
            if bool in kinds:
                raise ValueError(f"expected true or false, got the text {value!r}")
        if dt.date in kinds and not kinds & {int, float, str}:  # a date field: as a date in a list (Date)
            return _date_item(value)
        return value


def _date_item(value: object) -> object:
    """:data:`Date`'s check: a date stays, a text or a number is read by :func:`_date` (anything else is
    pydantic's to refuse)."""
    if isinstance(value, dt.date | bool) or not isinstance(value, str | int | float):
        return value
    return _date(value)


def _date(value: str | int | float) -> dt.date:
    """A date written as text: ISO 8601 (a date-time at midnight too); a number is not a date (a lax reader
    takes it for a Unix time). Pydantic's own words ("invalid character in year") name no format."""
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got the number {value}")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)  # as ISO 8601 reads it ("20210601" too)
    except ValueError:
        pass
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None
    if when.time() != dt.time(0) or when.tzinfo is not None:
        raise ValueError(f"expected a date YYYY-MM-DD, got the date-time {value!r}")
    return when.date()


Date = Annotated[dt.date, BeforeValidator(_date_item)]
"""A date in a list of dates (holidays, campaign days): as strict as a single date field, located at its item."""


def _kinds(annotation: object) -> set[object]:
    """The plain types an annotation allows (``int | None`` -> {int, NoneType})."""
    args = typing.get_args(annotation)
    if not args:
        return {annotation}
    return {k for a in args for k in _kinds(a)}


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
