"""Staff a module needs (``modules[].staff``) and one participant's own needs of a module
(``participants[].modules``): the parts of the schema about who teaches and how much.

A staff need is written ``role: "N x qualification"`` (``N x`` may be left out
for one), or as a mapping ``{qualification, count, per}``; ``per: participant``
multiplies the count by the participants in the session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

from pydantic import Field, field_validator, model_validator

from planner.scenario.common import _ID, Id, StrictModel, bare_ids

_STAFF = re.compile(r"^\s*(?:(\d+)\s*[x×*]\s*)?(\S+)\s*$")


class StaffNeed(StrictModel):
    """``count`` staff holding ``qualification`` in every session (or for every participant in it)."""

    qualification: Id
    count: int = Field(1, ge=1, le=50)
    per: Literal["session", "participant"] = "session"

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        # "2 x examiner" or "interpreter_ja": the form a training department writes.
        if isinstance(value, str):
            hit = _STAFF.match(value)
            if hit is None or not re.fullmatch(_ID, hit.group(2)):
                raise ValueError(f"write a staff need as 'N x qualification' or 'qualification', not {value!r}")
            return {"qualification": hit.group(2), "count": int(hit.group(1) or 1)}
        return value


class ResourceUse(StrictModel):
    """A resource a module's sessions use, with an optional demand."""

    id: Id
    demand: int | None = Field(None, ge=1, le=1000)


class ModuleOverride(StrictModel):
    """One participant's own amount of a module: more or fewer hours (or sessions), extra
    resources or staff for their sessions, or waived."""

    hours: float | None = Field(None, gt=0, le=2000)
    sessions: int | None = Field(None, ge=1, le=500)
    resources: tuple[ResourceUse, ...] = ()  # used by this participant's sessions besides the module's
    staff: dict[Id, StaffNeed] = Field(default_factory=dict)  # by role: added, or raising the module's count
    waived: bool = False
    reason: str = ""

    @field_validator("resources", mode="before")
    @classmethod
    def _resource_ids(cls, value: object) -> object:
        return bare_ids(value, "id")

    @model_validator(mode="after")
    def _one(self) -> ModuleOverride:
        extra = self.hours is not None or self.sessions is not None or self.resources or self.staff
        if self.waived and extra:
            raise ValueError("a waived module has no hours, sessions, resources or staff")
        if not self.waived and not extra:
            raise ValueError("give hours, sessions, resources, staff or 'waived: true'")
        if self.hours is not None and self.sessions is not None:
            raise ValueError("give hours or sessions, not both")
        return self


class _Staffer(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def qualifications(self) -> tuple[str, ...]: ...


def staff_problems(instructors: Sequence[_Staffer], staff: dict[str, StaffNeed]) -> Iterator[tuple[str, str]]:
    """(role, message) for each need whose qualification too few instructors hold for one session."""
    for role, need in staff.items():
        holders = sorted(i.id for i in instructors if need.qualification in i.qualifications)
        if not holders:
            quals = {q for i in instructors for q in i.qualifications}
            yield role, (f"no instructor holds qualification {need.qualification!r}"
                         f" (held: {', '.join(sorted(quals)) or 'none'})")
        elif need.count > len(holders):
            yield role, (f"needs {need.count} x {need.qualification} in each session, but only "
                         f"{len(holders)} instructor(s) hold it ({', '.join(holders)})")
