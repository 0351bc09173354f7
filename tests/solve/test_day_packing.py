"""The day-indexed relaxation of one shared resource (planner.solve.day_packing).

BASE calendar: Monday to Friday, 4 one-hour slots a day, no holidays; the window opens on
Mon 4 Mar 2024. A 4-hour session fills a day of a capacity-1 site.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from planner.data.problem import ProblemData
from planner.data.result import Result, SolveStatus
from planner.plan import pipeline, relax
from planner.plan.pipeline import plan, prepare
from planner.plan.readiness import Verdict
from planner.plan.relax import facility_proof
from planner.scenario.load import load_scenario
from planner.solve.day_packing import Facility, facilities, most_hosted, packing_model, packing_status, pairs_bound
from planner.solve.params import SolveParams
from tests.helpers import ROOT, scenario, write


def _course(n_crews: int, exam: str, **module: Any) -> dict[str, Any]:
    """One trainee per crew; every trainee needs module 'course' on the unary 'site' by ``exam``."""
    course = {"id": "course", "hours": 12, "session_hours": 4, "resources": ["site"], **module}
    return scenario(
        participants=[{"id": f"p{i}", "role": "sfp", "crew": f"c{i}"} for i in range(n_crews)],
        resources=[{"id": "site", "capacity": 1}],
        modules=[course],
        gates=[{"id": "exam", "date": exam}],
        competencies=[{"id": "comp", "requires": ["course"], "deadline": "exam"}],
    )


def _status(tmp_path: Path, sc: dict[str, Any]) -> SolveStatus:
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    (fac,) = facilities(data)
    return packing_status(data, fac, work=5.0, wall=60.0)


def test_three_day_courses_fit_one_a_week(tmp_path: Path) -> None:
    # Three courses of 3 consecutive full days, two weeks (Mon 4 .. Fri 15 Mar, exam Mon 18):
    # 9 days of 10 fit by energy, but two courses in one Monday-to-Friday week need 6 days,
    # so each week holds one (every course of a week covers its Wednesday): at most 2.
    sc = _course(3, "2024-03-18", consecutive_days=True)
    assert _status(tmp_path, sc) == SolveStatus.INFEASIBLE
    # Two courses fit: one per week.
    assert _status(tmp_path, _course(2, "2024-03-18", consecutive_days=True)) == SolveStatus.FEASIBLE


def test_spacing_is_part_of_the_relaxation(tmp_path: Path) -> None:
    # Two sessions 4 days apart within Mon 4 .. Fri 8 Mar (exam Mon 11): only Monday + Friday.
    # Two trainees cannot both use that pair on a unary site, although 4 days of 5 fit by energy.
    two = {"hours": 8, "min_days_between_sessions": 4}
    assert _status(tmp_path, _course(2, "2024-03-11", **two)) == SolveStatus.INFEASIBLE
    # With a gap of 3: Mon + Thu and Tue + Fri.
    assert _status(tmp_path, _course(2, "2024-03-11", hours=8, min_days_between_sessions=3)) == SolveStatus.FEASIBLE


def test_half_days_share_a_day(tmp_path: Path) -> None:
    # 2-hour sessions: two trainees share a day of the unary site (one in the morning). Three
    # courses of 2 consecutive days fit in Mon 4 .. Fri 8 Mar (exam Mon 11): Mon-Tue twice, Wed-Thu.
    sc = _course(3, "2024-03-11", hours=4, session_hours=2, consecutive_days=True)
    assert _status(tmp_path, sc) == SolveStatus.FEASIBLE
    # Three courses of 3 days do not, although 18 of the week's 20 slots would hold them: every
    # 3-day course of the week covers its Wednesday, which holds two 2-hour sessions.
    sc = _course(3, "2024-03-11", hours=6, session_hours=2, consecutive_days=True)
    assert _status(tmp_path, sc) == SolveStatus.INFEASIBLE


def test_nothing_to_prove_without_goals_on_the_resource(tmp_path: Path) -> None:
    sc = _course(3, "2024-03-18", consecutive_days=True)
    sc["roles"] = [{"id": "sfp", "requires": []}]
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    assert facilities(data) == []  # no goal needs the site: it is not asked
    site = Facility("resource", 0, tuple((j, 1) for j in range(len(data.jobs))), (4,) * data.num_days)
    pk = packing_model(data, site)
    assert pk is not None and pk.goal_groups == 0
    assert packing_status(data, site, work=5.0, wall=60.0) == SolveStatus.UNKNOWN


def test_facility_proof_names_the_resource_and_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Three crews' courses, one a week for two weeks: at most 2 of the 3 fit (see above); each trainee's
    # one pair needs their course, so at most 2 of the 3 pairs.
    _, data = prepare(load_scenario(write(tmp_path, _course(3, "2024-03-18", consecutive_days=True))))
    for deterministic in (False, True):
        found = facility_proof(data, SolveParams(time_limit=10, deterministic=deterministic), 10.0)
        assert found is not None and found.pairs == 2
        assert found.text == ("proven: site (capacity 1) can host at most 2 of the 3 course trainings the pairs need "
                         "before their deadlines, so at most 2 of the 3 pairs can be met (relaxation: only its "
                         "modules course, day by day, with their calendars, spacing and deadlines)")
    # Without the count (its solve undecided), the proof still stands, in general words.
    monkeypatch.setattr(relax, "most_hosted", lambda *args: None)
    found = facility_proof(data, SolveParams(time_limit=10, deterministic=True), 10.0)
    assert found is not None and found.pairs == 2  # not every pair: all but one
    assert found.text.startswith("proven: site (capacity 1) cannot host every session the pairs need")


def _stopped_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drop: int,
                  screened: int = 0) -> pipeline.PlanOutcome:
    """Eight crews, seven Monday-to-Friday weeks before the exam (Mon 4 Mar .. Fri 19 Apr, exam Mon
    22 Apr): one 3-day course a week, so at most 7 crews can be ready. CP-SAT proves this small case
    itself; to see the plan use the site's relaxation, its solve is made to stop unproven (as on 16
    generated crews, where it does), with its plan (7 courses) less the courses of ``drop`` crews.
    ``screened`` more crews whose pairs the screen is made to call impossible alone (so the solve forbids
    them and the site's question is about the eight others)."""
    sc = _course(8 + screened, "2024-04-22", consecutive_days=True)
    sc["window"] = {"start": "2024-03-04", "launch": "2024-05-06"}
    if screened:
        monkeypatch.setattr(pipeline, "screen_goals", lambda data, *args, **kwargs: dict.fromkeys(
            range(len(data.goals) - screened, len(data.goals))))

    def unproven(data: ProblemData, *args: Any, **kwargs: Any) -> Result:
        res = real_solve(data, *args, **kwargs)
        assert res.schedule is not None
        met = [data.jobs[s.job].participants[0] for s in res.schedule.sessions if s.index == 0]
        gone = set(sorted(met)[:drop])
        keep = tuple(s for s in res.schedule.sessions if data.jobs[s.job].participants[0] not in gone)
        goals = tuple(ok and data.goals[g].participant not in gone for g, ok in enumerate(res.goals_met))
        return dataclasses.replace(res, status=SolveStatus.FEASIBLE, goals_bound=len(data.goals), goals_met=goals,
                                   schedule=dataclasses.replace(res.schedule, sessions=keep))

    real_solve = pipeline.solve
    monkeypatch.setattr(pipeline, "solve", unproven)
    monkeypatch.setattr(pipeline, "_decomposed", lambda data, params, budget, result, *args: result)
    return plan(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=4, deterministic=True))


