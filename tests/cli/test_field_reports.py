"""Regressions from testing the CLI on scenarios it had never seen (seventh session).

Each test names the defect it pins; expected values are derived in the comments.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.exceptions import ScenarioError
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from tests.helpers import run, scenario, sessions, write

runner = CliRunner()


def test_several_sessions_a_day_when_not_spaced(tmp_path: Path) -> None:
    """Tests that 21 sessions fit into fewer than 21 open days when nothing spaces them.

    Window Mon 4 Mar .. Fri 8 Mar 2024 is cut by an until_launch gate on 9 Mar: 5 working
    days of 4 h. 10 sessions of 2 h need 20 h = 2 sessions a day on all 5 days: READY,
    although there are fewer open days (5) than sessions (10). It used to be 'proven' NOT_READY.
    """
    data = scenario(
        gates=[{"id": "end", "date": "2024-03-09", "until_launch": True}],
        modules=[{"id": "m1", "hours": 20, "session_hours": 2}],
    )
    out = run(tmp_path, data)
    assert out.overall == Verdict.READY
    assert len(sessions(out, "m1")) == 10
    # One more session cannot fit (22 h > 20 h): proven NOT_READY, not a crash.
    data["modules"][0]["hours"] = 22
    assert run(tmp_path, data).overall == Verdict.NOT_READY


def test_working_day_may_end_at_midnight(tmp_path: Path) -> None:
    """Tests that a day from 20:00 for 4 h (ending 24:00) plans and verifies (it failed verification)."""
    data = scenario(calendar={"day_hours": 4, "slot_minutes": 60, "day_start": "20:00"})
    out = run(tmp_path, data)
    assert out.overall == Verdict.READY
    assert sessions(out, "m1")[0] == ("2024-03-04T20:00", "2024-03-04T22:00")


def test_fractional_daily_cap_rounds_down(tmp_path: Path) -> None:
    """Tests that a daily cap of 2.5 h on a one-hour grid allows 2 h a day, not 3.

    m1: 12 one-hour sessions; a window cut to 5 working days (gate on Sat 9 Mar).
    Under a 2-h cap at most 10 h fit: NOT_READY. Rounding the cap up to 3 h made it READY.
    """
    data = scenario(
        gates=[{"id": "end", "date": "2024-03-09", "until_launch": True}],
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_day": 2.5}}],
        modules=[{"id": "m1", "hours": 12, "session_hours": 1}],
    )
    assert run(tmp_path, data).overall == Verdict.NOT_READY
    data["modules"][0]["hours"] = 10  # 5 days x 2 h
    assert run(tmp_path, data).overall == Verdict.READY


def test_spacing_from_a_module_to_itself_spaces_its_sessions(tmp_path: Path) -> None:
    """Tests that '48 h after cf, no cf' means consecutive cf sessions 3 or more days apart.

    48 h = 2 quiet days after a session's day, so the next one comes 3 days later at the
    earliest: Mon 4, Thu 7, Mon 11 (Sun 10 is closed) for three sessions. It used to clash
    each session with itself and prove the module impossible.
    """
    data = scenario(
        modules=[{"id": "cf", "sessions": 3, "session_hours": 1}],
        competencies=[{"id": "comp", "requires": ["cf"]}],
        spacing=[{"after": "cf", "forbid": "cf", "hours": 48}],
    )
    out = run(tmp_path, data)
    assert out.overall == Verdict.READY
    days = sorted(s[0][:10] for s in sessions(out, "cf"))
    gaps = [(int(b[-2:]) - int(a[-2:])) for a, b in itertools.pairwise(days)]
    assert min(gaps) >= 3


def test_slack_counts_to_the_end_of_training_not_to_a_later_gate(tmp_path: Path) -> None:
    """Tests that a competency due at a gate after the until_launch gate has its slack to the
    end of training: training ends Mon 1 Apr (gate), m1 ends Mon 4 Mar, slack 28 days (not 40
    to the L-2 gate on 13 Apr)."""
    data = scenario(
        gates=[{"id": "quarantine", "date": "2024-04-01", "until_launch": True},
               {"id": "l2", "before_launch_days": 2}],
        competencies=[{"id": "comp", "requires": ["m1"], "deadline": "l2"}],
    )
    out = run(tmp_path, data)
    row = out.readiness[0]
    assert row.status == Verdict.READY
    assert str(row.deadline) == "2024-04-01"
    assert row.slack_days == 28


# -- input handling ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nwindow: {start: 2021-02-30, launch: 2021-05-01}\n", ":2: not valid YAML: invalid date 2021-02-30"),
        ("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
         "expands to more than"),
    ],
    ids=["unquoted-feb-30", "billion-laughs"],
)
def test_bad_documents_are_located_errors(tmp_path: Path, text: str, message: str) -> None:
    """Tests that an impossible unquoted date and an alias bomb are scenario errors, not crashes."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert message in str(info.value)


