"""The record reader (:func:`simulator.calibrate.read_record`): cases that hand-applied mutants of its
header, trailing-cell, repeat and value checks got through the earlier tests.

Every record is MARKET_WORLD's (one region, Japan, from 1 Jan 2020, 121 days), written by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.calibrate import read_record
from simulator.errors import InputError
from simulator.scenario import validate_data
from tests.helpers import build
from tests.test_calibrate import HEADER, MARKET_WORLD

PRICE = "2020-02-01,price,world,ree,,month,80,1\n"


def read(tmp_path: Path, text: str, data: dict = MARKET_WORLD):
    path = tmp_path / "record.csv"
    path.write_text(text)
    return read_record(path, validate_data(data, "world.yaml"))


def problems(tmp_path: Path, text: str, data: dict = MARKET_WORLD) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(tmp_path, text, data)
    return [p.render(None) for p in caught.value.problems]


def test_a_trailing_cell_of_spaces_is_no_value(tmp_path: Path):
    """``80,1, `` ends with a space after a comma: an empty cell, as a spreadsheet's trailing comma, not a value."""
    record = read(tmp_path, HEADER + PRICE.replace("\n", ", \n") + PRICE.replace("02-01", "03-01"))
    assert list(record["value"]) == [80.0, 80.0]


def test_a_column_named_twice_with_a_space_is_named_twice(tmp_path: Path):
    """``value`` and ``value `` are one name as written: pandas would read the first and drop the other."""
    with pytest.raises(InputError, match=r"column\(s\) named twice: value"):
        read(tmp_path, HEADER.replace("weight", "value ") + PRICE)


def test_every_repeat_names_the_first_row_it_repeats(tmp_path: Path):
    """Rows 2, 3 and 4 observe the same month's price: rows 3 and 4 each repeat row 2, the first."""
    assert problems(tmp_path, HEADER + PRICE * 3) == [
        f"row {k}: repeats row 2 (2020-02-01, price, world, ree, month): keep one, or give each half the weight"
        for k in (3, 4)
    ]


def test_two_suppliers_exports_in_one_month_are_two_observations(tmp_path: Path):
    """China's and Lynas's exports of February are two series, not one observed twice."""
    data = build(MARKET_WORLD, suppliers__lynas={"lead_time_days": {"japan": 30}})
    rows = "2020-02-01,exports,all,ree,china,month,290,1\n2020-02-01,exports,all,ree,lynas,month,10,1\n"
    record = read(tmp_path, HEADER + rows, data)
    assert list(record["supplier"]) == ["china", "lynas"] and list(record["value"]) == [290.0, 10.0]


def test_a_value_of_0_is_refused(tmp_path: Path):
    """Errors are taken in logs: a value of 0 has none."""
    assert problems(tmp_path, HEADER + PRICE.replace(",80,", ",0,")) == [
        "row 2.value: must be a finite number above 0 (errors are in logs)"
    ]


def test_a_value_or_weight_at_its_limit_is_read(tmp_path: Path):
    """The limits are inclusive ("at most"): 10,000,000 USD/kg, 1e9 t and a weight of 1e9 are read; one more is not."""
    rows = PRICE.replace(",80,1", ",10000000,1e9") + "2020-02-01,demand,japan,ree,,month,1e9,1\n"
    record = read(tmp_path, HEADER + rows)
    assert list(record["value"]) == [1e7, 1e9] and list(record["weight"]) == [1e9, 1.0]
    (told,) = problems(tmp_path, HEADER + PRICE.replace(",80,", ",10000001,"))
    assert told.startswith("row 2.value: 1e+07 USD/kg is more than a record can hold")
    (told,) = problems(tmp_path, HEADER + PRICE.replace(",80,1", ",80,1000000001"))
    assert told.startswith("row 2.weight: must be a number from 0 to 1e+09")


def test_a_price_of_all_materials_is_refused(tmp_path: Path):
    """Tonnes of all materials add up; prices of all materials do not: 'all' is for tonnes only."""
    assert problems(tmp_path, HEADER + PRICE.replace(",ree,", ",all,")) == ["row 2.material: unknown material 'all'"]
    assert list(read(tmp_path, HEADER + "2020-02-01,demand,japan,all,,month,290,1\n")["material"]) == ["all"]


def test_a_blank_period_is_the_quantitys_own(tmp_path: Path):
    """No period given: imports are monthly (February 2020: days 31 to 59, its end day 60), a price daily."""
    rows = "2020-02-01,imports,japan,ree,china,,290,1\n2020-02-01,price,world,ree,,,80,1\n"
    record = read(tmp_path, HEADER + rows)
    assert list(record["period"]) == ["month", "day"]
    assert list(zip(record["first_day"], record["end_day"], strict=True)) == [(31, 60), (31, 32)]
