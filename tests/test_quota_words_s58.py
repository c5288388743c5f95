"""An export quota's legend says what its tonnes are of: all the quota's materials summed (docs/model.md).

A quota on every material names them all in the cap, their shared words once ("light and heavy rare earths");
a quota listing its materials names those.
"""

from __future__ import annotations

from simulator.plots import shock_label
from tests.helpers import TWO_MEMBERS, build, run

QUOTA = {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 900, "period_days": 30}


def _two_materials() -> dict:
    """TWO_MEMBERS with its one material split into light and heavy rare earths, bought alike."""
    data = build(TWO_MEMBERS, horizon_days=40)
    data["materials"] = {"light_ree": {"price_usd_per_kg": 10}, "heavy_ree": {"price_usd_per_kg": 300}}
    for region in data["regions"].values():
        for table in ("demand", "commercial_stock", "sourcing"):
            region[table] = {m: region[table]["ree"] for m in data["materials"]}
    data["agreement"]["pool"] = {"contributions": {}}
    return data


def test_a_quota_on_all_materials_names_them_in_its_cap():
    data = _two_materials()
    data["shocks"] = [QUOTA | {"start": 5, "end": 20}]
    assert shock_label(run(data), 0) == (
        "Export quota: China → Japan, EU, cap of 900 t of light and heavy rare earths per 30 days on what they take "
        "from China together, pro rata to orders"
    )


def test_a_quota_listing_its_material_names_it_in_its_cap():
    data = _two_materials()
    data["shocks"] = [QUOTA | {"start": 5, "end": 20, "materials": ["heavy_ree"]}]
    assert shock_label(run(data), 0) == (
        "Export quota: China → Japan, EU, cap of 900 t of heavy rare earths per 30 days on what they take from China "
        "together, pro rata to orders"
    )
