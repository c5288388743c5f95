"""The verdict's second counterfactual: each member's pool share held alone.

``TWO_MEMBERS`` (tests/helpers.py): Japan needs 20 t/day, the EU 80 t/day, no commercial
stock, every delivery halted over the 60 days; a joint pool of 30 + 30 t shared 50/50 by
the fair ratio, with no lag. Worked by hand:

- pooled: on day 0 the gaps are 20 and 80 t; the ratio offers 30 t each, Japan takes its
  20 t and the EU 30 + the 10 Japan left: the pool is empty after day 0. Japan is short
  20 x 60 - 20 = 1,180 t, the EU 80 x 60 - 40 = 4,760 t; 5,940 t in all.
- alone: Japan draws its 30 t over days 0-1, the EU its 30 t on day 0: Japan short
  1,200 - 30 = 1,170 t, the EU 4,800 - 30 = 4,770 t; the same 5,940 t.
"""

from __future__ import annotations

import html
import re

import pytest

from simulator.counterfactuals import own_share_alone, own_share_scenario, without_agreement
from simulator.report.findings import Run
from simulator.report.sharing import granted, pooling_line, ratio_line
from simulator.report.verdict import headline, outlasts_line
from simulator.report.words import tonnes
from simulator.scenario import validate_data
from tests.helpers import (
    TWO_MEMBERS,
    TWO_MEMBERS_REPORT,
    add_material,
    build,
    run,
    shipped_apart,
    shipped_group,
    shipped_result,
    two_members_report,
    words_page,
)

JAPAN_ONLY = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}]


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ")


def _lines(data: dict) -> tuple[str, str]:
    result = run(data)
    pooled, apart = Run.of(result), Run.of(own_share_alone(result), "own_share")
    return _plain(pooling_line(pooled, apart)), ratio_line(pooled)


def test_shares_become_national_reserves_in_tonnes_keeping_a_reserve_already_held():
    data = build(
        TWO_MEMBERS,
        agreement__pool__contributions__japan__ree={"days": 2},  # 2 x 20 t/day = 40 t
        agreement__pool__contributions__eu__ree={"net_import_days": 3},  # all imported: 3 x 80 = 240 t
        regions__japan__reserve={"ree": {"tonnes": 15, "refill_t_per_day": 1.5}},
    )
    held = own_share_scenario(validate_data(data, "test"))
    assert held is not None and held.agreement is None
    japan, eu = held.regions["japan"].reserve["ree"], held.regions["eu"].reserve["ree"]
    # its refills still aim at the 15 t it held (0.75 days of 20 t/day), not at 55 t
    assert (japan.tonnes, japan.days, japan.refill_t_per_day, japan.target_days) == (55.0, None, 1.5, 0.75)
    assert (eu.tonnes, eu.net_import_days) == (240.0, None)


def test_no_joint_pool_no_second_counterfactual():
    assert own_share_scenario(validate_data(build(TWO_MEMBERS, agreement=None), "test")) is None
    national = build(TWO_MEMBERS, agreement__pool={"mode": "national"})
    assert own_share_scenario(validate_data(national, "test")) is None


def test_pooling_that_only_moves_shortfall_between_members_says_so():
    pooling, ratio = _lines(TWO_MEMBERS)
    assert pooling == (
        "Pooling moves shortfall between members rather than cutting it: with each member's pool share held alone "
        "as its own reserve, the members would be short of the same 5,940 t of rare earths in all. Pooled, Japan is "
        "short of 10.0 t more of rare earths (1,180 t against 1,170 t alone) and the EU of 10.0 t less (4,760 t "
        "against 4,770 t)."
    )
    # Japan drew 20 of the 60 t the rule released: its gap, not its half
    assert "of what the rule released, rare earths Japan 33% and EU 67%." in ratio


def test_pooling_that_cuts_the_shortfall_gives_the_tonnes_held_apart():
    # only Japan is halted: pooled it draws all 60 t (1,200 - 60 = 1,140 t short), alone only its 30 t
    pooling, ratio = _lines(build(TWO_MEMBERS, shocks=JAPAN_ONLY))
    assert pooling == (
        "Pooling adds to what the tonnes do: with each member's pool share held alone as its own reserve, the members "
        "would be short of 1,170 t of rare earths in all, against 1,140 t pooled. Pooled, Japan is short of 30.0 t "
        "less of rare earths (1,140 t against 1,170 t alone)."
    )
    assert "rare earths Japan 100% and EU 0%." in ratio


