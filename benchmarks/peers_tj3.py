"""Peers on the same work: the planner against TaskJuggler 3 (and the greedy baseline).

For each bundled scenario and a few generated ones, the planner plans
(``planner.plan.pipeline.plan``, confirm=False) and TaskJuggler schedules the
``planner export tjp`` translation (``tj3``, with a timeout). For every
participant the script reports whether each tool makes them ready and by
when: the readiness date is the last end of the modules their required
competencies need (the earliest-ending option of an ``any_of``). TaskJuggler
counts as feasible when it reports no error, every task is scheduled and no
``maxend`` (deadline) is broken. When it is not, it runs again on a project
lengthened by ``--extra-days`` to show how late its heuristic plan would end.

TaskJuggler schedules a relaxation (no sessions, spacing, rest days or
maximum lags; see planner/export_tjp.py), so its dates are optimistic where
those rules bind; its recency translation is stricter.

    python benchmarks/peers_tj3.py [--time-limit 60] [--tj3-timeout 300] [--extra-days 180]

Writes benchmarks/results/peers.csv and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from planner.calendar.grid import TimeGrid
from planner.data.problem import ProblemData
from planner.interop.tjp import REPORT_ID, TjpExport, export_tjp
from planner.plan.pipeline import plan, prepare
from planner.plan.readiness import Verdict
from planner.scenario.generate import generate_yaml
from planner.scenario.load import LoadedScenario, load_scenario
from planner.solve.run import SolveParams

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Tj3Run:
    """What one tj3 run said and scheduled."""

    returncode: int | None
    seconds: float
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ends: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def unplaced(self) -> set[str]:
        """Tasks tj3 could not schedule ("Task t_x: <start> -> <?>")."""
        return {m[1] for w in self.warnings if (m := re.search(r"Task (\w+): .* -> <\?>", w))}

    @property
    def late(self) -> list[str]:
        """Warnings of broken deadlines (maxend)."""
        return [w for w in self.warnings if "too late" in w]


def run_tj3(exported: TjpExport, workdir: Path, timeout: float) -> Tj3Run:
    """Schedule ``exported`` with tj3 in ``workdir`` and parse its messages and CSV report."""
    workdir.mkdir(parents=True, exist_ok=True)
    tjp = workdir / "project.tjp"
    tjp.write_text(exported.text, encoding="utf-8")
    report = workdir / f"{REPORT_ID}.csv"
    report.unlink(missing_ok=True)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(["tj3", "--no-color", "--silent", "-o", str(workdir), str(tjp)],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Tj3Run(None, time.perf_counter() - t0, errors=[f"timeout after {timeout:g} s"])
    run = Tj3Run(proc.returncode, time.perf_counter() - t0)
    # tj3 prints "file:line: Error: ..." / "Warning: ..." on standard error (and sometimes stdout).
    for raw in (proc.stderr + "\n" + proc.stdout).splitlines():
        line = raw.replace(f"{workdir}/", "")  # the temporary folder says nothing
        if "Error:" in line:
            run.errors.append(line.strip())
        elif "Warning:" in line:
            run.warnings.append(line.strip())
    if report.exists():
        with report.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                if row.get("End"):
                    run.ends[row["Id"]] = dt.datetime.strptime(row["End"], "%Y-%m-%d %H:%M")
    return run


@dataclass
class Readiness:
    """A participant's readiness by one tool."""

    ready: bool
    ready_on: dt.date | None  # when every goal is met: the last end of the modules they need
    met: int
    total: int
    last_met_on: dt.date | None = None  # the same over the goals met, even if not all are


def tj3_readiness(
    data: ProblemData, grid: TimeGrid, exported: TjpExport, ends: dict[str, dt.datetime], deadlines: bool = True
) -> dict[str, Readiness]:
    """Readiness per participant from TaskJuggler's task ends (``deadlines=False``: however late)."""
    end_of = {t.job: ends[t.tj_id] for t in exported.tasks if t.tj_id in ends}
    out: dict[str, Readiness] = {}
    for goal in data.goals:
        pid = data.participants[goal.participant].id
        due = grid.days[goal.deadline_day] if goal.deadline_day < grid.num_days else grid.training_end
        last: dt.datetime | None = None
        met = True
        for group in goal.groups:
            options = [end_of[j] for j in group if j in end_of]
            if not options:
                met = False
                break
            best = min(options)
            last = best if last is None else max(last, best)
        met = met and last is not None and (not deadlines or last.date() < due)
        r = out.setdefault(pid, Readiness(True, None, 0, 0))
        r.total += 1
        if met and last is not None:
            r.met += 1
            r.last_met_on = last.date() if r.last_met_on is None else max(r.last_met_on, last.date())
        else:
            r.ready = False
    for r in out.values():
        r.ready_on = r.last_met_on if r.ready else None
    return out


