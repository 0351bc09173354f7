"""Robustness: how large an outage a plan survives, and Monte Carlo disruptions.

Both studies edit the index-based problem data directly (closing days for a
participant, resource or instructor, or adding a retake session) and ask one
question per case: can every participant still be made ready (a pure
feasibility solve, re-planning freely)? Each case is solved with one worker
and a deterministic time limit, so the numbers depend only on the input and
the seed, never on how the cases are spread over processes.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

from planner.calendar.grid import TimeGrid
from planner.data.problem import Job, ProblemData
from planner.data.result import Schedule, SolveStatus
from planner.heuristics.greedy import greedy_schedule
from planner.scenario.schema import Disruptions
from planner.solve.budget import note_wall_cut, wall_cuts
from planner.solve.feasibility import can_meet_goals, plan_meeting_goals
from planner.solve.run import SolveParams, solve
from planner.verify.checks import goals_achieved, verify_schedule

Kind = Literal["resource", "instructor", "participant"]
Executor = Literal["local", "serial", "ray"]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Outage:
    """Entity ``index`` of ``kind`` unavailable on grid days ``days``."""

    kind: Kind
    index: int
    days: tuple[int, ...]


def _close(flags: tuple[bool, ...], days: Iterable[int]) -> tuple[bool, ...]:
    shut = set(days)
    return tuple(f and d not in shut for d, f in enumerate(flags))


def apply_outages(data: ProblemData, outages: Sequence[Outage]) -> ProblemData:
    """``data`` with the outages' days closed for the jobs (or instructors) they hit."""
    jobs = list(data.jobs)
    instructors = list(data.instructors)
    for o in outages:
        if o.kind == "instructor":
            ins = instructors[o.index]
            instructors[o.index] = dataclasses.replace(ins, open_days=_close(ins.open_days, o.days))
            continue
        for j, job in enumerate(jobs):
            hit = o.index in job.participants if o.kind == "participant" else any(r == o.index for r, _ in job.resources)
            if hit:
                jobs[j] = dataclasses.replace(job, open_days=_close(job.open_days, o.days))
    return dataclasses.replace(data, jobs=tuple(jobs), instructors=tuple(instructors))


def add_retakes(data: ProblemData, retakes: Iterable[int]) -> ProblemData:
    """``data`` with one extra session for each job in ``retakes``."""
    jobs: list[Job] = list(data.jobs)
    for j in retakes:
        jobs[j] = dataclasses.replace(jobs[j], num_sessions=jobs[j].num_sessions + 1)
    return dataclasses.replace(data, jobs=tuple(jobs))


def _params(time_limit: float, seed: int) -> SolveParams:
    return SolveParams(time_limit=time_limit, deterministic=True, seed=seed)


def _status(data: ProblemData, time_limit: float, seed: int, hint: Schedule | None) -> SolveStatus:
    """Can every goal still be met? A greedy re-plan often answers yes at once
    (its schedule is verified); otherwise CP-SAT decides, hinted with the
    greedy plan or the reference plan, whichever meets more goals."""
    quick, _ = greedy_schedule(data)
    met = goals_achieved(data, quick)
    if all(met) and not verify_schedule(data, quick, met):
        return SolveStatus.FEASIBLE
    best = quick if hint is None or sum(met) >= sum(goals_achieved(data, hint)) else hint
    return can_meet_goals(data, None, _params(time_limit, seed), best)


def reference_plan(data: ProblemData, time_limit: float, seed: int) -> Schedule | None:
    """The undisturbed plan (deterministic), used as the hint of every case."""
    return reference(data, time_limit, seed)[1]


