"""Per-participant dates as day indices: each participant's mission, on the centre's grid.

:func:`planner.data.problem.build_problem` asks this module for the days a
participant's mission lets them train, the day of a gate *of their
mission*, the first day their recency counts from and where a competency's
deadline falls. A file without missions (and without launch-site modules)
keeps its gates on the grid's calendar, exactly as before; the answers below
are then the old ones.

Gates that take equipment or examiners (``gates.*.resources``,
``gates.*.instructors``) become *reservations*: whole days of a resource's
capacity, or days an instructor is away, for every mission.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from planner.calendar.grid import TimeGrid, gate_date
from planner.calendar.missions import MissionTimes, mission_times, participant_missions
from planner.scenario.common import Gate
from planner.scenario.schema import Scenario


class Timeline:
    """The dates of every participant's mission as day indices of ``grid``."""

    def __init__(self, sc: Scenario, grid: TimeGrid) -> None:
        self.sc, self.grid = sc, grid
        self.by_mission = sc.by_mission
        self.missions = mission_times(sc)
        self.mission_of = participant_missions(sc)
        self._gate_days = [m.gate_days() for m in self.missions]

    def mission(self, pi: int) -> MissionTimes:
        """Participant ``pi``'s mission."""
        return self.missions[self.mission_of[pi]]

    def trains(self, pi: int) -> tuple[bool, ...] | None:
        """Days regular training of ``pi``'s mission may use (window, blocks, gates); None when
        the grid's calendar already says it all (one launch, gates on the calendar)."""
        if not self.by_mission:
            return None
        mi = self.mission_of[pi]
        m, gates = self.missions[mi], self._gate_days[mi]
        own = [span for b in self.sc.participants[pi].blocks if (span := m.block(b)) is not None]
        if own:  # the participant attends only some of the mission's blocks
            return self.grid.days_where(lambda d: m.trains_on(d, gates) and any(a <= d <= z for a, z in own))
        return self.grid.days_where(lambda d: m.trains_on(d, gates))

    def at_site(self, pi: int, after_gate: str) -> tuple[bool, ...]:
        """Days a launch-site module (``after_gate``) of ``pi``'s mission may use."""
        mi = self.mission_of[pi]
        m, gates = self.missions[mi], self._gate_days[mi]
        return self.grid.days_where(lambda d: m.at_site(d, after_gate, gates))

    def in_block(self, pi: int, block: str) -> tuple[bool, ...] | None:
        """Days of block ``block`` of ``pi``'s mission; None when the mission has no blocks."""
        m = self.mission(pi)
        span = m.block(block)
        if span is None:
            return None
        return self.grid.days_where(lambda d: span[0] <= d <= span[1])

    def gate_day(self, pi: int, gate_id: str) -> int:
        """Day index of the first day of gate ``gate_id`` of ``pi``'s mission (clamped to the grid)."""
        m = self.mission(pi)
        return self.grid.first_day_on_or_after(m.gate_first(gate_id))

    def launch(self, pi: int) -> dt.date:
        """``pi``'s launch date."""
        return self.mission(pi).launch

    def end_day(self, pi: int, at_site: bool = False) -> int:
        """Where ``pi``'s training ends: the end of regular training, or launch for a goal that
        needs a launch-site module (clamped to the grid)."""
        if not self.by_mission:
            return self.grid.num_days
        m = self.mission(pi)
        return self.grid.first_day_on_or_after(m.launch if at_site else m.training_end)

    def is_backup(self, pi: int) -> bool:
        """Whether ``pi`` is in a backup crew of their mission."""
        return bool(self.sc.missions) and self.sc.participants[pi].crew in self.mission(pi).backup

    def backup_gate(self, pi: int) -> str | None:
        """The gate by which ``pi`` must be ready as a backup crew member, if the mission says one."""
        m = self.mission(pi)
        if m.backup_ready_by is None or self.sc.participants[pi].crew not in m.backup:
            return None
        return m.backup_ready_by

    def _gates(self) -> list[tuple[Gate, dt.date]]:
        """Every gate of the file with its launch date."""
        if not self.sc.missions:
            return [(g, self.sc.window.launch) for g in self.sc.gates]
        return [(g, m.launch) for m in self.missions for g in m.gates]

    def reservations(self, capacity: Sequence[int]) -> list[tuple[tuple[int, int], ...]]:
        """Per resource: (day, units) the gates take, days summed, inside the grid."""
        index = {r.id: i for i, r in enumerate(self.sc.resources)}
        taken: list[dict[int, int]] = [defaultdict(int) for _ in self.sc.resources]
        for gate, launch in self._gates():
            first = gate_date(gate, launch)
            for use in gate.resources:
                r = index[use.id]
                for k in range(gate.days):
                    day = self.grid.day_of(first + dt.timedelta(days=k))
                    if day is not None:
                        taken[r][day] += use.demand if use.demand is not None else capacity[r]
        return [tuple(sorted(t.items())) for t in taken]

    def examiner_days(self) -> dict[str, set[dt.date]]:
        """Per instructor id, the days gates take them."""
        out: dict[str, set[dt.date]] = defaultdict(set)
        for gate, launch in self._gates():
            first = gate_date(gate, launch)
            for iid in gate.instructors:
                out[iid] |= {first + dt.timedelta(days=k) for k in range(gate.days)}
        return out
