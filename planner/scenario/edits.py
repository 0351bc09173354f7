"""What-if edits of a scenario document, addressed by YAML path.

A path is dotted keys; list items with an ``id`` are addressed by that id
(``resources.centrifuge.capacity``), other list items by position
(``gates.0.date``), so ``missions.ms20.blocks.block2.from`` is block
``block2`` of mission ``ms20``. Values are read as YAML scalars or flow collections
(``2``, ``2021-07-05``, ``[a, b]``). ``PATH+=VALUE`` appends to the list at
PATH instead (``calendar.extra_workdays+=[2021-08-07, 2021-08-14]`` appends
each date; ``instructors+={id: x, qualifications: [emergency]}`` adds an
item), creating the list when the key is missing. Edits work on the round-trip document so
that a saved copy keeps the file's comments, key order and layout.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from planner.exceptions import Problem, ScenarioError
from planner.scenario.merge import merge3

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


@dataclass(frozen=True)
class Written:
    """What one edit wrote: the concrete paths (for error messages) and the
    containers on the way to the changed value (to comment it)."""

    wheres: tuple[tuple[str | int, ...], ...]
    chain: tuple[tuple[Any, str | int], ...]  # (container, key) from the top down to the changed value
    appended: range = range(0)  # positions of the items an append added to the list at the chain's end


def _walk(doc: Any, parts: list[str], path: str, file: str) -> tuple[Any, list[tuple[Any, str | int]], int | None, Any]:
    """The container of ``parts[-1]``, the (container, key) chain to it, the
    depth of the first mapping the walk created (missing mapping keys on the way
    are created) and the :class:`_Tail` that creation moved, if any."""
    node = doc
    chain: list[tuple[Any, str | int]] = []
    created: int | None = None  # depth of the first mapping this edit creates: it wrote all below
    tail: _Tail | None = None
    for depth, part in enumerate(parts[:-1]):
        if isinstance(node, CommentedMap) and node.get(part) is None:  # missing, or 'load:' left empty
            if created is None:
                created, tail = depth, _Tail(node, None if part not in node else part)
            node[part] = CommentedMap()  # validation names a wrong key, with this edit
        try:
            key, child = _child(node, part)
        except KeyError:
            parent = ".".join(parts[:depth]) or "the top level"
            raise ScenarioError(
                [Problem(file, path, None, f"no {part!r} under {parent} (there: {_known(node)})")]
            ) from None
        chain.append((node, key))
        node = child
    return node, chain, created, tail


def _block(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and not node.fa.flow_style()


def _last_line(node: Any, key: Any = None) -> tuple[Any, Any, int] | None:
    """Where the comment after the last line of ``node[key]`` (of ``node``'s last
    entry when ``key`` is None) is kept: (container, key, position in its tokens)."""
    if key is None:
        if not isinstance(node, CommentedMap | CommentedSeq) or not len(node):
            return None
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    value = node[key]
    if _block(value) and len(value):
        return _last_line(value)
    return node, key, 2 if isinstance(node, CommentedMap) else 0


class _Tail:
    """Blank lines and comment lines after an entry introduce what follows it:
    taken from the last line of ``node[key]`` (``node``'s last entry when None)
    before an edit, put back after the new last line by :meth:`restore`."""

    def __init__(self, node: Any, key: Any = None) -> None:
        self.node, self.key, self.rest = node, key, ""
        where = _last_line(node, key)
        if where is None:
            return
        container, k, pos = where
        tokens = container.ca.items.get(k)
        token = tokens[pos] if tokens and len(tokens) > pos else None
        if token is not None:
            first, _, self.rest = token.value.partition("\n")
            if self.rest:
                token.value = first + "\n"

    def restore(self) -> None:
        where = _last_line(self.node, self.key)
        if not self.rest or where is None:
            return
        container, k, pos = where
        tokens = container.ca.items.setdefault(k, [None, None, None, None])
        token = tokens[pos]
        if token is None:
            tokens[pos] = CommentToken("\n" + self.rest, CommentMark(0))
        else:
            token.value = token.value.removesuffix("\n") + "\n" + self.rest


def _parts(path: str, file: str) -> list[str]:
    parts = path.split(".")
    if not path.strip():
        raise ScenarioError([Problem(file, path, None, "empty edit path")])
    if not all(p.strip() for p in parts):
        # 'window..start' or 'window.start.' is a slip, not a short way to write 'window.start'.
        raise ScenarioError([Problem(file, path, None, "empty part in the edit path (two dots, or a dot at an end)")])
    return parts


def write_path(doc: Any, path: str, value: Any, file: str) -> Written:
    """Set ``path`` in ``doc`` to ``value`` (see :func:`set_path`)."""
    parts = _parts(path, file)
    node, chain, created, tail = _walk(doc, parts, path, file)
    where = [k for _, k in chain]
    last = parts[-1]
    if isinstance(node, CommentedMap):
        tail = tail or _Tail(node, last if last in node else None)
        node[last] = value
        tail.restore()
        top = tuple(where[: created + 1]) if created is not None else (*where, last)
        return Written((top,), (*chain, (node, last)))
    if isinstance(node, CommentedSeq):
        try:
            key, _ = _child(node, last)
        except KeyError:
            raise ScenarioError(
                [Problem(file, path, None, f"no item {last!r} (there: {_known(node)})")]
            ) from None
        tail = _Tail(node, key)
        node[key] = value
        tail.restore()
        return Written(((*where, key),), (*chain, (node, key)))
    raise ScenarioError(
        [Problem(file, path, None, f"{'.'.join(parts[:-1])} is a value, not a mapping")]
    )


def set_path(doc: Any, path: str, value: Any, file: str) -> tuple[str | int, ...]:
    """Set ``path`` in ``doc`` to ``value``; return the concrete path written
    (list items by position). Missing mapping keys on the way are created
    (``participants.ann.load.max_hours_per_day=6`` where ann has no ``load:``);
    list items are never created: an unknown id is an error (append them with
    :func:`append_path`)."""
    return write_path(doc, path, value, file).wheres[0]


def _describe(value: Any) -> str:
    if isinstance(value, CommentedMap):
        return "a mapping"
    text = str(value)
    return f"the value {text if len(text) <= 40 else text[:37] + '...'}"


def append_path(doc: Any, path: str, value: Any, file: str) -> Written:
    """Append ``value`` to the list at ``path`` (each item of a list value);
    a missing or empty mapping key gets a new list (a flow list ``[a, b]`` when
    it holds only scalars). Anything else at ``path`` is an error."""
    parts = _parts(path, file)
    node, chain, created, tail = _walk(doc, parts, path, file)
    where = [k for _, k in chain]
    last = parts[-1]
    items = list(value) if isinstance(value, list) else [value]
    key: str | int
    if isinstance(node, CommentedMap):
        key = last
    elif isinstance(node, CommentedSeq):
        try:
            key, _ = _child(node, last)
        except KeyError:
            raise ScenarioError(
                [Problem(file, path, None, f"no item {last!r} (there: {_known(node)})")]
            ) from None
    else:
        raise ScenarioError(
            [Problem(file, path, None, f"{'.'.join(parts[:-1])} is a value, not a mapping")]
        )
    new = isinstance(node, CommentedMap) and node.get(key) is None
    if not new and not isinstance(node[key], CommentedSeq):
        raise ScenarioError([Problem(
            file, path, None,
            f"cannot append: this holds {_describe(node[key])}, not a list (PATH=VALUE replaces it)",
        )])
    tail = tail or _Tail(node, None if new and key not in node else key)
    if new:
        seq = CommentedSeq()
        if not any(isinstance(i, dict | list) for i in items):
            seq.fa.set_flow_style()
        node[key] = seq
    seq = node[key]
    start = len(seq)
    seq.extend(items)
    tail.restore()
    at = (*where, key)
    if created is not None:
        wheres: tuple[tuple[str | int, ...], ...] = (tuple(where[: created + 1]),)
    elif new:
        wheres = (at,)
    else:
        wheres = tuple((*at, i) for i in range(start, len(seq)))
    return Written(wheres, (*chain, (node, key)), range(start, len(seq)))


def split_edit(edit: str, file: str) -> tuple[str, bool, str]:
    """``PATH=VALUE`` or ``PATH+=VALUE`` as (path, append, raw value). The edit
    splits at its first '=' (a value may contain '='); a path ending in '+'
    is the append form."""
    if "=" not in edit:
        raise ScenarioError([Problem(
            file, edit, None,
            "an edit must read PATH=VALUE or PATH+=VALUE, e.g. resources.centrifuge.capacity=2",
        )])
    path, _, raw = edit.partition("=")
    path = path.strip()
    append = path.endswith("+")
    return path.removesuffix("+").strip(), append, raw.strip()


def _no_window_with_missions(doc: Any, path: str, file: str) -> None:
    """With ``missions:`` there is no top-level window to edit: the edit would
    create one, which the schema then rejects without saying what to edit instead."""
    missions = doc.get("missions") if isinstance(doc, CommentedMap) else None
    if path.split(".")[0] != "window" or not missions:
        return
    ids = ", ".join(str(m.get("id")) for m in missions if isinstance(m, CommentedMap))
    raise ScenarioError([Problem(
        file, path, None,
        f"this scenario has missions ({ids}), each with its own window: edit missions.ID.start "
        "or a training block's missions.ID.blocks.BID.from / .to (and missions.ID.launch)",
    )])


def apply_edit(doc: Any, edit: str, file: str) -> Written:
    """Apply one ``PATH=VALUE`` or ``PATH+=VALUE`` edit to ``doc`` in place."""
    path, append, raw = split_edit(edit, file)
    _no_window_with_missions(doc, path, file)
    value = _parse_value(raw)
    return append_path(doc, path, value, file) if append else write_path(doc, path, value, file)


def apply_edits(doc: Any, edits: Sequence[str], file: str, edited: list[Edited] | None = None) -> Any:
    """A copy of ``doc`` with each ``PATH=VALUE`` (set) or ``PATH+=VALUE``
    (append to a list) edit applied in order (``edited`` collects where each
    one wrote)."""
    doc = copy.deepcopy(doc)
    for edit in edits:
        written = apply_edit(doc, edit, file)
        if edited is not None:
            edited.extend((where, f"--set {edit}") for where in written.wheres)
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
    edited = _dump(doc)
    try:
        text = source.read_text(encoding="utf-8")
        base = _dump(YAML(typ="rt").load(io.StringIO(text)))
    except (OSError, YAMLError, ValueError):
        text = base = edited  # no readable source: the writer's text as it is
    merged = merge3(base, text, edited)
    if merged != edited and not _same_data(merged, edited):
        # The source indents differently from the writer, and an edited line taken from the writer
        # does not fit the source's lines around it: the writer's whole text is the safe copy.
        merged = edited
    target.parent.mkdir(parents=True, exist_ok=True)
    try:  # the source's line ends (a file from Windows keeps CRLF)
        crlf = b"\r\n" in source.read_bytes()
    except OSError:
        crlf = False
    target.write_text(merged, encoding="utf-8", newline="\r\n" if crlf else "\n")


def _same_data(a: str, b: str) -> bool:
    """Whether two YAML texts hold the same data (False when one does not parse)."""
    try:
        return bool(YAML(typ="safe", pure=True).load(a) == YAML(typ="safe", pure=True).load(b))
    except (YAMLError, ValueError):
        return False


def _dump(doc: Any) -> str:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # The bundled scenarios indent list items by two under their key and keep
    # long flow lists on one line; a wide line limit stops ruamel from
    # re-wrapping them. Lines the edits leave alone are taken from the source
    # anyway (merge3), which keeps what the writer cannot print back.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()
