"""The independent verifier catches each kind of broken schedule."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from planner.data.problem import Job, Precedence, ProblemData, ResourceData
from planner.data.result import Schedule, ScheduledSession
from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.verify.checks import verify_dates, verify_schedule
from tests.helpers import run, scenario


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> PlanOutcome:
    """Two trainees sharing a unary simulator, with an instructor and a prerequisite."""
    sc = scenario(
        participants=[
            {"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_day": 3}},
            {"id": "bob", "role": "sfp", "crew": "c2"},
        ],
        resources=[{"id": "sim", "capacity": 1}],
        instructors=[{"id": "i1", "qualifications": ["q"]}],
        modules=[
            {"id": "m1", "hours": 4, "session_hours": 2, "resources": ["sim"]},
            {"id": "m2", "hours": 1, "session_hours": 1, "instructor": "q", "prerequisites": ["m1"]},
        ],
        competencies=[{"id": "comp", "requires": ["m2"]}],
    )
    return run(tmp_path_factory.mktemp("v"), sc)


def _replace(out: PlanOutcome, job_module: str, owner: str, index: int, **changes: int | None) -> Schedule:
    sched = out.result.schedule
    assert sched is not None
    j = out.data.job_of(f"{owner}/{job_module}")
    new = [dataclasses.replace(s, **changes) if (s.job, s.index) == (j, index) else s for s in sched.sessions]  # type: ignore[arg-type]
    return Schedule(tuple(new))


def test_solver_schedule_passes(outcome: PlanOutcome) -> None:
    """Tests that the planner's own schedule passes both verifiers."""
    assert outcome.result.schedule is not None
    assert verify_schedule(outcome.data, outcome.result.schedule, outcome.result.goals_met) == []
    assert verify_dates(outcome.scenario, schedule_rows(outcome.grid, outcome.data, outcome.result)) == []


def test_detects_resource_clash(outcome: PlanOutcome) -> None:
    """Tests that two sessions on the unary simulator at once are caught."""
    sched = outcome.result.schedule
    assert sched is not None
    a = next(s for s in sched.sessions if s.job == outcome.data.job_of("ann/m1") and s.index == 0)
    moved = _replace(outcome, "m1", "bob", 0, start=a.start, end=a.end)
    problems = verify_schedule(outcome.data, moved)
    assert any("resource sim" in p for p in problems)


def test_detects_day_crossing_and_closed_day(outcome: PlanOutcome) -> None:
    """Tests sessions across midnight and on a weekend."""
    S = outcome.data.slots_per_day
    crossing = _replace(outcome, "m1", "ann", 0, start=S - 1, end=S + 1)
    assert any("crosses a day boundary" in p for p in verify_schedule(outcome.data, crossing))
    saturday = 5 * S  # day 5 after Monday 4 March is Saturday 9 March
    weekend = _replace(outcome, "m1", "ann", 0, start=saturday, end=saturday + 2)
    assert any("closed" in p for p in verify_schedule(outcome.data, weekend))


def test_detects_precedence_and_missing_instructor(outcome: PlanOutcome) -> None:
    """Tests a module before its prerequisite and a session without instructor."""
    early = _replace(outcome, "m2", "ann", 0, start=0, end=1)
    assert any("ann/m1 -> ann/m2" in p for p in verify_schedule(outcome.data, early))
    alone = _replace(outcome, "m2", "ann", 0, instructor=None)
    assert any("has no instructor" in p for p in verify_schedule(outcome.data, alone))


def test_detects_false_readiness_claim(outcome: PlanOutcome) -> None:
    """Tests that a claimed goal without its module is caught."""
    sched = outcome.result.schedule
    assert sched is not None
    j = outcome.data.job_of("ann/m2")
    dropped = Schedule(tuple(s for s in sched.sessions if s.job != j))
    problems = verify_schedule(outcome.data, dropped, outcome.result.goals_met)
    assert any("claimed met but is not" in p for p in problems)


