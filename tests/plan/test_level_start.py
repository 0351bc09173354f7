"""The level shape's fast path: weekly peak floors, the capped greedy start, the plan phase's gap stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.data.result import SolveStatus
from planner.heuristics.level import level_start
from planner.heuristics.swo import squeaky_wheel
from planner.model.builder import build_model
from planner.model.objective import NO_PLAN, _level_of, cost_floor, idle_floor, peak_floors
from planner.plan.pipeline import plan, prepare
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.cpsat import StopRule
from planner.solve.run import SolveParams
from tests.helpers import scenario, write
from tests.plan.test_objective import SHAPE

# Mon-Fri, 8-hour days of 16 half-hour slots; window Mon 1 .. launch Mon 29 Mar 2021 (four weeks).
# survival: three 8-hour sessions on consecutive calendar days; talks: two 8-hour sessions.
SURVIVAL: dict[str, Any] = {
    "name": "survival",
    "window": {"start": "2021-03-01", "launch": "2021-03-29"},
    "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "day_hours": 8},
    "roles": [{"id": "sfp", "requires": ["water"]}],
    "participants": [{"id": "p1", "role": "sfp", "crew": "c1"}],
    "modules": [
        {"id": "survival", "hours": 24, "session_hours": 8, "consecutive_days": True},
        {"id": "talks", "hours": 16, "session_hours": 8},
    ],
    "competencies": [{"id": "water", "requires": ["survival", "talks"]}],
}


def _floors(tmp_path: Path, data: dict[str, Any]) -> list[int]:
    _, pdata = prepare(load_scenario(write(tmp_path, data)))
    return peak_floors(build_model(pdata))


def test_a_run_of_consecutive_days_lies_in_one_week(tmp_path: Path) -> None:
    """Tests the job floor: three consecutive calendar days among Mon-Fri are Mon-Wed, Tue-Thu or Wed-Fri,
    all in one week: 3 x 16 = 48 slots. (The energy count says only 5 x 16 / 4 weeks = 20.)"""
    assert _floors(tmp_path, SURVIVAL) == [48]


def test_sessions_spread_over_the_weeks_they_may_use(tmp_path: Path) -> None:
    """Tests the energy floor: 7 full days (112 slots) over the 5 weeks of 1 Mar .. 4 Apr: ceil(112 / 5)
    = 23 slots, above one session's 16. (The best plan's busiest week is 2 days, 32: a floor, not the
    optimum.)"""
    assert _floors(tmp_path, SHAPE) == [23]


# Mon-Fri, window Mon 1 .. launch Wed 31 Mar 2021: four weeks of 5 working days, then 2 (29, 30 Mar).
SHORT_WEEK: dict[str, Any] = {
    **SHAPE,
    "window": {"start": "2021-03-01", "launch": "2021-03-31"},
    "modules": [{"id": "theory", "hours": 144, "session_hours": 8}],
    "competencies": [{"id": "fire", "requires": ["theory"]}],
}


def test_a_short_week_holds_only_its_days(tmp_path: Path) -> None:
    """Tests the energy floor's room per week: eighteen 16-slot days (288 slots) over weeks of 5, 5, 5, 5
    and 2 days. Spread evenly it would be ceil(288 / 5) = 58 slots a week, but the last week holds at most
    2 days (32), so 4 P + 32 >= 288: P = 64, the best plan's busiest week (4 days in each full week)."""
    assert _floors(tmp_path, SHORT_WEEK) == [64]


def test_a_goal_that_must_be_met_ends_training_at_its_deadline(tmp_path: Path) -> None:
    """Tests the deadline of the goals met: exams on Mon 29 Mar, so the competency's only module ends by
    Fri 26 Mar when the goal must be met: 288 slots in four weeks, 72 a week. Without the goal every day
    until launch but the exams' may be used: 4 P + 16 (Tue 30 Mar) >= 288, P = 68."""
    data = {**SHORT_WEEK, "gates": [{"id": "exams", "date": "2021-03-29"}],
            "competencies": [{"id": "fire", "requires": ["theory"], "deadline": "exams"}]}
    _, pdata = prepare(load_scenario(write(tmp_path, data)))
    ctx = build_model(pdata)
    assert peak_floors(ctx, met=[0]) == [72]
    assert peak_floors(ctx) == [68]


