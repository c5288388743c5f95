"""stockpile sensitivity: Sobol' and Morris indices against hand-worked linear models, files, bad input.

The test world: one region short of everything from day 0 (a permanent embargo, no
stock in transit), so over the 40-day horizon its shortfall is exactly
``40 * demand - stock``. With demand uniform on [5, 15] t/day and stock uniform on
[0, 100] t the shortfall is linear in both: variances 40^2 * 10^2 / 12 and 100^2 / 12, so
demand's share is 160,000 / 170,000 = 0.941 and stock's 0.059 (no interaction, S1 = ST),
and a holding cost changes no shortfall (ST exactly 0). Over each input's whole range the
shortfall moves by 40 * 10 = 400 t (demand) and 100 t (stock): Morris' mu_star.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.errors import InputError
from simulator.sensitivity import analyse_study, check_samples, plan_study
from simulator.sensitivity.indices import analyse, sample
from simulator.sensitivity.words import day_values
from tests.helpers import ONE_REGION, build, invoke, manifest_of, no_traceback, pool_processes, run

SHORT = build(
    ONE_REGION,
    regions__japan__commercial_stock__ree__tonnes=50,
    materials__ree__holding_cost_usd_per_t_year=500,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
    uncertain=[
        {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test", "label": "demand"},
        {
            "path": "regions.japan.commercial_stock.ree.tonnes",
            "low": 0,
            "high": 100,
            "source": "test",
            "label": "stock",
        },
        {"path": "materials.ree.holding_cost_usd_per_t_year", "low": 100, "high": 900, "source": "assumption"},
    ],
)
DEMAND_SHARE = 40**2 * 10**2 / (40**2 * 10**2 + 100**2)


def write(tmp_path: Path, data=SHORT) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_the_test_world_is_short_by_forty_days_of_demand_less_its_stock():
    assert run(SHORT).metrics["total_shortfall_t"] == pytest.approx(40 * 10 - 50)


# --- the indices on functions known in closed form -----------------------------------------------


def test_sobol_indices_of_a_linear_function_are_its_variance_shares():
    unit = sample("sobol", 1024, 3, seed=1)
    y = unit[:, 0] + 2 * unit[:, 1]  # variances 1/12 and 4/12; the third input does nothing
    found = analyse("sobol", unit, y, seed=1)
    assert found["S1"] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert found["ST"] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert found["ST"][2] == 0.0  # f(A) and f(A with x2 from B) agree exactly
    assert (found["ST_conf"] > 0).all() or found["ST_conf"][2] == 0


def test_confidence_intervals_are_reproducible_from_the_seed_zero_included():
    unit = sample("sobol", 16, 3, seed=0)
    y = unit[:, 0] + 2 * unit[:, 1]
    first, again = analyse("sobol", unit, y, seed=0), analyse("sobol", unit, y, seed=0)
    assert first["S1_conf"].tolist() == again["S1_conf"].tolist()
    assert first["ST_conf"].tolist() == again["ST_conf"].tolist()


def test_morris_effects_of_a_linear_function_are_its_slopes_over_the_whole_range():
    unit = sample("morris", 20, 2, seed=1)
    found = analyse("morris", unit, 3 * unit[:, 0] - 5 * unit[:, 1], seed=1)
    assert found["mu_star"] == pytest.approx([3.0, 5.0])
    assert found["mu"] == pytest.approx([3.0, -5.0])
    assert found["sigma"] == pytest.approx([0.0, 0.0], abs=1e-12)


def test_a_metric_that_never_changes_has_no_indices():
    unit = sample("sobol", 8, 2, seed=1)
    assert np.isnan(analyse("sobol", unit, np.zeros(len(unit)), seed=1)["ST"]).all()


# --- a study on the test world --------------------------------------------------------------------


def test_sobol_on_the_model_attributes_the_shortfall_to_demand_and_stock_and_none_to_the_holding_cost():
    study = plan_study(SHORT, "s.yaml", ["total_shortfall_t"], fixed=())
    found = analyse_study(study, "sobol", 256)
    rows = found.table.set_index("parameter")
    assert rows.loc["regions.japan.demand.ree.tonnes_per_day", "S1"] == pytest.approx(DEMAND_SHARE, abs=0.05)
    assert rows.loc["regions.japan.commercial_stock.ree.tonnes", "ST"] == pytest.approx(1 - DEMAND_SHARE, abs=0.02)
    assert rows.loc["materials.ree.holding_cost_usd_per_t_year", "ST"] == 0.0
    assert found.table["parameter"].iloc[0] == "regions.japan.demand.ree.tonnes_per_day"  # ranked by ST


def test_morris_on_the_model_gives_the_shortfall_per_whole_range_of_each_input():
    study = plan_study(SHORT, "s.yaml", ["total_shortfall_t", "holding_cost_usd.japan"], fixed=())
    found = analyse_study(study, "morris", 4)
    rows = found.table.set_index(["metric", "parameter"])
    assert rows.loc[("total_shortfall_t", "regions.japan.demand.ree.tonnes_per_day"), "mu_star"] == pytest.approx(400)
    assert rows.loc[("total_shortfall_t", "regions.japan.commercial_stock.ree.tonnes"), "mu_star"] == pytest.approx(100)
    assert rows.loc[("total_shortfall_t", "materials.ree.holding_cost_usd_per_t_year"), "mu_star"] == 0.0
    # no strategic stock to hold: the holding cost is 0 in every run, so nothing to attribute
    assert rows.loc["holding_cost_usd.japan"]["mu_star"].isna().all()


def test_each_sample_is_the_run_of_the_scenario_with_its_values(tmp_path):
    study = plan_study(SHORT, "s.yaml", ["total_shortfall_t"], fixed=())
    found = analyse_study(study, "morris", 2)
    row = found.samples.iloc[3]
    data = build(
        SHORT,
        regions__japan__demand__ree__tonnes_per_day=float(row["regions.japan.demand.ree.tonnes_per_day"]),
        regions__japan__commercial_stock__ree__tonnes=float(row["regions.japan.commercial_stock.ree.tonnes"]),
        materials__ree__holding_cost_usd_per_t_year=float(row["materials.ree.holding_cost_usd_per_t_year"]),
    )
    assert run(data, seed=int(row["seed"])).metrics["total_shortfall_t"] == row["total_shortfall_t"]


# --- the command ----------------------------------------------------------------------------------


def test_cli_writes_indices_chart_samples_and_description_and_prints_the_top_drivers(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path), "--samples", 64, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    assert "top drivers:\n  Total shortfall (t): demand (ST " in result.output
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf", "label", "metric_unit"]
    assert list(table["metric"].unique()) == ["total_shortfall_t", "shortfall_t.japan"]  # the defaults here
    assert len(table) == 2 * 3
    samples = pd.read_parquet(out / "samples.parquet")
    assert len(samples) == 64 * (3 + 2)
    info = json.loads((out / "sensitivity.json").read_text())
    assert info["runs"] == 320 and info["method"] == "sobol" and len(info["inputs"]) == 3
    manifest = manifest_of(out)
    assert {"sensitivity.csv", "sensitivity.png", "samples.parquet", "sensitivity.json"} <= set(manifest["files"])


def test_cli_morris_columns(tmp_path):
    out = tmp_path / "out"
    args = ("--method", "morris", "--samples", 3, "--metric", "shortfall_t.japan", "--workers", 1)
    result = invoke("sensitivity", write(tmp_path), *args, "-o", out)
    assert result.exit_code == 0, result.output
    columns = list(pd.read_csv(out / "sensitivity.csv").columns)
    assert columns == ["metric", "parameter", "mu_star", "mu_star_conf", "sigma", "mu", "label", "metric_unit"]


def test_forty_workers_on_six_runs_start_six_processes_and_change_no_number(tmp_path, monkeypatch):
    """--workers 40 once started 40 processes for any study; one input, 2 samples: 2 x (1 + 2) = 6 runs."""
    args = ("--input", "regions.japan.demand.ree.tonnes_per_day", "--samples", 2)
    alone = invoke("sensitivity", write(tmp_path), *args, "--workers", 1, "-o", tmp_path / "one")
    assert alone.exit_code == 0, alone.output
    started = pool_processes(monkeypatch)
    forty = invoke("sensitivity", write(tmp_path), *args, "--workers", 40, "-o", tmp_path / "forty")
    assert forty.exit_code == 0, forty.output
    assert started == [6]  # a chunk per run (about four per worker asked for), a process per chunk
    for name in ("samples.parquet", "sensitivity.csv"):
        assert (tmp_path / "forty" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        ({**SHORT, "uncertain": []}, (), "uncertain: the scenario declares no uncertain inputs"),
        (SHORT, ("--metric", "shortfal_t.japan"), "'shortfal_t.japan' is not a per-run metric"),
        (SHORT, ("--metric", "shortfall_t.china"), "did you mean"),
        (SHORT, ("--samples", 100), "Sobol' sampling needs a power of two, got 100 (try 64 or 128)"),
        (SHORT, ("--samples", 0), "--samples: must be at least 1"),
        (
            build(SHORT, uncertain=[{"path": "shocks.halt.severity", "low": 0.5, "high": 1.5, "source": "x"}]),
            (),
            "uncertain.0: shocks.halt.severity=1.5 is not valid",
        ),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(tmp_path, data, args, message):
    options = ("--samples", 8, *args) if "--samples" not in args else args
    result = invoke("sensitivity", write(tmp_path, data), *options, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert message in result.output and no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_sample_counts():
    assert check_samples("sobol", 512, 8) == 5120
    assert check_samples("morris", 10, 8) == 90
    with pytest.raises(InputError, match="Morris needs at least 2"):
        check_samples("morris", 1, 8)
    # one base sample is a power of two, but its indices were noise with an interval of 0
    with pytest.raises(InputError, match="Sobol' needs at least 2 base samples"):
        check_samples("sobol", 1, 8)
    assert check_samples("sobol", 2, 8) == 20


def test_a_study_over_the_run_limit_is_refused_with_its_methods_own_count():
    """Morris costs N x (inputs + 1) runs: the message said + 2 beside the right total (300,000 x 37)."""
    assert check_samples("morris", 270_270, 36) == 9_999_990  # 270,270 x 37: within 10,000,000
    with pytest.raises(InputError) as caught:
        check_samples("morris", 300_000, 36)
    assert str(caught.value) == "--samples: 300,000 x (36 inputs + 1) = 11,100,000 runs, more than 10,000,000"
    assert check_samples("sobol", 2**18, 36) == 9_961_472  # 262,144 x 38
    with pytest.raises(InputError) as caught:
        check_samples("sobol", 2**19, 36)
    assert str(caught.value) == "--samples: 524,288 x (36 inputs + 2) = 19,922,944 runs, more than 10,000,000"


def test_input_keeps_only_the_inputs_named_and_the_others_at_the_scenario_value(tmp_path):
    study = plan_study(
        SHORT, "s.yaml", ["total_shortfall_t"], only=["regions.japan.demand.ree.tonnes_per_day"], fixed=()
    )
    assert study.paths == ["regions.japan.demand.ree.tonnes_per_day"]
    found = analyse_study(study, "morris", 2)
    # stock stays at the scenario's 50 t: shortfall = 40 x demand - 50 in every run
    assert np.allclose(found.samples["total_shortfall_t"], 40 * found.samples.iloc[:, 0] - 50)
    result = invoke("sensitivity", write(tmp_path), "--samples", 8, "--input", "shocks.halt.end", "-o", tmp_path / "o")
    assert result.exit_code == 2
    assert "--input: 'shocks.halt.end' is not an uncertain input of the scenario" in result.output


# --- day metrics whose -1 means never --------------------------------------------------------------

FIRST = "first_shortfall_day.japan"


def test_never_counted_after_the_horizon_not_as_day_minus_one_changes_which_input_drives_the_first_day():
    """Two causes of a shortfall: ``a`` makes the region short on day 10, ``b`` on day 360 of a
    365-day horizon; the first day short is the earlier, never (-1) when neither acts. Each
    input acts in half of the cube, so the four cells are equally likely:

    ====  ====  =========  ================
    a     b     as filed   never as day 365
    ====  ====  =========  ================
    no    no    -1         365
    yes   no    10         10
    no    yes   360        360
    yes   yes   10         10
    ====  ====  =========  ================

    Filed: E[y|a] = 179.5 or 10, E[y|b] = 4.5 or 185, Var y = 23,472.7, so S1(a) =
    (169.5 / 2)^2 / 23,472.7 = 0.306 and S1(b) = (180.5 / 2)^2 / 23,472.7 = 0.347; with two
    inputs ST(a) = 1 - S1(b) = 0.653 < ST(b) = 0.694: ``b``, which only moves "never" to 5
    days before the horizon, would rank first. After the horizon: E[y|a] = 362.5 or 10,
    E[y|b] = 187.5 or 185, Var y = 31,067.2: S1(a) = 31,064.1 / 31,067.2 = 0.9999 and
    S1(b) = 1.6 / 31,067.2 = 0.00005: ``a``, which decides an early shortfall, is the driver.
    """
    unit = sample("sobol", 4096, 2, seed=1)
    first = pd.Series(np.where(unit[:, 0] >= 0.5, 10, np.where(unit[:, 1] >= 0.5, 360, -1)))
    filed = analyse("sobol", unit, first.to_numpy(float), seed=1)
    assert filed["S1"] == pytest.approx([0.306, 0.347], abs=0.01)
    assert filed["ST"] == pytest.approx([0.653, 0.694], abs=0.01)
    counted = analyse("sobol", unit, day_values(first, FIRST, 365).to_numpy(float), seed=1)
    assert counted["S1"] == pytest.approx([1.0, 0.0], abs=0.01)
    assert counted["ST"] == pytest.approx([1.0, 0.0], abs=0.01)
    # a metric that is not a day keeps its -1 (a quantity may be negative)
    assert day_values(first, "total_shortfall_t", 365).tolist() == first.tolist()


def half_short() -> dict:
    """The test world with stock 0-600 t: short (when 40 x demand > stock, demand 5-15 t/day) in about half the runs."""
    data = yaml.safe_load(yaml.safe_dump(SHORT))
    data["uncertain"][1]["high"] = 600
    return data


def test_the_study_computes_a_first_day_s_indices_with_never_after_the_horizon_and_says_so(tmp_path):
    study = plan_study(half_short(), "s.yaml", [FIRST, "total_shortfall_t"], fixed=())
    found = analyse_study(study, "sobol", 64)
    filed = found.samples[FIRST]
    never = int((filed == -1).sum())
    assert 0.2 * len(filed) < never < 0.8 * len(filed)  # samples.parquet keeps -1: the files' "never"
    assert filed[filed >= 0].between(0, 39).all()
    unit = sample("sobol", 64, 3, study.root_seed)
    counted = filed.where(filed >= 0, 40).to_numpy(float)  # the horizon: 40 days, days 0 to 39
    expected = analyse("sobol", unit, counted, study.root_seed)
    rows = found.table[found.table["metric"] == FIRST].set_index("parameter").loc[study.paths]
    assert rows["ST"].to_numpy() == pytest.approx(expected["ST"])
    assert rows["S1"].to_numpy() == pytest.approx(expected["S1"])
    as_filed = analyse("sobol", unit, filed.to_numpy(float), study.root_seed)
    assert not np.allclose(rows["S1"].to_numpy(), as_filed["S1"])
    assert found.info["never_runs"] == {FIRST: never}  # only the day metric
    assert found.info["never_as_day"] == 40
    assert found.info["nonzero_runs"][FIRST] == len(filed) - never
    # the terminal says it too
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path, half_short()), "--samples", 64, "--metric", FIRST, "-o", out)
    assert result.exit_code == 0, result.output
    expected_line = (
        f"  First day short, Japan (day), never in {never} of 320 runs, counted as day 40, after the horizon: "
    )
    assert expected_line in result.output
    assert json.loads((out / "sensitivity.json").read_text())["never_runs"] == {FIRST: never}
