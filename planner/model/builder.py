"""Build the CP-SAT model of a problem: variables, then every family."""

from __future__ import annotations

from planner.data.problem import ProblemData
from planner.model.context import Context
from planner.model.families import add_all


def build_model(data: ProblemData, skip: frozenset[str] = frozenset()) -> Context:
    """The model of ``data`` with every constraint family (except those named in ``skip``).

    Skipping a family that another kept family reads from (e.g.
    ``competencies``, whose goal literals ``bounds`` uses) raises ValueError.
    """
    ctx = Context(data)
    add_all(ctx, skip)
    return ctx
