"""The one authority on allowed days and on why a job can never run (planner.data.days).

Every case is a hand-built :class:`ProblemData`: one participant, 10 days
(day ``d`` is just an index), 4 slots a day, one job of 2-slot sessions unless
said otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from planner.data.days import (
    ALL_CHECKS,
    Rule,
    Why,
    allowed_days,
    closed_by,
    day_range,
    impossible,
    is_open,
)
from planner.data.problem import Job, ParticipantData, ProblemData, ResourceData
from planner.model.builder import build_model
from planner.model.context import DOMAIN_CHECKS

N = 10
ALL_OPEN = (True,) * N


def flags(*days: int) -> tuple[bool, ...]:
    """Ten day flags, True on ``days``."""
    return tuple(d in days for d in range(N))


def job(**kw: Any) -> Job:
    """A one-session job of 2 slots, open every day, with ``kw`` replaced."""
    base: dict[str, Any] = {"id": "ann/m1", "module": "m1", "participants": (0,), "num_sessions": 1, "length": 2,
                            "open_days": ALL_OPEN}
    base.update(kw)
    return Job(**base)


def problem(*jobs: Job, **kw: Any) -> ProblemData:
    """Ten days of 4 slots, one participant, the given jobs."""
    base: dict[str, Any] = {"slots_per_day": 4, "num_days": N, "week_shift": 0,
                            "participants": (ParticipantData("ann", "c1", "sfp"),), "resources": (),
                            "instructors": (), "jobs": jobs}
    base.update(kw)
    return ProblemData(**base)


# -- the day rules -----------------------------------------------------------


def test_calendar_closes_days() -> None:
    """Tests that closed days of ``open_days`` (leave, outages) are not allowed."""
    # Closed on days 0, 1 and 5: the rest are allowed.
    data = problem(job(open_days=tuple(d not in (0, 1, 5) for d in range(N))))
    assert allowed_days(data, 0) == [2, 3, 4, 6, 7, 8, 9]
    assert closed_by(data, 0, 5) is Rule.CALENDAR
    assert closed_by(data, 0, 4) is None


def test_season_closes_days_outside_it() -> None:
    """Tests that a season keeps only its days, and a calendar closure inside it stays closed."""
    # Season days 3..6, calendar closes day 4: allowed 3, 5, 6.
    data = problem(job(season_days=flags(3, 4, 5, 6), open_days=tuple(d != 4 for d in range(N))))
    assert allowed_days(data, 0) == [3, 5, 6]
    assert closed_by(data, 0, 1) is Rule.SEASON
    assert closed_by(data, 0, 4) is Rule.CALENDAR  # both would close it: the calendar is named first


def test_deadline_closes_its_day_and_after() -> None:
    """Tests that every session must run before the deadline gate's day."""
    # Deadline day 4: days 0..3, for the last session as for the others.
    data = problem(job(deadline_day=4, num_sessions=2))
    assert allowed_days(data, 0) == [0, 1, 2, 3]
    assert allowed_days(data, 0, last=True) == [0, 1, 2, 3]
    assert closed_by(data, 0, 4) is Rule.DEADLINE
    assert day_range(data, 0) == range(0, 4)


def test_recency_applies_to_the_last_session_only() -> None:
    """Tests that the recency rule closes days to the last session and to no other."""
    # Recent enough from day 7: the last session on 7..9, the others on any day.
    data = problem(job(num_sessions=3, last_open_days=flags(7, 8, 9)))
    assert allowed_days(data, 0) == list(range(N))
    assert allowed_days(data, 0, last=True) == [7, 8, 9]
    assert closed_by(data, 0, 2, last=True) is Rule.RECENCY
    assert closed_by(data, 0, 2) is None


def test_release_day_closes_the_past() -> None:
    """Tests that re-planning allows only days from the release day, unless the caller leaves that rule out."""
    # Release day 6: days 6..9; without the rule, every day.
    data = problem(job(), release_day=6)
    assert allowed_days(data, 0) == [6, 7, 8, 9]
    assert closed_by(data, 0, 5) is Rule.RELEASE
    assert allowed_days(data, 0, rules=Rule.ALL & ~Rule.RELEASE) == list(range(N))
    assert day_range(data, 0) == range(6, N)


def test_rule_subsets_leave_out_what_the_caller_does_not_ask() -> None:
    """Tests that asking calendars and season only (pre-solve, export) ignores deadline, recency and release."""
    # Calendar closes 0; season 0..7; deadline 5; recency from 4; release 2.
    # All rules, last session: 4 (>= 4 recency, >= 2 release, < 5 deadline, open, in season).
    # Calendar and season only: 1..7.
    data = problem(job(open_days=tuple(d != 0 for d in range(N)), season_days=flags(*range(8)), deadline_day=5,
                       last_open_days=flags(*range(4, N))), release_day=2)
    assert allowed_days(data, 0, last=True) == [4]
    assert allowed_days(data, 0, last=True, rules=Rule.CALENDAR | Rule.SEASON) == [1, 2, 3, 4, 5, 6, 7]


