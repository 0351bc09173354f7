"""Gantt charts of a plan (matplotlib, Agg, no pyplot state): per participant and per resource.

The x axis counts calendar days from the window start. A working day fills
its whole calendar day on the axis, so that sessions of a few hours stay
visible on a chart months long. Output is byte-identical for the same plan:
SVG ids come from a fixed hash salt and neither format records a date or the
software version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from planner.calendar.grid import TimeGrid, gate_date, in_any, instructor_available, resource_available
from planner.plan.pipeline import PlanOutcome, schedule_rows
from planner.report.calendar_export import module_competencies
from planner.report.mission_gantt import (
    RowGroup,
    draw_groups,
    draw_launches,
    draw_reservations,
    group_label,
    mission_order,
)
from planner.scenario.schema import Instructor, Resource, Scenario

NO_COMPETENCY = "no competency"
_GREY = "#9e9e9e"
_DPI = 110
_SVG_SALT = "crew-planner"
_PNG_META: dict[str, str | None] = {"Software": None}


@dataclass(frozen=True)
class Bar:
    """A session on a chart row, in axis days, coloured by ``competency``."""

    start: float
    end: float
    competency: str
    joint: bool = False
    label: str = ""  # the module, written on the bar where there is room


@dataclass(frozen=True)
class Row:
    """One chart row: its sessions and the days it is unavailable (blackouts)."""

    label: str
    bars: tuple[Bar, ...]
    unavailable: tuple[bool, ...]


def first_competency(sc: Scenario) -> dict[str, str]:
    """Module id → the first competency (scenario order) it serves; unlisted modules serve none."""
    return {mid: comps[0] for mid, comps in module_competencies(sc).items()}


def competency_colours(sc: Scenario) -> dict[str, str]:
    """A fixed colour per competency in scenario order, grey for none."""
    # The greys of tab10/tab20 are left out: grey means "no competency".
    tab10, tab20 = matplotlib.colormaps["tab10"].colors, matplotlib.colormaps["tab20"].colors  # type: ignore[attr-defined]
    palette = [c for i, c in enumerate(tab10) if i != 7] + [c for i, c in enumerate(tab20) if i % 2 and i != 15]
    colours = {c.id: matplotlib.colors.to_hex(palette[i % len(palette)]) for i, c in enumerate(sc.competencies)}
    colours[NO_COMPETENCY] = _GREY
    return colours


def axis_x(grid: TimeGrid, when: dt.datetime) -> float:
    """Position of local time ``when`` on the day axis (working hours stretched to the day)."""
    day = (when.date() - grid.window_start).days
    minutes = (when - dt.datetime.combine(when.date(), grid.day_start)).total_seconds() / 60
    return day + minutes / (grid.slots_per_day * grid.slot_minutes)


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs ``[a, b)`` of true flags: one patch per run keeps the SVG small."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _lanes(bars: Sequence[Bar]) -> tuple[list[int], int]:
    """Lane of each bar so that overlapping bars (shared capacity) sit side by side."""
    ends: list[float] = []
    lane = [0] * len(bars)
    for i in sorted(range(len(bars)), key=lambda i: (bars[i].start, bars[i].end)):
        free = next((k for k, e in enumerate(ends) if e <= bars[i].start + 1e-9), None)
        if free is None:
            free = len(ends)
            ends.append(0.0)
        ends[free] = bars[i].end
        lane[i] = free
    return lane, max(len(ends), 1)


def resource_unavailable(grid: TimeGrid, res: Resource) -> tuple[bool, ...]:
    """Per grid day: whether ``res`` is blacked out or outside its availability."""
    return grid.days_where(lambda d: not resource_available(res, d))


def instructor_unavailable(grid: TimeGrid, ins: Instructor) -> tuple[bool, ...]:
    """Per grid day: whether instructor ``ins`` is away (blackouts, availability windows)."""
    return grid.days_where(lambda d: not instructor_available(ins, d))


def instructor_label(ident: str) -> str:
    """Row label of an instructor among resources."""
    return f"{ident} (instructor)"


def participant_rows(out: PlanOutcome, served: dict[str, str]) -> list[Row]:
    """One row per participant (scenario order) with their sessions and blackouts."""
    sessions: dict[str, list[Bar]] = {p.id: [] for p in out.scenario.participants}
    for r in schedule_rows(out.grid, out.data, out.result):
        start, end = r["start"], r["end"]
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        comp = served.get(str(r["module"]), NO_COMPETENCY)
        sessions[str(r["participant"])].append(
            Bar(axis_x(out.grid, start), axis_x(out.grid, end), comp, bool(r["joint"]), str(r["module"]))
        )
    return [
        Row(p.id, tuple(sessions[p.id]), out.grid.days_where(lambda d, p=p: in_any(p.blackouts, d)))  # type: ignore[misc]
        for p in out.scenario.participants
    ]


def resource_rows(out: PlanOutcome, served: dict[str, str]) -> list[Row]:
    """One row per resource, then one per instructor, with sessions and unavailable days."""
    grid, data, sc = out.grid, out.data, out.scenario
    by_res: list[list[Bar]] = [[] for _ in data.resources]
    by_ins: list[list[Bar]] = [[] for _ in data.instructors]
    sessions = out.result.schedule.sessions if out.result.schedule else ()
    for s in sessions:
        job = data.jobs[s.job]
        bar = Bar(
            axis_x(grid, grid.slot_start(s.start)),
            axis_x(grid, grid.slot_end(s.end)),
            served.get(job.module, NO_COMPETENCY),
            len(job.participants) > 1,
            job.module,
        )
        for r, _ in job.resources:
            by_res[r].append(bar)
        for who in (s.instructor, *s.staff):
            if who is not None:
                by_ins[who].append(bar)
    rows = [Row(res.id, tuple(by_res[r]), resource_unavailable(grid, res)) for r, res in enumerate(sc.resources)]
    rows += [
        Row(instructor_label(ins.id), tuple(by_ins[i]), instructor_unavailable(grid, ins))
        for i, ins in enumerate(sc.instructors)
    ]
    return rows


def mission_rows(out: PlanOutcome, rows: Sequence[Row]) -> tuple[list[Row], list[RowGroup]]:
    """Participant ``rows`` regrouped by mission, each group under a header row with the mission's name."""
    grouped: list[Row] = []
    groups = []
    for m, members in mission_order(out.scenario):
        header = len(grouped)
        grouped.append(Row(group_label(m), (), tuple(False for _ in out.grid.days)))
        grouped += [rows[pi] for pi in members]
        groups.append(RowGroup(m, header, len(grouped) - 1))
    return grouped, groups


