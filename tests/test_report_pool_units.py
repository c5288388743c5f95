"""Audit of the 2010 replay's report: an unused pool share, units of the uncertain inputs, the cover legend.

1. The verdict's close call ("with or without the joint stock the EU's cover ... fell to 1.6
   days") read as though the pool did nothing for the member: the cover is *drawable* cover,
   and the member's own share of the pool lay unused. The sentence now says how many days of
   its demand that share held and why the rule did not release it then.
2. "What rests on assumptions" gave bare numbers ("76.6 | 55 to 86"): each value and range now
   carries its field's unit and thousands separators.
3. The days-of-cover legend said the trigger's line was "drawn where that is all its cover"
   ("drawn" read as stock drawn from the pool), and did not name the dashed 30/60-day lines.
"""

from __future__ import annotations

import re
from html import unescape

from simulator.plots import days_of_cover_figure
from tests.helpers import ONE_REGION, build, run, words_page
from tests.test_report_answers import AMPLE, CLOSE_CALL, plain, section

BIDS = {m: {"ree": [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]} for m in ("japan", "eu")}
NEAR_MISS = build(AMPLE, shocks=CLOSE_CALL, regions__eu__commercial_stock__ree__tonnes=400)
"""China's shipments to the EU stop on days 0-3 (CLOSE_CALL): its 400 t (5 days of its 80 t/day) falls to
400 - 4 x 80 = 80 t, 1.0 day, at the end of day 8, and nobody runs short. Each member owns 1,000 t of the
2,000 t pool (AMPLE): the EU's share is 1,000 / 80 = 12.5 days of its demand."""


def _close_call(data: dict) -> str:
    box = section(words_page(run(data)), "verdict")
    headline = plain(box.split('<p class="headline">', 1)[1].split("</p>", 1)[0])  # the close call ends its answer
    # a run cut off by its horizon with a shock in force and little cover left says so after it (horizon_note)
    return headline[headline.index("It was a close call") :].split(" That is to the end of the run", 1)[0]


def test_a_close_call_says_the_members_unused_pool_share_and_why_the_rule_did_not_release_it():
    # hybrid: the halt is an embargo against the EU on days 0-3 only; on day 8 the rule auctions, so the shared
    # stock counts in no member's drawable cover (drawable_shared_t 0) while the EU owns 1,000 t of it
    hybrid = build(NEAR_MISS, agreement__mechanism="hybrid", agreement__auction={"every_days": 7, "bids": BIDS})
    result = run(hybrid)
    ts = result.timeseries
    day_8 = ts[(ts["region"] == "eu") & (ts["day"] == 8)].iloc[0]
    assert (day_8.pool_share_t, day_8.drawable_shared_t, day_8.baseline_demand_t) == (1000, 0, 80)
    assert _close_call(hybrid) == (
        "It was a close call. With or without the joint stock, the EU's cover of rare earths fell to 1.0 days on "
        "day 8, counting only stock it could draw (its 12.5 days of demand in the joint pool were not its to draw). "
        "Under the hybrid rule, in normal times the shared stock is sold by auction, and a member bids only for a gap "
        "its own stock cannot cover: the EU's never ran out, so it never bid."
    )
    assert result.auctions.empty  # no bid, so no auction: the EU's 80 t (1 day) met the gap it expected
    # half the EU's supply stopped all run: an embargo against a member, so the hybrid rule shares every day, but
    # with nobody short (the trigger is a gap) releases never open. From day 5 (lead time 5) its 400 t falls by
    # 80 - 40 = 40 t a day, to 200 t, 2.5 days, on day 9
    half = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["eu"], "start": 0, "end": 1000}]
    embargoed = build(hybrid, shocks=[{**half[0], "severity": 0.5}])
    assert _close_call(embargoed) == (
        "It was a close call. With or without the joint stock, the EU's cover of rare earths fell to 2.5 days on "
        "day 9, counting only stock it could draw (its 12.5 days of demand in the joint pool were not released). "
        "Releases under the fair allocation ratio were not open that day."
    )
    # a hybrid that may also switch on a measured supply loss: whether it shared on day 8 is not in the outputs, so no
    # reason is given (the auction's would be wrong on a day the loss switched it)
    measured = build(hybrid, agreement__trigger={"measured_loss": {"window_days": 5}, "switch_on": "either"})
    assert _close_call(measured).endswith("(its 12.5 days of demand in the joint pool were not its to draw).")
    # auctions only: the reason is the auction's own description
    auction = build(hybrid, agreement__mechanism="auction")
    assert _close_call(auction).endswith(
        "were not its to draw). Under auction, the shared stock is offered in lots at regular intervals and goes to "
        "the highest bids, and a member bids only for a gap its own stock cannot cover: the EU's never ran out, so it "
        "never bid."
    )
    # the fair ratio with releases never opened (the trigger is a gap, and nobody has one)
    assert _close_call(NEAR_MISS).endswith(
        "fell to 1.0 days on day 8, counting only stock it could draw (its 12.5 days of demand in the joint pool were "
        "not released). Releases under the fair allocation ratio were not open that day."
    )
    # a 250 t share is 250 / 80 = 3.125 days: told to one decimal, as the cover beside it
    smaller = build(
        hybrid, agreement__pool__contributions={"japan": {"ree": {"tonnes": 1000}}, "eu": {"ree": {"tonnes": 250}}}
    )
    assert "(its 3.1 days of demand in the joint pool were not its to draw)" in _close_call(smaller)


