"""Readiness verdicts per participant x competency, with slack and reason.

The verdict is only as strong as the proof behind it:

* READY: a verified schedule meets the competency before its deadline;
* NOT_READY: phase 1 proved that not all goals can be met (or the problem is
  infeasible) and this plan leaves the goal unmet; the reason says whether it
  is impossible even on its own (checked by a separate solve) or a trade-off;
  or, whatever phase 1 proved, the goal was screened out beforehand as
  impossible on its own modules alone (a relaxation, see planner.plan.relax);
* UNKNOWN: the time limit stopped the solver before it could prove either;
* WAIVED: a NOT_READY pair (as above) of a ``waivable`` competency: the
  programme goes ahead without it, at its ``waive_cost``. Never READY, and
  only where NOT_READY is proven: an undecided pair stays UNKNOWN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from planner.calendar.grid import TimeGrid, gate_date
from planner.data.days import Rule, Why, allowed_days, impossible
from planner.data.problem import Goal, ProblemData
from planner.data.result import Result, SolveStatus
from planner.scenario.schema import Module, Scenario
from planner.solve.budget import CONFIRM_EACH_S, CONFIRM_MIN_S, CONFIRMS, CONFIRMS_ALONE, Budget
from planner.solve.feasibility import plan_meeting_goals
from planner.solve.params import SolveParams


class Verdict(str, Enum):
    """Readiness of one participant for one competency."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    UNKNOWN = "UNKNOWN"
    WAIVED = "WAIVED"  # a waivable competency the plan cannot meet: waived at its cost, never READY

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Readiness:
    """One row of the readiness table."""

    participant: str
    competency: str
    status: Verdict
    achieved_on: dt.date | None
    deadline: dt.date
    slack_days: int | None
    reason: str
    # The last launch date for which the training counts under its recency rules (None: it
    # does not expire): the earliest, over the modules that make it, of day + recency_days.
    expires: dt.date | None = None


def _expires(mods: dict[str, Module], grid: TimeGrid, data: ProblemData, jobs: list[int],
             first_day: dict[int, int], end_day: dict[int, int]) -> dt.date | None:
    """When the training of ``jobs`` stops counting under the modules' recency rules: the
    earliest day + recency_days, over the modules with one (every session's, with recency_of: all)."""
    out: list[dt.date] = []
    for j in jobs:
        m = mods[data.jobs[j].module]
        if m.recency_days is None:
            continue
        day = first_day[j] if m.recency_of == "all" else end_day[j]
        out.append(grid.days[day] + dt.timedelta(days=m.recency_days))
    return min(out, default=None)


def impossible_reason(sc: Scenario, grid: TimeGrid, data: ProblemData, job: int) -> str | None:
    """Why ``job`` can never be scheduled, in domain terms, or None.

    The reason is :func:`planner.data.days.impossible`'s (re-planning: only
    the sessions still to do, from the release day); the words are here.
    """
    why = impossible(data, job, working=grid.open)
    if why is None:
        return None
    jb = data.jobs[job]
    mod = next(m for m in sc.modules if m.id == jb.module)
    n, days, last_days = why.sessions, why.days, why.last_days
    match why.why:
        case Why.LONGER_THAN_DAY:
            return "a session is longer than a working day"
        case Why.NO_INSTRUCTOR:
            if jb.needs_instructor and not jb.instructors:
                return f"no instructor is qualified for {mod.instructor}"
            short = next((n for n in jb.staff if len(n.candidates) < n.count), None)
            if short is not None:
                return (f"its sessions need {short.count} x {short.qualification} ({short.role}), "
                        f"but only {len(short.candidates)} instructor(s) hold it")
            wanted = int(jb.needs_instructor) + sum(n.count for n in jb.staff)
            return (f"its sessions need {wanted} different people (instructor and "
                    f"{', '.join(f'{n.count} {n.role}' for n in jb.staff)}), and the qualified ones are too few")
        case Why.OUT_OF_SEASON:
            return (f"its season ({_seasons(mod)}) has no working day in the window {_window(grid)}"
                    f"{_closed(grid, jb.season_days)}")
        case Why.RESOURCE_OUT_OF_SEASON:
            return (f"its season ({_limits(sc, data, why.resource)}) has no working day in the window {_window(grid)}"
                    f"{_closed(grid, data.resources[why.resource].open_days)}")
        case Why.NO_OPEN_DAY:
            return "no working day is open for it (calendars, resource availability, season or deadline)"
        case Why.NO_LAST_DAY:
            if jb.last_open_days is not None:
                first = next((grid.days[d] for d, ok in enumerate(jb.last_open_days) if ok and d < grid.num_days), None)
                since = f": from {first}" if first is not None else ""
                other = (f"; the days otherwise open to it{' (its season)' if jb.season_days is not None else ''} "
                         f"end on {grid.days[days[-1]]}") if days else ""
                return (f"the recency rule ({mod.recency_days} days before launch{since}) leaves no open day before "
                        f"its deadline{other}")
            return "no open day before its deadline"
        case Why.TOO_FEW_DAYS:
            on = "" if why.need == n else f" on at least {why.need} days"
            open_ = "1 day is" if len(days) == 1 else f"{len(days)} days are"
            return f"needs {n} sessions{on} but only {open_} open for it"
        case Why.TOO_SPREAD:
            return (f"{n} sessions at least {jb.min_gap_days} days apart need {(n - 1) * jb.min_gap_days + 1} "
                    f"calendar days, but it may only run from {grid.days[days[0]]} to {grid.days[last_days[-1]]}")
        case Why.NO_CONSECUTIVE_RUN:
            return f"its {n} sessions must run on {n} consecutive calendar days, and no such run of open days exists"
        case Why.OVER_CAPACITY:
            res = data.resources[why.resource]
            return f"needs {why.demand} of {res.id}, capacity {res.capacity}"


