"""PSPLIB on the planner's own engine: RCPSP (``.sm``) and RCPSP/max (``.sch``).

An instance is parsed into a small :class:`RcpspInstance` (activity numbers as
in the file, all precedences stored as start-to-start lags), turned into
:class:`ProblemData` (one "day" as long as the horizon, one mandatory session
per activity, objective ``makespan``) and solved by :func:`planner.solve.run.solve`,
i.e. by exactly the model the training planner uses. Every schedule is checked
twice: by the planner's verifier on the ProblemData and by :func:`check_rcpsp`
straight from the parsed file, so a bug in ``to_problem`` cannot hide itself.
A serial schedule generation scheme (:func:`serial_sgs`) gives the baseline.
"""

from __future__ import annotations

import csv
import math
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from planner.data.problem import Job, Precedence, ProblemData, ResourceData
from planner.data.result import PhaseInfo, Result, Schedule, ScheduledSession, SolveStatus
from planner.solve.run import SolveParams, first_answer, solve

if TYPE_CHECKING:
    from planner.bench.ga import ActivityListGA

Kind = Literal["rcpsp", "rcpsp_max"]
SM_SETS = ("j30", "j60", "j90", "j120")
MAX_DIR = "rcpsp-max"
COLUMNS = (
    "instance", "n_jobs", "status", "makespan", "seconds", "best_known", "best_lb", "closed",
    "lower_bound", "gap_pct", "cpm_lb", "cpm_dev_pct", "verified", "rcpsp_check", "planner_verify",
    "verify_errors", "sgs_status", "sgs_makespan", "sgs_gap_pct", "sgs_cpm_dev_pct", "reference", "proof",
)  # fmt: skip


class BenchInputError(ValueError):
    """Bad benchmark input: unknown set, missing folder or unreadable file."""


@dataclass(frozen=True)
class RcpspInstance:
    """One RCPSP(/max) instance, indexed ``0..n-1`` in file order.

    ``activities`` are the numbers used in the file (``.sm``: 1 = source;
    ``.sch``: 0 = source). ``successors[i]`` holds ``(j, lag)`` meaning
    ``start[j] >= start[i] + lag``; for plain RCPSP the lag is ``durations[i]``
    (finish-to-start), for RCPSP/max it is the file's lag (negative = maximum
    time lag). ``horizon`` is the file's horizon (0 when it has none).
    """

    name: str
    kind: Kind
    activities: tuple[int, ...]
    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]
    capacities: tuple[int, ...]
    successors: tuple[tuple[tuple[int, int], ...], ...]
    horizon: int = 0

    @property
    def n(self) -> int:
        """Number of activities, source and sink included."""
        return len(self.durations)

    def arcs(self) -> Iterator[tuple[int, int, int]]:
        """Every ``(i, j, lag)``."""
        for i, succ in enumerate(self.successors):
            for j, lag in succ:
                yield i, j, lag

    def predecessors(self) -> list[list[tuple[int, int]]]:
        """For each activity, its ``(i, lag)`` in-arcs."""
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for i, j, lag in self.arcs():
            out[j].append((i, lag))
        return out


# -- parsing -------------------------------------------------------------------


def _rows(lines: list[str], title: str) -> list[list[str]]:
    """Rows of a ``.sm`` section: lines starting with a number, up to the next ``***``."""
    try:
        k = next(i for i, ln in enumerate(lines) if ln.strip().startswith(title))
    except StopIteration:
        raise BenchInputError(f"section {title!r} not found") from None
    out = []
    for ln in lines[k + 1 :]:
        if ln.startswith("*"):
            break
        tok = ln.split()
        if tok and tok[0].isdigit():
            out.append(tok)
    return out


def _field(text: str, label: str) -> int:
    match = re.search(rf"^\s*{re.escape(label)}[^:\n]*:\s*(\d+)", text, re.MULTILINE)
    if match is None:
        raise BenchInputError(f"field {label!r} not found")
    return int(match.group(1))


def parse_sm(path: Path) -> RcpspInstance:
    """Parse a PSPLIB single-mode ``.sm`` file (renewable resources only)."""
    text = path.read_text(encoding="latin-1")
    lines = text.splitlines()
    n = _field(text, "jobs (incl. supersource/sink")
    renewable = _field(text, "- renewable")
    prec = _rows(lines, "PRECEDENCE RELATIONS:")
    req = _rows(lines, "REQUESTS/DURATIONS:")
    caps = _rows(lines, "RESOURCEAVAILABILITIES:")
    if len(prec) != n or len(req) != n or not caps:
        raise BenchInputError(f"{path.name}: expected {n} jobs, got {len(prec)} / {len(req)} rows")
    numbers = tuple(int(r[0]) for r in req)
    index = {a: i for i, a in enumerate(numbers)}
    durations = tuple(int(r[2]) for r in req)
    if any(len(r) != 3 + renewable for r in req) or len(caps[0]) != renewable:
        raise BenchInputError(f"{path.name}: a request or capacity row does not list {renewable} resources")
    demands = tuple(tuple(int(x) for x in r[3 : 3 + renewable]) for r in req)
    succ: list[tuple[tuple[int, int], ...]] = [()] * n
    for r in prec:
        i = index[int(r[0])]
        count = int(r[2])
        if len(r) != 3 + count:  # a cut row would silently drop precedences
            raise BenchInputError(f"{path.name}: activity {r[0]} announces {count} successors and lists {len(r) - 3}")
        succ[i] = tuple((index[int(s)], durations[i]) for s in r[3 : 3 + count])
    return RcpspInstance(
        name=path.stem,
        kind="rcpsp",
        activities=numbers,
        durations=durations,
        demands=demands,
        capacities=tuple(int(x) for x in caps[0][:renewable]),
        successors=tuple(succ),
        horizon=_field(text, "horizon"),
    )


