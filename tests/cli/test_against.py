"""What-ifs against a published plan (``whatif``/``compare --against PLAN_DIR``): only the sessions a
change forces to move move, each with its reason, and the answer is the same every time."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from planner.analysis.keep import broken_jobs, rings
from planner.analysis.replan import read_baseline, replan_problem
from planner.cli import app
from planner.plan.pipeline import prepare
from planner.scenario.load import load_scenario
from tests.helpers import scenario, write

# tests/helpers BASE: Mon-Fri, 4-hour days from Mon 4 Mar 2024, launch Mon 15 Apr. ann and bob each take
# m1 (three 2-hour sessions) and lab (two 2-hour sessions on the one lab).
SC = scenario(
    participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"}],
    resources=[{"id": "lab"}],
    modules=[{"id": "m1", "hours": 6, "session_hours": 2},
             {"id": "lab", "hours": 4, "session_hours": 2, "resources": ["lab"], "prerequisites": ["m1"]}],
    competencies=[{"id": "comp", "requires": ["m1", "lab"]}],
)
RUN = CliRunner()


def _published(tmp_path: Path) -> tuple[Path, Path, list[dict[str, str]]]:
    path = write(tmp_path, SC)
    res = RUN.invoke(app, ["plan", str(path), "--out", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    with (tmp_path / "pub" / "schedule.csv").open() as fh:
        return path, tmp_path / "pub", list(csv.DictReader(fh))


def _outage(rows: list[dict[str, str]]) -> tuple[str, str]:
    """A --set closing the lab on the day of ann's first lab session, and that session's start."""
    first = next(r for r in rows if r["participant"] == "ann" and r["module"] == "lab")
    day = first["start"][:10]
    return f"resources.lab.blackouts=[{{from: {day}, to: {day}, reason: repair}}]", first["start"]


def test_only_the_forced_session_moves(tmp_path: Path) -> None:
    """Tests --against: the lab is closed on the day of ann's first lab session. The lab session(s)
    on that day move (the reason names the lab), every other published session stays, and
    changes.csv lists the move."""
    path, pub, rows = _published(tmp_path)
    edit, start = _outage(rows)
    on_day = [r for r in rows if r["module"] == "lab" and r["start"][:10] == start[:10]]
    res = RUN.invoke(app, ["whatif", str(path), "--set", edit, "--against", str(pub), "--deterministic",
                           "--quiet", "--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert f"Sessions: {len(rows) - len(on_day)} unchanged, {len(on_day)} moved, 0 added, 0 removed" in res.output
    assert "lab closed (outage or season)" in res.output
    with (tmp_path / "a" / "changes.csv").open() as fh:
        moved = [c for c in csv.DictReader(fh) if c["change"] == "moved"]
    assert len(moved) == len(on_day) and all(c["old_start"][:10] == start[:10] for c in moved)


def test_two_runs_give_the_same_bytes(tmp_path: Path) -> None:
    """Tests determinism: the same what-if against the same plan writes identical files and text."""
    path, pub, rows = _published(tmp_path)
    edit, _ = _outage(rows)
    outs = []
    for _ in range(2):
        res = RUN.invoke(app, ["whatif", str(path), "--set", edit, "--against", str(pub), "--deterministic",
                               "--quiet", "--out", str(tmp_path / "o")])
        outs.append((res.output, (tmp_path / "o" / "changes.csv").read_bytes(), (tmp_path / "o" / "compare.csv").read_bytes()))
        assert res.exit_code == 0, res.output
    assert outs[0] == outs[1]


def test_from_scratch_says_so(tmp_path: Path) -> None:
    """Tests the default: without --against, the text says both plans were made from scratch."""
    path, _, rows = _published(tmp_path)
    edit, _ = _outage(rows)
    res = RUN.invoke(app, ["whatif", str(path), "--set", edit, "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "Both plans were made from scratch" in res.output and "--against PLAN_DIR" in res.output


def test_compare_against(tmp_path: Path) -> None:
    """Tests compare A --set ... --against: the same change list as whatif."""
    path, pub, rows = _published(tmp_path)
    edit, _ = _outage(rows)
    res = RUN.invoke(app, ["compare", str(path), "--set", edit, "--against", str(pub), "--deterministic", "--quiet",
                           "--out", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert "Against the published plan" in res.output and (tmp_path / "c" / "changes.csv").exists()


def test_broken_jobs_and_rings(tmp_path: Path) -> None:
    """Tests the rings: with the lab closed on ann's lab day, only jobs with a session that day
    are broken; the second ring adds their participants' m1, the third every job on the lab."""
    path, pub, rows = _published(tmp_path)
    edit, _ = _outage(rows)
    loaded = load_scenario(path, None, [edit])
    grid, data = prepare(loaded)
    baseline = read_baseline(pub, grid, data)
    data2 = replan_problem(data, grid, baseline, [], grid.window_start, None, pub)  # as a what-if does
    broken = broken_jobs(data2)
    assert broken and all(data2.jobs[j].module == "lab" for j in broken)
    core, second, *rest = rings(data2, broken)
    assert core == broken and {data2.jobs[j].module for j in second - core} == {"m1"}
    assert not rest or {data2.jobs[j].module for j in rest[0]} == {"m1", "lab"}


def test_a_change_that_breaks_readiness_keeps_what_it_can(tmp_path: Path) -> None:
    """Tests the whole re-plan after the rings: the lab is closed for the whole window, so no lab session
    can run and comp is NOT_READY for both; the six m1 sessions stay where published, the four lab
    sessions are removed (the rings could not keep every pair; the re-plan starts from their best plan)."""
    path, pub, _ = _published(tmp_path)
    res = RUN.invoke(app, ["whatif", str(path), "--set", "resources.lab.blackouts=[{from: 2024-03-04, to: 2024-04-12}]",
                           "--against", str(pub), "--deterministic", "--quiet"])
    assert res.exit_code == 3, res.output
    assert "Sessions: 6 unchanged, 0 moved, 0 added, 4 removed" in res.output


