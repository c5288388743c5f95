"""Dependency targets as a path: a quota's ``max_share_path`` changes the sourcing shares on
dated days. Numbers worked out by hand for one region buying 10 t/day from China (5 days
in transit) and Australia (12 days), normally 90% / 10%."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import ReferenceEngine
from simulator.errors import ScenarioError
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from simulator.scenario.portfolio import built_capacities, quota_shares, share_step_days
from tests.helpers import build, no_traceback, run
from tests.invariants import check_invariants

WORLD: dict = {
    "name": "path",
    "horizon_days": 60,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5}},
        "australia": {"lead_time_days": {"japan": 12}},
    },
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 300}},
            "sourcing": {"ree": {"china": 0.9, "australia": 0.1}},
            "procurement": {
                "quota": {
                    "ree": {
                        "max_share_per_supplier": 0.8,
                        "max_share_path": [{"start": 10, "max_share": 0.6}],
                        "premium": 0.25,
                    }
                }
            },
        }
    },
}


def by_supplier(data: dict, column: str) -> dict[str, np.ndarray]:
    result = run(data)
    check_invariants(result)
    supply = result.supply
    return {sp: supply[supply["supplier"] == sp][column].to_numpy() for sp in ("china", "australia")}


def test_the_shares_step_on_the_steps_day_and_arrivals_a_lead_time_later():
    # before day 10 the cap of 0.8 moves 0.1 to Australia: 8 + 2 t/day; shipments leaving
    # from day 10 on follow the cap of 0.6: 6 + 4 t/day
    shipped = by_supplier(WORLD, "shipped_t")
    assert shipped["china"][:10] == pytest.approx(8.0)
    assert shipped["china"][10:] == pytest.approx(6.0)
    assert shipped["australia"][:10] == pytest.approx(2.0)
    assert shipped["australia"][10:] == pytest.approx(4.0)
    # they land 5 and 12 days later: from China 6 t from day 15, from Australia 4 t from day 22,
    # so total arrivals dip to 6 + 2 = 8 t on days 15..21
    arrived = by_supplier(WORLD, "arrivals_t")
    assert arrived["china"][14] == pytest.approx(8.0)
    assert arrived["china"][15:] == pytest.approx(6.0)
    assert arrived["australia"][21] == pytest.approx(2.0)
    assert arrived["australia"][22:] == pytest.approx(4.0)
    total = arrived["china"] + arrived["australia"]
    assert total[15:22] == pytest.approx(8.0)
    assert total[22:] == pytest.approx(10.0)


def test_each_step_holds_until_the_next():
    # 0.8 written, 0.7 from day 10, 0.6 from day 20: China ships 8, 7 and 6 t/day
    steps = [{"start": 10, "max_share": 0.7}, {"start": 20, "max_share": 0.6}]
    shipped = by_supplier(build(WORLD, **{"regions.japan.procurement.quota.ree.max_share_path": steps}), "shipped_t")
    assert shipped["china"][:10] == pytest.approx(8.0)
    assert shipped["china"][10:20] == pytest.approx(7.0)
    assert shipped["china"][20:] == pytest.approx(6.0)


def test_the_premium_follows_the_moved_volume():
    # the premium is 25% of 50 USD/kg on the part of Australia's share the quota moved:
    # before day 10, (0.2 - 0.1) / 0.2 of 2 t a day: 1 t x 0.25 x 50,000 = 12,500 USD;
    # from day 10, (0.4 - 0.1) / 0.4 of 4 t: 3 t x 0.25 x 50,000 = 37,500 USD
    ts = run(WORLD).timeseries
    premium = ts["procurement_premium_usd"].to_numpy()
    assert premium[:10] == pytest.approx(12_500.0)
    assert premium[10:] == pytest.approx(37_500.0)


def test_a_step_before_day_0_already_shapes_the_pipeline():
    # a step on day -20 is in force for every shipment that lands from day 0 on
    data = build(WORLD, **{"regions.japan.procurement.quota.ree.max_share_path": [{"start": -20, "max_share": 0.6}]})
    arrived = by_supplier(data, "arrivals_t")
    assert arrived["china"] == pytest.approx(6.0)
    assert arrived["australia"] == pytest.approx(4.0)


def test_a_step_may_cap_named_suppliers_only():
    # three suppliers 0.7 / 0.2 / 0.1, every one capped at 0.6; from day 0 China alone at 0.4:
    # its 0.3 excess goes to the others in proportion to their room under 0.6,
    # 0.4 : 0.5, so Australia 0.2 + 0.3 x 4/9 and the third 0.1 + 0.3 x 5/9
    data = build(
        WORLD,
        **{
            "suppliers.korea": {"lead_time_days": {"japan": 5}},
            "regions.japan.sourcing.ree": {"china": 0.7, "australia": 0.2, "korea": 0.1},
            "regions.japan.procurement.quota.ree": {
                "max_share_per_supplier": 0.6,
                "max_share_path": [{"start": 0, "max_share": 0.4, "suppliers": ["china"]}],
            },
        },
    )
    s = validate_data(data)
    before, _, _ = quota_shares(s)
    assert before[0, 0] == pytest.approx([0.6, 0.2 + 0.1 * 4 / 9, 0.1 + 0.1 * 5 / 9])
    after, _, _ = quota_shares(s, 0)
    assert after[0, 0] == pytest.approx([0.4, 0.2 + 0.3 * 4 / 9, 0.1 + 0.3 * 5 / 9])


def capacity_world(addition: float) -> dict:
    # all 10 t/day from China; a partner with 1 t/day of capacity and `addition` more from day 20
    return build(
        WORLD,
        **{
            "suppliers.australia.capacity_t_per_day": {"ree": 1.0},
            "suppliers.australia.capacity_additions": [
                {"material": "ree", "start": 20, "capacity_t_per_day": addition}
            ],
            "regions.japan.sourcing.ree": {"china": 1.0},
            "regions.japan.procurement.quota.ree": {"max_share_path": [{"start": 20, "max_share": 0.6}]},
        },
    )


def test_a_step_counts_the_capacity_built_by_its_day():
    # a cap of 0.6 from day 20 needs 4 t/day elsewhere: the partner's 1 + 3 t/day built by then
    shipped = by_supplier(capacity_world(3.0), "shipped_t")
    assert shipped["china"][:20] == pytest.approx(10.0)
    assert shipped["china"][20:] == pytest.approx(6.0)
    assert shipped["australia"][20:] == pytest.approx(4.0)


def test_a_step_the_other_suppliers_cannot_meet_exits_2_naming_the_step(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(capacity_world(2.0)))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "regions.japan.procurement.quota.ree.max_share_path.0: other suppliers can take 0.3" in result.output
    assert no_traceback(result)


@pytest.mark.parametrize(
    ("steps", "field", "words"),
    [
        ([{"start": 20, "max_share": 0.7}, {"start": 10, "max_share": 0.6}], "max_share_path.1.start", "date order"),
        ([{"start": 10, "max_share": 0.7}, {"start": 10, "max_share": 0.6}], "max_share_path.1.start", "date order"),
        ([{"start": 10, "max_share": 1.5}], "max_share_path.0.max_share", "<= 1"),
        ([{"start": 10, "max_share": -0.1}], "max_share_path.0.max_share", ">= 0"),
        (
            [{"start": 10, "max_share": 0.6, "suppliers": ["chna"]}],
            "max_share_path.0.suppliers.0",
            "did you mean 'china'",
        ),
        ([{"start": "2027-01-01", "max_share": 0.6}], "max_share_path.0.start", "needs the scenario's start_date"),
        ([{"start": "2027-02-30", "max_share": 0.6}], "max_share_path.0.start", "not a valid date"),
        ([{"max_share": 0.6}], "max_share_path.0.start", "required"),
    ],
)
def test_a_bad_path_exits_2_naming_the_field(tmp_path, steps, field, words):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(build(WORLD, **{"regions.japan.procurement.quota.ree.max_share_path": steps})))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    line = next((text for text in result.output.splitlines() if field in text), "")
    assert f"regions.japan.procurement.quota.ree.{field}" in line and words in line, result.output
    assert no_traceback(result)


def test_valid_edges_of_a_path_pass():
    # caps of 1 and 0 are in range (a supplier not bought from may be capped at 0); steps on
    # consecutive days are in order
    steps = [{"start": 10, "max_share": 1.0}, {"start": 11, "max_share": 0.0, "suppliers": ["korea"]}]
    data = build(WORLD, **{"regions.japan.procurement.quota.ree.max_share_path": steps})
    data["suppliers"]["korea"] = {"lead_time_days": {"japan": 5}}
    validate_data(data)


def test_order_up_to_targets_follow_the_share_weighted_lead_time():
    # daily review, no safety stock: the target is 10 x (L + 1) with L the share-weighted lead
    # time, 0.8 x 5 + 0.2 x 12 = 6.4 before the step on day 30 and 0.6 x 5 + 0.4 x 12 = 7.8
    # from it; in steady state (60 t of stock on day 0: reached within days) buyers order
    # their 10 t of use, and on day 30 the 14 t by which the target rose as well
    data = build(
        WORLD,
        **{
            "regions.japan.procurement.replenishment": {"policy": "order_up_to", "review_days": 1},
            "regions.japan.procurement.quota.ree.max_share_path": [{"start": 30, "max_share": 0.6}],
            "regions.japan.commercial_stock.ree.tonnes": 60,
        },
    )
    ordered = run(data).timeseries["ordered_t"].to_numpy()
    assert ordered[25:30] == pytest.approx(10.0)
    assert ordered[30] == pytest.approx(24.0)
    assert ordered[31:] == pytest.approx(10.0)


def test_both_engines_agree_when_runs_of_a_batch_step_on_different_days():
    days = [-3, 4, 17, 40]
    plans = []
    for day in days:
        steps = [{"start": day, "max_share": 0.7}, {"start": day + 9, "max_share": 0.55}]
        data = build(
            WORLD,
            **{
                "regions.japan.procurement.quota.ree.max_share_path": steps,
                "regions.japan.demand.ree.noise_cv": 0.2,
                "regions.japan.commercial_stock.ree.tonnes": 40,
                "regions.japan.procurement.replenishment": {"policy": "order_up_to", "review_days": 3},
            },
        )
        plans.append(compile_plan(validate_data(data)))
    seeds = [11, 12, 13, 14]
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=True)
    for row, (plan, seed) in enumerate(zip(plans, seeds, strict=True)):
        recorder = ReferenceEngine(plan, seed).run()
        for name, values in recorder.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, days[row])
        assert np.array_equal(recorder.arrays["days_of_cover"].astype(np.float32), batch.curves["days_of_cover"][row])


def test_a_step_counts_the_demand_grown_by_its_day():
    # 10 t/day growing 10% a year; from day 365 China is capped at 0.5, so the partner must take half of
    # the day's 11 t/day, 5.5: with 5.6 t/day of capacity it can; with 5.2 it can take 5.2 / 11 = 0.473 of
    # the share (on day 0's 10 t/day, 5 t/day, either would do)
    def world(capacity: float) -> dict:
        return build(
            WORLD,
            **{
                "horizon_days": 400,
                "regions.japan.demand.ree": {"tonnes_per_day": 10, "growth_per_year": 0.1},
                "suppliers.australia.capacity_t_per_day": {"ree": capacity},
                "regions.japan.sourcing.ree": {"china": 1.0},
                "regions.japan.procurement.quota.ree": {"max_share_path": [{"start": 365, "max_share": 0.5}]},
            },
        )

    shares, _, problems = quota_shares(validate_data(world(5.6)), 365)
    assert shares[0, 0] == pytest.approx([0.5, 0.5]) and problems == []
    with pytest.raises(ScenarioError, match=r"max_share_path\.0: other suppliers can take 0\.473 of the 0\.5 share"):
        validate_data(world(5.2))


def test_a_step_given_as_a_date_is_a_share_step_day():
    # start_date 2010-07-01: the step dated 2010-07-11 changes the portfolio on day 10
    s = validate_data(build(WORLD, start_date="2010-07-01", **{"regions.japan.procurement.quota.ree.max_share_path": [
        {"start": "2010-07-11", "max_share": 0.6}]}))  # fmt: skip
    assert share_step_days(s) == [10]


def test_capacity_built_in_full_adds_the_additions_to_the_stated_capacity():
    # the partner's 1 t/day and 3 t/day more from day 20: 4 t/day once built; China is not limited
    assert built_capacities(validate_data(capacity_world(3.0)))[:, 0].tolist() == [np.inf, 4.0]
