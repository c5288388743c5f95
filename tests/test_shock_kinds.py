"""Every shock kind of the schema is known wherever a kind is looked up by name.

The kinds are the members of the schema's ``Shock`` union (``simulator/scenario/schema.py``).
The places below read a kind from a table or a branch with a fallback, so a new kind they
do not know is no error there: it silently perceives no risk, shows its raw name in
legends, or is recompiled when swept. These
tests fail instead, each naming the place to edit (the recipe is in docs/architecture.md,
"... a shock kind"). Each kind also has an example shock here (``EXAMPLES``), on the one-region
world of tests/helpers.py: it must change a run (its effect in the kernel), be worded and
shaded in figures, and the kinds and size columns must be those the user pages list.
"""

from __future__ import annotations

import typing
from pathlib import Path
from types import SimpleNamespace

import pytest

from simulator import quantities
from simulator.kernel.shocks import SUPPLY_KINDS
from simulator.plots import KIND_NAMES
from simulator.randomness import _shock_values
from simulator.scenario.schema import Delay, Shock
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
    assert KINDS == ["delay", "demand_surge", "embargo", "export_quota", "licensing", "quota_cut"], (
        "the Shock union of simulator/scenario/schema.py has changed: add the new kind here, then follow "
        "docs/architecture.md, '... a shock kind'"
    )


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


EXAMPLES: dict[str, dict[str, object]] = {
    "embargo": {"supplier": "china", "regions": ["japan"], "severity": 0.5},
    "quota_cut": {"supplier": "china", "severity": 0.5},
    "delay": {"supplier": "china", "extra_days": 7},
    "demand_surge": {"factor": 1.5},
    "export_quota": {"supplier": "china", "tonnes_per_period": 50, "period_days": 10},
    "licensing": {"supplier": "china", "approval_share": 0.5, "processing_days": 5},
}
"""One shock of each kind on ``helpers.ONE_REGION`` (Japan, 10 t/day of ree from China, 5 days away), at a size
that acts: not the size ``shock_effects.IDLE`` says does nothing."""
SHADES = {
    "embargo": 0.675,  # stops severity 0.5 of the flow, none leaking: 0.35 + 0.65 x 0.5
    "quota_cut": 0.675,  # the same: severity 0.5
    "licensing": 0.675,  # refuses (1 - approval 0.5) x end-use share 1 = 0.5 of the flow: 0.35 + 0.65 x 0.5
    "delay": 0.8,  # the other kinds: 0.8
    "demand_surge": 0.8,
    "export_quota": 0.8,
}
"""The shade (fill opacity) of each example shock, by ``plots.shock_bands.shock_shade``'s documented rule: 0.35 +
0.65 x the share of the flow an embargo or quota cut stops or a licence requirement refuses, and 0.8 for others."""
PHYSICAL = ("demand_t", "arrivals_t", "shortfall_t")
"""The daily flows a shock that acts must move (its perceived risk alone is not an effect)."""


def _example(kind: str) -> dict[str, object]:
    assert kind in EXAMPLES, (
        f"shock kind {kind!r}: add an example shock of it to EXAMPLES in tests/test_shock_kinds.py (fields beyond "
        "id, kind and window; on helpers.ONE_REGION, at a size that acts)"
    )
    return {"id": kind, "kind": kind, "start": 10, "end": 20, **EXAMPLES[kind]}


def _flows(shocks: list[dict[str, object]]) -> dict[str, list[float]]:
    from tests.helpers import ONE_REGION, build, run, series

    result = run(build(ONE_REGION, shocks=shocks))
    return {flow: list(series(result, flow, "japan")) for flow in PHYSICAL}


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_at_a_size_that_acts_changes_a_run(kind):
    """A kind the kernel does not name does nothing at all (``ShockEffects._compute`` passes over it): a run with
    the shock must differ from the run without it in demand, arrivals or shortfall."""
    shock = _example(kind)
    if kind in IDLE:
        idle_size, field, _ = IDLE[kind]
        assert shock[field] != idle_size, f"EXAMPLES[{kind!r}] must act: {field} {idle_size} does nothing"
    assert _flows([shock]) != _flows([]), (
        f"shock kind {kind!r} changes nothing in a run: give it its effect in simulator/kernel/shocks.py, "
        "ShockEffects._compute (or in kernel/border.py for a kind with a state at the border)"
    )


