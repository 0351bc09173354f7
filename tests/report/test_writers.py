"""Min-window, explain, compare and replan writers on hand-built results: the files, their
columns and a derived value each. The only solve is one tiny plan, for the writers that
also write a plan's files (and for the plan fields the result types require)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from planner.analysis.compare import Comparison, ReadinessChange, SessionChange
from planner.analysis.explain import Explanation, Fact, Fix, GoalExplanation, Verification
from planner.analysis.replan import Change, ReplanOutcome
from planner.analysis.window import Probe, WindowResult
from planner.plan.pipeline import PlanOutcome, plan
from planner.plan.readiness import Readiness, Verdict
from planner.report.compare import COMPARE_COLUMNS, write_compare
from planner.report.explain import EXPLAIN_COLUMNS, write_explain
from planner.report.replan import replan_text, write_replan
from planner.report.window import window_text, write_window
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import scenario, write

PLAN_FILES = ["schedule.csv", "readiness.csv", "manifest.json"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> PlanOutcome:
    """The helpers' one-participant, one-module scenario, planned (READY)."""
    path = write(tmp_path_factory.mktemp("tiny"), scenario())
    return plan(load_scenario(path), SolveParams(time_limit=10, deterministic=True))


def _readiness(who: str, status: Verdict, slack: int | None = None) -> Readiness:
    return Readiness(who, "comp", status, None, dt.date(2024, 4, 15), slack, "")


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


# -- min-window ---------------------------------------------------------------------------


def _window(outcome: PlanOutcome | None) -> WindowResult:
    """READY at 40 days, proven NOT_READY at 39: exact. Launch 15 Apr - 40 days = 6 Mar."""
    return WindowResult(
        launch=dt.date(2024, 4, 15), shortest_allowed=28, ready_days=40, not_ready_days=39,
        probes=(
            Probe(40, dt.date(2024, 3, 6), Verdict.READY, "verified plan", 1.234, outcome),
            Probe(39, dt.date(2024, 3, 7), Verdict.NOT_READY, "relaxation", 0.5),
        ),
    )


def test_window_text_lists_probes_then_the_summary() -> None:
    """Tests the probe table (seconds rounded to 2 places), a blank line, then the exact answer."""
    lines = window_text(_window(None)).splitlines()
    assert lines[0].split() == ["days", "window_start", "verdict", "seconds", "proof"]
    assert lines[1].split() == ["40", "2024-03-06", "READY", "1.23", "verified", "plan"]
    assert lines[3] == ""
    assert lines[4] == ("shortest window: 40 days (start 2024-03-06 for launch 2024-04-15); "
                        "39 days is proven not enough")
    # --deterministic: no wall seconds on the terminal either (its stdout differed run to run).
    assert window_text(_window(None), timings=False).splitlines()[0].split() == ["days", "window_start", "verdict",
                                                                               "proof"]


def test_write_window_without_timings_and_without_a_plan(tmp_path: Path) -> None:
    """Tests window.csv without the seconds column (--deterministic) and no plan files
    when the READY probe kept no plan."""
    out = tmp_path / "new"
    assert write_window(_window(None), out, timings=False) == [out / "window.csv"]
    assert _lines(out / "window.csv") == [
        "days,window_start,verdict,proof", "40,2024-03-06,READY,verified plan", "39,2024-03-07,NOT_READY,relaxation",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["window.csv"]


def test_write_window_writes_the_ready_plan(tmp_path: Path, tiny: PlanOutcome) -> None:
    """Tests that the READY probe's plan is written beside window.csv, as made by min-window."""
    written = write_window(_window(tiny), tmp_path)
    assert [p.name for p in written] == ["window.csv", *PLAN_FILES]
    assert _lines(tmp_path / "window.csv")[1] == "40,2024-03-06,READY,1.23,verified plan"
    assert json.loads((tmp_path / "manifest.json").read_text())["reproduce"].startswith("planner min-window ")


# -- explain ------------------------------------------------------------------------------


def test_write_explain_rows_per_fix(tmp_path: Path, tiny: PlanOutcome) -> None:
    """Tests one row per fix (ann: two fixes) or per goal without a fix (bob), with empty
    numeric cells where there is no fix or no verifying plan."""
    outcome = dataclasses.replace(
        tiny, readiness=(_readiness("ann", Verdict.NOT_READY), _readiness("bob", Verdict.UNKNOWN))
    )
    ann = GoalExplanation(
        "ann", "comp", Verdict.NOT_READY, "conflict",
        conflict=(Fact("w", "window", "window too short", ""), Fact("h", "hours", "m1 needs 2 h", "")),
        fixes=[Fix("f1", "start 3 days earlier", 3.0, lambda p: None),
               Fix("f2", "add an instructor", 5.0, lambda p: None, least=False)],
    )
    bob = GoalExplanation("bob", "comp", Verdict.UNKNOWN, "undecided", note="time limit")
    ex = Explanation(outcome, [], [ann, bob], {"f1": Verification(2, 2, {("ann", "comp"): Verdict.READY}, 1.0)},
                     4.0, False)
    out = tmp_path / "x"
    assert write_explain(ex, out) == out / "explain.csv"
    lines = _lines(out / "explain.csv")
    assert lines[0] == ",".join(EXPLAIN_COLUMNS)
    # goals_total 2 = the plan's two readiness rows; goals_ready_after 2 = the verification's count.
    assert lines[1] == ("ann,comp,NOT_READY,conflict,window too short; m1 needs 2 h,proven,start 3 days earlier,"
                        "3.0,yes,yes,2,2,")
    # f2 was never checked on the whole scenario: 'not run', no count of ready pairs.
    assert lines[2] == ("ann,comp,NOT_READY,conflict,window too short; m1 needs 2 h,proven,add an instructor,"
                        "5.0,not proven,not run,,2,")
    assert lines[3] == "bob,comp,UNKNOWN,undecided,,,,,,,,2,time limit"
    assert len(lines) == 4


# -- compare ------------------------------------------------------------------------------


def test_write_compare_rows_of_each_kind(tmp_path: Path, tiny: PlanOutcome) -> None:
    """Tests readiness rows (slack and new goals), changed sessions and resource hours."""
    c = Comparison(
        tiny, tiny,
        readiness=(
            ReadinessChange("ann", "comp", _readiness("ann", Verdict.READY, 5), _readiness("ann", Verdict.READY, 2)),
            ReadinessChange("bob", "comp", None, _readiness("bob", Verdict.NOT_READY)),
        ),
        sessions=(
            SessionChange("ann", "m1", 1, dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 5, 13)),
            SessionChange("ann", "m2", 1, None, dt.datetime(2024, 3, 6, 9)),
        ),
        resource_hours=(("sim", 4.0, 6.5),),
        unchanged_sessions=3,
    )
    assert write_compare(c, tmp_path / "cmp") == tmp_path / "cmp" / "compare.csv"
    assert _lines(tmp_path / "cmp" / "compare.csv") == [
        ",".join(COMPARE_COLUMNS),
        "readiness,ann,comp,READY +5d,READY +2d,slack -3d",  # slack 5 -> 2 days: -3
        "readiness,bob,comp,-,NOT_READY,new goal",
        "session,ann,m1 #1,2024-03-04T09:00,2024-03-05T13:00,moved",
        "session,ann,m2 #1,,2024-03-06T09:00,added",
        "resource_hours,,sim,4,6.5,+2.5",  # 6.5 - 4 hours
    ]


