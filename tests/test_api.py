"""The Python API (``simulator.run``, ``sweep``, ``compare``, ``check``, ``report``).

Numbers are worked out by hand on ``TWO_MEMBERS`` (tests/helpers.py): two members with no
stock of their own and China halted for the whole horizon of 60 days, so each day's
demand (20 t Japan, 80 t EU) can be met only from a joint pool of 60 t shared by a fair
ratio of 0.5 each. Day 0: Japan's share of 30 t covers its gap of 20 t, and the 10 t it
cannot use go to the EU, which gets 40 t; from day 1 the pool is empty. So Japan is short
20 x 59 = 1,180 t from day 1 and the EU 80 x 60 - 40 = 4,760 t from day 0; 5,940 t in all.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from matplotlib.figure import Figure

import simulator
from simulator.cli import main
from simulator.randomness import run_seed
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build, manifest_of

POOL_JAPAN = "agreement.pool.contributions.japan.ree.tonnes"
"""Japan's contribution: 70 t instead of 30 t makes a pool of 100 t, every gap met on day 0."""


def write_scenario(folder: Path, data: dict, name: str = "pair") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def cli(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


# --- importing ---------------------------------------------------------------------------------


def _in_fresh_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_simulator_loads_neither_pandas_nor_matplotlib_nor_simpy():
    loaded = _in_fresh_python(
        "import sys, simulator\n"
        "simulator.InputError, simulator.ScenarioError, simulator.__version__\n"
        "heavy = {'pandas', 'matplotlib', 'simpy', 'numpy', 'scipy', 'pydantic'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    assert loaded == "[]"


@pytest.mark.parametrize("first", ["import simulator", "from simulator.sweep import plan_sweep"])
def test_sweep_compare_and_report_are_callable_whatever_was_imported_first(first):
    shown = _in_fresh_python(
        f"{first}\n"
        "import simulator, inspect\n"
        "import simulator.sweep.figures as figures\n"
        "from simulator.compare import parse_mechanisms\n"
        "print(callable(simulator.sweep), callable(simulator.compare), callable(simulator.report))\n"
        "print(simulator.sweep.plan_sweep.__name__, figures.__name__, simulator.report.write_report.__name__)\n"
        "print(list(inspect.signature(simulator.compare).parameters))"
    )
    assert shown.splitlines() == [
        "True True True",
        "plan_sweep simulator.sweep.figures write_report",
        "['scenario', 'mechanisms', 'set', 'seed', 'baseline']",
    ]


# --- run ---------------------------------------------------------------------------------------


def test_run_gives_the_hand_worked_shortfalls_with_na_for_never():
    result = simulator.run(TWO_MEMBERS)
    summary = result.summary.set_index(["region", "material"])
    assert summary.loc[("japan", "ree"), "shortfall_t"] == pytest.approx(1180.0)
    assert summary.loc[("eu", "ree"), "shortfall_t"] == pytest.approx(4760.0)
    assert summary["first_shortfall_day"].dtype == "Int64"
    assert summary.loc[("japan", "ree"), "first_shortfall_day"] == 1
    assert summary.loc[("eu", "ree"), "first_shortfall_day"] == 0
    assert summary.loc[("japan", "ree"), "shortfall_days"] == 59
    assert result.metrics["total_shortfall_t"] == pytest.approx(5940.0)
    assert result.metrics["first_shortfall_day.japan"] == 1
    assert result.metrics["shortfall_days.eu"] == 60 and isinstance(result.metrics["shortfall_days.eu"], int)

    never = simulator.run(ONE_REGION)  # 100 t of stock and full pipelines: never short
    row = never.summary[never.summary["region"] == "japan"].iloc[0]
    assert row["shortfall_t"] == 0 and row["first_shortfall_day"] is pd.NA
    assert never.metrics["first_shortfall_day.japan"] is pd.NA
    assert never.summary["first_shortfall_day"].mean() is pd.NA  # no -1 to skew statistics


def test_dates_are_datetime64_and_nat_without_a_start_date():
    without = simulator.run(TWO_MEMBERS)
    assert without.timeseries["date"].dtype == "datetime64[s]"
    assert without.timeseries["date"].isna().all()
    dated = simulator.run(TWO_MEMBERS, set={"start_date": "2010-07-01"})
    ts = dated.timeseries
    for table in (ts, dated.supply, dated.pool, dated.releases):
        assert table["date"].dtype == "datetime64[s]"
    assert ts.loc[ts["day"] == 31, "date"].unique().tolist() == [pd.Timestamp("2010-08-01")]
    assert ts.loc[ts["day"] == 59, "date"].iloc[0] == pd.Timestamp("2010-08-29")
    shock = dated.shocks.iloc[0]
    assert dated.shocks["start_date"].dtype == "datetime64[s]"
    assert shock["start_date"] == pd.Timestamp(dt.date(2010, 7, 1) + dt.timedelta(days=-100))
    assert dated.releases["date"].iloc[0] == pd.Timestamp("2010-07-01")


def test_a_table_without_rows_keeps_its_types():
    result = simulator.run(build(TWO_MEMBERS, agreement__mechanism="fair_ratio"))
    assert len(result.auctions) == 0
    assert result.auctions["day"].dtype == "Int64"
    assert result.auctions["date"].dtype == "datetime64[s]"
    assert result.auctions["clearing_price_usd_per_kg"].dtype == "float64"


def test_every_column_and_metric_has_its_unit():
    bids = [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]
    auction = {"every_days": 7, "bids": {"japan": {"ree": bids}, "eu": {"ree": bids}}}
    result = simulator.run(TWO_MEMBERS, set={"agreement.mechanism": "auction", "agreement.auction": auction})
    assert len(result.auctions) > 0
    for name in ("timeseries", "summary", "supply", "pool", "releases", "auctions", "shocks", "portfolio"):
        table = getattr(result, name)
        assert list(table.attrs["units"]) == list(table.columns), name
        for column in table.columns:
            assert result.units[column] == table.attrs["units"][column]
    assert set(result.metrics) <= set(result.units)
    expected = {
        "days_of_cover": "days",
        "shortfall_t": "t",
        "date": "date",
        "clearing_price_usd_per_kg": "USD/kg",
        "spend_usd.japan": "USD",
        "first_shortfall_day.japan": "day",
        "fairness_jain": "index",
    }
    assert {k: result.units[k] for k in expected} == expected


def test_scenario_given_as_file_name_data_or_scenario_runs_the_same(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    path = write_scenario(tmp_path / "scenarios", TWO_MEMBERS)
    monkeypatch.chdir(tmp_path)
    forms = [str(path), path, "pair", TWO_MEMBERS, simulator.load_scenario(path)]
    totals = [simulator.run(form).metrics["total_shortfall_t"] for form in forms]
    assert totals == [pytest.approx(5940.0)] * len(forms)


@pytest.mark.parametrize(
    "changes",
    [{POOL_JAPAN: 70}, [(POOL_JAPAN, 70)], [f"{POOL_JAPAN}=70"], f"{POOL_JAPAN}=70", {POOL_JAPAN: np.int64(70)}],
    ids=["mapping", "pairs", "strings", "one string", "numpy value"],
)
def test_changes_in_every_form_apply_before_validation(changes):
    data = copy.deepcopy(TWO_MEMBERS)
    result = simulator.run(data, set=changes)
    # a pool of 100 t meets both gaps (20 + 80) on day 0 and nothing after
    assert result.metrics["total_shortfall_t"] == pytest.approx(5900.0)
    assert result.metrics["shortfall_t.eu"] == pytest.approx(4720.0)
    assert result.metrics["first_shortfall_day.eu"] == 1
    assert data == TWO_MEMBERS  # the caller's data is never changed


def test_changes_and_seed_apply_to_a_validated_scenario():
    scenario = simulator.load_scenario(ROOT / "scenarios" / "embargo_stochastic.yaml")
    result = simulator.run(scenario, seed=7, set={"horizon_days": 120})
    assert result.seed == 7 and result.scenario.horizon_days == 120
    assert result.timeseries["day"].max() == 119
    assert scenario.horizon_days == 731


def test_bad_input_raises_the_command_lines_message(tmp_path):
    path = write_scenario(tmp_path, TWO_MEMBERS)
    setting = "regions.japan.demand.ree.tonnes_per_day=-5"
    code, output = cli("run", path, "-o", tmp_path / "out", "--set", setting)
    assert code == 2
    with pytest.raises(simulator.ScenarioError) as raised:
        simulator.run(path, set=[setting])
    assert output.startswith(f"error: {raised.value.render()}\n")
    assert str(path) in str(raised.value) and "regions.japan.demand.ree.tonnes_per_day" in str(raised.value)

    code, output = cli("run", "no_such_scenario", "-o", tmp_path / "out")
    with pytest.raises(simulator.ScenarioError) as missing:
        simulator.run("no_such_scenario")
    assert code == 2 and output == f"error: {missing.value}\n"
    looked = (
        "no_such_scenario: file not found here, nor as no_such_scenario.yaml or no_such_scenario.yml in ./scenarios"
    )
    assert str(missing.value).startswith(looked)  # and where ./scenarios and the shipped library are


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: simulator.run(TWO_MEMBERS, engine="fast"),
            "engine: 'fast' cannot run a single scenario; only 'reference' (the SimPy engine) can",
        ),
        (lambda: simulator.run(TWO_MEMBERS, seed=-1), "seed: must be a whole number in [0, 4294967295], got -1"),
        (lambda: simulator.run(TWO_MEMBERS, seed=True), "seed: must be a whole number in [0, 4294967295], got True"),
        (lambda: simulator.run(42), "scenario: give a file path, a scenario name, a mapping"),
        (lambda: simulator.run(TWO_MEMBERS, set=[("horizon_days",)]), "set: ('horizon_days',) is neither"),
        (lambda: simulator.run(TWO_MEMBERS, set=5), "set: give a mapping {path: value}"),
        (
            lambda: simulator.run(TWO_MEMBERS, set={"horizon_days": 0}),
            "<scenario data> [set horizon_days=0]: horizon_days: must be >= 1",
        ),
        (lambda: simulator.run(TWO_MEMBERS, set={"shocks.nope.end": 5}), "shocks.nope: no item with id 'nope'"),
    ],
)
def test_bad_arguments_name_the_argument(call, message):
    with pytest.raises(simulator.InputError) as raised:
        call()
    assert message in str(raised.value)


