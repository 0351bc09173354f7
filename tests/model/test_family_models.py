"""Constraint families at model level: problem data built by hand, one tiny model solved.

Each test builds :class:`ProblemData` directly (no scenario, no calendar),
builds the model (all families, or all but the one under test to show it
matters), solves it with CP-SAT and compares with an answer derived by hand
in a comment. Slots are numbered from 0; a session in slot ``s`` of day ``d``
starts at ``d * slots_per_day + s``.
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from planner.data.problem import (
    Goal,
    InstructorData,
    Job,
    ParticipantData,
    Precedence,
    ProblemData,
    ResourceData,
    SpacingRule,
)
from planner.model import objective
from planner.model.builder import build_model
from planner.model.context import Context

ANN, BOB = ParticipantData("ann", "c1", "r"), ParticipantData("bob", "c2", "r")


def _data(days: int, slots: int, jobs: tuple[Job, ...], **more: object) -> ProblemData:
    fields: dict[str, object] = {"participants": (ANN, BOB), "resources": (), "instructors": (), **more}
    return ProblemData(slots_per_day=slots, num_days=days, week_shift=0, jobs=jobs, **fields)  # type: ignore[arg-type]


def _job(ident: str, who: int, days: int, sessions: int = 1, length: int = 1, **more: object) -> Job:
    return Job(ident, ident, (who,), sessions, length, (True,) * days, mandatory=True, **more)  # type: ignore[arg-type]


def _minimise(ctx: Context, expr: cp_model.LinearExprT) -> tuple[str, int | None]:
    """Status name and the least value of ``expr`` (None unless OPTIMAL)."""
    ctx.model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.status_name(solver.solve(ctx.model))
    return status, int(solver.objective_value) if status == "OPTIMAL" else None


def test_resources_unary_capacity_serialises() -> None:
    """Tests that a resource of capacity 1 runs its users one after the other."""
    # One day of 2 slots; ann and bob each need the simulator for one slot.
    # Capacity 1: one in slot 0, the other in slot 1, makespan 2; capacity 2:
    # both in slot 0, makespan 1.
    jobs = (_job("a", 0, 1, resources=((0, 1),)), _job("b", 1, 1, resources=((0, 1),)))
    one = _data(1, 2, jobs, resources=(ResourceData("sim", 1),))
    ctx = build_model(one)
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 2)
    ctx = build_model(replace(one, resources=(ResourceData("sim", 2),)))
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 1)


def test_instructors_one_teacher_at_a_time() -> None:
    """Tests that sessions needing the one qualified instructor do not overlap."""
    # Same as above with an instructor instead of a resource: one instructor
    # (capacity 1) gives makespan 2, a second qualified one makespan 1.
    jobs = (_job("a", 0, 1, needs_instructor=True, instructors=(0,)),
            _job("b", 1, 1, needs_instructor=True, instructors=(0,)))
    data = _data(1, 2, jobs, instructors=(InstructorData("i1", 1, (True,)),))
    ctx = build_model(data)
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 2)
    two = replace(data, instructors=(InstructorData("i1", 1, (True,)), InstructorData("i2", 1, (True,))),
                  jobs=tuple(replace(j, instructors=(0, 1)) for j in jobs))
    ctx = build_model(two)
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 1)


def test_load_daily_cap_spreads_sessions() -> None:
    """Tests that a daily cap of one slot puts ann's two sessions on two days."""
    # Two days of 2 slots. Without a cap both one-slot jobs fit on day 0
    # (slots 0 and 1): makespan 2. With a daily cap of 1 slot the second
    # goes to day 1, slot 0 (start 2, end 3): makespan 3.
    jobs = (_job("a", 0, 2), _job("b", 0, 2))
    ctx = build_model(_data(2, 2, jobs))
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 2)
    capped = _data(2, 2, jobs, participants=(replace(ANN, daily_cap=1), BOB))
    ctx = build_model(capped)
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 3)


def test_spacing_keeps_quiet_days() -> None:
    """Tests that a spacing rule keeps B off A's day and the day after."""
    # Four days of 1 slot; A before B (prerequisite), no B on A's day or the
    # next one. A on day 0, B on day 2: B ends at slot 3. Without the
    # spacing family B could follow on day 1 (end 2).
    jobs = (_job("a", 0, 4), _job("b", 0, 4))
    data = _data(4, 1, jobs, precedences=(Precedence(0, 1),), spacing=(SpacingRule(0, 0, 1, 1),))
    ctx = build_model(data)
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 3)
    ctx = build_model(data, skip=frozenset({"spacing"}))
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 2)


def test_windows_session_gap_and_deadline() -> None:
    """Tests that sessions keep their minimum gap, and a deadline too close for it is infeasible."""
    # Five days of 1 slot; two sessions at least 2 days apart: days 0 and 2,
    # the last ends at slot 3. With a deadline gate on day 3 that still
    # fits (last session on day 2 < 3); with the gate on day 2 only days 0
    # and 1 remain, too close together: infeasible.
    job = _job("a", 0, 5, sessions=2, min_gap_days=2)
    ctx = build_model(_data(5, 1, (replace(job, deadline_day=3),)))
    assert _minimise(ctx, objective.makespan(ctx)) == ("OPTIMAL", 3)
    ctx = build_model(_data(5, 1, (replace(job, deadline_day=2),)))
    assert _minimise(ctx, objective.makespan(ctx))[0] == "INFEASIBLE"


def test_competencies_goal_needs_its_job_before_the_deadline() -> None:
    """Tests that a goal is met only when its job can end before the goal's deadline (full model)."""
    # Three days of 2 slots; the optional job has two full-day sessions
    # (days 0 and 1). Deadline day 2: both sessions end before it, the goal
    # is met (1). Deadline day 1: only day 0 is before it, the goal cannot
    # be met (0), and the energy cuts of ``bounds`` agree.
    job = Job("a", "a", (0,), 2, 2, (True,) * 3)
    for deadline, met in ((2, 1), (1, 0)):
        ctx = build_model(_data(3, 2, (job,), goals=(Goal(0, "comp", ((0,),), deadline),)))
        assert _minimise(ctx, -objective.goals_met(ctx)) == ("OPTIMAL", -met)
