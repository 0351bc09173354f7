"""Prerequisites with minimum and maximum lags (working slots or calendar days)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """A job may be done only if its prerequisites are, and after them."""
    m = ctx.model
    for a, b in ctx.data.done_after:  # re-planning: the order is history, the requirement stays
        if ctx.possible(b):
            m.add_implication(ctx.present[b], ctx.present[a] if ctx.possible(a) else ctx.model.new_constant(0))
    for p in ctx.data.precedences:
        a, b = p.before, p.after
        if not ctx.possible(b):
            continue
        if not ctx.possible(a):
            # The prerequisite cannot happen, so neither can the job.
            m.add(ctx.present[b] == 0)
            continue
        both = [ctx.present[a], ctx.present[b]]
        m.add_implication(ctx.present[b], ctx.present[a])
        first_b = ctx.first(b)
        if p.kind == "es":
            ref = ctx.last(a).end
            ref_day = ctx.ordinal(a, len(ctx.sessions[a]) - 1)
        else:
            ref = ctx.first(a).start
            ref_day = ctx.ordinal(a, 0)
        m.add(first_b.start >= ref + p.min_lag).only_enforce_if(both)
        if p.max_lag is not None:
            m.add(first_b.start <= ref + p.max_lag).only_enforce_if(both)
        if p.min_days:
            m.add(ctx.ordinal(b, 0) >= ref_day + p.min_days).only_enforce_if(both)
        if p.max_days is not None:
            m.add(ctx.ordinal(b, 0) <= ref_day + p.max_days).only_enforce_if(both)


FAMILY = Family(
    name="precedence",
    keys=("modules.*.prerequisites",),
    add=add,
    verify=(rules.precedence,),
    explains=("prerequisite",),
)
