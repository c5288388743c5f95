"""Global sensitivity analysis and uncertainty runs over a scenario's declared uncertain inputs.

Layer: studies.

``stockpile sensitivity`` (:func:`run_sensitivity`) samples the scenario's ``uncertain:``
block with SALib (:mod:`simulator.sensitivity.indices`), runs every sample through the
sweep machinery (:mod:`simulator.sensitivity.study`) and writes into ``DIR``:

- ``sensitivity.csv``: ``metric, parameter`` and the indices (Sobol': ``S1, S1_conf, ST,
  ST_conf``; Morris: ``mu_star, mu_star_conf, sigma, mu``), then the input's ``label`` and
  the metric's unit (``metric_unit``: Morris' indices are in it);
- ``sensitivity.png``: a bar chart per metric (:mod:`simulator.sensitivity.figures`);
- ``samples.parquet``: one row per run, the inputs' values then every per-run metric;
- ``sensitivity.json``: ``scenario``, ``scenario_file`` (as given) and ``scenario_file_resolved`` (its absolute
  path; None where it names no file), ``scenario_hash``, ``set`` (the ``--set`` overrides as given), method,
  samples, runs, seed, the intervals'
  ``confidence_level`` and ``bootstrap_resamples``, inputs (each with its ``range`` in
  words and as fields: :meth:`~simulator.scenario.uncertain.Input.range_fields`), metrics and their ``metric_units``,
  per metric the runs in which it is not zero, or for a day metric whose -1 means never
  or none (``first_shortfall_day``, ``min_days_of_cover_day``, ``peak_price_day``) in
  which it has a day (``nonzero_runs``), and those non-zero in fewer than 5% of the runs
  (``sparse_metrics``: their indices rest on those runs); per such day metric the runs
  that hold -1 (``never_runs``) and the day the indices count them as (``never_as_day``),
  ``no_member_short_runs`` (where ``fairness_jain`` is studied: the runs in which no member is
  short, whose Jain's index is 1 by convention; where it is studied by material, per index
  ``fairness_jain.all.<material>`` the runs in which no member is short of it; null when not
  studied or not known), ``fairness_by_material`` (only where it is: :func:`by_material_info`),
  ``shortfall_adds`` (what a total over the scenario's materials adds where their tonnes may not be
  added, as in ``sweep.json``; else null) and ``unlike_tonnes_metrics`` (per studied total in tonnes
  whose materials non-zero in the runs may not be added, what it adds: :func:`unlike_tonnes_added`;
  their panels and top drivers say so),
  ``morris_step`` (Morris: how far each step moves one input, as a share of its range in
  quantiles, 2/3; null for Sobol'), version and wall time.

Where the scenario's tonnes may not be added and some member is short in some run, Jain's index is
studied material by material, as ``stockpile run``'s last line gives it
(:func:`~simulator.sensitivity.study.fairness_by_material`): ``fairness_jain.all.<material>`` of each
material short that two members or more use, in ``fairness_jain``'s place (in the indices, the figure, the
top drivers and ``sensitivity.json``'s ``metrics``; ``samples.parquet`` keeps every index), and a note says so.

Jain's index (``fairness_jain``) is 1 by convention in a run where no member is short. The
sweep's figures and ``run --uncertainty`` summarise it over the runs with a member short
(:func:`simulator.metrics.fairness_when_short`); the indices need every run of the design, so
they count those runs as 1, and fairness's variance is then also that of whether a member is
short at all. The figure's panel, the top drivers, a note and ``no_member_short_runs`` say in
how many runs (:func:`~simulator.sensitivity.words.no_member_short_text`).

Morris' ``mu_star`` is SALib's mean absolute elementary effect: a step's change divided by
the step, so the change per whole range of an input extrapolated from steps of 2/3 of it;
the steps themselves moved the metric by 2/3 of it on average. The axis of the figure and a
note in the terminal say so (:func:`study_notes`).

A day metric's -1 (never short, no demand, no price) is not taken as a day -1, earlier
than any: the indices count it as ``horizon_days``, the day after the last
(:func:`~simulator.sensitivity.words.day_values`), and the terminal, the figure and
``never_runs`` say in how many runs. ``samples.parquet`` keeps -1, as the sweep table does.

Every sample runs with the same seed (the scenario's first run seed): in a scenario with
random inputs the indices are those of that one draw of the random inputs (common random
numbers), so sampling noise does not pass for sensitivity. ``sensitivity.json`` lists those
inputs' random streams (``random_inputs``: ids, as ``sweep.json``'s; ``random_inputs_words``: in words), and the
terminal and the figure's title say that the indices are conditional on that draw
(:func:`~simulator.sensitivity.words.one_draw_text`, from the words).

``stockpile run --uncertainty N`` is :mod:`simulator.sensitivity.intervals`.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.burden import jain_group
from simulator.compare_materials import by_material_sentence
from simulator.errors import InputError
from simulator.frames import is_never_kind, quantity_of
from simulator.metrics import runs_short
from simulator.names import Names, join_words, number_text, plural
from simulator.output_folder import manifest_info, open_folder
from simulator.plan import NOISE_SOURCE, RANDOM_TYPES, compile_plan
from simulator.quantities import FAIRNESS_OF
from simulator.randomness import run_seed
from simulator.scenario import Scenario, scenario_hash
from simulator.scenario.tonnes import SHORTFALL_ADDS, not_added, shortfall_adds
from simulator.sensitivity.indices import (
    CONFIDENCE_LEVEL,
    EXTRA_RUNS,
    MORRIS_STEP,
    RANKED_BY,
    Method,
    indices_table,
    is_power_of_two,
    resamples_for,
    runs_needed,
    sample,
)
from simulator.sensitivity.study import (
    MAX_SAMPLE_RUNS,
    ByMaterial,
    Study,
    fairness_by_material,
    placed_evaluate,
    plan_study,
    studied_metrics,
)
from simulator.sensitivity.words import (
    absent_word,
    adds_text,
    day_values,
    flag_text,
    is_sparse,
    no_member_short_text,
    one_draw_text,
    s1_above_text,
    sparse_text,
    untrusted_text,
)
from simulator.shortages import short_of
from simulator.sweep.columns import metric_title, metric_unit
from simulator.sweep.figures import FAIRNESS
from simulator.version import __version__, made_with

__all__ = [
    "Sensitivity",
    "check_samples",
    "plan_study",
    "ranking_note",
    "run_sensitivity",
    "study_notes",
    "top_drivers",
    "unlike_tonnes",
]

FAIRNESS_BY_MATERIAL = "fairness_by_material"
"""``sensitivity.json``'s key, where Jain's index is studied material by material (:func:`by_material_info`): absent
where ``fairness_jain`` is studied as it is."""

SENSITIVITY_FILES = frozenset({"sensitivity.csv", "sensitivity.png", "samples.parquet", "sensitivity.json"})
TOP_DRIVERS = 3
"""How many of a metric's most influential inputs the terminal shows, and its cautions weigh (:func:`top_drivers`)."""


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
            f"--samples: {samples:,} x ({plural(inputs, 'input')} + {EXTRA_RUNS[method]}) "
            f"= {runs:,} runs, "
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
    sets: Iterable[str] = (),
) -> Sensitivity:
    """Sample, run and analyse a planned study (no files written).

    ``sets``: the ``--set PATH=VALUE`` overrides as given, already applied to the study's data, recorded as
    ``sensitivity.json``'s ``set`` (as a run's ``manifest.json`` records them).
    """
    started = time.perf_counter()
    check_samples(method, samples, len(study.inputs))
    unit = sample(method, samples, len(study.inputs), study.root_seed)
    points = study.points(unit)
    seeds = [run_seed(study.root_seed, 0)] * len(points)
    table, placement = placed_evaluate(study, points, seeds, workers, client, progress=progress)
    never_day = study.scenario.horizon_days
    by_material = fairness_by_material(study.scenario, table) if FAIRNESS in study.metrics else None
    metrics = studied_metrics(study.metrics, by_material)
    if not metrics and by_material is not None:  # fairness_jain alone was asked for, and no material has an index
        alone = "; ".join(f"only {member} uses {material}" for material, member in by_material.sole_users)
        raise InputError(
            f"--metric {FAIRNESS}: no Jain's index to study: the scenario's tonnes may not be added, so the index is "
            f"each material's own, and each material short in the runs has one user ({alone}): no burden of it to "
            "share; study another metric (shortfall_t.REGION.MATERIAL, say)"
        )
    outputs = pd.DataFrame({metric: day_values(table[metric], metric, never_day) for metric in metrics})
    labels = [i.label for i in study.inputs]
    indices = indices_table(method, unit, outputs, study.paths, labels, study.root_seed)
    runs = pd.concat([study.values_table(points), table.drop(columns=["point", "run"])], axis=1)
    nonzero = {metric: occurring_runs(table[metric], metric) for metric in metrics}
    members = study.scenario.agreement.members if study.scenario.agreement else None
    short = runs_short(table, members) if FAIRNESS in metrics else None
    nobody: int | dict[str, int] | None = None if short is None else int((~short).sum())
    own = [m.removeprefix(FAIRNESS_OF) for m in metrics if m.startswith(FAIRNESS_OF)]
    if own and FAIRNESS not in metrics:  # per material's index (in fairness_jain's place or asked for by name)
        group = jain_group(study.scenario)  # where none of them is short, the material's index is 1 by convention
        nobody = {f"{FAIRNESS_OF}{m}": int((~short_of(table, group, m)).sum()) for m in own}
    info = {
        "scenario": study.scenario.name,
        "scenario_file": study.source,
        "scenario_file_resolved": str(Path(study.source).resolve()) if Path(study.source).is_file() else None,
        "scenario_hash": scenario_hash(study.scenario),
        "set": list(sets),
        "method": method,
        "samples": samples,
        "runs": len(points),
        "seed": study.root_seed,
        "run_seed": seeds[0],
        "confidence_level": CONFIDENCE_LEVEL,
        "bootstrap_resamples": resamples_for(samples),
        "inputs": [
            {
                "path": i.path,
                "label": i.label,
                "range": i.range_text(),
                **i.range_fields(),
                "source": i.entry.source,
                "as_written_outside_range": i.as_written_outside_range,  # no sample holds the scenario's own value
            }
            for i in study.inputs
        ],
        "metrics": metrics,
        "metric_units": {metric: metric_unit(metric) for metric in metrics},
        "nonzero_runs": nonzero,
        "sparse_metrics": [metric for metric, count in nonzero.items() if is_sparse(count, len(points))],
        "never_runs": {m: len(points) - count for m, count in nonzero.items() if absent_word(m) is not None},
        "never_as_day": never_day,
        "random_inputs": random_sources(study.scenario),
        "random_inputs_words": scenario_random_input_words(study.scenario),
        "no_member_short_runs": nobody,
        "morris_step": MORRIS_STEP if method == "morris" else None,
        SHORTFALL_ADDS: shortfall_adds(study.scenario),
        "unlike_tonnes_metrics": unlike_tonnes_added(study.scenario, table, metrics),
        **({} if by_material is None else {FAIRNESS_BY_MATERIAL: by_material_info(study.scenario, by_material)}),
        "engine": "batched fast path (bit-identical to the SimPy reference engine)",
        "package_version": __version__,
        "wall_time_s": round(time.perf_counter() - started, 3),
        **placement.record(),  # where the runs' chunks ran, as the runner placed them
        "made_with": made_with(),
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
    inputs: Iterable[Path | str] = (),
    sets: Iterable[str] = (),
) -> Sensitivity:
    """Run a study into ``folder`` (the files in the module docstring); refuse a folder not ours first.

    ``inputs`` (the scenario file) are never written or removed (:func:`~simulator.output_folder.open_folder`);
    ``sets``: the ``--set`` overrides as given (:func:`analyse_study`).
    """
    from simulator.sensitivity.figures import sensitivity_figure  # loads Matplotlib: here, where it draws

    with open_folder(folder, SENSITIVITY_FILES, force, command="sensitivity", inputs=inputs) as out:
        found = analyse_study(study, method, samples, workers, client, progress, sets)
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
                one_draw_text(info["random_inputs_words"], info["run_seed"]),
                len(study.scenario.uncertain),
                info["no_member_short_runs"],
                unlike_tonnes(info),
            )
            figure.savefig(stage / "sensitivity.png", dpi=110)
    return found


