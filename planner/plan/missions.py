"""Verdicts per mission and crew, and readiness "if X replaces Y".

A mission is ready when its prime crews are: every pair of theirs READY
(WAIVED pairs make it "ready with waivers"). Its backup crews are judged the
same way, by their own deadlines (``backup_ready_by``), and reported beside
it; they never decide the mission's verdict. A file without missions is one
mission of every crew, so its verdict is the old overall verdict.

The overall verdict of several missions is the worst of theirs: NOT_READY
(some mission proven not ready), else UNKNOWN, else WAIVED, else READY.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.calendar.missions import mission_times, participant_missions
from planner.data.people import waived_competency
from planner.plan.readiness import Readiness, Verdict
from planner.scenario.schema import Scenario

_WORST = (Verdict.NOT_READY, Verdict.UNKNOWN, Verdict.WAIVED, Verdict.READY)


def combine(statuses: Iterable[Verdict]) -> Verdict:
    """The verdict of a group of pairs (or of missions): the worst of them, READY when empty."""
    seen = set(statuses)
    return next((v for v in _WORST if v in seen), Verdict.READY)


@dataclass(frozen=True)
class MissionVerdict:
    """One mission's verdict: its prime crews', and its backup crews' (None: no backup crew)."""

    mission: str
    name: str
    launch: dt.date
    prime: Verdict
    prime_pairs: tuple[int, int]  # (met, total)
    backup: Verdict | None
    backup_pairs: tuple[int, int]


def mission_of(sc: Scenario) -> dict[str, str]:
    """Each participant's mission id ("" for a file without missions)."""
    times = mission_times(sc)
    return {p.id: times[mi].id for p, mi in zip(sc.participants, participant_missions(sc), strict=True)}


def mission_verdicts(sc: Scenario, rows: Sequence[Readiness]) -> list[MissionVerdict]:
    """One :class:`MissionVerdict` per mission of ``sc`` (one for a file without missions)."""
    times = mission_times(sc)
    which = participant_missions(sc)
    crew = {p.id: p.crew for p in sc.participants}
    out = []
    for mi, m in enumerate(times):
        members = {p.id for p, w in zip(sc.participants, which, strict=True) if w == mi}
        mine = [r for r in rows if r.participant in members]
        backups = set(m.backup)
        prime = [r for r in mine if crew[r.participant] not in backups]
        backup = [r for r in mine if crew[r.participant] in backups]
        out.append(MissionVerdict(
            m.id, m.name, m.launch, combine(r.status for r in prime), _count(prime),
            combine(r.status for r in backup) if backups else None, _count(backup),
        ))
    return out


def _count(rows: Sequence[Readiness]) -> tuple[int, int]:
    return sum(r.status == Verdict.READY for r in rows), len(rows)


@dataclass(frozen=True)
class Substitution:
    """Readiness of ``substitute`` for one competency of ``replaced``'s role, by ``replaced``'s deadline."""

    substitute: str
    replaced: str
    competency: str
    status: Verdict | None  # None: the substitute already holds it
    achieved_on: dt.date | None
    deadline: dt.date | None
    slack_days: int | None
    reason: str


def substitutions(sc: Scenario, rows: Sequence[Readiness]) -> list[Substitution]:
    """For each ``substitute_for``: every competency the replaced participant's role needs,
    met by the substitute in this plan by the replaced participant's deadline or not."""
    people = {p.id: p for p in sc.participants}
    roles = {r.id: r.requires for r in sc.roles}
    by_pair = {(r.participant, r.competency): r for r in rows}
    times, which = mission_times(sc), participant_missions(sc)
    launch = {p.id: times[m].launch for p, m in zip(sc.participants, which, strict=True)}
    out = []
    for x in sc.participants:
        if x.substitute_for is None or x.substitute_for not in people:
            continue
        y = people[x.substitute_for]
        for cid in roles.get(y.role, ()):
            if cid in x.holds or waived_competency(sc, x, cid):
                out.append(Substitution(x.id, y.id, cid, None, None, None, None, "held"))
                continue
            mine, theirs = by_pair.get((x.id, cid)), by_pair.get((y.id, cid))
            deadline = theirs.deadline if theirs is not None else (mine.deadline if mine is not None else None)
            if mine is None:
                out.append(Substitution(x.id, y.id, cid, Verdict.NOT_READY, None, deadline, None,
                                        f"not in {x.id}'s training (role {x.role} does not require it)"))
            elif mine.status != Verdict.READY or mine.achieved_on is None or deadline is None:
                out.append(Substitution(x.id, y.id, cid, mine.status, None, deadline, None, mine.reason))
            elif mine.achieved_on >= deadline:
                out.append(Substitution(x.id, y.id, cid, Verdict.UNKNOWN, mine.achieved_on, deadline, None,
                                        f"met on {mine.achieved_on} in this plan, after {y.id}'s deadline "
                                        f"{deadline} (not proven impossible earlier)"))
            elif mine.expires is not None and launch[y.id] > mine.expires:
                # Current for x's own launch, not for y's later one (recency counts back from the launch flown).
                out.append(Substitution(x.id, y.id, cid, Verdict.UNKNOWN, mine.achieved_on, deadline, None,
                                        f"met on {mine.achieved_on} in this plan, but its training counts for a "
                                        f"launch by {mine.expires} (recency) and {y.id} launches on "
                                        f"{launch[y.id]} (not proven impossible with later training)"))
            else:
                out.append(Substitution(x.id, y.id, cid, Verdict.READY, mine.achieved_on, deadline,
                                        (deadline - mine.achieved_on).days, mine.reason))
    return out


def substitution_verdicts(subs: Sequence[Substitution]) -> dict[tuple[str, str], Verdict]:
    """(substitute, replaced) -> the verdict over all the replaced participant's competencies."""
    pairs: dict[tuple[str, str], list[Verdict]] = {}
    for s in subs:
        pairs.setdefault((s.substitute, s.replaced), []).append(s.status or Verdict.READY)
    return {k: combine(v) for k, v in pairs.items()}
