"""Missions at one centre: blocks, gates that take equipment, launch-site modules, crews,
substitutes and waivers, each on a tiny case derived by hand.

The calendar is the tests' BASE one: Monday to Friday, no public holidays, a
4-hour day of four 1-hour slots; 2024-03-04 is a Monday.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.exceptions import ScenarioError
from planner.plan.missions import substitution_verdicts, substitutions
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.verify.checks import verify_dates
from tests.helpers import BASE, run, sessions, write

ROLE = [{"id": "sfp", "requires": ["comp"]}]


def centre(missions: list[dict[str, Any]], participants: list[dict[str, Any]], modules: list[dict[str, Any]],
           competencies: list[dict[str, Any]] | None = None, **more: Any) -> dict[str, Any]:
    """BASE's calendar with ``missions`` instead of a window."""
    data = {k: copy.deepcopy(v) for k, v in BASE.items() if k not in ("window",)}
    data.update(missions=missions, participants=participants, modules=modules, roles=ROLE,
                competencies=competencies or [{"id": "comp", "requires": [modules[0]["id"]]}], **more)
    return data


def _days(out: Any, module: str, who: str) -> list[str]:
    return [start[:10] for start, _ in sessions(out, module, who)]


# -- training blocks -----------------------------------------------------------------------

BLOCKS = {"id": "m", "launch": "2024-05-13", "crews": {"prime": ["c1"]},
          "blocks": [{"id": "b1", "from": "2024-03-04", "to": "2024-03-08"}, {"id": "b2", "from": "2024-04-01"}]}


def test_block_tied_module_runs_inside_its_block(tmp_path: Path) -> None:
    """Block b1 is Mon 4 .. Fri 8 Mar: 5 working days. Five one-day sessions tied to b1 fit
    only there, one a day (a session fills the 4-h day): exactly 4..8 Mar."""
    mod = {"id": "sys", "sessions": 5, "session_hours": 4, "block": "b1"}
    out = run(tmp_path, centre([BLOCKS], [{"id": "ann", "role": "sfp", "crew": "c1"}], [mod]))
    assert out.overall == Verdict.READY
    assert _days(out, "sys", "ann") == ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"]


def test_block_tied_module_outside_its_block_is_impossible(tmp_path: Path) -> None:
    """Six one-day sessions need 6 working days; block b1 has 5, and the module may use no
    other day (block b2 is another block): NOT_READY, with the count in the reason."""
    mod = {"id": "sys", "sessions": 6, "session_hours": 4, "block": "b1"}
    out = run(tmp_path, centre([BLOCKS], [{"id": "ann", "role": "sfp", "crew": "c1"}], [mod]))
    assert out.overall == Verdict.NOT_READY
    (row,) = out.readiness
    assert row.status == Verdict.NOT_READY and "needs 6 sessions but only 5 days are open" in row.reason


def test_break_between_blocks_is_not_a_training_day(tmp_path: Path) -> None:
    """Without a block tie, 8 one-day sessions still skip the break (11..29 Mar): b1 gives
    4..8 Mar (5 days), b2 from Mon 1 Apr gives the other 3: 1, 2, 3 Apr."""
    mod = {"id": "sys", "sessions": 8, "session_hours": 4}
    out = run(tmp_path, centre([BLOCKS], [{"id": "ann", "role": "sfp", "crew": "c1"}], [mod]))
    assert _days(out, "sys", "ann")[5:] == ["2024-04-01", "2024-04-02", "2024-04-03"]


# -- a gate that takes the only simulator --------------------------------------------------

def _two_missions(exam_takes_sim: bool) -> dict[str, Any]:
    exams: dict[str, Any] = {"id": "exams", "date": "2024-03-11"}
    if exam_takes_sim:
        exams["resources"] = ["sim"]
    a = {"id": "a", "start": "2024-03-04", "launch": "2024-04-15", "gates": [exams], "crews": {"prime": ["ca"]}}
    b = {"id": "b", "start": "2024-03-11", "launch": "2024-04-22", "crews": {"prime": ["cb"]}}
    people = [{"id": "ann", "role": "sfp", "crew": "ca"}, {"id": "bob", "role": "sfp", "crew": "cb"}]
    drill = {"id": "drill", "sessions": 1, "session_hours": 4, "resources": ["sim"]}
    return centre([a, b], people, [drill], resources=[{"id": "sim", "capacity": 1}])


