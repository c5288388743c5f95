"""A value written outside its own ``uncertain:`` range is said, not sampled over silently.

The test world is tests/test_sensitivity.py's: Japan cut off all 40 days, its demand
uncertain on [5, 15] t/day and its stock on [0, 100] t. Written as 150 t, the stock lies
outside its range: the single run uses 150 t, every sample of a study 0 to 100 t. Each
command that loads the scenario says so on standard error and still exits 0; the files a
study writes carry it (``as_written_outside_range``: sensitivity.json's inputs here, a run's
manifest in tests/test_outside_range_in_manifest_s61.py).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from simulator.scenario import load_scenario
from simulator.scenario.schema import UncertainLogNormal, UncertainUniform, UncertainValues
from simulator.scenario.uncertain import Input, inputs_of
from tests.helpers import TWO_MEMBERS, build, invoke
from tests.test_sensitivity import SHORT, write

ROOT = Path(__file__).resolve().parent.parent
STOCK = "regions.japan.commercial_stock.ree.tonnes"
OUTSIDE = build(SHORT, regions__japan__commercial_stock__ree__tonnes=150)
NOTE = (
    f"note: s.yaml: {STOCK}: 150 as written lies outside its own uncertain: range (uncertain.1, stock): "
    "the uncertainty study samples 0 to 100, so no sample holds the value as written; "
    "widen the range or fix the value"
)


def notes(result) -> list[str]:
    """The ``note:`` lines on standard error that name a value outside its range, the folder left out of the file."""
    lines = result.stderr.splitlines()
    return [line.replace(f"{Path(line.split(': ')[1]).parent}/", "") for line in lines if "as written lies" in line]


def test_validate_says_which_value_lies_outside_its_range_and_exits_0(tmp_path):
    result = invoke("validate", write(tmp_path, OUTSIDE))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("s.yaml: ok\n")
    assert notes(result) == [NOTE]


@pytest.mark.parametrize("stock_t", [50, 0, 100])  # inside, and each end of [0, 100]
def test_a_value_inside_its_range_or_on_an_end_gets_no_note(tmp_path, stock_t):
    result = invoke("validate", write(tmp_path, build(SHORT, regions__japan__commercial_stock__ree__tonnes=stock_t)))
    assert result.exit_code == 0 and notes(result) == []


def test_run_says_it_with_and_without_uncertainty_and_a_set_value_is_not_the_one_written(tmp_path):
    path = write(tmp_path, OUTSIDE)
    single = invoke("run", path, "--no-plots", "-o", tmp_path / "one")
    assert single.exit_code == 0 and notes(single) == [NOTE]
    study = invoke("run", path, "--no-plots", "--uncertainty", 4, "-o", tmp_path / "four")
    assert study.exit_code == 0 and notes(study) == [NOTE]
    fixed = invoke("run", path, "--no-plots", "--set", f"{STOCK}=150", "-o", tmp_path / "set")
    assert fixed.exit_code == 0 and notes(fixed) == []  # --set gave it: not the value written
    widened = invoke("run", path, "--no-plots", "--set", "uncertain.1.high=200", "-o", tmp_path / "wide")
    assert widened.exit_code == 0 and notes(widened) == []  # 150 lies in [0, 200]


def test_sensitivity_says_it_and_its_json_marks_that_input_only(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path, OUTSIDE), "--method", "morris", "--samples", 2, "-o", out)
    assert result.exit_code == 0, result.output
    assert notes(result) == [NOTE]
    inputs = json.loads((out / "sensitivity.json").read_text())["inputs"]
    assert {i["path"]: i["as_written_outside_range"] for i in inputs} == {
        "regions.japan.demand.ree.tonnes_per_day": False,
        STOCK: True,
        "materials.ree.holding_cost_usd_per_t_year": False,
    }


def test_sensitivity_with_input_says_it_only_of_an_input_it_varies(tmp_path):
    path = write(tmp_path, OUTSIDE)
    demand = "regions.japan.demand.ree.tonnes_per_day"
    other = invoke("sensitivity", path, "--method", "morris", "--samples", 2, "--input", demand, "-o", tmp_path / "a")
    assert other.exit_code == 0, other.output
    assert notes(other) == []  # every sample holds the stock as written:
    samples = pd.read_parquet(tmp_path / "a" / "samples.parquet")
    assert list(samples["shortfall_t.japan"]) == pytest.approx(list(40 * samples[demand] - 150))  # 40 days cut off
    varied = invoke("sensitivity", path, "--method", "morris", "--samples", 2, "--input", STOCK, "-o", tmp_path / "b")
    assert varied.exit_code == 0, varied.output
    assert notes(varied) == [NOTE]


def test_compare_and_sweep_say_it_but_not_for_a_swept_path(tmp_path):
    stock = {"path": STOCK, "low": 0, "high": 100, "source": "test", "label": "stock"}
    pair = build(TWO_MEMBERS, regions__japan__commercial_stock__ree__tonnes=150, uncertain=[stock])
    compared = invoke(
        "compare", write(tmp_path, pair), "--mechanisms", "fair_ratio", "--no-plots", "-o", tmp_path / "c"
    )
    assert compared.exit_code == 0, compared.output
    assert notes(compared) == [NOTE.replace("uncertain.1", "uncertain.0")]  # its one entry
    path = write(tmp_path, OUTSIDE)
    other = invoke(
        "sweep", path, "--grid", "regions.japan.demand.ree.tonnes_per_day=5,15", "--no-plots", "-o", tmp_path / "s"
    )
    assert other.exit_code == 0 and notes(other) == [NOTE]
    swept = invoke("sweep", path, "--grid", f"{STOCK}=0,150", "--no-plots", "-o", tmp_path / "t")
    assert swept.exit_code == 0 and notes(swept) == []


def uniform(low, high):
    return UncertainUniform(path="x", source="test", low=low, high=high)


def test_a_date_is_set_against_day_numbers_from_the_start_date():
    start = dt.date(2010, 1, 1)
    assert Input(uniform(10, 20), dt.date(2010, 1, 25), start).as_written_outside_range  # day 24 > 20
    assert not Input(uniform(10, 20), dt.date(2010, 1, 15), start).as_written_outside_range  # day 14
    assert Input(uniform(dt.date(2010, 1, 11), dt.date(2010, 1, 21)), 24, start).as_written_outside_range


def test_a_lognormal_is_sampled_between_its_tenth_of_a_percent_points():
    # mean 120, sd 60: sigma^2 = ln 1.25 = 0.2231, mu = ln 120 - 0.1116 = 4.6759; z(99.9%) = 3.0902,
    # so the samples lie in exp(4.6759 -+ 3.0902 x 0.4724) = 24.9 to 462
    entry = UncertainLogNormal(path="x", source="test", distribution="lognormal", mean=120, sd=60)
    assert [Input(entry, v).as_written_outside_range for v in (24, 26, 460, 465)] == [True, False, False, True]


def test_a_discrete_value_none_of_the_set_is_outside():
    entry = UncertainValues(path="x", source="test", values=["held", "lost"])
    assert Input(entry, "kept").as_written_outside_range and not Input(entry, "lost").as_written_outside_range


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_no_shipped_scenario_writes_a_value_outside_its_own_range(path):
    outside = [item.path for item in inputs_of(load_scenario(path)) if item.as_written_outside_range]
    assert outside == []
