"""CLI tests through typer's CliRunner: exit codes, messages, outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import scenario, write

runner = CliRunner()
INVALID = Path(__file__).parents[1] / "data" / "invalid"


def test_help_lists_commands() -> None:
    """Tests that --help lists the main commands."""
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for cmd in ("validate", "plan"):
        assert cmd in result.output


def test_validate_ok(tmp_path: Path) -> None:
    """Tests that validate accepts a good file and summarises it."""
    result = runner.invoke(app, ["validate", str(write(tmp_path, scenario()))])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "1 participants" in result.output


def test_validate_bad_input_exit_1() -> None:
    """Tests that validate exits 1 with one located line per problem."""
    result = runner.invoke(app, ["validate", str(INVALID / "unknown_prerequisite.yaml")])
    assert result.exit_code == 1
    assert "unknown_prerequisite.yaml:9: modules[0].prerequisites[0].module: unknown module 'm9'" in result.output


def test_validate_warns_on_season_outside_window(tmp_path: Path) -> None:
    """Tests that the pre-solve checks explain a season that misses the window."""
    sc = scenario(modules=[{"id": "m1", "hours": 2, "session_hours": 2, "allowed": [{"from": "01-15", "to": "02-28"}]}])
    result = runner.invoke(app, ["validate", str(write(tmp_path, sc))])
    assert result.exit_code == 0
    assert "season: m1" in result.output and "no working day" in result.output


def test_validate_season_of_an_alternative_is_depended_on(tmp_path: Path) -> None:
    """Tests that a seasonal module that is an ``any_of`` alternative of a required competency is not
    called "no required competency depends on it".

    comp requires one of w1/w2; both run only 01-15..02-28, outside the Mar-Apr 2024 window, so the
    season warning is right, but comp (required by ann's role) depends on each of them.
    """
    winter = [{"from": "01-15", "to": "02-28"}]
    sc = scenario(modules=[{"id": "w1", "hours": 2, "session_hours": 2, "allowed": winter},
                           {"id": "w2", "hours": 2, "session_hours": 2, "allowed": winter}],
                  competencies=[{"id": "comp", "requires": [{"any_of": ["w1", "w2"]}]}])
    result = runner.invoke(app, ["validate", str(write(tmp_path, sc))])
    assert result.exit_code == 0, result.output
    assert "season: w1" in result.output and "season: w2" in result.output
    assert "no required competency depends on it" not in result.output
    # A module no goal can use is still named as such.
    sc["modules"].append({"id": "w3", "hours": 2, "session_hours": 2, "allowed": winter})
    result = runner.invoke(app, ["validate", str(write(tmp_path, sc))])
    assert "season: w3" in result.output and result.output.count("no required competency depends on it") == 1


def test_missing_file_is_usage_error(tmp_path: Path) -> None:
    """Tests that a missing scenario file is a usage error (exit 2)."""
    result = runner.invoke(app, ["plan", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2


def test_plan_ready_writes_outputs(tmp_path: Path) -> None:
    """Tests plan: exit 0, the three files, required columns."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(write(tmp_path, scenario())), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    sched = pd.read_csv(out / "schedule.csv")
    assert {"participant", "module", "session", "start", "end", "resources", "instructors"} <= set(sched.columns)
    ready = pd.read_csv(out / "readiness.csv")
    assert {"participant", "competency", "status", "achieved_on", "slack_days", "reason"} <= set(ready.columns)
    assert ready["status"].tolist() == ["READY"]
    assert (out / "manifest.json").exists()
    assert "Readiness: READY" in result.output


def test_plan_not_ready_exit_3(tmp_path: Path) -> None:
    """Tests that a proven not-ready plan exits 3 and names the reason."""
    sc = scenario(modules=[{"id": "m1", "hours": 2, "session_hours": 2, "allowed": [{"from": "01-15", "to": "02-28"}]}])
    result = runner.invoke(app, ["plan", str(write(tmp_path, sc)), "--out", str(tmp_path / "o"), "--time-limit", "5"])
    assert result.exit_code == 3, result.output
    assert "NOT_READY" in result.output and "season" in result.output


def test_plan_bad_input_exit_1() -> None:
    """Tests that plan exits 1 on an invalid scenario without writing anything."""
    result = runner.invoke(app, ["plan", str(INVALID / "unknown_key.yaml"), "--out", "/nonexistent/never"])
    assert result.exit_code == 1
    assert "unknown key" in result.output


def test_plan_deterministic_is_byte_identical(tmp_path: Path) -> None:
    """Tests that --deterministic gives byte-identical files for the same input."""
    sc = scenario(
        participants=[{"id": "ann", "role": "sfp", "crew": "c1"}, {"id": "bob", "role": "sfp", "crew": "c1"}],
        resources=[{"id": "sim", "capacity": 1}],
        modules=[
            {"id": "m1", "hours": 8, "session_hours": 2, "resources": ["sim"]},
            {"id": "m2", "hours": 4, "session_hours": 2, "joint": "crew", "prerequisites": ["m1"]},
        ],
        competencies=[{"id": "comp", "requires": ["m2"]}],
    )
    path = write(tmp_path, sc)
    outs = []
    for k in range(2):
        out = tmp_path / f"o{k}"
        result = runner.invoke(app, ["plan", str(path), "--out", str(out), "--deterministic", "--time-limit", "5", "-q"])
        assert result.exit_code == 0, result.output
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]
    assert b'"created"' not in outs[0]["manifest.json"]


