"""Column tables: the CSV ``stockpile run`` writes without pandas is what pandas would write."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.table import Table, column_array
from tests.helpers import each_shipped, shipped_group, shipped_result

TABLES = ["timeseries", "summary", "supply", "pool", "market", "releases", "auctions", "shocks", "portfolio", "ledger"]


@shipped_group("embargo_2010")
def test_each_table_is_an_attribute_made_once_from_its_columns():
    result = shipped_result("embargo_2010")
    assert sorted(result.tables) == sorted(TABLES)
    for name in TABLES:
        frame = getattr(result, name)
        assert isinstance(frame, pd.DataFrame)
        assert getattr(result, name) is frame  # made once
        pd.testing.assert_frame_equal(frame, result.tables[name].frame())


@pytest.mark.parametrize("name", each_shipped())
def test_each_table_of_each_shipped_run_is_written_as_pandas_writes_it(name):
    result = shipped_result(name)
    assert sorted(result.tables) == sorted(TABLES)
    for table, columns in result.tables.items():
        frame = getattr(result, table)
        assert columns.csv_text() == frame.to_csv(index=False), (name, table)
        assert list(frame.columns) == list(columns.columns)


@shipped_group("embargo_2010")
def test_summary_frame_keeps_whole_numbers_whole_and_empty_in_the_all_rows():
    summary = shipped_result("embargo_2010").summary
    assert summary["shortfall_days"].dtype == "Int64"
    assert summary.loc[summary["region"] == "all", "shortfall_days"].isna().all()
    assert summary.loc[summary["region"] != "all", "first_shortfall_day"].tolist() == [-1, -1, -1, -1]


def test_awkward_values_are_written_as_pandas_writes_them():
    table = Table(
        {
            "x": np.array([0.1 + 0.2, -0.0, 1e16, 1e-5, 1e-4, np.nan, np.inf, -np.inf, 5e-324, 1.7976931348623157e308]),
            "n": np.array([1, np.nan, 3, 4, 5, 6, 7, 8, 9, 10], dtype=float),
            "k": np.arange(-5, 5),
            "b": np.array([True, False] * 5),
            "s": np.array(["a,b", 'say "hi"', "two\nlines", "", None, "é", " x", "1", "nan", "-"], dtype=object),
        },
        nullable_int=frozenset({"n"}),
    )
    text = table.csv_text()
    assert text == table.frame().to_csv(index=False)
    assert text.splitlines()[:2] == ["x,n,k,b,s", '0.30000000000000004,1,-5,True,"a,b"']
    assert text.splitlines()[2] == '-0.0,,-4,False,"say ""hi"""'


def test_a_table_without_rows_has_its_header_and_one_column_of_nan_is_quoted():
    empty = Table.from_rows([], ["day", "material"])
    assert empty.csv_text() == "day,material\n" == empty.frame().to_csv(index=False)
    lone = Table({"x": np.array([np.nan, 1.5])})
    assert lone.csv_text() == 'x\n""\n1.5\n' == lone.frame().to_csv(index=False)


ROW_SETS = [
    [{"a": 1, "b": 2.5}, {"a": 2, "b": 3}],
    [{"a": 1, "b": None}, {"a": None, "b": "x"}],
    [{"a": True, "b": np.float64(1.0)}, {"a": False, "b": np.float64("nan")}],
    [{"a": np.int64(3), "b": None}, {"a": 4, "b": None}],
    [{"a": "x"}, {"b": 1}],
    [{"a": None}, {"b": 1}],  # None and absent: a float column of NaN
    [{"a": None}, {"a": None}],  # None only: an object column
]


@pytest.mark.parametrize("rows", ROW_SETS)
def test_columns_from_rows_have_the_types_pandas_gives_them(rows):
    table = Table.from_rows(rows)
    expected = pd.DataFrame(rows)
    pd.testing.assert_frame_equal(table.frame(), expected)
    assert table.csv_text() == expected.to_csv(index=False)


def test_column_types():
    assert column_array([1, np.int64(2)]).dtype == np.int64
    assert column_array([1, 2.5]).tolist() == [1.0, 2.5]
    assert math.isnan(column_array([1.0, None])[1])
    assert column_array([True, np.bool_(False)]).dtype == bool
    assert column_array([1, True]).dtype == object  # pandas keeps a mix of bools and numbers as objects
    assert pd.DataFrame({"a": [1, True]})["a"].dtype == object


def test_rows_give_plain_values_and_none_where_missing():
    table = Table(
        {"region": np.array(["eu", "all"], dtype=object), "days": np.array([3.0, np.nan]), "x": np.array([0.5, 2.0])},
        nullable_int=frozenset({"days"}),
    )
    rows = table.rows()
    assert rows == [{"region": "eu", "days": 3, "x": 0.5}, {"region": "all", "days": None, "x": 2.0}]
    assert type(rows[0]["days"]) is int and type(rows[0]["x"]) is float


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30),
    st.lists(st.text(max_size=6), min_size=1, max_size=30),
)
def test_any_floats_and_text_are_written_as_pandas_writes_them(numbers, texts):
    n = min(len(numbers), len(texts))
    table = Table({"x": np.array(numbers[:n]), "s": np.array(texts[:n], dtype=object)})
    assert table.csv_text() == table.frame().to_csv(index=False)