def test_figures_are_returned_without_writing_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = simulator.run(TWO_MEMBERS)
    figures = result.figures()
    assert list(figures) == ["days_of_cover", "shortfall", "supply_mix"]
    assert all(isinstance(fig, Figure) for fig in figures.values())
    assert list(tmp_path.iterdir()) == []
    # the shortfall panel draws the table's numbers: Japan's cumulative shortfall ends at 1,180 t
    lines = {line.get_label(): line for ax in figures["shortfall"].axes for line in ax.get_lines()}
    japan = [line for label, line in lines.items() if "japan" in label.lower()]
    assert any(line.get_ydata()[-1] == pytest.approx(1180.0) for line in japan)


def test_write_gives_the_files_of_stockpile_run(tmp_path):
    path = write_scenario(tmp_path, TWO_MEMBERS)
    code, output = cli("run", path, "-o", tmp_path / "by_cli", "--set", f"{POOL_JAPAN}=70")
    assert code == 0, output
    written = simulator.run(path, set={POOL_JAPAN: 70}).write(tmp_path / "by_api")
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in (tmp_path / "by_cli").iterdir() if not p.name.startswith("."))
    assert {"timeseries.csv", "summary.json", "days_of_cover.png", "supply_mix.png", "manifest.json"} <= set(names)
    for name in names:
        if name.endswith((".csv", ".json")) and name != "manifest.json":
            assert (tmp_path / "by_api" / name).read_bytes() == (tmp_path / "by_cli" / name).read_bytes(), name


