"""Read a scenario YAML file into a validated :class:`Scenario`.

The file is read with ruamel's round-trip loader so that every problem can be
reported with its line number; pydantic then validates the plain data and
:mod:`planner.scenario.checks` checks the cross-references.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from planner.exceptions import Problem, ScenarioError
from planner.scenario.checks import check_scenario, scenario_warnings
from planner.scenario.edits import Edited, apply_edits, apply_variant
from planner.scenario.schema import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from."""

    scenario: Scenario
    path: Path
    sha256: str
    variant: str | None = None
    edits: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()  # valid but suspicious: dates with no effect


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    return yaml


def read_document(path: Path) -> tuple[Any, str]:
    """Parse ``path`` as round-trip YAML; return the document and its text."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(str(path), "", None, f"cannot read file: {exc}")]) from None
    except UnicodeDecodeError as exc:
        # Its line (a name typed in Latin-1 or cp1251): the lines before the first byte that is not UTF-8.
        raw = path.read_bytes()
        at = raw[:exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(str(path), "", at, f"cannot read file: it is not UTF-8 text (byte "
                                     f"0x{raw[exc.start]:02x}; save the file as UTF-8)")]) from None
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        context = f" ({exc.context}, from line {exc.context_mark.line + 1})" if exc.context and exc.context_mark else ""
        raise ScenarioError(
            [Problem(str(path), "", line, f"not valid YAML: {exc.problem}{context}")]
        ) from None
    except ValueError as exc:
        # ruamel builds unquoted dates itself and fails on 2021-02-30 with no position.
        line, token = _bad_date(text)
        what = f"invalid date {token} ({exc})" if token else str(exc)
        raise ScenarioError([Problem(str(path), "", line, f"not valid YAML: {what}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(str(path), "", None, "not valid YAML: nested too deeply")]) from None
    if not isinstance(doc, CommentedMap):
        raise ScenarioError([Problem(str(path), "", 1, "the top level must be a mapping")])
    return doc, text


def _bad_date(text: str) -> tuple[int | None, str]:
    """Line and text of the first date-like token that is not a real date."""
    for n, line in enumerate(text.splitlines(), start=1):
        for token in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line.split("#")[0]):
            try:
                dt.date(*map(int, token.split("-")))
            except ValueError:
                return n, token
    return None, ""


MAX_VALUES = 200_000  # a scenario has a few thousand values; YAML aliases can expand without bound


def to_plain(node: Any, _count: list[int] | None = None) -> Any:
    """Turn ruamel's commented containers into plain dicts, lists and scalars.

    Raises :class:`ValueError` past :data:`MAX_VALUES` values, so that aliases
    of aliases ("billion laughs") cannot exhaust memory.
    """
    count = [0] if _count is None else _count
    count[0] += 1
    if count[0] > MAX_VALUES:
        raise ValueError(f"the document expands to more than {MAX_VALUES} values (aliases?)")
    if isinstance(node, Mapping):
        return {str(k): to_plain(v, count) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [to_plain(v, count) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        # ruamel's TimeStamp: a bare date written with a time of midnight
        plain = dt.datetime(*node.timetuple()[:6])
        return plain.date() if plain.time() == dt.time(0) else plain
    if isinstance(node, str):
        return str(node)
    return node


def plain_document(doc: Any, file: str) -> Any:
    """:func:`to_plain`, with an oversized document reported as a scenario problem."""
    try:
        return to_plain(doc)
    except (ValueError, RecursionError) as exc:
        raise ScenarioError([Problem(file, "", None, f"not a usable scenario: {exc or 'nested too deeply'}")]) from None


def format_path(loc: Sequence[str | int]) -> str:
    """``("modules", 3, "hours")`` → ``modules[3].hours``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_of(doc: Any, loc: Iterable[str | int]) -> int | None:
    """The 1-based line of the deepest node of ``loc`` found in ``doc``."""
    node = doc
    line: int | None = 1
    for part in loc:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break  # no position: a key added by an edit, or inherited through a merge key
    return line


def _clean_loc(loc: Sequence[str | int]) -> list[str | int]:
    # pydantic inserts union-branch names ("str", "AnyOf", "function-after[...]")
    # into locations; they are not YAML keys.
    return [p for p in loc if isinstance(p, int) or (not any(c in p for c in "[]() ")
                                                      and p not in {"AnyOf", "str", "constrained-str"})]


