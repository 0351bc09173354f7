"""Stress output: the outage study's and the Monte Carlo study's files and terminal text."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from planner.analysis.stress import Estimate, OutageResult, SampleResult
from planner.report.stress_chart import montecarlo_chart, outage_chart
from planner.scenario.schema import Disruptions

OUTAGE_COLUMNS = ["kind", "entity", "max_outage_days", "capped", "worst_start", "fails_first"]


def outage_text(results: Sequence[OutageResult]) -> str:
    """The outage study as a table, one entity a line; ``proven`` says whether every case tried was decided
    (a case the time limit cut counts as survived, so its length is a claim, not a proof)."""
    frame = pd.DataFrame([dataclasses.asdict(r) for r in results])
    frame["proven"] = [("yes" if r.cases else "no (no case tried)") if not r.unknown_cases
                       else f"no ({r.unknown_cases} of {r.cases} cases hit the time limit)" for r in results]
    text = frame[[*OUTAGE_COLUMNS, "proven"]].to_string(index=False)
    if any(r.unknown_cases or not r.cases for r in results):
        text += ("\n(proven 'no': the length survived only because a case ran out of time, or none was tried; "
                 "raise --time-limit)")
    return text


def write_outages(results: Sequence[OutageResult], out: Path) -> list[Path]:
    """Write stress.csv (every field of every result) and stress.png into ``out``; the paths written."""
    frame = pd.DataFrame([dataclasses.asdict(r) for r in results])
    frame.to_csv(out / "stress.csv", index=False, lineterminator="\n")
    outage_chart(results, out / "stress.png")
    return [out / "stress.csv", out / "stress.png"]


def montecarlo_text(est: Estimate) -> str:
    """One line: P(every participant ready) with its 95 % interval and the counts."""
    return (
        f"P(every participant ready) = {est.p_ready:.3f}  (95% CI {est.ci_low:.3f}-{est.ci_high:.3f}; "
        f"{est.ready}/{est.samples} ready, {est.unknown} unknown)"
    )


def write_montecarlo(
    results: Sequence[SampleResult], est: Estimate, seed: int, samples: int, rates: Disruptions, out: Path
) -> list[Path]:
    """Write montecarlo.csv (one row a sample), montecarlo.json (seed, rates, estimate) and
    montecarlo.png into ``out``; the paths written."""
    frame = pd.DataFrame([dataclasses.asdict(r) for r in results])
    frame.to_csv(out / "montecarlo.csv", index=False, lineterminator="\n")
    summary = {"seed": seed, "samples": samples, "rates": rates.model_dump(), **dataclasses.asdict(est)}
    (out / "montecarlo.json").write_text(json.dumps(summary, indent=2) + "\n")
    montecarlo_chart(results, out / "montecarlo.png")
    return [out / "montecarlo.csv", out / "montecarlo.json", out / "montecarlo.png"]