def test_is_open_is_closed_by_none_on_every_day() -> None:
    """Tests that the flat per-day test agrees with the named rules on every day, for both kinds of session."""
    data = problem(job(open_days=tuple(d % 3 != 0 for d in range(N)), season_days=flags(*range(1, 9)),
                       deadline_day=8, last_open_days=flags(*range(5, N))), release_day=2)
    for last in (False, True):
        for d in range(N):
            assert is_open(data, 0, d, last) == (closed_by(data, 0, d, last) is None)
    # Open: d % 3 != 0 -> 1 2 4 5 7 8; season 1..8; before 8; from 2: 2 4 5 7; last also from 5: 5 7.
    assert allowed_days(data, 0) == [2, 4, 5, 7]
    assert allowed_days(data, 0, last=True) == [5, 7]


def test_allowed_days_is_closed_by_none_for_every_rule_subset() -> None:
    """Tests that the list of allowed days agrees with the named rules for every subset of the rules
    (32 subsets), both kinds of session, and a release day inside or past the deadline."""
    for release, deadline in ((2, 8), (9, 6)):
        data = problem(job(open_days=tuple(d % 3 != 0 for d in range(N)), season_days=flags(*range(1, 9)),
                           deadline_day=deadline, last_open_days=flags(*range(5, N))), release_day=release)
        for bits in range(32):
            rules = Rule(0)
            for k, rule in enumerate((Rule.CALENDAR, Rule.SEASON, Rule.DEADLINE, Rule.RECENCY, Rule.RELEASE)):
                if bits >> k & 1:
                    rules |= rule
            for last in (False, True):
                expected = [d for d in range(N) if closed_by(data, 0, d, last, rules) is None]
                assert allowed_days(data, 0, last, rules) == expected, (release, rules, last)


# -- why a job can never run -------------------------------------------------


def test_a_job_with_room_is_possible() -> None:
    """Tests that no reason is found when the sessions fit."""
    assert impossible(problem(job(num_sessions=3)), 0) is None


def test_longer_than_a_day() -> None:
    """Tests that a 5-slot session cannot fit a 4-slot day."""
    found = impossible(problem(job(length=5)), 0)
    assert found is not None and found.why is Why.LONGER_THAN_DAY
    # Even with every session done: it never fit (the model leaves it out too).
    assert impossible(problem(job(length=5, fixed_starts=(0,))), 0) == found


def test_no_instructor() -> None:
    """Tests that a module needing an instructor nobody is qualified for is impossible."""
    found = impossible(problem(job(needs_instructor=True, instructors=())), 0)
    assert found is not None and found.why is Why.NO_INSTRUCTOR


def test_out_of_season_needs_the_working_days() -> None:
    """Tests that a season on non-working days only is named as such when the working days are given."""
    # Season on days 5 and 6 (a weekend: closed in the grid, so in open_days too).
    weekend = tuple(d not in (5, 6) for d in range(N))
    data = problem(job(season_days=flags(5, 6), open_days=weekend))
    found = impossible(data, 0, working=weekend)
    assert found is not None and found.why is Why.OUT_OF_SEASON
    # Without the grid's working days, the same job has just no open day.
    found = impossible(data, 0)
    assert found is not None and found.why is Why.NO_OPEN_DAY


def test_no_open_day_counts_from_the_release_day() -> None:
    """Tests that days before the release day do not count for the sessions still to do."""
    # Open on days 0..2 only; release day 3: nothing left.
    data = problem(job(open_days=flags(0, 1, 2)), release_day=3)
    found = impossible(data, 0)
    assert found is not None and found.why is Why.NO_OPEN_DAY and found.sessions == 1


def test_sessions_all_done_need_no_day() -> None:
    """Tests that a job whose sessions are all history is never impossible for want of days."""
    # One session, done on day 0 (slot 0); release day 3 and no open day after it.
    data = problem(job(open_days=flags(0), fixed_starts=(0,)), release_day=3)
    assert impossible(data, 0) is None


def test_no_day_for_the_last_session() -> None:
    """Tests that recency closing every day to the last session is its own reason."""
    found = impossible(problem(job(num_sessions=2, last_open_days=(False,) * N)), 0)
    assert found is not None and found.why is Why.NO_LAST_DAY and found.days == tuple(range(N))


