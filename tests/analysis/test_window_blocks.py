"""``min-window`` and ``sweep`` on a mission's window or one training block (hand-derived answers)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from planner.analysis.sweep import sweep
from planner.analysis.window import WindowResult, min_window
from planner.analysis.window_target import Target, TargetError, resolve_target
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams

DATA = Path(__file__).parents[1] / "data"
PARAMS = SolveParams(time_limit=5.0, num_workers=2)


def test_min_window_moves_the_named_block_to_the_hand_count() -> None:
    """Tests two_blocks: block b2 must start by Mon 22 Feb 2021 (7 days), 6 days proven not enough.

    The derivation is in the comment at the top of tests/data/two_blocks.yaml:
    5 full-day drill sessions inside b2, which ends Sun 28 Feb, need the
    working days Mon 22 .. Fri 26 Feb.
    """
    loaded = load_scenario(DATA / "two_blocks.yaml")
    target = resolve_target(loaded.scenario, block="b2")
    result = min_window(loaded, PARAMS, target=target)
    assert result.exact and result.verdict == Verdict.READY
    assert (result.ready_days, result.not_ready_days) == (7, 6)
    assert result.start_for(7) == dt.date(2021, 2, 22)
    below = next(p for p in result.probes if p.days == 6)
    assert below.verdict == Verdict.NOT_READY and below.proof.startswith("proven")
    assert result.summary() == ("mission m, block b2 (missions.m.blocks.b2.from): shortest 7 days "
                                "(start 2021-02-22, last day 2021-02-28); 6 days is proven not enough")
    ready = result.ready_probe
    assert ready is not None and ready.outcome is not None and ready.outcome.overall == Verdict.READY
    # Only b2's start moved, by an ordinary edit; b1 and the launch are as in the file.
    moved = ready.outcome.loaded
    assert moved.edits == ("missions.m.blocks.b2.from=2021-02-22",)
    (mission,) = moved.scenario.missions
    assert mission.launch == dt.date(2021, 3, 1)
    assert [(b.id, b.start, b.end) for b in mission.blocks] == [
        ("b1", dt.date(2021, 1, 4), dt.date(2021, 1, 29)), ("b2", dt.date(2021, 2, 22), None)]


def test_min_window_on_a_mission_start_keeps_the_other_mission() -> None:
    """Tests two_missions, mission a: READY at the 28-day minimum (start Mon 1 Feb for launch 1 Mar).

    a needs 16 + 8 hours before its exams (15 Feb) and fitcheck after its
    pre-launch gate; 1..12 Feb holds 10 working days, so the shortest
    allowed window is ready and nothing shorter may be asked.
    """
    loaded = load_scenario(DATA / "two_missions_window.yaml")
    result = min_window(loaded, PARAMS, target=resolve_target(loaded.scenario, "a"))
    assert result.exact and (result.ready_days, result.not_ready_days) == (28, 27)
    assert "mission a, the whole window (missions.a.start): shortest 28 days (start 2021-02-01" in result.summary()
    ready = result.ready_probe
    assert ready is not None and ready.outcome is not None
    a, b = ready.outcome.loaded.scenario.missions
    assert a.start == dt.date(2021, 2, 1) and b.blocks[1].start == dt.date(2021, 3, 1)


def _mission_a_with(tmp_path: Path, who: int, hours: int) -> WindowResult:
    """min-window of mission a in two_missions_window.yaml with participant ``who`` needing ``hours`` of systems."""
    data = yaml.safe_load((DATA / "two_missions_window.yaml").read_text())
    data["participants"][who]["modules"] = {"systems": {"hours": hours}}
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data))
    loaded = load_scenario(path)
    return min_window(loaded, PARAMS, target=resolve_target(loaded.scenario, "a"))


def test_min_window_of_a_mission_asks_only_its_pairs(tmp_path: Path) -> None:
    """Tests the pairs a mission's probe asks: two_missions with p2 (mission b's prime) needing 400 h of
    systems inside block b1 (4 weeks, at most 160 h): b can never be ready, at any window of a. Mission a's
    answer is still 28 days (the derivation above), not "not ready at any length": b's pairs are b's
    question. The READY plan's readiness still reads every pair of the file (p2's as that plan leaves them)."""
    result = _mission_a_with(tmp_path, 1, 400)
    assert result.exact and (result.ready_days, result.not_ready_days) == (28, 27)
    ready = result.ready_probe
    assert ready is not None and ready.outcome is not None and "pairs of the mission" in ready.proof
    assert {r.participant for r in ready.outcome.readiness} == {"p1", "p2", "p3"}
    assert all(r.status == Verdict.READY for r in ready.outcome.readiness if r.participant == "p1")
    # p2's unmet pairs were not asked (they read "time limit", though no limit was reached).
    assert all(r.reason.startswith("not asked by this probe") for r in ready.outcome.readiness
               if r.participant == "p2" and r.status == Verdict.UNKNOWN)
    assert any(r.participant == "p2" and r.status == Verdict.UNKNOWN for r in ready.outcome.readiness)


def test_a_mission_never_ready_is_not_ready_at_its_longest_window(tmp_path: Path) -> None:
    """Tests the longest window of mission a: 366 - 45 = 321 days (b launches 45 days later and the
    centre's window may not exceed 366). p1 needs 2000 h of systems before a's exams (15 Feb 2021); from
    14 Apr 2020 that is about 218 working days, 1744 h: NOT_READY at every length, proven, without asking for
    a 411-day centre window (a ScenarioError before)."""
    result = _mission_a_with(tmp_path, 0, 2000)
    assert result.verdict == Verdict.NOT_READY and result.not_ready_days == 321
    assert "not ready even at the longest allowed (321 days, proven)" in result.summary()


def test_targets_and_their_bounds() -> None:
    """Tests what each selection varies and the lengths allowed: the top-level window as before; a
    mission's 28..366 days before launch (the centre's window, to the last launch, at most 366 too); a later block from the day after the block before it;
    the first block within the mission's 366 days."""
    tiny = resolve_target(load_scenario(DATA / "tiny_window.yaml").scenario)
    assert tiny.whole and tiny.label == "the whole window" and (tiny.shortest, tiny.longest) == (28, 366)
    sc = load_scenario(DATA / "two_missions_window.yaml").scenario
    # a launches 45 days before b: a longer window of a would stretch the centre's past 366 days
    assert resolve_target(sc, "a") == Target(dt.date(2021, 3, 1), dt.date(2021, 1, 4), 28, 366 - 45, "a")
    b2 = resolve_target(sc, "b", "b2")  # b1 ends Fri 29 Jan; b2 ends the day before launch 15 Apr
    assert (b2.end, b2.start, b2.shortest, b2.longest) == (dt.date(2021, 4, 15), dt.date(2021, 3, 1), 1, 75)
    assert b2.path == "missions.b.blocks.b2.from" and b2.label == "mission b, block b2"
    b1 = resolve_target(sc, "b", "b1")  # 75 days from 30 Jan to launch already count for the mission
    assert (b1.end, b1.shortest, b1.longest) == (dt.date(2021, 1, 30), 1, 366 - 75)


