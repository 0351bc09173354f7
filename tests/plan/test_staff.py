"""Staffing rules (``modules[].staff``, ``participants[].modules[].staff``): several people per
session, each role with a qualification and a count; model, both verifiers, located errors,
exports and explanation, hand-derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.analysis.explain import explain
from planner.cli import app
from planner.data.result import Schedule
from planner.exceptions import ScenarioError
from planner.heuristics.swo import squeaky_wheel
from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates, verify_schedule
from tests.helpers import run, scenario, write

# tests/helpers BASE: Mon-Fri, 4-hour days from Mon 4 Mar 2024, launch Mon 15 Apr. The drill is two
# sessions of a whole day (4 h), so a participant has at most one drill session a day.
DRILL = {"id": "m1", "hours": 8, "session_hours": 4, "instructor": "soyuz", "staff": {"examiner": "2 x exam"}}
STAFF = [
    {"id": "a", "qualifications": ["soyuz", "exam"]},
    {"id": "b", "qualifications": ["soyuz", "exam"]},
    {"id": "c", "qualifications": ["soyuz"]},
    {"id": "t", "qualifications": ["ja"]},
]
PEOPLE = [{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}]


def _staff(out: PlanOutcome) -> dict[tuple[str, dt.date], tuple[Any, Any]]:
    """(participant, day) -> (instructors, staff) of the row."""
    return {(str(r["participant"]), r["start"].date()): (r["instructors"], r["staff"])  # type: ignore[attr-defined]
            for r in schedule_rows(out.grid, out.data, out.result)}


def _check(out: PlanOutcome) -> None:
    assert out.result.schedule is not None
    assert verify_schedule(out.data, out.result.schedule, out.result.goals_met) == []
    assert verify_dates(out.scenario, schedule_rows(out.grid, out.data, out.result)) == []


def test_instructor_and_two_examiners_in_every_session(tmp_path: Path) -> None:
    """Tests the model: each drill session needs a Soyuz instructor and two examiners, three
    different people. a and b are the only examiners, so c teaches every session and a, b examine;
    with capacity 1 each, the 4 sessions of ann and bob take 4 different days: Mon 4 .. Thu 7 Mar,
    earliest first (one participant's pair on Mon-Tue, the other's on Wed-Thu: completion days
    2 + 4 beat interleaving's 3 + 4)."""
    out = run(tmp_path, scenario(participants=PEOPLE, instructors=STAFF, modules=[DRILL]))
    _check(out)
    staffed = _staff(out)
    assert sorted(day for _, day in staffed) == [dt.date(2024, 3, d) for d in (4, 5, 6, 7)]
    assert all(ins == ["c"] and sorted(map(str, st)) == ["examiner:a", "examiner:b"] for ins, st in staffed.values())
    assert sorted(r.achieved_on for r in out.readiness) == [dt.date(2024, 3, 5), dt.date(2024, 3, 7)]  # type: ignore[type-var]


def test_three_roles_need_three_people(tmp_path: Path) -> None:
    """Tests distinct people: without c, the instructor must be a or b, who are both needed as
    examiners: no session can be staffed, so comp is NOT_READY (proven) for both."""
    out = run(tmp_path, scenario(participants=PEOPLE, instructors=STAFF[:2], modules=[DRILL]))
    assert out.overall == Verdict.NOT_READY
    assert out.result.num_goals_met == 0 and out.result.goals_bound == 0
    assert "need 3 different people (instructor and 2 examiner)" in out.readiness[0].reason


def test_interpreter_only_for_one_participant(tmp_path: Path) -> None:
    """Tests individual staff: ann's sessions also need a Japanese interpreter (t), bob's do not."""
    people = [{**PEOPLE[0], "modules": {"m1": {"staff": {"interpreter": "ja"}}}}, PEOPLE[1]]
    out = run(tmp_path, scenario(participants=people, instructors=STAFF, modules=[DRILL]))
    _check(out)
    for (who, _), (_, st) in _staff(out).items():
        assert ("interpreter:t" in st) == (who == "ann")


def test_joint_session_with_interpreter_per_participant(tmp_path: Path) -> None:
    """Tests a crew session (ann and bob in crew c1): an interpreter per participant (per: participant)
    needs two interpreters; with only t holding ja, the module can never run: NOT_READY, and the
    reason names the shortfall."""
    people = [{**PEOPLE[0]}, {**PEOPLE[1], "crew": "c1"}]
    drill = {**DRILL, "joint": "crew", "staff": {"interpreter": {"qualification": "ja", "per": "participant"}}}
    out = run(tmp_path, scenario(participants=people, instructors=STAFF, modules=[drill]))
    assert out.overall == Verdict.NOT_READY
    assert "its sessions need 2 x ja (interpreter), but only 1 instructor(s) hold it" in out.readiness[0].reason
    drill["staff"] = {"interpreter": "ja"}  # one per session: t serves the whole crew
    out = run(tmp_path, scenario(participants=people, instructors=STAFF, modules=[drill]))
    _check(out)
    assert out.overall == Verdict.READY


def test_two_languages_in_one_crew_session(tmp_path: Path) -> None:
    """Tests the same role with two qualifications: ann needs a Japanese interpreter and bob (same crew,
    joint drill) a French one, so every crew session has both, t (ja) and f (fr)."""
    people = [{**PEOPLE[0], "modules": {"m1": {"staff": {"interpreter": "ja"}}}},
              {**PEOPLE[1], "crew": "c1", "modules": {"m1": {"staff": {"interpreter": "fr"}}}}]
    staff = [*STAFF, {"id": "f", "qualifications": ["fr"]}]
    out = run(tmp_path, scenario(participants=people, instructors=staff, modules=[{**DRILL, "joint": "crew"}]))
    _check(out)
    for _, (_, st) in _staff(out).items():
        assert {"interpreter:t", "interpreter:f"} <= set(st)


def test_staff_capacity_is_shared_with_teaching(tmp_path: Path) -> None:
    """Tests capacity: a interprets (ja) for ann's m2 and teaches bob's m2 (soyuz); with capacity 1
    the two one-hour... two-hour sessions cannot overlap, while two 2-hour sessions fit a 4-hour day:
    both on Mon 4 Mar, one at 09:00 and one at 11:00."""
    mods = [{"id": "m1", "hours": 2, "session_hours": 2, "instructor": "soyuz"}]
    people = [{**PEOPLE[0], "modules": {"m1": {"staff": {"interpreter": "ja"}}}}, PEOPLE[1]]
    staff = [{"id": "a", "qualifications": ["soyuz", "ja"]}, {"id": "c", "qualifications": ["soyuz"]}]
    out = run(tmp_path, scenario(participants=people, instructors=staff, modules=mods))
    _check(out)
    rows = schedule_rows(out.grid, out.data, out.result)
    assert {r["start"].date() for r in rows} == {dt.date(2024, 3, 4)}  # type: ignore[attr-defined]
    assert len({r["start"] for r in rows}) == 2  # a cannot be in both at once
    ann = next(r for r in rows if r["participant"] == "ann")
    assert ann["instructors"] == ["c"] and ann["staff"] == ["interpreter:a"]  # a cannot teach and interpret


def test_verifiers_catch_missing_and_doubled_staff(tmp_path: Path) -> None:
    """Tests both verifiers on tampered schedules: an examiner removed, then the instructor
    doubling as an examiner."""
    out = run(tmp_path, scenario(participants=PEOPLE[:1], instructors=STAFF, modules=[DRILL]))
    sched = out.result.schedule
    assert sched is not None
    first = sched.sessions[0]
    short = Schedule((dataclasses.replace(first, staff=first.staff[:1]), *sched.sessions[1:]))
    assert any("has 1 staff besides the instructor, needs 2 examiner" in p
               for p in verify_schedule(out.data, short, out.result.goals_met))
    c = next(i for i, ins in enumerate(out.data.instructors) if ins.id == "c")
    a = next(i for i, ins in enumerate(out.data.instructors) if ins.id == "a")
    double = Schedule((dataclasses.replace(first, instructor=a), *sched.sessions[1:]))
    assert any("one person in two roles" in p for p in verify_schedule(out.data, double, out.result.goals_met))
    assert c == first.instructor
    rows = schedule_rows(out.grid, out.data, out.result)
    rows[0] = {**rows[0], "staff": ["examiner:a", "examiner:c"]}
    problems = verify_dates(out.scenario, rows)
    assert any("2 examiner staff, needs 2 x exam" in p for p in problems)  # c does not hold exam
    rows[0] = {**rows[0], "staff": ["examiner:a"]}
    assert any("1 examiner staff, needs 2 x exam" in p for p in verify_dates(out.scenario, rows))


def test_greedy_start_staffs_every_session(tmp_path: Path) -> None:
    """Tests the squeaky-wheel start: its schedule passes the verifier with staff roles."""
    people = [{**PEOPLE[0], "modules": {"m1": {"staff": {"interpreter": "ja"}}}}, PEOPLE[1]]
    out = run(tmp_path, scenario(participants=people, instructors=STAFF, modules=[DRILL]))
    start = squeaky_wheel(out.data, seconds=None, passes=3, seed=0).schedule
    assert start.sessions and verify_schedule(out.data, start, ()) == []
    assert all(len(s.staff) == sum(n.count for n in out.data.jobs[s.job].staff) for s in start.sessions)


@pytest.mark.parametrize(("staff", "message"), [
    ({"examiner": "3 x exam"}, r"modules\[0\]\.staff\.examiner.*needs 3 x exam in each session, but only 2"),
    ({"examiner": "2 x xray"}, r"modules\[0\]\.staff\.examiner.*no instructor holds qualification 'xray'"),
    ({"examiner": "two x exam"}, r"modules\[0\]\.staff\.examiner.*write a staff need as 'N x qualification'"),
    ({"examiner": {"qual": "exam"}}, r"modules\[0\]\.staff\.examiner.*qual"),
    ({"instructor": "soyuz"}, r"the role 'instructor' is already given by 'instructor:'"),
], ids=["too_few_holders", "unknown_qualification", "bad_shorthand", "unknown_key", "instructor_twice"])
def test_invalid_staff(tmp_path: Path, staff: dict[str, Any], message: str) -> None:
    """Tests the located errors of staff needs."""
    path = write(tmp_path, scenario(participants=PEOPLE, instructors=STAFF, modules=[{**DRILL, "staff": staff}]))
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_invalid_individual_staff(tmp_path: Path) -> None:
    """Tests a participant's staff naming a qualification nobody holds."""
    people = [{**PEOPLE[0], "modules": {"m1": {"staff": {"interpreter": "fr"}}}}, PEOPLE[1]]
    path = write(tmp_path, scenario(participants=people, instructors=STAFF, modules=[DRILL]))
    with pytest.raises(ScenarioError, match=r"participants\[0\]\.modules\.m1\.staff\.interpreter.*'fr'"):
        load_scenario(path)


def test_csv_has_a_staff_column_only_with_staff(tmp_path: Path) -> None:
    """Tests the export: ``staff`` after ``instructors`` when a module has further roles, and the
    columns of files without them unchanged."""
    runner = CliRunner()
    with_staff = write(tmp_path, scenario(participants=PEOPLE, instructors=STAFF, modules=[DRILL]), "a.yaml")
    res = runner.invoke(app, ["plan", str(with_staff), "--out", str(tmp_path / "a"), "--quiet", "--deterministic"])
    assert res.exit_code == 0, res.output
    header = (tmp_path / "a" / "schedule.csv").read_text().splitlines()[0]
    assert header.endswith("instructors,staff,joint")
    assert "examiner:a;examiner:b" in (tmp_path / "a" / "schedule.csv").read_text()
    plain = write(tmp_path, scenario(participants=PEOPLE, instructors=STAFF,
                                     modules=[{k: v for k, v in DRILL.items() if k != "staff"}]), "b.yaml")
    res = runner.invoke(app, ["plan", str(plain), "--out", str(tmp_path / "b"), "--quiet", "--deterministic"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "b" / "schedule.csv").read_text().splitlines()[0].endswith("instructors,joint")


def test_staffing_conflict_is_explained(tmp_path: Path) -> None:
    """Tests explain: with only a and b (both Soyuz instructors and examiners), no session can have an
    instructor and two other examiners. The conflict names who holds the qualifications, and the
    cheapest fix, one more qualified instructor, is verified on the whole scenario."""
    sc = scenario(participants=PEOPLE[:1], instructors=STAFF[:2], modules=[DRILL])
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    assert any(f.kind == "instructors" and "only a, b" in f.text for f in ge.conflict), [f.text for f in ge.conflict]
    best = ge.fixes[0]
    assert "add one instructor qualified for" in best.text and ex.verified(best, ge.goal) == "yes"


def test_date_verifier_counts_per_participant_staff_over_the_session(tmp_path: Path) -> None:
    """Tests the date verifier on a crew session (ann and bob) needing an interpreter per participant:
    2 x ja in each session, so t and u interpret every session. With one interpreter removed from both
    rows of a session, each row alone still names one ja interpreter; only the whole session's count,
    1 < 1 x 2 participants, shows the shortfall (the per-row check missed it)."""
    people = [{**PEOPLE[0]}, {**PEOPLE[1], "crew": "c1"}]
    staff = [*STAFF, {"id": "u", "qualifications": ["ja"]}]
    drill = {**DRILL, "joint": "crew", "staff": {"interpreter": {"qualification": "ja", "per": "participant"}}}
    out = run(tmp_path, scenario(participants=people, instructors=staff, modules=[drill]))
    _check(out)
    rows = schedule_rows(out.grid, out.data, out.result)
    assert all(sorted(r["staff"]) == ["interpreter:t", "interpreter:u"] for r in rows)  # type: ignore[call-overload]
    first = rows[0]["start"]
    cut = [{**r, "staff": ["interpreter:t"]} if r["start"] == first else r for r in rows]
    problems = verify_dates(out.scenario, cut)
    assert [p for p in problems if "interpreter" in p] == [
        f"ann/bob m1 {first:%Y-%m-%d %H:%M}: 1 interpreter staff, needs 2 x ja"]


def test_replan_keeps_the_staff_of_sessions_done(tmp_path: Path) -> None:
    """Tests a re-plan: the drill's first session (Mon 4 Mar, c teaching, a and b examining) is done
    before the as-of date (Wed 6 Mar). The re-plan's schedule.csv shows it with its examiners, as
    published; it used to lose them (empty staff), while the instructor was kept."""
    runner = CliRunner()
    path = write(tmp_path, scenario(participants=PEOPLE[:1], instructors=STAFF, modules=[DRILL]))
    base = tmp_path / "base"
    res = runner.invoke(app, ["plan", str(path), "--out", str(base), "--quiet", "--deterministic"])
    assert res.exit_code == 0, res.output
    prog = tmp_path / "progress.csv"
    prog.write_text("participant,module,session,status,actual_start,actual_end,note\n")
    res = runner.invoke(app, ["replan", str(path), "--progress", str(prog), "--as-of", "2024-03-06", "--baseline",
                              str(base), "--out", str(tmp_path / "re"), "--quiet", "--deterministic"])
    assert res.exit_code == 0, res.output
    published = (base / "schedule.csv").read_text().splitlines()
    again = (tmp_path / "re" / "schedule.csv").read_text().splitlines()
    assert "2024-03-04" in published[1] and "examiner:a;examiner:b" in published[1]
    assert again[1] == published[1]


def test_two_sessions_with_the_same_people_are_not_one(tmp_path: Path) -> None:
    """Tests the date verifier's grouping: ann and bob (two crews) each take their own drill, with an
    examiner per participant; a and x can each be in two sessions at once (capacity 2), and both
    trainees are free on Mon 4 and Tue 5 Mar only, so the two drills run side by side with the same
    instructor and examiner. Each session has its one examiner: valid (it used to be read as one
    session of two participants short of an examiner)."""
    drill = {**DRILL, "staff": {"examiner": {"qualification": "exam", "per": "participant"}}}
    staff = [{"id": "a", "qualifications": ["soyuz"], "capacity": 2}, {"id": "x", "qualifications": ["exam"], "capacity": 2}]
    off = [{"from": "2024-03-06", "to": "2024-04-14"}]
    people = [{**PEOPLE[0], "blackouts": off}, {**PEOPLE[1], "blackouts": off}]
    out = run(tmp_path, scenario(participants=people, instructors=staff, modules=[drill]))
    _check(out)
    assert out.overall == Verdict.READY
    assert {(r["start"].date(), tuple(r["staff"])) for r in schedule_rows(out.grid, out.data, out.result)} == {  # type: ignore[attr-defined, arg-type]
        (dt.date(2024, 3, 4), ("examiner:x",)), (dt.date(2024, 3, 5), ("examiner:x",))}
