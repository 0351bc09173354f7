"""The repair model on tiny cases: its implied cuts never cut off a real plan."""

from __future__ import annotations

from pathlib import Path

from ortools.sat.python import cp_model

from planner.data.repair_problem import build_repair_problem
from planner.model.levers import COST_SCALE, build_repair_model
from planner.scenario.load import load_scenario
from tests.helpers import scenario, write

# Crew c1: ann and bob. bob alone does 'own' (3 x 8 h, Mon-Wed), then both
# do the crew simulator 'sim' (2 x 8 h, Thu-Fri) before the exams on Monday
# 11 Mar 2024. ann's weekly cap of 16 h holds exactly her 16 h of 'sim'.
# bob's 'own' is a prerequisite of the crew event but takes none of ann's
# time: a cut that charged it to ann (24 + 16 > 16) would call this
# scenario impossible; it is ready as it is, at no cost.
CREW = scenario(
    calendar={"day_hours": 8, "slot_minutes": 60, "day_start": "08:00"},
    gates=[{"id": "exams", "date": "2024-03-11"}],
    roles=[{"id": "sfp", "requires": ["comp"]}, {"id": "pilot", "requires": ["comp"]}],
    participants=[
        {"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 16}},
        {"id": "bob", "role": "pilot", "crew": "c1"},
    ],
    modules=[
        {"id": "own", "sessions": 3, "session_hours": 8, "roles": ["pilot"]},
        {"id": "sim", "sessions": 2, "session_hours": 8, "joint": "crew", "prerequisites": ["own"]},
    ],
    competencies=[{"id": "comp", "requires": ["sim"], "deadline": "exams"}],
    repairs={"defaults": False, "levers": [{"kind": "load", "extra_hours_per_week": 8}]},
)


def _solve(path: Path) -> tuple[str, int, float]:
    rp = build_repair_problem(load_scenario(path).scenario)
    model = build_repair_model(rp, range(len(rp.data.goals)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(model.ctx.model)
    assert model.levers.shortfall is not None
    return solver.status_name(status), solver.value(model.levers.shortfall), solver.objective_value / COST_SCALE


def test_crew_mates_prerequisites_are_not_charged_to_a_participant(tmp_path: Path) -> None:
    assert _solve(write(tmp_path, CREW)) == ("OPTIMAL", 0, 0.0)


def test_one_hour_too_many_costs_the_hours(tmp_path: Path) -> None:
    # ann's cap at 15 h: she needs 1 more hour of weekly cap, 4 points (the default cost).
    data = {**CREW, "participants": [{**CREW["participants"][0], "load": {"max_hours_per_week": 15}},
                                     CREW["participants"][1]]}
    assert _solve(write(tmp_path, data)) == ("OPTIMAL", 0, 4.0)
