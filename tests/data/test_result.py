"""Result: the words a status line uses for what a verdict rests on."""

from __future__ import annotations

from planner.data.result import PhaseInfo, Result, SolveStatus, status_words

OPT, FEAS, UNK = SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.UNKNOWN


def _result(first: SolveStatus, second: SolveStatus | None, objective: float | None = None,
            bound: float | None = None) -> Result:
    phases = (PhaseInfo("readiness", first),) + ((PhaseInfo("plan", second),) if second is not None else ())
    return Result(first, None, objective=objective, bound=bound, phases=phases)


def test_status_words_per_phase() -> None:
    """Tests that each phase's outcome is said in words, never as a bare solver status: a proven
    readiness whose plan phase hit the time limit says the order is not yet optimised."""
    assert status_words(_result(OPT, OPT, 10, 10)) == "readiness proven; session order optimal"
    assert status_words(_result(OPT, UNK)) == "readiness proven; order of sessions not yet optimised"
    assert status_words(_result(OPT, FEAS, 100, 90)) == (
        "readiness proven; session order improved, not proven best (gap 10.0 %)")
    assert status_words(_result(FEAS, UNK)) == "readiness not proven (time limit); order of sessions not yet optimised"
    assert status_words(_result(UNK, None)) == "readiness not proven (time limit, no plan found)"
    assert status_words(_result(OPT, None)) == "readiness proven"
    assert status_words(_result(SolveStatus.INFEASIBLE, None)) == "proven: no plan exists at all"
