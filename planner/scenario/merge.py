"""Three-way line merge: keep the source text wherever an edit did not touch it.

The round-trip YAML writer loses a little of what a person wrote: a comment
inside a flow list that spans several lines (``requires: [a,  # why``), the
braces of a one-key mapping inside a flow list. So a saved scenario is
merged line by line from three texts: *base* (the unedited document as the
writer prints it), *ours* (the source file as written) and *theirs* (the
edited document as the writer prints it). Lines the edits did not change
come from the source; edited lines from the writer. Where an edit falls on
a line the writer also reformats, the writer's line wins (the edit must
not be lost; the reformatting may then lose that line's comment).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    # Compared with spaces collapsed: the writer re-spaces comments (``]  # x``
    # becomes ``] # x``), which should not make a line count as changed.
    na, nb = ([" ".join(line.split()) for line in lines] for lines in (a, b))
    return SequenceMatcher(None, na, nb, autojunk=False).get_opcodes()


def merge3(base: str, ours: str, theirs: str) -> str:
    """``theirs``'s changes from ``base`` applied to ``ours`` (see the module docstring).

    ``base`` is cut into segments by its diff with ``ours``: each unchanged
    line, and each run the source writes differently (a multi-line flow
    list is one line of ``base``). A segment the edit did not touch is
    printed as in ``ours``, a touched one as in ``theirs``.
    """
    if base == theirs:
        return ours
    b, o, t = (s.splitlines(keepends=True) for s in (base, ours, theirs))
    # Where the edit changed base: touched lines, insertion points, and the
    # position in theirs of each boundary between base lines.
    touched: set[int] = set()
    inserted: set[int] = set()
    inside: set[int] = set()  # boundaries inside one changed run (segments there are merged)
    pos = [0] * (len(b) + 1)
    for tag, i1, i2, j1, j2 in _opcodes(b, t):
        if tag == "equal":
            for k in range(i1, i2):
                pos[k] = j1 + k - i1
        elif tag == "insert":
            inserted.add(i1)
            pos[i1] = j2  # an insertion belongs to the segment before it
        else:
            touched.update(range(i1, i2))
            inside.update(range(i1 + 1, i2))
            pos[i1] = j1
    pos[len(b)] = len(t)
    # Segments of base with their lines in ours, merged across changed runs of theirs.
    segments: list[list[int]] = []  # [base start, base end, ours start, ours end]
    for tag, i1, i2, j1, j2 in _opcodes(b, o):
        pieces = [[k, k + 1, j1 + k - i1, j1 + k - i1 + 1] for k in range(i1, i2)] if tag == "equal" \
            else [[i1, i2, j1, j2]]
        for piece in pieces:
            if segments and piece[0] in inside and piece[0] > segments[-1][0]:
                segments[-1][1], segments[-1][3] = piece[1], piece[3]
            else:
                segments.append(piece)
    out: list[str] = []
    for s0, e0, os0, oe0 in segments:
        hit = s0 < e0 and (any(k in touched for k in range(s0, e0)) or e0 in inserted or (s0 == 0 and 0 in inserted))
        out += t[(0 if s0 == 0 else pos[s0]):pos[e0]] if hit else o[os0:oe0]
    return "".join(out)
