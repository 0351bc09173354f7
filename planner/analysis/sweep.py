"""``sweep``: plan the scenario for several window lengths before the same launch
and count who is ready per competency (a table and a heat map)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

import pandas as pd

from planner.analysis.window import Say, shortest_allowed_days, with_window_days
from planner.constants import MAX_WINDOW_DAYS
from planner.exceptions import Problem, ScenarioError
from planner.plan.pipeline import plan
from planner.plan.readiness import Verdict
from planner.scenario.load import LoadedScenario
from planner.solve.run import SolveParams


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` months before ``day`` (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for dom in range(day.day, 27, -1):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


SWEEP_COLUMNS = ["months", "window_start", "window_days", "competency", "ready", "not_ready", "unknown", "total",
                 "verdict"]


def sweep(
    loaded: LoadedScenario,
    months: Sequence[int],
    params: SolveParams,
    say: Say | None = None,
) -> pd.DataFrame:
    """Plan the scenario for each window length; count who is ready per competency.

    Each window is a full plan (verified), without the per-goal
    confirmation solves, so the time per window is the time limit.
    """
    sc = loaded.scenario
    launch = sc.window.launch
    shortest = shortest_allowed_days(sc)
    rows: list[dict[str, object]] = []
    skipped: list[str] = []
    for m in months:
        start = months_before(launch, m)
        days = (launch - start).days
        if not shortest <= days <= MAX_WINDOW_DAYS:
            # One impossible length must not cost the others: skipped, and said.
            skipped.append(f"a {m}-month window ({days} days) is outside the allowed "
                           f"{shortest}..{MAX_WINDOW_DAYS} days (28-day minimum, gates, 12 months)")
            if say is not None:
                say(f"  {m} months: skipped, {skipped[-1]}")
            continue
        t0 = time.perf_counter()
        out = plan(with_window_days(loaded, days), params, confirm=False)
        if say is not None:
            met = sum(r.status == Verdict.READY for r in out.readiness)
            say(f"  {m} months ({start} .. {launch}, {days} days): {out.overall.value}, {met}/{len(out.readiness)} "
                f"pairs ready ({time.perf_counter() - t0:.1f} s)")
        comps = [c.id for c in sc.competencies if any(r.competency == c.id for r in out.readiness)]
        for cid in [*comps, "ALL"]:
            rs = [r for r in out.readiness if cid in ("ALL", r.competency)]
            counts = {v: sum(r.status == v for r in rs) for v in Verdict}
            # One proven NOT_READY pair settles a row; the whole window also
            # counts a relaxation's proof (PlanOutcome.overall).
            verdict = out.overall if cid == "ALL" else (
                Verdict.READY if counts[Verdict.READY] == len(rs)
                else Verdict.NOT_READY if counts[Verdict.NOT_READY] else Verdict.UNKNOWN)
            rows.append({"months": m, "window_start": start.isoformat(), "window_days": days, "competency": cid,
                         "ready": counts[Verdict.READY], "not_ready": counts[Verdict.NOT_READY],
                         "unknown": counts[Verdict.UNKNOWN], "total": len(rs), "verdict": verdict.value})
    if not rows:
        raise ScenarioError([Problem(str(loaded.path), "window.start", None, "; ".join(skipped))])
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)