def test_write_adds_the_report_and_workbook_and_lists_them_in_the_manifest(tmp_path):
    result = simulator.run(build(TWO_MEMBERS, start_date="2010-07-01"))
    written = {p.name for p in result.write(tmp_path / "out", plots=False, report=True, excel=True)}
    assert {"report.html", "workbook.xlsx", "timeseries.csv"} <= written
    assert not written & {"days_of_cover.png", "shortfall.png", "supply_mix.png"}
    manifest = manifest_of(tmp_path / "out")
    assert {"report.html", "workbook.xlsx"} <= set(manifest["files"])
    back = pd.read_excel(tmp_path / "out" / "workbook.xlsx", sheet_name=None)
    assert len(back) > 2  # a summary sheet and the tables after it


def test_write_refuses_to_overwrite_a_file_it_does_not_own(tmp_path):
    (tmp_path / "out").mkdir()
    mine = tmp_path / "out" / "summary.csv"
    mine.write_text("my own notes\n")
    with pytest.raises(simulator.InputError, match=r"summary\.csv"):
        simulator.run(TWO_MEMBERS).write(tmp_path / "out", plots=False)
    assert mine.read_text() == "my own notes\n"


# --- sweep -------------------------------------------------------------------------------------


def test_sweep_returns_the_table_of_sweep_parquet_typed(tmp_path):
    path = write_scenario(tmp_path, TWO_MEMBERS)
    sweep = ("sweep", path, "--grid", f"{POOL_JAPAN}=30,70", "--runs", "2", "--no-plots")  # its table alone
    code, output = cli(*sweep, "-o", tmp_path / "cli")
    assert code == 0, output
    on_disk = pd.read_parquet(tmp_path / "cli" / "sweep.parquet")
    with pytest.warns(UserWarning, match="no random inputs") as warned:
        table = simulator.sweep(path, grid={POOL_JAPAN: [30, 70]}, runs=2, workers=1)
    assert [w.filename for w in warned] == [__file__]  # the caller's line, not the package's wrapper
    assert list(table.columns) == list(on_disk.columns)
    assert table[POOL_JAPAN].tolist() == [30, 70]  # deterministic: one run per point, as the CLI
    assert table["total_shortfall_t"].tolist() == pytest.approx([5940.0, 5900.0])
    assert table["first_shortfall_day.eu"].dtype == "Int64"
    assert table["first_shortfall_day.eu"].tolist() == [0, 1]
    # counts are whole numbers in the API and in the file alike
    assert {table[c].dtype.name for c in ("shortfall_days.eu", "envious_members")} == {"Int64"}
    assert {on_disk[c].dtype.name for c in ("shortfall_days.eu", "envious_members")} == {"int64"}
    numbers = [c for c in table.columns if c != POOL_JAPAN]
    pd.testing.assert_frame_equal(
        table[numbers].astype("float64"), on_disk[numbers].astype("float64"), check_dtype=False
    )
    assert table.attrs["units"]["total_shortfall_t"] == "t"
    assert sorted(tmp_path.iterdir()) == [tmp_path / "cli", path]  # nothing else written