def study_notes(info: dict[str, Any]) -> list[str]:
    """What the terminal says after the top drivers of a study described by ``info`` (``sensitivity.json``).

    Where Jain's index is among the metrics and no member is short in some runs but not all,
    that those runs count as 1 (``no_member_short_runs``). For Morris, what ``mu*`` is: the change
    per whole range of an input, extrapolated from steps of ``morris_step`` (2/3) of it, not a
    change the study simulated.

    >>> study_notes({"method": "morris", "morris_step": 2 / 3})
    ["mu* is SALib's mean absolute elementary effect: a step's change in the metric divided by the step, \
so the change per whole range of the input (in quantiles), extrapolated from steps of 2/3 of the range; \
the steps themselves moved the metric by 2/3 of mu* on average"]
    >>> study_notes({"method": "sobol", "morris_step": None})
    []
    """
    notes = []
    nobody, runs = info.get("no_member_short_runs"), int(info.get("runs") or 0)
    by_index = nobody if isinstance(nobody, Mapping) else {"fairness_jain": nobody}
    for metric, count in by_index.items():
        if not no_member_short_text(nobody, runs, metric):
            continue
        of = "" if metric == "fairness_jain" else f" of {Names().material_text(metric.removeprefix(FAIRNESS_OF))}"
        notes.append(
            f"Jain's index{of} is 1 by convention in the {count:,} of {runs:,} runs where no member is short{of}, "
            "and the indices count those runs with the others (their design needs every run): fairness's "
            "indices also measure what decides whether a member is short at all; "
            "sweep figures and run --uncertainty summarise it over the runs with a member short"
        )
    if by_material := by_material_note(info):
        notes.append(by_material)
    if unlike := unlike_tonnes_note(info):
        notes.append(unlike)
    if info.get("method") == "morris" and (step := info.get("morris_step")):
        part = Fraction(step).limit_denominator(100)
        notes.append(
            "mu* is SALib's mean absolute elementary effect: a step's change in the metric divided by the step, "
            "so the change per whole range of the input (in quantiles), "
            f"extrapolated from steps of {part} of the range; "
            f"the steps themselves moved the metric by {part} of mu* on average"
        )
    return notes


