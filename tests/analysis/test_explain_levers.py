"""explain's fixes through the repair levers (the same days, steps and prices as ``planner repair``),
each on a tiny case derived by hand."""

from __future__ import annotations

from pathlib import Path

import yaml

from planner.analysis.explain import explain
from planner.analysis.explain.types import Explanation, Fix
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams

PARAMS = SolveParams(time_limit=10, deterministic=True)
HEAD = """
window: {start: 2025-03-03, launch: 2025-04-14}
calendar: {day_hours: 8, slot_minutes: 60, day_start: "09:00"}
"""


def _explain(tmp_path: Path, text: str) -> Explanation:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: t\n{HEAD}{text}", encoding="utf-8")
    assert isinstance(yaml.safe_load(path.read_text()), dict)
    return explain(load_scenario(path), PARAMS, time_limit=30.0)


def test_the_one_saturday_the_aircraft_flies(tmp_path: Path) -> None:
    """Tests the single-day tries: two flights on different days before the exams (Mon 17 Mar 2025); the
    plane flies Wed 5 Mar and Sat 8 Mar. Working Sat 8 Mar (8 points) is enough, but the default workdays
    lever's days, the latest first (Sun 16, Sat 15, Sun 9, Sat 8), needed four to reach it: 32 points. The
    least count is one day, proven."""
    ex = _explain(tmp_path, """
gates: [{id: exams, date: 2025-03-17}]
roles: [{id: sfp, requires: [zero_g]}]
participants: [{id: ann, role: sfp, crew: c1}]
resources: [{id: plane, capacity: 10, unit: participants, available_dates: [2025-03-05, 2025-03-08]}]
modules: [{id: flights, sessions: 2, session_hours: 2, resources: [plane], min_days_between_sessions: 1}]
competencies: [{id: zero_g, requires: [flights], deadline: exams}]
""")
    (ge,) = ex.goals
    fix = ge.fixes[0]
    assert fix.text == "work on 1 closed day before 2025-03-17 (default workdays lever): calendar.extra_workdays+=[2025-03-08]"
    assert (fix.cost, fix.least) == (8, True)


def test_a_weekly_cap_rises_one_slot_at_a_time(tmp_path: Path) -> None:
    """Tests the load fix's step: 41 one-hour lectures in the two weeks before the exams under a 20-h weekly
    cap: 1 h more a week is enough, 4 points (the default load lever's price an hour), as repair finds; the
    2-h steps before made it 8."""
    ex = _explain(tmp_path, """
gates: [{id: exams, date: 2025-03-17}]
roles: [{id: sfp, requires: [comp]}]
participants: [{id: ann, role: sfp, crew: c1, load: {max_hours_per_week: 20}}]
modules: [{id: lectures, sessions: 41, session_hours: 1}]
competencies: [{id: comp, requires: [lectures], deadline: exams}]
""")
    (ge,) = ex.goals
    fix = next(f for f in ge.fixes if f.key.startswith("load:"))
    assert (fix.text, fix.cost, fix.least) == ("raise ann's weekly cap from 20 h to 21 h", 4, True)


def test_an_instructor_s_capacity_lever(tmp_path: Path) -> None:
    """Tests the instructor capacity fix: two trainees, five full days each with the one medic in the five
    weekdays before the exams (Mon 10 Mar 2025): medic teaching two at a time (30 points, the declared
    lever) beats hiring (60). Explain offered only the hire."""
    ex = _explain(tmp_path, """
gates: [{id: exams, date: 2025-03-10}]
roles: [{id: sfp, requires: [medical]}]
participants: [{id: ann, role: sfp, crew: c1}, {id: bob, role: sfp, crew: c2}]
instructors: [{id: medic, qualifications: [medical]}]
modules: [{id: med_course, sessions: 5, session_hours: 8, instructor: medical}]
competencies: [{id: medical, requires: [med_course], deadline: exams}]
repairs:
  levers:
    - {kind: capacity, instructor: medic, max: 1, cost: 30}
    - {kind: instructor, qualification: medical, cost: 60}
""")
    ge = ex.goals[0]
    texts = [(f.text, f.cost) for f in ge.fixes[:2]]
    assert texts == [("let medic teach 2 sessions at a time (was 1; repairs lever 1)", 30),
                     ("add one instructor qualified for medical", 60)]


