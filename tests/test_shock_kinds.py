"""Every shock kind of the schema is known wherever a kind is looked up by name.

The kinds are the members of the schema's ``Shock`` union (``simulator/scenario/schema.py``).
The places below read a kind from a table or a branch with a fallback, so a new kind they
do not know is no error there: it silently perceives no risk, shows its raw name in
legends, or is recompiled when swept. These
tests fail instead, each naming the place to edit (the recipe is in docs/architecture.md,
"... a shock kind").
"""

from __future__ import annotations

import typing
from types import SimpleNamespace

import pytest

from simulator import quantities
from simulator.kernel.shocks import SUPPLY_KINDS
from simulator.plots import KIND_NAMES
from simulator.randomness import _shock_values
from simulator.scenario.schema import Delay, Licensing, Shock
from simulator.shock_effects import IDLE
from simulator.sweep.patch import _MAGNITUDE

MODELS: dict[str, type] = {
    typing.get_args(model.model_fields["kind"].annotation)[0]: model
    for model in typing.get_args(typing.get_args(Shock)[0])
}
"""Each kind's name (its ``kind`` literal) and its schema model."""
KINDS = sorted(MODELS)

NOT_SUPPLY = {
    "delay": "ships everything, later: it stops nothing and has no perceived severity",
    "demand_surge": "raises demand; it cuts no supply",
}
"""Kinds that are not in ``SUPPLY_KINDS`` (a market perceives no supply risk from them), and why."""
NOT_PATCHED = {
    Delay: "a fixed extra_days sets the plan's first day (compile_plan makes room before day 0), so a new value "
    "needs a new compile",
    Licensing: "approval_share also sets the plan's processing_weights and its default perceived severity",
}
"""Kinds whose size a sweep does not patch into the compiled plan (``sweep.patch._MAGNITUDE``), and why."""
NEVER_IDLE = {
    "export_quota": "caps in tonnes: a quota's room depends on the orders it meets, so no size stops nothing for sure",
    "licensing": "reviews every shipment: even an approval share of 1 delays what it approves",
}
"""Kinds left out of ``shock_effects.IDLE`` (no size at which they do nothing), and why."""
SIZES = {
    "embargo": "fraction",
    "quota_cut": "fraction",
    "delay": "whole days",
    "demand_surge": "not negative",
    "export_quota": "not negative",
    "licensing": "not negative",  # approval_share: a fixed fraction, bounded by the schema
}
"""How ``randomness._shock_values`` bounds each kind's size, fixed or drawn."""
BOUNDED = {
    # sizes -0.5, 0.4, 1.6, 2.4 become:
    "fraction": [0.0, 0.4, 1.0, 1.0],
    "whole days": [0.0, 0.0, 2.0, 2.0],
    "not negative": [0.0, 0.4, 1.6, 2.4],
}


def test_the_kinds_are_read_from_the_schema():
    # the tests below would pass vacuously on an empty list
    assert KINDS == ["delay", "demand_surge", "embargo", "export_quota", "licensing", "quota_cut"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_cuts_supply_or_says_why_not(kind):
    assert (kind in SUPPLY_KINDS) != (kind in NOT_SUPPLY), (
        f"shock kind {kind!r}: add it to SUPPLY_KINDS in simulator/kernel/shocks.py if it cuts supply (a market "
        "then perceives its risk), or else to NOT_SUPPLY in tests/test_shock_kinds.py with the reason"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_has_a_display_name(kind):
    assert kind in KIND_NAMES, (
        f"shock kind {kind!r}: give it a display name in KIND_NAMES (simulator/plots/shock_words.py)"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_is_described_in_the_shocks_table(kind):
    described = {q.name: q.description for q in quantities.SHOCK_TABLE}
    assert kind in described["kind"], (
        f"shock kind {kind!r}: list it in the description of 'kind' in SHOCK_TABLE (simulator/quantities.py)"
    )
    column = quantities.SHOCK_SIZE_COLUMN.get(kind)
    assert column in described, (
        f"shock kind {kind!r}: name the shocks.csv column that holds its size in SHOCK_SIZE_COLUMN, "
        "and add the column to SHOCK_TABLE if its unit is new (simulator/quantities.py)"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_swept_size_is_patched_or_says_why_not(kind):
    model = MODELS[kind]
    assert (model in _MAGNITUDE) != (model in NOT_PATCHED), (
        f"shock kind {kind!r}: add its size field to _MAGNITUDE in simulator/sweep/patch.py (a swept size is then "
        "patched into the plan), or else add it to NOT_PATCHED in tests/test_shock_kinds.py with the reason"
    )
    if model in _MAGNITUDE:
        assert _MAGNITUDE[model] in model.model_fields, (kind, _MAGNITUDE[model])


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_has_a_size_that_does_nothing_or_says_why_not(kind):
    """Figures, legends and the report leave out a shock that does nothing as written only if its kind is in
    ``shock_effects.IDLE``: a kind in neither list would always be drawn as acting, whatever its size."""
    assert (kind in IDLE) != (kind in NEVER_IDLE), (
        f"shock kind {kind!r}: add it to IDLE in simulator/shock_effects.py with the size at which it does "
        "nothing, or else to NEVER_IDLE in tests/test_shock_kinds.py with the reason"
    )
    if kind in IDLE:
        field = IDLE[kind][1]
        assert field in MODELS[kind].model_fields, f"IDLE[{kind!r}] names {field!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_s_size_is_bounded_as_its_unit_says(kind):
    assert kind in SIZES, (
        f"shock kind {kind!r}: decide how randomness._shock_values (simulator/randomness.py) bounds its size, "
        "and add that to SIZES in tests/test_shock_kinds.py"
    )
    found = [
        _shock_values(SimpleNamespace(kind=kind, start=0, end=10, duration=None, magnitude=size), None)[2]
        for size in (-0.5, 0.4, 1.6, 2.4)
    ]
    assert found == BOUNDED[SIZES[kind]], f"simulator/randomness.py, _shock_values: {kind!r} sizes {found}"


def test_the_market_applies_whatever_demand_factor_the_shocks_give(monkeypatch):
    """Demand follows the shocks' demand factor, not a list of kinds: a new kind that changes
    demand in ``ShockEffects._compute`` needs no flag elsewhere (a 25% drop of a new kind was
    once ignored because the market looked for ``demand_surge`` among the plan's kinds)."""
    from dataclasses import replace

    from simulator.kernel.shocks import ShockEffects
    from tests.helpers import ONE_REGION, build, halt, series
    from tests.helpers import run as simulate

    compute = ShockEffects._compute

    def with_a_drop(self, active):  # an embargo that also lowers demand by a quarter while on
        effects = compute(self, active)
        surge = 1.0 if effects.demand_multiplier is None else effects.demand_multiplier
        return replace(effects, demand_multiplier=surge * (1.0 - 0.25 * active[0][None, None, :]))

    monkeypatch.setattr(ShockEffects, "_compute", with_a_drop)
    demand = series(simulate(build(ONE_REGION, shocks=[halt()])), "demand_t", "japan")
    assert list(demand[9:11]) == [10.0, 7.5] and list(demand[19:21]) == [7.5, 10.0]  # on from day 10 to 19
