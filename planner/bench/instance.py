"""PSPLIB instances: :class:`RcpspInstance`, the ``.sm`` and ``.sch`` parsers with
their file checks, the instance as planner data (:func:`to_problem`) and the sets.

An instance keeps the activity numbers of its file and stores every precedence
as a start-to-start lag. :func:`to_problem` turns it into :class:`ProblemData`
(one "day" as long as the horizon, one mandatory session per activity, objective
``makespan``), so it is solved by exactly the model the training planner uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from planner.data.problem import Job, Precedence, ProblemData, ResourceData
from planner.data.result import Schedule

Kind = Literal["rcpsp", "rcpsp_max"]
SM_SETS = ("j30", "j60", "j90", "j120")
MAX_DIR = "rcpsp-max"


class BenchInputError(ValueError):
    """Bad benchmark input: unknown set, missing folder or unreadable file."""


class BenchUsageError(BenchInputError):
    """An option that names nothing there is: an unknown set, a missing folder (a usage error, exit 2)."""


@dataclass(frozen=True)
class RcpspInstance:
    """One RCPSP(/max) instance, indexed ``0..n-1`` in file order.

    ``activities`` are the numbers used in the file (``.sm``: 1 = source;
    ``.sch``: 0 = source). ``successors[i]`` holds ``(j, lag)`` meaning
    ``start[j] >= start[i] + lag``; for plain RCPSP the lag is ``durations[i]``
    (finish-to-start), for RCPSP/max it is the file's lag (negative = maximum
    time lag). ``horizon`` is the file's horizon (0 when it has none).
    """

    name: str
    kind: Kind
    activities: tuple[int, ...]
    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]
    capacities: tuple[int, ...]
    successors: tuple[tuple[tuple[int, int], ...], ...]
    horizon: int = 0

    @property
    def n(self) -> int:
        """Number of activities, source and sink included."""
        return len(self.durations)

    def arcs(self) -> Iterator[tuple[int, int, int]]:
        """Every ``(i, j, lag)``."""
        for i, succ in enumerate(self.successors):
            for j, lag in succ:
                yield i, j, lag

    def predecessors(self) -> list[list[tuple[int, int]]]:
        """For each activity, its ``(i, lag)`` in-arcs."""
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for i, j, lag in self.arcs():
            out[j].append((i, lag))
        return out


# -- parsing -------------------------------------------------------------------


def _rows(lines: list[str], title: str) -> list[list[str]]:
    """Rows of a ``.sm`` section: lines starting with a number, up to the next ``***``."""
    try:
        k = next(i for i, ln in enumerate(lines) if ln.strip().startswith(title))
    except StopIteration:
        raise BenchInputError(f"section {title!r} not found") from None
    out = []
    for ln in lines[k + 1 :]:
        if ln.startswith("*"):
            break
        tok = ln.split()
        if tok and tok[0].isdigit():
            out.append(tok)
    return out


def _field(text: str, label: str) -> int:
    match = re.search(rf"^\s*{re.escape(label)}[^:\n]*:\s*(\d+)", text, re.MULTILINE)
    if match is None:
        raise BenchInputError(f"field {label!r} not found")
    return int(match.group(1))


def parse_sm(path: Path) -> RcpspInstance:
    """Parse a PSPLIB single-mode ``.sm`` file (renewable resources only)."""
    text = path.read_text(encoding="latin-1")
    lines = text.splitlines()
    n = _field(text, "jobs (incl. supersource/sink")
    renewable = _field(text, "- renewable")
    prec = _rows(lines, "PRECEDENCE RELATIONS:")
    req = _rows(lines, "REQUESTS/DURATIONS:")
    caps = _rows(lines, "RESOURCEAVAILABILITIES:")
    if len(prec) != n or len(req) != n or not caps:
        raise BenchInputError(f"{path.name}: expected {n} jobs, got {len(prec)} / {len(req)} rows")
    numbers = tuple(int(r[0]) for r in req)
    index = {a: i for i, a in enumerate(numbers)}
    durations = tuple(int(r[2]) for r in req)
    if any(len(r) != 3 + renewable for r in req) or len(caps[0]) != renewable:
        raise BenchInputError(f"{path.name}: a request or capacity row does not list {renewable} resources")
    demands = tuple(tuple(int(x) for x in r[3 : 3 + renewable]) for r in req)
    succ: list[tuple[tuple[int, int], ...]] = [()] * n
    for r in prec:
        i = index[int(r[0])]
        count = int(r[2])
        if len(r) != 3 + count:  # a cut row would silently drop precedences
            raise BenchInputError(f"{path.name}: activity {r[0]} announces {count} successors and lists {len(r) - 3}")
        succ[i] = tuple((index[int(s)], durations[i]) for s in r[3 : 3 + count])
    return RcpspInstance(
        name=path.stem,
        kind="rcpsp",
        activities=numbers,
        durations=durations,
        demands=demands,
        capacities=tuple(int(x) for x in caps[0][:renewable]),
        successors=tuple(succ),
        horizon=_field(text, "horizon"),
    )


def parse_sch(path: Path) -> RcpspInstance:
    """Parse a ProGen/max RCPSP/max ``.sch`` file (single mode).

    Layout: ``n K 0 0``; per activity ``act mode #succ succ... [lag]...``;
    per activity ``act mode duration demand...``; the K capacities.
    """
    rows = [ln.split() for ln in path.read_text(encoding="latin-1").splitlines() if ln.strip()]
    n_real, k = int(rows[0][0]), int(rows[0][1])
    n = n_real + 2
    if len(rows) < 2 * n + 2:
        raise BenchInputError(f"{path.name}: truncated RCPSP/max file")
    prec, req, caps = rows[1 : 1 + n], rows[1 + n : 1 + 2 * n], rows[1 + 2 * n]
    numbers = tuple(int(r[0]) for r in req)
    index = {a: i for i, a in enumerate(numbers)}
    succ: list[tuple[tuple[int, int], ...]] = [()] * n
    for r in prec:
        count = int(r[2])
        if len(r) != 3 + 2 * count:
            raise BenchInputError(f"{path.name}: activity {r[0]} announces {count} successors with lags, "
                                  f"its row has {len(r) - 3} values")
        targets = r[3 : 3 + count]
        lags = r[3 + count : 3 + 2 * count]
        succ[index[int(r[0])]] = tuple(
            (index[int(t)], int(lag.strip("[]"))) for t, lag in zip(targets, lags, strict=True)
        )
    return RcpspInstance(
        name=path.stem,
        kind="rcpsp_max",
        activities=numbers,
        durations=tuple(int(r[2]) for r in req),
        demands=tuple(tuple(int(x) for x in r[3 : 3 + k]) for r in req),
        capacities=tuple(int(x) for x in caps[:k]),
        successors=tuple(succ),
    )


def check_instance(inst: RcpspInstance, name: str) -> RcpspInstance:
    """``inst`` if it is a well-formed instance, else :class:`BenchInputError` naming ``name``."""
    k = len(inst.capacities)
    if len(set(inst.activities)) != inst.n:
        raise BenchInputError(f"{name}: activity numbers repeat")
    if any(d < 0 for d in inst.durations) or any(c < 0 for c in inst.capacities):
        raise BenchInputError(f"{name}: negative duration or capacity")
    if any(len(row) != k or min(row, default=0) < 0 for row in inst.demands):
        raise BenchInputError(f"{name}: every activity needs {k} non-negative demands")
    if inst.kind == "rcpsp":
        # Plain RCPSP precedences must form a DAG (RCPSP/max may have cycles of lags).
        indeg = [0] * inst.n
        for _i, j, _lag in inst.arcs():
            indeg[j] += 1
        ready = [a for a in range(inst.n) if indeg[a] == 0]
        seen = 0
        while ready:
            a = ready.pop()
            seen += 1
            for b, _lag in inst.successors[a]:
                indeg[b] -= 1
                if indeg[b] == 0:
                    ready.append(b)
        if seen != inst.n:
            raise BenchInputError(f"{name}: the precedence relations contain a cycle")
    return inst


def parse(path: Path) -> RcpspInstance:
    """Parse ``path`` by its suffix: ``.sm`` or ``.sch``."""
    suffix = path.suffix.lower()
    if suffix not in (".sm", ".sch"):
        raise BenchInputError(f"{path.name}: not a .sm or .sch file")
    if not path.read_text(encoding="latin-1").strip():
        raise BenchInputError(f"{path.name}: the file is empty")
    try:
        return check_instance(parse_sm(path) if suffix == ".sm" else parse_sch(path), path.name)
    except BenchInputError as exc:
        text = str(exc)
        raise BenchInputError(text if text.startswith(path.name) else f"{path.name}: {text}") from None
    except KeyError as exc:  # a successor number that no activity of the file has
        raise BenchInputError(f"{path.name}: activity {exc.args[0]} is listed as a successor but the file has "
                              "no such activity") from None
    except IndexError:
        raise BenchInputError(f"{path.name}: a row is shorter than the format needs (a truncated file?)") from None
    except ValueError as exc:  # int() of a word
        found = re.search(r"'(.*)'", str(exc))
        raise BenchInputError(f"{path.name}: a whole number was expected, found "
                              f"{found.group(0) if found else str(exc)}") from None


# -- the instance as planner data ---------------------------------------------


def default_horizon(inst: RcpspInstance) -> int:
    """A safe upper bound on the makespan of some optimal schedule.

    RCPSP: the sum of durations (serial schedule). RCPSP/max: the sum of
    durations and positive lags (Bartusch et al. 1988: a feasible instance
    has a feasible schedule within it).
    """
    total = sum(inst.durations)
    if inst.kind == "rcpsp":
        return max(total, inst.horizon, 1)
    return max(total + sum(lag for _, _, lag in inst.arcs() if lag > 0), 1)


def to_problem(inst: RcpspInstance, horizon: int | None = None) -> ProblemData:
    """The instance as planner data; job ``i`` is activity ``inst.activities[i]``."""
    length = horizon if horizon is not None else default_horizon(inst)
    jobs = tuple(
        Job(
            id=str(a),
            module="",
            participants=(),
            num_sessions=1,
            length=d,
            open_days=(True,),
            resources=tuple((r, q) for r, q in enumerate(dem) if q > 0),
            mandatory=True,
        )
        for a, d, dem in zip(inst.activities, inst.durations, inst.demands, strict=True)
    )
    if inst.kind == "rcpsp":
        precs = tuple(Precedence(i, j, "es", 0) for i, j, _ in inst.arcs())
    else:
        precs = tuple(Precedence(i, j, "ss", lag) for i, j, lag in inst.arcs())
    return ProblemData(
        slots_per_day=length,
        num_days=1,
        week_shift=0,
        participants=(),
        resources=tuple(ResourceData(f"R{r + 1}", c) for r, c in enumerate(inst.capacities)),
        instructors=(),
        jobs=jobs,
        precedences=precs,
        goals=(),
        objective="makespan",
        job_index={job.id: j for j, job in enumerate(jobs)},
    )


def schedule_starts(inst: RcpspInstance, schedule: Schedule) -> list[int]:
    """Start of every activity in ``schedule`` (index order); -1 if missing."""
    starts = [-1] * inst.n
    for s in schedule.sessions:
        starts[s.job] = s.start
    return starts


def makespan_of(inst: RcpspInstance, starts: Sequence[int]) -> int:
    """The latest finish."""
    return max(s + d for s, d in zip(starts, inst.durations, strict=True))


# -- sets ----------------------------------------------------------------------------


def default_root() -> Path:
    """``$PLANNER_PSPLIB``, else ``../shared/benchmarks/psplib`` from the current
    directory, else the same path next to the repository."""
    env = os.environ.get("PLANNER_PSPLIB")
    if env:
        return Path(env)
    here = Path.cwd() / ".." / "shared" / "benchmarks" / "psplib"
    if here.is_dir():
        return here.resolve()
    return (Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "psplib").resolve()


def natural_key(name: str) -> list[int | str]:
    """Sort key that orders ``j302_1`` before ``j3010_1`` and ``PSP2`` before ``PSP10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def max_subsets(root: Path) -> list[str]:
    """The RCPSP/max sub-sets present under ``root``."""
    folder = root / MAX_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def known_sets(root: Path) -> list[str]:
    """Every set name :func:`run_benchmark` accepts for ``root``."""
    return [*SM_SETS, *(f"{MAX_DIR}/{s}" for s in max_subsets(root))]


