"""The day-indexed relaxation of one participant's part (planner.solve.part_days).

BASE calendar: Monday to Friday, 4 one-hour slots a day, no holidays; the window opens on
Mon 4 Mar 2024. Every case is also asked of the whole interval model of the part: the day
relaxation must never say INFEASIBLE where a plan exists (it would be a false proof).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.data.problem import ProblemData, participant_part
from planner.data.result import SolveStatus
from planner.plan import relax
from planner.plan.pipeline import prepare
from planner.scenario.load import load_scenario
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.params import SolveParams
from planner.solve.part_days import needed_jobs, part_model, part_status, whole_status
from tests.helpers import scenario, write


def _sc(modules: list[dict[str, Any]], exam: str, **ann: Any) -> dict[str, Any]:
    """Ann alone; competency 'comp' needs every module by the gate ``exam``."""
    return scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", **ann}],
        modules=modules,
        gates=[{"id": "exam", "date": exam}],
        competencies=[{"id": "comp", "requires": [m["id"] for m in modules], "deadline": "exam"}],
    )


def _part(tmp_path: Path, sc: dict[str, Any]) -> ProblemData:
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    return participant_part(data, 0)


def _status(tmp_path: Path, sc: dict[str, Any]) -> SolveStatus:
    """The day relaxation's answer, checked against the part's whole model (same answer here)."""
    part = _part(tmp_path, sc)
    status, used = part_status(part, work=5.0, wall=60.0)
    assert 0 <= used <= 5.0
    whole = plan_meeting_goals(part, None, SolveParams(time_limit=20, num_workers=2))[0]
    assert whole in (SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE)
    assert status == whole
    return status


def test_weekly_cap_over_the_weeks_before_the_exam(tmp_path: Path) -> None:
    # 16 h in 2-h sessions by Mon 18 Mar: two weeks (Mon 4 .. Fri 15) of at most 6 h hold 12 h.
    course = [{"id": "course", "hours": 16, "session_hours": 2}]
    assert _status(tmp_path, _sc(course, "2024-03-18", load={"max_hours_per_week": 6})) == SolveStatus.INFEASIBLE
    # At 8 h a week they hold the 16 h exactly (two 4-h days a week).
    assert _status(tmp_path, _sc(course, "2024-03-18", load={"max_hours_per_week": 8})) == SolveStatus.FEASIBLE


def test_prerequisite_lag_in_days(tmp_path: Path) -> None:
    # A full day of a, then b at least 2 calendar days after a ends: a on Mon 4, b on Wed 6, before the
    # exam on Thu 7 Mar.
    mods = [{"id": "a", "hours": 4, "session_hours": 4},
            {"id": "b", "hours": 4, "session_hours": 4, "prerequisites": [{"module": "a", "min_lag_days": 2}]}]
    assert _status(tmp_path, _sc(mods, "2024-03-07")) == SolveStatus.FEASIBLE
    # At least 3 days: b on Thu 7 at the earliest, the exam's day.
    mods[1]["prerequisites"] = [{"module": "a", "min_lag_days": 3}]
    assert _status(tmp_path, _sc(mods, "2024-03-07")) == SolveStatus.INFEASIBLE


def test_prerequisite_in_the_same_day_only_when_both_fit(tmp_path: Path) -> None:
    # Only Mon 4 Mar before the exam: a (2 h) then b (2 h) fill its 4 slots in order.
    mods = [{"id": "a", "hours": 2, "session_hours": 2},
            {"id": "b", "hours": 2, "session_hours": 2, "prerequisites": [{"module": "a"}]}]
    assert _status(tmp_path, _sc(mods, "2024-03-05")) == SolveStatus.FEASIBLE
    # a of 3 h and b of 2 h do not fit in one 4-h day, so b goes on a later day: none is left.
    mods[0]["hours"] = mods[0]["session_hours"] = 3
    assert _status(tmp_path, _sc(mods, "2024-03-05")) == SolveStatus.INFEASIBLE


def test_spacing_keeps_days_apart(tmp_path: Path) -> None:
    # A flight, then the centrifuge (after the flight, and not within 24 h of it: neither that day nor
    # the next). Exam Wed 6 Mar: flight Mon, centrifuge Wed at the earliest: too late.
    mods = [{"id": "flight", "hours": 1, "session_hours": 1},
            {"id": "fuge", "hours": 1, "session_hours": 1, "prerequisites": [{"module": "flight"}]}]
    spaced = {"spacing": [{"after": "flight", "forbid": "fuge", "hours": 24}]}
    assert _status(tmp_path, {**_sc(mods, "2024-03-06"), **spaced}) == SolveStatus.INFEASIBLE
    # Exam Thu 7 Mar: Mon and Wed.
    assert _status(tmp_path, {**_sc(mods, "2024-03-07"), **spaced}) == SolveStatus.FEASIBLE


def test_prerequisites_are_needed_too(tmp_path: Path) -> None:
    # The competency names only b; its prerequisite a is in the model as well (a done job's are done).
    mods = [{"id": "a", "hours": 4, "session_hours": 4},
            {"id": "b", "hours": 4, "session_hours": 4, "prerequisites": [{"module": "a"}]}]
    sc = _sc(mods, "2024-03-05")
    sc["competencies"] = [{"id": "comp", "requires": ["b"], "deadline": "exam"}]
    part = _part(tmp_path, sc)
    assert {part.jobs[j].module for j in needed_jobs(part)} == {"a", "b"}
    # Only Mon 4 Mar: a fills it, b cannot follow.
    assert _status(tmp_path, sc) == SolveStatus.INFEASIBLE


def test_not_asked_with_history_or_without_goals(tmp_path: Path) -> None:
    sc = _sc([{"id": "course", "hours": 4, "session_hours": 2}], "2024-03-18")
    sc["roles"] = [{"id": "sfp", "requires": []}]
    part = _part(tmp_path, sc)
    assert part_model(part) is None
    assert part_status(part, work=5.0, wall=60.0) == (SolveStatus.UNKNOWN, 0.0)


def test_relaxation_status_asks_the_days_when_the_first_ask_is_undecided(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the wiring: a part the whole model leaves undecided (stubbed) is proven by its days, with the
    usual words; one whose days are feasible goes back to the whole model with the time left."""
    _, data = prepare(load_scenario(write(tmp_path, _sc([{"id": "course", "hours": 16, "session_hours": 2}],
                                                         "2024-03-18", load={"max_hours_per_week": 6}))))
    asked: list[float] = []

    def undecided(part: ProblemData, hint: object, params: SolveParams, **_: object) -> tuple[SolveStatus, None]:
        asked.append(params.time_limit)
        return SolveStatus.UNKNOWN, None

    monkeypatch.setattr(relax, "plan_meeting_goals", undecided)
    status, proof = relax.relaxation_status(data, SolveParams(time_limit=10), 10.0)
    assert status == SolveStatus.INFEASIBLE
    assert proof.startswith("proven: ann alone cannot meet all 1 of their pairs")
    assert len(asked) == 1 and asked[0] <= relax.PART_QUICK  # the quick ask only
    # Feasible days prove nothing: the whole model is asked again with the rest.
    _, data = prepare(load_scenario(write(tmp_path, _sc([{"id": "course", "hours": 16, "session_hours": 2}],
                                                         "2024-03-18", load={"max_hours_per_week": 8}))))
    asked.clear()
    status, proof = relax.relaxation_status(data, SolveParams(time_limit=10), 10.0)
    assert status == SolveStatus.UNKNOWN and proof == ""
    assert len(asked) == 2 and asked[1] > relax.PART_QUICK


