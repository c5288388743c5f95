"""Whether a member, or anyone, was short of a material: one reading for a run, a table of runs and daily curves.

Layer: model.

A region is short of a material where its shortfall of it (``shortfall_t.<region>.<material>``, t) is above
:data:`SHORT_ABOVE_T`; an empty cell (NaN, a table's missing value) is no shortfall. Which regions are asked (the
agreement's members, some of them, or every region) and over what (one run, each run of a table, every day of a
curve) is the caller's: ``stockpile compare`` (:mod:`simulator.compare_materials`), the studies
(:mod:`simulator.sensitivity`, :mod:`simulator.sensitivity.intervals`) and their fan chart's count of samples short
(:mod:`simulator.sensitivity.figures`), the sweep's figures (:mod:`simulator.sweep.figures`), the shortfall figure
(:mod:`simulator.plots.shortfall`), ``stockpile run``'s words (:mod:`simulator.console`) and whether anyone is short
in a run's metrics (:func:`simulator.metrics.anyone_short`) all ask it here. Numbers only: pandas is not imported
(a figure of ``stockpile run`` reads it, and importing pandas costs that command about 0.4 s); a pandas column is
read through its own ``fillna``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from simulator.names import NUMBER_DECIMALS_MOST

SHORT_ABOVE_T = 0.5 * 10.0**-NUMBER_DECIMALS_MOST
"""A shortfall above this many tonnes (5e-7) is one: any shortfall the words show, however small.

What rounds to 0 at the 6th decimal is floating-point residue (:func:`simulator.names.is_residue`), which the
words show as none (``stockpile run``'s ``0.0``, the report's ``0 t``): a member short of 1e-13 t is not short
here either, so no count of members or runs short says 1 where the words say 0. For a shortfall of 0 or more,
``t > SHORT_ABOVE_T`` is exactly ``not is_residue(t)`` (half the 6th decimal's unit; 5e-7 itself rounds to 0).
No shipped number moves: the kernel counts a day's gap up to :data:`~simulator.numeric.EPS_T` (1e-9 t) as none,
and in the shipped scenarios' runs, comparisons and 16 samples the smallest shortfall asked here is 6e-5 t. One
from 1e-9 to 5e-7 t (none shipped) would still count its days in ``shortfall_days`` (the kernel's EPS_T), though
neither the words nor this module call it short."""


def shortfall_column(region: str, material: str) -> str:
    """The figure of ``region``'s shortfall of ``material``, t: a run's metric and a column of a table of runs.

    >>> shortfall_column("eu", "heavy_ree")
    'shortfall_t.eu.heavy_ree'
    """
    return f"shortfall_t.{region}.{material}"


def short(tonnes: Any) -> np.ndarray:
    """Per value of ``tonnes`` (a number, an array or a pandas column), whether it is a shortfall.

    Above :data:`SHORT_ABOVE_T`; an empty value (NaN, or a pandas column's missing value) is none, and so is a
    residue that the words show as 0 (1e-13 t).

    >>> short([0.0, 1e-13, float("nan"), 3.0, 0.000001]).tolist(), bool(short(0.0))
    ([False, False, False, True, True], False)
    """
    if hasattr(tonnes, "fillna"):  # a pandas column: its missing values (pd.NA too) are no shortfall
        tonnes = tonnes.fillna(0)
    return np.asarray(tonnes, dtype=float) > SHORT_ABOVE_T


def short_of(figures: Mapping[str, Any], regions: Iterable[str], material: str) -> np.ndarray:
    """Whether some of ``regions`` is short of ``material`` (:func:`short`), per row of ``figures``.

    ``figures``: anything with ``shortfall_t.<region>.<material>`` (:func:`shortfall_column`) of each region: one
    run's metrics or a row of a table (a 0-d answer), a table of runs (one per run), or curves (one per day).
    A region without its figure is an error (KeyError): the caller says which regions it asks. No regions: False.

    >>> figures = {"shortfall_t.eu.ga": [0.0, 2.0, 0.0], "shortfall_t.japan.ga": [0.0, 0.0, float("nan")]}
    >>> short_of(figures, ["eu", "japan"], "ga").tolist(), short_of(figures, ["japan"], "ga").tolist()
    ([False, True, False], [False, False, False])
    >>> bool(short_of({"shortfall_t.eu.ga": 0.5}, ["eu"], "ga")), bool(short_of({}, [], "ga"))
    (True, False)
    """
    each = [short(figures[shortfall_column(region, material)]) for region in regions]
    return np.any(each, axis=0) if each else np.False_
