"""Stability when re-planning: published sessions stay where they were.

Sessions of one job are interchangeable, so a published slot counts as kept
when *any* not-yet-done session of the same job starts there; ``changed`` is
1 for every published slot no session keeps (it moved or was dropped). The
objective minimises the changes right after readiness, and after the modules
left out the sessions that stay but change to another group of instructors than
the published instructor's; ``max_changes`` makes the budget hard.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.model.contract import Family
from planner.verify import rules

if TYPE_CHECKING:
    from planner.model.context import Context


def add(ctx: Context) -> None:
    """One ``kept`` literal per published slot; optional hard budget."""
    data, m = ctx.data, ctx.model
    _, pool_of = data.instructor_pools()
    by_job: dict[int, list[int]] = defaultdict(list)
    for (j, _k), at in sorted(data.baseline.items()):
        by_job[j].append(at)
    for j, slots in sorted(by_job.items()):
        if not ctx.possible(j):
            ctx.changes.extend(m.new_constant(1) for _ in slots)
            continue
        free = [sv for sv in ctx.sessions[j] if not sv.fixed]
        for i, at in enumerate(sorted(slots)):
            # Sessions and published slots are both in time order, so only
            # sessions near position i can take slot i: a window keeps the
            # number of literals linear in the number of sessions.
            lo, hi = max(0, i - 6), min(len(free), i + 7)
            matches: list[cp_model.IntVar] = []
            teacher = data.teachers.get((j, at))
            swapped = None if teacher is None else m.new_bool_var(f"teacher_changed[{data.jobs[j].id}@{at}]")
            for sv in free[lo:hi]:
                eq = m.new_bool_var(f"at[{j},{at}]")
                m.add(sv.start == at).only_enforce_if(eq)
                matches.append(eq)
                if teacher is not None and swapped is not None and sv.instructor:
                    # Staying with another group of instructors than the published instructor's is a change
                    # too (a smaller one: the sweep that names them keeps the published one when free).
                    same = sv.instructor.get(pool_of[teacher])
                    m.add_bool_or([eq.Not(), swapped] + ([same] if same is not None else []))
            if swapped is not None:
                ctx.teacher_changes.append(swapped)
            kept = m.new_bool_var(f"kept[{data.jobs[j].id}@{at}]")
            m.add_bool_or(matches).only_enforce_if(kept)
            m.add_implication(kept, ctx.present[j])
            ctx.changes.append(kept.Not())  # type: ignore[arg-type]
    if data.max_changes is not None and ctx.changes:
        m.add(sum(ctx.changes) <= data.max_changes)


FAMILY = Family(
    name="stability",
    keys=(),
    inputs=("replan --baseline", "replan --max-changes"),
    add=add,
    verify=(rules.stability,),
    no_explanation="re-planning only: explain works on a scenario without a published plan",
    provides=("changes",),
)
