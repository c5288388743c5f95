"""The border on cases that mutation testing showed no other test pinned down.

Each test is worked out by hand on the one-region world of tests/helpers.py (10 t/day from
China, 5 days in transit), or for quotas that serve contracts first on the two-member case of
tests/test_border.py; docs/mutation-testing.md lists the mutants each one kills.
Quotas first, then held cargo, goods awaiting a licence, and the helpers of the quota.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from simulator.kernel import border
from simulator.kernel.border import Border
from simulator.numeric import EPS_T
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, build, halt, run, series
from tests.test_border import contracts_case
from tests.test_kernel_mutants import resourcing_world


def quota(**fields: object) -> dict:
    return {"id": "quota", "kind": "export_quota", "supplier": "china", "start": 0, "end": 20, "period_days": 10,
            "tonnes_per_period": 50, **fields}  # fmt: skip


def border_of(data: dict, runs: int = 1) -> Border:
    plan = compile_plan(validate_data(data))
    return Border(stack_plans([plan] * runs), draw_batch([plan] * runs, list(range(runs))))


# --- export quotas -----------------------------------------------------------------------


def test_a_quota_after_one_that_has_ended_still_binds():
    """A quota binds even after an earlier quota on the same routes has ended.

    50 t per 10 days on days 0..9, then another 50 t per 10 days on days 10..29: 5 t a day
    leave on days 0..29 and land on 5..34; from day 30 the full 10 t.
    """
    data = build(ONE_REGION, shocks=[quota(end=10), quota(id="next", start=10, end=30)])
    got = series(run(data), "arrivals_t", "japan")
    assert got[:5] == pytest.approx(10.0)
    assert got[5:35] == pytest.approx(5.0)
    assert got[35:] == pytest.approx(10.0)


def test_an_even_quota_counts_its_periods_from_its_own_start():
    """A quota's periods start on the quota's own first day.

    50 t per 10 days from day 3, evenly: 5 t a day from its first day (not the 35 t that
    day 3 would allow counted from day -3), landing on days 8..27.
    """
    got = series(run(build(ONE_REGION, shocks=[quota(start=3, end=23)])), "arrivals_t", "japan")
    assert got[5:8] == pytest.approx(10.0)
    assert got[8:28] == pytest.approx(5.0)
    assert got[28:] == pytest.approx(10.0)


@pytest.mark.parametrize(("smuggling", "lost_t"), [(0.2, 4.0), (1.0, 0.0)])
def test_smuggled_tonnes_are_not_counted_as_lost(smuggling, lost_t):
    """What is smuggled past a quota arrives and is not counted as lost.

    The even quota stops 5 t a day of the 10 ordered; 20% of them smuggled leaves 4 t a
    day lost, all of them smuggled none.
    """
    result = run(build(ONE_REGION, shocks=[quota(smuggling_share=smuggling)]))
    assert series(result, "border_lost_t", "japan")[:20] == pytest.approx(lost_t)
    assert series(result, "border_lost_t", "japan")[20:] == pytest.approx(0.0)
    assert series(result, "arrivals_t", "japan")[5:25] == pytest.approx(10.0 - lost_t)


def test_a_binding_quota_scales_flows_under_a_tonne():
    """A binding quota also scales flows of less than a tonne.

    Japan orders 0.8 t a day; 4 t per 10 days lets 0.4 t a day through and stops 0.4 t.
    """
    data = build(ONE_REGION, regions__japan__demand__ree__tonnes_per_day=0.8, shocks=[quota(tonnes_per_period=4)])
    result = run(data)
    assert series(result, "arrivals_t", "japan")[5:25] == pytest.approx(0.4)
    assert series(result, "border_lost_t", "japan")[:20] == pytest.approx(0.4)


def test_two_quotas_on_the_same_day_both_count_what_they_turn_away():
    """What two quotas on the same routes turn away on one day is added up.

    Japan orders 10 t a day; 50 t per 10 days lets 5 t through and stops 5 t, then 30 t
    per 10 days lets 3 t of those 5 through and stops 2 t: 7 t lost a day, 3 t arrive.
    """
    data = build(ONE_REGION, shocks=[quota(), quota(id="tighter", tonnes_per_period=30)])
    result = run(data)
    assert series(result, "border_lost_t", "japan")[:20] == pytest.approx(7.0)
    assert series(result, "arrivals_t", "japan")[5:25] == pytest.approx(3.0)


def test_a_quota_on_a_block_with_non_finite_flows_gives_the_full_computation():
    """Non-finite flows on a block of routes take the full computation, with the same result.

    A NaN in one run; the other run orders 30 t with 5 t of room: 5 t through, 25 t
    stopped, bit for bit what masking every route gives.
    """
    b = border_of(build(ONE_REGION, shocks=[quota()]), runs=2)
    k = b.quota_ids[0]
    assert b.boxes[k] is not None
    shipped = np.array([np.nan, 30.0]).reshape(1, 1, 1, 2)
    on = np.ones(2, bool)
    through, lost = b._quota(0, 0, k, shipped, on)
    assert through[0, 0, 0, 1] == pytest.approx(5.0) and lost[0, 0, 0, 1] == pytest.approx(25.0)
    b.boxes[k] = None
    b.quota_used[:] = 0.0
    full = b._quota(0, 0, k, shipped, on)
    assert through.tobytes() == full[0].tobytes() and lost.tobytes() == full[1].tobytes()


def test_a_quota_on_a_block_with_non_finite_flows_stops_nothing_outside_it():
    """With non-finite flows the quota's full computation stops nothing on routes outside it.

    Japan buys from China (the quota's block) and Korea; one run has a NaN on China, the
    other orders 30 t from China and 10 t from Korea with 5 t of room: China 5 t
    through and 25 t stopped, Korea's 10 t through and nothing of it stopped.
    """
    data = build(ONE_REGION, shocks=[quota()])
    data["suppliers"]["korea"] = {"lead_time_days": {"japan": 5}}
    b = border_of(data, runs=2)
    k = b.quota_ids[0]
    assert b.boxes[k] is not None
    shipped = np.array([[np.nan, 30.0], [0.0, 10.0]]).reshape(1, 1, 2, 2)  # (region, material, supplier, run)
    through, lost = b._quota(0, 0, k, shipped, np.ones(2, bool))
    assert through[0, 0, :, 1].tolist() == pytest.approx([5.0, 10.0])
    assert lost[0, 0, :, 1].tolist() == pytest.approx([25.0, 0.0])


def test_a_pro_rata_quota_beside_one_that_serves_contracts_first_still_shares_pro_rata():
    """A quota shared pro rata stays pro rata when another quota on the day serves contracts first.

    tests/test_border.py's contracts case (normal flows Japan 30, the EU 90 t a day; day 0's
    orders Japan 120, the EU 90 t): 140 t a day contracts first lets Japan 50 and the EU 90 t
    through; a second quota of 100 t a day, pro rata to those 140 t, then gives Japan
    100 x 50/140 = 35.7 t and the EU 64.3 t (served contracts first it would be 25 and 75 t).
    """
    data = contracts_case("contracts_first", 140)
    data["shocks"].append({**data["shocks"][0], "id": "second", "tonnes_per_period": 100, "sharing": "pro_rata"})
    result = run(data)
    assert series(result, "ordered_t", "japan")[0] == pytest.approx(120.0)
    assert series(result, "arrivals_t", "japan")[5] == pytest.approx(100 * 50 / 140)
    assert series(result, "arrivals_t", "eu")[5] == pytest.approx(100 * 90 / 140)


# --- held cargo --------------------------------------------------------------------------


def test_held_cargo_is_not_a_loss_that_resourcing_replaces():
    """Held cargo is not lost: re-sourcing does not replace it.

    The resourcing world's halt of Japan (15 t/day from China, from day 10), but the
    cargo is held at origin: Japan asks "spare" for nothing.
    """
    data = resourcing_world(100.0, False)
    data["shocks"][0]["on_halt"] = "held"
    result = run(data)
    assert series(result, "resourced_t", "japan") == pytest.approx(0.0)
    assert series(result, "held_at_origin_t", "japan")[10:20] == pytest.approx(15.0 * np.arange(1, 11))


def test_cargo_held_by_two_embargoes_on_one_day_is_not_a_loss_that_resourcing_replaces():
    """Cargo held by two embargoes on the same day is all held: re-sourcing replaces none of it.

    The resourcing world, Japan buying half from China and half from "other", both of
    which halt Japan's supply from day 10 and hold the cargo: 7.5 t a day held by each,
    nothing lost, so Japan asks "spare" for nothing.
    """
    data = resourcing_world(100.0, False)
    data["suppliers"]["other"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    data["regions"]["japan"]["sourcing"]["ree"] = {"china": 0.5, "other": 0.5}
    data["shocks"][0]["on_halt"] = "held"
    data["shocks"].append({**data["shocks"][0], "id": "other_halt", "supplier": "other"})
    result = run(data)
    assert series(result, "held_at_origin_t", "japan")[10:20] == pytest.approx(15.0 * np.arange(1, 11))
    assert series(result, "resourced_t", "japan") == pytest.approx(0.0)


def held_border(release_days: int) -> Border:
    return border_of(build(ONE_REGION, shocks=[halt(on_halt="held", release_days=release_days)]))


OFF = np.zeros(1, bool)


def test_a_small_holding_is_released_at_the_rate_set_when_the_release_started():
    """A release goes on at the rate set on its first day, however small the holding.

    2 t held, released over 5 days: 0.4 t a day, not a fifth of what is left each day.
    """
    b = held_border(5)
    k = b.held_ids[0]
    b.held[0] = 2.0
    out = [float(b._release(0, k, OFF).sum()) for _ in range(6)]
    assert out == pytest.approx([0.4] * 5 + [0.0])


def test_a_holding_of_exactly_the_rounding_threshold_starts_no_release():
    """A holding of EPS_T (1e-9 t) or nothing is rounding: nothing to release.

    The 1e-9 t stays held, no rate starts, and the border knows it has nothing to do.
    """
    b = held_border(5)
    k = b.held_ids[0]
    assert not b._releasing(0, k)  # nothing held at all
    b.held[0] = EPS_T
    assert not b._releasing(0, k)
    out = b._release(0, k, OFF)
    assert not out.any() and b.held[0, 0, 0, 0, 0] == EPS_T and not b.release_rate.any()


def test_a_release_stops_once_what_is_left_is_rounding():
    """A release ends once what is left is rounding (not above EPS_T).

    2e-9 t released over 2 days: 1e-9 t leaves on the first day; the 1e-9 t left ends
    the rate and stays held.
    """
    b = held_border(2)
    k = b.held_ids[0]
    b.held[0] = 2 * EPS_T
    assert b._release(0, k, OFF).sum() == EPS_T
    assert not b.release_rate.any()
    assert not b._release(0, k, OFF).any() and b.held[0].sum() == EPS_T


def test_an_empty_holding_ships_positive_zeros_like_a_release():
    """Skipping the release of an empty holding gives what the release gives, zero signs included.

    A -0.0 shipped comes out +0.0, as it does when held goods (+0.0 of them) are added.
    """
    b = held_border(5)
    effects = SimpleNamespace(leak_fraction=None, held={}, active=np.zeros((1, 1), bool))
    shipped = np.full((1, 1, 1, 1), -0.0)
    for day in (0, 1):
        day_out = b(day, np.zeros_like(shipped), shipped, effects)
        assert day_out.shipped_t.tobytes() == np.zeros_like(shipped).tobytes()


def test_two_licences_on_the_same_day_both_count_what_they_refuse():
    """What two licences on the same routes refuse on one day is added up.

    Japan orders 10 t a day; from day 10 half of it needs the first licence (5 t, half
    refused: 2.5 t) and half of the 5 t left the second (2.5 t, half refused: 1.25 t):
    3.75 t lost a day until the first approvals come back, 3 days later.
    """
    licence = {"id": "licences", "kind": "licensing", "supplier": "china", "start": 10, "end": 30,
               "approval_share": 0.5, "processing_days": 3, "end_use_share": 0.5}  # fmt: skip
    result = run(build(ONE_REGION, shocks=[licence, {**licence, "id": "more_licences"}]))
    assert series(result, "border_lost_t", "japan")[10:13] == pytest.approx(3.75)


def test_the_first_goods_held_or_refused_of_a_day_come_out_positive_zeros():
    """The day's held and lost goods start from zeros: a -0.0 held or refused comes out +0.0.

    A -0.0 planned (and shipped) on China's route, all of it held, or all of it applying for
    a licence of which half is approved: 1 x -0.0 held and 0.5 x -0.0 refused are -0.0,
    and added to zeros they are +0.0, as before the border stopped making zeros each day.
    The lost ones become the day's ``border_lost_t`` (summed over suppliers from the first,
    so a -0.0 would stay and print as "-0.0").
    """
    zero = np.full((1, 1, 1, 1), -0.0)
    on = np.ones((1, 1), bool)
    b = held_border(5)
    day_out = b(10, zero, zero, SimpleNamespace(leak_fraction=None, held={0: np.ones(1)}, active=on))
    assert day_out.held_t.tobytes() == np.zeros_like(zero).tobytes()
    licences = {"id": "licences", "kind": "licensing", "supplier": "china", "start": 0, "end": 30,
                "approval_share": 0.5, "processing_days": 3}  # fmt: skip
    b = border_of(build(ONE_REGION, shocks=[licences]))
    day_out = b(0, zero, zero, SimpleNamespace(leak_fraction=None, held={}, active=on))
    assert day_out.lost_t.tobytes() == np.zeros_like(zero).tobytes()


def test_a_day_without_goods_turned_away_held_or_lost_shares_read_only_zeros():
    """On a day the border stops nothing it hands back zeros that no caller can change.

    A quota from day 5 and a held embargo, both off on day 0: the turned-away, held and lost
    goods are all the same zeros of every route, which refuse writing (they are shared
    by every such day: a write would show on all of them).
    """
    b = border_of(build(ONE_REGION, shocks=[quota(start=5), halt(on_halt="held")]))
    off = SimpleNamespace(leak_fraction=None, held={}, active=np.zeros((2, 1), bool))
    planned = np.full((1, 1, 1, 1), 10.0)
    through, turned_away = b.quotas(0, planned, off)
    day_out = b(0, through, through, off)
    assert day_out.held_t is turned_away and day_out.lost_t is turned_away
    assert turned_away.tolist() == [[[[0.0]]]]
    with pytest.raises(ValueError, match="read-only"):
        turned_away[0, 0, 0, 0] = 1.0


# --- goods waiting at the border -----------------------------------------------------------


def test_goods_held_and_awaiting_a_licence_add_up_by_region_material_and_run():
    """Goods held and awaiting a licence are summed over suppliers, by region, material and run.

    Two runs and two suppliers (licences and the halt on China only): held 3 and 5 t,
    awaiting 1 + 0.5 and 2 + 0.25 t in two processing slots; on order 4.5 and 7.25 t.
    """
    data = build(
        ONE_REGION,
        shocks=[halt(on_halt="held"), {"id": "licences", "kind": "licensing", "supplier": "china", "start": 10,
                                       "end": 30, "processing_days": 3}],
    )  # fmt: skip
    data["suppliers"]["korea"] = {"lead_time_days": {"japan": 5}}
    b = border_of(data, runs=2)
    assert b.held.shape[1:] == (1, 1, 2, 2)  # (region, material, supplier, run)
    b.held[0, 0, 0, 0] = [3.0, 5.0]
    b.pending[0][0, 0, 0, 0] = [1.0, 2.0]
    b.pending[0][1, 0, 0, 0] = [0.5, 0.25]
    b._waiting = None
    held, awaiting = b.waiting()
    assert held.shape == awaiting.shape == (1, 1, 2)
    assert held.tolist() == [[[3.0, 5.0]]]
    assert awaiting.tolist() == [[[1.5, 2.25]]]
    assert b.on_order().tolist() == [[[4.5, 7.25]]]


# --- the quota's helpers -------------------------------------------------------------------


def test_a_block_of_routes_need_not_start_at_the_first_index():
    """A quota's routes form a block wherever they start; no routes at all form none."""
    mask = np.zeros((3, 2, 3), bool)
    mask[1:3, 1, 2] = True
    assert border._block(mask) == (slice(1, 3), slice(1, 2), slice(2, 3))
    assert border._block(np.zeros((2, 2, 2), bool)) is None  # no route at all: no block


