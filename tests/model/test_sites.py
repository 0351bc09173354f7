"""Sites (``sites[]``, ``resources[].site``): travel days to a site block the participant, and a
site's own calendar closes every resource there; model, both verifiers, explanation and located
errors, hand-derived."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.explain import explain
from planner.exceptions import ScenarioError
from planner.plan.pipeline import schedule_rows
from planner.plan.readiness import Verdict
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from planner.verify.checks import verify_dates
from tests.helpers import run, scenario, sessions, write

# tests/helpers BASE: Mon-Fri, 4-hour days from Mon 4 Mar 2024. comp needs m1 (two full-day
# sessions at the centre) and trip (one full day on the pool at Sochi).


def _sc(travel: int, site: dict[str, Any] | None = None) -> dict[str, Any]:
    return scenario(
        resources=[{"id": "pool", "site": "sochi"}],
        sites=[{"id": "sochi", "travel_days": travel, **(site or {})}],
        modules=[{"id": "m1", "hours": 8, "session_hours": 4},
                 {"id": "trip", "hours": 4, "session_hours": 4, "resources": ["pool"]}],
        competencies=[{"id": "comp", "requires": ["m1", "trip"]}],
    )


def test_travel_to_a_site_blocks_the_participant(tmp_path: Path) -> None:
    """Tests the model: three full days of training. Without travel, ann is ready on the third
    working day, Wed 6 Mar. With one travel day each way to Sochi, no other session may be on the
    day before or after the trip, so the three sessions need four days: ready Thu 7 Mar (e.g.
    m1 Mon 4 and Tue 5, travel Wed 6, trip Thu 7)."""
    near = run(tmp_path, _sc(0))
    assert near.readiness[0].achieved_on == dt.date(2024, 3, 6)
    far = run(tmp_path, _sc(1))
    assert far.readiness[0].achieved_on == dt.date(2024, 3, 7)
    (trip,) = sessions(far, "trip")
    m1_days = {dt.date.fromisoformat(start[:10]) for start, _ in sessions(far, "m1")}
    day = dt.date.fromisoformat(trip[0][:10])
    assert not m1_days & {day - dt.timedelta(days=1), day + dt.timedelta(days=1)}


def test_site_calendar_closes_its_resources(tmp_path: Path) -> None:
    """Tests a site's own days off: Sochi is closed Mon 4 .. Wed 6 Mar, so the trip is on Thu 7 at
    the earliest (without travel); the centre's m1 is not affected (Mon 4, Tue 5)."""
    out = run(tmp_path, _sc(0, {"calendar": {"holidays": ["2024-03-04", "2024-03-05", "2024-03-06"]}}))
    assert sessions(out, "trip")[0][0].startswith("2024-03-07")
    assert out.overall == Verdict.READY


def test_date_verifier_checks_site_travel_and_calendar(tmp_path: Path) -> None:
    """Tests the independent check: an m1 session moved onto the travel day before the trip, and
    the trip moved onto a day the site is closed, are both reported."""
    out = run(tmp_path, _sc(1, {"calendar": {"holidays": ["2024-03-11"]}}))
    rows = schedule_rows(out.grid, out.data, out.result)
    assert verify_dates(out.scenario, rows) == []
    trip = next(r for r in rows if r["module"] == "trip")
    m1 = next(r for r in rows if r["module"] == "m1")
    before = trip["start"] - dt.timedelta(days=1)  # type: ignore[operator]
    moved = [dict(r) for r in rows]
    for r in moved:
        if r["module"] == "m1" and r["start"] == m1["start"]:
            shift = before.date() - r["start"].date()  # type: ignore[attr-defined]
            r["start"], r["end"] = r["start"] + shift, r["end"] + shift  # type: ignore[operator]
    assert any("on a travel day of trip" in p for p in verify_dates(out.scenario, moved))
    closed = [dict(r) for r in rows]
    for r in closed:
        if r["module"] == "trip":
            shift = dt.date(2024, 3, 11) - r["start"].date()  # type: ignore[attr-defined]
            r["start"], r["end"] = r["start"] + shift, r["end"] + shift  # type: ignore[operator]
    assert any("resource pool unavailable" in p for p in verify_dates(out.scenario, closed))


