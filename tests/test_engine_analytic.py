"""The engine against cases worked out by hand (DESIGN §3)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fastpath import run_batch
from simulator.metrics import draw_contribution_gap, envious_members
from simulator.plan import compile_plan
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, frame_bytes, run, series

NO_SUPPLY = [{"id": "cut_off", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -50, "end": 500}]


def test_constant_demand_without_supply_runs_down_linearly():
    # stock S = 100 t, demand D = 10 t/day, nothing arrives: the stock lasts S/D = 10 days
    result = run(build(ONE_REGION, shocks=NO_SUPPLY))
    cover = series(result, "days_of_cover", "japan")
    shortfall = series(result, "shortfall_t", "japan")
    days = np.arange(40)
    # end of day t: S - D(t+1) left, i.e. S/D - (t+1) days of cover, never below 0
    assert cover == pytest.approx(np.maximum(0.0, 10 - (days + 1)))
    assert shortfall[:10] == pytest.approx(0.0)
    assert shortfall[10:] == pytest.approx(10.0)
    assert series(result, "shortfall_cum_t", "japan")[-1] == pytest.approx(10.0 * 30)
    assert series(result, "arrivals_t", "japan") == pytest.approx(0.0)


def test_arrivals_stop_lead_time_after_embargo_and_resume_lead_time_after_it_ends():
    # lead time L = 5, embargo on days 10..19: shipments of days 10..19 never leave
    lead, start, end = 5, 10, 20
    halt = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": start, "end": end}]
    arrivals = series(run(build(ONE_REGION, shocks=halt)), "arrivals_t", "japan")
    assert arrivals[: start + lead] == pytest.approx(10.0)  # already in transit: still arrive
    assert arrivals[start + lead : end + lead] == pytest.approx(0.0)
    assert arrivals[end + lead :] == pytest.approx(10.0)


def test_partial_embargo_cuts_arrivals_by_its_severity():
    halt = [
        {
            "id": "cut",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan"],
            "start": 0,
            "end": 40,
            "severity": 0.72,
        }
    ]
    arrivals = series(run(build(ONE_REGION, shocks=halt)), "arrivals_t", "japan")
    assert arrivals[5:] == pytest.approx(10.0 * 0.28)


def test_delay_shock_adds_lead_time_to_shipments_leaving_while_active():
    # lead 5; shipments leaving on days 10..14 take 5 + 3 = 8 days and land on days 18..22;
    # those leaving on 15.. land on 20.. as usual, so days 20..22 receive two shipments
    delay = [{"id": "slow", "kind": "delay", "supplier": "china", "start": 10, "end": 15, "extra_days": 3}]
    arrivals = series(run(build(ONE_REGION, shocks=delay)), "arrivals_t", "japan")
    assert arrivals[:15] == pytest.approx(10.0)
    assert arrivals[15:18] == pytest.approx(0.0)
    assert arrivals[18:20] == pytest.approx(10.0)
    assert arrivals[20:23] == pytest.approx(20.0)
    assert arrivals[23:] == pytest.approx(10.0)
    assert arrivals.sum() == pytest.approx(400.0)  # nothing lost: shipments of days -5..34 all land


def test_national_reserve_covers_the_gap_exactly_until_empty():
    data = build(ONE_REGION, shocks=NO_SUPPLY)
    data["regions"]["japan"]["commercial_stock"]["ree"] = {"tonnes": 0}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 35}}
    result = run(data)
    released = series(result, "released_national_t", "japan")
    shortfall = series(result, "shortfall_t", "japan")
    reserve = series(result, "reserve_stock_t", "japan")
    assert released[:5] == pytest.approx([10, 10, 10, 5, 0])
    assert shortfall[:5] == pytest.approx([0, 0, 0, 5, 10])
    assert reserve[:4] == pytest.approx([25, 15, 5, 0])
    assert series(result, "released_t", "japan")[:5] == pytest.approx([10, 10, 10, 5, 0])


def test_stock_in_days_is_days_of_baseline_demand_on_day_zero():
    data = build(ONE_REGION, shocks=NO_SUPPLY, regions__japan__commercial_stock__ree__days=4)
    result = run(data)
    assert series(result, "commercial_stock_t", "japan")[:5] == pytest.approx([30, 20, 10, 0, 0])


def test_demand_growth_compounds_yearly():
    data = build(ONE_REGION, horizon_days=731, regions__japan__demand__ree__growth_per_year=0.1)
    baseline = series(run(data), "baseline_demand_t", "japan")
    assert baseline[0] == pytest.approx(10.0)
    assert baseline[365] == pytest.approx(11.0)
    assert baseline[730] == pytest.approx(12.1)


def test_demand_surge_multiplies_demand_while_active():
    surge = [{"id": "hoarding", "kind": "demand_surge", "start": 3, "duration_days": 2, "factor": 1.5}]
    demand = series(run(build(ONE_REGION, shocks=surge)), "demand_t", "japan")
    assert demand[:6] == pytest.approx([10, 10, 10, 15, 15, 10])


def test_quota_cut_reduces_all_exports_of_the_supplier():
    cut = [{"id": "quota", "kind": "quota_cut", "supplier": "china", "start": 0, "end": 100, "severity": 0.4}]
    arrivals = series(run(build(ONE_REGION, shocks=cut)), "arrivals_t", "japan")
    assert arrivals[5:] == pytest.approx(6.0)


def test_dates_place_shocks_on_the_right_days():
    halt = [
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan"],
            "start": "2010-09-21",
            "end": "2010-11-20",
        }
    ]
    data = build(ONE_REGION, start_date="2010-07-01", horizon_days=200, shocks=halt)
    result = run(data)
    row = result.shocks.iloc[0]
    assert (row["start_day"], row["end_day"]) == (82, 142)  # 2010-09-21 is day 82; 2010-11-20 day 142
    assert result.timeseries["date"].iloc[0] == "2010-07-01"
    arrivals = series(result, "arrivals_t", "japan")
    assert arrivals[86] == pytest.approx(10.0) and arrivals[87] == pytest.approx(0.0)


def test_same_seed_same_bytes_and_different_seed_different_noise():
    noisy = build(ONE_REGION, regions__japan__demand__ree__noise_cv=0.2, seed=11)
    first, again = run(noisy), run(noisy)
    assert frame_bytes(first.timeseries) == frame_bytes(again.timeseries)
    other = run(noisy, seed=12)
    assert not np.array_equal(series(first, "demand_t", "japan"), series(other, "demand_t", "japan"))


def test_noise_has_mean_one_and_the_configured_spread():
    noisy = build(ONE_REGION, horizon_days=4000, regions__japan__demand__ree__noise_cv=0.3)
    demand = series(run(noisy), "demand_t", "japan")
    # 4000 lognormal draws: standard errors of the mean and cv are about 0.005 and 0.005
    assert demand.mean() / 10.0 == pytest.approx(1.0, abs=0.02)
    assert demand.std() / demand.mean() == pytest.approx(0.3, abs=0.03)


def test_making_another_demand_noisy_leaves_a_cells_noise_unchanged():
    # one noise stream per run draws every cell, noisy or not: switching on the EU's
    # noise must not move a single bit of Japan's demand, and the EU's demand without
    # noise is its baseline exactly
    japan_only = build(TWO_MEMBERS, regions__japan__demand__ree__noise_cv=0.2, seed=5)
    both = build(japan_only, regions__eu__demand__ree__noise_cv=0.4)
    alone, together = run(japan_only), run(both)
    assert np.array_equal(series(alone, "demand_t", "japan"), series(together, "demand_t", "japan"))
    assert np.all(series(alone, "demand_t", "eu") == series(alone, "baseline_demand_t", "eu"))
    assert not np.array_equal(series(alone, "demand_t", "eu"), series(together, "demand_t", "eu"))


def test_first_shortfall_day_is_the_first_of_the_short_days_not_the_last():
    # stock 100 t at 10 t/day with no supply: short from day 10 to the end (day 39)
    result = run(build(ONE_REGION, shocks=NO_SUPPLY))
    row = result.summary.iloc[0]
    assert int(row["first_shortfall_day"]) == 10
    assert int(row["shortfall_days"]) == 30
    assert result.metrics["first_shortfall_day.japan"] == 10


def test_days_of_cover_count_only_the_pool_stock_a_member_may_draw():
    # Japan 20 t/day, EU 80 t/day, each contributing 30 t to a 60 t pool (shares 1/2);
    # supply flows normally and nobody is short, so the pool is untouched. Nobody triggers
    # the agreement, so releases never open and the pool is not drawable: cover is 0 though
    # each owns 30 t of it
    result = run(build(TWO_MEMBERS, shocks=[]))
    assert series(result, "shortfall_t", "japan") == pytest.approx(0.0)
    assert series(result, "pool_share_t", "japan") == pytest.approx(30.0)
    assert series(result, "days_of_cover", "japan") == pytest.approx(0.0)
    # a trigger on commercial cover below 5 days holds from day 0 (no commercial stock) and
    # releases open at once: each may draw its ratio 1/2 of the 60 t pool, 30 t: Japan
    # (0 commercial + 30 t) / 20 t/day = 1.5 days, the EU 30 / 80
    result = run(build(TWO_MEMBERS, shocks=[], agreement__trigger={"commercial_days_below": 5}))
    assert series(result, "days_of_cover", "japan") == pytest.approx(1.5)
    assert series(result, "days_of_cover", "eu") == pytest.approx(30 / 80)
    assert series(result, "days_of_cover_own", "eu") == pytest.approx(0.0)


# --- the summary metrics (simulator.metrics), each aggregation worked out by hand -------


def test_a_steady_region_keeps_ten_days_of_cover_and_ends_with_its_stock():
    # 10 t/day arrive and 10 t/day are used: the 100 t stock is 10 days of cover every day
    # (lowest 10, not the initial infinity nor a missing value) and is the last day's stock.
    # Never short: no short day, none first (-1), a largest daily shortfall of 0
    row = run(ONE_REGION).summary.iloc[0]
    assert row["min_days_of_cover"] == 10.0
    assert row["end_commercial_t"] == 100.0
    assert row["demand_t"] == 400.0
    assert (row["shortfall_days"], row["first_shortfall_day"], row["max_daily_shortfall_t"]) == (0, -1, 0.0)


def test_a_region_short_from_day_0_has_day_0_as_its_first_shortfall_day():
    # no stock and no supply: 10 t short on each of the 40 days, the first being day 0
    # (a later short day must not replace it)
    row = run(build(ONE_REGION, shocks=NO_SUPPLY, regions__japan__commercial_stock__ree__tonnes=0)).summary.iloc[0]
    assert (row["first_shortfall_day"], row["shortfall_days"]) == (0, 40)
    assert (row["shortfall_t"], row["shortfall_share"], row["max_daily_shortfall_t"]) == (400.0, 1.0, 10.0)


def test_a_region_without_demand_has_no_lowest_days_of_cover():
    # Korea holds 50 t and uses none: its days of cover are undefined every day, so their
    # minimum is a missing value, not infinity. Japan uses 0.5 t/day (less than a tonne,
    # yet a demand) and holds 50 t, 100 days of cover
    data = build(
        ONE_REGION,
        suppliers__china__lead_time_days={"japan": 5, "korea": 5},
        regions__japan__demand__ree__tonnes_per_day=0.5,
        regions__japan__commercial_stock__ree__tonnes=50,
    )
    data["regions"]["korea"] = build(
        data["regions"]["japan"], demand__ree__tonnes_per_day=0, commercial_stock__ree__tonnes=50
    )
    summary = run(data).summary.set_index("region")
    assert np.isnan(summary.loc["korea", "min_days_of_cover"])
    assert summary.loc["korea", "end_commercial_t"] == 50.0
    assert summary.loc["japan", "min_days_of_cover"] == 100.0
    # the batch's own summary, which sweep tables are written from, says NaN too
    plan = compile_plan(validate_data(data))
    lowest = run_batch(plan, draw_batch([plan], [0])).summary["min_days_of_cover"][0, :, 0]
    korea = plan.structure.regions.index("korea")
    assert np.isnan(lowest[korea]) and lowest[1 - korea] == 100.0


def test_agreement_wide_metrics_count_only_the_members():
    # the documented pair (Japan 1180 of 1200 t short, the EU 4760 of 4800 t) plus Korea,
    # outside the agreement, first among the regions and short of all its 10 t/day: the
    # total shortfall, the share gap and the fairness index are the members' alone
    korea = {"demand": {"ree": {"tonnes_per_day": 10}}, "commercial_stock": {"ree": {"tonnes": 0}}}
    data = build(TWO_MEMBERS, suppliers__china__lead_time_days={"korea": 5, "japan": 5, "eu": 5})
    data["regions"] = {"korea": {**korea, "sourcing": {"ree": {"china": 1.0}}}, **data["regions"]}
    data["shocks"][0]["regions"].append("korea")
    summary = run(data).summary
    korea_row = summary[summary["region"] == "korea"].iloc[0]
    overall = summary[(summary["region"] == "all") & (summary["material"] == "all")].iloc[0]
    assert korea_row["shortfall_t"] == 600.0
    assert overall["total_shortfall_t"] == 1180.0 + 4760.0
    assert overall["max_shortfall_share_gap"] == pytest.approx(4760 / 4800 - 1180 / 1200)
    shares = np.array([1180 / 1200, 4760 / 4800])
    assert overall["fairness_jain"] == pytest.approx(shares.sum() ** 2 / (2 * (shares**2).sum()))
    # each member paid in 30 t, Korea nothing; Japan drew 20 t and the EU 40 t of the pool
    # (docs/release-rules.md#fairness): draw shares 1/3 and 2/3 against paid-in shares of
    # 1/2, a gap of 1/6, and Japan, short, envies the EU's draw
    members = summary[summary["region"].isin(["japan", "eu"])].set_index("region")
    assert (korea_row["contributed_t"], *members["contributed_t"]) == (0.0, 30.0, 30.0)
    assert members["released_joint_t"].tolist() == [20.0, 40.0]
    assert members.loc["japan", "draw_to_contribution"] == pytest.approx(2 / 3)
    assert members.loc["eu", "draw_to_contribution"] == pytest.approx(4 / 3)
    assert np.isnan(korea_row["draw_to_contribution"])
    assert overall["draw_contribution_gap"] == pytest.approx(1 / 6)
    assert overall["envious_members"] == 1


def member_rows(data: dict) -> tuple[dict, dict, dict]:
    """Japan's, the EU's and the agreement-wide rows of a run's summary."""
    summary = run(data).summary
    japan, eu = (summary[summary["region"] == r].iloc[0].to_dict() for r in ("japan", "eu"))
    return japan, eu, summary[(summary["region"] == "all") & (summary["material"] == "all")].iloc[0].to_dict()


