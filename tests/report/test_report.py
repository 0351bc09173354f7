"""The report: files, exports that read back, byte-identical reruns, a self-contained page that loads."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app
from planner.data.result import Result, SolveStatus
from planner.plan.pipeline import PlanOutcome, plan
from planner.plan.readiness import Verdict
from planner.report.build import critical_chains, utilisation_table, write_report
from planner.report.days import day_by_day
from planner.report.html import Cell, Table
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import run, scenario

SMALL = Path(__file__).parents[1] / "data" / "small_report.yaml"
PEOPLE = ["cdr", "anna", "boris"]
REPORT_FILES = {
    "report.html", "report.md", "schedule.csv", "readiness.csv", "manifest.json", "schedule.xlsx", "schedule.ics",
    *(f"schedule-{p}.ics" for p in PEOPLE), "schedule-instructor-ivan.ics",
    *(f"gantt_{k}.{ext}" for k in ("participants", "resources") for ext in ("png", "svg")),
}
runner = CliRunner()


def _report(folder: Path, *extra: str) -> int:
    args = ["report", str(SMALL), "--out", str(folder), "--deterministic", "--time-limit", "10", "--quiet", *extra]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deterministic report of the small scenario (READY)."""
    folder = tmp_path_factory.mktemp("report") / "a"
    assert _report(folder) == 0
    return folder


@pytest.fixture(scope="module")
def outcome() -> PlanOutcome:
    """The small scenario planned in-process."""
    return plan(load_scenario(SMALL), SolveParams(time_limit=10, deterministic=True))


def test_report_writes_every_file_and_hashes_them(report_dir: Path) -> None:
    """Tests that the report folder holds every file and the manifest lists each with its sha256."""
    assert {p.name for p in report_dir.iterdir()} == REPORT_FILES
    manifest = json.loads((report_dir / "manifest.json").read_text())
    listed = {f["file"]: f["sha256"] for f in manifest["report_files"]}
    assert set(listed) == REPORT_FILES - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((report_dir / name).read_bytes()).hexdigest() == digest, name
    assert manifest["reproduce"].startswith("planner report ")


def test_ics_matches_schedule_csv(report_dir: Path) -> None:
    """Tests that each participant's calendar parses back and has the sessions of schedule.csv, same times."""
    sched = pd.read_csv(report_dir / "schedule.csv")
    uids = []
    for p in PEOPLE:
        cal = Calendar.from_ical((report_dir / f"schedule-{p}.ics").read_bytes())
        events = cal.walk("VEVENT")
        rows = sched[sched["participant"] == p]
        assert len(events) == len(rows), p
        got = sorted((e.decoded("dtstart").isoformat(timespec="minutes"), e.decoded("dtend").isoformat(timespec="minutes"))
                     for e in events)
        assert got == sorted(zip(rows["start"], rows["end"], strict=True)), p
        for e in events:
            assert "session" in str(e["summary"]) and str(e["uid"]).endswith("@crew-planner")
        uids += [str(e["uid"]) for e in events]
    combined = Calendar.from_ical((report_dir / "schedule.ics").read_bytes()).walk("VEVENT")
    assert len(combined) == len(sched) == len(set(uids))
    assert sorted(str(e["uid"]) for e in combined) == sorted(uids)


def test_instructor_calendar_has_every_session_they_teach(report_dir: Path) -> None:
    """Tests the instructor's calendar: one event per session Ivan teaches (a joint session once, not
    per participant), floating local times (the file names no time zone), UIDs of its own."""
    sched = pd.read_csv(report_dir / "schedule.csv", keep_default_na=False)
    taught = sched[sched["instructors"] == "ivan"].drop_duplicates(["module", "session", "start"])
    text = (report_dir / "schedule-instructor-ivan.ics").read_bytes()
    events = Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == len(taught)
    assert sorted(e.decoded("dtstart").isoformat(timespec="minutes") for e in events) == sorted(taught["start"])
    assert b"TZID" not in text and b"VTIMEZONE" not in text


def test_time_zone_gives_tzid_and_vtimezone(tmp_path: Path) -> None:
    """Tests calendar.timezone: every time carries TZID=Europe/Moscow, each file has the VTIMEZONE, and
    the parsed times are the local working hours in that zone (09:00 Moscow = 06:00 UTC)."""
    text = SMALL.read_text().replace("calendar:\n", "calendar:\n  timezone: Europe/Moscow\n", 1)
    path = tmp_path / "tz.yaml"
    path.write_text(text)
    res = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "r"), "--deterministic", "--quiet"])
    assert res.exit_code == 0, res.output
    for name in ("schedule.ics", "schedule-anna.ics", "schedule-instructor-ivan.ics"):
        raw = (tmp_path / "r" / name).read_bytes()
        assert b"BEGIN:VTIMEZONE" in raw and b"DTSTART;TZID=Europe/Moscow:" in raw, name
        first = Calendar.from_ical(raw).walk("VEVENT")[0].decoded("dtstart")
        assert str(first.tzinfo) == "Europe/Moscow" and first.utcoffset().total_seconds() == 3 * 3600


