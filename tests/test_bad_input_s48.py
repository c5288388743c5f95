"""Bad input that was accepted silently (audit s48): each is refused with exit 2 naming the file and the field.

The scenario is ``TINY_SCENARIO_TEXT`` (Japan 10 t/day of ``ree`` from ``china``, 40 days) unless a
test says otherwise. A refusal writes nothing and runs nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.scenario import apply_overrides, read_yaml, validate_data
from simulator.scenario.notes import scenario_notes
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import TINY_SCENARIO_TEXT, TWO_MEMBERS, assert_bad_input, build, forbid_simulation, invoke


def tiny(tmp_path: Path, text: str = TINY_SCENARIO_TEXT, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- 1: a --set, --grid or --axis path through a material or supplier the scenario does not have ------------


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        (
            "materials.re.price_usd_per_kg=20",
            "materials.re: unknown material 're' (known: ree); did you mean 'ree'?",
        ),
        (
            "suppliers.chna.lead_time_days.japan=3",
            "suppliers.chna: unknown supplier 'chna' (known: china); did you mean 'china'?",
        ),
        (
            "regions.japn.demand.ree.tonnes_per_day=3",
            "regions.japn: unknown region 'japn' (known: japan); did you mean 'japan'?",
        ),
    ],
)
def test_a_set_through_a_misspelled_id_is_refused_naming_it(tmp_path, monkeypatch, assignment, expected):
    scenario = tiny(tmp_path)
    forbid_simulation(monkeypatch)
    result = invoke("run", scenario, "--set", assignment, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"{scenario} [set {assignment}]: {expected}")
    assert not (tmp_path / "out").exists()


def test_a_grid_axis_through_a_misspelled_material_is_refused_before_any_run(tmp_path, monkeypatch):
    """It used to give three identical points: the price of a new material nobody buys."""
    scenario = tiny(tmp_path)
    forbid_simulation(monkeypatch)
    result = invoke("sweep", scenario, "--grid", "materials.re.price_usd_per_kg=10:20:5", "-o", tmp_path / "sw")
    assert_bad_input(result, str(scenario), "materials.re: unknown material 're'", "did you mean 'ree'?")
    assert not (tmp_path / "sw").exists()


def _with_co(text: str) -> str:
    """``text`` with a second material, ``co``: Japan needs 1 t/day of it, all from China."""
    text = text.replace("  ree: {price_usd_per_kg: 50}\n", "  ree: {price_usd_per_kg: 50}\n  co: {}\n")
    text = text.replace(
        "      ree: {tonnes_per_day: 10}\n", "      ree: {tonnes_per_day: 10}\n      co: {tonnes_per_day: 1}\n"
    )
    return text.replace("      ree: {china: 1.0}\n", "      ree: {china: 1.0}\n      co: {china: 1.0}\n")


TWO_MATERIALS = _with_co(TINY_SCENARIO_TEXT)
"""The tiny scenario with a second material, ``co``, that the compare baselines below lack."""


def test_a_set_the_compare_baseline_cannot_take_stops_with_exit_2_naming_the_baseline(tmp_path, monkeypatch):
    """docs/outputs.md: a change the baseline cannot take stops the command (here: a material it lacks)."""
    mine, baseline = tiny(tmp_path, TWO_MATERIALS, "two.yaml"), tiny(tmp_path, name="base.yaml")
    validate_data(read_yaml(mine), str(mine))  # the run's own scenario is valid and has co
    forbid_simulation(monkeypatch)
    result = invoke(
        "run", mine, "--compare", baseline, "--set", "materials.co.price_usd_per_kg=10", "-o", tmp_path / "out"
    )
    assert_bad_input(
        result,
        f"{baseline}: materials.co: unknown material 'co' (known: ree)",
        "--set applies to the --compare baseline too",
    )
    assert not (tmp_path / "out").exists()


def test_a_material_of_the_run_set_whole_is_not_added_to_a_compare_baseline_without_it(tmp_path, monkeypatch):
    """Set whole, a material the run has would have been added to the baseline, which uses none of it."""
    mine, baseline = tiny(tmp_path, TWO_MATERIALS, "two.yaml"), tiny(tmp_path, name="base.yaml")
    forbid_simulation(monkeypatch)
    result = invoke(
        "run", mine, "--compare", baseline, "--set", "materials.co={price_usd_per_kg: 9}", "-o", tmp_path / "o"
    )
    assert_bad_input(
        result,
        f"{baseline}: materials.co: the baseline has no material 'co' (--set applies to the --compare baseline "
        "too; compare with a baseline that has it)",
    )
    assert not (tmp_path / "o").exists()


def test_a_whole_new_supplier_can_still_be_set_and_one_nobody_buys_from_gets_a_note(tmp_path):
    data = read_yaml(tiny(tmp_path))
    added = apply_overrides(data, [("suppliers.korea", {"lead_time_days": {"japan": 3}})])
    assert added["suppliers"]["korea"] == {"lead_time_days": {"japan": 3}}
    assert "korea" not in data["suppliers"]  # the data it was made from is unchanged
    notes = [f"{n.path}: {n.message}" for n in scenario_notes(validate_data(added, "s.yaml"))]
    assert notes == [
        "suppliers.korea: no region can buy from 'korea' (none it has a lead time to sources from it, "
        "re-sources to spare capacity or has a quota), so it changes nothing"
    ]


def test_a_set_deeper_than_an_id_still_creates_missing_mappings():
    data = load_yaml(TINY_SCENARIO_TEXT)
    changed = apply_overrides(data, [("regions.japan.reserve.ree.days", 30)])
    assert changed["regions"]["japan"]["reserve"] == {"ree": {"days": 30}}
    with pytest.raises(InputError) as caught:
        apply_overrides(data, [("materials.ree2.price_usd_per_kg", 1)])
    assert [p.path for p in caught.value.problems] == ["materials.ree2"]


def test_validate_notes_a_material_and_a_supplier_nobody_uses_and_still_passes(tmp_path):
    text = TINY_SCENARIO_TEXT.replace("  ree: {price_usd_per_kg: 50}\n", "  ree: {price_usd_per_kg: 50}\n  ree2: {}\n")
    text = text.replace(
        "  china: {lead_time_days: {japan: 5}}\n",
        "  china: {lead_time_days: {japan: 5}}\n  acme: {lead_time_days: {japan: 9}}\n",
    )
    scenario = tiny(tmp_path, text)
    result = invoke("validate", scenario)
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("note:")] == [
        f"note: {scenario}: materials.ree2: no region has demand, stock or sourcing of 'ree2', so it changes "
        "nothing; did you mean 'ree'?",
        f"note: {scenario}: suppliers.acme: no region can buy from 'acme' (none it has a lead time to sources "
        "from it, re-sources to spare capacity or has a quota), so it changes nothing",
    ]


# --- 2: a record with a quote left open ----------------------------------------------------------------------

HISTORICAL = Path(__file__).resolve().parent.parent / "scenarios" / "embargo_2010_historical.yaml"
RECORD = Path(__file__).resolve().parent.parent / "scenarios" / "records" / "rare_earths_2010_2012.csv"


def open_quote_record(tmp_path: Path) -> Path:
    """The shipped record with the closing quote of row 2's source taken out (the audit's file).

    Read on, the open value took in row 3 up to its own first quote: 33 rows were read instead of 34.
    """
    text = RECORD.read_text(encoding="utf-8")
    assert text.count('2010-07",') == 1
    path = tmp_path / "open.csv"
    path.write_text(text.replace('2010-07",', "2010-07,"), encoding="utf-8")
    return path


OPEN_QUOTE = (
    "row 2: the quoted value on line 2 does not end with a quote before a comma or the line's end "
    """(',' expected after '"', line 3): close its quote (a quote inside a value is written "")"""
)


@pytest.mark.parametrize(
    "command",
    [
        ("calibrate", "--fit", "market.light_ree.price.sensitivity=0.5:12", "--population", 4, "--iterations", 1),
        ("report",),
        ("run", "--report"),
    ],
)
def test_a_record_with_a_quote_left_open_is_refused_naming_the_row_and_line(tmp_path, monkeypatch, command):
    record = open_quote_record(tmp_path)
    forbid_simulation(monkeypatch)
    out = tmp_path / ("page.html" if command[0] == "report" else "out")
    result = invoke(command[0], HISTORICAL, "--record", record, *command[1:], "-o", out)
    assert_bad_input(result, f"{record}: {OPEN_QUOTE}")
    assert not out.exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # the file ends inside a quoted value
            '\n2010-08-01,price,world,light_ree,,day,"5\n',
            "row 2: the quoted value on line 3 does not end with a quote before a comma or the line's end "
            """(the file ends inside it): close its quote (a quote inside a value is written "")""",
        ),
        (  # pandas read ``"world" ,`` as ``world``; the strict reader says what is wrong there
            '2010-08-01,price,"world" ,light_ree,,day,5\n',
            "row 2: on line 2, a quote must be followed by a comma or the line's end: take out what follows "
            'the closing quote (such as a space before the comma); a quote inside a value is written ""',
        ),
    ],
)
def test_a_record_s_badly_quoted_value_is_refused_saying_what_is_wrong(tmp_path, rows, expected):
    from simulator.calibrate import read_record
    from simulator.scenario import load_scenario

    path = tmp_path / "r.csv"
    path.write_text("date,quantity,region,material,supplier,period,value\n" + rows)
    with pytest.raises(InputError) as caught:
        read_record(path, load_scenario(HISTORICAL))
    assert str(caught.value) == f"{path}: {expected}"


# --- 3: follows names the earlier licence terms a shock replaces, and goes round no cycle --------------------

LICENSING = Path(__file__).resolve().parent.parent / "scenarios" / "china_2025_licensing.yaml"


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        (
            "shocks.no18_licences.follows=october_2025_expansion",
            "shocks.no18_licences.follows: 'october_2025_expansion' starts on 2025-10-09 (day 281), not before "
            "this shock, which starts on 2025-07-01 (day 181): a shock follows the earlier licence terms it replaces",
        ),
        (
            "shocks.no18_licences_initial.follows=no18_licences",
            "shocks.no18_licences_initial.follows: the shocks follow each other round in a cycle "
            "(no18_licences_initial -> no18_licences -> no18_licences_initial)",
        ),
    ],
)
def test_follows_of_a_later_shock_or_round_a_cycle_is_refused(tmp_path, monkeypatch, assignment, expected):
    forbid_simulation(monkeypatch)
    result = invoke("run", LICENSING, "--set", assignment, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"{LICENSING} [set {assignment}]: {expected}")
    assert not (tmp_path / "out").exists()


def licensing(shock_id: str, start: int, end: int, **fields: object) -> dict:
    return {"id": shock_id, "kind": "licensing", "supplier": "china", "start": start, "end": end, **fields}


def with_shocks(*shocks: dict) -> dict:
    data = load_yaml(TINY_SCENARIO_TEXT)
    data["shocks"] = list(shocks)
    return data


def test_follows_must_name_the_last_terms_before_the_shock_in_time_not_in_the_file():
    # the successor may come first in the file; the shocks' windows may leave a gap or overlap
    # (the shipped study varies the first's end and the second's start apart)
    validate_data(with_shocks(licensing("b", 20, 30, follows="a"), licensing("a", 5, 15)), "s.yaml")
    validate_data(with_shocks(licensing("a", 5, 25), licensing("b", 20, 30, follows="a")), "s.yaml")
    # a licence on some of the materials between two on every material is another regime: it is not skipped
    # over (in a scenario of one material, a licence on it is one on every material: tests/test_mutants_s49_checks)
    two_materials = load_yaml(TWO_MATERIALS)
    two_materials["shocks"] = [
        licensing("a", 5, 15),
        licensing("heavy", 10, 30, materials=["co"]),
        licensing("b", 20, 30, follows="a"),
    ]
    validate_data(two_materials, "s.yaml")
    # nor is a licence on some regions only between two worldwide ones (china_2025_licensing's
    # japan_slower_approvals); None and the list of every region are the same targets
    two_regions = with_shocks(
        licensing("a", 5, 15), licensing("j", 10, 30, regions=["japan"]), licensing("b", 20, 30, follows="a")
    )
    two_regions["suppliers"]["china"]["lead_time_days"]["eu"] = 5
    two_regions["regions"]["eu"] = two_regions["regions"]["japan"]
    validate_data(two_regions, "s.yaml")
    two_regions["shocks"][1]["regions"] = ["eu", "japan"]
    with pytest.raises(InputError, match=r"'j' starts after 'a' and before this shock, on 2010-07-11 \(day 10\)"):
        validate_data(two_regions, "s.yaml")
    skipped = with_shocks(licensing("a", 5, 15), licensing("m", 10, 20), licensing("b", 20, 30, follows="a"))
    with pytest.raises(InputError) as caught:
        validate_data(skipped, "s.yaml")
    assert caught.value.render() == (
        "s.yaml: shocks.b.follows: 'm' starts after 'a' and before this shock, on 2010-07-11 (day 10): a shock "
        "follows the terms it replaces, the last before it ('m')"
    )
    same_day = with_shocks(licensing("a", 20, 25), licensing("b", 20, 30, follows="a"))
    with pytest.raises(
        InputError,
        match=r"'a' starts on 2010-07-21 \(day 20\), not before this shock, which starts on 2010-07-21 \(day 20\)",
    ):
        validate_data(same_day, "s.yaml")


# --- 4: a region named twice in a shock, a ratio short of a member, a dependency step naming no supplier ------

BASE = Path(__file__).resolve().parent.parent / "scenarios" / "long_embargo_6m.yaml"
QUOTAS = Path(__file__).resolve().parent.parent / "scenarios" / "quota_diversification.yaml"
BATTERY = Path(__file__).resolve().parent.parent / "scenarios" / "battery_materials.yaml"


@pytest.mark.parametrize(
    ("scenario", "assignment", "expected"),
    [
        (
            BASE,
            "shocks.china_embargo.regions=[japan, japan]",
            "shocks.china_embargo.regions: must be unique: 'japan' given twice",
        ),
        (
            BASE,
            "agreement.members=[japan, eu, japan]",
            "agreement.members: must be unique: 'japan' given twice",
        ),
        (
            BASE,
            "agreement.ratio={japan: 1.0}",
            "agreement.ratio: every member needs a ratio; missing: eu (a ratio of 0 gives it no share)",
        ),
        (
            QUOTAS,
            "regions.eu.procurement.quota.light_ree.max_share_path.0.suppliers=[]",
            "regions.eu.procurement.quota.light_ree.max_share_path.0.suppliers: an empty list names no supplier: "
            "leave suppliers out to cap every supplier, or name them",
        ),
        (
            BASE,
            "shocks.china_embargo.materials=[]",
            "shocks.china_embargo.materials: an empty list names no material: leave materials out for all "
            "materials, or name them",
        ),
        (
            BATTERY,
            "shocks.refined_export_licences.regions=[]",
            "shocks.refined_export_licences.regions: an empty list names no region: leave regions out for all "
            "regions, or name them",
        ),
    ],
)
def test_a_list_that_names_nothing_or_twice_is_refused(tmp_path, monkeypatch, scenario, assignment, expected):
    forbid_simulation(monkeypatch)
    result = invoke("run", scenario, "--set", assignment, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"{scenario} [set {assignment}]: {expected}")
    assert not (tmp_path / "out").exists()


def test_a_ratio_the_mechanism_does_not_share_by_is_not_checked_as_a_whole():
    """Under proportional_to_demand the ratio is unused: a member added without one, or a ratio that no
    longer sums to 1, was refused for a value the run never reads; under fair_ratio both still are."""
    data = read_yaml(BASE)  # members japan and eu, ratio 0.57 / 0.43, hybrid
    for ratio in ({"japan": 1.0}, {"japan": 0.5}):
        changes = [("agreement.mechanism", "proportional_to_demand"), ("agreement.ratio", ratio)]
        validate_data(apply_overrides(data, changes), str(BASE))
    with pytest.raises(InputError) as caught:
        validate_data(apply_overrides(data, [("agreement.ratio", {"japan": 0.5})]), str(BASE))
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [
        "agreement.ratio: every member needs a ratio; missing: eu (a ratio of 0 gives it no share)",
        "agreement.ratio: ratios must sum to 1 (they sum to 0.5, 0.5 short)",
    ]


def test_a_ratio_key_naming_a_former_member_is_a_note_when_the_ratio_is_unused_and_an_error_when_used():
    """--set agreement.members=[japan, korea] on a file whose ratio names eu: under proportional_to_demand
    the ratio is never read, so its eu key is noted, not refused; under fair_ratio it is still refused."""
    data = build(TWO_MEMBERS, agreement__mechanism="proportional_to_demand")
    data["regions"]["korea"] = data["regions"]["japan"]
    data["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 30}}, "korea": {"ree": {"tonnes": 30}}}
    changed = apply_overrides(data, [("agreement.members", ["japan", "korea"])])  # ratio still japan/eu 0.5
    notes = [f"{p.path}: {p.message}" for p in scenario_notes(validate_data(changed, "t"))]
    assert notes == [
        "agreement.ratio.eu: 'eu' is no member (known: japan, korea); the ratio is unused under "
        "'proportional_to_demand', so it changes nothing"
    ]
    with pytest.raises(InputError) as caught:
        validate_data(apply_overrides(changed, [("agreement.mechanism", "fair_ratio")]), "t")
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [
        "agreement.ratio.eu: 'eu' is a region but not in agreement.members: list it there, or remove this entry",
    ]


def test_a_ratio_of_0_for_a_member_is_still_a_ratio_per_member():
    data = load_yaml(BASE.read_text())
    validate_data(apply_overrides(data, [("agreement.ratio", {"japan": 1.0, "eu": 0.0})]), str(BASE))


# --- 5: a page is not written over a link of the user's ------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("report",), ("explore", "--axis", "regions.japan.demand.ree.tonnes_per_day=8,12", "--workers", 1)]
)
def test_a_page_refuses_a_link_of_the_users_and_leaves_it_and_its_target(tmp_path, monkeypatch, command):
    scenario = tiny(tmp_path)
    mine = tmp_path / "mine.html"
    mine.write_text("<!DOCTYPE html>\n<p>my page</p>\n")
    link = tmp_path / "link.html"
    link.symlink_to("mine.html")
    forbid_simulation(monkeypatch)
    result = invoke(command[0], scenario, *command[1:], "-o", link)
    assert_bad_input(result, f"{link}: is a link to mine.html, not a page stockpile wrote: remove the link or choose")
    assert link.is_symlink() and os.readlink(link) == "mine.html"
    assert mine.read_text() == "<!DOCTYPE html>\n<p>my page</p>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "mine.html", "s.yaml"]


def test_the_json_schema_tells_an_editor_that_an_empty_list_of_names_is_refused():
    """Leaving ``regions``, ``materials`` or a step's ``suppliers`` out means all; an empty list is refused (above). The
    schema an editor validates against says so (``minItems: 1`` on the array), so the editor flags it too."""
    import json

    result = invoke("schema")
    assert result.exit_code == 0, result.output
    defs = json.loads(result.output)["$defs"]
    fields = [(kind, "materials") for kind in ("Embargo", "QuotaCut", "Delay", "DemandSurge", "Licensing")]
    fields += [(kind, "regions") for kind in ("Delay", "DemandSurge", "Licensing")] + [("ShareStep", "suppliers")]
    for kind, name in fields:
        (array,) = [a for a in defs[kind]["properties"][name]["anyOf"] if a.get("type") == "array"]
        assert array["minItems"] == 1, (kind, name)
