"""How short can the training window be? ``min-window`` and ``sweep``.

Both move ``window.start`` for a fixed launch (with missions, a mission's
start or one of its training blocks: :mod:`planner.analysis.window_target`). A shorter window must also drop
what the schema would reject outside it: campaign days (``available_dates``)
before the new start and blackouts that end before it. Readiness only grows
with the window (a plan for a later start is a plan for an earlier one), so
the shortest window is found by binary search, with a proof on both sides:
a verified READY plan at N days and a proven NOT_READY at N-1 days.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from planner.analysis.window_target import Target, resolve_target
from planner.calendar.grid import TimeGrid
from planner.constants import MAX_WINDOW_DAYS
from planner.data.problem import ProblemData
from planner.data.result import Result, Schedule, SolveStatus
from planner.heuristics.decompose import by_participant, greedy_meeting
from planner.plan.pipeline import PlanOutcome, check_schedule, prepare
from planner.plan.readiness import Verdict, assess
from planner.plan.relax import facility_proof, relaxation_proof, relaxation_status
from planner.scenario.load import LoadedScenario, validate_document
from planner.scenario.schema import Scenario
from planner.solve.budget import (
    FACILITY_RELAX,
    PROBE_DECOMPOSE,
    PROBE_FEASIBILITY_COLD,
    PROBE_FEASIBILITY_HINTED,
    PROBE_RELAX,
    PROBE_SOLVE_FLOOR,
)
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.run import SolveParams, solve
from planner.verify.checks import goals_achieved

Say = Callable[[str], None]


# -- scenario edits on plain data ------------------------------------------------


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _listify(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_listify(v) for v in node]
    return node


def scenario_plain(sc: Scenario) -> dict[str, Any]:
    """``sc`` as plain, mutable YAML-shaped data (lists, dicts, ``from``/``to`` keys)."""
    plain: dict[str, Any] = _listify(sc.model_dump(by_alias=True))
    return plain


def reload(base: LoadedScenario, plain: dict[str, Any], edits: Sequence[str] = ()) -> LoadedScenario:
    """Validate edited plain data as a scenario derived from ``base``.

    Raises :class:`ScenarioError` naming the YAML path if the edit broke a rule.
    """
    scenario = validate_document(plain, {}, str(base.path))
    return LoadedScenario(scenario, base.path, base.sha256, base.variant, (*base.edits, *edits))


def set_window_start(plain: dict[str, Any], start: dt.date) -> None:
    """Move the window start, keeping the scenario valid for the new window.

    Campaign days outside the window are dropped; if none is left, the
    resource gets a blackout over the whole window, because an empty
    ``available_dates`` would mean "available every day".
    """
    launch: dt.date = plain["window"]["launch"]
    plain["window"]["start"] = start
    for section in ("participants", "resources", "instructors"):
        for item in plain.get(section) or []:
            if item.get("blackouts"):
                item["blackouts"] = [b for b in item["blackouts"] if not (b["to"] < start or b["from"] > launch)]
    for res in plain.get("resources") or []:
        dates = res.get("available_dates") or []
        if dates:
            kept = [d for d in dates if start <= d <= launch]
            res["available_dates"] = kept
            if not kept:
                res["blackouts"] = [{"from": start, "to": launch, "reason": "no campaign day in the window"}]


def shortest_allowed_days(sc: Scenario) -> int:
    """Fewest window days the schema allows: 28, and every gate inside the window."""
    return resolve_target(sc).shortest


def with_window_days(base: LoadedScenario, days: int) -> LoadedScenario:
    """``base`` with a window of ``days`` days before the same launch."""
    plain = scenario_plain(base.scenario)
    start = base.scenario.window.launch - dt.timedelta(days=days)
    set_window_start(plain, start)
    return reload(base, plain, (f"window.start={start.isoformat()}",))


def with_target_days(base: LoadedScenario, target: Target, days: int) -> LoadedScenario:
    """``base`` with ``target``'s start ``days`` days before its fixed end."""
    return with_window_days(base, days) if target.whole else target.with_days(base, days)


# -- one probe: can everybody be ready? --------------------------------------------


@dataclass(frozen=True)
class Probe:
    """Readiness of the whole scenario for one window length, with its proof."""

    days: int
    start: dt.date
    verdict: Verdict
    proof: str
    seconds: float
    outcome: PlanOutcome | None = None


