"""Write a plan's CSV files and its provenance manifest."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shlex
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from planner.constants import DEFAULT_WORKERS, PLAN_GAP
from planner.plan.missions import substitution_verdicts, substitutions
from planner.plan.pipeline import PlanOutcome
from planner.report.tables import readiness_frame, schedule_frame, unscheduled_modules


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest(out: PlanOutcome, command: str = "plan") -> dict[str, object]:
    """Provenance of a plan: input hash, versions, parameters, status, bound."""
    res, params = out.result, out.params
    counts: dict[str, int] = {}
    for r in out.readiness:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    argv = ["planner", command, str(out.loaded.path)]
    if out.loaded.variant:
        argv += ["--variant", out.loaded.variant]
    for e in out.loaded.edits:
        argv += ["--set", e]
    argv += ["--time-limit", f"{params.time_limit:g}", "--seed", str(params.seed)]
    if params.deterministic:
        argv.append("--deterministic")
    if params.plan_gap != PLAN_GAP:
        argv += ["--plan-gap", f"{params.plan_gap:g}"]
    data: dict[str, object] = {
        "scenario": {
            "file": str(out.loaded.path),
            "sha256": out.loaded.sha256,
            "name": out.scenario.name,
            "variant": out.loaded.variant,
            "edits": list(out.loaded.edits),
        },
        "versions": {
            "planner": _version("crew-planner"),
            "ortools": _version("ortools"),
            "pandas": _version("pandas"),
            "matplotlib": _version("matplotlib"),
            "python": platform.python_version(),
        },
        "parameters": {
            "time_limit_s": params.time_limit,
            "deterministic": params.deterministic,
            "seed": params.seed,
            "plan_gap_limit": params.plan_gap,  # level plans stop polishing within it (SolveParams.plan_gap)
            "num_workers": 1 if params.deterministic else params.num_workers or DEFAULT_WORKERS,
            # Wall mode: the plan phase's own portfolio (SolveParams.for_plan_phase).
            **({} if params.deterministic else {"plan_num_workers": params.for_plan_phase().num_workers}),
        },
        "solver": {
            "readiness_status": res.status.value,
            "goals_met": res.num_goals_met,
            "goals_total": len(out.data.goals),
            "goals_upper_bound": res.goals_bound,
            "plan_objective": res.objective,
            "plan_bound": res.bound,
            "plan_gap": None if res.gap is None else round(res.gap, 6),
            # CP-SAT's own count of work units jitters by a few percent between
            # identical runs, so --deterministic output leaves it out.
            "phases": [{k: v for k, v in ph.as_dict().items() if not (params.deterministic and k == "deterministic_time")}
                       for ph in res.phases],
            **({"cut_by_wall_clock": res.cut_phases} if res.cut_phases else {}),
        },
        "verdict": {
            "overall": out.overall.value,
            "overall_proof": out.proof,
            "counts": dict(sorted(counts.items())),
            "unscheduled_modules": unscheduled_modules(out),
        },
        "grid": {
            "window_start": out.grid.window_start.isoformat(),
            "training_end": out.grid.training_end.isoformat(),
            "launch": out.grid.launch.isoformat(),
            "working_days": out.grid.num_open_days,
            "slots_per_day": out.grid.slots_per_day,
            "slot_minutes": out.grid.slot_minutes,
        },
        "presolve_findings": list(out.findings),
        **_missions(out),
        "verified": res.schedule is not None,
        "reproduce": shlex.join(argv) + " --out DIR",  # quoted: a path with a space, a value with $
    }
    if not params.deterministic:
        data["created"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data["runtime_s"] = round(res.runtime, 3)
    return data


def write_plan(
    out: PlanOutcome, folder: Path, command: str = "plan", extra: Mapping[str, object] | None = None
) -> list[Path]:
    """Write ``schedule.csv``, ``readiness.csv`` and ``manifest.json`` to ``folder``.

    ``extra``: top-level sections appended to the manifest (e.g. ``replan``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "schedule.csv", folder / "readiness.csv", folder / "manifest.json"]
    schedule_frame(out).to_csv(paths[0], index=False, lineterminator="\n")
    readiness_frame(out).to_csv(paths[1], index=False, lineterminator="\n")
    man = {**manifest(out, command), **(extra or {})}
    paths[2].write_text(json.dumps(man, indent=2, default=str) + "\n", encoding="utf-8")
    return paths


def _missions(out: PlanOutcome) -> dict[str, object]:
    """Per mission and per substitute verdicts, for files that have them (else nothing, as before)."""
    section: dict[str, object] = {}
    if out.scenario.missions:
        section["missions"] = [
            {"id": m.mission, "name": m.name, "launch": m.launch.isoformat(), "verdict": m.prime.value,
             "prime_pairs_ready": m.prime_pairs[0], "prime_pairs": m.prime_pairs[1],
             "backup_verdict": None if m.backup is None else m.backup.value,
             "backup_pairs_ready": m.backup_pairs[0], "backup_pairs": m.backup_pairs[1]}
            for m in out.missions
        ]
    subs = substitutions(out.scenario, out.readiness)
    if subs:
        section["substitutes"] = [
            {"substitute": x, "replaces": y, "verdict": v.value} for (x, y), v in substitution_verdicts(subs).items()
        ]
    return section