def test_every_kind_is_worded_and_shaded():
    """The legend, the report's words and the shade (``SHADES``) of every kind, from one run holding one shock of each.

    A kind ``plots.shock_words.shock_severity`` does not word reads as its raw ``shocks.csv`` column name
    (``demand_cut_share 0.25``): the test asks for words of its own."""
    from simulator.plots import shock_label, shock_severity, shock_shade
    from tests.helpers import ONE_REGION, build, run

    result = run(build(ONE_REGION, shocks=[_example(kind) for kind in KINDS]))
    for index, kind in enumerate(KINDS):
        label = shock_label(result, index)
        assert label.startswith(f"{KIND_NAMES[kind]}: "), label
        severity = shock_severity(result, index)
        assert quantities.SHOCK_SIZE_COLUMN[kind] not in severity, (
            f"shock kind {kind!r} is worded {severity!r}: word its size in simulator/plots/shock_words.py, "
            "shock_severity (and whom it acts on in shock_target if it is not a supplier's shipments or a demand)"
        )
        assert kind in SHADES, f"shock kind {kind!r}: work out its example's shade and add it to SHADES here"
        assert shock_shade(result, index) == pytest.approx(SHADES[kind]), (
            kind,
            "simulator/plots/shock_bands.py, shock_shade: 0.35 + 0.65 x the share stopped, or 0.8",
        )


def _with_an_unworded_kind(kind: str):
    """A run of a demand surge by 1.5 on Japan whose shock the words read as of ``kind``, a kind they do not
    name (the shocks table still says ``demand_surge``, so its size is found)."""
    from tests.helpers import ONE_REGION, build, run

    result = run(build(ONE_REGION, shocks=[_example("demand_surge")]))
    result.scenario.shocks[0] = result.scenario.shocks[0].model_copy(update={"kind": kind})
    return result


def test_a_kind_without_a_supplier_the_words_do_not_name_acts_on_demand():
    # once shock_target asked names.supplier(None) and stopped `stockpile run` with an AttributeError
    from simulator.plots import shock_target

    assert shock_target(_with_an_unworded_kind("a_new_kind"), 0) == "demand of Japan"


def test_a_kind_the_words_do_not_name_reads_as_its_size_not_as_a_demand_surge():
    # once every kind not named was worded "demand x<size>": a 25% demand cut read "demand x0.25"
    from simulator.plots import shock_severity

    assert shock_severity(_with_an_unworded_kind("a_new_kind"), 0) == "size 1.5"


def test_a_kind_the_plan_does_not_name_stops_compilation_naming_the_step():
    from simulator.plan import _shock_plan

    with pytest.raises(AssertionError, match=r"shock kind 'a_new_kind': .* _shock_plan .* step 2"):
        _shock_plan(None, SimpleNamespace(kind="a_new_kind"), ["japan"], ["ree"], ["china"])


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
"""How the user pages count the kinds and the size columns (``Six kinds``, ``always these seven``)."""
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _table_after(text: str, heading: str) -> list[list[str]]:
    """The cells of the first Markdown table after ``heading``, header and rule left out."""
    rows = []
    for line in text.split(heading, 1)[1].split("\n|", 1)[1].split("\n\n", 1)[0].splitlines()[2:]:
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_outputs_page_lists_the_size_columns_of_shocks_csv():
    """docs/outputs.md, ``shocks.csv``: "always these seven in this order" and a row per size column, naming the
    kinds that fill it, as ``quantities.SHOCK_TABLE`` and ``SHOCK_SIZE_COLUMN`` have them."""
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    names = [q.name for q in quantities.SHOCK_TABLE]
    sizes = names[names.index("last_date") + 1 :]
    rows = {row[0].strip("`"): row[2] for row in _table_after(text, "### `shocks.csv`")}
    where = "docs/outputs.md, shocks.csv (a shock kind's size column, docs/architecture.md '... a shock kind' step 4)"
    words = " ".join(text.split())  # however the paragraph is wrapped
    assert f"always these {NUMBER_WORDS[len(sizes)]} in this order" in words, f"{where}: count {len(sizes)} columns"
    assert list(rows) == sizes, f"{where}: list the columns {sizes} in this order"
    for kind, column in quantities.SHOCK_SIZE_COLUMN.items():
        assert f"`{kind}`" in rows[column], f"{where}: the row of {column!r} must say it is filled for {kind!r}"


def test_the_scenario_page_lists_every_kind():
    """docs/writing-scenarios.md, Shocks: "Six kinds, chosen by `kind`" and a row per kind of the ``Shock`` union."""
    text = (DOCS / "writing-scenarios.md").read_text(encoding="utf-8")
    where = "docs/writing-scenarios.md, Shocks (docs/architecture.md, '... a shock kind' step 7)"
    assert f"\n{NUMBER_WORDS[len(KINDS)].capitalize()} kinds, chosen by `kind`:" in text, f"{where}: count the kinds"
    listed = [row[0].strip("`") for row in _table_after(text, "kinds, chosen by `kind`:")]
    assert sorted(listed) == KINDS, f"{where}: give each kind a row, {KINDS}"
