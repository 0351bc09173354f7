"""What changes between two plans: readiness, sessions, resource hours.

Used by ``planner whatif`` (a scenario before and after ``--set`` edits or a
variant) and ``planner compare`` (two files, or a file and its variant).
Sessions are matched by participant, module and session number, so a
session that keeps its number but changes its start is "moved".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.plan.readiness import Readiness, Verdict


@dataclass(frozen=True)
class ReadinessChange:
    """One participant x competency before and after (None: not a goal in that plan)."""

    participant: str
    competency: str
    before: Readiness | None
    after: Readiness | None

    @property
    def change(self) -> str:
        """``gained``, ``lost``, ``slack +3d``, ``same``, ...: the reader's summary."""
        b, a = self.before, self.after
        if b is None or a is None:
            return "new goal" if b is None else "no longer a goal"
        if b.status != a.status:
            if a.status == Verdict.READY:
                return "gained"
            if b.status == Verdict.READY:
                return "lost"
            return f"{b.status.value} -> {a.status.value}"
        if a.status == Verdict.READY and a.slack_days != b.slack_days:
            return f"slack {(a.slack_days or 0) - (b.slack_days or 0):+d}d"
        return "same"


@dataclass(frozen=True)
class SessionChange:
    """A session that moved, was added or was removed."""

    participant: str
    module: str
    session: int
    before: dt.datetime | None
    after: dt.datetime | None

    @property
    def change(self) -> str:
        """``moved``, ``added`` or ``removed``."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "moved"


@dataclass(frozen=True)
class Comparison:
    """Differences between two plans."""

    before: PlanOutcome
    after: PlanOutcome
    readiness: tuple[ReadinessChange, ...]
    sessions: tuple[SessionChange, ...]
    resource_hours: tuple[tuple[str, float, float], ...]  # (resource, before, after)
    unchanged_sessions: int


def readiness_cell(r: Readiness | None) -> str:
    """One side of a readiness change: ``READY +3d`` (with slack), the other verdict, or ``-`` (not a goal)."""
    if r is None:
        return "-"
    if r.status == Verdict.READY:
        return f"READY {r.slack_days:+d}d"
    return r.status.value


def _resource_hours(out: PlanOutcome) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    if out.result.schedule is None:
        return hours
    for s in out.result.schedule.sessions:
        for r, _ in out.data.jobs[s.job].resources:
            hours[out.data.resources[r].id] += out.grid.slots_to_hours(s.end - s.start)
    return hours


def compare_outcomes(before: PlanOutcome, after: PlanOutcome) -> Comparison:
    """Readiness, session and resource-hour differences from ``before`` to ``after``."""
    rb = {(r.participant, r.competency): r for r in before.readiness}
    ra = {(r.participant, r.competency): r for r in after.readiness}
    people = [p.id for p in after.scenario.participants] + [
        p.id for p in before.scenario.participants if p.id not in {q.id for q in after.scenario.participants}
    ]
    comps = [c.id for c in after.scenario.competencies] + [
        c.id for c in before.scenario.competencies if c.id not in {d.id for d in after.scenario.competencies}
    ]
    keys = sorted(set(rb) | set(ra), key=lambda k: (people.index(k[0]), comps.index(k[1])))
    readiness = tuple(ReadinessChange(p, c, rb.get((p, c)), ra.get((p, c))) for p, c in keys)

    def starts(out: PlanOutcome) -> dict[tuple[str, str, int], dt.datetime]:
        return {
            (str(r["participant"]), str(r["module"]), int(r["session"])): r["start"]  # type: ignore[call-overload,misc]
            for r in schedule_rows(out.grid, out.data, out.result)
        }

    sb, sa = starts(before), starts(after)
    changes = []
    same = 0
    for key in sorted(set(sb) | set(sa), key=lambda k: (k[0], k[1], k[2])):
        b, a = sb.get(key), sa.get(key)
        if b == a:
            same += 1
        else:
            changes.append(SessionChange(key[0], key[1], key[2], b, a))
    hb, ha = _resource_hours(before), _resource_hours(after)
    ids = [r.id for r in after.scenario.resources] + [r.id for r in before.scenario.resources if r.id not in ha]
    hours = tuple((rid, hb.get(rid, 0.0), ha.get(rid, 0.0)) for rid in dict.fromkeys(ids))
    return Comparison(before, after, readiness, tuple(changes), hours, same)


def format_comparison(c: Comparison, max_sessions: int = 15, why: dict[tuple[str, str, int], str] | None = None,
                      note: str = "") -> str:
    """Terminal text: verdicts, readiness changes, session moves (with ``why`` each, when given)
    and resource hours; ``note`` says how the two plans were made."""
    b, a = c.before, c.after
    nb = sum(r.status == Verdict.READY for r in b.readiness)
    na = sum(r.status == Verdict.READY for r in a.readiness)
    lines = [f"Readiness: {b.overall.value} ({nb}/{len(b.readiness)} ready) -> {a.overall.value} "
             f"({na}/{len(a.readiness)} ready)", ""]
    changed = [r for r in c.readiness if r.change != "same"]
    width = max([len(f"{r.participant}/{r.competency}") for r in c.readiness] + [len("participant/competency")])
    lines.append(f"{'participant/competency'.ljust(width)}  {'before':14s}  {'after':14s}  change")
    for r in c.readiness:
        lines.append(f"{f'{r.participant}/{r.competency}'.ljust(width)}  {readiness_cell(r.before):14s}  "
                     f"{readiness_cell(r.after):14s}  {r.change}")
    lines.append(f"({len(changed)} of {len(c.readiness)} pairs changed)")
    counts = {k: sum(s.change == k for s in c.sessions) for k in ("moved", "added", "removed")}
    lines.append("")
    lines.append(f"Sessions: {c.unchanged_sessions} unchanged, {counts['moved']} moved, {counts['added']} added, "
                 f"{counts['removed']} removed")
    for s in c.sessions[:max_sessions]:
        when = {
            "moved": f"{s.before:%Y-%m-%d %H:%M} -> {s.after:%Y-%m-%d %H:%M}" if s.before and s.after else "",
            "added": f"{s.after:%Y-%m-%d %H:%M}" if s.after else "",
            "removed": f"{s.before:%Y-%m-%d %H:%M}" if s.before else "",
        }[s.change]
        reason = (why or {}).get((s.participant, s.module, s.session))
        lines.append(f"  {s.change:7s} {s.participant}/{s.module} #{s.session}: {when}" + (f"  ({reason})" if reason else ""))
    if len(c.sessions) > max_sessions:
        lines.append(f"  ... and {len(c.sessions) - max_sessions} more (see compare.csv)")
    booked = [f"{rid} {hb:g} -> {ha:g}" for rid, hb, ha in c.resource_hours if hb or ha]
    if booked:  # a file without resources (or none booked) has no such line
        lines.append("")
        lines.append("Resource hours booked: " + ", ".join(booked))
    if note:
        lines += ["", note]
    return "\n".join(lines)