def test_sweep_marks_never_as_na_where_the_parquet_has_minus_one():
    # China halts Japan from day 0 for good; the 5 days of goods in transit still arrive (50 t)
    halted = build(ONE_REGION, shocks=[{**TWO_MEMBERS["shocks"][0], "regions": ["japan"], "start": 0}])
    stock = "regions.japan.commercial_stock.ree.tonnes"
    table = simulator.sweep(halted, grid={stock: [1000, 0, 100]}, workers=1)
    first = table["first_shortfall_day.japan"]
    assert first.dtype == "Int64"
    assert first.iloc[0] is pd.NA  # 1,000 t last 100 days, more than the 40-day horizon: never short
    assert first.iloc[1:].tolist() == [5, 15]  # 0 t: short once the goods in transit are used; 100 t: 10 days later
    assert table["shortfall_t.japan"].tolist() == pytest.approx([0.0, 35 * 10.0, 25 * 10.0])
    assert first.mean() == 10  # "never" is left out of statistics


def test_sweep_runs_share_seeds_and_match_whatever_the_worker_count():
    grid = {"agreement.ratio.japan": "0:1:0.5"}
    # 200 days: these seeds' embargoes (drawn to start on days 92-274) start within them, so the
    # ratio moves results; at 60 days no embargo starts and every point gives the same numbers
    longer = {"horizon_days": 200}
    one = simulator.sweep("embargo_stochastic", grid=grid, runs=3, seed=11, workers=1, set=longer)
    two = simulator.sweep("embargo_stochastic", grid=grid, runs=3, seed=11, workers=2, set=longer)
    pd.testing.assert_frame_equal(one, two)
    assert one["seed"].tolist() == [run_seed(11, k) for k in range(3)] * 3
    assert one["agreement.ratio.japan"].tolist() == [0.0] * 3 + [0.5] * 3 + [1.0] * 3
    assert one["min_days_of_cover.japan"].nunique() > 1  # the runs differ: demand noise is drawn per seed
    # each point ran with its own ratio: the same seed at ratio 0 and 1 gives other numbers
    metrics = [c for c in one.columns if c.startswith(("shortfall_t.", "released_t.", "min_days_of_cover."))]
    assert metrics and not one[metrics].iloc[:3].reset_index(drop=True).equals(
        one[metrics].iloc[6:].reset_index(drop=True)
    )


