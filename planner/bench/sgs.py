"""Schedule generation: the serial SGS baseline (single pass, latest-finish-time
priority), left justification and the time reversal of an instance."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import replace

from planner.bench.bounds import earliest_starts, latest_finish
from planner.bench.instance import RcpspInstance, default_horizon, makespan_of


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