def _verified(loaded: LoadedScenario, grid: TimeGrid, data: ProblemData, result: Result,
              params: SolveParams) -> PlanOutcome:
    """The same independent checks as ``planner plan``; a violation is a bug."""
    check_schedule(loaded.scenario, grid, data, result)
    readiness = assess(loaded.scenario, grid, data, result, params, confirm=False)
    return PlanOutcome(loaded, grid, data, result, tuple(readiness), params)


def shift_schedule(schedule: Schedule, old_start: dt.date, new_start: dt.date, slots_per_day: int) -> Schedule:
    """``schedule`` on the grid of a window starting ``new_start`` (same dates and times).

    Sessions before the new start get negative slots: as a hint they are
    simply repaired by the solver.
    """
    shift = (old_start - new_start).days * slots_per_day
    return Schedule(tuple(replace(s, start=s.start + shift, end=s.end + shift) for s in schedule.sessions))


def asked_only(data: ProblemData, asked: frozenset[str] | None) -> ProblemData:
    """``data`` with only the goals of the participants ``asked`` (None: all): the other missions' pairs
    of a probe that varies one mission's window are not its question (their jobs stay, and may be left out)."""
    if asked is None:
        return data
    return replace(data, goals=tuple(g for g in data.goals if data.participants[g.participant].id in asked))


def readiness_probe(
    loaded: LoadedScenario, params: SolveParams, hint: Schedule | None = None, relax: bool = True,
    asked: frozenset[str] | None = None,
) -> tuple[Verdict, str, PlanOutcome | None]:
    """Whether every goal (of the participants ``asked``; None: all) can be met: a verified plan, a proof of
    the contrary, or UNKNOWN. A verified plan's outcome reads every pair of the file (those not asked as
    that plan leaves them).

    First a feasibility solve with every goal required (one phase, hinted
    with ``hint``, e.g. the READY plan of a longer window): CP-SAT's presolve
    often proves INFEASIBLE at once, which is exactly "phase-1 optimum below
    the number of goals", and a good hint is repaired into a plan quickly.
    Before it, one-participant relaxations (:func:`relaxation_proof`), which
    prove load-bound windows infeasible far sooner than the whole model. Then, if
    still undecided, the usual two-phase solve, whose phase 1 builds a plan
    goal by goal and often finds a READY plan sooner than a cold feasibility
    search; a phase-1 bound below the number of goals is also a proof.
    ``relax=False`` skips the relaxations (already known to be feasible).
    """
    budget = params.budget()
    grid, whole = prepare(loaded)
    data = asked_only(whole, asked)
    total = len(data.goals)
    of = "" if asked is None else " of the mission"

    def verified(schedule: Schedule) -> PlanOutcome:  # read on the whole file: every pair as this plan leaves it
        result = Result(SolveStatus.FEASIBLE, schedule, goals_met=goals_achieved(whole, schedule),
                        goals_bound=len(whole.goals) if asked is None else None)
        out = _verified(loaded, grid, whole, result, params)
        if asked is None:
            return out
        # A pair of another mission this plan leaves unmet was not asked: no time limit cut it.
        why = "not asked by this probe (it varies another mission's window): plan the file to answer it"
        return replace(out, readiness=tuple(r if r.participant in asked or r.status != Verdict.UNKNOWN
                                            else replace(r, reason=why) for r in out.readiness))
    missing = [g for g in data.goals if g.missing]
    if missing:
        g = missing[0]
        return (Verdict.NOT_READY,
                f"{data.participants[g.participant].id}'s role does not take {', '.join(g.missing)}", None)
    # The probe's time is split (shares in planner.solve.budget): the
    # one-participant relaxations first (each part is small: a feasible one
    # answers in about a second, so they cost little when the window is long
    # enough), up to half; then a feasibility solve with every goal required,
    # a short share (more with a hint to repair); phase 1 gets the rest.
    if relax and len(data.participants) > 1:
        proof = relaxation_proof(data, params, budget.part(budget.share(PROBE_RELAX)))
        if proof is not None:
            return Verdict.NOT_READY, proof, None
    # Without a hint the feasibility solve is only there for presolve's quick
    # proofs: cold, it rarely finds a plan that phase 1 would not find sooner.
    hint = greedy_meeting(data, seed=params.seed) or hint  # a greedy plan meeting all: the search takes it at once
    first = budget.take(PROBE_FEASIBILITY_HINTED if hint is not None else PROBE_FEASIBILITY_COLD)
    status, schedule = plan_meeting_goals(data, None, params.within(first), hint)
    if status == SolveStatus.INFEASIBLE:
        return Verdict.NOT_READY, "proven: not every pair can be met (INFEASIBLE with all required)", None
    if schedule is not None and all(goals_achieved(data, schedule)):
        return Verdict.READY, f"verified plan meets all {total} pairs{of}", verified(schedule)
    # Zero spare hours: packing one participant at a time around the others often succeeds where
    # the whole model's search does not (found plans only; a failure proves nothing).
    if len(data.participants) > 1:
        built = by_participant(data, params, budget.part(budget.share(PROBE_DECOMPOSE)))
        if built is not None:
            return (Verdict.READY, f"verified plan meets all {total} pairs{of} (planned one participant at a time)",
                    verified(built))
    # Phase 1 alone settles the question; polishing a plan is not needed here.
    # --deterministic: what is left is counted in work units handed out, not by the clock.
    left = max(PROBE_SOLVE_FLOOR.limit(budget.seconds, budget.deterministic), budget.rest())
    # Cold: phase 1 builds its own plan goal by goal; a hint that the
    # feasibility solve could not repair only pulls it back to the same place.
    result = solve(data, replace(params.within(left), plan_phase=False))
    if result.schedule is not None and all(result.goals_met):
        if asked is not None:
            return Verdict.READY, f"verified plan meets all {total} pairs{of}", verified(result.schedule)
        return Verdict.READY, f"verified plan meets all {total} pairs", _verified(loaded, grid, data, result, params)
    if result.status == SolveStatus.INFEASIBLE or (result.goals_bound is not None and result.goals_bound < total):
        return Verdict.NOT_READY, f"proven: at most {result.goals_bound or 0} of {total} pairs{of} can be met", None
    # Undecided: one shared resource alone, day by day, may still prove it (a pigeonhole the search does
    # not finish). Only here, on top of the probe's limit (at most FACILITY_RELAX of it, counted in work
    # units), so that the probes the steps above decide pay nothing for it.
    found = facility_proof(data, params, params.budget().share(FACILITY_RELAX))
    if found is not None:
        return Verdict.NOT_READY, found.text, None
    return (Verdict.UNKNOWN,
            f"time limit: best plan meets {result.num_goals_met} of {total} pairs{of}, no proof that all cannot", None)