def test_gate_taking_the_only_simulator_moves_the_other_missions_session(tmp_path: Path) -> None:
    """Bob's window opens Mon 11 Mar, the day mission a's exams take the only simulator:
    his one drill (the earliest plan) moves to Tue 12 Mar. Without the gate's claim it is on
    the 11th. Ann (mission a) drills on Mon 4 Mar either way."""
    out = run(tmp_path, _two_missions(exam_takes_sim=True))
    assert out.overall == Verdict.READY
    assert _days(out, "drill", "bob") == ["2024-03-12"]
    assert _days(out, "drill", "ann") == ["2024-03-04"]
    free = run(tmp_path, _two_missions(exam_takes_sim=False))
    assert _days(free, "drill", "bob") == ["2024-03-11"]
    # The report's utilisation counts what the gate takes: the week of Mon 11 Mar offers 4 of its 5 simulator
    # days (16 h of 20; it counted 20 with the gate too).
    from planner.report.build import utilisation_table

    for outcome, hours in ((out, 16), (free, 20)):
        table = utilisation_table(outcome)
        sim = next(row for row in table.rows if row[0] == "sim")
        cell = sim[list(table.columns).index("2024-W11")]
        assert getattr(cell, "text", cell) == f"4/{hours}"


def test_verifiers_reject_a_session_on_a_resource_a_gate_takes(tmp_path: Path) -> None:
    """The date verifier flags a simulator session on the exam day, whoever's it is."""
    sc = load_scenario(write(tmp_path, _two_missions(exam_takes_sim=True))).scenario
    import datetime as dt

    row = {"participant": "bob", "module": "drill", "start": dt.datetime(2024, 3, 11, 9),
           "end": dt.datetime(2024, 3, 11, 13), "resources": ["sim"], "instructors": []}
    assert any("taken whole by gate exams" in v for v in verify_dates(sc, [row]))


# -- training at the launch site -----------------------------------------------------------

SITE = {"id": "m", "start": "2024-03-04", "launch": "2024-04-15", "crews": {"prime": ["c1"]},
        "gates": [{"id": "prelaunch", "before_launch_days": 10, "until_launch": True}]}


def test_launch_site_module_runs_after_the_prelaunch_gate_and_nowhere_else(tmp_path: Path) -> None:
    """Launch Mon 15 Apr; the pre-launch gate is L-10 = Fri 5 Apr. Regular training ends
    there; the fit-check may run only after the gate's day and before launch: Mon 8 .. Fri
    12 Apr (the weekends closed). Five one-day sessions fill exactly those five days."""
    fit = {"id": "fit", "sessions": 5, "session_hours": 4, "after_gate": "prelaunch"}
    out = run(tmp_path, centre([SITE], [{"id": "ann", "role": "sfp", "crew": "c1"}], [fit]))
    assert out.overall == Verdict.READY
    assert _days(out, "fit", "ann") == ["2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12"]
    six = run(tmp_path, centre([SITE], [{"id": "ann", "role": "sfp", "crew": "c1"}],
                               [{**fit, "sessions": 6}]))
    assert six.overall == Verdict.NOT_READY  # a sixth day does not exist after the gate


def test_launch_site_module_on_the_one_launch_format(tmp_path: Path) -> None:
    """The same rule without missions: a file with one window and a launch-site module."""
    fit = {"id": "fit", "sessions": 1, "session_hours": 4, "after_gate": "prelaunch"}
    data = copy.deepcopy(BASE)
    data.update(gates=SITE["gates"], modules=[fit], competencies=[{"id": "comp", "requires": ["fit"]}])
    out = run(tmp_path, data)
    assert _days(out, "fit", "ann") == ["2024-04-08"]
    sc = out.scenario
    import datetime as dt

    early = {"participant": "ann", "module": "fit", "start": dt.datetime(2024, 3, 4, 9),
             "end": dt.datetime(2024, 3, 4, 13), "resources": [], "instructors": []}
    assert any("launch-site module outside" in v for v in verify_dates(sc, [early]))


