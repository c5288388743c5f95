"""Sweeps: grids and Monte Carlo over many runs, local or on a Dask cluster.

Layer: studies.

Outputs in ``DIR`` (see ``docs/sweeps.md``): ``sweep.parquet`` (one row per run: a
column per swept path, ``point``, ``run``, ``seed`` and every metric), ``sweep.csv`` on
request, ``sweep.json`` (scenario, hash, grid, version, wall time), the figures, and
with ``--curves`` ``curves.parquet`` (5/50/95th percentile curves per grid point).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.errors import ScenarioError
from simulator.output import staged
from simulator.plan import compile_plan
from simulator.scenario import scenario_hash, validate_data
from simulator.sweep.grid import Axis, SweepSpec, load_spec_file, parse_axis
from simulator.sweep.runner import Checkpoints, Sweep, curve_bands, execute, plan_sweep
from simulator.version import __version__

__all__ = ["Axis", "Sweep", "SweepSpec", "finish_sweep", "load_spec_file", "parse_axis", "plan_sweep", "run_sweep"]


def sweep_table(sweep: Sweep, checkpoints: Checkpoints) -> pd.DataFrame:
    """The sweep table: swept paths, point, run, seed, then every metric; sorted by run id."""
    table = checkpoints.table([index for index, _ in sweep.chunks()])
    swept = {axis.path: [point[axis.path] for point in sweep.points] for axis in sweep.spec.axes}
    front = pd.DataFrame({path: [values[p] for p in table["point"]] for path, values in swept.items()})
    return pd.concat([front, table], axis=1).sort_values(["point", "run"], kind="stable", ignore_index=True)


def _base_hash(sweep: Sweep) -> str:
    """Hash of the swept scenario (the file with the fixed overrides, before the grid)."""
    try:
        return scenario_hash(validate_data(sweep.raw, sweep.source))
    except ScenarioError:  # valid only once the grid sets its values: hash the data itself
        return hashlib.sha256(json.dumps(sweep.raw, sort_keys=True, default=str).encode()).hexdigest()


def describe(sweep: Sweep, wall_time_s: float, backend: str, workers: int) -> dict[str, Any]:
    """``sweep.json``: what was swept, on what, by which version, and how long it took."""
    first = sweep.first
    structure = compile_plan(first).structure
    return {
        "scenario": first.name,
        "scenario_file": sweep.source,
        "scenario_hash": _base_hash(sweep),
        "grid": {axis.path: list(axis.values) for axis in sweep.spec.axes},
        "fixed": dict(sweep.spec.fixed),
        "runs_per_point": sweep.spec.runs,
        "points": len(sweep.points),
        "total_runs": sweep.n_runs,
        "seed": sweep.root_seed,
        "seed_rule": "run k of every point uses simulator.randomness.run_seed(seed, k)",
        "random_inputs": list(compile_plan(first).random_sources),
        "members": structure.member_names,
        "engine": "batched fast path (bit-identical to the SimPy reference engine)",
        "backend": backend,
        "workers": workers,
        "chunk_runs": sweep.chunk_runs,
        "curves": sweep.curves,
        "package_version": __version__,
        "wall_time_s": round(wall_time_s, 3),
    }


def finish_sweep(
    sweep: Sweep,
    checkpoints: Checkpoints,
    folder: Path,
    fmt: str,
    info: dict[str, Any],
    figures: Callable[[pd.DataFrame, dict[str, Any], Path], Any] | None = None,
) -> pd.DataFrame:
    """Write the table, its description, curve bands and figures; drop the checkpoints."""
    table = sweep_table(sweep, checkpoints)
    with staged(folder) as stage:
        table.to_parquet(stage / "sweep.parquet", index=False)
        if fmt == "csv":
            table.to_csv(stage / "sweep.csv", index=False)
        if sweep.curves:
            curve_bands(sweep, checkpoints).to_parquet(stage / "curves.parquet", index=False)
        (stage / "sweep.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
        if figures is not None:
            figures(table, info, stage)
    checkpoints.remove()
    return table


def run_sweep(
    sweep: Sweep,
    folder: Path,
    workers: int = 1,
    client: Any = None,
    fmt: str = "parquet",
    progress: Callable[[int], None] | None = None,
    figures: Callable[[pd.DataFrame, dict[str, Any], Path], Any] | None = None,
) -> pd.DataFrame:
    """Run (or resume) a planned sweep into ``folder`` and return its table."""
    started = time.perf_counter()
    checkpoints = Checkpoints(folder, sweep.fingerprint())
    execute(sweep, checkpoints, workers=workers, client=client, progress=progress)
    backend = "dask" if client is not None else "local processes"
    info = describe(sweep, time.perf_counter() - started, backend, workers)
    return finish_sweep(sweep, checkpoints, folder, fmt, info, figures)
