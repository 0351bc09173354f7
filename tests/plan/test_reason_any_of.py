"""The reason of a pair that cannot be met alone, with alternatives (hand-derived)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.plan.pipeline import plan
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import write

# Water is one of two 4-h courses, the pool's or the sea's; ann trains at most 6 h a week, and the exams are
# on Mon 10 Mar 2025 (one week). Either course fits her week, but the pool and the skipper are there only
# from 24 Mar: NOT_READY, proven. The reason added the two courses up ("its modules need 8 h, at most 6 h
# fit"), but nobody takes both: 4 h fit, so the hours are not the reason.
ANY_OF: dict[str, Any] = {
    "name": "any_of reason",
    "window": {"start": "2025-03-03", "launch": "2025-04-11"},
    "calendar": {"day_hours": 8},
    "gates": [{"id": "exams", "date": "2025-03-10"}],
    "roles": [{"id": "sfp", "requires": ["water"]}],
    "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 6}}],
    "resources": [{"id": "pool", "capacity": 1, "available": [{"from": "2025-03-24", "to": "2025-06-30"}]}],
    "instructors": [{"id": "skipper", "qualifications": ["sea"], "available": [{"from": "2025-03-24", "to": "2025-06-30"}]}],
    "modules": [{"id": "pool_course", "hours": 4, "session_hours": 4, "resources": ["pool"]},
                {"id": "sea_course", "hours": 4, "session_hours": 4, "instructor": "sea"}],
    "competencies": [{"id": "water", "requires": [{"any_of": ["pool_course", "sea_course"]}], "deadline": "exams"}],
}


def test_alternatives_are_not_added_up(tmp_path: Path) -> None:
    out = plan(load_scenario(write(tmp_path, ANY_OF)), SolveParams(time_limit=10, deterministic=True))
    (row,) = out.readiness
    assert row.status == Verdict.NOT_READY and "proven" in row.reason
    assert "need 8 h" not in row.reason


def test_the_lightest_alternative_counts_when_the_hours_are_the_reason(tmp_path: Path) -> None:
    """Tests the hours reason with alternatives: a 2-h weekly cap, both venues open, 2-h sessions, the pool
    course 4 h and the sea course 6 h: the lighter needs 4 h, at most 2 h fit in the week: "need 4 h" (not 10)."""
    data = {**ANY_OF, "participants": [{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 2}}],
            "resources": [{"id": "pool", "capacity": 1}], "instructors": [{"id": "skipper", "qualifications": ["sea"]}],
            "modules": [{"id": "pool_course", "hours": 4, "session_hours": 2, "resources": ["pool"]},
                        {"id": "sea_course", "hours": 6, "session_hours": 2, "instructor": "sea"}]}
    out = plan(load_scenario(write(tmp_path, data)), SolveParams(time_limit=10, deterministic=True))
    (row,) = out.readiness
    assert row.status == Verdict.NOT_READY and "need 4 h, at most 2 h fit" in row.reason
