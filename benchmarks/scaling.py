"""Scaling study: time to a verified verdict as crews and window length grow.

For every (crews, days) case, ``planner generate`` builds the scenario (seed 1,
``--staffing full`` unless told otherwise)
and a fresh subprocess plans it (``planner.plan.pipeline.plan``, confirm=False) so
that its peak memory is its own. The child prints one JSON line: time to
verdict (model build + readiness phase), total wall time, statuses, goals met
and proven bound, plan gap, peak RSS and the model size. Results are appended
to benchmarks/results/scaling.csv case by case (a long run keeps what it has
measured) and drawn on a log-log chart, benchmarks/results/scaling.png
(``--staffing lean``: scaling-lean.csv / .png).

    python benchmarks/scaling.py [--crews 1,2,4,8,16] [--days 60,90,120,150] [--time-limit 120] [--staffing lean]
        [--background-load 2]
    python benchmarks/scaling.py --plot-only

With ``--background-load N`` every case runs idle and again with N busy
processes (started and stopped here); the rows carry ``background_load`` and
the loaded-to-idle ratio of the time to verdict. The chart shows the idle rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from background import busy_processes

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
FIELDS = [
    "crews", "participants", "days", "jobs", "sessions", "goals", "model_vars", "model_constraints",
    "readiness_status", "verdict", "proof", "goals_met", "goals_bound", "plan_status", "plan_gap",
    "screened_impossible", "proven_s", "verdict_s", "readiness_phase_s", "build_s", "presolve_s", "first_solution_s", "total_s", "peak_rss_mb", "time_limit", "load_avg", "error",
    "background_load", "verdict_ratio_to_idle",
]



def _load(row: dict[str, str]) -> int:
    return int(row.get("background_load") or 0)  # rows written before the column: idle


def run_case(crews: int, days: int, time_limit: float, seed: int, log: bool, staffing: str) -> dict[str, object]:
    """Plan one generated scenario in this process and describe the outcome (the child's job)."""
    from planner.data.result import SolveStatus
    from planner.model.builder import build_model
    from planner.plan.pipeline import plan
    from planner.scenario.generate import generate_yaml
    from planner.scenario.load import load_scenario
    from planner.solve.run import SolveParams

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"gen-{crews}x{days}.yaml"
        path.write_text(generate_yaml(crews, days, seed, staffing=staffing), encoding="utf-8")
        t0 = time.perf_counter()
        outcome = plan(load_scenario(path), SolveParams(time_limit=time_limit, log=log), confirm=False)
        total = time.perf_counter() - t0
    res = outcome.result
    phases = {p.phase: p.as_dict() for p in res.phases}
    plan_wall = float(phases.get("plan", {}).get("wall_time") or 0.0)  # type: ignore[arg-type]
    # The verdict rests on phase 1 (and a relaxation proof when phase 1 left
    # pairs open): everything but the polishing phase.
    verdict_s = total - plan_wall
    # When the overall verdict was proven: NOT_READY as soon as one pair is
    # proven impossible alone (the screening before the solve); else when phase
    # 1 proved its count (OPTIMAL / INFEASIBLE) or a relaxation proved NOT_READY;
    # never for UNKNOWN.
    screened, screen_s = outcome.screened
    proven_s: float | None = None
    if screened:
        proven_s = round(screen_s, 2)
    elif res.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE) or outcome.proof:
        proven_s = round(verdict_s, 2)
    t1 = time.perf_counter()
    proto = build_model(outcome.data).model.Proto()  # built again only to time and size it
    build_s = time.perf_counter() - t1
    return {
        "crews": crews,
        "participants": len(outcome.data.participants),
        "days": days,
        "jobs": len(outcome.data.jobs),
        "sessions": sum(j.num_sessions for j in outcome.data.jobs),
        "goals": len(outcome.data.goals),
        "model_vars": len(proto.variables),
        "model_constraints": len(proto.constraints),
        "readiness_status": str(res.status),
        "verdict": str(outcome.overall),
        "proof": outcome.proof,
        "goals_met": res.num_goals_met,
        "goals_bound": res.goals_bound,
        "plan_status": str(phases.get("plan", {}).get("status", "")),
        "plan_gap": None if res.gap is None else round(res.gap, 4),
        "screened_impossible": screened,
        "proven_s": proven_s,
        "verdict_s": round(verdict_s, 2),
        "readiness_phase_s": phases.get("readiness", {}).get("wall_time"),
        "build_s": round(build_s, 2),
        "total_s": round(total, 2),
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "time_limit": time_limit,
        "error": "",
    }