# -- crews, substitutes, waivers -----------------------------------------------------------

def test_substitute_readiness_counts_to_the_replaced_participants_deadline(tmp_path: Path) -> None:
    """Ann (prime) must hold comp by the exams, Fri 29 Mar; ben (backup) by the commission,
    Fri 5 Apr. Ben's one session is on Mon 4 Mar at the earliest plan, so if ben replaces
    ann he is ready with 29 Mar - 4 Mar = 25 days of slack (not his own 32)."""
    mission = {"id": "m", "start": "2024-03-04", "launch": "2024-04-15",
               "gates": [{"id": "exams", "date": "2024-03-29"}, {"id": "commission", "date": "2024-04-05"}],
               "crews": {"prime": ["c1"], "backup": ["c2"], "backup_ready_by": "commission"}}
    people = [{"id": "ann", "role": "sfp", "crew": "c1"},
              {"id": "ben", "role": "sfp", "crew": "c2", "substitute_for": "ann"}]
    mod = {"id": "sys", "sessions": 1, "session_hours": 4}
    out = run(tmp_path, centre([mission], people, [mod],
                               [{"id": "comp", "requires": ["sys"], "deadline": "exams"}]))
    ben = next(r for r in out.readiness if r.participant == "ben")
    assert ben.slack_days == 32  # 5 Apr - 4 Mar, by his own (backup) deadline
    (sub,) = substitutions(out.scenario, out.readiness)
    assert (sub.status, sub.slack_days) == (Verdict.READY, 25)
    assert substitution_verdicts([sub]) == {("ben", "ann"): Verdict.READY}
    (m,) = out.missions
    assert (m.prime, m.backup) == (Verdict.READY, Verdict.READY)


def test_a_substitute_s_training_must_be_current_for_the_replaced_launch(tmp_path: Path) -> None:
    """Ann's mission a launches Mon 8 Apr 2024, ben's b Mon 6 May. First aid counts 30 days (recency); the
    medical room opens Mon 11 Mar and Tue 9 Apr. Ann can only take 11 Mar (current until 10 Apr: enough for
    8 Apr). If ann replaces ben, that training has lapsed by 6 May: not READY (it was, with 50 days' slack
    to ben's deadline). UNKNOWN, not NOT_READY: this plan does not prove that no other plan is current."""
    missions = [{"id": "a", "start": "2024-03-04", "launch": "2024-04-08", "crews": {"prime": ["c1"]}},
                {"id": "b", "start": "2024-03-04", "launch": "2024-05-06", "crews": {"prime": ["c2"]}}]
    people = [{"id": "ann", "role": "sfp", "crew": "c1", "substitute_for": "ben"},
              {"id": "ben", "role": "sfp", "crew": "c2"}]
    data = centre(missions, people, [{"id": "aid", "sessions": 1, "session_hours": 4, "resources": ["room"],
                                      "recency_days": 30}], [{"id": "comp", "requires": ["aid"]}])
    data["resources"] = [{"id": "room", "capacity": 1, "available_dates": ["2024-03-11", "2024-04-09"]}]
    out = run(tmp_path, data)
    assert {r.participant: r.status for r in out.readiness} == {"ann": Verdict.READY, "ben": Verdict.READY}
    (sub,) = substitutions(out.scenario, out.readiness)
    assert sub.status == Verdict.UNKNOWN and "counts for a launch by 2024-04-10" in sub.reason


WINTER = {"id": "winter", "sessions": 1, "session_hours": 4, "allowed": [{"from": "01-10", "to": "02-28"}]}


