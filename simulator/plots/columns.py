"""The run's tables as the figures read them: columns, row masks, days as dates.

Layer: studies.

The figures read columns, not DataFrames: importing pandas would cost a ``stockpile run``
about 0.4 s.
"""

from __future__ import annotations

import numpy as np

from simulator.results import Result


def _column(result: Result, table: str, name: str) -> np.ndarray:
    """Column ``name`` of the run's table ``table``.

    The figures read columns, not DataFrames: importing pandas would cost a ``stockpile
    run`` about 0.4 s.
    """
    return result.tables[table].columns[name]


def _rows(result: Result, table: str, **equal: str) -> np.ndarray:
    """Mask of ``table``'s rows whose columns equal the values given (``region="japan"``)."""
    columns = result.tables[table].columns
    mask = np.ones(len(result.tables[table]), bool)
    for name, value in equal.items():
        mask &= columns[name] == value
    return mask


def _x(result: Result, days: np.ndarray) -> np.ndarray:
    start = result.start_date
    if start is None:
        return days
    return np.datetime64(start) + days.astype("timedelta64[D]")
