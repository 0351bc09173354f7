"""Change records: applied with a comment at each changed key, and as the same ``--set`` edits."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from planner.exceptions import ScenarioError
from planner.scenario.changes import Change, apply_changes, edit_lines, flow
from planner.scenario.edits import _parse_value, apply_edits, save_document
from planner.scenario.load import load_document, load_scenario, plain_document, read_document

ROOT = Path(__file__).parents[2]
CHALLENGE = ROOT / "scenarios" / "challenge-2021.yaml"

REPAIR = [
    Change("calendar.extra_workdays", [dt.date(2021, 8, 7), dt.date(2021, 8, 14)], append=True,
           comment="repair: 2 working Saturdays, 16 points"),
    Change("resources.il76.available_dates", dt.date(2021, 8, 26), append=True,
           comment="repair: 1 more il76 day, 20 points"),
    Change("instructors", {"id": "extra_emergency_1", "name": "Extra emergency instructor",
                           "qualifications": ["emergency"]}, append=True,
           comment="repair: a new emergency instructor, 60 points"),
    Change("resources.centrifuge.capacity", 2, comment="repair: one more cabin, 40 points"),
    Change("participants.peresild.load.max_hours_per_week", 36.5, comment="repair: 4.5 h more a week, 18 points"),
    Change("participants.shkaplerov.load", {"max_hours_per_day": 9.5, "max_hours_per_week": 40},
           comment="repair: a load cap map"),
    Change("participants.artemyev.blackouts", {"from": dt.date(2021, 6, 1), "to": dt.date(2021, 6, 2),
                                               "reason": "a=b: c"}, append=True, comment="repair: leave"),
    Change("window.start", dt.date(2021, 5, 17), comment="repair: a week earlier, 112 points"),
    Change("calendar.day_start", "08:30", comment="repair: earlier day"),
    Change("calendar.slot_minutes", 30, comment="repair: unchanged value, commented"),
]


def _uncommented(text: str) -> str:
    return re.sub(r" *# repair:[^\n]*", "", text)


def _saved(doc: Any, tmp_path: Path, name: str) -> str:
    save_document(doc, tmp_path / name, CHALLENGE)
    return (tmp_path / name).read_text(encoding="utf-8")


def test_edit_lines_are_flow_yaml() -> None:
    """Tests the edit lines: '+=' for appends, dates as YYYY-MM-DD, flow lists and mappings, quoting."""
    assert edit_lines(REPAIR[:3]) == [
        "calendar.extra_workdays+=[2021-08-07, 2021-08-14]",
        "resources.il76.available_dates+=2021-08-26",
        "instructors+={id: extra_emergency_1, name: Extra emergency instructor, qualifications: [emergency]}",
    ]
    assert edit_lines([REPAIR[4], REPAIR[6]]) == [
        "participants.peresild.load.max_hours_per_week=36.5",
        "participants.artemyev.blackouts+={from: 2021-06-01, to: 2021-06-02, reason: 'a=b: c'}",
    ]


@pytest.mark.parametrize("value", [
    0, 7, -3, 1.5, 8.0, 0.1, 1e-7, 1e20, True, None, "x", "09:00", "08:30", "1", "2021-08-07", "yes", "null",
    "a: b", "[x", "a, b", "a=b", "é ü", " padded ", "line\nbreak", "#hash", dt.date(2021, 2, 28), [],
    [1, "a", dt.date(2021, 1, 1)], {"id": "x", "qualifications": ["a", "b"]}, {"b": 1, "a": {"c": [1.5]}},
    ("t", 1),
], ids=repr)
def test_flow_reads_back_as_the_same_value(value: Any) -> None:
    """Tests that every value's flow text is one line that --set reads back as that value (key order kept)."""
    text = flow(value)
    assert "\n" not in text
    back = _parse_value(text)
    expected = list(value) if isinstance(value, tuple) else value
    assert back == expected
    assert isinstance(back, type(expected))  # 1 stays an int, '1' a string, 8.0 a float
    if isinstance(value, dict):
        assert list(back) == list(value)


