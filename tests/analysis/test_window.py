"""``planner min-window`` and ``planner sweep`` on tiny scenarios with hand-derived answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.analysis.sweep import months_before, sweep
from planner.analysis.window import (
    min_window,
    readiness_probe,
    reload,
    scenario_plain,
    set_window_start,
)
from planner.cli import app
from planner.data.result import Result, SolveStatus
from planner.plan import pipeline
from planner.plan.pipeline import prepare
from planner.plan.readiness import Verdict
from planner.plan.relax import relaxation_proof, screen_goals
from planner.report.text import verdict_table
from planner.scenario.load import LoadedScenario, load_scenario
from planner.solve.run import SolveParams

DATA = Path(__file__).parents[1] / "data"
PARAMS = SolveParams(time_limit=5.0, num_workers=2)
runner = CliRunner()


def test_min_window_matches_hand_count() -> None:
    """Tests tiny_window: 25 full-day sessions before Mon 7 June need a start on Mon 3 May (35 days).

    The derivation is in the comment at the top of tests/data/tiny_window.yaml.
    """
    result = min_window(load_scenario(DATA / "tiny_window.yaml"), PARAMS)
    assert result.exact and result.verdict == Verdict.READY
    assert (result.ready_days, result.not_ready_days) == (35, 34)
    assert result.start_for(35) == dt.date(2021, 5, 3)
    ready = result.ready_probe
    assert ready is not None and ready.outcome is not None and ready.outcome.overall == Verdict.READY
    assert "35 days (start 2021-05-03" in result.summary()


def test_min_window_with_zero_spare_hours() -> None:
    """Tests benchmarks/cases/zero-spare-1.yaml (derivation in its header): 320 h of sessions that pack
    the 8-h days exactly fit from Mon 1 Feb (56 days before the launch, 40 working days) and not a day
    later (55 days: 312 h). The answer is exact both ways: a verified plan that uses every working hour."""
    case = Path(__file__).parents[2] / "benchmarks" / "cases" / "zero-spare-1.yaml"
    result = min_window(load_scenario(case), SolveParams(time_limit=30.0, deterministic=True))
    assert result.exact and (result.ready_days, result.not_ready_days) == (56, 55)
    assert result.start_for(56) == dt.date(2021, 2, 1)


def test_a_probe_takes_a_greedy_plan_meeting_every_pair() -> None:
    """Tests a min-window probe at the zero-spare length of benchmarks/cases/zero-spare-2.yaml (two trainees,
    one simulator; from Mon 1 Feb every working hour is used): the greedy packs it at once, so the probe is
    READY within a 0.2-unit limit (it read UNKNOWN, "best plan meets 0 of 2 pairs", where plan's greedy start
    meets both; min-window --time-limit 2 answered "between 56 and 59 days")."""
    case = Path(__file__).parents[2] / "benchmarks" / "cases" / "zero-spare-2.yaml"
    verdict, why, _ = readiness_probe(load_scenario(case, edits=["window.start=2021-02-01"]),
                                      SolveParams(time_limit=0.2, deterministic=True))
    assert verdict == Verdict.READY, why


def test_min_window_beyond_the_own_window() -> None:
    """Tests tiny_season: summer-only sessions, launch Mon 12 April 2021.

    Two sessions on distinct working days inside 1 Jun .. 31 Aug: the latest
    are Fri 28 and Mon 31 Aug 2020, so the window must start by 28 Aug 2020:
    227 days; a start on Sat 29 Aug leaves one summer working day.
    """
    result = min_window(load_scenario(DATA / "tiny_season.yaml"), PARAMS)
    assert (result.ready_days, result.not_ready_days) == (227, 226)
    assert result.start_for(227) == dt.date(2020, 8, 28)


def test_window_edit_drops_campaign_days_and_blackouts_outside() -> None:
    """Tests that moving the start drops dates the schema would reject and closes a resource with none left."""
    loaded = load_scenario(DATA / "tiny_capacity.yaml")
    plain = scenario_plain(loaded.scenario)
    plain["resources"][0]["available_dates"] = [dt.date(2021, 3, 2), dt.date(2021, 3, 20)]
    plain["participants"][0]["blackouts"] = [{"from": dt.date(2021, 3, 1), "to": dt.date(2021, 3, 3), "reason": ""}]
    set_window_start(plain, dt.date(2021, 3, 5))
    assert plain["resources"][0]["available_dates"] == [dt.date(2021, 3, 20)]
    assert plain["participants"][0]["blackouts"] == []
    reload(loaded, plain)  # valid
    set_window_start(plain, dt.date(2021, 3, 21))
    assert plain["resources"][0]["available_dates"] == []
    assert plain["resources"][0]["blackouts"][0]["from"] == dt.date(2021, 3, 21)


def test_months_before_clamps_to_month_end() -> None:
    """Tests month arithmetic: 31 March minus one month is 28 February."""
    assert months_before(dt.date(2021, 3, 31), 1) == dt.date(2021, 2, 28)
    assert months_before(dt.date(2021, 10, 5), 2) == dt.date(2021, 8, 5)


def test_sweep_counts_ready_per_competency() -> None:
    """Tests tiny_capacity: one month leaves no one ready, two months everyone."""
    frame = sweep(load_scenario(DATA / "tiny_capacity.yaml"), [1, 2], PARAMS)
    all_rows = frame[frame["competency"] == "ALL"].set_index("months")
    assert all_rows.loc[1, "ready"] == 0 and all_rows.loc[2, "ready"] == 2
    assert all_rows.loc[2, "verdict"] == "READY"


def test_cli_min_window_and_sweep_write_files(tmp_path: Path) -> None:
    """Tests both commands end to end: exit codes, window.csv with the plan, sweep.csv and sweep.png."""
    result = runner.invoke(app, ["min-window", str(DATA / "tiny_window.yaml"), "--out", str(tmp_path / "w"), "-q"])
    assert result.exit_code == 0, result.output
    assert "shortest window: 35 days" in result.output
    assert (tmp_path / "w" / "schedule.csv").exists()
    assert set(pd.read_csv(tmp_path / "w" / "window.csv")["days"]) >= {34, 35}
    result = runner.invoke(app, ["sweep", str(DATA / "tiny_capacity.yaml"), "--months", "1,2", "--out",
                                 str(tmp_path / "s"), "--time-limit", "5", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "sweep.png").stat().st_size > 0
    assert list(pd.read_csv(tmp_path / "s" / "sweep.csv")["months"].unique()) == [1, 2]


def test_cli_sweep_rejects_bad_months(tmp_path: Path) -> None:
    """Tests that --months must be whole numbers in 1..12 (a usage error, exit 2)."""
    result = runner.invoke(app, ["sweep", str(DATA / "tiny_capacity.yaml"), "--months", "two", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 2 and "--months" in result.output


def _ann_and_bob() -> tuple[LoadedScenario, dict[str, Any]]:
    """tiny_window from Mon 3 May with Bob (no cap) and Ann (8 h a week) in one crew."""
    plain = scenario_plain(load_scenario(DATA / "tiny_window.yaml").scenario)
    set_window_start(plain, dt.date(2021, 5, 3))
    plain["participants"] = [
        {"id": "bob", "role": "sfp", "crew": "c1"},
        {"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}},
    ]
    return reload(load_scenario(DATA / "tiny_window.yaml"), plain), plain


def test_relaxation_proof_names_the_overloaded_participant(tmp_path: Path) -> None:
    """Tests the one-participant relaxation on tiny_window with two trainees in one crew.

    Window Mon 3 May .. launch Mon 7 June: 25 working days of 2 h. Ann may
    train 8 h a week, so 5 weeks give her at most 40 h < the 50 h module:
    infeasible alone. Bob has no cap and fits (25 x 2 h = 50 h), so the
    proof must name Ann, and the probe must say NOT_READY, not UNKNOWN.
    """
    loaded, plain = _ann_and_bob()
    _, data = prepare(loaded)
    proof = relaxation_proof(data, PARAMS, 5.0)
    assert proof is not None and proof.startswith("proven: ann alone")
    verdict, text, _ = readiness_probe(loaded, PARAMS)
    assert verdict == Verdict.NOT_READY and "ann alone" in text
    plain["participants"][1]["load"] = {"max_hours_per_week": 10}  # 5 x 10 h = 50 h: fits exactly
    _, data = prepare(reload(loaded, plain))
    assert relaxation_proof(data, PARAMS, 5.0) is None


def test_plan_falls_back_on_a_relaxation_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests plan() when its solve gives up (UNKNOWN, no plan), as a short time limit would.

    The pairs stay UNKNOWN (nothing is known pair by pair), but Ann's part
    alone is infeasible (at most 40 h < 50 h, see above), so the overall
    verdict is a proven NOT_READY that says why, and the exit code is 3.
    """
    loaded, _ = _ann_and_bob()
    monkeypatch.setattr(pipeline, "solve", lambda *args, **kwargs: Result(SolveStatus.UNKNOWN, None))
    # Without the per-pair screening (see the next test), which would prove Ann's pair alone.
    monkeypatch.setattr(pipeline, "screen_goals", lambda *args, **kwargs: {})
    out = pipeline.plan(loaded, PARAMS, confirm=False)
    assert {r.status for r in out.readiness} == {Verdict.UNKNOWN}
    assert out.overall == Verdict.NOT_READY
    assert out.proof.startswith("proven: ann alone")
    assert "Not everybody can be ready (proven: ann alone" in verdict_table(out)


