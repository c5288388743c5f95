"""Scenario validation on both sides of each boundary, overrides and the JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.errors import InputError, ScenarioError
from simulator.scenario import apply_overrides, json_schema, parse_assignment, validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, halt


def problems(data: dict[str, Any]) -> list[str]:
    try:
        validate_data(data, "x.yaml")
    except ScenarioError as exc:
        return [p.render(exc.source) for p in exc.problems]
    return []


def test_valid_scenarios_have_no_problems():
    assert problems(ONE_REGION) == []
    assert problems(TWO_MEMBERS) == []


@pytest.mark.parametrize(
    ("path", "ok", "bad", "message"),
    [
        ("horizon_days", 1, 0, "horizon_days: must be >= 1"),
        ("regions.japan.demand.ree.tonnes_per_day", 0, -1, "regions.japan.demand.ree.tonnes_per_day: must be >= 0"),
        ("regions.japan.commercial_stock.ree.tonnes", 0, -5, "commercial_stock.ree.tonnes: must be >= 0"),
        ("suppliers.china.lead_time_days.japan", 1, 0, "suppliers.china.lead_time_days.japan: must be >= 1"),
        ("regions.japan.demand.ree.growth_per_year", -0.99, -0.991, "growth_per_year: must be >= -0.99"),
        ("regions.japan.demand.ree.noise_cv", 0, -0.1, "noise_cv: must be >= 0"),
        ("seed", 0, -1, "seed: must be >= 0"),
    ],
)
def test_numeric_bounds_both_sides(path, ok, bad, message):
    assert problems(build(ONE_REGION, **{path.replace(".", "__"): ok})) == []
    found = problems(build(ONE_REGION, **{path.replace(".", "__"): bad}))
    assert any(message in p for p in found), found
    assert all(p.startswith("x.yaml: ") for p in found)


def test_sourcing_share_above_one_and_sum_not_one():
    data = build(ONE_REGION, regions__japan__sourcing__ree__china=1.2)
    found = problems(data)
    assert any("regions.japan.sourcing.ree.china: must be <= 1" in p for p in found)
    data = build(ONE_REGION, regions__japan__sourcing__ree__china=0.9)
    assert any(
        "regions.japan.sourcing.ree: shares must sum to 1 (they sum to 0.9, 0.1 short)" in p for p in problems(data)
    )


def test_unknown_key_is_an_error_with_a_suggestion():
    data = build(ONE_REGION)
    data["regions"]["japan"]["demand"]["ree"]["tonnes_per_dya"] = 3
    found = problems(data)
    assert any(
        "regions.japan.demand.ree.tonnes_per_dya: unknown key; did you mean 'tonnes_per_day'?" in p for p in found
    ), found


def test_shock_naming_unknown_region_material_and_supplier():
    shock = {
        "id": "s",
        "kind": "embargo",
        "supplier": "chna",
        "regions": ["japn"],
        "materials": ["gold"],
        "start": 1,
        "end": 2,
    }
    found = problems(build(ONE_REGION, shocks=[shock]))
    assert any("shocks.s.supplier: unknown supplier 'chna'" in p and "did you mean 'china'" in p for p in found)
    assert any("shocks.s.regions.0: unknown region 'japn'" in p for p in found)
    assert any("shocks.s.materials.0: unknown material 'gold'" in p for p in found)


def test_every_problem_of_a_file_is_reported_at_once():
    shock = {"id": "s", "kind": "embargo", "supplier": "x", "regions": ["y"], "start": 5, "end": 5}
    found = problems(build(ONE_REGION, shocks=[shock], regions__japan__sourcing__ree__china=0.5))
    assert len(found) >= 4  # supplier, region, end <= start, shares


def test_stock_needs_exactly_one_unit():
    data = build(ONE_REGION)
    data["regions"]["japan"]["commercial_stock"]["ree"] = {"tonnes": 1, "days": 2}
    assert any("commercial_stock.ree: give exactly one of 'tonnes' or 'days'" in p for p in problems(data))


def test_dates_need_a_start_date():
    shock = {"id": "s", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": "2010-09-21", "end": 100}
    assert any(
        "shocks.s.start: a date needs the scenario's start_date" in p
        for p in problems(build(ONE_REGION, shocks=[shock]))
    )
    assert problems(build(ONE_REGION, shocks=[shock], start_date="2010-07-01")) == []


def test_severity_bounds_both_sides():
    shock = {"id": "s", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 1, "end": 3}
    assert problems(build(ONE_REGION, shocks=[{**shock, "severity": 1.0}])) == []
    assert any(
        "shocks.s.severity: must be <= 1" in p
        for p in problems(build(ONE_REGION, shocks=[{**shock, "severity": 1.01}]))
    )


def test_ratio_must_sum_to_one_within_tolerance():
    ok = build(TWO_MEMBERS, agreement__ratio={"japan": 0.3, "eu": 0.7 + 5e-10})
    assert problems(ok) == []
    bad = build(TWO_MEMBERS, agreement__ratio={"japan": 0.3, "eu": 0.7 + 2e-9})
    assert any("agreement.ratio: ratios must sum to 1" in p for p in problems(bad))


def test_ratio_for_a_non_member_and_an_auction_without_bids():
    found = problems(build(TWO_MEMBERS, agreement__ratio={"japan": 0.5, "usa": 0.5}))
    assert any("agreement.ratio.usa: unknown member 'usa'" in p for p in found)
    found = problems(build(TWO_MEMBERS, agreement__mechanism="auction"))
    assert any("agreement.auction.bids: mechanism 'auction' needs auction bids" in p for p in found)


def test_negative_prices_are_rejected():
    bids = {"every_days": 7, "bids": {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": -1}]}}}
    found = problems(build(TWO_MEMBERS, agreement__auction=bids))
    assert any("agreement.auction.bids.japan.ree.0.price_usd_per_kg: must be >= 0" in p for p in found)
    assert any(
        "materials.ree.price_usd_per_kg: must be >= 0" in p
        for p in problems(build(ONE_REGION, materials__ree__price_usd_per_kg=-3))
    )


def test_set_ratio_rescales_the_other_members():
    data = apply_overrides(TWO_MEMBERS, [parse_assignment("agreement.ratio.japan=0.3")])
    assert data["agreement"]["ratio"] == pytest.approx({"japan": 0.3, "eu": 0.7})
    three = build(TWO_MEMBERS, agreement__ratio={"japan": 0.2, "eu": 0.6, "korea": 0.2})
    data = apply_overrides(three, [("agreement.ratio.japan", 0.6)])
    assert data["agreement"]["ratio"] == pytest.approx({"japan": 0.6, "eu": 0.3, "korea": 0.1})


def test_ratios_set_together_keep_their_values_in_either_order():
    # five members 0.2/0.3/0.1/0.25/0.15; Japan and the EU set to 0.4 each leave 0.2 to the
    # other three, shared as their old 0.1 : 0.25 : 0.15 = 0.04, 0.10 and 0.06
    five = build(TWO_MEMBERS, agreement__ratio={"japan": 0.2, "eu": 0.3, "korea": 0.1, "us": 0.25, "india": 0.15})
    forward = apply_overrides(five, [("agreement.ratio.japan", 0.4), ("agreement.ratio.eu", 0.4)])
    backward = apply_overrides(five, [("agreement.ratio.eu", 0.4), ("agreement.ratio.japan", 0.4)])
    assert forward["agreement"]["ratio"] == pytest.approx(
        {"japan": 0.4, "eu": 0.4, "korea": 0.04, "us": 0.10, "india": 0.06}
    )
    assert forward["agreement"]["ratio"] == backward["agreement"]["ratio"]  # to the bit
    assert five["agreement"]["ratio"]["japan"] == 0.2  # the data given is unchanged
    # two members both set: nothing is rescaled, so 0.3 + 0.5 is refused by validation
    both = apply_overrides(TWO_MEMBERS, [("agreement.ratio.japan", 0.3), ("agreement.ratio.eu", 0.5)])
    assert both["agreement"]["ratio"] == {"japan": 0.3, "eu": 0.5}
    with pytest.raises(InputError, match="ratios must sum to 1"):
        validate_data(both, "test")
    with pytest.raises(
        InputError, match=r"agreement.ratio.eu: the ratios set sum to more than 1 \(japan 0.8, eu 0.5\)"
    ):
        apply_overrides(five, [("agreement.ratio.japan", 0.8), ("agreement.ratio.eu", 0.5)])


def test_a_value_set_whole_drops_the_uncertain_entries_inside_it():
    random_halt = halt(severity={"distribution": "uniform", "low": 0.5, "high": 1.0})
    data = build(ONE_REGION, shocks=[random_halt])
    data["uncertain"] = [
        {"path": "shocks.halt.severity.low", "low": 0.3, "high": 0.6, "source": "test"},
        {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"},
    ]
    validate_data(data, "test")
    fixed = apply_overrides(data, [("shocks.halt.severity", 0.8)])
    assert [e["path"] for e in fixed["uncertain"]] == ["regions.japan.demand.ree.tonnes_per_day"]
    assert validate_data(fixed, "test").shocks[0].severity == 0.8  # used to be exit 2 at uncertain.0.path
    assert len(data["uncertain"]) == 2  # the data given is unchanged
    # an entry on the very field set stays (sensitivity still varies it), and so do its siblings
    same = apply_overrides(data, [("regions.japan.demand.ree.tonnes_per_day", 12), ("shocks.halt.severity.low", 0.4)])
    assert len(same["uncertain"]) == 2


def test_set_creates_missing_entries_and_swaps_units():
    data = apply_overrides(ONE_REGION, [parse_assignment("regions.japan.reserve.ree.days=90")])
    assert data["regions"]["japan"]["reserve"] == {"ree": {"days": 90}}
    data = apply_overrides(ONE_REGION, [("regions.japan.commercial_stock.ree.days", 3)])
    assert data["regions"]["japan"]["commercial_stock"]["ree"] == {"days": 3}


def test_set_addresses_shocks_by_id_or_index():
    data = apply_overrides(TWO_MEMBERS, [("shocks.halt.severity", 0.5), ("shocks.0.end", 30)])
    assert data["shocks"][0]["severity"] == 0.5 and data["shocks"][0]["end"] == 30
    with pytest.raises(InputError, match="no item with id 'nope'"):
        apply_overrides(TWO_MEMBERS, [("shocks.nope.severity", 0.5)])


def test_parse_assignment_rejects_a_missing_equals_sign():
    with pytest.raises(InputError, match="expected PATH=VALUE"):
        parse_assignment("horizon_days")


def test_json_schema_documents_units_and_descriptions():
    schema = json_schema()
    demand = schema["$defs"]["Demand"]["properties"]["tonnes_per_day"]
    assert demand["unit"] == "t/day"
    assert "Baseline demand" in demand["description"]
    assert schema["additionalProperties"] is False


def test_a_random_start_that_always_falls_after_a_fixed_end_is_an_error():
    shock = {
        "id": "s",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": {"distribution": "uniform", "low": 20, "high": 30},
        "end": 20,
    }
    assert any(
        "shocks.s.end: the start is drawn from day 20 on: the shock never happens" in p
        for p in problems(build(ONE_REGION, shocks=[shock]))
    )
    assert problems(build(ONE_REGION, shocks=[{**shock, "end": 21}])) == []


def test_reserve_commitments_cover_every_member_or_none():
    ess = "agreement.iea_ess.commitments"
    assert problems(build(TWO_MEMBERS, agreement__mechanism="iea_ess")) == []  # none: the contributions
    full = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__iea_ess__commitments={"japan": 1, "eu": 3})
    assert problems(full) == []
    partial = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__iea_ess__commitments={"japan": 1})
    assert f"x.yaml: {ess}: reserve commitments must cover every member; missing: eu" in problems(partial)
    zero = build(TWO_MEMBERS, agreement__iea_ess__commitments={"japan": 0, "eu": 0})
    assert f"x.yaml: {ess}: at least one member must commit a reserve" in problems(zero)


def test_the_iep_restraint_bands_must_grow_with_the_loss():
    same = build(TWO_MEMBERS, agreement__iea_ess={"higher_loss_share": 0.07, "higher_restraint": 0.07})
    assert problems(same) == []
    found = problems(build(TWO_MEMBERS, agreement__iea_ess={"higher_loss_share": 0.06, "higher_restraint": 0.05}))
    assert any("agreement.iea_ess.higher_loss_share: must be at least trigger_loss_share" in p for p in found)
    assert any("agreement.iea_ess.higher_restraint: must be at least restraint" in p for p in found)


def test_emergency_release_time_may_not_exceed_the_normal_one():
    same = build(TWO_MEMBERS, agreement__release_times={"normal_days": 8, "emergency_days": 8})
    assert problems(same) == []
    longer = build(TWO_MEMBERS, agreement__release_times={"normal_days": 8, "emergency_days": 9})
    assert "x.yaml: agreement.release_times.emergency_days: must not exceed normal_days (9 > 8)" in problems(longer)
    both = build(
        TWO_MEMBERS, agreement__decision_lag_days=2, agreement__release_times={"normal_days": 30, "emergency_days": 8}
    )
    assert any("agreement.release_times: give either release_times or decision_lag_days" in p for p in problems(both))
