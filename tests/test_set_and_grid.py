"""A ``--set`` on a path that a sweep, the explorer or a sensitivity study varies (audit of overrides and grids).

Such a fixed value used to be silently replaced in every run, while ``sweep.json`` recorded it
under "fixed" as if it had been used: ``--grid P=60,90 --set P=30`` ran 60 and 90 and said 30.
One rule (:func:`simulator.sweep.grid.fixed_and_varied`) now refuses it, with exit 2, for the
three commands alike. The scenario is the shipped six-month embargo (its ``uncertain:`` block
declares the light REE price); every refusal comes before any run.
"""

from __future__ import annotations

import pandas as pd
import pytest

import simulator.api as api
from simulator.errors import InputError
from simulator.scenario import load_scenario
from tests.helpers import ROOT, assert_bad_input, invoke, no_run

CLEAN = str(ROOT / "scenarios" / "long_embargo_6m.yaml")
DAYS = "regions.japan.commercial_stock.light_ree.days"
PRICE = "materials.light_ree.price_usd_per_kg"
SAME = "each run would use the value {by} gives, not the fixed one; give the path to --set or to {by}, not both"
INSIDE = (
    "each run would replace the whole value there, the fixed one with it; give the path to --set or to --grid, not both"
)
THERE = (
    "each run would use the value --grid gives there, not the fixed one; to keep the rest of the value, set its other "
    "fields one by one (--set regions.japan.commercial_stock.light_ree.FIELD=VALUE, each FIELD but days) and leave "
    "light_ree.days to --grid"
)


def test_sweep_refuses_a_set_on_a_swept_path_and_writes_nothing(tmp_path, monkeypatch):
    no_run(monkeypatch)
    out = tmp_path / "out"
    result = invoke("sweep", CLEAN, "--grid", f"{DAYS}=60,90", "--set", f"{DAYS}=30", "--no-plots", "-o", out)
    assert_bad_input(
        result, f"{CLEAN}: --set {DAYS}: the same path is varied by --grid {DAYS}: " + SAME.format(by="--grid")
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("fixed", "swept", "why"),
    [  # a parent mapping fixed, a field of it swept; and the other way round
        (
            "regions.japan.commercial_stock={light_ree: {days: 30}}",
            DAYS,
            f"contains a path varied by --grid {DAYS}: " + THERE,
        ),
        (
            f"{DAYS}=30",
            "regions.japan.commercial_stock",
            "lies inside a path varied by --grid regions.japan.commercial_stock: " + INSIDE,
        ),
    ],
)
def test_sweep_refuses_a_set_containing_or_inside_a_swept_path(tmp_path, monkeypatch, fixed, swept, why):
    no_run(monkeypatch)
    values = "60,90" if swept == DAYS else "{light_ree: {days: 60}},{light_ree: {days: 90}}"
    result = invoke("sweep", CLEAN, "--grid", f"{swept}={values}", "--set", fixed, "--no-plots", "-o", tmp_path / "o")
    assert_bad_input(result, f"{CLEAN}: --set {fixed.partition('=')[0]}: {why}")


TONNES = "regions.japan.commercial_stock.light_ree.tonnes"
OTHER_UNIT = "the stock's other unit is varied by {where}: a stock has one unit, so each run would drop the fixed value"


def test_sweep_refuses_a_set_days_with_a_grid_on_the_same_stock_in_tonnes(tmp_path, monkeypatch):
    """Setting tonnes removes days: every run used the swept tonnes while sweep.json recorded days 30 as fixed."""
    no_run(monkeypatch)
    out = tmp_path / "s"
    result = invoke("sweep", CLEAN, "--set", f"{DAYS}=30", "--grid", f"{TONNES}=100,200", "--no-plots", "-o", out)
    assert_bad_input(
        result,
        f"{CLEAN}: --set {DAYS}: " + OTHER_UNIT.format(where=f"--grid {TONNES}") + " for the one --grid gives; "
        "give the stock's size to --set or to --grid, not both",
    )
    assert not out.exists()


def test_explore_refuses_a_set_tonnes_with_an_axis_on_the_same_stock_in_days(tmp_path, monkeypatch):
    no_run(monkeypatch)
    page = tmp_path / "page.html"
    result = invoke("explore", CLEAN, "--set", f"{TONNES}=100", "--axis", f"{DAYS}=30,60", "-o", page)
    assert_bad_input(result, f"{CLEAN}: --set {TONNES}: " + OTHER_UNIT.format(where=f"--axis {DAYS}"))
    assert not page.exists()


