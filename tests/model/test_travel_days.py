"""Travel days of an off-site module (``travel_days``): model, verifier, greedy start, explanation
and a located invalid input, hand-derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis.explain import explain
from planner.data.result import Schedule
from planner.exceptions import ScenarioError
from planner.heuristics.greedy import greedy_schedule
from planner.plan.pipeline import schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates, verify_schedule
from tests.helpers import run, scenario, sessions, write

# tests/helpers BASE: Mon-Fri, 4-hour days from Mon 4 Mar 2024. comp needs m2 (one full day at
# the centre) and sochi (one full day at sea, 1 travel day each way).
MODULES = [{"id": "m2", "hours": 4, "session_hours": 4},
           {"id": "sochi", "hours": 4, "session_hours": 4, "travel_days": 1}]
COMPS = [{"id": "comp", "requires": ["m2", "sochi"]}]


def test_travel_days_keep_the_participant_away(tmp_path: Path) -> None:
    """Tests the model: without travel, m2 and sochi take Mon 4 and Tue 5 (ready 5 Mar). With a
    travel day each way, the two cannot be on neighbouring days: ready Wed 6 Mar, one day between."""
    free = run(tmp_path, scenario(modules=[MODULES[0], {**MODULES[1], "travel_days": 0}], competencies=COMPS))
    assert free.readiness[0].achieved_on == dt.date(2024, 3, 5)
    out = run(tmp_path, scenario(modules=MODULES, competencies=COMPS))
    assert out.readiness[0].achieved_on == dt.date(2024, 3, 6)
    days = sorted(dt.date.fromisoformat(s[:10]) for m in ("m2", "sochi") for s, _ in sessions(out, m))
    assert (days[1] - days[0]).days == 2


def test_verifier_and_greedy_respect_travel_days(tmp_path: Path) -> None:
    """Tests the verifier (m2 moved onto sochi's travel day is caught) and the greedy start
    (its schedule passes the verifier)."""
    out = run(tmp_path, scenario(modules=MODULES, competencies=COMPS))
    sched = out.result.schedule
    assert sched is not None
    j_m2, j_sochi = out.data.job_of("ann/m2"), out.data.job_of("ann/sochi")
    sochi = next(s for s in sched.sessions if s.job == j_sochi)
    S = out.data.slots_per_day
    onto = (sochi.start // S + (1 if sochi.start // S == 0 else -1)) * S  # the day next to sochi
    moved = Schedule(tuple(dataclasses.replace(s, start=onto, end=onto + (s.end - s.start)) if s.job == j_m2 else s
                           for s in sched.sessions))
    assert any("rest or travel day of sochi" in p for p in verify_schedule(out.data, moved))
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=moved))
    assert any(p.startswith("ann m2 ") and p.endswith(": on a travel day of sochi") for p in verify_dates(out.scenario, rows))
    start, _ = greedy_schedule(out.data)
    assert verify_schedule(out.data, start) == []


def test_explain_names_the_travel_days(tmp_path: Path) -> None:
    """Tests the explanation: with the exams on Wed 6 Mar both modules must end by Tue 5, which the
    travel day between them rules out: NOT_READY, and the conflict names sochi's travel days."""
    sc = scenario(modules=MODULES, competencies=[{**COMPS[0], "deadline": "exams"}],
                  gates=[{"id": "exams", "date": "2024-03-06"}])
    assert run(tmp_path, sc).overall == Verdict.NOT_READY
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    assert any(f.key == "pattern:sochi" and "1 travel day(s) each way" in f.text for f in ge.conflict)


def test_travel_days_are_bounded(tmp_path: Path) -> None:
    """Tests the located error: more than a week of travel."""
    sc = scenario(modules=[{**MODULES[1], "travel_days": 9}], competencies=[{"id": "comp", "requires": ["sochi"]}])
    with pytest.raises(ScenarioError, match=r"modules\[0\]\.travel_days"):
        load_scenario(write(tmp_path, sc))
