"""``planner explain``: irreducible conflicts of scenario facts and verified fixes.

The tiny scenarios under tests/data have conflicts known by construction.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.analysis.explain import (
    Explanation,
    Fact,
    canonical,
    deletion_filter,
    explain,
    focus,
    format_explanation,
)
from planner.analysis.window import scenario_plain
from planner.cli import app
from planner.data.result import SolveStatus
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import scenario, write

DATA = Path(__file__).parents[1] / "data"
PARAMS = SolveParams(time_limit=5.0, num_workers=2)
runner = CliRunner()


@pytest.fixture(scope="module")
def season() -> Explanation:
    """Explanation of tiny_season: a module whose season misses the window."""
    return explain(load_scenario(DATA / "tiny_season.yaml"), PARAMS, time_limit=20.0)


@pytest.fixture(scope="module")
def capacity() -> Explanation:
    """Explanation of tiny_capacity: two trainees, one unary simulator, too few days before the gate."""
    return explain(load_scenario(DATA / "tiny_capacity.yaml"), PARAMS, time_limit=20.0)


def test_season_conflict_is_the_season(season: Explanation) -> None:
    """Tests that the conflict is exactly the module's season, proven irreducible."""
    (ge,) = season.goals
    assert (ge.participant, ge.competency, ge.kind) == ("ann", "water", "conflict")
    assert [f.key for f in ge.conflict] == ["season:sea"]
    assert ge.proven_minimal
    assert "sea runs only 06-01..08-31" in ge.conflict[0].text


def test_module_season_is_never_proposed_as_a_fix(season: Explanation) -> None:
    """Tests that a module's season is a physical fact: named in the conflict, never proposed as a fix.

    sea runs only 06-01..08-31 and the window is Mar-Apr 2021: an earlier window or working
    Saturdays cannot reach summer, and no repairs lever moves a module's season, so no fix is left.
    """
    (ge,) = season.goals
    assert ge.fixes == []
    assert "seasons and gates are physical facts" in ge.note


def test_capacity_trade_off_names_the_simulator(capacity: Explanation) -> None:
    """Tests that the unmet trainee's conflict names the simulator capacity and the competing trainee."""
    (ge,) = capacity.goals
    assert ge.kind == "trade-off"
    keys = {f.key for f in ge.conflict}
    assert "capacity:sim" in keys
    other = "ann" if ge.participant == "bob" else "bob"
    assert f"goal:{other}:ready" in keys
    assert {"window:start", "deadline:ready"} <= keys  # more days before the gate would also do
    assert ge.proven_minimal


def test_capacity_fixes_are_least_and_verified(capacity: Explanation) -> None:
    """Tests the fixes: a working weekend day (8 points, the repair levers' default workdays lever of
    Saturdays, Sundays and holidays; the latest before the deadline first: Sun 7 Mar), 3 more days (Fri 26
    Feb gives the sixth working day: 3 x 16 = 48 points, the 'start' lever's price, which the file does not
    declare: no repair lever) or a second simulator (40, the default capacity lever of a one-unit resource)."""
    (ge,) = capacity.goals
    texts = [f.text for f in ge.fixes]
    assert texts[0] == ("work on 1 closed day before 2021-03-08 (default workdays lever): "
                        "calendar.extra_workdays+=[2021-03-07]")
    cost = {f.text: f.cost for f in ge.fixes}
    assert cost["open the window 3 days earlier (on 2021-02-26) (no repair lever)"] == 48
    assert cost["raise sim capacity from 1 to 2"] == 40
    assert all(f.least for f in ge.fixes)
    assert capacity.verified(ge.fixes[0], ge.goal) == "yes"
    assert capacity.verifications[ge.fixes[0].key].ready == 2


