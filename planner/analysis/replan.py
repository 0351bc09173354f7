"""Re-planning after day one: progress, minimal disruption, change list.

Inputs: the scenario (possibly edited, e.g. with a new outage), a published
baseline (``schedule.csv`` of an earlier ``planner plan``), a progress file
and the as-of date. Everything before the as-of date is history: baseline
sessions before it count as done as planned unless the progress file says
``missed`` or ``failed``, and ``completed`` rows may give the actual times.
Failed or missed sessions are retaken after the as-of date; a module marked
failed as a whole (empty ``session``), or an interrupted multi-day exercise
(``consecutive_days``), is retaken from its first session. The rest is
re-planned keeping published sessions where they were unless moving them is
needed; ``max_changes`` caps how many may move or be dropped.

Progress CSV columns: ``participant,module,session,status[,start,end,note]``
with ``status`` one of completed / failed / missed, ``session`` the 1-based
session number (or empty for the whole module) and ISO local date-times.
Every bad row is reported at once; a row the re-plan does not use (e.g. a
failed session that is planned after the as-of date) is reported as ignored
(``planner.analysis.progress``) and listed in the change list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.analysis.history import goes_on, history_problems, lapsed
from planner.analysis.keep import KEEP_PUBLISHED, keep_published
from planner.analysis.progress import IgnoredRow, ProgressRow, check_progress
from planner.calendar.grid import TimeGrid
from planner.data.days import Rule, closed_by
from planner.data.problem import Job, ProblemData
from planner.data.result import Schedule, ScheduledSession, SolveStatus
from planner.exceptions import OptionError, Problem, ScenarioError, VerificationError
from planner.plan.pipeline import PlanOutcome, prepare, schedule_rows
from planner.plan.readiness import Verdict, assess
from planner.scenario.load import LoadedScenario
from planner.solve.budget import AFTER_SOLVE
from planner.solve.run import Progress, SolveParams, solve
from planner.verify.checks import goals_achieved, verify_dates, verify_schedule


@dataclass(frozen=True)
class BaselineSession:
    """A published session of a job: its 0-based index, start slot, instructor and further staff
    (``ScheduledSession.staff``: in the job's needs' order)."""

    index: int
    start: int
    instructor: int | None
    staff: tuple[int, ...] = ()


@dataclass(frozen=True)
class Change:
    """One line of the change list."""

    owner: str  # participant, or crew for a joint module
    module: str
    session: int
    change: str  # kept / moved / added / removed / done / ignored (a progress row not used)
    old_start: str
    new_start: str
    reason: str


@dataclass(frozen=True)
class ReplanOutcome:
    """A re-plan: the new plan (verified) and what changed against the baseline."""

    plan: PlanOutcome
    changes: tuple[Change, ...]
    as_of: dt.date
    max_changes: int | None
    ignored: tuple[IgnoredRow, ...] = ()  # progress rows the re-plan did not use, with the reason

    def session_ids(self) -> dict[tuple[str, str, str], int]:
        """(participant, module, start as ISO text) -> the session's stable number: the published
        plan's for a kept, moved or done session, a new one for an added session. Calendars use
        it, so that a moved session updates its entry instead of adding another."""
        data = self.plan.data
        out: dict[tuple[str, str, str], int] = {}
        for c in self.changes:
            if c.change in ("kept", "moved", "added", "done") and c.new_start:
                j = data.job_index.get(f"{c.owner}/{c.module}")
                for p in data.jobs[j].participants if j is not None else ():
                    out[data.participants[p].id, c.module, c.new_start] = c.session
        return out

    @property
    def num_changes(self) -> int:
        """Published sessions moved or removed (what the budget counts)."""
        return sum(1 for c in self.changes if c.change in ("moved", "removed"))


def _bad(file: Path, msg: str, row: int | None = None) -> ScenarioError:
    return ScenarioError([Problem(str(file), "" if row is None else f"row {row}", None, msg)])


def read_csv_text(file: Path) -> pd.DataFrame:
    """A CSV file as text columns, or a located error."""
    try:
        return pd.read_csv(file, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise _bad(file, f"not a readable CSV file: {exc}") from None


def _staff_of(job: Job, text: str, teachers: dict[str, int]) -> tuple[int, ...]:
    """A published row's further staff (``role:id;...``) in the job's needs' order: each need's places
    filled by the listed people in that role who hold its qualification. Where a place cannot be filled
    (the scenario changed since), the rest is left out so the people before it keep their roles."""
    listed = [tuple(x.split(":", 1)) for x in text.split(";") if ":" in x]
    out: list[int] = []
    for need in job.staff:
        for _ in range(need.count):
            who = next((teachers[i] for r, i in listed if r == need.role and i in teachers
                        and teachers[i] in need.candidates and teachers[i] not in out), None)
            if who is None:
                return tuple(out)
            out.append(who)
    return tuple(out)


def baseline_schedule(data: ProblemData, baseline: dict[int, list[BaselineSession]]) -> Schedule:
    """The published sessions as a schedule of ``data``."""
    return Schedule(tuple(sorted(
        ScheduledSession(j, b.index, b.start, b.start + data.jobs[j].length, b.instructor, b.staff)
        for j, sessions in baseline.items() for b in sessions)))


def _spent(job: Job, starts: list[int], S: int, who: tuple[int, ...] | None = None) -> list[tuple[int, int, int]]:
    """(participant, day, slots) of ``job``'s sessions at ``starts`` that took place but count for nothing
    (failed, interrupted, lapsed, missed by a crew-mate): their hours still count towards the load caps
    (``ProblemData.spent``) of those there (``who``; None: every participant of the job)."""
    return [(p, at // S, job.length) for at in starts for p in (job.participants if who is None else who)]


def read_baseline(path: Path, grid: TimeGrid, data: ProblemData,
                  gone: list[Change] | None = None) -> dict[int, list[BaselineSession]]:
    """Published sessions per job from a ``planner plan`` schedule.csv (or its folder). With ``gone``, a row of
    a participant or module the scenario no longer has is added to it as removed instead of being an error
    (a what-if that drops them)."""
    file = path / "schedule.csv" if path.is_dir() else path
    if not file.exists():
        raise _bad(file, "baseline schedule.csv not found (give the --out folder of an earlier 'planner plan')")
    frame = read_csv_text(file)
    missing = {"participant", "crew", "module", "session", "start", "instructors"} - set(frame.columns)
    if missing:
        raise _bad(file, f"baseline is missing columns: {', '.join(sorted(missing))}")
    parts = {p.id: p for p in data.participants}
    taken = data.jobs_taken()
    teachers = {ins.id: i for i, ins in enumerate(data.instructors)}
    out: dict[int, dict[int, BaselineSession]] = defaultdict(dict)
    records: list[dict[str, str]] = [{str(k): str(v) for k, v in r.items()} for r in frame.to_dict("records")]
    for n, row in enumerate(records, start=2):
        pid, module = row["participant"], row["module"]
        j = taken.get((pid, module))
        if j is None and gone is not None:
            why = (f"participant {pid} is no longer in the scenario" if pid not in parts else
                   f"nobody takes module {module} any more" if module not in {job.module for job in data.jobs}
                   else f"{pid} no longer takes module {module}")
            gone.append(Change(pid, module, int(row["session"].split("/")[0]), "removed", row["start"][:16], "", why))
            continue
        if pid not in parts:
            raise _bad(file, f"unknown participant {pid!r}", n)
        if j is None:
            raise _bad(file, f"{pid} does not take module {module!r} in this scenario", n)
        try:
            slot = grid.slot_of(dt.datetime.fromisoformat(row["start"]))
            index = int(row["session"].split("/")[0]) - 1
        except ValueError as exc:
            raise _bad(file, f"cannot read the row: {exc}", n) from None
        if slot is None:
            raise _bad(file, f"start {row['start']} is not on the scenario's time grid", n)
        teacher = teachers.get(row["instructors"].split(";")[0]) if row["instructors"] else None
        out[j][index] = BaselineSession(index, slot, teacher, _staff_of(data.jobs[j], row.get("staff", ""), teachers))
    return {j: sorted(v.values(), key=lambda b: b.index) for j, v in out.items()}


def replan_problem(
    data: ProblemData,
    grid: TimeGrid,
    baseline: dict[int, list[BaselineSession]],
    progress: list[ProgressRow],
    as_of: dt.date,
    max_changes: int | None,
    progress_file: Path,
    numbers: dict[tuple[int, int], int] | None = None,
    notes: dict[tuple[int, int], str] | None = None,
) -> ProblemData:
    """``data`` with history pinned, the rest released from ``as_of`` and the baseline attached.
    ``numbers`` (when given) gets each done session's published number, by (job, actual start); ``notes``
    why a published session before ``as_of`` is not done, by (job, published number)."""
    S = data.slots_per_day
    release = grid.first_day_on_or_after(as_of)
    notes = {} if notes is None else notes
    status: dict[tuple[int, int], ProgressRow] = {}
    whole_failed: dict[int, ProgressRow] = {}  # job -> its failed or missed row, for the whole module
    # A session's own row before a whole module's (a crew-mate's missed session stays missed whatever the order
    # of the rows: a whole-module "completed" row after it cancelled it).
    for row in sorted(progress, key=lambda r: r.index is not None and len(data.jobs[r.job].participants) > 1):
        if row.index is None:
            if row.status != "completed":
                whole_failed[row.job] = row
            else:
                for kk in range(data.jobs[row.job].num_sessions):
                    status[row.job, kk] = row
        else:
            status[row.job, row.index] = row
    jobs: list[Job] = []
    base_map: dict[tuple[int, int], int] = {}
    rows: dict[tuple[int, int], int] = {}  # (job, start slot) of a session moved by the progress file -> its line
    teachers: dict[tuple[int, int], int] = {}  # (job, published start) -> published instructor, still to come
    spent: list[tuple[int, int, int]] = []  # (participant, day, slots) of sessions that took place and failed
    for j, job in enumerate(data.jobs):
        published = baseline.get(j, [])
        done: list[tuple[int, int | None, tuple[int, ...]]] = []  # (start slot, instructor, further staff)
        future: list[BaselineSession] = []
        for b in published:
            prow = status.get((j, b.index))
            if b.start // S >= release:
                if prow is not None and prow.status == "completed":
                    raise _bad(progress_file, f"{job.id} session {b.index + 1} is marked completed but is planned after {as_of}", prow.row)
                future.append(b)
                continue
            if prow is not None and prow.status != "completed":
                # Failed, or missed by a crew-mate: it took place, its hours count towards the caps of those there.
                there = prow.there
                if there != ():
                    at = grid.slot_of(prow.start) if prow.start is not None else None
                    at = b.start if at is None or at // S >= release else at  # an odd actual start: the published
                    spent += _spent(job, [at], S, there)
                notes[j, b.index + 1] = prow.note or f"{prow.status} before the as-of date: retaken"
                continue  # missed or failed: to be retaken
            start = b.start
            if prow is not None and prow.start is not None:
                actual = grid.slot_of(prow.start)
                if actual is None:
                    raise _bad(progress_file, f"actual start {prow.start} is not on the time grid", prow.row)
                if actual // S >= release:
                    raise _bad(progress_file, f"actual start {prow.start} is not before the as-of date {as_of}", prow.row)
                start = actual
                rows[j, start] = prow.row
            done.append((start, b.instructor, b.staff))
            if numbers is not None:
                numbers[j, start] = b.index + 1
        if j in whole_failed or (job.consecutive and 0 < len(done) < job.num_sessions
                                 and not goes_on(data, job, done, published, release)):
            whole = whole_failed.get(j)
            there = None if whole is None else whole.there
            if there != ():  # taken (failed, interrupted, or by the crew-mates there): its hours were spent all the same
                spent += _spent(job, [at for at, _, _ in done], S, there)
            why = (f"the module is retaken whole: {whole.note or whole.status + ' as a whole'}" if whole is not None
                   else "the multi-day exercise was interrupted: retaken whole")
            for b in published:
                if b.start // S < release:
                    notes.setdefault((j, b.index + 1), why)
            done = []  # retake the whole module (failed, or an interrupted multi-day exercise)
        done.sort()
        if len(done) > job.num_sessions:
            done = done[: job.num_sessions]
        old = lapsed(job, done, S)  # done too early for the recency rule (at another time than published)
        if old:
            spent += _spent(job, [at for at, _, _ in old], S)
            done = [x for x in done if x not in old]
            for at, _, _ in old:
                number = (numbers or {}).get((j, at))
                if number is not None:
                    notes[j, number] = (f"done on {grid.slot_start(at):%Y-%m-%d}, too long before launch for the "
                                        "module's recency rule: taken again (its hours count)")
        jobs.append(
            dataclasses.replace(
                job,
                fixed_starts=tuple(s for s, _, _ in done),
                fixed_instructors=tuple(i for _, i, _ in done),
                fixed_staff=tuple(x for _, _, x in done),
            )
        )
        # Free sessions follow the history; pair them with the published future ones in order.
        for offset, b in enumerate(future):
            k = len(done) + offset
            if k < job.num_sessions:
                base_map[j, k] = b.start
                if b.instructor is not None:
                    teachers[j, b.start] = b.instructor
    problems = history_problems(data, jobs, rows, grid, progress_file)
    if problems:
        raise ScenarioError(problems)
    # A module that has already begun keeps its place after its prerequisites
    # even when one of them failed and is retaken later: history is not
    # re-ordered. Unless it is finished, it still counts as done only once the
    # prerequisite is (the retake).
    precedences = tuple(p for p in data.precedences if not jobs[p.after].num_fixed)
    done_after = tuple(sorted({(p.before, p.after) for p in data.precedences
                               if 0 < jobs[p.after].num_fixed < jobs[p.after].num_sessions}))
    # Of the published sessions, those the module still has (an edit may have shortened it).
    published_plan = baseline_schedule(data, {j: [b for b in sessions if b.index < data.jobs[j].num_sessions]
                                              for j, sessions in baseline.items()})
    met = frozenset(g for g, ok in enumerate(goals_achieved(data, published_plan)) if ok)
    return dataclasses.replace(data, jobs=tuple(jobs), precedences=precedences, done_after=done_after, spent=tuple(spent),
                               release_day=release, baseline=base_map, teachers=teachers, max_changes=max_changes,
                               published_goals=met)


def _changes(
    loaded: LoadedScenario,
    grid: TimeGrid,
    data: ProblemData,
    schedule: Schedule | None,
    baseline: dict[int, list[BaselineSession]],
    numbers: dict[tuple[int, int], int] | None = None,
    notes: dict[tuple[int, int], str] | None = None,
) -> list[Change]:
    S = data.slots_per_day
    new: dict[tuple[int, int], int] = {}
    teachers: dict[tuple[int, int], int | None] = {}  # (job, start) -> the new plan's instructor
    if schedule is not None:
        new = {(s.job, s.index): s.start for s in schedule.sessions}
        teachers = {(s.job, s.start): s.instructor for s in schedule.sessions}

    def when(slot: int | None) -> str:
        return "" if slot is None else grid.slot_start(slot).isoformat(timespec="minutes")

    out = []
    for j, job in enumerate(data.jobs):
        owner = job.id.split("/")[0]
        # Sessions keep their numbers of the published plan (N of the baseline's
        # schedule.csv 'N/M'); only added ones are numbered in the new plan.
        published = {b.start: b.index + 1 for b in baseline.get(j, [])}
        planned = {b.index + 1: b.start for b in baseline.get(j, [])}
        done_numbers = set()
        for k in range(job.num_fixed):
            at = job.fixed_starts[k]
            # Its own number (of the progress row, or its published slot's): done at another time, even in
            # another session's published slot, it keeps its number.
            done_as = (numbers or {}).get((j, at)) or published.get(at, k + 1)
            done_numbers.add(done_as)
            was = planned.get(done_as, at)  # the published time of a session done at another time
            out.append(Change(owner, job.module, done_as, "done", when(was), when(at),
                              "history before the as-of date" + ("" if was == at else ", done at another time")))
        # Published before the as-of date but not done: failed or missed (or part of a module that is retaken
        # whole); its retake is an added session.
        for pub in baseline.get(j, []):
            if pub.start // S < data.release_day and pub.index + 1 not in done_numbers:
                out.append(Change(owner, job.module, pub.index + 1, "not done", when(pub.start), "",
                                  (notes or {}).get((j, pub.index + 1),
                                                    "failed or missed before the as-of date (or its module is retaken whole)")))
        # Sessions of a job are interchangeable: match published and new
        # slots as sets; the leftovers pair up in time order as moves.
        old = sorted(at for (jj, _k), at in data.baseline.items() if jj == j)
        now = sorted(at for (jj, k), at in new.items() if jj == j and k >= job.num_fixed)
        kept = set(old) & set(now)
        gone = [at for at in old if at not in kept]
        fresh = [at for at in now if at not in kept]
        number = {at: k + 1 for (jj, k), at in new.items() if jj == j}
        for at in sorted(kept):
            out.append(Change(owner, job.module, published.get(at, number[at]), "kept", when(at), when(at),
                              _teacher_change(data, j, at, teachers.get((j, at)))))
        for a, b in zip(gone, fresh, strict=False):
            out.append(Change(owner, job.module, published.get(a, number[b]), "moved", when(a), when(b),
                              _why_moved(data, j, a, S)))
        for a in gone[len(fresh):]:
            out.append(Change(owner, job.module, published.get(a, 0), "removed", when(a), "", _why_removed(data, j)))
        # Published sessions beyond the module's sessions now (fewer hours in the edited scenario): removed.
        future = sorted(b.start for b in baseline.get(j, []) if b.start // S >= data.release_day)
        for a in future[len(old):]:
            out.append(Change(owner, job.module, published.get(a, 0), "removed", when(a), "",
                              f"the module now has {job.num_sessions} sessions, fewer than published"))
        # An added session gets a number the published plan never used: its id stays unique.
        top = max([*published.values(), job.num_fixed], default=0)
        retakes = len(baseline.get(j, [])) - len(future) - job.num_fixed  # published in the past, not done
        for extra, b in enumerate(fresh[len(gone):], start=1):
            why = ("retake of a session not done (see its 'not done' line)" if extra <= retakes else
                   "the module now has more sessions than published" if baseline.get(j) else
                   "not in the published plan; needed for readiness")
            out.append(Change(owner, job.module, top + extra if baseline.get(j) else number[b], "added", "", when(b), why))
    return out


def _teacher_change(data: ProblemData, j: int, at: int, now: int | None) -> str:
    """The reason column of a session kept at its time: empty, or its instructor's change (the published one
    away now, or taken by another session): calendars and people must hear of it too."""
    before = data.teachers.get((j, at))
    if before is None or now is None or before == now:
        return ""
    who, by = data.instructors[before].id, data.instructors[now].id
    away = not data.instructors[before].open_days[at // data.slots_per_day]
    return f"same time, instructor {who} -> {by}" + (f" ({who} is away)" if away else "")


def _why_moved(data: ProblemData, j: int, old: int, S: int) -> str:
    # Only calendars and season can have changed since the plan was published.
    day = old // S
    if closed_by(data, j, day, rules=Rule.CALENDAR | Rule.SEASON) is not None:
        shut = [data.resources[r].id for r, _ in data.jobs[j].resources
                if (days := data.resources[r].open_days) is not None and not days[day]]
        if shut:
            return f"its published day is no longer available: {', '.join(shut)} closed (outage or season)"
        return "its published day is no longer available (new leave, outage or calendar change)"
    teacher = data.teachers.get((j, old))
    qualified = data.jobs[j].instructors
    if teacher is not None and not data.instructors[teacher].open_days[day] \
            and not any(data.instructors[i].open_days[day] for i in qualified):
        # Its published instructor is away that day now (a blackout or availability edited since), and so is
        # every other qualified one (one of them free, the absence alone would not have moved it).
        away = [data.instructors[i].id for i in qualified]
        return f"its published day is no longer available: {'instructor' if len(away) == 1 else 'instructors'} " \
               f"{', '.join(away)} {'is' if len(away) == 1 else 'are'} away"
    return "moved to keep readiness with the sessions around it (room for a retake or a displaced session, a course's days kept together)"


def _why_removed(data: ProblemData, j: int) -> str:
    return ("the module is not completed in this plan, so its remaining sessions were dropped (its competency "
            "cannot be met or gives way to others: see readiness.csv)")


def _ignored(rows: list[IgnoredRow]) -> list[Change]:
    """The ignored progress rows as lines of the change list (change 'ignored', session 0: whole module)."""
    return [Change(r.participant, r.module, r.session, "ignored", "", "", f"progress row {r.row}: {r.reason}")
            for r in rows]


def replan(
    loaded: LoadedScenario,
    baseline_dir: Path,
    progress_file: Path | None,
    as_of: dt.date | None,
    max_changes: int | None = None,
    params: SolveParams | None = None,
    progress: Progress | None = None,
    say: Callable[[str], None] | None = None,
) -> ReplanOutcome:
    """Re-plan ``loaded`` from ``as_of``; verified like :func:`planner.plan.pipeline.plan`.

    Every bad progress row is bad input (one problem per row); a row that is
    ignored is told to ``say`` (``FILE: row N: ignored: why``) and kept in the outcome.
    Without ``progress_file`` and ``as_of`` (a what-if against a published plan), nothing
    is history: every session may move, and published ones stay where they can.
    """
    params = params or SolveParams()
    grid, data = prepare(loaded)
    as_of = grid.window_start if as_of is None else as_of
    if not grid.window_start <= as_of <= grid.training_end:
        raise OptionError(f"--as-of {as_of} is outside the training window {grid.window_start}..{grid.training_end}")
    gone: list[Change] | None = [] if progress_file is None else None  # a what-if may drop people and modules
    baseline = read_baseline(baseline_dir, grid, data, gone)
    rows, ignored = check_progress(progress_file, data, grid, baseline, as_of) if progress_file else ([], [])
    for row in ignored:
        if say is not None and progress_file is not None:
            say(row.text(progress_file))
    numbers: dict[tuple[int, int], int] = {}
    notes: dict[tuple[int, int], str] = {}
    data2 = replan_problem(data, grid, baseline, rows, as_of, max_changes, progress_file or baseline_dir, numbers,
                           notes)
    # One budget: in wall mode the confirmation solves come out of it, not on top.
    budget = params.budget()
    solving = budget.part(budget.rest(keep=budget.share(AFTER_SOLVE)))
    result, start = None, None
    if progress_file is None:  # a what-if: first try keeping every published session that can stay
        result, start = keep_published(data2, params, solving.part(solving.share(KEEP_PUBLISHED)), progress)
    if result is None:  # the whole programme, from the ring plan that met the most pairs when there is one
        result = solve(data2, params.within(solving.rest()), progress, budget=solving, hint=start)
    if result.schedule is not None:
        problems = verify_schedule(data2, result.schedule, result.goals_met)
        problems += verify_dates(loaded.scenario, schedule_rows(grid, data2, result), since=dt.datetime.combine(as_of, dt.time()))
        if problems:
            raise VerificationError(problems)
    if max_changes is not None and result.status == SolveStatus.INFEASIBLE:
        # No plan at all stays within the budget (even dropping a module moves
        # its published sessions): say so, and how many changes readiness needs.
        free = solve(dataclasses.replace(data2, max_changes=None), params)
        need = sum(1 for c in _changes(loaded, grid, data2, free.schedule, baseline, numbers) if c.change in ("moved", "removed"))
        least = (f"the plan found without --max-changes moves or drops {need} and meets "
                 f"{free.num_goals_met} of {len(data2.goals)} pairs") if free.schedule is not None else \
            "no plan was found without the budget either"
        why = f"no plan stays within {max_changes} change(s) to the published plan (proven); {least}"
        readiness = [dataclasses.replace(r, status=Verdict.NOT_READY, achieved_on=None, slack_days=None, reason=why)
                     for r in assess(loaded.scenario, grid, data2, result, params, confirm=False)]
        outcome = PlanOutcome(loaded, grid, data2, result, tuple(readiness), params)
        history = [c for c in _changes(loaded, grid, data2, None, baseline, numbers, notes) if c.change == "done"]
        return ReplanOutcome(outcome, tuple(history + _ignored(ignored)), as_of, max_changes, tuple(ignored))
    readiness = assess(loaded.scenario, grid, data2, result, params, budget=budget)
    if max_changes is not None:
        # Say that the verdict holds under the change budget, not in general.
        readiness = [
            r if r.status == Verdict.READY else dataclasses.replace(r, reason=f"{r.reason} (with at most {max_changes} changes to the published plan)")
            for r in readiness
        ]
    outcome = PlanOutcome(loaded, grid, data2, result, tuple(readiness), params)
    changes = _changes(loaded, grid, data2, result.schedule, baseline, numbers, notes) + (gone or []) + _ignored(ignored)
    return ReplanOutcome(outcome, tuple(changes), as_of, max_changes, tuple(ignored))
