"""Plan a loaded scenario end to end: grid, data, solve, verify, verdict.

Used by every command that plans (plan, report, whatif, compare, sweep), so
that each one reports exactly the same, verified, verdict.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

from planner.calendar.grid import TimeGrid, build_grid
from planner.data.people import staffed
from planner.data.problem import ProblemData, build_problem
from planner.data.result import PhaseInfo, Result, Schedule, ScheduledSession, SolveStatus
from planner.exceptions import Problem, ScenarioError, VerificationError
from planner.heuristics.decompose import by_participant
from planner.heuristics.level import level_start
from planner.heuristics.swo import SwoResult, squeaky_wheel
from planner.plan.missions import MissionVerdict, combine, mission_verdicts
from planner.plan.presolve import presolve_checks
from planner.plan.readiness import Readiness, Verdict, assess, waived_row
from planner.plan.relax import facility_proof, relaxation_proof, screen_goals, whole_days_proof
from planner.scenario.load import LoadedScenario
from planner.scenario.schema import Scenario
from planner.solve.budget import (
    AFTER_SOLVE,
    DECOMPOSE,
    FACILITY_RELAX,
    HINT,
    HINT_PASSES_PER_S,
    LEVEL_START,
    PLAN_RELAX,
    SCREEN,
    Budget,
)
from planner.solve.run import Progress, SolveParams, solve
from planner.verify.checks import goals_achieved, verify_dates, verify_schedule


@dataclass(frozen=True)
class PlanOutcome:
    """Everything a plan produced."""

    loaded: LoadedScenario
    grid: TimeGrid
    data: ProblemData
    result: Result
    readiness: tuple[Readiness, ...]
    params: SolveParams
    findings: tuple[str, ...] = ()
    proof: str = ""  # why not every pair can be met, when the plan's own bound could not show it
    screened: tuple[int, float] = (0, 0.0)  # pairs proven impossible alone before the solve; seconds by then

    @property
    def scenario(self) -> Scenario:
        """The scenario that was planned."""
        return self.loaded.scenario

    @property
    def overall(self) -> Verdict:
        """READY if every goal is ready; NOT_READY if some goal is proven not ready, or a
        relaxation proves that not all can be (``proof``); else UNKNOWN if some goal is; else
        WAIVED (ready with waivers). With missions: the worst mission's (:mod:`planner.plan.missions`)."""
        if self.scenario.missions:  # the worst mission's verdict, each by its prime crews
            return combine(m.prime for m in self.missions)
        statuses = {r.status for r in self.readiness}
        if statuses <= {Verdict.READY}:
            return Verdict.READY
        if Verdict.NOT_READY in statuses or self.proof:  # a NOT_READY pair is always a proven one
            return Verdict.NOT_READY
        if Verdict.UNKNOWN in statuses:
            return Verdict.UNKNOWN
        return Verdict.WAIVED  # every pair READY or WAIVED: ready with waivers

    @property
    def missions(self) -> list[MissionVerdict]:
        """Each mission's verdict (prime and backup crews); one for a file without missions."""
        return mission_verdicts(self.scenario, self.readiness)


def prepare(loaded: LoadedScenario) -> tuple[TimeGrid, ProblemData]:
    """Time grid and problem data of a loaded scenario."""
    try:
        grid = build_grid(loaded.scenario)
    except ValueError as exc:
        raise ScenarioError([Problem(str(loaded.path), "calendar.country", None, str(exc))]) from None
    return grid, build_problem(loaded.scenario, grid)