def test_plan_screens_a_pair_impossible_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the per-pair screening before the solve (same Ann and Bob, solve giving up).

    Ann's one competency needs the 50-h module; her 8 h a week over the five
    weeks before the launch give at most 40 h, so her pair is NOT_READY with
    those numbers, whatever the solve says. Bob's pair, left open by the solve, gets
    a plan built one participant at a time (the solve proved nothing): READY. One
    NOT_READY pair proves the overall NOT_READY, so no relaxation is needed.
    """
    loaded, _ = _ann_and_bob()
    monkeypatch.setattr(pipeline, "solve", lambda *args, **kwargs: Result(SolveStatus.UNKNOWN, None))
    out = pipeline.plan(loaded, PARAMS, confirm=False)
    status = {r.participant: r for r in out.readiness}
    assert status["bob"].status == Verdict.READY
    assert [p.phase for p in out.result.phases][:1] == ["decompose"]
    assert status["ann"].status == Verdict.NOT_READY
    assert "its modules need 50 h, at most 40 h fit under the load caps" in status["ann"].reason
    assert out.overall == Verdict.NOT_READY and out.proof == ""


def test_screening_tells_crew_mates_caps_apart() -> None:
    """Tests that a joint module carries a crew-mate's cap into each pair's proof.

    Two crews of two take the 50-h module together (joint: crew), window from
    Mon 3 May as above. In crew c1 Amy may train 8 h a week: at most 40 h, so
    the joint sessions cannot all happen, and both c1 pairs (Ann's through
    Amy) are impossible alone. Crew c2 has no cap: 25 days x 2 h = 50 h fit, so
    its pairs are possible, although Bea's part looks like Ann's but for the
    crew-mate's cap (a cache keyed without it would wrongly reuse Ann's answer).
    """
    _, plain = _ann_and_bob()
    plain["participants"] = [
        {"id": "ann", "role": "sfp", "crew": "c1"},
        {"id": "amy", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}},
        {"id": "bea", "role": "sfp", "crew": "c2"},
        {"id": "bet", "role": "sfp", "crew": "c2"},
    ]
    plain["modules"][0]["joint"] = "crew"
    _, data = prepare(reload(load_scenario(DATA / "tiny_window.yaml"), plain))
    found = screen_goals(data, PARAMS, 5.0)
    assert sorted(data.participants[data.goals[g].participant].id for g in found) == ["amy", "ann"]


def test_min_window_uses_the_relaxation_bound() -> None:
    """Tests min-window when one trainee's own hours decide it (tiny_window, Ann and Bob).

    Ann may train 8 h a week (four 2-h days), and needs 25 sessions before
    the launch on Mon 7 June 2021: four a week in the six weeks from Mon 26
    April to Fri 4 June give 24, so the 25th must fall in the week before;
    the latest start is Fri 23 April, 45 days. From Sat 24 April (44 days)
    her part alone is infeasible, which proves the whole NOT_READY; Bob (no
    cap) needs only 35 days, so the whole is READY at 45.
    """
    plain = scenario_plain(load_scenario(DATA / "tiny_window.yaml").scenario)
    plain["participants"] = [
        {"id": "bob", "role": "sfp", "crew": "c1"},
        {"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}},
    ]
    result = min_window(reload(load_scenario(DATA / "tiny_window.yaml"), plain), PARAMS)
    assert (result.ready_days, result.not_ready_days) == (45, 44)
    assert result.start_for(45) == dt.date(2021, 4, 23)
    (p44,) = [p for p in result.probes if p.days == 44]
    assert p44.verdict == Verdict.NOT_READY and "ann alone" in p44.proof


def test_sweep_row_with_a_proven_pair_is_not_ready_and_bad_lengths_are_skipped() -> None:
    """Tests that a window whose pairs are proven NOT_READY (tiny_capacity, one month: nobody
    fits) is NOT_READY, never UNKNOWN, and that a 13-month length is skipped, not fatal."""
    frame = sweep(load_scenario(DATA / "tiny_capacity.yaml"), [1, 2, 13], PARAMS)
    assert sorted(set(frame["months"])) == [1, 2]
    one = frame[frame["months"] == 1]
    assert (one["verdict"] == "NOT_READY").all() and (one["not_ready"] > 0).all()
