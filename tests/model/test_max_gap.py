"""A module's largest gap between consecutive sessions (``max_days_between_sessions``): model,
verifier, explanation and a located invalid input, each hand-derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis.explain import explain
from planner.data.result import Schedule
from planner.exceptions import ScenarioError
from planner.plan.pipeline import schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates, verify_schedule
from tests.helpers import run, scenario, sessions, write

# tests/helpers BASE: Mon-Fri, 4-hour days, window Mon 4 Mar .. launch Mon 15 Apr 2024.
# m1: two full-day (4 h) sessions.
TWO_DAYS = {"id": "m1", "hours": 8, "session_hours": 4}


def _away(start: str, end: str) -> list[dict[str, object]]:
    return [{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": start, "to": end}]}]


def test_max_gap_moves_both_sessions_after_the_absence(tmp_path: Path) -> None:
    """Tests the model: ann is away Tue 5 .. Sun 10 Mar. Without a largest gap the sessions are
    Mon 4 and Mon 11 (7 days apart); with at most 3 days, Mon 4 cannot be used, so Mon 11 and
    Tue 12."""
    free = run(tmp_path, scenario(participants=_away("2024-03-05", "2024-03-10"), modules=[TWO_DAYS]))
    assert [s for s, _ in sessions(free, "m1")] == ["2024-03-04T09:00", "2024-03-11T09:00"]
    capped = run(tmp_path, scenario(participants=_away("2024-03-05", "2024-03-10"),
                                    modules=[{**TWO_DAYS, "max_days_between_sessions": 3}]))
    assert [s for s, _ in sessions(capped, "m1")] == ["2024-03-11T09:00", "2024-03-12T09:00"]
    assert capped.readiness[0].achieved_on == dt.date(2024, 3, 12)


def test_verifier_flags_a_gap_too_large(tmp_path: Path) -> None:
    """Tests the verifier: the planned Mon 4 / Tue 5 sessions pass; moving the second to
    Mon 11 (7 days after the first, at most 3) is caught with both numbers."""
    out = run(tmp_path, scenario(modules=[{**TWO_DAYS, "max_days_between_sessions": 3}]))
    sched = out.result.schedule
    assert sched is not None and verify_schedule(out.data, sched, out.result.goals_met) == []
    j = out.data.job_of("ann/m1")
    shift = 6 * out.data.slots_per_day  # Tue 5 -> Mon 11
    moved = Schedule(tuple(dataclasses.replace(s, start=s.start + shift, end=s.end + shift)
                           if (s.job, s.index) == (j, 1) else s for s in sched.sessions))
    problems = verify_schedule(out.data, moved)
    assert any("sessions 1 and 2 7 days apart (at most 3)" in p for p in problems)
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=moved))
    assert "ann m1: sessions 1 and 2 7 days apart (at most 3)" in verify_dates(out.scenario, rows)


def test_explain_names_the_gap_and_fixes_it_with_an_earlier_window(tmp_path: Path) -> None:
    """Tests the explanation: ann is away Tue 5 Mar .. Thu 11 Apr, so the only open days are
    Mon 4 Mar and Fri 12 Apr, 39 days apart, and m1 allows 3: NOT_READY. The conflict names the
    gap rule; the fixes open the window 3 days earlier (Fri 1 Mar: Fri 1 and Mon 4 are 3 days apart;
    3 x 16 = 48 points, but no 'start' lever: no repair lever) or, cheaper (8 points, as planner repair
    prices them), work a weekend day after Fri 12 Apr (the default workdays lever, the latest first)."""
    sc = scenario(participants=_away("2024-03-05", "2024-04-11"),
                  modules=[{**TWO_DAYS, "max_days_between_sessions": 3}])
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    assert ge.kind == "conflict"
    pattern = next(f for f in ge.conflict if f.key == "pattern:m1")
    assert "at most 3 day(s) apart" in pattern.text
    assert ge.fixes[0].text.startswith("work on 1 closed day before 2024-04-15 (default workdays lever)")
    assert "open the window 3 days earlier (on 2024-03-01) (no repair lever)" in [f.text for f in ge.fixes]
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"
    out = run(tmp_path, sc)
    assert out.overall == Verdict.NOT_READY


def test_min_gap_above_max_gap_is_a_located_error(tmp_path: Path) -> None:
    """Tests the invalid input: a smallest gap larger than the largest one."""
    sc = scenario(modules=[{**TWO_DAYS, "min_days_between_sessions": 5, "max_days_between_sessions": 3}])
    with pytest.raises(ScenarioError, match=r"modules\[0\].*min_days_between_sessions \(5\) exceeds "
                                            r"max_days_between_sessions \(3\)"):
        load_scenario(write(tmp_path, sc))
