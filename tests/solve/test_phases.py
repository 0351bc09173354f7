"""The two-phase readiness solve and the yes-or-no questions on tiny problems built as data.

Each problem has one participant, ``days`` days of ``S`` slots and one job per
goal (one session of ``length`` slots); the participant attends one session at
a time, so at most ``days * (S // length)`` goals can be met.
"""

from __future__ import annotations

import os

import pytest
from ortools.sat.python import cp_model

from planner.constants import DEFAULT_WORKERS, PLAN_WORKERS
from planner.data.problem import Goal, Job, ParticipantData, ProblemData
from planner.data.result import SolveStatus
from planner.solve.budget import Budget
from planner.solve.feasibility import can_meet_goals, plan_meeting_goals, plan_meeting_most
from planner.solve.run import SolveParams, solve
from planner.verify.checks import goals_achieved, verify_schedule

DET = SolveParams(time_limit=5.0, deterministic=True)
# A deterministic limit of zero work units: the search stops before it decides anything.
NO_TIME = SolveParams(time_limit=5.0, deterministic=True, extra={"max_deterministic_time": 0.0})


def problem(goals: int, days: int, slots: int = 2, length: int = 2) -> ProblemData:
    """``goals`` one-session jobs for one participant, each needed by its own goal (deadline: the end)."""
    jobs = tuple(Job(f"j{i}", f"m{i}", (0,), 1, length, (True,) * days) for i in range(goals))
    return ProblemData(
        slots, days, 0, (ParticipantData("ann", "c1", "r"),), (), (), jobs,
        goals=tuple(Goal(0, f"c{i}", ((i,),), days) for i in range(goals)),
        job_index={job.id: j for j, job in enumerate(jobs)},
    )


def test_all_goals_met_is_optimal() -> None:
    """Tests one 1-slot session in 3 days of 2 slots: met, proven (bound 1), verified schedule."""
    data = problem(1, 3, length=1)
    res = solve(data, DET)
    assert res.status == SolveStatus.OPTIMAL
    assert res.goals_met == (True,) and res.goals_bound == 1
    assert res.schedule is not None and verify_schedule(data, res.schedule, res.goals_met) == []
    assert [p.phase for p in res.phases] == ["readiness", "plan"]
    assert res.phases[0].status == SolveStatus.OPTIMAL and res.phases[0].objective == 1.0


def test_trade_off_is_proven() -> None:
    """Tests two full-day sessions in one day: only one of the two goals fits (bound 1, proven),
    each alone is feasible, both together are INFEASIBLE."""
    data = problem(2, 1)
    res = solve(data, DET)
    assert res.status == SolveStatus.OPTIMAL
    assert res.num_goals_met == 1 and res.goals_bound == 1
    assert can_meet_goals(data, None, DET) == SolveStatus.INFEASIBLE
    assert can_meet_goals(data, (0,), DET) == SolveStatus.FEASIBLE
    status, schedule = plan_meeting_goals(data, (1,), DET)
    assert status == SolveStatus.FEASIBLE and schedule is not None
    assert goals_achieved(data, schedule) == (False, True)


def test_plan_meeting_most_keeps_required_and_meets_what_fits() -> None:
    """Tests the group check's solve: 4 full-day sessions in 3 days. Goal 0 required, goals 1-3
    wanted: 2 of the 3 fit beside it (3 days, one session a day), so the plan meets goal 0 and
    exactly 2 others. Requiring 0-3 together is INFEASIBLE (4 sessions, 3 days)."""
    data = problem(4, 3)
    status, schedule = plan_meeting_most(data, (0,), (1, 2, 3), DET)
    assert status == SolveStatus.FEASIBLE and schedule is not None
    met = goals_achieved(data, schedule)
    assert met[0] and sum(met[1:]) == 2
    assert verify_schedule(data, schedule, met) == []
    assert plan_meeting_most(data, (0, 1, 2, 3), (), DET)[0] == SolveStatus.INFEASIBLE