def _child(crews: int, days: int, time_limit: float, seed: int, staffing: str) -> dict[str, object]:
    # The machine is shared: the 1-minute load average says how much CPU the case competed for.
    load = round(os.getloadavg()[0], 1)
    row = _run_child(crews, days, time_limit, seed, staffing)
    row["load_avg"] = load
    return row


def _run_child(crews: int, days: int, time_limit: float, seed: int, staffing: str) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--case", f"{crews},{days}", "--time-limit", str(time_limit), "--seed", str(seed),
           "--staffing", staffing, "--log"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * time_limit + 300, check=False, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"crews": crews, "days": days, "time_limit": time_limit, "error": "timeout"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"crews": crews, "days": days, "time_limit": time_limit, "error": f"exit {proc.returncode}: {tail}"}
    row: dict[str, object] = json.loads(lines[-1])
    row.update(_profile(proc.stdout))
    return row


def _profile(log: str) -> dict[str, object]:
    """Presolve time and first-solution time of the readiness phase, from CP-SAT's search log."""
    out: dict[str, object] = {"presolve_s": None, "first_solution_s": None}
    phase1 = log.split("CpSolverResponse summary")[0]
    if m := re.search(r"^Starting search at ([\d.]+)s", phase1, re.M):
        out["presolve_s"] = float(m[1])
    if m := re.search(r"^#1\s+([\d.]+)s", phase1, re.M):
        out["first_solution_s"] = float(m[1])
    return out