# -- replan -------------------------------------------------------------------------------


def _replan(tiny: PlanOutcome, changes: tuple[Change, ...]) -> ReplanOutcome:
    return ReplanOutcome(tiny, changes, dt.date(2024, 3, 5), 3)


CHANGES = (  # out of order on purpose: the files sort by owner, module, session
    Change("ann", "m3", 1, "removed", "2024-03-07T09:00", "", "no longer needed"),
    Change("ann", "m1", 2, "moved", "2024-03-05T09:00", "2024-03-06T09:00", "resource outage"),
    Change("ann", "m1", 1, "done", "2024-03-04T09:00", "2024-03-04T09:00", "before the as-of date"),
    Change("ann", "m2", 1, "kept", "2024-03-08T09:00", "2024-03-08T09:00", ""),
)


def test_write_replan_files_and_manifest_section(tmp_path: Path, tiny: PlanOutcome) -> None:
    """Tests the plan's files plus changes.csv (sorted), the calendars and the manifest's replan section, last."""
    written = write_replan(_replan(tiny, CHANGES), tmp_path, Path("progress.csv"), Path("base"))
    names = [p.name for p in written]
    assert names[:4] == [*PLAN_FILES, "changes.csv"] and "schedule.ics" in names[4:]
    lines = _lines(tmp_path / "changes.csv")
    assert lines[0] == "owner,module,session,change,old_start,new_start,reason"
    assert [line.split(",")[1:3] for line in lines[1:]] == [["m1", "1"], ["m1", "2"], ["m2", "1"], ["m3", "1"]]
    man = json.loads((tmp_path / "manifest.json").read_text())
    assert list(man)[-1] == "replan"
    assert man["reproduce"].startswith("planner replan ")
    assert man["replan"] == {
        "as_of": "2024-03-05", "max_changes": 3,
        "changes": 2,  # moved + removed; done and kept do not count against the budget
        "counts": {"done": 1, "kept": 1, "moved": 1, "removed": 1},
        "progress_file": "progress.csv", "baseline": "base",
        "ignored_progress_rows": [],  # progress rows the re-plan did not use (none here)
    }


def test_replan_text_lists_the_disruptive_changes(tiny: PlanOutcome) -> None:
    """Tests the counts line and one line per moved, added or removed session ('-': no new start)."""
    lines = replan_text(_replan(tiny, CHANGES)).splitlines()
    assert lines[-3:] == [
        "Changes against the baseline: 2 moved or removed (budget 3); done 1, kept 1, moved 1, removed 1",
        "  moved    ann/m1 #2: 2024-03-05T09:00 -> 2024-03-06T09:00  (resource outage)",
        "  removed  ann/m3 #1: 2024-03-07T09:00 -> -  (no longer needed)",
    ]


def test_write_replan_without_changes(tmp_path: Path, tiny: PlanOutcome) -> None:
    """Tests that an empty change list still writes changes.csv with its header and zero counts."""
    write_replan(_replan(tiny, ()), tmp_path, Path("p.csv"), Path("b"))
    assert _lines(tmp_path / "changes.csv") == ["owner,module,session,change,old_start,new_start,reason"]
    assert json.loads((tmp_path / "manifest.json").read_text())["replan"]["counts"] == {}
    assert replan_text(_replan(tiny, ())).splitlines()[-1] == (
        "Changes against the baseline: 0 moved or removed (budget 3); "
    )


def test_markdown_escapes_html_and_code_spans_in_names() -> None:
    """Tests report.md on names with markup: a participant named ``<b>Bob</b>`` or with backticks was rendered as
    markup by a Markdown viewer (report.html escaped them)."""
    from planner.report.html import _md_text

    assert _md_text("<b>Bob</b> `x` & co") == "&lt;b&gt;Bob&lt;/b&gt; \\`x\\` &amp; co"