def test_unknown_time_zone_is_a_located_error(tmp_path: Path) -> None:
    """Tests the located error of a misspelt time zone."""
    path = tmp_path / "tz.yaml"
    path.write_text(SMALL.read_text().replace("calendar:\n", "calendar:\n  timezone: Europe/Moskow\n", 1))
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 1 and "calendar.timezone" in res.output and "unknown time zone 'Europe/Moskow'" in res.output


def test_answer_first_solver_last_and_pages_per_participant(report_dir: Path) -> None:
    """Tests the report's order (verdict and readiness first, the solver's internals last before the
    file list), the dashboard (a row per participant) and the day-by-day tables (a row per session of
    the participant, with whom it is)."""
    html = (report_dir / "report.html").read_text()
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert ids[:2] == ["summary", "readiness"] and ids[-2:] == ["solver-section", "files"]
    assert ids.index("dashboard-section") < ids.index("days") < ids.index("solver-section")
    board = html.split('id="dashboard"')[1].split("</table>")[0]
    assert all(f"<th>{p}</th>" in board for p in PEOPLE)
    sched = pd.read_csv(report_dir / "schedule.csv", keep_default_na=False)
    for p in PEOPLE:
        table = html.split(f'id="days-{p}"')[1].split("</table>")[0]
        assert table.count("<tr>") - 1 == (sched["participant"] == p).sum(), p
    assert "@page { size: A4" in html
    assert 'table[id^="gates"] td:nth-child(3), table[id^="gates"] td:nth-child(4) { white-space: nowrap; }' in html


def test_xlsx_reads_back(report_dir: Path) -> None:
    """Tests the workbook's sheets and row counts against the CSVs."""
    sheets = pd.read_excel(report_dir / "schedule.xlsx", sheet_name=None)
    assert list(sheets) == ["readiness", *PEOPLE, "resources"]
    sched = pd.read_csv(report_dir / "schedule.csv", keep_default_na=False)
    assert len(sheets["readiness"]) == len(pd.read_csv(report_dir / "readiness.csv"))
    for p in PEOPLE:
        assert len(sheets[p]) == (sched["participant"] == p).sum(), p
    # One resources row per physical session and resource or instructor (a joint session counts once).
    owner = sched["crew"].where(sched["joint"], sched["participant"])
    physical = sched.assign(owner=owner).drop_duplicates(["owner", "module", "session"])
    expected = sum(len([x for x in f"{r};{i}".split(";") if x])
                   for r, i in zip(physical["resources"], physical["instructors"], strict=True))
    assert len(sheets["resources"]) == expected


def test_deterministic_reports_are_byte_identical(report_dir: Path, tmp_path: Path) -> None:
    """Tests that a second --deterministic run writes the same bytes to every file."""
    time.sleep(2.1)  # past the 2-second resolution of zip entry times: an unfixed time stamp would show
    again = tmp_path / "b"
    assert _report(again) == 0
    assert {p.name for p in again.iterdir()} == REPORT_FILES
    differ = [n for n in sorted(REPORT_FILES) if (again / n).read_bytes() != (report_dir / n).read_bytes()]
    assert differ == []


def test_html_is_self_contained(report_dir: Path) -> None:
    """Tests that the page references no external resource and embeds its charts."""
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page, re.IGNORECASE)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert page.count('src="data:image/png;base64,') == 2
    assert "Content-Security-Policy" in page


def test_markdown_links_relative_images(report_dir: Path) -> None:
    """Tests that report.md shows the charts as relative files that exist."""
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert images == ["gantt_participants.png", "gantt_resources.png"]
    assert all((report_dir / i).exists() for i in images)
    assert "| anna | 🟢 +" in md


def test_utilisation_counts_demand_hours(outcome: PlanOutcome) -> None:
    """Tests the weekly utilisation totals against the programme.

    The classroom seats participants: systems is 8 h for each of 2 SFPs, 16
    seat-hours; the simulator takes one joint sim_joint of 8 h; the one
    instructor teaches both systems jobs and the joint module, 24 h.
    """
    table = utilisation_table(outcome)
    totals = {str(row[0]): row[-1] for row in table.rows}
    assert isinstance(totals["classroom"], Cell) and totals["classroom"].text.startswith("16/")
    assert isinstance(totals["simulator"], Cell) and totals["simulator"].text.startswith("8/")
    assert isinstance(totals["ivan (instructor)"], Cell) and totals["ivan (instructor)"].text.startswith("24/")


def test_critical_chain_follows_prerequisites(outcome: PlanOutcome) -> None:
    """Tests that each chain ends at the limiting competency's last module and steps along prerequisites."""
    prereqs = {(pre.module, m.id) for m in outcome.scenario.modules for pre in m.prerequisites}
    rows = {str(r[0]): r for r in critical_chains(outcome).rows}
    assert rows["cdr"][1] == "(none required)"
    for p in ("anna", "boris"):
        row = rows[p]
        # sim (deadline = exams) needs sim_joint, which waits for both prerequisites: less slack than safety.
        assert row[1] == "sim" and row[5] == "sim_joint"
        modules = [link.split(" ")[0].split("/")[1] for link in str(row[6]).split(" → ")]
        assert modules[-1] == "sim_joint" and len(modules) == 2
        assert all(pair in prereqs for pair in itertools.pairwise(modules))