def adding_materials(table: pd.DataFrame, metrics: Iterable[str], materials: list[str]) -> dict[str, list[str]]:
    """Per metric in tonnes that totals materials, those of ``materials`` non-zero in some run of ``table``.

    A metric in tonnes whose table has a column per material (``shortfall_t.eu.<material>``;
    ``total_shortfall_t.all.<material>`` for an agreement-wide one) is their total; what it adds
    is the tonnes of the materials it holds in the runs (:func:`unlike_tonnes_added`).

    >>> t = pd.DataFrame({"shortfall_t.eu": [3.0, 5.0], "shortfall_t.eu.a": [3.0, 0.0], "shortfall_t.eu.b": [0, 5.0],
    ...                   "shortfall_t.japan": [1.0, 0], "shortfall_t.japan.a": [1.0, 0], "shortfall_t.japan.b": 0})
    >>> adding_materials(t, ["shortfall_t.eu", "shortfall_t.japan", "shortfall_t.eu.a"], ["a", "b"])
    {'shortfall_t.eu': ['a', 'b'], 'shortfall_t.japan': ['a']}
    """
    adding = {}
    for metric in metrics:
        if metric_unit(metric) != "t":
            continue
        parts = {m: c for m in materials for c in (f"{metric}.{m}", f"{metric}.all.{m}") if c in table}
        if parts:
            adding[metric] = [m for m, c in parts.items() if (table[c].fillna(0) != 0).any()]
    return adding


