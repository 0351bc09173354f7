"""Property-based tests: any schedule the planner produces passes the verifier."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.data.problem import participant_part
from planner.data.result import Result, Schedule, ScheduledSession, SolveStatus
from planner.heuristics.decompose import by_participant
from planner.plan.pipeline import PlanOutcome, plan, prepare, schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.day_packing import facilities, most_hosted, packing_status, pairs_bound
from planner.solve.run import SolveParams
from planner.verify.checks import goals_achieved, verify_dates, verify_schedule
from tests.helpers import scenario, write


@st.composite
def small_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Random small but valid scenarios touching every constraint family."""
    n_people = draw(st.integers(1, 3))
    people = []
    for i in range(n_people):
        p: dict[str, Any] = {"id": f"p{i}", "role": "sfp", "crew": draw(st.sampled_from(["c1", "c2"]))}
        if draw(st.booleans()):
            p["load"] = {"max_hours_per_day": draw(st.sampled_from([2, 3, 4]))}
        if draw(st.integers(0, 3)) == 0:  # a weekly cap for some weeks only (load.weeks)
            first = draw(st.integers(4, 25))
            p.setdefault("load", {})["weeks"] = [{"from": f"2024-03-{first:02d}", "to": f"2024-03-{first + 5:02d}",
                                                  "max_hours_per_week": draw(st.sampled_from([4, 6, 10]))}]
        if draw(st.booleans()):
            start = draw(st.integers(4, 20))
            p["blackouts"] = [{"from": f"2024-03-{start:02d}", "to": f"2024-03-{start + draw(st.integers(0, 4)):02d}"}]
        people.append(p)
    resources = [{"id": "sim", "capacity": draw(st.integers(1, 2))}]
    # Sessions must fit every daily cap, or the scenario is (rightly) invalid.
    longest = min([p["load"]["max_hours_per_day"] for p in people if "max_hours_per_day" in p.get("load", {})] + [4])
    n_mod = draw(st.integers(1, 4))
    modules = []
    for k in range(n_mod):
        sess = draw(st.sampled_from([h for h in (1, 2, 4) if h <= longest]))
        m: dict[str, Any] = {"id": f"m{k}", "hours": sess * draw(st.integers(1, 3)), "session_hours": sess}
        if draw(st.booleans()):
            m["resources"] = ["sim"]
        if k and draw(st.booleans()):
            m["prerequisites"] = [{"module": f"m{draw(st.integers(0, k - 1))}", "min_lag_days": draw(st.integers(0, 3))}]
        if draw(st.integers(0, 4)) == 0:
            m["joint"] = "crew"
        if draw(st.integers(0, 4)) == 0:
            m["instructor"] = "q"
        if draw(st.integers(0, 5)) == 0:
            m["staff"] = {"examiner": draw(st.sampled_from(["x", "2 x x"]))}
        if draw(st.integers(0, 5)) == 0:
            m["recency_days"] = draw(st.integers(5, 30))
            if draw(st.booleans()):
                m["recency_of"] = "all"
        if draw(st.integers(0, 5)) == 0:
            m["min_days_between_sessions"] = 1
        if draw(st.integers(0, 5)) == 0:
            m["max_days_between_sessions"] = draw(st.integers(2, 9))
        if draw(st.integers(0, 6)) == 0:
            m["rest_days_after"] = 1
        if draw(st.integers(0, 8)) == 0:
            m["travel_days"] = 1
        if draw(st.integers(0, 5)) == 0:
            m["allowed"] = [{"from": "03-11", "to": "04-05"}]
        modules.append(m)
    spacing = []
    if n_mod >= 2 and draw(st.booleans()):
        spacing.append({"after": "m0", "forbid": "m1", "hours": 24})
    comps = [{"id": "comp", "requires": [f"m{k}" for k in range(n_mod)]}]
    gates = []
    if draw(st.booleans()):
        gates.append({"id": "exam", "date": f"2024-03-{draw(st.integers(12, 29)):02d}"})
        comps[0]["deadline"] = "exam"
    return scenario(
        participants=people,
        resources=resources,
        instructors=[{"id": "i1", "qualifications": ["q", "x"], "blackouts": [{"from": "2024-03-06", "to": "2024-03-07"}]},
                     {"id": "i2", "qualifications": ["x"]}, {"id": "i3", "qualifications": ["x"], "capacity": 2}],
        modules=modules,
        competencies=comps,
        spacing=spacing,
        gates=gates,
    )


