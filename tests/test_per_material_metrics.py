"""Per-material metrics: totals over materials add unlike tonnes, so each material has its own columns.

The world: two regions, no agreement (the agreement-wide metrics count every region), an
embargo on all supply for the whole run (nothing arrives), 60 days. ``ree``: Japan 20 t/day
and the EU 80 t/day, no stock: both short every day, 1,200 t and 4,800 t. ``hree``: 10 t/day
each; Japan holds 300 t (30 days), the EU none: Japan is short on days 30-59 (300 t), the
EU on days 0-59 (600 t). Worked by hand:

- ``total_shortfall_t.all.ree`` = 1,200 + 4,800 = 6,000 t; ``total_shortfall_t.all.hree`` = 300 +
  600 = 900 t; ``total_shortfall_t`` = 6,900 t (tonnes of both added);
- shortfall shares: ``ree`` 1 and 1, so Jain 1 and gap 0; ``hree`` 0.5 and 1, so Jain
  (1.5)^2 / (2 x (0.25 + 1)) = 0.9 and gap 0.5; over both, Japan 1,500 / 1,800 = 5/6 and
  the EU 1: Jain (11/6)^2 / (2 x (25/36 + 1)) = 121/122.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from simulator import quantities
from simulator.docs_reference import outputs_reference
from simulator.frames import quantity_of
from simulator.gate.baseline import run_record
from simulator.output import summary_json
from simulator.scenario import validate_data
from simulator.sweep.columns import metric_title
from tests.helpers import ONE_REGION, TWO_MEMBERS, add_material, build, halt, invoke, run


def two_materials() -> dict:
    data = copy.deepcopy(TWO_MEMBERS)
    del data["agreement"]
    add_material(data, "hree", {"price_usd_per_kg": 150}, tonnes_per_day=10)
    data["regions"]["japan"]["commercial_stock"]["hree"] = {"tonnes": 300}
    return data


@pytest.fixture(scope="module")
def result():
    return run(two_materials())


def test_each_agreement_metric_has_a_column_per_material_with_the_hand_worked_values(result):
    m = result.metrics
    assert m["total_shortfall_t.all.ree"] == 6000.0
    assert m["total_shortfall_t.all.hree"] == 900.0
    assert m["total_shortfall_t"] == 6900.0  # the tonnes of both materials added
    assert m["fairness_jain.all.ree"] == 1.0
    assert m["fairness_jain.all.hree"] == pytest.approx(0.9, abs=1e-12)
    assert m["fairness_jain"] == pytest.approx(121 / 122, abs=1e-12)
    assert m["max_shortfall_share_gap.all.ree"] == 0.0
    assert m["max_shortfall_share_gap.all.hree"] == pytest.approx(0.5, abs=1e-12)
    for q in quantities.AGREEMENT_SUMMARY:
        assert f"{q.name}.all.ree" in m and f"{q.name}.all.hree" in m, q.name


def test_the_per_material_columns_are_summary_jsons_by_material_figures(result):
    doc = summary_json(result)
    for material, figures in doc["by_material"].items():
        for name, value in figures.items():
            assert doc["metrics"][f"{name}.all.{material}"] == value, (name, material)


def test_result_metrics_are_the_whole_sweep_row_and_baselines_keep_the_totals(result):
    # simulate(s).metrics is the run's row of a sweep table: the per-material breakdowns too
    assert result.metrics["total_shortfall_t"] == 6900.0
    assert result.metrics["total_shortfall_t.all.ree"] == 6000.0
    assert list(result.metrics) == quantities.sweep_metric_names(["japan", "eu"], ["ree", "hree"])
    # what `stockpile check` stores leaves out the columns that came later: the shipped baselines did not move
    left_out = {f"{q.name}.all.{m}" for q in quantities.AGREEMENT_SUMMARY for m in ("ree", "hree")}
    left_out |= {f"shortfall_days.{r}.{m}" for r in ("japan", "eu") for m in ("ree", "hree")}
    record = run_record(validate_data(two_materials()))
    assert set(result.metrics) - set(record["metrics"]) == left_out
    assert set(record["metrics"]) <= set(result.metrics)
    assert record["metrics"]["total_shortfall_t"] == 6900.0 and record["metrics"]["shortfall_t.japan.hree"] == 300.0


def test_the_api_run_and_simulate_give_the_same_metrics():
    from simulator import run as api_run
    from simulator import simulate as api_simulate

    scenario = validate_data(two_materials())
    simulated = api_simulate(scenario).metrics
    assert simulated == dict(api_run(scenario).metrics)
    assert simulated["shortfall_days.japan.hree"] == 30 and simulated["total_shortfall_t.all.hree"] == 900.0


def test_the_per_material_columns_come_after_the_totals_and_before_the_regions():
    names = quantities.sweep_metric_names(["japan", "eu"], ["ree", "hree"])
    n = len(quantities.AGREEMENT_SUMMARY)
    assert names[n : n + 2] == ["total_shortfall_t.all.ree", "fairness_jain.all.ree"]
    assert names[2 * n] == "total_shortfall_t.all.hree"
    assert names[3 * n].endswith(".japan")


def one_point_sweep(data: dict, folder: Path, days: int) -> pd.DataFrame:
    """The sweep table of a one-point sweep of ``data`` over ``days`` days (fast path, one worker) in ``folder``."""
    import yaml

    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = folder / "sweep"
    done = invoke("sweep", path, "--grid", f"horizon_days={days}", "--workers", 1, "--no-plots", "-o", out)
    assert done.exit_code == 0, done.output
    return pd.read_parquet(out / "sweep.parquet")


@pytest.fixture(scope="module")
def two_material_sweep(tmp_path_factory) -> pd.DataFrame:
    """The sweep table of a one-point sweep of ``two_materials()`` over 40 days (fast path, one worker)."""
    return one_point_sweep(build(two_materials(), horizon_days=40), tmp_path_factory.mktemp("two"), 40)


def test_a_sweep_table_has_the_per_material_totals(two_material_sweep):
    table = two_material_sweep
    # 40 days: ree 100 t/day x 40; hree Japan short on days 30-39 (100 t), the EU every day (400 t)
    assert table["total_shortfall_t.all.ree"].tolist() == [4000.0]
    assert table["total_shortfall_t.all.hree"].tolist() == [500.0]
    assert table["total_shortfall_t"].tolist() == [4500.0]


def test_the_outputs_reference_lists_per_material_agreement_metrics_and_says_totals_add_materials():
    page = outputs_reference().split("## Per-run metrics", 1)[1]
    row = next(line for line in page.splitlines() if line.startswith("| `total_shortfall_t` |"))
    assert "| yes |" in row and "total_shortfall_t.all.<material>" in row
    assert "(`<metric>.all.<material>`" in page


def test_a_per_material_agreement_column_is_titled_with_its_material_and_no_region():
    assert metric_title("total_shortfall_t.all.heavy_ree") == "Total shortfall, heavy rare earths (t)"
    assert metric_title("fairness_jain.all.light_ree") == "Fairness (Jain's index), light rare earths"


# --- days short over materials -------------------------------------------------------------------


def short_on_days_3_4_and_4() -> dict:
    """Japan, 5 days, nothing arrives, 10 t/day of each material: 30 t of ``ree`` lasts days 0-2
    (short on days 3 and 4), 40 t of ``b`` days 0-3 (short on day 4)."""
    data = build(ONE_REGION, horizon_days=5)
    data["shocks"] = [halt(start=-100, end=1000)]
    data["regions"]["japan"]["commercial_stock"]["ree"] = {"tonnes": 30}
    add_material(data, "b", {"price_usd_per_kg": 100})
    data["regions"]["japan"]["commercial_stock"]["b"] = {"tonnes": 40}
    return data


def test_a_region_short_of_a_on_days_3_4_and_of_b_on_day_4_was_short_on_2_days():
    result = run(short_on_days_3_4_and_4())  # the reference (SimPy) engine
    ts = result.timeseries
    assert ts.loc[ts["shortfall_t"] > 0, ["day", "material"]].values.tolist() == [[3, "ree"], [4, "ree"], [4, "b"]]
    m = result.metrics
    assert m["shortfall_days.japan.ree"] == 2
    assert m["shortfall_days.japan.b"] == 1
    assert m["shortfall_days.japan"] == 2  # days 3 and 4, each once: not the 3 the materials' counts add up to
    assert type(m["shortfall_days.japan"]) is int and type(m["shortfall_days.japan.b"]) is int
    assert not any(name.startswith("shortfall_days_any") for name in m)


def test_the_fast_path_counts_the_same_2_days(tmp_path):
    table = one_point_sweep(short_on_days_3_4_and_4(), tmp_path, 5)
    assert table["shortfall_days.japan.ree"].tolist() == [2]
    assert table["shortfall_days.japan.b"].tolist() == [1]
    assert table["shortfall_days.japan"].tolist() == [2]
    assert table["shortfall_days.japan"].dtype == "int64"


def test_a_regions_days_short_never_exceed_the_horizon(result):
    # 60 days. Japan: ree days 0-59 and hree days 30-59; the EU: both every day (120 material-days)
    m = result.metrics
    assert (m["shortfall_days.japan.ree"], m["shortfall_days.japan.hree"]) == (60, 30)
    assert (m["shortfall_days.eu.ree"], m["shortfall_days.eu.hree"]) == (60, 60)
    assert (m["shortfall_days.japan"], m["shortfall_days.eu"]) == (60, 60)


def test_a_sweep_counts_a_regions_days_short_once_on_the_fast_path(two_material_sweep):
    table = two_material_sweep
    # 40 days: Japan short of ree every day and of hree on days 30-39; the EU of both every day
    assert table["shortfall_days.japan.hree"].tolist() == [10]
    assert table["shortfall_days.japan"].tolist() == [40]
    assert table["shortfall_days.eu"].tolist() == [40]
    assert table["shortfall_days.eu"].dtype == "int64"
    assert not any(column.startswith("shortfall_days_any") for column in table.columns)


def test_the_outputs_reference_says_a_regions_days_short_count_each_day_once():
    page = outputs_reference().split("## Per-run metrics", 1)[1].split("## The middle layer", 1)[0]
    row = next(line for line in page.splitlines() if line.startswith("| `shortfall_days` |"))
    assert "| distinct days | yes |" in row and "each day once" in row and "at most the horizon" in row
    assert "shortfall_days_any" not in outputs_reference()


# --- whole numbers in summary.json ---------------------------------------------------------------


def test_summary_json_writes_whole_number_metrics_as_integers_everywhere(tmp_path):
    """TWO_MEMBERS: nothing arrives; the pool's 60 t go out on day 0 by the 50/50 ratio: Japan needs
    20 t of its 30 t, the EU gets its 30 t and Japan's 10 t left, 40 t. Japan is short on days 1-59
    (59 days), the EU on days 0-59 (60). Both paid 30 t in and are short; Japan drew 20 t and the
    EU's 40 t scaled to Japan's contribution is 40 t > 20 t: one envious member."""
    from tests.helpers import TWO_MEMBERS

    result = run(TWO_MEMBERS)
    doc = summary_json(result)
    assert doc["metrics"]["shortfall_days.japan"] == 59 and doc["metrics"]["shortfall_days.eu"] == 60
    assert doc["metrics"]["envious_members"] == 1
    assert doc["agreement"]["envious_members"] == 1 and doc["by_material"]["ree"]["envious_members"] == 1
    text = json.dumps(doc)
    assert '"shortfall_days.japan": 59,' in text and '"shortfall_days.eu": 60,' in text
    assert '"envious_members": 1,' in text and '"envious_members": 1.0' not in text
    for section in (doc["metrics"], doc["agreement"], *doc["by_material"].values(), *doc["records"]):
        for name, value in section.items():
            q = quantity_of(name)
            if q is not None and q.dtype == "int":
                assert type(value) is int, (name, value)
    csv = result.tables["summary"].csv_text().splitlines()
    column = csv[0].split(",").index("envious_members")
    assert [line.split(",")[column] for line in csv[1:]] == ["", "", "1", "1"]  # japan, eu, all/ree, all/all
    assert result.summary["envious_members"].dtype == "Int64"