def test_detects_daily_cap(outcome: PlanOutcome) -> None:
    """Tests that four hours on one day break ann's 3-hour cap."""
    sched = outcome.result.schedule
    assert sched is not None
    j = outcome.data.job_of("ann/m1")
    S = outcome.data.slots_per_day
    day = 7 * S  # Monday 11 March, nothing else of ann's there? move both m1 sessions
    new = []
    for s in sched.sessions:
        if s.job == j:
            new.append(dataclasses.replace(s, start=day + 2 * s.index, end=day + 2 * s.index + 2))
        else:
            new.append(s)
    problems = verify_schedule(outcome.data, Schedule(tuple(new)))
    assert any("> cap 3" in p for p in problems)


def test_date_verifier_catches_holiday(tmp_path: Path, outcome: PlanOutcome) -> None:
    """Tests the date-level verifier on a session moved onto a Sunday."""
    import datetime as dt

    rows = schedule_rows(outcome.grid, outcome.data, outcome.result)
    rows[0] = {**rows[0], "start": dt.datetime(2024, 3, 10, 9), "end": dt.datetime(2024, 3, 10, 11)}
    problems = verify_dates(outcome.scenario, rows)
    assert any("not a workday" in p for p in problems)


def test_scheduled_session_ordering() -> None:
    """Tests that sessions sort by job, index and start (stable CSV order)."""
    a, b = ScheduledSession(1, 0, 5, 6), ScheduledSession(0, 1, 9, 10)
    assert sorted([a, b]) == [b, a]


def test_zero_length_session_at_the_end_of_the_horizon_is_valid() -> None:
    """Tests that a zero-length sink starting exactly at the horizon (a PSPLIB optimum equal to the
    sum of the durations) is checked on the last day instead of crashing past the grid."""
    # One "day" of 3 slots: A (3 slots) fills it, the sink Z (0 slots) starts at slot 3 = the horizon.
    jobs = (Job("A", "A", (), 1, 3, (True,), mandatory=True), Job("Z", "Z", (), 1, 0, (True,), mandatory=True))
    data = ProblemData(3, 1, 0, (), (ResourceData("r", 1),), (), jobs, precedences=(Precedence(0, 1),),
                       objective="makespan")
    ok = Schedule((ScheduledSession(0, 0, 0, 3), ScheduledSession(1, 0, 3, 3)))
    assert verify_schedule(data, ok) == []
    early = Schedule((ScheduledSession(0, 0, 0, 3), ScheduledSession(1, 0, 2, 2)))  # Z before A ends
    assert any("Z" in p for p in verify_schedule(data, early))


def test_detects_a_weeks_own_cap(tmp_path: Path) -> None:
    """Tests ``load.weeks``: 8 h in the week of Mon 11 Mar break its 4-h cap in both verifiers,
    and the same 8 h in the week of Mon 4 (cap 8 h) do not."""
    load = {"max_hours_per_week": 8, "weeks": [{"from": "2024-03-15", "to": "2024-03-15", "max_hours_per_week": 4}]}
    sc = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
                  modules=[{"id": "m1", "hours": 8, "session_hours": 4}])
    out = run(tmp_path, sc)
    assert out.result.schedule is not None
    S = out.data.slots_per_day
    j = out.data.job_of("ann/m1")

    def on(days: tuple[int, int]) -> Schedule:
        return Schedule(tuple(dataclasses.replace(s, start=days[s.index] * S, end=days[s.index] * S + 4)
                              if s.job == j else s for s in out.result.schedule.sessions))  # type: ignore[union-attr]

    ok, broken = on((0, 1)), on((7, 8))  # Mon 4 + Tue 5; Mon 11 + Tue 12
    assert verify_schedule(out.data, ok) == []
    assert any("> cap 4" in p for p in verify_schedule(out.data, broken))
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=broken))
    assert any("week of 2024-03-11, weekly cap 4 h" in p for p in verify_dates(out.scenario, rows))
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=ok))
    assert verify_dates(out.scenario, rows) == []
