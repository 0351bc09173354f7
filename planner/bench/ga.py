"""A genetic algorithm over activity lists for plain RCPSP (compiled with numba when installed).

Each individual is a precedence-feasible activity list, decoded by the serial
schedule generation scheme and improved by forward-backward justification
(Valls, Ballestin & Quintanilla 2005); the justified schedule's start order
replaces the list (Lamarckian learning). Children come from Hartmann's (1998)
two-point crossover, which keeps lists precedence-feasible, and a mutation
that swaps neighbours without a precedence path between them. The initial
population is drawn by regret-based biased sampling on latest finish times.

Used by :func:`planner.bench.hybrid.solve_instance` next to CP-SAT: on
instances with scarce resources CP-SAT's neighbourhood search on two cores
improves slowly, while a few hundred thousand list schedules per instance
get far closer to the best known makespans. The kernels are plain Python
functions on NumPy arrays: numba, an optional extra (``pip install -e ".[bench]"``),
compiles them; without it, or with ``PLANNER_GA_PLAIN=1`` in the environment when
this module is imported, they run as plain Python, much slower but with the same
schedules (numba's random numbers follow NumPy's for the same seed).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from planner.bench.bounds import latest_finish
from planner.bench.instance import RcpspInstance
from planner.bench.sgs import lft_order

F = TypeVar("F", bound=Callable[..., Any])

PLAIN_ENV = "PLANNER_GA_PLAIN"  # "1" at import: plain-Python kernels even when numba is installed
INSTALL_HINT = 'python3 -m pip install -e ".[bench]"'  # the optional extra that brings numba


def _numba_njit() -> Callable[..., Any] | None:
    """numba's ``njit``, or None when numba cannot be imported (not installed, or broken)."""
    try:
        from numba import njit
    except ImportError:
        return None
    return cast(Callable[..., Any], njit)


_NJIT = _numba_njit()
NUMBA_INSTALLED = _NJIT is not None
COMPILED = NUMBA_INSTALLED and os.environ.get(PLAIN_ENV, "0") in ("", "0")  # the kernels are numba-compiled


def jit(fn: F) -> F:
    """``fn`` compiled by numba (cached on disk, so later processes skip the compile),
    or ``fn`` itself when numba is not used."""
    return cast(F, _NJIT(cache=True)(fn)) if COMPILED and _NJIT is not None else fn


IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

POPULATION = 800  # tuned on j120 (5 s, 10 hardest sample instances): 20 -> 40 -> 150 -> 600..1000 kept improving
MUTATION = 0.1  # per neighbouring pair


@jit
def _sgs(order: IntArray, dur: IntArray, dem: IntArray, cap: IntArray, pptr: IntArray, pidx: IntArray,
         usage: IntArray, starts: IntArray) -> int:
    """Serial SGS over a precedence-feasible list (predecessors in CSR form); returns the makespan."""
    n = order.shape[0]
    nres = cap.shape[0]
    usage[:, :] = 0
    span = 0
    for k in range(n):
        j = order[k]
        t = 0
        for p in range(pptr[j], pptr[j + 1]):
            f = starts[pidx[p]] + dur[pidx[p]]
            if f > t:
                t = f
        d = dur[j]
        if d > 0:
            while True:
                bad = -1
                # Scan backwards: a start at or before the last clash clashes again.
                for u in range(t + d - 1, t - 1, -1):
                    for r in range(nres):
                        if usage[u, r] + dem[j, r] > cap[r]:
                            bad = u
                            break
                    if bad >= 0:
                        break
                if bad < 0:
                    break
                t = bad + 1
            for u in range(t, t + d):
                for r in range(nres):
                    usage[u, r] += dem[j, r]
        starts[j] = t
        if t + d > span:
            span = t + d
    return span


