"""sensitivity.json and sensitivity.csv carry what a paper needs: the intervals' level and
resamples, each input's range as fields, and the metric's unit.

The test world is tests/test_sensitivity.py's: shortfall ``40 x demand - stock`` t, demand
uniform on [5, 15] t/day, stock on [0, 100] t; Morris' mu_star of demand is 400 t.
"""

from __future__ import annotations

import datetime as dt
import json
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from simulator.scenario.schema import UncertainLogNormal, UncertainTriangular, UncertainUniform, UncertainValues
from simulator.scenario.uncertain import Input
from simulator.sensitivity import indices
from tests.helpers import invoke
from tests.test_sensitivity import write


def test_the_json_records_the_intervals_level_resamples_ranges_and_units(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path), "--samples", 2, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sensitivity.json").read_text())
    assert info["confidence_level"] == 0.95 and info["bootstrap_resamples"] == 1000
    assert info["metric_units"] == {"total_shortfall_t": "t", "shortfall_t.japan": "t"}
    demand, stock, holding = info["inputs"]
    # the declared ranges, as numbers; the words kept beside them
    assert demand | {"source": None} == {
        "path": "regions.japan.demand.ree.tonnes_per_day",
        "label": "demand",
        "range": "5 to 15",
        "distribution": "uniform",
        "low": 5,
        "high": 15,
        "source": None,
        "as_written_outside_range": False,
    }
    assert (stock["low"], stock["high"], holding["low"], holding["high"]) == (0, 100, 100, 900)
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf", "label", "metric_unit"]
    assert set(table["metric_unit"]) == {"t"}


def test_morris_effects_are_in_the_unit_the_csv_names(tmp_path):
    out = tmp_path / "out"
    args = ("--method", "morris", "--samples", 4, "--metric", "shortfall_t.japan", "--workers", 1)
    result = invoke("sensitivity", write(tmp_path), *args, "--metric", "first_shortfall_day.japan", "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False)
    rows = table.set_index(["metric", "label"])
    # 40 days x the 10 t/day demand range: 400 t, in the metric_unit column's t
    assert rows.loc[("shortfall_t.japan", "demand"), "mu_star"] == pytest.approx(400)
    assert rows.loc[("shortfall_t.japan", "demand"), "metric_unit"] == "t"
    assert set(table.loc[table["metric"] == "first_shortfall_day.japan", "metric_unit"]) == {"day"}
    info = json.loads((out / "sensitivity.json").read_text())
    assert info["metric_units"] == {"shortfall_t.japan": "t", "first_shortfall_day.japan": "day"}


def range_fields(entry, current):
    return Input(entry, current).range_fields()


def test_each_distribution_gives_its_parameters_as_fields():
    tri = UncertainTriangular(path="x", source="s", distribution="triangular", low=2, mode=5, high=9)
    assert range_fields(tri, 4.0) == {"distribution": "triangular", "low": 2, "high": 9, "mode": 5}
    # a lognormal of mean 120, sd 60: log-sd sqrt(ln 1.25) = 0.4724, log-mean ln 120 - ln(1.25)/2
    # = 4.6759; sampled between its 0.1% and 99.9% points (z = 3.0902), which are its low and high:
    # exp(4.6759 - 3.0902 x 0.4724) = exp(3.2161) = 24.93 and exp(4.6759 + 1.4598) = 462.1, to 0.1%
    log = UncertainLogNormal(path="x", source="s", distribution="lognormal", mean=120, sd=60)
    fields = range_fields(log, 100.0)
    assert fields["distribution"] == "lognormal" and (fields["mean"], fields["sd"]) == (120, 60)
    assert fields["low"] == pytest.approx(24.93, rel=1e-3)
    assert fields["high"] == pytest.approx(462.1, rel=1e-3)
    dates = UncertainUniform(path="x", source="s", low="2010-09-08", high="2010-10-20")
    assert range_fields(dates, dt.date(2010, 9, 8)) == {
        "distribution": "uniform",
        "low": dt.date(2010, 9, 8),
        "high": dt.date(2010, 10, 20),
    }
    assert json.dumps(range_fields(dates, dt.date(2010, 9, 8)), default=str) == (
        '{"distribution": "uniform", "low": "2010-09-08", "high": "2010-10-20"}'
    )
    words = UncertainValues(path="x", source="s", values=["held", "lost"])
    assert range_fields(words, "held") == {
        "distribution": "discrete",
        "low": None,
        "high": None,
        "values": ["held", "lost"],
    }
    numbers = UncertainValues(path="x", source="s", values=[0.98, 0.9, 0.95])
    assert range_fields(numbers, 0.9) == {
        "distribution": "discrete",
        "low": 0.9,
        "high": 0.98,
        "values": [0.98, 0.9, 0.95],
    }


def test_the_recorded_confidence_level_is_the_one_the_intervals_use(monkeypatch):
    """A 50% interval is narrower than a 95% one from the same bootstrap: the constant reaches SALib."""
    unit = indices.sample("sobol", 64, 2, seed=1)
    y = 3 * unit[:, 0] + unit[:, 1] ** 2
    at_95 = indices.analyse("sobol", unit, y, seed=1)["ST_conf"]
    monkeypatch.setattr(indices, "CONFIDENCE_LEVEL", 0.5)
    at_50 = indices.analyse("sobol", unit, y, seed=1)["ST_conf"]
    # the same resamples: half-widths scale by z(0.75) / z(0.975)
    ratio = NormalDist().inv_cdf(0.75) / NormalDist().inv_cdf(0.975)
    assert np.allclose(at_50, at_95 * ratio, rtol=1e-9)