def planner_readiness(loaded: LoadedScenario, time_limit: float) -> tuple[dict[str, Readiness], dict[str, object]]:
    """Readiness per participant from the planner, and a summary of the run."""
    t0 = time.perf_counter()
    outcome = plan(loaded, SolveParams(time_limit=time_limit), confirm=False)
    seconds = time.perf_counter() - t0
    out: dict[str, Readiness] = {}
    for row in outcome.readiness:
        r = out.setdefault(row.participant, Readiness(True, None, 0, 0))
        r.total += 1
        if row.status == Verdict.READY and row.achieved_on is not None:
            r.met += 1
            r.ready_on = row.achieved_on if r.ready_on is None else max(r.ready_on, row.achieved_on)
        else:
            r.ready = False
    for r in out.values():
        if not r.ready:
            r.ready_on = None
    summary: dict[str, object] = {
        "status": str(outcome.result.status),
        "verdict": str(outcome.overall),
        "goals": f"{outcome.result.num_goals_met}/{len(outcome.data.goals)}",
        "bound": outcome.result.goals_bound,
        "seconds": round(seconds, 1),
    }
    return out, summary


def greedy_readiness(loaded: LoadedScenario) -> tuple[dict[str, Readiness], dict[str, object]] | None:
    """The planner's greedy baseline, if planner/greedy.py exists."""
    if importlib.util.find_spec("planner.heuristics.greedy") is None:
        return None
    from planner.heuristics.greedy import greedy_plan  # optional module

    t0 = time.perf_counter()
    res = greedy_plan(loaded.scenario)
    seconds = time.perf_counter() - t0
    out = {p: Readiness(r.ready, r.ready_on, r.met, r.total) for p, r in res.participants.items()}
    met = sum(r.met for r in out.values())
    total = sum(r.total for r in out.values())
    return out, {"goals": f"{met}/{total}", "seconds": round(seconds, 2), "violations": len(res.violations)}


