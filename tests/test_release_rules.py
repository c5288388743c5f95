"""Release mechanisms: hand-computed allocations and properties over random inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.release import (
    clear_auction,
    drawdown_obligations,
    equal_awards,
    equal_cover,
    equal_losses,
    fair_ratio,
    iea_ess,
    need_with_restraint,
    proportional_to_claims,
    proportional_to_demand,
    talmud,
)

A = np.array


# --- worked examples ------------------------------------------------------------------


def test_claims_rules_worked_example_60_against_20_and_80():
    gaps, stock = A([20.0, 80.0]), A(60.0)
    assert proportional_to_claims(gaps, stock) == pytest.approx([12, 48])
    assert proportional_to_demand(gaps, stock, baseline_demand=A([20.0, 80.0])) == pytest.approx([12, 48])
    assert equal_awards(gaps, stock) == pytest.approx([20, 40])
    assert equal_losses(gaps, stock) == pytest.approx([0, 60])
    assert talmud(gaps, stock) == pytest.approx([10, 50])


def test_talmud_contested_garment_and_the_estate_of_three_widows():
    # Aumann & Maschler (1985): claims 100/200/300 with estates 100, 200, 300
    claims = A([100.0, 200.0, 300.0])
    assert talmud(claims, A(100.0)) == pytest.approx([100 / 3] * 3)
    assert talmud(claims, A(200.0)) == pytest.approx([50, 75, 75])
    assert talmud(claims, A(300.0)) == pytest.approx([50, 100, 150])


def test_fair_ratio_member_with_gap_below_its_share_passes_the_rest_on():
    assert fair_ratio(A([10.0, 200.0]), A(100.0), A([0.4, 0.6])) == pytest.approx([10, 90])


def test_fair_ratio_both_gaps_above_their_shares():
    assert fair_ratio(A([50.0, 80.0]), A(100.0), A([0.4, 0.6])) == pytest.approx([40, 60])


def test_fair_ratio_stock_smaller_than_one_gap():
    assert fair_ratio(A([50.0, 500.0]), A(30.0), A([0.5, 0.5])) == pytest.approx([15, 15])


def test_fair_ratio_three_members_water_filling():
    # offers 50/30/20; the first needs only 20, its 30 spare go 3:2 to the others -> 48/32
    assert fair_ratio(A([20.0, 50.0, 60.0]), A(100.0), A([0.5, 0.3, 0.2])) == pytest.approx([20, 48, 32])


def test_fair_ratio_strict_withholds_unused_shares():
    assert fair_ratio(A([20.0, 50.0, 60.0]), A(100.0), A([0.5, 0.3, 0.2]), strict=True) == pytest.approx([20, 30, 20])
    assert fair_ratio(A([10.0, 200.0]), A(100.0), A([0.4, 0.6]), strict=True) == pytest.approx([10, 60])


def test_fair_ratio_member_with_zero_ratio_gets_only_what_the_others_leave():
    # the first member's 10 t gap is served first; the 90 t left cover the second's gap
    assert fair_ratio(A([10.0, 10.0]), A(100.0), A([1.0, 0.0])) == pytest.approx([10, 10])
    # when the stock is short, the member with ratio 0 gets nothing
    assert fair_ratio(A([10.0, 10.0]), A(8.0), A([1.0, 0.0])) == pytest.approx([8, 0])
    # two members with ratio 0 share the leftover equally (constrained equal awards)
    assert fair_ratio(A([10.0, 30.0, 50.0]), A(50.0), A([1.0, 0.0, 0.0])) == pytest.approx([10, 20, 20])


def test_equal_cover_tops_up_the_member_with_least_own_stock_first():
    # demands 10 and 10 t/day; own stock 0 and 200 t; 60 t: the first reaches 5 days with
    # 50 t (its gap); the second is at 20 days already, so the level rises to 21 days
    assert equal_cover(A([50.0, 50.0]), A(60.0), A([10.0, 10.0]), A([0.0, 200.0])) == pytest.approx([50, 10])
    # equal own stock: shares by demand
    assert equal_cover(A([100.0, 100.0]), A(60.0), A([10.0, 20.0]), A([0.0, 0.0])) == pytest.approx([20, 40])


def test_need_with_restraint_shares_needs_above_supply_right_pro_rata_when_short():
    gaps, supplied, demand = A([50.0, 40.0]), A([50.0, 60.0]), A([100.0, 100.0])
    # supply rights 90 and 90: needs 40 and 30; only 35 t: 20 and 15
    assert need_with_restraint(gaps, A(35.0), supplied, demand, 0.1, 0.07) == pytest.approx([20, 15])
    assert need_with_restraint(gaps, A(500.0), supplied, demand, 0.1, 0.07) == pytest.approx([40, 30])


def test_need_with_restraint_stays_off_below_its_trigger():
    # group gap 5 t of 200 t demand = 2.5% < 7%
    off = need_with_restraint(A([5.0, 0.0]), A(100.0), A([95.0, 100.0]), A([100.0, 100.0]), 0.0, 0.07)
    on = need_with_restraint(A([5.0, 0.0]), A(100.0), A([95.0, 100.0]), A([100.0, 100.0]), 0.0, 0.02)
    assert off == pytest.approx([0, 0]) and on == pytest.approx([5, 0])


def test_proportional_to_claims_100_50_150_with_estate_100():
    # each claimant gets E / sum(claims) = 100 / 300 of its claim
    awards = proportional_to_claims(A([100.0, 50.0, 150.0]), A(100.0))
    assert awards == pytest.approx([100 / 3, 50 / 3, 50.0], rel=1e-12)
    assert [round(float(a), 1) for a in awards] == [33.3, 16.7, 50.0]
    # proportional to demand weighs by demand instead: demands 1:1:1 give equal awards here
    assert proportional_to_demand(A([100.0, 50.0, 150.0]), A(100.0), A([1.0, 1.0, 1.0])) == pytest.approx(
        [100 / 3, 100 / 3, 100 / 3]
    )


# --- the IEA Emergency Sharing System by the IEP's rules (Arts. 5, 7, 8, 13, 14, 17) --------

NO_LIMIT = A([np.inf, np.inf])


def test_iep_two_members_one_losing_half_its_supply():
    # group loss 50 of 200 = 25% >= 12%: restraint 10%, permissible 90 + 90 = 180; supply 150,
    # so 30 t drawn, 15 + 15 by equal commitments; rights 90 - 15 = 75 each: B passes 100 - 75 = 25
    e = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(1000.0))
    assert float(e.restraint) == 0.1 and bool(e.general) and not bool(e.selective)
    assert e.drawn_t == pytest.approx([15, 15])
    assert e.transferred_t == pytest.approx([25, -25])
    consumed = A([50.0, 100.0]) + e.transferred_t + e.drawn_t
    assert consumed == pytest.approx([90, 90])


def test_iep_restraint_is_7_percent_between_a_7_and_a_12_percent_loss():
    # group loss 20 of 200 = 10%: restraint 7%, permissible 93 + 93 = 186, supply 180 -> 6 t drawn,
    # split 1:2 by commitments (2 and 4); rights 91 and 89: A (80) receives 11 from B (100)
    e = iea_ess(A([100.0, 100.0]), A([80.0, 100.0]), A([1.0, 2.0]), NO_LIMIT, A(1000.0))
    assert float(e.restraint) == pytest.approx(0.07)
    assert e.drawn_t == pytest.approx([2, 4])
    assert e.transferred_t == pytest.approx([11, -11])
    # a loss of exactly 12% is the higher band; just below it is not
    assert float(iea_ess(A([100.0, 100.0]), A([76.0, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(99.0)).restraint) == 0.1
    assert float(iea_ess(A([100.0, 100.0]), A([76.5, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(99.0)).restraint) == 0.07


def test_iep_selective_trigger_brings_a_small_member_cut_off_alone_to_93_percent():
    # 30 of 530 t/day: the group loses 30/530 = 5.7% < 7%, but the member loses 100% of its own:
    # permissible 27.9 and 465; supply 500 > 492.9, so nothing is drawn; the large member passes 27.9
    e = iea_ess(A([30.0, 500.0]), A([0.0, 500.0]), A([1.0, 1.0]), NO_LIMIT, A(1000.0))
    assert bool(e.selective) and not bool(e.general)
    assert e.drawn_t == pytest.approx([0, 0])
    assert e.transferred_t == pytest.approx([27.9, -27.9])
    assert (0.0 + e.transferred_t[0]) / 30.0 == pytest.approx(0.93)


def test_iep_stays_off_below_both_triggers():
    # group loss 10/530 = 1.9%; the member loses 10/30 = 33% -> selective; at 2 of 30 (6.7%) nothing
    on = iea_ess(A([30.0, 500.0]), A([20.0, 500.0]), A([1.0, 1.0]), NO_LIMIT, A(100.0))
    off = iea_ess(A([30.0, 500.0]), A([28.0, 500.0]), A([1.0, 1.0]), NO_LIMIT, A(100.0))
    assert bool(on.selective) and on.transferred_t == pytest.approx([7.9, -7.9])
    assert not bool(off.selective | off.general) and float(off.restraint) == 0.0
    assert off.drawn_t == pytest.approx([0, 0]) and off.transferred_t == pytest.approx([0, 0])


def test_iep_a_member_that_cannot_draw_its_obligation_bears_it_itself():
    # the two-member case with only 10 t in a joint pool: obligations stay 15 + 15, so rights stay
    # 75 + 75 and B still passes 25; the pool gives a third of each obligation, 5 + 5:
    # both consume 80 (50 + 25 + 5 and 100 - 25 + 5)
    short = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(10.0))
    assert short.obligation_t == pytest.approx([15, 15]) and short.drawn_t == pytest.approx([5, 5])
    assert short.transferred_t == pytest.approx([25, -25])
    # national reserves: B holds only 3 t of its 15 t obligation; A draws its own 15, no more:
    # A consumes 50 + 25 + 15 = 90, B 100 - 25 + 3 = 78
    own = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([1.0, 1.0]), A([100.0, 3.0]), A(103.0))
    assert own.drawn_t == pytest.approx([15, 3]) and own.transferred_t == pytest.approx([25, -25])


def test_iep_obligation_above_permissible_consumption_falls_on_the_other_member():
    # commitments 1 : 9 with B consuming only 10 t/day: group 110 t/day, A loses 40 -> 36% loss,
    # restraint 10%: P = 90 and 9, S = 99 - 70 = 29; B's share 26.1 exceeds its 9 t, so B owes 9
    # and A the other 20. Rights 70 and 0: B passes all its 10 t to A, 10 below its right; A
    # consumes 60 + 10 + 20 = 90 and B 10 - 10 + 9 = 9
    e = iea_ess(A([100.0, 10.0]), A([60.0, 10.0]), A([1.0, 9.0]), NO_LIMIT, A(1000.0))
    assert e.obligation_t == pytest.approx([20.0, 9.0])
    assert e.transferred_t == pytest.approx([10, -10])
    assert A([60.0, 10.0]) + e.transferred_t + e.drawn_t == pytest.approx([90.0, 9.0])


def test_drawdown_obligations_follow_commitments_then_spill_over():
    assert drawdown_obligations(A(30.0), A([1.0, 2.0]), A([100.0, 100.0])) == pytest.approx([10, 20])
    assert drawdown_obligations(A(30.0), A([1.0, 2.0]), A([100.0, 5.0])) == pytest.approx([25, 5])


def test_auction_worked_example_uniform_and_pay_as_bid():
    volume, price = A([40.0, 30.0, 50.0, 20.0]), A([12.0, 11.0, 10.0, 9.0])
    uniform = clear_auction(volume, price, A(100.0))
    assert uniform.filled_t == pytest.approx([40, 30, 30, 0])
    assert float(uniform.clearing_price_usd_per_kg) == 10.0
    assert uniform.paid_usd.sum() == pytest.approx(1_000 * 1_000)  # 100 t x 10 USD/kg
    pay_as_bid = clear_auction(volume, price, A(100.0), pricing="pay_as_bid")
    assert pay_as_bid.paid_usd.sum() == pytest.approx(1_110 * 1_000)  # 40x12 + 30x11 + 30x10


def test_auction_tie_at_the_margin_is_split_pro_rata():
    # 60 t; 30 t at 15 filled; 20 t and 40 t tie at 12 for the last 30 t -> 10 and 20;
    # the 8 USD/kg bid is below the reserve price of 10
    volume, price = A([30.0, 20.0, 40.0, 25.0]), A([15.0, 12.0, 12.0, 8.0])
    uniform = clear_auction(volume, price, A(60.0), reserve_price_usd_per_kg=10.0)
    assert uniform.filled_t == pytest.approx([30, 10, 20, 0])
    assert float(uniform.clearing_price_usd_per_kg) == 12.0
    assert uniform.paid_usd == pytest.approx([360_000, 120_000, 240_000, 0])
    pay_as_bid = clear_auction(volume, price, A(60.0), reserve_price_usd_per_kg=10.0, pricing="pay_as_bid")
    assert pay_as_bid.paid_usd == pytest.approx([450_000, 120_000, 240_000, 0])


def test_auction_reserve_price_leaves_part_of_the_lot_unsold():
    volume, price = A([30.0, 20.0, 40.0, 25.0]), A([15.0, 12.0, 12.0, 8.0])
    result = clear_auction(volume, price, A(100.0), reserve_price_usd_per_kg=10.0)
    assert result.filled_t == pytest.approx([30, 20, 40, 0])  # 10 t unsold
    assert float(result.clearing_price_usd_per_kg) == 12.0
    assert result.paid_usd.sum() == pytest.approx(90 * 12 * 1_000)


def test_auction_without_eligible_bids_sells_nothing():
    result = clear_auction(A([10.0]), A([5.0]), A(50.0), reserve_price_usd_per_kg=6.0)
    assert result.filled_t == pytest.approx([0]) and np.isnan(result.clearing_price_usd_per_kg)


def test_rules_work_on_batches_run_by_run():
    # members on the first axis, two runs after it
    gaps = A([[20.0, 10.0], [80.0, 200.0]])
    out = fair_ratio(gaps, A([60.0, 100.0]), A([0.5, 0.5])[:, None])
    assert out == pytest.approx(A([[20, 10], [40, 90]]))
    assert out[:, 1] == pytest.approx(fair_ratio(gaps[:, 1], A(100.0), A([0.5, 0.5])))


# --- properties ------------------------------------------------------------------------

sizes = st.integers(min_value=2, max_value=5)
amounts = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw):
    n = draw(sizes)
    gaps = draw(arrays(float, n, elements=amounts))
    weights = draw(arrays(float, n, elements=st.sampled_from([0.0, 0.01, 0.1, 0.25, 0.5, 1.0])))
    weights[0] = max(weights[0], 0.01)  # ratios sum to 1: at least one is positive
    demand = draw(arrays(float, n, elements=st.floats(min_value=0.1, max_value=1e3)))
    own = draw(arrays(float, n, elements=amounts))
    stock = draw(amounts)
    return gaps, A(stock), weights / weights.sum(), demand, own


RULES = {
    "fair_ratio": lambda g, s, w, d, o: fair_ratio(g, s, w),
    "proportional_to_demand": lambda g, s, w, d, o: proportional_to_demand(g, s, d),
    "equal_cover": lambda g, s, w, d, o: equal_cover(g, s, d, o),
    "equal_awards": lambda g, s, w, d, o: equal_awards(g, s),
    "equal_losses": lambda g, s, w, d, o: equal_losses(g, s),
    "talmud": lambda g, s, w, d, o: talmud(g, s),
    "proportional_to_claims": lambda g, s, w, d, o: proportional_to_claims(g, s),
}


BOUNDED_ELSEWHERE = {
    "need_with_restraint": "test_strict_fair_ratio_and_need_with_restraint_stay_within_bounds",
    "iea_ess": "test_iep_conserves_supply_and_never_gives_more_than_permissible",
}
"""Rules with a property test of their own (a restraint or obligations change what "uses what it can" means)."""


def test_every_rule_that_allocates_has_a_property_test():
    from simulator.mechanisms import MECHANISMS

    allocating = {m.name for m in MECHANISMS if m.allocate is not None}
    missing = allocating - set(RULES) - set(BOUNDED_ELSEWHERE)
    assert not missing, f"tests/test_release_rules.py: add {sorted(missing)} to RULES (or a property test of its own)"


def tolerance(*values: np.ndarray) -> float:
    return 1e-9 * max(1.0, *(float(np.max(np.abs(v))) for v in values))


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_every_rule_stays_within_gaps_and_stock_and_uses_what_it_can(name, problem):
    gaps, stock, weights, demand, own = problem
    award = RULES[name](gaps, stock, weights, demand, own)
    tol = tolerance(gaps, stock)
    assert np.all(award >= 0)
    assert np.all(award <= gaps + tol)
    assert award.sum() <= stock + tol
    assert award.sum() == pytest.approx(min(float(stock), gaps.sum()), abs=10 * tol)


@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_strict_fair_ratio_and_need_with_restraint_stay_within_bounds(problem):
    gaps, stock, weights, demand, _own = problem
    tol = tolerance(gaps, stock, demand)
    for award in (
        fair_ratio(gaps, stock, weights, strict=True),
        need_with_restraint(gaps, stock, np.maximum(0.0, demand - gaps), demand, 0.07, 0.07),
    ):
        assert np.all(award >= 0) and np.all(award <= gaps + tol) and award.sum() <= stock + tol


@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_iep_conserves_supply_and_never_gives_more_than_permissible(problem):
    gaps, stock, weights, demand, own = problem
    supply = np.maximum(0.0, demand - gaps)
    tol = tolerance(gaps, stock, demand)
    e = iea_ess(demand, supply, weights + 0.1, own, stock)
    consumed = supply + e.transferred_t + e.drawn_t
    assert abs(e.transferred_t.sum()) <= tol  # what is passed on is received
    assert np.all(e.drawn_t >= 0) and np.all(e.drawn_t <= np.minimum(own, e.obligation_t) + tol)
    assert e.drawn_t.sum() <= stock + tol
    assert np.all(-e.transferred_t <= supply + tol)  # a member passes on at most its supply
    assert np.all(consumed <= np.maximum(supply, e.permissible_t) + tol)  # receivers never above P
    if bool(e.general) and np.all(e.obligation_t <= e.permissible_t):
        # everyone ends at P less the part of its obligation it could not draw
        assert consumed == pytest.approx(e.permissible_t - e.obligation_t + e.drawn_t, abs=10 * tol)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=8),
    data=st.data(),
    lot=amounts,
    reserve=st.floats(min_value=0, max_value=20),
    pricing=st.sampled_from(["uniform", "pay_as_bid"]),
)
def test_auction_fills_within_bids_and_lot_and_sells_all_it_can(n, data, lot, reserve, pricing):
    volume = data.draw(arrays(float, n, elements=amounts))
    price = data.draw(arrays(float, n, elements=st.sampled_from([5.0, 8.0, 10.0, 12.0, 15.0])))
    result = clear_auction(volume, price, A(lot), reserve, pricing)
    tol = tolerance(volume, A(lot))
    eligible = volume[price >= reserve].sum()
    assert np.all(result.filled_t >= 0) and np.all(result.filled_t <= volume + tol)
    assert result.filled_t.sum() == pytest.approx(min(lot, eligible), abs=10 * tol)
    assert np.all(result.filled_t[price < reserve] == 0)
    if result.filled_t.sum() > 0:
        clearing = float(result.clearing_price_usd_per_kg)
        assert np.all(result.filled_t[price > clearing] == pytest.approx(volume[price > clearing]))
        assert np.all(result.filled_t[price < clearing] == 0)


# --- edges found by mutation testing (docs/mutation-testing.md) -------------------------


def test_need_with_restraint_serves_a_need_below_one_tonne():
    # restraint 0 and trigger 0: a 0.5 t gap is a 0.5 t need, fully served from 10 t
    award = need_with_restraint(A([0.5, 0.0]), A(10.0), A([99.5, 100.0]), A([100.0, 100.0]), 0.0, 0.0)
    assert award == pytest.approx([0.5, 0.0])


def test_need_with_restraint_activates_when_the_group_loss_equals_the_trigger_exactly():
    # group gap 50 t of 200 t demand = 25% = the trigger: active, the need of 50 t is met
    award = need_with_restraint(A([50.0, 0.0]), A(100.0), A([50.0, 100.0]), A([100.0, 100.0]), 0.0, 0.25)
    assert award == pytest.approx([50.0, 0.0])


def test_need_with_restraint_active_with_no_member_below_its_supply_right_releases_nothing():
    # 5% group loss >= the 2% trigger, but both members got 95 t, above their 90 t rights
    award = need_with_restraint(A([5.0, 5.0]), A(100.0), A([95.0, 95.0]), A([100.0, 100.0]), 0.1, 0.02)
    assert np.array_equal(award, [0.0, 0.0])


def test_proportional_to_claims_sums_claims_over_members_not_runs():
    # members on the first axis, two runs: run 0 is the 60-against-20/80 case, run 1
    # shares 20 t between claims 10 and 30
    claims = A([[20.0, 10.0], [80.0, 30.0]])
    assert proportional_to_claims(claims, A([60.0, 20.0])) == pytest.approx(A([[12, 5], [48, 15]]))


def test_auction_without_a_reserve_price_fills_bids_below_one_dollar():
    result = clear_auction(A([10.0, 5.0]), A([0.5, 0.0]), A(20.0))
    assert result.filled_t == pytest.approx([10.0, 5.0])
    assert float(result.clearing_price_usd_per_kg) == 0.0


def test_auction_clears_at_the_bid_that_exactly_fills_the_lot():
    # 40 t at 12 and 60 t at 10 make exactly 100 t: the price is 10, not the next bid's 8
    result = clear_auction(A([40.0, 60.0, 50.0]), A([12.0, 10.0, 8.0]), A(100.0))
    assert result.filled_t == pytest.approx([40, 60, 0])
    assert float(result.clearing_price_usd_per_kg) == 10.0


def test_auction_bids_for_nothing_do_not_set_the_price():
    # the lot is not covered; the clearing price is the lowest bid that asks for stock
    result = clear_auction(A([10.0, 0.0]), A([12.0, 5.0]), A(100.0))
    assert result.filled_t == pytest.approx([10, 0])
    assert float(result.clearing_price_usd_per_kg) == 12.0
    assert result.paid_usd.sum() == pytest.approx(10 * 12 * 1000)


def test_auction_of_an_empty_lot_sells_nothing_and_has_no_price():
    result = clear_auction(A([10.0, 5.0]), A([12.0, 8.0]), A(0.0))
    assert np.array_equal(result.filled_t, [0.0, 0.0])
    assert np.isnan(result.clearing_price_usd_per_kg)


def test_talmud_between_a_third_and_half_of_the_claims_shares_the_half_claims_equally():
    # 40 t against 20 and 80 (half-claims 10 and 40): equal awards up to 30 -> 10 + 30 = 40
    assert talmud(A([20.0, 80.0]), A(40.0)) == pytest.approx([10, 30])
    # the widows' 250 against 100, 200, 300 (half-claims 50, 100, 150): level 100 -> 50 + 100 + 100
    assert talmud(A([100.0, 200.0, 300.0]), A(250.0)) == pytest.approx([50, 100, 100])


# --- one order of bids for a whole batch (the fast clearing of many runs) ---------------


def test_a_batch_with_shared_bid_prices_clears_each_run_as_it_would_alone():
    # one material, four runs with bids 40 t at 12, 30 t at 11 (a second bid at 12 of 0 t
    # or below the reserve in some runs), 50 t at 10; lots 100, 60, 0 and 200 t.
    # Run 0: 40 + 30 then 30 of 50 at 10. Run 1: 40 + 20 of 30 at 11. Run 2: no lot.
    # Run 3: bids cover 120 t of 200: all filled, price the lowest eligible bid, 10.
    volume = A([[40.0, 40, 40, 40], [0.0, 0, 0, 0], [30.0, 30, 30, 30], [50.0, 50, 50, 50]])[:, None, :]
    price = np.broadcast_to(A([12.0, 12.0, 11.0, 10.0])[:, None, None], volume.shape)
    lot = A([[100.0, 60.0, 0.0, 200.0]])
    result = clear_auction(volume, price, lot, reserve_price_usd_per_kg=9.0)
    assert np.array_equal(result.filled_t[:, 0, 0], [40, 0, 30, 30])
    assert np.array_equal(result.filled_t[:, 0, 1], [40, 0, 20, 0])
    assert np.array_equal(result.filled_t[:, 0, 2], [0, 0, 0, 0])
    assert np.array_equal(result.filled_t[:, 0, 3], [40, 0, 30, 50])
    assert np.array_equal(result.clearing_price_usd_per_kg[0], [10.0, 11.0, np.nan, 10.0], equal_nan=True)


def test_a_fill_of_less_than_a_tonne_is_paid_for():
    # a 0.5 t lot to a single bid of 10 t at 10 USD/kg: 0.5 t x 10 USD/kg = USD 5,000
    result = clear_auction(A([10.0]), A([10.0]), A(0.5))
    assert result.filled_t.tolist() == [0.5]
    assert result.paid_usd.tolist() == [5_000.0]


def test_bids_tied_in_price_add_up_in_the_order_they_were_given():
    # six bids at 12 USD/kg of 0.3, 0.3, 0.7, 0.2, 0.3 and 0.7 t (a 0.2 t bid at 10 among
    # them) exactly cover a 2.5 t lot: summed in the order given, 0.6, 1.3, 1.5, 1.8, 2.5,
    # so the price is 12 and the bid at 10 gets nothing. (Summed in another order the
    # tied volumes can fall short of 2.5 t by a rounding step and move the price to 10;
    # numpy's default sort, unlike the stable one, may reorder ties.) Alone, and in a
    # batch of two runs sharing the bids
    volume = A([0.3, 0.3, 0.2, 0.7, 0.2, 0.3, 0.7])
    price = A([12.0, 12.0, 10.0, 12.0, 12.0, 12.0, 12.0])
    alone = clear_auction(volume, price, A(2.5))
    assert float(alone.clearing_price_usd_per_kg) == 12.0
    assert alone.filled_t[2] == 0.0
    batch = clear_auction(np.stack([volume, volume], axis=-1), np.stack([price, price], axis=-1), A([2.5, 2.5]))
    assert batch.clearing_price_usd_per_kg.tolist() == [12.0, 12.0]
    assert batch.filled_t[2].tolist() == [0.0, 0.0]


def test_a_batch_with_two_axes_before_the_runs_clears_each_cell_at_its_own_price():
    # the worked example's bids (40 t at 12, 30 at 11, 50 at 10, 20 at 9 USD/kg) in every
    # cell of a (2, 2) batch of two runs, against lots that stop at each bid in turn:
    # 40 t -> 12; 60 and 70 t -> 11; 100 and 120 t -> 10; 130 and 200 t (beyond the 140 t
    # bid) -> 9, the lowest bid; 0 t -> nothing sold, no price
    volume = np.broadcast_to(A([40.0, 30.0, 50.0, 20.0])[:, None, None, None], (4, 2, 2, 2))
    price = np.broadcast_to(A([12.0, 11.0, 10.0, 9.0])[:, None, None, None], volume.shape)
    lot = A([[[100.0, 60.0], [0.0, 200.0]], [[40.0, 70.0], [120.0, 130.0]]])
    result = clear_auction(volume, price, lot)
    expected = A([[[10.0, 11.0], [np.nan, 9.0]], [[12.0, 11.0], [10.0, 9.0]]])
    assert np.array_equal(result.clearing_price_usd_per_kg, expected, equal_nan=True)
    assert np.array_equal(result.filled_t[:, 0, 0, 0], [40, 30, 30, 0])


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=7),
    runs=st.integers(min_value=1, max_value=6),
    data=st.data(),
    reserve=st.sampled_from([0.0, 8.0, 10.0, 11.0]),
    pricing=st.sampled_from(["uniform", "pay_as_bid"]),
)
def test_shared_bid_prices_clear_bit_for_bit_as_each_run_alone(n, runs, data, reserve, pricing):
    # ties, bids of 0 t and bids below the reserve are all likely with these few values
    prices = data.draw(arrays(float, (n, 2), elements=st.sampled_from([5.0, 8.0, 10.0, 10.0, 12.0, 15.0])))
    volume = data.draw(arrays(float, (n, 2, runs), elements=st.sampled_from([0.0, 0.1, 0.2, 0.7, 20.0, 30.0])))
    lot = data.draw(arrays(float, (2, runs), elements=st.sampled_from([0.0, 0.3, 0.9, 30.0, 50.0, 1e9])))
    price = np.broadcast_to(prices[..., None], volume.shape)
    batch = clear_auction(volume, price, lot, reserve, pricing)  # one order of bids for every run
    for m in range(2):
        for r in range(runs):  # one run alone: the bids are sorted
            alone = clear_auction(volume[:, m, r], prices[:, m], lot[m, r], reserve, pricing)
            assert batch.filled_t[:, m, r].tobytes() == alone.filled_t.tobytes()
            assert batch.paid_usd[:, m, r].tobytes() == alone.paid_usd.tobytes()
            assert batch.clearing_price_usd_per_kg[m, r].tobytes() == alone.clearing_price_usd_per_kg.tobytes()


def test_iep_a_day_without_loss_triggers_nothing_even_with_zero_thresholds():
    # every member supplied its full demand: no loss, so neither trigger holds and there is no
    # restraint, even with both thresholds at 0 and a member under 1/0.07 = 14.3 t/day
    e = iea_ess(A([10.0, 100.0]), A([10.0, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(100.0), 0.07, 0.10, 0.12, 0.0, 0.0)
    assert not bool(e.general) and not bool(e.selective) and float(e.restraint) == 0.0
    assert np.array_equal(e.permissible_t, [10.0, 100.0]) and np.array_equal(e.transferred_t, [0.0, 0.0])


def test_iep_general_trigger_on_a_group_loss_below_one_tonne():
    # the two-member case scaled by 1/200: loss 0.25 of 1 t = 25%: restraint 10%, P = 0.45 each,
    # shortfall 0.9 - 0.75 = 0.15 drawn 0.075 + 0.075, rights 0.375: B passes 0.125 to A
    e = iea_ess(A([0.5, 0.5]), A([0.25, 0.5]), A([1.0, 1.0]), NO_LIMIT, A(10.0))
    assert bool(e.general) and not bool(e.selective) and float(e.restraint) == 0.1
    assert e.drawn_t == pytest.approx([0.075, 0.075]) and e.transferred_t == pytest.approx([0.125, -0.125])


def test_iep_general_trigger_holds_at_a_group_loss_equal_to_its_threshold():
    # loss 50 of 200 t = 25% = the trigger share given: general (not selective), so the 12% band
    # applies: restraint 10%, as in the two-member case
    e = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(1000.0), trigger_loss_share=0.25)
    assert bool(e.general) and not bool(e.selective) and float(e.restraint) == 0.1
    assert e.transferred_t == pytest.approx([25, -25])


def test_iep_selective_trigger_on_a_member_loss_below_one_tonne():
    # 0.5 of 5 t = 10% >= 7% for the member, 0.5 of 105 t for the group: selective; P = 4.65 and 93,
    # supply 104.5 > 97.65, nothing drawn; A's deficit 4.65 - 4.5 = 0.15 comes from B
    e = iea_ess(A([5.0, 100.0]), A([4.5, 100.0]), A([1.0, 1.0]), NO_LIMIT, A(100.0))
    assert bool(e.selective) and not bool(e.general)
    assert e.drawn_t == pytest.approx([0, 0]) and e.transferred_t == pytest.approx([0.15, -0.15])


def test_iep_selective_trigger_holds_at_a_member_loss_equal_to_its_threshold():
    # A loses 25 of 100 t = 25% = the selective share given; the group 25 of 1,100 t (2.3%):
    # restraint 7%, P = 93 and 930, supply 1,075 > 1,023; A's deficit 93 - 75 = 18 comes from B
    e = iea_ess(A([100.0, 1000.0]), A([75.0, 1000.0]), A([1.0, 1.0]), NO_LIMIT, A(100.0), selective_loss_share=0.25)
    assert bool(e.selective) and float(e.restraint) == pytest.approx(0.07)
    assert e.transferred_t == pytest.approx([18, -18])


def test_iep_commitments_given_as_shares_summing_to_one():
    # commitments 0.5 and 0.5 weigh as 1 and 1: the two-member case, 15 + 15 drawn, B passes 25
    e = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([0.5, 0.5]), NO_LIMIT, A(1000.0))
    assert e.obligation_t == pytest.approx([15, 15]) and e.drawn_t == pytest.approx([15, 15])
    assert e.transferred_t == pytest.approx([25, -25])


def test_iep_without_reserve_commitments_draws_nothing_and_still_passes_supply():
    # a material no member holds a reserve of (weights 0, as the plan gives without stock):
    # no obligation, nothing drawn; rights are P = 90 each, so B passes its excess of 10 t to A
    e = iea_ess(A([100.0, 100.0]), A([50.0, 100.0]), A([0.0, 0.0]), NO_LIMIT, A(1000.0))
    assert np.array_equal(e.obligation_t, [0.0, 0.0]) and np.array_equal(e.drawn_t, [0.0, 0.0])
    assert e.transferred_t == pytest.approx([10, -10])
