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

The shares of a plan, of one solve and of a min-window probe are named once,
at the end of this module, with the step each is for; ``explain``
(:mod:`planner.analysis.explain.run`) and the PSPLIB benchmark
(:mod:`planner.bench.hybrid`) name their own beside their steps. Steps that follow the solve (confirmation solves, relaxation proofs) use
:meth:`Budget.after`: out of the same limit in wall mode; on top of it, with
their own cap, under ``--deterministic`` (see the README's "Time limit").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

# --deterministic: wall seconds allowed per work unit before the safety limit, for a command and for one
# CP-SAT call. Wide, because work units can take ten times their count on a busy machine (six busy
# processes on two cores), and a cut would make the answer depend on the load.
OUTER_FACTOR = 30.0
OUTER_SLACK_S = 30.0

_WALL_CUTS: list[str] = []  # this process's --deterministic steps stopped by the wall-clock safety limit


def note_wall_cut(what: str) -> None:
    """Count a ``--deterministic`` step (a search, or a command's remaining steps) that the wall-clock
    safety limit stopped: its answer may depend on the machine's load (the command says so)."""
    _WALL_CUTS.append(what)


def wall_cuts(reset: bool = False) -> int:
    """How many steps :func:`note_wall_cut` counted (then forgets them if ``reset``)."""
    count = len(_WALL_CUTS)
    if reset:
        _WALL_CUTS.clear()
    return count


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
        self._cut = False

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

    def worth(self, minimum: float) -> bool:
        """Whether another step is worth starting: in wall mode at least ``minimum`` seconds
        remain (building a model costs time of its own); counted in work units, any remain."""
        return self.remaining() >= minimum if not self.deterministic else self.remaining() > 0.0

    def out_of_time(self) -> bool:
        """Whether the wall clock passed :attr:`outer` (a deterministic answer then depends on load:
        counted once per budget by :func:`note_wall_cut`)."""
        cut = self.elapsed() > self.outer
        if cut and self.deterministic and not self._cut:
            self._cut = True
            note_wall_cut("steps left out")
        return cut

    # -- handing out -------------------------------------------------------------
    def share(self, fraction: float | Share, cap: float | None = None, floor: float = 0.0) -> float:
        """A step's limit: ``fraction`` of the whole budget, at most ``cap`` and at least ``floor``
        seconds; in wall mode never more than what remains (``floor`` aside). Nothing is charged.

        ``fraction`` may be a named :class:`Share` (its own cap and floor, and its
        fraction for the budget's mode; ``cap`` and ``floor`` then tighten or raise them)."""
        if isinstance(fraction, Share):
            cap = fraction.cap if cap is None else cap if fraction.cap is None else min(cap, fraction.cap)
            share = Share(fraction.fraction, cap, max(floor, fraction.floor), fraction.deterministic)
        else:
            share = Share(fraction, cap, floor)
        return share.limit(self.seconds, self.deterministic, None if self.deterministic else self.remaining())

    def take(self, fraction: float | Share, cap: float | None = None, floor: float = 0.0) -> float:
        """:meth:`share` and charge it (deterministic counting); returns the limit."""
        limit = self.share(fraction, cap, floor)
        self.charge(limit)
        return limit

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of work units as used (here and in every parent)."""
        self._charged += seconds
        if self._parent is not None:
            self._parent.charge(seconds)

    def rest(self, keep: float = 0.0, cap: float | None = None) -> float:
        """What remains (counted either way) less ``keep`` seconds kept back for later steps,
        at most ``cap``; never negative. Nothing is charged."""
        limit = max(0.0, self.remaining() - keep)
        return limit if cap is None else min(limit, cap)

    def child(self, seconds: float) -> Budget:
        """A budget of at most ``seconds`` for one step (never more than remains here in wall mode);
        what it charges is charged here too, as it is used."""
        if not self.deterministic:
            seconds = min(seconds, self.remaining())
        return Budget(max(0.0, seconds), self.deterministic, clock=self._clock, parent=self)

    def part(self, seconds: float) -> Budget:
        """A budget of ``seconds`` handed out whole: charged here at once, in full, however
        much of it the step uses (so that under ``--deterministic`` the next step's limit
        does not depend on this one's work); in wall mode at most what remains here."""
        self.charge(seconds)
        if not self.deterministic:  # the clock counts here, not the charge
            seconds = min(seconds, self.remaining())
        return Budget(max(0.0, seconds), self.deterministic, clock=self._clock)

    def after(self, share: Share) -> Budget:
        """A budget for a step that follows the bulk of the command (confirmation solves,
        relaxation proofs), counted as it is used.

        Wall mode: ``share`` of the whole, out of what the clock leaves (a child), so
        the command still ends within its limit. ``--deterministic``: ``share`` of the
        whole *on top* of what was handed out before: the earlier steps were charged
        their limits as handed out, and keeping time back from them would change
        their answers; the step's own bound is then ``share`` of the limit.
        """
        seconds = share.limit(self.seconds, self.deterministic)
        if self.deterministic:
            return Budget(seconds, True, clock=self._clock)
        return self.child(seconds)

    def __repr__(self) -> str:
        mode = "work units" if self.deterministic else "wall"
        return f"Budget({self.seconds:g} s, {mode}, spent {self.spent():.2f})"


@dataclass(frozen=True)
class Share:
    """A named step's part of a budget: ``fraction`` of the whole (``deterministic``
    instead under ``--deterministic`` when the two differ), at most ``cap`` and at
    least ``floor`` seconds."""

    fraction: float
    cap: float | None = None
    floor: float = 0.0
    deterministic: float | None = None

    def of(self, deterministic: bool) -> float:
        """The fraction for a budget of that mode."""
        return self.deterministic if deterministic and self.deterministic is not None else self.fraction

    def limit(self, seconds: float, deterministic: bool, most: float | None = None) -> float:
        """This share of ``seconds``, capped, at most ``most`` (what a wall-clock budget has
        left, see :meth:`Budget.share`), then raised to the floor."""
        limit = self.of(deterministic) * seconds
        if self.cap is not None:
            limit = min(limit, self.cap)
        if most is not None:
            limit = min(limit, most)
        return max(limit, self.floor)


# -- the named shares: every split of a command's time, in one place ------------------
# Wall mode: each share is also capped by what the clock leaves of its budget.
# --deterministic: each is handed out as written, so the limits never depend on load.

# planner.plan.pipeline.plan, of the command's budget:
HINT = Share(0.05, cap=3.0)
"""The squeaky-wheel start (greedy passes, a hint only); --deterministic: counted in passes."""
HINT_PASSES_PER_S = 25
"""--deterministic: greedy passes per second of :data:`HINT` (about a second's worth on 12 trainees)."""
LEVEL_START = Share(0.05, cap=3.0)
"""The level shape's start for the plan phase (planner.heuristics.level), of the solve's budget: counted in
greedy passes (:data:`HINT_PASSES_PER_S`) in either mode; the clock caps it in wall mode as a safety limit."""
SCREEN = Share(0.1, cap=10.0)
"""Proving goals impossible alone before the solve (planner.plan.relax.screen_goals), all goals together."""
SCREEN_GOAL_S = 0.5
"""Each goal of the screening: the parts that fail do so in presolve (about 0.01 s), the others in 0.1 s."""
AFTER_SOLVE = Share(0.2, deterministic=0.0)
"""Wall mode: kept back from the solve for what follows it (confirmation solves or a relaxation proof),
so that they come out of the command's limit, not on top. --deterministic: nothing is kept back; those
steps have their own limits below, charged as handed out."""
CONFIRMS = Share(1.0)
"""All confirmation solves of unmet goals together ("impossible alone, or a trade-off?"), counted as used
(:meth:`Budget.after`): wall mode, what the command has left; --deterministic, at most the limit again."""
CONFIRMS_ALONE = Share(0.5, deterministic=1.0)
"""The same when readiness is assessed without a command budget (wall mode: half the limit)."""
CONFIRM_EACH_S = 10.0
"""Each confirmation solve at most (and at most what :data:`CONFIRMS` has left)."""
CONFIRM_MIN_S = 0.5
"""Wall mode: no confirmation solve is started with less than this left (see :meth:`Budget.worth`)."""
DECOMPOSE = Share(0.25)
"""A plan built one participant at a time when the solve left pairs open without a proof
(planner.heuristics.decompose; :meth:`Budget.after`)."""
PLAN_RELAX = Share(0.25)
"""One-participant relaxation proof when the solve left pairs UNKNOWN (:meth:`Budget.after`)."""
FACILITY_RELAX = Share(0.05, cap=3.0)
"""Day-indexed relaxations of the facilities (planner.solve.day_packing), all together, when the solve
left pairs open without a proof, before the confirmation solves (:meth:`Budget.after`); a min-window probe
left undecided gets the same on top of its limit."""
PART_QUICK = 1.0
"""Each participant's part (planner.plan.relax.relaxation_status) is first asked of the whole model for at
most this (seconds; work units under --deterministic): most parts are decided by it (feasible at once, or
infeasible by presolve)."""
PART_DAYS_EACH = 4.0
"""Work units for a part's day-indexed relaxation (planner.solve.part_days) when the first ask left it
undecided, whatever the mode (wall mode: also at most what the clock leaves), so that its answer does not
depend on machine load; the 81-day MS-19 proof takes about 2."""
FACILITY_EACH = 0.5
"""Work units for each facility's relaxation (and for its count) whatever the mode: its proofs come at the root (0.04 units for
16 water-survival courses), so the answer never depends on machine load. One instructor for three 64-h courses in 22
working days (48 four-hour sessions for 44 half-days) took 0.3-0.5 units of presolve before its root: 0.25 left it open."""

# planner.solve.phases, of one solve's budget:
READINESS_PHASE = Share(0.75)
"""Phase 1 (goals met), when a plan phase follows (else the whole solve)."""
PLAN_PHASE = Share(0.5, deterministic=0.25)
"""Phase 2 (complete the programme, finish early): the verdict never waits on it."""
COMPLETE_HINT = Share(0.1, cap=10.0, floor=1.0)
"""Completing a hint schedule into a full assignment: always counted in work units (a reproducible hint),
in wall mode also capped by what the clock leaves."""

# planner.solve.makespan:
DECIDE = 0.4
"""Of a makespan solve, kept back to prove the incumbent by decision."""

# planner.analysis.window.readiness_probe, of one probe's budget (min-window: each probe has the limit):
PROBE_RELAX = Share(0.5)
"""One-participant relaxations first (they prove load-bound windows infeasible quickly)."""
PROBE_FEASIBILITY_HINTED = Share(0.15, floor=0.5)
"""The feasibility solve with every goal required, repairing a hint (a nearby window's plan)."""
PROBE_FEASIBILITY_COLD = Share(0.05, cap=2.0, floor=0.5)
"""The same without a hint: only there for presolve's quick proofs."""
PROBE_DECOMPOSE = Share(0.25)
"""A plan built one participant at a time (planner.heuristics.decompose), before phase 1: at windows whose
hours are exactly spent it finds the READY plan that the whole model's search misses."""
PROBE_SOLVE_FLOOR = Share(0.2)
"""Phase 1 gets what is left, and at least this (so a probe takes at most 1.1 x the limit, with a hint; an
undecided one at most FACILITY_RELAX more)."""

# planner.analysis.repair.find_repairs, of the command's budget (the verifying re-plans have their own limit):
REPAIR_BASE = Share(0.15)
"""Planning the scenario as it is: when it meets the target already, nothing is needed."""
REPAIR_START = Share(0.25)
"""Planning the relaxed scenario (every lever at its most): is the target reachable at all, and a start."""
REPAIR_HINT = Share(0.1)
"""Completing the relaxed plan into a start for the repair model (planner.solve.hints.complete_hint)."""
REPAIR_FIRST = Share(0.7)
"""Of what is left, the search for the cheapest set; the alternatives share the rest."""
REPAIR_UNLOCKS = Share(0.15)
"""What each lever of each set unlocks (one small solve per lever)."""
