"""Planning one participant at a time (planner.heuristics.decompose) and its use when the solve
leaves pairs open: hand-derived cases, every plan checked by the verifier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from planner.data.problem import ProblemData
from planner.data.result import Result, SolveStatus
from planner.heuristics.decompose import by_participant
from planner.plan.pipeline import _decomposed, prepare, schedule_rows
from planner.scenario.load import load_scenario
from planner.solve.params import SolveParams
from planner.verify.checks import goals_achieved, verify_schedule
from tests.helpers import scenario, write

PARAMS = SolveParams(time_limit=5.0, deterministic=True)

# tests/helpers BASE: Mon-Fri 4-hour days from Mon 4 Mar 2024. ann (role a) needs the crew brief
# (4 h, joint with bob) and then a1 (8 h); bob (role b) needs the brief and b1 (4 h) on the pool,
# which is open on Mon 4 Mar only.
CREW = scenario(
    participants=[{"id": "ann", "role": "a", "crew": "c1"}, {"id": "bob", "role": "b", "crew": "c1"}],
    resources=[{"id": "pool", "available_dates": ["2024-03-04"]}],
    modules=[
        {"id": "brief", "hours": 4, "session_hours": 4, "joint": "crew"},
        {"id": "a1", "hours": 8, "session_hours": 4, "prerequisites": ["brief"], "roles": ["a"]},
        {"id": "b1", "hours": 4, "session_hours": 4, "resources": ["pool"], "roles": ["b"]},
    ],
    roles=[{"id": "a", "requires": ["comp_a"]}, {"id": "b", "requires": ["comp_b"]}],
    competencies=[{"id": "comp_a", "requires": ["brief", "a1"]}, {"id": "comp_b", "requires": ["brief", "b1"]}],
)


def _data(tmp_path: Path, sc: dict[str, Any]) -> tuple[Any, ProblemData]:
    return prepare(load_scenario(write(tmp_path, sc)))


def test_crew_mates_sessions_are_released_when_a_step_fails(tmp_path: Path) -> None:
    """Tests the retry. ann's programme (brief + a1 = 12 h) is larger than bob's (8 h), so she goes
    first; earliest start first puts the brief on Mon 4 Mar (a1 must follow it). bob's b1 can only be
    on Mon, a full 4-h day the pinned brief already takes: his step fails, and is asked again with
    ann's jobs released. The plan: b1 on Mon, the brief on a later day, a1 after it; verified."""
    grid, data = _data(tmp_path, CREW)
    said: list[str] = []
    schedule = by_participant(data, PARAMS, PARAMS.budget(), say=said.append)
    assert said == ["ann: placed", "bob: placed, crew-mates' sessions moved"]
    assert schedule is not None and verify_schedule(data, schedule) == [] and all(goals_achieved(data, schedule))
    result = Result(SolveStatus.FEASIBLE, schedule, goals_met=goals_achieved(data, schedule))
    days = {str(r["module"]): r["start"].date() for r in schedule_rows(grid, data, result)}  # type: ignore[attr-defined]
    assert days["b1"] == dt.date(2024, 3, 4) and days["brief"] > dt.date(2024, 3, 4)


def test_no_plan_is_none_not_a_proof(tmp_path: Path) -> None:
    """Tests a failure: with bob's b1 needing 8 h on the pool's only 4-h day, no step finds a plan;
    the result is None (never a NOT_READY: a failed step proves nothing)."""
    sc = {**CREW, "modules": [*CREW["modules"][:2], {**CREW["modules"][2], "hours": 8}]}
    _, data = _data(tmp_path, sc)
    assert by_participant(data, PARAMS, PARAMS.budget()) is None


def test_an_unproven_solve_is_completed_by_the_decomposition(tmp_path: Path) -> None:
    """Tests the plan's fallback: a solve that met no pair and proved nothing (FEASIBLE, 0 of 2, as a
    time limit would leave it) becomes a plan meeting both pairs: readiness settled (OPTIMAL, bound 2)
    with a 'decompose' phase, then polished from it by the two phases again (the whole programme is
    kept: every job of the scenario is in the plan); a proven result is passed through untouched."""
    _, data = _data(tmp_path, CREW)
    open_result = Result(SolveStatus.FEASIBLE, None, goals_met=(False, False), goals_bound=2)
    out = _decomposed(data, PARAMS, PARAMS.budget(), open_result, {}, None, 0.0)
    assert out.status == SolveStatus.OPTIMAL and out.goals_met == (True, True) and out.goals_bound == 2
    assert [p.phase for p in out.phases] == ["decompose", "readiness-again", "plan"]
    assert out.schedule is not None and verify_schedule(data, out.schedule) == []
    assert {s.job for s in out.schedule.sessions} == set(range(len(data.jobs)))
    proven = Result(SolveStatus.OPTIMAL, None, goals_met=(False, False), goals_bound=0)
    assert _decomposed(data, PARAMS, PARAMS.budget(), proven, {}, None, 0.0) is proven
