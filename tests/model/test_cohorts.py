"""Cohort classes (``joint: mission`` and ``joint: cohort``): one session for the whole class,
room capacity checked, located invalid inputs; hand-derived."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.exceptions import ScenarioError
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from tests.helpers import run, scenario, sessions, write

DATA = Path(__file__).parents[1] / "data"
# tests/helpers BASE: Mon-Fri, 4-hour days, window Mon 4 Mar .. launch Mon 15 Apr 2024.
PEOPLE = [
    {"id": "ann", "role": "sfp", "crew": "c1", "cohort": "k1"},
    {"id": "bob", "role": "sfp", "crew": "c2", "cohort": "k1",
     "blackouts": [{"from": "2024-03-04", "to": "2024-03-04"}]},
    {"id": "cat", "role": "sfp", "crew": "c3"},
]
LECTURE = {"id": "m1", "hours": 4, "session_hours": 4, "resources": ["room"]}


def _plan(tmp_path: Path, joint: str, capacity: int = 3):  # type: ignore[no-untyped-def]
    return run(tmp_path, scenario(participants=PEOPLE, modules=[{**LECTURE, "joint": joint}],
                                  resources=[{"id": "room", "capacity": capacity, "unit": "participants"}]))


def test_mission_class_meets_once_for_everyone(tmp_path: Path) -> None:
    """Tests joint: mission (one launch: everybody): bob is away Mon 4 Mar, so the one lecture
    for all three is on Tue 5; without joint, ann and cat take it on Mon 4."""
    alone = _plan(tmp_path, "none")
    assert sessions(alone, "m1", "ann") == [("2024-03-04T09:00", "2024-03-04T13:00")]
    together = _plan(tmp_path, "mission")
    assert {p: sessions(together, "m1", p)[0][0] for p in ("ann", "bob", "cat")} == {
        "ann": "2024-03-05T09:00", "bob": "2024-03-05T09:00", "cat": "2024-03-05T09:00"}
    assert together.data.job_of("all/m1") >= 0


def test_cohort_trains_together_and_others_alone(tmp_path: Path) -> None:
    """Tests joint: cohort: ann and bob (cohort k1) meet on Tue 5 (bob away Mon 4); cat, in no
    cohort, trains alone on Mon 4."""
    out = _plan(tmp_path, "cohort")
    assert sessions(out, "m1", "ann") == sessions(out, "m1", "bob") == [("2024-03-05T09:00", "2024-03-05T13:00")]
    assert sessions(out, "m1", "cat") == [("2024-03-04T09:00", "2024-03-04T13:00")]


def test_room_too_small_for_the_class(tmp_path: Path) -> None:
    """Tests the room capacity: 2 seats hold the cohort k1 (2) but not the mission class (3),
    which can never meet: NOT_READY for all three, with a reason."""
    assert _plan(tmp_path, "cohort", capacity=2).overall == Verdict.READY
    out = _plan(tmp_path, "mission", capacity=2)
    assert out.overall == Verdict.NOT_READY
    assert all(r.status == Verdict.NOT_READY and r.reason for r in out.readiness)


def test_cohort_across_missions_is_a_located_error(tmp_path: Path) -> None:
    """Tests the invalid inputs: a cohort split over two missions, and joint: cohort without any cohort."""
    text = (DATA / "two_missions.yaml").read_text()
    text = text.replace("{id: p1, role: sfp, crew: a1}", "{id: p1, role: sfp, crew: a1, cohort: k}")
    text = text.replace("{id: p2, role: sfp, crew: b1}", "{id: p2, role: sfp, crew: b1, cohort: k}")
    text = text.replace("hours: 8, session_hours: 4, resources: [sim]", "hours: 8, session_hours: 4, joint: cohort, "
                        "resources: [sim]")
    path = tmp_path / "split.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=r"modules\[1\]\.joint.*cohort 'k' trains simdrill together but p1 "
                                            r"and p2 are in different missions"):
        load_scenario(path)
    sc = scenario(modules=[{"id": "m1", "hours": 4, "session_hours": 4, "joint": "cohort"}])
    with pytest.raises(ScenarioError, match=r"no participant taking the module names a cohort"):
        load_scenario(write(tmp_path, sc))
