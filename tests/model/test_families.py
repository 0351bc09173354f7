"""One tiny hand-checkable scenario per constraint family.

Base calendar (tests/helpers.py): Mon-Fri, 4 working hours a day in 1-h
slots, no public holidays, window Mon 2024-03-04 .. launch Mon 2024-04-15.
The plan finishes readiness as early as possible, so the expected readiness
date is the earliest the family allows; each test derives it in a comment.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.plan.readiness import Verdict
from tests.helpers import run, scenario, sessions

D = dt.date


def ready_on(out, participant: str = "ann", competency: str = "comp") -> dt.date | None:  # type: ignore[no-untyped-def]
    row = next(r for r in out.readiness if r.participant == participant and r.competency == competency)
    return row.achieved_on if row.status == Verdict.READY else None


def test_windows_gate_deadline_gives_slack(tmp_path: Path) -> None:
    """Tests that a gate deadline bounds readiness and slack counts to it."""
    # Two full-day sessions: Mon 4 and Tue 5; the exam gate is Wed 6, so
    # slack is 1 day.
    sc = scenario(
        gates=[{"id": "exam", "date": "2024-03-06"}],
        modules=[{"id": "m1", "hours": 8, "session_hours": 4}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exam"}],
    )
    out = run(tmp_path, sc)
    row = out.readiness[0]
    assert row.achieved_on == D(2024, 3, 5) and row.slack_days == 1


def test_windows_gate_too_early_is_not_ready(tmp_path: Path) -> None:
    """Tests that three full days cannot fit before a gate two days in: NOT_READY, proven."""
    sc = scenario(
        gates=[{"id": "exam", "date": "2024-03-06"}],
        modules=[{"id": "m1", "hours": 12, "session_hours": 4}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "exam"}],
    )
    out = run(tmp_path, sc)
    assert out.readiness[0].status == Verdict.NOT_READY
    assert out.result.status.value == "OPTIMAL"


def test_calendars_blackout_and_holiday(tmp_path: Path) -> None:
    """Tests that leave, holidays and weekends are skipped."""
    # Leave Mon 4 - Wed 6, holiday Thu 7 and Fri 8, weekend: first day is Mon 11.
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2024-03-04", "to": "2024-03-06"}]}],
        calendar={"day_hours": 4, "slot_minutes": 60, "holidays": ["2024-03-07", "2024-03-08"]},
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 11)


def test_precedence_min_lag_days(tmp_path: Path) -> None:
    """Tests a prerequisite with a 3-day minimum lag."""
    # m1 ends Mon 4; m2 may start 3 calendar days later: Thu 7.
    sc = scenario(
        modules=[
            {"id": "m1", "hours": 4, "session_hours": 4},
            {"id": "m2", "hours": 1, "session_hours": 1, "prerequisites": [{"module": "m1", "min_lag_days": 3}]},
        ],
        competencies=[{"id": "comp", "requires": ["m2"]}],
    )
    out = run(tmp_path, sc)
    assert ready_on(out) == D(2024, 3, 7)
    assert sessions(out, "m1")[0][0].startswith("2024-03-04")


def test_resources_unary_sequences_participants(tmp_path: Path) -> None:
    """Tests that a unary simulator takes one full-day session at a time."""
    # Two trainees, one full-day session each on the same simulator: Mon 4 and Tue 5.
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}],
        resources=[{"id": "sim", "capacity": 1}],
        modules=[{"id": "m1", "hours": 4, "session_hours": 4, "resources": ["sim"]}],
    )
    out = run(tmp_path, sc)
    assert sorted([ready_on(out, "ann"), ready_on(out, "bob")]) == [D(2024, 3, 4), D(2024, 3, 5)]  # type: ignore[type-var]


def test_resources_seats_capacity(tmp_path: Path) -> None:
    """Tests a classroom with 2 seats for 3 trainees needing it all day: two days."""
    sc = scenario(
        participants=[{"id": n, "role": "sfp", "crew": n} for n in ("ann", "bob", "cid")],
        resources=[{"id": "room", "capacity": 2, "unit": "participants"}],
        modules=[{"id": "m1", "hours": 4, "session_hours": 4, "resources": ["room"]}],
    )
    out = run(tmp_path, sc)
    days = sorted(ready_on(out, p) for p in ("ann", "bob", "cid"))  # type: ignore[type-var]
    assert days == [D(2024, 3, 4), D(2024, 3, 4), D(2024, 3, 5)]


def test_instructors_pick_available_qualified(tmp_path: Path) -> None:
    """Tests that the planner uses the qualified instructor who is back first."""
    # i1 away all week, i2 away Mon-Tue, i3 not qualified: Wed 6 with i2.
    sc = scenario(
        instructors=[
            {"id": "i1", "qualifications": ["q"], "blackouts": [{"from": "2024-03-04", "to": "2024-03-08"}]},
            {"id": "i2", "qualifications": ["q"], "blackouts": [{"from": "2024-03-04", "to": "2024-03-05"}]},
            {"id": "i3", "qualifications": ["other"]},
        ],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "instructor": "q"}],
    )
    out = run(tmp_path, sc)
    assert ready_on(out) == D(2024, 3, 6)
    from planner.report.tables import schedule_frame

    assert schedule_frame(out)["instructors"].tolist() == ["i2"]


def test_joint_crew_trains_together(tmp_path: Path) -> None:
    """Tests that a crew module puts both members in the same session."""
    # Ann spends Monday on a full-day solo module, so the joint one is Tue 5 for both.
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "pro", "crew": "c1"}],
        roles=[{"id": "sfp", "requires": ["comp"]}, {"id": "pro", "requires": []}],
        modules=[
            {"id": "solo", "hours": 4, "session_hours": 4, "roles": ["sfp"]},
            {"id": "sim", "hours": 2, "session_hours": 2, "joint": "crew", "prerequisites": ["solo"]},
        ],
        competencies=[{"id": "comp", "requires": ["sim"]}],
    )
    out = run(tmp_path, sc)
    assert sessions(out, "sim", "ann") == sessions(out, "sim", "bob")
    assert sessions(out, "sim", "ann")[0][0].startswith("2024-03-05")


def test_seasons_window(tmp_path: Path) -> None:
    """Tests a seasonal module: yearly window 03-20..03-31 gives Wed 20 Mar."""
    sc = scenario(modules=[{"id": "m1", "hours": 2, "session_hours": 2, "allowed": [{"from": "03-20", "to": "03-31"}]}])
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 20)


def test_seasons_outside_window_not_ready_with_reason(tmp_path: Path) -> None:
    """Tests that a season outside the window is NOT_READY and the reason names it."""
    sc = scenario(modules=[{"id": "m1", "hours": 2, "session_hours": 2, "allowed": [{"from": "01-15", "to": "02-28"}]}])
    out = run(tmp_path, sc)
    row = out.readiness[0]
    assert row.status == Verdict.NOT_READY
    assert "season" in row.reason and "01-15 .. 02-28" in row.reason


def test_spacing_keeps_days_apart(tmp_path: Path) -> None:
    """Tests 'no b within 24 h after a': b Mon 4 then a Tue 5 (b before a is allowed)."""
    # Without the rule both 2-h modules fit on Mon 4. With it, b may not be on
    # a's day or the next, so the best is b on Mon 4 and a on Tue 5.
    sc = scenario(
        modules=[{"id": "a", "hours": 2, "session_hours": 2}, {"id": "b", "hours": 2, "session_hours": 2}],
        competencies=[{"id": "comp", "requires": ["a", "b"]}],
        spacing=[{"after": "a", "forbid": "b", "hours": 24}],
    )
    out = run(tmp_path, sc)
    assert ready_on(out) == D(2024, 3, 5)
    assert sessions(out, "b")[0][0].startswith("2024-03-04")
    assert sessions(out, "a")[0][0].startswith("2024-03-05")


def test_load_daily_cap(tmp_path: Path) -> None:
    """Tests a 2-h daily cap: two 2-h sessions take Mon 4 and Tue 5."""
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_day": 2}}],
        modules=[{"id": "m1", "hours": 4, "session_hours": 2}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 5)


def test_load_weekly_cap(tmp_path: Path) -> None:
    """Tests an 8-h weekly cap: five full days (20 h) take 2+2+1 days over three weeks."""
    # Week 1: Mon 4, Tue 5; week 2: Mon 11, Tue 12; week 3: Mon 18.
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}}],
        modules=[{"id": "m1", "hours": 20, "session_hours": 4}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 18)


def test_load_weeks_raise_the_cap_of_some_weeks(tmp_path: Path) -> None:
    """Tests ``load.weeks``: 16 h in the week of Mon 11 Mar instead of 8 h: 20 h end Wed 13."""
    # Week of Mon 4: 8 h (Mon 4, Tue 5); week of Mon 11 (the range Wed 13 - Thu 14 touches it):
    # 16 h, but 12 h are left: Mon 11, Tue 12, Wed 13. Without the entry: Mon 18 (test above).
    load = {"max_hours_per_week": 8, "weeks": [{"from": "2024-03-13", "to": "2024-03-14", "max_hours_per_week": 16}]}
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
        modules=[{"id": "m1", "hours": 20, "session_hours": 4}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 13)


def test_load_weeks_alone_cap_only_their_weeks(tmp_path: Path) -> None:
    """Tests ``load.weeks`` without a weekly cap: 4 h in the first week, the others uncapped."""
    # Week of Mon 4: one 4-h day (Mon 4); then Mon 11 .. Thu 14 for the other 16 h.
    load = {"weeks": [{"from": "2024-03-04", "to": "2024-03-08", "max_hours_per_week": 4}]}
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
        modules=[{"id": "m1", "hours": 20, "session_hours": 4}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 14)


def test_recency_before_launch(tmp_path: Path) -> None:
    """Tests recency: completed within 10 days of launch Mon 15 Apr -> not before Fri 5 Apr."""
    sc = scenario(modules=[{"id": "m1", "hours": 2, "session_hours": 2, "recency_days": 10}])
    assert ready_on(run(tmp_path, sc)) == D(2024, 4, 5)


def test_competencies_any_of(tmp_path: Path) -> None:
    """Tests an any_of rule: the late seasonal option is skipped for the early one."""
    sc = scenario(
        modules=[
            {"id": "late", "hours": 2, "session_hours": 2, "allowed": [{"from": "2024-04-01", "to": "2024-04-10"}]},
            {"id": "early", "hours": 2, "session_hours": 2},
        ],
        competencies=[{"id": "comp", "requires": [{"any_of": ["late", "early"]}]}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 4)


def test_rest_days_after_exercise(tmp_path: Path) -> None:
    """Tests two rest days after an exercise: exercise Mon 4, rest Tue-Wed, next module Thu 7."""
    sc = scenario(
        modules=[
            {"id": "survival", "hours": 4, "session_hours": 4, "rest_days_after": 2},
            {"id": "m2", "hours": 1, "session_hours": 1, "prerequisites": ["survival"]},
        ],
        competencies=[{"id": "comp", "requires": ["m2"]}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 7)


def test_consecutive_days_skip_broken_runs(tmp_path: Path) -> None:
    """Tests consecutive days: leave on Tue 5 forces Wed 6 - Fri 8."""
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "blackouts": [{"from": "2024-03-05", "to": "2024-03-05"}]}],
        modules=[{"id": "m1", "hours": 12, "session_hours": 4, "consecutive_days": True}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 8)


def test_min_days_between_sessions(tmp_path: Path) -> None:
    """Tests one session a day: three 1-h sessions take Mon 4 - Wed 6."""
    sc = scenario(modules=[{"id": "m1", "hours": 3, "session_hours": 1, "min_days_between_sessions": 1}])
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 6)


def test_held_competency_needs_no_training(tmp_path: Path) -> None:
    """Tests that a participant who holds the competency has no goal for it."""
    sc = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "holds": ["comp"]}])
    out = run(tmp_path, sc)
    assert out.readiness == ()


def test_sessions_count_instead_of_hours(tmp_path: Path) -> None:
    """Tests 'sessions: 3' with 'session_hours: 4': three full days, Mon 4 - Wed 6."""
    sc = scenario(modules=[{"id": "m1", "sessions": 3, "session_hours": 4}])
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 6)


def test_instructor_available_window(tmp_path: Path) -> None:
    """Tests an instructor only available from 11 March: the session is on Mon 11."""
    sc = scenario(
        instructors=[{"id": "i1", "qualifications": ["q"], "available": [{"from": "2024-03-11", "to": "2024-04-30"}]}],
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "instructor": "q"}],
    )
    assert ready_on(run(tmp_path, sc)) == D(2024, 3, 11)
