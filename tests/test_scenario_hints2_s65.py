"""More scenario messages that point the right way (s65), through ``stockpile validate``.

Every message names the file and the field, exits 2 with no traceback, and says what to write:
``[all]`` in a list of names is told whether leaving the key out means all (in the words
``regions: all`` is told); a misspelt definition that leaves every reference unknown is said
once, at the definition; ``start: day 5`` is told the day number; ``{tonnes: 1,000}`` on one
line is told to leave the commas out. The scenarios are ``TWO_MEMBERS`` (Japan and the EU, one
embargo ``halt`` on China) or ``ONE_REGION`` (Japan alone).
"""

from __future__ import annotations

import copy
import typing
from typing import Any

import pytest
import yaml

from simulator.scenario import schema
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build, invoke, refusals, told, with_shock


def renamed(data: dict[str, Any], plural: str, old: str, new: str) -> dict[str, Any]:
    """A copy of ``data`` with the definition ``old`` under ``plural`` written ``new`` (its references left)."""
    data = copy.deepcopy(data)
    data[plural] = {new if key == old else key: value for key, value in data[plural].items()}
    return data


# --- 1: a list of names holding the word "all" ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path", "expected"),
    [
        # an embargo's regions are required: leaving them out is no way to say all
        (
            build(TWO_MEMBERS, shocks__halt__regions=["all"]),
            "shocks.halt.regions.0",
            "unknown region 'all' (known: eu, japan); list every one for all regions",
        ),
        (
            with_shock(kind="delay", extra_days=3, regions=["all"]),
            "shocks.extra.regions.0",
            "unknown region 'all' (known: eu, japan); leave the key out for all regions",
        ),
        (
            with_shock(kind="licensing", approval_share=0.5, regions=["all"]),
            "shocks.extra.regions.0",
            "unknown region 'all' (known: eu, japan); leave the key out for all regions",
        ),
        (
            with_shock(kind="quota_cut", severity=0.5, materials=["all"]),
            "shocks.extra.materials.0",
            "unknown material 'all' (known: ree); leave the key out for all materials",
        ),
        # the agreement's members are required too (two at least: 'all' beside one member)
        (
            build(TWO_MEMBERS, agreement__members=["all", "japan"]),
            "agreement.members.0",
            "unknown region 'all' (known: eu, japan); list every one for all regions",
        ),
        (
            build(
                ONE_REGION,
                regions__japan__procurement={
                    "quota": {"ree": {"max_share_path": [{"start": 1, "max_share": 0.5, "suppliers": ["all"]}]}}
                },
            ),
            "regions.japan.procurement.quota.ree.max_share_path.0.suppliers.0",
            "unknown supplier 'all' (known: china); leave the key out for all suppliers",
        ),
    ],
)
def test_all_in_a_list_of_names_is_told_how_to_name_every_one(tmp_path, data, path, expected):
    told(tmp_path, data, f"{path}: {expected}\n")


@pytest.mark.parametrize(
    ("path", "written"),
    [("shocks.halt.regions", "regions"), ("agreement.members", "members")],
)
def test_all_in_a_list_and_all_as_the_list_are_told_the_same_way_to_write_all(path, written):
    """``[all]`` and ``all`` are one mistake: the advice after the last ``;`` is the same words."""
    data = build(TWO_MEMBERS, **{path.replace(".", "__"): "all"})
    (as_word,) = refusals(data)
    listed = ["all"] if written == "regions" else ["all", "japan"]
    (in_list,) = refusals(build(TWO_MEMBERS, **{path.replace(".", "__"): listed}))
    assert in_list.rpartition("; ")[2] == as_word.rpartition("; ")[2] == "list every one for all regions"


# --- 2: a misspelt definition, every reference unknown ------------------------------------------------------


@pytest.mark.parametrize(
    ("plural", "old", "new", "expected"),
    [
        (
            "suppliers",
            "china",
            "chna",
            "suppliers.chna: unknown supplier 'china' (known: chna); the supplier defined as 'chna' is never "
            "referred to: is 'chna' the misspelt one?\n",
        ),
        (
            "materials",
            "ree",
            "rre",
            "materials.rre: unknown material 'ree' (known: rre); the material defined as 'rre' is never "
            "referred to: is 'rre' the misspelt one?\n",
        ),
        (
            "regions",
            "eu",
            "euu",
            "regions.euu: unknown region 'eu' (known: euu, japan); the region defined as 'euu' is never "
            "referred to: is 'euu' the misspelt one?\n",
        ),
    ],
)
def test_a_misspelt_definition_is_said_once_at_the_definition(tmp_path, plural, old, new, expected):
    """``chna:`` under ``suppliers`` made each of three references say "did you mean 'chna'?"; ``rre``, eight."""
    output = told(tmp_path, renamed(TWO_MEMBERS, plural, old, new), expected)
    assert output.count(f"unknown {plural[:-1]} '{old}'") == 1
    assert "did you mean" not in output


