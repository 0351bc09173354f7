"""Named invalid scenarios: each gives a one-line error with path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.exceptions import ScenarioError
from planner.scenario.load import load_scenario

INVALID = Path(__file__).parents[1] / "data" / "invalid"

CASES = [
    ("unknown_key.yaml", 8, "participants[0].favourite_colour", "unknown key"),
    ("unknown_prerequisite.yaml", 9, "modules[0].prerequisites[0].module", "unknown module 'm9'"),
    ("cyclic_prerequisites.yaml", None, "modules[", "prerequisite cycle: "),
    ("session_longer_than_workday.yaml", 9, "modules[0].session_hours", "longer than the working day (8.0 h)"),
    ("gate_outside_window.yaml", 4, "gates[0]", "lies outside the window 2024-03-04 .. 2024-04-15"),
    ("window_too_short.yaml", 2, "window", "must be at least 1 month"),
    ("window_too_long.yaml", 2, "window", "must be at most 12 months"),
    ("unknown_role.yaml", 6, "participants[1].role", "unknown role 'pilot' (known: sfp)"),
    ("not_yaml.yaml", None, "", "not valid YAML"),
    ("weekly_caps_overlap.yaml", 8, "participants[0].load",
     "weeks[0] and weeks[1] both set the cap of the week of 2024-03-11"),
    # 'sessions: true' was read as one session (pydantic takes true/false for 1/0).
    ("sessions_yes_no.yaml", 7, "modules[0].sessions", "expected a number, got true (a yes/no)"),
    # It said the launch day "lies outside the window 2024-03-04 .. 2024-04-15".
    ("gate_on_launch_day.yaml", 4, "gates[0]", "the launch day: a gate must start before launch (at the latest L-1)"),
    # pydantic's "String should match pattern '^[A-Za-z]...'" for a Cyrillic e that looks like a Latin one.
    ("id_not_ascii.yaml", 8, "modules[1].prerequisites[0]", "is not an id: ids are ASCII letters, digits, "
     "'_', '.' and '-', starting with a letter ('\u0435' is U+0435)"),
    # pydantic's "Input should be a valid tuple".
    ("holds_not_a_list.yaml", 5, "participants[0].holds", "expected a list (e.g. [a, b]), not str"),
    # It was located at 'calendar:' (line 3), not at the key.
    ("slot_minutes_seven.yaml", 5, "calendar.slot_minutes", "slot_minutes must divide an hour or be whole hours"),
]


@pytest.mark.parametrize(("name", "line", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_invalid_scenario_message(name: str, line: int | None, path: str, message: str) -> None:
    """Tests that each invalid file fails with the file, YAML path, line and reason."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(INVALID / name)
    text = str(info.value)
    assert name in text
    assert path in text
    assert message in text
    if line is not None:
        assert f"{name}:{line}:" in text


def test_cycle_names_every_module() -> None:
    """Tests that a prerequisite cycle lists its modules in order."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(INVALID / "cyclic_prerequisites.yaml")
    assert any(all(m in p.message for m in ("a ->", "b ->", "c")) for p in info.value.problems)


def test_input_file_is_never_written(tmp_path: Path) -> None:
    """Tests that loading (with edits) leaves the file byte-identical."""
    src = Path(__file__).parents[2] / "scenarios" / "challenge-2021.yaml"
    copy = tmp_path / "c.yaml"
    copy.write_bytes(src.read_bytes())
    load_scenario(copy, variant="two_centrifuge_cabins", edits=["resources.centrifuge.capacity=3"])
    assert copy.read_bytes() == src.read_bytes()


def test_bad_edit_path_is_named(tmp_path: Path) -> None:
    """Tests that an edit to a missing path names it and what exists there."""
    src = Path(__file__).parents[2] / "scenarios" / "challenge-2021.yaml"
    with pytest.raises(ScenarioError, match=r"no 'centrifugo' under resources \(there: classroom"):
        load_scenario(src, edits=["resources.centrifugo.capacity=2"])


def test_bad_edit_value_is_validated() -> None:
    """Tests that an edit with a bad value fails validation at that path."""
    src = Path(__file__).parents[2] / "scenarios" / "challenge-2021.yaml"
    with pytest.raises(ScenarioError, match=r"resources\[3\]\.capacity"):
        load_scenario(src, edits=["resources.centrifuge.capacity=zero"])


def test_blackout_outside_window_is_a_located_warning() -> None:
    """Tests that a blackout outside the window loads (a what-if may move the window past it)
    but is reported as a warning with its line and path."""
    loaded = load_scenario(INVALID / "blackout_outside_window.yaml")
    text = "\n".join(str(w) for w in loaded.warnings)
    assert "blackout_outside_window.yaml:9: participants[0].blackouts[0]:" in text
    assert "lies outside the window" in text and "(no effect)" in text


def test_a_bad_item_is_not_also_a_missing_one(tmp_path: Path) -> None:
    """Tests that the only participant failing gives its own error, not also "at least 1 item" for the
    list (pydantic counts the failed item as missing), while an empty list still gets that error."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(INVALID / "unknown_key.yaml")
    assert [p.path for p in info.value.problems] == ["participants[0].favourite_colour"]
    empty = tmp_path / "empty.yaml"
    empty.write_text((INVALID / "unknown_key.yaml").read_text(encoding="utf-8").split("participants:")[0]
                     + "participants: []\nmodules: [{id: m1, hours: 2, session_hours: 2}]\n"
                     + "competencies: [{id: comp, requires: [m1]}]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="at least 1 item"):
        load_scenario(empty)


def test_an_unquoted_one_digit_hour_is_a_day_start(tmp_path: Path) -> None:
    """Tests 'day_start: 9:00' written without quotes and without the leading zero: 09:00, as '10:30' is
    10:30 (it was "Input should be in a valid time format, input is too short")."""
    path = tmp_path / "s.yaml"
    text = (INVALID / "unknown_role.yaml").read_text().replace("bob, role: pilot", "bob, role: sfp")
    path.write_text(text.replace("name: unknown role\n", "name: nine\ncalendar: {day_start: 9:00}\n"))
    assert load_scenario(path).scenario.calendar.day_start.isoformat() == "09:00:00"
