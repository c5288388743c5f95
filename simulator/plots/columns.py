"""The run's tables as the figures read them: columns, row masks, days as dates.

Layer: studies.

The figures read columns, not DataFrames: importing pandas would cost a ``stockpile run``
about 0.4 s.
"""

from __future__ import annotations

import numpy as np

from simulator.results import Result


def table_column(result: Result, table: str, name: str) -> np.ndarray:
    """Column ``name`` of the run's table ``table``.

    The figures read columns, not DataFrames: importing pandas would cost a ``stockpile
    run`` about 0.4 s.
    """
    return result.tables[table].columns[name]


def table_rows(result: Result, table: str, **equal: str) -> np.ndarray:
    """Mask of ``table``'s rows whose columns equal the values given (``region="japan"``)."""
    columns = result.tables[table].columns
    mask = np.ones(len(result.tables[table]), bool)
    for name, value in equal.items():
        mask &= columns[name] == value
    return mask


def days_as_x(result: Result, days: np.ndarray) -> np.ndarray:
    """The x values at which the figures draw ``days`` (day numbers from 0).

    Dates (``datetime64[D]``, day 0 the scenario's start date) when the run has a start date, else the day
    numbers as given.
    """
    start = result.start_date
    if start is None:
        return days
    return np.datetime64(start) + days.astype("timedelta64[D]")
