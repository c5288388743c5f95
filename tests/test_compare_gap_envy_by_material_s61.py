"""``stockpile compare``'s printed table gives the largest gap and the envy by material where fairness is (s61).

Where each material's own Jain's index stands in for ``fairness_jain`` (tonnes that may not be added, or one
material short), ``max_shortfall_share_gap`` over all materials compares the same added shares: the table gives
``max_shortfall_share_gap.all.<material>`` of the same materials in its place. Where the pool's tonnes may not be
added, ``envious_members`` adds them (draws and contributions summed over materials) as ``draw_contribution_gap``
does: the table gave ``envious_members.all.<material>`` of each material paid in. compare.csv has both figures
over all materials and those of each material. Since s65 the printed table leaves the columns by material of the
gap, the draw gap and envy out (one per material each, they made it some 330 characters wide) and its last line
says that compare.csv has them: the figures are checked there.

``long_embargo_6m`` (oxide and magnet, light and heavy rare earths priced far apart) under fair_ratio and
iea_ess: the members' shortfall shares by material are read from the runs, and the largest gap is worked out here
as the highest share less the lowest among the members with demand for the material.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.compare import BASELINE, compare
from simulator.compare_materials import FAIRNESS_MATERIALS, SOLE_USERS
from simulator.console import compare_text
from simulator.scenario import load_raw
from tests.helpers import ROOT, table_cell

MEMBERS = ("japan", "eu")
MATERIALS = ("light_ree", "heavy_ree")  # ndfeb_magnets: only the EU uses them, no index, no gap

pytestmark = pytest.mark.xdist_group("compare-materials")


@pytest.fixture(scope="module")
def compared():
    path = "scenarios/long_embargo_6m.yaml"
    comparison = compare(load_raw(ROOT / path), ["fair_ratio", "iea_ess"], path)
    return comparison, comparison.table()


def _gap(metrics, material: str) -> float:
    """Highest share less lowest, among the members (both use both rare earths here, so both count)."""
    shares = [float(metrics[f"shortfall_share.{m}.{material}"]) for m in MEMBERS]
    return max(shares) - min(shares)


def _cells(text: str, name: str) -> dict[str, str]:
    """The row ``name`` of the printed table, each column's cell (:func:`tests.helpers.table_cell`)."""
    lines = text.splitlines()
    return {column: table_cell(lines, name, column) for column in lines[0].split()}


def test_compare_csv_gives_the_gap_and_envy_of_each_material_the_printed_table_leaves_out(compared):
    comparison, table = compared
    text = compare_text(table)
    header = text.splitlines()[0].split()
    assert not [c for c in header if c.startswith(("max_shortfall_share_gap", "envious_members"))], header
    assert text.splitlines()[-1] == (
        "compare.csv has every column; this table leaves out max_shortfall_share_gap.all.MATERIAL, "
        "draw_contribution_gap.all.MATERIAL and envious_members.all.MATERIAL"
    )
    gaps = [f"max_shortfall_share_gap.all.{m}" for m in MATERIALS]
    envy = [f"envious_members.all.{m}" for m in MATERIALS]
    rows = table.set_index("mechanism")
    iea = comparison.results["iea_ess"].metrics
    for m in MATERIALS:
        assert rows.loc["iea_ess", f"max_shortfall_share_gap.all.{m}"] == pytest.approx(_gap(iea, m), abs=1e-9)
        assert rows.loc["iea_ess", f"envious_members.all.{m}"] == int(iea[f"envious_members.all.{m}"])
    # compare.csv has both figures over all materials too, and each material's
    assert {*gaps, *envy} <= set(table.columns)
    assert table["max_shortfall_share_gap"].notna().all()


def test_a_baseline_row_gives_the_members_gap_and_no_envy(compared):
    comparison, table = compared
    without = comparison.baselines[BASELINE].metrics
    row = table.set_index("mechanism").loc[BASELINE]
    for m in MATERIALS:
        assert row[f"max_shortfall_share_gap.all.{m}"] == pytest.approx(_gap(without, m), abs=1e-9)
        assert pd.isna(row[f"envious_members.all.{m}"])  # no pool


def test_envy_over_all_materials_says_so_where_the_pools_tonnes_add():
    table = pd.DataFrame(
        [
            {
                "mechanism": "r1",
                "fairness_jain": 0.5,
                "fairness_jain.all.ga": 0.5,
                "max_shortfall_share_gap": 0.4,
                "max_shortfall_share_gap.all.ga": 0.25,
                "draw_contribution_gap": 0.0,
                "envious_members": 1,
                "shortfall_share.a": 0.1,
                "shortfall_share.b": 0.0,
                "shortfall_t.a.ga": 2.0,
                "shortfall_t.b.ga": 0.0,
            }
        ]
    )
    table.attrs[FAIRNESS_MATERIALS], table.attrs[SOLE_USERS] = ["ga"], []
    text = compare_text(table)
    assert text.splitlines()[0].split()[1:] == ["fairness_jain.all.ga", "draw_contribution_gap", "envious_members"]
    assert list(_cells(text, "r1").values()) == ["r1", "0.500", "0.000", "1"]
    assert "envious_members: over all materials' draws and contributions, added" in text.splitlines()
    assert text.splitlines()[-1].endswith("this table leaves out max_shortfall_share_gap.all.MATERIAL")
