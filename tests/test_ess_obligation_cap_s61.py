"""``iea_ess`` when a member's drawdown obligation would exceed its permissible consumption.

Member ``i`` owes ``O_i = c_i / sum(c) x S`` of the group's shortfall ``S``. A member with a large
commitment and a small demand can owe more than it may consume (``O_i > P_i``). The rule used to clip
its supply right to 0 and let it draw only ``P_i``: the part of ``S`` above ``P_i`` was neither drawn
nor passed, so the deficits below the rights exceeded the excesses above them and a larger commitment
(say a larger pool contribution) made the members short of more. Now the obligation is at most ``P_i``
and the rest falls on the other members in proportion to their commitments, so with stock enough every
member consumes exactly ``P_i``.

The world of the hand-worked cases: three members A, B, C with demand 20, 100, 80 t/day, supplied
20, 40, 80 t, commitments 8, 1, 1. The group loses 60 of 200 t (30%, above 12%): restraint 10%,
``P`` = 18, 90, 72 t, ``S`` = 180 - 140 = 40 t. By commitment A would owe 32 t, above its 18 t; it owes
18 t and the other 22 t falls on B and C, 1 : 1, 11 t each. Rights ``P - O`` = 0, 79, 61 t: A is 20 t
above its right and C 19 t, B 39 t below it, so A passes 20 t and C 19 t to B.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.release import iea_ess
from tests.helpers import build, run, series
from tests.invariants import check_invariants

DEMAND_T = np.array([20.0, 100.0, 80.0])
SUPPLY_T = np.array([20.0, 40.0, 80.0])
COMMITMENTS = np.array([8.0, 1.0, 1.0])
UNLIMITED = np.full(3, np.inf)


def consumed_t(sharing, supply_t: np.ndarray) -> np.ndarray:
    """What each member consumes: its supply, plus what it received (less what it passed), plus its draw (t)."""
    return supply_t + sharing.transferred_t + sharing.drawn_t


def test_an_obligation_above_permissible_consumption_falls_on_the_others_by_commitment():
    e = iea_ess(DEMAND_T, SUPPLY_T, COMMITMENTS, UNLIMITED, np.array(1000.0))
    assert float(e.restraint) == 0.1
    assert e.permissible_t == pytest.approx([18.0, 90.0, 72.0])
    assert e.obligation_t == pytest.approx([18.0, 11.0, 11.0])
    assert e.drawn_t == pytest.approx([18.0, 11.0, 11.0])
    assert e.transferred_t == pytest.approx([-20.0, 39.0, -19.0])
    # every member consumes its permissible consumption: A 20 - 20 + 18, B 40 + 39 + 11, C 80 - 19 + 11
    assert consumed_t(e, SUPPLY_T) == pytest.approx([18.0, 90.0, 72.0])
    assert e.restraint_t == pytest.approx([2.0, 10.0, 8.0])


def test_a_pool_short_of_the_shortfall_gives_each_the_same_share_of_its_obligation():
    # 20 t in the pool for S = 40 t: each draws half its obligation, 9, 5.5 and 5.5 t; rights and
    # transfers are as with ample stock, so each consumes P_i - O_i / 2: 9, 84.5 and 66.5 t
    e = iea_ess(DEMAND_T, SUPPLY_T, COMMITMENTS, UNLIMITED, np.array(20.0))
    assert e.drawn_t == pytest.approx([9.0, 5.5, 5.5])
    assert e.transferred_t == pytest.approx([-20.0, 39.0, -19.0])
    assert consumed_t(e, SUPPLY_T) == pytest.approx([9.0, 84.5, 66.5])


def test_what_a_member_cannot_draw_from_its_own_stock_stays_its_own_loss():
    # national stocks: A holds only 10 t of its 18 t obligation; B and C draw their 11 t each.
    # A consumes 20 - 20 + 10 = 10 t; B and C still reach 90 and 72 t
    e = iea_ess(DEMAND_T, SUPPLY_T, COMMITMENTS, np.array([10.0, np.inf, np.inf]), np.array(1000.0))
    assert e.drawn_t == pytest.approx([10.0, 11.0, 11.0])
    assert consumed_t(e, SUPPLY_T) == pytest.approx([10.0, 90.0, 72.0])


def test_what_members_with_a_commitment_cannot_owe_falls_on_those_without_one_by_their_permissible_use():
    # commitments 8, 0, 0 and supplies 20, 35, 80 t: the group loses 65 of 200 t (restraint 10%), S = 180 - 135
    # = 45 t. A owes its 18 t; B and C, with no commitment, take the 27 t left as 90 : 72, 15 and 12 t. Rights
    # 0, 75, 60 t: A and C pass 20 t each to B, and each consumes its 18, 90 and 72 t
    supply = np.array([20.0, 35.0, 80.0])
    e = iea_ess(DEMAND_T, supply, np.array([8.0, 0.0, 0.0]), UNLIMITED, np.array(1000.0))
    assert e.obligation_t == pytest.approx([18.0, 15.0, 12.0])
    assert e.transferred_t == pytest.approx([-20.0, 40.0, -20.0])
    assert consumed_t(e, supply) == pytest.approx([18.0, 90.0, 72.0])


def test_obligations_are_levelled_only_in_the_batch_columns_where_a_cap_binds():
    # column 0: the case above (A's 32 t would exceed its 18 t); column 1: commitments 1, 1, 1 give
    # 40 / 3 t each, below every P, and stay exactly that
    demand = np.stack([DEMAND_T, DEMAND_T], axis=1)
    supply = np.stack([SUPPLY_T, SUPPLY_T], axis=1)
    commitments = np.stack([COMMITMENTS, np.ones(3)], axis=1)
    e = iea_ess(demand, supply, commitments, np.full((3, 2), np.inf), np.array([1000.0, 1000.0]))
    assert e.obligation_t[:, 0] == pytest.approx([18.0, 11.0, 11.0])
    assert np.array_equal(e.obligation_t[:, 1], np.full(3, 40.0 / 3.0))
    assert consumed_t(e, supply) == pytest.approx(e.permissible_t)


MEMBERS = st.integers(min_value=2, max_value=6)


@st.composite
def loss_worlds(draw) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Demand (1-100 t), supply at most 90% of it (so the general trigger holds) and commitments (0 or
    0.01-10, one at least 1), for 2-6 members."""
    n = draw(MEMBERS)
    demand = np.array(draw(st.lists(st.floats(1.0, 100.0), min_size=n, max_size=n)))
    supplied_share = np.array(draw(st.lists(st.floats(0.0, 0.9), min_size=n, max_size=n)))
    commitment = st.one_of(st.just(0.0), st.floats(0.01, 10.0))
    commitments = np.array(draw(st.lists(commitment, min_size=n, max_size=n)))
    commitments[draw(st.integers(0, n - 1))] += 1.0
    return demand, demand * supplied_share, commitments


