"""The words an uncertainty study's figures share with the terminal, the JSON files and the report.

Layer: studies.

What a metric's indices rest on (:func:`flag_text`: few runs non-zero, a day metric's nevers
counted after the horizon; :func:`no_member_short_text`, :func:`adds_text`,
:func:`s1_above_text`), the values the indices are computed on (:func:`day_values`), what a
scenario's random inputs make them conditional on (:func:`one_draw_text`); how
``run --uncertainty`` prints a number is :func:`simulator.names.number_text`. They need no
Matplotlib, so a study or ``run --uncertainty`` that draws no figure (``--no-plots``) never loads
it; the figures themselves are :mod:`simulator.sensitivity.figures`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from simulator.frames import is_never_kind, quantity_of
from simulator.quantities import NONE_WORDS

SPARSE_SHARE = 0.05
"""A metric non-zero in fewer than this share of a study's runs is flagged (:func:`is_sparse`)."""


def is_sparse(nonzero: int, runs: int) -> bool:
    """Whether a metric non-zero in ``nonzero`` of ``runs`` runs is so in few of them (fewer than 5%).

    Its variance then comes from those few runs: one of them moving the metric moves
    every index, and their confidence intervals run wide. A metric that is zero in every
    run has no index to doubt (nothing varies), so it is not flagged.

    >>> is_sparse(11, 1280), is_sparse(64, 1280), is_sparse(0, 1280)
    (True, False, False)
    """
    return 0 < nonzero < SPARSE_SHARE * runs


def untrusted_text(nonzero: int) -> str:
    """What a sparse metric's intervals are worth (:func:`is_sparse`): the terminal's caution and note say it.

    Its variance, and so every index and interval, rests on the few runs in which it is not
    zero: a bootstrap resample holds more or fewer of them, and the half-widths swing from one
    bootstrap seed to another, so they set no ``--samples`` either (``N k^2`` on a width that
    is itself noise).

    >>> untrusted_text(11)
    'its intervals rest on those 11 runs: not to be trusted, nor a --samples drawn from them'
    """
    return f"its intervals rest on those {nonzero:,} runs: not to be trusted, nor a --samples drawn from them"


def absent_word(metric: str) -> str | None:
    """What -1 means in a day metric whose -1 means never or none (:func:`~simulator.frames.is_never_kind`), else None.

    >>> absent_word("first_shortfall_day.japan"), absent_word("peak_price_day.eu.light_ree")
    ('never', 'no price')
    >>> absent_word("min_days_of_cover_day.eu"), absent_word("shortfall_t.eu")
    ('no demand', None)
    """
    quantity = quantity_of(metric) if metric else None
    if quantity is None or not is_never_kind(quantity):
        return None
    return NONE_WORDS[quantity.aggregation]  # is_never_kind: an aggregation NONE_WORDS names


def _after(day: int | None) -> str:
    """How the indices count a day metric's never or none: after the horizon (day ``day``, when known)."""
    return "counted as after the horizon" if day is None else f"counted as day {day:,}, after the horizon"


def sparse_text(nonzero: int, runs: int, metric: str = "", never_day: int | None = None) -> str:
    """The words that flag a sparse metric: ``non-zero in only 11 of 1,280 runs``.

    A day metric whose -1 means never or none counts the runs it has a day in, and says
    what the others hold and how the indices count them (:func:`day_values`):

    >>> sparse_text(5, 128, "first_shortfall_day.japan")
    'in only 5 of 128 runs (never in the others, counted as after the horizon)'
    >>> sparse_text(5, 128, "peak_price_day.eu.light_ree", 730)
    'in only 5 of 128 runs (no price in the others, counted as day 730, after the horizon)'
    """
    if (word := absent_word(metric)) is not None:
        return f"in only {nonzero:,} of {runs:,} runs ({word} in the others, {_after(never_day)})"
    return f"non-zero in only {nonzero:,} of {runs:,} runs"


def no_member_short_text(count: int | Mapping[str, int] | None, runs: int, metric: str) -> str | None:
    """What to say of Jain's index where no member is short in some runs, not all: ``1 where no member is short, ...``.

    Jain's index counts no burden as equal, 1 (:func:`simulator.metrics.jain_index`). The sweep's figures
    and ``run --uncertainty`` summarise it over the runs with a member short; the indices need every run
    of the design, so they count those runs as 1, and the metric's variance is then also that of whether
    a member is short at all. ``count``: the runs with no member short (None: not known); where the index is
    studied material by material, per index (``fairness_jain.all.<material>``) the runs with no member short of
    its material (``sensitivity.json``'s ``no_member_short_runs``).

    >>> no_member_short_text(108, 248, "fairness_jain")
    '1 where no member is short, in 108 of 248 runs'
    >>> no_member_short_text(0, 248, "fairness_jain"), no_member_short_text(108, 248, "total_shortfall_t")
    (None, None)
    >>> no_member_short_text({"fairness_jain.all.ga": 12}, 64, "fairness_jain.all.ga")
    '1 where no member is short of it, in 12 of 64 runs'
    >>> no_member_short_text({"fairness_jain.all.ga": 12}, 64, "fairness_jain") is None
    True
    """
    if isinstance(count, Mapping):
        count, of = count.get(metric), " of it"
    else:
        count, of = (count if metric == "fairness_jain" else None), ""
    if count is None or not 0 < count < runs:
        return None
    return f"1 where no member is short{of}, in {count:,} of {runs:,} runs"


