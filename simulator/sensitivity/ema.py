"""The model as an EMA Workbench model, for exploratory modelling and scenario discovery.

Layer: studies.

:func:`ema_model` wraps a scenario as an ``ema_workbench.Model`` (install the extra:
``pip install 'stockpile-simulator[ema]'``):

- **uncertainties**: the scenario's ``uncertain:`` entries, named by their ``--set`` paths.
  A uniform range of numbers is a ``RealParameter`` (``IntegerParameter`` for a field of
  whole numbers) with the entry's bounds, so the workbench's experiments and its
  scenario-discovery boxes read in the field's own unit. Any other entry (triangular,
  lognormal, dates, a discrete set) is a ``RealParameter`` on [0, 1] named
  ``<path>:quantile``, the quantile of the entry's distribution, mapped to a value exactly
  as ``stockpile sensitivity`` maps it;
- **outcomes**: per-run metrics (the sweep table's columns), one ``ScalarOutcome`` each;
- **the function**: one run on the batched fast path (the sweep's ``run_chunk``), with the
  scenario's first run seed for every experiment (common random numbers).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from simulator.errors import InputError
from simulator.randomness import run_seed
from simulator.scenario.schema import UncertainUniform
from simulator.scenario.uncertain import Input, values_at
from simulator.sensitivity.study import Study, plan_study
from simulator.sweep import runner
from simulator.sweep.runner import Chunk

QUANTILE = ":quantile"
"""Suffix of the workbench name of an input given as a quantile of its distribution."""
EMA_MISSING = "the EMA Workbench is not installed; install the extra with: pip install 'stockpile-simulator[ema]'"


def _import_workbench() -> Any:
    try:
        with warnings.catch_warnings():  # it warns at import about optional parallel back-ends
            warnings.simplefilter("ignore")
            import ema_workbench
    except ImportError:
        raise InputError(EMA_MISSING) from None
    return ema_workbench


def _in_own_units(item: Input) -> bool:
    return isinstance(item.entry, UncertainUniform) and item.kind in ("int", "float")


def parameter_name(item: Input) -> str:
    """The workbench name of an input: its path, or ``<path>:quantile``."""
    return item.path if _in_own_units(item) else item.path + QUANTILE


class ScenarioFunction:
    """The workbench's model function: experiment values in, the run's metrics out (picklable)."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.seed = run_seed(study.root_seed, 0)

    def point(self, experiment: dict[str, Any]) -> dict[str, Any]:
        """The overrides an experiment stands for (an input it does not give keeps the scenario's value)."""
        point = {}
        for item in self.study.inputs:
            if parameter_name(item) not in experiment:
                continue
            value = experiment[parameter_name(item)]
            if _in_own_units(item):
                point[item.path] = int(value) if item.kind == "int" else float(value)
            else:
                point[item.path] = values_at(item, np.array([float(value)]))[0]
        return point

    def __call__(self, **experiment: Any) -> dict[str, float]:
        """Run the scenario with the experiment's values; return its metrics."""
        chunk = Chunk(0, ((0, 0, self.seed),), self.study.raw, {0: self.point(experiment)}, self.study.source)
        row = runner.run_chunk(chunk).table.iloc[0]  # looked up when called, as explore's grid does
        return {metric: float(row[metric]) for metric in self.study.metrics}


def ema_model(
    raw: dict[str, Any],
    source: str,
    metrics: Iterable[str] = (),
    name: str = "stockpile",
    inputs: Iterable[str] = (),
    fixed: Iterable[str] = (),
) -> Any:
    """An ``ema_workbench.Model`` of a scenario (raw data) over its uncertain inputs (see the module docstring).

    ``inputs`` keeps only the uncertain inputs of those paths (as ``stockpile sensitivity
    --input``); the others stay at the scenario's values. (Assigning a shorter list to
    ``model.uncertainties`` does not do that: the workbench adds the list to the ones it
    has.) Bad input (no uncertain inputs, a path in ``inputs`` the scenario does not
    declare, an unknown metric, a range the field cannot take) is an :class:`InputError`,
    as for ``stockpile sensitivity``. ``fixed`` are the paths of overrides already applied
    to ``raw`` (``load_raw(path, pairs)``): one on a path the model varies is refused as
    ``--set`` is (the workbench's value would replace it in every experiment).
    """
    workbench = _import_workbench()
    study = plan_study(raw, source, metrics, only=inputs, fixed=fixed)
    model = workbench.Model(name, function=ScenarioFunction(study))
    parameters = []
    for item in study.inputs:
        if _in_own_units(item) and item.kind == "int":
            low, high = int(np.ceil(item.entry.low)), int(np.floor(item.entry.high))  # type: ignore[union-attr, arg-type]
            parameters.append(workbench.IntegerParameter(item.path, low, high))
        elif _in_own_units(item):
            parameters.append(workbench.RealParameter(item.path, float(item.entry.low), float(item.entry.high)))  # type: ignore[union-attr, arg-type]
        else:
            parameters.append(workbench.RealParameter(parameter_name(item), 0.0, 1.0))
    model.uncertainties = parameters
    model.outcomes = [workbench.ScalarOutcome(metric) for metric in study.metrics]
    return model
