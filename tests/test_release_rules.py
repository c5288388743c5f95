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
    proportional,
    proportional_to_claims,
    talmud,
)

A = np.array


# --- worked examples ------------------------------------------------------------------


def test_claims_rules_worked_example_60_against_20_and_80():
    gaps, stock = A([20.0, 80.0]), A(60.0)
    assert proportional_to_claims(gaps, stock) == pytest.approx([12, 48])
    assert proportional(gaps, stock, baseline_demand=A([20.0, 80.0])) == pytest.approx([12, 48])
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


def test_iea_ess_needs_above_supply_right_shared_pro_rata_when_short():
    gaps, supplied, demand = A([50.0, 40.0]), A([50.0, 60.0]), A([100.0, 100.0])
    # supply rights 90 and 90: needs 40 and 30; only 35 t: 20 and 15
    assert iea_ess(gaps, A(35.0), supplied, demand, 0.1, 0.07) == pytest.approx([20, 15])
    assert iea_ess(gaps, A(500.0), supplied, demand, 0.1, 0.07) == pytest.approx([40, 30])


def test_iea_ess_stays_off_below_its_trigger():
    # group gap 5 t of 200 t demand = 2.5% < 7%
    assert iea_ess(A([5.0, 0.0]), A(100.0), A([95.0, 100.0]), A([100.0, 100.0]), 0.0, 0.07) == pytest.approx([0, 0])
    assert iea_ess(A([5.0, 0.0]), A(100.0), A([95.0, 100.0]), A([100.0, 100.0]), 0.0, 0.02) == pytest.approx([5, 0])


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
    "proportional": lambda g, s, w, d, o: proportional(g, s, d),
    "equal_cover": lambda g, s, w, d, o: equal_cover(g, s, d, o),
    "equal_awards": lambda g, s, w, d, o: equal_awards(g, s),
    "equal_losses": lambda g, s, w, d, o: equal_losses(g, s),
    "talmud": lambda g, s, w, d, o: talmud(g, s),
    "proportional_to_claims": lambda g, s, w, d, o: proportional_to_claims(g, s),
}


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
def test_strict_fair_ratio_and_iea_ess_stay_within_bounds(problem):
    gaps, stock, weights, demand, _own = problem
    tol = tolerance(gaps, stock, demand)
    for award in (
        fair_ratio(gaps, stock, weights, strict=True),
        iea_ess(gaps, stock, np.maximum(0.0, demand - gaps), demand, 0.07, 0.07),
    ):
        assert np.all(award >= 0) and np.all(award <= gaps + tol) and award.sum() <= stock + tol


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


def test_iea_ess_serves_a_need_below_one_tonne():
    # restraint 0 and trigger 0: a 0.5 t gap is a 0.5 t need, fully served from 10 t
    award = iea_ess(A([0.5, 0.0]), A(10.0), A([99.5, 100.0]), A([100.0, 100.0]), 0.0, 0.0)
    assert award == pytest.approx([0.5, 0.0])


def test_iea_ess_activates_when_the_group_loss_equals_the_trigger_exactly():
    # group gap 50 t of 200 t demand = 25% = the trigger: active, the need of 50 t is met
    award = iea_ess(A([50.0, 0.0]), A(100.0), A([50.0, 100.0]), A([100.0, 100.0]), 0.0, 0.25)
    assert award == pytest.approx([50.0, 0.0])


def test_iea_ess_active_with_no_member_below_its_supply_right_releases_nothing():
    # 5% group loss >= the 2% trigger, but both members got 95 t, above their 90 t rights
    award = iea_ess(A([5.0, 5.0]), A(100.0), A([95.0, 95.0]), A([100.0, 100.0]), 0.1, 0.02)
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
