"""Four findings of the domain-expert audit of the 2025 licensing scenario's and the 2010 replay's pages.

1. Prices set by the assumed price cap are said to be so (china_2025_licensing: the target price sits at the
   cap on 621 of the 730 days for heavy rare earths); 2. a headline answer cut off by the horizon says so;
   3. the replay's close call says that the EU's 1.6 days rest on China's quota being shared pro rata to
   orders (key assumptions K13 and K20); 4. a member without demand for a material is not counted among
   those it could have been short of.

Numbers are worked out here from the run's tables (market.csv, pool.csv, summary.csv, shocks.csv) and the
scenario's YAML, not through the report's own functions.
"""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import yaml

from simulator.report.findings import Run, overall_finding
from simulator.report.prices import price_line, price_sentences
from simulator.report.verdict import headline
from tests.helpers import (
    ROOT,
    build,
    run,
    shipped_alone,
    shipped_group,
    shipped_result,
    shipped_with,
    with_korea_on_gallium,
)

REPLAY = "embargo_2010"
LICENSING = "china_2025_licensing"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


def _licensing_at_the_application_share():
    """china_2025_licensing with No. 18 approving 60% of magnet tonnes (the share of applications approved, CX5)
    instead of the 100% fitted to the export record: the EU then runs short of magnets, and nobody else."""
    data = yaml.safe_load((ROOT / "scenarios" / f"{LICENSING}.yaml").read_text())
    (magnets,) = [shock for shock in data["shocks"] if shock["id"] == "no18_licences_magnets"]
    magnets["approval_share"] = 0.6
    # the run of that data, made once per process (test_magnet_export_record runs the same variant)
    return data, shipped_with(LICENSING, (("shocks.no18_licences_magnets.approval_share", 0.6),))


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
        "It was a close call. With or without the joint stock, the EU's cover of heavy rare earths fell to 1.6 days "
        "on 3 Jul 2011, counting only stock it could draw (its 60.0 days of demand in the joint pool were not its "
        "to draw), under its 15-day release trigger: how low rests on China's export quotas being shared pro "
        "rata to orders, so the other buyers' orders cut into its share (key assumptions K13 and K20). Under the "
        "hybrid rule" in text
    )


@shipped_group(LICENSING)
def test_a_member_without_magnet_demand_is_not_counted_as_spared_their_shortfall():
    data, result = _licensing_at_the_application_share()
    assert set(data["regions"]["japan"]["demand"]) == {"heavy_ree"}  # Japan uses no magnets here
    assert "ndfeb_magnets" in data["regions"]["eu"]["demand"]
    summary = result.summary
    short = summary[(summary["region"] != "all") & (summary["shortfall_t"] > 0)]
    # the members' whole shortfall is the EU's magnets
    assert list(zip(short["region"], short["material"], strict=True)) == [("eu", "ndfeb_magnets")]
    total = float(short["shortfall_t"].iloc[0])
    assert 6000 < total < 7000
    text = _plain(overall_finding(Run.of(result)))
    assert f"the members are short of {total:,.0f} t of NdFeB magnets in all" in text  # the total says of what
    assert "1 of the 2 members" not in text
    # session 61: oxide and magnet apart, so the index is by material, and magnets have one user: no index, no 0.50
    assert "with all the shortfall on the EU, the only member using NdFeB magnets here" in text
    assert "Jain" not in text and "counts Japan" not in text


def _days_at_cap(name: str, material: str) -> tuple[np.ndarray, float]:
    """The days on which market.csv's world price moved toward the cap, read off the prices alone; and the cap.

    The price closes a share ``1/tau`` of its log-gap to its target each day (tau: the YAML's
    ``adjustment_days``); toward the cap (the YAML's, or 100 times the reference), its log-gap to the cap then
    shrinks by the factor ``1 - 1/tau`` that day, from the day before's price (the reference before day 0).
    """
    spec = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text())["market"][material]
    reference = spec["reference_price_usd_per_kg"]
    cap = spec["price"].get("cap_usd_per_kg", 100 * reference)  # the schema's default: 100 times the reference
    tau = spec["price"].get("adjustment_days", 30.0)
    market = shipped_result(name).market
    rows = market[market["material"] == material].sort_values("day")
    prices = rows["world_price_usd_per_kg"].to_numpy(float)
    before = np.concatenate([[reference], prices[:-1]])
    shrunk = np.log(cap / prices) / np.log(cap / before)
    return rows["day"].to_numpy()[np.isclose(shrunk, 1 - 1 / tau, rtol=1e-9, atol=0)], cap