def test_a_release_lag_that_makes_pooling_worse_is_named():
    # a 70-day decision lag: the pool never opens in 60 days (6,000 t short), the shares alone are drawn at once
    pooling, _ = _lines(build(TWO_MEMBERS, agreement__decision_lag_days=70))
    assert pooling.startswith(
        "Pooling costs tonnes here: with each member's pool share held alone as its own reserve, drawn as national "
        "reserves are, without the agreement's trigger, lags, cap and auctions, the members would be short of only "
        "5,940 t of rare earths in all, against 6,000 t pooled."
    )
    assert (
        "Japan is short of 30.0 t more of rare earths (1,200 t against 1,170 t alone) and the EU of 30.0 t more"
        in pooling
    )


def test_ratio_line_is_silent_when_members_received_their_ratio():
    # equal gaps of 20 t: each takes 20 of the 40 t released on day 0, the ratio's 50/50
    _, ratio = _lines(build(TWO_MEMBERS, regions__eu__demand__ree__tonnes_per_day=20))
    assert ratio == ""


def test_report_shows_the_column_and_values_stocks_given_in_days_of_net_imports():
    # a contribution in days of net imports used to stop the report with a TypeError
    data = build(TWO_MEMBERS, agreement__pool__contributions__eu__ree={"net_import_days": 3})
    text = words_page(run(data))
    assert "<th>Short with its share alone</th>" in text
    pool = _plain(re.search(r'<table class="pool">.*?</table>', text, re.S).group())
    # Japan 30 t (1.5 days of 20 t/day, shown as 2), the EU 3 x 80 = 240 t (3 days), 270 t in all
    assert "Rareearths30.0t2days240t3days270t" in pool.replace(" ", "")


def test_no_share_alone_column_when_no_member_runs_short_even_without_the_stock():
    # 1,000 t of commercial stock each: 60 days of the 20 t/day halt leave Japan 0 short; the EU needs 4,800 t
    data = build(TWO_MEMBERS, regions__japan__commercial_stock__ree__tonnes=5000)
    data = build(data, regions__eu__commercial_stock__ree__tonnes=5000)
    text = words_page(run(data))
    # no column and no subtitle naming the case; the note under the table says why it is left out (s51 item 9)
    assert "<th>Short with its share alone</th>" not in text and "and with each member's share held alone" not in text
    assert "No member is short without the agreement, so each member&#x27;s share held alone is not run" in text


def test_ratio_line_leaves_out_a_member_without_demand_for_the_material():
    # a second material only Japan uses, halted like the first: all 60 t of its pool goes to Japan
    data = build(
        TWO_MEMBERS,
        materials={"ree": {"price_usd_per_kg": 50}, "magnets": {"price_usd_per_kg": 80}},
        regions__japan__demand__magnets={"tonnes_per_day": 10},
        regions__japan__commercial_stock__magnets={"tonnes": 0},
        regions__japan__sourcing__magnets={"china": 1.0},
        agreement__pool__contributions__japan__magnets={"tonnes": 30},
        agreement__pool__contributions__eu__magnets={"tonnes": 30},
    )
    _, ratio = _lines(data)
    assert "magnets Japan 100%." in ratio and "EU 0%." not in ratio


def test_verdict_amounts_share_one_unit():
    # no shock: each holds its 30 t for 60 days at 1 USD/t a day (365 a year), USD 1,800, beside USD 1.5 m of buying
    data = build(TWO_MEMBERS, materials__ree__holding_cost_usd_per_t_year=365, shocks=[])
    text = _plain(words_page(run(data)))
    assert len(re.findall(r"USD 1\.5 m\s*hold USD 0\.002 m", text)) == 2  # was "hold USD 1,800"
    assert "buying the pool USD 3.0 m at reference prices and holding strategic stock USD 0.004 m" in text
    assert "USD 1,800" not in text and "USD 3,600" not in text