def unlike_tonnes_added(scenario: Scenario, table: pd.DataFrame, metrics: Iterable[str]) -> dict[str, str]:
    """Per studied total in tonnes that adds tonnes which may not be added, what it adds (``unlike_tonnes_metrics``).

    The materials it holds in some run of ``table`` (:func:`adding_materials`) under the rule of
    ``run``'s last line, ``run --uncertainty`` and ``compare``
    (:func:`simulator.scenario.tonnes.not_added`): a shortfall of light and heavy oxide adds
    ``tonnes of materials priced far apart``, not the scenario's magnet it never holds.
    """
    adding = adding_materials(table, metrics, list(scenario.materials))
    return {metric: why for metric, held in adding.items() if (why := not_added(scenario, held))}


def unlike_tonnes(info: dict[str, Any]) -> dict[str, str]:
    """Per studied metric that adds tonnes which may not be added, what it adds (``unlike_tonnes_metrics``).

    >>> unlike_tonnes({"unlike_tonnes_metrics": {"m": "tonnes of magnet and tonnes of oxide"}})
    {'m': 'tonnes of magnet and tonnes of oxide'}
    """
    return dict(info.get("unlike_tonnes_metrics") or {})


def unlike_tonnes_note(info: dict[str, Any]) -> str | None:
    """The terminal's note where studied metrics add tonnes that may not be added (``unlike_tonnes_metrics``), or None.

    Metrics that add the same are named together.

    >>> print(unlike_tonnes_note({"unlike_tonnes_metrics": {"total_shortfall_t": "tonnes of magnet and tonnes of oxide",
    ...                                                     "shortfall_t.eu": "tonnes of magnet and tonnes of oxide"}}))
    total_shortfall_t and shortfall_t.eu (and their panels and top drivers) add tonnes of magnet and tonnes of oxide: \
--metric total_shortfall_t.all.MATERIAL or shortfall_t.REGION.MATERIAL studies each material
    >>> print(unlike_tonnes_note({"unlike_tonnes_metrics": {"shortfall_t.eu": "tonnes of magnet and tonnes of oxide",
    ...     "shortfall_t.japan": "tonnes of materials priced far apart",
    ...     "pool_end_t": "tonnes of materials priced far apart"}}))
    shortfall_t.eu adds tonnes of magnet and tonnes of oxide; shortfall_t.japan and pool_end_t add tonnes of materials \
priced far apart; their panels and top drivers say so: \
--metric shortfall_t.REGION.MATERIAL or pool_end_t.all.MATERIAL studies each material
    >>> one = {"unlike_tonnes_metrics": {"total_shortfall_t": "tonnes of magnet and tonnes of oxide"}}
    >>> print(unlike_tonnes_note(one))
    total_shortfall_t (and its panel and top drivers) adds tonnes of magnet and tonnes of oxide: \
--metric total_shortfall_t.all.MATERIAL studies each material
    """
    adds = unlike_tonnes(info)
    if not adds:
        return None
    by_what: dict[str, list[str]] = {}
    for metric, what in adds.items():
        by_what.setdefault(what, []).append(metric)
    each = [f"{m}.all.MATERIAL" if "." not in m else f"{m.split('.')[0]}.REGION.MATERIAL" for m in adds]
    study = f"--metric {' or '.join(dict.fromkeys(each))} studies each material"
    if len(by_what) == 1:
        ((what, metrics),) = by_what.items()
        figures, verb = ("its panel", "adds") if len(metrics) == 1 else ("their panels", "add")
        return f"{join_words(metrics)} (and {figures} and top drivers) {verb} {what}: {study}"
    said = [f"{join_words(ms)} {'add' if len(ms) > 1 else 'adds'} {what}" for what, ms in by_what.items()]
    return f"{'; '.join(said)}; their panels and top drivers say so: {study}"


