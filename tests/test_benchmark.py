"""Sizing strategic stock by the EU benchmark (CRMA Art. 23): days of average daily net imports.

Japan uses 20 t/day and buys a quarter of it from a domestic recycler (``home_region:
japan``): its net imports are 15 t/day. The EU buys all its 80 t/day abroad.
"""

from __future__ import annotations

import pytest

from simulator.errors import ScenarioError
from simulator.plan import compile_plan
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, build, run, series

DOMESTIC = build(
    TWO_MEMBERS,
    shocks=[],
    suppliers__recycler={"lead_time_days": {"japan": 2, "eu": 2}, "home_region": "japan"},
    regions__japan__sourcing={"ree": {"china": 0.75, "recycler": 0.25}},
)


def test_a_reserve_of_30_days_of_net_imports():
    plan = compile_plan(validate_data(build(DOMESTIC, regions__japan__reserve={"ree": {"net_import_days": 30}})))
    assert plan.net_import_share[:, 0, 0].tolist() == [0.75, 1.0]
    assert plan.reserve_stock0_t[0, 0, 0] == 30 * 15  # 450 t, where 30 days of demand would be 600 t


def test_private_stocks_are_credited_against_the_benchmark():
    data = build(
        DOMESTIC,
        regions__japan__commercial_stock={"ree": {"tonnes": 100}},
        regions__japan__reserve={"ree": {"net_import_days": 30, "credit_private_stocks": True}},
    )
    assert compile_plan(validate_data(data)).reserve_stock0_t[0, 0, 0] == 450 - 100
    # private stocks above the benchmark leave nothing to hold
    data = build(data, regions__japan__commercial_stock__ree__tonnes=1000)
    assert compile_plan(validate_data(data)).reserve_stock0_t[0, 0, 0] == 0.0


def test_pool_contributions_by_the_benchmark():
    data = build(DOMESTIC, agreement__pool__contributions={"eu": {"ree": {"net_import_days": 10}}})
    plan = compile_plan(validate_data(data))
    assert plan.agreement.contributed_t[:, 0, 0].tolist() == [0.0, 800.0]


def test_days_of_net_imports_sit_beside_days_of_consumption():
    # no shock: arrivals meet demand every day and Japan's 450 t reserve is untouched, so its
    # drawable cover is 450 / 20 = 22.5 days of consumption and 450 / 15 = 30 days of net imports
    result = run(build(DOMESTIC, regions__japan__reserve={"ree": {"net_import_days": 30}}))
    assert series(result, "reserve_stock_t", "japan")[0] == 450.0
    assert series(result, "commercial_stock_t", "japan")[0] == 0.0
    assert series(result, "days_of_cover", "japan")[0] == 22.5
    assert series(result, "days_of_net_imports", "japan")[0] == 30.0


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            {"regions__eu__sourcing": {"ree": {"recycler": 1.0}}, "suppliers__recycler__home_region": "eu"},
            "regions.eu.reserve.ree.net_import_days",
        ),
        ({"regions__eu__demand__ree__tonnes_per_day": 0}, "regions.eu.reserve.ree.net_import_days"),
    ],
    ids=["all_domestic", "no_demand"],
)
def test_a_benchmark_with_no_net_imports_is_refused(change, path):
    data = build(DOMESTIC, regions__eu__reserve={"ree": {"net_import_days": 30}}, **change)
    with pytest.raises(ScenarioError) as err:
        validate_data(data, "pair.yaml")
    assert f"{path}: 'eu' has no net imports of 'ree'" in str(err.value)


def test_a_pool_contribution_with_no_net_imports_is_refused():
    data = build(
        DOMESTIC,
        regions__japan__sourcing={"ree": {"recycler": 1.0}},
        agreement__pool__contributions={"japan": {"ree": {"net_import_days": 10}}},
    )
    with pytest.raises(ScenarioError) as err:
        validate_data(data)
    assert "agreement.pool.contributions.japan.ree.net_import_days" in str(err.value)


@pytest.mark.parametrize(
    ("stock", "message"),
    [
        ({"days": 30, "net_import_days": 30}, "give exactly one of 'tonnes', 'days' or 'net_import_days'"),
        ({"days": 30, "credit_private_stocks": True}, "'credit_private_stocks' credits private stocks"),
    ],
)
def test_a_stock_is_given_one_way(stock, message):
    with pytest.raises(ScenarioError) as err:
        validate_data(build(DOMESTIC, regions__japan__reserve={"ree": stock}))
    assert message in str(err.value)


def test_an_unknown_home_region_is_refused():
    with pytest.raises(ScenarioError) as err:
        validate_data(build(DOMESTIC, suppliers__recycler__home_region="japn"))
    assert "suppliers.recycler.home_region: unknown region 'japn'" in str(err.value)


def test_a_benchmark_is_checked_after_a_stock_given_in_tonnes():
    # Japan's reserve in tonnes comes first and needs no net imports; the EU's benchmark without demand is still refused
    data = build(
        DOMESTIC,
        regions__japan__reserve={"ree": {"tonnes": 100}},
        regions__eu__reserve={"ree": {"net_import_days": 30}},
        regions__eu__demand__ree__tonnes_per_day=0,
    )
    with pytest.raises(ScenarioError) as err:
        validate_data(data)
    assert "regions.eu.reserve.ree.net_import_days: 'eu' has no net imports of 'ree'" in str(err.value)


def test_net_imports_under_a_tonne_a_day_are_a_benchmark():
    # 0.5 t/day, all imported: 30 days of net imports are 15 t
    data = build(
        DOMESTIC, regions__eu__demand__ree__tonnes_per_day=0.5, regions__eu__reserve={"ree": {"net_import_days": 30}}
    )
    assert compile_plan(validate_data(data)).reserve_stock0_t[1, 0, 0] == pytest.approx(15.0)