def test_a_share_alone_that_closes_every_gap_while_the_pool_waits():
    # only Japan halted; it alone holds 1,200 t (60 days x 20 t), the pool opens after 70 days: pooled, Japan is
    # short all 1,200 t; alone it draws its share at once and is never short
    data = build(
        TWO_MEMBERS,
        shocks=JAPAN_ONLY,
        agreement__decision_lag_days=70,
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 1200}}},
    )
    pooling, _ = _lines(data)
    assert (
        "auctions, no member would run short, against 1,200 t pooled. Pooled, Japan is short of 1,200 t more" in pooling
    )


def test_pooling_that_changes_nobody_s_shortfall_says_so():
    # only Japan halted and only Japan contributing (60 t): pooled or alone, Japan draws the same 60 t
    data = build(TWO_MEMBERS, shocks=JAPAN_ONLY, agreement__pool__contributions={"japan": {"ree": {"tonnes": 60}}})
    pooling, _ = _lines(data)
    assert pooling == (
        "Pooling changes nothing here: with each member's pool share held alone as its own reserve, every member "
        "would be short of the same tonnes."
    )


def test_a_member_with_zero_demand_is_left_out_of_the_ratio_note_and_the_summary_table():
    from simulator.console import summary_text

    # Japan's demand written as 0 t/day is no demand: the EU takes all 60 t the rule releases on day 0
    result = run(build(TWO_MEMBERS, regions__japan__demand__ree__tonnes_per_day=0))
    assert ratio_line(Run.of(result)).endswith("of what the rule released, rare earths EU 100%.")
    assert [line.split()[0] for line in summary_text(result).splitlines()[1:-1]] == ["eu"]


def _headline(data: dict) -> str:
    result = run(data)
    return _plain(headline(Run.of(result), Run.of(without_agreement(result), "alone")))


def test_lending_that_only_moves_shortfall_is_a_no_with_who_carries_it():
    # national mode: Japan holds 60 t, the EU none, both halted all 60 days. With the agreement Japan meets its
    # own 20 t gap on day 0 and lends the other 40 t to the EU (1,180 and 4,760 t short); without it Japan draws
    # its 60 t over days 0-2 (1,140 t short) and the EU gets nothing (4,800 t): 5,940 t in all either way
    data = build(
        TWO_MEMBERS,
        agreement__pool={"mode": "national"},
        regions__japan__reserve={"ree": {"tonnes": 60}},
    )
    assert _headline(data) == (
        "No: the members are short of the same 5,940 t of rare earths with the joint stock and without it. It moves "
        "40.0 t of "
        "shortfall between members: Japan is short of 1,180 t with it and 1,140 t without and the EU of 4,760 t "
        "with it and 4,800 t without."
    )


def test_a_cut_of_ninety_percent_or_more_is_almost_entire():
    # a 5,500 t pool against 6,000 t of demand over the halt: 500 t short with it, 6,000 t without (92% less)
    pool = {"japan": {"ree": {"tonnes": 2750}}, "eu": {"ree": {"tonnes": 2750}}}
    assert _headline(build(TWO_MEMBERS, agreement__pool__contributions=pool)).startswith(
        "Almost entirely: the joint stock cuts the members' shortfall of rare earths from 6,000 t to 500 t (92% less)."
    )


def test_shocks_in_force_on_the_last_day_are_said_to_outlast_the_run():
    # the halt runs to day 1000 of a 60-day run: both members are short on day 59
    assert outlasts_line(Run.of(run(TWO_MEMBERS))) == (
        "The shocks outlast the run: halt (embargo, China → Japan, EU) is still in force on day 59, the last day "
        "simulated, when Japan is short of rare earths and the EU is short of rare earths. What follows is not "
        "simulated."
    )
    halt = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 0, "end": 30}]
    assert outlasts_line(Run.of(run(build(TWO_MEMBERS, shocks=halt)))) == ""
    # a shock of days 100-199 has not started by day 59: it is not in force then (the members, without stock of
    # their own, still end the run with no cover)
    late = [{"id": "late", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 100, "end": 200}]
    assert outlasts_line(Run.of(run(build(TWO_MEMBERS, shocks=late)))) == ""
    both = build(TWO_MEMBERS, shocks=[*TWO_MEMBERS["shocks"], *late])
    assert outlasts_line(Run.of(run(both))).startswith(
        "The shocks outlast the run: halt (embargo, China → Japan, EU) is still in force on day 59"
    )


