"""Time ``planner explain`` and ``planner min-window`` on the MS-19 scenarios.

Reproduces the figures of the "Explain and min-window" section of
benchmarks/README.md: wall-clock seconds, exit code and the result of

* ``planner explain scenarios/challenge-2021-2months.yaml`` (default budget 28 s)
* ``planner min-window scenarios/challenge-2021.yaml`` (default 60 s per probe)

Run from the repository root: ``python benchmarks/explain_window_bench.py``.
The machine's load average is printed with each figure because CP-SAT's
progress, and so what fits in a time limit, depends on the free cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

CASES = {
    "explain": ["planner", "explain", "scenarios/challenge-2021-2months.yaml", "--out", "{out}", "-q"],
    "min-window": ["planner", "min-window", "scenarios/challenge-2021.yaml", "--out", "{out}", "-q"],
}


def _result(name: str, out: Path, stdout: str) -> str:
    """One-line summary of what the command found."""
    if name == "min-window":
        lines = [line for line in stdout.splitlines() if line.startswith(("shortest window", "undecided", "not ready"))]
        probes = pd.read_csv(out / "window.csv") if (out / "window.csv").exists() else None
        n = "" if probes is None else f"; {len(probes)} probes"
        return (lines[-1] if lines else "no summary") + n
    frame = pd.read_csv(out / "explain.csv", keep_default_na=False)
    goals = frame.drop_duplicates(["participant", "competency"])
    kinds = goals["kind"].value_counts().to_dict()
    fixed = frame[frame["fix_verified"] == "yes"].drop_duplicates(["participant", "competency"])
    unproven = (goals["conflict_minimal"] == "not proven").sum()
    return (f"{len(goals)} unmet pairs: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
            + f"; {len(fixed)} with a fix verified on the whole scenario; {unproven} conflicts not proven minimal")


def main() -> int:
    """Run each case, print a markdown table row per run."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/explain_window_bench"))
    ap.add_argument("--only", choices=sorted(CASES), help="Run one case only.")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print("| command | seconds | exit | load avg (1 min) before | result |")
    print("|---|---:|---:|---:|---|")
    for name, argv in CASES.items():
        if args.only and name != args.only:
            continue
        out = args.out / name
        cmd = [a.format(out=out) for a in argv]
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        shown = " ".join(c for c in cmd if not c.startswith(str(args.out)) and c not in ("--out", "-q"))
        print(f"| `{shown}` | {seconds:.1f} | {proc.returncode} | {load:.1f} | {_result(name, out, proc.stdout)} |",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