def test_a_member_that_drew_but_paid_nothing_in_has_no_draw_to_contribution_ratio():
    # the documented pair with the EU paying in all 60 t: Japan still draws 20 t and the EU
    # 40 t. Japan's ratio is undefined (not infinite); the EU drew 2/3 of the draws with all
    # of the contributions: 2/3. Gap: (|1/3 - 0| + |2/3 - 1|) / 2 = 1/3; Japan paid nothing
    # in, so it envies no one, and the EU drew more than Japan's draw scaled to nothing
    paid = {"japan": {"ree": {"tonnes": 0}}, "eu": {"ree": {"tonnes": 60}}}
    data = build(TWO_MEMBERS, agreement__pool__contributions=paid)
    japan, eu, overall = member_rows(data)
    assert (japan["released_joint_t"], eu["released_joint_t"]) == (20.0, 40.0)
    assert np.isnan(japan["draw_to_contribution"])
    assert eu["draw_to_contribution"] == pytest.approx(2 / 3)
    assert overall["draw_contribution_gap"] == pytest.approx(1 / 3)
    assert overall["envious_members"] == 0
    # NaN in the batch's own summary too (tables would show an infinity as empty, a sweep not)
    plan = compile_plan(validate_data(data))
    ratio = run_batch(plan, draw_batch([plan], [0])).summary["draw_to_contribution"][0, :, 0]
    assert np.isnan(ratio[plan.structure.regions.index("japan")])


