"""The activity-list GA used on plain RCPSP (planner.bench.ga): tiny hand-checked
instances, determinism, and a property test against the independent checker; each
on the module as installed (numba-compiled when numba is there) and on a copy whose
kernels are plain Python, the fallback without numba."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.bench import ga as ga_mod
from planner.bench.bounds import cpm_lower_bound
from planner.bench.checker import check_rcpsp
from planner.bench.instance import RcpspInstance, makespan_of
from planner.bench.sgs import serial_sgs

NEEDS_NUMBA = pytest.mark.skipif(not ga_mod.COMPILED, reason="numba is not installed (the bench extra): "
                                 "no compiled kernels to compare with the plain-Python ones")


def plain_copy() -> ModuleType:
    """A second copy of planner.bench.ga imported with PLANNER_GA_PLAIN=1: plain-Python kernels
    even when numba is installed (its own module, so the installed one stays compiled)."""
    spec = importlib.util.spec_from_file_location("planner.bench._ga_plain", ga_mod.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ga_mod.PLAIN_ENV, "1")
        spec.loader.exec_module(module)
    return module


PLAIN = plain_copy()


@pytest.fixture(scope="module", params=["installed", "plain"])
def ga(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The GA module as installed, then its plain-Python copy."""
    yield ga_mod if request.param == "installed" else PLAIN


def _instance(durations: list[int], demands: list[list[int]], capacities: list[int],
              arcs: list[tuple[int, int]]) -> RcpspInstance:
    """Plain RCPSP with a dummy source (index 0) and sink (last) added around ``durations``."""
    n = len(durations) + 2
    dur = (0, *durations, 0)
    dem = (tuple(0 for _ in capacities), *(tuple(d) for d in demands), tuple(0 for _ in capacities))
    succ: list[set[int]] = [set() for _ in range(n)]
    for i, j in arcs:
        succ[i + 1].add(j + 1)
    has_pred = {j for s in succ for j in s}
    for j in range(1, n - 1):
        if j not in has_pred:
            succ[0].add(j)
        if not succ[j]:
            succ[j].add(n - 1)
    successors = tuple(tuple((j, dur[i]) for j in sorted(succ[i])) for i in range(n))
    return RcpspInstance("toy", "rcpsp", tuple(range(1, n + 1)), dur, dem, tuple(capacities), successors)


def test_single_unit_resource_serialises(ga: ModuleType) -> None:
    # Three activities of 2, 3 and 4 units all need the only unit of one resource:
    # they run one after another, so every schedule (and the optimum) is 2 + 3 + 4 = 9.
    inst = _instance([2, 3, 4], [[1], [1], [1]], [1], [])
    span, starts = ga.ActivityListGA(inst, population=10).run(evaluations=50)
    assert span == 9 and check_rcpsp(inst, starts) == []


def test_finds_the_pairing_that_lft_misses(ga: ModuleType) -> None:
    # Capacity 2; A (4 units, needs 2) and B, C (2 units each, need 1). Precedence A -> D
    # where D lasts 4 and needs 1. Best: A at 0..4, then D with B and C side by side:
    # D 4..8, B 4..6, C 6..8 -> 8. Bound: A's 8 capacity-units + D 4 + B 2 + C 2 = 16 = 2 x 8.
    # Latest finish first takes A, then B and C (ties by index) side by side at 4..6, so D
    # waits until 6 -> 10.
    inst = _instance([4, 2, 2, 4], [[2], [1], [1], [1]], [2], [(0, 3)])
    lft = serial_sgs(inst)
    assert lft is not None and makespan_of(inst, lft) == 10
    span, starts = ga.ActivityListGA(inst, population=20).run(evaluations=200)
    assert span == 8 and check_rcpsp(inst, starts) == []


def test_stops_at_the_target_bound(ga: ModuleType) -> None:
    # No resource conflict at all: the critical path 0 -> 5 -> 3 = 8 is met by the first list.
    inst = _instance([5, 3, 1], [[1], [1], [1]], [3], [(0, 1)])
    run = ga.ActivityListGA(inst, population=50)
    span, _ = run.run(evaluations=10_000, target=cpm_lower_bound(inst))
    assert span == 8 and run.evaluations < 100