def plot(csv_path: Path, png_path: Path) -> None:
    """Log-log charts against sessions, one line per window length: time to verdict and peak memory."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    with csv_path.open() as fh:
        rows = [r for r in csv.DictReader(fh) if not r["error"] and _load(r) == 0]
    fig, (ax, mem) = plt.subplots(1, 2, figsize=(12, 5))
    markers = {"OPTIMAL": "o", "INFEASIBLE": "s", "FEASIBLE": "^", "UNKNOWN": "x"}
    for days in sorted({int(r["days"]) for r in rows}):
        # When the verdict was proven (a pair impossible alone is proven before phase 1 ends),
        # that time and an "o"; older CSVs without proven_s fall back to phase 1's status.
        pts = sorted((int(r["sessions"]),
                      float(r["proven_s"]) if r.get("proven_s") else float(r["verdict_s"]),
                      "OPTIMAL" if r.get("proven_s") else r["readiness_status"], int(r["crews"]),
                      float(r["peak_rss_mb"])) for r in rows if int(r["days"]) == days)
        line = ax.plot([p[0] for p in pts], [p[1] for p in pts], "-", label=f"{days}-day window")[0]
        mem.plot([p[0] for p in pts], [p[4] for p in pts], "-o", color=line.get_color(), label=f"{days}-day window")
        for x, y, status, crews, _ in pts:
            ax.plot(x, y, markers.get(status, "o"), color=line.get_color(), ms=8)
            if days == min(int(r["days"]) for r in rows):
                ax.annotate(f"{crews} crew{'s' if crews > 1 else ''}", (x, y), textcoords="offset points",
                            xytext=(4, -12), fontsize=7)
    for a in (ax, mem):
        a.set_xscale("log")
        a.set_yscale("log")
        sessions = sorted({int(r["sessions"]) for r in rows})
        a.set_xticks(sessions)
        a.xaxis.set_major_formatter(ScalarFormatter())
        a.xaxis.set_minor_formatter(NullFormatter())
        a.set_xlabel("sessions in the problem (120 per crew of 3)")
        a.grid(True, which="both", alpha=0.3)
        a.legend(loc="upper left", fontsize=8)
    for lim in sorted({float(r["time_limit"]) for r in rows}):
        ax.axhline(0.75 * lim, color="grey", ls=":", lw=1)
        ax.text(0.99, 0.75 * lim, f"readiness-phase cap {0.75 * lim:g} s", transform=ax.get_yaxis_transform(),
                ha="right", va="bottom", fontsize=7)
    ax.set_ylabel("time to verdict, s (to its proof where proven)")
    ax.set_title("Time to verdict: o proven, ^ plan found but not proven, x none", fontsize=10)
    mem.set_ylabel("peak memory of the planning process, MB")
    mem.set_title("Peak memory (RSS)", fontsize=10)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    plt.close(fig)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    """Run the grid (or one case with --case) and write the CSV and chart."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crews", default="1,2,4,8,16")
    ap.add_argument("--days", default="60,90,120,150")
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--staffing", choices=["full", "lean"], default="full",
                    help="Instructors per qualification of the generated scenarios (planner generate --staffing).")
    ap.add_argument("--fresh", action="store_true", help="Start a new CSV instead of replacing matching rows.")
    ap.add_argument("--plot-only", action="store_true")
    ap.add_argument("--case", help="One case CREWS,DAYS in this process (prints its JSON line; with --log the CP-SAT log).")
    ap.add_argument("--log", action="store_true", help="With --case: CP-SAT search log on standard output.")
    ap.add_argument("--background-load", type=int, default=0, help="also run every case with N busy processes")
    args = ap.parse_args()
    if args.case:
        crews, days = _ints(args.case)
        print(json.dumps(run_case(crews, days, args.time_limit, args.seed, args.log, args.staffing)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "scaling" if args.staffing == "full" else f"scaling-{args.staffing}"
    csv_path, png_path = RESULTS / f"{stem}.csv", RESULTS / f"{stem}.png"
    if not args.plot_only:
        old: list[dict[str, str]] = []
        if csv_path.exists() and not args.fresh:
            with csv_path.open() as fh:
                old = list(csv.DictReader(fh))
        cases = [(c, d) for c in _ints(args.crews) for d in _ints(args.days)]
        idle: dict[tuple[int, int], float] = {}
        for load in [0] + ([args.background_load] if args.background_load else []):
            with busy_processes(load):
                for crews, days in sorted(cases, key=lambda cd: cd[0] * cd[1]):
                    row = _child(crews, days, args.time_limit, args.seed, args.staffing)
                    row["background_load"] = load
                    verdict = row.get("verdict_s")
                    if isinstance(verdict, int | float):
                        if load == 0:
                            idle[(crews, days)] = float(verdict)
                        elif idle.get((crews, days)):
                            row["verdict_ratio_to_idle"] = round(float(verdict) / idle[(crews, days)], 2)
                    print(json.dumps(row), flush=True)
                    # Replace an earlier measurement of the same case and load, keep the others.
                    key = (crews, days, load)
                    old = [r for r in old if (int(r["crews"]), int(r["days"]), _load(r)) != key]
                    old.append({k: "" if row.get(k) is None else str(row.get(k, "")) for k in FIELDS})
                    old.sort(key=lambda r: (_load(r), int(r["crews"]), int(r["days"])))
                    with csv_path.open("w", newline="") as fh:
                        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n", extrasaction="ignore")
                        writer.writeheader()
                        writer.writerows(old)
    plot(csv_path, png_path)
    print(f"Wrote {csv_path}, {png_path}")


if __name__ == "__main__":
    main()