def _used_days(data: ProblemData, plan: Schedule | None, kind: Kind, index: int) -> set[int]:
    """Days on which ``plan`` uses the entity."""
    if plan is None:
        return set()
    S = data.slots_per_day
    out = set()
    for s in plan.sessions:
        job = data.jobs[s.job]
        if ((kind == "resource" and any(r == index for r, _ in job.resources))
                or (kind == "instructor" and (s.instructor == index or index in s.staff))
                or (kind == "participant" and index in job.participants)):
            out.add(s.start // S)
    return out


def reference(data: ProblemData, time_limit: float, seed: int) -> tuple[SolveStatus, Schedule | None]:
    """Whether every goal can be met without any disruption (FEASIBLE with the plan,
    INFEASIBLE proven, or UNKNOWN): a study of disruptions needs a READY start."""
    return plan_meeting_goals(data, None, _params(time_limit, seed))


def studied_data(data: ProblemData, time_limit: float, seed: int) -> tuple[SolveStatus, Schedule | None, ProblemData]:
    """:func:`reference`, and the data whose goals a study asks for: every goal; or, when not all can be met
    (proven) but those that cannot be waived can, only those: the scenario is ready with waivers, and the
    study asks whether it stays so (it said "NOT_READY (proven)" of a file plan calls ready with waivers)."""
    status, plan = reference(data, time_limit, seed)
    if status != SolveStatus.INFEASIBLE or all(g.waive_cost is None for g in data.goals):
        return status, plan, data
    firm = dataclasses.replace(data, goals=tuple(g for g in data.goals if g.waive_cost is None))
    status2, plan2 = reference(firm, time_limit, seed) if firm.goals else (SolveStatus.FEASIBLE, None)
    return (status2, plan2, firm) if status2 != SolveStatus.INFEASIBLE else (status, plan, data)



# -- largest survivable outage ---------------------------------------------


@dataclass(frozen=True)
class OutageResult:
    """Largest outage (working days) an entity can have at any tested time.

    ``capped``: it survived the longest outage tried. ``worst_start``: a start
    day at which one more day of outage breaks readiness; ``fails_first``: the
    competencies then lost. UNKNOWN cases count as survived (not proven).
    """

    kind: Kind
    entity: str
    max_outage_days: int
    capped: bool
    worst_start: str
    fails_first: str
    unknown_cases: int
    cases: int


def entities(data: ProblemData) -> list[tuple[Kind, int, str]]:
    """Resources, instructors and participants that some goal depends on,
    directly or through a prerequisite."""
    preds: dict[int, list[int]] = {}
    for p in data.precedences:
        preds.setdefault(p.after, []).append(p.before)
    needed: set[int] = set()
    stack = [j for goal in data.goals for group in goal.groups for j in group]
    while stack:
        j = stack.pop()
        if j not in needed:
            needed.add(j)
            stack.extend(preds.get(j, []))
    used_r: set[int] = set()
    used_i: set[int] = set()
    used_p: set[int] = set()
    for j in needed:
        job = data.jobs[j]
        used_r |= {r for r, _ in job.resources}
        if job.needs_instructor:
            used_i |= set(job.instructors)
        used_p |= set(job.participants)
    out: list[tuple[Kind, int, str]] = [("resource", r, data.resources[r].id) for r in sorted(used_r)]
    out += [("instructor", i, data.instructors[i].id) for i in sorted(used_i)]
    out += [("participant", p, data.participants[p].id) for p in sorted(used_p)]
    return out


def _working_days(grid: TimeGrid, data: ProblemData) -> list[int]:
    last = max((g.deadline_day for g in data.goals), default=grid.num_days)
    return [d for d in range(min(last, grid.num_days)) if grid.open[d]]


def _failing_goals(data: ProblemData, time_limit: float, seed: int) -> str:
    res = solve(data, _params(time_limit, seed))
    missed = [g for g, met in enumerate(res.goals_met) if not met]
    comps = sorted({data.goals[g].competency for g in missed})
    return ", ".join(comps) if comps else "(none proven)"


def outage_study_one(
    data: ProblemData,
    grid: TimeGrid,
    kind: Kind,
    index: int,
    name: str,
    max_days: int,
    stride: int,
    time_limit: float,
    seed: int,
    hint: Schedule | None = None,
) -> OutageResult:
    """Binary search on the outage length (a longer outage contains a shorter
    one from the same start, so survival is monotone over one set of starts); a
    length survives when every tested start still lets every participant be
    ready. Starts are every ``stride``-th working day and, for an entity the
    undisturbed plan uses on few days (at most one in ``stride``, e.g. a
    campaign resource), each of those days: a single flight day must not fall
    between two starts."""
    work = _working_days(grid, data)
    max_days = min(max_days, len(work))  # no outage is longer than the working days (45 of 30 read "45, capped")
    used = _used_days(data, hint, kind, index)
    sparse = used if len(used) <= len(work) // stride else set()
    starts = sorted(set(range(0, len(work), stride)) | {pos for pos, d in enumerate(work) if d in sparse})
    cases = unknown = 0
    failing: dict[int, tuple[int, ProblemData]] = {}

    def survives(length: int) -> bool:
        nonlocal cases, unknown
        for pos in starts:
            # Near the end the outage runs to the last working day (it went on past the window): skipping such
            # starts left a cap longer than the days untested, "survives" with no case tried.
            days = tuple(work[pos : pos + length])
            cases += 1
            broken = apply_outages(data, [Outage(kind, index, days)])
            status = _status(broken, time_limit, seed, hint)
            if status == SolveStatus.UNKNOWN:
                unknown += 1
            if status == SolveStatus.INFEASIBLE:
                failing[length] = (work[pos], broken)
                return False
        return True

    lo, hi = 0, max_days  # lo survives (no outage); find the largest surviving length
    if survives(max_days):
        return OutageResult(kind, name, max_days, True, "", "", unknown, cases)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if survives(mid):
            lo = mid
        else:
            hi = mid
    day, broken = failing[hi]
    return OutageResult(kind, name, lo, False, grid.days[day].isoformat(), _failing_goals(broken, time_limit, seed),
                        unknown, cases)


def _outage_task(args: tuple[ProblemData, TimeGrid, Kind, int, str, int, int, float, int, Schedule | None]) -> OutageResult:
    return outage_study_one(*args)


def outage_study(
    data: ProblemData,
    grid: TimeGrid,
    max_days: int = 10,
    stride: int = 5,
    time_limit: float = 5.0,
    seed: int = 0,
    workers: int | None = None,
    progress: Callable[[OutageResult], None] | None = None,
    hint: Schedule | None = None,
) -> list[OutageResult]:
    """:func:`outage_study_one` for every entity, in parallel processes (``hint``:
    the undisturbed plan, else it is solved here)."""
    hint = hint if hint is not None else reference_plan(data, time_limit * 4, seed)
    tasks = [(data, grid, k, i, n, max_days, stride, time_limit, seed, hint) for k, i, n in entities(data)]
    return _map(_outage_task, tasks, "local", workers, progress)


# -- Monte Carlo -------------------------------------------------------------


@dataclass(frozen=True)
class SampleResult:
    """One Monte Carlo sample: what was drawn and the verdict."""

    sample: int
    status: str  # READY / NOT_READY / UNKNOWN
    sick_days: int
    absences: int
    outages: int
    retakes: int


def draw_disruptions(data: ProblemData, grid: TimeGrid, rates: Disruptions, seed: int, sample: int) -> tuple[list[Outage], list[int]]:
    """Disruptions of one sample, from its own random stream (seed, sample)."""
    rng = random.Random(f"{seed}:{sample}")
    work = [d for d in range(grid.num_days) if grid.open[d]]
    outages: list[Outage] = []
    for p in range(len(data.participants)):
        sick = tuple(d for d in work if rng.random() < rates.sick_day_rate)
        if sick:
            outages.append(Outage("participant", p, sick))
    for i in range(len(data.instructors)):
        away = tuple(d for d in work if rng.random() < rates.instructor_absence_rate)
        if away:
            outages.append(Outage("instructor", i, away))
    for r in range(len(data.resources)):
        for pos in range(len(work)):
            if rng.random() < rates.outage_rate:
                outages.append(Outage("resource", r, tuple(work[pos : pos + rates.outage_days])))
    retakes = [j for j, job in enumerate(data.jobs) if job.participants and rng.random() < rates.session_failure_rate]
    return outages, retakes


def run_sample(
    data: ProblemData, grid: TimeGrid, rates: Disruptions, seed: int, sample: int, time_limit: float,
    hint: Schedule | None = None,
) -> SampleResult:
    """Draw one sample's disruptions and re-plan (from the undisturbed plan as hint)."""
    outages, retakes = draw_disruptions(data, grid, rates, seed, sample)
    disrupted = add_retakes(apply_outages(data, outages), retakes)
    status = _status(disrupted, time_limit, seed, hint)
    verdict = {SolveStatus.FEASIBLE: "READY", SolveStatus.INFEASIBLE: "NOT_READY"}.get(status, "UNKNOWN")
    count = {k: sum(len(o.days) for o in outages if o.kind == k) for k in ("participant", "instructor")}
    return SampleResult(
        sample, verdict, count["participant"], count["instructor"],
        sum(1 for o in outages if o.kind == "resource"), len(retakes),
    )


def _sample_task(args: tuple[ProblemData, TimeGrid, Disruptions, int, int, float, Schedule | None]) -> SampleResult:
    return run_sample(*args)


def monte_carlo(
    data: ProblemData,
    grid: TimeGrid,
    rates: Disruptions,
    samples: int,
    seed: int,
    time_limit: float = 10.0,
    executor: Executor = "local",
    workers: int | None = None,
    progress: Callable[[SampleResult], None] | None = None,
) -> list[SampleResult]:
    """Run ``samples`` samples; results are in sample order whatever the executor."""
    hint = reference_plan(data, time_limit * 4, seed)
    tasks = [(data, grid, rates, seed, i, time_limit, hint) for i in range(samples)]
    return sorted(_map(_sample_task, tasks, executor, workers, progress), key=lambda r: r.sample)


def _map(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    executor: Executor,
    workers: int | None,
    progress: Callable[[R], None] | None,
) -> list[R]:
    """``fn`` over ``tasks`` in task order, serially, in local processes or on Ray.

    A search that the wall-clock safety limit stopped in a worker process is
    counted there (:func:`~planner.solve.budget.note_wall_cut`); each task
    brings its count back and it is counted here too, so that the command's
    warning covers every process.
    """
    if executor == "serial":
        results: Iterable[R] = map(fn, tasks)
    elif executor == "local":
        pool = ProcessPoolExecutor(max_workers=workers)
        results = _recount(pool.map(_counting, [(fn, t) for t in tasks]))
    else:
        try:
            import ray  # type: ignore[import-not-found]
        except ImportError:
            raise RuntimeError("the ray executor needs the optional extra: pip install 'crew-planner[ray]'") from None
        if not ray.is_initialized():
            # RAY_ADDRESS (set by 'ray start' or the user) joins an existing cluster.
            ray.init(ignore_reinit_error=True, log_to_driver=False)
        remote = ray.remote(_counting)
        results = _recount(ray.get(ref) for ref in [remote.remote((fn, t)) for t in tasks])
    out: list[R] = []
    try:
        for res in results:
            out.append(res)
            if progress:
                progress(res)
    finally:
        if executor == "local":
            pool.shutdown()
    return out


def _counting(job: tuple[Callable[[T], R], T]) -> tuple[R, int]:
    """Run one task in a worker process: its result and the wall-clock cuts it made there."""
    fn, task = job
    before = wall_cuts()  # a forked worker starts with its parent's count: only the task's own are sent
    result = fn(task)
    return result, wall_cuts() - before


def _recount(results: Iterable[tuple[R, int]]) -> Iterator[R]:
    """The results of :func:`_counting`, with each task's wall-clock cuts counted in this process."""
    for result, cuts in results:
        for _ in range(cuts):
            note_wall_cut("a search in a worker process")
        yield result


@dataclass(frozen=True)
class Estimate:
    """Probability that every participant is ready, with a 95 % Wilson interval.

    UNKNOWN samples are counted as not ready for ``p_ready`` and the lower
    bound, and as ready for ``p_ready_if_unknown_ready``.
    """

    samples: int
    ready: int
    unknown: int
    p_ready: float
    ci_low: float
    ci_high: float
    p_ready_if_unknown_ready: float


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate(results: Sequence[SampleResult]) -> Estimate:
    """Summary of Monte Carlo results."""
    n = len(results)
    ready = sum(r.status == "READY" for r in results)
    unknown = sum(r.status == "UNKNOWN" for r in results)
    lo, hi = wilson(ready, n)
    return Estimate(n, ready, unknown, ready / n if n else 0.0, lo, hi, (ready + unknown) / n if n else 0.0)