def _cases(crews: list[int], days: int) -> list[tuple[str, Path]]:
    cases = [(str(p.relative_to(ROOT)), p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    gen_dir = Path(tempfile.mkdtemp(prefix="peers-gen-"))
    for k in crews:
        path = gen_dir / f"generated-{k}x{days}.yaml"
        path.write_text(generate_yaml(k, days, 1), encoding="utf-8")
        cases.append((f"generate --crews {k} --days {days} --seed 1", path))
    return cases


def _date(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def main() -> None:
    """Run every case and write peers.csv and a Markdown summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time-limit", type=float, default=60.0, help="Planner time limit per scenario.")
    ap.add_argument("--tj3-timeout", type=float, default=300.0)
    ap.add_argument("--extra-days", type=int, default=180, help="Lengthening for the 'how late' tj3 run.")
    ap.add_argument("--crews", default="1,2,4", help="Generated cases: crews (comma-separated).")
    ap.add_argument("--days", type=int, default=120, help="Generated cases: window length.")
    ap.add_argument("--only", help="Regular expression on case names.")
    args = ap.parse_args()
    if shutil.which("tj3") is None:
        sys.exit("tj3 not found: apt-get install tj3")
    rows: list[dict[str, object]] = []
    summary: list[dict[str, object]] = []
    work = Path(tempfile.mkdtemp(prefix="peers-tj3-"))
    crews = [int(x) for x in args.crews.split(",") if x]
    for name, path in _cases(crews, args.days):
        if args.only and not re.search(args.only, name):
            continue
        print(f"== {name}", file=sys.stderr, flush=True)
        loaded = load_scenario(path)
        grid, data = prepare(loaded)
        mine, my_sum = planner_readiness(loaded, args.time_limit)
        exported = export_tjp(loaded.scenario)
        strict = run_tj3(exported, work / f"{len(summary)}-strict", args.tj3_timeout)
        tj = tj3_readiness(data, grid, exported, strict.ends)
        missing = [t.tj_id for t in exported.tasks if t.tj_id not in strict.ends]
        feasible = strict.returncode == 0 and not strict.errors and not strict.late and not missing
        late_tj: dict[str, Readiness] = {}
        long_run = None
        dropped: set[str] = set()
        if not feasible:
            # How late the heuristic plan runs: the same project on a longer span, deadlines ignored,
            # leaving out the tasks tj3 cannot place at all (it schedules nothing while one fails).
            for attempt in range(5):
                longer = export_tjp(loaded.scenario, args.extra_days, dropped)
                long_run = run_tj3(longer, work / f"{len(summary)}-long{attempt}", args.tj3_timeout)
                failed = {t.job_id for t in longer.tasks if t.tj_id in long_run.unplaced}
                if not failed:
                    break
                dropped |= failed
            assert long_run is not None
            late_tj = tj3_readiness(data, grid, longer, long_run.ends, deadlines=False)
        greedy = greedy_readiness(loaded)
        for pid in [p.id for p in loaded.scenario.participants if p.id in mine]:
            row: dict[str, object] = {
                "case": name,
                "participant": pid,
                "planner_ready": mine[pid].ready,
                "planner_ready_on": _date(mine[pid].ready_on),
                "planner_goals": f"{mine[pid].met}/{mine[pid].total}",
                "tj3_ready": tj[pid].ready if pid in tj else False,
                "tj3_ready_on": _date(tj[pid].ready_on) if pid in tj else "",
                "tj3_goals": f"{tj[pid].met}/{tj[pid].total}" if pid in tj else "",
                # Longer span, deadlines ignored: goals tj3 can meet at all, and when the last of them is met.
                "tj3_longer_goals": f"{late_tj[pid].met}/{late_tj[pid].total}" if pid in late_tj else "",
                "tj3_longer_last_met_on": _date(late_tj[pid].last_met_on) if pid in late_tj else "",
            }
            if greedy is not None:
                g = greedy[0].get(pid)
                row["greedy_ready"] = g.ready if g else ""
                row["greedy_ready_on"] = _date(g.ready_on) if g else ""
                row["greedy_goals"] = f"{g.met}/{g.total}" if g else ""
            rows.append(row)
        tj_met = sum(r.met for r in tj.values())
        entry: dict[str, object] = {
            "case": name,
            "participants": len(loaded.scenario.participants),
            "planner_status": my_sum["status"],
            "planner_verdict": my_sum["verdict"],
            "planner_goals": my_sum["goals"],
            "planner_bound": my_sum["bound"],
            "planner_s": my_sum["seconds"],
            "tj3_feasible": feasible,
            "tj3_goals": f"{tj_met}/{len(data.goals)}",
            "tj3_errors": len(strict.errors),
            "tj3_late_tasks": len(strict.late),
            "tj3_unscheduled": len(missing),
            "tj3_s": round(strict.seconds, 1),
            "tj3_first_error": (strict.errors or strict.late or [""])[0][:160],
            "tj3_longer_span_errors": "" if long_run is None else len(long_run.errors),
            "tj3_longer_span_dropped": len(dropped),
            "tj3_skipped_tasks": len(exported.skipped),
        }
        if greedy is not None:
            entry.update({"greedy_goals": greedy[1]["goals"], "greedy_s": greedy[1]["seconds"],
                          "greedy_violations": greedy[1]["violations"]})
        summary.append(entry)
        print(entry, file=sys.stderr, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    with (RESULTS / "peers.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with (RESULTS / "peers_summary.csv").open("w", newline="") as fh:
        skeys = list(dict.fromkeys(k for r in summary for k in r))
        writer = csv.DictWriter(fh, fieldnames=skeys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(summary)
    cols = [k for k in summary[0] if k not in ("tj3_first_error",)]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for s in summary:
        print("| " + " | ".join(str(s.get(k, "")) for k in cols) + " |")
    print(f"\nWrote {RESULTS / 'peers.csv'}, {RESULTS / 'peers_summary.csv'}; tj3 files in {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