def test_nothing_drawn_means_no_draw_to_contribution_ratio_and_no_gap():
    # no embargo: nobody is short, nobody draws, the 60 t pool is still full at the end
    japan, eu, overall = member_rows(build(TWO_MEMBERS, shocks=[]))
    assert np.isnan(japan["draw_to_contribution"]) and np.isnan(eu["draw_to_contribution"])
    assert overall["draw_contribution_gap"] == 0.0
    assert overall["pool_end_t"] == 60.0


def test_draws_of_less_than_a_tonne_in_all_still_have_a_ratio():
    # 0.3 t paid in by each; each is short far beyond its half of the 0.6 t pool and
    # draws it: 0.3 t each, a ratio of 1 and no gap
    contributions = {"japan": {"ree": {"tonnes": 0.3}}, "eu": {"ree": {"tonnes": 0.3}}}
    japan, eu, overall = member_rows(build(TWO_MEMBERS, agreement__pool__contributions=contributions))
    assert (japan["released_joint_t"], eu["released_joint_t"]) == (0.3, 0.3)
    assert japan["draw_to_contribution"] == pytest.approx(1.0)
    assert eu["draw_to_contribution"] == pytest.approx(1.0)
    assert overall["draw_contribution_gap"] == pytest.approx(0.0, abs=1e-12)