def by_material_info(scenario: Scenario, by_material: ByMaterial) -> dict[str, Any]:
    """``sensitivity.json``'s :data:`FAIRNESS_BY_MATERIAL`: what is studied in ``fairness_jain``'s place, and why.

    ``materials`` (whose own index is studied), ``metrics`` (``fairness_jain.all.<material>`` of each),
    ``sole_users`` (material: the one member that uses it, short in some run: no index), and ``over_all_adds``:
    what the index over all materials would add, where two materials or more are short
    (:func:`~simulator.scenario.tonnes.not_added`), else null (with one material short it would divide that
    material's shortfall by demand for every material).
    """
    short = [*by_material.materials, *(m for m, _ in by_material.sole_users)]
    return {
        "materials": by_material.materials,
        "metrics": by_material.metrics,
        "sole_users": dict(by_material.sole_users),
        "over_all_adds": not_added(scenario, short),
    }


def by_material_note(info: dict[str, Any]) -> str | None:
    """The terminal's note where Jain's index is studied material by material (:data:`FAIRNESS_BY_MATERIAL`), or None.

    >>> print(by_material_note({"fairness_by_material": {"materials": ["ga"], "metrics": ["fairness_jain.all.ga"],
    ...                                                  "sole_users": {}, "over_all_adds": None}}))
    fairness_jain.all.ga, the members' Jain's index of ga alone, is studied in place of fairness_jain, which over all \
materials would divide each member's shortfall of ga by its demand for every material (samples.parquet keeps both)
    >>> print(by_material_note({"fairness_by_material": {"materials": ["light_ree", "heavy_ree"],
    ...     "metrics": ["fairness_jain.all.light_ree", "fairness_jain.all.heavy_ree"], "sole_users": {"mag": "eu"},
    ...     "over_all_adds": "tonnes of magnet and tonnes of oxide"}}))
    fairness_jain.all.light_ree and fairness_jain.all.heavy_ree, each material's own Jain's index, are studied in \
place of fairness_jain, which over all materials would add tonnes of magnet and tonnes of oxide (samples.parquet \
keeps them all); only the EU uses mag: no burden of it to share, so no index of it is studied
    """
    found = info.get(FAIRNESS_BY_MATERIAL)
    if not found:
        return None
    names = Names()  # the scenario's labels are not in sensitivity.json: default names, as the metrics' titles
    metrics = found["metrics"]

    def given(why: str) -> str:
        one = len(metrics) == 1
        what = (
            f"{metrics[0]}, the members' Jain's index of {names.material_text(found['materials'][0])} alone, is"
            if one
            else f"{join_words(metrics)}, each material's own Jain's index, are"
        )
        keeps = "both" if one else "them all"
        return (
            f"{what} studied in place of fairness_jain, which over all materials would {why} "
            f"(samples.parquet keeps {keeps})"
        )

    return by_material_sentence(
        names,
        found["materials"] if metrics else [],
        found["sole_users"].items(),
        found["over_all_adds"],
        given=given,
        none="fairness_jain is not studied: each material short has one user",
        sole_tail=", so no index of it is studied",
    )


def random_sources(scenario: Scenario) -> list[str]:
    """The ids of the random streams the scenario draws from in each run: ``noise``, ``shock/<id>``.

    What ``random_inputs`` holds in ``sensitivity.json``, ``sweep.json`` and ``stockpile compare``'s
    ``manifest.json`` (:attr:`simulator.plan.Plan.random_sources`); :func:`scenario_random_input_words` says them
    in words.
    """
    return list(compile_plan(scenario).random_sources)


