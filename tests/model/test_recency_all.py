"""Recency on every session of a module (``recency_of: all``): model, both verifiers, explanation
and a located invalid input, each hand-derived."""

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

# tests/helpers BASE: Mon-Fri, 4-hour days, window Mon 4 Mar .. launch Mon 15 Apr 2024. A CPR
# course of three full-day sessions within 30 days of launch: not before Sat 16 Mar, so the
# first working day it may use is Mon 18 Mar.
CPR = {"id": "m1", "hours": 12, "session_hours": 4, "recency_days": 30}


def test_last_session_only_versus_every_session(tmp_path: Path) -> None:
    """Tests the model: with recency on the last session (default) the course may start on
    Mon 4 Mar and ends Mon 18 Mar at the earliest; with every session recent it takes Mon 18,
    Tue 19 and Wed 20 Mar."""
    last = run(tmp_path, scenario(modules=[CPR]))
    assert last.readiness[0].achieved_on == dt.date(2024, 3, 18)
    every = run(tmp_path, scenario(modules=[{**CPR, "recency_of": "all"}]))
    assert [s for s, _ in sessions(every, "m1")] == ["2024-03-18T09:00", "2024-03-19T09:00", "2024-03-20T09:00"]
    assert every.readiness[0].achieved_on == dt.date(2024, 3, 20)


def test_both_verifiers_flag_an_early_first_session(tmp_path: Path) -> None:
    """Tests the verifiers: the first session moved from Mon 18 to Fri 15 Mar (31 days before
    launch, more than 30) is caught on the problem data and on the dates."""
    out = run(tmp_path, scenario(modules=[{**CPR, "recency_of": "all"}]))
    sched = out.result.schedule
    assert sched is not None
    j = out.data.job_of("ann/m1")
    back = 3 * out.data.slots_per_day  # Mon 18 -> Fri 15
    moved = Schedule(tuple(dataclasses.replace(s, start=s.start - back, end=s.end - back)
                           if (s.job, s.index) == (j, 0) else s for s in sched.sessions))
    assert any("runs too early for the recency rule" in p for p in verify_schedule(out.data, moved))
    moved_out = dataclasses.replace(out, result=dataclasses.replace(out.result, schedule=moved))
    problems = verify_dates(out.scenario, schedule_rows(out.grid, out.data, moved_out.result))
    assert any("first session 31 days before launch, more than 30 (recency_of: all)" in p for p in problems)


def test_explain_names_every_session_recency(tmp_path: Path) -> None:
    """Tests the explanation: ann is away Tue 19 Mar .. Sun 14 Apr, so the 30-day window before
    launch has one open day (Mon 18 Mar) for three sessions: NOT_READY, and the conflict names
    the every-session recency rule and the absence."""
    sc = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1",
                                 "blackouts": [{"from": "2024-03-19", "to": "2024-04-14"}]}],
                  modules=[{**CPR, "recency_of": "all"}])
    assert run(tmp_path, sc).overall == Verdict.NOT_READY
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    texts = [f.text for f in ge.conflict]
    assert any(t.startswith("every session of m1 must fall within 30 days of launch") for t in texts)
    assert any("ann is unavailable" in t for t in texts)
    assert any(f.text == "cancel ann's absences (no repair lever)" for f in ge.fixes)


def test_recency_of_all_needs_recency_days(tmp_path: Path) -> None:
    """Tests the invalid input: recency_of: all without recency_days."""
    sc = scenario(modules=[{"id": "m1", "hours": 4, "session_hours": 4, "recency_of": "all"}])
    with pytest.raises(ScenarioError, match=r"modules\[0\].*recency_of: all needs recency_days"):
        load_scenario(write(tmp_path, sc))


def test_readiness_says_when_the_competency_expires(tmp_path: Path) -> None:
    """Tests the expiry date: the CPR course ends Mon 18 Mar (last session, 30-day recency), so it
    counts for launches up to 18 Mar + 30 days = Wed 17 Apr; a module without recency never expires."""
    out = run(tmp_path, scenario(modules=[CPR]))
    assert out.readiness[0].expires == dt.date(2024, 4, 17)
    plain = run(tmp_path, scenario(modules=[{"id": "m1", "hours": 4, "session_hours": 4}]))
    assert plain.readiness[0].expires is None
