"""Plan compilation and stacking: the arrays both engines read, checked by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simulator import quantities
from simulator.plan import array_fields, batch_key, compile_plan, processing_distribution, stack_plans
from simulator.scenario import load_scenario, validate_data
from simulator.scenario.schema import LogNormal, Triangular, Uniform
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build, halt, run


def plan_of(data: dict):
    return compile_plan(validate_data(data))


def test_stacked_runs_keep_their_own_parameters_in_run_order():
    # three runs: the base, a 30/70 ratio with Japan needing 40 t/day, and the base again
    base = plan_of(TWO_MEMBERS)
    other = plan_of(
        build(
            TWO_MEMBERS,
            agreement__ratio__japan=0.3,
            agreement__ratio__eu=0.7,
            regions__japan__demand__ree__tonnes_per_day=40,
        )
    )
    batch = stack_plans([base, other, base])
    assert batch.batch == 3
    assert batch.agreement.ratio[:, 0] == pytest.approx([0.5, 0.5])
    assert batch.agreement.ratio[:, 1] == pytest.approx([0.3, 0.7])
    assert batch.agreement.ratio[:, 2] == pytest.approx([0.5, 0.5])
    japan = batch.baseline_demand_t_per_day[:, 0, 0, :]  # (day, run): Japan's demand, every day
    assert japan == pytest.approx(np.broadcast_to([20.0, 40.0, 20.0], japan.shape))
    assert batch.baseline_demand_t_per_day[:, 1, 0, :] == pytest.approx(80.0)  # the EU's, unchanged


def test_arrays_equal_in_every_run_are_one_shared_read_only_view():
    # two plans compiled separately from one scenario: equal arrays, distinct objects
    first, second = plan_of(TWO_MEMBERS), plan_of(TWO_MEMBERS)
    assert first.baseline_demand_t_per_day is not second.baseline_demand_t_per_day
    batch = stack_plans([first, second, first])
    demand = batch.baseline_demand_t_per_day
    assert demand.shape[-1] == 3
    assert demand.strides[-1] == 0  # a view repeating one run, not three copies
    assert not demand.flags.writeable
    assert batch.agreement.ratio.strides[-1] == 0


def test_one_plan_repeated_is_one_shared_read_only_view_even_where_it_holds_nan():
    # the same plan object three times: every array of every part is held once, including
    # the agreement's settlement price, NaN where none is given (NaN never equals itself,
    # so only the plan's identity, not a comparison, can tell that the runs share it)
    plan = plan_of(TWO_MEMBERS)
    assert np.isnan(plan.agreement.settlement_price_usd_per_kg).all()
    batch = stack_plans([plan, plan, plan])
    assert batch.batch == 3
    for part in (batch, batch.agreement):
        for name in array_fields(part):
            values = getattr(part, name)
            assert values.shape[-1] == 3, name
            assert values.strides[-1] == 0, name
            assert not values.flags.writeable, name


def test_plans_of_different_structure_cannot_share_a_batch():
    three = build(TWO_MEMBERS)
    three["regions"]["korea"] = {"demand": {"ree": {"tonnes_per_day": 5}}, "sourcing": {"ree": {"china": 1.0}}}
    three["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    with pytest.raises(ValueError, match=r"^plans of different structure cannot share a batch$"):
        stack_plans([plan_of(TWO_MEMBERS), plan_of(three)])


MARKET_WORLD: dict = {
    "name": "market_plan",
    "horizon_days": 30,
    "materials": {"ree": {"price_usd_per_kg": 50}, "dy": {"price_usd_per_kg": 200}, "tb": {}},
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5, "eu": 5}},
        "recycler": {"lead_time_days": {"japan": 10, "eu": 10}},
    },
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 20}, "dy": {"tonnes_per_day": 0.5}},
            "commercial_stock": {"ree": {"tonnes": 100}, "dy": {"tonnes": 10}},
            "sourcing": {"ree": {"china": 1.0}, "dy": {"china": 1.0}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 80}},
            "commercial_stock": {"dy": {"tonnes": 5}},  # a stock without demand: no cover (not 5 / 0)
            "sourcing": {"ree": {"china": 0.5, "recycler": 0.5}},
        },
    },
    "market": {
        "ree": {
            "price": {"sensitivity": 3.0, "adjustment_days": 40, "floor_usd_per_kg": 20, "targeted_premium": 0.3},
            "risk": {"perception_days": 7, "memory_days": 90},
            "demand": {
                "short_run_elasticity": -0.2,
                "floor_share": 0.6,
                "substitution": {
                    "max_share": 0.1,
                    "full_price_ratio": 5,
                    "adjustment_days": 200,
                    "permanent_share": 0.4,
                },
            },
            "stocking": {"precaution_gain": 1.5, "adjustment_days": 20, "normal_cover_days": {"eu": 7}},
            "supply_response": [{"supplier": "recycler", "capacity_t_per_day": 3, "price_ratio": 1.5, "lag_days": 60}],
        }
    },
}
"""Two regions, a material with a market (every option set), one without (dy) and one without a price (tb)."""


def test_market_plan_holds_each_option_and_neutral_values_where_a_material_has_no_market():
    m = plan_of(MARKET_WORLD).market
    # materials in order ree, dy, tb; dy and tb have no market: off, price fixed at the
    # reference (its own price, or 1 USD/kg without one), the defaults of _MARKET_DEFAULTS
    assert m.market_on[:, 0].tolist() == [True, False, False]
    assert m.stocking_on[:, 0].tolist() == [True, False, False]
    assert m.reference_price_usd_per_kg[:, 0].tolist() == [50.0, 200.0, 1.0]
    assert m.price_floor_usd_per_kg[:, 0].tolist() == [20.0, 200.0, 1.0]
    assert m.price_cap_usd_per_kg[:, 0].tolist() == [5000.0, 200.0, 1.0]  # default cap: 100 x reference
    assert m.price_sensitivity[:, 0].tolist() == [3.0, 1.0, 1.0]
    assert m.price_adjustment_days[:, 0].tolist() == [40.0, 1.0, 1.0]
    assert m.targeted_premium[:, 0].tolist() == [0.3, 0.0, 0.0]
    assert m.risk_perception_days[:, 0].tolist() == [7.0, 1.0, 1.0]
    assert m.risk_memory_days[:, 0].tolist() == [90.0, 1.0, 1.0]
    assert m.demand_elasticity[:, 0].tolist() == [-0.2, 0.0, 0.0]
    assert m.demand_floor_share[:, 0].tolist() == [0.6, 0.0, 0.0]
    assert m.substitution_max_share[:, 0].tolist() == [0.1, 0.0, 0.0]
    assert m.substitution_full_price_ratio[:, 0].tolist() == [5.0, 10.0, 10.0]
    assert m.substitution_days[:, 0].tolist() == [200.0, 1.0, 1.0]
    assert m.substitution_permanent_share[:, 0].tolist() == [0.4, 0.0, 0.0]
    assert m.precaution_gain[:, 0].tolist() == [1.5, 0.0, 0.0]
    assert m.cover_adjustment_days[:, 0].tolist() == [20.0, 1.0, 1.0]
    # normal cover = commercial stock / demand (Japan: 100 / 20 and 10 / 0.5 days), 0 where
    # there is no demand; the EU's ree cover is given (7 days)
    assert m.normal_cover_days[..., 0].tolist() == [[5.0, 20.0, 0.0], [7.0, 0.0, 0.0]]
    # share of a material's normal supply on each route: ree flows 20 (Japan from China),
    # 40 and 40 (the EU from China and the recycler) of 100 t/day; dy all Japan's 0.5 t/day
    # from China; tb has none
    exposure = m.supply_exposure[..., 0]
    assert exposure[:, 0].tolist() == [[0.2, 0.0], [0.4, 0.4]]
    assert exposure[:, 1].tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert exposure[:, 2].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    # the recycler answers the ree price; elsewhere no capacity, ratio 1 and lag 1 day
    assert m.response_capacity_t_per_day[..., 0].tolist() == [[0.0, 3.0], [0.0, 0.0], [0.0, 0.0]]
    assert m.response_price_ratio[..., 0].tolist() == [[1.0, 1.5], [1.0, 1.0], [1.0, 1.0]]
    assert m.response_lag_days[..., 0].tolist() == [[1.0, 60.0], [1.0, 1.0], [1.0, 1.0]]


DTYPES = {"float": np.float64, "int": np.int64, "bool": np.bool_}


@pytest.mark.parametrize(
    "data", ["club_of_five", "embargo_stochastic", MARKET_WORLD], ids=["club", "stochastic", "market"]
)
def test_every_plan_array_has_the_registry_element_type(data):
    plan = compile_plan(load_scenario(ROOT / "scenarios" / f"{data}.yaml")) if isinstance(data, str) else plan_of(data)
    parts = [plan, plan.agreement, plan.auction, plan.market]
    for part in parts:
        if part is None:
            continue
        for name in array_fields(part):
            q = quantities.get("plan", name)
            assert getattr(part, name).dtype == DTYPES[q.dtype], name


def test_processing_times_spread_over_the_days_they_round_to():
    def uniform(low, high):
        return processing_distribution(Uniform(distribution="uniform", low=low, high=high))

    # P(k - 1/2 <= X < k + 1/2) for X uniform: on [0.5, 2.5] half on day 1, half on day 2
    assert uniform(0.5, 2.5).tolist() == [0.0, 0.5, 0.5]
    # on [0, 1]: [0, 0.5) rounds to day 0, [0.5, 1] to day 1
    assert uniform(0.0, 1.0).tolist() == [0.5, 0.5]
    # on [0, 2]: a quarter, a half, a quarter
    assert uniform(0.0, 2.0).tolist() == [0.25, 0.5, 0.25]
    # triangular on [0, 2] peaking at 1: P(X < 0.5) = 0.5^2 / 2 = 1/8 on each side
    triangle = processing_distribution(Triangular(distribution="triangular", low=0, mode=1, high=2))
    assert triangle == pytest.approx([0.125, 0.75, 0.125], abs=1e-12)
    # a lognormal's tail past its 99.99th percentile is cut off: the rest still sums to 1
    tail = processing_distribution(LogNormal(distribution="lognormal", mean=3, sd=1))
    assert tail.sum() == pytest.approx(1.0, abs=1e-12)
    assert tail.argmax() == 3  # the mode of a lognormal of mean 3 and sd 1 is 2.6 days


def test_a_lognormal_processing_time_puts_half_its_applications_on_the_days_before_its_median():
    # a lognormal of mean m and coefficient of variation c has its median at m / sqrt(1 + c^2):
    # c = 0.75 gives sqrt(1.5625) = 1.25, so a mean of 3.125 days (sd 2.34375) has its
    # median at 2.5 days, and half the applications are decided on days 0 to 2 (the tail
    # past the 99.99th percentile is cut off and the rest scaled to sum to 1)
    weights = processing_distribution(LogNormal(distribution="lognormal", mean=3.125, sd=2.34375))
    assert weights[:3].sum() == pytest.approx(0.5, abs=1e-4)
    assert weights[3:].sum() == pytest.approx(0.5, abs=1e-4)


def test_a_processing_time_without_spread_is_a_fixed_number_of_days():
    """``low == high`` or ``sd: 0`` is one value: all on the day it rounds to (it crashed before)."""
    assert processing_distribution(Uniform(distribution="uniform", low=2.6, high=2.6)).tolist() == [0, 0, 0, 1]
    assert processing_distribution(Triangular(distribution="triangular", low=2, mode=2, high=2)).tolist() == [0, 0, 1]
    assert processing_distribution(LogNormal(distribution="lognormal", mean=1.4, sd=0)).tolist() == [0, 1]
    licence = {"id": "licence", "kind": "licensing", "supplier": "china", "regions": ["japan"], "start": 0}
    licence.update(end=20, approval_share=0.4, processing_days={"distribution": "uniform", "low": 3, "high": 3})
    (shock,) = plan_of(build(ONE_REGION, shocks=[licence])).shocks
    assert shock.processing_shares.tolist() == [0, 0, 0, 1]
    assert shock.magnitude == 0.4  # the share approved, read per run


def test_a_lognormal_start_is_never_before_day_0_so_its_warm_up_may_start_earlier():
    # a lognormal draw is positive and rounds to day 0 or later (tests/test_earliest_start.py)
    surge = {"id": "surge", "kind": "demand_surge", "factor": 1.5, "duration_days": 5}
    surge["start"] = {"distribution": "lognormal", "mean": 10, "sd": 2}
    plan = plan_of(build(ONE_REGION, shocks=[surge]))
    assert plan.structure.first_day == -5  # China's lead time to Japan
    assert batch_key(plan) == (replace(plan.structure, first_day=0), True)


def test_auction_plan_lays_out_each_members_bids_in_rows_of_the_widest_bid():
    bids = {
        "japan": {
            "ree": [
                {"share": 0.6, "price_usd_per_kg": 100},
                {"share": 0.4, "price_multiplier": 2, "max_usd_per_kg": 300},
            ]
        },
        "eu": {"ree": [{"share": 0.7, "price_usd_per_kg": 80}, {"share": 0.3, "price_usd_per_kg": 60}]},
    }
    auction = {"every_days": 3, "reserve_price_usd_per_kg": {"ree": 10}, "bids": bids}
    plan = plan_of(build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=auction, market={"ree": {}}))
    a = plan.auction
    # two rows per member, each member's segments in order; a bid
    # linked to the market price (which needs a market) has no price of its own, and a cap
    assert plan.structure.bid_owners == (0, 0, 1, 1)
    assert a.bid_share[:, 0, 0].tolist() == [0.6, 0.4, 0.7, 0.3]
    assert a.bid_price_usd_per_kg[:, 0, 0].tolist() == [100.0, 0.0, 80.0, 60.0]
    assert a.bid_price_multiplier[:, 0, 0].tolist() == [0.0, 2.0, 0.0, 0.0]
    assert a.bid_cap_usd_per_kg[:, 0, 0].tolist() == [np.inf, 300.0, np.inf, np.inf]
    assert a.auction_every_days[0] == 3
    assert a.reserve_price_usd_per_kg[:, 0].tolist() == [10.0]
    assert np.isnan(a.lot_t[0, 0])  # not given: the release cap's worth, worked out each auction


def contributions(japan: dict, eu: dict, **changes) -> dict:
    return build(TWO_MEMBERS, agreement__pool__contributions={"japan": {"ree": japan}, "eu": {"ree": eu}}, **changes)


def test_pool_shares_are_each_members_contribution_over_the_pool_and_0_for_an_empty_pool():
    # the EU benchmark, credited with private stocks: Japan's 10 days of net imports
    # (all its 20 t/day comes from China) less its 50 t of commercial stock
    data = contributions({"net_import_days": 10, "credit_private_stocks": True}, {"tonnes": 50})
    data = build(data, regions__japan__commercial_stock__ree__tonnes=50)
    ag = plan_of(data).agreement
    assert ag.contributed_t[:, 0, 0].tolist() == [150.0, 50.0]
    assert ag.pool0_t[:, 0].tolist() == [200.0]
    assert ag.ownership_share[:, 0, 0].tolist() == [0.75, 0.25]
    small = plan_of(contributions({"tonnes": 0.25}, {"tonnes": 0.5})).agreement  # a pool under a tonne
    assert small.ownership_share[:, 0, 0].tolist() == pytest.approx([1 / 3, 2 / 3])
    empty = plan_of(contributions({"tonnes": 0}, {"tonnes": 0})).agreement
    assert empty.ownership_share[:, 0, 0].tolist() == [0.0, 0.0]


def test_a_member_left_out_of_the_ratio_gets_0_and_a_pool_without_refill_refills_nothing():
    # only a rule that does not use the ratio takes one without every member (the others refuse it)
    data = build(TWO_MEMBERS, agreement__mechanism="proportional_to_demand", agreement__ratio={"japan": 1.0})
    ag = plan_of(data).agreement
    assert ag.ratio[:, 0].tolist() == [1.0, 0.0]
    assert ag.pool_refill_t_per_day[:, 0].tolist() == [0.0]


def trigger_of(**changes) -> tuple:
    ag = plan_of(build(TWO_MEMBERS, **changes)).agreement
    return (
        ag.switch_on_declared.item(),
        ag.switch_on_measured.item(),
        ag.loss_window_days.item(),
        ag.loss_group_below.item(),
        ag.loss_member_below.item(),
        ag.release_normal_days.item(),
        ag.release_emergency_days.item(),
    )


def test_the_agreement_switches_on_as_its_trigger_says_and_marks_what_is_not_given():
    # by default: on a declared embargo; no loss measured (window 0, thresholds 0) and no
    # release times of the IEA kind (-1 for none)
    assert trigger_of() == (True, False, 0, 0.0, 0.0, -1, -1)
    loss = {"window_days": 20, "group_below": 0.85, "member_below": 0.7}
    times = {"normal_days": 12, "emergency_days": 4}
    measured = trigger_of(agreement__trigger__measured_loss=loss, agreement__trigger__switch_on="measured_loss")
    assert measured == (False, True, 20, 0.85, 0.7, -1, -1)
    either = trigger_of(
        agreement__trigger__measured_loss=loss, agreement__trigger__switch_on="either", agreement__release_times=times
    )
    assert either == (True, True, 20, 0.85, 0.7, 12, 4)


def test_an_auction_without_bids_has_no_bid_rows_and_its_defaults_where_nothing_is_given():
    auction = {"lot_t": {"ree": 5}}  # the fair ratio decides; the auction section is only compiled
    plan = plan_of(build(TWO_MEMBERS, agreement__auction=auction))
    assert plan.structure.bid_owners == ()
    assert plan.auction.bid_share.shape == (0, 1, 1)
    assert plan.auction.reserve_price_usd_per_kg[:, 0].tolist() == [0.0]  # no reserve price
    assert plan.auction.lot_t[:, 0].tolist() == [5.0]
    assert plan.auction.auction_every_days[0] == 7  # weekly by default


def test_a_national_pool_lends_a_share_of_each_members_reserve_and_commits_the_reserves():
    data = build(
        TWO_MEMBERS,
        agreement__pool={"mode": "national", "lendable_share": 0.4},
        regions__japan__reserve={"ree": {"tonnes": 100}},
        regions__eu__reserve={"ree": {"tonnes": 50}},
    )
    ag = plan_of(data).agreement
    assert ag.contributed_t[:, 0, 0].tolist() == [40.0, 20.0]  # 0.4 of 100 t and of 50 t
    assert ag.ess_commitments[:, 0, 0].tolist() == [100.0, 50.0]
    joint = plan_of(TWO_MEMBERS).agreement  # a joint pool: the contributions, 30 t each
    assert joint.contributed_t[:, 0, 0].tolist() == [30.0, 30.0]
    assert joint.ess_commitments[:, 0, 0].tolist() == [30.0, 30.0]


def test_a_settlement_price_is_kept_and_marked_nan_when_not_given():
    sale = plan_of(build(TWO_MEMBERS, agreement__settlement={"kind": "sale", "price_usd_per_kg": 40})).agreement
    assert sale.settlement_price_usd_per_kg.item() == 40.0
    loan = plan_of(build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 90})).agreement
    assert loan.loan_term_days.item() == 90
    grant = plan_of(TWO_MEMBERS).agreement
    assert np.isnan(grant.settlement_price_usd_per_kg.item())
    assert grant.loan_term_days.item() == 0


def test_a_shock_touches_only_the_routes_of_its_supplier_regions_and_materials():
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "materials": ["ree"]}
    surge = {"id": "rush", "kind": "demand_surge", "regions": ["eu"], "materials": ["dy"], "factor": 2.0}
    late = {"id": "late", "kind": "delay", "supplier": "recycler", "regions": ["eu"], "materials": ["ree"]}
    late["extra_days"] = 3
    cut = {"id": "cut", "kind": "quota_cut", "supplier": "china", "materials": ["dy"], "severity": 0.5}
    quota = {"id": "quota", "kind": "export_quota", "supplier": "recycler", "materials": ["tb"]}
    quota.update(tonnes_per_period=10, period_days=30)
    window = {"start": 5, "end": 9}
    shocks = [{**halt, "start": 0, "end": 10}, *({**sh, **window} for sh in (surge, late, cut, quota))]
    plan = plan_of(build(MARKET_WORLD, shocks=shocks))
    embargo, rush, delay, quota_cut, export_quota = plan.shocks

    def routes(*cells: tuple[int, int, int]) -> list:  # (region, material, supplier) touched
        mask = np.zeros((2, 3, 2), bool)
        for cell in cells:
            mask[cell] = True
        return mask.tolist()

    assert embargo.mask.tolist() == routes((0, 0, 0))  # Japan's ree from China, nothing else
    assert embargo.targeted  # aimed at Japan, not every region
    assert rush.mask.tolist() == [[False, False, False], [False, True, False]]  # (region, material): the EU's dy
    assert (rush.start, rush.end, rush.magnitude) == (5, 9, 2.0)
    assert delay.mask.tolist() == routes((1, 0, 1))  # the EU's ree from the recycler
    assert quota_cut.mask.tolist() == routes((0, 1, 0), (1, 1, 0))  # dy from China
    assert export_quota.mask.tolist() == routes((0, 2, 1), (1, 2, 1))  # tb from the recycler
    # a quota's magnitude is tonnes, not a severity: buyers perceive none unless told
    assert (export_quota.magnitude, export_quota.perceived, export_quota.period_days) == (10, 0.0, 30)


def test_a_licence_requirement_approves_its_share_after_the_processing_days_and_is_perceived_as_what_it_stops():
    licence = {"id": "licence", "kind": "licensing", "supplier": "china", "regions": ["japan"], "start": 0}
    licence.update(end=20, approval_share=0.4, processing_days=3, end_use_share=0.5, suspended=[[0, 8]])
    licence["materials"] = ["ree"]
    told = {**licence, "id": "told", "perceived_severity": 0.9}
    shock, perceived = plan_of(build(MARKET_WORLD, shocks=[licence, told])).shocks
    routes = np.zeros((2, 3, 2), bool)
    routes[0, 0, 0] = True  # Japan's ree from China only
    assert shock.mask.tolist() == routes.tolist()
    assert perceived.perceived == 0.9  # a severity given is kept
    assert shock.processing_shares.tolist() == [0.0, 0.0, 0.0, 1.0]  # decided 3 days after applying
    assert shock.magnitude == 0.4  # 40% approved
    assert shock.end_use_share == 0.5
    assert shock.suspended == ((0, 8),)  # from day 0 (not read as "no day")
    assert shock.perceived == pytest.approx(0.3)  # half the shipments need a licence, 60% of them refused
    assert shock.magnitude == 0.4


def test_an_export_quota_serves_regions_in_its_order_only_when_it_shares_by_preference():
    quota = {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 10, "period_days": 30}
    quota.update(start=0, end=9, preference=["eu"])
    pro_rata = plan_of(build(MARKET_WORLD, shocks=[quota])).shocks[0]
    assert pro_rata.preference == ()  # the order given is not used: shared pro rata
    ordered = plan_of(build(MARKET_WORLD, shocks=[{**quota, "sharing": "preference"}])).shocks[0]
    assert ordered.preference == (1,)  # the EU (region 1) first


def test_capacity_additions_on_one_route_add_up_from_their_first_days():
    additions = [
        {"material": "ree", "start": 10, "capacity_t_per_day": 5},
        {"material": "ree", "start": 20, "capacity_t_per_day": 3},
    ]
    plan = plan_of(build(ONE_REGION, suppliers__china__capacity_additions=additions))
    first = plan.structure.first_day  # -5: the lead time
    added = plan.capacity_added_t_per_day[:, 0, 0, 0]  # (day) for ree from China
    assert [added[day - first] for day in (9, 10, 19, 20, 39)] == [0.0, 5.0, 5.0, 8.0, 8.0]


def test_an_embargo_on_a_region_outside_the_agreement_is_not_against_its_members():
    three = build(TWO_MEMBERS)
    three["regions"]["korea"] = {"demand": {"ree": {"tonnes_per_day": 5}}, "sourcing": {"ree": {"china": 1.0}}}
    three["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    three["shocks"][0]["regions"] = ["korea"]
    assert plan_of(three).shocks[0].against_members.tolist() == [False]
    assert plan_of(TWO_MEMBERS).shocks[0].against_members.tolist() == [True]  # on both members


PAIR: dict = {
    "name": "pair_of_regions",
    "horizon_days": 30,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5, "eu": 5}},
        "mine": {"home_region": "japan", "lead_time_days": {"japan": 2}},
    },
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 20}},
            "commercial_stock": {"ree": {"tonnes": 50}},
            "sourcing": {"ree": {"china": 0.75, "mine": 0.25}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 80}},
            "commercial_stock": {"ree": {"tonnes": 100}},
            "sourcing": {"ree": {"china": 1.0}},
        },
    },
}
"""Two regions without an agreement: Japan buys a quarter of its 20 t/day from its own mine
(15 t/day of net imports), the EU all its 80 t/day from China; the mine ships only to Japan."""


def test_lead_times_are_those_written_and_0_where_a_supplier_has_no_route():
    # the registry's convention for lead_time_days: 0 where there is no route
    plan = plan_of(PAIR)
    assert plan.lead_time_days[..., 0].tolist() == [[5, 2], [5, 0]]  # (region, supplier)
    assert plan.route_exists[..., 0].tolist() == [[True, True], [True, False]]
    assert plan.structure.first_day == -5  # the warm-up: the longest lead time


def test_a_national_reserve_in_days_of_net_imports_counts_only_imports_and_credits_private_stock_when_told():
    reserves = {
        "regions__japan__reserve": {"ree": {"net_import_days": 10, "credit_private_stocks": True}},
        "regions__eu__reserve": {"ree": {"net_import_days": 5}},
    }
    plan = plan_of(build(PAIR, **reserves))
    # Japan: 10 days of its 15 t/day of net imports, less its 50 t of commercial stock;
    # the EU: 5 days of 80 t/day, its 100 t of commercial stock not credited
    assert plan.net_import_share[..., 0].tolist() == [[0.75], [1.0]]
    assert plan.reserve_stock0_t[..., 0].tolist() == [[100.0], [400.0]]
    assert plan.reserve_target_t[..., 0].tolist() == [[100.0], [400.0]]  # no target given: the stock itself
    in_days = plan_of(build(PAIR, regions__japan__reserve={"ree": {"days": 4}}))
    assert in_days.reserve_stock0_t[..., 0].tolist() == [[80.0], [0.0]]  # 4 days of all 20 t/day of demand


def test_shares_follow_each_step_of_a_quota_path_from_its_day():
    # Japan buys 90% from China and 10% from the recycler; the quota caps any supplier at
    # 0.8 as written, then at 0.6 from day 10 and China alone at 0.5 from day 20. A premium
    # of 0.25 is paid on the volume the quota moves, per tonne shipped: the recycler's
    # premium fraction is 0.25 x (moved share / its share)
    quota = {
        "max_share_per_supplier": 0.8,
        "max_share_path": [{"start": 10, "max_share": 0.6}, {"start": 20, "max_share": 0.5, "suppliers": ["china"]}],
        "premium": 0.25,
    }
    data = build(
        ONE_REGION,
        suppliers__recycler={"lead_time_days": {"japan": 8}},
        regions__japan__sourcing__ree={"china": 0.9, "recycler": 0.1},
        regions__japan__procurement={"quota": {"ree": quota}},
    )
    plan = plan_of(data)
    assert plan.sourcing_share[0, 0, :, 0] == pytest.approx([0.8, 0.2])
    assert plan.premium_fraction[0, 0, :, 0] == pytest.approx([0.0, 0.25 * 0.1 / 0.2])
    assert plan.share_step_day[:, 0].tolist() == [10, 20]
    stepped = plan.stepped_sourcing_share[:, 0, 0, :, 0]  # (step, supplier)
    assert stepped == pytest.approx(np.array([[0.6, 0.4], [0.5, 0.5]]))
    premium = plan.stepped_premium_fraction[:, 0, 0, :, 0]
    assert premium == pytest.approx(np.array([[0.0, 0.25 * 0.3 / 0.4], [0.0, 0.25 * 0.4 / 0.5]]))


def test_the_structure_carries_the_agreements_order_and_the_auctions_pricing():
    # the kernel reads both from the structure: which stock is drawn first, and what
    # winning bids pay (their own bid, not the clearing price)
    bids = {
        "japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"share": 1.0, "price_usd_per_kg": 80}]},
    }
    auction = {"pricing": "pay_as_bid", "bids": bids}
    data = build(
        TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=auction, agreement__order="joint_first"
    )
    st = plan_of(data).structure
    assert (st.mechanism, st.order, st.pricing) == ("auction", "joint_first", "pay_as_bid")
    assert plan_of(TWO_MEMBERS).structure.order == "national_first"  # the default order, written out


def test_a_plan_has_a_market_part_exactly_when_its_structure_says_so_and_cannot_share_a_batch_without_one():
    without, with_market = plan_of(ONE_REGION), plan_of(build(ONE_REGION, market={"ree": {}}))
    assert without.structure.market is False and without.market is None
    assert with_market.structure.market is True and with_market.market is not None
    with pytest.raises(ValueError, match=r"^plans of different structure cannot share a batch$"):
        stack_plans([without, with_market])


def test_a_plan_names_only_the_random_streams_it_draws_from():
    # a sweep runs a point without random inputs once for all its seeds, and its
    # sweep.json lists the random inputs: no demand noise, no noise stream
    assert plan_of(ONE_REGION).random_sources == ()
    noisy = plan_of(build(ONE_REGION, regions__japan__demand__ree__noise_cv=0.2))
    assert noisy.random_sources == ("noise",)
    drawn = halt(start={"distribution": "uniform", "low": 5, "high": 15})
    assert plan_of(build(ONE_REGION, shocks=[drawn])).random_sources == ("shock/halt",)


def test_the_shocks_table_dates_each_window_from_the_scenarios_start_date():
    result = run(build(ONE_REGION, start_date="2025-01-01", shocks=[halt()]))  # days 10 to 19
    row = result.shocks.iloc[0]
    assert (row["start_day"], row["end_day"], row["start_date"], row["last_date"]) == (
        10,
        20,
        "2025-01-11",
        "2025-01-20",
    )


def test_material_prices_are_0_where_not_given_and_holding_costs_are_per_day():
    plan = plan_of(build(MARKET_WORLD, materials__dy__holding_cost_usd_per_t_year=730))
    assert plan.price_usd_per_kg[:, 0].tolist() == [50.0, 200.0, 0.0]  # tb has no price
    assert plan.holding_cost_usd_per_t_day[:, 0].tolist() == [0.0, 2.0, 0.0]  # 730 USD a year over 365 days


def test_a_tender_sets_its_regions_lag_price_share_and_standdown():
    release = {"mode": "tender", "lag_days": 14, "price": "discount", "discount_share": 0.2, "standdown_days": 5}
    data = build(PAIR, regions__japan__reserve={"ree": {"tonnes": 100}}, regions__japan__reserve_release=release)
    plan = plan_of(data)
    assert plan.tender_on[..., 0].tolist() == [[True], [False]]  # Japan only
    assert plan.tender_lag_days[0, 0, 0] == 14
    assert plan.tender_price_share[0, 0, 0] == pytest.approx(0.8)  # the day's price less 20%
    assert plan.tender_standdown_days[0, 0, 0] == 5
    at_market = plan_of(build(data, regions__japan__reserve_release={"mode": "tender", "lag_days": 3}))
    assert at_market.tender_price_share[0, 0, 0] == 1.0
    assert at_market.tender_standdown_days[0, 0, 0] == 30  # the schema's default