@TWO_MEMBERS_REPORT
def test_a_grant_beyond_a_member_s_share_is_valued_and_what_one_takes_another_gives():
    # the pool is owned 50/50; the rule draws 20 t for Japan and 40 t for the EU on day 0, so the EU takes
    # 40 - 60/2 = 10 t beyond its share and Japan gives 10 t of its own: 10 t x 50 USD/kg = USD 0.50 m
    result = run(TWO_MEMBERS)
    assert {m: (round(t, 9), round(v, 3)) for m, (t, v) in granted(Run.of(result)).items()} == {
        "japan": (-10.0, -500_000.0),
        "eu": (10.0, 500_000.0),
    }
    text = _plain(two_members_report())  # the page of this very run (runs are deterministic)
    assert "gave USD 0.50 m of its share, unpaid" in text and "took USD 0.50 m beyond its share, free" in text
    assert "Took or gave: the value, at the reference prices," in text  # the basis, said once under the table
    # sold, not granted: the EU pays for what it draws, and no such note appears
    sold = _plain(words_page(run(build(TWO_MEMBERS, agreement__settlement="sale"))))
    assert "beyond its share" not in sold and "unpaid" not in sold


def test_the_ledger_does_not_value_a_contribution_of_a_material_without_a_price_at_zero():
    text = words_page(run(build(TWO_MEMBERS, materials__ree={})))
    ledger = text[text.index('<section id="ledger"') :]
    rows = re.findall(r'<td class="num">([^<]*)</td>', ledger[: ledger.index("</table>")])
    assert rows[:2] == ["30.0\u00a0t", "?"]  # Japan's 30 t paid in, not "0" USD m
    assert "?: the scenario gives the material no price, so what was paid in is not valued." in ledger


def test_a_yes_for_one_member_short_gives_its_total_once():
    # only Japan halted (20 t/day for 60 days = 1,200 t); a pool of 600 + 600 t covers it all
    pool = {"japan": {"ree": {"tonnes": 600}}, "eu": {"ree": {"tonnes": 600}}}
    data = build(TWO_MEMBERS, shocks=JAPAN_ONLY, agreement__pool__contributions=pool)
    assert _headline(data) == (
        "Yes: the joint stock closes every shortfall. Without it, Japan would be short of 1,200 t of rare earths; "
        "with it, neither member runs short."
        # the halt outlasts the 60 days and the 1,200 t pool meets the 1,200 t exactly: none is left
        " That is to the end of the run (day 59) only: 1 shock is still in force then, with the joint stock of rare "
        "earths used up."
    )


def test_pooling_that_cuts_little_while_a_member_ends_shorter_mostly_moves_shortfall():
    # Japan puts in 1,250 t, more than the 1,200 t it needs over 60 days; the EU 30 t. Alone,
    # Japan is never short and the EU is 4,800 - 30 = 4,770 t short. Pooled, the 1,280 t last
    # 12 days of 100 t and 80 t on day 12 (Japan 20, the EU 60): Japan is 1,200 - 13 x 20 = 940 t
    # short and the EU 4,800 - 1,020 = 3,780 t; 4,720 t in all, 1.0% less
    pool = {"japan": {"ree": {"tonnes": 1250}}, "eu": {"ree": {"tonnes": 30}}}
    pooling, _ = _lines(build(TWO_MEMBERS, agreement__pool__contributions=pool))
    assert pooling == (
        "Pooling mostly moves shortfall between members: with each member's pool share held alone as its own "
        "reserve, the members would be short of 4,770 t of rare earths in all, against 4,720 t pooled (1.0% less). "
        "Pooled, Japan is short of 940 t more of rare earths (940 t against none alone) and the EU of 990 t less "
        "(3,780 t against 4,770 t)."
    )