def test_without_an_agreement_the_agreement_wide_metrics_cover_every_region():
    # Korea (first) holds nothing and Japan 100 t, both cut off from their only supplier,
    # 10 t/day each over 40 days: Korea short of all 400 t, Japan of 300 t from day 10.
    # Shares 1 and 0.75: total 700 t, gap 0.25, Jain (1.75)^2 / (2 (1 + 0.5625)) = 0.98
    korea = {"demand": {"ree": {"tonnes_per_day": 10}}, "commercial_stock": {"ree": {"tonnes": 0}}}
    data = build(ONE_REGION, suppliers__china__lead_time_days={"korea": 5, "japan": 5})
    data["regions"] = {"korea": {**korea, "sourcing": {"ree": {"china": 1.0}}}, **data["regions"]}
    data["shocks"] = [{**NO_SUPPLY[0], "regions": ["korea", "japan"]}]
    summary = run(data).summary
    # one material: its row (all regions, ree) and the overall row (all, all) agree
    for material in ("ree", "all"):
        row = summary[(summary["region"] == "all") & (summary["material"] == material)].iloc[0]
        assert row["total_shortfall_t"] == 700.0, material
        assert row["max_shortfall_share_gap"] == 0.25, material
        assert row["fairness_jain"] == pytest.approx(0.98), material


