"""new_supply_2031's start on 1 Jan 2027: the stocks it assumes rebuilt and its licences dated in 2025.

The audit found the file starting with full stocks although china_2025_licensing, which it
continues, ends 2026 with none commercial and 3.4 t pooled; and its licensing starting on day 0
with no application in review, so China's approved shipments began only after the processing
time (a start-up gap). The licences are now dated from when they came into force, which the
warm-up runs as in steady state. Both are key assumptions the report prints; these tests work
their numbers again.
"""

from __future__ import annotations

import yaml

from simulator.api import run as api_run
from tests.helpers import ROOT, shipped_group, shipped_result, shipped_with

PATH = ROOT / "scenarios" / "new_supply_2031.yaml"
DAY_0 = {"shocks.no18_licences.start": "2027-01-01", "shocks.japan_dual_use_ban.start": "2027-01-01"}
"""The licences dated on day 0, as the file had them before the warm-up could fill a licence queue."""


def _statement(word: str) -> str:
    found = [a["statement"] for a in yaml.safe_load(PATH.read_text())["assumptions"] if word in a["statement"]]
    assert len(found) == 1
    return " ".join(found[0].split())


def _total(summary) -> float:
    return float(summary["shortfall_t"].sum())


@shipped_group("new_supply_2031")
def test_the_licence_dating_key_assumption_states_what_day_0_dating_lost():
    # the arithmetic behind these numbers is worked by hand in test_licence_warm_up.py; here the
    # statement's figures are those of the two runs
    headline = shipped_result("new_supply_2031")
    day_0 = shipped_with("new_supply_2031", tuple(DAY_0.items()))  # test_licence_warm_up's run too
    lost = {}
    for supplier in ("china", "lynas"):
        for region in ("japan", "eu"):
            early = [r.supply[(r.supply.day < 150) & (r.supply.region == region)] for r in (headline, day_0)]
            now, then = (float(e[e.supplier == supplier]["arrivals_t"].sum()) for e in early)
            lost[supplier, region] = now - then
    said = _statement("dated from when they came into force")
    assert f"Japan got {lost['china', 'japan']:.1f} t and the EU {lost['china', 'eu']:.1f} t less from China" in said
    assert f"and {lost['lynas', 'japan']:.1f} t and {lost['lynas', 'eu']:.1f} t less from Lynas" in said
    assert f"short {_total(day_0.summary):.1f} t from 8 Feb 2029 instead of {_total(headline.summary):.1f} t" in said
    assert day_0.summary.set_index("region").loc["japan", "first_shortfall_date"] == "2029-02-08"
    assert headline.summary.set_index("region").loc["japan", "first_shortfall_date"] == "2029-05-29"


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
