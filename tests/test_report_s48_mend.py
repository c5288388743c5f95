"""Fifth mending round of the report's words (findings 2-6 of the third review; 1 is in test_zero_shock_s48.py).

Each test pins a sentence to numbers worked out by hand from a small scenario.
"""

from __future__ import annotations

import html
import re

from simulator.report.findings import Run
from simulator.report.prices import CapBound, _cap_days, price_line, price_sentences
from simulator.report.verdict import horizon_note
from tests.helpers import ONE_REGION, TWO_MEMBERS, add_material, build, run, words_page


def text(page: str) -> str:
    """The words of an HTML fragment, tags dropped (their place a space), on one line."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", plain).replace(" :", ":").strip()


# --- 2. the horizon note: only what a lasting shock acts on, only stock that fell ---------------------------------


def _with_nickel(**paths) -> dict:
    """TWO_MEMBERS (China halts rare earths to Japan and the EU from day -100 to 1000, past the 60 days) with 10,000 t
    of each in the pool, and nickel from Chile that no shock touches: 30 t of stock at 10 t/d, 3 days of cover
    from the first day to the last."""
    data = build(
        TWO_MEMBERS,
        agreement__pool__contributions__japan__ree__tonnes=10000,
        agreement__pool__contributions__eu__ree__tonnes=10000,
        **paths,
    )
    data["suppliers"]["chile"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    add_material(data, "ni", {"price_usd_per_kg": 20}, tonnes_per_day=10)
    for region in data["regions"].values():
        region["commercial_stock"]["ni"] = {"tonnes": 30}
        region["sourcing"]["ni"] = {"chile": 1.0}
    data["shocks"][0]["materials"] = ["ree"]
    return data


def test_small_stock_that_no_lasting_shock_touches_is_not_nearly_gone():
    """Nickel's 3.0 days of cover on day 59 are its 3.0 days of day 0: the halt outlasts the run but is on rare
    earths, whose pool of 20,000 t less 60 x (20 + 80) t = 14,000 t is far from gone: no note."""
    result = run(_with_nickel())
    ts = result.timeseries
    assert set(ts.loc[(ts["day"] == 59) & (ts["material"] == "ni"), "days_of_cover"]) == {3.0}
    assert horizon_note(Run.of(result)) == ""


def test_a_struck_material_whose_cover_fell_is_still_told():
    """The halt on Chile's nickel instead, from day -100 (nothing arrives): Japan's 610 t at 10 t/d are 610 - 60 x 10
    = 10 t, 1.0 day, at the end of day 59, down from 60.0 on day 0; the EU's 30 t ran out on day 2 (short on day 59:
    the answer says so already, the note does not)."""
    data = _with_nickel()
    data["shocks"][0].update(materials=["ni"], supplier="chile")
    data["regions"]["japan"]["commercial_stock"]["ni"] = {"tonnes": 610}
    note = horizon_note(Run.of(run(data)))
    assert note == (
        " That is to the end of the run (day 59) only: 1 shock is still in force then, with Japan's cover of ni "
        "down to 1.0 days."
    )


# --- 3. a price that fell is not "at its reference" ----------------------------------------------------------------


def _slump() -> Run:
    """One region, rare earths at 50 USD/kg, demand halved on days 5-39: stock piles up, the cover ratio rises and the
    world price falls toward its floor, a tenth of the reference (5 USD/kg), reaching its lowest on day 39, the
    slump's last; it never rises above 50."""
    market = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 5.0}}}
    data = build(ONE_REGION, market=market)
    data["shocks"] = [{"id": "slump", "kind": "demand_surge", "start": 5, "end": 40, "factor": 0.5}]
    return Run.of(run(data))


def test_a_price_that_fell_is_said_to_have_fallen():
    r = _slump()
    world = r.result.market.set_index("day")["world_price_usd_per_kg"]
    assert round(world.max(), 9) == 50.0 and 5.0 < world.min() < 5.05 and int(world.idxmin()) == 39
    low = f"{world.min():.2f}"
    sentences = [text(s) for s in price_sentences(r)]
    assert sentences[0].startswith(
        f"Rare earths: the world price never rose above its reference (50 USD/kg); it fell to {low} USD/kg on day 39."
    )
    assert "Japan paid at most the reference price, 50 USD/kg;" in sentences[0]
    assert "stayed at its reference" not in sentences[0]
    line = text(price_line(r))
    assert line.startswith(
        f"In the model, the price of rare earths never rose above its reference (50 USD/kg); it fell to {low} USD/kg "
        "on day 39. At each day's price"
    )
    assert "rose up to" not in line


