"""Four findings of the domain-expert audit of the 2025 licensing scenario's and the 2010 replay's pages.

1. Prices set by the assumed price cap are said to be so (china_2025_licensing: the target price sits at the cap on
   621 and 624 of the 730 days); 2. a headline answer cut off by the horizon says so; 3. the replay's close call
   says that the EU's 1.6 days rest on China's quota being shared pro rata to orders (key assumptions K13 and K20);
   4. a member without demand for a material is not counted among those it could have been short of.

Numbers are worked out here from the run's tables (market.csv, pool.csv, summary.csv, shocks.csv) and the
scenario's YAML, not through the report's own functions.
"""

from __future__ import annotations

import re
from html import unescape

import yaml

from simulator.report.findings import Run, overall_finding
from simulator.report.verdict import headline
from tests.helpers import ROOT, shipped_alone, shipped_group, shipped_result

REPLAY = "embargo_2010"
LICENSING = "china_2025_licensing"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


def _headline(name: str) -> str:
    return _plain(headline(Run.of(shipped_result(name)), Run.of(shipped_alone(name), "baseline")))


@shipped_group(REPLAY)
def test_the_replays_close_call_says_the_eus_low_rests_on_pro_rata_sharing():
    data = yaml.safe_load((ROOT / "scenarios" / f"{REPLAY}.yaml").read_text())
    # the assumptions that state the rule and name the other one (K20: 14.2 days with contracts first)
    named = [k for k, a in enumerate(data["assumptions"], start=1) if "contracts_first" in a["statement"]]
    assert named == [13, 20]
    summary = shipped_result(REPLAY).summary
    low = float(
        summary[(summary["region"] == "eu") & (summary["material"] == "heavy_ree")]["min_days_of_cover"].iloc[0]
    )
    assert round(low, 1) == 1.6 and low < data["agreement"]["trigger"]["commercial_days_below"] == 15
    text = _headline(REPLAY)
    assert (
        "It was a close call: with or without the joint stock the EU's cover of heavy rare earths fell to 1.6 days on "
        "3 Jul 2011, under its 15-day release trigger: how low rests on China's export quotas being shared pro rata "
        "to orders, in which the other buyers' orders take part of its room (key assumptions K13 and K20), while its "
        "30.0 t share of the joint pool" in text
    )


@shipped_group(LICENSING)
def test_a_member_without_magnet_demand_is_not_counted_as_spared_their_shortfall():
    data = yaml.safe_load((ROOT / "scenarios" / f"{LICENSING}.yaml").read_text())
    assert set(data["regions"]["japan"]["demand"]) == {"heavy_ree"}  # Japan uses no magnets here
    assert "ndfeb_magnets" in data["regions"]["eu"]["demand"]
    summary = shipped_result(LICENSING).summary
    short = summary[(summary["region"] != "all") & (summary["shortfall_t"] > 0)]
    # the members' whole shortfall is the EU's magnets: 8,276 t
    assert list(zip(short["region"], short["material"], strict=True)) == [("eu", "ndfeb_magnets")]
    text = _plain(overall_finding(Run.of(shipped_result(LICENSING))))
    assert "the members are short of 8,276 t in all" in text
    assert "1 of the 2 members" not in text
    assert (
        "with all the shortfall on the EU, the only member using NdFeB magnets here (the index counts Japan, which "
        "uses none, as bearing none)" in text
    )
