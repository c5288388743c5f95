"""A run against a baseline run (``stockpile run --compare``) as a table: each region's shortfall beside the baseline's.

Layer: studies.

The table (``against.csv``, the workbook's Against sheet) and the lines ``run --compare`` prints
(:func:`simulator.console.against_text`) are made from :func:`against`, so they say the same numbers.
It is made from the two runs' columns, without pandas (``stockpile run`` never imports it);
:meth:`Against.frame` gives it as a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.results import ALL
from simulator.scenario.portfolio import has_demand
from simulator.shortages import short
from simulator.table import Table

if TYPE_CHECKING:
    import pandas as pd

AGAINST_COLUMNS = (
    "region",
    "material",
    "shortfall_t",
    "baseline_shortfall_t",
    "change_t",
    "change_share",
    "first_shortfall_day",
    "baseline_first_shortfall_day",
    "first_shortfall_date",
    "baseline_first_shortfall_date",
)
"""The columns of :attr:`Against.table` (``against.csv``), in order."""


def used_rows(result: Any) -> list[dict[str, Any]]:
    """Summary rows of the regions' materials in use (no ``all`` rows, no material a region has no demand for)."""
    return [
        row
        for row in result.tables["summary"].rows()
        if row["region"] != ALL and has_demand(result.scenario, row["region"], row["material"])
    ]


@dataclass(frozen=True)
class Against:
    """A run against a baseline: the rows both have, and what is not compared.

    ``table``'s columns are :data:`AGAINST_COLUMNS`, one row per region and material both runs use (a material a
    region has demand for; no ``all`` rows), in the run's summary order: ``shortfall_t`` this run's shortfall (t),
    ``baseline_shortfall_t`` the baseline's (t), ``change_t`` the first less the second (t; negative: less short
    than the baseline), ``change_share`` ``change_t`` over ``baseline_shortfall_t`` (a fraction, -0.6 for 60% less);
    empty (NaN) where the baseline is not short (:func:`simulator.shortages.short`: no shortfall, or a residue of
    1e-13 t), where a share of it means nothing; ``first_shortfall_day`` and ``baseline_first_shortfall_day`` the
    first day short of each run (a model day of its own run, -1: never, as in ``summary.csv``);
    ``first_shortfall_date`` and ``baseline_first_shortfall_date`` those days as dates, each from its own run's
    ``start_date`` (ISO text; empty when never short or without a ``start_date``, as in ``summary.csv``).
    """

    table: Table
    """The rows compared (see above)."""
    baseline_name: str
    """The baseline scenario's ``name``."""
    only_in_run: tuple[tuple[str, str], ...]
    """The (region, material) pairs this run uses and the baseline does not, sorted: not compared."""
    only_in_baseline: tuple[tuple[str, str], ...]
    """The pairs the baseline uses and this run does not, sorted: not compared."""
    same_period: bool
    """Whether both runs cover the same days (horizon and start date); if not, the totals are not like for like."""

    def frame(self) -> pd.DataFrame:
        """:attr:`table` as a new DataFrame (imports pandas)."""
        return self.table.frame()


def against(result: Any, baseline: Any) -> Against:
    """``result`` against ``baseline``: each region's shortfall beside the baseline's (see :class:`Against`).

    A pure function of the two runs' summary tables and scenarios.
    """
    theirs = {(row["region"], row["material"]): row for row in used_rows(baseline)}
    ours = used_rows(result)
    rows = []
    for row in ours:
        other = theirs.get((row["region"], row["material"]))
        if other is None:
            continue
        here, there = row["shortfall_t"], other["shortfall_t"]
        rows.append(
            {
                "region": row["region"],
                "material": row["material"],
                "shortfall_t": float(here),
                "baseline_shortfall_t": float(there),
                "change_t": float(here - there),
                "change_share": float((here - there) / there) if short(there) else np.nan,
                "first_shortfall_day": int(row["first_shortfall_day"]),
                "baseline_first_shortfall_day": int(other["first_shortfall_day"]),
                "first_shortfall_date": str(row["first_shortfall_date"]),
                "baseline_first_shortfall_date": str(other["first_shortfall_date"]),
            }
        )
    table = Table.from_rows(rows, AGAINST_COLUMNS)
    if not rows:  # no row: the columns still have their types (text, tonnes, days, dates as text)
        kinds = dict.fromkeys(("region", "material", "first_shortfall_date", "baseline_first_shortfall_date"), object)
        kinds.update(first_shortfall_day=np.int64, baseline_first_shortfall_day=np.int64)
        table = Table({name: np.array([], dtype=kinds.get(name, np.float64)) for name in AGAINST_COLUMNS})
    pairs = {(row["region"], row["material"]) for row in ours}
    a, b = result.scenario, baseline.scenario
    return Against(
        table=table,
        baseline_name=b.name,
        only_in_run=tuple(sorted(pairs - set(theirs))),
        only_in_baseline=tuple(sorted(set(theirs) - pairs)),
        same_period=(a.horizon_days, a.start_date) == (b.horizon_days, b.start_date),
    )
