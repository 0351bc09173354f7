"""Refresher modules (``refresher: {of, older_than_days, gate}``): model, both verifiers,
explanation and located invalid inputs, hand-derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

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

# tests/helpers BASE: Mon-Fri, 4-hour days, Mon 4 Mar .. launch Mon 15 Apr 2024; exams Mon 1 Apr.
# comp needs the egress drill (one full day) by the exams, run in the first week (allowed 4-8 Mar);
# the refresher repeats it when the drill ends more than OLDER days before the exams.
WEEK1 = [{"from": "2024-03-04", "to": "2024-03-08"}]


def _sc(older: int, away: tuple[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    ann: dict[str, Any] = {"id": "ann", "role": "sfp", "crew": "c1"}
    if away:
        ann["blackouts"] = [{"from": away[0], "to": away[1]}]
    return scenario(
        gates=[{"id": "exams", "date": "2024-04-01"}],
        participants=[ann],
        modules=[{"id": "drill", "hours": 4, "session_hours": 4, "allowed": WEEK1},
                 {"id": "refresh", "hours": 4, "session_hours": 4,
                  "refresher": {"of": "drill", "older_than_days": older, "gate": "exams"}, **extra}],
        competencies=[{"id": "comp", "requires": ["drill"], "deadline": "exams"}],
    )


def test_refresher_runs_only_when_the_drill_is_old(tmp_path: Path) -> None:
    """Tests the model: the drill is on Mon 4 Mar (earliest), 28 days before the exams. With a
    14-day rule the refresher runs after it, within 14 days of 1 Apr (from Mon 18 Mar); with a
    40-day rule it is not scheduled (and is not reported as left out)."""
    out = run(tmp_path, _sc(14))
    assert sessions(out, "drill")[0][0] == "2024-03-04T09:00"
    (refresh,) = sessions(out, "refresh")
    assert "2024-03-18" <= refresh[0][:10] <= "2024-03-29"
    calm = run(tmp_path, _sc(40))
    assert sessions(calm, "refresh") == [] and calm.overall == Verdict.READY


def test_no_refresher_for_someone_whose_drill_is_waived(tmp_path: Path) -> None:
    """Tests a participant with the drill waived (a navy diver): there is nothing to refresh, so she takes no
    refresher either. Bob takes both (14-day rule: refreshed from Mon 18 Mar). The plan crashed: 'refresher
    scheduled without drill' (exit 5)."""
    data = _sc(14)
    data["participants"] = [{"id": "ann", "role": "sfp", "crew": "c1", "modules": {"drill": {"waived": True}}},
                            {"id": "bob", "role": "sfp", "crew": "c2"}]
    out = run(tmp_path, data)
    assert sessions(out, "refresh", "ann") == [] and len(sessions(out, "refresh", "bob")) == 1
    assert out.overall == Verdict.READY


def test_refreshed_competency_is_ready_when_refreshed(tmp_path: Path) -> None:
    """Tests the refresher's own recency and the readiness date: the drill, in the first week, is
    old at the exams (Mon 1 Apr) under a 14-day rule; the refresher must then end within 14 days
    of the exams, on Mon 18 Mar at the earliest (1 Apr - 14 days), and the competency is ready on
    that day: slack 14 days. With a 40-day rule: ready on the drill's day, Mon 4 Mar, slack 28."""
    out = run(tmp_path, _sc(14))
    assert sessions(out, "refresh") == [("2024-03-18T09:00", "2024-03-18T13:00")]
    (row,) = out.readiness
    assert (row.achieved_on, row.slack_days) == (dt.date(2024, 3, 18), 14)
    (row,) = run(tmp_path, _sc(40)).readiness
    assert (row.achieved_on, row.slack_days) == (dt.date(2024, 3, 4), 28)


