"""Plain-text terminal summaries (no computation here)."""

from __future__ import annotations

from planner.data.people import held as held_pairs
from planner.data.result import status_words
from planner.plan.missions import substitution_verdicts, substitutions
from planner.plan.pipeline import PlanOutcome
from planner.plan.readiness import Verdict

_MARK = {Verdict.READY: "ready", Verdict.NOT_READY: "NOT READY", Verdict.UNKNOWN: "unknown", Verdict.WAIVED: "WAIVED"}


def verdict_table(out: PlanOutcome) -> str:
    """Participant x competency matrix with slack days, then the reasons."""
    # Every competency some role requires, held or not, in the file's order.
    required = {c for r in out.scenario.roles for c in r.requires} | {r.competency for r in out.readiness}
    comps = [c.id for c in out.scenario.competencies if c.id in required]
    people = [p.id for p in out.scenario.participants]
    cell = {(r.participant, r.competency): r for r in out.readiness}
    width = max([len(p) for p in people] + [11])
    cw = max([len(c) for c in comps] + [9])
    lines = [" " * width + " | " + " | ".join(c.ljust(cw) for c in comps)]
    lines.append("-" * len(lines[0]))
    held = held_pairs(out.scenario)
    if not comps:  # no role requires a competency: nothing to be ready for (an empty matrix says nothing)
        lines[:] = ["No role requires a competency: there is no participant-competency pair to be ready for."]
        people = []
    for p in people:
        cells = []
        for c in comps:
            r = cell.get((p, c))
            if r is None:
                # No goal: the participant holds it (or its modules are waived), or the role does not require it.
                cells.append(("held" if c in held[p] else "-").ljust(cw))
            elif r.status == Verdict.READY:
                cells.append(f"ok +{r.slack_days}d".ljust(cw))
            else:
                cells.append(_MARK[r.status].ljust(cw))
        lines.append(p.ljust(width) + " | " + " | ".join(cells))
    res = out.result
    lines.append("")
    lines.append(
        f"Readiness: {out.overall.value}  ({res.num_goals_met}/{len(out.data.goals)} participant-competency pairs met"
        + (f", at most {res.goals_bound} can be met" if res.goals_bound is not None and res.goals_bound < len(out.data.goals) else "")
        + f"; {status_words(res)})"
    )
    lines.extend(mission_lines(out))
    if out.proof:
        lines.append(f"Not everybody can be ready ({out.proof}); the pairs left UNKNOWN are not decided one by one")
    if res.objective is not None:
        gap = res.gap or 0.0
        kind = "optimal" if gap < 1e-9 else f"gap {gap:.1%}"
        n = len(res.schedule.sessions) if res.schedule else 0
        lines.append(f"Plan: {n} session{'' if n == 1 else 's'}, secondary objective {kind}")
    lines.append("(ok +Nd: ready with N days of slack before the deadline; held: already held, or its modules "
                 "waived; -: not required)")
    for r in out.readiness:
        if r.status != Verdict.READY:
            lines.append(f"  {r.participant}/{r.competency}: {r.status.value} - {r.reason}")
    return "\n".join(lines)


def mission_lines(out: PlanOutcome) -> list[str]:
    """Per mission (files with missions) and per substitute: the verdict, in one line each."""
    lines = []
    if out.scenario.missions:
        for m in out.missions:
            met, total = m.prime_pairs
            crew = f"prime crew {met}/{total} pairs ready" if total else \
                "no pair to train in its prime crew (no participant in it yet, or every competency held)"
            line = f"  mission {m.mission} (launch {m.launch}): {m.prime.value} - {crew}"
            if m.backup is not None:
                bmet, btotal = m.backup_pairs
                line += f"; backup crew {m.backup.value} ({bmet}/{btotal})" if btotal else \
                    "; no pair to train in its backup crew"
            lines.append(line)
    subs = substitutions(out.scenario, out.readiness)
    for (x, y), verdict in substitution_verdicts(subs).items():
        short = [s for s in subs if s.substitute == x and s.replaced == y and s.status not in (None, Verdict.READY)]
        slack = [s.slack_days for s in subs if s.substitute == x and s.replaced == y and s.slack_days is not None]
        what = (f"least slack +{min(slack)}d" if verdict == Verdict.READY and slack else
                "; ".join(f"{s.competency} {s.status.value if s.status else 'held'}" for s in short) or "all held")
        lines.append(f"  if {x} replaces {y}: {verdict.value} ({what})")
    return lines
