"""Helpers to build tiny scenarios in tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from planner.plan.pipeline import PlanOutcome, plan
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams

ROOT = Path(__file__).resolve().parents[1]

# A Monday-to-Friday calendar without public holidays, 4 one-hour slots a day.
BASE: dict[str, Any] = {
    "name": "tiny",
    "window": {"start": "2024-03-04", "launch": "2024-04-15"},  # Mon 4 Mar .. Mon 15 Apr
    "calendar": {"day_hours": 4, "slot_minutes": 60, "day_start": "09:00"},
    "roles": [{"id": "sfp", "requires": ["comp"]}],
    "participants": [{"id": "ann", "role": "sfp", "crew": "c1"}],
    "modules": [{"id": "m1", "hours": 2, "session_hours": 2}],
    "competencies": [{"id": "comp", "requires": ["m1"]}],
    # The hand-derived dates of the rule tests are those of the earliest plan (the default is level).
    "objective": "earliest",
}


def scenario(**sections: Any) -> dict[str, Any]:
    """A copy of BASE with whole top-level sections replaced."""
    out = copy.deepcopy(BASE)
    out.update(copy.deepcopy(sections))
    return out


def write(tmp_path: Path, data: dict[str, Any], name: str = "s.yaml") -> Path:
    """Write ``data`` as YAML and return the path."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run(tmp_path: Path, data: dict[str, Any], time_limit: float = 10.0) -> PlanOutcome:
    """Plan ``data`` (verified inside :func:`plan`)."""
    loaded = load_scenario(write(tmp_path, data))
    return plan(loaded, SolveParams(time_limit=time_limit, num_workers=2))


def sessions(out: PlanOutcome, module: str, participant: str | None = None) -> list[tuple[str, str]]:
    """(start, end) ISO strings of a module's sessions, in order."""
    from planner.plan.pipeline import schedule_rows

    rows = schedule_rows(out.grid, out.data, out.result)
    return sorted(
        (r["start"].isoformat(timespec="minutes"), r["end"].isoformat(timespec="minutes"))  # type: ignore[attr-defined]
        for r in rows
        if r["module"] == module and (participant is None or r["participant"] == participant)
    )