def scenario_random_input_words(scenario: Scenario) -> list[str]:
    """What the scenario draws at random in each run, in words: ``china_embargo_both's start, length, severity``.

    A shock's start, length or size given as a distribution, and demand noise: the inputs that one run seed fixes
    for every sample (:func:`~simulator.sensitivity.words.one_draw_text`); ``stockpile compare`` names them too
    (every rule sees one draw).
    """
    plan = compile_plan(scenario)
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
    count: int = TOP_DRIVERS,
    nonzero: dict[str, int] | None = None,
    runs: int = 0,
    never_day: int | None = None,
    no_member_short: int | Mapping[str, int] | None = None,
    unlike_tonnes: dict[str, str] | None = None,
) -> list[str]:
    """One line per metric: its title and its ``count`` most influential inputs.

    ``nonzero`` (per metric, the runs of the ``runs`` in which it is not zero; for a day
    metric, those in which it has a day) flags a metric non-zero in few runs
    (:func:`~simulator.sensitivity.words.is_sparse`), and a day metric whose never or none
    (-1) the indices count after the horizon, as day ``never_day`` when given
    (:func:`~simulator.sensitivity.words.flag_text`). ``no_member_short``: the runs in which
    no member is short, whose Jain's index is 1 by convention: fairness says in how many
    (:func:`~simulator.sensitivity.words.no_member_short_text`). ``unlike_tonnes``: per metric that
    adds tonnes which may not be added, what it adds (:func:`unlike_tonnes`): its title says so.
    Indices are rounded to two decimals, a small negative estimate to ``0.00`` (not ``-0.00``).
    A metric non-zero in few runs (its intervals rest on them:
    :func:`~simulator.sensitivity.words.untrusted_text`), whose shown inputs have an interval
    wider than their estimate (:func:`wide_text`) or intervals that overlap a neighbour's in the
    ranking (:func:`overlap_text`: their order is not established), or (Sobol') an input whose
    ``S1`` exceeds its ``ST`` (:func:`~simulator.sensitivity.words.s1_above_text`, the figure's
    words), gets a line under its own that begins with :data:`CAUTION`.

    >>> t = pd.DataFrame({"metric": ["total_shortfall_t"] * 2, "parameter": ["a", "b"], "label": ["A", "B"],
    ...                   "S1": [0.7, -0.004], "S1_conf": [0.05, 0.02], "ST": [0.8, 0.2], "ST_conf": [0.06, 0.03]})
    >>> top_drivers(t, "sobol")
    ['Total shortfall (t): A (ST 0.80 +- 0.06, S1 0.70), B (ST 0.20 +- 0.03, S1 0.00)']
    >>> top_drivers(t, "sobol", 1, {"total_shortfall_t": 11}, 1280)  # doctest: +NORMALIZE_WHITESPACE
    ['Total shortfall (t), non-zero in only 11 of 1,280 runs: A (ST 0.80 +- 0.06, S1 0.70)',
     '  caution: its intervals rest on those 11 runs: not to be trusted, nor a --samples drawn from them']
    >>> day = t.assign(metric="first_shortfall_day.japan")
    >>> top_drivers(day, "sobol", 1, {"first_shortfall_day.japan": 95}, 800)[0].split(": ")[0]
    'First day short, Japan (day), never in 705 of 800 runs, counted as after the horizon'
    >>> for line in top_drivers(t.assign(ST_conf=[0.06, 0.3], S1=[0.9, 0.1]), "sobol"):
    ...     print(line)
    Total shortfall (t): A (ST 0.80 +- 0.06, S1 0.90), B (ST 0.20 +- 0.30, S1 0.10)
      caution: interval wider than the estimate for 1 of the 2 shown: too few samples to rank; \
S1 above ST for 1 input: sampling noise
    """
    lines = []
    for metric, rows in table.groupby("metric", sort=False):
        title = metric_title(str(metric))
        if adds := adds_text(unlike_tonnes, str(metric)):
            title += f", {adds}"
        if flag := flag_text((nonzero or {}).get(str(metric)), runs, str(metric), never_day):
            title += f", {flag}"
        if nobody := no_member_short_text(no_member_short, runs, str(metric)):
            title += f", {nobody}"
        ranked = _shown(rows, method, count)
        if ranked.empty:
            lines.append(f"{title}: the same in every run")
            continue
        if method == "sobol":
            parts = [
                f"{r.label} (ST {_share(r.ST)} +- {_share(r.ST_conf)}, S1 {_share(r.S1)})" for r in ranked.itertuples()
            ]
        else:
            show = number_text  # as run --uncertainty prints numbers: 16,198, not 1.62e+04
            parts = [
                f"{r.label} (mu* {show(r.mu_star)} +- {show(r.mu_star_conf)}, sigma {show(r.sigma)})"
                for r in ranked.itertuples()
            ]
        lines.append(f"{title}: " + ", ".join(parts))
        count_of = (nonzero or {}).get(str(metric))
        doubts = [
            untrusted_text(count_of) if count_of is not None and is_sparse(count_of, runs) else None,
            wide_text(ranked, method),
            overlap_text(ranked, method),
            s1_above_text(rows) if method == "sobol" else None,
        ]
        if said := [doubt for doubt in doubts if doubt]:
            lines.append(f"{CAUTION}{'; '.join(said)}")
    return lines


CAUTION = "  caution: "
"""How a line under a metric's top drivers begins that says what to doubt in them (:func:`top_drivers`)."""


CONF_OF: dict[Method, str] = {"sobol": "ST_conf", "morris": "mu_star_conf"}
"""The half-width of the 95% interval of the index each method ranks by (:data:`RANKED_BY`)."""


def _shown(rows: pd.DataFrame, method: Method, count: int) -> pd.DataFrame:
    """The ``count`` most influential inputs of one metric's rows, as the top drivers show them."""
    key = RANKED_BY[method]
    return rows.dropna(subset=[key]).sort_values(key, ascending=False, kind="stable").head(count)