def test_sensitivity_refuses_a_set_tonnes_on_a_stock_whose_days_are_uncertain(tmp_path, monkeypatch):
    no_run(monkeypatch)
    battery = str(ROOT / "scenarios" / "battery_materials.yaml")
    stock = "regions.japan.commercial_stock.lithium"
    result = invoke("sensitivity", battery, "--samples", 4, "--set", f"{stock}.tonnes=100", "-o", tmp_path / "s")
    assert_bad_input(
        result,
        f"{battery}: --set {stock}.tonnes: "
        + OTHER_UNIT.format(where=f"the uncertain: entry on {stock}.days")
        + " for the one the entry gives; drop it, or vary only the other inputs (--input PATH)",
    )


def test_a_set_block_holding_a_swept_field_is_advised_field_by_field(tmp_path, monkeypatch):
    """Dropping the --set, as the advice used to say, would lose the rest of the block (its sd: 30)."""
    no_run(monkeypatch)
    block = "shocks.china_embargo.duration_days"
    fixed = f"{block}={{distribution: lognormal, mean: 120, sd: 30}}"
    result = invoke(
        "sweep", CLEAN, "--set", fixed, "--grid", f"{block}.mean=60,120", "--no-plots", "-o", tmp_path / "s"
    )
    assert_bad_input(
        result,
        f"--set {block}: contains a path varied by --grid {block}.mean: each run would use the value --grid gives "
        f"there, not the fixed one; to keep the rest of the value, set its other fields one by one (--set {block}.FIELD"
        "=VALUE, each FIELD but mean) and leave mean to --grid",
    )


RESCALED = "varies another: each run would rescale the fixed one to make room for the varied one; "


def test_sensitivity_names_the_uncertain_ratio_that_would_rescale_a_ratio_set(tmp_path, monkeypatch):
    """The refusal used to speak of axes and sweeps (\"fixed ... and swept: give them all as axes\") with none here."""
    no_run(monkeypatch)
    battery = str(ROOT / "scenarios" / "battery_materials.yaml")
    args = ("--method", "morris", "--samples", 2, "--set", "agreement.ratio.eu=0.3", "-o", tmp_path / "s")
    result = invoke("sensitivity", battery, *args)
    assert_bad_input(
        result,
        f"{battery}: --set agreement.ratio.eu: fixes an agreement ratio while the uncertain: entry on "
        "agreement.ratio.japan " + RESCALED + "drop it, or vary only the other inputs (--input PATH)",
    )
    result = invoke("sensitivity", battery, *args, "--input", "agreement.ratio.japan")
    assert_bad_input(
        result,
        f"{battery}: --set agreement.ratio.eu: fixes an agreement ratio while --input agreement.ratio.japan "
        + RESCALED
        + "drop it, or leave agreement.ratio.japan out of --input",
    )


def test_explore_names_the_axis_that_would_rescale_a_ratio_set(tmp_path, monkeypatch):
    no_run(monkeypatch)
    battery = str(ROOT / "scenarios" / "battery_materials.yaml")
    page = tmp_path / "page.html"
    result = invoke(
        "explore", battery, "--set", "agreement.ratio.eu=0.3", "--axis", "agreement.ratio.japan=0.2,0.4", "-o", page
    )
    assert_bad_input(
        result,
        f"{battery}: --set agreement.ratio.eu: fixes an agreement ratio while --axis agreement.ratio.japan "
        + RESCALED
        + "give all the ratios to --set or all to --axis, so that the others are rescaled once",
    )
    assert not page.exists()


def test_a_shock_given_by_position_and_by_id_is_one_path(tmp_path, monkeypatch):
    no_run(monkeypatch)
    grid = ("--grid", "shocks.0.end=2026-06-01,2026-07-01")
    result = invoke("sweep", CLEAN, *grid, "--set", "shocks.china_embargo.end=2026-05-01", "-o", tmp_path / "o")
    assert_bad_input(result, "--set shocks.china_embargo.end: the same path is varied by --grid shocks.0.end: ")


def test_the_python_api_refuses_it_in_its_own_words(tmp_path, monkeypatch):
    no_run(monkeypatch)
    with pytest.raises(InputError) as caught:
        api.sweep(CLEAN, {DAYS: [60, 90]}, set={DAYS: 30}, out=tmp_path / "o")
    assert f"set['{DAYS}']: the same path is varied by grid['{DAYS}']" in str(caught.value)


