"""Jain's index and the largest share gap count only the members with demand.

A member with no demand of a material has no shortfall share of it (``shortfall_share``
writes 0 there, "shares of nothing are nothing"); counted as a share of 0 it would make a
material only one member uses look unfair: in ``china_2025_licensing`` Japan uses no
magnets, and the EU, short of magnets, read as "one of two members bears it all" (0.5).

The worlds: every region has 10 t/day of each material it uses for 60 days (600 t) and
all supply is cut for the whole run, so a region holding ``s`` t of a material is short
of ``600 - s`` t: 480 t gives a share of 0.2, 360 t 0.4, 600 t none. Worked by hand:

- two members, only the EU uses ``hree`` and holds none (share 1): Jain over the one
  member with demand is 1^2 / (1 x 1) = 1, gap 0 (counting Japan as 0: 0.5 and 1);
- three members, two with shares 0.2 and 0.2 of ``hree``, the third without: Jain
  0.4^2 / (2 x 0.08) = 1, gap 0 (counting the third: 0.16 / 0.24 = 2/3 and 0.2);
- two members both using ``ree``, shares 0.4 and 0: Jain 0.4^2 / (2 x 0.16) = 0.5, gap 0.4
  (a member with demand and no shortfall counts, as before);
- a member with no demand at all is left out of the index over all materials too: two
  members short 0.4 and 0.4 of ``ree`` and a third using nothing give 1 and 0 (2/3 and 0.4
  counting it).

Each world runs through both engines (the SimPy engine's ``Result.metrics`` and the fast
path's summary), which share :class:`~simulator.metrics.SummaryAccumulator`, and the
comparison's row for a run without the agreement (:func:`~simulator.metrics.members_burden`)
gives the same index and gap.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.fastpath import run_batch
from simulator.metrics import members_burden
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, add_material, run

DAILY_T = 10
HORIZON = 60


def world(stocks: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Regions using the materials named, each at 10 t/day with the stock given (t), all supply cut; no agreement."""
    materials = sorted({m for held in stocks.values() for m in held} or {"ree"})
    return {
        "name": "fair",
        "horizon_days": HORIZON,
        "materials": {m: {"price_usd_per_kg": 50} for m in materials},
        "suppliers": {"china": {"lead_time_days": dict.fromkeys(stocks, 5)}},
        "regions": {
            region: {
                "demand": {m: {"tonnes_per_day": DAILY_T} for m in held},
                "commercial_stock": {m: {"tonnes": t} for m, t in held.items()},
                "sourcing": {m: {"china": 1.0} for m in held},
            }
            for region, held in stocks.items()
        },
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": list(stocks), "start": -100, "end": 1000}
        ],
    }


def fairness(data: dict[str, Any]) -> dict[str, float]:
    """Jain's index and the gap, over all materials and per material, from the SimPy engine.

    Checked first to be those of the fast path bit for bit, and of :func:`members_burden`
    over all materials.
    """
    names = ("fairness_jain", "max_shortfall_share_gap")
    metrics = run(data).metrics
    reference = {k: v for k, v in metrics.items() if k.split(".")[0] in names}
    plan = compile_plan(validate_data(data, "test"))
    summary = run_batch(stack_plans([plan]), draw_batch([plan], [0])).summary
    fast = {}
    for name in names:
        fast[name] = float(summary[f"agreement.{name}"][0])
        for i, material in enumerate(plan.structure.materials):
            fast[f"{name}.all.{material}"] = float(summary[f"by_material.{name}"][0, i])
    assert fast == reference
    members = list(data["agreement"]["members"]) if "agreement" in data else list(data["regions"])
    _, jain, gap = members_burden(metrics, members)
    assert (jain, gap) == (reference["fairness_jain"], reference["max_shortfall_share_gap"])
    return reference


def test_a_material_one_member_uses_is_not_unfair_to_the_member_without_it():
    data = copy.deepcopy(TWO_MEMBERS)  # with the agreement: its members, pooling ree only
    add_material(data, "hree", {"price_usd_per_kg": 150}, tonnes_per_day=DAILY_T)
    for block in ("demand", "commercial_stock", "sourcing"):
        del data["regions"]["japan"][block]["hree"]
    m = fairness(data)
    assert m["fairness_jain.all.hree"] == 1.0  # the EU alone uses it (short of all of it): not 0.5
    assert m["max_shortfall_share_gap.all.hree"] == 0.0  # not 1
    assert m["fairness_jain.all.ree"] < 1  # both use ree, pooled 30 t each, unequally drawn: counted as before


def test_two_equal_shares_and_a_member_without_the_material_are_equal():
    m = fairness(world({"japan": {"hree": 480}, "eu": {"hree": 480}, "korea": {"ree": 600}}))
    assert m["fairness_jain.all.hree"] == pytest.approx(1.0, abs=1e-12)  # not 2/3
    assert m["max_shortfall_share_gap.all.hree"] == pytest.approx(0.0, abs=1e-12)  # not 0.2
    assert m["fairness_jain.all.ree"] == 1.0  # only korea uses ree, and is not short: no burden
    assert m["max_shortfall_share_gap.all.ree"] == 0.0
    # over all materials every region has demand: korea's share 0 counts, as before; shares 0.2,
    # 0.2, 0: (0.4)^2 / (3 x 0.08) = 2/3
    assert m["fairness_jain"] == pytest.approx(2 / 3, abs=1e-12)
    assert m["max_shortfall_share_gap"] == pytest.approx(0.2, abs=1e-12)


def test_a_member_with_demand_and_no_shortfall_still_counts():
    m = fairness(world({"japan": {"ree": 360}, "eu": {"ree": 600}}))
    assert m["fairness_jain.all.ree"] == pytest.approx(0.5, abs=1e-12)
    assert m["max_shortfall_share_gap.all.ree"] == pytest.approx(0.4, abs=1e-12)
    assert (m["fairness_jain"], m["max_shortfall_share_gap"]) == (
        m["fairness_jain.all.ree"],
        m["max_shortfall_share_gap.all.ree"],
    )


def test_a_member_without_any_demand_is_left_out_over_all_materials():
    m = fairness(world({"japan": {"ree": 360}, "eu": {"ree": 360}, "korea": {}}))
    assert m["fairness_jain"] == pytest.approx(1.0, abs=1e-12)  # not 2/3
    assert m["max_shortfall_share_gap"] == pytest.approx(0.0, abs=1e-12)  # not 0.4
    assert m["fairness_jain.all.ree"] == pytest.approx(1.0, abs=1e-12)