def test_a_shortfall_of_exactly_the_rounding_tolerance_is_no_short_day():
    # the module's definition: days with a shortfall *above* 1e-9 t. Two runs, short by
    # 1e-9 t and 2e-9 t on day 3: only the second counts a short day, first on day 3
    from types import SimpleNamespace

    from simulator.metrics import _add, _by_source, _Stream
    from simulator.numeric import EPS_T
    from simulator.quantities import SUMMARY

    counted = [_Stream(q, (2,), "market") for q in SUMMARY if q.name in ("shortfall_days", "first_shortfall_day")]
    _add(_by_source(counted), 3, SimpleNamespace(shortfall_t=np.array([EPS_T, 2 * EPS_T])))
    days, first = (stream.result().tolist() for stream in counted)
    assert (days, first) == ([0, 1], [-1, 3])


def test_envy_compares_draws_scaled_to_contributions_whatever_their_size():
    # Japan paid 0.3 t and drew 0.2 t, the EU paid 0.3 t and drew 0.4 t: scaled to Japan's
    # contribution the EU's draw is 0.4 t, more than Japan's: Japan (short) envies
    assert envious_members(np.array([0.2, 0.4]), np.array([0.3, 0.3]), np.array([True, True])) == 1
    # only a member that was short envies: Japan if short, never the EU, which drew more
    assert envious_members(np.array([0.2, 0.4]), np.array([0.3, 0.3]), np.array([True, False])) == 1
    assert envious_members(np.array([0.2, 0.4]), np.array([0.3, 0.3]), np.array([False, True])) == 0
    # a member that paid nothing in is envied by no one, whatever it drew
    assert envious_members(np.array([0.0, 5.0]), np.array([30.0, 0.0]), np.array([True, True])) == 0
    # a draw larger by only the rounding tolerance (1e-9 t) is no cause for envy
    assert envious_members(np.array([0.0, 1e-9]), np.array([1.0, 1.0]), np.array([True, True])) == 0


def test_a_member_short_by_no_more_than_the_rounding_tolerance_envies_no_one():
    # Japan drew 10 t and the EU 50 t of 30 t each paid in, so Japan would envy the EU,
    # but it was short by only 1e-9 t over the run: not short, per material and overall
    from simulator.metrics import _envy

    s = {
        "released_joint_t": np.array([[[10.0], [50.0]]]),  # (run, region, material)
        "contributed_t": np.array([[[30.0], [30.0]]]),
        "shortfall_t": np.array([[[1e-9], [0.0]]]),
    }
    per_material, overall = _envy(s, [0, 1], None)
    assert (per_material.tolist(), overall.tolist()) == ([[0]], [0])
    s["shortfall_t"] = np.array([[[2e-9], [0.0]]])
    per_material, overall = _envy(s, [0, 1], None)
    assert (per_material.tolist(), overall.tolist()) == ([[1]], [1])


def test_the_draw_contribution_gap_is_half_the_distance_between_the_shares():
    # draws 0.2 and 0.4 t of contributions 0.3 and 0.3 t: shares 1/3, 2/3 against 1/2, 1/2,
    # gap (1/6 + 1/6) / 2 = 1/6 however small the tonnages; with nothing paid in, no gap
    assert draw_contribution_gap(np.array([0.2, 0.4]), np.array([0.3, 0.3])) == pytest.approx(1 / 6)
    assert draw_contribution_gap(np.array([20.0, 40.0]), np.array([0.0, 0.0])) == 0.0
