"""Refreshers: a module that becomes required when the training it refreshes is too old at a gate.

For each rule (one per pair of jobs, :class:`planner.data.problem.RefresherRule`)
a Boolean ``old`` says that the initial module's last session is before the
threshold day. The refresher is done exactly when the initial module is done
and old; then it starts after the initial module ends, and its last session is
itself recent at the gate (on or after the threshold day) and before the gate.
Its last day is where the competency is current again: ``ctx.refreshed``
tells :mod:`competencies` (a goal's completion day is not before it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """``refresh`` present <=> ``initial`` present and old; its sessions between the two."""
    m = ctx.model
    for k, rule in enumerate(ctx.data.refreshers):
        a, r = rule.initial, rule.refresh
        if not ctx.possible(a):
            m.add(ctx.present[r] == 0)
            continue
        last = ctx.last(a)
        if last.day is None:  # a one-day grid: nothing is ever older than the gate's threshold
            m.add(ctx.present[r] == 0)
            continue
        old = m.new_bool_var(f"old[{k}]")
        m.add(last.day <= rule.threshold_day - 1).only_enforce_if(old)
        m.add(last.day >= rule.threshold_day).only_enforce_if(old.Not())
        need = m.new_bool_var(f"refresh[{k}]")
        m.add_bool_and([old, ctx.present[a]]).only_enforce_if(need)
        m.add_bool_or([old.Not(), ctx.present[a].Not()]).only_enforce_if(need.Not())
        if not ctx.possible(r):
            m.add(need == 0)
            continue
        m.add(ctx.present[r] == need)
        m.add(ctx.first(r).start >= last.end).only_enforce_if(need)
        done = ctx.last(r)
        if done.day is not None:
            m.add(done.day <= rule.gate_day - 1).only_enforce_if(need)
            m.add(done.day >= rule.threshold_day).only_enforce_if(need)
            ctx.refreshed.setdefault(a, []).append((need, done.day))


FAMILY = Family(
    name="refreshers",
    keys=("modules.*.refresher",),
    add=add,
    verify=(rules.refreshers,),
    explains=("recency",),
    provides=("refreshed",),
)