def test_caps_of_their_own_weeks_rise_as_repair_raises_them(tmp_path: Path) -> None:
    """Tests the load fix of a participant whose only weekly cap is one week's own (8 h in the week of 10 Mar
    2025): 49 one-hour lectures before the exams on Mon 17 Mar, the week of 3 Mar holds 40 (five 8-h days) and
    the capped week 8, so it needs 1 h more: 4 points, as repair's whole-window lever raises it. Explain offered only to
    lift the caps (60, "no repair lever")."""
    ex = _explain(tmp_path, """
gates: [{id: exams, date: 2025-03-17}]
roles: [{id: sfp, requires: [comp]}]
participants:
  - {id: ann, role: sfp, crew: c1, load: {weeks: [{from: 2025-03-10, to: 2025-03-16, max_hours_per_week: 8}]}}
modules: [{id: lectures, sessions: 49, session_hours: 1}]
competencies: [{id: comp, requires: [lectures], deadline: exams}]
""")
    (ge,) = ex.goals
    fix = next(f for f in ge.fixes if f.key.startswith("load:"))
    assert (fix.text, fix.cost) == ("raise ann's weekly caps of their own weeks by 1 h", 4)


def test_a_lever_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    """Tests the lever's number: a load lever with a weekly and a daily raise (two levers inside), then a
    workdays lever: the workdays lever is the file's second, "repairs lever 2" (it read 3). One more flight
    day is needed (the plane flies Wed 5 and Sat 8 Mar 2025; Sat 8 Mar is closed)."""
    ex = _explain(tmp_path, """
gates: [{id: exams, date: 2025-03-17}]
roles: [{id: sfp, requires: [zero_g]}]
participants: [{id: ann, role: sfp, crew: c1, load: {max_hours_per_day: 8, max_hours_per_week: 40}}]
resources: [{id: plane, capacity: 10, unit: participants, available_dates: [2025-03-05, 2025-03-08]}]
modules: [{id: flights, sessions: 2, session_hours: 2, resources: [plane], min_days_between_sessions: 1}]
competencies: [{id: zero_g, requires: [flights], deadline: exams}]
repairs:
  defaults: false
  levers:
    - {kind: load, extra_hours_per_week: 4, extra_hours_per_day: 2}
    - {kind: workdays, weekdays: [sat], cost: 8}
""")
    (ge,) = ex.goals
    assert ge.fixes[0].text.startswith("work on 1 closed day before 2025-03-17 (repairs lever 2)")


def test_a_lever_with_max_looks_beyond_its_nearest_days(tmp_path: Path) -> None:
    """Tests a dates lever with 'max: 1' whose nearest day (Thu 7 Mar 2024, next to the plane's 5 and 6 Mar) is
    ann's dentist day: Fri 8 Mar alone does it (three flights on different days), 20 points, proven least, as
    repair finds. Explain tried only the nearest day and found nothing."""
    path = tmp_path / "s.yaml"
    path.write_text("""name: max one
window: {start: 2024-03-04, launch: 2024-04-15}
calendar: {day_hours: 4, slot_minutes: 60, day_start: "09:00"}
gates: [{id: exams, date: 2024-04-08}]
roles: [{id: sfp, requires: [zerog]}]
participants: [{id: ann, role: sfp, crew: c1, blackouts: [{from: 2024-03-07, to: 2024-03-07}]}]
resources: [{id: plane, available_dates: [2024-03-05, 2024-03-06]}]
modules: [{id: flight, sessions: 3, session_hours: 2, resources: [plane], min_days_between_sessions: 1}]
competencies: [{id: zerog, requires: [flight], deadline: exams}]
repairs:
  defaults: false
  levers: [{kind: dates, resource: plane, within: {from: 2024-03-07, to: 2024-03-22}, max: 1, cost: 20}]
""", encoding="utf-8")
    ex = explain(load_scenario(path), PARAMS, time_limit=30.0)
    (ge,) = ex.goals
    fix = ge.fixes[0]
    assert (fix.text, fix.cost, fix.least) == ("open plane on 1 more working day: 2024-03-08 (repairs lever 1)", 20, True)


def test_of_two_fixes_of_equal_cost_the_lever_s_comes_first() -> None:
    """Tests the order of fixes: 60 points to hire (a lever) and 60 to make an instructor available all year (no
    lever): the hire is shown first (it sorted by key: the other one was shown as the cheapest)."""
    hire = Fix("instructors:q:1", "add one instructor qualified for q", 60, lambda plain: None)
    relax = Fix("available:instructor:fay:relax", "make fay available all year (no repair lever)", 60,
                lambda plain: None, lever=False)
    assert sorted([relax, hire], key=lambda f: f.order) == [hire, relax]