def test_role_without_module_is_unachievable(tmp_path: Path) -> None:
    """Tests that a goal whose role does not take a required module is reported without probing."""
    sc = scenario(
        roles=[{"id": "sfp", "requires": ["comp"]}, {"id": "other"}],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "roles": ["other"]}],
    )
    ex = explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=10.0)
    (ge,) = ex.goals
    assert ge.kind == "unachievable" and "m1" in ge.note


def _fact(key: str) -> Fact:
    return Fact(key, "window", key, "relaxed")


def test_deletion_filter_finds_the_core() -> None:
    """Tests the deletion filter on a known oracle: infeasible iff b and d are enforced."""
    facts = [_fact(k) for k in "abcde"]

    def status(enforced: object) -> SolveStatus:
        keys = {f.key for f in enforced}  # type: ignore[attr-defined]
        return SolveStatus.INFEASIBLE if {"b", "d"} <= keys else SolveStatus.FEASIBLE

    kept, proven = deletion_filter(facts, status)
    assert [f.key for f in kept] == ["b", "d"] and proven


def test_deletion_filter_unknown_is_not_proven() -> None:
    """Tests that an UNKNOWN probe keeps the fact and marks the set as not proven minimal."""
    facts = [_fact(k) for k in "abc"]

    def status(enforced: object) -> SolveStatus:
        keys = {f.key for f in enforced}  # type: ignore[attr-defined]
        if keys == {"a", "b"}:
            return SolveStatus.UNKNOWN
        return SolveStatus.INFEASIBLE if "a" in keys else SolveStatus.FEASIBLE

    kept, proven = deletion_filter(facts, status)
    assert [f.key for f in kept] == ["a", "c"] and not proven


def test_alike_goals_share_probes() -> None:
    """Tests that two trainees of the same make-up in different crews give the same canonical probe."""
    loaded = load_scenario(DATA / "tiny_capacity.yaml")
    plain = scenario_plain(loaded.scenario)
    a = canonical(focus(plain, loaded.scenario, [("ann", "ready")]), [("ann", "ready")])
    b = canonical(focus(plain, loaded.scenario, [("bob", "ready")]), [("bob", "ready")])
    assert a == b


