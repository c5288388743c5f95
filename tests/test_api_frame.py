"""``simulator.sweep(out=...)``: the frame it returns against the ``sweep.parquet`` it writes.

The Python guide (docs/getting-started-python.md, section 4) says the two hold the same
values and differ in type only: whole numbers are ``Int64`` in the frame and ``int64`` in
the file, and a day that never came (``first_shortfall_day``, ``min_days_of_cover_day``,
``peak_price_day`` and their per-region and per-material columns) is ``<NA>`` in the
frame and -1 in the file. It gives one line each way to turn one into the other; these
tests run those lines as the page prints them.

The sweep is worked out by hand: one region, Japan, whose supply China halts from day 0
for the whole 40-day horizon; 10 t a day of demand, the 50 t already shipped arrive over
days 0-4. With 1,000 t of stock Japan is never short (-1 in the file); with none, short
from day 5; with 100 t, 10 days later, day 15.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import simulator
from simulator.frames import typed
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build

GUIDE = ROOT / "docs" / "getting-started-python.md"
SENTINEL = ("first_shortfall_day", "min_days_of_cover_day", "peak_price_day")
"""The day quantities the guide names as -1 in the file and <NA> in the frame."""
STOCK = "regions.japan.commercial_stock.ree.tonnes"


def _halted_sweep(folder):
    halted = build(ONE_REGION, shocks=[{**TWO_MEMBERS["shocks"][0], "regions": ["japan"], "start": 0}])
    frame = simulator.sweep(halted, grid={STOCK: [1000, 0, 100]}, workers=1, out=folder, plots=False)
    return frame, pd.read_parquet(folder / "sweep.parquet")


def test_the_frame_and_the_file_hold_the_same_values_but_for_the_never_days(tmp_path):
    frame, on_file = _halted_sweep(tmp_path / "out")
    assert list(frame.columns) == list(on_file.columns) and len(frame) == len(on_file) == 3
    assert on_file["first_shortfall_day.japan"].tolist() == [-1, 5, 15]
    assert frame["first_shortfall_day.japan"].tolist() == [pd.NA, 5, 15]
    differing = []
    for column in frame.columns:
        ours, theirs = frame[column], on_file[column]
        if ours.dtype == "float64":  # every real number is the same double, NaN where the file has NaN
            assert theirs.dtype == "float64", column
            assert np.array_equal(ours.to_numpy(), theirs.to_numpy(), equal_nan=True), column
            continue
        if ours.dtype == "Int64":
            assert theirs.dtype == "int64", column
        else:  # point, run, seed and the swept path: untouched
            assert ours.dtype == theirs.dtype, column
        never = ours.isna().to_numpy()
        assert (ours[~never].to_numpy(dtype="int64") == theirs[~never].to_numpy()).all(), column
        if never.any():
            differing.append(column)
            assert column.split(".")[0] in SENTINEL, column
            assert (theirs[never] == -1).all(), column
            assert (theirs[~never] >= 0).all(), column
    # Japan's first short day, overall and for its one material: the only columns that differ
    assert differing == ["first_shortfall_day.japan", "first_shortfall_day.japan.ree"]


def _documented(start: str) -> str:
    """The one statement of the guide's ``pycon`` blocks that begins ``>>> {start}``."""
    lines = re.findall(rf"^>>> ({re.escape(start)}.*)$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(lines) == 1, f"the guide has {len(lines)} lines '>>> {start}...'"
    return lines[0]


def test_the_guides_conversions_turn_the_frame_into_the_file_and_back_exactly(tmp_path):
    frame, on_file = _halted_sweep(tmp_path / "out")
    text = GUIDE.read_text(encoding="utf-8")
    assert all(f"`{name}`" in text for name in SENTINEL)  # the guide names the sentinel columns
    names = {"mc": frame, "on_file": on_file, "typed": typed}
    for start in ("whole = ", "as_file = ", "as_frame = "):
        exec(_documented(start), names)
    as_file, as_frame = names["as_file"], names["as_frame"]
    assert as_file["first_shortfall_day.japan"].tolist() == [-1, 5, 15]
    assert as_file.equals(on_file) and as_frame.equals(frame)
    pd.testing.assert_frame_equal(as_file, on_file, check_exact=True)
    pd.testing.assert_frame_equal(as_frame, frame, check_exact=True)
    assert as_frame["first_shortfall_day.japan"].mean() == 10  # (5 + 15) / 2: "never" left out
    assert on_file["first_shortfall_day.japan"].mean() == (-1 + 5 + 15) / 3  # the file's -1 counted as a day
