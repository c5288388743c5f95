"""Writing a run's outputs: all files or none, never a half-written folder.

Layer: studies.

Files are first written into a staging folder beside the target; only when every file
is complete are they moved into the target folder, one atomic rename each. Output
files of an earlier run that this run does not write are then removed (a folder never
mixes two runs); other files in the target are left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.quantities import AGREEMENT_SUMMARY, SUMMARY
from simulator.results import ALL, Result
from simulator.scenario import scenario_hash
from simulator.version import __version__


def check_writable(folder: Path) -> None:
    """Fail early (exit 2) when ``folder`` cannot be created or written; leave nothing behind."""
    created = []
    try:
        for parent in [*reversed(folder.parents), folder]:
            if not parent.exists():
                parent.mkdir()
                created.append(parent)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
        for path in reversed(created):
            path.rmdir()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot write to output folder: {reason}", str(folder)) from None


RUN_FILES = frozenset(
    {
        "timeseries.csv",
        "summary.csv",
        "summary.json",
        "supply.csv",
        "shocks.csv",
        "portfolio.csv",
        "pool.csv",
        "releases.csv",
        "auctions.csv",
        "manifest.json",
        "scenario.json",
        "days_of_cover.png",
        "shortfall.png",
        "supply_mix.png",
        "report.html",
        "workbook.xlsx",
    }
)
"""Every file ``stockpile run`` may write (those this run does not write are removed)."""


@contextmanager
def staged(folder: Path, replaces: frozenset[str] = frozenset()) -> Iterator[Path]:
    """A staging folder whose files move into ``folder`` when the block succeeds.

    Files named in ``replaces`` that the block did not write are removed from
    ``folder``, so that no output of an earlier run is left beside the new ones.
    """
    check_writable(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        yield stage
        written = {path.name for path in stage.iterdir()}
        for path in sorted(stage.iterdir()):
            os.replace(path, folder / path.name)
        for name in sorted(replaces - written):
            (folder / name).unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write outputs: {exc.strerror or exc}", str(folder)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def manifest(result: Result, engine: str) -> dict[str, Any]:
    """Package version, scenario hash, seed and time: what made this folder."""
    return {
        "package": "stockpile-simulator",
        "version": __version__,
        "scenario": result.scenario.name,
        "scenario_hash": scenario_hash(result.scenario),
        "seed": result.seed,
        "engine": engine,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def summary_json(result: Result) -> dict[str, Any]:
    """``summary.json``: a record per region and material plus agreement-wide figures."""
    table = result.summary.astype(object).where(result.summary.notna(), None)
    regional = table[table["region"] != ALL]
    overall = table[(table["region"] == ALL) & (table["material"] == ALL)].iloc[0]
    by_material = table[(table["region"] == ALL) & (table["material"] != ALL)]
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "records": [
            {"region": row["region"], "material": row["material"], **{q.name: row[q.name] for q in SUMMARY}}
            for _, row in regional.iterrows()
        ],
        "agreement": {q.name: overall[q.name] for q in AGREEMENT_SUMMARY},
        "by_material": {
            row["material"]: {q.name: row[q.name] for q in AGREEMENT_SUMMARY} for _, row in by_material.iterrows()
        },
        "metrics": result.metrics,
    }


def write_run(
    result: Result,
    folder: Path,
    engine: str = "reference",
    figures: Callable[[Result, Path], Any] | None = None,
    scenario_data: dict[str, Any] | None = None,
) -> list[Path]:
    """Write every output of a run into ``folder`` (see ``docs/outputs.md``)."""
    with staged(folder, replaces=RUN_FILES) as stage:
        result.timeseries.to_csv(stage / "timeseries.csv", index=False)
        result.summary.to_csv(stage / "summary.csv", index=False)
        result.supply.to_csv(stage / "supply.csv", index=False)
        result.shocks.to_csv(stage / "shocks.csv", index=False)
        result.portfolio.to_csv(stage / "portfolio.csv", index=False)
        if result.structure.members:
            result.pool.to_csv(stage / "pool.csv", index=False)
            result.releases.to_csv(stage / "releases.csv", index=False)
            result.auctions.to_csv(stage / "auctions.csv", index=False)
        (stage / "summary.json").write_text(json.dumps(summary_json(result), indent=2) + "\n")
        (stage / "scenario.json").write_text(
            json.dumps(scenario_data or result.scenario.model_dump(mode="json"), indent=2, default=str) + "\n"
        )
        if figures is not None:
            figures(result, stage)
        files = sorted([*(p.name for p in stage.iterdir()), "manifest.json"])
        (stage / "manifest.json").write_text(json.dumps({**manifest(result, engine), "files": files}, indent=2) + "\n")
        written = sorted(p.name for p in stage.iterdir())
    return [folder / name for name in written]
