"""Edits of plain scenario data that relax one fact (used by facts and fixes)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from planner.analysis.explain.types import Edit, Plain
from planner.analysis.window import set_window_start


def _item(plain: Plain, section: str, ident: str) -> dict[str, Any]:
    item: dict[str, Any] = next(x for x in plain[section] if x["id"] == ident)
    return item


def set_value(section: str, ident: str, key: str, value: Any) -> Edit:
    def edit(plain: Plain) -> None:
        _item(plain, section, ident)[key] = copy.deepcopy(value)

    return edit


def drop_prerequisite(module: str, pre: str) -> Edit:
    def edit(plain: Plain) -> None:
        m = _item(plain, "modules", module)
        m["prerequisites"] = [p for p in m["prerequisites"] if p["module"] != pre]

    return edit


def drop_recency(module: str) -> Edit:
    def edit(plain: Plain) -> None:
        m = _item(plain, "modules", module)
        m["recency_days"] = None
        m["recency_of"] = "last"

    return edit


def drop_blackout(section: str, ident: str, start: dt.date) -> Edit:
    def edit(plain: Plain) -> None:
        item = _item(plain, section, ident)
        item["blackouts"] = [b for b in item["blackouts"] if b["from"] != start]

    return edit


def drop_spacing(after: str, forbid: str) -> Edit:
    def edit(plain: Plain) -> None:
        plain["spacing"] = [s for s in plain["spacing"] if not (s["after"] == after and s["forbid"] == forbid)]

    return edit


def add_instructor(qual: str, capacity: int) -> Edit:
    def edit(plain: Plain) -> None:
        ids = {i["id"] for i in plain["instructors"]}
        ident = next(f"extra_{qual}_{k}" for k in range(1, 1000) if f"extra_{qual}_{k}" not in ids)
        plain["instructors"].append(
            {"id": ident, "name": f"additional {qual} instructor", "qualifications": [qual],
             "capacity": capacity, "blackouts": []}
        )

    return edit


def window_earlier(days: int) -> Edit:
    def edit(plain: Plain) -> None:
        set_window_start(plain, plain["window"]["start"] - dt.timedelta(days=days))

    return edit


def mission_earlier(mission: str, block: str | None, days: int) -> Edit:
    """Open mission ``mission``'s window (or its block ``block``) ``days`` days earlier.

    The centre window beside the missions is derived from them, so the dumped
    copy is dropped and derived again on reload.
    """
    def edit(plain: Plain) -> None:
        m = _item(plain, "missions", mission)
        if block is None:
            m["start"] = m["start"] - dt.timedelta(days=days)
        else:
            b = next(x for x in m["blocks"] if x["id"] == block)
            b["from"] = b["from"] - dt.timedelta(days=days)
        plain.pop("window", None)

    return edit


def free_pattern(module: str) -> Edit:
    def edit(plain: Plain) -> None:
        m = _item(plain, "modules", module)
        m["min_days_between_sessions"] = 0
        m["max_days_between_sessions"] = None
        m["consecutive_days"] = False
        m["rest_days_after"] = 0
        m["travel_days"] = 0
        used = {u if isinstance(u, str) else u["id"] for u in m.get("resources", [])}
        far = {r.get("site") for r in plain.get("resources", []) if r["id"] in used}
        for site in plain.get("sites", []):  # travel to the sites of its resources, too
            if site["id"] in far:
                site["travel_days"] = 0

    return edit


def add_workdays(days: list[dt.date]) -> Edit:
    """Open ``days`` (closed by the calendar: weekends, holidays) as working days: ``calendar.extra_workdays``."""
    def edit(plain: Plain) -> None:
        cal = plain["calendar"]
        cal["extra_workdays"] = sorted({*cal.get("extra_workdays", []), *days})

    return edit


def add_season(resource: str, spans: list[tuple[dt.date, dt.date]]) -> Edit:
    """Make ``resource`` available on the dated ``spans`` as well as in its seasons (``available``)."""
    def edit(plain: Plain) -> None:
        item = _item(plain, "resources", resource)
        item["available"] = [*item["available"], *({"from": a.isoformat(), "to": b.isoformat()} for a, b in spans)]

    return edit


def add_dates(resource: str, days: list[dt.date]) -> Edit:
    """Make a campaign ``resource`` available on ``days`` as well as on its own dates (``available_dates``)."""
    def edit(plain: Plain) -> None:
        item = _item(plain, "resources", resource)
        item["available_dates"] = sorted({*item.get("available_dates", []), *days})

    return edit


def drop_gate_use(mission: str | None, gate: str, section: str, ident: str) -> Edit:
    """Let gate ``gate`` (of mission ``mission``; None: the file's own gates) leave resource or instructor
    ``ident`` free (``section``: "resources" or "instructors")."""
    def edit(plain: Plain) -> None:
        gates = plain["gates"] if mission is None else _item(plain, "missions", mission)["gates"]
        g = next(x for x in gates if x["id"] == gate)
        g[section] = [u for u in g.get(section, []) if (u if isinstance(u, str) else u["id"]) != ident]

    return edit
