"""Scenarios as spreadsheets: a workbook template to fill, and its conversion back to YAML.

Training departments keep their programme in Excel. The workbook has one
sheet per list of the scenario (``gates``, ``roles``, ``participants``,
``resources``, ``sites``, ``instructors``, ``modules``, ``competencies``):
one row per item, one column per key (all the keys the format has, in its
order). A sheet ``scenario`` holds everything else, one key per row (name,
window, calendar, and the rarer sections such as ``missions`` or ``variants``).
A cell holds a plain value (text, number, date, TRUE/FALSE) or, for a list or
a mapping, YAML flow text such as ``[fire, depress]`` or
``{from: "06-01", to: "08-31"}``. An empty cell is a key left out.

:func:`read_workbook` turns a filled workbook into the scenario's plain data
and validates it like a YAML file; each problem names its sheet, row and
column. Comments of a YAML file do not travel through a workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from planner.exceptions import Problem, ScenarioError
from planner.scenario.load import format_path, to_plain, validate_plain
from planner.scenario.schema import (
    Competency,
    Gate,
    Instructor,
    Module,
    Participant,
    Resource,
    Role,
    Scenario,
    Site,
)

# The list sections that get a sheet each, with the model of one row.
SHEETS: dict[str, type[BaseModel]] = {
    "gates": Gate, "roles": Role, "participants": Participant, "resources": Resource, "sites": Site,
    "instructors": Instructor, "modules": Module, "competencies": Competency,
}
SCENARIO_SHEET = "scenario"
_EPOCH = dt.datetime(2000, 1, 1)  # the workbook's created/modified stamps: the same bytes every time


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 4096
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keys in the file's order
    return yaml


def flow(value: Any) -> str:
    """``value`` as one line of YAML flow text."""
    buf = io.StringIO()
    _yaml().dump(value, buf)
    text = buf.getvalue().strip()
    return text.removesuffix("\n...").strip()


def _cell(value: Any) -> Any:
    """What a cell holds for ``value``: plain scalars as they are, lists and mappings as flow text."""
    if isinstance(value, Mapping | list | tuple):
        return flow(value)
    if isinstance(value, str) and value.strip()[:1] == "=":
        return "'" + value.replace("'", "''") + "'"  # single-quoted YAML text: a spreadsheet would take a formula
    if isinstance(value, str) and value.strip()[:1] in ("[", "{", "'", '"'):
        return flow(value)  # quoted, so that it reads back as text, not as a list or mapping
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def _columns(model: type[BaseModel], items: list[dict[str, Any]]) -> list[str]:
    """Every key of the model, in its order, then any others the items have (reported as unknown)."""
    keys = list(model.model_fields)
    return keys + [k for item in items for k in item if k not in keys]


def write_workbook(plain: Mapping[str, Any] | None, path: Path) -> Path:
    """Write the workbook of a scenario's plain data (None: the headers only) to ``path``."""
    data = dict(plain or {})
    book = Workbook()
    top = book.active
    assert top is not None
    top.title = SCENARIO_SHEET
    top.append(["key", "value"])
    for key in Scenario.model_fields:
        if key in SHEETS:
            continue
        if key in data:
            top.append([key, _cell(data[key])])
        elif plain is None and key in ("name", "window", "calendar"):
            top.append([key, None])
    for key in data:
        if key not in SHEETS and key not in Scenario.model_fields:
            top.append([key, _cell(data[key])])
    for section, model in SHEETS.items():
        items = [dict(x) for x in data.get(section, [])]
        sheet = book.create_sheet(section)
        columns = _columns(model, items)
        sheet.append(columns)
        for item in items:
            sheet.append([_cell(item.get(k)) for k in columns])
        for k, name in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(k)].width = max(10, min(40, len(name) + 4))
    book.properties.created = book.properties.modified = _EPOCH
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _value(raw: Any) -> Any:
    """A cell's value as scenario data: flow text parsed, whole-day date-times as dates."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time(0) else raw
    if isinstance(raw, str):
        text = raw.strip()
        if text[:1] in ("[", "{"):
            return to_plain(_yaml().load(text))
        if text[:1] in ("'", '"'):  # a quoted text (written so by the template); typed by hand it may not be
            try:
                value = _yaml().load(text)
            except YAMLError:
                return text
            return value if isinstance(value, str) else text
        return text
    return raw


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _typed(section: str, key: str, value: Any) -> Any:
    """A text cell of a number or yes/no column as its number or boolean: Excel keeps a number typed in a
    text-formatted cell (or pasted from a CSV) as text, which the strict scenario format refuses."""
    if not isinstance(value, str):
        return value
    field = Scenario.model_fields.get(section)
    items = typing.get_args(field.annotation) if field is not None else ()
    model = items[0] if items and isinstance(items[0], type) and issubclass(items[0], BaseModel) else None
    inner = model.model_fields.get(key) if model is not None else None
    if inner is None:
        return value
    kinds = set(typing.get_args(inner.annotation)) or {inner.annotation}
    if str in kinds:
        return value
    if kinds & {int, float} and _NUMBER.fullmatch(value):
        number = float(value)
        return int(number) if int in kinds and number.is_integer() else number
    if bool in kinds and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def read_workbook(path: Path) -> tuple[dict[str, Any], Scenario]:
    """The scenario a filled workbook describes, validated; every problem located by sheet, row and column."""
    file = str(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ScenarioError([Problem(file, "", None, f"not a readable .xlsx workbook: {exc}")]) from None
    problems: list[Problem] = []
    plain: dict[str, Any] = {}
    where: dict[tuple[str | int, ...], str] = {}  # scenario path -> "sheet S, row R, column C"

    def parse(raw: Any, at: str) -> Any:
        try:
            return _value(raw)
        except YAMLError as exc:
            problems.append(Problem(file, at, None, f"not valid YAML flow text: {str(exc).splitlines()[0]}"))
            return None
        except ValueError as exc:  # a date or time the YAML reader cannot make (2022-02-30, 25:00)
            problems.append(Problem(file, at, None, f"not a valid value: {exc}"))
            return None

    if SCENARIO_SHEET not in book.sheetnames:
        problems.append(Problem(file, f"sheet {SCENARIO_SHEET}", None, "missing (name, window, calendar, ...)"))
    else:
        for r, row in enumerate(book[SCENARIO_SHEET].iter_rows(min_row=2, values_only=True), start=2):
            if not row or row[0] is None:
                continue
            key = str(row[0]).strip()
            at = f"sheet {SCENARIO_SHEET}, row {r}"
            where[(key,)] = at
            if len(row) > 1 and row[1] is not None:
                plain[key] = parse(row[1], at)
    for section in SHEETS:
        if section not in book.sheetnames:
            continue
        rows = list(book[section].iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        items: list[dict[str, Any]] = []
        for r, row in enumerate(rows[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue  # a blank line between items
            item: dict[str, Any] = {}
            for c, (key, raw) in enumerate(zip(header, row, strict=False), start=1):
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    continue
                at = f"sheet {section}, row {r}, column {get_column_letter(c)} ({key or 'no header'})"
                where[(section, len(items), key)] = at
                item[key] = _typed(section, key, parse(raw, at))
            where[(section, len(items))] = f"sheet {section}, row {r}"
            items.append(item)
        plain[section] = items
    if problems:
        raise ScenarioError(problems)
    return plain, validate_plain(plain, lambda loc, msg: _locate(file, loc, msg, where))


def _locate(file: str, loc: Sequence[str | int], msg: str, where: Mapping[tuple[str | int, ...], str]) -> Problem:
    for n in range(len(loc), 0, -1):
        if tuple(loc[:n]) in where:
            return Problem(file, f"{where[tuple(loc[:n])]}: {format_path(loc)}", None, msg)
    return Problem(file, format_path(loc), None, msg)


def dump_yaml(plain: Mapping[str, Any], path: Path, source: str) -> Path:
    """Write the scenario's plain data as a YAML file (block style, short lists inline)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.width = 110
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # the format's order, not A-Z
    order = [k for k in Scenario.model_fields if k in plain] + [k for k in plain if k not in Scenario.model_fields]
    buf = io.StringIO()
    yaml.dump(_plain_times({k: plain[k] for k in order}), buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Converted from {source} by 'planner import'.\n" + buf.getvalue(), encoding="utf-8")
    return path


def _plain_times(value: Any) -> Any:
    """Times as "HH:MM" text (YAML has no time type); everything else as it is."""
    if isinstance(value, Mapping):
        return {k: _plain_times(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_times(v) for v in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value