def test_same_seed_same_result(ga: ModuleType) -> None:
    inst = _instance([3, 2, 4, 1, 2, 5], [[2, 1], [1, 2], [2, 0], [1, 1], [0, 2], [1, 1]], [3, 3],
                     [(0, 2), (1, 3), (3, 5)])
    a = ga.ActivityListGA(inst, seed=7, population=30).run(evaluations=300)
    b = ga.ActivityListGA(inst, seed=7, population=30).run(evaluations=300)
    assert a == b


def test_plain_switch_gives_plain_kernels() -> None:
    # PLANNER_GA_PLAIN=1 at import: the kernels are the Python functions themselves (no numba
    # dispatcher, which would carry .py_func), with or without numba installed.
    assert not PLAIN.COMPILED and not hasattr(PLAIN._sgs, "py_func") and not hasattr(PLAIN._offspring, "py_func")
    assert hasattr(ga_mod._sgs, "py_func") == ga_mod.COMPILED  # the installed module: compiled iff numba is used


@NEEDS_NUMBA
@pytest.mark.parametrize("seed", [0, 5])
def test_plain_python_gives_the_compiled_schedules(seed: int) -> None:
    # The same run on both paths (numba's random numbers follow NumPy's for the same seed):
    # the first list, sampling, crossover, mutation, a schedule taken from elsewhere, the stall
    # stop. Same makespans, starts, populations and evaluation counts.
    inst = _instance([3, 2, 4, 1, 2, 5, 3, 2], [[2, 1], [1, 2], [2, 0], [1, 1], [0, 2], [1, 1], [2, 2], [1, 0]],
                     [3, 3], [(0, 2), (1, 3), (3, 5), (2, 6)])
    runs = []
    for module in (ga_mod, PLAIN):
        run = module.ActivityListGA(inst, seed=seed, population=12)
        first = run.run(evaluations=60)
        baseline = serial_sgs(inst)
        assert baseline is not None
        run.add(baseline)
        second = run.run(evaluations=200, stall=80)
        runs.append((first, second, run.evaluations, run.spans.tolist(), run.pop.tolist()))
    assert runs[0] == runs[1]
    assert check_rcpsp(inst, runs[0][1][1]) == []


@st.composite
def _instances(draw: st.DrawFn) -> RcpspInstance:
    k = draw(st.integers(1, 8))
    nres = draw(st.integers(1, 2))
    caps = [draw(st.integers(1, 4)) for _ in range(nres)]
    durations = [draw(st.integers(0, 6)) for _ in range(k)]
    demands = [[draw(st.integers(0, c)) for c in caps] for _ in range(k)]
    arcs = [(i, j) for i in range(k) for j in range(i + 1, k) if draw(st.booleans()) and draw(st.booleans())]
    return _instance(durations, demands, caps, arcs)


@settings(max_examples=60, deadline=None)
@given(_instances(), st.integers(0, 3))
def test_ga_schedules_are_valid_and_no_worse_than_the_baseline(ga: ModuleType, inst: RcpspInstance,
                                                                seed: int) -> None:
    span, starts = ga.ActivityListGA(inst, seed=seed, population=8).run(evaluations=40)
    assert check_rcpsp(inst, starts) == []
    assert span == makespan_of(inst, starts)
    cpm = cpm_lower_bound(inst)
    baseline = serial_sgs(inst)
    assert cpm is not None and baseline is not None
    assert cpm <= span <= makespan_of(inst, baseline)


def test_activity_that_never_fits_is_left_to_cp_sat() -> None:
    # Activity 1 needs 3 units of a resource of capacity 2: no schedule exists. The GA refuses
    # the instance (its SGS would search forever) and the hybrid reports CP-SAT's proof.
    from planner.bench.hybrid import solve_instance
    from planner.data.result import SolveStatus

    inst = _instance([2, 1], [[3], [1]], [2], [])
    try:
        ga_mod.ActivityListGA(inst)
    except ValueError as exc:
        assert "capacity" in str(exc)
    else:
        raise AssertionError("expected ValueError")
    _, res = solve_instance(inst, 2.0)
    assert res.status == SolveStatus.INFEASIBLE and res.schedule is None
