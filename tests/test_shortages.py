"""One home for "a member, or anyone, was short of a material" (:mod:`simulator.shortages`), and one sentence for
fairness by material (:func:`simulator.compare_materials.by_material_sentence`).

``stockpile compare`` (a run's metrics, a compare.csv row), the studies (a samples table), the sweep's figures (a
sweep table) and the shortfall figure (a run's daily curves) each read "short" from their own input; they all ask
:func:`simulator.shortages.short` and :func:`~simulator.shortages.short_of`, so moving the threshold there moves
every one of them (``test_every_reader_asks_the_one_home``).

Tables by hand: members ``a`` and ``b``, a non-member ``c``, materials ``ga`` and ``ge``. Run 0: nobody short;
run 1: ``a`` short of 0.5 t of ga; run 2: ``c`` short of 2 t of ge, ``b``'s ge cell empty.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import simulator.shortages as shortages
from simulator.burden import jain_group
from simulator.compare_materials import by_material_sentence, is_short_of
from simulator.compare_materials import short_materials as compare_short_materials
from simulator.names import Names
from simulator.plots.shortfall import short_materials as figure_short_materials
from simulator.shortages import short, short_of, shortfall_column
from simulator.sweep.figures import short_materials as sweep_short_materials

NAN = float("nan")


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "shortfall_t.a.ga": [0.0, 0.5, 0.0],
            "shortfall_t.b.ga": [0.0, 0.0, 0.0],
            "shortfall_t.c.ga": [0.0, 0.0, 0.0],
            "shortfall_t.a.ge": [0.0, 0.0, 0.0],
            "shortfall_t.b.ge": [0.0, 0.0, NAN],
            "shortfall_t.c.ge": [0.0, 0.0, 2.0],
        }
    )


def test_short_is_any_tonne_the_words_show_and_an_empty_cell_is_none():
    assert short([0.0, 1e-12, -1e-12, NAN, 3.0, 1e-6]).tolist() == [False, False, False, False, True, True]
    assert short(pd.array([0.0, None, 0.25], dtype="Float64")).tolist() == [False, False, True]  # pd.NA: none
    assert short(pd.Series([None, 1.0], dtype="Float64")).tolist() == [False, True]
    assert not short(0.0) and short(0.001)
    assert shortfall_column("eu", "heavy_ree") == "shortfall_t.eu.heavy_ree"


def test_short_of_asks_the_regions_named_run_by_run():
    table = _table()
    assert short_of(table, ["a", "b"], "ga").tolist() == [False, True, False]
    assert short_of(table, ["b"], "ga").tolist() == [False, False, False]  # only a is short of it
    assert short_of(table, ["a", "b"], "ge").tolist() == [False, False, False]  # c is, b's cell is empty
    assert short_of(table, ["a", "b", "c"], "ge").tolist() == [False, False, True]
    typed = table.astype({"shortfall_t.b.ge": "Float64", "shortfall_t.c.ge": "Float64"})  # parquet's pd.NA
    typed.loc[2, "shortfall_t.b.ge"] = pd.NA
    assert short_of(typed, ["b", "c"], "ge").tolist() == [False, False, True]
    assert bool(short_of(table.iloc[1], ["a"], "ga")) and not short_of(table.iloc[2], ["a", "b"], "ge")  # one row
    assert short_of(table, [], "ga").shape == () and not short_of(table, [], "ga")
    with pytest.raises(KeyError, match=r"shortfall_t\.d\.ga"):
        short_of(table, ["a", "d"], "ga")  # a region without its figure: the caller named it wrong


def _daily_result() -> SimpleNamespace:
    """A run's daily curves by hand: two days, regions a and c; c short of 2 t of ge on day 1."""
    columns = {
        "region": np.array(["a", "c", "a", "c", "a", "c", "a", "c"]),
        "material": np.array(["ga", "ga", "ga", "ga", "ge", "ge", "ge", "ge"]),
        "shortfall_t": np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
    }
    timeseries = type("Table", (), {"columns": columns, "__len__": lambda self: 8})()
    return SimpleNamespace(tables={"timeseries": timeseries}, structure=SimpleNamespace(materials=("ga", "ge")))


def test_each_reader_reads_its_own_input():
    table = _table()
    scenario = SimpleNamespace(agreement=SimpleNamespace(members=["a", "b"]), regions=["a", "b", "c"])
    assert short_of(table, jain_group(scenario), "ga").tolist() == [False, True, False]
    assert short_of(table, jain_group(scenario), "ge").tolist() == [False, False, False]  # c is no member
    assert sweep_short_materials(table) == ["ga", "ge"]  # any region, sorted by name
    assert sweep_short_materials(table, ["a", "b"]) == ["ga"]
    assert sweep_short_materials(table.drop(columns="shortfall_t.c.ge"), ["b", "c"]) == []  # no column: not asked
    runs = [
        SimpleNamespace(metrics=row, structure=SimpleNamespace(materials=("ge", "ga"))) for _, row in table.iterrows()
    ]
    assert is_short_of(table.iloc[1], ["a", "b"], "ga") and not is_short_of(table.iloc[2], ["a", "b"], "ge")
    assert compare_short_materials(runs, ["a", "b", "c"]) == ["ge", "ga"]  # the scenario's order
    assert figure_short_materials(_daily_result()) == ["ge"]  # every region, any day


def test_every_reader_asks_the_one_home(monkeypatch):
    """With the threshold at 1 t, a's 0.5 t of ga is no shortfall to any reader, and c's 2 t of ge still is."""
    monkeypatch.setattr(shortages, "SHORT_ABOVE_T", 1.0)
    table = _table()
    scenario = SimpleNamespace(agreement=None, regions=["a", "b", "c"])
    assert short_of(table, jain_group(scenario), "ga").tolist() == [False, False, False]
    assert short_of(table, jain_group(scenario), "ge").tolist() == [False, False, True]
    assert sweep_short_materials(table) == ["ge"]
    assert not is_short_of(table.iloc[1], ["a"], "ga")
    runs = [
        SimpleNamespace(metrics=row, structure=SimpleNamespace(materials=("ga", "ge"))) for _, row in table.iterrows()
    ]
    assert compare_short_materials(runs, ["a", "b", "c"]) == ["ge"]
    result = _daily_result()
    result.tables["timeseries"].columns["shortfall_t"][-1] = 0.5
    assert figure_short_materials(result) == []


def _sentence(materials, sole_users, adds, tail=""):
    return by_material_sentence(
        Names(), materials, sole_users, adds, given=lambda why: f"<{why}>", none="none given", sole_tail=tail
    )


def test_one_sentence_for_fairness_by_material():
    assert _sentence(["ga"], [], None) == "<divide each member's shortfall of ga by its demand for every material>"
    assert _sentence(["light_ree", "ga"], [], "tonnes of oxide and of magnet") == "<add tonnes of oxide and of magnet>"
    assert _sentence(["ga"], [("co", "eu")], "x", tail=", so no index") == (
        "<add x>; only the EU uses co: no burden of it to share, so no index"
    )
    assert _sentence([], [("co", "eu"), ("ge", "japan")], "x") == (
        "none given; only the EU uses co: no burden of it to share; only Japan uses ge: no burden of it to share"
    )