def test_apply_changes_equals_apply_edits_of_edit_lines(tmp_path: Path) -> None:
    """Tests that the changes and their edit lines give the same document and, but for the repair
    comments, the same saved text."""
    doc, _ = read_document(CHALLENGE)
    changed = apply_changes(doc, REPAIR, str(CHALLENGE))
    edited = apply_edits(doc, edit_lines(REPAIR), str(CHALLENGE))
    assert plain_document(changed, "c") == plain_document(edited, "e")
    assert _uncommented(_saved(changed, tmp_path, "c.yaml")) == _saved(edited, tmp_path, "e.yaml")


def test_apply_changes_leaves_the_input_document() -> None:
    """Tests that apply_changes works on a copy."""
    doc, _ = read_document(CHALLENGE)
    before = copy.deepcopy(doc)
    apply_changes(doc, REPAIR, str(CHALLENGE))
    assert plain_document(doc, "a") == plain_document(before, "b")
    assert "extra_emergency_1" not in str(doc["instructors"])


def test_each_comment_once_at_its_key_and_file_comments_kept(tmp_path: Path) -> None:
    """Tests where each comment lands: the changed key's line (after the file's own comment there), an
    appended item's line, or the line of the flow collection that holds the change."""
    text = _saved(apply_changes(read_document(CHALLENGE)[0], REPAIR, str(CHALLENGE)), tmp_path, "c.yaml")
    for change in REPAIR:
        assert text.count(f"# {change.comment}") == 1, change.comment
    lines = text.splitlines()

    def line_of(comment: str) -> str:
        return next(line for line in lines if comment in line)

    assert line_of("2 working Saturdays").startswith("  extra_workdays: [2021-08-07, 2021-08-14]")
    assert re.match(r"    available_dates: \[.*2021-08-26\] +# \[E\] campaign days  # repair: 1 more il76",
                    line_of("1 more il76 day"))
    assert line_of("new emergency instructor").startswith("  - {id: extra_emergency_1,")
    assert line_of("one more cabin") == ("    capacity: 2        # [E] single cabin: one trainee at a time  "
                                         "# repair: one more cabin, 40 points")
    # inside the flow mapping 'load: {...}' the comment goes on the load line
    assert re.match(r"    load: \{max_hours_per_day: 8, max_hours_per_week: 36.5\} +# \[E\] ordinary people",
                    line_of("4.5 h more"))
    assert line_of("a load cap map").startswith("    load: {max_hours_per_day: 9.5, max_hours_per_week: 40}")
    assert line_of("repair: leave").startswith("      - {from: 2021-06-01, to: 2021-06-02, reason: 'a=b: c'}")
    assert line_of("a week earlier").startswith("  start: 2021-05-17   # [S] start of full crew training  #")
    assert line_of("earlier day").startswith('  day_start: "08:30"')
    old = CHALLENGE.read_text(encoding="utf-8")
    for comment in re.findall(r"#[^\n]*", old):
        assert comment.split("  # repair:")[0] in text


def test_comment_on_a_block_list_goes_on_its_key(tmp_path: Path) -> None:
    """Tests a change whose value stays a block list (nothing appended): the comment sits on the key, once."""
    doc, _ = read_document(CHALLENGE)
    text = _saved(apply_changes(doc, [Change("instructors", [], append=True, comment="repair: none needed")],
                                str(CHALLENGE)), tmp_path, "c.yaml")
    assert text.count("# repair: none needed") == 1
    assert "instructors:  # repair: none needed\n  - {id: soyuz_1," in text
    load_scenario(tmp_path / "c.yaml")


