"""The report of a file with missions: one Gantt row group and one report section per mission."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.patches import Rectangle

from planner.calendar.missions import mission_times
from planner.plan.pipeline import PlanOutcome, plan
from planner.report.build import write_report
from planner.report.gantt import (
    competency_colours,
    first_competency,
    gantt_figure,
    mission_rows,
    participant_rows,
    write_gantts,
)
from planner.report.mission_gantt import draw_groups
from planner.report.missions import mission_gates
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams

DATA = Path(__file__).parents[1] / "data"
TWO = DATA / "two_missions.yaml"
GATES = {"a": ("exams", "prelaunch"), "b": ("exams", "prelaunch")}


@pytest.fixture(scope="module")
def outcome() -> PlanOutcome:
    """The two-mission scenario planned in-process."""
    return plan(load_scenario(TWO), SolveParams(time_limit=10, deterministic=True))


@pytest.fixture(scope="module")
def report_dir(outcome: PlanOutcome, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Its report folder."""
    folder = tmp_path_factory.mktemp("missions")
    write_report(outcome, folder)
    return folder


def test_gantt_has_one_row_group_per_mission(outcome: PlanOutcome) -> None:
    """Tests that participants sit under their mission's header row and that each mission's gates
    and launch are drawn over its own rows only."""
    served = first_competency(outcome.scenario)
    rows, groups = mission_rows(outcome, participant_rows(outcome, served))
    assert [r.label for r in rows] == ["mission a: Alpha", "p1", "mission b: Bravo", "p2", "p3"]
    assert [(g.mission.id, g.header, g.last) for g in groups] == [("a", 0, 1), ("b", 2, 4)]

    fig = gantt_figure(outcome, rows, "t", competency_colours(outcome.scenario),
                       lambda ax, end: draw_groups(ax, outcome.grid, groups, end))
    ax = fig.axes[0]
    by_gid = {a.get_gid(): a for a in ax.get_children() if a.get_gid()}
    for g in groups:
        m = g.mission
        for gate in GATES[m.id]:
            rect = by_gid[f"gate-{m.id}-{gate}"]
            assert isinstance(rect, Rectangle)
            # Within the group's rows: another mission trains on these days.
            assert rect.get_y() == pytest.approx(g.header - 0.5) and rect.get_height() == pytest.approx(g.last - g.header + 1)
            assert rect.get_x() == (m.gate_first(gate) - outcome.grid.window_start).days
        assert f"launch-{m.id}" in by_gid
    # Mission b trains in two blocks: the break between them is marked, mission a has none.
    brk = by_gid["break-b-0"]
    assert isinstance(brk, Rectangle)
    assert (brk.get_x(), brk.get_width()) == (26, 30)  # 2021-01-30 .. 2021-02-28
    assert not any(str(k).startswith("break-a") for k in by_gid)
    texts = {t.get_text() for t in ax.texts}
    assert {"exams 15 Feb", "prelaunch 19 Feb", "launch 01 Mar", "exams 01 Apr", "prelaunch 05 Apr",
            "launch 15 Apr"} <= texts
    labels = {t.get_text(): t.get_fontweight() for t in ax.get_yticklabels()}
    assert labels["mission a: Alpha"] == "bold" and labels["p1"] != "bold"


def test_svg_names_every_mission_gate(report_dir: Path) -> None:
    """Tests that the written SVG charts carry every mission's gates and launch, and the resource
    chart the gates' reservations of the simulator and the examiner."""
    people = (report_dir / "gantt_participants.svg").read_text(encoding="utf-8")
    for mid, gates in GATES.items():
        for gate in gates:
            assert f'id="gate-{mid}-{gate}"' in people
        assert f'id="launch-{mid}"' in people
    assert 'id="break-b-0"' in people
    resources = (report_dir / "gantt_resources.svg").read_text(encoding="utf-8")
    assert 'id="gate-a-exams-sim"' in resources and 'id="gate-b-exams-examiner"' in resources
    assert 'id="launch-a"' in resources and 'id="launch-b"' in resources


def test_html_has_one_section_per_mission(report_dir: Path) -> None:
    """Tests that the page has a section per mission with its launch and gates, in place of the one gates table."""
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'<section id="(mission-[^"]+)">', page) == ["mission-a", "mission-b"]
    assert "gates-section" not in page
    assert "<h2>Mission a (Alpha), launch 2021-03-01</h2>" in page
    assert "<h2>Mission b (Bravo), launch 2021-04-15</h2>" in page
    b = page[page.index('id="mission-b"'):page.index('id="critical-section"')]
    assert "<td>exams</td><td></td><td>2021-04-01</td>" in b and "examiner (examiner)" in b
    assert "breaks: 2021-01-30 to 2021-02-28" in b and "Substitutes: p3 for p2" in b
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert re.findall(r"^## Mission (\w)", md, re.MULTILINE) == ["a", "b"]
    assert "launches a 2021-03-01, b 2021-04-15" in md


def test_file_without_missions_keeps_its_charts(tmp_path: Path) -> None:
    """Tests that a file without missions draws no mission groups or marks (its charts stay as they were)."""
    out = plan(load_scenario(DATA / "small_report.yaml"), SolveParams(time_limit=10, deterministic=True))
    write_gantts(out, tmp_path)
    for name in ("gantt_participants.svg", "gantt_resources.svg"):
        svg = (tmp_path / name).read_text(encoding="utf-8")
        assert not re.search(r'id="(gate|launch|break)-', svg), name


def test_a_mission_s_gates_name_only_its_own_launch_site_modules_and_what_is_due_at_launch(tmp_path: Path) -> None:
    """Tests the per-mission gates table of two_missions.yaml with the fit check for p1's role only: mission a's
    pre-launch gate names it, b's does not (it named every mission's); cold (given by the launch-site fit
    check) is due at a's launch, and the launch rows listed nothing."""
    text = TWO.read_text().replace("  - {id: sfp, requires: [fire, cold]}",
                                   "  - {id: sfp, requires: [fire, cold]}\n  - {id: sfp2, requires: [fire]}")
    text = text.replace("{id: p2, role: sfp,", "{id: p2, role: sfp2,").replace("{id: p3, role: sfp,", "{id: p3, role: sfp2,")
    text = text.replace("after_gate: prelaunch}", "after_gate: prelaunch, roles: [sfp]}")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path).scenario
    a, b = mission_times(sc)
    rows_a = {str(r[0]): r for r in mission_gates(sc, a, [0]).rows}
    rows_b = {str(r[0]): r for r in mission_gates(sc, b, [1, 2]).rows}
    assert "fitcheck" in str(rows_a["prelaunch"][6]) and "fitcheck" not in str(rows_b["prelaunch"][6])
    assert rows_a["launch"][4] == "cold" and rows_b["launch"][4] == ""
