"""Time `planner repair` and `planner explain` on the 2-month MS-19 scenario (not part of the tests).

Each command runs in a fresh process as a user runs it. With ``--background-load N`` every command is
run twice, idle and with N busy processes (started and stopped here), and the table gives both.

    python benchmarks/repair_bench.py [--repeat 1] [--background-load 2] [--out benchmarks/results/repair.csv]
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from background import busy_processes

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/challenge-2021-2months.yaml"



def _run(argv: list[str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "planner", *argv], cwd=ROOT, capture_output=True, text=True,
                       check=False)
    return time.perf_counter() - t0, p.returncode, p.stdout


def _summary(command: str, stdout: str) -> str:
    if command == "repair":
        first = re.search(r"Option 1: ([\d.]+) points \((.*?)\); (verified|NOT verified)", stdout)
        if first:
            return f"{first[1]} points, {first[2]}, {first[3]}"
        no = re.search(r"No repair: (.*)", stdout)
        return no[1] if no else stdout.strip().splitlines()[-1]
    table = re.search(r"Plan: (\S+), (\d+)/(\d+)", stdout)
    fixes = len(re.findall(r"whole plan: yes", stdout))
    return f"{table[2]}/{table[3]} ready, {fixes} fixes verified on the whole plan" if table else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--background-load", type=int, default=0, help="also run with N busy processes")
    ap.add_argument("--deterministic", action="store_true", help="run the commands with --deterministic")
    ap.add_argument("--only", choices=("repair", "explain"), help="one command only")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "repair.csv")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "repair": ["repair", SCENARIO, "--out", f"{tmp}/r", "--quiet"],
            "explain": ["explain", SCENARIO, "--out", f"{tmp}/e", "--quiet"],
        }
        extra = ["--deterministic"] if args.deterministic else []
        commands = {k: [*v, *extra] for k, v in commands.items() if args.only in (None, k)}
        loads = [0] + ([args.background_load] if args.background_load else [])
        for load in loads:
            with busy_processes(load):
                for name, argv in commands.items():
                    for k in range(args.repeat):
                        seconds, code, out = _run(argv)
                        row = {"command": name, "deterministic": args.deterministic, "background_load": load, "run": k + 1,
                               "seconds": round(seconds, 1), "exit": code, "result": _summary(name, out),
                               "loadavg": round(os.getloadavg()[0], 1)}
                        rows.append(row)
                        print(row, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
