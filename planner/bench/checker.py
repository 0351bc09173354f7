"""The independent schedule check: a schedule against the parsed instance alone,
so that a bug in :func:`planner.bench.instance.to_problem` cannot hide itself;
and the planner's own verifier on the planner data, the second check."""

from __future__ import annotations

from collections.abc import Sequence

from planner.bench.instance import RcpspInstance, makespan_of
from planner.data.problem import ProblemData
from planner.data.result import Schedule
from planner.verify.checks import verify_schedule


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


def planner_verify(data: ProblemData, schedule: Schedule) -> list[str]:
    """The planner's own verifier on the planner data (the second check)."""
    return list(verify_schedule(data, schedule))
