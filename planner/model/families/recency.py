"""Recency: a module must be completed within N days before launch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.data.problem import ProblemData


def days(data: ProblemData, job: int, last: bool) -> Sequence[bool] | None:
    """For the last session only: days recent enough before launch."""
    return data.jobs[job].last_open_days if last else None
