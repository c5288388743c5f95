"""An agreement-wide metric is one registry entry: its source, its total over materials, its compare column (s60).

Before, only ``unused_t`` of the agreement's daily record could be aggregated (a hand list in
``metrics._RECORD_OF``): an entry over ``released_total_t`` failed at import, blaming the registry.
``stockpile compare``'s agreement-wide columns were a hand list too (``compare.COMPARE_METRICS``).

The world: ``TWO_MEMBERS`` with a second material, ``nd``, all cut off from day -100. The pool holds
60 t of ``ree`` and 30 t of ``nd``, each released at most 10 t a day, and the members (100 t a day
of each) are short every day: ``ree`` is released on days 0-5 (6 days, 60 t), ``nd`` on days 0-2
(3 days, 30 t). Days with a release over both materials, each day once: 6 (not 6 + 3 = 9).
"""

from __future__ import annotations

import copy
import sys
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from simulator import quantities
from simulator.compare import compare
from simulator.fastpath import run_batch
from simulator.metrics import check_sources
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, run
from tests.test_compare_materials_s51 import EARLIER

RELEASE_DAYS = quantities._a(
    "release_days",
    "days",
    "Days the rule released shared stock (releases.csv's released_t above rounding); over all materials a day "
    "counts once.",
    "Days with a release",
    "count",
    "released_total_t",
    dtype="int",
    region_total="distinct",
)
RELEASED = quantities._a(
    "released_pool_t", "t", "Shared stock the rule released.", "Released", "sum", "released_total_t"
)


def two_materials() -> dict[str, Any]:
    data = copy.deepcopy(TWO_MEMBERS)
    data["materials"]["nd"] = {"price_usd_per_kg": 80}
    for region in ("japan", "eu"):
        data["regions"][region]["demand"]["nd"] = {"tonnes_per_day": 50}
        data["regions"][region]["commercial_stock"]["nd"] = {"tonnes": 0}
        data["regions"][region]["sourcing"]["nd"] = {"china": 1.0}
    data["agreement"]["pool"]["contributions"] = {
        member: {"ree": {"tonnes": 30}, "nd": {"tonnes": 15}} for member in ("japan", "eu")
    }
    data["agreement"]["release_cap_t_per_day"] = {"ree": 10, "nd": 10}
    return data


def with_agreement_metrics(monkeypatch: pytest.MonkeyPatch, entries: tuple[quantities.Quantity, ...]) -> None:
    """The registry's AGREEMENT_SUMMARY as ``entries``, wherever a module took it from the registry at import."""
    shipped = quantities.AGREEMENT_SUMMARY
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("simulator") and getattr(module, "AGREEMENT_SUMMARY", None) is (
            shipped
        ):
            monkeypatch.setattr(module, "AGREEMENT_SUMMARY", entries)
    added = tuple(q for q in entries if q not in shipped)
    monkeypatch.setattr(quantities, "REGISTRY", (*quantities.REGISTRY, *added))


def test_the_world_releases_as_worked_out():
    releases = run(two_materials()).releases
    days = releases[releases["released_t"] > 1e-9].groupby("material")["day"].agg(list).to_dict()
    assert days == {"ree": [0, 1, 2, 3, 4, 5], "nd": [0, 1, 2]}


def test_a_metric_over_another_daily_agreement_quantity_needs_only_its_registry_entry(monkeypatch):
    with_agreement_metrics(monkeypatch, (*quantities.AGREEMENT_SUMMARY, RELEASE_DAYS, RELEASED))
    check_sources(quantities.AGREEMENT_SUMMARY)  # the import-time check accepts both
    result = run(two_materials())
    m = result.metrics
    assert (m["release_days"], m["release_days.all.ree"], m["release_days.all.nd"]) == (6, 6, 3)
    assert (m["released_pool_t"], m["released_pool_t.all.ree"], m["released_pool_t.all.nd"]) == (90, 60, 30)
    rows = result.summary.set_index(["region", "material"])
    assert rows.loc[("all", "all"), "release_days"] == 6  # the summary table's row over the agreement
    assert rows.loc[("all", "nd"), "released_pool_t"] == 30
    plans = [compile_plan(validate_data(two_materials()))] * 3  # the fast path, asked for the count alone
    alone = run_batch(stack_plans(plans), draw_batch(plans, [0, 1, 2]), metrics=("release_days",)).summary
    assert np.array_equal(alone["agreement.release_days"], [6, 6, 6])
    assert np.array_equal(alone["by_material.release_days"], [[6, 3]] * 3)  # materials in the scenario's order


def test_a_source_the_agreement_cannot_read_is_refused_naming_the_entry_and_what_it_may_read():
    per_member = replace(RELEASE_DAYS, source="released_rule_t")  # (member, material, run): not one per material
    with pytest.raises(ValueError, match=r"agreement-wide metric release_days \(source='released_rule_t'\)") as err:
        check_sources((*quantities.AGREEMENT_SUMMARY, per_member))
    assert "simulator/quantities.py" in str(err.value)
    for allowed in ("released_total_t", "unused_t", "pool_stock_t"):
        assert f"'{allowed}'" in str(err.value)
    lowest = replace(RELEASED, region_total="min")
    with pytest.raises(ValueError, match=r"'released_pool_t' has region_total='min'"):
        check_sources((lowest,))


def test_stockpile_compare_shows_the_metrics_the_registry_places_there(monkeypatch):
    placed = sorted(
        (q for q in quantities.AGREEMENT_SUMMARY if q.compare_order is not None), key=lambda q: q.compare_order
    )
    # compare.csv's agreement-wide columns as written by hand there: 7, so a new one placed 8th comes last
    assert [q.name for q in placed] == EARLIER[EARLIER.index("total_shortfall_t") : EARLIER.index("pool_end_t") + 1]
    moved = tuple(replace(q, compare_order=None) if q.name == "pool_end_t" else q for q in quantities.AGREEMENT_SUMMARY)
    with_agreement_metrics(monkeypatch, (*moved, replace(RELEASED, compare_order=1)))
    with pytest.raises(ValueError, match=r"\['released_pool_t', 'total_shortfall_t'\] share a compare_order"):
        quantities.compare_metrics()
    with_agreement_metrics(monkeypatch, (*moved, replace(RELEASED, compare_order=8)))
    table = compare(two_materials(), ["fair_ratio"], "test", baseline=True, validated=validate_data(two_materials()))
    first = [
        "mechanism",
        "total_shortfall_t",
        "fairness_jain",
        "max_shortfall_share_gap",
        "draw_contribution_gap",
        "envious_members",
        "unused_release_t",
        "released_pool_t",
    ]
    assert list(table.table().columns[: len(first)]) == first
    assert "pool_end_t" not in table.table().columns
    rows = table.table().set_index("mechanism")["released_pool_t"]
    assert rows["fair_ratio"] == 90  # every tonne of the pool
    assert rows.drop("fair_ratio").isna().all()  # the rows without the agreement have no pool