def _locate(doc: Any, loc: Sequence[str | int], file: str, msg: str, edited: Sequence[Edited]) -> Problem:
    """A problem at ``loc``: at its line in the file, or named after the edit that set it."""
    # The last edit that wrote at or above loc set its value (later edits win);
    # one that wrote below it (window.start, for a window error) contributed to it.
    for where, label in reversed(edited):
        if tuple(loc[: len(where)]) == tuple(where):
            return Problem(file, format_path(loc), None, f"{msg} (set by {label})")
    below = [label for where, label in edited if tuple(where[: len(loc)]) == tuple(loc)]
    after = f" (after {', '.join(below)})" if below else ""
    return Problem(file, format_path(loc), line_of(doc, loc), msg + after)


def validate_plain(plain: Any, locate: Callable[[Sequence[str | int], str], Problem]) -> Scenario:
    """Validate plain scenario data; raise :class:`ScenarioError` with each problem placed by
    ``locate(yaml_path, message)`` (a YAML line, or a spreadsheet's sheet, row and column)."""
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        problems = []
        seen: set[tuple[str, str]] = set()
        errors = exc.errors()
        # pydantic also counts a list's items that failed as missing ("at least 1 item"): only their own
        # errors say what is wrong.
        inner = [tuple(e["loc"]) for e in errors]
        for err in errors:
            if err["type"] == "too_short" and any(len(o) > len(err["loc"]) and o[:len(err["loc"])] == tuple(err["loc"])
                                                  for o in inner):
                continue
            loc = _clean_loc(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if msg.startswith("@"):  # a check of a whole mapping naming the key it is about
                path, msg = msg[1:].split(": ", 1)
                loc = [*loc, *path.split(".")]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (not part of the scenario format)"
            msg = _plain_words(err, msg)
            key = (format_path(loc), msg)
            if key in seen:
                continue
            seen.add(key)
            problems.append(locate(loc, msg))
        raise ScenarioError(problems) from None
    problems = [locate(loc, msg) for loc, msg in check_scenario(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def validate_document(plain: Any, doc: Any, file: str, edited: Sequence[Edited] = ()) -> Scenario:
    """Validate plain data; raise :class:`ScenarioError` with located problems.

    ``edited``: paths written by ``--set`` edits or a variant, whose problems
    name the edit instead of a line of the file.
    """
    return validate_plain(plain, lambda loc, msg: _locate(doc, loc, file, msg, edited))


def load_document(
    path: str | Path,
    variant: str | None = None,
    edits: Sequence[str] = (),
) -> tuple[Any, LoadedScenario]:
    """The round-trip document of ``path`` with a named variant and ``PATH=VALUE``
    edits applied (for saving), and its validated scenario. The file itself is
    never written; a problem an edit caused names that edit.
    """
    path = Path(path)
    doc, text = read_document(path)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    file = str(path)
    edited: list[Edited] = []
    if variant is not None:
        doc = apply_variant(doc, variant, file, edited)
    if edits:
        doc = apply_edits(doc, edits, file, edited)
    scenario = validate_document(plain_document(doc, file), doc, file, edited)
    warnings = tuple(_locate(doc, loc, file, msg, edited) for loc, msg in scenario_warnings(scenario))
    return doc, LoadedScenario(scenario, path, sha, variant, tuple(edits), warnings)


def load_scenario(
    path: str | Path,
    variant: str | None = None,
    edits: Sequence[str] = (),
) -> LoadedScenario:
    """Load, apply a named variant and ``PATH=VALUE`` edits, and validate."""
    return load_document(path, variant, edits)[1]


def _plain_words(err: Any, msg: str) -> str:
    """pydantic's wording of an id or a list error in the scenario's own terms."""
    kind, value = err["type"], err.get("input")
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        odd = next((c for c in value if not (c.isascii() and (c.isalnum() or c in "_.-"))), None)
        what = f" ({odd!r} is U+{ord(odd):04X})" if odd is not None and not odd.isascii() else (
            f" ({odd!r} is not allowed)" if odd is not None else "")
        return (f"{value!r} is not an id: ids are ASCII letters, digits, '_', '.' and '-', starting with a "
                f"letter{what}")
    if kind in ("tuple_type", "list_type"):
        return f"expected a list (e.g. [a, b]), not {type(value).__name__ if value is not None else 'nothing'}"
    return msg
