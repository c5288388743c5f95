"""Intervals on a run's headline figures: ``stockpile run --uncertainty N``.

Layer: studies.

``N`` samples of the scenario's uncertain inputs (a Latin hypercube in the unit cube from
the scenario's seed, mapped through each entry's distribution) run on the batched fast
path with their daily curves; sample ``k`` uses run seed ``run_seed(seed, k)``
(:func:`simulator.randomness.run_seed`, run ``k``'s of a sweep), so random inputs vary
too. From them:

- each headline metric (:func:`headline_metrics`) as a median with a 90% interval (the 5th
  and 95th percentiles, NumPy's linear interpolation) beside the scenario's own value; where the
  scenario's tonnes may not be added and a member is short in some sample, Jain's index is each
  material's own (``fairness_jain.all.<material>`` of each material short that two members or more
  use: :func:`~simulator.sensitivity.study.fairness_by_material`), as ``stockpile run``'s last line
  gives it, each over the samples with a member short of that material;
- its main drivers: the inputs whose quantile has the largest Spearman rank correlation
  with it, at most three, each too large to be chance (:func:`driver_threshold`); where more clear
  that bound, the line says of how many these are the largest. A rank
  correlation sees monotone effects only: for each input's share of the variance, interactions included,
  run ``stockpile sensitivity``;
- 5/50/95% bands per day, region and material of drawable days of cover and cumulative
  shortfall, drawn as fan charts;
- each sample's own baseline demand per day (:data:`simulator.sweep.runner.OWN_DEMAND`, worked
  out where its plan is compiled) and peak world price (:func:`peak_world_prices`),
  which the report's *How robust* part reads its shortfalls in days of, and sets against a record.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulator.burden import jain_group, members_with_demand
from simulator.compare_materials import by_material_sentence
from simulator.fastpath import kept_curves
from simulator.metrics import runs_short
from simulator.names import (
    AS_WRITTEN,
    Names,
    cap,
    decimals_text,
    jain_definition,
    join_words,
    number_text,
    plural,
    rounded_half_up,
    shared_words_once,
)
from simulator.quantities import FAIRNESS_OF, daily
from simulator.randomness import run_seed
from simulator.scenario import Scenario
from simulator.scenario.overrides import overlap_relation, within
from simulator.scenario.schema import UncertainValues
from simulator.sensitivity.study import (
    ByMaterial,
    Study,
    evaluate,
    fairness_by_material,
    studied_metrics,
)
from simulator.shortages import short as _short
from simulator.shortages import short_of as some_short_of
from simulator.shortages import shortfall_column
from simulator.sweep.columns import metric_title, metric_unit
from simulator.sweep.figures import FAIRNESS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DRIVER_MIN_RHO = 0.2
"""Smallest rank correlation (in size) for an input to be named a driver, however many samples."""
DRIVER_FALSE_ALARM = 0.05
"""Chance that an input with no effect is named a driver of a metric (over all inputs together)."""
MAX_DRIVERS = 3
FAN_CURVES = {"days_of_cover": "fan_days_of_cover.png", "shortfall_cum_t": "fan_shortfall.png"}
"""Curves drawn as fan charts, and their files."""
CLIPPED_CURVES = frozenset({"days_of_cover"})
"""Fan curves whose axis is cut above a band's spikes (:func:`simulator.sensitivity.figures.fan_top`).

Days of cover spikes where demand nearly stops in a few samples (a day's cover is stock
over that day's demand); a cumulative shortfall's tail is a real outcome, drawn whole.
"""
MAX_UNCERTAINTY_RUNS = 100_000


def is_fairness(metric: str) -> bool:
    """Whether a headline is Jain's index: over all materials, or a material's own in its place.

    >>> is_fairness("fairness_jain"), is_fairness("fairness_jain.all.ga"), is_fairness("shortfall_t.eu")
    (True, True, False)
    """
    return metric == FAIRNESS or metric.startswith(FAIRNESS_OF)


def index_materials(scenario: Scenario, metric: str) -> list[str]:
    """The materials whose demand Jain's index ``metric`` divides shortfalls by: its own, or every material.

    >>> index_materials(None, "fairness_jain.all.ga")
    ['ga']
    """
    return [metric.removeprefix(FAIRNESS_OF)] if metric.startswith(FAIRNESS_OF) else list(scenario.materials)


def headline_metrics(scenario: Scenario) -> list[str]:
    """Total shortfall, fairness between members, then each region's shortfall and lowest cover.

    Fairness (``fairness_jain``) is given material by material where the samples find the scenario's tonnes may
    not be added (:func:`~simulator.sensitivity.study.studied_metrics`, in :func:`run_uncertainty`).
    """
    members = scenario.agreement.members if scenario.agreement else []
    out = ["total_shortfall_t", *(["fairness_jain"] if len(members) > 1 else [])]
    out += [f"shortfall_t.{r}" for r in scenario.regions]
    out += [f"min_days_of_cover.{r}" for r in scenario.regions]
    return out


@dataclass(frozen=True)
class Driver:
    """An input and its rank correlation with a metric."""

    label: str
    path: str
    rho: float


@dataclass(frozen=True)
class Uncertainty:
    """What ``N`` samples of the uncertain inputs give."""

    study: Study
    runs: int
    samples: pd.DataFrame
    """One row per sample: the inputs' values, ``seed``, every per-run metric, then the sample's own demand
    (:data:`~simulator.sweep.runner.OWN_DEMAND`) and peak world price (:func:`peak_world_prices`)."""
    headlines: pd.DataFrame
    """Per headline metric: ``metric, title, unit, median, p5, p95, drivers, samples``.

    ``samples``: how many samples the row summarises: all of them, but for fairness
    (``fairness_jain``) those with a member short (:func:`simulator.metrics.fairness_when_short`), and for a
    material's own index in its place (``fairness_jain.all.<material>``, where the scenario's tonnes may not be
    added) those with a member short of the material.
    """
    drivers: dict[str, list[Driver]]
    bands: dict[str, dict[str, np.ndarray]]
    """Per fan curve, ``p5``/``p50``/``p95`` arrays (day, region, material)."""
    without: pd.DataFrame | None = None
    """With an agreement: each sample run again without it (:func:`paired_without_agreement`), same row order."""
    without_why: str = ""
    """Why ``without`` is missing for a scenario with an agreement ('' when it is there or there is no agreement)."""
    short: np.ndarray | None = None
    """Which samples have a member short (:func:`simulator.metrics.runs_short`), a row each of ``samples``.

    None when the samples table cannot tell (its share columns are not there): fairness is then
    summarised over all samples, not only those with a member short (:func:`counted_text` says so).
    """
    by_material: ByMaterial | None = None
    """Where Jain's index is given material by material, which materials (and who alone uses the others); None
    where it is ``fairness_jain`` over all materials (:func:`~simulator.sensitivity.study.fairness_by_material`)."""
    short_of: Mapping[str, np.ndarray] = dataclasses.field(default_factory=dict)
    """Where Jain's index is given material by material (:func:`~simulator.sensitivity.study.fairness_by_material`):
    per headline ``fairness_jain.all.<material>``, which samples have a member short of the material (a row each of
    ``samples``), those its headline summarises; empty elsewhere."""
    cleared: Mapping[str, tuple[int, float]] = dataclasses.field(default_factory=dict)
    """Per headline metric: how many inputs clear :func:`driver_threshold` and that bound (of its counted samples);
    more than :data:`MAX_DRIVERS` clear it where ``drivers`` names only the largest (:func:`drivers_text` says so)."""


def counted_samples(found: Uncertainty, metric: str) -> np.ndarray | None:
    """The samples the headline of ``metric`` summarises, where not all; None for every other metric.

    For Jain's index, those with a member short (:attr:`Uncertainty.short`; of its material where it is given by
    material, :attr:`Uncertainty.short_of`); None too where the samples table cannot tell.
    """
    return found.short if metric == FAIRNESS else found.short_of.get(metric)


def rank_correlations(unit: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho of each column of ``unit`` with ``y`` (NaN where either is constant).

    >>> rank_correlations(np.array([[0.1, 0.9], [0.5, 0.5], [0.9, 0.1]]), np.array([1.0, 2.0, 5.0])).round(6).tolist()
    [1.0, -1.0]
    """
    from scipy.stats import rankdata  # scipy.stats takes long to import: only when needed

    ry = rankdata(y)
    ry = ry - ry.mean()
    out = np.full(unit.shape[1], np.nan)
    for j in range(unit.shape[1]):
        rx = rankdata(unit[:, j])
        rx = rx - rx.mean()
        scale = np.sqrt((rx**2).sum() * (ry**2).sum())
        if scale > 0:
            out[j] = float((rx * ry).sum() / scale)
    return out


