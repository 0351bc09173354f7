"""Re-planning on the history as it happened: a multi-day exercise under way, a failed session's hours, a
module with fewer sessions (hand-derived on tests/helpers BASE: Mon-Fri 4-hour days from Mon 4 Mar 2024)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import scenario, write

RUN = CliRunner()
HEADER = "participant,module,session,status,start,end,note\n"


def _publish(tmp_path: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    path = write(tmp_path, data)
    res = RUN.invoke(app, ["plan", str(path), "--out", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    return path, tmp_path / "pub"


def _replan(tmp_path: Path, path: Path, pub: Path, progress: str, as_of: str) -> pd.DataFrame:
    prog = tmp_path / "progress.csv"
    prog.write_text(HEADER + progress)
    res = RUN.invoke(app, ["replan", str(path), "--progress", str(prog), "--as-of", as_of, "--baseline", str(pub),
                           "--out", str(tmp_path / "re"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    return pd.read_csv(tmp_path / "re" / "changes.csv")


def test_a_multi_day_exercise_under_way_goes_on(tmp_path: Path) -> None:
    """Tests a three-day course (consecutive days) re-planned on its second day with nothing to report: its
    first day stays done and the other two are kept. It was retaken whole (the first day thrown away, a
    fourth day added, and the week over the cap)."""
    data = scenario(modules=[{"id": "m1", "sessions": 3, "session_hours": 4, "consecutive_days": True}])
    path, pub = _publish(tmp_path, data)  # earliest: Mon 4, Tue 5, Wed 6 Mar
    changes = _replan(tmp_path, path, pub, "", "2024-03-05")
    assert sorted(zip(changes["session"], changes["change"], strict=True)) == [(1, "done"), (2, "kept"), (3, "kept")]


def test_a_failed_session_s_hours_count_towards_its_week(tmp_path: Path) -> None:
    """Tests the weekly cap (8 h) after a failure: four 4-h sessions, published Mon 4, Tue 5, Mon 11 and Tue 12
    Mar (earliest, two a week). Session 1 failed on Mon 4, session 2 done on Tue 5: the week of 4 Mar has
    trained its 8 h, so the retake goes to a later week. The failed hours did not count: the retake took
    Wed 6 Mar (12 h that week)."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}}],
                    modules=[{"id": "m1", "sessions": 4, "session_hours": 4}])
    path, pub = _publish(tmp_path, data)
    changes = _replan(tmp_path, path, pub, "ann,m1,1,failed,,,\n", "2024-03-06")
    (added,) = changes[changes["change"] == "added"]["new_start"]
    assert added >= "2024-03-11"
    schedule = pd.read_csv(tmp_path / "re" / "schedule.csv")
    assert not (schedule["start"].str[:10] == "2024-03-06").any()


def test_published_sessions_beyond_a_shorter_module_are_listed_as_removed(tmp_path: Path) -> None:
    """Tests a what-if against a published plan that gives the module fewer sessions (6 h of 2-h sessions
    instead of 8 h): the fourth published session is removed, and said so (it was left out of the list)."""
    data = scenario(modules=[{"id": "m1", "hours": 8, "session_hours": 2}])
    path, pub = _publish(tmp_path, data)
    res = RUN.invoke(app, ["whatif", str(path), "--against", str(pub), "--set", "modules.m1.hours=6",
                           "--deterministic", "--quiet", "--out", str(tmp_path / "w")])
    assert res.exit_code == 0, res.output
    assert "3 unchanged, 0 moved, 0 added, 1 removed" in res.output
    assert "the module now has 3 sessions, fewer than published" in res.output


def test_a_session_done_at_another_time_keeps_its_published_time_in_the_change_list(tmp_path: Path) -> None:
    """Tests changes.csv of a session done at another time: published Mon 4 Mar 09:00 (earliest), done Tue 5
    Mar 09:00: old_start is the published time and new_start the actual one (both were the actual time)."""
    data = scenario(modules=[{"id": "m1", "sessions": 3, "session_hours": 4}])
    path, pub = _publish(tmp_path, data)  # Mon 4, Tue 5, Wed 6 Mar
    changes = _replan(tmp_path, path, pub, "ann,m1,1,completed,2024-03-07T09:00,,\n", "2024-03-08")
    row = changes[(changes["session"] == 1)].iloc[0]
    assert (row["change"], row["old_start"], row["new_start"]) == ("done", "2024-03-04T09:00", "2024-03-07T09:00")
    assert row["reason"].endswith("done at another time")


