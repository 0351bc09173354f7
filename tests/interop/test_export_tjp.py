"""TaskJuggler export: tasks, resources, dependencies, deadlines; tj3 schedules it if installed."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.interop.tjp import REPORT_ID, export_tjp, tj_ids
from planner.scenario.generate import generate_yaml
from planner.scenario.load import load_scenario
from tests.plan.test_missions import centre

SMALL = Path(__file__).parents[1] / "data" / "small_report.yaml"
runner = CliRunner()


def _block(text: str, header: str) -> str:
    """The lines of the block that starts with ``header`` up to its closing brace."""
    start = text.index(header)
    return text[start : text.index("\n}", start)]


def test_small_scenario_tasks_resources_dependencies() -> None:
    """Tests the export of the small test scenario line by line where it matters."""
    exp = export_tjp(load_scenario(SMALL).scenario)
    text = exp.text
    assert 'project training "Small report test crew" 2022-03-01 - 2022-04-25 {' in text  # to the pre-launch gate
    assert "workinghours mon, tue, wed, thu, fri 09:00 - 17:00" in text
    assert "timingresolution 60min" in text
    # Holiday and gate days close everything.
    for day in ("2022-03-08", "2022-04-20", "2022-04-21"):
        assert f"{day} +1d" in text
    # One resource per participant, blackouts as leaves; facilities and instructors do no work.
    assert "leaves annual 2022-03-14 +5d" in _block(text, "resource p_anna")
    assert [f"r_classroom__{k}" for k in range(1, 5)] == [
        w for w in text.split() if w.startswith("r_classroom__") and w.endswith(tuple("1234")) and '"' not in w
    ][:4]
    sim = _block(text, "resource r_simulator")
    assert "efficiency 0.0" in sim and "leaves unpaid 2022-03-28 +5d" in sim
    assert "leaves unpaid 2022-04-04 +2d" in _block(text, "resource i_ivan")
    # Tasks per participant x module, joint crew module as one task.
    assert {t.tj_id for t in exp.tasks} == {
        "t_anna_systems", "t_boris_systems", "t_anna_suit", "t_boris_suit",
        "t_alpha_sim_joint", "t_anna_fitness", "t_boris_fitness",
    }
    joint = _block(text, "task t_alpha_sim_joint")
    assert "effort 24h" in joint  # 8 h for each of the three attendees
    for who in ("p_cdr", "p_anna", "p_boris", "r_simulator", "i_ivan"):
        assert f"allocate {who} {{ mandatory }}" in joint
    # Prerequisites, with the 7-day lag as a gap from the end of the day to the start of day +7.
    assert "depends t_anna_systems, t_boris_systems, t_anna_suit { gapduration 160h }, t_boris_suit" in joint
    # Deadlines (exam gate) only where a competency needs the module.
    assert "maxend 2022-04-20" in joint and "maxend 2022-04-20" in _block(text, "task t_anna_suit")
    assert "maxend" not in _block(text, "task t_anna_fitness")
    assert "allocate r_classroom__1 { alternative r_classroom__2, r_classroom__3, r_classroom__4 mandatory }" in text
    assert any("sessions" in n for n in exp.notes)


def test_identifiers_are_distinct() -> None:
    """Tests that ids which differ only in '.' vs '_' stay distinct."""
    assert tj_ids(["a.b", "a_b", "a-b"], "p_") == ["p_a_b", "p_a_b_2", "p_a_b_3"]


def test_season_becomes_not_before_milestone(tmp_path: Path) -> None:
    """Tests that recency is exported as a dependency on a milestone, not as a pinned start."""
    path = tmp_path / "g.yaml"
    path.write_text(generate_yaml(1, 120, 1), encoding="utf-8")
    text = export_tjp(load_scenario(path).scenario).text
    block = _block(text, "task t_crew01_soyuz_sim_emergency")
    assert "nb_" in block and "\n  start" not in block
    assert "milestone start" in text


def test_cli_export_tjp(tmp_path: Path) -> None:
    """Tests the command writes the file and reports what it could not express."""
    out = tmp_path / "s.tjp"
    result = runner.invoke(app, ["export", "tjp", str(SMALL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# TaskJuggler export")
    assert "7 tasks" in result.output


def test_cli_export_tjp_to_a_folder_or_nowhere_is_a_usage_error(tmp_path: Path) -> None:
    """Tests --out naming a folder, or a file under a file: exit 2 naming the option, nothing written
    (a folder was exit 1 with a Python IsADirectoryError message before)."""
    folder = runner.invoke(app, ["export", "tjp", str(SMALL), "--out", str(tmp_path)])
    assert folder.exit_code == 2 and "--out" in folder.output and "is a folder" in folder.output
    (tmp_path / "f").write_text("x")
    under = runner.invoke(app, ["export", "tjp", str(SMALL), "--out", str(tmp_path / "f" / "s.tjp")])
    assert under.exit_code == 2 and "cannot write it" in under.output


@pytest.mark.skipif(shutil.which("tj3") is None, reason="tj3 (TaskJuggler) not installed")
def test_tj3_schedules_the_export(tmp_path: Path) -> None:
    """Tests that tj3 parses and schedules the export without errors and meets the deadlines."""
    exp = export_tjp(load_scenario(SMALL).scenario)
    tjp = tmp_path / "small.tjp"
    tjp.write_text(exp.text, encoding="utf-8")
    proc = subprocess.run(["tj3", "--no-color", "--silent", "-o", str(tmp_path), str(tjp)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Error" not in proc.stderr and "too late" not in proc.stderr
    with (tmp_path / f"{REPORT_ID}.csv").open(encoding="utf-8") as fh:
        ends = {r["Id"]: r["End"] for r in csv.DictReader(fh, delimiter=";")}
    assert set(ends) == {t.tj_id for t in exp.tasks}
    assert ends["t_anna_systems"] <= ends["t_alpha_sim_joint"] < "2022-04-20"


def test_weeks_with_their_own_cap_become_limits_per_period(tmp_path: Path) -> None:
    """Tests ``load.weeks``: one ``weeklymax`` per run of weeks with the same cap, each limited to
    its period (a project-wide limit would also bind in the weeks with a higher cap)."""
    from tests.helpers import scenario, write

    load = {"max_hours_per_week": 8, "weeks": [{"from": "2024-03-13", "to": "2024-03-20", "max_hours_per_week": 16}]}
    sc = scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1", "load": load}],
                  modules=[{"id": "m1", "hours": 20, "session_hours": 4}])
    text = export_tjp(load_scenario(write(tmp_path, sc)).scenario).text
    block = _block(text, "resource p_ann")
    # Window Mon 4 Mar .. Sun 14 Apr: weeks of 4 Mar (8 h), 11 and 18 Mar (16 h), 25 Mar .. 8 Apr (8 h).
    assert ("limits { weeklymax 8h { period 2024-03-04 - 2024-03-11 } weeklymax 16h { period 2024-03-11 - "
            "2024-03-25 } weeklymax 8h { period 2024-03-25 - 2024-04-15 } }") in block


def test_instructor_and_staff_get_different_first_choices(tmp_path: Path) -> None:
    """Tests a session taught by one of {ex, sim1} (qualification sim) and examined by ex, the only
    examiner: the planner needs two different people, so the export's instructor allocation must not
    also ask for ex (TaskJuggler then booked nothing): ex examines, sim1 teaches."""
    from tests.helpers import scenario, write

    sc = scenario(instructors=[{"id": "ex", "qualifications": ["examiner", "sim"]}, {"id": "sim1", "qualifications": ["sim"]}],
                  modules=[{"id": "m1", "hours": 2, "session_hours": 2, "instructor": "sim",
                            "staff": {"examiner": "1 x examiner"}}])
    exp = export_tjp(load_scenario(write(tmp_path, sc)).scenario)
    block = _block(exp.text, "task t_ann_m1")
    allocs = [line.strip() for line in block.splitlines() if "allocate i_" in line]
    assert allocs == ["allocate i_sim1 { mandatory }", "allocate i_ex { mandatory }"]
    if shutil.which("tj3") is not None:
        tjp = tmp_path / "staff.tjp"
        tjp.write_text(exp.text, encoding="utf-8")
        proc = subprocess.run(["tj3", "--no-color", "--silent", "-o", str(tmp_path), str(tjp)],
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0 and "could not be scheduled" not in proc.stderr, proc.stderr


def test_an_instructor_s_availability_and_a_centre_s_missions_are_exported_or_noted(tmp_path: Path) -> None:
    """Tests the day rules TaskJuggler was not told: an instructor available only 10..14 Mar 2025 is on leave
    on the other days of the project (only his blackout was a leave before); a file with missions says that
    their own dates are not exported."""
    missions = [{"id": "a", "start": "2025-03-03", "launch": "2025-04-14", "crews": {"prime": ["c1"]}}]
    data = centre(missions, [{"id": "ann", "role": "sfp", "crew": "c1"}],
                  [{"id": "m1", "hours": 4, "session_hours": 4, "instructor": "q"}],
                  instructors=[{"id": "doc", "qualifications": ["q"],
                                "available": [{"from": "2025-03-10", "to": "2025-03-14"}]}])
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    exp = export_tjp(load_scenario(path).scenario)
    block = exp.text.split('resource i_doc "doc" {', 1)[1].split("}", 1)[0]
    assert "leaves unpaid 2025-03-03 +7d" in block and "leaves unpaid 2025-03-15" in block
    assert any(n.startswith("missions: each mission's own window") for n in exp.notes)


def test_strings_tj3_would_misread_are_written_safely() -> None:
    """Tests names tj3 could not read: ``${budget}`` is a macro call inside a tj3 string (undefined: tj3 stops),
    and a backslash before the closing quote escapes it (a parse error further on)."""
    from planner.interop.tjp import _q

    assert _q('Anna ${budget} "x" C:\\\\') == '"Anna $ {budget} ' + "'x'" + ' C://"'
