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
    """Session ``index`` of job ``job`` runs in slots ``[start, end)``, taught by ``instructor``;
    ``staff``: the people of the job's further roles (``Job.staff``), ``count`` per role in order."""

    job: int
    index: int
    start: int
    end: int
    instructor: int | None = None
    staff: tuple[int, ...] = ()


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
class PhaseInfo:
    """One search of a solve: what it was asked, how it ended, what it cost.

    A CP-SAT phase (``deterministic_time`` set) always reports its objective
    and bound, None when it has none; ``wall_time`` is left out under
    ``--deterministic``. ``details``: further named facts of a step that is not
    a plain search (e.g. a benchmark's heuristic start), in order.
    """

    phase: str
    status: SolveStatus | None = None
    objective: float | None = None
    bound: float | None = None
    deterministic_time: float | None = None
    wall_time: float | None = None
    question: str | None = None
    details: tuple[tuple[str, object], ...] = ()
    cut_by_wall: bool = False  # --deterministic: stopped by the wall-clock safety limit, not by its work units

    def as_dict(self) -> dict[str, object]:
        """The phase as written in manifests: the keys it has, in a fixed order."""
        out: dict[str, object] = {"phase": self.phase}
        if self.status is not None:
            out["status"] = self.status.value
        if self.deterministic_time is not None:
            out |= {"objective": self.objective, "bound": self.bound, "deterministic_time": self.deterministic_time}
        if self.wall_time is not None:
            out["wall_time"] = self.wall_time
        if self.question is not None:
            out["question"] = self.question
        out.update(self.details)
        if self.cut_by_wall:
            out["cut_by_wall_clock"] = True
        return out


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
    phases: tuple[PhaseInfo, ...] = field(default_factory=tuple)
    # Whether the pairs a proven count leaves unmet are settled too: False when only the count is proven and
    # the tie-break (pairs that cannot be waived before waivable ones) is not.
    settled: bool = True

    @property
    def num_goals_met(self) -> int:
        """How many goals the plan meets."""
        return sum(self.goals_met)

    @property
    def cut_phases(self) -> list[str]:
        """The phases that the wall-clock safety limit stopped under ``--deterministic`` (their answer
        may depend on the machine's load); empty in a normal run."""
        return [p.phase for p in self.phases if p.cut_by_wall]

    @property
    def gap(self) -> float | None:
        """Relative gap of the secondary objective (0 when optimal)."""
        if self.objective is None or self.bound is None:
            return None
        denom = max(abs(self.objective), 1e-9)
        return abs(self.objective - self.bound) / denom


_READINESS_WORDS = {
    SolveStatus.OPTIMAL: "readiness proven",
    SolveStatus.INFEASIBLE: "proven: no plan exists at all",
    SolveStatus.FEASIBLE: "readiness not proven (time limit)",
    SolveStatus.UNKNOWN: "readiness not proven (time limit, no plan found)",
    SolveStatus.MODEL_INVALID: "model rejected (internal error)",
}


def status_words(res: Result) -> str:
    """What a readiness verdict rests on, per phase, in words a lead can read.

    Phase 1 (readiness) proves or not how many pairs can be met; phase 2
    (plan), when it ran, orders the sessions: "readiness proven; session
    order optimal", "readiness proven; session order not yet optimised".
    The manifest keeps the machine-readable statuses of both phases.
    """
    words = _plan_words(res)
    if res.cut_phases:
        words += f"; {' and '.join(res.cut_phases)} stopped by the wall-clock safety limit (may depend on machine load)"
    return words


def _plan_words(res: Result) -> str:
    words = _READINESS_WORDS[res.status]
    if res.status == SolveStatus.OPTIMAL and not res.settled:
        words = "how many pairs can be met proven, not which (time limit)"
    plan = next((p for p in res.phases if p.phase == "plan"), None)
    if plan is None:
        return words
    if plan.status == SolveStatus.OPTIMAL:
        return f"{words}; session order optimal"
    if plan.status == SolveStatus.FEASIBLE and res.objective is not None:
        if res.gap is None:  # no bound for the whole problem (e.g. a search restricted to a ring)
            return f"{words}; session order improved, not proven best"
        return f"{words}; session order improved, not proven best (gap {res.gap * 100:.1f} %)"
    return f"{words}; order of sessions not yet optimised"