def test_the_least_level_of_weeks_with_their_own_room() -> None:
    """Tests the energy floor's level: 160 slots in weeks holding 80, 80 and 32 take 64 a week (64 + 64 +
    32); 100 slots take 34 (34 + 34 + 32); nothing takes 0. When 200 slots do not fit the 192 the weeks
    hold, no plan leaving nothing out exists and the level exceeds every week (NO_PLAN); so does any need
    where every week is closed."""
    assert _level_of(160, [80, 32, 80]) == 64
    assert _level_of(100, [80, 32, 80]) == 34
    assert _level_of(0, [80, 32, 80]) == 0
    assert _level_of(200, [80, 32, 80]) == NO_PLAN
    assert _level_of(1, [0, 0]) == NO_PLAN


def test_the_cost_floor_is_the_peaks_weight_times_the_floors(tmp_path: Path) -> None:
    """Tests cost_floor: 0 for the earliest shape; for level, below the cost of the level plan found."""
    _, pdata = prepare(load_scenario(write(tmp_path, {**SURVIVAL, "objective": "earliest"}, "e.yaml")))
    assert cost_floor(build_model(pdata)) == 0
    out = plan(load_scenario(write(tmp_path, SURVIVAL)), SolveParams(time_limit=10, deterministic=True))
    assert out.result.objective is not None and out.result.bound is not None
    assert 0 < out.result.bound <= out.result.objective


