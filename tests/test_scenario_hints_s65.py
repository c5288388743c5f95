"""Scenario messages that say what to write (s65): each mistake a new user made, through ``stockpile validate``.

Every message names the file and the field, exits 2 with no traceback, and says what to write
instead: a list of names for ``regions: all`` (and whether leaving the key out means all), the
days and the tonnes forms of a stock given as a bare number, the choices of a field of choices
with the close one, a duration written with its unit in days, the field a unit-less key means,
and what an empty file should hold. The scenarios are ``TWO_MEMBERS`` (Japan and the EU, one
embargo ``halt``) or ``ONE_REGION`` (Japan alone) with one change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.mechanisms import NAMES
from tests.helpers import (
    ONE_REGION,
    ROOT,
    TWO_MEMBERS,
    assert_bad_input,
    build,
    invoke,
    refusals,
    run,
    told,
    with_shock,
)

RULES = ", ".join(f"'{name}'" for name in NAMES[:-1]) + f" or '{NAMES[-1]}'"
"""The release rules as a message lists them: 'hybrid', 'fair_ratio', ... or 'talmud'."""


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# --- 1: a list of names written as one word -----------------------------------------------------------------


def test_an_embargo_on_all_regions_is_told_to_list_them_as_it_has_no_default(tmp_path):
    """An embargo's ``regions`` is required (it names its targets): leaving it out is no way to say all."""
    told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__regions="all"),
        "shocks.halt.regions: must be a list, not 'all': a list of region names, e.g. [japan, eu]; "
        "list every one for all regions\n",
    )


@pytest.mark.parametrize(
    ("fields", "field", "kind"),
    [
        ({"kind": "delay", "extra_days": 3, "regions": "all"}, "regions", "region"),
        ({"kind": "demand_surge", "factor": 1.2, "regions": "all"}, "regions", "region"),
        ({"kind": "licensing", "approval_share": 0.5, "regions": "all"}, "regions", "region"),
        ({"kind": "quota_cut", "severity": 0.5, "materials": "all"}, "materials", "material"),
    ],
)
def test_a_list_that_means_all_when_left_out_says_so(tmp_path, fields, field, kind):
    names = "[japan, eu]" if kind == "region" else "[ree]"  # the scenario's first two names of the kind
    told(
        tmp_path,
        with_shock(**fields),
        f"shocks.extra.{field}: must be a list, not 'all': a list of {kind} names, e.g. {names}; "
        f"leave the key out for all {kind}s\n",
    )


def test_a_share_steps_suppliers_as_all_is_told_to_leave_the_key_out(tmp_path):
    step = {"start": 1, "max_share": 0.5, "suppliers": "all"}
    data = build(ONE_REGION, regions__japan__procurement={"quota": {"ree": {"max_share_path": [step]}}})
    told(
        tmp_path,
        data,
        "regions.japan.procurement.quota.ree.max_share_path.0.suppliers: must be a list, not 'all': "
        "a list of supplier names, e.g. [china]; leave the key out for all suppliers\n",
    )


def test_one_member_written_without_brackets_is_shown_as_a_list(tmp_path):
    told(
        tmp_path,
        build(TWO_MEMBERS, agreement__members="japan"),
        "agreement.members: must be a list, not 'japan': a list of region names, e.g. [japan]\n",
    )


def test_a_delay_told_to_leave_regions_out_for_all_delays_every_region_without_them(tmp_path):
    """The message, and its claim checked on the model: no ``regions`` runs as every region listed."""
    delay = {"id": "late", "kind": "delay", "supplier": "china", "start": 0, "end": 30, "extra_days": 10}
    base = build(TWO_MEMBERS, shocks=[delay])
    told(tmp_path, build(base, shocks__late__regions="all"), "leave the key out for all regions\n")
    left_out, listed = run(base), run(build(base, shocks__late__regions=["japan", "eu"]))
    only_japan = run(build(base, shocks__late__regions=["japan"]))
    assert left_out.timeseries.equals(listed.timeseries)
    assert not left_out.timeseries.equals(only_japan.timeseries)  # the delay moves the EU's arrivals too


# --- 2: a stock given as a bare number ----------------------------------------------------------------------


def test_a_commercial_stock_as_a_number_is_shown_in_days_and_in_tonnes(tmp_path):
    """``cobalt: 45`` meant 45 days as often as 45 t: the hint gave only ``{tonnes: 45}``."""
    told(
        tmp_path,
        build(ONE_REGION, regions__japan__commercial_stock__ree=45),
        "regions.japan.commercial_stock.ree: must be a mapping of fields, not 45: "
        "e.g. {days: 45} (days of the region's demand) or {tonnes: 45}\n",
    )


def test_a_reserve_as_a_number_is_shown_in_its_three_forms(tmp_path):
    told(
        tmp_path,
        build(ONE_REGION, regions__japan__reserve={"ree": 60}),
        "regions.japan.reserve.ree: must be a mapping of fields, not 60: e.g. {days: 60} (days of the region's "
        "demand), {tonnes: 60} or {net_import_days: 60} (days of its net imports)\n",
    )


def test_a_pool_contribution_as_a_number_counts_days_of_the_members_own_demand(tmp_path):
    told(
        tmp_path,
        build(TWO_MEMBERS, agreement__pool__contributions__japan__ree=30),
        "agreement.pool.contributions.japan.ree: must be a mapping of fields, not 30: e.g. {days: 30} (days of "
        "the member's own demand), {tonnes: 30} or {net_import_days: 30} (days of its net imports)\n",
    )


