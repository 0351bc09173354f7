"""How plan() splits one budget: the solver's share, the reserve after it, deterministic limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.data.result import Result
from planner.plan import pipeline
from planner.scenario.load import load_scenario
from planner.solve.budget import Budget
from planner.solve.run import SolveParams
from tests.helpers import BASE, write


def _solve_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, params: SolveParams) -> Budget:
    """The budget plan() hands the solver (the real solve runs with it)."""
    seen: list[Budget] = []
    real = pipeline.solve

    def spy(*args: Any, **kwargs: Any) -> Result:
        seen.append(kwargs["budget"])
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "solve", spy)
    out = pipeline.plan(load_scenario(write(tmp_path, BASE)), params)
    assert out.overall.value == "READY"
    assert len(seen) == 1
    return seen[0]


def test_deterministic_solver_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests --deterministic with 10 units: start min(3, 5 % = 0.5) = 0.5, screening min(10, 10 % = 1) = 1,
    nothing kept back: the solver gets exactly 10 - 1.5 = 8.5 units, whatever the clock says."""
    budget = _solve_budget(tmp_path, monkeypatch, SolveParams(time_limit=10, deterministic=True))
    assert budget.deterministic and budget.seconds == 8.5


def test_wall_solver_share_keeps_time_for_the_steps_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests wall mode with 10 s: 20 % (2 s) is kept back for confirmations and relaxation proofs, and
    what the start took by the clock comes out of the solver's share: at most 10 - 2 = 8 s, and
    (the start of one trainee takes milliseconds, of its 0.5 s at most) at least 10 - 2 - 0.5 = 7.5 s."""
    budget = _solve_budget(tmp_path, monkeypatch, SolveParams(time_limit=10, num_workers=2))
    assert not budget.deterministic and 7.5 <= budget.seconds < 8.0
