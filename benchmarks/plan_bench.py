"""Wall time of ``planner plan`` on every bundled scenario (start-up included).

Each scenario is planned in a fresh process, as a user runs it; the baseline
is ``planner validate`` on the same file in the same run (interpreter start,
imports, YAML and holidays), so the ratio plan/validate shows the cost of
solving itself. Results: benchmarks/results/plan.csv and a Markdown table.

With ``--background-load N`` every scenario is planned twice, idle and with N
busy processes (started and stopped here), and the table gives both with the
loaded/idle ratio; ``answer`` is a hash of readiness.csv and schedule.csv, so
under ``--deterministic`` the two rows of a scenario must show the same one.

    python benchmarks/plan_bench.py [--repeat 3] [--time-limit 60] [--deterministic] [--background-load 2] [--out CSV]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from background import busy_processes

ROOT = Path(__file__).resolve().parents[1]


def _time(cmd: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc.returncode



def _answer(out: Path) -> str:
    """A short hash of the plan's answer: readiness.csv and schedule.csv."""
    digest = hashlib.sha256((out / "readiness.csv").read_bytes() + (out / "schedule.csv").read_bytes())
    return digest.hexdigest()[:12]


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--deterministic", action="store_true", help="plan with --deterministic")
    ap.add_argument("--background-load", type=int, default=0, help="also run with N busy processes")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "plan.csv")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "planner"]
    extra = ["--deterministic"] if args.deterministic else []
    rows = []
    idle: dict[str, float] = {}
    for load in [0] + ([args.background_load] if args.background_load else []):
        with busy_processes(load):
            for path in sorted((ROOT / "scenarios").glob("*.yaml")):
                rel = str(path.relative_to(ROOT))
                base = [_time([*exe, "validate", rel])[0] for _ in range(args.repeat)]
                runs, manifest, answers = [], {}, set()
                for _ in range(args.repeat):
                    with tempfile.TemporaryDirectory() as out:
                        secs, code = _time([*exe, "plan", rel, "--out", out, "-q", "--time-limit", str(args.time_limit),
                                            *extra])
                        manifest = json.loads((Path(out) / "manifest.json").read_text())
                        answers.add(_answer(Path(out)))
                    runs.append(secs)
                solver = manifest["solver"]
                phases = {p["phase"]: p for p in solver["phases"]}
                median = statistics.median(runs)
                idle.setdefault(rel, median)
                rows.append(
                    {
                        "scenario": rel,
                        "deterministic": args.deterministic,
                        "background_load": load,
                        "verdict": manifest["verdict"]["overall"],
                        "exit_code": code,
                        "readiness_status": solver["readiness_status"],
                        "goals_met": f"{solver['goals_met']}/{solver['goals_total']}",
                        "plan_status": phases.get("plan", {}).get("status", ""),
                        "plan_gap": solver["plan_gap"],
                        "readiness_phase_s": phases["readiness"].get("wall_time"),
                        "plan_median_s": round(median, 2),
                        "plan_min_s": round(min(runs), 2),
                        "validate_median_s": round(statistics.median(base), 2),
                        "ratio_plan_to_validate": round(median / statistics.median(base), 1),
                        "ratio_to_idle": round(median / idle[rel], 2),
                        "answer": "/".join(sorted(answers)),
                    }
                )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as fh:
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
