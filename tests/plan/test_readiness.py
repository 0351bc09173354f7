"""Readiness verdicts from hand-built solver results: as strong as the proof behind them, never stronger.

The scenario is BASE (Mon 4 Mar .. Mon 15 Apr 2024, 4 one-hour slots a day) with a
second competency 'flying' that needs a module ann's role does not take, and a
deadline gate for 'comp' on Mon 1 Apr in one variant. Goal 0 is ann/comp (job 0 =
ann/m1, one session of 2 slots), goal 1 ann/flying (statically impossible).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner.calendar.grid import TimeGrid, build_grid
from planner.data.problem import ProblemData, build_problem
from planner.data.result import Result, Schedule, ScheduledSession, SolveStatus
from planner.plan.readiness import Readiness, Verdict, assess
from planner.scenario.load import load_scenario
from planner.scenario.schema import Scenario
from tests.helpers import BASE, scenario, write

Planned = tuple[Scenario, TimeGrid, ProblemData]
ROLES = [{"id": "sfp", "requires": ["comp", "flying"]}]
MODULES = [*BASE["modules"], {"id": "pilot", "hours": 1, "session_hours": 1, "roles": ["cmdr"]}]
FLYING = {"id": "flying", "requires": ["pilot"]}
MISSING = "the role does not take required module(s): pilot"


def _planned(tmp_path: Path, **sections: Any) -> Planned:
    roles = [*ROLES, {"id": "cmdr", "requires": []}]
    sc = load_scenario(write(tmp_path, scenario(roles=roles, modules=MODULES, **sections))).scenario
    grid = build_grid(sc)
    return sc, grid, build_problem(sc, grid)


@pytest.fixture
def planned(tmp_path: Path) -> Planned:
    """BASE with the unmeetable 'flying' competency; 'comp' due at the end of training."""
    return _planned(tmp_path, competencies=[*BASE["competencies"], FLYING])


def _on_day(day: int, data: ProblemData) -> Schedule:
    """ann/m1's one session at the start of ``day``."""
    s = day * data.slots_per_day
    return Schedule((ScheduledSession(0, 0, s, s + data.jobs[0].length),))


def _assess(p: Planned, result: Result, **kw: Any) -> list[Readiness]:
    sc, grid, data = p
    return assess(sc, grid, data, result, confirm=False, **kw)


def test_ready_with_slack_to_the_end_of_training(planned: Planned) -> None:
    """Tests READY on the session's day with the days of slack before the end of training."""
    sched = _on_day(10, planned[2])  # day 10 = Thu 14 Mar
    comp, flying = _assess(planned, Result(SolveStatus.OPTIMAL, sched, (True, False), 1))
    # No deadline gate: the deadline is the launch, Mon 15 Apr; 15 Apr - 14 Mar = 32 days.
    assert comp == Readiness("ann", "comp", Verdict.READY, dt.date(2024, 3, 14), dt.date(2024, 4, 15), 32,
                             "last module m1")
    assert (flying.status, flying.reason) == (Verdict.NOT_READY, MISSING)


def test_ready_slack_counts_to_the_deadline_gate(tmp_path: Path) -> None:
    """Tests that slack counts to the competency's deadline gate, not to launch."""
    comps = [{**BASE["competencies"][0], "deadline": "exams"}, FLYING]
    p = _planned(tmp_path, gates=[{"id": "exams", "date": "2024-04-01"}], competencies=comps)
    comp, _ = _assess(p, Result(SolveStatus.FEASIBLE, _on_day(10, p[2]), (True, False)))
    # Mon 1 Apr - Thu 14 Mar = 18 days. A FEASIBLE plan that meets the goal is READY all the same.
    assert (comp.status, comp.achieved_on, comp.deadline, comp.slack_days) == (
        Verdict.READY, dt.date(2024, 3, 14), dt.date(2024, 4, 1), 18)