# --- 3: a value that is not one of a field's choices ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # a plain choice with no close value: the choices and the value, no guess
        ("agreement.pool.mode", "shared", "must be one of 'joint' or 'national', not 'shared'\n"),
        # a close one
        (
            "agreement.pool.mode",
            "nationl",
            "must be one of 'joint' or 'national', not 'nationl'; did you mean 'national'?",
        ),
        # not text at all
        ("agreement.pool.mode", 3, "must be one of 'joint' or 'national', not 3\n"),
        # a named set of choices (the release rules)
        (
            "agreement.mechanism",
            "pro_rata",
            f"must be one of {RULES}, not 'pro_rata'; did you mean 'proportional_to_demand'?",
        ),
        # a choice or a mapping (settlement: grant, or {kind: loan, ...})
        ("agreement.settlement", "grnt", "must be one of 'grant', 'sale' or 'loan', not 'grnt'; did you mean 'grant'?"),
        # a choice in a list item's entry
        ("shocks.halt.on_halt", "hold", "must be one of 'lost' or 'held', not 'hold'; did you mean 'held'?"),
        # a choice in a region's nested policy, written with dashes
        (
            "regions.japan.procurement.replenishment.policy",
            "order-up-to",
            "must be one of 'flow' or 'order_up_to', not 'order-up-to'; did you mean 'order_up_to'?",
        ),
    ],
)
def test_a_value_that_is_no_choice_is_told_the_choices_and_the_close_one(tmp_path, path, value, expected):
    output = told(tmp_path, build(TWO_MEMBERS, **{path.replace(".", "__"): value}), f"{path}: {expected}")
    assert "Input should be" not in output


def test_a_choice_set_by_run_names_the_set_and_the_choices(tmp_path, monkeypatch):
    from tests.helpers import forbid_simulation

    path = write(tmp_path, TWO_MEMBERS)
    forbid_simulation(monkeypatch)
    result = invoke("run", path, "--set", "agreement.pool.mode=shared", "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {path} [set agreement.pool.mode=shared]: agreement.pool.mode: "
        "must be one of 'joint' or 'national', not 'shared'\n",
    )


# --- 4: other mistakes of a new user --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # 4 months of 365.25 / 12 days: 121.75, written 122
        ("shocks.halt.duration_days", "4 months", "write the days as a number: 122 (4 months is about 122 days)"),
        ("horizon_days", "4 months", "write the days as a number: 122 (4 months is about 122 days)"),
        ("suppliers.china.lead_time_days.japan", "2 weeks", "write the days as a number: 14 (2 weeks is 14 days)"),
        ("regions.japan.commercial_stock.ree.tonnes", "100 t", "write the number alone: 100"),
        ("materials.ree.price_usd_per_kg", "50 USD/kg", "write the number alone: 50"),
        # YAML reads a number with commas between its thousands as text
        ("regions.japan.commercial_stock.ree.tonnes", "1,250.5", "write 1250.5, without the commas"),
    ],
)
def test_a_number_written_with_its_unit_is_told_the_number_to_write(tmp_path, path, value, expected):
    data = build(TWO_MEMBERS, **{path.replace(".", "__"): value})
    if path.endswith("duration_days"):
        data["shocks"][0].pop("end")
    told(tmp_path, data, f"{path}: must be a number, not text: {expected}\n")


def test_a_key_without_its_unit_is_told_the_field_with_it(tmp_path):
    """``duration`` was told "did you mean 'ratio'?" (closer by spelling than ``duration_days``)."""
    data = build(TWO_MEMBERS, shocks__halt__duration=120)
    told(tmp_path, data, "shocks.halt.duration: unknown key; did you mean 'duration_days'?")


def test_an_empty_scenario_file_is_told_what_to_write(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("# my scenario\n")
    assert_bad_input(
        invoke("validate", path),
        f"error: {path}: a scenario must be a YAML mapping of fields, but the file holds no data: write at least "
        "name, horizon_days, materials, suppliers and regions (docs/writing-scenarios.md), or start from a copy of "
        "a shipped scenario (stockpile list scenarios)\n",
    )


def test_writing_scenarios_quotes_the_messages_as_they_are_given():
    """The guide's list of mistakes named as what they probably are, as validation words them."""
    guide = " ".join((ROOT / "docs" / "writing-scenarios.md").read_text(encoding="utf-8").split())
    delay = {"id": "late", "kind": "delay", "supplier": "china", "start": 0, "end": 30, "extra_days": 10}
    cobalt = yaml.safe_load(yaml.safe_dump(ONE_REGION).replace("ree", "cobalt"))
    assert refusals(build(TWO_MEMBERS, shocks=[{**delay, "regions": "all"}])) == [
        "shocks.late.regions: must be a list, not 'all': a list of region names, e.g. [japan, eu]; "
        "leave the key out for all regions"
    ]
    quoted = [
        *refusals(build(TWO_MEMBERS, shocks=[{**delay, "regions": "all"}])),
        *refusals(build(cobalt, regions__japan__commercial_stock__cobalt=45)),
        *refusals(build(TWO_MEMBERS, agreement__pool__mode="nationl")),
    ]
    for message in quoted:
        assert f"`{message}`" in guide, message
    (duration,) = refusals(build(TWO_MEMBERS, shocks=[{**delay, "end": None, "duration_days": "4 months"}]))
    assert f"`{duration.removeprefix('shocks.late.duration_days: ')}`" in guide
    (unitless,) = refusals(build(TWO_MEMBERS, shocks=[{**delay, "duration": 120}]))
    assert unitless.endswith("did you mean 'duration_days'?") and "`did you mean 'duration_days'?`" in guide
