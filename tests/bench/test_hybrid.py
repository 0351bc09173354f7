"""The hybrid's phases draw their limits from one Budget per instance: with CP-SAT
replaced by a recorder, the limits each phase gets under --deterministic are the
documented shares (no PSPLIB data needed)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from planner.bench import hybrid
from planner.bench.hybrid import GA_EVALS_PER_S, Hybrid, solve_instance
from planner.bench.instance import RcpspInstance
from planner.data.problem import ProblemData
from planner.data.result import Result, Schedule, SolveStatus
from planner.solve.budget import Budget
from planner.solve.run import SolveParams


def _loose_pair() -> RcpspInstance:
    """RCPSP/max: source 0, A and B (4 long, 2 units each of a capacity of 3), sink 3; B starts
    1 to 4 after A. The temporal proof finds nothing (B right after A is possible)."""
    return RcpspInstance(
        name="loose", kind="rcpsp_max", activities=(0, 1, 2, 3), durations=(0, 4, 4, 0),
        demands=((0,), (2,), (2,), (0,)), capacities=(3,),
        successors=(((1, 0), (2, 0)), ((2, 1), (3, 4)), ((1, -4), (3, 4)), ()),
    )


def _serial_pair() -> RcpspInstance:
    """Plain RCPSP: source, A (2 long) and B (3 long) on the one unit of R1, sink: optimum 5,
    critical path 3."""
    return RcpspInstance(
        name="serial", kind="rcpsp", activities=(1, 2, 3, 4), durations=(0, 2, 3, 0),
        demands=((0,), (1,), (1,), (0,)), capacities=(1,),
        successors=(((1, 0), (2, 0)), ((3, 2),), ((3, 3),), ()),
    )


def test_rcpsp_max_phases_share_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Limit 10 work units: CP-SAT's minimisation gets MAX_CP_FIRST = 30 % = 3.0; it finds no
    # schedule, so the two-direction search gets half of the 7.0 left = 3.5 (each search runs
    # to its own limit under --deterministic); it proves INFEASIBLE. Charged: 3.0 + 3.5 = 6.5.
    limits: list[tuple[str, float]] = []

    def fake_solve(data: ProblemData, params: SolveParams, hint: Schedule | None = None) -> Result:
        limits.append(("solve", params.time_limit))
        return Result(SolveStatus.UNKNOWN, None)

    def fake_first_answer(problems: Sequence[ProblemData], params: SolveParams, earliest_first: bool = False,
                          tunings: object = None) -> tuple[int, SolveStatus, Schedule | None]:
        limits.append(("first", params.time_limit))
        return 0, SolveStatus.INFEASIBLE, None

    monkeypatch.setattr(hybrid, "solve", fake_solve)
    monkeypatch.setattr(hybrid, "first_answer", fake_first_answer)
    budget = Budget(10.0, deterministic=True)
    res = Hybrid(_loose_pair(), None, budget).solve()
    assert res.status == SolveStatus.INFEASIBLE
    assert limits == [("solve", 3.0), ("first", 3.5)]
    assert budget.spent() == 6.5


def test_plain_rcpsp_phases_share_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Limit 2 work units, 4 activities: the GA's first share is min(10 % of 2, 1.0) = 0.2, times
    # 4 / 122 for a small instance, i.e. round(0.2 * 4/122 * GA_EVALS_PER_S / 4) = 3934 schedules
    # (it may stop at the end of the initial population); its schedule (makespan 5) is above the
    # critical path (3), so CP-SAT gets CP_FIRST = 25 % of 2 = 0.5 and proves 5 optimal.
    limits: list[float] = []

    def fake_solve(data: ProblemData, params: SolveParams, hint: Schedule | None = None) -> Result:
        limits.append(params.time_limit)
        assert hint is not None
        return Result(SolveStatus.OPTIMAL, hint, objective=5.0, bound=5.0)

    monkeypatch.setattr(hybrid, "solve", fake_solve)
    budget = Budget(2.0, deterministic=True)
    inst = _serial_pair()
    run = Hybrid(inst, hybrid.ActivityListGA(inst), budget)
    res = run.solve()
    assert (res.status, res.objective, res.bound) == (SolveStatus.OPTIMAL, 5.0, 5.0)
    assert limits == [0.5]
    assert run.ga is not None and 3934 <= run.ga.evaluations < 3934 + 800
    assert budget.spent() == pytest.approx(run.ga.evaluations * inst.n / GA_EVALS_PER_S + 0.5)


def test_cp_sat_alone_gets_the_whole_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # --no-ga: one CP-SAT minimisation with the instance's whole limit.
    limits: list[float] = []

    def fake_solve(data: ProblemData, params: SolveParams, hint: Schedule | None = None) -> Result:
        limits.append(params.time_limit)
        return Result(SolveStatus.OPTIMAL, hint, objective=5.0, bound=5.0)

    monkeypatch.setattr(hybrid, "solve", fake_solve)
    _, res = solve_instance(_serial_pair(), 2.5, deterministic=True, ga=False)
    assert res.status == SolveStatus.OPTIMAL and limits == [2.5]
