"""The errors against the record list each series' materials in the scenario's order (light before heavy).

The 2010 record lists the heavy rare earths' price first; the calibration printout and the report's "Against
the record" table listed it first too, while fit.png and every other table put light first.
"""

from __future__ import annotations

import math

import pandas as pd

from simulator.calibrate import error_table


def _rows(quantity: str, material: str, model: float, record: float, inside: bool) -> dict[str, object]:
    return {
        "quantity": quantity,
        "region": "world",
        "material": material,
        "supplier": "",
        "in_sample": inside,
        "log_error": math.log(model / record),
    }


def test_error_rows_follow_the_scenarios_materials_within_the_records_series_order():
    table = pd.DataFrame(
        [
            _rows("price", "heavy_ree", 200, 100, True),  # the record's first row: heavy, model twice the record
            _rows("price", "light_ree", 50, 100, True),  # half the record
            _rows("imports", "all", 110, 100, False),
            _rows("price", "light_ree", 50, 100, False),
        ]
    )
    errors = error_table(table, ["light_ree", "heavy_ree"])
    got = [(r.quantity, r.material, r.sample) for r in errors.itertuples()]
    assert got == [
        ("price", "light_ree", "in"),
        ("price", "heavy_ree", "in"),
        ("imports", "all", "out"),
        ("price", "light_ree", "out"),
    ]
    assert list(errors["mean_error_pct"].round(6)) == [-50.0, 100.0, 10.0, -50.0]  # 50/100 - 1; 200/100 - 1; ...
    assert [(r.material, r.sample) for r in error_table(table).itertuples()][:2] == [  # no scenario: the record's
        ("heavy_ree", "in"),
        ("light_ree", "in"),
    ]
