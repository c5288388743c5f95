"""The last line of ``stockpile run``: Jain's index by material where the shortfall's tonnes are not added.

Session 59: the line gave the shortfall of each material "(not added: tonnes of magnet and tonnes of oxide)"
and then one Jain's index built from each member's shortfall over all its materials, adding those very tonnes.
The indices here are worked out from the summary's tonnes with Jain's definition, (sum x)^2 / (n sum x^2) of the
members' shortfalls as shares of their demand.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from simulator.console import summary_text
from tests.helpers import ROOT, run, shipped_group, shipped_report, shipped_result


def _jain(result, material: str) -> float:
    """Jain's index of the members' shortfalls of ``material`` as shares of their demand for it, from the summary."""
    rows = [r for r in result.tables["summary"].rows() if r["region"] != "all" and r["material"] == material]
    shares = [r["shortfall_t"] / r["demand_t"] for r in rows if r["demand_t"] > 0]
    return sum(shares) ** 2 / (len(shares) * sum(x * x for x in shares))


@shipped_group("long_embargo_12m")
def test_oxide_and_magnet_short_give_each_oxides_index_and_the_magnets_one_user():
    result = shipped_result("long_embargo_12m")
    last = summary_text(result).splitlines()[-1]
    found = re.search(r"fairness \(Jain\) by material: light rare earths ([\d.]+) and heavy rare earths ([\d.]+)", last)
    assert found, last
    assert float(found[1]) == pytest.approx(_jain(result, "light_ree"), abs=5e-4)  # 0.962
    assert float(found[2]) == pytest.approx(_jain(result, "heavy_ree"), abs=5e-4)  # 0.978
    assert last.endswith("; only the EU uses NdFeB magnets"), last
    # not the index over all materials (0.969), which adds magnet to oxide tonnes
    assert f"{result.metrics['fairness_jain']:.3f}" not in last


@shipped_group("club_of_five")
def test_where_one_material_is_short_its_own_index_is_named():
    """Session 61: light and heavy rare earths priced far apart, only heavy short: the index of heavy rare earths,
    named, not the index over all materials (0.537), whose shares count demand for light rare earths too."""
    result = shipped_result("club_of_five")
    last = summary_text(result).splitlines()[-1]
    heavy = _jain(result, "heavy_ree")  # Japan, the EU, the US and South Korea use heavy rare earths
    assert f"{heavy:.3f}" == "0.637"  # as pasted in docs/outputs.md
    assert last.endswith(f"; fairness (Jain) of heavy rare earths {heavy:.3f}"), last
    assert f"{result.metrics['fairness_jain']:.3f}" not in last and "by material" not in last


def test_a_region_outside_the_agreement_is_not_counted_as_a_user():
    """battery_materials with an outsider (the US, the EU's copy) and Japan using no cobalt: of the members only the
    EU uses cobalt, so cobalt has no burden to share, however much the US uses (the index compares members)."""
    data = yaml.safe_load((ROOT / "scenarios" / "battery_materials.yaml").read_text())
    data["regions"]["us"] = copy.deepcopy(data["regions"]["eu"])
    for supplier in data["suppliers"].values():
        supplier["lead_time_days"]["us"] = supplier["lead_time_days"]["eu"]
    for part in ("demand", "sourcing", "reserve", "commercial_stock"):
        data["regions"]["japan"][part].pop("cobalt", None)
    data["uncertain"] = [
        u for u in data.get("uncertain", []) if not u["path"].startswith("regions.japan.sourcing.cobalt")
    ]
    last = summary_text(run(data)).splitlines()[-1]
    assert "only the EU uses cobalt" in last, last
    assert "cobalt 1.000" not in last and "uses cobalt" in last.split("by material:")[1], last


@shipped_group("new_supply_2031")
def test_an_index_just_below_one_is_not_written_as_one_on_the_line_or_the_page():
    """new_supply_2031: Japan short of 222.3 of 2,739 t (0.08117), the EU of 71.3 of 913 t (0.07808): Jain's index
    0.99964, which 3 decimals (the line) and 2 (the report) would write as 1, equal burdens."""
    result = shipped_result("new_supply_2031")
    assert _jain(result, "heavy_ree") == pytest.approx(0.99964, abs=5e-5)  # from the shares to 4 digits
    assert summary_text(result).splitlines()[-1].endswith("; fairness (Jain) 0.9996")
    page = re.sub(r"<[^>]+>", "", shipped_report("new_supply_2031"))  # made once for the group's report tests
    assert "(Jain's index of shortfall shares, 1 = equal) is 0.9996." in page