def test_travel_that_does_not_fit_is_explained(tmp_path: Path) -> None:
    """Tests the conflict: ann is away from Thu 7 Mar; m1 and the trip need three days plus a travel
    day between them (Mon 4 .. Wed 6 cannot hold it), so comp is NOT_READY and the conflict names
    the trip's travel to Sochi."""
    sc = _sc(1)
    sc["participants"][0]["blackouts"] = [{"from": "2024-03-07", "to": "2024-04-15"}]
    assert run(tmp_path, sc).overall == Verdict.NOT_READY
    ex = explain(load_scenario(write(tmp_path, sc)), SolveParams(time_limit=5.0, num_workers=2), time_limit=20.0)
    (ge,) = ex.goals
    texts = [f.text for f in ge.conflict]
    assert any("1 travel day(s) each way (sochi)" in t for t in texts), texts


@pytest.mark.parametrize(("edit", "message"), [
    ({"resources": [{"id": "pool", "site": "sochy"}]}, r"resources\[0\]\.site.*unknown site 'sochy'"),
    ({"sites": [{"id": "sochi", "travel_days": 9}]}, r"sites\[0\]\.travel_days"),
    ({"sites": [{"id": "sochi"}, {"id": "sochi"}]}, r"sites\[1\]\.id.*duplicate id 'sochi'"),
    ({"sites": [{"id": "sochi", "calendar": {"country": "XX"}}]}, r"sites\[0\]\.calendar\.country"),
], ids=["unknown_site", "too_much_travel", "duplicate", "unknown_country"])
def test_invalid_sites(tmp_path: Path, edit: dict[str, Any], message: str) -> None:
    """Tests the located errors of sites."""
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, {**_sc(1), **edit}))


def _two_trips(second_site: str) -> dict[str, Any]:
    return scenario(
        resources=[{"id": "pool", "site": "sochi"}, {"id": "boat", "site": second_site}],
        sites=[{"id": "sochi", "travel_days": 1}, {"id": "forest", "travel_days": 1}],
        modules=[{"id": "swim", "hours": 4, "session_hours": 4, "resources": ["pool"]},
                 {"id": "sail", "hours": 4, "session_hours": 4, "resources": ["boat"], "prerequisites": ["swim"]}],
        competencies=[{"id": "comp", "requires": ["swim", "sail"]}],
    )


def test_two_modules_at_one_site_are_one_trip(tmp_path: Path) -> None:
    """Tests the model and both verifiers: swim and then sail, one full day each, both at Sochi (one
    travel day each way). ann stays at Sochi between them, so sail is the day after swim (ready one
    working day after swim). With sail in the forest instead, ann travels back from Sochi (one day,
    which may also be the day out to the forest), so sail is two days after swim."""
    one = run(tmp_path, _two_trips("sochi"))  # run() checks both verifiers
    ((swim, _),), ((sail, _),) = sessions(one, "swim"), sessions(one, "sail")
    assert (dt.date.fromisoformat(sail[:10]) - dt.date.fromisoformat(swim[:10])).days == 1
    two = run(tmp_path, _two_trips("forest"))
    ((swim, _),), ((sail, _),) = sessions(two, "swim"), sessions(two, "sail")
    assert (dt.date.fromisoformat(sail[:10]) - dt.date.fromisoformat(swim[:10])).days == 2
    first, second = one.readiness[0].achieved_on, two.readiness[0].achieved_on
    assert first is not None and second == first + dt.timedelta(days=1)


def test_date_verifier_allows_a_stay_between_modules_at_one_site(tmp_path: Path) -> None:
    """Tests the independent check: the one-site plan passes, and the same dates with sail in the
    forest (another trip) are reported as a session on a travel day of swim."""
    one = run(tmp_path, _two_trips("sochi"))
    rows = schedule_rows(one.grid, one.data, one.result)
    assert verify_dates(one.scenario, rows) == []
    other = load_scenario(write(tmp_path, _two_trips("forest"), "forest.yaml")).scenario
    assert any("sail" in p and "on a travel day of swim" in p for p in verify_dates(other, rows))
