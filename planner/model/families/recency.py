"""Recency: a module must be completed within N days before launch.

A day rule for the last session only (``Job.last_open_days``):
:mod:`planner.data.days` applies it to the variables' domains, so this
family adds no constraint.
"""

from __future__ import annotations
