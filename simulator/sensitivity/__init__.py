"""Global sensitivity analysis and uncertainty runs over a scenario's declared uncertain inputs.

Layer: studies.

``stockpile sensitivity`` (:func:`run_sensitivity`) samples the scenario's ``uncertain:``
block with SALib (:mod:`simulator.sensitivity.indices`), runs every sample through the
sweep machinery (:mod:`simulator.sensitivity.study`) and writes into ``DIR``:

- ``sensitivity.csv``: ``metric, parameter`` and the indices (Sobol': ``S1, S1_conf, ST,
  ST_conf``; Morris: ``mu_star, mu_star_conf, sigma, mu``), then the input's ``label``;
- ``sensitivity.png``: a bar chart per metric (:mod:`simulator.sensitivity.figures`);
- ``samples.parquet``: one row per run, the inputs' values then every per-run metric;
- ``sensitivity.json``: scenario, hash, method, samples, runs, seed, inputs, metrics,
  per metric the runs in which it is not zero, or for a day metric whose -1 means never
  or none (``first_shortfall_day``, ``min_days_of_cover_day``, ``peak_price_day``) in
  which it has a day (``nonzero_runs``), and those non-zero in fewer than 5% of the runs
  (``sparse_metrics``: their indices rest on those runs); per such day metric the runs
  that hold -1 (``never_runs``) and the day the indices count them as (``never_as_day``),
  version and wall time.

A day metric's -1 (never short, no demand, no price) is not taken as a day -1, earlier
than any: the indices count it as ``horizon_days``, the day after the last
(:func:`~simulator.sensitivity.figures.day_values`), and the terminal, the figure and
``never_runs`` say in how many runs. ``samples.parquet`` keeps -1, as the sweep table does.

Every sample runs with the same seed (the scenario's first run seed): in a scenario with
random inputs the indices are those of that one draw of the random inputs (common random
numbers), so sampling noise does not pass for sensitivity. ``sensitivity.json`` lists those
inputs' random streams (``random_inputs``), and the terminal and the figure's title say
that the indices are conditional on that draw (:func:`~simulator.sensitivity.figures.one_draw_text`).

``stockpile run --uncertainty N`` is :mod:`simulator.sensitivity.intervals`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.errors import InputError
from simulator.frames import is_never_kind, quantity_of
from simulator.output_folder import manifest_info, open_folder
from simulator.plan import NOISE_SOURCE, RANDOM_TYPES, compile_plan
from simulator.randomness import run_seed
from simulator.scenario import scenario_hash
from simulator.sensitivity.figures import (
    absent_word,
    day_values,
    flag_text,
    is_sparse,
    one_draw_text,
    sensitivity_figure,
)
from simulator.sensitivity.indices import (
    EXTRA_RUNS,
    RANKED_BY,
    Method,
    indices_table,
    is_power_of_two,
    runs_needed,
    sample,
)
from simulator.sensitivity.study import MAX_SAMPLE_RUNS, Study, evaluate, plan_study
from simulator.sweep.columns import metric_title
from simulator.version import __version__

__all__ = ["Sensitivity", "check_samples", "plan_study", "run_sensitivity", "top_drivers"]

SENSITIVITY_FILES = frozenset({"sensitivity.csv", "sensitivity.png", "samples.parquet", "sensitivity.json"})


@dataclass(frozen=True)
class Sensitivity:
    """A finished study: the indices, the runs, and what was done."""

    table: pd.DataFrame
    """``sensitivity.csv``."""
    samples: pd.DataFrame
    """``samples.parquet``."""
    info: dict[str, Any]
    """``sensitivity.json``."""


def check_samples(method: Method, samples: int, inputs: int) -> int:
    """The number of runs ``method`` needs; :class:`InputError` (exit 2) for a bad ``--samples``."""
    if samples < 1:
        raise InputError(f"--samples: must be at least 1, got {samples}")
    if method == "sobol" and not is_power_of_two(samples):
        lower = 1 << (samples.bit_length() - 1)
        raise InputError(
            f"--samples: Sobol' sampling needs a power of two, got {samples:,} (try {lower:,} or {2 * lower:,})"
        )
    if method == "morris" and samples < 2:
        raise InputError("--samples: Morris needs at least 2 trajectories")
    if method == "sobol" and samples < 2:
        raise InputError("--samples: Sobol' needs at least 2 base samples (one gives no variance to share out)")
    runs = runs_needed(method, samples, inputs)
    if runs > MAX_SAMPLE_RUNS:
        raise InputError(
            f"--samples: {samples:,} x ({inputs} inputs + {EXTRA_RUNS[method]}) = {runs:,} runs, "
            f"more than {MAX_SAMPLE_RUNS:,}"
        )
    return runs


def analyse_study(
    study: Study,
    method: Method,
    samples: int,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> Sensitivity:
    """Sample, run and analyse a planned study (no files written)."""
    started = time.perf_counter()
    check_samples(method, samples, len(study.inputs))
    unit = sample(method, samples, len(study.inputs), study.root_seed)
    points = study.points(unit)
    seeds = [run_seed(study.root_seed, 0)] * len(points)
    table, _ = evaluate(study, points, seeds, workers, client, progress=progress)
    never_day = study.scenario.horizon_days
    outputs = pd.DataFrame({metric: day_values(table[metric], metric, never_day) for metric in study.metrics})
    labels = [i.label for i in study.inputs]
    indices = indices_table(method, unit, outputs, study.paths, labels, study.root_seed)
    runs = pd.concat([study.values_table(points), table.drop(columns=["point", "run"])], axis=1)
    nonzero = {metric: occurring_runs(table[metric], metric) for metric in study.metrics}
    info = {
        "scenario": study.scenario.name,
        "scenario_file": study.source,
        "scenario_hash": scenario_hash(study.scenario),
        "method": method,
        "samples": samples,
        "runs": len(points),
        "seed": study.root_seed,
        "run_seed": seeds[0],
        "inputs": [
            {"path": i.path, "label": i.label, "range": i.range_text(), "source": i.entry.source} for i in study.inputs
        ],
        "metrics": list(study.metrics),
        "nonzero_runs": nonzero,
        "sparse_metrics": [metric for metric, count in nonzero.items() if is_sparse(count, len(points))],
        "never_runs": {m: len(points) - count for m, count in nonzero.items() if absent_word(m) is not None},
        "never_as_day": never_day,
        "random_inputs": random_inputs(study),
        "engine": "batched fast path (bit-identical to the SimPy reference engine)",
        "package_version": __version__,
        "wall_time_s": round(time.perf_counter() - started, 3),
    }
    return Sensitivity(indices, runs, info)


def run_sensitivity(
    study: Study,
    method: Method,
    samples: int,
    folder: Path,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
) -> Sensitivity:
    """Run a study into ``folder`` (the files in the module docstring); refuse a folder not ours first."""
    with open_folder(folder, SENSITIVITY_FILES, force, command="sensitivity") as out:
        found = analyse_study(study, method, samples, workers, client, progress)
        made_by = manifest_info(scenario=study.scenario.name, scenario_hash=found.info["scenario_hash"], method=method)
        with out.staged(made_by) as stage:
            found.table.to_csv(stage / "sensitivity.csv", index=False)
            found.samples.to_parquet(stage / "samples.parquet", index=False)
            (stage / "sensitivity.json").write_text(json.dumps(found.info, indent=2, default=str) + "\n")
            info = found.info
            figure = sensitivity_figure(
                found.table,
                method,
                info["runs"],
                info["nonzero_runs"],
                info["never_as_day"],
                one_draw_text(info["random_inputs"], info["run_seed"]),
            )
            figure.savefig(stage / "sensitivity.png", dpi=110)
    return found


def random_inputs(study: Study) -> list[str]:
    """What the scenario draws at random in each run, in words: ``china_embargo_both's start, length, severity``.

    A shock's start, length or size given as a distribution, and demand noise: the inputs
    that one run seed fixes for every sample (:func:`~simulator.sensitivity.figures.one_draw_text`).
    """
    plan = compile_plan(study.scenario)
    words = ["demand noise"] if NOISE_SOURCE in plan.random_sources else []
    for shock in plan.shocks:
        size = "severity" if shock.kind == "embargo" else "size"
        drawn = [
            word
            for word, value in (("start", shock.start), ("length", shock.duration), (size, shock.magnitude))
            if isinstance(value, RANDOM_TYPES)
        ]
        if drawn:
            words.append(f"{shock.id}'s {', '.join(drawn)}")
    return words


def occurring_runs(values: pd.Series, metric: str) -> int:
    """The runs in which ``metric`` is not zero; for a day metric (-1 or empty: never), those in which it occurs.

    >>> occurring_runs(pd.Series([0.0, 2.5, None]), "total_shortfall_t")
    1
    >>> occurring_runs(pd.Series([-1, 141, -1, None]), "first_shortfall_day.japan")  # short in one run of four
    1
    """
    quantity = quantity_of(metric)
    if quantity is not None and is_never_kind(quantity):
        return int((values.fillna(-1) >= 0).sum())
    return int((values.fillna(0) != 0).sum())


def top_drivers(
    table: pd.DataFrame,
    method: Method,
    count: int = 3,
    nonzero: dict[str, int] | None = None,
    runs: int = 0,
    never_day: int | None = None,
) -> list[str]:
    """One line per metric: its title and its ``count`` most influential inputs.

    ``nonzero`` (per metric, the runs of the ``runs`` in which it is not zero; for a day
    metric, those in which it has a day) flags a metric non-zero in few runs
    (:func:`~simulator.sensitivity.figures.is_sparse`), and a day metric whose never or none
    (-1) the indices count after the horizon, as day ``never_day`` when given
    (:func:`~simulator.sensitivity.figures.flag_text`).
    Indices are rounded to two decimals, a small negative estimate to ``0.00`` (not ``-0.00``).

    >>> t = pd.DataFrame({"metric": ["total_shortfall_t"] * 2, "parameter": ["a", "b"], "label": ["A", "B"],
    ...                   "S1": [0.7, -0.004], "S1_conf": [0.05, 0.02], "ST": [0.8, 0.2], "ST_conf": [0.06, 0.03]})
    >>> top_drivers(t, "sobol")
    ['Total shortfall (t): A (ST 0.80 +- 0.06, S1 0.70), B (ST 0.20 +- 0.03, S1 0.00)']
    >>> top_drivers(t, "sobol", 1, {"total_shortfall_t": 11}, 1280)
    ['Total shortfall (t), non-zero in only 11 of 1,280 runs: A (ST 0.80 +- 0.06, S1 0.70)']
    >>> day = t.assign(metric="first_shortfall_day.japan")
    >>> top_drivers(day, "sobol", 1, {"first_shortfall_day.japan": 95}, 800)[0].split(": ")[0]
    'First day short, Japan (day), never in 705 of 800 runs, counted as after the horizon'
    """
    key = RANKED_BY[method]
    lines = []
    for metric, rows in table.groupby("metric", sort=False):
        title = metric_title(str(metric))
        if flag := flag_text((nonzero or {}).get(str(metric)), runs, str(metric), never_day):
            title += f", {flag}"
        ranked = rows.dropna(subset=[key]).sort_values(key, ascending=False, kind="stable").head(count)
        if ranked.empty:
            lines.append(f"{title}: the same in every run")
            continue
        if method == "sobol":
            parts = [
                f"{r.label} (ST {_share(r.ST)} +- {_share(r.ST_conf)}, S1 {_share(r.S1)})" for r in ranked.itertuples()
            ]
        else:
            parts = [f"{r.label} (mu* {r.mu_star:,.4g}, sigma {r.sigma:,.4g})" for r in ranked.itertuples()]
        lines.append(f"{title}: " + ", ".join(parts))
    return lines


def _share(value: float) -> str:
    """An index to two decimals; ``-0.004`` is ``0.00``: a sign on a zero says nothing.

    >>> _share(-0.004), _share(-0.012), _share(0.5)
    ('0.00', '-0.01', '0.50')
    """
    text = f"{value:.2f}"
    return text[1:] if text == "-0.00" else text