@shipped_group(LICENSING)
def test_prices_held_toward_the_cap_say_the_cap_sets_the_peak():
    heavy, heavy_cap = _days_at_cap(LICENSING, "heavy_ree")
    magnets, magnets_cap = _days_at_cap(LICENSING, "ndfeb_magnets")
    assert (heavy_cap, magnets_cap) == (1390.0, 210.0)
    # without a break from day 109 (20 Apr 2025) to the last day, 729; magnets, licensed in full, never reach theirs
    assert len(heavy) == 621 and list(heavy) == list(range(109, 730))
    assert len(magnets) == 0
    # the price is the approach to the cap: rising every day from day 109, its peak, on the last day, stays under it
    market = shipped_result(LICENSING).market
    rising = market[(market["material"] == "heavy_ree") & (market["day"] >= 108)]["world_price_usd_per_kg"]
    assert (np.diff(rising.to_numpy()) > 0).all()
    peaks = market.groupby("material")["world_price_usd_per_kg"].max()
    assert 1333.5 <= peaks["heavy_ree"] < 1390
    run = Run.of(shipped_result(LICENSING))
    line = _plain(price_line(run))
    assert (
        "a daily peak of 1,334 USD/kg on 31 Dec 2026, the last day: still rising toward its cap of 1,390 USD/kg" in line
    )
    assert (
        "These rest on an assumed price cap: the target price the market's cover indicated sat at the cap on 621 of "
        "the 730 days for heavy rare earths (1,390 USD/kg, from 20 Apr 2025), so the cap sets the peak and the spend "
        "at spot prices that follows." in line
    )
    heavy_text, magnets_text = (_plain(s) for s in price_sentences(run))
    assert (
        "The target price the market's cover indicated (the reference price times its cover ratio to the power "
        "\u22124.9) sat at the cap of 1,390 USD/kg on 621 of the 730 days, every day from 20 Apr 2025 to the end of "
        "the run: the price only moved toward the cap at its adjustment rate (177 days), so the assumed cap sets the "
        "peak" in heavy_text
    )
    assert "cap" not in magnets_text
    # magnets' price never left its reference as shown (50.00 USD/kg): "rose 1x" and a spend at spot prices of a
    # fraction of a dollar (rounding) said nothing
    assert f"{peaks['ndfeb_magnets']:.2f}" == "50.00"
    assert "NdFeB magnets: the world price stayed at its reference, 50 USD/kg." in magnets_text
    assert (
        "The EU paid the reference price, 50 USD/kg; at these prices it wanted no less than its baseline demand."
        in (magnets_text)
    )
    assert "1x" not in magnets_text and "USD 0" not in magnets_text


@shipped_group(REPLAY)
def test_the_replays_prices_are_not_said_to_be_set_by_a_cap():
    # no cap in the replay: the default, 100 times the reference, far above any target price of the run
    for material in ("light_ree", "heavy_ree"):
        days, cap = _days_at_cap(REPLAY, material)
        assert len(days) == 0 and cap > 1000
    run = Run.of(shipped_result(REPLAY))
    assert "cap" not in _plain(price_line(run)) and all("cap" not in _plain(s) for s in price_sentences(run))