def parse_sch(path: Path) -> RcpspInstance:
    """Parse a ProGen/max RCPSP/max ``.sch`` file (single mode).

    Layout: ``n K 0 0``; per activity ``act mode #succ succ... [lag]...``;
    per activity ``act mode duration demand...``; the K capacities.
    """
    rows = [ln.split() for ln in path.read_text(encoding="latin-1").splitlines() if ln.strip()]
    n_real, k = int(rows[0][0]), int(rows[0][1])
    n = n_real + 2
    if len(rows) < 2 * n + 2:
        raise BenchInputError(f"{path.name}: truncated RCPSP/max file")
    prec, req, caps = rows[1 : 1 + n], rows[1 + n : 1 + 2 * n], rows[1 + 2 * n]
    numbers = tuple(int(r[0]) for r in req)
    index = {a: i for i, a in enumerate(numbers)}
    succ: list[tuple[tuple[int, int], ...]] = [()] * n
    for r in prec:
        count = int(r[2])
        if len(r) != 3 + 2 * count:
            raise BenchInputError(f"{path.name}: activity {r[0]} announces {count} successors with lags, "
                                  f"its row has {len(r) - 3} values")
        targets = r[3 : 3 + count]
        lags = r[3 + count : 3 + 2 * count]
        succ[index[int(r[0])]] = tuple(
            (index[int(t)], int(lag.strip("[]"))) for t, lag in zip(targets, lags, strict=True)
        )
    return RcpspInstance(
        name=path.stem,
        kind="rcpsp_max",
        activities=numbers,
        durations=tuple(int(r[2]) for r in req),
        demands=tuple(tuple(int(x) for x in r[3 : 3 + k]) for r in req),
        capacities=tuple(int(x) for x in caps[:k]),
        successors=tuple(succ),
    )


def check_instance(inst: RcpspInstance, name: str) -> RcpspInstance:
    """``inst`` if it is a well-formed instance, else :class:`BenchInputError` naming ``name``."""
    k = len(inst.capacities)
    if len(set(inst.activities)) != inst.n:
        raise BenchInputError(f"{name}: activity numbers repeat")
    if any(d < 0 for d in inst.durations) or any(c < 0 for c in inst.capacities):
        raise BenchInputError(f"{name}: negative duration or capacity")
    if any(len(row) != k or min(row, default=0) < 0 for row in inst.demands):
        raise BenchInputError(f"{name}: every activity needs {k} non-negative demands")
    if inst.kind == "rcpsp":
        # Plain RCPSP precedences must form a DAG (RCPSP/max may have cycles of lags).
        indeg = [0] * inst.n
        for _i, j, _lag in inst.arcs():
            indeg[j] += 1
        ready = [a for a in range(inst.n) if indeg[a] == 0]
        seen = 0
        while ready:
            a = ready.pop()
            seen += 1
            for b, _lag in inst.successors[a]:
                indeg[b] -= 1
                if indeg[b] == 0:
                    ready.append(b)
        if seen != inst.n:
            raise BenchInputError(f"{name}: the precedence relations contain a cycle")
    return inst


def parse(path: Path) -> RcpspInstance:
    """Parse ``path`` by its suffix: ``.sm`` or ``.sch``."""
    suffix = path.suffix.lower()
    if suffix not in (".sm", ".sch"):
        raise BenchInputError(f"{path.name}: not a .sm or .sch file")
    try:
        return check_instance(parse_sm(path) if suffix == ".sm" else parse_sch(path), path.name)
    except BenchInputError as exc:
        text = str(exc)
        raise BenchInputError(text if text.startswith(path.name) else f"{path.name}: {text}") from None
    except (ValueError, IndexError, KeyError) as exc:
        raise BenchInputError(f"{path.name}: cannot parse ({exc!r})") from exc


# -- model -----------------------------------------------------------------------


def default_horizon(inst: RcpspInstance) -> int:
    """A safe upper bound on the makespan of some optimal schedule.

    RCPSP: the sum of durations (serial schedule). RCPSP/max: the sum of
    durations and positive lags (Bartusch et al. 1988: a feasible instance
    has a feasible schedule within it).
    """
    total = sum(inst.durations)
    if inst.kind == "rcpsp":
        return max(total, inst.horizon, 1)
    return max(total + sum(lag for _, _, lag in inst.arcs() if lag > 0), 1)


def to_problem(inst: RcpspInstance, horizon: int | None = None) -> ProblemData:
    """The instance as planner data; job ``i`` is activity ``inst.activities[i]``."""
    length = horizon if horizon is not None else default_horizon(inst)
    jobs = tuple(
        Job(
            id=str(a),
            module="",
            participants=(),
            num_sessions=1,
            length=d,
            open_days=(True,),
            resources=tuple((r, q) for r, q in enumerate(dem) if q > 0),
            mandatory=True,
        )
        for a, d, dem in zip(inst.activities, inst.durations, inst.demands, strict=True)
    )
    if inst.kind == "rcpsp":
        precs = tuple(Precedence(i, j, "es", 0) for i, j, _ in inst.arcs())
    else:
        precs = tuple(Precedence(i, j, "ss", lag) for i, j, lag in inst.arcs())
    return ProblemData(
        slots_per_day=length,
        num_days=1,
        week_shift=0,
        participants=(),
        resources=tuple(ResourceData(f"R{r + 1}", c) for r, c in enumerate(inst.capacities)),
        instructors=(),
        jobs=jobs,
        precedences=precs,
        goals=(),
        objective="makespan",
        job_index={job.id: j for j, job in enumerate(jobs)},
    )


def schedule_starts(inst: RcpspInstance, schedule: Schedule) -> list[int]:
    """Start of every activity in ``schedule`` (index order); -1 if missing."""
    starts = [-1] * inst.n
    for s in schedule.sessions:
        starts[s.job] = s.start
    return starts


def makespan_of(inst: RcpspInstance, starts: Sequence[int]) -> int:
    """The latest finish."""
    return max(s + d for s, d in zip(starts, inst.durations, strict=True))


