"""The one authority on the days a session may use, and on why a job can never run.

A session of a job may run on day ``d`` when every rule below lets it:

* calendar: ``Job.open_days`` (working days, participant leave, resource
  outages and availability, all folded in by :func:`build_problem`);
* season: ``Job.season_days``, when the module has a season;
* deadline: every session ends before the module's deadline gate
  (``Job.deadline_day``);
* recency: the *last* session only, on ``Job.last_open_days`` (every session
  with ``Job.recent_all``: ``recency_of: all``);
* release: on or after ``ProblemData.release_day`` (re-planning: the past is
  history, not to be planned).

The model takes its variables' domains from here, the greedy its days, the
readiness verdicts their "impossible" reasons and the pre-solve checks their
day counts. Only the independent verifier (:mod:`planner.verify.checks`)
keeps a copy of these rules, on purpose. A caller that wants fewer rules
names them with ``rules=`` (and says why); the default is every rule.

:func:`impossible` says why a job can never be scheduled as a
:class:`Impossible` (a kind and the numbers that show it); the wording is
the caller's (:func:`planner.plan.readiness.impossible_reason`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum, Flag, auto

from planner.data.people import people_short
from planner.data.problem import ProblemData


class Rule(Flag):
    """A rule that closes days to a job's sessions (combine with ``|``)."""

    CALENDAR = auto()
    SEASON = auto()
    DEADLINE = auto()
    RECENCY = auto()  # the last session only (every session with recency_of: all)
    RELEASE = auto()
    ALL = CALENDAR | SEASON | DEADLINE | RECENCY | RELEASE


# The order in which :func:`closed_by` names the rule that closes a day: the
# job's own rules first, then the re-planning date.
_ORDER = (Rule.CALENDAR, Rule.SEASON, Rule.DEADLINE, Rule.RECENCY, Rule.RELEASE)


def closed_by(data: ProblemData, job: int, day: int, last: bool = False, rules: Rule = Rule.ALL) -> Rule | None:
    """The first of ``rules`` that closes ``day`` to a session of ``job`` (the last one if ``last``), or None."""
    jb = data.jobs[job]
    for rule in _ORDER:
        if rule not in rules:
            continue
        if rule is Rule.CALENDAR:
            closed = not jb.open_days[day]
        elif rule is Rule.SEASON:
            closed = jb.season_days is not None and not jb.season_days[day]
        elif rule is Rule.DEADLINE:
            closed = jb.deadline_day is not None and day >= jb.deadline_day
        elif rule is Rule.RECENCY:
            closed = (last or jb.recent_all) and jb.last_open_days is not None and not jb.last_open_days[day]
        else:
            closed = day < data.release_day
        if closed:
            return rule
    return None


def is_open(data: ProblemData, job: int, day: int, last: bool = False) -> bool:
    """Whether every rule lets a session of ``job`` (the last one if ``last``) run on ``day``.

    The same answer as ``closed_by(...) is None``, written flat for inner
    loops (the greedy asks it for every day it scans).
    """
    jb = data.jobs[job]
    return (
        jb.open_days[day]
        and day >= data.release_day
        and (jb.season_days is None or jb.season_days[day])
        and (jb.deadline_day is None or day < jb.deadline_day)
        and not ((last or jb.recent_all) and jb.last_open_days is not None and not jb.last_open_days[day])
    )


def allowed_days(data: ProblemData, job: int, last: bool = False, rules: Rule = Rule.ALL) -> list[int]:
    """Days, in order, on which a session of ``job`` (the last one if ``last``) may run under ``rules``."""
    # The rules of closed_by, each tested once per call rather than once per day (model building
    # asks this for every job of every probe).
    jb = data.jobs[job]
    days = range(data.num_days)
    if Rule.RELEASE in rules:
        days = range(min(data.release_day, data.num_days), data.num_days)
    if Rule.DEADLINE in rules and jb.deadline_day is not None:
        days = range(days.start, max(days.start, min(days.stop, jb.deadline_day)))
    masks = []
    if Rule.CALENDAR in rules:
        masks.append(jb.open_days)
    if Rule.SEASON in rules and jb.season_days is not None:
        masks.append(jb.season_days)
    if Rule.RECENCY in rules and (last or jb.recent_all) and jb.last_open_days is not None:
        masks.append(jb.last_open_days)
    return [d for d in days if all(m[d] for m in masks)]


def day_range(data: ProblemData, job: int) -> range:
    """The days between the release day and the job's deadline: every allowed day lies in it,
    so a scan for one may stop at its end."""
    deadline = data.jobs[job].deadline_day
    return range(data.release_day, data.num_days if deadline is None else min(deadline, data.num_days))


