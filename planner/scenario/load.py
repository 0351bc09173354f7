"""Read a scenario YAML file into a validated :class:`Scenario`.

The file is read with ruamel's round-trip loader so that every problem can be
reported with its line number; pydantic then validates the plain data and
:mod:`planner.scenario.checks` checks the cross-references.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from planner.exceptions import Problem, ScenarioError
from planner.scenario.checks import check_scenario
from planner.scenario.schema import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from."""

    scenario: Scenario
    path: Path
    sha256: str
    variant: str | None = None
    edits: tuple[str, ...] = ()


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
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(
            [Problem(str(path), "", line, f"not valid YAML: {exc.problem}")]
        ) from None
    if not isinstance(doc, CommentedMap):
        raise ScenarioError([Problem(str(path), "", 1, "the top level must be a mapping")])
    return doc, text


def to_plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts, lists and scalars."""
    if isinstance(node, Mapping):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [to_plain(v) for v in node]
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
        if isinstance(node, CommentedMap) and part in node:
            pos = node.lc.key(part)
            line = pos[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            pos = node.lc.item(part)
            line = pos[0] + 1
            node = node[part]
        else:
            break
    return line


def _clean_loc(loc: Sequence[str | int]) -> list[str | int]:
    # pydantic inserts union-branch names ("str", "AnyOf", "function-after[...]")
    # into locations; they are not YAML keys.
    return [p for p in loc if isinstance(p, int) or (not any(c in p for c in "[]() ") and p not in {"AnyOf", "str"})]


def validate_document(plain: Any, doc: Any, file: str) -> Scenario:
    """Validate plain data; raise :class:`ScenarioError` with located problems."""
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        problems = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (not part of the scenario format)"
            key = (format_path(loc), msg)
            if key in seen:
                continue
            seen.add(key)
            problems.append(Problem(file, format_path(loc), line_of(doc, loc), msg))
        raise ScenarioError(problems) from None
    problems = [
        Problem(file, format_path(loc), line_of(doc, loc), msg)
        for loc, msg in check_scenario(scenario)
    ]
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(
    path: str | Path,
    variant: str | None = None,
    edits: Sequence[str] = (),
) -> LoadedScenario:
    """Load, apply a named variant and ``PATH=VALUE`` edits, and validate.

    The file itself is never written.
    """
    from planner.scenario.edits import apply_edits, apply_variant

    path = Path(path)
    doc, text = read_document(path)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    file = str(path)
    if variant is not None:
        doc = apply_variant(doc, variant, file)
    if edits:
        doc = apply_edits(doc, edits, file)
    scenario = validate_document(to_plain(doc), doc, file)
    return LoadedScenario(scenario, path, sha, variant, tuple(edits))
