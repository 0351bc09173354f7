"""Recency: a module must be completed within N days before launch.

A day rule for the last session only (``Job.last_open_days``):
:mod:`planner.data.days` applies it to the variables' domains, so this
family adds no constraint.
"""

from __future__ import annotations

from planner.model.contract import Family
from planner.verify import rules

FAMILY = Family(
    name="recency",
    keys=("modules.*.recency_days", "modules.*.recency_of"),
    add=None,
    no_constraints="its days are left out of the last session's domain by planner.data.days (Job.last_open_days)",
    verify=(rules.session_recency,),
    explains=("recency",),
)
