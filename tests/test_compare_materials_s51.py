"""compare.csv and ``simulator.compare()`` carry the members' shortfall per material (audit s51 item 6).

Named as sweep.parquet names them: ``total_shortfall_t.all.<material>`` (the members'), then
``shortfall_t.<member>.<material>``, appended after the columns compare.csv had, which keep their order.
The printed table, where tonnes may not be added, heads its per-material columns with the same names.

``long_embargo_6m`` (docs/getting-started-policy.md): without the agreement the members are short
3,956.3 t of light and 182.9 t of heavy rare earths and 5,927.0 t of NdFeB magnets (all the EU's);
under ``iea_ess`` 1,184.3 t of light, 27.8 t of heavy (53 t before s61 levelled the IEA rule's obligations) and
the same magnets.
"""

from __future__ import annotations

import pandas as pd
import pytest

import simulator
from simulator.compare import BASELINE, OWN_SHARES, compare
from tests.helpers import TWO_MEMBERS, build, invoke
from tests.test_compare_baseline import WITH_KOREA

MATERIALS = ("light_ree", "heavy_ree", "ndfeb_magnets")
MEMBERS = ("japan", "eu")
EARLIER = [  # compare.csv's columns before (no market in long_embargo_6m)
    "mechanism",
    "total_shortfall_t",  # the agreement-wide columns, as compare.csv has had them (registry: compare_order)
    "fairness_jain",
    "max_shortfall_share_gap",
    "draw_contribution_gap",
    "envious_members",
    "unused_release_t",
    "pool_end_t",
    *(
        f"{name}.{member}"
        for member in MEMBERS
        for name in (
            "shortfall_t",
            "shortfall_share",
            "first_shortfall_day",
            "auction_spend_usd",
            "draw_to_contribution",
            "net_position_usd",
        )
    ),
]
APPENDED = [
    *(f"total_shortfall_t.all.{m}" for m in MATERIALS),
    *(f"shortfall_t.{member}.{m}" for member in MEMBERS for m in MATERIALS),
]
BY_MATERIAL = [  # session 61: each material's fairness and pool figures, after them
    *(
        f"{name}.all.{m}"
        for name in (
            "fairness_jain",
            "max_shortfall_share_gap",
            "draw_contribution_gap",
            "envious_members",
            "unused_release_t",  # session 62, as sweep.parquet has it
            "pool_end_t",
        )
        for m in MATERIALS
    ),
    *(f"draw_to_contribution.{member}.{m}" for member in MEMBERS for m in MATERIALS),
]
LAST = ["skipped"]  # session 62: in every comparison, empty where the rule ran


pytestmark = pytest.mark.xdist_group("compare-materials")  # one comparison (the fixture), also under pytest -n


@pytest.fixture(scope="module")
def table():
    return simulator.compare("long_embargo_6m", "fair_ratio,iea_ess").set_index("mechanism", drop=False)


def test_columns_are_appended_in_the_sweeps_names(table):
    assert list(table.columns) == [*EARLIER, *APPENDED, *BY_MATERIAL, *LAST]
    with pytest.warns(UserWarning, match="tonnes of magnet and tonnes of oxide") as caught:  # both notes, as the CLI
        sweep = simulator.sweep("long_embargo_6m", grid={"agreement.mechanism": ["iea_ess"]})
    said = [str(warning.message) for warning in caught]
    assert any("add tonnes of magnet and tonnes of oxide" in text for text in said)
    assert any(text.startswith("fairness_jain adds") for text in said)  # in memory: no figure reads it
    assert set(APPENDED) <= set(sweep.columns)  # the same names as sweep.parquet's
    for column in APPENDED:
        assert table.loc["iea_ess", column] == pytest.approx(float(sweep[column].iloc[0]), abs=1e-9), column


def test_values_add_up_and_match_the_docs(table):
    for _, row in table.iterrows():
        for m in MATERIALS:  # each material's total is the members' shortfall of it
            assert row[f"total_shortfall_t.all.{m}"] == pytest.approx(sum(row[f"shortfall_t.{x}.{m}"] for x in MEMBERS))
        # oxide and magnet: the totals that would add them are empty, as the command says "not added"
        assert all(pd.isna(row[c]) for c in ("total_shortfall_t", *(f"shortfall_t.{member}" for member in MEMBERS)))
    got = {name: [round(table.loc[name, f"total_shortfall_t.all.{m}"], 1) for m in MATERIALS] for name in table.index}
    assert got[BASELINE] == [3956.3, 182.9, 5927.0]
    assert got["iea_ess"] == [1184.3, 27.8, 5927.0]
    assert table.loc[OWN_SHARES, "shortfall_t.japan.light_ree"] == 0  # Japan holds its own stock alone
    assert table.loc["iea_ess", "shortfall_t.eu.ndfeb_magnets"] == pytest.approx(5927.016)


def test_the_baseline_rows_count_the_members_only():
    """A third region outside the agreement, short 40 t of its 50 t, is not in the members' 10 + 20 t."""
    comparison = compare(WITH_KOREA, ["fair_ratio"], "s.yaml")
    table = comparison.table().set_index("mechanism")
    assert table.loc[BASELINE, "total_shortfall_t.all.ree"] == pytest.approx(30)
    assert comparison.baseline.metrics["total_shortfall_t.all.ree"] == pytest.approx(70)  # every region's
    assert table.loc[BASELINE, "shortfall_t.eu.ree"] == pytest.approx(20)
    assert "shortfall_t.korea.ree" not in table.columns
    assert table.loc["fair_ratio", "total_shortfall_t.all.ree"] == 0


def test_the_printed_names_are_csv_columns(tmp_path):
    out = tmp_path / "cmp"
    result = invoke("compare", "long_embargo_6m", "--mechanisms", "iea_ess", "--no-plots", "-o", str(out))
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    csv_columns = (out / "compare.csv").read_text().splitlines()[0].split(",")
    assert header[1:4] == [f"total_shortfall_t.all.{m}" for m in MATERIALS]
    assert set(header[1:4]) <= set(csv_columns)
    assert csv_columns == [*EARLIER, *APPENDED, *BY_MATERIAL, *LAST]


def test_a_skipped_rule_leaves_the_new_cells_empty():
    data = build(TWO_MEMBERS, horizon_days=10)
    table = compare(data, ["fair_ratio", "auction"], "s.yaml").table().set_index("mechanism")
    assert "auction" in table.index and table.loc["auction", "skipped"]
    assert table.loc["auction", ["total_shortfall_t.all.ree", "shortfall_t.eu.ree"]].isna().all()
