"""``stockpile compare`` on ``club_of_five``: fairness and the pool's figures by material (session 61).

Light and heavy rare earths are priced far apart, and the members are short of both in some rows: the printed table
gives the members' shortfall by material, and so Jain's index of each material (``fairness_jain.all.<material>``) in
place of the index over all materials, and the gap between draws and contributions of each. compare.csv keeps
``fairness_jain`` and leaves the pool's figures that add both materials' tonnes empty, given by material beside them.
"""

from __future__ import annotations

import math

import pytest

from simulator.console import compare_text
from tests.helpers import shipped_comparison, shipped_group, table_cell

pytestmark = shipped_group("club_of_five")

MEMBERS = ("japan", "eu", "united_states", "south_korea", "australia")


def _jain(shares: list[float]) -> float:
    """(sum x)^2 / (n sum x^2) over the shares given (1 where none is short)."""
    squares = sum(x * x for x in shares)
    return 1.0 if squares == 0 else sum(shares) ** 2 / (len(shares) * squares)


@pytest.fixture(scope="module")
def compared():
    comparison = shipped_comparison("club_of_five")  # hybrid, iea_ess and the baselines
    return comparison, comparison.table()


def test_the_printed_table_gives_fairness_and_the_draw_gap_by_material(compared):
    _, table = compared
    lines = compare_text(table).splitlines()
    header = lines[0].split()
    by_material = ["fairness_jain.all.light_ree", "fairness_jain.all.heavy_ree"]
    assert [c for c in header if c.startswith("fairness_jain")] == by_material
    # the draw gap by material is compare.csv's (draw_contribution_gap.all.<material>): the table leaves it out (s65)
    assert not [c for c in header if c.startswith("draw_contribution_gap")]
    assert {"draw_contribution_gap.all.light_ree", "draw_contribution_gap.all.heavy_ree"} <= set(table.columns)
    assert any(
        line.startswith("fairness_jain.all.MATERIAL: ") and "tonnes of materials priced far apart" in line
        for line in lines
    )
    assert "draw_contribution_gap.all.MATERIAL" in lines[-1] and lines[-1].startswith("compare.csv has every column")
    # iea_ess's row: each material's index as its run has it (cells are right-aligned under their column's name,
    # and a cell may hold words: "above 0.9999")
    # levelled obligations (release/ess.py) leave every member short by nearly the same share
    assert table_cell(lines, "iea_ess", "fairness_jain.all.heavy_ree") == "1.000"
    assert table_cell(lines, "iea_ess", "fairness_jain.all.light_ree") == "above 0.9999"


def test_the_baseline_index_of_heavy_rare_earths_counts_the_members_using_them(compared):
    comparison, table = compared
    without = comparison.baselines["no agreement"]
    # Australia uses no heavy rare earths: four members' shares
    shares = [float(without.metrics[f"shortfall_share.{m}.heavy_ree"]) for m in MEMBERS if m != "australia"]
    cell = float(table.set_index("mechanism").loc["no agreement", "fairness_jain.all.heavy_ree"])
    assert math.isclose(cell, _jain(shares), rel_tol=1e-12)
    assert round(cell, 3) == 0.731


def test_compare_csv_leaves_the_pool_totals_empty_and_gives_them_by_material(compared):
    comparison, table = compared
    rows = table.set_index("mechanism")
    pool_totals = ["draw_contribution_gap", "pool_end_t", *(f"draw_to_contribution.{m}" for m in MEMBERS)]
    assert rows[pool_totals].isna().all().all()
    assert rows["fairness_jain"].notna().all()  # an index, kept
    iea = comparison.results["iea_ess"].metrics
    by_material = rows.loc["iea_ess", ["pool_end_t.all.light_ree", "pool_end_t.all.heavy_ree"]]
    assert math.isclose(float(by_material.sum()), float(iea["pool_end_t"]), rel_tol=1e-12)  # what the total added
    assert float(by_material["pool_end_t.all.heavy_ree"]) < 0.02 * float(by_material["pool_end_t.all.light_ree"])