def adds_text(unlike_tonnes: Mapping[str, str] | None, metric: str) -> str | None:
    """``adds tonnes of magnet and tonnes of oxide`` for a metric that adds tonnes which may not be added, else None.

    ``unlike_tonnes`` maps such metrics to what they add: the materials each holds in the runs, under
    :func:`~simulator.scenario.tonnes.not_added` (:func:`simulator.sensitivity.unlike_tonnes_added`).

    >>> adds_text({"total_shortfall_t": "tonnes of magnet and tonnes of oxide"}, "total_shortfall_t")
    'adds tonnes of magnet and tonnes of oxide'
    >>> adds_text({"total_shortfall_t": "tonnes of magnet and tonnes of oxide"}, "shortfall_t.eu") is None
    True
    """
    what = (unlike_tonnes or {}).get(metric)
    return f"adds {what}" if what else None


def flag_text(nonzero: int | None, runs: int, metric: str, never_day: int | None = None) -> str | None:
    """What to say of a metric beside its indices, or None: sparse (:func:`is_sparse`), or a day metric with nevers.

    A day metric whose -1 means never or none (no demand, no price) is flagged when some of
    its runs hold -1, but not all (then it is the same in every run): its indices count
    those runs as a day after the horizon, not as day -1 (:func:`day_values`):

    >>> flag_text(95, 800, "first_shortfall_day.japan", 730)
    'never in 705 of 800 runs, counted as day 730, after the horizon'
    >>> flag_text(800, 800, "first_shortfall_day.japan"), flag_text(0, 800, "first_shortfall_day.japan")
    (None, None)
    >>> flag_text(11, 1280, "total_shortfall_t"), flag_text(640, 1280, "total_shortfall_t")
    ('non-zero in only 11 of 1,280 runs', None)
    """
    if nonzero is None:
        return None
    if is_sparse(nonzero, runs):
        return sparse_text(nonzero, runs, metric, never_day)
    word = absent_word(metric)
    if word is not None and 0 < nonzero < runs:
        return f"{word} in {runs - nonzero:,} of {runs:,} runs, {_after(never_day)}"
    return None


def day_values(values: pd.Series, metric: str, never_day: int) -> pd.Series:
    """The values the indices are computed on: a day metric's never or none (-1, or empty) as ``never_day``.

    In the files such a day is -1 ("never"); taken as it stands it would be the earliest of
    days, and a run never short would count as shorter sooner than any. The indices count
    it after the horizon (``never_day`` is ``horizon_days``, the day after the last), as the
    explorer counts "never" later than any day. Other metrics pass as they are.

    >>> day_values(pd.Series([-1, 141, None]), "first_shortfall_day.japan", 365).tolist()
    [365.0, 141.0, 365.0]
    >>> day_values(pd.Series([-1.0, 2.5]), "total_shortfall_t", 365).tolist()
    [-1.0, 2.5]
    """
    if absent_word(metric) is None:
        return values
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(numbers >= 0, float(never_day))


S1_ABOVE_TOLERANCE = 1e-9
"""How far an ``S1`` may exceed its ``ST`` before :func:`s1_above_text` calls it sampling noise: floating-point
residue (``S1`` 2.7e-18 over ``ST`` 1.9e-34 for an input without effect) is not."""


def s1_above_text(rows: pd.DataFrame) -> str | None:
    """``S1 above ST for 2 inputs: sampling noise``, or None when no row's ``S1`` exceeds its ``ST``.

    A first-order share cannot exceed the total it is part of: where the estimates say it
    does, the samples are too few. The figure's panel title and the terminal's top drivers
    say it in these words.

    >>> s1_above_text(pd.DataFrame({"S1": [0.7, 0.1, 0.4], "ST": [0.52, 0.3, 0.35]}))
    'S1 above ST for 2 inputs: sampling noise'
    >>> s1_above_text(pd.DataFrame({"S1": [0.1], "ST": [0.3]})) is None
    True

    An excess within :data:`S1_ABOVE_TOLERANCE` is rounding, not noise: an input without any
    effect gets estimates of about 0 both (``S1`` 2.7e-18 and ``ST`` 1.9e-34), not flagged:

    >>> s1_above_text(pd.DataFrame({"S1": [2.7e-18], "ST": [1.9e-34]})) is None
    True
    """
    above = int((rows["S1"] > rows["ST"] + S1_ABOVE_TOLERANCE).sum())
    return f"S1 above ST for {above} input{'s' if above > 1 else ''}: sampling noise" if above else None


def one_draw_text(random_input_words: list[str], run_seed: int) -> str | None:
    """What the indices of a scenario with random inputs are conditional on; None without any.

    Every sample runs with the same seed (common random numbers): the random inputs (a
    shock's start, length or severity drawn from a distribution, demand noise) are drawn
    once, and the indices say how the uncertain inputs move the metrics in that one draw,
    not on average over the random inputs' distributions.

    >>> one_draw_text(["demand noise", "halt's start, severity"], 42)
    "conditional on one draw of the random inputs (demand noise; halt's start, severity): run seed 42 in every sample"
    >>> one_draw_text([], 42) is None
    True
    """
    if not random_input_words:
        return None
    names = "; ".join(random_input_words)
    return f"conditional on one draw of the random inputs ({names}): run seed {run_seed} in every sample"