def _seasons(mod: Module) -> str:
    """A module's own seasons, in the file's words."""
    return ", ".join(f"{x.start} .. {x.end}" for x in mod.allowed)


def _limits(sc: Scenario, data: ProblemData, r: int) -> str:
    """When resource ``r`` may be used, in the file's words (availability, dates, closures)."""
    site = next(x for x in sc.resources if x.id == data.resources[r].id)
    limits = []
    if site.available:
        limits.append(f"{site.id} available {', '.join(f'{s.start} .. {s.end}' for s in site.available)}")
    if site.available_dates:
        limits.append(f"{site.id} only on {_dates(site.available_dates)}")
    if site.blackouts:
        limits.append(f"{site.id} closed {', '.join(f'{b.start} .. {b.end}' for b in site.blackouts)}")
    return "; ".join(limits)


def _deadline_reason(sc: Scenario, grid: TimeGrid, data: ProblemData, job: int, deadline_day: int) -> str | None:
    """Why ``job`` can never end before a goal's deadline day (a competency's deadline may come before
    the end of the module's own days), or None: too few open days before it, and when none is open, the
    season or the resource availability that closes the working days before it."""
    jb = data.jobs[job]
    n = jb.num_sessions - jb.num_fixed
    if n == 0 or deadline_day >= data.num_days:
        return None
    days = {d for d in allowed_days(data, job) if d < deadline_day}
    last = [d for d in allowed_days(data, job, last=True) if d < deadline_day]
    usable = len(days | set(last))
    need = data.days_needed(job, n)
    if last and usable >= need:
        return None
    by = grid.days[deadline_day]
    mod = next(m for m in sc.modules if m.id == jb.module)
    if not last and days:
        if jb.last_open_days is not None:  # the recency rule: the last session only near launch
            return (f"the recency rule ({mod.recency_days} days before launch) leaves its last session no open "
                    f"day before the deadline {by}")
        return f"its last session has no open day before the deadline {by}"
    if days or last:
        open_ = "1 day is" if usable == 1 else f"{usable} days are"
        on = "1 day" if need == 1 else f"{need} days"
        return f"needs {n} sessions on at least {on} but only {open_} open for it before the deadline {by}"
    working = [d for d in range(min(deadline_day, data.num_days)) if grid.open[d]]
    if jb.season_days is not None and mod.allowed and not any(jb.season_days[d] for d in working):
        return f"its season ({_seasons(mod)}) opens no working day before the deadline {by}"
    for r, _ in jb.resources:
        avail = data.resources[r].open_days
        if avail is not None and not any(avail[d] for d in working):
            return f"its season ({_limits(sc, data, r)}) opens no working day before the deadline {by}"
    return f"no working day before the deadline {by} is open for it (calendars, resource availability or season)"


def _closed(grid: TimeGrid, season: tuple[bool, ...] | None) -> str:
    """The season's days inside the window, all closed to training (else the season lies outside it)."""
    inside = tuple(grid.days[d] for d, ok in enumerate(season or ()) if ok and d < grid.num_days)
    if not inside:
        return ""
    return f": its days there ({_dates(inside)}) are closed to training (weekends, holidays, gates)"


def _window(grid: TimeGrid) -> str:
    """The training window, first to last training day."""
    return f"{grid.window_start} .. {grid.training_end - dt.timedelta(days=1)}"


def _dates(days: tuple[dt.date, ...]) -> str:
    shown = ", ".join(str(d) for d in days[:4])
    return shown + (f" and {len(days) - 4} more" if len(days) > 4 else "")


