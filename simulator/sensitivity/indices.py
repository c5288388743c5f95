"""Global sensitivity indices with SALib: Sobol' (Saltelli's scheme) and Morris' elementary effects.

Layer: studies.

Samples are drawn in the unit cube (each coordinate a quantile of one input's
distribution) and mapped to values by the scenario's ``uncertain:`` entries, so that
SALib sees independent uniform inputs whatever the distributions:

- **Sobol'**: ``N (d + 2)`` runs (Saltelli's scheme without second-order terms, scrambled
  Sobol' sequence, ``N`` a power of two). ``S1`` is the share of the metric's variance due
  to the input alone, ``ST`` the share it takes part in, interactions included; the
  ``_conf`` columns are half-widths of 95% bootstrap confidence intervals
  (:data:`BOOTSTRAP_RESAMPLES` resamples of the runs), SALib's normal approximation:
  1.96 times the standard deviation of the resampled estimates, so the intervals are
  symmetric about the estimate (see :data:`BOOTSTRAP_RESAMPLES`).
- **Morris**: ``N (d + 1)`` runs (``N`` trajectories on a 4-level grid). Each step of a
  trajectory moves one input by :data:`MORRIS_STEP` (2/3) of its range (in quantiles). An
  elementary effect is SALib's: the change the step made in the metric divided by the step,
  so the change per whole range of the input, extrapolated linearly from a step of 2/3 of it
  (a step that moved the metric by 100 t gives 150 t). ``mu_star`` is their mean absolute
  value, in the metric's unit; ``sigma`` is their standard deviation (large where the input
  interacts with others or acts non-linearly); ``mu_star_conf`` is the half-width of its 95%
  bootstrap interval. The change the steps simulated is ``MORRIS_STEP * mu_star`` on average.

Each row also carries the metric's unit (``metric_unit``, from the quantities registry:
``t``, ``day``, empty for an index): Morris' ``mu_star``, ``mu_star_conf``, ``sigma`` and
``mu`` are in it; Sobol' indices are shares of a variance, without unit.

A metric that takes the same value in every run has no variance to share out: its rows
are empty (NaN).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from simulator.sweep.columns import metric_unit

Method = Literal["sobol", "morris"]
METHODS: tuple[Method, ...] = ("sobol", "morris")
MORRIS_LEVELS = 4
MORRIS_STEP = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
"""How far each Morris step moves one input, as a share of its range in quantiles: SALib's ``delta``,
p / (2 (p - 1)) for p levels (2/3 for 4). Elementary effects are a step's change divided by this
(``sensitivity.json``: ``morris_step``)."""
COLUMNS: dict[Method, tuple[str, ...]] = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
}
"""Index columns of ``sensitivity.csv`` per method, after ``metric`` and ``parameter``."""
RANKED_BY: dict[Method, str] = {"sobol": "ST", "morris": "mu_star"}
CONFIDENCE_LEVEL = 0.95
"""Level of the bootstrap intervals whose half-widths are the ``_conf`` columns (``confidence_level``)."""
BOOTSTRAP_RESAMPLES = 1000
"""Bootstrap resamples behind each interval, either method (``sensitivity.json``: ``bootstrap_resamples``).

A half-width is itself an estimate from the resamples: with SALib's default of 100 it moves
by about 10% of itself from one bootstrap seed to another where the metric is well sampled
(total shortfall of the documented 8-input ``embargo_2010_historical`` study, 128 samples:
``ST_conf`` 0.263, standard deviation 0.024 over the bootstrap seeds 0 to 19, 0.23 to 0.31; the study's own seed
drew 0.226). With 1000 it moves by about 3% (0.259, standard deviation 0.008), for about 0.1 s
per metric there instead of 0.01 s; 2000 gain little (0.005) for twice the time. The bootstrap draws from
:func:`analyse`'s seed, the study's, so the intervals are the same bit for bit on a re-run.
Time and memory grow with ``N x resamples x inputs``: SALib indexes arrays of ``N x resamples``
values for each input. Measured for one metric of 8 inputs on two shared cores: at
``--samples 4096`` 7.1 s and 0.43 GB of peak memory (0.6 s and 0.21 GB with 100 resamples);
at 16384 41 s and 1.2 GB (3.8 s and 0.3 GB), beside the study's 163,840 runs (over half an hour).

Where a metric is non-zero in few runs no number of resamples helps: its variance comes from
those runs, and the half-width swings with whether a resample holds them (the same study's Japan
shortfall, non-zero in 11 of 1,280 runs: its leader's ``ST_conf`` has mean 29 and standard
deviation 24 over those seeds at 100 resamples, from 1.7 to 65; 38 and 5.4 at 1000: docs/uncertainty.md).
The terminal says its intervals are not to be trusted (:func:`simulator.sensitivity.top_drivers`).

