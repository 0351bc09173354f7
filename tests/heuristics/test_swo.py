"""The squeaky-wheel search over the greedy's job order (planner.heuristics.swo)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from planner.data.problem import ProblemData
from planner.heuristics.greedy import greedy_schedule
from planner.heuristics.swo import squeaky_wheel
from planner.plan.pipeline import prepare
from planner.scenario.generate import generate_yaml
from planner.scenario.load import load_scenario
from planner.verify.checks import goals_achieved, verify_schedule
from tests.helpers import scenario, write
from tests.test_properties import small_scenarios


def _data(tmp_path: Path, sc: dict[str, Any]) -> ProblemData:
    return prepare(load_scenario(write(tmp_path, sc)))[1]


def _generated(tmp_path: Path, crews: int, days: int) -> ProblemData:
    path = tmp_path / "g.yaml"
    path.write_text(generate_yaml(crews, days, 1), encoding="utf-8")
    return prepare(load_scenario(path))[1]


def test_dropped_job_moves_forward(tmp_path: Path) -> None:
    """Tests the squeak on a case the greedy order gets wrong.

    One trainee, one 4-h session a day. ``x`` (one day) needs the rig, open only on
    Monday 4 March; ``y`` (two days) needs nothing. Both are due at the end of the
    window, so the greedy takes the larger ``y`` first, on Monday and Tuesday, and
    ``x`` is dropped: 1 of 2 competencies. Moving ``x`` forward puts it on Monday and
    ``y`` on Tuesday-Wednesday: 2 of 2, found on the third pass (the first two, the
    plain greedy and the same order capped at due days, both drop ``x``).
    """
    sc = scenario(
        roles=[{"id": "sfp", "requires": ["cx", "cy"]}],
        resources=[{"id": "rig", "capacity": 1, "available_dates": ["2024-03-04"]}],
        modules=[
            {"id": "x", "hours": 4, "session_hours": 4, "resources": ["rig"]},
            {"id": "y", "hours": 8, "session_hours": 4},
        ],
        competencies=[{"id": "cx", "requires": ["x"]}, {"id": "cy", "requires": ["y"]}],
    )
    data = _data(tmp_path, sc)
    plain, failed = greedy_schedule(data)
    assert sum(goals_achieved(data, plain)) == 1 and list(failed) == ["ann/x"]
    res = squeaky_wheel(data, seconds=None, passes=50)
    assert (res.first_goals_met, res.goals_met, res.passes) == (1, 2, 3)
    days = sorted((data.jobs[s.job].module, s.start // data.slots_per_day) for s in res.schedule.sessions)
    assert days == [("x", 0), ("y", 1), ("y", 2)]


def test_never_worse_than_greedy_and_verifies(tmp_path: Path) -> None:
    """Tests that the best pass meets at least the greedy's goals, on a tight generated
    cohort (2 crews, 90 days: the greedy meets 12 of 30), and breaks no rule."""
    data = _generated(tmp_path, 2, 90)
    plain = sum(goals_achieved(data, greedy_schedule(data)[0]))
    res = squeaky_wheel(data, seconds=None, passes=60)
    assert res.first_goals_met == plain
    assert res.goals_met > plain  # the squeak helps here (20+ in 60 passes)
    met = goals_achieved(data, res.schedule)
    assert sum(met) == res.goals_met
    assert verify_schedule(data, res.schedule, met) == []


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    """Tests that a pass budget and a seed give the same schedule every time, and
    another seed may search differently (but never below the greedy)."""
    data = _generated(tmp_path, 2, 90)
    a = squeaky_wheel(data, seconds=None, passes=30, seed=3)
    b = squeaky_wheel(data, seconds=None, passes=30, seed=3)
    assert a == b
    c = squeaky_wheel(data, seconds=None, passes=30, seed=4)
    assert c.goals_met >= c.first_goals_met == a.first_goals_met


def test_stops_once_every_goal_is_met(tmp_path: Path) -> None:
    """Tests the early stop: a roomy window is met by the first greedy pass."""
    data = _generated(tmp_path, 1, 150)
    res = squeaky_wheel(data, seconds=10.0)
    assert res.goals_met == len(data.goals) and res.passes == 1


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_every_pass_schedule_passes_verifier(sc: dict[str, Any]) -> None:
    """Tests that the search's best schedule breaks no rule on random small scenarios."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _data(Path(tmp), sc)
    res = squeaky_wheel(data, seconds=None, passes=20)
    met = goals_achieved(data, res.schedule)
    assert sum(met) == res.goals_met >= res.first_goals_met
    assert verify_schedule(data, res.schedule, met) == []
