"""What-ifs against a published plan (``whatif``/``compare --against PLAN_DIR``).

The published plan (the ``--out`` folder of an earlier ``planner plan``: its
``schedule.csv`` and ``readiness.csv``) is the "before"; the "after" is a
re-plan of the edited scenario that keeps every published session that can
stay (:func:`planner.analysis.replan.replan` with nothing as history), so a
lead sees the fewest moved sessions, each with its reason, and the same
answer every time under ``--deterministic``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from planner.analysis.compare import Comparison, SessionChange, compare_outcomes
from planner.analysis.replan import ReplanOutcome, baseline_schedule, read_baseline, read_csv_text, replan
from planner.data.result import Result, SolveStatus
from planner.exceptions import Problem, ScenarioError
from planner.plan.pipeline import PlanOutcome, prepare
from planner.plan.readiness import Readiness, Verdict
from planner.scenario.load import LoadedScenario
from planner.solve.run import Progress, SolveParams
from planner.verify.checks import goals_achieved


@dataclass(frozen=True)
class AgainstOutcome:
    """The published plan, and the edited scenario re-planned close to it."""

    published: PlanOutcome
    after: ReplanOutcome

    def comparison(self) -> Comparison:
        """Readiness and resource hours as ``compare``; sessions as the re-plan's change list
        (published numbers, matched by time), so a kept session is never counted as moved."""
        c = compare_outcomes(self.published, self.after.plan)

        def at(text: str) -> dt.datetime | None:
            return dt.datetime.fromisoformat(text) if text else None

        moves = tuple(SessionChange(x.owner, x.module, x.session, at(x.old_start), at(x.new_start))
                      for x in self.after.changes if x.change in ("moved", "added", "removed"))
        kept = sum(1 for x in self.after.changes if x.change == "kept")
        return Comparison(c.before, c.after, c.readiness, moves, c.resource_hours, kept)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def published_outcome(loaded: LoadedScenario, plan_dir: Path, params: SolveParams) -> PlanOutcome:
    """The plan in ``plan_dir`` as an outcome of ``loaded``: its sessions (``schedule.csv``) and
    its published verdicts (``readiness.csv``), as they were written, not re-derived."""
    grid, data = prepare(loaded)
    baseline = read_baseline(plan_dir, grid, data)
    schedule = baseline_schedule(data, baseline)
    file = plan_dir / "readiness.csv" if plan_dir.is_dir() else plan_dir.parent / "readiness.csv"
    if not file.exists():
        raise ScenarioError([Problem(str(file), "", None, "the published plan has no readiness.csv")])
    frame = read_csv_text(file)
    try:
        readiness = tuple(
            Readiness(r["participant"], r["competency"], Verdict(r["status"]), _date(r["achieved_on"]),
                      dt.date.fromisoformat(r["deadline"]), int(r["slack_days"]) if r["slack_days"] else None,
                      r["reason"], _date(r.get("expires", "")))
            for r in frame.to_dict("records")
        )
    except (KeyError, ValueError) as exc:
        raise ScenarioError([Problem(str(file), "", None, f"cannot read the published readiness: {exc}")]) from None
    result = Result(SolveStatus.FEASIBLE, schedule, goals_achieved(data, schedule))
    return PlanOutcome(loaded, grid, data, result, readiness, params)


def against(before: LoadedScenario, after: LoadedScenario, plan_dir: Path, params: SolveParams,
            progress: Progress | None = None) -> AgainstOutcome:
    """``after`` re-planned keeping ``plan_dir``'s sessions where they can stay, and the published plan
    (read with ``before``, the scenario it was made from)."""
    published = published_outcome(before, plan_dir, params)
    return AgainstOutcome(published, replan(after, plan_dir, None, None, None, params, progress))
