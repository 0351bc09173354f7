"""Run several PSPLIB sets on the planner's engine and print a Markdown results table.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/psplib_bench.py --time-limit 10 --out out/psplib \\
        j30:60 j60:30 j120:20 rcpsp-max/sm_j10:30

With ``--background-load B`` every set runs idle and again with B busy
processes (its files under ``OUT/<set>_busyB``), one table row each.

Each argument is ``SET[:N][@K]``: the first N instances in natural order (no N:
all), after keeping every K-th one (``j120:60@10`` = instance 1 of each of the
60 j120 parameter combinations).
Per set it writes ``OUT/<set>/results.csv`` and ``OUT/<set>/schedules/``, the
same files as ``planner bench psplib``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from background import busy_processes

from planner.bench.ga import INSTALL_HINT, NUMBA_INSTALLED
from planner.bench.instance import BenchInputError, default_root
from planner.bench.runner import run_benchmark, summarize

HEADER = (
    "| set | instances | optimal | infeasible | feasible (not proven) | no solution | verified "
    "| closed at best known | mean gap vs best known | mean dev. from CPM LB | SGS mean gap "
    "| SGS mean dev. from CPM LB | mean s |"
)


def _fmt(v: object, suffix: str = "") -> str:
    return "n/a" if v is None else f"{v}{suffix}"


def table_row(set_name: str, s: dict[str, float | int | None]) -> str:
    """One Markdown row from :func:`summarize` output."""
    cells = [
        set_name,
        s["instances"],
        s["optimal"],
        s["infeasible"],
        s["feasible"],
        s["unknown"],
        f"{s['verified']}/{s['with_schedule']}",
        f"{s['closed_matched']}/{s['closed_with_schedule']}",
        _fmt(s["mean_gap_pct"], " %"),
        _fmt(s["mean_cpm_dev_pct"], " %"),
        _fmt(s["sgs_mean_gap_pct"], " %") + f" ({s['sgs_solved']} solved)",
        _fmt(s["sgs_mean_cpm_dev_pct"], " %"),
        _fmt(s["mean_seconds"]),
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(argv: list[str] | None = None) -> int:
    """Run the sets given on the command line; 1 on bad input."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", help="SET[:N][@K], e.g. j30:60, rcpsp-max/sm_j10:30, j120:60@10")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--deterministic", action="store_true", help="one worker, limit in CP-SAT work units")
    ap.add_argument("--no-ga", action="store_true", help="CP-SAT alone (no activity-list GA) on plain RCPSP")
    ap.add_argument("--root", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path("out/psplib"))
    ap.add_argument("--background-load", type=int, default=0,
                    help="also run every set with N busy processes (started and stopped here): OUT/<set>_busyN")
    args = ap.parse_args(argv)
    root = args.root or default_root()
    if not NUMBA_INSTALLED and not args.no_ga:
        print(f"note: numba is not installed, so the activity-list GA runs as plain Python (much slower); "
              f"for the compiled GA: {INSTALL_HINT}", file=sys.stderr)
    rows: list[str] = []
    for busy in [0] + ([args.background_load] if args.background_load else []):
        with busy_processes(busy):
            code = _run_sets(args, root, busy, rows)
        if code:
            return code
    mode = "deterministic, 1 worker" if args.deterministic else f"workers={args.workers or 'all'}"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nCP-SAT on {os.cpu_count()} cores ({mode}), {platform.machine()}, time limit "
          f"{args.time_limit:g} s per instance; load average at the end {load:.1f}\n")  # fmt: skip
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    print("\n".join(rows))
    return 0



def _run_sets(args: argparse.Namespace, root: Path, busy: int, rows: list[str]) -> int:
    """Run every set of ``args`` with ``busy`` busy processes beside it; a table row each in ``rows``."""
    for spec in args.sets:
        text = spec
        spec, _, every = spec.partition("@")
        name, _, count = spec.partition(":")
        if not (every or "1").isdigit() or not (count or "1").isdigit():
            print(f"error: {text!r}: write SET[:COUNT][@STRIDE] with whole numbers, e.g. j120:60@10", file=sys.stderr)
            return 2
        stride = int(every) if every else 1
        out = args.out / (name.replace("/", "_") + (f"_every{stride}" if stride > 1 else "")
                          + (f"_busy{busy}" if busy else ""))
        t0 = time.perf_counter()
        try:
            df = run_benchmark(
                root, name, int(count) if count else None, args.time_limit, out,
                progress=lambda line: print(line, flush=True), workers=args.workers, stride=stride,
                deterministic=args.deterministic, ga=not args.no_ga,
            )  # fmt: skip
        except (BenchInputError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"{name}: {len(df)} instances in {time.perf_counter() - t0:.0f} s (load {load:.1f}) -> {out}",
            flush=True,
        )
        label = f"{name} (every {stride}th)" if stride > 1 else name
        rows.append(table_row(label + (f", {busy} busy process{'es' if busy > 1 else ''}" if busy else ""), summarize(df)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
