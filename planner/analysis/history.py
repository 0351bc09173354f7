"""A published plan's history as it happened: which done sessions of a module still count on the as-of date
(a multi-day exercise under way goes on, or is retaken whole; a session done too long before launch for its
recency rule is taken again), and the progress rows that contradict it (overlaps, double bookings)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.analysis.progress import bad
from planner.exceptions import Problem

if TYPE_CHECKING:
    from planner.analysis.replan import BaselineSession
    from planner.calendar.grid import TimeGrid
    from planner.data.problem import Job, ProblemData

Done = tuple[int, "int | None", tuple[int, ...]]


def lapsed(job: Job, done: list[Done], S: int) -> list[Done]:
    """The done sessions that do not count under the module's recency rule (a session done earlier than
    published, too long before launch): every one outside the rule's days with ``recency_of: all``, else the
    last one of a finished module. They are taken again (their hours were spent)."""
    days = job.last_open_days
    if days is None or not done:
        return []

    def current(at: int) -> bool:
        return at // S < len(days) and days[at // S]

    if job.recent_all:
        return [x for x in done if not current(x[0])]
    return [done[-1]] if len(done) == job.num_sessions and not current(done[-1][0]) else []


def goes_on(data: ProblemData, job: Job, done: list[Done], published: list[BaselineSession], release: int) -> bool:
    """Whether a multi-day exercise (``consecutive``) under way on the as-of date goes on as published: every
    session before it done at its published time, and the days that follow still open to it (and to one of
    its instructors). Only then is its history kept; an interrupted one is retaken whole."""
    S = data.slots_per_day
    past = sorted(b.start for b in published if b.start // S < release)
    if sorted(s for s, _, _ in done) != past:
        return False  # a session failed, missed or done at another time: the run is broken
    first = past[0] // S
    rest = [first + k for k in range(len(done), job.num_sessions)]
    return all(release <= d < len(job.open_days) and job.open_days[d]
               and (job.season_days is None or job.season_days[d])
               and (not job.needs_instructor or any(data.instructors[i].open_days[d] for i in job.instructors))
               for d in rest)


def history_clashes(data: ProblemData, jobs: list[Job], rows: dict[tuple[int, int], int], grid: TimeGrid,
                     progress_file: Path) -> list[Problem]:
    """The rows whose actual time takes an instructor or a resource beyond its capacity in the history
    (another session already had them then): named, for the same reason as a participant's overlap."""
    users: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}  # holder -> (start, end, demand, job)
    for j, job in enumerate(jobs):
        for k, start in enumerate(job.fixed_starts):
            who = job.fixed_instructors[k] if k < len(job.fixed_instructors) else None
            for key, demand in [*([(("instructor", who), 1)] if who is not None else []),
                                *((("resource", r), d) for r, d in job.resources)]:
                users.setdefault(key, []).append((start, start + job.length, demand, j))
    out: list[Problem] = []
    for (kind, i), items in users.items():
        cap = data.instructors[i].capacity if kind == "instructor" else data.resources[i].capacity
        for s1, e1, _, j1 in items:
            if (j1, s1) not in rows:
                continue
            load = max(sum(d for s, e, d, _ in items if s <= t < e) for t in {s1, *(s for s, _, _, _ in items if s1 < s < e1)})
            if load > cap:
                name = data.instructors[i].id if kind == "instructor" else data.resources[i].id
                out.append(bad(progress_file, f"the actual time of {jobs[j1].id} ({_at(grid, s1)}) "
                               f"takes {kind} {name} beyond its capacity ({cap}) in the history", rows[j1, s1]))
    return out


def history_problems(data: ProblemData, jobs: list[Job], rows: dict[tuple[int, int], int], grid: TimeGrid,
                     progress_file: Path) -> list[Problem]:
    """The rows of the progress file whose actual time overlaps another session of the same participant in the
    history, or takes an instructor or a resource beyond its capacity there (:func:`history_clashes`), sorted
    by row: the history is pinned, so the plan would be proven impossible ("no plan exists at all") for a slip
    in the file. Every such row is named at once."""
    problems: list[Problem] = []
    for p, who in enumerate(data.participants):
        done = sorted((start, start + job.length, j) for j, job in enumerate(jobs) if p in job.participants
                      for start in job.fixed_starts)
        reach: tuple[int, int, int] | None = None  # (end, job, start) of the session ending last so far
        for s2, e2, j2 in done:
            if reach is not None and s2 < reach[0] and ((reach[1], reach[2]) in rows or (j2, s2) in rows):
                j1, s1 = reach[1], reach[2]
                moved, other = ((j2, s2), (j1, s1)) if (j2, s2) in rows else ((j1, s1), (j2, s2))
                problems.append(bad(progress_file, f"{who.id}: the actual time of {jobs[moved[0]].module} "
                                    f"({_at(grid, moved[1])}) overlaps their {jobs[other[0]].module} at "
                                    f"{_at(grid, other[1])} in the history", rows[moved]))
            if reach is None or e2 > reach[0]:
                reach = (e2, j2, s2)
    problems += history_clashes(data, jobs, rows, grid, progress_file)
    return sorted(problems, key=lambda x: int(x.path.split()[-1]))


def _at(grid: TimeGrid, slot: int) -> str:
    return grid.slot_start(slot).strftime("%Y-%m-%d %H:%M")