def test_plan_left_open_is_proven_not_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The stopped plan meets 6 of the 8 (one more crew's course dropped): the site's count, at most 7,
    # proves that not everybody can be ready, and becomes the plan's bound; which crews miss out is open.
    out = _stopped_plan(tmp_path, monkeypatch, drop=1)
    assert out.result.num_goals_met == 6 and out.result.goals_bound == 7
    assert out.overall == Verdict.NOT_READY
    assert out.proof.startswith("proven: site (capacity 1) can host at most 7 of the 8 course trainings")
    assert Verdict.NOT_READY not in {r.status for r in out.readiness}  # not decided one by one


def test_plan_at_the_facility_count_is_proven_best(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The stopped plan meets 7 of the 8, as many as the site allows: its count is proven best, so the
    # one crew left out is NOT_READY on its own (a trade-off: alone it would fit), nothing stays UNKNOWN.
    out = _stopped_plan(tmp_path, monkeypatch, drop=0)
    assert out.result.status == SolveStatus.OPTIMAL and out.result.goals_bound == 7
    statuses = [r.status for r in out.readiness]
    assert statuses.count(Verdict.READY) == 7 and statuses.count(Verdict.NOT_READY) == 1
    missed = next(r for r in out.readiness if r.status == Verdict.NOT_READY)
    assert "trade-off" in missed.reason and out.overall == Verdict.NOT_READY


def test_pairs_screened_out_leave_the_facility_question_to_the_others(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A ninth crew's pair is impossible alone (the screen says so): the site is asked about the eight
    # others and proves at most 7 of them, so the plan's 7 are proven best; nothing stays UNKNOWN (the
    # site's question was skipped whenever some pair had been screened out).
    out = _stopped_plan(tmp_path, monkeypatch, drop=0, screened=1)
    assert out.result.status == SolveStatus.OPTIMAL and out.result.goals_bound == 7
    question = out.result.phases[-1].question or ""
    assert "so at most 7 of the 9 pairs can be met" in question  # counted among all the pairs
    statuses = [r.status for r in out.readiness]
    assert statuses.count(Verdict.READY) == 7 and statuses.count(Verdict.NOT_READY) == 2


def test_no_proof_where_everyone_can_be_ready() -> None:
    # The bundled four-month MS-19 file plans READY: no resource relaxation may say otherwise.
    _, data = prepare(load_scenario(ROOT / "scenarios" / "challenge-2021.yaml"))
    assert facility_proof(data, SolveParams(time_limit=10, deterministic=True), 10.0) is None


def test_undecided_probe_is_decided_by_a_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The three-courses-in-two-weeks case as a min-window probe whose own steps all stay undecided
    # (made so here; on 16 generated crews they do): the site's relaxation settles it afterwards.
    from planner.analysis import window

    monkeypatch.setattr(window, "plan_meeting_goals", lambda *args, **kwargs: (SolveStatus.UNKNOWN, None))
    monkeypatch.setattr(window, "by_participant", lambda *args, **kwargs: None)
    monkeypatch.setattr(window, "solve", lambda data, *args, **kwargs: Result(
        SolveStatus.FEASIBLE, None, goals_bound=len(data.goals)))
    loaded = load_scenario(write(tmp_path, _course(3, "2024-03-18", consecutive_days=True)))
    verdict, text, _ = window.readiness_probe(loaded, SolveParams(time_limit=5, deterministic=True))
    assert verdict == Verdict.NOT_READY and text.startswith("proven: site (capacity 1) can host at most 2 of the 3")
    # Two courses: the relaxation proves nothing and the probe stays UNKNOWN.
    loaded = load_scenario(write(tmp_path, _course(2, "2024-03-18", consecutive_days=True), "two.yaml"))
    assert window.readiness_probe(loaded, SolveParams(time_limit=5, deterministic=True))[0] == Verdict.UNKNOWN


def test_an_instructor_is_packed_like_a_site(tmp_path: Path) -> None:
    # The three courses of 3 consecutive days in two weeks, taught by the one qualified guide and
    # needing no site: the guide is the unary facility, one course a week, so at most 2 (as above).
    sc = _course(3, "2024-03-18", consecutive_days=True, resources=[], instructor="survival")
    sc["instructors"] = [{"id": "guide", "qualifications": ["survival"]}]
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    (fac,) = facilities(data)
    assert fac.kind == "instructors" and fac.describe(data) == "instructor guide"
    assert packing_status(data, fac, work=5.0, wall=60.0) == SolveStatus.INFEASIBLE
    found = facility_proof(data, SolveParams(time_limit=10, deterministic=True), 10.0)
    assert found is not None and found.text.startswith("proven: instructor guide can teach at most 2 of the 3 course")
    # A second guide (the same qualification and days: one pool of two) teaches two courses a week.
    sc["instructors"].append({"id": "guide2", "qualifications": ["survival"]})
    _, data = prepare(load_scenario(write(tmp_path, sc, "two.yaml")))
    (fac,) = facilities(data)
    assert fac.describe(data) == "instructors guide, guide2"
    assert packing_status(data, fac, work=5.0, wall=60.0) == SolveStatus.FEASIBLE
    # The guide's day off on Wednesday 13 March: the second week holds no 3-day course at all
    # (Mon-Wed, Tue-Thu and Wed-Fri all need that day), so even two courses do not fit.
    sc = _course(2, "2024-03-18", consecutive_days=True, resources=[], instructor="survival")
    sc["instructors"] = [{"id": "guide", "qualifications": ["survival"],
                          "blackouts": [{"from": "2024-03-13", "to": "2024-03-13"}]}]
    _, data = prepare(load_scenario(write(tmp_path, sc, "off.yaml")))
    (fac,) = facilities(data)
    assert packing_status(data, fac, work=5.0, wall=60.0) == SolveStatus.INFEASIBLE


def test_pairs_bound_counts_the_pairs_each_training_serves(tmp_path: Path) -> None:
    # Crews of two trainees sharing one course (joint): three crews, one course a week for two weeks,
    # so one crew misses out and with it both its trainees' pairs: at most 4 of the 6.
    sc = _course(3, "2024-03-18", consecutive_days=True, joint="crew")
    sc["participants"] = [{"id": f"p{i}{k}", "role": "sfp", "crew": f"c{i}"} for i in range(3) for k in range(2)]
    _, data = prepare(load_scenario(write(tmp_path, sc)))
    (fac,) = facilities(data)
    assert most_hosted(data, fac, 5.0, 60.0) == (2, 3)
    assert pairs_bound(data, fac, 2, 5.0, 60.0) == 4
    # Two deadlines for one training (a second competency needing the course by an earlier gate): the
    # count by the earliest deadline would not bound the later one, so no pair bound is claimed.
    sc["gates"].append({"id": "early", "date": "2024-03-11"})
    sc["roles"] = [{"id": "sfp", "requires": ["comp", "early_comp"]}]
    sc["competencies"].append({"id": "early_comp", "requires": ["course"], "deadline": "early"})
    _, data = prepare(load_scenario(write(tmp_path, sc, "two.yaml")))
    (fac,) = facilities(data)
    assert pairs_bound(data, fac, 1, 5.0, 60.0) is None


def test_min_window_bisects_on_a_loaded_facility(tmp_path: Path) -> None:
    # The three crews' 3-day courses on the unary site, exam Mon 18 Mar, launch Mon 15 Apr 2024 (fixed):
    # one course a week, so three weeks with a Mon-Fri run of 3 days must lie before the exam. From
    # Wed 28 Feb (47 days before the launch) the week of 26 Feb holds one (Wed-Fri): READY; from Thu
    # 29 Feb (46 days) it holds none: NOT_READY, and every shorter window too. Each trainee alone fits
    # in any of these windows, so the proofs below 47 days come from the site (its load is 0.75-0.9).
    from planner.analysis.window import min_window

    loaded = load_scenario(write(tmp_path, _course(3, "2024-03-18", consecutive_days=True)))
    result = min_window(loaded, SolveParams(time_limit=5, deterministic=True))
    assert (result.ready_days, result.not_ready_days) == (47, 46)
    facility = [p for p in result.probes if p.verdict == Verdict.NOT_READY and "site (capacity 1)" in p.proof]
    assert facility, [(p.days, p.proof) for p in result.probes]