@pytest.mark.parametrize(("file", "mission", "block", "says"), [
    ("two_missions_window.yaml", None, None, "2 missions (a, b)"),
    ("two_missions_window.yaml", None, "b2", "2 missions (a, b)"),
    ("two_missions_window.yaml", "x", None, "no mission 'x' (missions: a, b)"),
    ("two_missions_window.yaml", "b", None, "mission b trains in blocks (b1, b2)"),
    ("two_missions_window.yaml", "b", "zz", "no block 'zz' (blocks: b1, b2)"),
    ("two_missions_window.yaml", "a", "b1", "mission a has no block 'b1'"),
    ("tiny_window.yaml", "a", None, "apply to a scenario with missions"),
    ("tiny_window.yaml", None, "b1", "apply to a scenario with missions"),
])
def test_selections_that_do_not_fit(file: str, mission: str | None, block: str | None, says: str) -> None:
    """Tests that a selection that does not fit the file is refused with what there is."""
    with pytest.raises(TargetError, match=re.escape(says)):
        resolve_target(load_scenario(DATA / file).scenario, mission, block)


def test_sweep_varies_the_block_and_names_it() -> None:
    """Tests a one-month b2 (Mon 1 .. Sun 28 Feb, 28 days) READY; two months (59 days) cannot fit
    after b1 (at most 30 days) and is skipped."""
    loaded = load_scenario(DATA / "two_blocks.yaml")
    frame = sweep(loaded, [1, 2], PARAMS, target=resolve_target(loaded.scenario, block="b2"))
    assert list(frame["months"].unique()) == [1]
    row = frame[frame["competency"] == "ALL"].iloc[0]
    assert (row["window_start"], row["window_days"], row["verdict"]) == ("2021-02-01", 28, "READY")
    assert set(frame["varied"]) == {"mission m, block b2"}