def test_sweep_to_a_folder_writes_what_the_command_writes(tmp_path):
    with pytest.warns(UserWarning, match="sweep_pool_frontier.png drawn: the scenario sets no holding cost"):
        table = simulator.sweep(TWO_MEMBERS, grid={POOL_JAPAN: [30, 70]}, workers=1, out=tmp_path / "api")
    assert {"sweep.parquet", "sweep.json", "manifest.json"} <= {p.name for p in (tmp_path / "api").iterdir()}
    on_disk = pd.read_parquet(tmp_path / "api" / "sweep.parquet")
    assert on_disk["first_shortfall_day.eu"].tolist() == [0, 1]
    assert table["total_shortfall_t"].tolist() == on_disk["total_shortfall_t"].tolist()
    assert json.loads((tmp_path / "api" / "sweep.json").read_text())["grid"] == {POOL_JAPAN: [30, 70]}


def test_sweep_as_xarray_is_indexed_by_the_swept_values_and_run():
    with (  # both members short and no release cap: the ratio changes nothing, and why (tests/test_notes_why_s63.py)
        pytest.warns(UserWarning, match=r"^agreement\.ratio\.japan: its values changed no output"),
        pytest.warns(UserWarning, match=r"^agreement\.ratio\.japan: why its values changed no output under fair_ratio"),
    ):
        ds = simulator.sweep(
            TWO_MEMBERS,
            grid={POOL_JAPAN: [70, 30], "agreement.ratio.japan": [0.5, 1.0]},
            workers=1,
            as_xarray=True,
        )
    assert ds["total_shortfall_t"].dims == (POOL_JAPAN, "agreement.ratio.japan", "run")
    assert ds[POOL_JAPAN].values.tolist() == [70, 30]  # the order given, not sorted
    assert float(ds["total_shortfall_t"].sel({POOL_JAPAN: 70, "agreement.ratio.japan": 1.0, "run": 0})) == 5900.0
    assert float(ds["total_shortfall_t"].sel({POOL_JAPAN: 30, "agreement.ratio.japan": 0.5, "run": 0})) == 5940.0
    first = ds["first_shortfall_day.eu"].sel({"agreement.ratio.japan": 0.5, "run": 0})
    assert first.values.tolist() == [1.0, 0.0]
    assert ds["total_shortfall_t"].attrs["units"] == "t"
    assert ds["seed"].dims == ("run",)
    assert ds.attrs["scenario"] == "pair"


def test_sweep_as_xarray_needs_distinct_values_and_the_extra(monkeypatch):
    with pytest.raises(simulator.InputError, match="a value is given twice"):  # refused for every sweep
        simulator.sweep(TWO_MEMBERS, grid={POOL_JAPAN: [30, 30]}, workers=1, as_xarray=True)
    with (
        pytest.raises(simulator.InputError, match=r"agreement\.members must be scalars to index a dimension"),
        pytest.warns(UserWarning, match=r"^agreement\.members: its values changed no output"),
    ):
        simulator.sweep(TWO_MEMBERS, grid={"agreement.members": [["japan", "eu"], ["eu", "japan"]]}, as_xarray=True)
    monkeypatch.setitem(sys.modules, "xarray", None)  # as if it were not installed
    with pytest.raises(simulator.InputError, match=r"pip install 'stockpile-simulator\[xarray\]'"):
        simulator.sweep(TWO_MEMBERS, grid={POOL_JAPAN: [30, 70]}, workers=1, as_xarray=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": {POOL_JAPAN: "5:1:1"}}, "grid['agreement.pool.contributions.japan.ree.tonnes']: '5:1:1' is a desc"),
        ({"grid": {POOL_JAPAN: []}}, "no values given"),
        ({"grid": {POOL_JAPAN: [-1]}}, "must be >= 0"),
        (
            {"grid": {POOL_JAPAN: range(200)}, "max_points": 100},
            "more than a grid may have points (100; raise max_points=)",
        ),
        ({"grid": {POOL_JAPAN: [1, 2]}, "runs": 3, "max_runs": 5}, "2 points x 3 runs = 6 runs, more than 5"),
        ({"runs": 0}, "runs: must be a whole number >= 1, got 0"),
        ({"grid": [POOL_JAPAN]}, "grid: give a mapping {path: values}, not list"),
    ],
)
def test_sweep_refuses_bad_grids_before_any_run(kwargs, message):
    with pytest.raises(simulator.InputError) as raised:
        simulator.sweep(TWO_MEMBERS, workers=1, **kwargs)
    assert message in str(raised.value)