def driver_threshold(samples: int, inputs: int) -> float:
    """Smallest |rho| named a driver: :data:`DRIVER_MIN_RHO`, or more where chance could reach it.

    Without any effect, rho over ``n`` samples is about normal with sd ``1 / sqrt(n - 1)``;
    with ``d`` inputs the two-sided test of each at ``DRIVER_FALSE_ALARM / d`` (Bonferroni)
    keeps the chance of naming any input with no effect below :data:`DRIVER_FALSE_ALARM`.

    >>> round(driver_threshold(100, 29), 2), round(driver_threshold(1000, 2), 2)
    (0.31, 0.2)
    """
    return max(DRIVER_MIN_RHO, _chance_z(inputs) / float(np.sqrt(max(samples - 1, 1))))


def _chance_z(inputs: int) -> float:
    """The normal quantile each of ``inputs`` rank correlations is tested at (:func:`driver_threshold`)."""
    from scipy.stats import norm

    return float(norm.ppf(1 - DRIVER_FALSE_ALARM / (2 * inputs)))


def samples_at_floor(inputs: int, rho: float = DRIVER_MIN_RHO) -> int:
    """The fewest samples at which :func:`driver_threshold` is at most ``rho``: ``ceil((z / rho)^2) + 1``.

    ``z / sqrt(n - 1) <= rho`` once ``n - 1 >= (z / rho)^2``; ``rho`` 1 gives the fewest samples
    from which any input can be named (a rank correlation is at most 1 in size).

    >>> samples_at_floor(2), samples_at_floor(63)  # z = 2.2414: (11.207)^2 = 125.6
    (127, 283)
    >>> samples_at_floor(2, 1.0), samples_at_floor(36, 1.0)  # 2.2414^2 = 5.02; z = 3.1980: 10.23
    (7, 12)
    """
    return math.ceil((_chance_z(inputs) / rho) ** 2) + 1


def main_drivers(study: Study, unit: np.ndarray, y: np.ndarray) -> tuple[list[Driver], int, float]:
    """The inputs most rank-correlated with ``y`` (at most :data:`MAX_DRIVERS`), how many clear the bound, the bound.

    An input is named when its rank correlation reaches :func:`driver_threshold` in size; of more than
    :data:`MAX_DRIVERS` that do, the largest. None is named where ``y`` is not finite throughout.
    """
    least = driver_threshold(len(y), unit.shape[1])
    if not np.isfinite(y).all():
        return [], 0, least
    rho = rank_correlations(unit, y)
    order = [j for j in np.argsort(-np.nan_to_num(np.abs(rho)), kind="stable") if abs(rho[j]) >= least]
    named = [Driver(study.inputs[j].label, study.inputs[j].path, float(rho[j])) for j in order[:MAX_DRIVERS]]
    return named, len(order), least


FIXES_INPUT = frozenset({"is", "sibling", "contains"})
"""How a ``--set`` path stands to an ``uncertain:`` entry's
(:func:`~simulator.scenario.overrides.overlap_relation`) when it fixes that input whole: the same path, the other
unit of the stock it sizes, or a value holding it."""


