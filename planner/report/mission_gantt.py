"""Missions on the Gantt charts: one row group per mission, each with its own gates and launch.

A file with ``missions:`` has no gate days on the centre's grid: each
mission's gates close days to its own participants only. The participant
chart therefore groups rows by mission under a header row (the mission's id
and name) and draws, over that group only, the mission's gate spans, its
launch and the breaks between its training blocks. The resource chart,
shared by all missions, gets each mission's launch and the days gates
reserve a resource or an examiner. Artists carry SVG ids (``gate-<mission>-<gate>``,
``launch-<mission>``, ``break-<mission>-<k>``) so that the SVG can be searched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from planner.calendar.grid import TimeGrid, gate_date
from planner.calendar.missions import MissionTimes, mission_times, participant_missions
from planner.scenario.common import Gate
from planner.scenario.schema import Scenario

GATE_COLOUR = "#ffd8a8"
LAUNCH_COLOUR = "#c92a2a"
BREAK_COLOUR = "#dee2e6"
OUTSIDE_COLOUR = "#f8f9fa"
_AXIS_INCHES = 11.6  # width of the axes on the 15-inch chart, to guess how many days a label covers


@dataclass(frozen=True)
class RowGroup:
    """Rows ``header`` .. ``last`` (inclusive) of one mission; the header row holds the labels."""

    mission: MissionTimes
    header: int
    last: int


def group_label(m: MissionTimes) -> str:
    """The header row's label: ``mission <id>`` and its name."""
    return f"mission {m.id}: {m.name}" if m.name else f"mission {m.id}"


def mission_order(sc: Scenario) -> list[tuple[MissionTimes, list[int]]]:
    """Each mission with its participants' indices (scenario order)."""
    times, owner = mission_times(sc), participant_missions(sc)
    return [(m, [pi for pi, o in enumerate(owner) if o == mi]) for mi, m in enumerate(times)]


def gate_span(g: Gate, m: MissionTimes, origin: dt.date) -> tuple[int, int]:
    """Axis days ``[a, b)`` gate ``g`` of mission ``m`` takes (an ``until_launch`` gate: to launch)."""
    first = (gate_date(g, m.launch) - origin).days
    return first, (m.launch - origin).days if g.until_launch else first + g.days


def break_spans(m: MissionTimes, origin: dt.date) -> list[tuple[int, int]]:
    """Axis days ``[a, b)`` between consecutive training blocks of ``m``."""
    return [((b0 - origin).days + 1, (a1 - origin).days)
            for (_, _, b0), (_, a1, _) in zip(m.blocks, m.blocks[1:], strict=False) if (a1 - b0).days > 1]