class Why(Enum):
    """Kinds of reason a job can never be scheduled, in the order :func:`impossible` tries them."""

    LONGER_THAN_DAY = auto()  # a session does not fit in a working day
    NO_INSTRUCTOR = auto()  # it needs an instructor and nobody is qualified
    OUT_OF_SEASON = auto()  # its season has no working day at all (needs the grid's working days)
    RESOURCE_OUT_OF_SEASON = auto()  # a resource it needs is available on no working day (needs them too)
    NO_OPEN_DAY = auto()  # no day is open to its sessions
    NO_LAST_DAY = auto()  # no day is open to its last session (recency)
    TOO_FEW_DAYS = auto()  # fewer open days than its sessions need
    TOO_SPREAD = auto()  # spaced sessions need more calendar days than lie between its first and last open day
    NO_CONSECUTIVE_RUN = auto()  # consecutive sessions and no run of open days long enough
    OVER_CAPACITY = auto()  # it needs more of a resource than the resource has


ALL_CHECKS: frozenset[Why] = frozenset(Why)


@dataclass(frozen=True)
class Impossible:
    """Why a job can never be scheduled, with the numbers that show it.

    ``sessions``: sessions still to do; ``days``/``last_days``: the days open
    to them and to the last one; ``need``: days they need (TOO_FEW_DAYS);
    ``resource``/``demand``: the resource asked beyond capacity (OVER_CAPACITY);
    ``resource``: the resource closed on every working day (RESOURCE_OUT_OF_SEASON).
    """

    why: Why
    sessions: int = 0
    days: tuple[int, ...] = ()
    last_days: tuple[int, ...] = ()
    need: int = 0
    resource: int = -1
    demand: int = 0


def impossible(
    data: ProblemData,
    job: int,
    checks: Collection[Why] = ALL_CHECKS,
    working: Sequence[bool] | None = None,
) -> Impossible | None:
    """The first of ``checks`` (in :class:`Why` order) that proves ``job`` can never run, or None.

    Days are counted under every rule (:func:`allowed_days`), for the
    sessions still to do: a job whose sessions are all history has no day
    to find. ``working`` (the grid's working days) lets OUT_OF_SEASON and
    RESOURCE_OUT_OF_SEASON tell a season (the module's, or a resource's
    availability) outside the window from calendars that close it; without it
    those checks are skipped.
    """
    jb = data.jobs[job]
    if Why.LONGER_THAN_DAY in checks and jb.length > data.slots_per_day:
        return Impossible(Why.LONGER_THAN_DAY)
    if Why.NO_INSTRUCTOR in checks and ((jb.needs_instructor and not jb.instructors) or (
            jb.staff and people_short(jb.instructors if jb.needs_instructor else None, jb.staff))):
        return Impossible(Why.NO_INSTRUCTOR)
    if (Why.OUT_OF_SEASON in checks and working is not None and jb.season_days is not None
            and not any(a and b for a, b in zip(jb.season_days, working, strict=True))):
        return Impossible(Why.OUT_OF_SEASON)
    if Why.RESOURCE_OUT_OF_SEASON in checks and working is not None:
        for r, _ in jb.resources:
            avail = data.resources[r].open_days
            if avail is not None and not any(a and b for a, b in zip(avail, working, strict=True)):
                return Impossible(Why.RESOURCE_OUT_OF_SEASON, resource=r)
    n = jb.num_sessions - jb.num_fixed
    if n == 0:
        return None
    days = tuple(allowed_days(data, job))
    last_days = tuple(allowed_days(data, job, last=True))
    found = _day_reason(data, job, checks, n, days, last_days)
    if found is not None:
        return found
    if Why.OVER_CAPACITY in checks:
        for r, demand in jb.resources:
            if demand > data.resources[r].capacity:
                return Impossible(Why.OVER_CAPACITY, n, days, last_days, resource=r, demand=demand)
    return None


def _day_reason(
    data: ProblemData, job: int, checks: Collection[Why], n: int, days: tuple[int, ...], last_days: tuple[int, ...]
) -> Impossible | None:
    """The reasons :func:`impossible` reads from the open days of ``n`` sessions still to do."""
    jb = data.jobs[job]
    if Why.NO_OPEN_DAY in checks and not days:
        return Impossible(Why.NO_OPEN_DAY, n, days, last_days)
    if Why.NO_LAST_DAY in checks and not last_days:
        return Impossible(Why.NO_LAST_DAY, n, days, last_days)
    need = data.days_needed(job, n)
    if Why.TOO_FEW_DAYS in checks and len(days) < need:
        return Impossible(Why.TOO_FEW_DAYS, n, days, last_days, need=need)
    if not days or not last_days:
        return None  # the checks below compare the first and last open days
    if (Why.TOO_SPREAD in checks and jb.min_gap_days and n > 1
            and last_days[-1] - days[0] < (n - 1) * jb.min_gap_days):
        return Impossible(Why.TOO_SPREAD, n, days, last_days)
    if Why.NO_CONSECUTIVE_RUN in checks and jb.consecutive and n > 1:
        open_set = set(days)
        if not any(all(d + k in open_set for k in range(n - 1)) and d + n - 1 in last_days for d in days):
            return Impossible(Why.NO_CONSECUTIVE_RUN, n, days, last_days)
    return None
