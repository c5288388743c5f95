"""The notes' search is public in simulator.plots (session 59): the sensitivity's fan notes use it, not private names.

The fan panels' note (simulator/sensitivity/figures.py) imported ``_Drawn``, ``_note_place`` and ``_sliced_heights``
from simulator.plots.notes; they are now ``Drawn``, ``note_place`` and ``sliced_heights``, named by simulator.plots.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from simulator.plots import Drawn, note_place, sliced_heights

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"


def unit_panel() -> tuple[Figure, object]:
    """A 4 x 4 inch figure whose one panel fills it, both axes from 0 to 1: data, axes fraction alike."""
    fig = Figure(figsize=(4, 4))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return fig, ax


def test_no_module_outside_plots_imports_a_private_name_of_plots():
    private = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "plots":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator.plots"):
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []


def test_sliced_heights_gives_a_slanted_line_slice_by_slice():
    fig, ax = unit_panel()
    ax.plot([0, 1], [0, 1])  # y = x
    # 0.2 to 0.4 is 0.2 of the width: 0.2 * 40 slices a width = 8 slices of 0.025, the line rising across each
    heights = sliced_heights(Drawn(fig, ax), 0.2, 0.4)
    expected = [(0.2 + 0.025 * k, 0.225 + 0.025 * k) for k in range(8)]
    assert [h for pair in heights for h in pair] == pytest.approx([h for pair in expected for h in pair])


def test_note_place_moves_a_note_down_past_a_line_under_it():
    fig, ax = unit_panel()
    ax.plot([0, 1], [0.85, 0.85])  # a level line at 0.85 of the height
    drawn = Drawn(fig, ax)
    # a note 0.2 tall, 0.05 clear of the frame's top: its bottom at 1 - 0.05 - 0.2 = 0.75 would reach 0.95, over the
    # line; moved down to 0.05 under it, its bottom is 0.85 - 0.05 - 0.2 = 0.6
    place = note_place(
        fig,
        ax,
        [(["note"], 0.9, 0.2)],
        lambda wide: (0.05,),
        lambda left, wide: sliced_heights(drawn, left, left + wide),
        pad=0.05,
        downward=True,
    )
    assert place is not None
    bottom, left, _, lines = place
    assert (bottom, left, lines) == (pytest.approx(0.6), 0.05, ["note"])