def left_justify(inst: RcpspInstance, starts: Sequence[int]) -> list[int]:
    """``starts`` with every activity moved as early as it can go, the others kept.

    A valid schedule stays valid: an activity moves only down to the largest
    lower bound its in-arcs give (out-arcs only cap it from above, so moving
    earlier keeps them) and only to a time where its demands fit; the earliest
    such time is that bound or another activity's end. Repeated until nothing
    moves. Why: a feasibility search leaves activities that no constraint
    pushes down (e.g. the sink of an RCPSP/max instance) wherever presolve put
    them, up to the horizon, and a schedule read back from the time reversal
    starts that late as a whole.
    """
    out = list(starts)
    d, n = inst.durations, inst.n
    preds = inst.predecessors()
    # Maximum lags tie activities into blocks that cannot move one by one, so first
    # shift every real activity by the same amount (the resource profile only moves),
    # as far as arcs from the dummies (no duration, no demand: source, sink) allow.
    dummy = [d[i] == 0 and not any(inst.demands[i]) for i in range(n)]
    real = [i for i in range(n) if not dummy[i]]
    if real:
        shift = min(out[k] for k in real)
        for i, k, lag in inst.arcs():
            if dummy[i] and not dummy[k]:
                shift = min(shift, out[k] - out[i] - lag)
        for k in real:
            out[k] -= max(0, shift)
    use = [[0] * (makespan_of(inst, out) + 1) for _ in inst.capacities]

    def book(i: int, at: int, sign: int) -> None:
        for r, q in enumerate(inst.demands[i]):
            for t in range(at, at + d[i]):
                use[r][t] += sign * q

    def fits(i: int, at: int) -> bool:
        return all(q == 0 or all(use[r][t] + q <= inst.capacities[r] for t in range(at, at + d[i]))
                   for r, q in enumerate(inst.demands[i]))

    for i in range(n):
        book(i, out[i], 1)
    moved = True
    while moved:
        moved = False
        for i in sorted(range(n), key=lambda k: out[k]):
            lb = max([0] + [out[j] + lag for j, lag in preds[i]])
            if lb >= out[i]:
                continue
            book(i, out[i], -1)
            times = sorted({lb} | {out[j] + d[j] for j in range(n) if lb < out[j] + d[j] < out[i]})
            at = next((t for t in times if fits(i, t)), out[i])
            book(i, at, 1)
            moved = moved or at < out[i]
            out[i] = at
    return out


# -- temporal analysis, bound and baseline -----------------------------------


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


_NO_PATH = -(1 << 40)
LAG_PROOF_MAX_S = 2.0  # cap on the temporal proof's time (at most 0.18 s on testset_ubo200)
LAG_PROOF_ROUNDS = 100  # and on its rounds of forced orders (at most 14 on testset_ubo200 and sm_j30)


def _close(dist: np.ndarray) -> None:
    """Longest paths in place (Floyd-Warshall, one vectorised step per activity)."""
    for k in range(len(dist)):
        via = dist[:, k : k + 1] + dist[k : k + 1, :]
        via[(dist[:, k] == _NO_PATH), :] = _NO_PATH
        via[:, (dist[k, :] == _NO_PATH)] = _NO_PATH
        np.maximum(dist, via, out=dist)


