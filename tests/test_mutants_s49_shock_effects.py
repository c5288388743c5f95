"""Which shocks do nothing as written (:func:`simulator.shock_effects.idle_in`), case by case.

Each case is a shock list whose answer follows from what the kernel reads (docs in
:mod:`simulator.shock_effects`): an embargo of severity 0 still acts on the days, in the run, on which it
alone raises a flag the kernel reads (its targets' price premium, the hybrid rule's switch). The sizes and
days are given as the explorer gives them (None: drawn at random), so that each boundary is set by hand.
Written against hand-applied mutants of ``shock_effects.py`` that the earlier tests let through.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.plan import compile_plan
from simulator.scenario import validate_data
from simulator.shock_effects import KnownShocks, idle_in
from tests.helpers import TWO_MEMBERS, add_material, build, hybrid_pair, run

PREMIUM = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3}}}
"""Regions an embargo aims at alone (not every region) pay the world price x 1.3 for its materials."""


def embargo(sid: str, regions: list[str], **fields: Any) -> dict[str, Any]:
    return {"id": sid, "kind": "embargo", "supplier": "china", "regions": regions, "start": 10, "end": 50, **fields}


def idle(data: dict[str, Any], sizes: list, starts: list, ends: list, index: int = 0) -> str | None:
    """``idle_in`` for shock ``index`` of ``data`` (its shocks replaced by the caller), with these sizes and days."""
    scenario = validate_data(data, "test")
    return idle_in(KnownShocks(scenario, compile_plan(scenario).structure, sizes, starts, ends), index)


def priced(*shocks: dict[str, Any]) -> dict[str, Any]:
    """TWO_MEMBERS (60 days, Japan and the EU) with the premium market and only ``shocks``."""
    data = build(TWO_MEMBERS, market=PREMIUM)
    data["shocks"] = list(shocks)
    return data


def three_regions(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with Korea, a third region sourcing from China as Japan does (no member of any agreement)."""
    data["regions"]["korea"] = copy.deepcopy(data["regions"]["japan"])
    data["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    return data


def test_a_shock_of_a_kind_with_no_size_of_no_effect_acts():
    """An export quota of 0 t stops every shipment: it is no switch left off, whatever its size reads."""
    quota = {"id": "quota", "kind": "export_quota", "supplier": "china", "start": 10, "end": 60, "tonnes_per_period": 0}
    assert idle(priced(quota), [0.0], [10.0], [60.0]) is None


def test_a_demand_surge_below_one_acts():
    """A factor of 0.5 halves demand: only a factor of exactly 1 leaves it as it was."""
    surge = {"id": "surge", "kind": "demand_surge", "start": 10, "end": 20, "factor": 0.5}
    assert idle(priced(surge), [0.5], [10.0], [20.0]) is None
    assert idle(priced(dict(surge, factor=1.0)), [1.0], [10.0], [20.0]) == "demand \u00d71"


@pytest.mark.parametrize(("start", "end"), [(None, None), (None, 50.0), (10.0, None)])
def test_an_embargo_of_nothing_on_days_drawn_at_random_may_act(start, end):
    """Japan alone, with the premium: on fixed days 10-49 it acts; drawn days may be any, so it may act too."""
    assert idle(priced(embargo("switch", ["japan"], severity=0.0)), [0.0], [start], [end]) is None


@pytest.mark.parametrize(("start", "end"), [(0, 1), (-5, 1), (59, 60), (59, 80)])
def test_an_embargo_of_nothing_in_force_one_day_of_the_run_acts(start, end):
    """In force on day 0 only (from day 0 or from before the run) or on day 59 only (the last of 60): Japan pays
    the premium on that one day."""
    data = priced(embargo("switch", ["japan"], severity=0.0, start=start, end=end))
    assert idle(data, [0.0], [float(start)], [float(end)]) is None


@pytest.mark.parametrize(("start", "end"), [(60, 80), (-20, 0)])
def test_an_embargo_of_nothing_outside_the_run_does_nothing(start, end):
    """Days 60-79 come after the run's 60 days, days -20 to -1 before it: no day of the run pays a premium."""
    data = priced(embargo("switch", ["japan"], severity=0.0, start=start, end=end))
    assert idle(data, [0.0], [float(start)], [float(end)]) == "severity 0"


def test_the_premium_is_read_only_for_the_embargos_materials():
    """Two materials, the premium on cobalt only, the embargo of nothing on rare earths only: it sets no premium,
    so it does nothing; on cobalt (or every material) it would. The run agrees: Japan pays cobalt's world price."""
    data = add_material(priced(), "co", {"price_usd_per_kg": 30})
    data["market"] = {
        "ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}},
        "co": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3}},
    }
    data["shocks"] = [embargo("switch", ["japan"], severity=0.0, materials=["ree"])]
    assert idle(data, [0.0], [10.0], [50.0]) == "severity 0"
    ts = run(data).timeseries.set_index(["region", "material", "day"])["price_usd_per_kg"]
    assert ts["japan", "co", 30] == pytest.approx(ts["eu", "co", 30])
    data["shocks"] = [embargo("switch", ["japan"], severity=0.0, materials=["co"])]
    assert idle(data, [0.0], [10.0], [50.0]) is None


