"""A tonnage column's plain format is the one every number column gets (session 60 review).

``_tonnes_format`` built its own ``#,##0.`` + decimals: at 0 decimals that is ``#,##0.`` (a trailing point),
where every other column at 0 decimals shows ``#,##0``. It now takes ``_number_format``'s.
"""

from __future__ import annotations

import pandas as pd

from simulator.workbook import Unit, _number_format


def test_a_tonnage_at_0_decimals_shows_as_any_number_at_0_decimals():
    tonnes = pd.Series([12.0, 1234.0])
    assert _number_format("shortfall_t", tonnes, Unit("t", 0)) == "#,##0"
    assert _number_format("stock_usd", tonnes, Unit("USD", 0)) == "#,##0"
    assert _number_format("shortfall_t", tonnes, Unit("t", 2)) == "#,##0.00"
    # below 1 t, a value the decimals would round shows up to 5 decimals, 1 t and more as plain
    assert _number_format("shortfall_t", pd.Series([0.4, 12.0]), Unit("t", 0)) == "[<1]0.#####;#,##0"