def test_no_room_shared_among_regions_that_want_nothing_gives_them_nothing():
    """Sharing no room among regions that want nothing gives each 0 t (not 0/0)."""
    got = border._share_out(np.zeros((2, 1)), np.zeros(1), ())
    assert got.tolist() == [[0.0], [0.0]]


def test_a_quota_on_materials_apart_caps_them_together_and_leaves_the_one_between():
    """A quota on materials that are not a block of routes caps them together, and only them.

    Japan orders 10 t a day of each of "a", "b" and "c"; 100 t per 10 days on "a" and "c"
    ("b" lies between) lets 10 t a day through, 5 t of each; "b" is not capped.
    """
    data = build(
        ONE_REGION,
        materials={name: {"price_usd_per_kg": 50} for name in "abc"},
        regions__japan__demand={name: {"tonnes_per_day": 10} for name in "abc"},
        regions__japan__commercial_stock={name: {"tonnes": 100} for name in "abc"},
        regions__japan__sourcing={name: {"china": 1.0} for name in "abc"},
        shocks=[quota(materials=["a", "c"], tonnes_per_period=100)],
    )
    assert border_of(data).boxes == {0: None}
    result = run(data)
    for name, landed in (("a", 5.0), ("b", 10.0), ("c", 5.0)):
        assert series(result, "arrivals_t", "japan", name)[5:25] == pytest.approx(landed), name
    assert series(result, "border_lost_t", "japan", "a")[:20] == pytest.approx(5.0)