def schedule_rows(grid: TimeGrid, data: ProblemData, result: Result) -> list[dict[str, object]]:
    """One row per participant and session, with dates and ids.

    Sessions done before a re-plan's as-of date are rows even when their module
    is not completed in the plan (or there is no plan): they happened.
    """
    rows: list[dict[str, object]] = []
    sessions = list(result.schedule.sessions) if result.schedule is not None else []
    planned = {s.job for s in sessions}
    sessions += [ScheduledSession(j, k, at, at + job.length, job.fixed_instructors[k],
                                  job.fixed_staff[k] if job.fixed_staff else ())
                 for j, job in enumerate(data.jobs) if j not in planned
                 for k, at in enumerate(job.fixed_starts)]
    for s in sessions:
        job = data.jobs[s.job]
        resources = [data.resources[r].id for r, _ in job.resources]
        teachers = [] if s.instructor is None else [data.instructors[s.instructor].id]
        staff = [f"{need.role}:{data.instructors[i].id}" for need, i in staffed(job.staff, s.staff)]
        for p in job.participants:
            rows.append(
                {
                    "participant": data.participants[p].id,
                    "crew": data.participants[p].crew,
                    "module": job.module,
                    "session": s.index + 1,
                    "sessions": job.num_sessions,
                    "start": grid.slot_start(s.start),
                    "end": grid.slot_end(s.end),
                    "hours": grid.slots_to_hours(s.end - s.start),
                    "resources": resources,
                    "instructors": teachers,
                    "staff": staff,
                    "joint": len(job.participants) > 1,
                    "job": job.id,  # which session a row is of: a joint session has a row per participant
                }
            )
    rows.sort(key=lambda r: (str(r["participant"]), r["start"], str(r["module"])))  # type: ignore[arg-type]
    return rows


def check_schedule(sc: Scenario, grid: TimeGrid, data: ProblemData, result: Result) -> None:
    """Both independent verifiers on ``result``'s schedule (problem data, then the
    scenario's dates); raises :class:`VerificationError`: a violation is a bug."""
    assert result.schedule is not None
    problems = verify_schedule(data, result.schedule, result.goals_met)
    problems += verify_dates(sc, schedule_rows(grid, data, result))
    if problems:
        raise VerificationError(problems)


def greedy_start(data: ProblemData, params: SolveParams, budget: Budget) -> Schedule:
    """The squeaky-wheel start of a solve, from the :data:`HINT` share of ``budget`` (under
    ``--deterministic`` counted in greedy passes, so that it is the same on any machine)."""
    return _squeaky_start(data, params, budget).schedule


def _squeaky_start(data: ProblemData, params: SolveParams, budget: Budget) -> SwoResult:
    hint_s = budget.take(HINT)
    if params.deterministic:
        passes = max(1, round(hint_s * HINT_PASSES_PER_S))
        return squeaky_wheel(data, seconds=None, passes=passes, seed=params.seed)
    return squeaky_wheel(data, seconds=hint_s, seed=params.seed)


def level_plan_start(data: ProblemData, params: SolveParams, budget: Budget, start: SwoResult,
                     best: int) -> Schedule | None:
    """A start for the plan phase of the ``level`` shape (:mod:`planner.heuristics.level`), from the
    :data:`LEVEL_START` share of ``budget`` counted in greedy passes in either mode, so that the plan is
    the same on a busy machine; None when the phase would not use it (also when phase 1 met more than the
    ``best`` goals the greedy start meets: a capped greedy would not meet them either).

    A pass takes longer the more trainees there are: :data:`HINT_PASSES_PER_S` is about a second's worth
    on 12, so larger cohorts get proportionally fewer passes. In wall mode the clock stops the search only
    at three times the share (a safety limit: 0.6-1.5 s of the 3-s share on the MS-19 file)."""
    if data.shape != "level" or not params.plan_phase or params.plan_gap <= 0 or start.goals_met < best:
        return None
    seconds = budget.take(LEVEL_START)
    scale = 12 / max(12, len(data.participants))
    found = level_start(data, start, max(1, round(seconds * HINT_PASSES_PER_S * scale)), params.seed,
                        None if params.deterministic else min(3 * seconds, max(budget.remaining(), seconds)))
    return None if found is None else found.schedule


