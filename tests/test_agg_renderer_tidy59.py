"""One function gives the renderer Agg draws a figure with (session 59): the fan notes and the frontier labels had
the same line each."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulator.plots import agg_renderer

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"


def test_a_figure_without_an_agg_canvas_gets_one_and_keeps_it():
    fig = Figure(figsize=(4, 3), dpi=100)
    assert not isinstance(fig.canvas, FigureCanvasAgg)
    renderer = agg_renderer(fig)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    assert (renderer.width, renderer.height) == (400, 300)  # 4 x 3 inches at 100 dots an inch
    assert agg_renderer(fig) is renderer  # its canvas reused: the same renderer


def test_the_canvas_test_is_written_once():
    found = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "isinstance(fig.canvas, FigureCanvasAgg)" in path.read_text()
    ]
    assert found == ["plots/text.py"]