# -- min-window ------------------------------------------------------------------


@dataclass(frozen=True)
class WindowResult:
    """Outcome of the search.

    ``ready_days``: the shortest window with a verified READY plan (None: none
    found). ``not_ready_days``: the longest window proven NOT_READY, or
    ``shortest - 1`` when the shortest allowed window is ready. The answer is
    exact when they differ by one.
    """

    launch: dt.date
    shortest_allowed: int
    ready_days: int | None
    not_ready_days: int | None
    probes: tuple[Probe, ...]
    target: Target | None = None  # what was varied; None: the top-level window

    @property
    def longest(self) -> int:
        """The longest length allowed."""
        return MAX_WINDOW_DAYS if self.target is None else self.target.longest

    @property
    def exact(self) -> bool:
        """Whether the shortest window is pinned to the day."""
        return (
            self.ready_days is not None
            and self.not_ready_days is not None
            and self.ready_days == self.not_ready_days + 1
        )

    @property
    def verdict(self) -> Verdict:
        """READY when pinned down, NOT_READY when even the longest window fails, else UNKNOWN."""
        if self.exact:
            return Verdict.READY
        if self.ready_days is None and self.not_ready_days == self.longest:
            return Verdict.NOT_READY
        return Verdict.UNKNOWN

    @property
    def ready_probe(self) -> Probe | None:
        """The READY probe at ``ready_days``."""
        return next((p for p in self.probes if p.days == self.ready_days and p.verdict == Verdict.READY), None)

    def start_for(self, days: int) -> dt.date:
        """Window start for a window of ``days`` days."""
        return self.launch - dt.timedelta(days=days)

    def summary(self) -> str:
        """One sentence in the scenario's terms."""
        if self.target is not None and not self.target.whole:
            return self._target_summary(self.target)
        if self.verdict == Verdict.NOT_READY:
            return f"not ready even with the longest window allowed ({MAX_WINDOW_DAYS} days, proven)"
        if self.exact:
            assert self.ready_days is not None and self.not_ready_days is not None
            lower = (
                f"{self.not_ready_days} days is proven not enough"
                if self.not_ready_days >= self.shortest_allowed
                else "no shorter window is allowed (gates and the 28-day minimum)"
            )
            return (
                f"shortest window: {self.ready_days} days (start {self.start_for(self.ready_days)} for launch "
                f"{self.launch}); {lower}"
            )
        lo = self.not_ready_days + 1 if self.not_ready_days is not None else self.shortest_allowed
        if self.ready_days is None:
            longest = max(p.days for p in self.probes)
            return (f"undecided: no probe up to {longest} days found a READY plan or a proof within the time limit; "
                    f"the shortest window is at least {lo} days (raise --time-limit)")
        return f"shortest window: between {lo} and {self.ready_days} days (some probes hit the time limit)"

    def _target_summary(self, t: Target) -> str:
        """:meth:`summary` for a mission's window or one training block, named."""
        what = f"{t.label} ({t.path})"
        last = t.end - dt.timedelta(days=1)
        if self.verdict == Verdict.NOT_READY:
            return f"{what}: not ready even at the longest allowed ({self.longest} days, proven)"
        if self.exact:
            assert self.ready_days is not None and self.not_ready_days is not None
            n = self.not_ready_days
            lower = (f"{n} day{'' if n == 1 else 's'} is proven not enough" if n >= t.shortest
                     else "no shorter one is allowed")
            days = f"{self.ready_days} day{'' if self.ready_days == 1 else 's'}"
            return (f"{what}: shortest {days} (start {self.start_for(self.ready_days)}, "
                    f"last day {last}); {lower}")
        lo = self.not_ready_days + 1 if self.not_ready_days is not None else t.shortest
        if self.ready_days is None:
            return (f"{what}: undecided within the time limit; at least {lo} days (raise --time-limit)")
        return f"{what}: between {lo} and {self.ready_days} days (some probes hit the time limit)"