@jit
def _justify(starts: IntArray, dur: IntArray, dem: IntArray, cap: IntArray, pptr: IntArray, pidx: IntArray,
             sptr: IntArray, sidx: IntArray, usage: IntArray, tmp: IntArray, order: IntArray,
             rank: IntArray) -> int:
    """Forward-backward improvement of ``starts`` (in place) until it stops gaining; the makespan."""
    n = starts.shape[0]
    span = 0
    for j in range(n):
        if starts[j] + dur[j] > span:
            span = starts[j] + dur[j]
    key = np.empty(n, np.int64)
    while True:
        # Right-justify: latest finish first on the reversed network (ties in reverse topological order).
        for j in range(n):
            key[j] = -(starts[j] + dur[j]) * (n + 1) + (n - rank[j])
        order[:] = np.argsort(key)
        back = _sgs(order, dur, dem, cap, sptr, sidx, usage, tmp)
        for j in range(n):
            key[j] = (back - tmp[j] - dur[j]) * (n + 1) + rank[j]
        order[:] = np.argsort(key)
        new = _sgs(order, dur, dem, cap, pptr, pidx, usage, starts)
        if new >= span:
            return new
        span = new


@jit
def _seed(seed: int) -> None:
    np.random.seed(seed)


@jit
def _sample(lft: IntArray, pptr: IntArray, sptr: IntArray, sidx: IntArray, out: IntArray) -> None:
    """A random activity list, biased by regret on latest finish times (Drexl 1991)."""
    n = lft.shape[0]
    indeg = np.empty(n, np.int64)
    elig = np.empty(n, np.int64)
    weight = np.empty(n, np.float64)
    ne = 0
    for j in range(n):
        indeg[j] = pptr[j + 1] - pptr[j]
        if indeg[j] == 0:
            elig[ne] = j
            ne += 1
    for k in range(n):
        worst = 0
        for e in range(ne):
            worst = max(worst, lft[elig[e]])
        total = 0.0
        for e in range(ne):
            x = worst - lft[elig[e]] + 1.0
            weight[e] = x * x
            total += weight[e]
        draw = np.random.random() * total
        pick = ne - 1
        acc = 0.0
        for e in range(ne):
            acc += weight[e]
            if draw < acc:
                pick = e
                break
        j = elig[pick]
        elig[pick] = elig[ne - 1]
        ne -= 1
        out[k] = j
        for p in range(sptr[j], sptr[j + 1]):
            s = sidx[p]
            indeg[s] -= 1
            if indeg[s] == 0:
                elig[ne] = s
                ne += 1


@jit
def _offspring(pop: IntArray, spans: IntArray, dur: IntArray, dem: IntArray, cap: IntArray, pptr: IntArray,
               pidx: IntArray, sptr: IntArray, sidx: IntArray, related: BoolArray, rank: IntArray,
               usage: IntArray, count: int, mutation: float) -> tuple[IntArray, IntArray]:
    """``count`` children of binary-tournament parents, decoded and justified."""
    size, n = pop.shape
    kids = np.empty((count, n), np.int64)
    kid_spans = np.empty(count, np.int64)
    child = np.empty(n, np.int64)
    taken = np.zeros(n, np.bool_)
    starts = np.zeros(n, np.int64)
    tmp = np.zeros(n, np.int64)
    order = np.zeros(n, np.int64)
    key = np.empty(n, np.int64)
    for c in range(count):
        a, a2 = np.random.randint(size), np.random.randint(size)
        b, b2 = np.random.randint(size), np.random.randint(size)
        if spans[a2] < spans[a]:
            a = a2
        if spans[b2] < spans[b]:
            b = b2
        # Two-point crossover: mother's head, father's order for the middle, mother's order for the rest.
        q1 = np.random.randint(n)
        q2 = q1 + np.random.randint(n - q1 + 1)
        taken[:] = False
        k = 0
        for i in range(q1):
            child[k] = pop[a, i]
            taken[child[k]] = True
            k += 1
        for i in range(n):
            if k >= q2:
                break
            if not taken[pop[b, i]]:
                child[k] = pop[b, i]
                taken[child[k]] = True
                k += 1
        for i in range(n):
            if not taken[pop[a, i]]:
                child[k] = pop[a, i]
                taken[child[k]] = True
                k += 1
        for i in range(n - 1):
            if np.random.random() < mutation and not related[child[i], child[i + 1]]:
                child[i], child[i + 1] = child[i + 1], child[i]
        _sgs(child, dur, dem, cap, pptr, pidx, usage, starts)
        kid_spans[c] = _justify(starts, dur, dem, cap, pptr, pidx, sptr, sidx, usage, tmp, order, rank)
        for j in range(n):
            key[j] = starts[j] * (n + 1) + rank[j]
        kids[c, :] = np.argsort(key)
    return kids, kid_spans


