"""What-if edits of a scenario document, addressed by YAML path.

A path is dotted keys; list items with an ``id`` are addressed by that id
(``resources.centrifuge.capacity``), other list items by position
(``gates.0.date``). Values are read as YAML scalars or flow collections
(``2``, ``2021-07-05``, ``[a, b]``). Edits work on the round-trip document so
that a saved copy keeps the file's comments, key order and layout.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from planner.exceptions import Problem, ScenarioError

Edited = tuple[tuple[str | int, ...], str]
"""Where an edit or variant wrote (concrete YAML path) and how to name it."""


def _parse_value(text: str) -> Any:
    try:
        return YAML(typ="rt").load(io.StringIO(text))
    except (YAMLError, ValueError):
        return text  # e.g. 2021-02-30: validation then says what is wrong with it


def _child(node: Any, key: str) -> tuple[Any, Any]:
    """Return ``(container_key, child)`` of ``key`` in ``node`` or raise KeyError."""
    if isinstance(node, CommentedMap):
        if key in node:
            return key, node[key]
        raise KeyError(key)
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            if isinstance(item, CommentedMap) and str(item.get("id")) == key:
                return i, item
        if key.isdigit() and int(key) < len(node):
            return int(key), node[int(key)]
        raise KeyError(key)
    raise KeyError(key)


def _known(node: Any) -> str:
    if isinstance(node, CommentedMap):
        return ", ".join(str(k) for k in node)
    if isinstance(node, CommentedSeq):
        ids = [str(i.get("id")) for i in node if isinstance(i, CommentedMap) and "id" in i]
        return ", ".join(ids) if ids else f"0..{len(node) - 1}"
    return "none (not a mapping or list)"


def set_path(doc: Any, path: str, value: Any, file: str) -> tuple[str | int, ...]:
    """Set ``path`` in ``doc`` to ``value``; return the concrete path written
    (list items by position). Missing mapping keys on the way are created
    (``participants.ann.load.max_hours_per_day=6`` where ann has no ``load:``);
    list items are never created: an unknown id is an error."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        raise ScenarioError([Problem(file, path, None, "empty edit path")])
    node = doc
    where: list[str | int] = []
    created: int | None = None  # depth of the first mapping this edit creates: it wrote all below
    for depth, part in enumerate(parts[:-1]):
        if isinstance(node, CommentedMap) and node.get(part) is None:  # missing, or 'load:' left empty
            node[part] = CommentedMap()  # validation names a wrong key, with this edit
            created = depth if created is None else created
        try:
            key, node = _child(node, part)
            where.append(key)
        except KeyError:
            parent = ".".join(parts[:depth]) or "the top level"
            raise ScenarioError(
                [Problem(file, path, None, f"no {part!r} under {parent} (there: {_known(node)})")]
            ) from None
    last = parts[-1]
    if isinstance(node, CommentedMap):
        node[last] = value
        return tuple(where[: created + 1]) if created is not None else (*where, last)
    if isinstance(node, CommentedSeq):
        try:
            key, _ = _child(node, last)
        except KeyError:
            raise ScenarioError(
                [Problem(file, path, None, f"no item {last!r} (there: {_known(node)})")]
            ) from None
        node[key] = value
        return (*where, key)
    raise ScenarioError(
        [Problem(file, path, None, f"{'.'.join(parts[:-1])} is a value, not a mapping")]
    )


def apply_edits(doc: Any, edits: Sequence[str], file: str, edited: list[Edited] | None = None) -> Any:
    """A copy of ``doc`` with each ``PATH=VALUE`` edit applied in order
    (``edited`` collects where each one wrote)."""
    doc = copy.deepcopy(doc)
    for edit in edits:
        if "=" not in edit:
            raise ScenarioError(
                [Problem(file, edit, None, "an edit must read PATH=VALUE, e.g. resources.centrifuge.capacity=2")]
            )
        path, _, raw = edit.partition("=")
        where = set_path(doc, path.strip(), _parse_value(raw.strip()), file)
        if edited is not None:
            edited.append((where, f"--set {edit}"))
    return doc


def apply_variant(doc: Any, name: str, file: str, edited: list[Edited] | None = None) -> Any:
    """A copy of ``doc`` with the overrides of variant ``name`` applied."""
    variants = doc.get("variants")
    if variants is None or variants == {}:
        variants = CommentedMap()
    if not isinstance(variants, CommentedMap):
        raise ScenarioError([Problem(file, "variants", None, "variants must map NAME: {PATH: VALUE, ...}")])
    if name not in variants:
        known = ", ".join(str(k) for k in variants) or "none defined"
        raise ScenarioError([Problem(file, "variants", None, f"unknown variant {name!r} (known: {known})")])
    doc = copy.deepcopy(doc)
    overrides = doc["variants"][name]
    if not isinstance(overrides, CommentedMap):
        raise ScenarioError([Problem(file, f"variants.{name}", None, "a variant must map PATH: VALUE")])
    for path, value in overrides.items():
        where = set_path(doc, str(path), copy.deepcopy(value), file)
        if edited is not None:
            edited.append((where, f"variant {name}: {path}"))
    return doc


def save_document(doc: Any, target: Path, source: Path) -> None:
    """Write ``doc`` to ``target`` (round-trip YAML); refuse to overwrite ``source``."""
    if target.resolve() == source.resolve():
        raise ScenarioError(
            [Problem(str(target), "", None, "refusing to overwrite the input scenario; choose another file")]
        )
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # The bundled scenarios indent list items by two under their key and keep
    # long flow lists on one line; a wide line limit stops ruamel from
    # re-wrapping them, so an unedited document saves byte-identically.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    buf = io.StringIO()
    yaml.dump(doc, buf)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buf.getvalue(), encoding="utf-8")
