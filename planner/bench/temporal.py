"""The temporal proof of RCPSP/max: longest paths over the time lags, orders
forced by resource clashes, and the infeasibility they prove (pure propagation,
no search)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from planner.bench.instance import RcpspInstance

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

