"""Typed tables for Python users: real dates, NA for "never", units from the registry.

Layer: studies.

The tables of a run, a sweep or a comparison are written to CSV and Parquet as the
outputs reference says. Handed to Python (:mod:`simulator.api`) they are typed from the
registry of quantities (:mod:`simulator.quantities`), column by column:

- a column whose unit is ``date`` is ``datetime64[s]`` (``NaT`` where the scenario has
  no ``start_date``);
- a whole-number quantity (``first_shortfall_day``, ``shortfall_days``, ``day``) is a
  nullable integer (``Int64``); the "never" of a first-day quantity (no shortfall at all,
  ``-1`` in ``sweep.parquet``) is ``<NA>``, so that ``describe()`` and means skip it;
- any other number of the registry is ``float64``, also in a table with no rows;
- text (``region``, ``material``, ``mechanism`` ...) is what pandas makes of text
  (``str`` from pandas 3), also in a table with no rows, where pandas alone says ``object``.

A column is matched to its quantity by its name in that table, else by the part before
its first dot: ``gap_t.japan`` is ``gap_t`` for a member, ``shortfall_t.eu.heavy_ree`` is
the summary metric ``shortfall_t`` for a region and material. Columns the registry does
not know (swept paths, ``point``, ``run``, ``seed``, ``skipped``) are left as they are
and have no unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from simulator.quantities import AGREEMENT_SUMMARY, NONE_WORDS, REGISTRY, SUMMARY, Quantity

_BY_TABLE: dict[str, dict[str, Quantity]] = {}
for _q in REGISTRY:
    for _table in _q.tables:
        _BY_TABLE.setdefault(_table, {}).setdefault(_q.column_name, _q)
_METRICS: dict[str, Quantity] = {q.name: q for q in (*SUMMARY, *AGREEMENT_SUMMARY)}
_COMPARISON: dict[str, Quantity] = {
    **_METRICS,
    "mechanism": _BY_TABLE["releases"]["mechanism"],  # the rule's name, as in the releases table
    "net_position_usd": _BY_TABLE["ledger"]["net_position_usd"],  # per member, from the ledger
}
"""The columns of a comparison (``compare.csv``): per-run metrics, the rule and each member's net position."""


def quantity_of(column: str, table: str | None = None) -> Quantity | None:
    """The registry quantity a column shows (``table`` None: a per-run metric column; ``"compare"``: a comparison's).

    >>> quantity_of("gap_t.japan", "releases").unit, quantity_of("first_shortfall_day.eu.heavy_ree").unit
    ('t', 'day')
    >>> quantity_of("agreement.ratio.japan") is None
    True
    >>> quantity_of("net_position_usd.eu", "compare").unit, quantity_of("mechanism", "compare").unit
    ('USD', 'name')
    """
    known = _COMPARISON if table == "compare" else _BY_TABLE.get(table, {}) if table else _METRICS
    return known.get(column) or known.get(column.split(".", 1)[0])


def is_never_kind(q: Quantity) -> bool:
    """A day quantity whose -1 means none.

    A first day short ("never"), or the day of a lowest cover or a peak price where there is
    no cover or no price.
    """
    return q.aggregation in NONE_WORDS and q.dtype == "int"


def units(columns: Iterable[str], table: str | None = None) -> dict[str, str]:
    """Unit of each column the registry knows, in column order.

    >>> units(["day", "date", "shortfall_t", "days_of_cover", "seed"], "timeseries")
    {'day': 'day', 'date': 'date', 'shortfall_t': 't', 'days_of_cover': 'days'}
    """
    out = {}
    for column in columns:
        q = quantity_of(column, table)
        if q is not None:
            out[column] = q.unit
    return out


DATE_DTYPE = "datetime64[s]"
"""Dates at the resolution of seconds: the schema's dates (1900 to 2200) plus a horizon of
up to 100 years do not all fit the nanosecond range (1677 to 2262)."""


def _dates(values: pd.Series) -> pd.Series:
    """ISO date strings (empty without a start date) or dates as :data:`DATE_DTYPE`."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        text = values.astype(object).where(values.notna(), "")
        values = pd.to_datetime(text.map(lambda v: str(v) or None), format="%Y-%m-%d")
    return values.astype(DATE_DTYPE)


def whole_column(values: pd.Series, never: bool = False) -> pd.Series:
    """Whole numbers as ``Int64``; with ``never``, a negative day (the files' -1) is ``<NA>``."""
    numbers = pd.to_numeric(values, errors="raise").astype("Float64")
    if never:
        numbers = numbers.mask((numbers < 0).fillna(False))
    return numbers.round().astype("Int64")


TEXT_DTYPE = pd.Series(["text"]).dtype
"""What pandas makes of a column of text (``str`` from pandas 3, ``object`` before): an empty
text column is given it too, as a table with rows has it (pandas gives ``object`` to no values)."""


def typed_column(values: pd.Series, q: Quantity) -> pd.Series:
    """One column typed as its quantity says (see the module docstring)."""
    if q.unit == "date":
        return _dates(values)
    if q.dtype == "int":
        return whole_column(values, is_never_kind(q))
    if q.dtype == "float":
        return pd.to_numeric(values, errors="raise").astype("float64")
    if values.empty and values.dtype == object:  # no rows: the type of the same column with rows
        return values.astype(TEXT_DTYPE if q.dtype == "str" else q.dtype)
    return values


def typed(frame: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` typed column by column, its units in ``attrs["units"]``.

    ``table`` names a run's table (``timeseries``, ``summary``, ``releases``...); None
    stands for a table of per-run metrics (a sweep), ``"compare"`` for a comparison.
    """
    out = frame.copy()
    for column in out.columns:
        q = quantity_of(str(column), table)
        if q is not None:
            out[column] = typed_column(out[column], q)
    out.attrs = {"units": units(map(str, out.columns), table)}
    return out


def typed_metrics(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """A run's flat metrics as Python numbers: ``int`` for whole ones, ``<NA>`` for never.

    Missing real numbers (a cover without demand) are ``nan``.

    >>> typed_metrics({"shortfall_days.eu": 3.0, "first_shortfall_day.eu": -1, "min_days_of_cover.eu": None})
    {'shortfall_days.eu': 3, 'first_shortfall_day.eu': <NA>, 'min_days_of_cover.eu': nan}
    """
    out: dict[str, Any] = {}
    for name, value in metrics.items():
        q = quantity_of(name)
        missing = value is None or (isinstance(value, float) and np.isnan(value))
        if q is not None and q.dtype == "int":
            never = not missing and is_never_kind(q) and value < 0
            out[name] = pd.NA if missing or never else round(value)
        elif q is not None and q.dtype == "float":
            out[name] = float("nan") if missing else float(value)
        else:
            out[name] = value
    return out
