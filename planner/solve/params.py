"""Solver settings shared by every solve: :class:`SolveParams` and the progress hook."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.constants import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, DEFAULT_WORKERS, PLAN_GAP, PLAN_WORKERS
from planner.solve.budget import OUTER_FACTOR, OUTER_SLACK_S, Budget

Progress = Callable[[str, float, float, float], None]
"""Called on every improving solution: phase, seconds, objective, bound."""


@dataclass(frozen=True)
class SolveParams:
    """Solver settings.

    ``deterministic`` runs one search worker with a deterministic time limit
    (CP-SAT work units), so that the same input gives the same plan on any
    machine; the wall clock then only caps the run at ``OUTER_FACTOR`` times
    the limit plus ``OUTER_SLACK_S`` seconds as a safety net.

    ``wall_cap`` (with ``deterministic``): a wall-mode step counted in work units
    (so that its answer does not depend on load) that must still end within what
    its command's clock leaves: the cap replaces the safety net when lower. It is
    then a limit, not a safety net: a search it stops is not reported as cut.
    """

    time_limit: float = DEFAULT_TIME_LIMIT_S
    deterministic: bool = False
    seed: int = DEFAULT_SEED
    num_workers: int = 0
    log: bool = False
    plan_phase: bool = True
    extra: dict[str, object] = field(default_factory=dict)
    wall_cap: float | None = None
    plan_gap: float = PLAN_GAP

    def budget(self) -> Budget:
        """A fresh budget of ``time_limit``, counted as these parameters count time."""
        return Budget(self.time_limit, self.deterministic)

    def within(self, limit: float) -> SolveParams:
        """The same settings with a time limit of ``limit`` seconds."""
        return replace(self, time_limit=limit)

    def with_workers(self, num_workers: int) -> SolveParams:
        """The same settings with ``num_workers`` search workers (wall mode)."""
        return replace(self, num_workers=num_workers)

    def for_plan_phase(self) -> SolveParams:
        """Phase 2's settings (planner.solve.phases): in wall mode, unless the user chose the workers,
        a smaller portfolio (:data:`PLAN_WORKERS`, or one worker per core on larger machines, at most
        :data:`DEFAULT_WORKERS`) and one presolve pass; ``--deterministic`` is unchanged.

        Why: the plan's bound comes from a few full-model workers (the core-based one above all),
        which eight time-sliced workers on two cores starve. A/B on the 2-core machine (60-s limit,
        benchmarks/README.md): MS-19's gap 0.0001 % idle and 0.0004 % with two busy processes (up to
        22 % with eight), the 3-month file 2.7 % / 4.6 % (7 %), the training-centre file 9.7 % /
        24.9 % (19.0 % / 32.5 %), MS-20 optimal in 8.9 s (15.2 s). Phase 2 starts from phase 1's
        model: on MS-19 its second and third presolve passes found nothing new and cost 2 s (on 16
        crews x 150 days the single pass raised peak memory from 1.06 to 1.50 GB, within the 4-GB
        target).
        """
        if self.deterministic:
            return self
        workers = self.num_workers or min(DEFAULT_WORKERS, max(PLAN_WORKERS, os.cpu_count() or 1))
        return replace(self, num_workers=workers, extra={"max_presolve_iterations": 1, **self.extra})

    def apply(self, solver: cp_model.CpSolver, limit: float) -> None:
        """Set ``solver``'s parameters for a phase of at most ``limit`` seconds."""
        p = solver.parameters
        p.random_seed = self.seed
        p.log_search_progress = self.log
        # Ctrl-C is Python's (see solve_interruptibly): CP-SAT's own handler
        # would only end the current search and let the run go on.
        p.catch_sigint_signal = False
        if self.deterministic:
            p.num_workers = 1
            p.max_deterministic_time = max(limit, 0.01)
            # CP-SAT's work units run several times slower than wall seconds
            # on a loaded machine (a short solve ran 10x its units with six
            # busy processes on two cores): the wall cap is only a safety net
            # against a stuck search, wide enough never to cut a normal one.
            outer = OUTER_FACTOR * limit + OUTER_SLACK_S
            p.max_time_in_seconds = outer if self.wall_cap is None else max(0.01, min(outer, self.wall_cap))
        else:
            p.max_time_in_seconds = max(limit, 0.01)
            # CP-SAT sizes its portfolio by the core count; on small machines
            # the two-worker portfolio lacks the bound-proving workers, so ask
            # for eight (time-sliced) unless the user chose.
            p.num_workers = self.num_workers or DEFAULT_WORKERS
        for key, value in self.extra.items():
            setattr(p, key, value)