Above 4,096 base samples the resamples fall, so that samples x resamples stays near 2**22
(:func:`resamples_for`: 256 at 16,384, 100, SALib's default, from 41,944): at 1000 the memory would grow with the
samples (65,536: 148 s and 4.3 GB for one metric; the 524,288 a study may take, about 35 GB), after all the runs.
With that many samples the half-widths are small and settled with fewer resamples.

Percentile intervals: SALib 1.6 gives only the normal approximation (``keep_resamples``
returns the resampled estimates, not percentile bounds), and an asymmetric interval needs two
columns per index where ``sensitivity.csv``, its figure and the terminal carry one half-width,
so the intervals stay symmetric; where the estimates' distribution is skewed (a share near 0)
a percentile interval would sit off centre (total shortfall's elasticity, ``ST`` 0.455:
percentile [0.25, 0.78] against 0.455 +- 0.257, from the same 1000 resamples)."""


def _problem(d: int) -> dict[str, object]:
    return {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}


def runs_needed(method: Method, samples: int, d: int) -> int:
    """Runs of a study: ``N (d + 2)`` for Sobol', ``N (d + 1)`` for Morris.

    >>> runs_needed("sobol", 512, 8), runs_needed("morris", 10, 8)
    (5120, 90)
    """
    return samples * (d + EXTRA_RUNS[method])


EXTRA_RUNS: dict[str, int] = {"sobol": 2, "morris": 1}
"""Runs per sample beyond one per input: ``N (d + 2)`` for Sobol', ``N (d + 1)`` for Morris (:func:`runs_needed`)."""


def is_power_of_two(n: int) -> bool:
    """Whether ``n`` is 1, 2, 4, 8, ...

    >>> [is_power_of_two(n) for n in (1, 2, 3, 512, 500)]
    [True, True, False, True, False]
    """
    return n >= 1 and n & (n - 1) == 0


def sample(method: Method, samples: int, d: int, seed: int) -> np.ndarray:
    """Points of the unit cube (runs x inputs) for ``method``, reproducible from ``seed``."""
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(_problem(d), samples, calc_second_order=False, scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(_problem(d), samples, num_levels=MORRIS_LEVELS, seed=seed)


RESAMPLED_VALUES = 2**22
"""Base samples x bootstrap resamples above which :func:`resamples_for` takes fewer resamples (memory)."""
MIN_RESAMPLES = 100
"""The fewest bootstrap resamples: SALib's default."""


def resamples_for(samples: int) -> int:
    """Bootstrap resamples for a study of ``samples`` base samples (Sobol') or trajectories (Morris).

    :data:`BOOTSTRAP_RESAMPLES` up to 4,096, then as many as keep ``samples x resamples`` within
    :data:`RESAMPLED_VALUES`, never fewer than :data:`MIN_RESAMPLES`.

    >>> resamples_for(128), resamples_for(4096), resamples_for(16384), resamples_for(524288)
    (1000, 1000, 256, 100)
    """
    return max(MIN_RESAMPLES, min(BOOTSTRAP_RESAMPLES, RESAMPLED_VALUES // max(1, samples)))


def analyse(method: Method, unit: np.ndarray, y: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """The indices of one metric (``y``, one value per run of :func:`sample`), per input.

    The intervals come from :func:`resamples_for` bootstrap resamples.
    """
    d = unit.shape[1]
    resamples = resamples_for(len(y) // (d + 2 if method == "sobol" else d + 1))
    if not np.isfinite(y).all() or np.ptp(y) == 0:
        return {name: np.full(d, np.nan) for name in COLUMNS[method]}
    with warnings.catch_warnings():  # SALib warns about its own options and numpy's edge cases
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.analyze import sobol

            # a Generator, not the int: SALib's Sobol' analysis leaves its bootstrap unseeded for seed 0
            rng = np.random.default_rng(seed)
            found = sobol.analyze(
                _problem(d),
                y,
                calc_second_order=False,
                num_resamples=resamples,
                conf_level=CONFIDENCE_LEVEL,
                seed=rng,
            )
        else:
            from SALib.analyze import morris

            found = morris.analyze(
                _problem(d),
                unit,
                y,
                num_resamples=resamples,
                conf_level=CONFIDENCE_LEVEL,
                num_levels=MORRIS_LEVELS,
                seed=seed,
            )
    return {name: np.asarray(found[name], float) for name in COLUMNS[method]}


def indices_table(
    method: Method, unit: np.ndarray, outputs: pd.DataFrame, paths: list[str], labels: list[str], seed: int
) -> pd.DataFrame:
    """``sensitivity.csv``: ``metric, parameter`` and the method's columns, then ``label`` and ``metric_unit``.

    Rows follow the metrics' order; within a metric, the most influential input first
    (``ST`` for Sobol', ``mu_star`` for Morris; empty rows last, in declared order).
    """
    frames = []
    for metric in outputs.columns:
        found = analyse(method, unit, outputs[metric].to_numpy(float), seed)
        units = metric_unit(str(metric))
        frame = pd.DataFrame({"metric": metric, "parameter": paths, **found, "label": labels, "metric_unit": units})
        frames.append(frame.sort_values(RANKED_BY[method], ascending=False, kind="stable", na_position="last"))
    return pd.concat(frames, ignore_index=True)
