"""``sweep``: plan the scenario for several window lengths before the same launch
and count who is ready per competency (a table and a heat map). With missions,
the window varied is a mission's or one of its training blocks (its end fixed)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

import pandas as pd

from planner.analysis.window import Say, with_target_days
from planner.analysis.window_target import Target, resolve_target
from planner.exceptions import Problem, ScenarioError
from planner.plan.missions import combine
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
    target: Target | None = None,
    note: Say | None = None,
) -> pd.DataFrame:
    """Plan the scenario for each window length; count who is ready per competency.

    Each window is a full plan (verified), without the per-goal
    confirmation solves, so the time per window is the time limit.
    ``target``: a mission's window or one of its blocks, ``m`` months before
    its fixed end (a ``varied`` column names it); None: the top-level window.
    """
    sc = loaded.scenario
    target = target or resolve_target(sc)
    launch = target.end
    shortest, longest = target.shortest, target.longest
    rows: list[dict[str, object]] = []
    skipped: list[str] = []
    for m in months:
        start = months_before(launch, m)
        days = (launch - start).days
        if not shortest <= days <= longest:
            # One impossible length must not cost the others: skipped, and said.
            why = ("28-day minimum, gates, 12 months" if target.block is None
                   else "the block before it; the mission's 28 days to 12 months and its gates")
            skipped.append(f"a {m}-month window ({days} days) is outside the allowed "
                           f"{shortest}..{longest} days ({why})")
            tell = note or say  # ``note``: said even when the progress lines are not (--quiet)
            if tell is not None:
                tell(f"  {m} months: skipped, {skipped[-1]}")
            continue
        t0 = time.perf_counter()
        out = plan(with_target_days(loaded, target, days), params, confirm=False)
        if say is not None:
            met = sum(r.status == Verdict.READY for r in out.readiness)
            end = launch if target.block is None else launch - dt.timedelta(days=1)  # a block's last day
            say(f"  {m} months ({start} .. {end}, {days} days): {out.overall.value}, {met}/{len(out.readiness)} "
                f"pairs ready ({time.perf_counter() - t0:.1f} s)")
        comps = [c.id for c in sc.competencies if any(r.competency == c.id for r in out.readiness)]
        for cid in [*comps, "ALL"]:
            rs = [r for r in out.readiness if cid in ("ALL", r.competency)]
            counts = {v: sum(r.status == v for r in rs) for v in Verdict}
            # One proven NOT_READY pair settles a row; the whole window also
            # counts a relaxation's proof (PlanOutcome.overall).
            verdict = out.overall if cid == "ALL" else combine(r.status for r in rs)  # a WAIVED pair: WAIVED
            rows.append({"months": m, "window_start": start.isoformat(), "window_days": days, "competency": cid,
                         "ready": counts[Verdict.READY], "not_ready": counts[Verdict.NOT_READY],
                         "unknown": counts[Verdict.UNKNOWN], "total": len(rs), "verdict": verdict.value,
                         "waived": counts[Verdict.WAIVED]})
    if not rows:
        raise ScenarioError([Problem(str(loaded.path), target.path, None, "; ".join(skipped))])
    # A 'waived' column only where some pair is WAIVED, so that the counts add up to the total; a file without
    # waivers keeps its columns byte for byte.
    columns = [*SWEEP_COLUMNS, *(["waived"] if any(r["waived"] for r in rows) else [])]
    if target.whole:
        return pd.DataFrame(rows, columns=columns)
    # Only with missions: a file without them keeps its columns byte for byte.
    return pd.DataFrame(rows, columns=columns).assign(varied=target.label)