def test_non_utf8_file_is_a_scenario_error(tmp_path: Path) -> None:
    """Tests that a Latin-1 file gives 'not UTF-8' instead of a traceback."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(path)


def test_an_edit_that_adds_a_bad_key_names_the_edit(tmp_path: Path) -> None:
    """Tests that --set adding a key with a bad value reports the edit (it crashed looking
    for the new key's line)."""
    path = write(tmp_path, scenario())
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, edits=["participants.ann.load={max_hours_per_day: 0}"])
    text = str(info.value)
    assert "participants[0].load.max_hours_per_day" in text
    assert "(set by --set participants.ann.load={max_hours_per_day: 0})" in text


def test_variants_must_be_a_mapping(tmp_path: Path) -> None:
    """Tests that 'variants: [x]' with --variant x is a scenario error (it was a TypeError)."""
    data = scenario()
    data["variants"] = ["x"]
    with pytest.raises(ScenarioError, match="variants must map"):
        load_scenario(write(tmp_path, data), variant="x")


def test_validate_checks_every_variant_and_static_impossibilities(tmp_path: Path) -> None:
    """Tests that validate fails (exit 1) on a broken variant and warns, with the reason plan
    would give, about a competency whose module no day is open for."""
    data = scenario(
        modules=[{"id": "m1", "hours": 2, "session_hours": 2, "allowed": [{"from": "07-01", "to": "07-31"}]}],
    )
    data["variants"] = {"big": {"modules.m1.hours": -1}}
    result = runner.invoke(app, ["validate", str(write(tmp_path, data))])
    assert result.exit_code == 1
    assert "variant big:" in result.output and "(set by variant big: modules.m1.hours)" in result.output
    assert ("comp can never be met by ann: m1: its season (07-01 .. 07-31) has no working day in the window "
            "2024-03-04 .. 2024-04-14") in result.output


def test_weekly_cap_below_one_session_is_an_error(tmp_path: Path) -> None:
    """Tests that a 1-h weekly cap with 2-h sessions is rejected like the daily case."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_week": 1}}])
    with pytest.raises(ScenarioError, match=r"may train 1\.0 h a week but module 'm1'"):
        load_scenario(write(tmp_path, data))


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--out", "FILE"], 2), (["--time-limit", "inf"], 2), (["--seed", "99999999999"], 2)],
    ids=["out-is-a-file", "infinite-limit", "huge-seed"],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], code: int) -> None:
    """Tests that options the solver or the file system cannot take are usage errors (exit 2)."""
    path = write(tmp_path, scenario())
    (tmp_path / "FILE").write_text("x")
    args = [str(tmp_path / "FILE") if a == "FILE" else a for a in args]
    result = runner.invoke(app, ["plan", str(path), "-q", *args])
    assert result.exit_code == code, result.output


def test_an_unexpected_exception_exits_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that a crash (a bug) exits 5, never 1 (bad input), and names itself as internal."""
    import planner.cli._common as common

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(common, "plan", boom)
    result = runner.invoke(app, ["plan", str(write(tmp_path, scenario())), "-q", "--out", str(tmp_path / "o")])
    assert result.exit_code == 5
    assert "internal error" in result.output and "RuntimeError: boom" in result.output