def test_the_capped_greedy_finds_two_days_a_week(tmp_path: Path) -> None:
    """Tests the level start on the shape case: at a cap of 32 slots (2 days) a week, theory's 5 days and
    drill's 2 fit the 5 weeks (2+2+2+1); at 31 only one 16-slot day fits a week, 7 weeks: no. So 32."""
    _, pdata = prepare(load_scenario(write(tmp_path, SHAPE)))
    start = squeaky_wheel(pdata, seconds=None, passes=5)
    found = level_start(pdata, start, passes=200)
    assert found is not None and found.caps == (32,)
    weeks: dict[int, int] = {}
    for s in found.schedule.sessions:
        weeks[pdata.week(s.start // 16)] = weeks.get(pdata.week(s.start // 16), 0) + s.end - s.start
    assert max(weeks.values()) == 32 and len(found.schedule.sessions) == 7


def test_the_plan_phase_stops_at_the_floor(tmp_path: Path) -> None:
    """Tests the gap stop: the level start's busiest week is the floor (48), so the plan phase stops at its
    first plan, within 5 % of the floor's bound; with no gap it runs until the plan is proven best."""
    path = write(tmp_path, SURVIVAL)
    fast = plan(load_scenario(path), SolveParams(time_limit=10, deterministic=True))
    phase = next(p for p in fast.result.phases if p.phase == "plan")
    assert phase.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert fast.result.gap is not None and fast.result.gap <= 0.05
    full = plan(load_scenario(path), SolveParams(time_limit=10, deterministic=True, plan_gap=0.0))
    assert next(p for p in full.result.phases if p.phase == "plan").status == SolveStatus.OPTIMAL
    # Both plans train the 48-slot busiest week: the stop gave up only lower terms.
    assert fast.result.objective is not None and full.result.objective is not None
    assert fast.result.objective >= full.result.objective


def test_stop_rule() -> None:
    """Tests the stop rule's arithmetic: the slack is 5 % of the floor (100 -> 5): a plan of 104 against a
    floor of 100 stops, 106 goes on; the solver's bound counts when above the floor (104 against 103: 1
    away); no floor, no early stop. A lexicographic case: a plan one weight of 1000 above its bound
    (a module more left out) goes on, although it is within 5 % of its own cost of 25,000. A further test
    (``also``: level's weeks without training) must hold too."""
    assert StopRule(0.05, floor=100).met(104, 0)
    assert not StopRule(0.05, floor=100).met(106, 0)
    assert StopRule(0.05, floor=100).met(104, 103)
    assert not StopRule(0.05).met(100, 99)
    assert not StopRule(0.05, floor=10_000).met(25_000, 24_000)
    assert not StopRule(0.05, floor=100, also=lambda cost: cost % 10 <= 1).met(104, 0)
    assert StopRule(0.05, floor=100, also=lambda cost: cost % 10 <= 1).met(101, 0)


def test_a_start_that_meets_fewer_goals_leaves_phase_1_plan_as_the_start(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the fall-back: an empty start meets no goal, so phase 2 is hinted with phase 1's plan, exactly
    as without a start (the hints the plan phase sees are the same, and so are the plan and its cost)."""
    from planner.data.result import Schedule
    from planner.solve import phases
    from planner.solve.run import solve

    seen: list[tuple[list[int], list[int]]] = []
    run_phase = phases.run_phase

    def spy(ctx, params, limit, phase, *args, **kwargs):  # type: ignore[no-untyped-def]
        if phase == "plan":
            hint = ctx.model.proto.solution_hint
            seen.append((list(hint.vars), list(hint.values)))
        return run_phase(ctx, params, limit, phase, *args, **kwargs)

    monkeypatch.setattr(phases, "run_phase", spy)
    _, pdata = prepare(load_scenario(write(tmp_path, SHAPE)))
    params = SolveParams(time_limit=5, deterministic=True)
    plain = solve(pdata, params)
    fallback = solve(pdata, params, plan_start=lambda best: Schedule(()))
    assert len(seen) == 2 and seen[0] == seen[1] and seen[0][0]
    assert plain.objective is not None and fallback.objective == plain.objective
    assert fallback.schedule == plain.schedule


def test_spread_caps_keep_the_participants_own_caps(tmp_path: Path) -> None:
    """Tests the capped copy the level start tries: own weekly cap 20 slots, 40 in week 2 (load.weeks);
    a common cap of 48 with a spread of 32: week 2 gets min(40, 32) = 32, a heavy week 1 min(20, 48) = 20,
    every other week its own 20 (below the spread)."""
    from dataclasses import replace

    from planner.heuristics.level import _capped

    _, pdata = prepare(load_scenario(write(tmp_path, SURVIVAL)))
    who = replace(pdata.participants[0], weekly_cap=20, week_caps=((2, 40),))
    capped = _capped(replace(pdata, participants=(who,)), [48], spread=32, heavy=[{1}])
    got = capped.participants[0]
    assert [got.cap_in_week(w) for w in range(4)] == [20, 20, 32, 20]


# BASE's calendar (Mon-Fri, 4-hour days, no holidays), Mon 4 Mar .. launch Mon 13 May 2024, exams Mon 29 Apr:
# 8 weeks to train in. ann takes a drill of seven 2-hour sessions and a survival course of two consecutive
# 4-hour days: the busiest week is at least the course's 8 h, and the 9 sessions can give every one of the
# 8 weeks some training (idle floor 0). With the 5 % gap the plan may stop once its peak is within 5 %,
# but it must also keep the weeks without training within ceil(0.05 x 8) = 1 of that floor: the first
# plans at the peak's floor packed the drill two a week into the first weeks (3 idle weeks).
IDLE: dict[str, Any] = scenario(
    window={"start": "2024-03-04", "launch": "2024-05-13"},
    gates=[{"id": "exams", "date": "2024-04-29"}],
    modules=[{"id": "drill", "hours": 14, "session_hours": 2},
             {"id": "survival", "hours": 8, "session_hours": 4, "consecutive_days": True}],
    competencies=[{"id": "comp", "requires": ["drill", "survival"], "deadline": "exams"}],
    objective="level",
)


def test_idle_floor_counts_the_weeks_sessions_can_cover(tmp_path: Path) -> None:
    """Tests the floor of the weeks without training: 8 weeks counted, 0 idle (7 drill sessions and the
    course for 8 weeks); with the drill cut to 2 sessions, they and the course cover at most 3 of the 8:
    floor 5 (the course's two consecutive days lie in one Monday-to-Friday week; counted as two sessions,
    the floor was 4, and a five-day course made the gap stop wait for idle weeks no plan can avoid)."""
    _, data = prepare(load_scenario(write(tmp_path, IDLE)))
    assert idle_floor(build_model(data)) == (0, 8)
    short = {**IDLE, "modules": [{"id": "drill", "hours": 4, "session_hours": 2}, IDLE["modules"][1]]}
    _, data = prepare(load_scenario(write(tmp_path, short)))
    assert idle_floor(build_model(data)) == (5, 8)


def test_gap_stop_keeps_the_weeks_trained(tmp_path: Path) -> None:
    """Tests the plan (default gap, --deterministic): at most 1 of the 8 weeks without training (see IDLE)."""
    out = plan(load_scenario(write(tmp_path, IDLE)), SolveParams(time_limit=10, deterministic=True))
    assert out.overall == Verdict.READY
    assert out.result.schedule is not None
    weeks = {out.data.week(s.start // out.data.slots_per_day) for s in out.result.schedule.sessions}
    assert 8 - len(weeks) <= 1
