"""Pydantic models of the scenario YAML: one model per section, strict.

Every model forbids unknown keys, so a typo in a YAML file is an error that
names the path instead of a silently ignored setting. Cross-references
(module ids, resource ids, ...) are checked in :mod:`planner.scenario.checks`,
where the messages can name the YAML path of the offending reference.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from planner.scenario import common
from planner.scenario.common import _ID, MAX_DAYS, WEEKDAYS, Date, DateRange, Gate, GateUse, Id, StrictModel, bare_ids
from planner.scenario.loads import Load, WeekLoad, monday_of
from planner.scenario.missions import Mission
from planner.scenario.needs import ModuleOverride, ResourceUse, StaffNeed
from planner.scenario.repairs import Repairs

__all__ = [
    "MAX_DAYS", "WEEKDAYS", "_ID", "DateRange", "Gate", "GateUse", "Id", "Load", "ModuleOverride", "ResourceUse",
    "StaffNeed", "StrictModel", "WeekLoad", "monday_of",
]

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SeasonRange(StrictModel):
    """A date window: absolute (``2021-06-01``) or yearly (``06-01``) bounds.

    A yearly window may wrap the new year (``from: 11-25, to: 02-28``).
    """

    start: str = Field(alias="from")
    end: str = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise ValueError("expected a date YYYY-MM-DD or a yearly date MM-DD")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SeasonRange:
        kinds = {_season_kind(self.start), _season_kind(self.end)}
        if len(kinds) != 1:
            raise ValueError("'from' and 'to' must both be YYYY-MM-DD or both MM-DD")
        if kinds == {"absolute"} and self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies inside the window."""
        if _season_kind(self.start) == "absolute":
            return self.start <= day.isoformat() <= self.end
        md = day.strftime("%m-%d")
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # wraps the new year


def _season_kind(text: str) -> str:
    match = _MONTH_DAY.match(text)
    if match:
        month, day = int(match[1]), int(match[2])
        dt.date(2000, month, day)  # raises ValueError for 02-30 and the like
        return "yearly"
    try:
        if not _ISO_DATE.match(text):  # fromisoformat also takes 20210601 and 2021-W26-1
            raise ValueError(text)
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a date YYYY-MM-DD nor a yearly date MM-DD"
        ) from None
    return "absolute"


class Window(StrictModel):
    """The training window: first training day and launch day."""

    start: dt.date
    launch: dt.date

    @model_validator(mode="after")
    def _length(self) -> Window:
        for when in (self.start, self.launch):
            if not common.FIRST_YEAR <= when.year <= common.LAST_YEAR:  # room for gates and seasons around it
                raise ValueError(f"{when} is not a plausible training date (years {common.FIRST_YEAR} to {common.LAST_YEAR})")
        days = (self.launch - self.start).days
        if days <= 0:
            raise ValueError(f"the launch ({self.launch}) must come after the window's start ({self.start})")
        if days < 28:
            raise ValueError(
                f"window is {days} days long; it must be at least 1 month (28 days)"
            )
        if days > 366:
            raise ValueError(
                f"window is {days} days long; it must be at most 12 months (366 days)"
            )
        return self


