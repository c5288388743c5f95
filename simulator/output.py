"""Writing a run's outputs: all files or none, never a half-written folder.

Layer: studies.

The folder is opened with :func:`simulator.output_folder.open_folder` (one writer, only
the tool's own files touched); the files are staged and moved in when all are complete,
and the files of an earlier output that this run does not write are removed, so a
folder never mixes two runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from simulator.output_folder import OutputFolder, manifest_info
from simulator.quantities import AGREEMENT_SUMMARY, SUMMARY, SUMMARY_DATES
from simulator.results import ALL, Result
from simulator.scenario import scenario_hash
from simulator.version import made_with

TABLE_FILES = frozenset(
    {"timeseries.csv", "summary.csv", "summary.json", "supply.csv", "shocks.csv", "portfolio.csv", "scenario.json"}
)
AGREEMENT_FILES = frozenset({"pool.csv", "releases.csv", "auctions.csv", "ledger.csv"})
FIGURE_FILES = frozenset({"days_of_cover.png", "shortfall.png", "supply_mix.png"})
UNCERTAINTY_TABLES = frozenset({"uncertainty.csv", "uncertainty_samples.parquet"})
"""With ``--uncertainty``: headline intervals and the samples (``simulator.sensitivity.intervals``)."""
UNCERTAINTY_FIGURES = frozenset({"fan_days_of_cover.png", "fan_shortfall.png"})
UNCERTAINTY_WITHOUT = frozenset({"uncertainty_without_agreement.parquet"})
"""With ``--uncertainty`` and an agreement: the samples run again without it (``simulator.sensitivity.intervals``)."""


MARKET_FILES = frozenset({"market.csv"})
MARKET_FIGURES = frozenset({"prices.png"})
AGAINST_FILES = frozenset({"against.csv"})
"""With ``--compare``: each region's shortfall beside the baseline's (:func:`simulator.against.against`)."""


def run_files(
    agreement: bool,
    figures: bool,
    report: bool,
    excel: bool = False,
    market: bool = False,
    uncertainty: bool = False,
    against: bool = False,
) -> frozenset[str]:
    """The files ``stockpile run`` writes, known before it runs (checked for ownership first).

    ``against``: with ``--compare`` (``against.csv``); a rerun without it removes an earlier one.
    """
    return (
        TABLE_FILES
        | (AGREEMENT_FILES if agreement else set())
        | (MARKET_FILES if market else set())
        | (FIGURE_FILES if figures else set())
        | (MARKET_FIGURES if figures and market else set())
        | ({"report.html"} if report else set())
        | ({"workbook.xlsx"} if excel else set())
        | (UNCERTAINTY_TABLES if uncertainty else set())
        | (UNCERTAINTY_WITHOUT if uncertainty and agreement else set())
        | (UNCERTAINTY_FIGURES if uncertainty and figures else set())
        | (AGAINST_FILES if against else set())
    )


def manifest(result: Result, engine: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Package version, scenario hash, seed, the code and libraries, time, and the command's ``options``.

    ``made_with``: :func:`~simulator.version.made_with`. ``options`` (``stockpile run``'s: its ``--set``
    values as given, its ``--uncertainty`` samples, their engine and workers; :func:`run_options`) come
    after ``engine`` and before the time; None (the Python API) adds none.
    """
    return manifest_info(
        scenario=result.scenario.name,
        scenario_hash=scenario_hash(result.scenario),
        seed=result.seed,
        engine=engine,
        **(options or {}),
        made_with=made_with(),
    )


UNCERTAINTY_ENGINE = "batched fast path (bit-identical to the SimPy reference engine)"
"""The engine that runs ``--uncertainty``'s samples (:func:`simulator.sensitivity.intervals.run_uncertainty`)."""


def run_options(
    sets: Iterable[str], uncertainty_samples: int | None, workers: int | None, outside_range: Iterable[str] = ()
) -> dict[str, Any]:
    """The manifest's record of ``stockpile run``'s options beyond the seed, enough to run it again.

    ``set``: each ``--set PATH=VALUE`` as given, in order (``[]``: none). ``uncertainty``: None without
    ``--uncertainty``; else its ``samples`` (N as given), their ``engine`` (:data:`UNCERTAINTY_ENGINE`;
    the manifest's ``engine`` is the run's own), ``workers``, the worker processes asked for
    (``--workers``, or one per core this process may use: a fact of the machine, like ``written_at``),
    and ``as_written_outside_range``: the paths of the uncertain inputs whose value as written no
    sample holds (``outside_range``: :func:`simulator.sensitivity.intervals.outside_range_paths`;
    ``[]`` when none), so the run as written, which each interval is read beside, used a value no
    sample did.

    >>> run_options(["agreement.ratio.japan=0.3"], None, None)
    {'set': ['agreement.ratio.japan=0.3'], 'uncertainty': None}
    >>> run_options([], 200, 2)["uncertainty"]["samples"]
    200
    >>> run_options([], 200, 2)["uncertainty"]["as_written_outside_range"]
    []
    """
    uncertainty = None
    if uncertainty_samples:
        uncertainty = {
            "samples": uncertainty_samples,
            "engine": UNCERTAINTY_ENGINE,
            "workers": workers,
            "as_written_outside_range": list(outside_range),
        }
    return {"set": list(sets), "uncertainty": uncertainty}


def summary_json(result: Result) -> dict[str, Any]:
    """``summary.json``: a record per region and material plus agreement-wide figures."""
    rows = result.tables["summary"].rows()
    regional = [row for row in rows if row["region"] != ALL]
    overall = next(row for row in rows if row["region"] == ALL and row["material"] == ALL)
    by_material = [row for row in rows if row["region"] == ALL and row["material"] != ALL]
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "records": [
            {"region": row["region"], "material": row["material"]}
            | {q.name: row[q.name] for q in (*SUMMARY, *SUMMARY_DATES)}
            for row in regional
        ],
        "agreement": {q.name: overall[q.name] for q in AGREEMENT_SUMMARY},
        "by_material": {row["material"]: {q.name: row[q.name] for q in AGREEMENT_SUMMARY} for row in by_material},
        "metrics": result.metrics,
    }


def _tables(result: Result) -> list[str]:
    """The tables a run writes as ``<name>.csv`` (the CSV files of :func:`run_files`)."""
    files = TABLE_FILES | (AGREEMENT_FILES if result.structure.members else set())
    files |= MARKET_FILES if result.structure.market else set()
    return sorted(name.removesuffix(".csv") for name in files if name.endswith(".csv"))


def write_scenario_json(scenario_data: dict[str, Any], folder: Path) -> None:
    """``scenario.json`` in ``folder``: the scenario data as run, ``--set`` and ``--seed`` applied (run and compare)."""
    (folder / "scenario.json").write_text(json.dumps(scenario_data, indent=2, default=str) + "\n")


def write_run(
    result: Result,
    out: OutputFolder,
    engine: str = "reference",
    figures: Callable[[Result, Path], Any] | None = None,
    scenario_data: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> list[Path]:
    """Write every output of a run into the opened folder ``out`` (see ``docs/outputs.md``).

    ``options``: the command's, recorded in the manifest (:func:`run_options`; None: the Python API's run).
    """
    with out.staged(manifest(result, engine, options)) as stage:
        for name in _tables(result):
            result.tables[name].write_csv(stage / f"{name}.csv")
        (stage / "summary.json").write_text(json.dumps(summary_json(result), indent=2) + "\n")
        write_scenario_json(scenario_data or result.scenario.model_dump(mode="json"), stage)
        if figures is not None:
            figures(result, stage)
    return [out.path / name for name in sorted(out.owned)]