def test_a_published_cohort_module_is_read_back(tmp_path: Path) -> None:
    """Tests a baseline with a ``joint: cohort`` module: its rows name each participant and their crew,
    not the cohort the job belongs to, and were refused ("ann does not take module 'lab'"). The plan
    is read back whole (every session of the one cohort job) and a what-if against it keeps it all."""
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "cohort": "spring"},
                      {"id": "bob", "role": "sfp", "crew": "c2", "cohort": "spring"}],
        resources=[{"id": "lab"}],
        modules=[{"id": "lab", "hours": 4, "session_hours": 2, "resources": ["lab"], "joint": "cohort"}],
        competencies=[{"id": "comp", "requires": ["lab"]}],
    )
    path = write(tmp_path, sc)
    res = RUN.invoke(app, ["plan", str(path), "--out", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    grid, data = prepare(load_scenario(path))
    baseline = read_baseline(tmp_path / "pub", grid, data)
    assert [(data.jobs[j].participants, len(sessions)) for j, sessions in baseline.items()] == [((0, 1), 2)]
    res = RUN.invoke(app, ["whatif", str(path), "--set", "calendar.day_hours=5", "--against", str(tmp_path / "pub"),
                           "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "0 of its sessions moved or removed" in res.output


def test_a_move_forced_by_an_instructor_s_new_leave_names_the_instructor(tmp_path: Path) -> None:
    """Tests the reason of a move: m1 taught by coach; coach is away on the day of ann's first m1 session.
    That session moves, and the reason says the instructor is away (it said "to make room for retakes")."""
    data = {**SC, "instructors": [{"id": "coach", "qualifications": ["q"]}],
            "modules": [{**SC["modules"][0], "instructor": "q"}, SC["modules"][1]]}
    path = write(tmp_path, data)
    res = RUN.invoke(app, ["plan", str(path), "--out", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    with (tmp_path / "pub" / "schedule.csv").open() as fh:
        first = next(r for r in csv.DictReader(fh) if r["participant"] == "ann" and r["module"] == "m1")
    day = first["start"][:10]
    res = RUN.invoke(app, ["whatif", str(path), "--set", f"instructors.coach.blackouts=[{{from: {day}, to: {day}}}]",
                           "--against", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    assert f"ann/m1 #1: {first['start'][:16].replace('T', ' ')}" in res.output
    assert "instructor coach is away" in res.output


def test_an_instructor_change_on_a_kept_session_is_reported(tmp_path: Path) -> None:
    """Tests a kept session whose instructor changes: m1 taught by coach or deputy; coach is away from the
    start of the window on, so every session coach published is kept at its time with deputy, and
    changes.csv and the terminal say so (nothing did before: the calendars changed silently)."""
    data = {**SC, "instructors": [{"id": "coach", "qualifications": ["q"]}, {"id": "deputy", "qualifications": ["q"]}],
            "modules": [{**SC["modules"][0], "instructor": "q"}, SC["modules"][1]]}
    path = write(tmp_path, data)
    res = RUN.invoke(app, ["plan", str(path), "--out", str(tmp_path / "pub"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    with (tmp_path / "pub" / "schedule.csv").open() as fh:
        coach = [r for r in csv.DictReader(fh) if r["instructors"] == "coach"]
    assert coach
    res = RUN.invoke(app, ["whatif", str(path), "--set", "instructors.coach.blackouts=[{from: 2024-03-04, to: 2024-04-30}]",
                           "--against", str(tmp_path / "pub"), "--deterministic", "--quiet", "--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert f"({len(coach)} with another instructor: see changes.csv with --out)" in res.output
    with (tmp_path / "a" / "changes.csv").open() as fh:
        reasons = [c["reason"] for c in csv.DictReader(fh) if c["change"] == "kept" and c["reason"]]
    assert reasons == ["same time, instructor coach -> deputy (coach is away)"] * len(coach)


def test_a_what_if_that_drops_a_participant_lists_their_sessions_as_removed(tmp_path: Path) -> None:
    """Tests compare --against with a second scenario without bob: his published sessions are removed, each
    said so (the published plan was refused: "unknown participant 'bob'", exit 1)."""
    path, pub, rows = _published(tmp_path)
    other = write(tmp_path, {**SC, "participants": SC["participants"][:1]}, "without_bob.yaml")
    res = RUN.invoke(app, ["compare", str(path), str(other), "--against", str(pub), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    bobs = [r for r in rows if r["participant"] == "bob"]
    assert res.output.count("(participant bob is no longer in the scenario)") == len(bobs) > 0


def test_a_participant_who_no_longer_takes_a_module_is_named_so(tmp_path: Path) -> None:
    """Tests the reason when the module stays but bob no longer takes it (his role now has no modules)."""
    path, pub, _ = _published(tmp_path)
    other = {**SC, "roles": [*SC["roles"], {"id": "observer", "requires": []}],
             "participants": [SC["participants"][0], {"id": "bob", "role": "observer", "crew": "c2"}],
             "modules": [{**m, "roles": ["sfp"]} for m in SC["modules"]]}
    res = RUN.invoke(app, ["compare", str(path), str(write(tmp_path, other, "observer.yaml")), "--against", str(pub),
                           "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "(bob no longer takes module m1)" in res.output and "(bob no longer takes module lab)" in res.output
