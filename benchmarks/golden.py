"""Golden outputs: run every command on the bundled scenarios under --deterministic and
record what it printed and wrote, so that a refactoring can be proven byte-identical.

    python benchmarks/golden.py --out /tmp/golden-before      # on the old code
    python benchmarks/golden.py --out /tmp/golden-after       # on the new code
    python benchmarks/golden.py --diff /tmp/golden-before /tmp/golden-after

Each case writes ``CASE/stdout.txt``, ``CASE/exit.txt`` and the files the command wrote
(``CASE/files/...``). Standard error is kept beside it (``stderr.txt``) but not compared:
it carries progress lines with elapsed seconds. Version fields of manifests are blanked
(``versions``), as are the paths of the temporary folders, and the few figures that are
wall time even under --deterministic: min-window's seconds column, the bench's seconds
(column and lines), the report's ``deterministic_time`` cells (they vary by hundredths under load when a
phase stops at its limit) and the report files' hashes in the manifest (the files are compared). Cases run two at a time; each
is one CP-SAT worker with limits in deterministic work units, so load does not change them.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
S4 = "scenarios/challenge-2021.yaml"
S3 = "scenarios/challenge-2021-3months.yaml"
S2 = "scenarios/challenge-2021-2months.yaml"
D = ["--deterministic", "--quiet"]
PSPLIB = str(Path(os.environ.get("PLANNER_PSPLIB", ROOT.parent / "shared" / "benchmarks" / "psplib")).resolve())
PROGRESS = (
    "participant,module,session,status,start,end,note\n"
    "peresild,soyuz_systems,14,failed,,,failed the systems quiz\n"
    "shipenko,rs_systems,5,missed,,,ill\n"
)


def cases() -> dict[str, list[list[str]]]:
    """Case name -> the planner commands it runs in order ({out} is the case's files folder)."""
    c: dict[str, list[list[str]]] = {}
    for name, s in (("s4", S4), ("s3", S3), ("s2", S2)):
        c[f"validate-{name}"] = [["validate", s]]
        c[f"plan-{name}"] = [["plan", s, "--out", "{out}", "--time-limit", "10", *D]]
        c[f"export-tjp-{name}"] = [["export", "tjp", s, "--quiet"]]
    c["report-s4"] = [["report", S4, "--out", "{out}", "--time-limit", "10", *D]]
    c["plan-report-s2"] = [["plan", S2, "--out", "{out}", "--time-limit", "5", "--report", *D]]
    c["explain-s2"] = [["explain", S2, "--out", "{out}", "--time-limit", "20", "--probe-limit", "2", *D]]
    c["explain-s4"] = [["explain", S4, "--out", "{out}", "--time-limit", "10", *D]]
    c["min-window-s3"] = [["min-window", S3, "--out", "{out}", "--time-limit", "5", *D]]
    c["sweep-s4"] = [["sweep", S4, "--months", "2,3", "--out", "{out}", "--time-limit", "5", *D]]
    c["whatif-s4"] = [["whatif", S4, "--set", "resources.centrifuge.capacity=2", "--save", "{out}/edited.yaml",
                       "--out", "{out}", "--time-limit", "10", *D]]
    c["whatif-s3-outage"] = [["whatif", S3, "--set",
                              "resources.centrifuge.blackouts=[{from: 2021-07-12, to: 2021-07-23, reason: repair}]",
                              "--out", "{out}", "--time-limit", "10", *D]]
    c["compare-s4-s3"] = [["compare", S4, S3, "--out", "{out}", "--time-limit", "10", *D]]
    c["replan-s4"] = [["plan", S4, "--out", "{out}/baseline", "--time-limit", "10", *D],
                      ["replan", S4, "--progress", "{out}/progress.csv", "--as-of", "2021-06-21",
                       "--baseline", "{out}/baseline", "--out", "{out}/replan", "--time-limit", "10", *D]]
    c["stress-mc-s4"] = [["stress", S4, "--samples", "4", "--seed", "1", "--executor", "serial",
                          "--time-limit", "2", "--out", "{out}", "--quiet"]]
    c["stress-outage-s3"] = [["stress", S3, "--max-outage-days", "2", "--stride", "25", "--executor", "serial",
                              "--time-limit", "2", "--out", "{out}", "--quiet"]]
    c["generate-plan"] = [["generate", "--crews", "2", "--days", "90", "--seed", "3", "--out", "{out}/gen.yaml"],
                          ["plan", "{out}/gen.yaml", "--out", "{out}/plan", "--time-limit", "10", *D]]
    c["bench-j30"] = [["bench", "psplib", "--root", PSPLIB, "--suite", "j30", "--instances", "3", "--time-limit", "2", "--out", "{out}",
                       "--deterministic"]]
    c["bench-max"] = [["bench", "psplib", "--root", PSPLIB, "--suite", "rcpsp-max/sm_j10", "--instances", "4", "--time-limit", "2",
                       "--out", "{out}", "--deterministic"]]
    return c


def _normalise(folder: Path, tmp: str) -> None:
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, ValueError):
            continue
        new = text.replace(tmp, "<OUT>")
        if path.name == "manifest.json":
            data = json.loads(new)
            if "versions" in data:
                data["versions"] = "<versions>"
            for entry in data.get("report_files") or []:  # the files themselves are compared
                if isinstance(entry, dict) and "sha256" in entry:
                    entry["sha256"] = "<sha256>"
            new = json.dumps(data, indent=2, sort_keys=True) + "\n"
        new = re.sub(r"(<dc:date>)[^<]*(</dc:date>)", r"\1\2", new)  # SVG metadata written by matplotlib
        # The report's phase table shows CP-SAT's deterministic_time, which varies by a few
        # hundredths under load when a phase stops at its limit (the schedule does not).
        new = re.sub(r"^(\| \w+ \| [A-Z_]+ \| [^|]* \| [^|]* \| )\d+\.\d+( \|)$", r"\1<t>\2", new, flags=re.M)
        new = re.sub(
            r"(<tr><td>\w+</td><td>[A-Z_]+</td><td>[^<]*</td><td>[^<]*</td><td>)\d+\.\d+(</td></tr>)", r"\1<t>\2", new
        )
        if path.name == "results.csv" and new.startswith("instance,"):  # bench: wall seconds per instance
            rows = [line.split(",") for line in new.splitlines()]
            col = rows[0].index("seconds") if "seconds" in rows[0] else None
            if col is not None:
                new = (
                    "\n".join(
                        ",".join("<s>" if i == col and r is not rows[0] else v for i, v in enumerate(r)) for r in rows
                    )
                    + "\n"
                )
        if new != text:
            path.write_text(new, encoding="utf-8")