class Calendar(StrictModel):
    """Working time: which days, which hours, which holidays."""

    workdays: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = (
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    )
    day_start: dt.time = dt.time(9, 0)
    day_hours: float = Field(8.0, gt=0, le=16)
    slot_minutes: int = Field(30, ge=5, le=240)
    country: str | None = Field(None, description="holidays-package country code")
    subdivision: str | None = None
    holidays: tuple[Date, ...] = ()
    extra_workdays: tuple[Date, ...] = ()
    # Work the weekend days the country officially works (transferred days off), from the holidays package.
    official_workdays: bool = False
    timezone: str | None = None  # IANA name (Europe/Moscow): calendars (.ics) carry it; none: floating local times

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (IANA names such as Europe/Moscow, Asia/Almaty)") from None
        return value

    @model_validator(mode="after")
    def _grid(self) -> Calendar:
        if 60 % self.slot_minutes and self.slot_minutes % 60:
            raise ValueError("@slot_minutes: slot_minutes must divide an hour or be whole hours")
        minutes = self.day_hours * 60
        if abs(minutes / self.slot_minutes - round(minutes / self.slot_minutes)) > 1e-9:
            raise ValueError(
                f"@day_hours: day_hours ({self.day_hours}) is not a whole number of "
                f"{self.slot_minutes}-minute slots"
            )
        if self.official_workdays and not self.country:
            raise ValueError("@official_workdays: official_workdays needs a country (calendar.country)")
        start_min = self.day_start.hour * 60 + self.day_start.minute
        if start_min + minutes > 24 * 60:
            raise ValueError("@day_hours: the working day (day_start + day_hours) must end by midnight")
        if not self.workdays:
            raise ValueError("@workdays: at least one workday is needed")
        return self

    @field_validator("day_start", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        # pydantic reads a bare number as seconds after midnight, and YAML 1.1
        # tools write 09:00 as 540: only "HH:MM" text is unambiguous.
        if isinstance(value, dt.time):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
            raise ValueError(f"day_start must be a clock time \"HH:MM\" in quotes, not {value!r}")
        return value.strip().zfill(5)  # 9:00 as 09:00 (the time parser wants two digits)


class LocalCalendar(StrictModel):
    """Days off of one person or site on top of the centre's calendar: the public holidays of
    ``country`` (and ``subdivision``, via the holidays package) and named ``holidays``."""

    country: str | None = None
    subdivision: str | None = None
    holidays: tuple[Date, ...] = ()


class Participant(StrictModel):
    """A trainee: a spaceflight participant or a professional crew member."""

    id: Id
    name: str = ""
    role: Id
    crew: Id
    holds: tuple[Id, ...] = ()
    blackouts: tuple[DateRange, ...] = ()
    load: Load | None = None
    substitute_for: Id | None = None
    cohort: Id | None = None  # a named class: modules with 'joint: cohort' train it together
    blocks: tuple[Id, ...] = ()  # the mission's training blocks this participant attends (default: all)
    modules: dict[Id, ModuleOverride] = Field(default_factory=dict)  # individual needs, by module id
    calendar: LocalCalendar | None = None  # their own days off (a national calendar)


class Role(StrictModel):
    """A role and the competencies it must hold at launch."""

    id: Id
    name: str = ""
    requires: tuple[Id, ...] = ()


class Resource(StrictModel):
    """A shared facility: centrifuge, simulator, classroom, survival site.

    ``capacity`` counts concurrent sessions (``unit: sessions``, e.g. a
    simulator takes one crew at a time) or concurrent participants
    (``unit: participants``, e.g. classroom seats). ``available`` limits the
    facility to date windows (seasons, campaigns); ``available_dates`` to
    single days (parabolic-flight campaign days).
    """

    id: Id
    name: str = ""
    capacity: int = Field(1, ge=1, le=1000)
    unit: Literal["sessions", "participants"] = "sessions"
    available: tuple[SeasonRange, ...] = ()
    available_dates: tuple[Date, ...] = ()
    blackouts: tuple[DateRange, ...] = ()
    calendar: LocalCalendar | None = None  # the facility's own days off (e.g. Baikonur: country KZ)
    site: Id | None = None  # where it is (sites[]): its travel days and days off


class Site(StrictModel):
    """A place away from the centre (Zvezda, the water site near Sochi, Baikonur): a participant
    travels ``travel_days`` each way for a module using a resource there (staying between two modules
    there), and the site's own ``calendar`` closes every resource at it."""

    id: Id
    name: str = ""
    travel_days: int = Field(0, ge=0, le=7)
    calendar: LocalCalendar | None = None


class Instructor(StrictModel):
    """An instructor with qualifications and a number of parallel sessions."""

    id: Id
    name: str = ""
    qualifications: tuple[Id, ...] = Field(min_length=1)
    capacity: int = Field(1, ge=1, le=100)
    available: tuple[SeasonRange, ...] = ()
    blackouts: tuple[DateRange, ...] = ()


class Prerequisite(StrictModel):
    """A prerequisite module with optional lags in calendar days.

    ``min_lag_days`` is the least number of calendar days between the end of
    the prerequisite and the start of this module (0: same day allowed);
    ``max_lag_days`` the most.
    """

    module: Id
    min_lag_days: int = Field(0, ge=0, le=MAX_DAYS)
    max_lag_days: int | None = Field(None, ge=0, le=MAX_DAYS)

    @model_validator(mode="after")
    def _ordered(self) -> Prerequisite:
        if self.max_lag_days is not None and self.max_lag_days < self.min_lag_days:
            raise ValueError("max_lag_days is smaller than min_lag_days")
        return self


class Module(StrictModel):
    """A training module: ``hours`` split into sessions of ``session_hours``.

    A session never crosses a day boundary. ``joint: crew`` makes every
    session a crew event (all crew members holding the role attend
    together). ``allowed`` restricts the dates (seasons); ``recency_days``
    requires the module to end at most that many days before launch;
    ``deadline`` names a gate the module must end before.
    """

    id: Id
    name: str = ""
    hours: float | None = Field(None, gt=0, le=10_000)
    session_hours: float = Field(gt=0, le=24)
    sessions: int | None = Field(None, ge=1, le=500)
    roles: tuple[Id, ...] = ()
    resources: tuple[ResourceUse, ...] = ()
    instructor: Id | None = None  # one instructor with this qualification per session
    staff: dict[Id, StaffNeed] = Field(default_factory=dict)  # further staff, by role: "N x qualification"
    prerequisites: tuple[Prerequisite, ...] = ()
    joint: Literal["none", "crew", "mission", "cohort"] = "none"
    allowed: tuple[SeasonRange, ...] = ()
    min_days_between_sessions: int = Field(0, ge=0, le=MAX_DAYS)
    max_days_between_sessions: int | None = Field(None, ge=1, le=MAX_DAYS)
    consecutive_days: bool = False
    rest_days_after: int = Field(0, ge=0, le=14)
    # Off-site modules (Zvezda, Sochi, the winter forest): calendar days of travel before the first
    # session and after the last one, in which the participant has no other session.
    travel_days: int = Field(0, ge=0, le=7)
    recency_days: int | None = Field(None, ge=1, le=MAX_DAYS)
    recency_of: Literal["last", "all"] = "last"  # which sessions recency_days applies to
    deadline: Id | None = None
    block: Id | None = None
    after_gate: Id | None = None
    refresher: Refresher | None = None

    @field_validator("resources", mode="before")
    @classmethod
    def _resource_ids(cls, value: object) -> object:
        return bare_ids(value, "id")

    @field_validator("prerequisites", mode="before")
    @classmethod
    def _prereq_ids(cls, value: object) -> object:
        return bare_ids(value, "module")

    @model_validator(mode="before")
    @classmethod
    def _hours_from_sessions(cls, value: object) -> object:
        # 'sessions: N' may stand for 'hours: N x session_hours'.
        if isinstance(value, dict) and value.get("hours") is None and value.get("sessions") is not None:
            try:
                if float(value["sessions"]) <= 0:
                    return value  # reported on 'sessions', not on a derived 'hours'
                return {**value, "hours": float(value["sessions"]) * float(value["session_hours"])}
            except (KeyError, TypeError, ValueError):
                return value
        return value

    @model_validator(mode="after")
    def _sessions(self) -> Module:
        if self.hours is None:
            raise ValueError("give 'hours' (total) or 'sessions' (count) with 'session_hours'")
        ratio = self.hours / self.session_hours
        if abs(ratio - round(ratio)) > 1e-9:
            raise ValueError(
                f"hours ({self.hours}) is not a whole number of sessions of "
                f"{self.session_hours} h"
            )
        if self.sessions is not None and self.sessions != round(ratio):
            raise ValueError(f"sessions ({self.sessions}) x session_hours ({self.session_hours}) is not hours ({self.hours})")
        if self.max_days_between_sessions is not None and self.min_days_between_sessions > self.max_days_between_sessions:
            raise ValueError(f"min_days_between_sessions ({self.min_days_between_sessions}) exceeds "
                             f"max_days_between_sessions ({self.max_days_between_sessions})")
        if self.recency_of == "all" and self.recency_days is None:
            raise ValueError("recency_of: all needs recency_days (the days before launch every session must fall in)")
        if self.consecutive_days and self.min_days_between_sessions:
            raise ValueError("consecutive_days and min_days_between_sessions exclude each other")
        if self.instructor is not None and "instructor" in self.staff:
            raise ValueError("the role 'instructor' is already given by 'instructor:'; name the further role otherwise")
        if self.after_gate is not None and self.deadline is not None:
            raise ValueError("a launch-site module (after_gate) has no deadline gate: it runs until launch")
        return self

    @property
    def total_hours(self) -> float:
        """Total hours of the module."""
        assert self.hours is not None
        return self.hours

    @property
    def num_sessions(self) -> int:
        """How many sessions the module is split into."""
        return round(self.total_hours / self.session_hours)


class AnyOf(StrictModel):
    """At least one of these modules."""

    any_of: tuple[Id, ...] = Field(min_length=1)


def requirement_options(req: str | AnyOf) -> tuple[str, ...]:
    """The modules any one of which meets requirement ``req`` of a competency (one module, or its any_of)."""
    return req.any_of if isinstance(req, AnyOf) else (req,)


class Competency(StrictModel):
    """An emergency-response competency: a rule over modules.

    ``requires`` lists module ids (all needed) and ``{any_of: [...]}`` groups
    (one of them needed). ``deadline`` names the gate by which it must hold
    (default: the end of regular training).
    """

    id: Id
    name: str = ""
    requires: tuple[Id | AnyOf, ...] = Field(min_length=1)
    deadline: Id | None = None
    waivable: bool = False
    waive_cost: float = Field(100.0, ge=0, le=1_000_000)


class Refresher(StrictModel):
    """This module refreshes ``of``: it becomes required when ``of`` ends more than
    ``older_than_days`` calendar days before gate ``gate``, and then runs after ``of``
    and before that gate ("repeat the egress drill if the first is more than 30 days
    before the exams"); otherwise it is not scheduled."""

    of: Id
    older_than_days: int = Field(ge=1, le=MAX_DAYS)
    gate: Id


class Spacing(StrictModel):
    """No session of ``forbid`` within ``hours`` after a session of ``after``.

    Applies per participant. Counted in whole calendar days (rounded up), so
    24 h after a flight means no centrifuge that day or the next.
    """

    after: Id
    forbid: Id
    hours: float = Field(gt=0, le=24 * 30)


class Disruptions(StrictModel):
    """Disruption rates for Monte Carlo robustness studies (``planner stress``).

    Rates are per working day (sick days, absences, outage starts) or per
    participant and module (a failed module needs one extra session).
    """

    sick_day_rate: float = Field(0.0, ge=0, le=1)
    instructor_absence_rate: float = Field(0.0, ge=0, le=1)
    outage_rate: float = Field(0.0, ge=0, le=1)
    outage_days: int = Field(3, ge=1, le=60)
    session_failure_rate: float = Field(0.0, ge=0, le=1)


class Scenario(StrictModel):
    """A whole training scenario."""

    name: str
    description: str = ""
    window: Window
    missions: tuple[Mission, ...] = ()
    calendar: Calendar = Field(default_factory=lambda: Calendar())  # type: ignore[call-arg]
    gates: tuple[Gate, ...] = ()
    roles: tuple[Role, ...] = Field(min_length=1)
    participants: tuple[Participant, ...] = Field(min_length=1)
    resources: tuple[Resource, ...] = ()
    instructors: tuple[Instructor, ...] = ()
    sites: tuple[Site, ...] = ()
    modules: tuple[Module, ...] = Field(min_length=1)
    competencies: tuple[Competency, ...] = ()
    spacing: tuple[Spacing, ...] = ()
    disruptions: Disruptions | None = None
    repairs: Repairs = Field(default_factory=Repairs)
    # The plan's secondary goal once readiness is settled (not a rule: any plan meeting the rules is valid).
    objective: Literal["earliest", "level", "fresh"] = "level"
    variants: dict[Id, dict[str, object]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _centre_window(cls, value: object) -> object:
        # With missions, the window is the centre's: from the first mission's
        # first day to the last launch. Each mission keeps its own.
        if not isinstance(value, dict) or not value.get("missions"):
            return value
        given = value.get("window")
        if value.get("gates"):
            raise ValueError("with 'missions', gates belong to a mission (missions.*.gates): a gate counts from its launch")
        firsts, launches = [], []
        for mission in value["missions"]:
            if not isinstance(mission, dict):
                return value  # reported on the mission itself
            first = mission.get("start")
            blocks = mission.get("blocks")
            if first is None and isinstance(blocks, list | tuple) and blocks and isinstance(blocks[0], dict):
                first = blocks[0].get("from")
            try:
                firsts.append(dt.date.fromisoformat(str(first)))
                launches.append(dt.date.fromisoformat(str(mission.get("launch"))))
            except ValueError:
                return {**value, "window": {"start": "2000-01-01", "launch": "2000-03-01"}}  # the mission's own error
        derived = {"start": min(firsts), "launch": max(launches)}
        if given is not None and not _same_window(given, derived):  # a dumped scenario carries the derived one
            raise ValueError("@window: give either 'window' (one launch) or 'missions' (each with its own launch), "
                             f"not both (the missions imply {derived['start']} .. {derived['launch']})")
        return {**value, "window": derived}

    @property
    def by_mission(self) -> bool:
        """Whether dates are per mission (``missions:``, or a launch-site module on the one launch)."""
        return bool(self.missions) or any(m.after_gate is not None for m in self.modules)


def _same_window(given: object, derived: dict[str, dt.date]) -> bool:
    """Whether a ``window`` given beside missions is just the centre window they imply."""
    if isinstance(given, Window):
        return given.start == derived["start"] and given.launch == derived["launch"]
    if not isinstance(given, dict):
        return False
    try:
        return all(dt.date.fromisoformat(str(given.get(k))) == v for k, v in derived.items())
    except ValueError:
        return False