def _decomposed(data: ProblemData, params: SolveParams, budget: Budget, result: Result, impossible: Mapping[int, object],
                progress: Progress | None, spent: float) -> Result:
    """``result``, or, when it leaves pairs open without a proof, a plan meeting every pair not proven
    impossible, built one participant at a time (:func:`planner.heuristics.decompose.by_participant`)
    and then polished by the two phases from it (the whole programme, the plan's shape). Such a plan
    settles readiness: no more pairs can be met. Each step has the :data:`DECOMPOSE` share: on top
    under ``--deterministic``; in wall mode at most half of what the clock leaves, so that the
    confirmation solves and relaxation proofs that follow keep their time."""
    wanted = tuple(g for g in range(len(data.goals)) if g not in impossible)
    if result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE) or result.num_goals_met >= len(wanted) \
            or len(data.participants) < 2:
        return result

    def share() -> Budget:
        if budget.deterministic:
            return budget.after(DECOMPOSE)
        return budget.child(min(DECOMPOSE.limit(budget.seconds, False), budget.remaining() / 2))

    t0 = time.perf_counter()
    built = by_participant(data, params, share(), wanted)
    if progress is not None:
        progress("decompose", spent + result.runtime + time.perf_counter() - t0,
                 float(len(wanted) if built is not None else -1), float(len(wanted)))
    if built is None:
        return result
    found = PhaseInfo("decompose", SolveStatus.FEASIBLE, question="a plan meeting every pair not proven impossible, "
                      "one participant at a time")
    polishing = share()
    polished = solve(data, params.within(polishing.seconds), hint=built, forbid_goals=tuple(sorted(impossible)),
                     budget=polishing)
    runtime = result.runtime + time.perf_counter() - t0
    before = tuple(p for p in result.phases if p.phase != "plan")
    if polished.schedule is not None and polished.num_goals_met >= len(wanted):
        # Its phase 1 starts from a plan meeting every pair it can: readiness settled; its phase 2 orders the plan.
        again = tuple(dataclasses.replace(p, phase="readiness-again") if p.phase == "readiness" else p
                      for p in polished.phases)
        return dataclasses.replace(polished, status=SolveStatus.OPTIMAL, goals_bound=len(wanted), runtime=runtime,
                                   phases=(*before, found, *again))
    return Result(SolveStatus.OPTIMAL, built, goals_met=goals_achieved(data, built), goals_bound=len(wanted),
                  runtime=runtime, phases=(*before, found))