def test_two_embargoes_of_nothing_both_act():
    """Two severity-0 embargoes on Japan over the same days: neither is an embargo of a size above 0 that would
    raise the premium without it, so each is said to act (either one sets Japan's premium)."""
    data = priced(embargo("a", ["japan"], severity=0.0), embargo("b", ["japan"], severity=0.0))
    assert [idle(data, [0.0, 0.0], [10.0, 10.0], [50.0, 50.0], k) for k in (0, 1)] == [None, None]


def test_another_embargo_of_unknown_size_or_days_covers_nothing():
    """The other embargo on Japan may draw severity 0 (size None), or other days (day None): it cannot be counted
    on to raise the premium on the switch's days, so the switch acts. With a fixed size and days it would."""
    data = priced(embargo("switch", ["japan"], severity=0.0), embargo("halt", ["japan"]))
    days = [10.0, 10.0], [50.0, 50.0]
    assert idle(data, [0.0, 1.0], *days) == "severity 0"
    assert idle(data, [0.0, None], *days) is None
    assert idle(data, [0.0, 1.0], [10.0, None], [50.0, 50.0]) is None
    assert idle(data, [0.0, 1.0], [10.0, 10.0], [50.0, None]) is None


def test_another_embargo_naming_the_material_covers_it():
    """The halt on Japan names rare earths (the premium's material) over the same days: the switch adds nothing."""
    data = priced(embargo("switch", ["japan"], severity=0.0), embargo("halt", ["japan"], materials=["ree"]))
    assert idle(data, [0.0, 1.0], [10.0, 10.0], [50.0, 50.0]) == "severity 0"


def test_a_day_the_other_embargo_leaves_out_is_one_the_switch_acts_on():
    """The halt on Japan covers days 10-48 (its end, 49, is the first day it is over), the switch days 10-49: on
    day 49 only the switch raises Japan's premium, so it acts; from day 9 to 50 the halt covers every day."""
    data = priced(embargo("switch", ["japan"], severity=0.0), embargo("halt", ["japan"], end=49))
    assert idle(data, [0.0, 1.0], [10.0, 10.0], [50.0, 49.0]) is None
    assert idle(data, [0.0, 1.0], [10.0, 9.0], [50.0, 50.0]) == "severity 0"


def test_each_target_of_the_switch_counts_on_its_own():
    """Three regions; the switch (severity 0) on Japan and the EU, a halt on Japan only: the EU's premium is the
    switch's alone, so it acts; with the halt on both, it does nothing."""
    data = three_regions(priced(embargo("switch", ["japan", "eu"], severity=0.0), embargo("halt", ["japan"])))
    assert idle(data, [0.0, 1.0], [10.0, 10.0], [50.0, 50.0]) is None
    data["shocks"][1]["regions"] = ["japan", "eu"]
    assert idle(data, [0.0, 1.0], [10.0, 10.0], [50.0, 50.0]) == "severity 0"


def _hybrid(trigger: dict[str, Any] | None = None) -> dict[str, Any]:
    data = hybrid_pair()
    data["shocks"] = [embargo("switch", ["japan"], severity=0.0, end=20)]
    if trigger is not None:
        data["agreement"]["trigger"] = trigger
    return data


def test_a_rule_that_switches_on_either_signal_still_reads_the_declared_embargo():
    """``switch_on: either`` switches the hybrid rule on a declared embargo as well as on a measured loss: the
    switch on Japan (a member) acts; ``switch_on: measured_loss`` reads no declaration, so there it does not."""
    either = _hybrid({"measured_loss": {"window_days": 7}, "switch_on": "either"})
    assert idle(either, [0.0], [10.0], [20.0]) is None
    measured = _hybrid({"measured_loss": {"window_days": 7}, "switch_on": "measured_loss"})
    assert idle(measured, [0.0], [10.0], [20.0]) == "severity 0"


def test_an_embargo_of_nothing_on_no_member_switches_nothing():
    """Hybrid between Japan and the EU, Korea outside: an embargo of severity 0 on Korea alone is against no
    member (and there is no premium), so it does nothing; on Japan it switches the rule."""
    data = three_regions(_hybrid())
    data["shocks"][0]["regions"] = ["korea"]
    assert idle(data, [0.0], [10.0], [20.0]) == "severity 0"
    data["shocks"][0]["regions"] = ["japan"]
    assert idle(data, [0.0], [10.0], [20.0]) is None