def test_plan_with_set_edit(tmp_path: Path) -> None:
    """Tests --set: an edit that removes the only session day makes it not ready."""
    path = write(tmp_path, scenario())
    result = runner.invoke(
        app,
        ["plan", str(path), "--out", str(tmp_path / "o"), "--time-limit", "5", "-q",
         "--set", "modules.m1.allowed=[{from: '01-01', to: '01-31'}]"],
    )
    assert result.exit_code == 3, result.output


def test_plan_time_limit_is_unknown_not_not_ready(tmp_path: Path) -> None:
    """Tests that a time limit too short for any proof gives UNKNOWN (exit 4), never NOT_READY."""
    scenario_file = Path(__file__).parents[2] / "scenarios" / "challenge-2021.yaml"
    out = tmp_path / "o"
    result = runner.invoke(app, ["plan", str(scenario_file), "--out", str(out), "--time-limit", "0.1", "-q"])
    assert result.exit_code == 4, result.output
    ready = pd.read_csv(out / "readiness.csv")
    assert "NOT_READY" not in set(ready["status"])
    assert "UNKNOWN" in set(ready["status"])


def test_ctrl_c_stops_a_long_solve_at_once(tmp_path: Path) -> None:
    """Tests that SIGINT during a solve ends the run within seconds with exit 130 (CP-SAT's own
    handler used to end only the current search, and the run went on to its time limit)."""
    import signal
    import subprocess
    import sys
    import time

    from planner.scenario.generate import generate_yaml

    path = tmp_path / "g.yaml"
    path.write_text(generate_yaml(4, 90, 2))  # the plan-polishing phase runs on for up to 60 s
    # SIGINT at its default in the child even when this run inherited it ignored (a background job).
    proc = subprocess.Popen([sys.executable, "-m", "planner", "plan", str(path), "--time-limit", "120",
                             "--out", str(tmp_path / "o")], stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the solver runs
        if "readiness:" in line:
            break
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    assert code == 130
    assert time.perf_counter() - t0 < 15


@pytest.mark.parametrize("command", [["plan"], ["report"], ["min-window"], ["explain"], ["repair"], ["sweep", "--months", "2"], ["stress"]])
def test_an_output_folder_behind_a_file_is_a_usage_error_before_solving(tmp_path: Path, command: list[str]) -> None:
    """Tests --out naming a folder that cannot be made (a file where a folder should be): exit 2 naming the
    option, at once (it was exit 1 with a bare errno after the whole solve)."""
    blocker = tmp_path / "afile.txt"
    blocker.write_text("x")
    res = runner.invoke(app, [command[0], str(write(tmp_path, scenario())), *command[1:], "--out", str(blocker / "sub")])
    assert res.exit_code == 2, res.output
    assert "--out" in res.output and "is a file" in res.output
