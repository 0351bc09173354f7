"""Run a PSPLIB set: solve, verify and baseline every instance, write
``results.csv`` and ``schedules/``, and summarise the results."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planner.bench.bounds import Reference, cpm_lower_bound, load_references, path_references
from planner.bench.checker import check_rcpsp, planner_verify
from planner.bench.hybrid import solve_instance
from planner.bench.instance import (
    BenchInputError,
    list_instances,
    makespan_of,
    parse,
    schedule_starts,
    set_folder,
    suite_path,
)
from planner.bench.sgs import serial_sgs
from planner.data.result import SolveStatus

COLUMNS = (
    "instance", "n_jobs", "status", "makespan", "seconds", "best_known", "best_lb", "closed",
    "lower_bound", "gap_pct", "cpm_lb", "cpm_dev_pct", "verified", "rcpsp_check", "planner_verify",
    "verify_errors", "sgs_status", "sgs_makespan", "sgs_gap_pct", "sgs_cpm_dev_pct", "reference", "proof",
)  # fmt: skip


def _pct(value: float | None, ref: float | None) -> float | None:
    if value is None or ref is None or ref <= 0:
        return None
    return round(100.0 * (value - ref) / ref, 2)


def run_instance(
    path: Path,
    ref: Reference | None,
    time_limit: float,
    workers: int = 0,
    schedules: Path | None = None,
    deterministic: bool = False,
    ga: bool = True,
) -> dict[str, object]:
    """Solve, verify and baseline one instance; one row of ``results.csv``."""
    inst = parse(path)
    ref = ref or Reference()
    data, res = solve_instance(inst, time_limit, workers, deterministic, ga)
    cpm = cpm_lower_bound(inst)
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update(
        instance=inst.name,
        n_jobs=inst.n - 2,
        status=res.status.value,
        seconds=round(res.runtime, 3),
        best_known=ref.best_ub,
        best_lb=ref.best_lb,
        closed=ref.closed,
        cpm_lb=cpm,
        reference="infeasible" if ref.infeasible else ("feasible" if ref.best_ub is not None else ""),
    )  # verified stays empty without a schedule: nothing was checked
    if res.status == SolveStatus.INFEASIBLE:
        # Which proof: the temporal one (with its reason) or CP-SAT's search.
        lags = next((ph for ph in res.phases if ph.phase == "lags"), None)
        row["proof"] = f"time lags: {dict(lags.details)['proof']}" if lags else "CP-SAT"
    if res.bound is not None and res.status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN):
        row["lower_bound"] = math.ceil(res.bound - 1e-6)  # integer makespans: round the LP bound up
    if res.schedule is not None:
        starts = schedule_starts(inst, res.schedule)
        ms = makespan_of(inst, starts)
        own = check_rcpsp(inst, starts)
        planner = planner_verify(data, res.schedule)
        row.update(
            makespan=ms,
            gap_pct=_pct(ms, ref.best_ub),
            cpm_dev_pct=_pct(ms, cpm),
            rcpsp_check=not own,
            planner_verify=not planner,
            verified=not own and not planner,
            verify_errors="; ".join([*own, *planner][:3]),
        )
        if res.status == SolveStatus.OPTIMAL:
            row["lower_bound"] = ms
        if schedules is not None:
            lines = ["activity,start", *(f"{a},{s}" for a, s in zip(inst.activities, starts, strict=True))]
            (schedules / f"{inst.name}.csv").write_text("\n".join(lines) + "\n")
    sgs = serial_sgs(inst)
    if sgs is None:
        row["sgs_status"] = "NO_SOLUTION"
    elif check_rcpsp(inst, sgs):
        row["sgs_status"] = "INVALID"  # a bug in serial_sgs; kept visible rather than dropped
    else:
        sgs_ms = makespan_of(inst, sgs)
        row.update(
            sgs_status="FEASIBLE",
            sgs_makespan=sgs_ms,
            sgs_gap_pct=_pct(sgs_ms, ref.best_ub),
            sgs_cpm_dev_pct=_pct(sgs_ms, cpm),
        )
    return row


def progress_line(row: dict[str, object]) -> str:
    """One line per instance: instance, status, makespan, best known, seconds."""

    def show(v: object) -> str:
        return "-" if v is None else str(v)

    return (
        f"{row['instance']:<14} {row['status']:<10} makespan={show(row['makespan']):>5} "
        f"best={show(row['best_known']):>5} {row['seconds']:7.2f}s"
    )


def run_benchmark(
    root: Path,
    set_name: str,
    instances: int | None,
    time_limit: float,
    out: Path,
    progress: Callable[[str], None] | None = None,
    workers: int = 0,
    stride: int = 1,
    deterministic: bool = False,
    ga: bool = True,
) -> pd.DataFrame:
    """Run the first ``instances`` (natural order; None: all) of ``set_name``.

    ``stride`` k keeps every k-th file first: with k = 10 a j-set gives
    instance 1 of every parameter combination, a sample across hardness
    rather than the easy low-numbered parameter sets.

    Writes ``out/results.csv`` (rewritten after every instance, so a long run
    that is stopped keeps what it did) and ``out/schedules/INSTANCE.csv``.
    """
    own = suite_path(root, set_name)
    folder = own if own is not None else set_folder(root, set_name)
    if stride < 1:
        raise BenchInputError(f"stride must be at least 1, got {stride}")
    files = ([folder] if folder.is_file() else list_instances(folder))[::stride]
    if not files:
        raise BenchInputError(f"no .sm/.sch files in {folder}")
    if instances is not None:
        if instances < 1:
            raise BenchInputError(f"--instances must be at least 1, got {instances}")
        files = files[:instances]
    refs = path_references(root, own) if own is not None else load_references(root, set_name)
    sched_dir = out / "schedules"
    sched_dir.mkdir(parents=True, exist_ok=True)
    for old in sched_dir.glob("*.csv"):
        old.unlink()  # a schedule left from an earlier run would contradict this results.csv
    rows: list[dict[str, object]] = []
    for path in files:
        try:
            row = run_instance(path, refs.get(path.name.lower()), time_limit, workers, sched_dir, deterministic, ga)
        except BenchInputError as exc:
            # One unreadable file must not cost the rest of the run: an ERROR row, and on.
            row = dict.fromkeys(COLUMNS)
            row.update(instance=path.stem, status="ERROR", verify_errors=str(exc))
        rows.append(row)
        frame = results_frame(rows)
        if deterministic:
            # The same bytes on any machine: the wall seconds go to timings.csv, not results.csv.
            frame[["instance", "seconds"]].to_csv(out / "timings.csv", index=False)
            frame = frame.assign(seconds=None)
        frame.to_csv(out / "results.csv", index=False)
        if progress is not None:
            progress(progress_line(row) if row["status"] != "ERROR" else f"{path.stem:<14} ERROR      {row['verify_errors']}")
    return results_frame(rows)


INT_COLUMNS = ("n_jobs", "makespan", "best_known", "best_lb", "lower_bound", "cpm_lb", "sgs_makespan")


def results_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """``results.csv`` as a frame: whole numbers stay whole where a row has none."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    return frame


