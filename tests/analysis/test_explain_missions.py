"""explain on a training centre's file: a substitute's pair (hand-derived)."""

from __future__ import annotations

from pathlib import Path

import yaml

from planner.analysis.explain import explain
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams

# Mission a's exams (Wed 12 Feb 2025) take the simulator, which flies only 10-12 Feb: one crew a day on
# 10 and 11 Feb. Crews ca (a1), cb (b1) and cbb (b2, backup of b, substitute for b1) each need a day of it
# before their exams: three crews, two days, so b2's fire is a proven trade-off; one more simulator day
# (13 Feb, the default dates lever: 20 points) makes all three ready.
CENTRE = """
name: gate takes the shared simulator
calendar: {workdays: [mon, tue, wed, thu, fri], day_hours: 8}
missions:
  - {id: a, launch: 2025-03-03, start: 2025-01-06, gates: [{id: exams, date: 2025-02-12, resources: [sim]}],
     crews: {prime: [ca]}}
  - {id: b, launch: 2025-03-17, start: 2025-01-06, gates: [{id: exams, date: 2025-02-26}],
     crews: {prime: [cb], backup: [cbb]}}
roles: [{id: sfp, requires: [fire]}]
participants:
  - {id: a1, role: sfp, crew: ca}
  - {id: b1, role: sfp, crew: cb}
  - {id: b2, role: sfp, crew: cbb, substitute_for: b1}
resources: [{id: sim, capacity: 1, available_dates: [2025-02-10, 2025-02-11, 2025-02-12]}]
modules: [{id: simdrill, sessions: 1, session_hours: 8, resources: [sim], joint: crew}]
competencies: [{id: fire, requires: [simdrill], deadline: exams}]
"""


def test_a_substitute_s_pair_is_explained(tmp_path: Path) -> None:
    """Tests the focused copy of a substitute's goal: b1 (whom b2 replaces) is not in it, so it drops
    ``substitute_for``; the copy failed to load and every probe of b2 read as "hit the time limit"."""
    path = tmp_path / "centre.yaml"
    path.write_text(CENTRE, encoding="utf-8")
    assert yaml.safe_load(CENTRE)["participants"][2]["substitute_for"] == "b1"
    ex = explain(load_scenario(path), SolveParams(time_limit=10, deterministic=True), time_limit=30.0)
    (ge,) = ex.goals
    assert (ge.participant, ge.competency, ge.kind) == ("b2", "fire", "trade-off")
    assert ge.fixes and ge.fixes[0].cost == 20 and "2025-02-13" in ge.fixes[0].text
    assert not ex.problems


# The only soyuz instructor, e1, is available Tue 4 .. Thu 6 Feb 2025, and mission a's exams take him on 5
# and 6 Feb: one day, two 4-h sessions, for one crew. Crew ca and crew cb each need both sessions before
# their exams: b's fire is a trade-off with a1's, and the exams' claim on e1 is part of the conflict
# (without it, 4..6 Feb hold both crews' two sessions). The gate is listed, never proposed as a fix.
EXAMINER = """
name: examiner taken by another mission's gate
calendar: {workdays: [mon, tue, wed, thu, fri], day_hours: 8}
missions:
  - {id: a, launch: 2025-03-03, start: 2025-01-06, crews: {prime: [ca]},
     gates: [{id: exams, date: 2025-02-05, days: 2, instructors: [e1]}]}
  - {id: b, launch: 2025-03-10, start: 2025-01-06, crews: {prime: [cb]}, gates: [{id: exams, date: 2025-02-10}]}
roles: [{id: sfp, requires: [fire]}]
participants:
  - {id: a1, role: sfp, crew: ca}
  - {id: b1, role: sfp, crew: cb}
instructors: [{id: e1, qualifications: [soyuz], available: [{from: 2025-02-04, to: 2025-02-06}]}]
modules: [{id: sim_emergency, sessions: 2, session_hours: 4, joint: crew, instructor: soyuz}]
competencies: [{id: fire, requires: [sim_emergency], deadline: exams}]
"""


def test_another_mission_s_gate_is_part_of_the_conflict(tmp_path: Path) -> None:
    """Tests the gate fact: the conflict of the pair left out names mission a's exams taking e1 (it claimed
    to hold "with the facts not listed relaxed" while the gate, not listed, could not be relaxed)."""
    path = tmp_path / "examiner.yaml"
    path.write_text(EXAMINER, encoding="utf-8")
    ex = explain(load_scenario(path), SolveParams(time_limit=10, deterministic=True), time_limit=30.0)
    (ge,) = ex.goals
    assert ge.kind == "trade-off" and ge.proven_minimal
    texts = [f.text for f in ge.conflict]
    assert "exams of mission a (2025-02-05..2025-02-06) takes instructor e1" in texts
    assert not any(fix.key.startswith("gate:") for fix in ge.fixes)
