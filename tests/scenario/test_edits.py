"""``PATH+=VALUE`` edits: appending to lists (creating them), with located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.exceptions import ScenarioError
from planner.scenario.edits import apply_edits, save_document, split_edit
from planner.scenario.load import load_document, load_scenario, read_document

ROOT = Path(__file__).parents[2]
CHALLENGE = ROOT / "scenarios" / "challenge-2021.yaml"
TINY = Path(__file__).parents[1] / "data" / "tiny_capacity.yaml"


@pytest.mark.parametrize(("edit", "expected"), [
    ("a.b=1", ("a.b", False, "1")),
    ("a.b+=1", ("a.b", True, "1")),
    (" a.b += [x, y] ", ("a.b", True, "[x, y]")),
    ("a.b=x=y", ("a.b", False, "x=y")),  # a value may hold '='
    ("a.b+=x+=y", ("a.b", True, "x+=y")),
    ("a.b=+=", ("a.b", False, "+=")),
])
def test_split_edit(edit: str, expected: tuple[str, bool, str]) -> None:
    """Tests that an edit splits at its first '=' and a path ending in '+' is an append."""
    assert split_edit(edit, "f.yaml") == expected


def test_append_to_missing_list_creates_it() -> None:
    """Tests that calendar.extra_workdays+=[...] creates the key with both dates."""
    loaded = load_scenario(CHALLENGE, edits=["calendar.extra_workdays+=[2021-08-07, 2021-08-14]"])
    assert loaded.scenario.calendar.extra_workdays == (dt.date(2021, 8, 7), dt.date(2021, 8, 14))


def test_append_scalar_and_list_to_existing_list() -> None:
    """Tests that a scalar appends one item and a flow list each of its items, in order."""
    base = load_scenario(CHALLENGE).scenario
    il76 = next(r for r in base.resources if r.id == "il76")
    loaded = load_scenario(CHALLENGE, edits=[
        "resources.il76.available_dates+=2021-08-26",
        "resources.il76.available_dates+=[2021-08-27, 2021-08-30]",
    ])
    after = next(r for r in loaded.scenario.resources if r.id == "il76")
    assert after.available_dates == (*il76.available_dates, dt.date(2021, 8, 26), dt.date(2021, 8, 27),
                                      dt.date(2021, 8, 30))


def test_append_new_instructor_then_set_it() -> None:
    """Tests that a mapping appends a list item that later edits address by its id."""
    loaded = load_scenario(CHALLENGE, edits=[
        "instructors+={id: extra_emergency_1, qualifications: [emergency]}",
        "instructors.extra_emergency_1.capacity=2",
    ])
    new = loaded.scenario.instructors[-1]
    assert (new.id, new.qualifications, new.capacity) == ("extra_emergency_1", ("emergency",), 2)


def test_append_creates_parents_and_keeps_other_edits() -> None:
    """Tests a list under a missing mapping key, and that '=' edits still work beside '+='."""
    loaded = load_scenario(CHALLENGE, edits=[
        "participants.shkaplerov.blackouts+={from: 2021-06-01, to: 2021-06-02, reason: a=b}",
        "resources.centrifuge.capacity=2",
    ])
    shk = next(p for p in loaded.scenario.participants if p.id == "shkaplerov")
    assert shk.blackouts[0].start == dt.date(2021, 6, 1) and shk.blackouts[0].reason == "a=b"
    assert next(r for r in loaded.scenario.resources if r.id == "centrifuge").capacity == 2


def test_append_saves_in_the_files_style(tmp_path: Path) -> None:
    """Tests the saved layout: a new flow list on one line, a new item in the list's style, the blank
    line before the next section kept below the new key, and the file otherwise unchanged."""
    doc, _ = load_document(CHALLENGE, edits=[
        "calendar.extra_workdays+=[2021-06-19]",
        "instructors+={id: extra_1, qualifications: [emergency]}",
    ])
    save_document(doc, tmp_path / "out.yaml", CHALLENGE)
    old = CHALLENGE.read_text(encoding="utf-8").splitlines()
    new = (tmp_path / "out.yaml").read_text(encoding="utf-8").splitlines()
    added = [line for line in new if line not in old]
    assert added == ["  extra_workdays: [2021-06-19]", "  - {id: extra_1, qualifications: [emergency]}"]
    at = new.index("  extra_workdays: [2021-06-19]")
    assert new[at - 1] == "  slot_minutes: 30" and new[at + 1] == "" and new[at + 2] == "gates:"
    assert len(new) == len(old) + 2
    load_scenario(tmp_path / "out.yaml")


def test_append_empty_list_leaves_list() -> None:
    """Tests that appending [] to an existing list changes nothing."""
    doc, _ = read_document(TINY)
    assert apply_edits(doc, ["calendar.workdays+=[]"], str(TINY)) == doc


BAD = [
    ("append_to_scalar", "calendar.day_hours+=2", "calendar.day_hours: cannot append: this holds the value 8, "
                                                  "not a list (PATH=VALUE replaces it)"),
    ("append_to_mapping", "calendar+=[2021-06-19]", "calendar: cannot append: this holds a mapping, not a list"),
    ("unknown_parent_item", "resources.nosuch.available_dates+=2021-08-26",
     "no 'nosuch' under resources (there: classroom, zvezda"),
    ("unknown_list_item", "resources.nosuch+=1", "resources.nosuch: no item 'nosuch' (there: classroom"),
    ("under_a_value", "window.start.days+=1", "window.start.days: window.start is a value, not a mapping"),
    ("empty_path", "+=1", "empty edit path"),
    ("two_dots", "window..start=2021-05-20", "window..start: empty part in the edit path"),
    ("trailing_dot", "window.start.=2021-05-20", "window.start.: empty part in the edit path"),
    ("no_equals", "calendar.extra_workdays+2021-06-19", "an edit must read PATH=VALUE or PATH+=VALUE"),
    ("bad_item_named_by_edit", "instructors+={id: x2}",
     "instructors[7].qualifications: Field required (set by --set instructors+={id: x2})"),
    ("unknown_key_created", "calendar.extra_days+=[2021-06-19]",
     "calendar.extra_days: unknown key (not part of the scenario format) (set by --set calendar.extra_days+="),
    ("duplicate_id", "instructors+={id: rs_1, qualifications: [rs]}",
     "instructors[7].id: duplicate id 'rs_1' (first at instructors[2]) (set by --set instructors+="),
]


@pytest.mark.parametrize(("edit", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_append_is_located(edit: str, message: str) -> None:
    """Tests that each bad append fails naming the file, the path and what is wrong."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(CHALLENGE, edits=[edit])
    text = str(info.value)
    assert str(CHALLENGE) in text
    assert message in text