def fixed_by_set(raw: dict[str, Any], before: Any, fixed: list[str], source: str) -> tuple[dict[str, Any], str | None]:
    """``raw`` without the ``uncertain:`` entries that ``--set`` fixes, and a note naming them (None when none).

    For ``run --uncertainty``: a ``--set`` that fixes an entry's input whole (:data:`FIXES_INPUT`)
    fixes it at the value set, so the study leaves the entry out and varies the others.
    ``before``: the scenario's ``uncertain:`` entries before the ``--set`` values were applied;
    those on fields inside a value set are gone from ``raw`` already
    (:func:`~simulator.scenario.overrides.apply_overrides`) and are named too. A ``--set`` inside a
    value an entry varies, or on one agreement ratio while an entry varies another, is still
    refused by the study's check (:func:`~simulator.sweep.grid.fixed_and_varied`). Raises
    :class:`InputError` (exit 2) when no entry is left to vary.
    """
    from simulator.errors import InputError, Problem
    from simulator.scenario.load import named_path

    entries = raw.get("uncertain")
    if not fixed or not isinstance(entries, list):
        return raw, None
    sets = [named_path(path, raw) for path in fixed]

    def fixes(entry: Any) -> bool:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            return False
        varied = named_path(entry["path"], raw)
        return any(overlap_relation(path, varied) in FIXES_INPUT for path in sets)

    kept = [e for e in entries if not fixes(e)]
    # entries a value set took away with it (their path no longer varied); a --set on the block itself
    # (uncertain, uncertain.0.high) edits the entries rather than fixing an input
    edits_block = any(str(path) == "uncertain" or str(path).startswith(("uncertain.", "uncertain[")) for path in fixed)
    varied_now = {e.get("path") for e in entries if isinstance(e, dict)}
    gone = (
        [e for e in before if isinstance(e, dict) and e.get("path") not in varied_now]
        if isinstance(before, list) and not edits_block
        else []
    )
    dropped = gone + [e for e in entries if fixes(e)]
    if not dropped:
        return raw, None
    names = [f"{e['label']} ({e['path']})" if e.get("label") else str(e.get("path")) for e in dropped]
    if not kept:
        raise InputError(
            [
                Problem(
                    "--uncertainty", f"--set fixes every uncertain input ({join_words(names)}): none is left to vary"
                )
            ],
            source,
        )
    inputs = "input" if len(dropped) == 1 else "inputs"
    note = (
        f"--set fixes {len(dropped)} uncertain {inputs} at the value set, left out of the study: "
        f"{join_words(names)}; it varies the other {len(kept):,}"
    )
    return {**raw, "uncertain": kept}, note


