"""``--time-limit`` bounds the whole ``plan`` command's wall time (a bound, not a speed test).

The stated tolerance (README, --help): S * (1 + TIME_LIMIT_OVERRUN) + TIME_LIMIT_SLACK_S after
start-up. Start-up (a fresh interpreter loading Python, OR-Tools and the scenario) depends on
the machine's load, so it is measured as ``planner validate`` of the same scenario just before.
The 2-month scenario leaves many pairs unmet (confirmation solves follow the solve), the full
one leaves pairs UNKNOWN at this limit (a relaxation proof follows): both must stay within it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.constants import TIME_LIMIT_OVERRUN, TIME_LIMIT_SLACK_S

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 3.0


def _timed(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    return time.perf_counter() - t0, done


@pytest.mark.parametrize("scenario", ["challenge-2021-2months.yaml", "challenge-2021.yaml"])
def test_plan_ends_within_its_time_limit(tmp_path: Path, scenario: str) -> None:
    """Tests `plan --time-limit 3`: done within start-up + 3 * 1.1 + 2 = start-up + 5.3 s, with a verdict."""
    path = str(ROOT / "scenarios" / scenario)
    start_up, checked = _timed("validate", path)
    assert checked.returncode == 0, checked.stderr
    elapsed, done = _timed("plan", path, "--out", str(tmp_path), "--time-limit", str(LIMIT), "--quiet")
    assert done.returncode in (0, 3, 4), done.stderr  # READY, NOT_READY or UNKNOWN: a verdict, not a crash
    assert (tmp_path / "manifest.json").exists()
    bound = start_up + LIMIT * (1 + TIME_LIMIT_OVERRUN) + TIME_LIMIT_SLACK_S
    assert elapsed <= bound, f"{scenario}: {elapsed:.1f} s > {bound:.1f} s (start-up {start_up:.1f} s)"
