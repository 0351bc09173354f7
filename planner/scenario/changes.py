"""Changes to a scenario as records: applied with a comment at each changed key, or written as edits.

A :class:`Change` is one what-if edit in plain Python (``path``, ``value``,
``append``) with the reason for it. The same list gives two outputs that
agree: :func:`apply_changes` writes the changes into the round-trip document
(saved with :func:`planner.scenario.edits.save_document`, every comment of
the file kept and each changed key commented with its reason), and
:func:`edit_lines` gives the ``PATH=VALUE`` / ``PATH+=VALUE`` lines that
``--set`` accepts. Both go through the same edit code, so
``apply_changes(doc, cs, f)`` equals ``apply_edits(doc, edit_lines(cs), f)``
apart from the comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planner.scenario.edits import Written, apply_edit
from planner.scenario.load import plain_document, validate_document
from planner.scenario.schema import Scenario


@dataclass(frozen=True)
class Change:
    """One change of a scenario document, with why it is made."""

    path: str
    """What-if path: dotted keys, list items by id (``resources.il76.available_dates``)."""
    value: Any
    """Plain Python value: int, float, str, bool, date, list, dict (tuples read as lists)."""
    append: bool = False
    """Append to the list at ``path`` (a list value appends each item) instead of setting it."""
    comment: str = ""
    """Why; written as a YAML comment at the changed key (one line)."""

    def __post_init__(self) -> None:
        path = self.path.strip()
        if not path or path != self.path:
            raise ValueError(f"change path {self.path!r}: empty, or blank around it")
        if "=" in path or path.endswith("+") or any(c.isspace() for c in path):
            raise ValueError(f"change path {self.path!r}: no '=', blanks or trailing '+' in a path")
        if "\n" in self.comment or "\r" in self.comment:
            raise ValueError(f"change comment for {self.path}: one line only")

    @property
    def edit(self) -> str:
        """The ``PATH=VALUE`` or ``PATH+=VALUE`` line of this change."""
        return f"{self.path}{'+=' if self.append else '='}{flow(self.value)}"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r}: a change value holds dates, not date-times")
    if value is None or isinstance(value, bool | int | float | str | dt.date):
        return value
    raise ValueError(f"{value!r}: not a plain YAML value (int, float, str, bool, date, list, dict)")


def flow(value: Any) -> str:
    """``value`` as one line of YAML flow text: ``2021-08-07``, ``1.5``,
    ``'09:00'`` (quoted where it would read as another type), ``[a, b]``,
    ``{id: x, qualifications: [emergency]}``."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 1 << 30  # never fold a line
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    buf = io.StringIO()
    yaml.dump(_plain(value), buf)
    text = buf.getvalue().removesuffix("\n...\n").rstrip("\n")
    if "\n" in text:  # not expected with the width above; an edit line must be one line
        raise ValueError(f"{value!r}: no one-line YAML form")
    return text


def edit_lines(changes: Sequence[Change]) -> list[str]:
    """The ``PATH=VALUE`` / ``PATH+=VALUE`` lines of ``changes`` (what
    ``planner whatif SCENARIO --set LINE ...`` accepts), values in YAML flow form."""
    return [c.edit for c in changes]


def apply_changes(doc: Any, changes: Sequence[Change], file: str) -> Any:
    """A deep copy of ``doc`` with ``changes`` applied in order, each changed
    key (or appended item) commented with the change's reason. Raises
    :class:`~planner.exceptions.ScenarioError` as ``--set`` does for a bad path."""
    doc = copy.deepcopy(doc)
    for change in changes:
        written = apply_edit(doc, change.edit, file)
        if change.comment.strip():
            _comment(written, change.comment.strip())
    return doc


def changed_scenario(sc: Scenario, changes: Sequence[Change], file: str = "<changes>") -> Scenario:
    """``sc`` with ``changes`` applied by the same edit code as a saved file's, then validated."""
    doc = apply_changes(_document(sc.model_dump(by_alias=True)), changes, file)
    return validate_document(plain_document(doc, file), doc, file)


def _document(node: Any) -> Any:
    """Plain data as a round-trip document (the containers the edits walk)."""
    if isinstance(node, Mapping):
        out = CommentedMap()
        for k, v in node.items():
            out[k] = _document(v)
        return out
    if isinstance(node, list | tuple):
        return CommentedSeq(_document(v) for v in node)
    return node


def _is_flow(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node.fa.flow_style())


def _comment(written: Written, text: str) -> None:
    """Comment the line that shows the change: the changed key, or the first
    appended item of a block list; inside a flow collection (``{...}``,
    ``[...]``), the key or item that holds it, since a flow collection is one line."""
    chain = list(written.chain)
    if written.appended:
        container, key = chain[-1]
        chain.append((container[key], written.appended.start))
    target = chain[0]
    for container, key in chain:
        if _is_flow(container):
            break
        target = (container, key)
    _add_eol_comment(*target, text if text.startswith("#") else f"# {text}")


def _add_eol_comment(container: Any, key: Any, text: str) -> None:
    """An end-of-line comment at ``key``, after the one the file has there (kept)."""
    pos = 2 if isinstance(container, CommentedMap) else 0
    tokens = container.ca.items.get(key)
    old = tokens[pos] if tokens and len(tokens) > pos else None
    if old is None:
        container.yaml_add_eol_comment(text, key)
        return
    first, sep, rest = old.value.partition("\n")
    if first.strip().startswith("#"):  # the file's own comment on this line: keep it, add ours after
        old.value = f"{first.rstrip()}  {text}{sep}{rest}"
    else:  # only blank lines or comment lines follow the key: ours goes before them
        container.yaml_add_eol_comment(text, key)  # at the column ruamel gives a new comment
        new = container.ca.items[key][pos]
        new.value = f"{new.value}{old.value}" if old.value.startswith("\n") else f"{new.value}\n{old.value}"
