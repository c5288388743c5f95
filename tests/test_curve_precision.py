"""``stockpile sweep --curves``: ``curves.parquet``'s percentiles are taken over daily values
kept as float32, and ``sweep.json`` says so instead of calling every output bit-identical.

One run of the calibration test's cut scenario (tests/test_calibrate_precision.py): Japan's
stock falls 3.7 t a day from day 25 to 77.8 t at the end of day 30, 7.78 days of its 10 t a
day. With one run the 5th, 50th and 95th percentiles are that run's value: the float32 of
the reference engine's float64 number, which differs from it in the 7th digit.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import simulate
from simulator.scenario import validate_data
from tests.test_calibrate_precision import CUT

STOCK = "regions.japan.commercial_stock.ree.tonnes"


def test_curves_parquet_holds_percentiles_of_float32_values_and_sweep_json_says_so(tmp_path: Path):
    scenario = tmp_path / "cut.yaml"
    scenario.write_text(yaml.safe_dump(CUT, sort_keys=False))
    out = tmp_path / "out"
    args = ["sweep", str(scenario), "--grid", f"{STOCK}=100", "--curves", "--no-plots", "--workers", "1"]
    done = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert done.exit_code == 0, done.output
    curves = pd.read_parquet(out / "curves.parquet")
    day30 = curves[(curves["metric"] == "days_of_cover") & (curves["day"] == 30)].iloc[0]
    ts = simulate(validate_data(CUT, "cut.yaml")).timeseries
    exact = float(ts.loc[(ts["region"] == "japan") & (ts["day"] == 30), "days_of_cover"].iloc[0])
    assert exact == pytest.approx(7.78, abs=1e-9)
    assert curves[["p5", "p50", "p95"]].dtypes.tolist() == [np.float64] * 3  # stored as doubles ...
    assert day30["p5"] == day30["p50"] == day30["p95"] == float(np.float32(exact))  # ... of float32 values
    assert day30["p50"] != exact and day30["p50"] == pytest.approx(exact, rel=1e-7)
    engine = json.loads((out / "sweep.json").read_text())["engine"]
    assert engine == (
        "batched fast path (the table bit-identical to the SimPy reference engine; curves.parquet's "
        "percentiles: of the daily values rounded to float32, about seven significant digits)"
    )
    table = pd.read_parquet(out / "sweep.parquet")  # the table's numbers are the reference engine's own
    assert table["min_days_of_cover.japan"].iloc[0] == ts.loc[ts["region"] == "japan", "days_of_cover"].min()