# --- compare, report, check --------------------------------------------------------------------


def test_compare_tabulates_each_rule_with_the_hand_worked_numbers():
    table = simulator.compare(TWO_MEMBERS, ["fair_ratio", "proportional", "auction"]).set_index("mechanism")
    assert table.loc["fair_ratio", "shortfall_t.japan"] == pytest.approx(1180.0)
    # proportional to baseline demand: day 0's 60 t split 20:80, 12 t and 48 t; the former name is
    # compared under the rule's current name
    # first the scenario without its agreement: 20 t and 80 t a day short for the 60 days
    # then each member's 30 t held alone: 1,200 - 30 t and 4,800 - 30 t
    assert list(table.index) == ["no agreement", "own shares alone", "fair_ratio", "proportional_to_demand", "auction"]
    assert table.loc["no agreement", ["shortfall_t.japan", "shortfall_t.eu"]].tolist() == [1200.0, 4800.0]
    assert table.loc["own shares alone", ["shortfall_t.japan", "shortfall_t.eu"]].tolist() == [1170.0, 4770.0]
    assert table.loc["proportional_to_demand", "shortfall_t.japan"] == pytest.approx(1200 - 12)
    assert table.loc["proportional_to_demand", "shortfall_t.eu"] == pytest.approx(4800 - 48)
    assert table["first_shortfall_day.japan"].dtype == "Int64"
    assert table.loc["fair_ratio", "first_shortfall_day.japan"] == 1
    assert table.loc["proportional_to_demand", "first_shortfall_day.japan"] == 0
    assert "bids" in table.loc["auction", "skipped"]  # no bids: the rule cannot run
    assert table.attrs["units"]["shortfall_t.japan"] == "t"


def test_compare_refuses_what_the_command_refuses(tmp_path):
    with pytest.raises(simulator.InputError) as raised:
        simulator.compare(TWO_MEMBERS, "fair_ratio,lottery")
    assert str(raised.value).startswith("mechanisms: unknown mechanism(s) lottery (known: ")
    path = write_scenario(tmp_path, ONE_REGION, "alone")
    code, output = cli("compare", path, "-o", tmp_path / "out")
    with pytest.raises(simulator.InputError) as alone:
        simulator.compare(path)
    assert code == 2 and output == f"error: {alone.value}\n"


def test_report_writes_one_html_file_and_returns_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    written = simulator.report(TWO_MEMBERS, "reports/pair.html", compare=build(TWO_MEMBERS, **{POOL_JAPAN: 70}))
    assert written == Path("reports/pair.html")
    html = written.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "pair" in html
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["pair.html"]
    other = build(TWO_MEMBERS, name="elsewhere")
    other["regions"] = {"us": other["regions"]["japan"]}
    other["suppliers"] = {"china": {"lead_time_days": {"us": 5}}}
    other["shocks"][0]["regions"] = ["us"]
    del other["agreement"]
    with pytest.raises(simulator.InputError, match="compare: elsewhere has no region in common with pair"):
        simulator.report(TWO_MEMBERS, tmp_path / "x.html", compare=other)


HALTED = build(
    ONE_REGION,
    start_date="2010-07-01",
    shocks=[{**TWO_MEMBERS["shocks"][0], "regions": ["japan"], "start": 0}],
    regions__japan__commercial_stock__ree__tonnes=1000,
)
"""China halts Japan from day 0 for good; 1,000 t of stock last past the 40-day horizon."""


def _gated_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "gate"
    folder.mkdir()
    write_scenario(folder, HALTED, "halted")
    code, output = cli("check", folder, "--update", "--workers", "1")
    assert code == 0, output
    return folder