@settings(max_examples=300, deadline=None)
@given(loss_worlds())
def test_with_stock_enough_every_member_consumes_its_permissible_consumption(world):
    demand, supply, commitments = world
    e = iea_ess(demand, supply, commitments, np.full(demand.shape, np.inf), np.array(1e9))
    assert bool(e.general)
    consumed = consumed_t(e, supply)
    # supplies are moved, not made: the group consumes its supply and what it drew
    assert consumed.sum() == pytest.approx(supply.sum() + e.drawn_t.sum(), rel=1e-9, abs=1e-9)
    assert consumed == pytest.approx(e.permissible_t, rel=1e-9, abs=1e-9)
    assert np.all(e.obligation_t <= e.permissible_t)


IEP_TRIO = {
    "name": "iep3",
    "horizon_days": 12,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"a": 1, "b": 1, "c": 1}},
        "other": {"lead_time_days": {"a": 1, "b": 1, "c": 1}},
    },
    "regions": {
        "a": {
            "demand": {"ree": {"tonnes_per_day": 20}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"other": 1.0}},
        },
        "b": {
            "demand": {"ree": {"tonnes_per_day": 100}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 0.6, "other": 0.4}},
        },
        "c": {
            "demand": {"ree": {"tonnes_per_day": 80}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"other": 1.0}},
        },
    },
    "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["b"], "start": -100, "end": 1000}],
    "agreement": {
        "members": ["a", "b", "c"],
        "mechanism": "iea_ess",
        "pool": {
            "contributions": {
                "a": {"ree": {"tonnes": 60}},
                "b": {"ree": {"tonnes": 300}},
                "c": {"ree": {"tonnes": 300}},
            }
        },
    },
}
"""The hand-worked world in the engine: A, B, C of 20, 100 and 80 t/day, no commercial stock, B losing its
Chinese 60%; a joint pool of A's contribution and 300 t each from B and C (commitments: the contributions)."""