def time_lag_distances(inst: RcpspInstance) -> np.ndarray:
    """``D[i, j]``: the longest path from ``i`` to ``j`` over the time-lag arcs, so
    every schedule has ``start[j] - start[i] >= D[i, j]`` (``_NO_PATH``: no bound)."""
    n = inst.n
    dist = np.full((n, n), _NO_PATH, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    for i, j, lag in inst.arcs():
        dist[i, j] = max(dist[i, j], lag)
    _close(dist)
    return dist


def _overlap_group(
    dist: np.ndarray, dur: np.ndarray, dem: np.ndarray, capacities: Sequence[int]
) -> tuple[list[int], int] | None:
    """Activities that must all run at once beyond a capacity, and the resource.

    ``start[j] - start[i]`` lies in ``[D[i, j], -D[j, i]]``; if every such offset
    makes the two overlap, they must overlap, and activities that pairwise must
    overlap share an instant (intervals on a line: Helly). Greedy groups per resource.
    """
    tied = (dist > _NO_PATH // 2) & (dist.T > _NO_PATH // 2)
    lo, hi = dist, -dist.T  # start[j] - start[i] lies in [lo[i, j], hi[i, j]]
    overlap = (hi < dur[:, None]) & (lo > -dur[None, :])  # j starts before i ends and i before j ends
    must = tied & overlap & (dur[:, None] > 0) & (dur[None, :] > 0)
    np.fill_diagonal(must, False)
    for r, cap in enumerate(capacities):
        for i in np.nonzero(dem[:, r] > 0)[0]:
            group, total = [int(i)], int(dem[i, r])
            for j in sorted(np.nonzero(must[i] & (dem[:, r] > 0))[0], key=lambda j: (-dem[j, r], j)):
                if all(must[j, c] for c in group):
                    group.append(int(j))
                    total += int(dem[j, r])
            if total > cap:
                return sorted(group), r
    return None


def lag_analysis(
    inst: RcpspInstance, seconds: float | None = LAG_PROOF_MAX_S, rounds: int = LAG_PROOF_ROUNDS
) -> tuple[str | None, list[tuple[int, int, int]]]:
    """The temporal proof: why the time lags and resource clashes admit no schedule
    (or None), and the orders it forces.

    Two activities whose demands together exceed a capacity never overlap: one
    ends before the other starts. Where the lags bound their start offset so that
    one order is impossible (:func:`time_lag_distances`), the other is forced and
    becomes a new arc; the longest paths are recomputed until nothing changes.
    Infeasible if a cycle of positive length appears, if both orders of a pair are
    impossible, or if activities must all overlap beyond a capacity. Each step is
    implied by the instance, so this is a proof (pure propagation, no search); it
    settles every `unsat` instance of sm_j30, testset_ubo100 and testset_ubo200, in
    at most 0.18 s each. Returns the proof (None when nothing
    is found within ``rounds`` rounds and ``seconds``, None: no clock, as under
    --deterministic; then the search decides) and the forced orders as arcs
    ``(i, j, lag)``, implied constraints that tighten the model.
    """
    t0 = time.perf_counter()
    dist = time_lag_distances(inst)
    dur = np.array(inst.durations, dtype=np.int64)
    dem = np.array(inst.demands, dtype=np.int64).reshape(inst.n, -1)
    clash = np.zeros((inst.n, inst.n), dtype=bool)
    for r, cap in enumerate(inst.capacities):
        clash |= (dem[:, r][:, None] + dem[:, r][None, :]) > cap
    clash &= (dur[:, None] > 0) & (dur[None, :] > 0)
    np.fill_diagonal(clash, False)
    name = inst.activities
    arcs: list[tuple[int, int, int]] = []
    while True:
        if (np.diag(dist) > 0).any():
            k = int(np.argmax(np.diag(dist)))
            return (f"activity {name[k]} lies on a cycle of positive length (time lags and {len(arcs)} forced "
                    "orders)"), arcs
        hi = np.where(dist.T > _NO_PATH // 2, -dist.T, np.iinfo(np.int64).max)
        # cannot[i, j]: j cannot start after i ends, so j must end before i starts.
        cannot = clash & (hi < dur[:, None])
        both = cannot & cannot.T
        if both.any():
            i, j = (int(v) for v in np.argwhere(both)[0])
            return (f"activities {name[i]} and {name[j]} can neither overlap (resources) nor follow each other "
                    f"(time lags and {len(arcs)} forced orders)"), arcs
        before, after = np.nonzero(cannot.T & (dist < dur[:, None]))  # j before i: D[j, i] >= dur[j]
        rounds -= 1
        if not len(before) or rounds < 0 or (seconds is not None and time.perf_counter() - t0 > seconds):
            break
        dist[before, after] = dur[before]
        arcs.extend((int(b), int(a), int(dur[b])) for b, a in zip(before, after, strict=True))
        _close(dist)
    group = _overlap_group(dist, dur, dem, inst.capacities)
    if group is not None:
        acts, r = group
        return (f"activities {', '.join(str(name[k]) for k in acts)} must run at once beyond the capacity of "
                f"R{r + 1} (time lags and {len(arcs)} forced orders)"), arcs
    return None, arcs


def lag_proof(inst: RcpspInstance) -> str | None:
    """The proof of :func:`lag_analysis` alone."""
    return lag_analysis(inst)[0]


def with_arcs(inst: RcpspInstance, arcs: Sequence[tuple[int, int, int]]) -> RcpspInstance:
    """``inst`` with extra time-lag arcs ``(i, j, lag)``."""
    succ = [list(s) for s in inst.successors]
    for i, j, lag in arcs:
        succ[i].append((j, lag))
    return replace(inst, successors=tuple(tuple(s) for s in succ))


class _Profile:
    """Free capacity of each resource per time unit."""

    def __init__(self, inst: RcpspInstance, length: int) -> None:
        self.free = [[c] * length for c in inst.capacities]
        self.inst = inst

    def _conflict(self, j: int, t: int) -> int | None:
        """Last time in ``[t, t + d_j)`` where ``j`` does not fit, or None."""
        d = self.inst.durations[j]
        worst = None
        for r, q in enumerate(self.inst.demands[j]):
            if q == 0:
                continue
            row = self.free[r]
            for u in range(t + d - 1, t - 1, -1):
                if row[u] < q:
                    worst = u if worst is None else max(worst, u)
                    break
        return worst

    def earliest(self, j: int, lo: int, hi: int) -> int | None:
        """Earliest start of ``j`` in ``[lo, hi]`` that fits the resources."""
        t = lo
        while t <= hi:
            bad = self._conflict(j, t)
            if bad is None:
                return t
            t = bad + 1  # any start up to the conflict overlaps it too
        return None

    def book(self, j: int, t: int) -> None:
        for r, q in enumerate(self.inst.demands[j]):
            if q:
                row = self.free[r]
                for u in range(t, t + self.inst.durations[j]):
                    row[u] -= q


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


def lft_order(inst: RcpspInstance) -> list[int]:
    """Plain RCPSP: the single-pass baseline's activity list, i.e. repeatedly the
    eligible activity (all predecessors listed) with the lowest latest finish time,
    ties to the lowest index."""
    lf = latest_finish(inst)
    preds = inst.predecessors()
    listed = [False] * inst.n
    left = set(range(inst.n))
    order: list[int] = []
    while left:
        j = min((a for a in left if all(listed[i] for i, _ in preds[a])), key=lambda a: (lf[a], a))
        order.append(j)
        listed[j] = True
        left.discard(j)
    return order


def serial_sgs(inst: RcpspInstance) -> list[int] | None:
    """Single-pass serial SGS with latest-finish-time priority (ties: lowest index).

    RCPSP: always succeeds. RCPSP/max: activities are fixed one by one inside
    their current time window, which is tightened through the lags after each
    one; it returns None when a window has no resource-feasible start (the
    classic single pass has no unscheduling step, so this proves nothing).
    """
    horizon = default_horizon(inst)
    preds = inst.predecessors()
    if inst.kind == "rcpsp":
        return _sgs_plain(inst, lft_order(inst), preds, horizon)
    return _sgs_max(inst, latest_finish(inst), preds, horizon)


def _sgs_plain(
    inst: RcpspInstance, order: list[int], preds: list[list[tuple[int, int]]], horizon: int
) -> list[int] | None:
    prof = _Profile(inst, horizon + max(inst.durations) + 1)
    starts = [0] * inst.n
    for j in order:
        es = max((starts[i] + lag for i, lag in preds[j]), default=0)
        t = prof.earliest(j, es, horizon)
        if t is None:
            return None
        prof.book(j, t)
        starts[j] = t
    return starts


def _sgs_max(
    inst: RcpspInstance, lf: list[int], preds: list[list[tuple[int, int]]], horizon: int
) -> list[int] | None:
    es = earliest_starts(inst)
    if es is None:
        return None
    ls = [f - d for f, d in zip(lf, inst.durations, strict=True)]
    if any(a > b for a, b in zip(es, ls, strict=True)):
        return None
    prof = _Profile(inst, horizon + 1)
    fixed = [False] * inst.n
    left = set(range(inst.n))
    while left:
        # Eligible once its forward (non-negative lag) predecessors are placed;
        # zero-lag cycles could leave none, then any activity will do.
        eligible = [j for j in left if all(fixed[i] for i, lag in preds[j] if lag >= 0)] or list(left)
        j = min(eligible, key=lambda a: (lf[a], a))
        t = prof.earliest(j, es[j], ls[j])
        if t is None:
            return None
        prof.book(j, t)
        fixed[j] = True
        left.discard(j)
        es[j] = ls[j] = t
        if not _tighten(inst, preds, es, ls, j):
            return None
    return es


def _tighten(
    inst: RcpspInstance, preds: list[list[tuple[int, int]]], es: list[int], ls: list[int], j: int
) -> bool:
    """Propagate ``j``'s new window through the lags; False if some window empties."""
    queue = deque([j])
    while queue:
        a = queue.popleft()
        for b, lag in inst.successors[a]:
            if es[a] + lag > es[b]:
                es[b] = es[a] + lag
                if es[b] > ls[b]:
                    return False
                queue.append(b)
    queue = deque([j])
    while queue:
        b = queue.popleft()
        for a, lag in preds[b]:
            if ls[b] - lag < ls[a]:
                ls[a] = ls[b] - lag
                if ls[a] < es[a]:
                    return False
                queue.append(a)
    return True


def reversed_instance(inst: RcpspInstance) -> RcpspInstance:
    """The instance with time running backwards: start ``S'_i = T - S_i - d_i``.

    An arc ``start[j] >= start[i] + lag`` becomes ``start'[i] >= start'[j] +
    lag + d_j - d_i``, so ``i -> j`` turns into ``j -> i`` with that lag (plain
    RCPSP: ``j``'s duration; maximum lags stay maximum lags). A schedule of
    makespan T of one is, read backwards (:func:`unreverse`), a schedule of
    makespan at most T of the other."""
    d = inst.durations
    succ: list[list[tuple[int, int]]] = [[] for _ in range(inst.n)]
    for i, j, lag in inst.arcs():
        succ[j].append((i, lag + d[j] - d[i]))
    return replace(inst, successors=tuple(tuple(s) for s in succ))


def unreverse(inst: RcpspInstance, starts: Sequence[int]) -> list[int]:
    """Starts of ``inst`` from starts of :func:`reversed_instance` ``(inst)``."""
    end = max(s + d for s, d in zip(starts, inst.durations, strict=True))
    return [end - s - d for s, d in zip(starts, inst.durations, strict=True)]


def check_rcpsp(inst: RcpspInstance, starts: Sequence[int]) -> list[str]:
    """Violations of ``starts`` against the parsed instance (empty: valid).

    Independent of :class:`ProblemData` on purpose: lags and capacities are
    read from the instance itself.
    """
    if len(starts) != inst.n:
        return [f"{len(starts)} starts for {inst.n} activities"]
    out = [f"activity {inst.activities[i]} starts at {s} < 0" for i, s in enumerate(starts) if s < 0]
    if out:
        return out
    for i, j, lag in inst.arcs():
        if starts[j] < starts[i] + lag:
            a, b = inst.activities[i], inst.activities[j]
            out.append(f"lag {a}->{b}: start {starts[j]} < {starts[i]} + {lag}")
    end = makespan_of(inst, starts)
    for r, cap in enumerate(inst.capacities):
        delta = [0] * (end + 1)
        for i, s in enumerate(starts):
            q, d = inst.demands[i][r], inst.durations[i]
            if q and d:
                delta[s] += q
                delta[s + d] -= q
        use = 0
        for t in range(end):
            use += delta[t]
            if use > cap:
                out.append(f"resource R{r + 1}: {use} > {cap} at t={t}")
                break  # one message per resource is enough to fail
    return out


# -- sets, references, runner -------------------------------------------------------


def default_root() -> Path:
    """``$PLANNER_PSPLIB``, else ``../shared/benchmarks/psplib`` from the current
    directory, else the same path next to the repository."""
    env = os.environ.get("PLANNER_PSPLIB")
    if env:
        return Path(env)
    here = Path.cwd() / ".." / "shared" / "benchmarks" / "psplib"
    if here.is_dir():
        return here.resolve()
    return (Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "psplib").resolve()


def natural_key(name: str) -> list[int | str]:
    """Sort key that orders ``j302_1`` before ``j3010_1`` and ``PSP2`` before ``PSP10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def max_subsets(root: Path) -> list[str]:
    """The RCPSP/max sub-sets present under ``root``."""
    folder = root / MAX_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def known_sets(root: Path) -> list[str]:
    """Every set name :func:`run_benchmark` accepts for ``root``."""
    return [*SM_SETS, *(f"{MAX_DIR}/{s}" for s in max_subsets(root))]


def set_folder(root: Path, set_name: str) -> Path:
    """The folder of ``set_name``; raises :class:`BenchInputError` if unknown or missing."""
    if not root.is_dir():
        raise BenchInputError(f"PSPLIB folder not found: {root} (set PLANNER_PSPLIB or pass --root)")
    sub = set_name.removeprefix(f"{MAX_DIR}/")
    if set_name in SM_SETS:
        folder = root / set_name
    elif set_name.startswith(f"{MAX_DIR}/") and sub and "/" not in sub and sub not in (".", ".."):
        folder = root / MAX_DIR / sub
    else:
        raise BenchInputError(f"unknown set {set_name!r}; known: {', '.join(known_sets(root))}")
    if not folder.is_dir():
        raise BenchInputError(f"set folder not found: {folder}; known: {', '.join(known_sets(root))}")
    return folder


def list_instances(folder: Path) -> list[Path]:
    """Instance files of a set folder in natural order."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".sm", ".sch")]
    return sorted(files, key=lambda p: natural_key(p.name))


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
    if not path.is_file():
        return out
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


def _planner_verify(data: ProblemData, schedule: Schedule) -> list[str] | None:
    """The planner's own verifier, or None while ``planner.verify.checks`` does not exist."""
    try:
        from planner.verify.checks import verify_schedule
    except ImportError:
        return None
    return list(verify_schedule(data, schedule))


def _pct(value: float | None, ref: float | None) -> float | None:
    if value is None or ref is None or ref <= 0:
        return None
    return round(100.0 * (value - ref) / ref, 2)


GA_FIRST = 0.1  # of the limit (at most GA_FIRST_MAX_S): the GA's first incumbent, CP-SAT's hint
GA_FIRST_MAX_S = 1.0
CP_FIRST = 0.25  # of the limit: CP-SAT from that incumbent; most easy instances are proven here
GA_GAP = 0.1  # a larger relative gap left then: the GA goes on first, otherwise CP-SAT gets the rest
# The decision is a pure search for a schedule inside tight windows: there the
# LP relaxation and the disjunctions CP-SAT derives from each cumulative cost
# more node throughput than they prune. Without both, the six hardest j30
# decisions (j3013_2/5/6, j3029_3/6/8 at optimum - 1, one worker) take 1.9-6.4 s
# in the faster direction instead of 4.7-22 s (benchmarks/README.md).
DECIDE_TUNING: dict[str, object] = {"linearization_level": 0, "use_disjunctive_constraint_in_cumulative": False}
MAX_CP_FIRST = 0.3  # of the limit: RCPSP/max, CP-SAT's minimisation before the two-direction search
GA_STALL = 50  # generations' worth of schedules without a gain that hand the rest back to CP-SAT
GA_EVALS_PER_S = 2_400_000  # --deterministic: GA schedules per second of limit, times 1 / activities


def _as_schedule(inst: RcpspInstance, starts: Sequence[int]) -> Schedule:
    return Schedule(tuple(ScheduledSession(j, 0, s, s + inst.durations[j], None) for j, s in enumerate(starts)))


def solve_instance(
    inst: RcpspInstance, time_limit: float, workers: int = 0, deterministic: bool = False, ga: bool = True
) -> tuple[ProblemData, Result]:
    """Solve ``inst`` with the planner's engine (``deterministic``: one worker,
    limit in CP-SAT work units and GA schedule counts, so the outcome does not
    depend on machine load).

    RCPSP/max has no GA: the temporal proof (:func:`lag_proof`) may settle
    infeasibility at once; else CP-SAT's minimisation runs first (:data:`MAX_CP_FIRST`
    of the limit); without a schedule by then, the decision's two-direction
    search looks for a first one (or proves there is none), and CP-SAT's
    minimisation goes on from it. Plain RCPSP alternates the activity-list
    GA (:mod:`planner.bench.ga`) and CP-SAT on the same instance: the GA's
    first incumbent bounds the horizon and hints CP-SAT, which proves most
    instances optimal within :data:`CP_FIRST` of the limit; if a gap over
    :data:`GA_GAP` is left (scarce resources: the bound will not close in
    time), the GA, given CP-SAT's schedule too, uses the rest of the time,
    otherwise CP-SAT does (it closes small gaps by decision). The returned
    data has the default horizon, so verification does not depend on it.
    ``ga=False`` runs CP-SAT's minimisation alone (plain RCPSP: hinted with the
    serial SGS schedule): the planner's model without the benchmark-specific
    heuristics, for comparison.
    """
    # The GA imports this module (for the instance and the baseline's list), hence here.
    from planner.bench.ga import ActivityListGA, unsupported, warm_up

    use_ga = ga and unsupported(inst) is None  # e.g. an activity that never fits: CP-SAT proves it
    if use_ga:
        warm_up()
    t0 = time.perf_counter()
    data = to_problem(inst)
    if use_ga:
        return data, _Hybrid(inst, ActivityListGA(inst), time_limit, workers, deterministic, t0).solve()
    if ga and inst.kind == "rcpsp_max":
        # Propagation of the time lags and resource clashes proves many instances
        # infeasible in milliseconds that CP-SAT's search leaves open (testset_ubo200:
        # 5 of the 10 `unsat` in 10 s without it, all 10 with it); the orders it forces
        # are implied arcs, which tighten the model (psp36: a first schedule in 0.4 s
        # with them, none in 8 s without). Schedules are checked against ``data`` alone.
        proof, forced = lag_analysis(inst, None if deterministic else LAG_PROOF_MAX_S)
        if proof is not None:
            return data, Result(SolveStatus.INFEASIBLE, None, runtime=time.perf_counter() - t0,
                                phases=(PhaseInfo("lags", SolveStatus.INFEASIBLE, details=(("proof", proof),)),))
        return data, _Hybrid(with_arcs(inst, forced), None, time_limit, workers, deterministic, t0).solve()
    sgs = serial_sgs(inst) if inst.kind == "rcpsp" else None
    params = SolveParams(time_limit=time_limit, deterministic=deterministic, num_workers=workers)
    res = solve(data, params, hint=None if sgs is None else _as_schedule(inst, sgs))
    return data, replace(res, runtime=time.perf_counter() - t0)


class _Hybrid:
    """State of :func:`solve_instance`: the incumbent, its bound, the clock
    (``ga`` None: RCPSP/max, whose first schedule comes from :meth:`first_schedule`)."""

    def __init__(self, inst: RcpspInstance, ga: ActivityListGA | None, time_limit: float, workers: int,
                 deterministic: bool, t0: float) -> None:
        self.inst, self.ga, self.limit, self.workers, self.deterministic, self.t0 = (
            inst, ga, time_limit, workers, deterministic, t0)
        self.used = 0.0  # --deterministic: budget handed out so far
        self.cpm = cpm_lower_bound(inst)
        self.lb = self.cpm or 0
        self.ub, self.best = 0, [0] * inst.n
        self.phases: list[PhaseInfo] = []
        self.reverse = reversed_instance(inst)

    def left(self) -> float:
        return self.limit - (self.used if self.deterministic else time.perf_counter() - self.t0)

    def evolve(self, seconds: float, stall: int | None = None) -> None:
        assert self.ga is not None
        done = self.ga.evaluations
        if self.deterministic:
            n_evals = max(1, round(seconds * GA_EVALS_PER_S / self.inst.n))
            span, starts = self.ga.run(evaluations=n_evals, target=self.cpm, stall=stall)
        else:
            span, starts = self.ga.run(seconds=seconds, target=self.cpm, stall=stall)
        self.used += (self.ga.evaluations - done) * self.inst.n / GA_EVALS_PER_S
        if not self.phases or span < self.ub:
            self.ub, self.best = span, starts
        self.phases.append(PhaseInfo("ga", details=(("makespan", self.ub), ("evaluations", self.ga.evaluations))))

    def cpsat(self, seconds: float) -> None:
        params = SolveParams(time_limit=max(0.1, seconds), deterministic=self.deterministic,
                             num_workers=self.workers)
        res = solve(to_problem(self.inst, horizon=self.ub), params, hint=_as_schedule(self.inst, self.best))
        self.used += seconds
        self.phases.extend(res.phases)
        self._adopt(res)

    def _adopt(self, res: Result, justify: bool = False) -> None:
        """Take CP-SAT's schedule if no worse than the incumbent (any while there is none,
        ``ub`` 0; ``justify``: left-justified first) and its bound."""
        if res.schedule is not None:
            starts = schedule_starts(self.inst, res.schedule)
            if justify:
                starts = left_justify(self.inst, starts)
            span = makespan_of(self.inst, starts)
            if not self.ub or span <= self.ub:
                self.ub, self.best = span, starts
        if res.status == SolveStatus.OPTIMAL:
            self.lb = max(self.lb, self.ub)
        elif res.bound is not None and res.status == SolveStatus.FEASIBLE:
            self.lb = max(self.lb, math.ceil(res.bound - 1e-6))

    def decide(self, seconds: float) -> bool:
        """Is there a schedule shorter than the incumbent? Asked with the horizon cut to
        ``ub - 1``: every time window shrinks, so "no" is often proven far sooner than
        the bound of a minimisation closes. Asked of the instance and of its time
        reversal at once (one worker each, earliest-first branching): the same
        question, but which of the two is proven sooner varies by instance
        (hard j30 decisions, forward / reversed with :data:`DECIDE_TUNING`: j3029_3
        7.9 / 6.4 s, j3029_8 3.3 / 1.9 s). True if answered (either way)."""
        status = self._ask(self.ub - 1, seconds, "decide")
        if status == SolveStatus.INFEASIBLE:
            self.lb = self.ub
        return status != SolveStatus.UNKNOWN

    def first_schedule(self, seconds: float) -> SolveStatus:
        """RCPSP/max: any schedule within the default horizon, or a proof there is none.

        Maximum lags make even a first schedule hard to find on large instances,
        and CP-SAT's default portfolio often finds none (testset_ubo200: no
        schedule in 30 s on psp2) where the decision's search, one worker per
        direction without LP, finds one in seconds (psp2: 5.3 s forward).
        """
        return self._ask(default_horizon(self.inst), seconds, "first")

    def _ask(self, horizon: int, seconds: float, phase: str) -> SolveStatus:
        """Is there a schedule of makespan at most ``horizon``? A "yes" becomes the incumbent."""
        params = SolveParams(time_limit=max(0.1, seconds), deterministic=self.deterministic)
        t = time.perf_counter()
        # (reversed?, solver settings) per search, the instance and its time reversal.
        searches: list[tuple[bool, dict[str, object]]] = [(False, DECIDE_TUNING), (True, DECIDE_TUNING)]
        if self.inst.kind == "rcpsp_max":
            # Under maximum lags, infeasibility is often proven only with the LP
            # (testset_ubo200 psp7: 3.2 s forward with it, none in 7 s without),
            # while schedules come from the reversed search without it (psp2/4/5/6:
            # 0.4-6 s; forward without LP: none of psp4/5/6 in 7 s).
            searches = [(True, DECIDE_TUNING), (False, {})]
        problems = [to_problem(self.reverse if back else self.inst, horizon=horizon) for back, _ in searches]
        tunings = [tuning for _, tuning in searches]
        which, status, schedule = first_answer(problems, params, earliest_first=True, tunings=tunings)
        self.used += seconds
        answered_by = None if status == SolveStatus.UNKNOWN else ("forward", "reversed")[searches[which][0]]
        self.phases.append(PhaseInfo(phase, status, wall_time=round(time.perf_counter() - t, 3),
                                     question=f"makespan <= {horizon}", details=(("answered_by", answered_by),)))
        if schedule is not None:
            backwards = searches[which][0]
            starts = schedule_starts(self.reverse if backwards else self.inst, schedule)
            self.best = left_justify(self.inst, unreverse(self.inst, starts) if backwards else starts)
            self.ub = makespan_of(self.inst, self.best)
        return status

    def solve(self) -> Result:
        if self.ga is None:
            # RCPSP/max: CP-SAT's minimisation first, which settles easy instances and
            # proves many infeasible in a fraction of a second; if it has no schedule yet,
            # the two-direction search gets the rest for one (--deterministic: half of
            # it, as each search then runs to its own limit and is charged so).
            res = solve(to_problem(self.inst), SolveParams(
                time_limit=MAX_CP_FIRST * self.limit, deterministic=self.deterministic, num_workers=self.workers))
            self.used += MAX_CP_FIRST * self.limit
            self.phases.extend(res.phases)
            if res.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID):
                return replace(res, runtime=time.perf_counter() - self.t0, phases=tuple(self.phases))
            if res.schedule is not None:
                self._adopt(res, justify=True)
            else:
                first = self.first_schedule(self.left() / 2 if self.deterministic else self.left())
                if first != SolveStatus.FEASIBLE:
                    return Result(first, None, runtime=time.perf_counter() - self.t0, phases=tuple(self.phases))
        else:
            # Small instances need less GA time for a good start, and CP-SAT's proofs want the rest.
            self.evolve(min(GA_FIRST_MAX_S, GA_FIRST * self.limit) * min(1.0, self.inst.n / 122))
        if self.lb < self.ub and self.left() > 0.05:
            # RCPSP/max has no GA to hand a wide gap to: CP-SAT's minimisation keeps the time.
            self.cpsat(min(CP_FIRST * self.limit, self.left()) if self.ga is not None else self.left())
        if self.lb < self.ub and self.left() > 0.05:
            if self.ga is not None and self.ub - self.lb > GA_GAP * self.ub:
                # A wide gap: CP-SAT's bound will not close in time, so first look for
                # better schedules; once the GA stalls (often at the optimum on small
                # instances), CP-SAT gets what is left to prove or improve it.
                self.ga.add(self.best)
                self.evolve(self.left(), stall=GA_STALL * self.ga.size)
            while self.lb < self.ub and self.left() > 0.05 and self.decide(self.left()):
                pass
        status = SolveStatus.OPTIMAL if self.lb >= self.ub else SolveStatus.FEASIBLE
        return Result(status, _as_schedule(self.inst, self.best), objective=float(self.ub), bound=float(self.lb),
                      runtime=time.perf_counter() - self.t0, phases=tuple(self.phases))


def run_instance(
    path: Path,
    ref: Reference | None,
    time_limit: float,
    workers: int = 0,
    schedules: Path | None = None,
    deterministic: bool = False,
    ga: bool = True,
) -> dict[str, object]:
    """Solve, verify and baseline one instance; one row of ``results.csv``."""
    inst = parse(path)
    ref = ref or Reference()
    data, res = solve_instance(inst, time_limit, workers, deterministic, ga)
    cpm = cpm_lower_bound(inst)
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update(
        instance=inst.name,
        n_jobs=inst.n - 2,
        status=res.status.value,
        seconds=round(res.runtime, 3),
        best_known=ref.best_ub,
        best_lb=ref.best_lb,
        closed=ref.closed,
        cpm_lb=cpm,
        reference="infeasible" if ref.infeasible else ("feasible" if ref.best_ub is not None else ""),
    )  # verified stays empty without a schedule: nothing was checked
    if res.status == SolveStatus.INFEASIBLE:
        # Which proof: the temporal one (with its reason) or CP-SAT's search.
        lags = next((ph for ph in res.phases if ph.phase == "lags"), None)
        row["proof"] = f"time lags: {dict(lags.details)['proof']}" if lags else "CP-SAT"
    if res.bound is not None and res.status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN):
        row["lower_bound"] = math.ceil(res.bound - 1e-6)  # integer makespans: round the LP bound up
    if res.schedule is not None:
        starts = schedule_starts(inst, res.schedule)
        ms = makespan_of(inst, starts)
        own = check_rcpsp(inst, starts)
        planner = _planner_verify(data, res.schedule)
        row.update(
            makespan=ms,
            gap_pct=_pct(ms, ref.best_ub),
            cpm_dev_pct=_pct(ms, cpm),
            rcpsp_check=not own,
            planner_verify=None if planner is None else not planner,
            verified=not own and planner is not None and not planner,
            verify_errors="; ".join([*own, *(planner or [])][:3]),
        )
        if res.status == SolveStatus.OPTIMAL:
            row["lower_bound"] = ms
        if schedules is not None:
            lines = ["activity,start", *(f"{a},{s}" for a, s in zip(inst.activities, starts, strict=True))]
            (schedules / f"{inst.name}.csv").write_text("\n".join(lines) + "\n")
    sgs = serial_sgs(inst)
    if sgs is None:
        row["sgs_status"] = "NO_SOLUTION"
    elif check_rcpsp(inst, sgs):
        row["sgs_status"] = "INVALID"  # a bug in serial_sgs; kept visible rather than dropped
    else:
        sgs_ms = makespan_of(inst, sgs)
        row.update(
            sgs_status="FEASIBLE",
            sgs_makespan=sgs_ms,
            sgs_gap_pct=_pct(sgs_ms, ref.best_ub),
            sgs_cpm_dev_pct=_pct(sgs_ms, cpm),
        )
    return row


def progress_line(row: dict[str, object]) -> str:
    """One line per instance: instance, status, makespan, best known, seconds."""

    def show(v: object) -> str:
        return "-" if v is None else str(v)

    return (
        f"{row['instance']:<14} {row['status']:<10} makespan={show(row['makespan']):>5} "
        f"best={show(row['best_known']):>5} {row['seconds']:7.2f}s"
    )


def run_benchmark(
    root: Path,
    set_name: str,
    instances: int | None,
    time_limit: float,
    out: Path,
    progress: Callable[[str], None] | None = None,
    workers: int = 0,
    stride: int = 1,
    deterministic: bool = False,
    ga: bool = True,
) -> pd.DataFrame:
    """Run the first ``instances`` (natural order; None: all) of ``set_name``.

    ``stride`` k keeps every k-th file first: with k = 10 a j-set gives
    instance 1 of every parameter combination, a sample across hardness
    rather than the easy low-numbered parameter sets.

    Writes ``out/results.csv`` (rewritten after every instance, so a long run
    that is stopped keeps what it did) and ``out/schedules/INSTANCE.csv``.
    """
    folder = set_folder(root, set_name)
    if stride < 1:
        raise BenchInputError(f"stride must be at least 1, got {stride}")
    files = list_instances(folder)[::stride]
    if not files:
        raise BenchInputError(f"no .sm/.sch files in {folder}")
    if instances is not None:
        if instances < 1:
            raise BenchInputError(f"--instances must be at least 1, got {instances}")
        files = files[:instances]
    refs = load_references(root, set_name)
    sched_dir = out / "schedules"
    sched_dir.mkdir(parents=True, exist_ok=True)
    for old in sched_dir.glob("*.csv"):
        old.unlink()  # a schedule left from an earlier run would contradict this results.csv
    rows: list[dict[str, object]] = []
    for path in files:
        try:
            row = run_instance(path, refs.get(path.name.lower()), time_limit, workers, sched_dir, deterministic, ga)
        except BenchInputError as exc:
            # One unreadable file must not cost the rest of the run: an ERROR row, and on.
            row = dict.fromkeys(COLUMNS)
            row.update(instance=path.stem, status="ERROR", verify_errors=str(exc))
        rows.append(row)
        results_frame(rows).to_csv(out / "results.csv", index=False)
        if progress is not None:
            progress(progress_line(row) if row["status"] != "ERROR" else f"{path.stem:<14} ERROR      {row['verify_errors']}")
    return results_frame(rows)


INT_COLUMNS = ("n_jobs", "makespan", "best_known", "best_lb", "lower_bound", "cpm_lb", "sgs_makespan")


def results_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """``results.csv`` as a frame: whole numbers stay whole where a row has none."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    return frame


def summarize(df: pd.DataFrame) -> dict[str, float | int | None]:
    """Headline figures of a results table (means over instances that have a value)."""

    def mean(col: str) -> float | None:
        values = pd.to_numeric(df[col], errors="coerce").dropna()
        return round(float(values.mean()), 2) if len(values) else None

    has_ref = df["best_known"].notna() & df["makespan"].notna()
    closed = df[df["closed"].astype(bool) & has_ref & (df["reference"] != "infeasible")]
    return {
        "instances": len(df),
        "optimal": int((df["status"] == "OPTIMAL").sum()),
        "feasible": int((df["status"] == "FEASIBLE").sum()),
        "infeasible": int((df["status"] == "INFEASIBLE").sum()),
        "unknown": int((df["status"] == "UNKNOWN").sum()),
        "verified": int(df["verified"].astype(bool).sum()),
        "with_schedule": int(df["makespan"].notna().sum()),
        "closed_matched": int((closed["makespan"] == closed["best_known"]).sum()),
        "closed_with_schedule": len(closed),
        "mean_gap_pct": mean("gap_pct"),
        "mean_cpm_dev_pct": mean("cpm_dev_pct"),
        "mean_seconds": mean("seconds"),
        "sgs_solved": int((df["sgs_status"] == "FEASIBLE").sum()),
        "sgs_mean_gap_pct": mean("sgs_gap_pct"),
        "sgs_mean_cpm_dev_pct": mean("sgs_cpm_dev_pct"),
    }


def format_summary(s: dict[str, float | int | None]) -> str:
    """The summary as a few human-readable lines."""
    return "\n".join(
        [
            f"instances {s['instances']}: optimal {s['optimal']}, feasible {s['feasible']}, "
            f"infeasible {s['infeasible']}, unknown {s['unknown']}; verified {s['verified']}"
            f"/{s['with_schedule']}",
            f"engine: mean gap vs best known {s['mean_gap_pct']}%, "
            f"mean deviation from CPM bound {s['mean_cpm_dev_pct']}%, "
            f"closed instances at optimum {s['closed_matched']}/{s['closed_with_schedule']}",
            f"serial SGS: solved {s['sgs_solved']}, mean gap vs best known {s['sgs_mean_gap_pct']}%, "
            f"mean deviation from CPM bound {s['sgs_mean_cpm_dev_pct']}%",
        ]
    )