def test_comment_on_a_new_nested_key(tmp_path: Path) -> None:
    """Tests a key under a mapping the change creates (shkaplerov has no load:)."""
    doc, _ = read_document(CHALLENGE)
    changes = [Change("participants.shkaplerov.load.max_hours_per_week", 40, comment="repair: cap")]
    text = _saved(apply_changes(doc, changes, str(CHALLENGE)), tmp_path, "c.yaml")
    assert "    load:\n      max_hours_per_week: 40  # repair: cap\n  - id: peresild" in text


def test_saved_repair_loads_as_a_valid_scenario(tmp_path: Path) -> None:
    """Tests that the saved, commented document loads again with every change in it."""
    doc, _ = read_document(CHALLENGE)
    save_document(apply_changes(doc, REPAIR, str(CHALLENGE)), tmp_path / "r.yaml", CHALLENGE)
    _, loaded = load_document(tmp_path / "r.yaml")
    sc = loaded.scenario
    assert sc.calendar.extra_workdays == (dt.date(2021, 8, 7), dt.date(2021, 8, 14))
    assert sc.instructors[-1].id == "extra_emergency_1"
    assert next(r for r in sc.resources if r.id == "centrifuge").capacity == 2
    assert sc.window.start == dt.date(2021, 5, 17)
    # and the edit lines give the same scenario
    assert load_scenario(CHALLENGE, edits=edit_lines(REPAIR)).scenario == sc


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_no_changes_save_byte_identically(path: Path, tmp_path: Path) -> None:
    """Tests that a bundled scenario with no changes saves byte for byte."""
    doc, text = read_document(path)
    save_document(apply_changes(doc, [], str(path)), tmp_path / "copy.yaml", path)
    assert (tmp_path / "copy.yaml").read_text(encoding="utf-8") == text


INVALID_CHANGES: list[tuple[str, dict[str, Any], str]] = [
    ("empty_path", {"path": "", "value": 1}, "empty, or blank around it"),
    ("blank_around_path", {"path": " a.b", "value": 1}, "empty, or blank around it"),
    ("equals_in_path", {"path": "a=b", "value": 1}, "no '=', blanks or trailing '+' in a path"),
    ("trailing_plus", {"path": "a.b+", "value": 1}, "no '=', blanks or trailing '+' in a path"),
    ("two_line_comment", {"path": "a.b", "value": 1, "comment": "one\ntwo"}, "one line only"),
]


@pytest.mark.parametrize(("kwargs", "message"), [c[1:] for c in INVALID_CHANGES], ids=[c[0] for c in INVALID_CHANGES])
def test_invalid_change_is_refused(kwargs: dict[str, Any], message: str) -> None:
    """Tests that a change that cannot be written as an edit line is refused when made."""
    with pytest.raises(ValueError, match=re.escape(message)):
        Change(**kwargs)


@pytest.mark.parametrize(("value", "message"), [
    (dt.datetime(2021, 1, 1, 9, 0), "a change value holds dates, not date-times"),
    (object(), "not a plain YAML value"),
    ({"a": {1, 2}}, "not a plain YAML value"),
], ids=["datetime", "object", "set"])
def test_unwritable_value_is_refused(value: Any, message: str) -> None:
    """Tests that a value with no YAML flow form is refused with the reason."""
    with pytest.raises(ValueError, match=re.escape(message)):
        edit_lines([Change("a.b", value)])


@pytest.mark.parametrize(("change", "message"), [
    (Change("resources.nosuch.capacity", 2), "no 'nosuch' under resources (there: classroom"),
    (Change("calendar.day_hours", 9, append=True), "cannot append: this holds the value 8, not a list"),
], ids=["unknown_id", "append_to_value"])
def test_bad_change_path_is_located(change: Change, message: str) -> None:
    """Tests that a change to a bad path fails as the same --set edit does, naming the file and path."""
    doc, _ = read_document(CHALLENGE)
    with pytest.raises(ScenarioError) as info:
        apply_changes(doc, [change], str(CHALLENGE))
    assert f"{CHALLENGE}: {change.path}: {message}" in str(info.value)
