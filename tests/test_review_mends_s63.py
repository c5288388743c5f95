"""Mends from this session's reviews."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from simulator.sensitivity.intervals import numbered


def test_numbering_a_table_built_column_by_column_raises_no_performance_warning():
    # a samples table of a 12-member scenario has hundreds of columns added one at a time:
    # pandas warned "DataFrame is highly fragmented" on the insert of the sample column
    table = pd.DataFrame(index=range(3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)  # (building it warns too)
        for i in range(150):
            table[f"c{i}"] = np.full(3, float(i))
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        out = numbered(table)
    assert out.columns[0] == "sample" and out["sample"].tolist() == [0, 1, 2]
    assert out.iloc[:, 1:].equals(table)