def test_whole_problem_with_the_instructors_days(tmp_path: Path) -> None:
    """Tests the whole problem day by day with each group of instructors: a chain through two groups.

    Mon 4 - Thu 7 Mar before the exam on Fri 8 (4-h days). Ann and Bob each need two 4-h theory
    sessions (only A teaches theory) and then one 4-h simulator session (A or B, B off from Wed 6).
    A teaches the four theory sessions on all four days, and neither trainee finishes theory before
    Tue, so each simulator session needs an instructor on Wed or Thu: A is busy, B is off. Each
    trainee alone fits (theory Mon-Tue, simulator Wed), A's theory alone fits (4 days), and the
    simulators alone fit (A or B, no order): only the whole problem with the instructors' days and
    the prerequisites shows it. The interval model agrees (no plan meets both pairs)."""
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}],
        instructors=[{"id": "a", "qualifications": ["theory", "sim"]},
                     {"id": "b", "qualifications": ["sim"], "blackouts": [{"from": "2024-03-06", "to": "2024-03-10"}]}],
        modules=[{"id": "theory", "sessions": 2, "session_hours": 4, "instructor": "theory"},
                 {"id": "simulator", "sessions": 1, "session_hours": 4, "instructor": "sim", "prerequisites": ["theory"]}],
        gates=[{"id": "exam", "date": "2024-03-08"}],
        competencies=[{"id": "comp", "requires": ["simulator"], "deadline": "exam"}],
    )
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    model = part_model(data)
    assert model is not None
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    assert solver.solve(model.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)  # without the instructors
    assert whole_status(data, 5.0, 30.0)[0] == SolveStatus.INFEASIBLE
    assert plan_meeting_goals(data, None, SolveParams(time_limit=10, num_workers=2))[0] == SolveStatus.INFEASIBLE
    # With the exam on Tue 12, A teaches theory Mon-Thu and the simulators fit on Fri 8 and Mon 11:
    # no false proof.
    sc["gates"] = [{"id": "exam", "date": "2024-03-12"}]
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    assert whole_status(data, 5.0, 30.0)[0] != SolveStatus.INFEASIBLE
    assert plan_meeting_goals(data, None, SolveParams(time_limit=10, num_workers=2))[0] == SolveStatus.FEASIBLE
