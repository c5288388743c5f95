"""Session 53 figure fixes: the prices figure's realised-demand legend and the days-of-cover
figure's note on the span after the shocks where flow buyers hold no stock.

1. ``prices.png`` has one legend for all its panels. In ``china_2025_licensing`` the EU's
   demand for heavy rare earths is Japan's day by day (drawn dashed on top of it), while
   Japan buys no NdFeB magnets: the legend listed both "EU: realised demand (same as
   Japan)" and "EU: realised demand", one per panel, and the first claimed for both.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator.plots import demand_labels, demand_shares, prices_figure, same_as_drawn
from tests.helpers import TWO_MEMBERS, add_material, build, run, shipped_group, shipped_result

# --- 1. prices.png: one legend entry per region, true in every panel -------------------------------


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


def demand_panel_lines(fig: Figure) -> list[list[Line2D]]:
    """The region lines of each realised-demand panel, left to right."""
    return [
        [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        for ax in fig.axes
        if "realised demand" in ax.get_ylabel()
    ]


@shipped_group("china_2025_licensing")
def test_the_eu_gets_one_entry_that_says_where_its_demand_is_japan_s():
    result = shipped_result("china_2025_licensing")
    heavy = demand_shares(result, "heavy_ree")
    magnets = demand_shares(result, "ndfeb_magnets")
    # the figure's data: heavy rare earths, the EU's share of baseline is Japan's every day (both fall
    # below 100% as the price rises); magnets, Japan has no baseline (0 t/d), so no curve
    assert len(heavy["japan"]) == len(heavy["eu"]) == 730
    assert np.allclose(heavy["eu"], heavy["japan"], rtol=1e-9)
    assert heavy["eu"][0] == 100.0 and heavy["eu"][-1] < 95.0
    assert np.isnan(magnets["japan"]).all() and np.isfinite(magnets["eu"]).all()

    fig = prices_figure(result)
    texts = legend_texts(fig)
    eu = [t for t in texts if t.startswith("EU: realised demand")]
    assert eu == ["EU: realised demand (dashed where the same as Japan)"]
    assert "Japan: realised demand" in texts
    (heavy_japan, heavy_eu), (_, magnets_eu) = demand_panel_lines(fig)
    assert heavy_japan.get_linestyle() == "-" and heavy_eu.get_linestyle() == "--"
    assert magnets_eu.get_linestyle() == "-"  # alone in its panel: nothing to show through
    assert heavy_eu.get_label() == magnets_eu.get_label() == eu[0]


def two_markets(japan_magnets: float) -> dict:
    """``TWO_MEMBERS`` (a total embargo, no stock) with a second material ``mag`` and a market for both;
    Japan's demand for ``mag`` is ``japan_magnets`` t/d."""
    data = build(
        TWO_MEMBERS,
        market={"ree": {"reference_price_usd_per_kg": 50.0}, "mag": {"reference_price_usd_per_kg": 50.0}},
    )
    add_material(data, "mag", {"price_usd_per_kg": 50})
    data["regions"]["japan"]["demand"]["mag"] = {"tonnes_per_day": japan_magnets}
    return data


def test_a_region_the_same_as_another_in_one_panel_only_is_not_said_to_be_the_same_everywhere():
    # No price elasticity: every region buys 100% of its baseline every day of the 60. In ree the
    # EU's 100% is Japan's; in mag Japan has no demand (0 t/d), its share undefined (NaN).
    result = run(two_markets(japan_magnets=0.0))
    ree, mag = demand_shares(result, "ree"), demand_shares(result, "mag")
    assert (ree["japan"] == 100.0).all() and (ree["eu"] == 100.0).all() and len(ree["eu"]) == 60
    assert np.isnan(mag["japan"]).all() and (mag["eu"] == 100.0).all()
    texts = legend_texts(prices_figure(result))
    assert [t for t in texts if "realised demand" in t] == [
        "Japan: realised demand",
        "EU: realised demand (dashed where the same as Japan)",
    ]


def test_a_region_the_same_as_another_in_every_panel_is_said_to_be_the_same():
    # Japan buys mag too (20 t/d): both at 100% in both panels
    result = run(two_markets(japan_magnets=20.0))
    texts = legend_texts(prices_figure(result))
    assert [t for t in texts if "realised demand" in t] == [
        "Japan: realised demand",
        "EU: realised demand (same as Japan)",
    ]


def test_labels_from_curves_worked_by_hand():
    result = run(two_markets(japan_magnets=20.0))  # only its names and the order of its regions are read
    flat, low = np.full(3, 100.0), np.array([100.0, 90.0, 80.0])
    none = np.full(3, np.nan)

    def labels(ree: dict, mag: dict) -> dict[str, str]:
        shares = {"ree": ree, "mag": mag}
        return demand_labels(result, shares, {m: same_as_drawn(s) for m, s in shares.items()})

    # the same in ree, apart in mag (EU 100, 90, 80 against Japan's 100, 100, 100): dashed in ree only
    assert labels({"japan": flat, "eu": flat}, {"japan": flat, "eu": low})["eu"] == (
        "EU: realised demand (dashed where the same as Japan)"
    )
    # apart in both: no claim
    assert labels({"japan": flat, "eu": low}, {"japan": flat, "eu": low * 0.5})["eu"] == "EU: realised demand"
    # neither has demand for mag: two empty curves are not "the same"
    assert labels({"japan": low, "eu": low}, {"japan": none, "eu": none}) == {
        "japan": "Japan: realised demand",
        "eu": "EU: realised demand (same as Japan)",
    }
