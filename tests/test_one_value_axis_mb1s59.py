"""A grid axis of one value compares nothing, so it gets no "its values changed no output" note.

``--grid shocks.halt.severity=0.5`` sweeps one value: every row holds 0.5, so rows that differ
only in it are each alone in their group and would "change nothing" trivially. An axis of two
values that changes nothing (the halt's end, 500 or 1000, both past the 60-day horizon) is
still noted, in sweep.json and on stderr; in memory (``simulator.sweep``) alike.
"""

from __future__ import annotations

import json
import warnings

import simulator
from tests.helpers import TWO_MEMBERS
from tests.test_sweep import invoke, write

NOTE = ": its values changed no output of this sweep (every metric is the same for each value)"


def test_a_one_value_axis_is_not_noted_as_changing_nothing(tmp_path):
    out = tmp_path / "out"
    grids = ("--grid", "shocks.halt.severity=0.5", "--grid", "shocks.halt.end=500,1000")
    result = invoke("sweep", write(tmp_path, TWO_MEMBERS), *grids, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    notes = json.loads((out / "sweep.json").read_text())["notes"]
    assert f"shocks.halt.end{NOTE}" in notes
    assert not any(note.startswith("shocks.halt.severity") for note in notes), notes
    assert f"shocks.halt.end{NOTE}" in result.output
    assert f"shocks.halt.severity{NOTE}" not in result.output


def test_a_one_value_axis_is_not_noted_in_memory():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        simulator.sweep(TWO_MEMBERS, grid={"shocks.halt.severity": [0.5], "shocks.halt.end": [500, 1000]}, workers=1)
    said = [str(w.message) for w in caught]
    assert f"shocks.halt.end{NOTE}" in said
    assert f"shocks.halt.severity{NOTE}" not in said


def test_plot_sweep_of_the_folder_does_not_note_it_either(tmp_path):
    """plot-sweep reads the table again and makes its notes anew (sweep.figures.unchanged_paths): the same rule."""
    out = tmp_path / "out"
    grids = ("--grid", "shocks.halt.severity=0.5", "--grid", "shocks.halt.end=500,1000")
    assert invoke("sweep", write(tmp_path, TWO_MEMBERS), *grids, "--no-plots", "-o", out).exit_code == 0
    drawn = invoke("plot-sweep", out)
    assert drawn.exit_code == 0, drawn.output
    assert f"shocks.halt.end{NOTE}" in drawn.output
    assert f"shocks.halt.severity{NOTE}" not in drawn.output, drawn.output