@shipped_group("club_of_five")
def test_with_several_materials_pooling_tells_each_member_s_change_by_material():
    # club_of_five: pooled, Japan avoids 994 t of light rare earths but is 17.6 t short of heavy ones,
    # which alone it is not; the tonnes of the two are not added (12 and 330 USD/kg)
    result, apart = shipped_result("club_of_five"), shipped_apart("club_of_five")
    pooling = _plain(pooling_line(Run.of(result), Run.of(apart, "own_share")))

    def japan(summary, material):
        return float(summary.set_index(["region", "material"]).at[("japan", material), "shortfall_t"])

    assert japan(result.summary, "light_ree") == 0 and japan(apart.summary, "heavy_ree") == 0
    heavy_pooled, light_alone = japan(result.summary, "heavy_ree"), japan(apart.summary, "light_ree")
    # worse off in heavy rare earths but better off in light: told material by material, not as "worse off"
    assert pooling.startswith("Pooling adds to what the tonnes do:")
    assert (
        f"Pooled, Japan's shortfall is, by material, light rare earths none against {light_alone:,.0f} t and heavy "
        f"rare earths {heavy_pooled:.1f} t against none alone; the EU's shortfall is, by material, heavy rare earths"
        in pooling
    )


def test_a_member_that_puts_nothing_in_yet_draws_is_named():
    # the pool's 60 t are all Japan's; on day 0 the rule gives Japan its 20 t gap and the EU the other 40
    from simulator.report.accounts import accounts
    from simulator.report.verdict import whom_line

    pooled = Run.of(run(build(TWO_MEMBERS, agreement__pool__contributions={"japan": {"ree": {"tonnes": 60}}})))
    text = whom_line(pooled, accounts(pooled)).replace("\u00a0", " ")
    assert text == "The EU puts nothing into the pool and draws 40.0 t of rare earths from it."
    both = Run.of(run(TWO_MEMBERS))  # both put in 30 t: nothing to say
    assert whom_line(both, accounts(both)) == ""


@shipped_group("long_embargo_12m")
def test_a_material_the_pool_holds_none_of_is_named_with_the_members_shortfall_of_it():
    from simulator.report.accounts import accounts
    from simulator.report.verdict import whom_line

    # the numbers come from the run's own tables: the EU's releases from the pool in timeseries.csv,
    # the members' magnet shortfall in summary.csv (the EU's pool contribution is 0 days in the file); Japan has no
    # magnet demand in the file, so the EU is the one member short of them
    result = shipped_result("long_embargo_12m")
    pooled = Run.of(result)
    eu = result.timeseries[result.timeseries["region"] == "eu"].groupby("material")["released_joint_t"].sum()
    summary = result.summary
    magnets = summary.loc[(summary["material"] == "ndfeb_magnets") & summary["region"].isin(["japan", "eu"])]
    assert (round(eu["light_ree"]), round(eu["heavy_ree"], 1), round(magnets["shortfall_t"].sum())) == (
        723,
        83.0,
        13696,
    )
    text = whom_line(pooled, accounts(pooled)).replace("\u00a0", " ")
    assert text == (
        "The EU puts nothing into the pool and draws 723 t of light rare earths and 83.0 t of heavy rare earths from "
        "it. The pool holds no NdFeB magnets, of which the EU, the only member using them here, is short of 13,696 t."
    )


def test_the_cost_per_kg_of_shortfall_avoided_adds_holding_to_buying():
    # 60 t bought at 50 USD/kg (USD 3.0 m), held at 3,650 USD/t a year (10 USD/t a day) until the
    # halt from day 10 empties it on day 15 (lead time 5): 60 x 10 x 15 = USD 9,000; it cuts the
    # members' shortfall from 4,500 t to 4,440 t: USD 3,009,000 / 60,000 kg = USD 50.15 a kg
    from simulator.report import without_agreement
    from simulator.report.accounts import accounts
    from simulator.report.verdict import avoided_cost_line

    halt = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 10, "end": 99}]
    data = build(TWO_MEMBERS, shocks=halt, **{"materials.ree.holding_cost_usd_per_t_year": 3650})
    result = run(data)
    pooled, alone = Run.of(result), Run.of(without_agreement(result), "alone")
    line = avoided_cost_line(pooled, alone, accounts(pooled))
    assert line == "Per kg of shortfall avoided, buying the whole pool and holding it cost USD 50.15 for rare earths."
    # Japan's own 10,000 t reserve is held with or without the pool: not charged to it
    own = build(data, **{"regions.japan.reserve.ree.tonnes": 10_000})
    result = run(own)
    pooled, alone = Run.of(result), Run.of(without_agreement(result), "alone")
    assert avoided_cost_line(pooled, alone, accounts(pooled)) == line
    calm = Run.of(run(build(TWO_MEMBERS, shocks=[])))  # nothing avoided: nothing to say
    assert avoided_cost_line(calm, Run.of(without_agreement(calm.result), "alone"), accounts(calm)) == ""