def plan(
    loaded: LoadedScenario,
    params: SolveParams | None = None,
    progress: Progress | None = None,
    confirm: bool = True,
    budget: Budget | None = None,
    hint: Schedule | None = None,
) -> PlanOutcome:
    """Solve, verify twice (grid and dates) and assess readiness.

    Every step draws from one ``budget`` (default: ``params``' time limit),
    so in wall mode the whole plan, confirmation solves and relaxation proofs
    included, ends within it; the shares are named in :mod:`planner.solve.budget`.
    Raises :class:`VerificationError` if the schedule breaks any rule: that is
    a bug and must never be reported as a plan. ``hint``: a schedule to start
    from instead of the greedy one (e.g. the repair model's plan of an edited
    scenario); only a start, checked like any other.
    """
    params = params or SolveParams()
    budget = budget or params.budget()
    grid, data = prepare(loaded)
    findings = tuple(presolve_checks(loaded.scenario, grid, data))
    # Greedy list schedules (milliseconds each), re-ordered by the squeaky-wheel
    # search, are a far better start than CP-SAT's own first solutions on large
    # cohorts; only a hint, never trusted. Its time comes out of the solver's.
    t0 = time.perf_counter()
    start = _squeaky_start(data, params, budget) if hint is None else None
    start_schedule = start.schedule if start is not None else hint
    assert start_schedule is not None
    spent = time.perf_counter() - t0
    if progress is not None:
        progress("start", spent, float(sum(goals_achieved(data, start_schedule))), float(len(data.goals)))
    # Goals the start misses may be impossible even alone (e.g. their modules'
    # hours exceed the load caps before the deadline): proven in a fraction of a
    # second each, they become NOT_READY with the reason, and the search skips them.
    screening = budget.part(budget.share(SCREEN))
    t1 = time.perf_counter()
    met = {g for g, ok in enumerate(goals_achieved(data, start_schedule)) if ok}
    impossible = screen_goals(data, params, screening, skip=met) if len(met) < len(data.goals) else {}
    screen_spent = time.perf_counter() - t1
    if progress is not None and impossible:
        progress("screen", spent + screen_spent, float(len(impossible)), float(len(data.goals)))
    spent += screen_spent
    # The solve gets the rest, less what the steps after it need (wall mode);
    # --deterministic: the rest in work units, whatever the passes took.
    solving = budget.part(max(0.1, budget.rest(keep=budget.share(AFTER_SOLVE))))
    shifted = None if progress is None else (
        lambda phase, s, obj, bnd: progress(phase, s + spent, obj, bnd))  # times since the plan began
    level = None if start is None else (lambda best: level_plan_start(data, params, solving, start, best))
    result = solve(data, params.within(solving.seconds), shifted, hint=start_schedule,
                   forbid_goals=tuple(sorted(impossible)), budget=solving, plan_start=level)
    facility = None
    # The pairs screened out are proven impossible: the relaxations ask about the others only.
    open_data = data if not impossible else dataclasses.replace(
        data, goals=tuple(goal for g, goal in enumerate(data.goals) if g not in impossible))
    if result.status not in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE) \
            and result.num_goals_met < len(open_data.goals) \
            and (result.goals_bound is None or result.goals_bound >= len(open_data.goals)):
        # Pairs left open without a proof: one shared resource alone, day by day, may prove that not all
        # can be met (a pigeonhole the whole model's search does not finish). Cheap and counted in work
        # units, so it runs before the decomposition (which looks for a plan meeting them all: pointless
        # once they are proven impossible together) and the confirmation solves. Its count of pairs is
        # one of all pairs too: the ones screened out can never be met.
        facility = facility_proof(open_data, params, budget.after(FACILITY_RELAX), all_pairs=len(data.goals))
    if facility is None:
        result = _decomposed(data, params, budget, result, impossible, progress, spent)
    if result.schedule is not None:
        check_schedule(loaded.scenario, grid, data, result)
    if facility is not None and result.schedule is not None and result.num_goals_met >= facility.pairs:
        # The plan meets as many pairs as the facility allows: its count is proven best, as if phase 1
        # had closed its bound, so each unmet pair gets its own verdict (impossible alone or trade-off).
        result = dataclasses.replace(result, status=SolveStatus.OPTIMAL, goals_bound=facility.pairs, phases=(
            *result.phases, PhaseInfo("facility", SolveStatus.OPTIMAL, question=facility.text)),
            settled=all(g.waive_cost is None for g in data.goals))  # the count, not which pairs give way
    readiness = assess(loaded.scenario, grid, data, result, params, confirm=confirm, impossible=impossible,
                       budget=budget)
    proof = ""
    statuses = {r.status for r in readiness}
    if Verdict.UNKNOWN in statuses and Verdict.NOT_READY not in statuses:
        # The time limit left pairs open. A proof that not every pair can be met says "not ready" only if it
        # reaches a pair that cannot be waived; when every open pair is waivable, the plan meets the others
        # and the proof says some waiver is needed: ready with waivers.
        cost = {(data.participants[g.participant].id, g.competency): g.waive_cost for g in data.goals
                if g.waive_cost is not None}  # the waivable pairs
        waivable = len(cost)
        open_waivable = all((r.participant, r.competency) in cost for r in readiness if r.status == Verdict.UNKNOWN)
        # Pairs a bound must leave unmet for the proof to reach an open pair (the pairs already WAIVED, screened
        # out or with a static reason, count in every bound), or one that cannot be waived.
        settled_out = {(r.participant, r.competency) for r in readiness if r.status == Verdict.WAIVED}
        needed = len(settled_out) + 1 if open_waivable else waivable + 1
        total = len(data.goals)
        if result.goals_bound is not None and total - result.goals_bound >= needed:
            proof = f"proven: at most {result.goals_bound} of {total} pairs can be met together (the solver's bound)"
        elif facility is not None and total - facility.pairs >= needed:
            proof = facility.text  # and a proven bound on the pairs, tighter than the solver's
            result = dataclasses.replace(result, goals_bound=min(result.goals_bound or total, facility.pairs))
        if not proof and len(data.participants) > 1:
            # One participant alone; else the whole problem day by day with the instructors' days (a chain
            # through two groups of instructors that no participant and no facility alone shows). Asked of the
            # pairs that cannot be waived when some open pair cannot be.
            ids = [p.id for p in data.participants]
            asked = dataclasses.replace(data, goals=tuple(
                g for g in data.goals if (ids[g.participant], g.competency) not in settled_out
                and (open_waivable or g.waive_cost is None)))
            proof = (relaxation_proof(asked, params, budget.after(PLAN_RELAX))
                     or whole_days_proof(asked, params, budget.after(PLAN_RELAX)) or "") if asked.goals else ""
        if proof and open_waivable:
            readiness = [r if r.status != Verdict.UNKNOWN else waived_row(
                dataclasses.replace(r, reason=f"{proof}; this plan leaves it out"), cost[r.participant, r.competency])
                for r in readiness]
            proof = ""  # the verdict is ready with waivers: no pair that cannot be waived is left open
    return PlanOutcome(loaded, grid, data, result, tuple(readiness), params, findings, proof, (len(impossible), spent))
