"""Missions of a training centre: each with its launch, gates, training blocks and crews.

A scenario without ``missions:`` is one launch for everyone (``window`` and
``gates`` at the top level), as it always was. With ``missions:``, every
mission has its own launch date, its own gates (``before_launch_days``
counts from *its* launch) and its own window (``start``, or training
``blocks`` with breaks between them); the calendar, resources and
instructors stay the centre's and are shared by all missions. Every crew
belongs to exactly one mission, as prime or backup crew
(:mod:`planner.scenario.checks`).
"""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, model_validator

from planner.scenario.common import FIRST_YEAR, LAST_YEAR, Gate, Id, StrictModel

MIN_WINDOW_DAYS = 28  # the shortest window, as for the top-level one
MAX_WINDOW_DAYS = 366


class Block(StrictModel):
    """A training block of a mission: an inclusive date range (``to`` defaults to the day before launch)."""

    id: Id
    name: str = ""
    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(None, alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Block:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class Crews(StrictModel):
    """A mission's crews by their ``crew`` ids: the prime crew(s) fly, the backups stand by.

    The mission is ready when its prime crews are. Backup crews are reported
    separately, by ``backup_ready_by`` (a gate of the mission) when given,
    otherwise by the same deadlines as the prime crew.
    """

    prime: tuple[Id, ...] = Field(min_length=1)
    backup: tuple[Id, ...] = ()
    backup_ready_by: Id | None = None


class Mission(StrictModel):
    """One launch: its date, gates, window (``start`` or ``blocks``) and crews."""

    id: Id
    name: str = ""
    launch: dt.date
    start: dt.date | None = None
    blocks: tuple[Block, ...] = ()
    gates: tuple[Gate, ...] = ()
    crews: Crews

    @model_validator(mode="after")
    def _window(self) -> Mission:
        if (self.start is None) == (not self.blocks):
            raise ValueError("give exactly one of 'start' (one window) and 'blocks' (training blocks)")
        first = self.first_day
        if not FIRST_YEAR <= self.launch.year <= LAST_YEAR or not FIRST_YEAR <= first.year <= LAST_YEAR:
            raise ValueError(f"{first} .. {self.launch} is not a plausible training window (years {FIRST_YEAR} to "
                             f"{LAST_YEAR})")
        days = (self.launch - first).days
        if days <= 0:
            raise ValueError(f"the launch ({self.launch}) must come after the mission's first training day ({first})")
        if not MIN_WINDOW_DAYS <= days <= MAX_WINDOW_DAYS:
            raise ValueError(
                f"the mission's window is {days} days long ({first} to launch {self.launch}); it must be "
                f"{MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS} days"
            )
        seen: set[str] = set()
        previous: Block | None = None
        for block in self.blocks:
            if block.id in seen:
                raise ValueError(f"block id {block.id!r} is used twice")
            seen.add(block.id)
            if block.start >= self.launch or (block.end is not None and block.end >= self.launch):
                raise ValueError(f"block {block.id!r} does not end before launch ({self.launch})")
            if previous is not None and (previous.end is None or block.start <= previous.end):
                raise ValueError(
                    f"block {block.id!r} starts on {block.start}, before block {previous.id!r} ends: "
                    "blocks are listed in order and do not overlap"
                )
            previous = block
        gate_ids = [g.id for g in self.gates]
        dup = sorted({g for g in gate_ids if gate_ids.count(g) > 1})
        if dup:
            raise ValueError(f"gate id(s) used twice: {', '.join(dup)}")
        return self

    @property
    def first_day(self) -> dt.date:
        """The mission's first training day: ``start`` or the first block's."""
        if self.start is not None:
            return self.start
        return self.blocks[0].start

    def block_end(self, block: Block) -> dt.date:
        """The last day of ``block`` (inclusive)."""
        return block.end if block.end is not None else self.launch - dt.timedelta(days=1)
