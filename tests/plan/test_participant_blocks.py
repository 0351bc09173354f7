"""A participant who attends only some of the mission's training blocks (``participants[].blocks``):
model, verifier, explanation and located invalid inputs, hand-derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis.explain import explain
from planner.data.result import Schedule
from planner.exceptions import ScenarioError
from planner.plan.pipeline import plan, schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates

# Mon-Fri, full 8-hour days, launch Mon 1 Mar 2021; block b1 Mon 4 .. Fri 29 Jan (20 working
# days), block b2 Mon 8 .. Sun 28 Feb (15 working days). basics: 2 days, drill: DRILL days after it.
TEXT = """\
name: participant blocks
objective: earliest  # the hand-derived dates are the earliest plan's
calendar: {workdays: [mon, tue, wed, thu, fri], day_hours: 8}
missions:
  - id: m
    launch: 2021-03-01
    blocks:
      - {id: b1, from: 2021-01-04, to: 2021-01-29}
      - {id: b2, from: 2021-02-08}
    crews: {prime: [c1]}
roles:
  - {id: eng, requires: [ready]}
participants:
  - {id: p1, role: eng, crew: c1}
  - {id: p2, role: eng, crew: c1, blocks: [b2]}
modules:
  - {id: basics, hours: 16, session_hours: 8}
  - {id: drill, hours: DRILL, session_hours: 8, prerequisites: [basics]}
competencies:
  - {id: ready, requires: [basics, drill]}
"""
PARAMS = SolveParams(time_limit=10.0, num_workers=2)


def _write(tmp_path: Path, drill_hours: int = 40, text: str = TEXT) -> Path:
    path = tmp_path / "pb.yaml"
    path.write_text(text.replace("DRILL", str(drill_hours)))
    return path


def test_a_participant_of_block_2_only_starts_in_block_2(tmp_path: Path) -> None:
    """Tests the model: p1 trains from Mon 4 Jan (basics 4-5, drill 6-12 Jan: ready Tue 12 Jan);
    p2 attends only b2: basics Mon 8 - Tue 9 Feb, drill Wed 10 - Tue 16 Feb: ready 16 Feb."""
    out = plan(load_scenario(_write(tmp_path)), PARAMS)
    ready = {r.participant: r.achieved_on for r in out.readiness}
    assert ready == {"p1": dt.date(2021, 1, 12), "p2": dt.date(2021, 2, 16)}


def test_verifier_flags_a_session_outside_the_participants_blocks(tmp_path: Path) -> None:
    """Tests verify_dates: p2's first basics session moved into b1 (4 weeks earlier) is caught."""
    out = plan(load_scenario(_write(tmp_path)), PARAMS)
    sched = out.result.schedule
    assert sched is not None
    j = out.data.job_of("p2/basics")
    back = 28 * out.data.slots_per_day
    moved = Schedule(tuple(dataclasses.replace(s, start=s.start - back, end=s.end - back)
                           if (s.job, s.index) == (j, 0) else s for s in sched.sessions))
    rows = schedule_rows(out.grid, out.data, dataclasses.replace(out.result, schedule=moved))
    assert any("outside p2's blocks (b2)" in p for p in verify_dates(out.scenario, rows))


def test_explain_names_the_participants_blocks(tmp_path: Path) -> None:
    """Tests the explanation: drill at 160 h (20 days) plus basics (2) needs 22 working days;
    b2 has 15 and can start no earlier than Sat 30 Jan (after b1), giving at most 20, so moving
    the block cannot help; letting p2 attend b1 as well can (20 + 15 days)."""
    loaded = load_scenario(_write(tmp_path, 160))
    assert plan(loaded, PARAMS).readiness[1].status == Verdict.NOT_READY
    ex = explain(loaded, PARAMS, time_limit=30.0)
    ge = next(g for g in ex.goals if g.participant == "p2")
    assert "block:participant:p2" in {f.key for f in ge.conflict}
    assert ge.fixes[0].text == "let p2 attend every block of mission m (no repair lever)"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("blocks: [b2]}", "blocks: [b3]}", r"participants\[1\]\.blocks\[0\].*mission m has no block 'b3'"),
    ("blocks: [b2]}", "blocks: [b2, b2]}", r"participants\[1\]\.blocks\[1\].*block 'b2' listed twice"),
])
def test_invalid_participant_blocks(tmp_path: Path, old: str, new: str, message: str) -> None:
    """Tests the located errors: an unknown block, a block listed twice."""
    with pytest.raises(ScenarioError, match=message):
        load_scenario(_write(tmp_path, text=TEXT.replace(old, new)))


def test_validate_warns_of_a_module_in_a_block_the_participant_skips(tmp_path: Path) -> None:
    """Tests the warning: basics tied to b1, which p2 (blocks: [b2]) does not attend."""
    from planner.scenario.mission_checks import mission_warnings

    text = TEXT.replace("{id: basics, hours: 16, session_hours: 8}", "{id: basics, hours: 16, session_hours: 8, block: b1}")
    sc = load_scenario(_write(tmp_path, text=text)).scenario
    assert [(loc, msg) for loc, msg in mission_warnings(sc) if loc[0] == "participants"] == [
        (("participants", 1, "blocks"), "p2 attends only block(s) b2 but takes basics, tied to block b1: it cannot "
                                        "run for p2")]
