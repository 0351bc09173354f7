"""Robustness studies on a tiny scenario with hand-derived answers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.analysis.stress import _map, estimate, monte_carlo, outage_study_one, wilson
from planner.cli import app
from planner.plan.pipeline import prepare
from planner.scenario.load import load_scenario
from planner.scenario.schema import Disruptions
from planner.solve.budget import note_wall_cut, wall_cuts
from tests.helpers import scenario, write

runner = CliRunner()


def _sc(**extra: Any) -> dict[str, Any]:
    # Three full-day simulator sessions before the exam on Mon 11 March: the
    # five working days Mon 4 - Fri 8 leave two days of slack.
    return scenario(
        gates=[{"id": "exam", "date": "2024-03-11"}],
        resources=[{"id": "sim", "capacity": 1}],
        modules=[{"id": "m1", "hours": 12, "session_hours": 4, "resources": ["sim"]}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exam"}],
        **extra,
    )


def test_largest_outage_is_the_slack(tmp_path: Path) -> None:
    """Tests that any 2-day outage is survived and some 3-day one is not (5 days, 3 needed)."""
    grid, data = prepare(load_scenario(write(tmp_path, _sc())))
    for kind, index in (("participant", 0), ("resource", 0)):
        res = outage_study_one(data, grid, kind, index, "x", max_days=5, stride=1, time_limit=5, seed=0)  # type: ignore[arg-type]
        assert res.max_outage_days == 2 and not res.capped
        assert res.fails_first == "comp"


def test_monte_carlo_is_reproducible_across_executors(tmp_path: Path) -> None:
    """Tests that the same seed gives the same samples serially and in processes."""
    grid, data = prepare(load_scenario(write(tmp_path, _sc())))
    rates = Disruptions(sick_day_rate=0.3, outage_rate=0.1, outage_days=1)
    a = monte_carlo(data, grid, rates, 12, seed=7, time_limit=5, executor="serial")
    b = monte_carlo(data, grid, rates, 12, seed=7, time_limit=5, executor="local", workers=2)
    assert a == b
    assert {r.status for r in a} <= {"READY", "NOT_READY"}
    # With 30 % sick days some samples break the 2-day slack and some do not.
    assert 0 < estimate(a).ready < 12


def test_monte_carlo_extremes(tmp_path: Path) -> None:
    """Tests P=1 with no disruptions and P=0 when the participant is always ill."""
    grid, data = prepare(load_scenario(write(tmp_path, _sc())))
    none = estimate(monte_carlo(data, grid, Disruptions(), 3, 0, 5, "serial"))
    assert none.p_ready == 1.0
    ill = estimate(monte_carlo(data, grid, Disruptions(sick_day_rate=1.0), 3, 0, 5, "serial"))
    assert ill.p_ready == 0.0 and ill.ci_high < 0.6


def _cuts_twice_on_two(x: int) -> int:
    """A stress task that says two of its searches were cut by the wall clock when ``x`` is 2."""
    if x == 2:
        note_wall_cut("test")
        note_wall_cut("test")
    return 10 * x


def test_wall_cuts_in_worker_processes_reach_the_command() -> None:
    """Tests that wall-clock cuts counted in worker processes are counted in the parent too (the
    command's warning): 2 cuts in the task of 2, none in the others, whatever the executor; results
    in task order."""
    wall_cuts(reset=True)
    note_wall_cut("before")  # a forked worker inherits this one: it must not come back twice
    for executor in ("local", "serial"):
        assert _map(_cuts_twice_on_two, [1, 2, 3], executor, 2, None) == [10, 20, 30]  # type: ignore[arg-type]
        assert wall_cuts(reset=True) == 3  # the earlier one and the task's two
        note_wall_cut("before")
    wall_cuts(reset=True)


def test_wilson_interval() -> None:
    """Tests the Wilson interval against a textbook value (8/10: 0.490-0.943)."""
    lo, hi = wilson(8, 10)
    assert round(lo, 3) == 0.49 and round(hi, 3) == 0.943


def test_stress_cli_writes_table_and_chart(tmp_path: Path) -> None:
    """Tests the CLI outage study: CSV with one row per entity and a PNG."""
    out = tmp_path / "st"
    result = runner.invoke(
        app, ["stress", str(write(tmp_path, _sc())), "--out", str(out), "--max-outage-days", "4", "--stride", "1", "-q", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "stress.csv")
    assert set(frame["entity"]) == {"ann", "sim"}
    assert (frame["max_outage_days"] == 2).all()
    assert (out / "stress.png").stat().st_size > 1000


def test_stress_cli_monte_carlo_same_seed_same_numbers(tmp_path: Path) -> None:
    """Tests that two CLI Monte Carlo runs with one seed write identical CSVs."""
    sc = _sc(disruptions={"sick_day_rate": 0.3})
    path = write(tmp_path, sc)
    texts = []
    for k in range(2):
        out = tmp_path / f"mc{k}"
        result = runner.invoke(app, ["stress", str(path), "--samples", "6", "--seed", "3", "--out", str(out), "-q", "--executor", "serial"])
        assert result.exit_code == 0, result.output
        texts.append((out / "montecarlo.csv").read_text())
    assert texts[0] == texts[1]


def test_stress_bad_executor(tmp_path: Path) -> None:
    """Tests a clear error for an unknown executor."""
    result = runner.invoke(app, ["stress", str(write(tmp_path, _sc())), "--samples", "2", "--executor", "spark"])
    assert result.exit_code == 2 and "--executor must be" in result.output


def test_outage_study_tries_the_single_campaign_day(tmp_path: Path) -> None:
    """Tests that a resource open on one day only (Fri 15 Mar) cannot survive even a one-day
    outage, although the every-5th-working-day starts (Mon 4, Mon 11, Mon 18...) miss that day
    (shorter outages are now tried at every L-th day); it was reported to survive 4 days. And a scenario that is NOT_READY undisturbed is said so
    (exit 3), not stressed."""
    data = scenario(
        resources=[{"id": "sim", "capacity": 2, "available_dates": ["2024-03-15"]}],
        modules=[{"id": "m1", "sessions": 1, "session_hours": 2, "resources": ["sim"]}],
    )
    out = tmp_path / "st"
    result = CliRunner().invoke(app, ["stress", str(write(tmp_path, data)), "--max-outage-days", "3",
                                      "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "stress.csv").set_index("entity")
    assert frame.loc["sim", "max_outage_days"] == 0 and frame.loc["sim", "worst_start"] == "2024-03-15"
    data["modules"][0]["sessions"] = 3  # three sessions of 2 h, one 4-h day: impossible undisturbed
    result = CliRunner().invoke(app, ["stress", str(write(tmp_path, data, "b.yaml")), "--out", str(out), "-q"])
    assert result.exit_code == 3 and "nothing to stress" in result.output


def test_stress_ray_missing_is_a_usage_error_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that --executor ray without Ray installed exits 2 at once with the install command,
    before the reference plan is solved."""
    # The module, not the command function that planner.cli re-exports under the same name.
    stress_cli = sys.modules["planner.cli.stress"]
    monkeypatch.setattr(stress_cli, "find_spec", lambda name: None)  # as on a machine without Ray
    result = runner.invoke(app, ["stress", str(write(tmp_path, _sc())), "--samples", "2", "--executor", "ray"])
    assert result.exit_code == 2
    assert '.[ray]' in result.output and "--executor local" in result.output


def test_an_outage_near_the_end_runs_to_the_last_day(tmp_path: Path) -> None:
    """Tests an outage cap longer than the days left after a start: the outage runs to the last working day
    (those starts were skipped, so a cap of 12 "survived" with 2 cases tried, none of them near the end).

    The exam on Mon 11 Mar leaves Mon 4 - Fri 8 Mar, three sessions needed: any 3-day outage breaks it
    (2 days of slack), also one starting on Wed 6 Mar and running to Fri 8 Mar."""
    grid, data = prepare(load_scenario(write(tmp_path, _sc())))
    res = outage_study_one(data, grid, "resource", 0, "sim", max_days=12, stride=5, time_limit=5, seed=0)
    assert res.max_outage_days == 2 and not res.capped


def test_a_file_ready_with_waivers_is_stressed_on_the_pairs_that_cannot_be_waived(tmp_path: Path) -> None:
    """Tests stress on a file plan calls ready with waivers (exit 6): the waivable pair (its module open only in
    June, outside the window) is left out, and the study asks for the other one (it said "NOT_READY (proven)
    without any disruption", exit 3). The exam leaves 5 days for 3 sessions: 2 days of slack, as above."""
    data = _sc(roles=[{"id": "sfp", "requires": ["comp", "cold"]}])
    data["modules"].append({"id": "m2", "hours": 4, "session_hours": 4, "allowed": [{"from": "06-01", "to": "06-30"}]})
    data["competencies"].append({"id": "cold", "requires": ["m2"], "waivable": True})
    out = tmp_path / "st"
    result = CliRunner().invoke(app, ["stress", str(write(tmp_path, data)), "--max-outage-days", "3",
                                      "--stride", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ready with waivers" in result.output and "1 waivable pair left out" in result.output
    frame = pd.read_csv(out / "stress.csv").set_index("entity")
    assert frame.loc["sim", "max_outage_days"] == 2