def draw_group(ax: Axes, grid: TimeGrid, group: RowGroup, end: int) -> None:
    """Shade one mission's gates, breaks and days outside its window over its rows; mark its launch."""
    m, origin = group.mission, grid.window_start
    y0, y1, hdr = group.header - 0.5, group.last + 0.5, group.header
    ax.axhline(y0, color="#495057", lw=0.8, zorder=4)
    start_x, launch_x = (m.start - origin).days, (m.launch - origin).days
    # Other missions train on these days: they are open on the grid, closed to this group only.
    for a, b in ((0, start_x), (launch_x, end)):
        if b > a:
            ax.add_patch(Rectangle((a, y0), b - a, y1 - y0, fc=OUTSIDE_COLOUR, ec="#ced4da", hatch="\\\\", lw=0,
                                   zorder=0.4))
    for k, (a, b) in enumerate(break_spans(m, origin)):
        ax.add_patch(Rectangle((a, hdr + 0.5), b - a, y1 - hdr - 0.5, fc=BREAK_COLOUR, ec="#868e96", lw=0,
                               hatch="..", zorder=0.5, gid=f"break-{m.id}-{k}"))
    # Gates a few days apart would print their labels over each other: two lanes in the header row.
    lane_end = [-float("inf"), -float("inf")]
    days_per_char = end / _AXIS_INCHES * 7 * 0.6 / 72
    for g in sorted(m.gates, key=lambda g: gate_span(g, m, origin)):
        a, b = gate_span(g, m, origin)
        ax.add_patch(Rectangle((a, y0), b - a, y1 - y0, fc=GATE_COLOUR, alpha=0.8, lw=0, zorder=0.5,
                               gid=f"gate-{m.id}-{g.id}"))
        text = f"{g.id} {gate_date(g, m.launch):%d %b}"
        lane = 0 if lane_end[0] <= a else 1 if lane_end[1] <= a else int(lane_end[1] < lane_end[0])
        lane_end[lane] = a + (len(text) + 1) * days_per_char
        ax.text(a + 0.15, hdr - 0.3 + 0.27 * lane, text, fontsize=7, va="center", ha="left", zorder=5,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.vlines(launch_x, y0, y1, color=LAUNCH_COLOUR, lw=1.5, zorder=4, gid=f"launch-{m.id}")
    ax.text(launch_x - 0.15, hdr + 0.3, f"launch {m.launch:%d %b}", color=LAUNCH_COLOUR, fontsize=7,
            va="center", ha="right", zorder=5)


def draw_groups(ax: Axes, grid: TimeGrid, groups: Sequence[RowGroup], end: int) -> list[Patch | Line2D]:
    """Draw every group and bold its header label; return the legend handles for what they show."""
    for group in groups:
        draw_group(ax, grid, group, end)
    labels = ax.get_yticklabels()
    for group in groups:
        labels[group.header].set_fontweight("bold")
    handles: list[Patch | Line2D] = [Patch(color=GATE_COLOUR, label="gate of the mission (no training)")]
    if any(break_spans(g.mission, grid.window_start) for g in groups):
        handles.append(Patch(fc=BREAK_COLOUR, ec="#868e96", hatch="..", lw=0, label="break between training blocks"))
    handles += [Patch(fc=OUTSIDE_COLOUR, ec="#ced4da", hatch="\\\\", lw=0, label="outside the mission's window"),
                Line2D([], [], color=LAUNCH_COLOUR, lw=1.5, label="launch of the mission")]
    return handles


def draw_launches(ax: Axes, grid: TimeGrid, sc: Scenario) -> None:
    """On a chart shared by all missions: each mission's launch, named by the mission's id."""
    for m in mission_times(sc):
        x = (m.launch - grid.window_start).days
        ax.axvline(x, color=LAUNCH_COLOUR, lw=1.5, zorder=4, gid=f"launch-{m.id}")
        ax.text(x, 1.0, f" launch {m.id}", color=LAUNCH_COLOUR, fontsize=8, va="bottom", ha="center",
                transform=ax.get_xaxis_transform())


def draw_reservations(ax: Axes, grid: TimeGrid, sc: Scenario, res_row: dict[str, int],
                      ins_row: dict[str, int]) -> bool:
    """On the resource chart: the days gates take a resource or an examiner, on its row
    (``res_row``, ``ins_row``: row of each resource and instructor id). Returns whether any was drawn."""
    drawn = False
    for m in mission_times(sc):
        for g in m.gates:
            a = (gate_date(g, m.launch) - grid.window_start).days
            name = f"{m.id}:{g.id}" if m.id else g.id
            for ident, y in [(u.id, res_row[u.id]) for u in g.resources] + [(i, ins_row[i]) for i in g.instructors]:
                ax.add_patch(Rectangle((a, y - 0.45), g.days, 0.9, fc=GATE_COLOUR, ec="#e8590c", lw=0.8,
                                       zorder=2, gid=f"gate-{m.id}-{g.id}-{ident}"))
                ax.text(a + g.days / 2, y, name, fontsize=6, ha="center", va="center", zorder=5, rotation=90)
                drawn = True
    return drawn