def test_national_reserves_are_not_said_to_be_a_pool_nobody_paid_into():
    # battery_materials lends from national reserves: no member "puts nothing into the pool"
    from simulator.report.accounts import accounts
    from simulator.report.verdict import whom_line

    national = Run.of(run(build(TWO_MEMBERS, agreement__pool={"mode": "national"})))
    assert whom_line(national, accounts(national)) == ""


@shipped_group("long_embargo_6m")
def test_whether_pooling_mostly_moves_shortfall_is_judged_on_the_materials_the_pool_holds():
    # the totals (7,395 t alone, 7,111 t pooled: 3.8% less) include 5,927 t of magnets the pool
    # holds none of; of its rare earths the members are 1,468.5 t short alone and 1,184 t pooled (19% less)
    result = shipped_result("long_embargo_6m")
    alone = shipped_apart("long_embargo_6m")
    pooling = _plain(pooling_line(Run.of(result), Run.of(alone, "own_share")))
    # not 'mostly moves': the lead says whom pooling leaves worse off (Japan), then that it cuts the members' total
    assert pooling.startswith("Pooling leaves Japan worse off than with its share held alone"), pooling
    assert "It cuts the members' total:" in pooling
    # as the report gives it (magnets and oxide are counted apart): by material, each with what it counts,
    # the members' shortfall of each material in the two runs; the pool holds no magnets, so theirs is
    # the same both ways, and pooling closes the heavy rare earths (left out where none is short)

    def short(of, material):
        rows = of.summary[of.summary["region"].isin(["japan", "eu"]) & (of.summary["material"] == material)]
        return float(rows["shortfall_t"].sum())

    light, heavy, magnets = "light_ree", "heavy_ree", "ndfeb_magnets"
    assert short(alone, light) + short(alone, heavy) == pytest.approx(1468.5, abs=0.5)  # the comment above, rounded
    assert short(result, heavy) == 0 and short(result, magnets) == short(alone, magnets)
    by_material = _plain(pooling_line(Run.of(result), Run.of(alone, "own_share"), True))
    # Japan: 509 t of light rare earths short pooled, none alone; the ledger's light row: the EU drew 723 t of its share
    ledger = result.ledger.set_index(["member", "material"])["drawn_from_others_t"]
    assert round(ledger[("japan", light)]) == -723 and round(ledger[("eu", light)]) == 723
    japan_light = float(result.summary.set_index(["region", "material"]).at[("japan", light), "shortfall_t"])
    assert round(japan_light) == 509
    assert by_material.startswith(
        f"Pooling leaves Japan worse off than with its share held alone, short of {japan_light:,.0f} t of light rare "
        "earths against "
        "none: the EU drew 723 t of light rare earths of its share. It cuts the members' shortfall of light and heavy "
        "rare earths: with each member's pool share held alone as its own reserve, the members would be short of "
        f"{_plain(tonnes(short(alone, light)))} of light rare earths (oxide), "
        f"{_plain(tonnes(short(alone, heavy)))} of heavy rare earths (oxide) and "
        f"{_plain(tonnes(short(alone, magnets)))} of NdFeB magnets (magnet), against "
        f"{_plain(tonnes(short(result, light)))} of light rare earths (oxide) and "
        f"{_plain(tonnes(short(result, magnets)))} of NdFeB magnets (magnet) pooled."
    ), by_material