def _plan_with_runs(data: dict[str, Any], consecutive: bool) -> PlanOutcome:
    """Plan ``data`` (wall mode, 5 s); with ``consecutive``, every module without a gap rule runs on
    consecutive days."""
    if consecutive:
        for m in data["modules"]:
            if "min_days_between_sessions" not in m and "max_days_between_sessions" not in m:
                m["consecutive_days"] = True
    with tempfile.TemporaryDirectory() as tmp:
        return plan(load_scenario(write(Path(tmp), data)), SolveParams(time_limit=5, num_workers=2), confirm=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_any_schedule_passes_verifier(data: dict[str, Any]) -> None:
    """Tests that every produced schedule passes both verifiers and claims only real goals."""
    with tempfile.TemporaryDirectory() as tmp:
        out = plan(load_scenario(write(Path(tmp), data)), SolveParams(time_limit=5, num_workers=2), confirm=False)
    if out.result.schedule is None:
        assert out.overall != Verdict.READY
        return
    assert verify_schedule(out.data, out.result.schedule, out.result.goals_met) == []
    assert verify_dates(out.scenario, schedule_rows(out.grid, out.data, out.result)) == []
    actual = goals_achieved(out.data, out.result.schedule)
    assert all(a or not claimed for a, claimed in zip(actual, out.result.goals_met, strict=True))
    for r in out.readiness:
        if r.status == Verdict.READY:
            assert r.achieved_on is not None and r.slack_days is not None and r.slack_days >= 0
        else:
            assert r.reason  # a verdict other than READY always says why


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_a_plan_built_one_participant_at_a_time_passes_both_verifiers(data: dict[str, Any]) -> None:
    """Tests the decomposition start: whenever it returns a plan, the plan meets every goal and passes
    both verifiers (grid and dates)."""
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_scenario(write(Path(tmp), data))
    grid, pdata = prepare(loaded)
    params = SolveParams(time_limit=2, deterministic=True)
    built = by_participant(pdata, params, params.budget())
    if built is None:
        return
    result = Result(SolveStatus.FEASIBLE, built, goals_met=goals_achieved(pdata, built))
    assert all(result.goals_met)
    assert verify_schedule(pdata, built, result.goals_met) == []
    assert verify_dates(loaded.scenario, schedule_rows(grid, pdata, result)) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_participant_part_is_a_relaxation(data: dict[str, Any]) -> None:
    """Tests that a plan, cut down to one participant's jobs, is a valid plan of that
    participant's part meeting the same goals: what makes a part's infeasibility a proof."""
    with tempfile.TemporaryDirectory() as tmp:
        out = plan(load_scenario(write(Path(tmp), data)), SolveParams(time_limit=5, num_workers=2), confirm=False)
    if out.result.schedule is None:
        return
    for p in range(len(out.data.participants)):
        part = participant_part(out.data, p)
        new_of = {j: part.job_index[job.id] for j, job in enumerate(out.data.jobs) if job.id in part.job_index}
        cut = Schedule(tuple(ScheduledSession(new_of[s.job], s.index, s.start, s.end, s.instructor, s.staff)
                             for s in out.result.schedule.sessions if s.job in new_of))
        met_whole = [m for g, m in zip(out.data.goals, goals_achieved(out.data, out.result.schedule), strict=True)
                     if g.participant == p]
        assert verify_schedule(part, cut) == []
        assert list(goals_achieved(part, cut)) == met_whole


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.integers(4, 12), st.booleans(), st.booleans())
def test_repair_model_keeps_every_relaxed_plan(data: dict[str, Any], weekly: int, saturdays: bool,
                                               some_weeks: bool) -> None:
    """Tests that the repair model (every lever free) admits any valid plan of the relaxed scenario with
    the goals it meets: its blocks, fillers and implied cuts never cut off a real plan, so its proofs
    that no repair exists are sound."""
    from ortools.sat.python import cp_model

    from planner.data.repair_problem import build_repair_problem
    from planner.heuristics.swo import squeaky_wheel
    from planner.model.levers import build_repair_model

    data = {**data, "participants": [{**p, "load": {**p.get("load", {}), "max_hours_per_week": weekly}}
                                     for p in data["participants"]]}
    levers: list[dict[str, Any]] = [{"kind": "load", "extra_hours_per_week": 4, "extra_hours_per_day": 1},
                                    {"kind": "capacity", "resource": "sim"},
                                    {"kind": "hours", "extra_hours_per_day": 2}]
    if saturdays:
        levers.append({"kind": "workdays", "weekdays": ["sat"]})
    if some_weeks:
        levers.append({"kind": "load", "extra_hours_per_week": 6, "within": {"from": "2024-03-06", "to": "2024-03-20"}})
    data["repairs"] = {"defaults": False, "levers": levers}
    with tempfile.TemporaryDirectory() as tmp:
        rp = build_repair_problem(load_scenario(write(Path(tmp), data)).scenario)
    start = squeaky_wheel(rp.data, seconds=None, passes=3)
    assert verify_schedule(rp.data, start.schedule) == []
    met = [g for g, ok in enumerate(goals_achieved(rp.data, start.schedule)) if ok]
    model = build_repair_model(rp, met)
    m, ctx = model.ctx.model, model.ctx
    starts = {(s.job, s.index): s.start for s in start.schedule.sessions}
    for j in range(len(rp.data.jobs)):
        if not ctx.possible(j):
            continue
        done = (j, 0) in starts
        m.add(ctx.present[j] == int(done))
        for k, sv in enumerate(ctx.sessions[j]):
            if done:
                m.add(sv.start == starts[j, k])
    assert model.levers.shortfall is not None
    m.add(model.levers.shortfall == 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.booleans())
