"""What a researcher reads when a file or a path is wrong (session 59's walkthrough): each message
names the file and the field or path given, says the cause in words, exits 2 without a traceback.

A tolerance-file typo gets "did you mean"; a NaN is echoed; a non-scenario YAML in a scenario folder
is told as one; a --set mapping without a space after its colons is told as that; a field dedented
under a mapping of materials is told as a misplaced field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import TWO_MEMBERS, assert_bad_input, invoke


def scenario_file(tmp_path: Path, data: dict | None = None, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data or TWO_MEMBERS, sort_keys=False))
    return path


def with_baseline(tmp_path: Path) -> Path:
    """A scenario folder holding TWO_MEMBERS and its baseline."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    scenario_file(folder, name="pair.yaml")
    assert invoke("check", "--update", folder).exit_code == 0
    return folder


def test_a_misspelled_metric_in_the_tolerance_file_gets_the_name_it_may_mean(tmp_path):
    folder = with_baseline(tmp_path)
    (folder / "baselines" / "tolerances.yaml").write_text("metrics:\n  total_shortfal_t: {atol: 0.01}\n")
    result = invoke("check", folder)
    assert_bad_input(
        result,
        "baselines/tolerances.yaml: metrics.total_shortfal_t: unknown metric; "
        "did you mean 'total_shortfall_t'? (known: auction_revenue_usd, ",  # the suggestion before the long list
    )


def test_a_misspelled_top_key_of_the_tolerance_file_gets_the_key_it_may_mean(tmp_path):
    folder = with_baseline(tmp_path)
    (folder / "baselines" / "tolerances.yaml").write_text("metric:\n  total_shortfall_t: {atol: 0.01}\n")
    assert_bad_input(
        invoke("check", folder),
        "tolerances.yaml: metric: unknown key (known: default, metrics, retired, scenarios); did you mean 'metrics'?",
    )


@pytest.mark.parametrize(("written", "echoed"), [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf")])
def test_a_non_finite_number_is_echoed_as_a_ratio_s_is(tmp_path, written, echoed):
    path = scenario_file(tmp_path)
    text = path.read_text().replace("horizon_days: 60", f"horizon_days: {written}")
    assert text != path.read_text()
    path.write_text(text)
    assert_bad_input(invoke("validate", path), f"s.yaml: horizon_days: must be a finite number, got {echoed}")


def test_a_non_finite_number_given_by_set_is_echoed(tmp_path):
    path = scenario_file(tmp_path)
    result = invoke("run", path, "--set", "horizon_days=.nan", "-o", tmp_path / "out")
    assert_bad_input(result, "horizon_days: must be a finite number, got nan")


def test_a_yaml_file_that_is_no_scenario_in_a_checked_folder_is_told_as_one(tmp_path):
    folder = with_baseline(tmp_path)
    (folder / "notes.yaml").write_text("title: my notes\nitems: [a, b]\n")
    result = invoke("check", folder)
    assert_bad_input(
        result,
        "notes.yaml: not a scenario: none of its keys (title, items) is a scenario key",
        f"in a folder whose name starts with '_' ({folder}/_notes/)",
    )
    assert "is required" not in result.output
    assert "ok           pair" in result.output  # the scenario beside it is still checked
    mistyped = tmp_path / "mistyped.yaml"  # a key near a scenario's (nme) is a typo of it: the ordinary messages
    mistyped.write_text("nme: x\ntitle: t\n")
    result = invoke("validate", mistyped)
    assert_bad_input(result, "nme: unknown key; did you mean 'name'?", "horizon_days: is required")
    assert "not a scenario" not in result.output


def test_a_set_mapping_without_spaces_after_its_colons_says_so_once_per_key(tmp_path):
    path = scenario_file(tmp_path)
    result = invoke("run", path, "--set", "agreement.release_cap_t_per_day={ree:15,other:0.3}", "-o", tmp_path / "o")
    assert_bad_input(
        result,
        "agreement.release_cap_t_per_day: key 'ree:15' has no value: YAML needs a space after the colon "
        "({ree: 15}, not {ree:15})",
        "key 'other:0.3' has no value: YAML needs a space after the colon ({other: 0.3}, not {other:0.3})",
    )
    assert result.output.count("error:") == 2, result.output
    assert "must be lower-case letters" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_field_dedented_among_the_materials_is_told_as_a_misplaced_field(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(TWO_MEMBERS))
    region = next(iter(data["regions"]))
    material = next(iter(data["regions"][region]["demand"]))
    tonnes = data["regions"][region]["demand"][material]["tonnes_per_day"]
    data["regions"][region]["demand"] = {material: None, "tonnes_per_day": tonnes}
    path = scenario_file(tmp_path, data)
    result = invoke("validate", path)
    assert_bad_input(
        result,
        f"s.yaml: regions.{region}.demand.tonnes_per_day: 'tonnes_per_day' is a field of a material, not a material "
        f"(known materials: {', '.join(data['materials'])}): probably mis-indented, one level too far left; "
        f"write it under {material}, which is empty: {material}: {{tonnes_per_day: {tonnes}}}",
    )
    assert "e.g. {tonnes_per_day:" not in result.output