def shortfall_by_member_t(contribution_a_t: float) -> dict[str, np.ndarray]:
    """Each member's daily shortfall (t) in ``IEP_TRIO`` with A's pool contribution ``contribution_a_t``."""
    result = run(build(IEP_TRIO, agreement__pool__contributions__a__ree__tonnes=contribution_a_t))
    check_invariants(result)
    assert sum(series(result, "released_joint_t", region).sum() for region in "abc") == pytest.approx(480.0)
    return {region: series(result, "shortfall_t", region) for region in "abc"}


def test_a_larger_contribution_does_not_make_the_members_short_of_more():
    # S = 40 t/day for 12 days, 480 t, within either pool (660 or 3,000 t). With A's 60 t, A owes
    # 40 x 60 / 660 = 3.6 t/day (below its 18 t); with 2,400 t it would owe 40 x 2,400 / 3,000 = 32 t
    # and owes 18 t. Either way each member consumes its 90%: short of its 10% restraint,
    # 2 + 10 + 8 = 20 t/day, 240 t in all (the old rule left B 14 t/day more short with 2,400 t)
    small, large = shortfall_by_member_t(60), shortfall_by_member_t(2400)
    for short in (small, large):
        for region, short_t in (("a", 2.0), ("b", 10.0), ("c", 8.0)):
            assert short[region] == pytest.approx(short_t)
    assert sum(s.sum() for s in large.values()) <= sum(s.sum() for s in small.values()) + 1e-9


def test_from_national_reserves_a_member_draws_its_obligation_while_its_own_reserve_lasts():
    """Japan (20 t/day) and the EU (80 t/day) lose all supply: restraint 10%, P = 18 and 72, S = 90, owed 18 and 72.
    Japan still holds 64 t of its reserve, the EU none: Japan draws its whole 18 t. The EU's empty reserve is its own
    loss; scaling every draw by the group's 64 t against the 90 t owed would have given Japan 12.8 t."""
    e = iea_ess(np.array([20.0, 80.0]), np.zeros(2), np.array([1.0, 1.0]), np.array([64.0, 0.0]), np.array(64.0))
    assert e.obligation_t.tolist() == [18.0, 72.0]
    assert e.drawn_t.tolist() == [18.0, 0.0]


def test_a_release_cap_scales_only_what_the_reserves_can_give():
    """Demand 20, 50 and 30 t/day, all lost, commitments equal: P = 18, 45, 27, S = 90, shares of 30 each levelled to
    18, 45 and 27. The second member's reserve is empty, the others hold 100 t each, and a cap lets 40 t out: they can
    draw 18 + 27 = 45 t together, so each draws 40/45 of it, 16 and 24 t (scaled by 40 of the 90 t owed they
    would draw 8 and 12 t, and 20 t the cap allows would stay in their reserves)."""
    e = iea_ess(
        np.array([20.0, 50.0, 30.0]),
        np.zeros(3),
        np.ones(3),
        np.array([100.0, 0.0, 100.0]),
        np.array(40.0),
    )
    assert e.obligation_t.tolist() == [18.0, 45.0, 27.0]
    assert e.drawn_t == pytest.approx([16.0, 0.0, 24.0], rel=1e-15)


def test_reserves_too_small_to_divide_by_are_drawn_without_a_warning():
    """Reserves of 2.2e-309 t each (subnormal): the group's stock over what they can draw overflows to inf, and the
    fraction met is 1 whatever: each draws its whole reserve, and no overflow is warned (the suite makes warnings
    errors; hypothesis found this one)."""
    tiny = np.array([2.22507386e-309, 2.22507386e-309])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = iea_ess(np.array([1.0, 1.0]), np.array([0.0, 1.0]), np.array([1.1, 1.1]), tiny, np.array(1.0))
    assert e.drawn_t.tolist() == tiny.tolist()
