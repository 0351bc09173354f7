"""One time budget per command, from which every solve draws its limit.

A command (plan, explain, min-window...) makes one :class:`Budget` from its
``--time-limit`` and hands *shares* of it down: the start heuristic, the
screening, the two solver phases, the confirmation solves, the relaxation
proofs. Nothing else splits the time, so a new step cannot silently run past
the command's limit.

Two ways of counting:

* **wall** (default): a share never exceeds what the clock leaves, so the
  whole command ends within its limit (plus start-up and writing files);
* **deterministic** (``--deterministic``): shares are counted in CP-SAT work
  units (deterministic time, roughly seconds on one core) as they are handed
  out, never from the clock, so the same input gets the same limits and the
  same answer however busy the machine is. The wall clock is then only an
  outer safety limit (:attr:`Budget.outer`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]

OUTER_FACTOR = 10.0  # --deterministic: wall seconds allowed per work unit before the safety limit
OUTER_SLACK_S = 10.0


class Budget:
    """``seconds`` of solver time for one command (or one step of it).

    ``deterministic``: count shares in work units as they are charged
    (:meth:`charge`), not by the clock. A child budget (:meth:`child`)
    charges its parent too, so a step's sub-steps are counted once.
    """

    def __init__(
        self,
        seconds: float,
        deterministic: bool = False,
        *,
        clock: Clock = time.perf_counter,
        parent: Budget | None = None,
    ) -> None:
        if seconds < 0:
            raise ValueError(f"a budget cannot be negative: {seconds}")
        self.seconds = float(seconds)
        self.deterministic = deterministic
        self._clock = clock
        self._t0 = clock()
        self._charged = 0.0
        self._parent = parent

    # -- reading ---------------------------------------------------------------
    def elapsed(self) -> float:
        """Wall seconds since the budget was made."""
        return self._clock() - self._t0

    def spent(self) -> float:
        """What counts as used: work units charged (deterministic) or wall seconds."""
        return self._charged if self.deterministic else self.elapsed()

    def remaining(self) -> float:
        """What is left of the budget (never negative)."""
        return max(0.0, self.seconds - self.spent())

    @property
    def outer(self) -> float:
        """The wall-clock safety limit of a deterministic budget (its own limit otherwise)."""
        return OUTER_FACTOR * self.seconds + OUTER_SLACK_S if self.deterministic else self.seconds

    def out_of_time(self) -> bool:
        """Whether the wall clock passed :attr:`outer` (a deterministic answer then depends on load)."""
        return self.elapsed() > self.outer

    # -- handing out -------------------------------------------------------------
    def share(self, fraction: float, cap: float | None = None, floor: float = 0.0) -> float:
        """A step's limit: ``fraction`` of the whole budget, at most ``cap`` and at least ``floor``
        seconds; in wall mode never more than what remains (``floor`` aside). Nothing is charged."""
        limit = fraction * self.seconds
        if cap is not None:
            limit = min(limit, cap)
        if not self.deterministic:
            limit = min(limit, self.remaining())
        return max(limit, floor)

    def take(self, fraction: float, cap: float | None = None, floor: float = 0.0) -> float:
        """:meth:`share` and charge it (deterministic counting); returns the limit."""
        limit = self.share(fraction, cap, floor)
        self.charge(limit)
        return limit

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of work units as used (here and in every parent)."""
        self._charged += seconds
        if self._parent is not None:
            self._parent.charge(seconds)

    def child(self, seconds: float) -> Budget:
        """A budget of at most ``seconds`` for one step (never more than remains here in wall mode);
        what it charges is charged here too."""
        if not self.deterministic:
            seconds = min(seconds, self.remaining())
        return Budget(max(0.0, seconds), self.deterministic, clock=self._clock, parent=self)

    def __repr__(self) -> str:
        mode = "work units" if self.deterministic else "wall"
        return f"Budget({self.seconds:g} s, {mode}, spent {self.spent():.2f})"