def _calendar_background(ax: Axes, out: PlanOutcome) -> list[Patch]:
    """Shade closed days and gates; return the legend handles for them."""
    grid, sc = out.grid, out.scenario
    holiday = [grid.closed_days.get(d, "").startswith("holiday") for d in grid.days]
    gate_day = [grid.closed_days.get(d, "").startswith("gate") for d in grid.days]
    other = [not o and not h and not g for o, h, g in zip(grid.open, holiday, gate_day, strict=True)]
    for a, b in _runs(other):
        ax.axvspan(a, b, color="#f0f0f0", zorder=0, lw=0)
    for a, b in _runs(holiday):
        ax.axvspan(a, b, color="#d9d9d9", zorder=0, lw=0)
    handles = [Patch(color="#f0f0f0", label="non-working day"), Patch(color="#d9d9d9", label="holiday")]
    if sc.missions:  # each mission's gates and launch are drawn by the chart's decoration
        return handles
    launch_x = (grid.launch - grid.window_start).days
    for g in sc.gates:
        first = (gate_date(g, grid.launch) - grid.window_start).days
        last = launch_x if g.until_launch else first + g.days
        ax.axvspan(first, last, color="#ffd8a8", alpha=0.8, zorder=0.5, lw=0)
        ax.text(
            first + 0.15, 0.99, f"{g.id} {gate_date(g, grid.launch):%d %b}", rotation=90, va="top", ha="left",
            fontsize=7, transform=ax.get_xaxis_transform(), zorder=5,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    ax.axvline(launch_x, color="#c92a2a", lw=1.5, zorder=4)
    ax.text(launch_x, 1.0, " launch", color="#c92a2a", fontsize=8, va="bottom", ha="center",
            transform=ax.get_xaxis_transform())
    handles.append(Patch(color="#ffd8a8", label="gate (no training)"))
    return handles


def _day_ticks(ax: Axes, grid: TimeGrid, end: int) -> None:
    """A labelled tick on each Monday (every few Mondays on long windows), minor ticks daily."""
    mondays = [d for d in range(end + 1) if (grid.window_start + dt.timedelta(days=d)).weekday() == 0]
    step = max(1, -(-len(mondays) // 26))
    ticks = mondays[::step]
    ax.set_xticks(ticks, [f"{grid.window_start + dt.timedelta(days=d):%d %b}" for d in ticks], fontsize=8)
    ax.set_xticks(range(end + 1), minor=True)
    ax.tick_params(axis="x", which="minor", length=2)


Decorate = Callable[[Axes, int], list[Patch | Line2D]]


def gantt_figure(out: PlanOutcome, rows: Sequence[Row], title: str, colours: dict[str, str],
                 decorate: Decorate | None = None) -> Figure:
    """A Gantt chart of ``rows`` over the training window, with the calendar shaded.

    ``decorate(ax, end)`` draws what depends on missions once the rows are laid out and returns
    its legend handles.
    """
    grid = out.grid
    end = (grid.launch - grid.window_start).days + 1
    fig = Figure(figsize=(15, 1.6 + 0.42 * max(len(rows), 1)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    handles: list[Patch | Line2D] = list(_calendar_background(ax, out))
    used: set[str] = set()
    any_joint = False
    for y, row in enumerate(rows):
        for a, b in _runs(row.unavailable):
            ax.add_patch(Rectangle((a, y - 0.45), b - a, 0.9, fc="#ffe3e3", ec="#e03131", lw=0, hatch="////",
                                   alpha=0.6, zorder=1))
        lane, n = _lanes(row.bars)
        height = 0.8 / n
        for bar, k in zip(row.bars, lane, strict=True):
            used.add(bar.competency)
            any_joint |= bar.joint
            # A minimum width keeps half-hour sessions visible on a chart of several months.
            ax.add_patch(Rectangle(
                (bar.start, y - 0.4 + k * height), max(bar.end - bar.start, 0.12), height,
                fc=colours.get(bar.competency, _GREY), ec="black" if bar.joint else "none", lw=0.5, zorder=3,
            ))
    _labels(ax, rows, end, fig.get_figwidth())
    ax.set_xlim(0, end)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), [r.label for r in rows], fontsize=9)
    _day_ticks(ax, grid, end)
    if decorate is not None:
        handles += decorate(ax, end)
    ax.grid(axis="x", color="#dddddd", lw=0.5, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title(title, fontsize=11, loc="left")
    legend: list[Patch | Line2D] = [Patch(color=colours[c], label=c) for c in colours if c in used]
    if any_joint:
        legend.append(Patch(fc="white", ec="black", lw=0.5, label="joint crew session"))
    legend += [*handles, Patch(fc="#ffe3e3", ec="#e03131", hatch="////", lw=0, label="blackout / unavailable")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    return fig


def _labels(ax: Axes, rows: Sequence[Row], end: int, width_in: float) -> None:
    """Write the module on each run of its sessions (a row's consecutive sessions of one module, at most a
    weekend apart) where the run is wide enough for the text at 6 points."""
    days_per_inch = end / (width_in * 0.78)  # the axes take about 78 % of the figure's width
    char = 6 * 0.6 / 72 * days_per_inch  # a character at 6 pt, in days
    for y, row in enumerate(rows):
        runs: list[list[Bar]] = []
        for bar in sorted(row.bars, key=lambda b: (b.label, b.start)):
            if runs and runs[-1][-1].label == bar.label and bar.start - runs[-1][-1].end < 3.5:
                runs[-1].append(bar)
            else:
                runs.append([bar])
        for run in runs:
            a, b, text = run[0].start, max(x.end for x in run), run[0].label
            crossed = any(x.label != text and x.end > a and x.start < b for x in row.bars)  # would cover them
            if text and not crossed and b - a >= char * (len(text) + 1):
                ax.text((a + b) / 2, y, text, fontsize=6, ha="center", va="center", zorder=4, clip_on=True)


def save_figure(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` byte-reproducibly."""
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    fig.savefig(png, format="png", dpi=_DPI, metadata=_PNG_META, bbox_inches="tight", pad_inches=0.1)
    # The salt fixes the SVG's clip-path and glyph ids; Date None and a fixed Creator keep out time and version.
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "crew-planner"}, bbox_inches="tight",
                    pad_inches=0.1)
    return [png, svg]


def write_gantts(out: PlanOutcome, folder: Path) -> list[Path]:
    """Write ``gantt_participants`` and ``gantt_resources`` as PNG and SVG into ``folder``."""
    sc, grid = out.scenario, out.grid
    served = first_competency(sc)
    colours = competency_colours(sc)
    rows, people = resource_rows(out, served), participant_rows(out, served)
    mark: Decorate | None = None
    if sc.missions:
        people, groups = mission_rows(out, people)

        def mark(ax: Axes, end: int) -> list[Patch | Line2D]:
            return draw_groups(ax, grid, groups, end)
    paths = save_figure(
        gantt_figure(out, people, f"Sessions per participant: {sc.name}", colours, mark),
        folder / "gantt_participants",
    )
    paths += save_figure(
        gantt_figure(out, rows, f"Resources and instructors: {sc.name}", colours, _resource_marks(out)),
        folder / "gantt_resources",
    )
    return paths


def _resource_marks(out: PlanOutcome) -> Decorate | None:
    """Each mission's launch and the gates' reservations on the resource chart; None when there are
    neither (a file without missions whose gates take nothing keeps its chart as it was)."""
    sc, grid = out.scenario, out.grid
    gates = [*sc.gates, *(g for m in sc.missions for g in m.gates)]
    if not sc.missions and not any(g.resources or g.instructors for g in gates):
        return None
    res_row = {r.id: y for y, r in enumerate(sc.resources)}
    ins_row = {i.id: len(sc.resources) + y for y, i in enumerate(sc.instructors)}

    def mark(ax: Axes, end: int) -> list[Patch | Line2D]:
        if sc.missions:
            draw_launches(ax, grid, sc)
        if draw_reservations(ax, grid, sc, res_row, ins_row):
            return [Patch(fc="#ffd8a8", ec="#e8590c", lw=0.8, label="taken by a gate (mission:gate)")]
        return []

    return mark
