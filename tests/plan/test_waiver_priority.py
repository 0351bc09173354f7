"""Phase 1's tie-break between pairs: a waivable competency waits for one that is not, the cheaper waiver
first (hand-derived: one tank day, 12 Feb 2025, for two one-day courses)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.sweep import sweep
from planner.plan.pipeline import plan, prepare
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams, solve
from tests.helpers import write

PARAMS = SolveParams(time_limit=10, deterministic=True)


def _tank(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """a1 needs ``first`` (cold_dip), b1 ``second`` (water_drill); each course takes the only tank day."""
    return {
        "name": "one tank day",
        "window": {"start": "2025-01-06", "launch": "2025-03-10"},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "day_hours": 8},
        "roles": [{"id": "ra", "requires": ["cold"]}, {"id": "rb", "requires": ["water"]}],
        "participants": [{"id": "a1", "role": "ra", "crew": "ca"}, {"id": "b1", "role": "rb", "crew": "cb"}],
        "resources": [{"id": "tank", "capacity": 1, "available_dates": ["2025-02-12"]}],
        "modules": [{"id": "cold_dip", "sessions": 1, "session_hours": 8, "resources": ["tank"], "roles": ["ra"]},
                    {"id": "water_drill", "sessions": 1, "session_hours": 8, "resources": ["tank"], "roles": ["rb"]}],
        "competencies": [{"id": "cold", "requires": ["cold_dip"], **first},
                         {"id": "water", "requires": ["water_drill"], **second}],
    }


@pytest.mark.parametrize("reverse", [False, True], ids=["as_written", "lists_reversed"])
def test_the_waivable_pair_waits(tmp_path: Path, reverse: bool) -> None:
    """Tests cold (waivable, 50) against water (not waivable): either plan meets 1 of 2 pairs, and only
    the one that trains b1 is "ready with waivers" (exit 6); the other leaves b1 NOT_READY (exit 3). The
    answer depended on the order of the lists in the file before."""
    data = _tank({"waivable": True, "waive_cost": 50}, {})
    if reverse:
        for key in ("roles", "participants", "modules", "competencies"):
            data[key] = data[key][::-1]
    out = plan(load_scenario(write(tmp_path, data)), PARAMS)
    status = {r.participant: r.status for r in out.readiness}
    assert status == {"a1": Verdict.WAIVED, "b1": Verdict.READY}


def test_the_cheaper_waiver_is_taken(tmp_path: Path) -> None:
    """Tests two waivable pairs, cold at 10 points and water at 500: the 10-point one is waived."""
    out = plan(load_scenario(write(tmp_path, _tank({"waivable": True, "waive_cost": 10},
                                                  {"waivable": True, "waive_cost": 500}))), PARAMS)
    assert {r.participant: r.status for r in out.readiness} == {"a1": Verdict.WAIVED, "b1": Verdict.READY}


def test_re_planning_settles_a_tie_as_it_was_published(tmp_path: Path) -> None:
    """Tests the last tier of phase 1: two pairs of equal standing (both waivable at 50) compete for the tank
    day; the one the published plan met is kept, whichever it is (re-planning with nothing new kept the count
    and could swap the pair: mission verdicts changed)."""
    data = _tank({"waivable": True, "waive_cost": 50}, {"waivable": True, "waive_cost": 50})
    _, pdata = prepare(load_scenario(write(tmp_path, data)))
    for published in (0, 1):
        result = solve(dataclasses.replace(pdata, published_goals=frozenset({published})), PARAMS)
        assert [g for g, ok in enumerate(result.goals_met) if ok] == [published]


def test_a_sweep_counts_waived_pairs(tmp_path: Path) -> None:
    """Tests sweep on the tank file (cold waivable, water not): 2 months before launch (10 Jan 2025 .. 10 Mar,
    the tank day 12 Feb inside), cold's row is WAIVED with 1 waived pair, and the counts add up to the total
    (it read UNKNOWN with 0 + 0 + 0 of 1)."""
    frame = sweep(load_scenario(write(tmp_path, _tank({"waivable": True, "waive_cost": 50}, {}))), [2], PARAMS)
    cold = frame[frame["competency"] == "cold"].iloc[0]
    assert (cold["verdict"], cold["waived"]) == ("WAIVED", 1)
    assert (frame[["ready", "not_ready", "unknown", "waived"]].sum(axis=1) == frame["total"]).all()
