"""Seasons: modules that can only run in some date windows (e.g. winter survival).

A day rule (``Job.season_days``): :mod:`planner.data.days` applies it to the
variables' domains, so this family adds no constraint.
"""

from __future__ import annotations
