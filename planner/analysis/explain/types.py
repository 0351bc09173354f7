"""What an explanation is made of: facts, fixes, verifications and the result per goal."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.plan.pipeline import PlanOutcome
from planner.plan.readiness import Verdict

Plain = dict[str, Any]
Edit = Callable[[Plain], None]
GoalKey = tuple[str, str]  # (participant, competency)
Say = Callable[[str], None]


def clone(plain: Plain) -> Plain:
    """A deep copy of plain scenario data (dicts, lists, strings, numbers, dates): through pickle,
    about five times faster than ``copy.deepcopy`` on such trees (explain copies one per probe)."""
    out: Plain = pickle.loads(pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))
    return out


@dataclass(frozen=True)
class Fact:
    """A statement of the scenario and how to relax it.

    ``edit`` changes plain scenario data; a fact without ``edit`` is another
    goal that competes with the explained one (relaxing it means not
    requiring it). ``generic`` is ``key`` with the explained participant and
    competency abstracted, to reuse a conflict for a similar goal.
    """

    key: str
    kind: str
    text: str
    relaxed: str
    edit: Edit | None = None
    generic: str = ""
    goal: GoalKey | None = None


@dataclass(frozen=True)
class Fix:
    """A single change of the scenario that makes a goal achievable.

    ``waiver``: the change drops a rule or a deadline rather than adding
    means (days, capacity, hours); waivers are listed after every real fix,
    whatever their cost.
    """

    key: str
    text: str
    cost: float
    edit: Edit
    least: bool = True  # False when a smaller amount could not be ruled out in time
    waiver: bool = False
    lever: bool = True  # made by a lever of planner repair (False: said "(no repair lever)")

    @property
    def order(self) -> tuple[bool, float, bool, str]:
        """Sort key: real fixes cheapest first, then waivers cheapest first; of equal cost, a lever's first."""
        return self.waiver, self.cost, not self.lever, self.key


@dataclass
class Verification:
    """Whole-scenario checks of one fix: for each goal tried, whether a full
    plan with the fix makes it ready while every already-ready pair stays ready.

    ``status[goal]``: READY (a verified whole plan exists), NOT_READY (proven:
    not without losing a ready pair) or UNKNOWN (time limit). ``ready`` is the
    number of pairs the best verified plan meets.
    """

    ready: int
    total: int
    status: dict[GoalKey, Verdict]
    seconds: float


@dataclass
class GoalExplanation:
    """The explanation of one unmet goal."""

    participant: str
    competency: str
    status: Verdict
    kind: str  # conflict | trade-off | unachievable | open | undecided
    conflict: tuple[Fact, ...] = ()
    proven_minimal: bool = True
    note: str = ""
    fixes: list[Fix] = field(default_factory=list)

    @property
    def goal(self) -> GoalKey:
        """``(participant, competency)``."""
        return self.participant, self.competency


@dataclass
class Explanation:
    """Everything ``planner explain`` found."""

    outcome: PlanOutcome
    findings: list[str]
    goals: list[GoalExplanation]
    verifications: dict[str, Verification]
    seconds: float
    exhausted: bool
    problems: list[str] = field(default_factory=list)
    probes: int = 0  # feasibility questions answered by the solver (cached ones not counted)

    @property
    def total(self) -> int:
        """Number of participant-competency goals."""
        return len(self.outcome.readiness)

    @property
    def ready_before(self) -> int:
        """Goals ready in the plan before any fix."""
        return sum(r.status == Verdict.READY for r in self.outcome.readiness)

    def verified(self, fix: Fix, goal: GoalKey) -> str:
        """``yes``/``no``/``unknown`` from the whole-scenario check of ``fix``, or ``not run``."""
        return ex_verified(self.verifications, fix, goal)


def ex_verified(verifications: dict[str, Verification], fix: Fix, goal: GoalKey) -> str:
    """Whether ``fix`` makes ``goal`` ready in a whole plan keeping every ready pair: yes, no, unknown or not run."""
    v = verifications.get(fix.key)
    if v is None or goal not in v.status:
        return "not run"
    return {Verdict.READY: "yes", Verdict.NOT_READY: "no", Verdict.UNKNOWN: "unknown", Verdict.WAIVED: "waived"}[v.status[goal]]