def test_not_ready_report_explains(tmp_path: Path) -> None:
    """Tests that a NOT_READY plan exits 3 and the report says why, in both formats."""
    folder = tmp_path / "down"
    assert _report(folder, "--variant", "simulator_down") == 3
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert "## Why not ready, and what would fix it" in md and "🔴 NOT\\_READY" in md
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert 'id="explanation"' in page and 'class="verdict not-ready"' in page
    assert "sim_joint" in page.split('id="unscheduled"')[1]


def test_plan_report_flag(tmp_path: Path) -> None:
    """Tests that plan --report writes the report files next to the CSVs and says so in the manifest."""
    folder = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(SMALL), "--out", str(folder), "--report", "--quiet", "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in folder.iterdir()} == REPORT_FILES
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "--report --out DIR" in manifest["reproduce"] and manifest["reproduce"].startswith("planner plan ")


# Chromium prints each console message of the page to stderr as
#   [..:INFO:CONSOLE:1] "Uncaught ReferenceError: foo is not defined", source: file:///... (1)
# (console.error, uncaught exceptions and blocked loads alike); the report logs nothing.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
_CONSOLE = re.compile(r":CONSOLE[:(]")


def _chromium(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after load and the console lines Chromium printed for ``page``."""
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, [line for line in proc.stderr.splitlines() if _CONSOLE.search(line)]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_report_loads_in_headless_chromium(report_dir: Path, tmp_path: Path) -> None:
    """Tests in a real browser: the matrix and both charts are in the DOM, the script ran, no console errors."""
    # First prove that the console check sees errors at all (the log format is Chromium's, not ours).
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    _, errors = _chromium(broken, tmp_path / "profile-broken")
    assert any("Uncaught" in line for line in errors), errors

    dom, errors = _chromium(report_dir / "report.html", tmp_path / "profile")
    assert errors == []
    assert 'data-ok="1"' in dom
    matrix = dom.split('<table id="matrix">')[1].split("</table>")[0]
    assert Counter(re.findall(r'class="(ready|not-ready|unknown|held|na)"', matrix)) == {"ready": 4, "held": 2}
    assert len(re.findall(r'<img class="chart" id="gantt_(participants|resources)"', dom)) == 2


def test_report_without_schedule_or_resources(tmp_path: Path, outcome: PlanOutcome) -> None:
    """Tests that a plan with no schedule at all, and a scenario with no resources or gates, still render."""
    unknown = tuple(
        dataclasses.replace(r, status=Verdict.UNKNOWN, achieved_on=None, slack_days=None, reason="time limit")
        for r in outcome.readiness
    )
    empty = dataclasses.replace(outcome, result=Result(SolveStatus.UNKNOWN, None), readiness=unknown)
    write_report(empty, tmp_path / "empty")
    md = (tmp_path / "empty" / "report.md").read_text(encoding="utf-8")
    assert "nothing scheduled" in md and "Overall readiness: **UNKNOWN**" in md
    assert Calendar.from_ical((tmp_path / "empty" / "schedule.ics").read_bytes()).walk("VEVENT") == []

    bare = run(tmp_path, scenario(), time_limit=5)  # one participant, one module: no resources, instructors, gates
    paths = write_report(bare, tmp_path / "bare")
    assert {p.name for p in paths} >= {"report.html", "gantt_resources.png", "schedule.xlsx"}


def test_summary_says_what_the_verdict_rests_on(outcome: PlanOutcome) -> None:
    """Tests that the report's summary gives the per-phase words, not a bare solver status: with the
    plan phase cut off (UNKNOWN), it must not read 'solver status OPTIMAL'."""
    from planner.data.result import PhaseInfo
    from planner.report.build import summary

    res = outcome.result
    cut = dataclasses.replace(res, phases=(*[p for p in res.phases if p.phase != "plan"],
                                           PhaseInfo(phase="plan", status=SolveStatus.UNKNOWN)))
    text = summary(dataclasses.replace(outcome, result=cut)).text
    assert "solver status" not in text
    assert "order of sessions not yet optimised" in text


def test_day_by_day_names_only_the_sessions_own_people(tmp_path: Path) -> None:
    """Tests the 'with' column: ann and bob each take m1 alone (not joint) and both fit on Mon 4 Mar at
    09:00 in parallel; neither row names the other, who is in another session of the same module."""
    out = run(tmp_path, scenario(participants=[{"id": "ann", "role": "sfp", "crew": "c1"},
                                               {"id": "bob", "role": "sfp", "crew": "c2"}]))
    tables = [b for b in day_by_day(out) if isinstance(b, Table)]
    assert len(tables) == 2
    for t in tables:
        assert [row[-1] for row in t.rows] == ["-"]