def test_an_interrupted_exercise_retaken_whole_still_spent_its_hours(tmp_path: Path) -> None:
    """Tests the retake of a two-day exercise (consecutive days) whose second day failed: published Mon 4 and
    Tue 5 Mar, as of Wed 6 Mar. Day 1 took place and so did day 2: their 8 h count towards the week's 12-h
    cap, so the retake (two days in a row) cannot be Wed 6 - Thu 7 (16 h that week): next week. The retake's
    first day was not counted before (the week trained 16 h)."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 12}}],
                    modules=[{"id": "m1", "sessions": 2, "session_hours": 4, "consecutive_days": True}])
    path, pub = _publish(tmp_path, data)
    changes = _replan(tmp_path, path, pub, "ann,m1,2,failed,,,\n", "2024-03-06")
    assert all(day >= "2024-03-11" for day in changes[changes["change"] == "added"]["new_start"])


def test_an_exercise_whose_instructor_is_away_on_a_coming_day_is_retaken_whole(tmp_path: Path) -> None:
    """Tests the other side: the same three-day course with its only instructor, away on its third day (Wed 6
    Mar) as of its second: it cannot go on as published, so it is retaken whole later (READY), not kept and
    left unfinishable."""
    data = scenario(instructors=[{"id": "coach", "qualifications": ["q"]}],
                    modules=[{"id": "m1", "sessions": 3, "session_hours": 4, "consecutive_days": True, "instructor": "q"}])
    path, pub = _publish(tmp_path, data)  # Mon 4, Tue 5, Wed 6 Mar
    prog = tmp_path / "progress.csv"
    prog.write_text(HEADER)
    res = RUN.invoke(app, ["replan", str(path), "--progress", str(prog), "--as-of", "2024-03-05", "--baseline", str(pub),
                           "--set", "instructors.coach.blackouts=[{from: 2024-03-06, to: 2024-03-06}]",
                           "--out", str(tmp_path / "re"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    changes = pd.read_csv(tmp_path / "re" / "changes.csv")
    # Day 1 is not done (the course starts again), days 2 and 3 move, one session is added: three days later.
    assert sorted(changes["change"]) == ["added", "moved", "moved", "not done"]
    assert all(day >= "2024-03-07" for day in changes["new_start"].dropna())


def test_a_session_done_too_early_for_its_recency_rule_is_taken_again(tmp_path: Path) -> None:
    """Tests recency on the history: first aid must end within 30 days of launch (Mon 15 Apr 2024), so on or
    after Sat 16 Mar; published (earliest) on Mon 18 Mar, reported done on Fri 15 Mar. Done then, it does not
    count at launch: it is taken again after the as-of date (Tue 19 Mar), and the pair stays READY. It was
    READY on the lapsed session ("expires" before launch)."""
    data = scenario(modules=[{"id": "m1", "sessions": 1, "session_hours": 4, "recency_days": 30}])
    path, pub = _publish(tmp_path, data)
    changes = _replan(tmp_path, path, pub, "ann,m1,1,completed,2024-03-15T09:00,,\n", "2024-03-19")
    (added,) = changes[changes["change"] == "added"]["new_start"]
    assert added >= "2024-03-19"
    # Said as it happened (it read "failed or missed before the as-of date").
    (why,) = changes[changes["change"] == "not done"]["reason"]
    assert why.startswith("done on 2024-03-15, too long before launch for the module's recency rule")


def test_an_actual_time_that_double_books_the_instructor_is_named(tmp_path: Path) -> None:
    """Tests the history's instructors: ann and bob each take one 4-h session with coach (capacity 1), published
    Mon 4 and Tue 5 Mar (earliest). Ann's reported done on Tue 5 Mar would have coach teach both at once: exit 1
    naming the row (it was accepted, with coach double-booked in the history)."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}],
                    instructors=[{"id": "coach", "qualifications": ["q"]}],
                    modules=[{"id": "m1", "sessions": 1, "session_hours": 4, "instructor": "q"}])
    path, pub = _publish(tmp_path, data)
    published = pd.read_csv(pub / "schedule.csv")
    bob = published[published["participant"] == "bob"]["start"].iloc[0]
    prog = tmp_path / "progress.csv"
    prog.write_text(HEADER + f"ann,m1,1,completed,{bob},,\n")
    res = RUN.invoke(app, ["replan", str(path), "--progress", str(prog), "--as-of", "2024-03-08", "--baseline", str(pub),
                           "--out", str(tmp_path / "re"), "--deterministic", "--quiet"])
    assert res.exit_code == 1, res.output
    assert "row 2: the actual time of ann/m1" in res.output and "takes instructor coach beyond its capacity" in res.output


