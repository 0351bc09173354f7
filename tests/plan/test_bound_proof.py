"""Phase 1 stopped by the time limit with a bound below the number of pairs: a proof of NOT_READY overall.

Scenario: BASE (Mon 4 Mar .. Mon 15 Apr 2024, 4 one-hour slots a day) with three trainees in
three crews; each needs module m1 (one 2-hour session). Nothing conflicts, so the real plan meets
all three; the solve is replaced by a stub that stops "at the time limit" with the plan of two of
them and a bound of 2, so the proof can only come from reading that bound.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from planner.data.problem import ProblemData
from planner.data.result import Result, SolveStatus
from planner.plan import pipeline
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.params import SolveParams
from tests.helpers import scenario, write


def test_a_bound_below_the_pairs_proves_not_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_solve = pipeline.solve

    def stopped(data: ProblemData, *args: Any, **kwargs: Any) -> Result:
        res = real_solve(data, *args, **kwargs)
        assert res.schedule is not None
        keep = tuple(s for s in res.schedule.sessions if s.job != 0)  # the first trainee's session dropped
        met = tuple(g != 0 for g in range(len(data.goals)))
        return dataclasses.replace(res, status=SolveStatus.FEASIBLE, schedule=dataclasses.replace(res.schedule, sessions=keep),
                                   goals_met=met, goals_bound=2)

    monkeypatch.setattr(pipeline, "solve", stopped)
    monkeypatch.setattr(pipeline, "_decomposed", lambda data, params, budget, result, *args: result)
    people = [{"id": f"p{i}", "role": "sfp", "crew": f"c{i}"} for i in range(3)]
    out = pipeline.plan(load_scenario(write(tmp_path, scenario(participants=people))),
                        SolveParams(time_limit=5, deterministic=True), confirm=False)
    assert [r.status for r in out.readiness].count(Verdict.UNKNOWN) == 1
    assert out.overall == Verdict.NOT_READY
    assert out.proof == "proven: at most 2 of 3 pairs can be met together (the solver's bound)"