def min_window(
    loaded: LoadedScenario,
    params: SolveParams,
    say: Say | None = None,
    max_unknown: int = 3,
    target: Target | None = None,
) -> WindowResult:
    """Shortest window (days before the fixed launch) at which everybody is ready.

    ``target``: a mission's window or one of its blocks instead (days before
    its fixed end); None is the top-level window (one mission: its own).
    """
    sc = loaded.scenario
    target = target or resolve_target(sc)
    launch = target.end
    shortest = target.shortest
    longest = target.longest
    probes: dict[int, Probe] = {}
    asked = target.asked(sc)

    relax_from: int | None = None  # from this many days on, every participant's part is known feasible

    def probe(days: int) -> Probe:
        if days not in probes:
            t0 = time.perf_counter()
            loaded_d = with_target_days(loaded, target, days)
            if say is not None:  # a probe can take the whole limit: say what is being tried
                say(f"  {days:3d} days (start {target.start_for(days)}): probing the whole problem ...")
            hint = None
            near = [p for p in probes.values() if p.outcome is not None and p.outcome.result.schedule is not None]
            if near:
                # The READY plan of the nearest probed window, moved onto this grid.
                best = min(near, key=lambda p: abs(p.days - days))
                assert best.outcome is not None and best.outcome.result.schedule is not None
                # The grid starts at the centre's window (not the target's start under missions).
                hint = shift_schedule(best.outcome.result.schedule, best.outcome.loaded.scenario.window.start,
                                      loaded_d.scenario.window.start, best.outcome.data.slots_per_day)
            # Relaxations are monotone in the window: not redone where known feasible.
            relax = relax_from is None or days < relax_from
            verdict, proof, outcome = readiness_probe(loaded_d, params, hint, relax, asked)
            probes[days] = Probe(days, launch - dt.timedelta(days=days), verdict, proof,
                                 time.perf_counter() - t0, outcome)
            _report(say, probes[days])
        return probes[days]

    current = target.days
    ready: int | None = None
    not_ready = shortest - 1  # below the shortest allowed window: no plan at all
    unknown = 0

    def narrow(top: int) -> None:
        # Bisect (not_ready, top), ``top`` assumed ready. An UNKNOWN point
        # stays inside the interval and splits it: the next probe halves the
        # largest gap left, the upper one on ties, because longer windows are
        # easier to plan, so the search moves away from the hard region.
        nonlocal ready, not_ready, unknown
        while unknown < max_unknown:
            inside = [d for d, p in probes.items() if not_ready < d < top and p.verdict == Verdict.UNKNOWN]
            points = sorted({not_ready, top, *inside})
            gaps = [(b - a, a, b) for a, b in itertools.pairwise(points) if b - a > 1]
            if not gaps:
                return
            _, a, b = max(gaps)
            days = (a + b) // 2
            verdict = probe(days).verdict
            if verdict == Verdict.READY:
                ready = top = days
            elif verdict == Verdict.NOT_READY:
                not_ready = days
            else:
                unknown += 1

    # The one-participant relaxations bound the answer from below, cheaply:
    # bisect on them first, then probe the whole problem where they all
    # become feasible. When that probe is READY the answer is exact at once.
    relaxed = (_relaxed_bound(loaded, target, params, not_ready, current, probes, say)
               if len(sc.participants) > 1 else None)
    if relaxed is not None:
        not_ready = max(not_ready, relaxed.not_ready)
        relax_from = relaxed.feasible
        if relaxed.feasible is not None and relaxed.feasible > not_ready:
            verdict = probe(relaxed.feasible).verdict
            if verdict == Verdict.READY:
                ready = relaxed.feasible
            elif verdict == Verdict.NOT_READY:
                not_ready = relaxed.feasible
    # Most scenarios are ready in their own window: search below it first,
    # so that the own window is probed only if nothing shorter is ready.
    narrow(ready if ready is not None else current)
    if ready is None:
        verdict = probe(current).verdict
        if verdict == Verdict.READY:
            ready = current
        elif verdict == Verdict.NOT_READY:
            # Not ready in its own window: try the longest one the format allows.
            not_ready = current
            verdict = probe(longest).verdict
            if verdict == Verdict.READY:
                ready = longest
                narrow(longest)
            elif verdict == Verdict.NOT_READY:
                not_ready = longest
    return WindowResult(launch, shortest, ready, not_ready, tuple(sorted(probes.values(), key=lambda p: p.days)),
                        None if target.whole else target)