def run_uncertainty(
    study: Study,
    runs: int,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> Uncertainty:
    """Sample the study's inputs ``runs`` times, run them, and summarise (see the module docstring)."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(study.inputs), seed=np.random.default_rng(study.root_seed)).random(runs)
    points = study.points(unit)
    seeds = [run_seed(study.root_seed, k) for k in range(runs)]
    kept = (*kept_curves(True), WORLD_PRICE_CURVE)  # the world price for each sample's peak (peak_world_prices)
    table, curves = evaluate(study, points, seeds, workers, client, curves=kept, progress=progress, own_demand=True)
    assert curves is not None
    metrics = headline_metrics(study.scenario)
    by_material = fairness_by_material(study.scenario, table) if FAIRNESS in metrics else None
    metrics = studied_metrics(metrics, by_material)
    short = runs_short(table, study.scenario.agreement.members if study.scenario.agreement else None)
    materials = by_material.materials if by_material is not None else []
    group = jain_group(study.scenario)  # where none of them is short of a material, its index is 1 by convention
    short_of_each = {f"{FAIRNESS_OF}{m}": some_short_of(table, group, m) for m in materials}
    rows, drivers, cleared = [], {}, {}
    for metric in metrics:
        y = table[metric].to_numpy(float)
        counted = np.ones(len(y), dtype=bool)
        shown = short if metric == FAIRNESS else short_of_each.get(metric)
        if shown is not None:  # 1 where no member is short (of the material) is a convention, not a finding
            counted = shown
            y = np.where(shown, y, np.nan)
        named, past, least = main_drivers(study, unit[counted], y[counted]) if counted.sum() > 2 else ([], 0, math.nan)
        drivers[metric], cleared[metric] = named, (past, least)
        p5, p50, p95 = np.nanpercentile(y, [5, 50, 95]) if np.isfinite(y).any() else (np.nan,) * 3
        rows.append(
            {
                "metric": metric,
                "title": metric_title(metric),
                "unit": metric_unit(metric),
                "median": p50,
                "p5": p5,
                "p95": p95,
                "drivers": "; ".join(f"{d.label} ({d.rho:+.2f})" for d in drivers[metric]),
                "samples": int(counted.sum()),
            }
        )
    bands = {}
    for curve in FAN_CURVES:
        with warnings.catch_warnings():  # days of cover is NaN where there is no demand
            warnings.simplefilter("ignore", RuntimeWarning)
            low, mid, high = np.nanpercentile(curves[curve].astype(float), [5, 50, 95], axis=0)
        bands[curve] = {"p5": low, "p50": mid, "p95": high}
    peaks = peak_world_prices(list(study.scenario.materials), curves[WORLD_PRICE_CURVE])
    samples = pd.concat([study.values_table(points), table.drop(columns=["point", "run"]), peaks], axis=1)
    without, why = (None, "")
    if study.scenario.agreement is not None:
        without, why = paired_without_agreement(study, points, seeds, workers, client, progress)
    headlines = pd.DataFrame(rows)
    return Uncertainty(
        study, runs, samples, headlines, drivers, bands, without, why, short, by_material, short_of_each, cleared
    )


PEAK_WORLD_PRICE = "peak_world_price_usd_per_kg"
"""Column ``<PEAK_WORLD_PRICE>.<material>`` of the samples table: the highest world price over the horizon.

From the daily world price kept as float32 (about seven significant digits); empty for a material
with neither a market nor a price. What a record's prices are set against in the report's *How robust*.
"""
WORLD_PRICE_CURVE = "world_price_usd_per_kg"


def peak_world_prices(materials: list[str], world_price: np.ndarray) -> pd.DataFrame:
    """Each sample's highest world price per material (:data:`PEAK_WORLD_PRICE` columns).

    ``world_price``: the samples' daily world price (run, day, material).
    """
    prices = world_price.astype(np.float64)
    seen = np.isfinite(prices).any(axis=1)  # a material with neither a market nor a price: no peak
    peaks = np.where(seen, np.nanmax(np.where(np.isfinite(prices), prices, -np.inf), axis=1), np.nan)
    columns = {f"{PEAK_WORLD_PRICE}.{m}": peaks[:, j] for j, m in enumerate(materials)}
    return pd.DataFrame(columns, index=pd.RangeIndex(len(prices)))


def uncertainty_runs(scenario: Scenario, runs: int) -> int:
    """How many runs ``--uncertainty runs`` makes: each sample twice with an agreement (with and without it)."""
    return runs * (2 if scenario.agreement is not None else 1)


AGREEMENT = "agreement"


def is_agreement_input(path: str) -> bool:
    """Whether an input's ``path`` sets the agreement itself (its pool, rule, trigger, lags, bids).

    >>> is_agreement_input("agreement.pool.days_of_demand"), is_agreement_input("regions.eu.demand.ree.tonnes_per_day")
    (True, False)
    """
    return path == AGREEMENT or within(path, AGREEMENT)


WITHOUT_PASS = "running the samples again without the agreement (the second pass of --uncertainty)"
"""Added to an error of the second pass, so that its message says which pass failed."""


def paired_without_agreement(
    study: Study,
    points: list[dict[str, Any]],
    seeds: list[int],
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame | None, str]:
    """Each sample run again without the agreement: the same seed and the same values of every other input.

    The scenario loses its ``agreement`` (as ``--set agreement=null``, which drops the
    agreement's ``uncertain:`` entries too) and each sample its ``agreement.*`` values, so
    that sample ``k`` with and without the joint stock differ in the stock alone. Where
    members' contributions are stocks they hold today (``agreement.pool.already_held``), each
    sample is instead the status quo the report measures the joint stock against: the sample
    with every value, its validated scenario then transformed by
    :func:`~simulator.counterfactuals.without_agreement_scenario` (those members holding
    their sampled contributions alone). Returns
    the per-run table (no curves), or ``None`` and why when the scenario does not run
    without its agreement. ``progress`` advances by the runs done, as the first pass's;
    any other error surfaces with a note naming this pass (:data:`WITHOUT_PASS`).
    """
    from dataclasses import replace

    from simulator.counterfactuals import without_agreement_scenario
    from simulator.errors import InputError
    from simulator.scenario.overrides import apply_overrides
    from simulator.stocks import shares_held_today

    try:
        if shares_held_today(study.scenario):  # the status quo, sample by sample
            table, _ = evaluate(
                study, points, seeds, workers, client, progress=progress, transform=without_agreement_scenario
            )
        else:
            kept = [{k: v for k, v in point.items() if not is_agreement_input(k)} for point in points]
            without = replace(study, raw=apply_overrides(study.raw, [(AGREEMENT, None)]))
            table, _ = evaluate(without, kept, seeds, workers, client, progress=progress)
    except InputError as exc:  # ScenarioError is one: a scenario invalid without its agreement
        return None, "; ".join(p.render(None) for p in exc.problems)
    except Exception as exc:
        exc.add_note(f"while {WITHOUT_PASS}")
        raise
    return table.drop(columns=["point", "run"]).reset_index(drop=True), ""


def same_in_every_sample(found: Uncertainty, metric: str) -> bool:
    """Whether ``metric`` is the same in every sample.

    Judged on the samples, not the percentiles: a figure non-zero in under 5% of them has
    equal 5th, 50th and 95th percentiles and still varies.
    """
    values = headline_values(found, metric)
    return bool(len(values) and values.notna().all() and values.min() == values.max())


def headline_values(found: Uncertainty, metric: str) -> pd.Series:
    """The samples' values of ``metric`` that its headline summarises.

    Every sample's, but for fairness only those of the samples with a member short
    (:attr:`Uncertainty.short`; all of them when the table cannot tell): Jain's index is 1
    by convention where no one is short.
    """
    values = found.samples[metric]
    counted = counted_samples(found, metric)
    return values if counted is None else values[counted]


def counted_text(found: Uncertainty, metric: str) -> str:
    """Which samples a headline summarises, when not all: ``over the 37 samples with a member short`` ('' for all).

    >>> import types
    >>> fake = types.SimpleNamespace(
    ...     runs=100, short=np.arange(100) < 37, headlines=pd.DataFrame({"metric": ["fairness_jain"], "samples": [37]})
    ... )
    >>> counted_text(fake, "fairness_jain"), counted_text(fake, "total_shortfall_t")
    ('over the 37 samples with a member short', '')
    """
    if not is_fairness(metric) or "samples" not in found.headlines:
        return ""
    if counted_samples(found, metric) is None:
        return "over all samples: the samples table does not tell which have a member short"
    n = int(found.headlines.set_index("metric").loc[metric, "samples"])
    of = "" if metric == FAIRNESS else " of it"
    if n == found.runs:
        return f"over all samples, each with a member short{of}"
    if n == 0:
        return f"no sample with a member short{of}, so no burden to share"
    return f"over the {n:,} {'sample' if n == 1 else 'samples'} with a member short{of}"


def interval_text(value_low: float, median: float, value_high: float, unit: str, every: bool = False) -> str:
    """``median 900 t (90% interval 0 to 2,750 t)``, numbers rounded for reading as the report's table rounds them.

    >>> interval_text(0.0, 901.4, 2754.9, "t")
    'median 901 t (90% interval 0 to 2,755 t)'
    >>> interval_text(0.51, 0.62, 0.9, "")
    'median 0.62 (90% interval 0.51 to 0.9)'
    >>> interval_text(0.0, 0.0, 0.0, "t", every=True)  # not "median 0 t (90% interval 0 to 0 t)"
    '0 t in every sample'
    >>> interval_text(-0.3, -0.1, -0.02, "")  # "to", not a hyphen a screen reader reads "minus"
    'median -0.1 (90% interval -0.3 to -0.02)'

    Days of cover are to 0.1 day at both ends (:func:`figure_text`), not 3 digits at one end and whole at the
    other (``0.00247 to 143``); a residue reads 0:

    >>> interval_text(0.00247, 82.81, 143.2, "days"), interval_text(0.0, 3.84e-16, 2.61, "days")
    ('median 82.8 days (90% interval 0.0 to 143.2 days)', 'median 0.0 days (90% interval 0.0 to 2.6 days)')

    ``every``: the figure is the same in every sample (:func:`same_in_every_sample`).
    """
    spaced = f" {unit}" if unit else ""
    shown = [figure_text(x, unit) for x in (value_low, median, value_high)]
    if every:
        return f"{shown[1]}{spaced} in every sample"
    return f"median {shown[1]}{spaced} (90% interval {shown[0]} to {shown[2]}{spaced})"


def figure_text(value: Any, unit: str) -> str:
    """A headline figure's number, as the console's lines and the report's table give it.

    Days of cover to 0.1 day, as the report's other sections give them, anything else by
    :func:`~simulator.names.number_text`.

    >>> figure_text(0.0628, "days"), figure_text(142.5, "days"), figure_text(0.0628, "t"), figure_text(4785.2, "t")
    ('0.1', '142.5', '0.0628', '4,785')

    Floating-point residue reads 0 (:func:`~simulator.names.number_text`, :func:`~simulator.names.decimals_text`);
    no figure (NaN, an infinity) reads ``n/a``:

    >>> figure_text(-2e-17, "days"), figure_text(3.84e-16, "days"), figure_text(1.28e-16, "t"), figure_text(None, "t")
    ('0.0', '0.0', '0', 'None')
    >>> figure_text(float("nan"), "t"), figure_text(float("inf"), "days")
    ('n/a', 'n/a')
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "n/a"
    return decimals_text(x, separators=True) if unit == "days" else number_text(x)


def off_interval_text(found: Uncertainty, metric: str, unit: str) -> str:
    """How many samples lie off a 90% interval without width (``0 to 0 t``), or '' when it has width.

    A figure short in fewer than 5% of the samples reads ``median 0 t (90% interval 0 to 0 t)``,
    which a reader takes for "never"; this adds ``2 of 40 samples above it, up to 209 t``.
    A figure the same in every sample says so already (:func:`same_in_every_sample`).

    Widths and samples are judged as the line shows them (:func:`figure_text`): an interval of 0 to 0.04 days
    reads ``0.0 to 0.0 days`` and has no width, and a sample of 5.1e-16 days is not off it.
    """
    values = headline_values(found, metric).dropna().to_numpy(float)
    if not len(values) or same_in_every_sample(found, metric):
        return ""
    headline = found.headlines.set_index("metric").loc[metric]  # the interval the line states
    low, high = headline["p5"], headline["p95"]
    if figure_text(low, unit) != figure_text(high, unit):
        return ""
    off = values[np.array([figure_text(v, unit) != figure_text(low, unit) for v in values], dtype=bool)]
    if not len(off):
        return ""
    spaced = f" {unit}" if unit else ""
    count = f"{len(off):,} of {len(values):,} samples"
    if (off > low).all():
        return f"{count} above it, up to {figure_text(off.max(), unit)}{spaced}"
    if (off < low).all():
        return f"{count} below it, down to {figure_text(off.min(), unit)}{spaced}"
    return f"{count} off it, from {figure_text(off.min(), unit)} to {figure_text(off.max(), unit)}{spaced}"


def input_columns(found: Uncertainty) -> dict[str, int]:
    """How many columns of the samples table hold each input's values, by path in the order declared.

    One for most inputs; an input whose values are mappings (sourcing shares, say) takes
    one per key, ``<path>.<key>`` (:func:`simulator.sensitivity.study.typed_values`), so
    the table can have more input columns than the scenario has uncertain inputs.
    """
    columns = list(found.samples.columns[: found.samples.columns.get_loc("seed")])
    paths = found.study.paths
    out, at = {}, 0
    for k, path in enumerate(paths):
        following = paths[k + 1] if k + 1 < len(paths) else None
        if at < len(columns) and columns[at] == path:
            out[path], at = 1, at + 1
            continue
        start = at
        while at < len(columns) and within(columns[at], path) and columns[at] != following:
            at += 1
        out[path] = at - start
    return out


def headline_text(found: Uncertainty, row: Any) -> str:
    """A headline row's interval, with which samples it summarises when not all (fairness: those with a member short).

    ``median 0.5 (90% interval 0.5 to 0.62) over the 37 samples with a member short``, or
    ``no sample with a member short, so no burden to share`` when there is none.
    """
    counted = counted_text(found, row.metric)
    if counted.startswith("no sample"):
        return counted
    every = same_in_every_sample(found, row.metric)
    text = interval_text(row.p5, row.median, row.p95, row.unit, every)
    return f"{text} {counted}" if counted else text


def bare_title(title: str, unit: str) -> str:
    """A headline's title without its unit, for a sentence whose numbers carry it.

    ``Total shortfall (t): median 6,844 t`` would give the unit twice:

    >>> bare_title("Total shortfall (t)", "t"), bare_title("Fairness (Jain's index)", "")
    ('Total shortfall', "Fairness (Jain's index)")
    """
    return title.removesuffix(f" ({unit})") if unit else title


def fairness_ends_text(found: Uncertainty, row: Any) -> str:
    """What Jain's index means at its ends, where the fairness headline's interval reaches ``1/n`` ('' elsewhere).

    ``median 0.5 (90% interval 0.5 to 0.5)`` does not say that 0.5 is the lowest the index takes
    with two members, one of them bearing the whole shortfall: this adds
    :func:`~simulator.names.jain_definition`.
    """
    if not is_fairness(row.metric):
        return ""
    members = len(members_with_demand(found.study.scenario, None, index_materials(found.study.scenario, row.metric)))
    if members < 2 or counted_text(found, row.metric).startswith("no sample"):
        return ""
    lowest = 1 / members
    if not any(math.isclose(value, lowest, rel_tol=1e-9) for value in (row.p5, row.median, row.p95)):
        return ""
    return jain_definition(members)


def samples_short_text(found: Uncertainty) -> str | None:
    """How often a member is short over the samples, the console's first line of them; None without the columns.

    ``A member is short in 63 of 100 samples (63%)``, then each member's count where they differ from it:
    ``: the EU in 63 (63%) and Japan in 40 (40%)``, the most often short first. Counted as the report's *How
    robust* table counts them (:func:`~simulator.shortages.short` of each member's ``shortfall_t.<member>``, a
    residue no shortfall); without an agreement, of every region. Named by the scenario's names.
    """
    scenario = found.study.scenario
    members = list(scenario.agreement.members) if scenario.agreement else list(scenario.regions)
    shortfall = {m: _short(found.samples[f"shortfall_t.{m}"]) for m in members if f"shortfall_t.{m}" in found.samples}
    if not shortfall:
        return None
    names, runs = Names.of(scenario), found.runs
    noun = "member" if scenario.agreement else "region"
    counts = {m: int(values.sum()) for m, values in shortfall.items()}
    anyone = int(np.any(list(shortfall.values()), axis=0).sum())
    if len(counts) == 1:
        (only,) = counts
        return f"{cap(names.subject(only))} is short in {anyone:,} of {runs:,} samples ({_share_text(anyone, runs)})"
    if not anyone:
        return f"No {noun} is short in any of the {runs:,} samples"
    text = f"A {noun} is short in {anyone:,} of {runs:,} samples ({_share_text(anyone, runs)})"
    if all(count == anyone for count in counts.values()):
        return text
    order = sorted(counts, key=lambda m: -counts[m])  # the most often short first; sorted keeps ties in order
    each = [
        f"{names.subject(m)} in {counts[m]:,} ({_share_text(counts[m], runs)})"
        if counts[m]
        else f"{names.subject(m)} in none"
        for m in order
    ]
    return f"{text}: {join_words(each)}"


def _share_text(count: int, runs: int) -> str:
    """``count`` of ``runs`` as a whole percentage, never ``0%`` for some nor ``100%`` for not all.

    >>> _share_text(63, 100), _share_text(1, 1000), _share_text(999, 1000), _share_text(0, 20), _share_text(20, 20)
    ('63%', 'under 1%', 'over 99%', '0%', '100%')
    >>> _share_text(1, 100), _share_text(99, 100), _share_text(1, 3)
    ('1%', '99%', '33%')

    A half rounds up, as the report's percentages (:func:`~simulator.names.rounded_half_up`):

    >>> _share_text(5, 40), _share_text(1, 8), _share_text(7, 8)
    ('13%', '13%', '88%')
    """
    share = count / runs if runs else 0.0
    if 0 < share < 0.01:
        return "under 1%"
    if 0.99 < share < 1:
        return "over 99%"
    return f"{rounded_half_up(100 * share, 0)}%"


def headline_lines(found: Uncertainty) -> list[str]:
    """One line per headline for the console: ``Shortfall, EU: median 6,459 t (90% interval ...)``.

    The numbers carry the unit (``0 days in every sample``), so the title does not. A line whose drivers are said
    word for word as the line before's (its inputs, which way and how closely: twelve members' shortfalls, say) says
    ``most associated with the same as the line above`` (:data:`SAME_AS_ABOVE`).
    """
    lines, before = [], ""
    for row in found.headlines.itertuples():
        text = f"{bare_title(row.title, row.unit)}: {headline_text(found, row)}"
        if ends := fairness_ends_text(found, row):
            text += f" ({ends})"
        if off := off_interval_text(found, row.metric, row.unit):
            text += f"; {off}"
        if said := drivers_text(found, row.metric):
            text += f"; {SAME_AS_ABOVE if said == before else said}"
        lines.append(text)
        before = said
    return lines


SAME_AS_ABOVE = "most associated with the same as the line above"
"""What a console line says of its drivers where they are the line before's, word for word (:func:`headline_lines`)."""


def unlike_tonnes_added(found: Uncertainty) -> str | None:
    """What the headline shortfalls add where their tonnes may not be added (``tonnes of magnet and tonnes of oxide``).

    None where fewer than two materials are short in any sample, or their tonnes may be added.

    ``total_shortfall_t`` and ``shortfall_t.<region>`` add every material's tonnes, as the model
    records them; the rule is :func:`simulator.scenario.tonnes.not_added`, that of ``stockpile run``'s
    last line (tonnes of oxide and of magnet, or prices far apart).
    """
    from simulator.scenario.tonnes import not_added

    scenario, samples = found.study.scenario, found.samples
    held = {m: [r for r in scenario.regions if shortfall_column(r, m) in samples] for m in scenario.materials}
    return not_added(scenario, [m for m in scenario.materials if some_short_of(samples, held[m], m).any()])


def by_material_text(found: Uncertainty) -> str | None:
    """Why fairness is given material by material (:attr:`Uncertainty.by_material`), a sentence's words; else None.

    ``Jain's index is given for each material short, light and heavy rare earths (fairness_jain.all.MATERIAL), as
    the run's last line gives it: over all materials (fairness_jain, kept in uncertainty_samples.parquet) it would
    add tonnes of materials priced far apart``; with one material short, that over
    all materials it would divide each member's shortfall of it by its demand for every material; and each
    material short that one member alone uses, named with that member (no burden of it to share). Named by the
    scenario's names.
    """
    from simulator.scenario.tonnes import not_added

    by_material = found.by_material
    if by_material is None:
        return None
    scenario = found.study.scenario
    names = Names.of(scenario)
    short = [*by_material.materials, *(m for m, _ in by_material.sole_users)]
    adds = not_added(scenario, short)

    def given(why: str) -> str:
        each = join_words(shared_words_once([names.material_text(m) for m in by_material.materials]))
        shared = " that two members or more use" if by_material.sole_users else ""
        which = (
            f"of {names.material_text(short[0])} alone ({FAIRNESS_OF}{short[0]})"
            if adds is None
            else f"for each material short{shared}, {each} ({FAIRNESS_OF}MATERIAL)"
        )
        return (
            f"Jain's index is given {which}, as the run's last line gives it: over all "
            f"materials (fairness_jain, kept in uncertainty_samples.parquet) it would {why}"
        )

    return by_material_sentence(
        names,
        by_material.materials,
        by_material.sole_users,
        adds,
        given=given,
        none="no Jain's index is given: each material short has one user",  # every material short has one user
    )


def unlike_tonnes_note(found: Uncertainty) -> str | None:
    """The console's note where the headline shortfalls add unlike tonnes (:func:`unlike_tonnes_added`), else None.

    It says what they add and names the samples' per-material columns, as ``sweep``'s note does.
    """
    why = unlike_tonnes_added(found)
    if why is None:
        return None
    return (
        "the Total shortfall line and each region's Shortfall line (uncertainty.csv's total_shortfall_t and "
        "shortfall_t.REGION) "
        f"add {why}: uncertainty_samples.parquet's shortfall_t.REGION.MATERIAL gives each material"
    )


def separate_intervals_note(found: Uncertainty) -> str | None:
    """That each headline's interval is worked out on its own, where a total and a region's shortfall are shown.

    Each 90% interval is of one figure over the samples: the samples at a region's upper end need not be those at
    another's, so the regions' intervals need not add up to the total's (a total of 0 to 187 t beside an EU of
    0 to 85.1 t and a Japan of 0 to 0 t). None where the headlines have no total and region's shortfall side by side.
    """
    metrics = set(found.headlines["metric"])
    if "total_shortfall_t" not in metrics or not any(m.startswith("shortfall_t.") for m in metrics):
        return None
    return "each figure's interval is worked out on its own, so the regions' intervals need not add up to the total's"


def _figure_words(metric: str) -> tuple[str, str, str]:
    """A headline figure as a sentence names it, and its words for more and less of it.

    >>> _figure_words("min_days_of_cover.eu"), _figure_words("total_shortfall_t")[0]
    (('the lowest cover', 'longer', 'shorter'), 'the total shortfall')
    """
    if metric.startswith("min_days_of_cover"):
        return "the lowest cover", "longer", "shorter"
    if is_fairness(metric):
        return "Jain's index", "higher", "lower"
    if metric == "total_shortfall_t":
        return "the total shortfall", "larger", "smaller"
    if metric.startswith("shortfall_t."):
        return "the shortfall", "larger", "smaller"
    return "the figure", "larger", "smaller"


def _higher_draw(found: Uncertainty, path: str) -> str:
    """What a higher draw of the input at ``path`` means, on its own values: ``the higher it is``.

    The rank correlation is with the input's draw, which orders its values: a later date, a
    value further down its list, or, for an input whose every value is at most 0 (an
    elasticity, say), a value nearer 0: ``the higher it is`` would leave a reader to work
    out that -0.05 is higher than -0.3.
    """
    item = next((i for i in found.study.inputs if i.path == path), None)
    if item is None:
        return "the higher it is"
    if isinstance(item.entry, UncertainValues):
        return "the further down its list of values"
    if item.kind == "date":
        return "the later it is"
    try:
        ends = [float(x) for x in item.extremes()]
    except (TypeError, ValueError):
        return "the higher it is"
    return "the nearer 0 it is" if max(ends) <= 0 < -min(ends) else "the higher it is"


def driver_text(found: Uncertainty, metric: str, driver: Driver, name: bool = True) -> str:
    """One driver of ``metric`` said for what a rank correlation tells: which way, and how closely.

    ``light short-run elasticity (the nearer 0 it is, the larger the total shortfall; absolute
    rank correlation 0.42)``: a rank correlation of 0.42 goes with about 18% of the ranks' variance,
    so the input is what the figure is most associated with, not what drives most of it.
    ``name``: lead with the input's label (the report's table puts it on a line of its own).
    """
    figure, more, less = _figure_words(metric)
    way = f"{_higher_draw(found, driver.path)}, the {more if driver.rho > 0 else less} {figure}"
    said = f"{way}; absolute rank correlation {abs(driver.rho):.2f}"
    return f"{driver.label} ({said})" if name else said


def drivers_text(found: Uncertainty, metric: str) -> str:
    """``most associated with`` the drivers of ``metric`` (:func:`driver_text`), or '' when none is named.

    Where more inputs clear the bound than are named (:data:`MAX_DRIVERS`), it ends with how many: ``(the 3 largest
    of 4 past an absolute rank correlation of 0.23)``, so that a fourth input as closely associated is not taken
    for none.
    """
    named = found.drivers.get(metric) or []
    if not named:
        return ""
    said = "most associated with " + join_words([driver_text(found, metric, d) for d in named])
    past, least = found.cleared.get(metric, (len(named), 0.0))
    if past > len(named):
        said += f" (the {len(named)} largest of {past} past an absolute rank correlation of {least:.2f})"
    return said


def no_drivers_note(found: Uncertainty) -> str | None:
    """Why ``uncertainty.csv``'s ``drivers`` column is empty in every row, or None when some row names one.

    An input is named only when its rank correlation reaches :func:`driver_threshold` in size,
    which falls as samples grow (the Bonferroni bound on chance, :data:`DRIVER_MIN_RHO` at
    the least): with few samples and many inputs none may reach it. Above 1 none can (a rank
    correlation is at most 1 in size): the note then says so, and from how many samples one could.
    The bound holds the odds of naming an input without effect under 5% for one figure: over the run's ``k``
    figures given drivers they may reach ``1 - 0.95^k`` (:func:`_odds_text`).

    >>> import types
    >>> figures = dict.fromkeys(["total_shortfall_t", "shortfall_t.eu", "shortfall_t.japan"], [])
    >>> fake = types.SimpleNamespace(runs=20, drivers=figures, study=types.SimpleNamespace(inputs=[None] * 63))
    >>> print(no_drivers_note(fake))
    no input is named a driver of any headline figure (uncertainty.csv's drivers are empty): none reaches \
an absolute rank correlation of 0.77, the threshold that keeps the odds of naming an input without effect under 5% \
for one figure (over the run's 3 figures, up to about 14%; 63 inputs, 20 samples); it falls as samples grow, to 0.2 \
from 283 samples
    """
    if any(found.drivers.values()):
        return None
    inputs = len(found.study.inputs)
    least = driver_threshold(found.runs, inputs)
    enough = samples_at_floor(inputs)
    said = (
        "no input is named a driver of any headline figure (uncertainty.csv's drivers are empty): "
        f"none reaches an absolute rank correlation of {least:.2f}"
    )
    if least <= DRIVER_MIN_RHO:
        return f"{said}, the least named a driver however many samples"
    if least > 1:  # no rank correlation reaches it: the sample count alone rules every input out
        return (
            "no input can be named a driver of any headline figure from so few samples (uncertainty.csv's drivers "
            f"are empty): with {plural(inputs, 'input', ',')} and {found.runs:,} samples, keeping the "
            f"odds of naming an input without effect {_odds_text(len(found.drivers))} would take a rank correlation "
            "above 1, which none can "
            f"reach; one could be named from {samples_at_floor(inputs, 1.0):,} samples, and the threshold falls to "
            f"{DRIVER_MIN_RHO:g} from {enough:,} samples"
        )
    return (
        f"{said}, the threshold that keeps the odds of naming an input without effect "
        f"{_odds_text(len(found.drivers), f'{inputs:,} inputs, {found.runs:,} samples')}; it falls as samples grow, "
        f"to {DRIVER_MIN_RHO:g} from {enough:,} samples"
    )


def _odds_text(figures: int, more: str = "") -> str:
    """The bound's odds said per figure, and over a run's ``figures`` (:data:`DRIVER_FALSE_ALARM` each).

    The bound is of one figure: over ``k`` figures the odds that one names an input without effect somewhere may
    reach ``1 - (1 - 0.05)^k`` (less where the figures move together). ``more``: words to add in the parentheses.

    >>> _odds_text(6), _odds_text(1, "2 inputs, 5 samples"), _odds_text(1)
    ("under 5% for one figure (over the run's 6 figures, up to about 26%)", 'under 5% for one figure (2 inputs, \
5 samples)', 'under 5% for one figure')
    """
    said = [f"over the run's {figures} figures, up to about {1 - (1 - DRIVER_FALSE_ALARM) ** figures:.0%}"]
    said = [*(said if figures > 1 else []), *([more] if more else [])]
    inside = f" ({'; '.join(said)})" if said else ""
    return f"under {DRIVER_FALSE_ALARM:.0%} for one figure{inside}"


def own_curves(timeseries: pd.DataFrame, regions: list[str], materials: list[str]) -> dict[str, np.ndarray]:
    """The scenario's own run as arrays (day, region, material) of the fan curves."""
    out = {}
    for curve in FAN_CURVES:
        frame = timeseries.pivot_table(index="day", columns=["region", "material"], values=curve, dropna=False)
        columns = pd.MultiIndex.from_product([regions, materials])
        out[curve] = frame.reindex(columns=columns).to_numpy(float).reshape(len(frame), len(regions), len(materials))
    return out


def without_demand(found: Uncertainty, own: dict[str, np.ndarray]) -> np.ndarray:
    """(region, material) pairs without demand in the scenario or any sample: no day of cover, ever.

    Days of cover is NaN on a day without demand; their shortfall fans say so rather than
    "0 in every sample".
    """
    cover = np.concatenate([own["days_of_cover"], found.bands["days_of_cover"]["p95"]], axis=0)
    return ~np.isfinite(cover).any(axis=0)


def outside_range_paths(study: Study) -> list[str]:
    """The paths of the study's inputs whose value as written lies outside their range, in order ([] when none).

    ``stockpile run --uncertainty`` records them in its manifest (``uncertainty.as_written_outside_range``):
    the scenario's own run, which each interval of ``uncertainty.csv`` is read beside, used a value
    of theirs that no sample holds (:attr:`~simulator.scenario.uncertain.Input.as_written_outside_range`).
    """
    return [item.path for item in study.inputs if item.as_written_outside_range]


WITHOUT_FILE = "uncertainty_without_agreement.parquet"
"""The paired runs without the agreement (:attr:`Uncertainty.without`): row ``k`` is sample ``k``."""


def numbered(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with a first column ``sample``, its rows' numbers from 0: the key its samples files join on."""
    out = table.reset_index(drop=True).copy()  # one block per dtype: a table built column by column has hundreds
    out.insert(0, "sample", np.arange(len(out), dtype=np.int64))  # (and pandas warns at an insert into it)
    return out


def write_uncertainty(
    found: Uncertainty,
    own: dict[str, np.ndarray] | None,
    stage: Path,
    triggers: Mapping[str, float] | None = None,
    as_run: str = AS_WRITTEN,
) -> None:
    """The study's files into ``stage``: ``uncertainty.csv``, ``uncertainty_samples.parquet``, and more.

    ``uncertainty_samples.parquet`` is :attr:`Uncertainty.samples` after a first column ``sample`` (0 to N-1, the
    sample's number), which :data:`WITHOUT_FILE`'s ``sample`` joins on. The paired runs without the agreement when
    there are any (:data:`WITHOUT_FILE`: ``sample``, ``seed`` and the same per-run metrics, one row per sample in the
    samples table's order) and,
    given the scenario's own curves (``own``: :func:`own_curves`, dashed in them; None draws none,
    as ``--no-plots``), the fan charts, whose legends name the run ``scenario {as_run}``.
    """
    s = found.study.scenario
    found.headlines.to_csv(stage / "uncertainty.csv", index=False)
    numbered(found.samples).to_parquet(stage / "uncertainty_samples.parquet", index=False)
    if found.without is not None:
        numbered(found.without).to_parquet(stage / WITHOUT_FILE, index=False)
    if own is None:
        return
    for curve, name in FAN_CURVES.items():
        fan_chart(found, own, curve, s, triggers=triggers, as_run=as_run).savefig(stage / name, dpi=110)


def fan_chart(
    found: Uncertainty,
    own: dict[str, np.ndarray],
    curve: str,
    scenario: Scenario,
    *,
    triggers: Mapping[str, float] | None = None,
    width_in: float | None = None,
    columns: int | None = None,
    as_run: str = AS_WRITTEN,
) -> Figure:
    """The fan chart of ``curve`` (a key of :data:`FAN_CURVES`) over ``found``'s samples.

    ``scenario``'s own run (``own``: :func:`own_curves`) is dashed, named ``as_run`` in the legend.
    ``stockpile run --uncertainty`` writes it, and the report shows it.
    """
    from simulator.sensitivity.figures import fan_figure, short_samples  # loads Matplotlib: here, where it draws

    regions, materials = list(scenario.regions), list(scenario.materials)
    return fan_figure(
        found.bands[curve],
        own[curve],
        regions,
        materials,
        scenario.start_date,
        daily(curve).label,
        daily(curve).display,
        found.runs,
        Names.of(scenario),
        clip=curve in CLIPPED_CURVES,
        unit=daily(curve).unit,
        absent=without_demand(found, own),
        triggers=triggers if curve == "days_of_cover" else None,  # the run's trigger (simulator.plots.trigger_lines)
        width_in=width_in,
        columns=columns,
        as_run=as_run,
        trigger_range=sampled_trigger_days(found.study),
        short=short_samples(found.samples, regions, materials) if curve == "shortfall_cum_t" else None,
    )


TRIGGER_PATH = "agreement.trigger.commercial_days_below"
"""The release trigger's path, days: an uncertain input in ``embargo_2010`` (5 to 30)."""


def sampled_trigger_days(study: Study) -> tuple[float, float] | None:
    """The lowest and highest release trigger (days) the study's samples draw from, or None where it is not sampled.

    From the trigger's entry in the scenario's ``uncertain:`` block (:meth:`Input.range_fields`: a uniform or
    triangular range's ends, a lognormal's 0.1% and 99.9% points, a list's smallest and largest value). Not
    sampled: the scenario declares no such entry, or ``--set`` fixes the trigger and leaves it out of the samples.
    """
    item = next((item for item in study.inputs if item.path == TRIGGER_PATH), None)
    if item is None:
        return None
    fields = item.range_fields()
    if fields["low"] is None or fields["high"] is None:
        return None
    return float(fields["low"]), float(fields["high"])