def test_by_material_a_material_whose_shortfall_only_moves_says_who_carries_it():
    # the lending world above, with a second material counted differently: cobalt (Co content),
    # 5 t/day each, no reserve, halted too: 300 t short each with or without the agreement. The
    # headline goes material by material, and still says that the rare earths' 40 t only move
    # (the lending test above: Japan lends the EU the 40 t of its 60 t it does not need on day 0)
    data = build(
        TWO_MEMBERS,
        agreement__pool={"mode": "national"},
        regions__japan__reserve={"ree": {"tonnes": 60}},
    )
    data["materials"]["ree"]["tonnes_of"] = "oxide"
    cobalt = {"label": "cobalt", "price_usd_per_kg": 30, "tonnes_of": "Co content"}
    add_material(data, "co", cobalt, tonnes_per_day=5)  # no stock, from China, as the rare earths
    assert _headline(data) == (
        "No, by material: the joint stock leaves the shortfall of rare earths at 5,940 t of oxide and leaves that of "
        "cobalt at 600 t of Co content. It moves 40.0 t of the shortfall of rare earths from the EU to Japan."
    )


def test_without_an_agreement_the_verdict_asks_who_runs_short():
    # nothing to judge a joint stock by: the box is headed by the question it answers
    data = build(TWO_MEMBERS)
    del data["agreement"]
    page = words_page(run(data))
    assert "<h2>Who runs short? " in page and "Would a joint stock help?" not in page
    assert (
        "There is no joint stock in this scenario: Japan is short of 1,200 t and the EU of 4,800 t of rare earths."
        in _plain(page)
    )


MAGNETS = {"label": "magnets", "price_usd_per_kg": 500}
"""A second material priced 10x the rare earths: a total of the two would add unlike tonnes."""


def test_where_the_headline_goes_by_material_the_pooling_line_gives_no_total_either():
    # TWO_MEMBERS' 60 t pool of rare earths (50 USD/kg) and magnets at 500 USD/kg, 5 t/day each,
    # no stock of them: 600 t short of magnets in every run. Rare earths: 6,000 t short without
    # the stock; each 30 t share held alone covers 1.5 days of Japan's 20 t/day and 0.375 of the
    # EU's 80 t/day (1,170 + 4,770 = 5,940 t); pooled 1,180 + 4,760 = 5,940 t
    data = add_material(build(TWO_MEMBERS), "mag", MAGNETS, tonnes_per_day=5)
    page = _plain(words_page(run(data)))
    assert (
        "In part, by material: the joint stock cuts the shortfall of rare earths from 6,000 t to 5,940 t (1.0% less) "
        "and leaves that of magnets at 600 t."
    ) in page
    assert (
        "Pooling moves shortfall between members rather than cutting it: with each member's pool share held alone "
        "as its own reserve, the members would be short of the same 5,940 t of rare earths and 600 t of magnets."
    ) in page


def test_by_material_pooling_is_judged_material_by_material_not_on_a_total():
    # TWO_MEMBERS with magnets (500 USD/kg, 5 t/day each) and a 30 t share of each per member in
    # the pool; China halts Japan's rare earths and both members' magnets for the whole run, and
    # magnets leave the pool at most 0.5 t/day. Rare earths: Japan's 30 t share alone covers 1.5
    # of its 20 t days (1,200 - 30 = 1,170 t short); pooled it draws the EU's share too (1,140 t).
    # Magnets: alone each share covers 6 days of 5 t (300 - 30 = 270 t each, 540 t); pooled the
    # 0.5 t/day cap holds them back (60 days x 0.5 t = 30 t out of 60 t: 600 - 30 = 570 t). The
    # totals, 1,710 t either way, are equal by chance: pooling helps one material and costs the other
    data = add_material(build(TWO_MEMBERS), "mag", MAGNETS, tonnes_per_day=5)
    for member in ("japan", "eu"):
        data["agreement"]["pool"]["contributions"][member]["mag"] = {"tonnes": 30}
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "start": -100, "end": 1000}
    data["shocks"] = [
        {**halt, "regions": ["japan"], "materials": ["ree"]},
        {**halt, "id": "halt2", "regions": ["japan", "eu"], "materials": ["mag"]},
    ]
    data["agreement"]["release_cap_t_per_day"] = {"mag": 0.5}
    page = _plain(words_page(run(data)))
    assert (
        "Pooling cuts the members' shortfall of rare earths and adds to that of magnets: with each member's pool "
        "share held alone as its own reserve, the members would be short of 1,170 t of rare earths and 540 t of "
        "magnets, against 1,140 t of rare earths and 570 t of magnets pooled."
    ) in page