def _binding(sc: Scenario, data: ProblemData, job: int, day: int, first: int | None = None) -> str:
    """What holds the last module of a met goal where it is (``day``: its last session's; ``first``: its
    first session's, which a ``recency_of: all`` rule holds)."""
    jb = data.jobs[job]
    mod = next(m for m in sc.modules if m.id == jb.module)
    # The first day the module's own rules let its last session run; the
    # re-planning date is not one of them and is left out, as it always was.
    last_days = allowed_days(data, job, last=True, rules=Rule.ALL & ~Rule.RELEASE)
    held = first if jb.recent_all and first is not None else day
    if jb.last_open_days is not None and last_days and held == last_days[0]:
        which = f"every session of {mod.id} must be" if jb.recent_all else f"{mod.id} must end"
        return f"bound by recency: {which} within {mod.recency_days} days of launch"
    if jb.season_days is not None and last_days and day == last_days[0]:
        # season_days are the module's season and its training block's days
        what = " and ".join(x for x, on in (("season", bool(mod.allowed)), (f"block {mod.block}", mod.block is not None))
                            if on)
        return f"bound by the first day {mod.id} may run ({what})"
    return f"last module {mod.id}"


def assess(
    sc: Scenario,
    grid: TimeGrid,
    data: ProblemData,
    result: Result,
    params: SolveParams | None = None,
    confirm: bool = True,
    impossible: Mapping[int, tuple[int, int] | None] | None = None,
    budget: Budget | None = None,
) -> list[Readiness]:
    """One :class:`Readiness` per goal of ``data``, honest to ``result``'s status.

    With ``confirm``, each unmet goal of a proven plan is re-solved alone (a
    short feasibility check) to tell "impossible" from "trade-off", all together
    within :data:`CONFIRMS` of ``budget``, the command's (default:
    :data:`CONFIRMS_ALONE` of ``params``' limit), each at most
    :data:`CONFIRM_EACH_S` and only while :data:`CONFIRM_MIN_S` is left.
    ``impossible``: goals proven impossible alone beforehand
    (:func:`planner.plan.relax.screen_goals`), NOT_READY whatever the plan's status.
    """
    impossible = impossible or {}
    params = params or SolveParams()
    confirming = params.budget().after(CONFIRMS_ALONE) if budget is None else budget.after(CONFIRMS)
    S = data.slots_per_day
    gate_dates = {g.id: gate_date(g, sc.window.launch) for g in sc.gates}
    proven = result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    rows = []
    sched = result.schedule
    end_day: dict[int, int] = {}
    end_slot: dict[int, int] = {}  # when a job's last session ends: orders jobs that end on the same day
    first_day: dict[int, int] = {}
    if sched is not None:
        for s in sched.sessions:
            first_day[s.job] = min(first_day.get(s.job, s.start // S), s.start // S)
            end_day[s.job] = max(end_day.get(s.job, -1), s.start // S)
            end_slot[s.job] = max(end_slot.get(s.job, -1), s.end)
    comp = {c.id: c for c in sc.competencies}
    mods = {m.id: m for m in sc.modules}
    # Not settled which pairs give way (the count proven, not the tie-break): an unmet decisive pair (a prime
    # crew's, that cannot be waived) might be met in place of a met pair that is not (waivable, or a backup
    # crew's), unless more pairs must be missed than there are such pairs (then some decisive one always is).
    lesser = [g for g, goal in enumerate(data.goals) if not goal.decisive]
    missed = len(data.goals) - (result.goals_bound if result.goals_bound is not None else len(data.goals))
    swappable = (not result.settled and missed <= len(lesser)
                 and any(result.goals_met and result.goals_met[g] for g in lesser))
    for g, goal in enumerate(data.goals):
        pid = data.participants[goal.participant].id
        c = comp[goal.competency]
        # A deadline gate after the end of regular training (an until_launch
        # gate) is not reachable: training ends first, and slack counts to then.
        if sc.by_mission:  # each participant's own mission: the goal's deadline day says it all
            deadline = grid.window_start + dt.timedelta(days=goal.deadline_day)
        else:
            deadline = min(gate_dates[c.deadline], grid.training_end) if c.deadline else grid.training_end
        met = bool(result.goals_met and result.goals_met[g])
        if met:
            # The job used for each group (all of the participant's own or crew jobs) is its
            # earliest-ending done option; the last module is the one of those that ends last,
            # by end time, not only by day (later alternatives and other modules do not count).
            chosen = []
            for group in goal.groups:
                options = [j for j in group if j in end_day and end_day[j] < goal.deadline_day]
                chosen.append(min(options, key=lambda j: end_slot[j]))
            # A refresher done for a chosen module (before the deadline) is where it is current again.
            # The participant's own refresher: a crew module has one per member (the last one won before).
            redone = {rule.initial: rule.refresh for rule in data.refreshers
                      if rule.initial in chosen and goal.participant in data.jobs[rule.refresh].participants
                      and end_day.get(rule.refresh, goal.deadline_day) < goal.deadline_day}
            chosen = [redone.get(j, j) for j in chosen]  # its refresher's recency replaces the module's
            last_job = max(chosen, key=lambda j: end_slot[j])
            day = grid.days[end_day[last_job]]
            rows.append(
                Readiness(pid, c.id, Verdict.READY, day, deadline, (deadline - day).days,
                          _binding(sc, data, last_job, end_day[last_job], first_day.get(last_job)),
                          _expires(mods, grid, data, chosen, first_day, end_day))
            )
            continue
        reason = _unmet_reason(sc, grid, data, goal)
        if reason is None and g in impossible:
            reason = _alone_reason(grid, goal.deadline_day, impossible[g])
        if reason is not None:
            rows.append(Readiness(pid, c.id, Verdict.NOT_READY, None, deadline, None, reason))
        elif not proven:
            what = "no plan was found" if sched is None else "the best plan found misses it"
            rows.append(Readiness(pid, c.id, Verdict.UNKNOWN, None, deadline, None,
                                  f"time limit: {what}; not proven impossible"))
        else:
            why = "not all competencies can be met together (proven)"
            alone = SolveStatus.UNKNOWN
            if confirm and confirming.worth(CONFIRM_MIN_S):
                limit = confirming.rest(cap=CONFIRM_EACH_S)
                alone = plan_meeting_goals(data, (g,), SolveParams(time_limit=limit, deterministic=params.deterministic,
                                                                   seed=params.seed, num_workers=params.num_workers),
                                           budget=confirming)[0]
                if alone == SolveStatus.INFEASIBLE:
                    why = "cannot be met even on its own (proven); see 'planner explain'"
                elif alone == SolveStatus.FEASIBLE:
                    why = "possible on its own but only at the expense of other competencies (proven trade-off)"
            if alone != SolveStatus.INFEASIBLE and swappable and goal.decisive:
                # The count is proven, not which pairs give way: a plan meeting as many may meet this one and
                # leave a waivable or backup pair (met here) unmet instead.
                rows.append(Readiness(pid, c.id, Verdict.UNKNOWN, None, deadline, None,
                                      f"time limit: not every pair can be met together (proven: at most "
                                      f"{result.goals_bound} of {len(data.goals)}), but whether this one or a "
                                      "waivable or backup crew's pair gives way is not settled"))
                continue
            rows.append(Readiness(pid, c.id, Verdict.NOT_READY, None, deadline, None, why))
    return [waived_row(r, comp[r.competency].waive_cost) if r.status == Verdict.NOT_READY
            and comp[r.competency].waivable else r for r in rows]


def waived_row(row: Readiness, cost: float) -> Readiness:
    """A pair of a waivable competency proven not to be met (by itself or among others), as WAIVED (the
    reason kept)."""
    return Readiness(row.participant, row.competency, Verdict.WAIVED, None, row.deadline, None,
                     f"waived (cost {cost:.10g} points): {row.reason}")


def _alone_reason(grid: TimeGrid, deadline_day: int, load: tuple[int, int] | None) -> str:
    """Why a goal screened out as impossible alone is, in hours and dates when the load caps explain it."""
    if load is None:
        return "cannot be met even on its own (proven on its own modules alone); see 'planner explain'"
    need, fit = load
    by = grid.days[deadline_day] if deadline_day < grid.num_days else grid.training_end
    return (f"cannot be met even on its own (proven): its modules need {grid.slots_to_hours(need):g} h, at most "
            f"{grid.slots_to_hours(fit):g} h fit under the load caps before {by}")


def static_reasons(sc: Scenario, grid: TimeGrid, data: ProblemData) -> dict[int, str]:
    """Goals that can never be met for a reason visible without solving (a module the
    role does not take, a season outside the window...), with the reason."""
    out = {}
    for g, goal in enumerate(data.goals):
        reason = _unmet_reason(sc, grid, data, goal)
        if reason is not None:
            out[g] = reason
    return out


def _unmet_reason(sc: Scenario, grid: TimeGrid, data: ProblemData, goal: Goal) -> str | None:
    """A static reason a goal can never be met, or None: a module the role does not take, a group none of
    whose modules can ever run, or none of which can end before the goal's deadline."""
    if goal.missing:
        return f"the role does not take required module(s): {', '.join(goal.missing)}"
    for group in goal.groups:
        for reason_of in (lambda j: impossible_reason(sc, grid, data, j),
                          lambda j: _deadline_reason(sc, grid, data, j, goal.deadline_day)):
            reasons = [reason_of(j) for j in group]
            if all(r is not None for r in reasons):
                mods = " / ".join(data.jobs[j].module for j in group)
                return f"{mods}: {reasons[0]}"
    return None
