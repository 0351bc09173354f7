"""planner repair where levers overlap or caps are some weeks' own (hand-derived answers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner.analysis.repair import Target, find_repairs
from planner.data.levers import lever_defs
from planner.scenario.load import load_scenario
from tests.analysis.test_repair import PARAMS, TWO_WEEKS, WEEK, _flights
from tests.helpers import write


def test_a_day_two_dates_levers_offer_costs_the_cheaper_one(tmp_path: Path) -> None:
    """Tests two ``dates`` levers naming Thu 7 Mar for the plane (30, then 12 points): one more flight day
    is needed, and opening it once is enough: 12 points, one edit with the day once. Each lever's day had a
    closed-day filler of its own, so both had to be bought: 42, "proven cheapest". No other set exists (the
    same day through the dearer lever is the same edit), and the answer says so."""
    data = _flights({"kind": "dates", "resource": "plane", "dates": ["2024-03-07"], "cost": 30},
                    {"kind": "dates", "resource": "plane", "dates": ["2024-03-07"], "cost": 12})
    answer = find_repairs(load_scenario(write(tmp_path, data)), PARAMS, top=2)
    assert answer.search.status.value == "OPTIMAL"
    (best,) = answer.repairs
    assert best.found.cost == 12 and best.verified
    assert list(best.edits) == ["resources.plane.available_dates+=[2024-03-07]"]
    assert answer.note == "no other set of the allowed levers meets the target (proven): 1 of the 2 asked"


def test_a_day_two_workdays_levers_name_costs_the_cheaper_one(tmp_path: Path) -> None:
    """Tests overlapping ``workdays`` levers: ann (no caps) needs 48 h in the week of Mon 4 Mar, whose
    weekdays hold 40: one weekend day. Lever 1 names Sat 9 Mar at 50 points, lever 2 every Saturday at 5:
    Sat 9 Mar for 5 points (the first lever declared took the day before: 50)."""
    data = {**WEEK, "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}],
            "repairs": {"defaults": False, "levers": [
                {"kind": "workdays", "dates": ["2024-03-09"], "cost": 50},
                {"kind": "workdays", "weekdays": ["sat"], "cost": 5}]}}
    answer = find_repairs(load_scenario(write(tmp_path, data)), PARAMS)
    best = answer.repairs[0]
    assert best.found.cost == 5 and best.verified
    assert list(best.edits) == ["calendar.extra_workdays+=[2024-03-09]"]


def test_a_whole_window_raise_lifts_caps_that_are_some_weeks_own(tmp_path: Path) -> None:
    """Tests a participant whose only weekly cap is the week of Mon 11 Mar's own, 8 h: 5 sessions in the
    week of 4 Mar and 1 in the next give 6 of the 7 needed, so that week needs 8 h more: 8 x 4 = 32 points
    with the whole-window lever. The lever skipped her (no ``max_hours_per_week``), and repair answered
    "no set can meet the target (proven)"."""
    load: dict[str, Any] = {"weeks": [{"from": "2024-03-11", "to": "2024-03-17", "max_hours_per_week": 8}]}
    data = {**TWO_WEEKS, "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
            "repairs": {"defaults": False, "levers": [{"kind": "load", "extra_hours_per_week": 16, "cost": 4}]}}
    answer = find_repairs(load_scenario(write(tmp_path, data)), PARAMS)
    assert answer.verdict == "repaired"
    best = answer.repairs[0]
    assert best.found.cost == 32 and best.verified
    assert list(best.edits) == ["participants.ann.load.weeks=[{from: 2024-03-11, to: 2024-03-17, max_hours_per_week: 16}]"]
    (change,) = best.changes
    assert change.comment.endswith("32 points")


def test_a_start_lever_on_a_file_with_missions_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """Tests a 'start' lever where there is no window.start (missions): the file loads with a located
    warning and repair's levers leave it out (repair stopped with an unlocated 'window.start' error, exit 1)."""
    data = yaml.safe_load((Path(__file__).parents[1] / "data" / "two_missions_window.yaml").read_text())
    data["repairs"] = {"levers": [{"kind": "start", "max_days": 7, "cost": 2}]}
    loaded = load_scenario(write(tmp_path, data))
    (warning,) = [w for w in loaded.warnings if "'start' lever" in str(w)]
    assert "repairs.levers[0].kind" in str(warning)
    assert not any(lv.kind == "start" for lv in lever_defs(loaded.scenario))