def test_explore_refuses_a_set_on_an_axis(tmp_path, monkeypatch):
    no_run(monkeypatch)
    page = tmp_path / "page.html"
    result = invoke("explore", CLEAN, "--axis", f"{DAYS}=60,90", "--set", f"{DAYS}=30", "-o", page)
    assert_bad_input(
        result, f"{CLEAN}: --set {DAYS}: the same path is varied by --axis {DAYS}: " + SAME.format(by="--axis")
    )
    assert not page.exists()


def test_sensitivity_refuses_a_set_on_an_input_it_varies(tmp_path, monkeypatch):
    no_run(monkeypatch)
    out = tmp_path / "s"
    result = invoke("sensitivity", CLEAN, "--samples", 4, "--input", PRICE, "--set", f"{PRICE}=0.5", "-o", out)
    assert_bad_input(
        result, f"{CLEAN}: --set {PRICE}: the same path is varied by --input {PRICE}: " + SAME.format(by="--input")
    )
    assert not out.exists()


def test_sensitivity_refuses_a_set_on_an_uncertain_entry_it_varies_without_input(tmp_path, monkeypatch):
    no_run(monkeypatch)
    result = invoke("sensitivity", CLEAN, "--samples", 4, "--set", f"{PRICE}=0.5", "-o", tmp_path / "s")
    assert_bad_input(
        result,
        f"{CLEAN}: --set {PRICE}: the same path is varied by the uncertain: entry on {PRICE}: each run would use "
        "the value the entry gives, not the fixed one; drop it, or vary only the other inputs (--input PATH)",
    )


def test_run_with_uncertainty_fixes_an_input_set_and_says_so(tmp_path):
    """It used to run with the prices sampled (10.76, 10.34, ...) and the 0.5 set recorded nowhere, then was
    refused; since s51 the input set stays at 0.5, out of the samples, and a note says so."""
    out = tmp_path / "r"
    result = invoke("run", CLEAN, "--uncertainty", 3, "--workers", 1, "--set", f"{PRICE}=0.5", "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    others = len(load_scenario(CLEAN).uncertain) - 1  # every entry of the scenario's uncertain: block but the one set
    assert (
        f"note: --set fixes 1 uncertain input at the value set, left out of the study: Light REE price ({PRICE}); "
        f"it varies the other {others}"
    ) in result.output.splitlines()
    assert f"uncertainty: 3 samples of {others} uncertain inputs" in result.output
    assert PRICE not in pd.read_parquet(out / "uncertainty_samples.parquet")


def test_sensitivity_refuses_a_set_of_the_mapping_holding_an_input(tmp_path, monkeypatch):
    """The entry used to be dropped with its field, and --input then said it was not an uncertain input."""
    no_run(monkeypatch)
    args = ("--samples", 4, "--input", PRICE, "--set", "materials.light_ree={}", "-o", tmp_path / "s")
    result = invoke("sensitivity", CLEAN, *args)
    assert_bad_input(result, f"{CLEAN}: --set materials.light_ree: contains a path varied by --input {PRICE}: ")


# --- finding 4: a --set is echoed, and its field named, as the user wrote it ---------------------------


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("regions.japan=~", "[set regions.japan=null]: regions.japan: must be a mapping of fields"),
        (  # was datetime.date(9999, 12, 31)
            "shocks.0.end=9999-12-31",
            "[set shocks.0.end=9999-12-31]: shocks.china_embargo.end: must be <= 2200-12-31",
        ),
        (  # was {'distribution': 'uniform', 'low': 2, 'high': 3}
            "shocks.0.severity={distribution: uniform, low: 2, high: 3}",
            "[set shocks.0.severity={distribution: uniform, low: 2, high: 3}]: "
            "shocks.china_embargo.severity: low must be within [0, 1] (got 2)",
        ),
        ("regions={~: 3}", "[set regions={null: 3}]: regions: key null: must be text"),  # was regions.None
        (  # was "not a valid date 'abc'" on a price's range
            "uncertain.0.low=abc",
            "[set uncertain.0.low=abc]: uncertain.0.low: must be a number, or a date (YYYY-MM-DD) for a date field, "
            "not text (the entry on materials.light_ree.price_usd_per_kg)",
        ),
        (  # was agreement.settlement.kind, a field the user did not write
            "agreement.settlement=foo",
            "[set agreement.settlement=foo]: agreement.settlement: must be one of 'grant', 'sale' or 'loan', not 'foo'",
        ),
        (
            "agreement.ratio.japan=abc",
            "[set agreement.ratio.japan=abc]: agreement.ratio.japan: a ratio must be a number in [0, 1], got abc",
        ),
    ],
)
def test_a_bad_set_is_echoed_as_written(tmp_path, assignment, message):
    result = invoke("run", CLEAN, "--set", assignment, "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {CLEAN} {message}\n")
    assert "None" not in result.output and "datetime" not in result.output and "'distribution'" not in result.output


