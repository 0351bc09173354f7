"""Sweep and stress writers on hand-built results: the terminal text and the files, no solving."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planner.analysis.stress import OutageResult, SampleResult, estimate
from planner.analysis.sweep import SWEEP_COLUMNS
from planner.report.stress import montecarlo_text, outage_text, write_montecarlo, write_outages
from planner.report.sweep import sweep_table, write_sweep
from planner.scenario.schema import Disruptions


def _sweep_frame() -> pd.DataFrame:
    """Two windows x (fire, ALL) for two participants; at 2 months one fire pair is unknown."""
    rows = [
        (2, "2021-08-05", 61, "fire", 1, 0, 1, 2, "UNKNOWN"),
        (2, "2021-08-05", 61, "ALL", 1, 0, 1, 2, "UNKNOWN"),
        (3, "2021-07-05", 92, "fire", 2, 0, 0, 2, "READY"),
        (3, "2021-07-05", 92, "ALL", 2, 0, 0, 2, "READY"),
    ]
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


def test_sweep_table_marks_unknown_pairs() -> None:
    """Tests the ready/total cells per competency and window, with '?' where a pair is unknown."""
    lines = sweep_table(_sweep_frame()).splitlines()
    # Rows keep the frame's competency order (fire before ALL), not the pivot's sorted one.
    assert [line.split()[0] for line in lines[2:]] == ["fire", "ALL"]
    assert lines[2].split()[1:] == ["1/2?", "2/2"]  # 2 months: 1 of 2 ready, 1 unknown; 3 months: both
    assert lines[0].split() == ["2", "mo", "3", "mo"]
    # A waived pair is marked (it read like one not ready): 1 of 2 ready at 3 months, the other waived.
    waived = _sweep_frame().assign(waived=[0, 0, 1, 1], ready=[1, 1, 1, 1], verdict=["UNKNOWN"] * 2 + ["WAIVED"] * 2)
    assert sweep_table(waived).splitlines()[2].split()[1:] == ["1/2?", "1/2", "+1w"]


def test_write_sweep_creates_the_folder_and_both_files(tmp_path: Path) -> None:
    """Tests that write_sweep makes a missing folder and writes the CSV unchanged and a PNG."""
    out = tmp_path / "a" / "b"
    written = write_sweep(_sweep_frame(), out, "tiny: ready per competency")
    assert written == [out / "sweep.csv", out / "sweep.png"]
    assert pd.read_csv(out / "sweep.csv").equals(_sweep_frame())
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"


def test_outage_text_and_files(tmp_path: Path) -> None:
    """Tests the outage table (whether each length is proven) and the CSV with every field."""
    results = [
        OutageResult("resource", "centrifuge", 3, False, "2021-07-12", "zero_g", 0, 8),
        OutageResult("participant", "ann", 10, True, "", "", 2, 20),
    ]
    text = outage_text(results).splitlines()
    assert text[0].split() == ["kind", "entity", "max_outage_days", "capped", "worst_start", "fails_first", "proven"]
    assert text[1].split() == ["resource", "centrifuge", "3", "False", "2021-07-12", "zero_g", "yes"]
    # 2 of ann's 20 cases ran out of time: her 10 days are not proven, and the table says so.
    assert "no (2 of 20 cases hit the time limit)" in text[2]
    assert "raise --time-limit" in text[-1]
    written = write_outages(results, tmp_path)
    assert written == [tmp_path / "stress.csv", tmp_path / "stress.png"]
    csv = (tmp_path / "stress.csv").read_text().splitlines()
    assert csv[0] == "kind,entity,max_outage_days,capped,worst_start,fails_first,unknown_cases,cases"
    assert csv[2] == "participant,ann,10,True,,,2,20"


def test_montecarlo_text_and_summary(tmp_path: Path) -> None:
    """Tests the Monte Carlo line and JSON summary for 3 READY samples of 4 and one UNKNOWN."""
    results = [SampleResult(i, "UNKNOWN" if i == 2 else "READY", 1, 0, 0, 0) for i in range(4)]
    est = estimate(results)
    # p = 3/4; Wilson 95 %, n = 4: centre (0.75 + 1.92/4) / (1 + 3.84/4) = 0.628, half 0.327 -> 0.301..0.954.
    assert montecarlo_text(est) == "P(every participant ready) = 0.750  (95% CI 0.301-0.954; 3/4 ready, 1 unknown)"
    rates = Disruptions(sick_day_rate=0.02)
    written = write_montecarlo(results, est, 7, 4, rates, tmp_path)
    assert [p.name for p in written] == ["montecarlo.csv", "montecarlo.json", "montecarlo.png"]
    summary = json.loads((tmp_path / "montecarlo.json").read_text())
    assert (summary["seed"], summary["samples"], summary["ready"], summary["unknown"]) == (7, 4, 3, 1)
    assert summary["rates"]["sick_day_rate"] == 0.02 and summary["p_ready_if_unknown_ready"] == 1.0
    assert (tmp_path / "montecarlo.csv").read_text().splitlines()[3] == "2,UNKNOWN,1,0,0,0"
