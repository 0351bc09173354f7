"""The hybrid solver of one instance: the activity-list GA and CP-SAT alternating
on plain RCPSP, the temporal proof and the phases of RCPSP/max.

Every phase draws its limit from one :class:`~planner.solve.budget.Budget` per
instance (:func:`solve_instance`): wall seconds by default; under
``--deterministic`` CP-SAT work units and GA schedule counts charged as they
are handed out, so the outcome does not depend on machine load.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

from planner.bench.bounds import cpm_lower_bound
from planner.bench.ga import ActivityListGA, unsupported, warm_up
from planner.bench.instance import RcpspInstance, default_horizon, makespan_of, schedule_starts, to_problem
from planner.bench.sgs import left_justify, reversed_instance, serial_sgs, unreverse
from planner.bench.temporal import LAG_PROOF_MAX_S, lag_analysis, with_arcs
from planner.data.problem import ProblemData
from planner.data.result import PhaseInfo, Result, Schedule, ScheduledSession, SolveStatus
from planner.solve.budget import Budget
from planner.solve.run import SolveParams, first_answer, solve

# Shares of the instance's budget (fractions of its time limit).
GA_FIRST = 0.1  # at most GA_FIRST_MAX_S: the GA's first incumbent, CP-SAT's hint
GA_FIRST_MAX_S = 1.0
CP_FIRST = 0.25  # CP-SAT from that incumbent; most easy instances are proven here
GA_GAP = 0.1  # a larger relative gap left then: the GA goes on first, otherwise CP-SAT gets the rest
# The decision is a pure search for a schedule inside tight windows: there the
# LP relaxation and the disjunctions CP-SAT derives from each cumulative cost
# more node throughput than they prune. Without both, the six hardest j30
# decisions (j3013_2/5/6, j3029_3/6/8 at optimum - 1, one worker) take 1.9-6.4 s
# in the faster direction instead of 4.7-22 s (benchmarks/README.md).
DECIDE_TUNING: dict[str, object] = {"linearization_level": 0, "use_disjunctive_constraint_in_cumulative": False}
MAX_CP_FIRST = 0.3  # RCPSP/max, CP-SAT's minimisation before the two-direction search
GA_STALL = 50  # generations' worth of schedules without a gain that hand the rest back to CP-SAT
GA_EVALS_PER_S = 2_400_000  # --deterministic: GA schedules per work unit of budget, times 1 / activities


def _as_schedule(inst: RcpspInstance, starts: Sequence[int]) -> Schedule:
    """``starts`` as a planner schedule (one session per activity)."""
    return Schedule(tuple(ScheduledSession(j, 0, s, s + inst.durations[j], None) for j, s in enumerate(starts)))


def solve_instance(
    inst: RcpspInstance, time_limit: float, workers: int = 0, deterministic: bool = False, ga: bool = True
) -> tuple[ProblemData, Result]:
    """Solve ``inst`` with the planner's engine (``deterministic``: one worker,
    limit in CP-SAT work units and GA schedule counts, so the outcome does not
    depend on machine load).

    ``time_limit`` makes the instance's one :class:`Budget`; every phase takes a share of it.
    RCPSP/max has no GA: the temporal proof (:func:`lag_analysis`) may settle
    infeasibility at once; else CP-SAT's minimisation runs first (:data:`MAX_CP_FIRST`
    of the limit); without a schedule by then, the decision's two-direction
    search looks for a first one (or proves there is none), and CP-SAT's
    minimisation goes on from it. Plain RCPSP alternates the activity-list
    GA (:mod:`planner.bench.ga`) and CP-SAT on the same instance: the GA's
    first incumbent bounds the horizon and hints CP-SAT, which proves most
    instances optimal within :data:`CP_FIRST` of the limit; if a gap over
    :data:`GA_GAP` is left (scarce resources: the bound will not close in
    time), the GA, given CP-SAT's schedule too, uses the rest of the time,
    otherwise CP-SAT does (it closes small gaps by decision). The returned
    data has the default horizon, so verification does not depend on it.
    ``ga=False`` runs CP-SAT's minimisation alone (plain RCPSP: hinted with the
    serial SGS schedule): the planner's model without the benchmark-specific
    heuristics, for comparison.
    """
    use_ga = ga and unsupported(inst) is None  # e.g. an activity that never fits: CP-SAT proves it
    if use_ga:
        warm_up()
    budget = Budget(time_limit, deterministic)  # after the warm-up: compiling is not the instance's time
    data = to_problem(inst)
    if use_ga:
        return data, Hybrid(inst, ActivityListGA(inst), budget, workers).solve()
    if ga and inst.kind == "rcpsp_max":
        # Propagation of the time lags and resource clashes proves many instances
        # infeasible in milliseconds that CP-SAT's search leaves open (testset_ubo200:
        # 5 of the 10 `unsat` in 10 s without it, all 10 with it); the orders it forces
        # are implied arcs, which tighten the model (psp36: a first schedule in 0.4 s
        # with them, none in 8 s without). Schedules are checked against ``data`` alone.
        proof, forced = lag_analysis(inst, None if deterministic else LAG_PROOF_MAX_S)
        if proof is not None:
            return data, Result(SolveStatus.INFEASIBLE, None, runtime=budget.elapsed(),
                                phases=(PhaseInfo("lags", SolveStatus.INFEASIBLE, details=(("proof", proof),)),))
        return data, Hybrid(with_arcs(inst, forced), None, budget, workers).solve()
    sgs = serial_sgs(inst) if inst.kind == "rcpsp" else None
    params = SolveParams(time_limit=budget.take(1.0), deterministic=deterministic, num_workers=workers)
    res = solve(data, params, hint=None if sgs is None else _as_schedule(inst, sgs))
    return data, replace(res, runtime=budget.elapsed())


class Hybrid:
    """State of :func:`solve_instance`: the incumbent, its bound, the instance's budget
    (``ga`` None: RCPSP/max, whose first schedule comes from :meth:`first_schedule`).

    Every phase charges the budget what it was given (the GA: the schedules it
    evaluated, converted at :data:`GA_EVALS_PER_S`), so under ``--deterministic``
    what remains is counted, never read from the clock.
    """

    def __init__(self, inst: RcpspInstance, ga: ActivityListGA | None, budget: Budget, workers: int = 0) -> None:
        self.inst, self.ga, self.budget, self.workers = inst, ga, budget, workers
        self.deterministic = budget.deterministic
        self.cpm = cpm_lower_bound(inst)
        self.lb = self.cpm or 0
        self.ub, self.best = 0, [0] * inst.n
        self.phases: list[PhaseInfo] = []
        self.reverse = reversed_instance(inst)

    def left(self) -> float:
        """What remains of the budget."""
        return self.budget.remaining()

    def evolve(self, seconds: float, stall: int | None = None) -> None:
        assert self.ga is not None
        done = self.ga.evaluations
        if self.deterministic:
            n_evals = max(1, round(seconds * GA_EVALS_PER_S / self.inst.n))
            span, starts = self.ga.run(evaluations=n_evals, target=self.cpm, stall=stall)
        else:
            span, starts = self.ga.run(seconds=seconds, target=self.cpm, stall=stall)
        self.budget.charge((self.ga.evaluations - done) * self.inst.n / GA_EVALS_PER_S)
        if not self.phases or span < self.ub:
            self.ub, self.best = span, starts
        self.phases.append(PhaseInfo("ga", details=(("makespan", self.ub), ("evaluations", self.ga.evaluations))))

    def cpsat(self, seconds: float) -> None:
        params = SolveParams(time_limit=max(0.1, seconds), deterministic=self.deterministic,
                             num_workers=self.workers)
        res = solve(to_problem(self.inst, horizon=self.ub), params, hint=_as_schedule(self.inst, self.best))
        self.budget.charge(seconds)
        self.phases.extend(res.phases)
        self._adopt(res)

    def _adopt(self, res: Result, justify: bool = False) -> None:
        """Take CP-SAT's schedule if no worse than the incumbent (any while there is none,
        ``ub`` 0; ``justify``: left-justified first) and its bound."""
        if res.schedule is not None:
            starts = schedule_starts(self.inst, res.schedule)
            if justify:
                starts = left_justify(self.inst, starts)
            span = makespan_of(self.inst, starts)
            if not self.ub or span <= self.ub:
                self.ub, self.best = span, starts
        if res.status == SolveStatus.OPTIMAL:
            self.lb = max(self.lb, self.ub)
        elif res.bound is not None and res.status == SolveStatus.FEASIBLE:
            self.lb = max(self.lb, math.ceil(res.bound - 1e-6))

    def decide(self, seconds: float) -> bool:
        """Is there a schedule shorter than the incumbent? Asked with the horizon cut to
        ``ub - 1``: every time window shrinks, so "no" is often proven far sooner than
        the bound of a minimisation closes. Asked of the instance and of its time
        reversal at once (one worker each, earliest-first branching): the same
        question, but which of the two is proven sooner varies by instance
        (hard j30 decisions, forward / reversed with :data:`DECIDE_TUNING`: j3029_3
        7.9 / 6.4 s, j3029_8 3.3 / 1.9 s). True if answered (either way)."""
        status = self._ask(self.ub - 1, seconds, "decide")
        if status == SolveStatus.INFEASIBLE:
            self.lb = self.ub
        return status != SolveStatus.UNKNOWN

    def first_schedule(self, seconds: float) -> SolveStatus:
        """RCPSP/max: any schedule within the default horizon, or a proof there is none.

        Maximum lags make even a first schedule hard to find on large instances,
        and CP-SAT's default portfolio often finds none (testset_ubo200: no
        schedule in 30 s on psp2) where the decision's search, one worker per
        direction without LP, finds one in seconds (psp2: 5.3 s forward).
        """
        return self._ask(default_horizon(self.inst), seconds, "first")

    def _ask(self, horizon: int, seconds: float, phase: str) -> SolveStatus:
        """Is there a schedule of makespan at most ``horizon``? A "yes" becomes the incumbent."""
        params = SolveParams(time_limit=max(0.1, seconds), deterministic=self.deterministic)
        t = time.perf_counter()
        # (reversed?, solver settings) per search, the instance and its time reversal.
        searches: list[tuple[bool, dict[str, object]]] = [(False, DECIDE_TUNING), (True, DECIDE_TUNING)]
        if self.inst.kind == "rcpsp_max":
            # Under maximum lags, infeasibility is often proven only with the LP
            # (testset_ubo200 psp7: 3.2 s forward with it, none in 7 s without),
            # while schedules come from the reversed search without it (psp2/4/5/6:
            # 0.4-6 s; forward without LP: none of psp4/5/6 in 7 s).
            searches = [(True, DECIDE_TUNING), (False, {})]
        problems = [to_problem(self.reverse if back else self.inst, horizon=horizon) for back, _ in searches]
        tunings = [tuning for _, tuning in searches]
        which, status, schedule = first_answer(problems, params, earliest_first=True, tunings=tunings)
        self.budget.charge(seconds)
        answered_by = None if status == SolveStatus.UNKNOWN else ("forward", "reversed")[searches[which][0]]
        self.phases.append(PhaseInfo(phase, status, wall_time=round(time.perf_counter() - t, 3),
                                     question=f"makespan <= {horizon}", details=(("answered_by", answered_by),)))
        if schedule is not None:
            backwards = searches[which][0]
            starts = schedule_starts(self.reverse if backwards else self.inst, schedule)
            self.best = left_justify(self.inst, unreverse(self.inst, starts) if backwards else starts)
            self.ub = makespan_of(self.inst, self.best)
        return status

    def solve(self) -> Result:
        if self.ga is None:
            # RCPSP/max: CP-SAT's minimisation first, which settles easy instances and
            # proves many infeasible in a fraction of a second; if it has no schedule yet,
            # the two-direction search gets the rest for one (--deterministic: half of
            # it, as each search then runs to its own limit and is charged so).
            res = solve(to_problem(self.inst), SolveParams(
                time_limit=self.budget.take(MAX_CP_FIRST), deterministic=self.deterministic, num_workers=self.workers))
            self.phases.extend(res.phases)
            if res.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID):
                return replace(res, runtime=self.budget.elapsed(), phases=tuple(self.phases))
            if res.schedule is not None:
                self._adopt(res, justify=True)
            else:
                first = self.first_schedule(self.left() / 2 if self.deterministic else self.left())
                if first != SolveStatus.FEASIBLE:
                    return Result(first, None, runtime=self.budget.elapsed(), phases=tuple(self.phases))
        else:
            # Small instances need less GA time for a good start, and CP-SAT's proofs want the rest.
            self.evolve(self.budget.share(GA_FIRST, cap=GA_FIRST_MAX_S) * min(1.0, self.inst.n / 122))
        if self.lb < self.ub and self.left() > 0.05:
            # RCPSP/max has no GA to hand a wide gap to: CP-SAT's minimisation keeps the time.
            self.cpsat(self.budget.share(CP_FIRST, cap=self.left()) if self.ga is not None else self.left())
        if self.lb < self.ub and self.left() > 0.05:
            if self.ga is not None and self.ub - self.lb > GA_GAP * self.ub:
                # A wide gap: CP-SAT's bound will not close in time, so first look for
                # better schedules; once the GA stalls (often at the optimum on small
                # instances), CP-SAT gets what is left to prove or improve it.
                self.ga.add(self.best)
                self.evolve(self.left(), stall=GA_STALL * self.ga.size)
            while self.lb < self.ub and self.left() > 0.05 and self.decide(self.left()):
                pass
        status = SolveStatus.OPTIMAL if self.lb >= self.ub else SolveStatus.FEASIBLE
        return Result(status, _as_schedule(self.inst, self.best), objective=float(self.ub), bound=float(self.lb),
                      runtime=self.budget.elapsed(), phases=tuple(self.phases))