def set_folder(root: Path, set_name: str) -> Path:
    """The folder of ``set_name``; raises :class:`BenchInputError` if unknown or missing."""
    if not root.is_dir():
        raise BenchUsageError(f"PSPLIB folder not found: {root} (set PLANNER_PSPLIB or pass --root)")
    sub = set_name.removeprefix(f"{MAX_DIR}/")
    if set_name in SM_SETS:
        folder = root / set_name
    elif set_name.startswith(f"{MAX_DIR}/") and sub and "/" not in sub and sub not in (".", ".."):
        folder = root / MAX_DIR / sub
    else:
        raise BenchUsageError(f"unknown set {set_name!r} (no set of that name, nor a folder or .sm/.sch file there); "
                              f"known: {', '.join(known_sets(root))}")
    if not folder.is_dir():
        raise BenchUsageError(f"set folder not found: {folder}; known: {', '.join(known_sets(root))}")
    return folder


def suite_path(root: Path, set_name: str) -> Path | None:
    """``set_name`` as a path of the user's own instances (a folder of .sm/.sch files, or one such
    file) when it names no set of ``root`` and exists; None for a set name."""
    if set_name in (known_sets(root) if root.is_dir() else SM_SETS):
        return None
    path = Path(set_name).expanduser()
    if path.is_dir():
        return path
    if path.is_file():
        if path.suffix.lower() not in (".sm", ".sch"):
            raise BenchUsageError(f"{path}: not an instance file (.sm for RCPSP, .sch for RCPSP/max)")
        return path
    return None


def list_instances(folder: Path) -> list[Path]:
    """Instance files of a set folder in natural order."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".sm", ".sch")]
    return sorted(files, key=lambda p: natural_key(p.name))

