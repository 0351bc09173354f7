"""Plan outcome → pandas DataFrames with a fixed column order and sort."""

from __future__ import annotations

import pandas as pd

from planner.data.problem import ProblemData
from planner.plan.missions import mission_of
from planner.plan.pipeline import PlanOutcome, schedule_rows

SCHEDULE_COLUMNS = [
    "participant",
    "crew",
    "module",
    "session",
    "start",
    "end",
    "hours",
    "resources",
    "instructors",
    "joint",
]
READINESS_COLUMNS = [
    "participant",
    "competency",
    "status",
    "achieved_on",
    "deadline",
    "slack_days",
    "reason",
    "expires",
]


def staff_columns(data: ProblemData, columns: list[str]) -> list[str]:
    """``columns`` with ``staff`` (``role:id;...``) after ``instructors`` when some module has further
    staff roles: files without them keep their columns."""
    if not any(job.staff for job in data.jobs):
        return columns
    at = columns.index("instructors") + 1
    return [*columns[:at], "staff", *columns[at:]]


def schedule_frame(out: PlanOutcome) -> pd.DataFrame:
    """One row per participant and session (ISO 8601 local date-times)."""
    rows = schedule_rows(out.grid, out.data, out.result)
    frame = pd.DataFrame(
        [
            {
                **r,
                "session": f"{r['session']}/{r['sessions']}",
                "start": r["start"].isoformat(timespec="minutes"),  # type: ignore[attr-defined]
                "end": r["end"].isoformat(timespec="minutes"),  # type: ignore[attr-defined]
                "resources": ";".join(r["resources"]),  # type: ignore[arg-type]
                "instructors": ";".join(r["instructors"]),  # type: ignore[arg-type]
                "staff": ";".join(r["staff"]),  # type: ignore[arg-type]
            }
            for r in rows
        ],
        columns=[*SCHEDULE_COLUMNS, "staff", "sessions"],
    )
    return frame[staff_columns(out.data, SCHEDULE_COLUMNS)]


def readiness_frame(out: PlanOutcome) -> pd.DataFrame:
    """One row per participant x required competency (with its mission when the file has missions)."""
    frame = pd.DataFrame(
        [
            {
                "participant": r.participant,
                "competency": r.competency,
                "status": r.status.value,
                "achieved_on": r.achieved_on.isoformat() if r.achieved_on else "",
                "deadline": r.deadline.isoformat(),
                "slack_days": r.slack_days,
                "reason": r.reason,
                "expires": r.expires.isoformat() if r.expires else "",
            }
            for r in out.readiness
        ],
        columns=READINESS_COLUMNS,
    )
    frame["slack_days"] = frame["slack_days"].astype("Int64")
    if out.scenario.missions:
        which = mission_of(out.scenario)
        frame.insert(0, "mission", [which[p] for p in frame["participant"]])
    return frame


def unscheduled_modules(out: PlanOutcome) -> list[str]:
    """Jobs of the programme that the plan leaves out (``owner/module``)."""
    done = out.result.schedule.done_jobs if out.result.schedule else frozenset()
    return [job.id for j, job in enumerate(out.data.jobs) if j not in done]