def test_a_joint_session_one_member_missed_took_place_for_the_others(tmp_path: Path) -> None:
    """Tests a crew session missed by one member: it is retaken by the crew together, and the member who was
    there keeps its hours (it was "missed" for the whole crew, ann's attendance lost, and her "completed" row
    reported as given again).

    ann and bob train m1 together (joint: crew), four 4-h sessions; ann may train 8 h a week: published Mon 4,
    Tue 5, Mon 11 and Tue 12 Mar. bob missed session 1 (Mon 4), ann was there; session 2 done. Re-planned
    on Wed 6 Mar: ann's week of 4 Mar already holds 8 h (4 on Mon, 4 on Tue), so the retake goes to a later
    week; without her Monday hours it took Wed 6 Mar (12 h that week)."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}},
                                  {"id": "bob", "role": "sfp", "crew": "c1"}],
                    modules=[{"id": "m1", "sessions": 4, "session_hours": 4, "joint": "crew"}])
    path, pub = _publish(tmp_path, data)
    changes = _replan(tmp_path, path, pub, "ann,m1,1,completed,,,\nbob,m1,1,missed,,,ill\n", "2024-03-06")
    assert "ignored" not in set(changes["change"])
    (why,) = changes[changes["change"] == "not done"]["reason"]
    assert why.startswith("missed by bob (ann attended: their hours count)")
    (added,) = changes[changes["change"] == "added"]["new_start"]
    assert added >= "2024-03-11"


def test_a_crew_mates_missed_session_stands_beside_a_whole_module_row_and_an_actual_start(tmp_path: Path) -> None:
    """Tests two joint-session reports: bob's missed session 2 stays missed although ann's whole module is
    reported completed after it (the later whole-module row cancelled it: no retake, bob READY without it); and
    ann's actual start of a session bob missed (Fri 8 Mar, not the published Mon 11) is where her hours count.

    ann (8 h a week) and bob train m1 together, four 4-h sessions, published Mon 4, Tue 5, Mon 11, Tue 12 Mar.
    Re-planned on Wed 13 Mar. First case: the week of 11 Mar holds 8 h, the retake goes to Mon 18 Mar. Second
    case: session 3 took place on Fri 8 Mar, so the week of 11 Mar holds only Tue 12 (4 h) and the retake takes
    Wed 13 Mar; counted on the published Mon 11 it went to Mon 18 Mar."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 8}},
                                  {"id": "bob", "role": "sfp", "crew": "c1"}],
                    modules=[{"id": "m1", "sessions": 4, "session_hours": 4, "joint": "crew"}])
    path, pub = _publish(tmp_path, data)
    changes = _replan(tmp_path, path, pub, "bob,m1,2,missed,,,ill\nann,m1,,completed,,,\n", "2024-03-13")
    assert list(changes[changes["change"] == "not done"]["session"]) == [2]
    (added,) = changes[changes["change"] == "added"]["new_start"]
    assert added >= "2024-03-18"
    changes = _replan(tmp_path, path, pub, "ann,m1,3,completed,2024-03-08T09:00,,\nbob,m1,3,missed,,,ill\n",
                      "2024-03-13")
    (added,) = changes[changes["change"] == "added"]["new_start"]
    assert added == "2024-03-13T09:00"