def test_too_few_days() -> None:
    """Tests that full-day sessions need one open day each."""
    # Three 4-slot sessions (one a day) and two open days: need 3, have 2.
    found = impossible(problem(job(num_sessions=3, length=4, open_days=flags(2, 7))), 0)
    assert found is not None and found.why is Why.TOO_FEW_DAYS
    assert (found.sessions, found.need, found.days) == (3, 3, (2, 7))


def test_too_spread() -> None:
    """Tests that spaced sessions need enough calendar days between the first and last open day."""
    # Three sessions 3 days apart need days d, d+3, d+6; before deadline 6 the span is 0..5.
    found = impossible(problem(job(num_sessions=3, min_gap_days=3, deadline_day=6)), 0)
    assert found is not None and found.why is Why.TOO_SPREAD
    assert (found.days[0], found.last_days[-1]) == (0, 5)
    # Deadline 7: 0, 3, 6 fits.
    assert impossible(problem(job(num_sessions=3, min_gap_days=3, deadline_day=7)), 0) is None


def test_no_consecutive_run() -> None:
    """Tests that consecutive sessions need a run of open days as long as they are."""
    # Open on 0, 2, 4, 6: four days for two sessions, but no two in a row.
    found = impossible(problem(job(num_sessions=2, consecutive=True, open_days=flags(0, 2, 4, 6))), 0)
    assert found is not None and found.why is Why.NO_CONSECUTIVE_RUN
    # With day 5 open too, 4-5 is a run.
    assert impossible(problem(job(num_sessions=2, consecutive=True, open_days=flags(0, 2, 4, 5, 6))), 0) is None


def test_over_capacity() -> None:
    """Tests that a demand above a resource's capacity is named with its numbers."""
    found = impossible(problem(job(resources=((0, 2),)), resources=(ResourceData("sim", 1),)), 0)
    assert found is not None and found.why is Why.OVER_CAPACITY and (found.resource, found.demand) == (0, 2)


def test_checks_are_tried_in_order_and_can_be_left_out() -> None:
    """Tests that the first failing check wins and that a caller may ask a subset."""
    # No instructor and no open day: NO_INSTRUCTOR comes first; the model's
    # checks skip instructors and find the empty days.
    data = problem(job(needs_instructor=True, open_days=(False,) * N))
    assert impossible(data, 0, ALL_CHECKS).why is Why.NO_INSTRUCTOR  # type: ignore[union-attr]
    assert impossible(data, 0, DOMAIN_CHECKS).why is Why.NO_OPEN_DAY  # type: ignore[union-attr]
    assert impossible(problem(job(needs_instructor=True)), 0, DOMAIN_CHECKS) is None


# -- the model takes its domains from here -----------------------------------


def _values(var: Any) -> list[int]:
    """The values of a CP-SAT variable's domain (its proto holds [lo, hi] pairs)."""
    bounds = list(var.proto.domain)
    return [v for lo, hi in zip(bounds[::2], bounds[1::2], strict=True) for v in range(lo, hi + 1)]


def test_model_domains_are_the_allowed_days() -> None:
    """Tests that each session's day variable ranges over exactly the authority's days, and impossible jobs get none."""
    rules = job(num_sessions=3, open_days=tuple(d != 3 for d in range(N)), season_days=flags(*range(1, 9)),
                deadline_day=8, last_open_days=flags(5, 6, 7, 8, 9))
    replanned = job(id="ann/m2", module="m2", num_sessions=2, fixed_starts=(1,))
    no_day = job(id="ann/m3", module="m3", open_days=(False,) * N)
    data = problem(rules, replanned, no_day, release_day=2)
    ctx = build_model(data)
    # m1: open except 3, season 1..8, before 8, from 2 -> 2 4 5 6 7; last also from 5 -> 5 6 7.
    assert [_values(s.day) for s in ctx.sessions[0]] == [[2, 4, 5, 6, 7], [2, 4, 5, 6, 7], [5, 6, 7]]
    assert allowed_days(data, 0) == [2, 4, 5, 6, 7] and allowed_days(data, 0, last=True) == [5, 6, 7]
    # m2: session 0 is history at slot 1 (day 0); session 1 from the release day.
    assert [_values(s.day) for s in ctx.sessions[1]] == [[0], allowed_days(data, 1, last=True)]
    assert allowed_days(data, 1, last=True) == list(range(2, N))
    # m3: no day at all, so no variables, and the reason is the authority's.
    assert ctx.sessions[2] == [] and ctx.impossible == {2: impossible(data, 2)}


def test_day_users_do_not_import_the_model() -> None:
    """Tests that the authority and its non-model users do not import planner.model (nor ortools through it)."""
    root = Path(__file__).resolve().parents[2] / "planner"
    for rel in ("data/days.py", "plan/readiness.py", "plan/presolve.py", "heuristics/greedy.py"):
        tree = ast.parse((root / rel).read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        assert not [m for m in names if m.startswith("planner.model")], rel