def test_each_member_of_a_crew_drill_is_ready_on_their_own_refresher(tmp_path: Path) -> None:
    """Tests readiness of a crew (joint) drill refreshed by each member: the drill runs in the first week
    for both, so each needs the refresher between Mon 18 and Fri 29 Mar (14-day rule, exams 1 Apr). Ann
    is away 18-22 Mar and Bob 25-29 Mar, so their refreshers lie in different weeks, and each one's
    readiness date is the day of their own refresher (it was the last member's for everyone)."""
    data = _sc(14)
    data["participants"] = [
        {"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2024-03-18", "to": "2024-03-22"}]},
        {"id": "bob", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2024-03-25", "to": "2024-03-29"}]}]
    data["modules"][0]["joint"] = "crew"
    out = run(tmp_path, data)
    days = {}
    for who in ("ann", "bob"):
        (refresh,) = sessions(out, "refresh", who)
        days[who] = dt.date.fromisoformat(refresh[0][:10])
    assert days["bob"] < dt.date(2024, 3, 25) <= days["ann"]
    for row in out.readiness:
        assert row.achieved_on == days[row.participant]
        assert row.slack_days == (dt.date(2024, 4, 1) - days[row.participant]).days


def test_verifiers_reject_a_refresher_that_is_old_itself(tmp_path: Path) -> None:
    """Tests both verifiers: the refresher moved to Tue 5 Mar (27 days before the exams, more than 14)
    is caught on the problem data and on the dates."""
    out = run(tmp_path, _sc(14))
    sched = out.result.schedule
    assert sched is not None
    j = out.data.job_of("ann/refresh")
    early = Schedule(tuple(dataclasses.replace(s, start=4, end=8) if s.job == j else s for s in sched.sessions))
    assert "ann/refresh: ends too long before its gate as well" in verify_schedule(out.data, early, out.result.goals_met)
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=early))
    assert "ann refresh: the refresher itself ends more than 14 days before exams" in verify_dates(out.scenario, rows)


def test_both_verifiers_require_the_refresher(tmp_path: Path) -> None:
    """Tests the verifiers: the 14-day plan without its refresher session is caught on the
    problem data and on the dates."""
    out = run(tmp_path, _sc(14))
    sched = out.result.schedule
    assert sched is not None
    j = out.data.job_of("ann/refresh")
    without = Schedule(tuple(s for s in sched.sessions if s.job != j))
    assert any("required" in p and "not scheduled" in p for p in verify_schedule(out.data, without))
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=without))
    assert ("ann refresh: drill ends 28 days before exams, more than 14, but the refresher is not scheduled"
            in verify_dates(out.scenario, rows))


def test_no_room_for_the_refresher_is_explained(tmp_path: Path) -> None:
    """Tests the conflict: ann is away Tue 5 .. Sun 31 Mar, so the drill can only be on Mon 4 Mar,
    28 days before the exams, and the refresher has no day before them: NOT_READY, and the
    conflict names the refresher rule."""
    sc = _sc(14, ("2024-03-05", "2024-03-31"))
    assert run(tmp_path, sc).overall == Verdict.NOT_READY
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    assert "recency:refresher:refresh" in {f.key for f in ge.conflict}


@pytest.mark.parametrize(("sc", "message"), [
    (_sc(14) | {"competencies": [{"id": "comp", "requires": ["drill", "refresh"]}]},
     r"modules\[1\]\.refresher.*refresh is a refresher"),
    (_sc(14) | {"gates": []}, r"modules\[1\]\.refresher\.gate.*has no gate 'exams'"),
], ids=["listed_in_a_competency", "unknown_gate"])
def test_invalid_refreshers(tmp_path: Path, sc: dict[str, Any], message: str) -> None:
    """Tests the located errors of a refresher."""
    if not sc["gates"]:
        sc["competencies"] = [{"id": "comp", "requires": ["drill"]}]
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, sc))


def test_refresher_of_itself_is_an_error(tmp_path: Path) -> None:
    """Tests the located error: a module that refreshes itself."""
    sc = _sc(14)
    sc["modules"][1]["refresher"]["of"] = "refresh"
    with pytest.raises(ScenarioError, match=r"modules\[1\]\.refresher\.of.*'refresh' is this module"):
        load_scenario(write(tmp_path, sc))
    assert dt.date(2024, 4, 1) - dt.date(2024, 3, 4) == dt.timedelta(days=28)
