"""Every chart keeps its text inside the saved image (no clipped titles, labels or legends)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox, BboxBase

from planner.analysis.stress import OutageResult, SampleResult
from planner.plan.pipeline import plan
from planner.report.gantt import write_gantts
from planner.report.stress_chart import montecarlo_chart, outage_chart
from planner.report.sweep import sweep_plot
from planner.scenario.load import load_scenario
from planner.solve.run import SolveParams
from tests.helpers import ROOT, run, scenario

matplotlib.use("Agg")
LONG = "Soyuz MS-19 civilian crew (The Challenge), 24 May - 5 Oct 2021: a title as long as a real one"


@pytest.fixture()
def saved(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Figure, dict[str, Any]]]:
    """Every figure saved during the test, with the keywords of its savefig call."""
    out: list[tuple[Figure, dict[str, Any]]] = []
    original = Figure.savefig

    def record(self: Figure, *args: Any, **kwargs: Any) -> None:
        out.append((self, kwargs))
        original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    return out


def clipped(fig: Figure, kwargs: dict[str, Any]) -> list[str]:
    """What is drawn (each axes with its ticks, labels, title and legend; the figure's own texts and
    legends) but reaches outside the region the savefig call writes."""
    canvas = FigureCanvasAgg(fig)  # a closed pyplot figure has lost its own canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    if kwargs.get("bbox_inches") == "tight":
        inches = fig.get_tightbbox(renderer).padded(kwargs.get("pad_inches", 0.1))
        region: BboxBase = Bbox.from_extents(*(v * fig.dpi for v in inches.extents))
    else:
        region = fig.bbox
    parts: list[tuple[str, BboxBase | None]] = [(ax.get_title() or "axes", ax.get_tightbbox(renderer)) for ax in fig.axes]
    parts += [(t.get_text(), t.get_window_extent(renderer)) for t in fig.texts if t.get_visible() and t.get_text()]
    parts += [("legend", leg.get_window_extent(renderer)) for leg in fig.legends]
    return [name for name, box in parts if box is not None and (
            box.x0 < region.x0 - 1 or box.x1 > region.x1 + 1 or box.y0 < region.y0 - 1 or box.y1 > region.y1 + 1)]


def test_sweep_heat_map_fits(tmp_path: Path, saved: list[tuple[Figure, dict[str, Any]]]) -> None:
    """Tests the sweep chart with two window lengths and a long title (it was cut at both ends)."""
    frame = pd.DataFrame([{"competency": c, "months": m, "ready": 2, "total": 4, "unknown": 0}
                          for c in ("fire", "post_landing_survival") for m in (2, 3)])
    sweep_plot(frame, tmp_path / "sweep.png", LONG)
    assert [clipped(f, k) for f, k in saved] == [[]]


def test_stress_charts_fit(tmp_path: Path, saved: list[tuple[Figure, dict[str, Any]]]) -> None:
    """Tests the outage and Monte Carlo charts with a long entity name (the x label was cut)."""
    outage_chart([OutageResult("resource", "centrifuge_tsf18_long_name", 16, False, "2021-07-13", "zero_g", 0, 9)],
                 tmp_path / "o.png")
    montecarlo_chart([SampleResult(k, "READY" if k % 2 else "NOT_READY", 0, 0, 0, 0) for k in range(5)],
                     tmp_path / "m.png")
    assert [clipped(f, k) for f, k in saved] == [[], []]


def test_gantt_charts_fit(tmp_path: Path, saved: list[tuple[Figure, dict[str, Any]]]) -> None:
    """Tests the participants' and resources' Gantt charts of a small plan (PNG and SVG)."""
    out = plan(load_scenario(ROOT / "tests" / "data" / "small_report.yaml"), SolveParams(time_limit=10, deterministic=True))
    write_gantts(out, tmp_path)
    assert saved and all(clipped(f, k) == [] for f, k in saved)


def test_gantt_labels_a_module_where_there_is_room(tmp_path: Path, saved: list[tuple[Figure, dict[str, Any]]]) -> None:
    """Tests the bar labels: five full days of 'systems' (Mon 4 .. Fri 8 Mar, one run) carry the module's
    name; the one 2-hour 'm1' session is too narrow for its text and has none."""
    out = run(tmp_path, scenario(modules=[{"id": "systems", "hours": 20, "session_hours": 4},
                                          {"id": "m1", "hours": 2, "session_hours": 2}],
                                 competencies=[{"id": "comp", "requires": ["systems", "m1"]}]))
    write_gantts(out, tmp_path)
    texts = [t.get_text() for t in saved[0][0].axes[0].texts]
    assert "systems" in texts and "m1" not in texts
