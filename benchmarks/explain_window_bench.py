"""Time ``planner explain`` and ``planner min-window`` on the MS-19 scenarios.

Reproduces the figures of the "Explain and min-window" section of
benchmarks/README.md: wall-clock seconds, exit code and the result of

* ``planner explain scenarios/challenge-2021-2months.yaml`` (default budget 13 s)
* ``planner min-window scenarios/challenge-2021.yaml`` (default 60 s per probe)

* ``planner min-window benchmarks/cases/zero-spare-2.yaml`` (zero spare hours at the minimal window:
  two trainees, one simulator)

Run from the repository root: ``python benchmarks/explain_window_bench.py [--repeat N]
[--background-load N] [--deterministic] [--only NAME]``. The machine's load average is printed
with each figure because CP-SAT's progress, and so what fits in a time limit, depends on the free
cores; with ``--background-load N`` every case runs idle and again with N busy processes (started
and stopped here), so both figures come from one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from background import busy_processes

CASES = {
    "explain": ["planner", "explain", "scenarios/challenge-2021-2months.yaml", "--out", "{out}", "-q"],
    "min-window": ["planner", "min-window", "scenarios/challenge-2021.yaml", "--out", "{out}", "-q"],
    "zero-spare": ["planner", "min-window", "benchmarks/cases/zero-spare-2.yaml", "--out", "{out}", "-q"],
}



def _result(name: str, out: Path, stdout: str) -> str:
    """One-line summary of what the command found."""
    if name != "explain":
        lines = [line for line in stdout.splitlines() if line.startswith(("shortest window", "undecided", "not ready"))]
        probes = pd.read_csv(out / "window.csv") if (out / "window.csv").exists() else None
        n = "" if probes is None else f"; {len(probes)} probes"
        return (lines[-1] if lines else "no summary") + n
    frame = pd.read_csv(out / "explain.csv", keep_default_na=False)
    goals = frame.drop_duplicates(["participant", "competency"])
    kinds = goals["kind"].value_counts().to_dict()
    fixed = frame[frame["fix_verified"] == "yes"].drop_duplicates(["participant", "competency"])
    unproven = (goals["conflict_minimal"] == "not proven").sum()
    unexamined = goals["note"].str.contains("not examined").sum()
    # The cheapest fix of each pair (its first row) checked on the whole scenario: yes, no or unknown.
    checked = (goals["fix"] != "") & (goals["fix_verified"] != "not run")
    with_fix = (goals["fix"] != "").sum()
    return (f"{len(goals)} unmet pairs: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
            + f"; {unexamined} not examined; cheapest fix checked on the whole scenario for {checked.sum()}/"
            f"{with_fix}; {len(fixed)} with a fix verified on the whole scenario; {unproven} conflicts not proven "
            "minimal")


def main() -> int:
    """Run each case, print a markdown table row per run."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/explain_window_bench"))
    ap.add_argument("--only", choices=sorted(CASES), help="Run one case only.")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--deterministic", action="store_true", help="run with --deterministic")
    ap.add_argument("--background-load", type=int, default=0, help="also run with N busy processes")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print("| command | busy processes | seconds | exit | load avg (1 min) before | result |")
    print("|---|---:|---:|---:|---:|---|")
    for busy in [0] + ([args.background_load] if args.background_load else []):
        with busy_processes(busy):
            for name, argv in CASES.items():
                if args.only and name != args.only:
                    continue
                for _ in range(args.repeat):
                    out = args.out / name
                    cmd = [a.format(out=out) for a in argv] + (["--deterministic"] if args.deterministic else [])
                    load = os.getloadavg()[0]
                    t0 = time.perf_counter()
                    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
                    seconds = time.perf_counter() - t0
                    shown = " ".join(c for c in cmd if not c.startswith(str(args.out)) and c not in ("--out", "-q"))
                    print(f"| `{shown}` | {busy} | {seconds:.1f} | {proc.returncode} | {load:.1f} | "
                          f"{_result(name, out, proc.stdout)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