def test_unknown_when_the_status_is_not_proven(planned: Planned) -> None:
    """Tests UNKNOWN for an unmet goal after a time limit, with or without a plan; the static reason stays NOT_READY."""
    feasible = _assess(planned, Result(SolveStatus.FEASIBLE, Schedule(()), (False, False)))
    assert feasible[0].status == Verdict.UNKNOWN
    assert feasible[0].reason == "time limit: the best plan found misses it; not proven impossible"
    unknown = _assess(planned, Result(SolveStatus.UNKNOWN, None))
    assert unknown[0].status == Verdict.UNKNOWN
    assert unknown[0].reason == "time limit: no plan was found; not proven impossible"
    # 'flying' is impossible whatever the solver did: its reason needs no solve.
    assert [r.status for r in (feasible[1], unknown[1])] == [Verdict.NOT_READY, Verdict.NOT_READY]
    assert unknown[1].reason == MISSING and unknown[1].slack_days is None


def test_not_ready_when_proven(planned: Planned) -> None:
    """Tests NOT_READY for an unmet goal of an OPTIMAL or INFEASIBLE result (no confirmation solve)."""
    for result in (Result(SolveStatus.OPTIMAL, Schedule(()), (False, False), 0),
                   Result(SolveStatus.INFEASIBLE, None)):
        comp, flying = _assess(planned, result)
        assert comp.status == Verdict.NOT_READY
        assert comp.reason == "not all competencies can be met together (proven)"
        assert comp.achieved_on is None and comp.deadline == dt.date(2024, 4, 15)
        assert flying.reason == MISSING


def test_screened_goal_is_not_ready_whatever_the_status(planned: Planned) -> None:
    """Tests that a goal proven impossible alone beforehand is NOT_READY even after a time limit, with its numbers."""
    result = Result(SolveStatus.UNKNOWN, None)
    plain = _assess(planned, result, impossible={0: None})[0]
    assert plain.status == Verdict.NOT_READY
    assert plain.reason.startswith("cannot be met even on its own (proven on its own modules alone)")
    # 10 slots needed, 6 fit: 10 h and 6 h in one-hour slots; the goal's deadline day 42 is past the grid,
    # so the date named is the end of training.
    loads = _assess(planned, result, impossible={0: (10, 6)})[0]
    assert loads.reason == ("cannot be met even on its own (proven): its modules need 10 h, at most 6 h fit "
                            "under the load caps before 2024-04-15")


def test_never_not_ready_when_the_truth_is_unknown(planned: Planned) -> None:
    """Tests that no unproven result turns a goal without a static or screened reason into NOT_READY."""
    data = planned[2]
    results = [
        Result(SolveStatus.UNKNOWN, None),
        Result(SolveStatus.FEASIBLE, Schedule(()), (False, False)),
        # A plan whose session ends on the last day still meets nothing if goals_met says so.
        Result(SolveStatus.FEASIBLE, _on_day(data.num_days - 1, data), (False, False)),
    ]
    for result in results:
        comp = _assess(planned, result)[0]
        assert comp.status == Verdict.UNKNOWN, result.status


def test_reason_names_the_season_of_a_resource(tmp_path: Path) -> None:
    """Tests that a goal whose module needs a resource open only in winter names that season.

    m1 needs 'site', available only 01-15 .. 02-28; the window is Mon 4 Mar .. Sun 14 Apr 2024
    (launch Mon 15 Apr), so no working day is open for m1: the reason names the resource's season
    and the window's first and last training days, not the catch-all calendar wording.
    """
    sc = load_scenario(write(tmp_path, scenario(
        resources=[{"id": "site", "available": [{"from": "01-15", "to": "02-28"}]}],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "resources": ["site"]}],
    ))).scenario
    grid = build_grid(sc)
    p = (sc, grid, build_problem(sc, grid))
    (row,) = _assess(p, Result(SolveStatus.OPTIMAL, None, goals_met=(False,)))
    assert row.status == Verdict.NOT_READY
    assert row.reason == ("m1: its season (site available 01-15 .. 02-28) has no working day in the window "
                          "2024-03-04 .. 2024-04-14")