def test_a_close_call_counting_a_drawable_share_does_not_call_it_unused():
    # a 10-day commercial trigger opens releases on day 0: the EU may draw its 50% ratio of the 2,000 t pool, which
    # its cover counts ((80 + 1,000) / 80 = 13.5 days on day 8), so its share is not said to lie unused
    opened = build(NEAR_MISS, agreement__trigger={"commercial_days_below": 10})
    said = _close_call(opened)
    assert said.endswith("with it, counting the share it could draw, to 13.5 days the same day.")
    assert "unused" not in said and "in the joint pool" not in said


def _cells(page: str, path: str) -> tuple[str, str]:
    table = page.split('<table class="uncertain-inputs', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if f'<code class="source">{path}</code>' in r)
    value, spread = (" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in row.split("</td>")[1:3])
    return value, spread


def test_the_assumptions_table_gives_each_input_its_unit_and_thousands_separators():
    source = {"source": "assumption"}
    data = build(
        ONE_REGION,
        regions__japan__commercial_stock__ree__tonnes=12500,
        materials__ree__holding_cost_usd_per_t_year=1500.5,
        shocks=[{"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 5, "end": 10, "severity": 0.4}],
        market={"ree": {"price": {"sensitivity": 2.0}}},
    )
    # set after the changes above: an entry inside a path changed by build() is dropped with it
    data["uncertain"] = [
        {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 8, "high": 12.5, **source},
        {
            "path": "regions.japan.commercial_stock.ree.tonnes",
            "low": 9000,
            "high": 20000,
            "label": "Stock (t)",
            **source,
        },
        {"path": "materials.ree.holding_cost_usd_per_t_year", "low": 1000, "high": 2250.25, **source},
        {"path": "suppliers.china.lead_time_days.japan", "low": 1, "high": 9, **source},
        {
            "path": "shocks.cut.severity",
            "distribution": "triangular",
            "low": 0.2,
            "mode": 0.4,
            "high": 0.75,
            **source,
        },
        {"path": "market.ree.price.sensitivity", "low": 1, "high": 3, **source},
        {
            "path": "regions.japan.sourcing.ree",
            "values": [{"china": 1.0}, {"china": 0.85, "japan_mine": 0.15}],
            **source,
        },
    ]
    data["suppliers"]["japan_mine"] = {"lead_time_days": {"japan": 1}}
    page = words_page(run(data))
    assert _cells(page, "regions.japan.demand.ree.tonnes_per_day") == ("10 t/day", "8 to 12.5 t/day")
    assert _cells(page, "regions.japan.commercial_stock.ree.tonnes") == ("12,500 t", "9,000 to 20,000 t")
    # its label's "(t)" is not said twice beside "12,500 t"
    assert '<td class="text" data-label="Input">Stock<br>' in page
    assert _cells(page, "materials.ree.holding_cost_usd_per_t_year") == (
        "1,500.5 USD/t/year",
        "1,000 to 2,250.25 USD/t/year",
    )
    assert _cells(page, "suppliers.china.lead_time_days.japan") == ("5 days", "1 to 9 days")
    # a fraction as a percentage, as the report gives shares (0.4 is 40%)
    assert _cells(page, "shocks.cut.severity") == ("40%", "20% to 75%, most likely 40%")
    # an exponent has no unit
    assert _cells(page, "market.ree.price.sensitivity") == ("2", "1 to 3")
    # a mapping by ids: each value in its unit, each id by the name the report gives it elsewhere (the suppliers
    # china and japan_mine have no label: their names are made from their ids)
    assert _cells(page, "regions.japan.sourcing.ree") == (
        "China 100%",
        "one of: \u2022 China 100% \u2022 China 85%, Japan mine 15%",
    )


def test_the_cover_legend_says_where_the_trigger_is_shown_and_names_the_dashed_lines():
    # auctions with a 3-day trigger: the EU's 400 t falls below 3 x 80 = 240 t on day 7 (NEAR_MISS) and it bids,
    # but at 100 USD/kg, under the 1,000 USD/kg reserve price: nothing is sold, and under auctions no pool stock
    # counts in its drawable cover, which is then its commercial stock every day, so the trigger's line is shown
    data = build(
        NEAR_MISS,
        agreement__mechanism="auction",
        agreement__auction={"every_days": 7, "bids": BIDS, "reserve_price_usd_per_kg": {"ree": 1000}},
        agreement__trigger={"commercial_days_below": 3},
    )
    result = run(data)
    ts = result.timeseries
    assert (ts["days_of_cover"] == ts["commercial_stock_t"] / ts["baseline_demand_t"]).all()
    fig = days_of_cover_figure(result)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert (
        "release trigger: a member's commercial stock below 3 days lets it call on the shared stock, released only "
        "for demand its own stock cannot meet (shown where commercial stock is all its cover)"
    ) in [text.replace("\n", " ") for text in legend]
    assert not any("drawn where" in t for t in legend)
    # one entry for both dashed lines, on the line at 30 days; the 60-day line is unnamed
    assert legend.count("30 and 60 days of normal demand, for reference") == 1
    (ax,) = [ax for ax in fig.axes if ax.get_visible()]
    dashed = [line for line in ax.get_lines() if list(line.get_ydata()) in ([30, 30], [60, 60])]
    assert [(line.get_ydata()[0], line.get_label()) for line in dashed] == [
        (30, "30 and 60 days of normal demand, for reference"),
        (60, "_"),
    ]
