"""One home for "is some member short of this material in this row" of ``stockpile compare`` (s61).

The printed table's ``-`` in a material's index column (no member short of it in that row), the materials whose
index stands in for ``fairness_jain`` and ``compare.png``'s ``none short`` all ask it:
:func:`simulator.compare_materials.is_short_of`, of a run's metrics or of a compare.csv row.

A table by hand: members ``a`` and ``b``, materials ``ga`` and ``ge``. Row ``r1``: ``a`` short of 2 t of ga, nobody
of ge; row ``r2``: ``b`` short of 1 t of ge, nobody of ga.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

import simulator.compare_materials as compare_materials
from simulator.compare_materials import FAIRNESS_MATERIALS, SOLE_USERS, is_short_of, short_materials
from simulator.console import compare_text
from tests.helpers import table_cell

SHORT_T = {  # (row, member, material) -> t
    ("r1", "a", "ga"): 2.0,
    ("r2", "b", "ge"): 1.0,
}


def _row(name: str) -> dict:
    short = {f"shortfall_t.{x}.{m}": SHORT_T.get((name, x, m), 0.0) for x in ("a", "b") for m in ("ga", "ge")}
    return {
        "mechanism": name,
        "fairness_jain": 0.5,
        "fairness_jain.all.ga": 0.5,
        "fairness_jain.all.ge": 0.5,
        "max_shortfall_share_gap": 0.1,
        "draw_contribution_gap": 0.0,
        "envious_members": 0,
        "shortfall_share.a": 0.1 if name == "r1" else 0.0,
        "shortfall_share.b": 0.1 if name == "r2" else 0.0,
        **short,
    }


def _table() -> pd.DataFrame:
    table = pd.DataFrame([_row("r1"), _row("r2")])
    table.attrs[FAIRNESS_MATERIALS], table.attrs[SOLE_USERS] = ["ga", "ge"], []
    return table


def test_is_short_of_reads_a_row_or_a_runs_metrics():
    row = _table().iloc[0]
    assert is_short_of(row, ["a", "b"], "ga") and not is_short_of(row, ["a", "b"], "ge")
    assert not is_short_of(row, ["b"], "ga")  # only a is short of it
    runs = [SimpleNamespace(metrics=_row(n), structure=SimpleNamespace(materials=("ga", "ge"))) for n in ("r1", "r2")]
    assert short_materials(runs[:1], ["a", "b"]) == ["ga"]
    assert short_materials(runs, ["a", "b"]) == ["ga", "ge"]


def test_the_printed_table_says_none_short_of_a_material_nobody_is_short_of_in_its_row():
    text = compare_text(_table())
    lines, ga, ge = text.splitlines(), "fairness_jain.all.ga", "fairness_jain.all.ge"
    assert (table_cell(lines, "r1", ga), table_cell(lines, "r1", ge)) == ("0.500", "none short")  # a "-" until s65
    assert (table_cell(lines, "r2", ga), table_cell(lines, "r2", ge)) == ("none short", "0.500")


def test_the_printed_table_asks_the_one_home(monkeypatch):
    monkeypatch.setattr(compare_materials, "is_short_of", lambda figures, members, material: False)
    text = compare_text(_table())
    lines, columns = text.splitlines(), ("fairness_jain.all.ga", "fairness_jain.all.ge")
    assert [table_cell(lines, name, column) for name in ("r1", "r2") for column in columns] == ["none short"] * 4