def summarize(df: pd.DataFrame) -> dict[str, float | int | None]:
    """Headline figures of a results table (means over instances that have a value)."""

    def mean(col: str) -> float | None:
        values = pd.to_numeric(df[col], errors="coerce").dropna()
        return round(float(values.mean()), 2) if len(values) else None

    has_ref = df["best_known"].notna() & df["makespan"].notna()
    closed = df[df["closed"].astype(bool) & has_ref & (df["reference"] != "infeasible")]
    return {
        "instances": len(df),
        "optimal": int((df["status"] == "OPTIMAL").sum()),
        "feasible": int((df["status"] == "FEASIBLE").sum()),
        "infeasible": int((df["status"] == "INFEASIBLE").sum()),
        "unknown": int((df["status"] == "UNKNOWN").sum()),
        "verified": int(df["verified"].astype(bool).sum()),
        "with_schedule": int(df["makespan"].notna().sum()),
        "closed_matched": int((closed["makespan"] == closed["best_known"]).sum()),
        "closed_with_schedule": len(closed),
        "mean_gap_pct": mean("gap_pct"),
        "mean_cpm_dev_pct": mean("cpm_dev_pct"),
        "mean_seconds": mean("seconds"),
        "sgs_solved": int((df["sgs_status"] == "FEASIBLE").sum()),
        "sgs_mean_gap_pct": mean("sgs_gap_pct"),
        "sgs_mean_cpm_dev_pct": mean("sgs_cpm_dev_pct"),
    }


def _shown_pct(value: float | int | None) -> str:
    """A percentage, or what is missing (no reference bounds for these instances)."""
    return "n/a (no reference bound)" if value is None else f"{value}%"


def format_summary(s: dict[str, float | int | None]) -> str:
    """The summary as a few human-readable lines."""
    return "\n".join(
        [
            f"instances {s['instances']}: optimal {s['optimal']}, feasible {s['feasible']}, "
            f"infeasible {s['infeasible']}, unknown {s['unknown']}; verified {s['verified']}"
            f"/{s['with_schedule']}",
            f"engine: mean gap vs best known {_shown_pct(s['mean_gap_pct'])}, "
            f"mean deviation from CPM bound {_shown_pct(s['mean_cpm_dev_pct'])}, "
            f"closed instances at optimum {s['closed_matched']}/{s['closed_with_schedule']}",
            f"serial SGS: solved {s['sgs_solved']}, mean gap vs best known {_shown_pct(s['sgs_mean_gap_pct'])}, "
            f"mean deviation from CPM bound {_shown_pct(s['sgs_mean_cpm_dev_pct'])}",
        ]
    )