class ActivityListGA:
    """The GA's state for one plain-RCPSP instance; :meth:`run` may be called repeatedly."""

    def __init__(self, inst: RcpspInstance, seed: int = 0, population: int = POPULATION,
                 mutation: float = MUTATION) -> None:
        reason = unsupported(inst)
        if reason is not None:
            raise ValueError(reason)
        self.inst = inst
        n = self.n = inst.n
        self.size, self.mutation = population, mutation
        self.dur = np.array(inst.durations, np.int64)
        self.dem = np.array(inst.demands, np.int64).reshape(n, len(inst.capacities))
        self.cap = np.array(inst.capacities, np.int64)
        preds: list[list[int]] = [[] for _ in range(n)]
        succs: list[list[int]] = [[] for _ in range(n)]
        for i, j, _ in inst.arcs():
            preds[j].append(i)
            succs[i].append(j)
        self.pptr, self.pidx = _csr(preds)
        self.sptr, self.sidx = _csr(succs)
        topo = _topological(preds, succs)
        self.rank = np.zeros(n, np.int64)
        self.rank[topo] = np.arange(n)
        reach: list[set[int]] = [set() for _ in range(n)]
        for j in reversed(topo):
            for s in succs[j]:
                reach[j].add(s)
                reach[j] |= reach[s]
        self.related = np.zeros((n, n), np.bool_)
        for i in range(n):
            for j in reach[i]:
                self.related[i, j] = self.related[j, i] = True
        self.lft = np.array(latest_finish(inst), np.int64)
        horizon = int(self.dur.sum())  # a serial schedule never ends later
        self.usage = np.zeros((horizon + int(self.dur.max(initial=0)) + 1, len(inst.capacities)), np.int64)
        self.pop = np.zeros((0, n), np.int64)
        self.spans = np.zeros(0, np.int64)
        self.evaluations = 0
        _seed(seed)

    def _evaluate(self, order: IntArray) -> tuple[int, IntArray]:
        starts = np.zeros(self.n, np.int64)
        _sgs(order, self.dur, self.dem, self.cap, self.pptr, self.pidx, self.usage, starts)
        tmp, work = np.zeros(self.n, np.int64), np.zeros(self.n, np.int64)
        span = _justify(starts, self.dur, self.dem, self.cap, self.pptr, self.pidx, self.sptr, self.sidx,
                        self.usage, tmp, work, self.rank)
        self.evaluations += 1
        return int(span), np.argsort(starts * (self.n + 1) + self.rank)

    def run(
        self,
        seconds: float | None = None,
        evaluations: int | None = None,
        target: int | None = None,
        stall: int | None = None,
    ) -> tuple[int, list[int]]:
        """Evolve for ``seconds`` of wall time or about ``evaluations`` schedules; stop sooner
        once a makespan of ``target`` (a lower bound) is reached or ``stall`` schedules in a
        row brought no improvement. Returns the best makespan and its start times."""
        t0, e0 = time.perf_counter(), self.evaluations
        last = (int(self.spans[0]) if len(self.spans) else None, self.evaluations)

        def more() -> bool:
            nonlocal last
            if len(self.spans):
                if target is not None and self.spans[0] <= target:
                    return False
                if last[0] is None or self.spans[0] < last[0]:
                    last = (int(self.spans[0]), self.evaluations)
                elif stall is not None and self.evaluations - last[1] >= stall:
                    return False
            if evaluations is not None and self.evaluations - e0 >= evaluations:
                return False
            return seconds is None or time.perf_counter() - t0 < seconds

        if len(self.pop) == 0:
            # The latest-finish-time list first: the GA never ends worse than the single-pass baseline.
            span, lst = self._evaluate(np.array(lft_order(self.inst), np.int64))
            lists: list[IntArray] = [lst]
            spans: list[int] = [span]
            order = np.zeros(self.n, np.int64)
            while len(lists) < self.size and (len(lists) < 2 or more()):
                _sample(self.lft, self.pptr, self.sptr, self.sidx, order)
                span, lst = self._evaluate(order)
                lists.append(lst)
                spans.append(span)
            self._merge(np.array(lists, np.int64), np.array(spans, np.int64))
        while more():
            # Small batches keep the time check close to the limit on large instances.
            count = max(1, min(self.size, 20_000 // self.n))
            kids, kid_spans = _offspring(self.pop, self.spans, self.dur, self.dem, self.cap, self.pptr, self.pidx,
                                         self.sptr, self.sidx, self.related, self.rank, self.usage, count,
                                         self.mutation)
            self.evaluations += count
            self._merge(kids, kid_spans)
        return self.best()

    def add(self, starts: list[int]) -> None:
        """Take a schedule found elsewhere (e.g. by CP-SAT) into the population."""
        span, lst = self._evaluate(np.argsort(np.array(starts, np.int64) * (self.n + 1) + self.rank))
        self._merge(lst[None, :], np.array([span], np.int64))

    def _merge(self, lists: IntArray, spans: IntArray) -> None:
        # Elitist: the best ``size`` of parents and children (stable, so older lists win ties).
        pop = np.vstack([self.pop, lists])
        all_spans = np.concatenate([self.spans, spans])
        keep = np.argsort(all_spans, kind="stable")[: self.size]
        self.pop, self.spans = pop[keep], all_spans[keep]

    def best(self) -> tuple[int, list[int]]:
        """The best makespan and its (justified) start times."""
        starts = np.zeros(self.n, np.int64)
        span = _sgs(self.pop[0], self.dur, self.dem, self.cap, self.pptr, self.pidx, self.usage, starts)
        return int(span), [int(s) for s in starts]


def unsupported(inst: RcpspInstance) -> str | None:
    """Why the GA cannot take ``inst``, or None."""
    if inst.kind != "rcpsp":
        return "the activity-list GA handles plain RCPSP (finish-to-start arcs) only"
    if any(q > c for dem in inst.demands for q, c in zip(dem, inst.capacities, strict=True)):
        # The SGS would look for a start forever; CP-SAT proves such an instance infeasible.
        return "an activity needs more than a resource's capacity"
    return None


def _csr(lists: list[list[int]]) -> tuple[IntArray, IntArray]:
    ptr = np.zeros(len(lists) + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    return ptr, np.array([v for x in lists for v in x], np.int64)


def _topological(preds: list[list[int]], succs: list[list[int]]) -> list[int]:
    indeg = [len(p) for p in preds]
    stack = [j for j in range(len(preds)) if indeg[j] == 0][::-1]
    out: list[int] = []
    while stack:
        j = stack.pop()
        out.append(j)
        for s in reversed(succs[j]):
            indeg[s] -= 1
            if indeg[s] == 0:
                stack.append(s)
    if len(out) != len(preds):
        raise ValueError("precedence graph has a cycle")
    return out


_warm = False


def warm_up() -> None:
    """Compile (or load from the on-disk cache) every kernel once per process, on a toy
    instance, so that no instance's time limit is spent compiling."""
    global _warm
    if _warm:
        return

    toy = RcpspInstance("warm-up", "rcpsp", (1, 2, 3), (0, 1, 0), ((0,), (1,), (0,)), (1,),
                        (((1, 0),), ((2, 1),), ()))
    ga = ActivityListGA(toy, population=4)
    ga.run(evaluations=8)
    ga.add(ga.best()[1])
    _warm = True
