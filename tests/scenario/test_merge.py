"""Saving an edited scenario keeps what the writer cannot print back (three-way line merge)."""

from __future__ import annotations

from pathlib import Path

from planner.scenario.edits import apply_edits, save_document
from planner.scenario.load import read_document
from planner.scenario.merge import merge3

FLOW = """\
competencies:
  - {id: fire, requires: [a, {any_of: [b, c]}], deadline: exams}
  - id: cold
    requires: [x,  # first
               y,
               z]  # last
    other: [p, q]  # plain eol
  - {id: water, requires: [a,
                           b],  # wrapped
     deadline: exams}  # map end
"""


def test_merge_keeps_source_lines_the_edit_did_not_touch() -> None:
    """Tests the merge on hand-made texts: base reformats line 2 of ours, the edit changes line 3.

    base->ours changes "b" to "b  # why" (kept, the edit did not touch it);
    base->theirs changes "c" to "C" and appends "e" (both taken).
    """
    base, ours, theirs = "a\nb\nc\nd\n", "a\nb  # why\nc\nd\n", "a\nb\nC\nd\ne\n"
    assert merge3(base, ours, theirs) == "a\nb  # why\nC\nd\ne\n"
    assert merge3(base, ours, base) == ours  # nothing edited: the source, byte for byte


def test_unedited_flow_lists_save_unchanged(tmp_path: Path) -> None:
    """Tests that a file saved without edits is byte-identical: braces of one-key mappings inside a
    flow list and comments inside multi-line flow lists are kept (the writer alone drops them)."""
    source = tmp_path / "s.yaml"
    source.write_text(FLOW, encoding="utf-8")
    doc, _ = read_document(source)
    save_document(doc, tmp_path / "out.yaml", source)
    assert (tmp_path / "out.yaml").read_text(encoding="utf-8") == FLOW


def test_an_edit_next_to_a_multiline_flow_list_keeps_its_comments(tmp_path: Path) -> None:
    """Tests that editing the line after a multi-line flow list keeps that list as written, and
    that the edited lines are the writer's (the edit is never lost)."""
    source = tmp_path / "s.yaml"
    source.write_text(FLOW, encoding="utf-8")
    doc, _ = read_document(source)
    save_document(apply_edits(doc, ["competencies.cold.other+=[r]"], str(source)), tmp_path / "out.yaml", source)
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "requires: [x,  # first\n               y,\n               z]  # last\n" in text
    assert "other: [p, q, r]" in text
    assert "{any_of: [b, c]}" in text and "# wrapped" in text
