"""A pool contribution sized in days by a member with no demand for the material is refused.

``TWO_MEMBERS`` has Japan (20 t/day of ``ree``) and the EU; here a second material, ``ga``,
is added that neither member uses, and Japan puts 30 days of it into the pool. Written in
``days`` or in ``net_import_days`` that is 30 x 0 t/day = 0 t, so ``stockpile validate``
exits 2 naming the file and the field, and advises the one form that works, ``tonnes``
(``days`` would be 0 t too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, invoke, refusals

FIELD = "agreement.pool.contributions.japan.ga"


def with_gallium_contribution(stock: dict[str, Any]) -> dict[str, Any]:
    """``TWO_MEMBERS`` plus a material ``ga`` nobody uses, of which Japan contributes ``stock``."""
    data = build(TWO_MEMBERS, materials__ga={"price_usd_per_kg": 300})
    data["agreement"]["pool"]["contributions"]["japan"]["ga"] = stock
    return data


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("unit", ["days", "net_import_days"])
def test_a_contribution_in_days_of_no_demand_is_refused_naming_file_and_field(tmp_path, unit):
    result = invoke("validate", written(tmp_path, with_gallium_contribution({unit: 30})))
    assert_bad_input(result, f"error: {tmp_path / 's.yaml'}: {FIELD}.{unit}: ", "30 days", "would be 0 t")


@pytest.mark.parametrize("unit", ["days", "net_import_days"])
def test_the_advice_for_no_demand_is_tonnes_only(tmp_path, unit):
    (refusal,) = refusals(with_gallium_contribution({unit: 30}))
    assert refusal.startswith(f"{FIELD}.{unit}: ")
    assert refusal.endswith("give 'tonnes' instead")
    assert "'days'" not in refusal  # days of no demand are refused as well
    validate_data(with_gallium_contribution({"tonnes": 30}))  # what the message advises


def test_a_benchmark_on_domestic_supply_alone_still_advises_days():
    # Japan uses ga (10 t/day) but buys all of it from a supplier at home: no net imports, but days of demand work
    data = with_gallium_contribution({"net_import_days": 30})
    data = build(
        data,
        suppliers__domestic={"lead_time_days": {"japan": 2}, "home_region": "japan"},
        regions__japan__demand__ga={"tonnes_per_day": 10},
        regions__japan__sourcing__ga={"domestic": 1.0},
    )
    (refusal,) = refusals(data)
    assert refusal.startswith(f"{FIELD}.net_import_days: 'japan' has no net imports of 'ga'")
    assert refusal.endswith("give 'tonnes' or 'days' instead")
    data["agreement"]["pool"]["contributions"]["japan"]["ga"] = {"days": 30}
    validate_data(data)