def test_contracts_first_gives_exactly_the_claims_when_the_room_is_their_total():
    """A room equal to the claims' total (less what is kept) grants exactly the claims, bit for bit.

    0.1 + 0.6 is 0.7 in floating point; sharing it out (contracts 0.1 and 0.2 t first, then
    the 0.4 t beyond) would give the EU 0.5999999999999999 t, not its 0.6 t.
    """
    wanted, contract = np.array([[0.1], [0.6]]), np.array([[0.1], [0.2]])
    assert 0.1 + 0.6 == 0.7
    for room, kept in ((0.7, 0.0), (1.0, 0.3)):
        got = border._contracts_first(wanted, contract, np.array([room]), np.array([kept]))
        assert got.tolist() == [[0.1], [0.6]]


def periodic_front_loaded(end: int) -> dict:
    """tests/test_border.py's contracts case with 700 t per 5 days open from each period's first
    day and Japan reviewing every other day, far below its target (50 safety days)."""
    data = build(contracts_case("contracts_first", 100), horizon_days=30)
    data["shocks"][0].update(tonnes_per_period=700, period_days=5, release="front_loaded", end=end)
    data["regions"]["japan"]["procurement"]["replenishment"].update(safety_days=50, review_days=2)
    return data


def test_a_front_loaded_quota_keeps_the_normal_flows_of_the_periods_later_days_only():
    """Contracts first keeps room for the period's later days, not more, and none on its last day.

    Normal flows Japan 30, the EU 90 t a day (120 t); Japan orders far more on days 0, 2, 4
    and nothing on days 1 and 3, leaving its normal 30 t unused. Day 0: 4 later days keep
    480 t, Japan gets 30 + (700 - 120 - 480) = 130 t. Day 1: the EU's 90 t. Day 2: room 390 t,
    2 days keep 240 t: Japan 30 + 30 = 60 t. Day 3: the EU's 90 t. Day 4, the last: room
    150 t, nothing kept: Japan 30 + 30 = 60 t. Each lands 5 days later.
    """
    result = run(periodic_front_loaded(end=1000))
    assert series(result, "ordered_t", "japan")[[0, 2, 4]].min() > 200
    assert series(result, "ordered_t", "japan")[[1, 3]] == pytest.approx(0.0)
    assert series(result, "arrivals_t", "japan")[5:10] == pytest.approx([130.0, 0.0, 60.0, 0.0, 60.0])
    assert series(result, "arrivals_t", "eu")[5:10] == pytest.approx(90.0)


def test_a_front_loaded_quota_ending_within_its_period_keeps_room_only_for_its_own_days():
    """A front-loaded quota ending on day 4 keeps room for its remaining days only.

    As above with the quota on days 0..3: day 0 keeps 3 days (360 t), Japan gets
    30 + (700 - 120 - 360) = 250 t; day 1 the EU's 90 t; day 2 keeps day 3's 120 t of room
    (not 2 days'): Japan 30 + (270 - 120 - 120) = 60 t.
    """
    result = run(periodic_front_loaded(end=4))
    assert series(result, "arrivals_t", "japan")[5:8] == pytest.approx([250.0, 0.0, 60.0])
    assert series(result, "arrivals_t", "eu")[5:9] == pytest.approx(90.0)
