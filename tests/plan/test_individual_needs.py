"""Individual needs (``participants[].modules``): a participant's own hours or sessions of a module,
or the module waived for them; model, verifier and located invalid inputs, hand-derived."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner.exceptions import ScenarioError
from planner.plan.pipeline import schedule_rows
from planner.plan.readiness import Verdict
from planner.report.build import readiness_matrix
from planner.report.html import Cell
from planner.report.text import verdict_table
from planner.scenario.load import load_scenario
from planner.verify.checks import verify_dates
from tests.helpers import run, scenario, sessions, write

# tests/helpers BASE: Mon-Fri, 4-hour days from Mon 4 Mar 2024; m1: one 2-hour session.
# comp needs m1 and m2 (one 2-hour session).
MODULES = [{"id": "m1", "hours": 2, "session_hours": 2}, {"id": "m2", "hours": 2, "session_hours": 2}]
COMPS = [{"id": "comp", "requires": ["m1", "m2"]}]


def _people(ann: dict[str, Any], bob: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [{"id": "ann", "role": "sfp", "crew": "c1", "modules": ann},
            {"id": "bob", "role": "sfp", "crew": "c2", "modules": bob or {}}]


def test_more_sessions_for_one_participant(tmp_path: Path) -> None:
    """Tests the model: ann needs 3 sessions of m1 (a participant who tolerates it badly), bob the
    module's 1. With m2 that is 4 two-hour sessions for ann, two per 4-hour day: Mon 4 and Tue 5
    (ready 5 Mar); bob's 2 sessions fit on Mon 4."""
    out = run(tmp_path, scenario(participants=_people({"m1": {"sessions": 3}}), modules=MODULES, competencies=COMPS))
    assert len(sessions(out, "m1", "ann")) == 3 and len(sessions(out, "m1", "bob")) == 1
    ready = {r.participant: r.achieved_on for r in out.readiness}
    assert ready == {"ann": dt.date(2024, 3, 5), "bob": dt.date(2024, 3, 4)}


def test_waived_module_is_not_scheduled_and_counts_as_met(tmp_path: Path) -> None:
    """Tests a waiver: bob already holds m1's content, so he takes only m2 and is READY."""
    out = run(tmp_path, scenario(participants=_people({}, {"m1": {"waived": True, "reason": "done at ESA"}}),
                                 modules=MODULES, competencies=COMPS))
    assert sessions(out, "m1", "bob") == [] and len(sessions(out, "m2", "bob")) == 1
    assert out.overall == Verdict.READY


def test_competency_whose_modules_are_all_waived_is_held(tmp_path: Path) -> None:
    """Tests a competency met by waivers alone: bob has both m1 and m2 waived, so comp is no goal of his
    (1 pair, ann's) and shows as held, like a 'holds' entry, in the terminal matrix and the report's
    (it showed '-', "not required by the role", although his role requires it)."""
    waived = {"waived": True, "reason": "done at ESA"}
    out = run(tmp_path, scenario(participants=_people({}, {"m1": waived, "m2": waived}), modules=MODULES,
                                 competencies=COMPS))
    assert [r.participant for r in out.readiness] == ["ann"] and out.overall == Verdict.READY
    bob = next(line for line in verdict_table(out).splitlines() if line.startswith("bob"))
    assert bob.split("|")[1].strip() == "held"
    cells = {row[0]: row[1] for row in readiness_matrix(out).rows}
    assert cells["bob"] == Cell("held", "held", "its modules are waived for them")


def test_verify_dates_counts_each_participants_hours(tmp_path: Path) -> None:
    """Tests the independent check: one of ann's 3 m1 sessions removed leaves 4 h of her 6 h."""
    out = run(tmp_path, scenario(participants=_people({"m1": {"hours": 6}}), modules=MODULES, competencies=COMPS))
    rows = schedule_rows(out.grid, out.data, out.result)
    drop = next(k for k, r in enumerate(rows) if r["participant"] == "ann" and r["module"] == "m1")
    problems = verify_dates(out.scenario, rows[:drop] + rows[drop + 1:])
    assert "ann m1: 4 h scheduled, the programme gives ann 6 h" in problems


@pytest.mark.parametrize(("ann", "modules", "message"), [
    ({"mx": {"hours": 4}}, MODULES, r"participants\[0\]\.modules\.mx.*unknown module 'mx'"),
    ({"m1": {"hours": 3}}, MODULES, r"participants\[0\]\.modules\.m1.*hours \(3\) is not a whole number"),
    ({"m1": {"waived": True, "hours": 2}}, MODULES, r"a waived module has no hours, sessions, resources or staff"),
    ({"m1": {}}, MODULES, r"give hours, sessions, resources, staff or 'waived: true'"),
    ({"m1": {"sessions": 2}}, [{**MODULES[0], "joint": "crew"}, MODULES[1]],
     r"participants\[0\]\.modules\.m1.*trained together \(joint: crew\)"),
    ({"m1": {"sessions": 2}}, [{**MODULES[0], "roles": ["other"]}, MODULES[1]],
     r"ann \(sfp\) does not take m1"),
], ids=["unknown_module", "part_session", "waived_with_hours", "empty", "joint", "other_role"])
def test_invalid_individual_needs(tmp_path: Path, ann: dict[str, Any], modules: list[dict[str, Any]],
                                  message: str) -> None:
    """Tests the located errors of individual needs."""
    sc = scenario(participants=_people(ann), modules=modules, competencies=COMPS,
                  roles=[{"id": "sfp", "requires": ["comp"]}, {"id": "other"}])
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, sc))


def test_extra_resource_for_some_participants(tmp_path: Path) -> None:
    """Tests an individual resource: ann and bob each need the single interpreter for m1 (4-hour
    days: one session fills a day), so their m1 sessions take Mon 4 and Tue 5 Mar; without it both
    run on Mon 4. The verifier on dates catches a row that drops the interpreter."""
    base = scenario(participants=_people({}), modules=[{"id": "m1", "hours": 4, "session_hours": 4}],
                    resources=[{"id": "interp", "capacity": 1}])
    free = run(tmp_path, base)
    assert {sessions(free, "m1", p)[0][0][:10] for p in ("ann", "bob")} == {"2024-03-04"}
    needs = scenario(participants=_people({"m1": {"resources": ["interp"]}}, {"m1": {"resources": ["interp"]}}),
                     modules=[{"id": "m1", "hours": 4, "session_hours": 4}], resources=[{"id": "interp", "capacity": 1}])
    out = run(tmp_path, needs)
    assert sorted(sessions(out, "m1", p)[0][0][:10] for p in ("ann", "bob")) == ["2024-03-04", "2024-03-05"]
    rows = schedule_rows(out.grid, out.data, out.result)
    broken = [{**r, "resources": []} if r["participant"] == "ann" else r for r in rows]
    assert any(p.startswith("ann m1 ") and p.endswith("without resource(s) interp") for p in verify_dates(out.scenario, broken))


def test_unknown_extra_resource_is_located(tmp_path: Path) -> None:
    """Tests the located error of an individual resource that does not exist."""
    sc = scenario(participants=_people({"m1": {"resources": ["nope"]}}), modules=MODULES, competencies=COMPS)
    with pytest.raises(ScenarioError, match=r"participants\[0\]\.modules\.m1\.resources\[0\].*unknown resource 'nope'"):
        load_scenario(write(tmp_path, sc))