def test_a_number_too_large_for_a_float_is_refused_not_echoed_as_inf(tmp_path):
    """``1e400`` used to be read as infinity and echoed ``[set horizon_days=inf]``."""
    result = invoke("run", CLEAN, "--set", "horizon_days=1e400", "-o", tmp_path / "out")
    assert_bad_input(result, "error: --set horizon_days: 1e400 is too large for a number (it would read as infinity)")
    assert "inf]" not in result.output


# --- finding 3: a problem of a --spec sweep file names the file and its key ---------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [  # were "--grid agreement.ratio.japan: ...", "--grid seed: ..." and the first grid point's problem
        ('grid:\n  agreement.ratio.japan: "0:1:0"\n', "grid.agreement.ratio.japan: the step must not be 0"),
        (
            "grid:\n  seed: [1, 2]\n",
            "grid.seed: the seed cannot be swept: each run's seed comes from the root seed (--seed) and its run "
            "number (--runs N gives N seeds per point)",
        ),
        (
            f"grid:\n  {DAYS}: [60, 90]\nset:\n  agreement.ratio.japan: 0.5\n  agreement.ratio.eu: 0.3\n",
            "set.agreement.ratio.japan: agreement.ratio: ratios must sum to 1 (they sum to 0.8, 0.2 short)",
        ),
        (  # the file's set: on its own grid's path: the rule of finding 1, in the file's words
            f"grid:\n  {DAYS}: [60, 90]\nset:\n  {DAYS}: 30\n",
            f"set.{DAYS}: the same path is varied by grid.{DAYS}: each run would use the value grid: gives, not "
            "the fixed one; give the path to set: or to grid:, not both",
        ),
        (
            f"grid:\n  {DAYS}: [60, 90]\nset:\n  shocks.nothing.end: 3\n",
            "set.shocks.nothing.end: shocks.nothing: no item with id 'nothing' (ids: china_embargo)",
        ),
    ],
)
def test_a_sweep_file_problem_names_the_file_and_its_key(tmp_path, monkeypatch, text, message):
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    result = invoke("sweep", CLEAN, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {spec}: {message}\n")


# --- finding 2: an impossible date and a null on a grid are refused for what they are -----------------


def test_an_impossible_date_on_a_date_axis_is_named_as_one(tmp_path, monkeypatch):
    """It was "mixes dates and other values (2026-06-01 and '2026-02-30')": 2026-02-30 is meant as a date."""
    no_run(monkeypatch)
    grid = "shocks.china_embargo.end=2026-06-01,2026-02-30"
    result = invoke("sweep", CLEAN, "--grid", grid, "-o", tmp_path / "out")
    assert_bad_input(
        result, "error: --grid shocks.china_embargo.end: not a valid date '2026-02-30': day is out of range for month\n"
    )


def test_null_on_a_grid_is_a_value_not_an_empty_item(tmp_path, monkeypatch):
    """``null,null`` was "empty item in 'null,null'": null is a value (agreement=null: no agreement), given twice."""
    no_run(monkeypatch)
    result = invoke("sweep", CLEAN, "--grid", "agreement=null,null", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {CLEAN}: --grid agreement: a value is given twice (its points would run twice)\n")
    result = invoke("sweep", CLEAN, "--grid", "agreement.pool=null", "-o", tmp_path / "out")  # named as written
    assert_bad_input(result, f"error: {CLEAN} [agreement.pool=null]: agreement.pool: must be a mapping of fields\n")
    result = invoke("sweep", CLEAN, "--grid", "agreement=null,,", "-o", tmp_path / "out")
    assert_bad_input(result, "error: --grid agreement: empty item in 'null,,'\n")