def test_deterministic_manifest_has_no_work_unit_counts(tmp_path: Path) -> None:
    """Tests that --deterministic manifests leave out CP-SAT's deterministic_time (it jitters
    between identical runs), so that the files stay byte-identical."""
    out = tmp_path / "o"
    result = runner.invoke(app, ["plan", str(write(tmp_path, scenario())), "-q", "--deterministic",
                                 "--time-limit", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["solver"]["phases"]
    assert all("deterministic_time" not in ph for ph in manifest["solver"]["phases"])


def test_validate_warns_about_rules_that_do_nothing(tmp_path: Path) -> None:
    """Tests two silent slips: a prerequisite the role does not take (dropped for it) and a
    crew of one in a joint module (a typo in 'crew')."""
    data = scenario(
        roles=[{"id": "sfp", "requires": ["comp"]}, {"id": "cmdr", "requires": []}],
        participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c2"},
                      {"id": "cid", "role": "cmdr", "crew": "c2"}],
        modules=[{"id": "brief", "hours": 2, "session_hours": 2, "roles": ["cmdr"]},
                 {"id": "m1", "hours": 2, "session_hours": 2, "roles": ["sfp"], "prerequisites": ["brief"],
                  "joint": "crew"}],
    )
    result = runner.invoke(app, ["validate", str(write(tmp_path, data))])
    assert result.exit_code == 0, result.output
    assert "prerequisite: m1 requires brief, which role(s) sfp do not take" in result.output
    assert "crew: c1 has a single member" in result.output


def test_matrix_tells_held_from_not_required(tmp_path: Path) -> None:
    """Tests that the terminal matrix prints 'held' for a held competency and '-' where the
    role does not require it (both printed 'held/n.a.')."""
    data = scenario(
        roles=[{"id": "sfp", "requires": ["comp", "other"]}, {"id": "guest", "requires": ["comp"]}],
        participants=[{"id": "ann", "role": "sfp", "crew": "c1", "holds": ["other"]},
                      {"id": "gus", "role": "guest", "crew": "c2"}],
        competencies=[{"id": "comp", "requires": ["m1"]}, {"id": "other", "requires": ["m1"]}],
    )
    result = runner.invoke(app, ["plan", str(write(tmp_path, data)), "-q", "--time-limit", "5",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    rows = {line.split("|")[0].strip(): [c.strip() for c in line.split("|")[1:]]
            for line in result.output.splitlines() if line.startswith(("ann", "gus"))}
    assert rows["ann"][1] == "held" and rows["gus"][1] == "-"
    assert "Plan: 2 sessions" in result.output


def test_lag_after_a_session_ending_at_midnight(tmp_path: Path) -> None:
    """Tests that a min_lag_days of 1 counts from the day a prerequisite's session ran, also
    when it ends at 24:00 (dated the next day): the plan verifies (it exited 5).

    Day 20:00-24:00; a (4 h) fills Mon 4 Mar; m1 may start on Tue 5 Mar at the earliest."""
    data = scenario(
        calendar={"day_hours": 4, "slot_minutes": 60, "day_start": "20:00"},
        modules=[{"id": "a", "hours": 4, "session_hours": 4},
                 {"id": "m1", "hours": 2, "session_hours": 2,
                  "prerequisites": [{"module": "a", "min_lag_days": 1}]}],
    )
    out = run(tmp_path, data)
    assert out.overall == Verdict.READY
    assert sessions(out, "a")[0][1] == "2024-03-05T00:00"
    assert sessions(out, "m1")[0][0] >= "2024-03-05T20:00"


def test_the_last_edit_of_a_path_is_named(tmp_path: Path) -> None:
    """Tests that when a variant and --set both write a value, the error names --set (it won)."""
    data = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_day": 4}}])
    data["variants"] = {"v": {"participants.ann.load.max_hours_per_day": 3}}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, data), variant="v", edits=["participants.ann.load.max_hours_per_day=0"])
    assert "(set by --set participants.ann.load.max_hours_per_day=0)" in str(info.value)


def test_unknown_variant_without_variants_block(tmp_path: Path) -> None:
    """Tests that --variant on a file without 'variants:' says the variant is unknown."""
    with pytest.raises(ScenarioError, match=r"unknown variant 'x' \(known: none defined\)"):
        load_scenario(write(tmp_path, scenario()), variant="x")


def test_an_edit_creates_missing_mappings(tmp_path: Path) -> None:
    """Tests that --set participants.ann.load.max_hours_per_day=1 works where ann has no 'load:'
    (it said "no 'load' under participants.ann"); a mistyped key is still named with the edit."""
    loaded = load_scenario(write(tmp_path, scenario()), edits=["participants.ann.load.max_hours_per_day=3"])
    load = loaded.scenario.participants[0].load
    assert load is not None and load.max_hours_per_day == 3
    with pytest.raises(ScenarioError, match=r"unknown key.*\(set by --set participants.ann.lood.x=3\)"):
        load_scenario(write(tmp_path, scenario()), edits=["participants.ann.lood.x=3"])


def test_rest_days_of_two_modules_may_coincide(tmp_path: Path) -> None:
    """Tests that two modules with rest days may end on the same day (their rest days overlap:
    both ask for the same quiet days). Both need the simulator, open on Tue 5 Mar only: m0 and
    m1 run that day one after the other, Wed 6 Mar is a rest day for both. It was 'proven'
    impossible, the two rest blocks being kept apart."""
    data = scenario(
        calendar={"day_hours": 8, "slot_minutes": 60, "day_start": "09:00"},
        resources=[{"id": "sim", "available_dates": ["2024-03-05"]}],
        modules=[{"id": "m0", "sessions": 1, "session_hours": 2, "resources": ["sim"], "rest_days_after": 1},
                 {"id": "m1", "sessions": 1, "session_hours": 2, "resources": ["sim"], "rest_days_after": 1},
                 {"id": "m2", "sessions": 1, "session_hours": 2}],
        competencies=[{"id": "comp", "requires": ["m0", "m1", "m2"]}],
    )
    out = run(tmp_path, data)
    assert out.overall == Verdict.READY
    assert sessions(out, "m0")[0][0][:10] == sessions(out, "m1")[0][0][:10] == "2024-03-05"
    assert sessions(out, "m2")[0][0][:10] != "2024-03-06"  # never on the shared rest day
