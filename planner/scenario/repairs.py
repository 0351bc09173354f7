"""The ``repairs:`` section: which facts ``planner repair`` may change, by how much, at what cost.

Each lever is one kind of change with a cost per unit (a day, a unit of
capacity, an hour of a load cap, an instructor, a waived pair). Costs are
*points* the training department chooses; only their ratios matter (the
defaults, :data:`DEFAULT_COSTS`, read as "one point is about one person-hour
of extra effort"). Physical facts -- seasons, the launch date, the gates --
are never changed unless a lever here says so (a ``dates`` lever on a
seasonal resource is how a scenario says "the water site could open earlier").

With ``defaults: true`` (the default, also when the section is absent) the
levers a training centre normally has are added for whatever the section
does not name itself: working Saturdays and public holidays in the window,
extra days of a campaign resource (one with ``available_dates``), working
days two hours longer, higher weekly and daily load caps for each participant
who has one, and a second unit of each single-unit resource. Window start, waivers and dropped modules are never
defaults: they change the question, not the means.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.scenario.common import Date

_ID = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
Id = Annotated[str, Field(pattern=_ID, max_length=64)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# Cost per unit of each lever kind when a lever gives none (points).
DEFAULT_COSTS: dict[str, float] = {
    "workdays": 8.0,  # one more working day for the centre (a day of staff overtime)
    "dates": 20.0,  # one more day of a campaign resource (an aircraft or site day)
    "capacity": 40.0,  # one more unit of a resource or instructor (a second shift), whole window
    "instructor": 60.0,  # one more instructor with a qualification, whole window
    "load": 4.0,  # one more hour of a participant's weekly (or daily) cap
    "hours": 60.0,  # one more hour on every working day of the window (calendar.day_hours), for everyone
    "start": 16.0,  # one day earlier window start
    "block": 16.0,  # one day earlier start of a mission's training block
    "waive": 100.0,  # one participant x competency waived
    "drop": 50.0,  # a module dropped from every competency that needs it
}
# How far the default levers go.
DEFAULT_EXTRA_WEEKLY_HOURS = 24.0
DEFAULT_EXTRA_UNITS = 1
DEFAULT_EXTRA_DAY_HOURS = 2.0  # longer working days, and participants' daily caps, by up to this


class _Lever(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    cost: float | None = Field(None, ge=0, le=1_000_000, description="points per unit; default by kind")
    note: str = ""

    @property
    def unit_cost(self) -> float:
        """The cost per unit, the kind's default when none is given."""
        kind: str = getattr(self, "kind")  # noqa: B009 - every subclass declares it
        return DEFAULT_COSTS[kind] if self.cost is None else self.cost


class Span(BaseModel):
    """An inclusive date range (``from``/``to``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    start: Date = Field(alias="from")  # as strict as every date of the format (a number is not a Unix time)
    end: Date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class WorkdaysLever(_Lever):
    """Work on days the calendar closes: named dates, or given weekdays within a range (cost per day)."""

    kind: Literal["workdays"]
    dates: tuple[Date, ...] = ()
    weekdays: tuple[Weekday, ...] = ()
    within: Span | None = None
    holidays: bool = Field(False, description="every public holiday within the range (or the window)")
    max: int | None = Field(None, ge=1, le=366, description="at most this many extra working days")

    @model_validator(mode="after")
    def _some_days(self) -> WorkdaysLever:
        if not self.dates and not self.weekdays and not self.holidays:
            raise ValueError("name 'dates', 'weekdays' (with an optional 'within') or 'holidays: true'")
        return self


class DatesLever(_Lever):
    """More days of a date-limited resource (campaign days, a season): named dates or any
    working day within a range (cost per day)."""

    kind: Literal["dates"]
    resource: Id
    dates: tuple[Date, ...] = ()
    within: Span | None = None
    max: int | None = Field(None, ge=1, le=366, description="at most this many extra days")

    @model_validator(mode="after")
    def _some_days(self) -> DatesLever:
        if not self.dates and self.within is None:
            raise ValueError("name 'dates' or a range 'within' (omit both only in the defaults)")
        return self


class CapacityLever(_Lever):
    """More parallel units of a resource or an instructor, for the whole window (cost per unit)."""

    kind: Literal["capacity"]
    resource: Id | None = None
    instructor: Id | None = None
    max: int = Field(DEFAULT_EXTRA_UNITS, ge=1, le=100, description="at most this many extra units")

    @model_validator(mode="after")
    def _one_target(self) -> CapacityLever:
        if (self.resource is None) == (self.instructor is None):
            raise ValueError("give exactly one of 'resource' and 'instructor'")
        return self


class InstructorLever(_Lever):
    """Hire instructors with a qualification, available every working day (cost per instructor)."""

    kind: Literal["instructor"]
    qualification: Id
    max: int = Field(1, ge=1, le=20, description="at most this many new instructors")


class LoadLever(_Lever):
    """Raise participants' load caps (cost per hour of cap, per participant; with ``within``, per hour
    of the cap of those weeks)."""

    kind: Literal["load"]
    participants: tuple[Id, ...] = Field((), description="empty: every participant with a cap")
    extra_hours_per_week: float = Field(0, ge=0, le=100)
    extra_hours_per_day: float = Field(0, ge=0, le=16)
    within: Span | None = Field(None, description="raise the weekly cap only in the calendar weeks with a day "
                                                  "in this range (the scenario's load.weeks)")

    @model_validator(mode="after")
    def _something(self) -> LoadLever:
        if not self.extra_hours_per_week and not self.extra_hours_per_day:
            raise ValueError("give 'extra_hours_per_week' or 'extra_hours_per_day' (the most the cap may rise)")
        if self.within is not None and self.extra_hours_per_day:
            raise ValueError("'within' limits a raise of the weekly cap to some weeks: give 'extra_hours_per_week' "
                             "only (a daily cap is raised for the whole window)")
        return self


class HoursLever(_Lever):
    """Longer working days for the whole window (``calendar.day_hours``); cost per hour a day."""

    kind: Literal["hours"]
    extra_hours_per_day: float = Field(gt=0, le=8)


class StartLever(_Lever):
    """Open the training window earlier (cost per day)."""

    kind: Literal["start"]
    max_days: int = Field(ge=1, le=180)


class BlockLever(_Lever):
    """Open a mission's training block earlier (cost per day): into the break before it, or, for the
    mission's first block, into the days since the centre's first training day."""

    kind: Literal["block"]
    mission: Id
    block: Id
    max_days: int = Field(ge=1, le=180)


class WaiveLever(_Lever):
    """Waive a competency for everyone whose role requires it (cost per pair waived)."""

    kind: Literal["waive"]
    competency: Id


class DropLever(_Lever):
    """Drop a module from every competency that requires it (cost once)."""

    kind: Literal["drop"]
    module: Id


Lever = Annotated[
    WorkdaysLever | DatesLever | CapacityLever | InstructorLever | LoadLever | HoursLever | StartLever | BlockLever
    | WaiveLever | DropLever,
    Field(discriminator="kind"),
]


class Repairs(BaseModel):
    """The ``repairs:`` section (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    defaults: bool = True
    levers: tuple[Lever, ...] = ()