@pytest.mark.parametrize(("allowed", "days", "reason"), [
    # The module's own season opens on Mon 25 Mar, after the exams of Mon 18 Mar: none before them.
    ({"allowed": [{"from": "03-25", "to": "04-12"}]}, None,
     "m1: its season (03-25 .. 04-12) opens no working day before the deadline 2024-03-18"),
    # The site's availability does the same.
    ({"resources": ["site"]}, [{"from": "03-25", "to": "04-12"}],
     "m1: its season (site available 03-25 .. 04-12) opens no working day before the deadline 2024-03-18"),
    # Two sessions a day apart, the season opening Fri 15 Mar: one day before the exams.
    ({"allowed": [{"from": "03-15", "to": "04-12"}], "hours": 4, "session_hours": 2,
      "min_days_between_sessions": 1}, None,
     "m1: needs 2 sessions on at least 2 days but only 1 day is open for it before the deadline 2024-03-18"),
    # Recency: the last session only in the 10 days before launch (Mon 15 Apr), weeks after the exams.
    ({"recency_days": 10}, None,
     "m1: the recency rule (10 days before launch) leaves its last session no open day before the deadline "
     "2024-03-18"),
])
def test_reason_names_what_closes_the_days_before_the_deadline(
        tmp_path: Path, allowed: dict[str, Any], days: list[dict[str, str]] | None, reason: str) -> None:
    """Tests a module that can run in the window, but not before its competency's deadline (the exams,
    Mon 18 Mar 2024): the goal can never be met, and the reason names the season or the availability
    that closes the working days before the deadline (it said "at most 0 h fit under the load caps")."""
    module = {"id": "m1", "hours": 2, "session_hours": 2, **allowed}
    sc = load_scenario(write(tmp_path, scenario(
        gates=[{"id": "exams", "date": "2024-03-18"}],
        resources=[{"id": "site", **({"available": days} if days else {})}],
        modules=[module],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exams"}],
    ))).scenario
    grid = build_grid(sc)
    p = (sc, grid, build_problem(sc, grid))
    (row,) = _assess(p, Result(SolveStatus.UNKNOWN, None, goals_met=(False,)))
    assert (row.status, row.reason) == (Verdict.NOT_READY, reason)


def test_last_module_is_the_one_that_ends_last_and_counts(tmp_path: Path) -> None:
    """Tests that the reason names the module that ends last among those that meet the competency.

    Ann takes 'a' and 'b' (one 2-h session each). By hand, both on Mon 4 Mar (day 0, slots
    0..3 = 09:00..13:00): b at 09:00-11:00, a at 11:00-13:00.
    * 'both' requires [b, a]: both count, a ends last (13:00), so the last module is a
      (the code compared days only and named b, the first listed of the two on that day);
    * 'either' requires any_of [a, b]: b is done first (11:00) and meets it, so the alternative
      used is b; a, scheduled later, does not count (the code named a, the first listed).
    * 'other' requires c, done on day 1: a module of another competency, named by no other row.
    """
    sc = load_scenario(write(tmp_path, scenario(
        roles=[{"id": "sfp", "requires": ["both", "either", "other"]}],
        modules=[{"id": m, "hours": 2, "session_hours": 2} for m in ("a", "b", "c")],
        competencies=[{"id": "both", "requires": ["b", "a"]},
                      {"id": "either", "requires": [{"any_of": ["a", "b"]}]},
                      {"id": "other", "requires": ["c"]}],
    ))).scenario
    grid = build_grid(sc)
    data = build_problem(sc, grid)
    job = {data.jobs[j].module: j for j in range(len(data.jobs))}
    S = data.slots_per_day
    sched = Schedule(tuple(sorted((ScheduledSession(job["b"], 0, 0, 2), ScheduledSession(job["a"], 0, 2, 4),
                                   ScheduledSession(job["c"], 0, S + 0, S + 2)))))
    rows = assess(sc, grid, data, Result(SolveStatus.OPTIMAL, sched, (True, True, True), 3), confirm=False)
    reasons = {r.competency: r.reason for r in rows}
    assert reasons == {"both": "last module a", "either": "last module b", "other": "last module c"}
    # Same day, same slack as before: only the module named changes.
    assert {r.competency: r.achieved_on for r in rows} == {
        "both": dt.date(2024, 3, 4), "either": dt.date(2024, 3, 4), "other": dt.date(2024, 3, 5)}
