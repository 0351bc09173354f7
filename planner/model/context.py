"""Decision variables of the CP-SAT model and the context families share.

Each session of a possible job gets ``start``, ``end``, an optional interval
present with its job and, on multi-day grids, ``day`` and ``offset`` with
``start = day * slots_per_day + offset`` and ``offset <= slots_per_day -
length``: this is what keeps a session inside one working day. Week numbers
of a session's day are made lazily, only when a family asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.data.days import Impossible, Why, allowed_days, impossible
from planner.data.problem import ProblemData

IntExpr = cp_model.LinearExprT

# A job is left out of the model when its sessions would have no day to go
# to (an empty domain); other reasons it can never run (no instructor, too
# little capacity) are left to the families' constraints, as they always were.
DOMAIN_CHECKS = frozenset({Why.LONGER_THAN_DAY, Why.NO_OPEN_DAY, Why.NO_LAST_DAY, Why.TOO_FEW_DAYS})


@dataclass
class SessionVars:
    """Variables of one session."""

    start: cp_model.IntVar
    end: cp_model.IntVar
    interval: cp_model.IntervalVar
    day: cp_model.IntVar | None
    week: cp_model.IntVar | None = None
    weeks: dict[int, cp_model.IntVar] | None = None  # calendar week -> "runs that week" (exact), made lazily
    fixed: bool = False
    instructor: dict[int, cp_model.IntVar] = field(default_factory=dict)  # pool -> teaches
    staff: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (role, instructor) -> staffs


class Context:
    """The model under construction: data, variables and helpers."""

    def __init__(self, data: ProblemData) -> None:
        self.data = data
        self.model = cp_model.CpModel()
        self.true = self.model.new_constant(1)
        self.present: list[cp_model.IntVar] = []
        self.sessions: list[list[SessionVars]] = []
        self.impossible: dict[int, Impossible] = {}
        self.goal_sat: list[cp_model.IntVar] = []
        self.goal_completion: list[cp_model.IntVar] = []
        self.changes: list[cp_model.IntVar] = []
        # Re-planning: per published session still to come with an instructor, true when it stays but its
        # instructor's group changes (the stability family's; a cost term after the modules left out).
        self.teacher_changes: list[cp_model.IntVar] = []
        # Initial job -> (refresher needed, its last day): the refreshers family's, read by competencies.
        self.refreshed: dict[int, list[tuple[cp_model.IntVar, IntExpr]]] = {}
        self.plan_terms: list[tuple[cp_model.LinearExprT, int]] | None = None  # objective.plan_cost's, once built
        # The level shape's weekly loads as linear rows over exact week Booleans (a portfolio's LP workers bound
        # the peaks from them) or, False, as Cumulatives (one deterministic worker searches better from those).
        self.linear_weeks = True
        # Repair levers (planner.model.levers): capacity a lever has not bought,
        # as whole-horizon intervals whose demand is the unbought part, keyed
        # ("resource", r), ("instructor", i), ("week", p) or ("day", p); the
        # capacity families add them to their Cumulative.
        self.fillers: dict[tuple[str, int], list[tuple[cp_model.IntervalVar, cp_model.LinearExprT]]] = {}
        # The units an instructor's levers may buy, each (units bought, at most): a day off takes those bought
        # as intervals of one variable each (a Cumulative's demand is affine in one variable).
        self.bought: dict[tuple[str, int], list[tuple[cp_model.LinearExprT, int]]] = {}
        self._make_variables()

    # -- variables ---------------------------------------------------------
    def _make_variables(self) -> None:
        data, m = self.data, self.model
        S = data.slots_per_day
        for j, job in enumerate(data.jobs):
            reason = impossible(data, j, checks=DOMAIN_CHECKS)
            if reason is not None:
                self.impossible[j] = reason
                self.present.append(m.new_constant(0))
                self.sessions.append([])
                continue
            days = allowed_days(data, j)
            last_days = allowed_days(data, j, last=True)
            fully_done = job.num_sessions == job.num_fixed
            pres = self.true if job.mandatory or fully_done else m.new_bool_var(f"done[{job.id}]")
            self.present.append(pres)
            svars = []
            for k in range(job.num_sessions):
                name = f"{job.id}#{k}"
                if k < job.num_fixed:
                    # History: the session happened there; pin it.
                    at = job.fixed_starts[k]
                    start = m.new_int_var(at, at, f"start[{name}]")
                    day = m.new_int_var(at // S, at // S, f"day[{name}]") if data.num_days > 1 else None
                    end = m.new_int_var(at + job.length, at + job.length, f"end[{name}]")
                    itv = m.new_optional_interval_var(start, job.length, end, pres, f"itv[{name}]")
                    svars.append(SessionVars(start, end, itv, day, fixed=True))
                    continue
                allowed = last_days if k == job.num_sessions - 1 else days
                pin = job.pinned[k - job.num_fixed] if job.pinned else None
                if pin is not None:  # kept where a published plan has it (what-ifs against a plan)
                    allowed = [d for d in allowed if d == pin // S and pin % S <= S - job.length]
                if data.num_days == 1:
                    lo, hi = (pin, pin) if pin is not None else (0, S - job.length)
                    start = m.new_int_var(lo, hi, f"start[{name}]")
                    day = None
                else:
                    dom = cp_model.Domain.from_intervals(
                        [[pin, pin] if pin is not None else [d * S, d * S + S - job.length] for d in allowed]
                    )
                    start = m.new_int_var_from_domain(dom, f"start[{name}]")
                    day = m.new_int_var_from_domain(
                        cp_model.Domain.from_values(allowed), f"day[{name}]"
                    )
                    off = m.new_int_var(0, S - job.length, f"off[{name}]")
                    m.add(start == S * day + off)
                end = m.new_int_var(0, data.horizon, f"end[{name}]")
                if job.mandatory:
                    itv = m.new_interval_var(start, job.length, end, f"itv[{name}]")
                else:
                    itv = m.new_optional_interval_var(start, job.length, end, pres, f"itv[{name}]")
                svars.append(SessionVars(start, end, itv, day))
            self.sessions.append(svars)

    def possible(self, job: int) -> bool:
        """Whether ``job`` can be scheduled at all."""
        return job not in self.impossible

    def ordinal(self, job: int, k: int) -> IntExpr:
        """Calendar day (since the window start) of session ``k`` of ``job``."""
        return self.day(job, k)

    def week(self, job: int, k: int) -> IntExpr:
        """Calendar week of session ``k`` of ``job``."""
        sv = self.sessions[job][k]
        if sv.day is None:
            return 0
        if sv.week is None:
            shift = self.data.week_shift
            sv.week = self.model.new_int_var(0, self.data.num_weeks - 1, f"week[{job}#{k}]")
            self.model.add_division_equality(sv.week, sv.day + shift, 7)
        return sv.week

    def week_literals(self, job: int, k: int) -> dict[int, cp_model.IntVar]:
        """Calendar week -> a Boolean true exactly when session ``k`` of ``job`` runs that week
        (one of them when the job is done, none otherwise), for the weeks its allowed days touch."""
        sv = self.sessions[job][k]
        if sv.day is None:
            return {}
        if sv.weeks is None:
            sv.weeks = {w: self.in_week(job, k, w) for w in self.session_weeks(job, k)}
            self.model.add(sum(sv.weeks.values()) == self.present[job])
        return sv.weeks

    def session_days(self, job: int, k: int) -> list[int]:
        """The days, in order, that session ``k`` of ``job`` may use (its day variable's domain)."""
        sv = self.sessions[job][k]
        if sv.day is None:
            return []
        flat = list(sv.day.proto.domain)  # the session's allowed days, as [lo, hi] runs
        return [d for lo, hi in zip(flat[::2], flat[1::2], strict=True) for d in range(lo, hi + 1)]

    def session_weeks(self, job: int, k: int) -> list[int]:
        """The calendar weeks, in order, that the allowed days of session ``k`` of ``job`` touch."""
        return sorted({self.data.week(d) for d in self.session_days(job, k)})

    def in_week(self, job: int, k: int, w: int) -> cp_model.IntVar:
        """A new Boolean that may be 1 only if session ``k`` of ``job`` runs in calendar week ``w``."""
        sv, data = self.sessions[job][k], self.data
        assert sv.day is not None
        x = self.model.new_bool_var(f"in_week[{data.jobs[job].id}#{k},{w}]")
        self.model.add(sv.day >= w * 7 - data.week_shift).only_enforce_if(x)
        self.model.add(sv.day <= w * 7 - data.week_shift + 6).only_enforce_if(x)
        return x

    def day(self, job: int, k: int) -> IntExpr:
        """Working-day index of session ``k`` of ``job``."""
        sv = self.sessions[job][k]
        return 0 if sv.day is None else sv.day

    def first(self, job: int) -> SessionVars:
        """Variables of the first session of ``job``."""
        return self.sessions[job][0]

    def last(self, job: int) -> SessionVars:
        """Variables of the last session of ``job``."""
        return self.sessions[job][-1]
