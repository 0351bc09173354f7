"""Every bundled scenario, end to end: validate, plan, verify, verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.data.result import SolveStatus
from planner.plan.pipeline import plan, schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates, verify_schedule

SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_bundled_scenario_plans_and_verifies(path: Path) -> None:
    """Tests that a bundled scenario yields a proven, independently verified verdict."""
    out = plan(load_scenario(path), SolveParams(time_limit=40))
    assert out.result.schedule is not None
    assert verify_schedule(out.data, out.result.schedule, out.result.goals_met) == []
    assert verify_dates(out.scenario, schedule_rows(out.grid, out.data, out.result)) == []
    # The readiness question must be settled, never left UNKNOWN.
    assert out.result.status == SolveStatus.OPTIMAL
    assert out.overall in (Verdict.READY, Verdict.NOT_READY)
    if path.name == "challenge-2021.yaml":
        assert out.overall == Verdict.READY
    if path.name in ("ms20-2021.yaml", "gctc-2021.yaml"):
        # The 2021 centre: each mission ready by its prime crew, the backups too.
        assert out.overall == Verdict.READY
        assert all(r.status == Verdict.READY for r in out.readiness)
        assert [m.mission for m in out.missions] == (["ms19", "ms20"] if path.name == "gctc-2021.yaml" else ["ms20"])
    if path.name == "challenge-2021-2months.yaml":
        assert out.overall == Verdict.NOT_READY
        not_ready = [r for r in out.readiness if r.status == Verdict.NOT_READY]
        assert not_ready and all(r.reason for r in not_ready)
