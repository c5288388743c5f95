"""The model values of a calibration (``fit.csv``'s ``model``) are the model's own float64
numbers, not sums of float32 copies of its daily curves (about seven significant digits:
a stock of 185.596663... was written 185.59666442871094, a float32).

The scenario is worked out by hand: one region, Japan, 10 t a day of demand met by 10 t a
day from China and 100 t of stock; from day 20 China's quota is cut by 37%, so 6.3 t
arrive (from day 25, after the 5 days in transit) and the stock falls by 3.7 t a day:
100 - 3.7 x 6 = 77.8 t at the end of day 30 (1 Jan 2020 is day 0). 3.7 has no exact
binary form, so the float64 stock and its float32 copy differ in the 7th digit.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.calibrate import read_record, scenario_values
from simulator.cli import main
from simulator.engine import simulate
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import build
from tests.test_calibrate import HEADER, MARKET_WORLD

CUT = build(
    MARKET_WORLD,
    shocks=[{"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 20, "end": 80, "severity": 0.37}],
)
ROWS = (
    "2020-01-31,stocks,japan,ree,,day,70,1\n"  # the stock at the end of day 30
    "2020-03-01,price,world,ree,,month,80,1\n"  # the mean world price over March (days 60-90)
)


def _reference(data: dict) -> tuple[float, float]:
    """Day 30's stock and March's mean world price from the SimPy reference engine (float64 throughout)."""
    result = simulate(validate_data(data, "cut.yaml"))
    ts = result.timeseries
    stock = ts.loc[(ts["region"] == "japan") & (ts["day"] == 30), "commercial_stock_t"]
    march = result.market.loc[result.market["day"].between(60, 90), "world_price_usd_per_kg"]
    return float(stock.iloc[0]), float(march.mean())


def test_the_reference_stock_is_the_hand_worked_one_and_not_a_float32():
    stock, _ = _reference(CUT)
    assert stock == pytest.approx(100 - 3.7 * 6, abs=1e-9)
    assert float(np.float32(stock)) != stock  # the difference the model values must not carry


def test_a_model_value_is_the_models_float64_number(tmp_path: Path):
    scenario = validate_data(CUT, "cut.yaml")
    (tmp_path / "record.csv").write_text(HEADER + ROWS)
    record = read_record(tmp_path / "record.csv", scenario)
    stock, price = scenario_values(record, [scenario])[0]
    reference_stock, reference_price = _reference(CUT)
    assert stock == reference_stock  # the fast path's stock, to the bit (as the sweep table's numbers)
    assert price == pytest.approx(reference_price, rel=1e-13)  # summed in another order than pandas' mean
    # the float32 copies the curves of a sweep keep would be off in the 7th to 8th digit
    kept = run_batch(stack_plans([compile_plan(scenario)]), draw_batch([compile_plan(scenario)], [scenario.seed]), True)
    assert kept.curves is not None and kept.curves["shortfall_t"].dtype == np.float32


def test_fit_csv_writes_the_model_values_in_full(tmp_path: Path):
    scenario = tmp_path / "cut.yaml"
    scenario.write_text(yaml.safe_dump(CUT, sort_keys=False))
    (tmp_path / "record.csv").write_text(HEADER + ROWS)
    args = ["calibrate", str(scenario), "--record", str(tmp_path / "record.csv")]
    args += ["--fit", "market.ree.price.sensitivity=0.5:8", "--population", "4", "--iterations", "1"]
    done = CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    fitted = json.loads((tmp_path / "out" / "calibration.json").read_text())["parameters"][0]["fitted"]
    fit = pd.read_csv(tmp_path / "out" / "fit.csv")  # pandas 3 reads floats back exactly
    # the scenario with the fitted sensitivity, on the reference engine
    reference_stock, reference_price = _reference(build(CUT, market__ree__price__sensitivity=fitted))
    assert fit["model"][0] == reference_stock == pytest.approx(77.8, abs=1e-9)
    assert fit["model"][1] == pytest.approx(reference_price, rel=1e-13)
    # model over record, by hand: ln(77.8 / 70) = ln(1.1114286) = ln(1.1) + ln(1.0103896) = 0.0953102 + 0.0103360
    assert fit["log_error"][0] == pytest.approx(0.1056462, abs=1e-7)
