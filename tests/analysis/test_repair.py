"""planner repair on tiny scenarios whose cheapest repair is derived by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import planner.analysis.repair as repair_mod
from planner.analysis.repair import Target, find_repairs
from planner.scenario.changes import Change
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import scenario, write

PARAMS = SolveParams(time_limit=20, deterministic=True)

# One participant who must do 6 sessions of 8 h (48 h) before the exams on
# Monday 11 Mar 2024; the window opens Monday 4 Mar, so only the week
# Mon 4 .. Sun 10 Mar is usable. Weekdays give 5 x 8 = 40 h and the weekly cap
# is 40 h: the 48 h need one weekend day (8 points) AND 8 more hours of weekly
# cap (8 h x 4 points = 32): 40 points. Neither lever alone is enough.
WEEK: dict[str, Any] = scenario(
    calendar={"day_hours": 8, "slot_minutes": 60, "day_start": "08:00"},
    gates=[{"id": "exams", "date": "2024-03-11"}],
    participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 40}}],
    modules=[{"id": "m1", "sessions": 6, "session_hours": 8}],
    competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exams"}],
    repairs={"defaults": False, "levers": [
        {"kind": "workdays", "weekdays": ["sat", "sun"], "cost": 8},
        {"kind": "load", "extra_hours_per_week": 16, "cost": 4},
    ]},
)


def _find(tmp_path: Path, data: dict[str, Any], **kw: Any) -> repair_mod.RepairAnswer:
    return find_repairs(load_scenario(write(tmp_path, data)), PARAMS, **kw)


def _edits(answer: repair_mod.RepairAnswer, k: int = 0) -> set[str]:
    return set(answer.repairs[k].edits)


# Three flights at least a day apart, the aircraft flies on 5 and 6 Mar only: one more aircraft day is
# needed, 20 points (any working day of the lever's range, 7 or 8 Mar).
MORE_DAYS = {"kind": "dates", "resource": "plane", "within": {"from": "2024-03-07", "to": "2024-03-08"}, "cost": 20}


def _flights(*levers: dict[str, Any]) -> dict[str, Any]:
    return scenario(
        resources=[{"id": "plane", "available_dates": ["2024-03-05", "2024-03-06"]}],
        modules=[{"id": "m1", "sessions": 3, "session_hours": 2, "resources": ["plane"],
                  "min_days_between_sessions": 1}],
        repairs={"defaults": False, "levers": list(levers)},
    )


@pytest.mark.parametrize("levers", [
    (MORE_DAYS,),
    # With a capacity lever too (+1 unit for 40 points), one more day is still the cheapest. A closed
    # day's filler used to take the whole relaxed capacity on top of the capacity lever's unbought
    # units, so any closed day forced the extra unit: 60 points, "proven cheapest".
    (MORE_DAYS, {"kind": "capacity", "resource": "plane", "max": 1, "cost": 40}),
], ids=["dates", "dates_and_capacity"])
def test_single_lever_one_more_campaign_day(tmp_path: Path, levers: tuple[dict[str, Any], ...]) -> None:
    answer = _find(tmp_path, _flights(*levers))
    assert answer.verdict == "repaired"
    best = answer.repairs[0]
    assert best.found.cost == 20
    assert best.verified
    (edit,) = best.edits
    assert edit.startswith("resources.plane.available_dates+=[2024-03-0")


def test_two_levers_needed_together(tmp_path: Path) -> None:
    answer = _find(tmp_path, WEEK)
    assert answer.search.status.value == "OPTIMAL"
    best = answer.repairs[0]
    assert best.found.cost == 40  # 8 (a weekend day) + 32 (8 h of weekly cap)
    assert best.verified
    assert "participants.ann.load.max_hours_per_week=48" in best.edits
    assert any(e.startswith("calendar.extra_workdays+=[2024-03-") for e in best.edits)
    # Each lever alone unlocks the pair: without either, ann/comp is missed (proven).
    assert all(pairs == ("ann/comp",) and proven for pairs, proven in best.unlocks.values())


def test_cheaper_combination_beats_single_fix(tmp_path: Path) -> None:
    # Opening the window 3 days earlier (Fri 1 Mar: 8 h in the week before)
    # would do it alone, but at 100 points a day (300) it loses to the 40-point pair.
    data = {**WEEK, "repairs": {"defaults": False, "levers": [
        *WEEK["repairs"]["levers"], {"kind": "start", "max_days": 7, "cost": 100}]}}
    answer = _find(tmp_path, data, top=2)
    assert answer.repairs[0].found.cost == 40
    assert not any(e.startswith("window.start") for e in answer.repairs[0].edits)
    # The next set differs (the other weekend day, also 40 points).
    assert len(answer.repairs) == 2
    assert answer.repairs[1].found.cost == 40
    assert _edits(answer, 0) != _edits(answer, 1)
    # What each lever unlocks is asked without the exclusions of the alternatives.
    assert all(pairs == ("ann/comp",) and proven for pairs, proven in answer.repairs[1].unlocks.values())


def test_target_no_lever_can_reach_is_proven(tmp_path: Path) -> None:
    # The module's season (June) lies outside the window and no lever may move it.
    data = {**WEEK, "modules": [{"id": "m1", "sessions": 1, "session_hours": 8,
                                 "allowed": [{"from": "06-01", "to": "06-30"}]}]}
    answer = _find(tmp_path, data)
    assert answer.verdict == "impossible"
    assert not answer.repairs


def test_budget_too_small_is_proven(tmp_path: Path) -> None:
    answer = _find(tmp_path, WEEK, max_cost=39)
    assert answer.verdict == "budget too small"
    assert "at most 39 points" in answer.note


def test_nothing_needed_when_ready(tmp_path: Path) -> None:
    data = {**WEEK, "modules": [{"id": "m1", "sessions": 4, "session_hours": 8}]}
    answer = _find(tmp_path, data)
    assert answer.verdict == "nothing needed"


def test_target_one_participant(tmp_path: Path) -> None:
    # Bob has no load cap: his 48 h need only a weekend day (8 points), while
    # ann would need 40. Targeting bob alone buys no load-cap hours.
    data = {**WEEK, "participants": [*WEEK["participants"], {"id": "bob", "role": "sfp", "crew": "c2"}]}
    answer = _find(tmp_path, data, target=Target(participants=("bob",)))
    assert answer.verdict == "repaired"
    assert answer.repairs[0].found.cost == 8
    assert not any("load" in e for e in answer.repairs[0].edits)
    # At least one pair of the two: the same 8 points (bob's). The weekend day unlocks bob's pair only:
    # ann's is not met with it either (it was listed too, as "missed without it").
    answer = _find(tmp_path, data, target=Target(count=1))
    assert answer.repairs[0].found.cost == 8
    assert {n for names, _ in answer.repairs[0].unlocks.values() for n in names} == {"bob/comp"}


def test_a_wrong_lever_model_is_caught_by_the_re_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Drop the load-cap edit from every repair: the re-plan then misses ann/comp,
    # so the set must be reported as not verified, never as a working repair.
    real = repair_mod.changes_for

    def wrong(*args: Any) -> list[Change]:
        return [c for c in real(*args) if "load" not in c.path]

    monkeypatch.setattr(repair_mod, "changes_for", wrong)
    answer = _find(tmp_path, WEEK)
    assert answer.repairs and not answer.repairs[0].verified
    assert "ann/comp" in answer.repairs[0].why
    assert answer.verdict == "unknown"


def test_longer_days_against_a_working_saturday(tmp_path: Path) -> None:
    # 24 sessions of 2 h (48 h) in the week before the exams, no load cap:
    # 8-hour days take 4 sessions, 5 days 20. Either 10-hour days (5 a day,
    # 25 >= 24; +2 h at 60 points an hour = 120; 9 hours still take only 4)
    # or a working Saturday (6 x 4 = 24) at the Saturday's price.
    data = {**WEEK, "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}],
            "modules": [{"id": "m1", "sessions": 24, "session_hours": 2}],
            "repairs": {"defaults": False, "levers": [
                {"kind": "workdays", "weekdays": ["sat"], "cost": 150},
                {"kind": "hours", "extra_hours_per_day": 3}]}}
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 120
    assert answer.repairs[0].edits == ["calendar.day_hours=10"]
    assert answer.repairs[0].verified
    data["repairs"]["levers"][0]["cost"] = 100
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 100
    assert answer.repairs[0].edits == ["calendar.extra_workdays+=[2024-03-09]"]


def test_earlier_start_when_it_is_cheapest(tmp_path: Path) -> None:
    # WEEK with a start lever at 1 point a day: opening on Fri 1 Mar (3 days
    # earlier) gives 8 h in the week before, under its own 40-h cap: 3 points,
    # cheaper than a weekend day and 8 h of cap (40).
    data = {**WEEK, "repairs": {"defaults": False, "levers": [
        *WEEK["repairs"]["levers"], {"kind": "start", "max_days": 7, "cost": 1}]}}
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 3
    assert answer.repairs[0].edits == ["window.start=2024-03-01"]
    assert answer.repairs[0].verified


def test_hire_an_instructor(tmp_path: Path) -> None:
    # The only qualified instructor is on leave the whole week before the exams:
    # hiring one (60 points, the default) is the only way.
    data = {**WEEK, "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}],
            "instructors": [{"id": "i1", "qualifications": ["q"],
                             "blackouts": [{"from": "2024-03-04", "to": "2024-03-10"}]}],
            "modules": [{"id": "m1", "sessions": 1, "session_hours": 8, "instructor": "q"}],
            "repairs": {"defaults": False, "levers": [{"kind": "instructor", "qualification": "q"}]}}
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 60
    assert answer.repairs[0].edits == ["instructors+={id: new_q_1, name: New q instructor 1, qualifications: [q]}"]
    assert answer.repairs[0].verified


def test_waive_or_drop_what_no_lever_can_make(tmp_path: Path) -> None:
    # comp2 needs m1 and m2, and m2's season (June) lies outside the window.
    # Waiving comp2 costs 100 a pair (one pair); dropping m2 costs 50 and leaves
    # comp2 = m1, met at no further cost.
    data = {**WEEK, "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}],
            "roles": [{"id": "sfp", "requires": ["comp", "comp2"]}],
            "modules": [{"id": "m1", "sessions": 1, "session_hours": 8},
                        {"id": "m2", "sessions": 1, "session_hours": 8, "allowed": [{"from": "06-01", "to": "06-30"}]}],
            "competencies": [{"id": "comp", "requires": ["m1"]}, {"id": "comp2", "requires": ["m1", "m2"]}],
            "repairs": {"defaults": False, "levers": [{"kind": "waive", "competency": "comp2"}]}}
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 100
    assert answer.repairs[0].edits == ["roles.sfp.requires=[comp]"]
    assert answer.repairs[0].verified
    data["repairs"]["levers"].append({"kind": "drop", "module": "m2"})
    answer = _find(tmp_path, data)
    assert answer.repairs[0].found.cost == 50
    assert answer.repairs[0].edits == ["competencies.comp2.requires=[m1]"]
    assert answer.repairs[0].verified


# Two weeks before the exams on Mon 18 Mar, 8-h weekdays, a 24-h weekly cap: 3 sessions of 8 h a
# week, 6 in all, and ann needs 7 (56 h). One week must hold a fourth session: a cap of 32 h there.
TWO_WEEKS: dict[str, Any] = {
    **WEEK,
    "gates": [{"id": "exams", "date": "2024-03-18"}],
    "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 24}}],
    "modules": [{"id": "m1", "sessions": 7, "session_hours": 8}],
}


def test_weekly_cap_of_some_weeks(tmp_path: Path) -> None:
    # +8 h in every week costs 8 x 4 = 32 points; +8 h in the week of Mon 11 Mar alone 8 x 3 = 24.
    data = {**TWO_WEEKS, "repairs": {"defaults": False, "levers": [
        {"kind": "load", "extra_hours_per_week": 16, "cost": 4},
        {"kind": "load", "extra_hours_per_week": 16, "cost": 3, "within": {"from": "2024-03-13", "to": "2024-03-13"}},
    ]}}
    answer = _find(tmp_path, data, top=2)
    assert answer.search.status.value == "OPTIMAL"
    best = answer.repairs[0]
    assert best.found.cost == 24 and best.verified
    assert list(best.edits) == ["participants.ann.load.weeks=[{from: 2024-03-11, to: 2024-03-17, max_hours_per_week: 32}]"]
    # The next set may not raise that week by 8 h or more with the cheaper lever: 7 h there and 1 h
    # everywhere (the week of Mon 11 Mar at 24 + 1 + 7 = 32 h), 7 x 3 + 1 x 4 = 25 points.
    second = answer.repairs[1]
    assert second.found.cost == 25 and second.verified
    assert set(second.edits) == {
        "participants.ann.load.max_hours_per_week=25",
        "participants.ann.load.weeks=[{from: 2024-03-11, to: 2024-03-17, max_hours_per_week: 32}]"}
    # Each saved comment gives its own edit's cost (both gave the set's 25 points).
    assert {c.path.rsplit(".", 1)[1]: c.comment.rsplit(", ", 1)[1] for c in second.changes} == {
        "max_hours_per_week": "4 points", "weeks": "21 points"}


def test_weekly_raise_also_raises_a_weeks_own_cap(tmp_path: Path) -> None:
    # The week of Mon 4 Mar has its own cap of 16 h: 2 + 3 sessions. +8 h everywhere gives 3 + 4 = 7
    # (32 points), and only if the week's own cap rises with the weekly cap (else 2 + 4 = 6).
    load = {"max_hours_per_week": 24, "weeks": [{"from": "2024-03-04", "to": "2024-03-10", "max_hours_per_week": 16}]}
    data = {**TWO_WEEKS, "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
            "repairs": {"defaults": False, "levers": [{"kind": "load", "extra_hours_per_week": 16, "cost": 4}]}}
    answer = _find(tmp_path, data)
    best = answer.repairs[0]
    assert best.found.cost == 32 and best.verified
    assert set(best.edits) == {
        "participants.ann.load.max_hours_per_week=32",
        "participants.ann.load.weeks=[{from: 2024-03-04, to: 2024-03-10, max_hours_per_week: 24}]"}


def test_weekly_raise_after_the_deadline_cannot_help(tmp_path: Path) -> None:
    # Raising the cap of the week after the exams leaves the two weeks before them at 6 sessions.
    data = {**TWO_WEEKS, "repairs": {"defaults": False, "levers": [
        {"kind": "load", "extra_hours_per_week": 16, "within": {"from": "2024-03-18", "to": "2024-03-24"}}]}}
    answer = _find(tmp_path, data)
    assert answer.verdict == "impossible"


def _two_blocks() -> dict[str, Any]:
    """tests/data/two_blocks.yaml as plain data."""
    data: dict[str, Any] = yaml.safe_load((Path(__file__).parents[1] / "data" / "two_blocks.yaml").read_text(encoding="utf-8"))
    return data


def test_earlier_block_start(tmp_path: Path) -> None:
    # tests/data/two_blocks.yaml with block b2 from Wed 24 Feb: Wed 24, Thu 25 and Fri 26 Feb leave
    # 3 of drill's 5 working days. b2 from Mon 22 Feb gives 5 (2 days earlier, 2 x 16 = 32 points);
    # from Tue 23, 4. With working weekends allowed too (8 a day), Sat 27 + Sun 28 cost 16.
    data = _two_blocks()
    data["missions"][0]["blocks"][1]["from"] = "2021-02-24"
    data["repairs"] = {"defaults": False, "levers": [{"kind": "block", "mission": "m", "block": "b2", "max_days": 10}]}
    answer = _find(tmp_path, data)
    assert answer.search.status.value == "OPTIMAL"
    best = answer.repairs[0]
    assert best.found.cost == 32 and best.verified
    assert list(best.edits) == ["missions.m.blocks.b2.from=2021-02-22"]
    data["repairs"]["levers"].append({"kind": "workdays", "weekdays": ["sat", "sun"], "cost": 8})
    best = _find(tmp_path, data).repairs[0]
    assert best.found.cost == 16 and best.verified
    assert list(best.edits) == ["calendar.extra_workdays+=[2021-02-27, 2021-02-28]"]


def test_block_lever_names_are_checked(tmp_path: Path) -> None:
    from planner.exceptions import ScenarioError

    data = _two_blocks()
    data["repairs"] = {"levers": [{"kind": "block", "mission": "m", "block": "b9", "max_days": 3}]}
    with pytest.raises(ScenarioError, match=r"repairs\.levers\[0\]\.block: unknown block of mission 'm' 'b9' \(known: b1, b2\)"):
        load_scenario(write(tmp_path, data))
