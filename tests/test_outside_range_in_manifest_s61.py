"""``run --uncertainty`` records the inputs whose value as written no sample holds in its manifest, once.

They were a column of ``uncertainty.csv`` that repeated the same list on every metric row; the
manifest's ``uncertainty`` entry (samples, engine, workers) now holds them as a list of paths.
The test world is tests/test_range_notes_s60.py's: Japan's stock written as 150 t, uncertain on
[0, 100] t, so no sample holds it; written as 50 t (``SHORT``), it lies inside.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.helpers import invoke, manifest_of
from tests.test_range_notes_s60 import OUTSIDE, STOCK
from tests.test_sensitivity import SHORT, write

COLUMNS = ["metric", "title", "unit", "median", "p5", "p95", "drivers", "samples"]
"""``uncertainty.csv``'s columns as docs/outputs.md lists them."""


def study(tmp_path: Path, data: dict, name: str) -> Path:
    """The folder of ``run --uncertainty 4`` on ``data``."""
    folder = tmp_path / name
    result = invoke("run", write(tmp_path, data), "--no-plots", "--uncertainty", 4, "-o", folder)
    assert result.exit_code == 0, result.output
    return folder


def test_the_manifest_lists_the_input_whose_value_no_sample_holds(tmp_path):
    folder = study(tmp_path, OUTSIDE, "outside")
    assert manifest_of(folder)["uncertainty"]["as_written_outside_range"] == [STOCK]
    assert list(pd.read_csv(folder / "uncertainty.csv").columns) == COLUMNS  # one row per metric, no list on each


def test_the_manifest_lists_none_when_every_value_lies_inside(tmp_path):
    folder = study(tmp_path, SHORT, "inside")
    assert manifest_of(folder)["uncertainty"]["as_written_outside_range"] == []
    assert list(pd.read_csv(folder / "uncertainty.csv").columns) == COLUMNS


def test_a_set_value_is_not_the_one_written_so_the_manifest_lists_none(tmp_path):
    # --set gives the stock 60 t, so the study does not vary it and the run uses no value outside a range
    folder = tmp_path / "set"
    path = write(tmp_path, OUTSIDE)
    result = invoke("run", path, "--no-plots", "--uncertainty", 4, "--set", f"{STOCK}=60", "-o", folder)
    assert result.exit_code == 0, result.output
    assert manifest_of(folder)["uncertainty"]["as_written_outside_range"] == []
