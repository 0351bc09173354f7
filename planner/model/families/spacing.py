"""Spacing: per participant, no session of B on the day of a session of A or
on the following N calendar days (e.g. no centrifuge within 24 h after a
parabolic flight)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """For every pair of sessions: B before A's day, or after the quiet days."""
    m = ctx.model
    for rule in ctx.data.spacing:
        a, b = rule.first, rule.second
        if not (ctx.possible(a) and ctx.possible(b)):
            continue
        both = [ctx.present[a], ctx.present[b]]
        for ka in range(len(ctx.sessions[a])):
            for kb in range(len(ctx.sessions[b])):
                if ctx.sessions[a][ka].fixed and ctx.sessions[b][kb].fixed:
                    continue  # both in the past
                before = m.new_bool_var(f"space[{a}#{ka},{b}#{kb}]")
                oa, ob = ctx.ordinal(a, ka), ctx.ordinal(b, kb)
                m.add(ob <= oa - 1).only_enforce_if([before, *both])
                m.add(ob >= oa + rule.days + 1).only_enforce_if([before.Not(), *both])


FAMILY = Family(
    name="spacing",
    keys=("spacing",),
    add=add,
    verify=(rules.spacing,),
    explains=("spacing",),
)