def test_check_passes_against_fresh_baselines(tmp_path):
    report = simulator.check(_gated_folder(tmp_path), workers=1)
    assert report.passed and report.exit_code == 0
    # labelled by the file (halted.yaml), whose scenario says name: tiny
    assert report.outcomes[["scenario", "name", "status", "drifts"]].values.tolist() == [["halted", "tiny", "ok", 0]]
    assert report.drifts.empty
    assert list(report.drifts.columns)[:6] == ["scenario", "region", "material", "metric", "day", "date"]
    assert str(report).endswith("1 ok")


def test_check_lists_the_numbers_that_moved(tmp_path):
    folder = _gated_folder(tmp_path)
    # 100 t instead of 1,000 t: the goods in transit (days 0-4) then the stock (days 5-14), short from day 15
    write_scenario(folder, build(HALTED, regions__japan__commercial_stock__ree__tonnes=100), "halted")
    report = simulator.check(folder, workers=1)
    assert report.exit_code == 1 and not report.passed
    assert report.outcomes["status"].tolist() == ["drift"] and "drift" in str(report)
    drifts = report.drifts.set_index(["metric", "material", "day"])
    assert drifts["baseline"].dtype == "float64"
    shortfall = drifts.loc[("shortfall_t", "ree", pd.NA)]
    assert (shortfall["baseline"], shortfall["now"]) == (0.0, 250.0)
    first = drifts.loc[("first_shortfall_day", "ree", pd.NA)]
    assert np.isnan(first["baseline"]) and first["now"] == 15.0  # never short before
    assert pd.isna(first["date"])
    cover = report.drifts[report.drifts["metric"] == "days_of_cover"].set_index("day")
    assert (cover.loc[0, "baseline"], cover.loc[0, "now"]) == (100.0, 10.0)  # stock over 10 t/day of demand
    assert cover.loc[7, "date"] == pd.Timestamp("2010-07-08")
    assert report.drifts["day"].dtype == "Int64" and report.drifts["date"].dtype == "datetime64[s]"


def test_check_of_a_missing_path_raises(tmp_path):
    with pytest.raises(simulator.InputError, match="no such scenario file or folder"):
        simulator.check(tmp_path / "nowhere", workers=1)


def test_check_without_paths_needs_a_scenarios_folder_here_or_library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(simulator.InputError, match=r"no scenarios/ folder in .*pass paths=, or check the shipped"):
        simulator.check(workers=1)
    with pytest.raises(simulator.InputError, match="give library=True or paths, not both"):
        simulator.check(tmp_path, library=True)


def test_the_readme_python_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    printed = _in_fresh_python(code)
    assert "<NA>" in printed  # Japan is never short of heavy rare earths
    # Japan's light-REE shortfall at a ratio of 0.3, its only one, in the run and in the sweep's row for 0.3
    assert printed.count(" 509.95824 ") == 2


def test_dir_lists_every_public_name_lazily_imported_or_not():
    names = dir(simulator)
    assert set(simulator.__all__) <= set(names)
    assert {"run", "sweep", "load_scenario", "InputError"} <= set(names)


def test_check_counts_a_new_region_s_numbers_apart_from_the_numbers_that_moved(tmp_path):
    folder = _gated_folder(tmp_path)
    # the EU joins with 10 t/day from China, not halted, and 100 t of stock: never short, so
    # Japan's numbers and the totals stay as they were; only the EU's numbers appear
    eu = {
        "demand": {"ree": {"tonnes_per_day": 10}},
        "commercial_stock": {"ree": {"tonnes": 100}},
        "sourcing": {"ree": {"china": 1.0}},
    }
    grown = build(HALTED, regions__eu=eu, suppliers__china__lead_time_days__eu=5)
    write_scenario(folder, grown, "halted")
    report = simulator.check(folder, workers=1)
    assert report.exit_code == 1  # the baseline must be rewritten for the new region
    row = report.outcomes.iloc[0]
    assert row["numbers_moved"] == 0 and row["drifts"] == len(report.drifts) > 0
    assert set(report.drifts["missing_from"]) == {"baseline"}
    assert set(report.drifts["region"]) == {"eu"}
    # baselined with the EU, then the EU leaves: its numbers disappear ("now" lacks them)
    assert cli("check", folder, "--update", "--workers", "1")[0] == 0
    write_scenario(folder, HALTED, "halted")
    gone = simulator.check(folder, workers=1)
    assert gone.outcomes.iloc[0]["numbers_moved"] == 0
    assert set(gone.drifts["missing_from"]) == {"now"} and set(gone.drifts["region"]) == {"eu"}