def test_resource_relaxation_never_contradicts_a_ready_plan(data: dict[str, Any], consecutive: bool) -> None:
    """Tests that the day-indexed relaxation of a shared resource or instructor pool is one: whenever the
    planner finds a verified plan meeting every pair, no facility's relaxation is INFEASIBLE (it would be
    a false proof), and no verified plan meets more pairs than a facility's count allows."""
    out = _plan_with_runs(data, consecutive)
    if out.result.schedule is None:
        return
    met = sum(goals_achieved(out.data, out.result.schedule))
    for fac in facilities(out.data):
        if out.overall == Verdict.READY:
            assert packing_status(out.data, fac, work=2.0, wall=30.0) != SolveStatus.INFEASIBLE
        count = most_hosted(out.data, fac, work=2.0, wall=30.0)
        if count is not None:  # the proven bounds hold for this verified plan too
            bound = pairs_bound(out.data, fac, count[0], work=2.0, wall=30.0)
            assert bound is None or met <= bound


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.sampled_from([None, 6, 10]))
def test_participant_days_relaxation_admits_every_ready_plan(data: dict[str, Any], weekly: int | None) -> None:
    """Tests that the day-indexed relaxation of a participant's part is one, and that of the whole problem
    with the instructors' days too: the days of any verified plan meeting every pair (cut down to the
    part) satisfy it (so its INFEASIBLE is never a false proof)."""
    from ortools.sat.python import cp_model

    from planner.solve.part_days import part_model

    if weekly is not None:
        data = {**data, "participants": [{**p, "load": {**p.get("load", {}), "max_hours_per_week": weekly}}
                                         for p in data["participants"]]}
    with tempfile.TemporaryDirectory() as tmp:
        out = plan(load_scenario(write(Path(tmp), data)), SolveParams(time_limit=5, num_workers=2), confirm=False)
    if out.result.schedule is None or out.overall != Verdict.READY:
        return
    S = out.data.slots_per_day
    day_of = {(out.data.jobs[s.job].id, s.index): s.start // S for s in out.result.schedule.sessions}
    # Each participant's part, and the whole problem with the instructors' days (whole_status).
    parts = [(participant_part(out.data, p), False) for p in range(len(out.data.participants))]
    for part, staff in [*parts, (out.data, True)]:
        pd = part_model(part, staff=staff)
        if pd is None:
            continue
        for j, done in pd.done.items():
            job = part.jobs[j]
            pd.model.add(done == int((job.id, 0) in day_of))
            for k in range(job.num_sessions):
                if (job.id, k) in day_of:
                    pd.model.add(pd.on[j, k][day_of[job.id, k]] == 1)  # KeyError: a plan day the model forbids
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 10
        assert solver.solve(pd.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.booleans())
def test_weekly_peak_floors_hold_for_every_plan_leaving_nothing_out(data: dict[str, Any], consecutive: bool) -> None:
    """Tests that the level shape's floors are floors: in any verified plan that does every job the model
    can do (refreshers aside), each participant's busiest week holds at least their floor (a floor above
    it would stop the plan phase on a false bound)."""
    from planner.model.builder import build_model
    from planner.model.objective import peak_floors

    out = _plan_with_runs(data, consecutive)
    if out.result.schedule is None:
        return
    ctx = build_model(out.data)
    done = {s.job for s in out.result.schedule.sessions}
    if any(ctx.possible(j) and j not in done for j in range(len(out.data.jobs))):
        return  # a job left out: the floors do not speak of this plan
    S, busiest = out.data.slots_per_day, []
    for p in range(len(out.data.participants)):
        weeks: dict[int, int] = {}
        for s in out.result.schedule.sessions:
            if p in out.data.jobs[s.job].participants:
                weeks[out.data.week(s.start // S)] = weeks.get(out.data.week(s.start // S), 0) + s.end - s.start
        if weeks:
            busiest.append(max(weeks.values()))
    floors = peak_floors(ctx)
    assert len(floors) == len(busiest)
    assert all(f <= b for f, b in zip(floors, busiest, strict=True)), (floors, busiest)