@shipped_group(LICENSING)
def test_an_answer_cut_off_by_the_horizon_says_so():
    result = shipped_result(LICENSING)
    last = result.scenario.horizon_days - 1
    assert last == 729  # 31 Dec 2026
    shocks = result.shocks
    assert int(((shocks["start_day"] <= last) & (shocks["end_day"] > last)).sum()) == 6
    pool = result.pool
    left = float(pool[(pool["day"] == last) & (pool["material"] == "heavy_ree")]["pool_stock_t"].iloc[0])
    ts = result.timeseries
    demand = float(ts[(ts["day"] == last) & (ts["material"] == "heavy_ree")]["baseline_demand_t"].sum())
    assert round(left, 1) == 3.4 and round(left / demand, 1) == 1.7  # under a week of the members' use
    html = headline(Run.of(result), Run.of(shipped_alone(LICENSING), "baseline"))
    note = (
        " That is to the end of the run (31 Dec 2026) only: 6 shocks are still in force then, with the joint stock "
        "down to 3.4 t of heavy rare earths (1.7 days of the members' demand)."
    )
    assert _plain(html).endswith(
        # against the stocks held today (pool.already_held): Japan's stock held alone leaves the EU 139 t short
        "the joint stock closes the shortfall of heavy rare earths (139 t of oxide with the stocks held today)." + note
    )
    assert re.search(r'<span class="detail"> That is to the end of the run[^<]*</span>$', html)  # not in bold


@shipped_group(REPLAY)
def test_the_replays_answer_is_not_cut_off():
    # a quota still runs on 30 Jun 2012, but the EU ends with over a fortnight of cover and the pool untouched
    result = shipped_result(REPLAY)
    ts = result.timeseries
    end = ts[(ts["day"] == result.scenario.horizon_days - 1) & (ts["region"] == "eu")]
    assert (end["days_of_cover"] > 15).all()
    assert "to the end of the run" not in _headline(REPLAY)


@shipped_group("long_embargo_12m")
def test_the_pool_without_magnets_names_the_one_member_short_of_them():
    from simulator.report.accounts import accounts
    from simulator.report.verdict import whom_line

    data = yaml.safe_load((ROOT / "scenarios" / "long_embargo_12m.yaml").read_text())
    assert "ndfeb_magnets" not in data["regions"]["japan"]["demand"]
    result = shipped_result("long_embargo_12m")
    summary = result.summary
    magnets = summary[(summary["material"] == "ndfeb_magnets") & (summary["region"] != "all")]
    short = float(magnets["shortfall_t"].sum())  # the EU's alone: Japan has no magnet demand
    assert short > 10_000
    pool = result.pool
    assert float(pool[pool["material"] == "ndfeb_magnets"]["pool_stock_t"].max()) == 0.0
    run = Run.of(result)
    text = _plain(whom_line(run, accounts(run)))
    assert (
        "The pool holds no NdFeB magnets, of which the EU, the only member using them here, is short of "
        f"{short:,.0f} t." in text
    )


def test_the_fairness_sentence_counts_the_members_using_the_material_short():
    # a third member, South Korea, uses only gallium, which nobody is short of; the halt stops Japan's and the EU's
    # rare earths (TWO_MEMBERS): both are short of them, and South Korea could not be
    data = with_korea_on_gallium(300)
    both = run(data)
    short = both.summary[(both.summary["region"] != "all") & (both.summary["shortfall_t"] > 0)]
    assert set(zip(short["region"], short["material"], strict=True)) == {("japan", "ree"), ("eu", "ree")}
    text = _plain(overall_finding(Run.of(both)))
    # session 61: rare earths and gallium priced six times apart, so the index is of rare earths, which leaves South
    # Korea out (it uses none): no clause on it counted as bearing none
    assert text.endswith("1 = equal): rare earths above 0.9999, with the shortfall on both members using rare earths.")
    # Japan with 5,000 t of its own (250 days of its 20 t/day) is never short: one of the two using them is
    one = run(build(data, regions__japan__commercial_stock__ree__tonnes=5000))
    assert one.metrics["shortfall_t.japan"] == 0 and one.metrics["shortfall_t.eu"] > 0
    text = _plain(overall_finding(Run.of(one)))
    assert text.endswith("1 = equal): rare earths 0.50: the EU bears it all (one of two members).")
    assert "of the 3 members" not in text and "South Korea" not in text