def test_waived_pair_is_waived_never_ready_and_exit_6(tmp_path: Path) -> None:
    """Cold survival only runs 10 Jan .. 28 Feb; the window is 4 Mar .. 15 Apr, so it can
    never be met (proven statically). It is waivable: WAIVED, never READY; the other pair
    is READY, so the plan is 'ready with waivers', exit code 6."""
    data = copy.deepcopy(BASE)
    data["roles"] = [{"id": "sfp", "requires": ["comp", "cold"]}]
    data["modules"] = [*data["modules"], WINTER]
    data["competencies"] = [*data["competencies"],
                            {"id": "cold", "requires": ["winter"], "waivable": True, "waive_cost": 30}]
    out = run(tmp_path, data)
    status = {r.competency: r.status for r in out.readiness}
    assert status == {"comp": Verdict.READY, "cold": Verdict.WAIVED}
    assert out.overall == Verdict.WAIVED
    cold = next(r for r in out.readiness if r.competency == "cold")
    assert cold.reason.startswith("waived (cost 30 points): ")
    result = CliRunner().invoke(app, ["plan", str(write(tmp_path, data)), "--out", str(tmp_path / "o"),
                                      "--time-limit", "10", "--quiet"])
    assert result.exit_code == 6, result.output
    assert "WAIVED" in result.output
    data["competencies"][-1]["waivable"] = False  # the same pair, not waivable: NOT_READY, exit 3
    assert run(tmp_path, data).overall == Verdict.NOT_READY


def test_one_mission_ready_another_not_is_exit_3_with_each_missions_verdict(tmp_path: Path) -> None:
    """Mission a trains an ordinary module; mission b's participant needs the winter module
    (out of season): a READY, b NOT_READY; overall NOT_READY (exit 3), each said."""
    a = {"id": "a", "start": "2024-03-04", "launch": "2024-04-15", "crews": {"prime": ["ca"]}}
    b = {"id": "b", "start": "2024-03-04", "launch": "2024-04-22", "crews": {"prime": ["cb"]}}
    data = centre([a, b], [{"id": "ann", "role": "sfp", "crew": "ca"}, {"id": "bob", "role": "pilot", "crew": "cb"}],
                  [{"id": "m1", "hours": 2, "session_hours": 2}, {**WINTER, "roles": ["pilot"]}],
                  [{"id": "comp", "requires": ["m1"]}, {"id": "cold", "requires": ["winter"]}])
    data["roles"] = [*ROLE, {"id": "pilot", "requires": ["cold"]}]
    out = run(tmp_path, data)
    assert [(m.mission, m.prime) for m in out.missions] == [("a", Verdict.READY), ("b", Verdict.NOT_READY)]
    assert out.overall == Verdict.NOT_READY
    result = CliRunner().invoke(app, ["plan", str(write(tmp_path, data)), "--out", str(tmp_path / "o"),
                                      "--time-limit", "10", "--quiet"])
    assert result.exit_code == 3
    assert "mission a (launch 2024-04-15): READY" in result.output
    assert "mission b (launch 2024-04-22): NOT_READY" in result.output
    assert (tmp_path / "o" / "readiness.csv").read_text().startswith("mission,participant,")


def test_a_backup_crew_never_takes_a_prime_crews_place(tmp_path: Path) -> None:
    """One simulator, 10 working days before the exams (Mon 4 - Fri 15 Mar; gate Mon 18 Mar), three crews
    of one, each needing 5 full simulator days by then: only two crews can be ready. Mission a's backup
    (ben, ready by the exams) and mission b's prime crew (bob) compete. Both choices meet 2 pairs; the
    missions' verdicts are their prime crews', so bob is trained: both missions READY, exit 0, and ben is
    the trade-off (it was ben, leaving mission b NOT_READY although it could be ready)."""
    gates = [{"id": "exams", "date": "2024-03-18"}]
    a = {"id": "a", "start": "2024-03-04", "launch": "2024-04-15", "gates": gates,
         "crews": {"prime": ["pa"], "backup": ["ba"], "backup_ready_by": "exams"}}
    b = {"id": "b", "start": "2024-03-04", "launch": "2024-04-22", "gates": gates, "crews": {"prime": ["pb"]}}
    data = centre([a, b], [{"id": "ann", "role": "sfp", "crew": "pa"}, {"id": "ben", "role": "sfp", "crew": "ba"},
                           {"id": "bob", "role": "sfp", "crew": "pb"}],
                  [{"id": "sim", "sessions": 5, "session_hours": 4, "resources": ["sim"], "joint": "crew"}],
                  [{"id": "comp", "requires": ["sim"], "deadline": "exams"}],
                  resources=[{"id": "sim", "capacity": 1}])
    out = run(tmp_path, data)
    status = {r.participant: r.status for r in out.readiness}
    assert status == {"ann": Verdict.READY, "ben": Verdict.NOT_READY, "bob": Verdict.READY}
    assert [(m.mission, m.prime) for m in out.missions] == [("a", Verdict.READY), ("b", Verdict.READY)]
    assert out.overall == Verdict.READY
    assert out.result.goals_bound == 2  # the count of pairs, not the weighted objective