def test_crew_mates_of_one_programme_share_probes(tmp_path: Path) -> None:
    """Tests that two trainees of one crew whose roles differ only in name (and in a competency the
    goal does not touch) give the same canonical probe: ann and bob train alike, so a probe asked
    for ann answers bob's too, while cy (a 16-h weekly cap) stays apart."""
    text = (DATA / "tiny_capacity.yaml").read_text().replace(
        "roles:\n  - id: sfp\n    requires: [ready]\n",
        "roles:\n  - id: sfp\n    requires: [ready]\n  - id: doc\n    requires: [ready, extra]\n",
    ).replace(
        "  - {id: ann, role: sfp, crew: c1}\n  - {id: bob, role: sfp, crew: c2}\n",
        "  - {id: ann, role: doc, crew: c1}\n  - {id: bob, role: sfp, crew: c1}\n"
        "  - {id: cy, role: sfp, crew: c1, load: {max_hours_per_week: 16}}\n",
    ).replace("competencies:\n", "competencies:\n  - id: extra\n    requires: [drill]\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    plain = scenario_plain(loaded.scenario)

    def key(pid: str) -> str:
        return canonical(focus(plain, loaded.scenario, [(pid, "ready")]), [(pid, "ready")])

    assert key("ann") == key("bob")
    assert key("cy") != key("bob")


def test_canonical_keeps_ids_referred_to_elsewhere() -> None:
    """Tests the safety rule of the canonical text: when a participant id is still referred to
    where it is not renamed, the text is the scenario as it is, so two trainees never share it."""
    loaded = load_scenario(DATA / "tiny_capacity.yaml")
    plain = scenario_plain(loaded.scenario)
    a = focus(plain, loaded.scenario, [("ann", "ready"), ("bob", "ready")])
    b = focus(plain, loaded.scenario, [("ann", "ready"), ("bob", "ready")])
    assert canonical(a, [("ann", "ready")]) == canonical(b, [("bob", "ready")])  # alike: renamed, shared
    a["modules"][0]["description"] = "ann"  # dropped key: still alike
    assert canonical(a, [("ann", "ready")]) == canonical(b, [("bob", "ready")])
    a["modules"][0]["note_of"] = "ann"  # an unknown field naming ann: no renaming at all
    assert '"ann"' in canonical(a, [("ann", "ready")])
    assert canonical(a, [("ann", "ready")]) != canonical(a, [("bob", "ready")])


def test_cli_explain_writes_csv(tmp_path: Path) -> None:
    """Tests the command: exit 3 (not ready), the table, and explain.csv with the agreed columns."""
    result = runner.invoke(app, ["explain", str(DATA / "tiny_season.yaml"), "--out", str(tmp_path),
                                 "--time-limit", "20", "--quiet"])
    assert result.exit_code == 3, result.output
    assert "sea runs only 06-01..08-31" in result.output
    frame = pd.read_csv(tmp_path / "explain.csv")
    for col in ("participant", "competency", "conflict", "fix", "fix_verified", "goals_ready_after"):
        assert col in frame.columns
    row = pd.read_csv(tmp_path / "explain.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    assert row["fix"] == ""  # no fix for a module's season
    assert "physical facts" in str(row["note"])


def test_instructor_leave_conflict_and_fixes(tmp_path: Path) -> None:
    """Tests an instructor conflict known by construction.

    Exam Mon 11 Mar 2024: the 5 working days Mon 4 - Fri 8 Mar lie before it.
    m1 is two 4-h sessions (a full day each) taught only by Ivan, who is on
    leave Tue 5 - Fri 8: one teaching day for two sessions. Each of the four
    facts is needed: an earlier window (Fri 1 Mar gives a second day), no
    deadline, no leave, or a second instructor would each make it possible.
    """
    sc = scenario(
        gates=[{"id": "exam", "date": "2024-03-11"}],
        instructors=[{"id": "ivan", "qualifications": ["q"],
                      "blackouts": [{"from": "2024-03-05", "to": "2024-03-08", "reason": "leave"}]}],
        modules=[{"id": "m1", "hours": 8, "session_hours": 4, "instructor": "q"}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exam"}],
    )
    ex = explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=15.0)
    (ge,) = ex.goals
    assert ge.kind == "conflict" and ge.proven_minimal
    assert {f.key for f in ge.conflict} == {"window:start", "deadline:comp", "blackout:instructor:ivan:2024-03-05",
                                            "instructors:q"}
    texts = [f.text for f in ge.fixes]
    # A working weekend day (8 points: the default workdays lever, the latest first, Sun 10 Mar) before 3
    # days of an earlier window (48: the repair levers' prices; no 'start' lever here, so repair cannot).
    assert texts[0].startswith("work on 1 closed day before 2024-03-11 (default workdays lever)")
    assert "open the window 3 days earlier (on 2024-03-01) (no repair lever)" in texts
    assert "add one instructor qualified for q (no repair lever)" in texts
    assert "cancel ivan's absence from 2024-03-05 (no repair lever)" in texts
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"


def test_spacing_conflict_and_fixes(tmp_path: Path) -> None:
    """Tests a spacing conflict known by construction.

    Five working days (Mon 4 - Fri 8 Mar 2024) before the exam, five full-day
    sessions: four of a, then b (b needs a). So a ends Thursday and b is on
    Friday, the day after an a session, which the 24-h spacing rule forbids.
    Dropping the rule, the prerequisite (b first on Monday) or the deadline
    fixes it, and so does a window opening Fri 1 Mar (a on Fri-Wed, Thursday
    free, b on Friday).
    """
    sc = scenario(
        gates=[{"id": "exam", "date": "2024-03-11"}],
        modules=[{"id": "a", "hours": 16, "session_hours": 4},
                 {"id": "b", "hours": 4, "session_hours": 4, "prerequisites": ["a"]}],
        competencies=[{"id": "comp", "requires": ["b"], "deadline": "exam"}],
        spacing=[{"after": "a", "forbid": "b", "hours": 24}],
    )
    ex = explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=15.0)
    (ge,) = ex.goals
    assert ge.kind == "conflict" and ge.proven_minimal
    assert {f.key for f in ge.conflict} == {"window:start", "deadline:comp", "spacing:a:b", "prerequisite:b:a"}
    texts = [f.text for f in ge.fixes]
    # A working weekend day (8 points, Sun 10 Mar) before 3 days of an earlier window (48, no repair lever).
    assert texts[0].startswith("work on 1 closed day before 2024-03-11 (default workdays lever)")
    assert "open the window 3 days earlier (on 2024-03-01) (no repair lever)" in texts
    assert "drop the spacing rule a -> b (waiver) (no repair lever)" in texts
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"


def test_deterministic_budget_counts_work_units() -> None:
    """Tests that under --deterministic the run's budget is counted in work units: the same
    explanation twice, and no more spent than the limit (the plan's share plus probes and checks)."""
    params = SolveParams(time_limit=5.0, deterministic=True)
    runs = [explain(load_scenario(DATA / "tiny_capacity.yaml"), params, time_limit=6.0) for _ in range(2)]
    assert format_explanation(runs[0]) == format_explanation(runs[1])
    assert runs[0].goals and runs[0].goals[0].kind == "trade-off"
    # The plan is charged its whole share, max(1, min(5, 0.25 * 6)) = 1.5 units.
    assert 1.5 <= runs[0].seconds <= 6.0 + 0.1


def _winter_site(tmp_path: Path, levers: list[dict[str, object]]) -> Explanation:
    """m1 needs 'site', open only 06-01..08-31; the window is Mar 4 - Apr 14 2024."""
    sc = scenario(
        resources=[{"id": "site", "available": [{"from": "06-01", "to": "08-31"}]}],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "resources": ["site"]}],
    )
    sc["repairs"] = {"levers": levers}
    return explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=15.0)


