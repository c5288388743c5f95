"""The Python API against the command: every figure and table ``stockpile run`` writes, and help on its names."""

from __future__ import annotations

import copy
import inspect
import pydoc
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import simulator
import simulator.api
from simulator.cli import main
from tests.helpers import TWO_MEMBERS, build

MARKET = {"ree": {"reference_price_usd_per_kg": 50.0}}
"""A market for ``TWO_MEMBERS``'s one material, every other setting the default; the start price is its 50 USD/kg."""


def with_market() -> dict:
    data = copy.deepcopy(TWO_MEMBERS)
    data["market"] = copy.deepcopy(MARKET)
    return data


def run_cli(data: dict, folder: Path, *extra: str) -> Path:
    """``stockpile run`` of ``data`` (written to a file) into ``folder``."""
    import yaml

    path = folder.parent / f"{folder.name}.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(main, ["run", str(path), "-o", str(folder), *extra])
    assert result.exit_code == 0, result.output
    return folder


# --- figures: the PNG files of stockpile run -----------------------------------------------------


@pytest.mark.parametrize("market", [False, True], ids=["without_market", "with_market"])
def test_figures_are_the_pngs_stockpile_run_writes(tmp_path, market):
    data = with_market() if market else copy.deepcopy(TWO_MEMBERS)
    folder = run_cli(data, tmp_path / "out")
    pngs = sorted(p.stem for p in folder.glob("*.png"))
    assert ("prices" in pngs) is market  # the command draws prices exactly when there is a market
    figures = simulator.run(data).figures()
    assert sorted(figures) == pngs
    # the prices panel draws the market table's world price, which starts at the reference price
    if market:
        lines = [line for ax in figures["prices"].axes for line in ax.get_lines()]
        world = [line for line in lines if line.get_label().startswith("world price")]
        assert world and world[0].get_ydata()[0] == pytest.approx(MARKET["ree"]["reference_price_usd_per_kg"])


# --- the market table: the rows of market.csv -----------------------------------------------------


def test_market_table_has_the_rows_of_market_csv(tmp_path):
    data = build(with_market(), start_date="2010-07-01")
    csv = pd.read_csv(run_cli(data, tmp_path / "out", "--no-plots") / "market.csv")
    market = simulator.run(data).market
    assert list(market.columns) == list(csv.columns)
    assert len(market) == len(csv) == 60  # one row per day of the horizon, one material
    assert market["day"].tolist() == csv["day"].tolist() == list(range(60))
    assert market["date"].tolist() == pd.to_datetime(csv["date"]).tolist()
    assert market["date"].iloc[31] == pd.Timestamp("2010-08-01")  # day 31 after 1 July
    assert market["material"].tolist() == csv["material"].tolist()
    for column in ("world_price_usd_per_kg", "perceived_risk", "cover_ratio"):
        assert np.allclose(market[column].to_numpy(), csv[column].to_numpy(), rtol=1e-12, atol=0), column
    # the price starts at the reference price and rises under a total embargo
    price = market["world_price_usd_per_kg"]
    assert price.iloc[0] == pytest.approx(50.0) and price.iloc[-1] > price.iloc[0]


def test_market_table_is_typed_with_units_like_the_other_tables():
    result = simulator.run(with_market())
    market = result.market
    assert market["day"].dtype == result.pool["day"].dtype == "Int64"
    assert market["date"].dtype == result.pool["date"].dtype == "datetime64[s]"
    assert market["date"].isna().all()  # no start_date
    for column in ("world_price_usd_per_kg", "perceived_risk", "cover_ratio"):
        assert market[column].dtype == "float64"
    assert market.attrs["units"] == {
        "day": "day",
        "date": "date",
        "material": "id",
        "world_price_usd_per_kg": "USD/kg",
        "perceived_risk": "fraction",
        "cover_ratio": "fraction",
    }
    assert {c: result.units[c] for c in market.columns} == market.attrs["units"]


def test_market_table_without_a_market_holds_the_fixed_price(tmp_path):
    folder = run_cli(copy.deepcopy(TWO_MEMBERS), tmp_path / "out", "--no-plots")
    assert not (folder / "market.csv").exists()  # as the command: no file without a market
    market = simulator.run(TWO_MEMBERS).market
    assert len(market) == 60
    assert (market["world_price_usd_per_kg"] == TWO_MEMBERS["materials"]["ree"]["price_usd_per_kg"]).all()
    assert (market["perceived_risk"] == 0).all() and (market["cover_ratio"] == 1).all()


# --- help on sweep, compare and report -----------------------------------------------------------


@pytest.mark.parametrize("name", ["sweep", "compare", "report", "run"])
def test_help_shows_the_api_functions_signature_and_docstring(name):
    shown = getattr(simulator, name)
    function = getattr(simulator.api, name)
    text = pydoc.render_doc(shown, renderer=pydoc.plaintext)
    assert f"{name}{inspect.signature(function)}" in text
    assert inspect.getdoc(function).splitlines()[0] in text
    for internal in ("Layer:", "PACKAGE CONTENTS", "class Comparison", "FILE"):
        assert internal not in text, internal
    assert inspect.signature(shown) == inspect.signature(function)
    assert inspect.getdoc(shown) == inspect.getdoc(function)  # what IPython's ``?`` shows


def test_the_subpackages_stay_reachable_through_the_api_functions(monkeypatch):
    import simulator.compare
    import simulator.sweep.figures as figures
    from simulator.sweep import plan_sweep

    module = sys.modules["simulator.compare"]
    assert simulator.sweep.plan_sweep is plan_sweep and simulator.sweep.figures is figures
    stand_in = object()
    monkeypatch.setattr(simulator.compare, "compare", stand_in)  # patches the module, as before
    assert module.compare is stand_in
    monkeypatch.undo()
    assert module.compare is not stand_in
    assert "parse_mechanisms" in dir(simulator.compare)