def test_a_price_that_never_moved_stays_at_its_reference():
    """No shock: the price stays at 50 USD/kg every day, and the words say so."""
    market = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 5.0}}}
    r = Run.of(run(build(ONE_REGION, market=market, shocks=[])))
    assert text(price_sentences(r)[0]).startswith("Rare earths: the world price stayed at its reference, 50 USD/kg.")
    assert "Japan paid the reference price, 50 USD/kg" in text(price_sentences(r)[0])
    assert text(price_line(r)).startswith("In the model, the price of rare earths stayed at its reference, 50 USD/kg.")


# --- 6. the cap's days ---------------------------------------------------------------------------------------------


def test_the_caps_unbroken_stretch_reads_without_and():
    """25 days at the cap in the 40-day run, 15 of them (days 10-24) the unbroken stretch around the peak."""
    r = _slump()
    assert _cap_days(r, CapBound("ree", 100.0, 25, 10, 24)) == (
        "on 25 of the 40 days, without a break from day 10 to day 24"
    )
    assert _cap_days(r, CapBound("ree", 100.0, 15, 10, 24)) == "on 15 of the 40 days, every day from day 10 to day 24"


# --- 4. under iea_ess a member's lent_t is its draw from its own reserve -------------------------------------------


def test_under_a_rule_that_shares_supply_the_draw_is_from_its_own_reserve():
    """iea_ess with national reserves of 100 t each under a grant: China's halt leaves Japan (20 t/d) and the EU
    (80 t/d) short from day 0; each draws its own 100 t by obligation (lent_t = released_rule_t = 100 t, no
    transfer), which the report said was 'given to other members' and came 'from other members' reserves'."""
    data = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__settlement="grant")
    data["agreement"].pop("ratio", None)
    data["agreement"]["pool"] = {"mode": "national", "lendable_share": 0.5}
    for region in ("japan", "eu"):
        data["regions"][region]["reserve"] = {"ree": {"tonnes": 100}}
    result = run(data)
    summary = result.summary.set_index(["region", "material"])
    for region in ("japan", "eu"):
        lent, rule = summary.at[(region, "ree"), "lent_t"], summary.at[(region, "ree"), "released_rule_t"]
        assert lent == rule and round(lent, 9) == 100.0
    page = text(words_page(result))
    assert "gave" not in page and "Given to other members" not in page and "other members' reserves" not in page
    assert page.count("100 t by the rule from its own reserve") == 2  # the member table, Japan and the EU
    assert page.count("drawn from its own reserve under the agreement (t) 100 t 100 t") == 2  # each region's table
    assert "Drawn from its own reserve by the rule" in page and "Received from the shared stock" not in page


def test_under_a_rule_that_shares_supply_over_a_joint_pool_the_draw_is_from_the_pool():
    """iea_ess over a joint pool of 100 t from each member: the rule's releases come from the pool
    (released_joint_t, lent_t 0), and the EU draws 160 t of it (its obligation 72 of the 90 t a day owed, P = 90% of
    20 and 80 t/day, the pool's 200 t gone in three days), more than the 100 t it put in: the page
    must not say it came from its own reserve."""
    data = build(
        TWO_MEMBERS,
        agreement__mechanism="iea_ess",
        agreement__pool__contributions__japan__ree__tonnes=100,
        agreement__pool__contributions__eu__ree__tonnes=100,
    )
    data["agreement"].pop("ratio", None)
    result = run(data)
    summary = result.summary.set_index(["region", "material"])
    assert summary.at[("eu", "ree"), "released_joint_t"] == summary.at[("eu", "ree"), "released_rule_t"] > 100
    assert summary.at[("eu", "ree"), "lent_t"] == summary.at[("japan", "ree"), "lent_t"] == 0
    page = text(words_page(result))
    assert "by the rule from its own reserve" not in page and "drawn from its own reserve" not in page
    assert "160 t by the rule" in page  # the EU's draw, said as a release of the pool
    assert "Received from the shared stock" in page and "Drawn from its own reserve by the rule" not in page