def run_case(name: str, commands: list[list[str]], out: Path) -> tuple[str, float]:
    """Run one case into ``out/name``; returns its name and seconds."""
    case = out / name
    if case.exists():
        shutil.rmtree(case)
    files = case / "files"
    files.mkdir(parents=True)
    (files / "progress.csv").write_text(PROGRESS, encoding="utf-8")
    t0 = time.perf_counter()
    stdout, stderr, codes = [], [], []
    env = {**os.environ, "COLUMNS": "120", "PYTHONHASHSEED": "0"}
    for cmd in commands:
        argv = [sys.executable, "-m", "planner", *(a.replace("{out}", str(files)) for a in cmd)]
        p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        stdout.append(p.stdout)
        stderr.append(p.stderr)
        codes.append(str(p.returncode))
    text = "\n".join(stdout).replace(str(files), "<OUT>")
    # min-window's probe table has a seconds column: wall time, never the same twice.
    text = re.sub(r"(\d{4}-\d\d-\d\d +(?:READY|NOT_READY|UNKNOWN) +)\d+\.\d+", r"\1<s>", text)
    text = re.sub(r"(best= +[-\d]+ +)\d+\.\d+s$", r"\1<s>", text, flags=re.M)  # bench: seconds per instance
    (case / "stdout.txt").write_text(text, encoding="utf-8")
    (case / "stderr.txt").write_text("\n".join(stderr), encoding="utf-8")
    (case / "exit.txt").write_text(" ".join(codes) + "\n", encoding="utf-8")
    _normalise(files, str(files))
    return name, time.perf_counter() - t0


def diff(a: Path, b: Path) -> int:
    """Print every file that differs between two golden folders (stderr.txt aside); 0 if none."""
    bad = 0
    names_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != "stderr.txt"}
    names_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name != "stderr.txt"}
    for rel in sorted(names_a ^ names_b):
        print(f"only in {'first' if rel in names_a else 'second'}: {rel}")
        bad += 1
    for rel in sorted(names_a & names_b):
        if not filecmp.cmp(a / rel, b / rel, shallow=False):
            print(f"differs: {rel}")
            bad += 1
    print(f"{len(names_a & names_b)} files compared, {bad} differences")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="folder for the golden outputs")
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    ap.add_argument("--jobs", type=int, default=2, help="cases run at once")
    ap.add_argument("--diff", nargs=2, type=Path, metavar=("A", "B"), help="compare two golden folders")
    args = ap.parse_args()
    if args.diff:
        return diff(*args.diff)
    if args.out is None:
        ap.error("--out or --diff is required")
    todo = cases()
    if args.only:
        todo = {k: v for k, v in todo.items() if k in args.only.split(",")}
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        for name, secs in pool.map(lambda kv: run_case(kv[0], kv[1], args.out), todo.items()):
            print(f"{name:24s} {secs:7.1f} s", flush=True)
    print(f"{len(todo)} cases in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
