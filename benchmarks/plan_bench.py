"""Wall time of ``planner plan`` on every bundled scenario (start-up included).

Each scenario is planned in a fresh process, as a user runs it; the baseline
is ``planner validate`` on the same file in the same run (interpreter start,
imports, YAML and holidays), so the ratio plan/validate shows the cost of
solving itself. Results: benchmarks/results/plan.csv and a Markdown table.

    python benchmarks/plan_bench.py [--repeat 3] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time(cmd: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc.returncode


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    exe = [sys.executable, "-m", "planner"]
    rows = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        rel = str(path.relative_to(ROOT))
        base = [_time([*exe, "validate", rel])[0] for _ in range(args.repeat)]
        runs, manifest = [], {}
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as out:
                secs, code = _time([*exe, "plan", rel, "--out", out, "-q", "--time-limit", str(args.time_limit)])
                manifest = json.loads((Path(out) / "manifest.json").read_text())
            runs.append(secs)
        solver = manifest["solver"]
        phases = {p["phase"]: p for p in solver["phases"]}
        rows.append(
            {
                "scenario": rel,
                "verdict": manifest["verdict"]["overall"],
                "exit_code": code,
                "readiness_status": solver["readiness_status"],
                "goals_met": f"{solver['goals_met']}/{solver['goals_total']}",
                "plan_status": phases.get("plan", {}).get("status", ""),
                "plan_gap": solver["plan_gap"],
                "readiness_phase_s": phases["readiness"].get("wall_time"),
                "plan_median_s": round(statistics.median(runs), 2),
                "plan_min_s": round(min(runs), 2),
                "validate_median_s": round(statistics.median(base), 2),
                "ratio_plan_to_validate": round(statistics.median(runs) / statistics.median(base), 1),
            }
        )
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "plan.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
