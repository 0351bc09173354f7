"""What ``min-window`` and ``sweep`` move: the whole window, a mission's, or one training block.

A file without ``missions:`` has one window (``window.start`` .. launch). With
missions, each mission has its own: its ``start`` (launch fixed) or, with
``blocks``, one named block's ``from`` (its end fixed, the other blocks as
they are). Either way the question is the same, how late can this start be,
so the search only needs the fixed end, the bounds on the length the schema
allows, and the edit that sets a start. The edit is an ordinary ``--set``
edit through :mod:`planner.scenario.edits`, so every other rule of the file
(gates counted from the mission's launch, other missions) stays as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.calendar.grid import gate_date
from planner.constants import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS
from planner.exceptions import PlannerError
from planner.scenario.load import LoadedScenario, load_scenario
from planner.scenario.schema import Scenario


class TargetError(PlannerError):
    """``--mission``/``--block`` do not fit the scenario (a usage error, not bad input)."""


@dataclass(frozen=True)
class Target:
    """A start that may move later before a fixed end.

    ``end`` is exclusive (the launch, or the day after a block's last day),
    so a length of ``days`` days starts on ``end - days``. ``shortest`` and
    ``longest`` are the lengths the schema allows.
    """

    end: dt.date
    start: dt.date
    shortest: int
    longest: int
    mission: str | None = None
    block: str | None = None

    @property
    def whole(self) -> bool:
        """The top-level window of a file without missions (the historical behaviour)."""
        return self.mission is None

    def asked(self, sc: Scenario) -> frozenset[str] | None:
        """The participants whose pairs a probe of this target asks for: the crews of the mission varied
        (prime and backup) when the file has other missions, whose readiness is theirs to answer
        (``planner plan``); None: everybody's."""
        if self.mission is None or len(sc.missions) < 2:
            return None
        crews = next(set(m.crews.prime) | set(m.crews.backup) for m in sc.missions if m.id == self.mission)
        return frozenset(p.id for p in sc.participants if p.crew in crews)

    @property
    def label(self) -> str:
        """What is varied, in the user's terms."""
        if self.mission is None:
            return "the whole window"
        if self.block is None:
            return f"mission {self.mission}, the whole window"
        return f"mission {self.mission}, block {self.block}"

    @property
    def path(self) -> str:
        """The YAML path of the start that moves."""
        if self.mission is None:
            return "window.start"
        if self.block is None:
            return f"missions.{self.mission}.start"
        return f"missions.{self.mission}.blocks.{self.block}.from"

    @property
    def days(self) -> int:
        """The length as in the file."""
        return (self.end - self.start).days

    def start_for(self, days: int) -> dt.date:
        """The start for a length of ``days`` days."""
        return self.end - dt.timedelta(days=days)

    def with_days(self, base: LoadedScenario, days: int) -> LoadedScenario:
        """``base`` (a mission target) with this start moved to ``days`` days before the end,
        as one more ``--set`` edit on the file (same variant and edits as ``base``)."""
        assert self.mission is not None, "the top-level window is moved by analysis.window.with_window_days"
        edit = f"{self.path}={self.start_for(days).isoformat()}"
        return load_scenario(base.path, base.variant, (*base.edits, edit))


def _mission_ids(sc: Scenario) -> str:
    return ", ".join(m.id for m in sc.missions)


def resolve_target(sc: Scenario, mission: str | None = None, block: str | None = None) -> Target:
    """The target that ``--mission``/``--block`` name in ``sc``; :class:`TargetError` when they do not fit."""
    if not sc.missions:
        if mission is not None or block is not None:
            raise TargetError("--mission/--block apply to a scenario with missions; this one has one window "
                              "(window.start .. launch), which is what is varied without them")
        launch = sc.window.launch
        gates = [(launch - gate_date(g, launch)).days for g in sc.gates]
        return Target(launch, sc.window.start, max([MIN_WINDOW_DAYS, *gates]), MAX_WINDOW_DAYS)
    if mission is None:
        if len(sc.missions) > 1:
            raise TargetError(f"this scenario has {len(sc.missions)} missions ({_mission_ids(sc)}): "
                              "name one with --mission ID (and --block ID for one training block)")
        mission = sc.missions[0].id
    m = next((m for m in sc.missions if m.id == mission), None)
    if m is None:
        raise TargetError(f"no mission {mission!r} (missions: {_mission_ids(sc)})")
    # Every gate of the mission must stay inside its window (scenario checks).
    gates = [(m.launch - gate_date(g, m.launch)).days for g in m.gates]
    # The centre's window (the first mission's first day to the last launch) keeps its 366 days too.
    most = MAX_WINDOW_DAYS - (max(x.launch for x in sc.missions) - m.launch).days
    if block is None:
        if m.start is None:
            raise TargetError(f"mission {m.id} trains in blocks ({', '.join(b.id for b in m.blocks)}): "
                              "name the one to vary with --block ID")
        return Target(m.launch, m.start, max([MIN_WINDOW_DAYS, *gates]), most, m.id)
    at = next((i for i, b in enumerate(m.blocks) if b.id == block), None)
    if at is None:
        known = ", ".join(b.id for b in m.blocks) or "none: it has one window, varied without --block"
        raise TargetError(f"mission {m.id} has no block {block!r} (blocks: {known})")
    b = m.blocks[at]
    end = m.block_end(b) + dt.timedelta(days=1)
    if at > 0:
        # Blocks are in order and do not overlap: the longest block starts after the one before.
        prev_end = m.block_end(m.blocks[at - 1])
        return Target(end, b.start, 1, (end - prev_end).days - 1, m.id, b.id)
    # The first block's start is the mission's first day: the mission's window
    # keeps its 28-day minimum, its gates and its 366-day maximum (and the centre's).
    before = (m.launch - end).days
    shortest = max(1, max([MIN_WINDOW_DAYS, *gates]) - before)
    return Target(end, b.start, shortest, most - before, m.id, b.id)