def test_bad_value_in_appended_item_names_the_edit_not_a_line() -> None:
    """Tests that a wrong date in an appended item is blamed on the edit, not on a line of the file."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(CHALLENGE, edits=["resources.il76.available_dates+=2021-02-30"])
    text = str(info.value)
    assert "resources[5].available_dates[5]" in text
    assert "(set by --set resources.il76.available_dates+=2021-02-30)" in text
    assert f"{CHALLENGE}:110:" not in text


LAYOUT = """a:
  l:
    - 1
    - 2  # c2

# next
b:
  y: 1

# end
"""


@pytest.mark.parametrize(("edits", "expected"), [
    (["a.l+=[3, 4]"], "    - 2  # c2\n    - 3\n    - 4\n\n# next\nb:"),
    (["a.m+=[3]"], "    - 2  # c2\n  m: [3]\n\n# next\nb:"),
    (["b.q.r+=[1]"], "  y: 1\n  q:\n    r: [1]\n\n# end\n"),
    (["b=7"], "# next\nb: 7\n\n# end\n"),
], ids=["append_to_block_list", "new_key_after_block_list", "new_nested_key", "block_replaced_by_value"])
def test_comment_lines_stay_before_what_they_introduce(tmp_path: Path, edits: list[str], expected: str) -> None:
    """Tests that blank lines and comments after the last entry stay below what an edit adds there."""
    source = tmp_path / "s.yaml"
    source.write_text(LAYOUT, encoding="utf-8")
    doc, _ = read_document(source)
    save_document(apply_edits(doc, edits, str(source)), tmp_path / "out.yaml", source)
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert expected in text
    assert text.count("# next") == text.count("# end") == 1


def test_missions_and_blocks_are_addressed_by_id_and_window_is_refused() -> None:
    """Tests that missions.ID.blocks.BID.from edits the named block only, and that a window.* edit on a
    file with missions is refused with where to edit instead (it would otherwise create a window)."""
    path = ROOT / "tests" / "data" / "two_missions_window.yaml"
    loaded = load_scenario(path, edits=["missions.b.blocks.b2.from=2021-03-08", "missions.a.start=2021-01-11"])
    a, b = loaded.scenario.missions
    assert a.start == dt.date(2021, 1, 11)
    assert [blk.start for blk in b.blocks] == [dt.date(2021, 1, 4), dt.date(2021, 3, 8)]
    doc, _ = read_document(path)
    for edit in ("window.start=2021-01-11", "window+={launch: 2021-05-01}"):
        with pytest.raises(ScenarioError, match=r"has missions \(a, b\), each with its own window: edit missions\.ID"):
            apply_edits(doc, [edit], str(path))


def test_saved_copy_loads_when_the_source_indents_lists_flush(tmp_path: Path) -> None:
    """Tests an edit inside a list of a list in a file whose lists are not indented under their key (as
    PyYAML writes them): the writer's line for it does not fit the source's lines around it, so the saved
    copy is the writer's whole text, which loads with the edit, never a file that does not parse."""
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "data" / "two_blocks.yaml").read_text(encoding="utf-8"))
    source = tmp_path / "flush.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert "\n  - id: b2\n    from: 2021-02-08\n" in source.read_text(encoding="utf-8")
    doc, _ = read_document(source)
    save_document(apply_edits(doc, ["missions.m.blocks.b2.from=2021-02-01"], str(source)), tmp_path / "out.yaml", source)
    saved = load_scenario(tmp_path / "out.yaml").scenario
    assert saved.missions[0].blocks[1].start == dt.date(2021, 2, 1)