def test_resource_season_is_fixed_only_through_a_dates_lever(tmp_path: Path) -> None:
    """Tests that "make site available all year" is never proposed; a dates lever for the site is.

    Without a lever, no change of the levers reaches June: no fix. With a lever opening the site
    2024-04-01 .. 2024-04-12 (at most 1 day, 20 points a day by default), the first of its working
    days, Mon 1 Apr, is opened: one day, cost 20, and m1's single 2-h session fits on it.
    """
    (ge,) = _winter_site(tmp_path, []).goals
    assert [f.key for f in ge.conflict] == ["available:site"]
    assert ge.fixes == [] and "physical facts" in ge.note
    ex = _winter_site(tmp_path, [{"kind": "dates", "resource": "site",
                                  "within": {"from": "2024-04-01", "to": "2024-04-12"}, "max": 1}])
    (ge,) = ex.goals
    assert [(f.text, f.cost) for f in ge.fixes] == [
        ("open site on 1 more working day: 2024-04-01 (repairs lever 1)", 20.0)]
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"


def _campaign(tmp_path: Path, repairs: dict[str, object] | None = None) -> Explanation:
    """Three 2-h flights on different days; the plane flies on Tue 5 and Wed 6 Mar 2024 only."""
    sc = scenario(
        resources=[{"id": "plane", "available_dates": ["2024-03-05", "2024-03-06"]}],
        modules=[{"id": "m1", "sessions": 3, "session_hours": 2, "resources": ["plane"],
                  "min_days_between_sessions": 1}],
    )
    if repairs is not None:
        sc["repairs"] = repairs
    return explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=15.0)


