"""A share above 0 that ``0.00%`` would show as 0.00% reads ``<0.01%`` in the workbook (audit s51 item 17).

The audit's sweep had ``shortfall_share.eu`` = 3.5e-05 (the EU 0.43 t short): ``0.00%`` read as not short.
"""

from __future__ import annotations

import openpyxl
import pandas as pd

from simulator import workbook
from simulator.workbook import sweep_workbook

TINY = '[=0]0.00%;[<0.00005]"<0.01%";0.00%'


def _formats(tmp_path, table: pd.DataFrame) -> dict[str, list[str]]:
    path = sweep_workbook(table, {}, tmp_path / "workbook.xlsx", {})
    rows = list(openpyxl.load_workbook(path)["Sweep"].iter_rows())
    return {str(h.value): [row[k].number_format for row in rows[1:]] for k, h in enumerate(rows[0])}


def test_a_tiny_share_column_gets_a_format_that_shows_it(tmp_path):
    table = pd.DataFrame(
        {
            "run": [0, 1, 2],
            "shortfall_share.eu": [3.5e-05, 0.0, 0.5],  # 0.0035%, none, 50%
            "shortfall_share.japan": [0.0, 0.25, 0.5],
            "max_shortfall_share_gap": [3.5e-05, 0.25, 0.00005],
        }
    )
    formats = _formats(tmp_path, table)
    assert formats["shortfall_share.eu (fraction)"] == [TINY] * 3
    assert formats["max_shortfall_share_gap (fraction)"] == [TINY] * 3
    assert formats["shortfall_share.japan (fraction)"] == ["0.00%"] * 3  # nothing to hide: as before
    shown = [workbook._as_text(v, TINY) for v in (3.5e-05, 0.0, 0.5, 0.00005, 4.9999e-05)]
    assert shown == ["<0.01%", "0.00%", "50.00%", "0.01%", "<0.01%"]  # 0.005% rounds to 0.01% already


def test_a_column_with_negative_values_keeps_its_format(tmp_path):
    # Excel's conditional sections would show a negative value without its sign
    assert workbook._number_format("change_share", pd.Series([-0.2, 3.5e-05])) == "0.00%"
    assert workbook._number_format("shortfall_share", pd.Series([None, 3.5e-05])) == TINY
    # tonnes: not a share's "<0.01%", but its digits below 1 t (test_workbook_s60)
    assert workbook._number_format("shortfall_t", pd.Series([3.5e-05])) == "[<1]0.00###;#,##0.00"