def test_a_misspelt_reference_to_a_definition_in_use_is_said_at_the_reference(tmp_path):
    """Where the close definition is referred to elsewhere, the reference is the misspelt one: said there."""
    data = build(ONE_REGION, suppliers__lynas={"lead_time_days": {"japan": 30}})
    data["regions"]["japan"]["sourcing"]["ree"] = {"china": 0.5, "lynas": 0.5}
    data["shocks"] = [
        {"id": "halt", "kind": "embargo", "supplier": "chna", "regions": ["japan"], "start": 0, "end": 10}
    ]
    output = told(
        tmp_path, data, "shocks.halt.supplier: unknown supplier 'chna' (known: china, lynas); did you mean 'china'?\n"
    )
    assert "never referred to" not in output
    # the same file with China sourced from no one: 'china' is then never referred to, but 'chna' is named
    # once, so that one reference is as likely the misspelt one as the definition: still said at the reference
    data["regions"]["japan"]["sourcing"]["ree"] = {"lynas": 1.0}
    output = told(
        tmp_path, data, "shocks.halt.supplier: unknown supplier 'chna' (known: china, lynas); did you mean 'china'?\n"
    )
    assert "suppliers.china" not in output and "never referred to" not in output
    # 'chna' named twice (a second shock): the one unused definition is the likelier typo, and is asked about
    data["shocks"].append({**data["shocks"][0], "id": "halt2", "start": 20, "end": 30})
    told(tmp_path, data, "suppliers.china: unknown supplier 'chna' (known: china, lynas); the supplier defined as")


# --- 3: which shocks' regions may be left out ---------------------------------------------------------------


def test_the_guide_says_which_shocks_regions_mean_all_when_left_out_as_the_schema_has_it():
    """An embargo's ``regions`` is required; a delay's, a surge's and a licence regime's default to all."""
    kinds = {
        typing.get_args(model.model_fields["kind"].annotation)[0]: model.model_fields.get("regions")
        for model in typing.get_args(typing.get_args(schema.Shock)[0])  # every kind of shock
    }
    left_out = sorted(kind for kind, field in kinds.items() if field is not None and field.default is None)
    required = sorted(kind for kind, field in kinds.items() if field is not None and field.is_required())
    without = sorted(kind for kind, field in kinds.items() if field is None)
    assert (left_out, required, without) == (
        ["delay", "demand_surge", "licensing"],
        ["embargo"],
        ["export_quota", "quota_cut"],
    )
    guide = " ".join((ROOT / "docs" / "writing-scenarios.md").read_text(encoding="utf-8").split())
    assert (
        "Left out, `regions` means every region for a `delay`, a `demand_surge` and `licensing`; an `embargo` "
        "must list its target regions (every one, for all); a `quota_cut` and an `export_quota` have no `regions`"
    ) in guide
    assert "leave the key out for all. " not in guide  # (said of every shock, an embargo's regions too)


# --- 4: a day written in words -------------------------------------------------------------------------------


def test_a_day_in_words_is_told_the_day_number_which_means_the_same(tmp_path):
    told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__start="day 5"),
        "shocks.halt.start: not a valid date 'day 5': write the day number alone, 5, or a date (YYYY-MM-DD)\n",
    )
    told(tmp_path, build(TWO_MEMBERS, shocks__halt__start="soon"), "write a day number or a date (YYYY-MM-DD)\n")
    assert refusals(build(TWO_MEMBERS, shocks__halt__start=5)) == []  # what it is told to write validates


# --- 5: a number with commas in braces -----------------------------------------------------------------------

STOCK_LINE = "      ree: {tonnes: 0}\n"
"""``TWO_MEMBERS``'s Japanese stock as ``yaml.safe_dump(..., default_flow_style=None)`` writes it."""


@pytest.mark.parametrize(
    ("written", "read_as", "meant"),
    [
        ("1,000", "is read as 1 and a key 000", "1000"),
        # more than one comma: three keys; naming the first two alone would hide the rest
        ("1,250,000.5", "is split at its commas", "1250000.5"),
        ("12,500", "is read as 12 and a key 500", "12500"),
    ],
)
def test_a_number_with_commas_in_braces_is_told_to_leave_the_commas_out(tmp_path, written, read_as, meant):
    """``'000' is octal in YAML 1.1`` (at the stock, not its tonnes) was all ``{tonnes: 1,000}`` was told."""
    text = yaml.safe_dump(TWO_MEMBERS, sort_keys=False, default_flow_style=None)
    assert text.count(STOCK_LINE) == 2
    text = text.replace(STOCK_LINE, f"      ree: {{tonnes: {written}}}\n", 1)
    line = text[: text.index(written)].count("\n") + 1
    output = told(
        tmp_path,
        text,
        f"regions.japan.commercial_stock.ree.tonnes: '{written}' in braces {read_as} (a comma ends a "
        f"value there): write {meant}, without the commas (line {line})\n",
    )
    assert "octal" not in output and output.count("error:") == 1
    assert yaml.safe_load(text.replace(written, meant))["regions"]["japan"]["commercial_stock"]["ree"] == {
        "tonnes": float(meant) if "." in meant else int(meant)
    }


# --- the guide quotes the messages as they are given ------------------------------------------------------------


def test_writing_scenarios_quotes_the_new_messages_as_they_are_given(tmp_path):
    guide = " ".join((ROOT / "docs" / "writing-scenarios.md").read_text(encoding="utf-8").split())
    quoted = [
        *refusals(build(TWO_MEMBERS, shocks__halt__regions=["all"])),
        *refusals(build(TWO_MEMBERS, shocks__halt__start="day 5")),
        *refusals(renamed(TWO_MEMBERS, "suppliers", "china", "chna")),
    ]
    for message in quoted:
        assert f"`{message}`" in guide, message
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nhorizon_days: {tonnes: 1,000}\n")
    (line,) = invoke("validate", path).output.splitlines()
    said = line.removeprefix(f"error: {path}: horizon_days.tonnes: ").removesuffix(" (line 2)")
    assert f"`{said}`" in guide
