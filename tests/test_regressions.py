"""One test per fixed bug (found while building the scenario library)."""

from __future__ import annotations

import pytest

from simulator.errors import ScenarioError
from simulator.scenario import load_scenario
from tests.helpers import ROOT, build, run, series
from tests.test_procurement import quota_world


def test_normal_orders_never_exceed_a_suppliers_capacity():
    # order-up-to orders grow while China is cut off; "other" (capacity 15 t/day) must
    # never ship more than 15 t/day, however much is ordered from it
    data = {
        "name": "cap",
        "horizon_days": 60,
        "materials": {"ree": {}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5}},
            "other": {"lead_time_days": {"japan": 5}, "capacity_t_per_day": {"ree": 15}},
        },
        "regions": {
            "japan": {
                "demand": {"ree": {"tonnes_per_day": 20}},
                "commercial_stock": {"ree": {"days": 30}},
                "sourcing": {"ree": {"china": 0.5, "other": 0.5}},
                "procurement": {"replenishment": {"policy": "order_up_to", "review_days": 1, "safety_days": 20}},
            }
        },
        "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 40}],
    }
    supply = run(data).supply
    other = supply[supply["supplier"] == "other"]["shipped_t"].to_numpy()
    assert other.max() == pytest.approx(15.0)
    assert (other <= 15.0 + 1e-9).all()


def test_a_quota_never_moves_volume_to_a_supplier_without_a_route_to_the_region():
    data = quota_world()
    data["suppliers"]["elsewhere"] = {"lead_time_days": {"japan": 3}}  # no route to the EU, unlimited
    data["regions"]["japan"] = {"demand": {"ree": {"tonnes_per_day": 1}}, "sourcing": {"ree": {"elsewhere": 1.0}}}
    portfolio = run(data).portfolio
    eu = portfolio[portfolio["region"] == "eu"].set_index("supplier")
    assert "elsewhere" not in eu.index
    assert eu["share"].sum() == pytest.approx(1.0)


def test_a_partner_minimum_beyond_the_partners_capacity_is_an_error():
    data = quota_world()
    data["regions"]["eu"]["procurement"]["quota"]["ree"] = {"partner_minimum": {"b": 0.5}}  # b can ship 15 of 100
    with pytest.raises(ScenarioError, match="partner minimum exceeds"):
        run(data)


def test_rounding_residue_is_not_a_shortfall():
    # long_embargo_6m_2030 once reported fairness 0.5 with "0.0 t" of shortfall: a
    # 1.4e-15 t residue in one row counted as the EU bearing all of the shortfall
    result = run_file("long_embargo_6m_2030")
    assert result.metrics["total_shortfall_t"] == 0.0
    assert result.metrics["fairness_jain"] == 1.0


def run_file(name: str):
    from simulator import simulate

    return simulate(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))


def test_summary_table_columns_stay_aligned_with_long_region_names():
    from simulator.cli import summary_text

    data = build(
        {
            "name": "x",
            "horizon_days": 5,
            "materials": {"ree": {}},
            "suppliers": {"china": {"lead_time_days": {"a_rather_long_region_name": 2}}},
            "regions": {
                "a_rather_long_region_name": {
                    "demand": {"ree": {"tonnes_per_day": 1}},
                    "sourcing": {"ree": {"china": 1.0}},
                }
            },
        }
    )
    lines = summary_text(run(data)).splitlines()
    assert lines[0].index("material") == lines[1].index("ree")
    assert series(run(data), "demand_t", "a_rather_long_region_name")[0] == 1.0
