"""Who takes which module and how much of it: classes of joint modules and individual needs.

:func:`planner.data.problem.build_problem` asks here which participants train
together in a ``joint: mission`` or ``joint: cohort`` module, how many
sessions a job has (a participant's own hours or sessions,
``participants[].modules``) and whether a module is waived for someone.
"""

from __future__ import annotations

from planner.calendar.missions import participant_missions
from planner.scenario.schema import Module, Participant, Scenario


def waived(p: Participant, module: str) -> bool:
    """Whether ``p``'s individual needs waive ``module`` (``participants[].modules``)."""
    own = p.modules.get(module)
    return own is not None and own.waived


def num_sessions(sc: Scenario, m: Module, members: tuple[int, ...]) -> int:
    """The sessions of ``m`` for a job of ``members``: the module's, or one participant's own
    hours or sessions (checks allow an override only on a module taken alone)."""
    if len(members) == 1:
        own = sc.participants[members[0]].modules.get(m.id)
        if own is not None and own.sessions is not None:
            return own.sessions
        if own is not None and own.hours is not None:
            return round(own.hours / m.session_hours)
    return m.num_sessions


def classes(sc: Scenario, joint: str, takers: list[int]) -> list[tuple[str, tuple[int, ...]]]:
    """Who trains together in a ``joint: mission`` or ``joint: cohort`` module, with the owner id
    of each job: the mission's id (``all`` without missions), or the cohort's name; a taker
    in no cohort trains alone (owner: their id)."""
    which = participant_missions(sc)
    names = [m.id for m in sc.missions] or ["all"]
    out: dict[str, list[int]] = {}
    for pi in takers:
        p = sc.participants[pi]
        owner = names[which[pi]] if joint == "mission" else (p.cohort or p.id)
        out.setdefault(owner, []).append(pi)
    return [(owner, tuple(members)) for owner, members in out.items()]
