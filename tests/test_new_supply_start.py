"""new_supply_2031's start on 1 Jan 2027: the stocks it assumes rebuilt and the model's start-up gap.

The audit found the file starting with full stocks although china_2025_licensing, which it
continues, ends 2026 with none commercial and 3.4 t pooled; and its licensing starting on day 0
with no application in review, so China's approved shipments begin only after the processing
time. Both are key assumptions the report prints; these tests work their numbers again.
"""

from __future__ import annotations

import yaml

from simulator.api import run as api_run
from tests.helpers import ROOT, shipped_group, shipped_result

PATH = ROOT / "scenarios" / "new_supply_2031.yaml"
MEAN_PROCESSING_DAYS = (20 + 45 + 63) / 3  # triangular 20/45/63 [LA33]


def _statement(word: str) -> str:
    found = [a["statement"] for a in yaml.safe_load(PATH.read_text())["assumptions"] if word in a["statement"]]
    assert len(found) == 1
    return " ".join(found[0].split())


def _total(summary) -> float:
    return float(summary["shortfall_t"].sum())


@shipped_group("new_supply_2031")
def test_the_start_up_gap_is_the_approved_flow_over_the_processing_time():
    supply = shipped_result("new_supply_2031").supply
    china = supply[(supply.supplier == "china") & (supply.day < 150)]
    # Japan: 1.35 t/day from China, 60% approved, 10% (military) refused: 0.729 t/day in steady state; the
    # warm-up ships 1.35 unlicensed on days 0-6 (7-day lead), then nothing until the first approvals land
    japan_flow = 1.5 * 0.9 * 0.6 * 0.9
    japan_gap = japan_flow * MEAN_PROCESSING_DAYS - (1.35 - japan_flow) * 7
    eu_flow = 0.5 * 0.6
    eu_gap = eu_flow * MEAN_PROCESSING_DAYS - (0.5 - eu_flow) * 35  # a 35-day lead
    got = {r: japan_flow * 150 if r == "japan" else eu_flow * 150 for r in ("japan", "eu")}
    for region, gap in (("japan", japan_gap), ("eu", eu_gap)):
        arrived = china[china.region == region]["arrivals_t"].sum()
        assert abs(got[region] - arrived - gap) < 0.05, region
    said = _statement("start-up gap")
    assert f"Japan gets {japan_gap:.1f} t and the EU {eu_gap:.1f} t less" in said
    assert f"with those {japan_gap + eu_gap:.1f} t made good" in said


@shipped_group("new_supply_2031")
def test_the_rebuilt_stocks_are_what_the_end_state_variant_loses_tonne_for_tonne():
    headline = shipped_result("new_supply_2031").summary
    end_state = api_run(
        PATH,
        set={
            "regions.japan.commercial_stock.heavy_ree.days": 0,
            "regions.eu.commercial_stock.heavy_ree.days": 0,
            "agreement.pool.contributions.japan.heavy_ree.days": 2.24,
            "agreement.pool.contributions.eu.heavy_ree.days": 0,
        },
    ).result.summary
    rebuilt = 1.5 * 90 + 1.5 * (180 - 2.24) + 0.5 * 45 + 0.5 * 60  # commercial and pooled, Japan and the EU: 454.1 t
    # nobody is short before 2029 in the headline, so every tonne of stock missing is a tonne short
    assert abs(_total(end_state) - _total(headline) - rebuilt) < 0.5
    said = _statement("assumed rebuilt")
    by_region = end_state.set_index("region")["shortfall_t"]
    assert f"short {_total(end_state):.1f} t (Japan {by_region['japan']:.1f} t, the EU {by_region['eu']:.1f} t)" in said
    assert f"instead of {_total(headline):.1f} t" in said
