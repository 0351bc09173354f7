"""Solver-free results: statuses, scheduled sessions, and the solve result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class SolveStatus(str, Enum):
    """Honest solver status."""

    OPTIMAL = "OPTIMAL"  # proven best
    FEASIBLE = "FEASIBLE"  # a plan, optimality not proven (see gap)
    INFEASIBLE = "INFEASIBLE"  # proven: no plan at all
    UNKNOWN = "UNKNOWN"  # time limit: no plan and no proof
    MODEL_INVALID = "MODEL_INVALID"  # a bug: the model was rejected

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class ScheduledSession:
    """Session ``index`` of job ``job`` runs in slots ``[start, end)``."""

    job: int
    index: int
    start: int
    end: int
    instructor: int | None = None


@dataclass(frozen=True)
class Schedule:
    """The sessions of every scheduled job; jobs not listed are not done."""

    sessions: tuple[ScheduledSession, ...]

    @property
    def done_jobs(self) -> frozenset[int]:
        """Jobs that are scheduled."""
        return frozenset(s.job for s in self.sessions)

    def job_end(self, job: int) -> int | None:
        """End slot of the last session of ``job`` (None if not done)."""
        ends = [s.end for s in self.sessions if s.job == job]
        return max(ends) if ends else None


@dataclass(frozen=True)
class Result:
    """Outcome of a solve.

    ``goals_met`` holds one flag per goal of the plan; ``max_goals`` and
    ``goals_bound`` are the number met and the proven upper bound on how
    many can be met (equal when the readiness question is settled).
    """

    status: SolveStatus
    schedule: Schedule | None
    goals_met: tuple[bool, ...] = ()
    goals_bound: int | None = None
    objective: float | None = None
    bound: float | None = None
    runtime: float = 0.0
    phases: tuple[dict[str, object], ...] = field(default_factory=tuple)

    @property
    def num_goals_met(self) -> int:
        """How many goals the plan meets."""
        return sum(self.goals_met)

    @property
    def gap(self) -> float | None:
        """Relative gap of the secondary objective (0 when optimal)."""
        if self.objective is None or self.bound is None:
            return None
        denom = max(abs(self.objective), 1e-9)
        return abs(self.objective - self.bound) / denom