# Three trainees, one simulator, five 4-h days before the exams on Mon 11 Mar 2024 and five sessions each: one
# trainee's programme fills the simulator's week. Any one of them can be ready as it is; two need a second
# simulator (40 points).
SIM_WEEK: dict[str, Any] = {
    "name": "one simulator", "objective": "earliest",
    "window": {"start": "2024-03-04", "launch": "2024-04-15"},
    "calendar": {"day_hours": 4, "slot_minutes": 60, "day_start": "09:00"},
    "gates": [{"id": "exams", "date": "2024-03-11"}],
    "roles": [{"id": "sfp", "requires": ["basic"]}],
    "participants": [{"id": p, "role": "sfp", "crew": f"c{k}"} for k, p in enumerate(("ann", "bob", "cy"))],
    "resources": [{"id": "sim"}],
    "modules": [{"id": "simrun", "sessions": 5, "session_hours": 4, "resources": ["sim"]}],
    "competencies": [{"id": "basic", "requires": ["simrun"], "deadline": "exams"}],
    "repairs": {"defaults": False, "levers": [{"kind": "capacity", "resource": "sim", "max": 2, "cost": 40}]},
}


def test_a_participant_target_may_take_the_shared_resource_from_the_others(tmp_path: Path) -> None:
    """Tests --target bob (nothing needed: bob may have the simulator, ann is not targeted) and --target bob,cy
    (40 points, verified). The plans checking them met the most pairs, ann's first: 'not verified' (exit 4)."""
    loaded = load_scenario(write(tmp_path, SIM_WEEK))
    assert find_repairs(loaded, PARAMS, target=Target(participants=("bob",))).verdict == "nothing needed"
    answer = find_repairs(loaded, PARAMS, target=Target(participants=("bob", "cy")))
    assert answer.verdict == "repaired"
    best = answer.repairs[0]
    assert best.found.cost == 40 and best.verified


def test_a_longer_day_lever_stops_at_the_format_s_16_hour_day(tmp_path: Path) -> None:
    """Tests a declared 'hours' lever of 2 h on 15-h days (06:00-21:00): 80 one-hour sessions in the five days
    before the exams (75 h) need 1 h more a day, which the 16-h limit still allows: 1 point (the lever's price
    per hour of the working day). The lever at its most (17 h) made the relaxed scenario invalid: exit 1 with
    '<every lever at its most>: calendar.day_hours'."""
    data = {**SIM_WEEK, "calendar": {"day_hours": 15, "slot_minutes": 60, "day_start": "06:00"},
            "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}], "resources": [],
            "modules": [{"id": "m1", "sessions": 80, "session_hours": 1}],
            "competencies": [{"id": "basic", "requires": ["m1"], "deadline": "exams"}],
            "repairs": {"defaults": False, "levers": [{"kind": "hours", "extra_hours_per_day": 2, "cost": 1}]}}
    answer = find_repairs(load_scenario(write(tmp_path, data)), PARAMS)
    assert answer.verdict == "repaired" and answer.repairs[0].verified
    assert list(answer.repairs[0].edits) == ["calendar.day_hours=16"]


def test_a_campaign_day_its_season_closed_is_not_listed_twice(tmp_path: Path) -> None:
    """Tests a resource with a season (March) and campaign days (5, 6 Mar and 2 Apr): opening 2 Apr takes the
    season only; 'available_dates' keeps 2 Apr once (the saved file listed it twice)."""
    path = tmp_path / "s.yaml"
    path.write_text("""name: both lists
window: {start: 2024-03-04, launch: 2024-04-22}
calendar: {day_hours: 4, slot_minutes: 60, day_start: "09:00"}
gates: [{id: exams, date: 2024-04-15}]
roles: [{id: sfp, requires: [zerog]}]
participants: [{id: ann, role: sfp, crew: c1}]
resources:
  - {id: plane, available: [{from: 2024-03-01, to: 2024-03-31}], available_dates: [2024-03-05, 2024-03-06, 2024-04-02]}
modules: [{id: flight, sessions: 3, session_hours: 2, resources: [plane], min_days_between_sessions: 1}]
competencies: [{id: zerog, requires: [flight], deadline: exams}]
repairs:
  defaults: false
  levers: [{kind: dates, resource: plane, dates: [2024-04-02], cost: 20}]
""", encoding="utf-8")
    answer = find_repairs(load_scenario(path), PARAMS)
    best = answer.repairs[0]
    assert best.found.cost == 20 and best.verified
    assert list(best.edits) == ["resources.plane.available+=[{from: '2024-04-02', to: '2024-04-02'}]"]