def _report(say: Say | None, p: Probe) -> None:
    """One progress line per decided window."""
    if say is not None:
        say(f"  {p.days:3d} days (start {p.start}): {p.verdict.value:9s} {p.seconds:5.1f} s  {p.proof}")


@dataclass(frozen=True)
class _Relaxed:
    """What the relaxation bisection learned: the longest window proven NOT_READY
    by a participant alone, and the shortest where every part was feasible."""

    not_ready: int
    feasible: int | None


BISECT_MIN_LOAD = 0.5
"""Facilities at least this loaded are asked in the relaxation bisection (16 generated crews' water site:
0.74; no facility of the MS-19 files reaches 0.4)."""


def _relaxed_bound(loaded: LoadedScenario, target: Target, params: SolveParams, lo: int, hi: int,
                   probes: dict[int, Probe], say: Say | None) -> _Relaxed | None:
    """Bisect (lo, hi] on the one-participant relaxations alone (monotone in the
    window like the whole problem). Proven days are recorded as NOT_READY probes;
    an undecided relaxation stops the bisection with what is known."""
    feasible: int | None = None
    top = hi
    while top - lo > 1 or feasible is None:
        days = top if feasible is None else (lo + top) // 2
        t0 = time.perf_counter()
        loaded_d = with_target_days(loaded, target, days)
        data = asked_only(prepare(loaded_d)[1], target.asked(loaded.scenario))
        if any(g.missing for g in data.goals):
            return None  # statically impossible goals: the usual probes say why
        status, proof = relaxation_status(data, params, params.budget().share(PROBE_RELAX))
        if status != SolveStatus.INFEASIBLE:
            # A facility packed past its days (a season too short for every crew's course) fails at every
            # window length the same way; only the heavily loaded ones are asked here, so that windows
            # bounded by people's hours (MS-19) pay nothing for it.
            found = facility_proof(data, params, params.budget().share(FACILITY_RELAX), min_load=BISECT_MIN_LOAD)
            if found is not None:
                status, proof = SolveStatus.INFEASIBLE, found.text
        if status == SolveStatus.INFEASIBLE:
            probes[days] = Probe(days, target.start_for(days), Verdict.NOT_READY, proof,
                                 time.perf_counter() - t0)
            _report(say, probes[days])
            lo = days
            if feasible is None:
                return _Relaxed(lo, None)  # even the own window fails alone
        elif status == SolveStatus.FEASIBLE:
            feasible = top = days
            if say is not None:
                say(f"  {days:3d} days (start {target.start_for(days)}): each participant's part alone "
                    f"is feasible ({time.perf_counter() - t0:.1f} s); the whole is probed below")
        else:
            break
    return _Relaxed(lo, feasible)