def test_plan_phase_off_returns_phase_one() -> None:
    """Tests ``plan_phase=False``: one phase only, same proven count (3 full days, 4 goals: 3 met)."""
    res = solve(problem(4, 3), SolveParams(time_limit=5.0, deterministic=True, plan_phase=False))
    assert res.status == SolveStatus.OPTIMAL and res.num_goals_met == 3 and res.goals_bound == 3
    assert [p.phase for p in res.phases] == ["readiness"]


def test_time_limit_is_unknown_not_infeasible() -> None:
    """Tests honesty: with no time at all, a problem that is infeasible with every goal required
    (3 full-day sessions in 2 days) and one that is feasible both come back UNKNOWN, never
    INFEASIBLE, with no bound claimed; given time, the first is proven INFEASIBLE."""
    hard, easy = problem(3, 2), problem(2, 2)
    for data in (hard, easy):
        res = solve(data, NO_TIME)
        assert res.status == SolveStatus.UNKNOWN
        assert res.schedule is None and res.goals_bound is None  # None: nothing proven (0 would be a proof)
        assert can_meet_goals(data, None, NO_TIME) == SolveStatus.UNKNOWN
    assert can_meet_goals(hard, None, DET) == SolveStatus.INFEASIBLE
    assert can_meet_goals(easy, None, DET) == SolveStatus.FEASIBLE


def test_solve_draws_its_phases_from_the_budget() -> None:
    """Tests that each phase is charged its work units to the solve's budget (deterministic counting)."""
    budget = Budget(5.0, deterministic=True)
    res = solve(problem(2, 1), DET, budget=budget)
    used = sum(p.deterministic_time or 0.0 for p in res.phases)
    assert budget.spent() == used and budget.remaining() == 5.0 - used


def test_phase_info_dict_keeps_the_manifest_keys() -> None:
    """Tests PhaseInfo.as_dict: a search phase lists objective, bound and work units (None included),
    wall time only when measured, in the order manifests have always used."""
    res = solve(problem(2, 1), DET)
    assert list(res.phases[0].as_dict()) == ["phase", "status", "objective", "bound", "deterministic_time"]
    wall = solve(problem(2, 1), SolveParams(time_limit=5.0, num_workers=1))
    assert list(wall.phases[0].as_dict())[-1] == "wall_time"
    unknown = solve(problem(3, 2), NO_TIME).phases[0].as_dict()
    assert unknown["objective"] is None and unknown["status"] == "UNKNOWN"


def test_plan_phase_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests phase 2's settings: wall mode on a 2-core machine gets PLAN_WORKERS (4) workers and one
    presolve pass; on a 16-core machine at most DEFAULT_WORKERS (8); a user's workers and extra
    parameters win; ``--deterministic`` is left as it is (byte-identical outputs)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    wall = SolveParams(time_limit=5.0).for_plan_phase()
    assert wall.num_workers == PLAN_WORKERS == 4
    assert wall.extra == {"max_presolve_iterations": 1}
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert SolveParams(time_limit=5.0).for_plan_phase().num_workers == DEFAULT_WORKERS == 8
    chosen = SolveParams(time_limit=5.0, num_workers=2, extra={"max_presolve_iterations": 3}).for_plan_phase()
    assert chosen.num_workers == 2 and chosen.extra == {"max_presolve_iterations": 3}
    assert DET.for_plan_phase() is DET


def test_wall_cap_replaces_the_safety_net_when_lower() -> None:
    """Tests ``wall_cap``: a deterministic limit of 2 units has the safety net 30 x 2 + 30 = 90 s;
    a cap of 5 s replaces it, a cap of 500 s does not (the net is lower), none leaves it; a cap
    of 0 becomes the 0.01-s floor. The work units are 2 in every case."""
    def applied(cap: float | None) -> tuple[float, float]:
        solver = cp_model.CpSolver()
        SolveParams(deterministic=True, wall_cap=cap).apply(solver, 2.0)
        return solver.parameters.max_time_in_seconds, solver.parameters.max_deterministic_time

    assert applied(None) == (90.0, 2.0)
    assert applied(5.0) == (5.0, 2.0)
    assert applied(500.0) == (90.0, 2.0)
    assert applied(0.0) == (0.01, 2.0)