def test_one_mission_file_gives_the_one_launch_files_verdicts(tmp_path: Path) -> None:
    """The same programme written with a window and gates, and as one mission: the same
    verdicts, deadlines and slack (gates close the same days, to the same people)."""
    gates = [{"id": "exams", "date": "2024-04-01", "days": 2},
             {"id": "prelaunch", "before_launch_days": 7, "until_launch": True}]
    mods = [{"id": "m1", "hours": 8, "session_hours": 2}, {"id": "m2", "sessions": 3, "session_hours": 4,
                                                           "prerequisites": [{"module": "m1", "min_lag_days": 3}]}]
    comps = [{"id": "comp", "requires": ["m1", "m2"], "deadline": "exams"}]
    one = copy.deepcopy(BASE)
    one.update(gates=gates, modules=mods, competencies=comps)
    mission = {"id": "m", "start": "2024-03-04", "launch": "2024-04-15", "gates": gates, "crews": {"prime": ["c1"]}}
    many = centre([mission], BASE["participants"], mods, comps)
    key = [(r.participant, r.competency, r.status, r.deadline, r.slack_days) for r in run(tmp_path, one).readiness]
    assert key == [(r.participant, r.competency, r.status, r.deadline, r.slack_days)
                   for r in run(tmp_path, many).readiness]


# -- invalid files -------------------------------------------------------------------------

@pytest.mark.parametrize(("edit", "path", "message"), [
    (lambda d: d["participants"].append({"id": "zed", "role": "sfp", "crew": "nowhere"}),
     "participants[1].crew", "crew 'nowhere' is in no mission"),
    (lambda d: d["modules"][0].update(deadline="exams"), "modules[0].deadline", "mission 'm' (whose participants take the module) has no gate 'exams'"),
    (lambda d: d.update(window={"start": "2024-03-04", "launch": "2024-04-15"}), ": window: ", "give either 'window'"),
    (lambda d: d["missions"][0]["crews"].update(backup_ready_by="mvk"), "missions[0].crews.backup_ready_by", "has no gate 'mvk'"),
    (lambda d: d["missions"][0].update(start="2024-03-01"), "missions[0]", "exactly one of 'start'"),
    (lambda d: d["modules"][0].update(block="b9"), "modules[0].block", "has no block 'b9'"),
])
def test_invalid_mission_files_are_located(tmp_path: Path, edit: Any, path: str, message: str) -> None:
    """Tests that each mistake names the YAML path and says what is wrong."""
    data = centre([copy.deepcopy(BLOCKS)], [{"id": "ann", "role": "sfp", "crew": "c1"}],
                  [{"id": "sys", "sessions": 1, "session_hours": 4}])
    edit(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, data))
    assert path in str(info.value) and message in str(info.value)


def test_a_mission_whose_prime_crew_has_nobody_yet_says_so(tmp_path: Path) -> None:
    """Tests a mission planned before its crew is named (crew 'cx', nobody in it: a warning, not an
    error): its line says it has no pair to train instead of "READY - prime crew 0/0 pairs ready"."""
    from planner.report.text import mission_lines

    a = {"id": "a", "start": "2024-03-04", "launch": "2024-04-15", "crews": {"prime": ["c1"]}}
    b = {"id": "b", "start": "2024-03-04", "launch": "2024-04-22", "crews": {"prime": ["cx"], "backup": ["cy"]}}
    out = run(tmp_path, centre([a, b], [{"id": "ann", "role": "sfp", "crew": "c1"}],
                               [{"id": "m1", "hours": 2, "session_hours": 2}]))
    line = next(x for x in mission_lines(out) if x.startswith("  mission b"))
    assert line.endswith("no pair to train in its prime crew (no participant in it yet, or every competency held)"
                         "; no pair to train in its backup crew")