def test_campaign_days_come_from_the_dates_lever(tmp_path: Path) -> None:
    """Tests the fix of a campaign resource: the fewest more days through its dates lever.

    Two flight days for three flights on different days: one more day is needed. The default dates
    lever (no repairs section) offers the window's working days, nearest the plane's own dates first:
    Mon 4 Mar and Thu 7 Mar are both one day away, and the earlier comes first. So: open the plane on
    Mon 4 Mar, 20 points (the default cost of a campaign day), verified on the whole scenario.
    Without any lever (defaults off), the old fix is left: the plane on any working day, 60 points.
    """
    ex = _campaign(tmp_path)
    (ge,) = ex.goals
    assert "campaign:plane" in [f.key for f in ge.conflict]
    fix = ge.fixes[0]
    assert (fix.text, fix.cost, fix.least) == ("open plane on 1 more working day: 2024-03-04 (default dates lever)",
                                              20.0, True)
    assert ex.verified(fix, ge.goal) == "yes"
    (ge,) = _campaign(tmp_path, {"defaults": False}).goals
    assert (ge.fixes[0].text, ge.fixes[0].cost) == ("make plane available on any working day (no repair lever)", 60.0)


def _short_week(tmp_path: Path, levers: list[dict[str, object]] | None = None) -> Explanation:
    """Five full-day sessions of m1 before an exam on Mon 11 Mar 2024, four working days.

    Mon 4 - Fri 8 Mar are the working days before the exam, and Fri 8 is a public holiday: four
    days for five sessions. Ann is away until Sun 3 Mar, so an earlier window gives nothing. One
    more day does it: Sat 9 Mar, the holiday, or cancelling ann's absence (window Fri 1 Mar);
    or the deadline waiver.
    """
    sc = scenario(
        calendar={"day_hours": 4, "slot_minutes": 60, "day_start": "09:00", "holidays": ["2024-03-08"]},
        participants=[{"id": "ann", "role": "sfp", "crew": "c1",
                       "blackouts": [{"from": "2024-01-01", "to": "2024-03-03"}]}],
        gates=[{"id": "exam", "date": "2024-03-11"}],
        modules=[{"id": "m1", "hours": 20, "session_hours": 4}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exam"}],
    )
    if levers is not None:
        sc["repairs"] = {"levers": levers}
    return explain(load_scenario(write(tmp_path, sc)), PARAMS, time_limit=20.0)


def test_calendar_fixes_work_a_saturday_or_a_holiday(tmp_path: Path) -> None:
    """Tests the calendar fixes: one closed day, 8 points, as an extra_workdays edit, through the default
    workdays lever of Saturdays, Sundays and public holidays, the latest before the exam first (Sun 10
    Mar; the holiday Fri 8 Mar or Sat 9 Mar would do as well); the cheapest is verified on the whole
    scenario, and the deadline waiver comes last."""
    ex = _short_week(tmp_path)
    (ge,) = ex.goals
    texts = [f.text for f in ge.fixes]
    assert texts[0] == "work on 1 closed day before 2024-03-11 (default workdays lever): calendar.extra_workdays+=[2024-03-10]"
    assert ge.fixes[0].cost == 8.0 and ge.fixes[0].least
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"
    assert ge.fixes[-1].waiver and "(waiver)" in texts[-1]


def test_waivers_come_after_real_fixes_whatever_their_cost(tmp_path: Path) -> None:
    """Tests a workdays lever at 200 points a day: working Sat 9 Mar (200) costs more than the
    deadline waiver (150) and is still listed before it; the holiday is not in the lever."""
    ex = _short_week(tmp_path, [{"kind": "workdays", "weekdays": ["sat"], "cost": 200}])
    (ge,) = ex.goals
    texts = [f.text for f in ge.fixes]
    lever = "work on 1 closed day before 2024-03-11 (repairs lever 1): calendar.extra_workdays+=[2024-03-09]"
    assert lever in texts and not any("2024-03-08" in t for t in texts)
    waivers = [k for k, f in enumerate(ge.fixes) if f.waiver]
    assert waivers and texts.index(lever) < min(waivers)
    assert ge.fixes[texts.index(lever)].cost == 200.0 > ge.fixes[min(waivers)].cost


def test_block_conflict_and_fixes(tmp_path: Path) -> None:
    """Tests a module tied to a block too short for it: the block and the tie are named, the
    block moved earlier by the least number of days.

    tests/data/two_blocks.yaml with drill at 160 h (20 full-day sessions, tied to b2): b2 runs
    Mon 8 .. Sun 28 Feb 2021 with 15 working days, so 5 more are needed; b1 ends Fri 29 Jan,
    so b2 may start on 30 Jan at the earliest and the first start with 20 working days is
    Mon 1 Feb (7 days earlier: 31 Jan, a Sunday, adds none). Letting drill run in b1 also
    works (b1 has 20 working days, 2 used by basics), at the cost of a block tie (60 points).
    """
    text = (DATA / "two_blocks.yaml").read_text().replace(
        "hours: 40, session_hours: 8, block: b2", "hours: 160, session_hours: 8, block: b2")
    path = tmp_path / "blocks.yaml"
    path.write_text(text)
    ex = explain(load_scenario(path), PARAMS, time_limit=20.0)
    (ge,) = ex.goals
    assert ge.kind == "conflict" and ge.proven_minimal
    assert {f.key for f in ge.conflict} == {"window:block:m:b2", "block:drill"}
    # Priced as the repair levers are: the block tie 60 points, the block 7 days earlier 7 x 16 = 112.
    fix = next(f for f in ge.fixes if f.text == "start block b2 of mission m 7 days earlier (on 2021-02-01) (no repair lever)")
    assert fix.least and fix.cost == 112
    # Cheapest: the 5 missing days on weekends in b2 (Sun 14 .. Sun 28 Feb, the latest first), 5 x 8 = 40,
    # before letting drill run in b1 (60, no repair lever).
    assert ge.fixes[0].text.startswith("work on 5 closed days before 2021-03-01 (default workdays lever)")
    assert ge.fixes[0].cost == 40
    assert "let drill run in any block of mission m (no repair lever)" in [f.text for f in ge.fixes]
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"


def test_mission_window_conflict_and_fix(tmp_path: Path) -> None:
    """Tests the window fact and fix of one mission among several: its own start moves.

    tests/data/two_missions.yaml with mission a starting Mon 1 Feb 2021 and systems at 88 h
    (11 full days): fire needs systems and simdrill (2 x 4 h, one day) before the exams on
    Mon 15 Feb, 12 working days, but 1..12 Feb has 10. Two more working days: Thu 28 and
    Fri 29 Jan, so a's training must start 4 days earlier, on 28 Jan.
    """
    text = (DATA / "two_missions.yaml").read_text().replace("start: 2021-01-04", "start: 2021-02-01").replace(
        "hours: 16, session_hours: 4, block: b1", "hours: 88, session_hours: 8, block: b1")
    path = tmp_path / "missions.yaml"
    path.write_text(text)
    ex = explain(load_scenario(path), PARAMS, time_limit=20.0)
    (ge,) = ex.goals
    assert (ge.participant, ge.competency, ge.kind) == ("p1", "fire", "conflict")
    assert "window:mission:a" in {f.key for f in ge.conflict}
    # Two working weekend days (2 x 8 points: Sat 13 and Sun 14 Feb, the latest first) come before the 4
    # days earlier (4 x 16, the repair levers' prices; no lever moves a mission's start).
    assert ge.fixes[0].text.startswith("work on 2 closed days before 2021-02-15 (default workdays lever)")
    assert {f.text: f.cost for f in ge.fixes}[
        "start mission a's training 4 days earlier (on 2021-01-28) (no repair lever)"] == 64
    assert ex.verified(ge.fixes[0], ge.goal) == "yes"
