"""Each mission's dates: launch, training window, blocks, gates and launch-site days.

A file without ``missions:`` has one launch for everyone: it is read as one
mission (id ``""``) whose crews are all crews. With ``missions:``, or with a
launch-site module (``after_gate``), gates close days *per mission* (to its
participants only) instead of on the centre's calendar, so that one
mission's exams are another mission's training days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.scenario.common import Gate
from planner.scenario.schema import Scenario


def gate_date(gate: Gate, launch: dt.date) -> dt.date:
    """The first day of ``gate`` for a launch on ``launch``."""
    if gate.date is not None:
        return gate.date
    assert gate.before_launch_days is not None
    return launch - dt.timedelta(days=gate.before_launch_days)


@dataclass(frozen=True)
class MissionTimes:
    """The dates of one mission (see the module docstring)."""

    id: str
    name: str
    launch: dt.date
    start: dt.date
    gates: tuple[Gate, ...]
    blocks: tuple[tuple[str, dt.date, dt.date], ...] = ()  # (id, first day, last day), inclusive
    prime: tuple[str, ...] | None = None  # None: every crew of the file
    backup: tuple[str, ...] = ()
    backup_ready_by: str | None = None

    @property
    def training_end(self) -> dt.date:
        """First day without regular training: the first ``until_launch`` gate, else launch."""
        ends = [gate_date(g, self.launch) for g in self.gates if g.until_launch]
        return min([self.launch, *ends])

    def gate(self, gate_id: str) -> Gate:
        """The mission's gate ``gate_id``."""
        return next(g for g in self.gates if g.id == gate_id)

    def gate_first(self, gate_id: str) -> dt.date:
        """First day of gate ``gate_id``."""
        return gate_date(self.gate(gate_id), self.launch)

    def gate_days(self) -> dict[dt.date, str]:
        """Every day a gate of the mission takes, with the gate's id."""
        out: dict[dt.date, str] = {}
        for g in self.gates:
            first = gate_date(g, self.launch)
            for k in range(g.days):
                out.setdefault(first + dt.timedelta(days=k), g.id)
        return out

    def in_blocks(self, day: dt.date) -> bool:
        """Whether ``day`` lies in one of the training blocks (no blocks: always)."""
        return not self.blocks or any(a <= day <= b for _, a, b in self.blocks)

    def trains_on(self, day: dt.date, gate_days: dict[dt.date, str]) -> bool:
        """Whether regular training of the mission may use ``day`` (before its calendar's own rules)."""
        return self.start <= day < self.training_end and self.in_blocks(day) and day not in gate_days

    def block(self, block_id: str) -> tuple[dt.date, dt.date] | None:
        """First and last day of block ``block_id``, or None when the mission has no such block."""
        return next(((a, b) for bid, a, b in self.blocks if bid == block_id), None)

    def at_site(self, day: dt.date, after_gate: str, gate_days: dict[dt.date, str]) -> bool:
        """Whether a launch-site module may use ``day``: after gate ``after_gate``'s days, before
        launch, on no other gate's day."""
        g = self.gate(after_gate)
        first = gate_date(g, self.launch) + dt.timedelta(days=g.days)
        return first <= day < self.launch and day not in gate_days


def mission_times(sc: Scenario) -> tuple[MissionTimes, ...]:
    """The missions of ``sc``: its ``missions:``, or the one launch of the file."""
    if not sc.missions:
        return (MissionTimes("", sc.name, sc.window.launch, sc.window.start, sc.gates),)
    out = []
    for m in sc.missions:
        blocks = tuple((b.id, b.start, m.block_end(b)) for b in m.blocks)
        out.append(MissionTimes(m.id, m.name, m.launch, m.first_day, m.gates, blocks,
                                m.crews.prime, m.crews.backup, m.crews.backup_ready_by))
    return tuple(out)


def participant_missions(sc: Scenario) -> tuple[int, ...]:
    """For each participant, the index of their mission in :func:`mission_times`."""
    if not sc.missions:
        return tuple(0 for _ in sc.participants)
    owner: dict[str, int] = {}
    for mi, m in enumerate(sc.missions):
        for crew in (*m.crews.prime, *m.crews.backup):
            owner.setdefault(crew, mi)
    return tuple(owner[p.crew] for p in sc.participants)


def grid_end(sc: Scenario) -> dt.date:
    """Where the centre's grid ends under per-mission dates: the last launch when a module
    trains at the launch site, else the last end of regular training."""
    times = mission_times(sc)
    if any(m.after_gate is not None for m in sc.modules):
        return max(t.launch for t in times)
    return max(t.training_end for t in times)
