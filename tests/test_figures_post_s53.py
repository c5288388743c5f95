"""Session 53 figure fixes: the prices figure's realised-demand legend and the days-of-cover
figure's note on the span after the shocks where flow buyers hold no stock.

1. ``prices.png`` has one legend for all its panels. In ``china_2025_licensing`` the EU's
   demand for heavy rare earths is Japan's day by day (drawn dashed on top of it), while
   Japan buys no NdFeB magnets: the legend listed both "EU: realised demand (same as
   Japan)" and "EU: realised demand", one per panel, and the first claimed for both.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from simulator.plots import (
    NO_RESTOCKING_NOTES,
    days_of_cover_figure,
    demand_labels,
    demand_shares,
    no_restocking_span,
    prices_figure,
    same_as_drawn,
    span_notes_drawn,
)
from tests.helpers import (
    FIGURE_SIZES,
    ONE_REGION,
    TWO_MEMBERS,
    add_material,
    build,
    each_shipped,
    halt,
    run,
    series,
    shipped_cover_figure,
    shipped_group,
    shipped_result,
)
from tests.test_label_fits import assert_texts_fit, drawn

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


# --- 2. days_of_cover.png: the span after the shocks where no one restocks -------------------------


def notes(fig: Figure) -> list[tuple[str, str, tuple[float, float]]]:
    """Each panel's note over a span: (panel title, the note in one line, the bracket's ends in axes fraction)."""
    found = []
    for ax in fig.axes:
        texts = [t.get_text().replace("\n", " ") for t in ax.texts if not isinstance(t, Annotation)]
        brackets = [a for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]
        for text in texts:
            if text in NO_RESTOCKING_NOTES:
                (bracket,) = brackets
                found.append((ax.get_title(), text, (float(bracket.xy[0]), float(bracket.xyann[0]))))
    return found


def embargo_then_flow(**procurement: object) -> dict:
    """One region, 10 t/d from China 5 days away, 100 t of stock (10 days), China's embargo on days 10-39,
    120 days."""
    data = build(ONE_REGION, horizon_days=120, shocks=[halt(start=10, end=40)])
    if procurement:
        data["regions"]["japan"]["procurement"] = {"replenishment": procurement}
    return data


def test_the_days_after_the_shock_with_empty_cover_and_no_one_short_get_a_note_over_them():
    # By hand: the last shipment before the embargo leaves on day 9 and lands on day 14; the 100 t
    # last days 15-24 (cover 9, 8, ..., 0 days); days 25-44 are short 10 t a day; the first order after
    # the embargo (day 40) lands on day 45. From day 45 the flow buyer gets its 10 t and uses it the same
    # day: cover 0, no shortfall, to the horizon (day 119). The span: days 45-119, end exclusive 120.
    result = run(embargo_then_flow())
    cover, short = series(result, "days_of_cover", "japan", "ree"), series(result, "shortfall_t", "japan", "ree")
    assert cover[23] == 1.0 and cover[24] == 0.0
    assert (short[25:45] == 10.0).all() and (short[45:] == 0.0).all() and (cover[45:] == 0.0).all()
    assert no_restocking_span(result, "ree") == (45, 120)

    fig = days_of_cover_figure(result)
    ax = fig.axes[0]
    ((_, text, (left, right)),) = notes(fig)
    assert text == NO_RESTOCKING_NOTES[0]  # a panel 6.05 inches wide: the long note
    to_axes = ax.transAxes.inverted()
    x45, x120 = (to_axes.transform(ax.transData.transform((day, 0.0)))[0] for day in (45, 120))
    assert (left, right) == pytest.approx((x45, x120))
    # the embargo's band (days 10-40) ends before the note's text begins
    renderer = drawn(fig)
    (band,) = ax.patches
    note = next(t for t in ax.texts if t.get_text().replace("\n", " ") == text)
    assert band.get_window_extent(renderer).x1 < note.get_window_extent(renderer).x0


def test_the_report_caption_names_the_bracket_only_where_the_figure_drew_it(monkeypatch):
    # the span of the test above (days 45-119), with a note drawn, then with notes no panel can hold
    # (one word wider than the figure): no bracket, and no caption sentence about one
    from simulator.plots import cover as plots
    from simulator.report import _no_restocking_note

    result = run(embargo_then_flow())
    drawn_fig = days_of_cover_figure(result)
    assert span_notes_drawn(drawn_fig) and _no_restocking_note(drawn_fig).startswith(" A bracket marks days")
    monkeypatch.setattr(plots, "NO_RESTOCKING_NOTES", ("x" * 400,))
    bare = days_of_cover_figure(result)
    assert no_restocking_span(result, "ree") == (45, 120)  # the span is there
    assert notes(bare) == [] and not span_notes_drawn(bare) and _no_restocking_note(bare) == ""


def test_no_note_where_buyers_restock_after_the_shock():
    # Order-up-to buyers with 10 days of safety stock: short on days 25-44 as above (the embargo holds the
    # same orders), then cover back above 10 days
    result = run(embargo_then_flow(policy="order_up_to", safety_days=10))
    cover, short = series(result, "days_of_cover", "japan", "ree"), series(result, "shortfall_t", "japan", "ree")
    assert short[44] > 0.0 and (short[50:] == 0.0).all() and cover[50:].min() > 10.0
    assert no_restocking_span(result, "ree") is None
    assert notes(days_of_cover_figure(result)) == []


def test_no_note_where_there_was_no_stock_to_draw_down():
    # TWO_MEMBERS: no commercial stock on day 0 (cover 0 before the embargo as after it)
    result = run(build(TWO_MEMBERS, shocks__0__end=20, horizon_days=120))
    assert no_restocking_span(result, "ree") is None


NOTED = {
    "long_embargo_6m": {"light_ree": (278, 730), "heavy_ree": (277, 730), "ndfeb_magnets": (278, 730)},
    "long_embargo_6m_2030": {"heavy_ree": (275, 730), "ndfeb_magnets": (276, 730)},
    "long_embargo_12m": {"light_ree": (459, 730), "heavy_ree": (459, 730), "ndfeb_magnets": (459, 730)},
    "long_embargo_12m_2030": {"light_ree": (459, 730), "heavy_ree": (459, 730), "ndfeb_magnets": (459, 730)},
    "quota_diversification": {"heavy_ree": (584, 730)},
}
"""The shipped panels with a note, and its days: the long embargoes (no market: flow buyers) a month or so after
the embargo ends (243 for 6 months, 424 for 12), the lead time of the first orders after it; not the 2030 6-month
light rare earths (the EU keeps 15-21 days), nor the 2010 replays (their shocks last to the horizon), nor
battery_materials (buyers restock)."""


@pytest.mark.parametrize("name", each_shipped())
def test_the_shipped_panels_that_get_the_note(name):
    result = shipped_result(name)
    spans = {m: no_restocking_span(result, m) for m in result.structure.materials}
    assert {m: span for m, span in spans.items() if span} == NOTED.get(name, {})
    for material, (first, end) in NOTED.get(name, {}).items():
        cover = [series(result, "days_of_cover", r, material)[first:end] for r in result.structure.regions]
        short = [series(result, "shortfall_t", r, material)[first:end] for r in result.structure.regions]
        assert np.nanmax(cover) < 1.0 and np.nanmax(short) == 0.0  # NaN: Japan has no magnet demand


@shipped_group("long_embargo_6m")
@pytest.mark.parametrize("size", FIGURE_SIZES)
def test_long_embargo_6m_notes_every_panel_inside_it_and_over_no_other_text(size):
    fig = shipped_cover_figure("long_embargo_6m", size)
    assert [title for title, *_ in notes(fig)] == ["Light rare earths", "Heavy rare earths", "NdFeB magnets"]
    assert_texts_fit(fig)