NEGLIGIBLE_SHARE = 0.05
"""A shown input whose estimate plus its interval's half-width is under this share of the leading
shown input's estimate is not flagged for a wide interval (:func:`_wide`): even at the top of its
interval it is under a twentieth of the leader, so where it ranks among the shown matters not."""


def _wide(shown: pd.DataFrame, method: Method) -> pd.Series:
    """Which shown inputs' 95% interval is wider than their estimate (zero lies inside) and matters.

    An interval wider than its estimate is left out when the estimate plus the half-width is
    under :data:`NEGLIGIBLE_SHARE` of the largest shown estimate: a near-zero input shown
    behind a dominant one (``ST 0.002 +- 0.01`` behind ``0.80``) leaves the ranking in no doubt.

    >>> t = pd.DataFrame({"ST": [0.8, 0.1, 0.002, 0.01], "ST_conf": [0.06, 0.03, 0.01, 0.04]})
    >>> _wide(t, "sobol").tolist()  # 0.002 + 0.01 under 5% of 0.8 (0.04); 0.01 + 0.04 not
    [False, False, False, True]
    """
    key, conf = shown[RANKED_BY[method]], shown[CONF_OF[method]]
    floor = NEGLIGIBLE_SHARE * max(float(key.max()), 0.0) if len(shown) else 0.0
    return (conf > key) & (key + conf >= floor)


def wide_text(shown: pd.DataFrame, method: Method) -> str | None:
    """``interval wider than the estimate for 2 of the 3 shown: too few samples to rank``, or None.

    An input whose interval (half-width ``ST_conf``, or ``mu_star_conf`` for Morris) is wider
    than its estimate cannot be told from one with no effect, nor ranked against the others;
    one negligible beside the leader even at the top of its interval is not counted (:func:`_wide`).

    >>> t = pd.DataFrame({"ST": [0.44, 0.37, 0.2], "ST_conf": [18.47, 0.1, 0.3]})
    >>> wide_text(t, "sobol")
    'interval wider than the estimate for 2 of the 3 shown: too few samples to rank'
    >>> wide_text(t.head(0), "sobol") is None, wide_text(t.iloc[[1]], "sobol") is None
    (True, True)
    """
    wide = int(_wide(shown, method).sum())
    if not wide:
        return None
    return f"interval wider than the estimate for {wide} of the {len(shown)} shown: too few samples to rank"


def overlap_text(shown: pd.DataFrame, method: Method) -> str | None:
    """``intervals overlap for B and C: their order is not established``, or None.

    The shown inputs are ranked by their estimates; where an input's 95% interval (estimate
    +- half-width) reaches the next one's, the samples do not tell which of the two leads, so
    the order of each run of such neighbours is not established (touching counts). Overlap is
    the plain reading, not a test: two intervals that overlap a little may still differ. An
    input negligible beside the leader even at the top of its interval is left out, as in
    :func:`_wide`.

    >>> t = pd.DataFrame({"label": ["A", "B", "C", "D"], "ST": [0.8, 0.26, 0.24, 0.05],
    ...                   "ST_conf": [0.1, 0.14, 0.14, 0.02]})
    >>> overlap_text(t, "sobol")  # B [0.12, 0.40] and C [0.10, 0.38] overlap; A [0.7, 0.9] and D [0.03, 0.07] apart
    'intervals overlap for B and C: their order is not established'
    >>> overlap_text(t.assign(ST_conf=[0.6, 0.005, 0.005, 0.01]), "sobol")  # A [0.2, 1.4] holds B [0.255, 0.265]
    'intervals overlap for A and B: their order is not established'
    >>> overlap_text(t.assign(ST_conf=0.005), "sobol") is None
    True
    """
    key, conf = shown[RANKED_BY[method]].to_numpy(float), shown[CONF_OF[method]].to_numpy(float)
    floor = NEGLIGIBLE_SHARE * max(float(key.max()), 0.0) if len(shown) else 0.0
    labels = shown["label"].astype(str).tolist()
    runs_of: list[list[str]] = []
    for i in range(len(shown) - 1):
        if key[i + 1] + conf[i + 1] < floor or key[i] - conf[i] > key[i + 1] + conf[i + 1]:
            continue
        if runs_of and runs_of[-1][-1] == labels[i]:
            runs_of[-1].append(labels[i + 1])
        else:
            runs_of.append([labels[i], labels[i + 1]])
    if not runs_of:
        return None
    said = "; for ".join(join_words(run) for run in runs_of)
    return f"intervals overlap for {said}: their order is not established"


