"""Bounds on the makespan: resource-free earliest starts and latest finishes
(the critical-path bound) and the published reference bounds of a set."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from planner.bench.instance import SM_SETS, RcpspInstance, default_horizon, makespan_of, set_folder


def earliest_starts(inst: RcpspInstance) -> list[int] | None:
    """Resource-free earliest starts from time 0; None on a positive cycle
    (the time lags alone are contradictory: the instance is infeasible)."""
    es = [0] * inst.n
    arcs = list(inst.arcs())
    for _ in range(inst.n + 1):
        changed = False
        for i, j, lag in arcs:
            if es[i] + lag > es[j]:
                es[j] = es[i] + lag
                changed = True
        if not changed:
            return es
    return None


def cpm_lower_bound(inst: RcpspInstance) -> int | None:
    """Critical-path (resource-free) lower bound on the makespan; None if the
    time lags are contradictory."""
    es = earliest_starts(inst)
    if es is None:
        return None
    return makespan_of(inst, es)



def _latest_finish(inst: RcpspInstance, horizon: int) -> list[int]:
    """Latest finish times (resource-free) for a project ending by ``horizon``."""
    ls = [horizon - d for d in inst.durations]
    arcs = list(inst.arcs())
    for _ in range(inst.n + 1):
        changed = False
        for i, j, lag in arcs:
            if ls[j] - lag < ls[i]:
                ls[i] = ls[j] - lag
                changed = True
        if not changed:
            break
    return [s + d for s, d in zip(ls, inst.durations, strict=True)]


def latest_finish(inst: RcpspInstance) -> list[int]:
    """Latest finish times (resource-free) against :func:`default_horizon`."""
    return _latest_finish(inst, default_horizon(inst))



@dataclass(frozen=True)
class Reference:
    """Published bounds of an instance; ``infeasible`` when it is known to have no schedule."""

    best_ub: int | None = None
    best_lb: int | None = None
    closed: bool = False
    infeasible: bool = False


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def path_references(root: Path, path: Path) -> dict[str, Reference]:
    """Bounds of the user's own instances (:func:`planner.bench.instance.suite_path`) by lower-case file
    name: the folder's own ``optimum/optimum.csv`` (RCPSP/max style) where there is one, else the j-sets'
    published bounds of ``root`` for ``.sm`` files of those names (their names are unique across j-sets;
    RCPSP/max names repeat across sub-sets, so they are never guessed)."""
    folder = path if path.is_dir() else path.parent
    own = folder / "optimum" / "optimum.csv"
    if own.is_file():
        return _optimum(own)
    out: dict[str, Reference] = {}
    if root.is_dir():
        for name in SM_SETS:
            out.update(load_references(root, name))
    return out


def load_references(root: Path, set_name: str) -> dict[str, Reference]:
    """Bounds by lower-case file name: ``solutions/reference_bounds.csv`` for
    j-sets, ``optimum/optimum.csv`` (int, ``lb..ub``, ``..ub`` or ``unsat``)
    for RCPSP/max; empty when the file is missing."""
    out: dict[str, Reference] = {}
    if set_name in SM_SETS:
        path = root / "solutions" / "reference_bounds.csv"
        if not path.is_file():
            return out
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                if row["set"] == set_name:
                    out[row["instance"].lower()] = Reference(
                        _int(row["best_ub"]), _int(row["best_lb"]), row["closed"].strip() == "1"
                    )
        return out
    path = set_folder(root, set_name) / "optimum" / "optimum.csv"
    return _optimum(path) if path.is_file() else out


def _optimum(path: Path) -> dict[str, Reference]:
    """An RCPSP/max ``optimum.csv``: an optimum, ``lb..ub``, ``..ub`` or ``unsat`` per problem."""
    out: dict[str, Reference] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            value = row["optimum"].strip()
            key = row["problem"].strip().lower()
            if value == "unsat":
                out[key] = Reference(closed=True, infeasible=True)
            elif ".." in value:
                lo, hi = (_int(x) for x in value.split("..", 1))
                out[key] = Reference(hi, lo, lo is not None and lo == hi)
            else:
                out[key] = Reference(int(value), int(value), True)
    return out