def samples_to_rank(
    table: pd.DataFrame, method: Method, samples: int, count: int = TOP_DRIVERS, leave_out: Iterable[str] = ()
) -> int | None:
    """A rough ``--samples`` at which every shown driver's interval is within its estimate; None if none is wider.

    A bootstrap interval's half-width shrinks about as ``1 / sqrt(N)``: an interval ``k``
    times its estimate at ``N`` samples needs about ``N k^2``, the largest over the shown
    drivers flagged by :func:`_wide` with a positive estimate (an estimate at or below 0 gives no target), rounded up
    to a power of two for Sobol'. A rough guide: the estimates move too as ``N`` grows.
    The metrics in ``leave_out`` (non-zero in few runs: their widths are noise) set none. A shown Sobol'
    half-width above 1 gives None: wider than the whole range of a share of the variance, it comes from bootstrap
    resamples of too few samples with almost no variance (a thousand resamples of 4 samples give 86), and says only
    that the samples are too few, not how many would do; a number from the other intervals would not bring that one
    within its estimate.

    >>> t = pd.DataFrame({"metric": "m", "ST": [0.44, 0.37, 0.2], "ST_conf": [0.88, 0.1, 0.3]})
    >>> samples_to_rank(t, "sobol", 16)  # 16 x (0.88 / 0.44)^2 = 64: a power of two already
    64
    >>> samples_to_rank(t.assign(ST_conf=0.01), "sobol", 16) is None
    True
    >>> samples_to_rank(t.assign(ST_conf=[18.47, 0.1, 0.1]), "sobol", 16) is None  # 18.47 is past any share
    True
    """
    need = 0.0
    for metric, rows in table.groupby("metric", sort=False):
        if metric in set(leave_out):
            continue
        shown = _shown(rows, method, count)
        key, conf = RANKED_BY[method], CONF_OF[method]
        wide = shown[_wide(shown, method) & (shown[key] > 0)]
        if method == "sobol" and (wide[conf] > 1.0).any():
            return None
        if len(wide):
            need = max(need, samples * float(((wide[conf] / wide[key]) ** 2).max()))
    if not need:
        return None
    at_least = math.ceil(need)
    return 1 << (at_least - 1).bit_length() if method == "sobol" else at_least


def ranking_note(
    table: pd.DataFrame,
    method: Method,
    samples: int,
    inputs: int,
    *,
    nonzero: dict[str, int],
    runs: int,
    count: int = TOP_DRIVERS,
) -> str | None:
    """What the terminal adds when a shown driver's interval is wider than its estimate, with a rough ``--samples``.

    ``nonzero`` (per metric, the runs of the ``runs`` in which it is not zero, as for
    :func:`top_drivers`; required, so that no caller forgets it): a metric non-zero in few of them suggests no
    ``--samples``; the note says why instead (:func:`~simulator.sensitivity.words.untrusted_text`).

    >>> t = pd.DataFrame({"metric": "m", "ST": [0.44, 0.37], "ST_conf": [0.88, 0.1]})
    >>> print(ranking_note(t, "sobol", 16, 65, nonzero={"m": 900}, runs=1072))
    where an interval is wider than its estimate the samples are too few to rank the inputs; intervals \
narrow about as 1/sqrt(N): as a rough guide, --samples 64 (4,288 runs) would bring every shown \
interval within its estimate
    >>> print(ranking_note(t.assign(metric="shortfall_t.japan"), "sobol", 128, 8, nonzero={"shortfall_t.japan": 11},
    ...                    runs=1280))
    where an interval is wider than its estimate the samples are too few to rank the inputs; \
shortfall_t.japan is non-zero in only 11 of 1,280 runs: its intervals rest on those 11 runs: not to be trusted, \
nor a --samples drawn from them
    """
    wide = [
        str(metric)
        for metric, rows in table.groupby("metric", sort=False)
        if _wide(_shown(rows, method, count), method).any()
    ]
    if not wide:
        return None
    text = "where an interval is wider than its estimate the samples are too few to rank the inputs"
    sparse = {m: n for m in wide if (n := nonzero.get(m)) is not None and is_sparse(n, runs)}
    for metric, n in sparse.items():
        text += f"; {metric} is {sparse_text(n, runs, metric)}: {untrusted_text(n)}"
    if len(sparse) == len(wide):
        return text
    wanted = samples_to_rank(table, method, samples, count, leave_out=sparse)
    if wanted is None:
        return f"{text}; more samples narrow the intervals"
    needed = runs_needed(method, wanted, inputs)
    text += (
        "; intervals narrow about as 1/sqrt(N): as a rough guide, "
        f"--samples {wanted} ({needed:,} runs) would bring every shown interval"
        f"{' of the other metrics' if sparse else ''} within its estimate"
    )
    if needed > MAX_SAMPLE_RUNS:
        text += f", more than the {MAX_SAMPLE_RUNS:,} runs a study may make: vary fewer inputs (--input)"
    return text


def _share(value: float) -> str:
    """An index to two decimals; ``-0.004`` is ``0.00``: a sign on a zero says nothing.

    >>> _share(-0.004), _share(-0.012), _share(0.5)
    ('0.00', '-0.01', '0.50')
    """
    text = f"{value:.2f}"
    return text[1:] if text == "-0.00" else text
