"""stockpile check: baselines, drift detection with what moved, tolerances, JUnit, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import ROOT, TWO_MEMBERS, build


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scenario folder with two small scenarios and their fresh baselines."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, start_date="2010-07-01")))
    shutil.copy(ROOT / "scenarios" / "embargo_2010_historical.yaml", folder)
    result = invoke("check", "--update", folder)
    assert result.exit_code == 0, result.output
    return folder


def test_check_passes_on_a_fresh_tree(repo):
    result = invoke("check", repo)
    assert result.exit_code == 0, result.output
    assert "ok           pair" in result.output and "2 scenario(s) checked" in result.output


def test_baselines_are_sorted_diff_friendly_json(repo):
    text = (repo / "baselines" / "pair.json").read_text()
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == "stockpile-baseline/1" and len(data["scenario_hash"]) == 64
    assert data["metrics"]["total_shortfall_t"] == pytest.approx(60 * 100 - 60)  # 60 t pool, 100 t/day short
    assert data["curves"]["days"]["sampled"][:3] == [0.0, 7.0, 14.0]
    assert text.count("\n") > 100  # one value per line


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        node = data
        parts = key.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_a_changed_horizon_is_drift_naming_scenario_region_material_metric(repo):
    edit(repo / "pair.yaml", horizon_days=50)
    result = invoke("check", repo)
    assert result.exit_code == 1, result.output
    assert "drift        pair" in result.output and "(scenario changed since its baseline)" in result.output
    rows = [line.split() for line in result.output.split("\nscenario ", 1)[1].splitlines()[1:] if line.strip()]
    assert ["pair", "eu", "ree", "shortfall_t"] in [row[:4] for row in rows]
    assert "stockpile check --update" in result.output
    assert invoke("check", "--update", repo).exit_code == 0
    assert invoke("check", repo).exit_code == 0


def test_a_moved_shock_end_is_drift(repo):
    edit(repo / "embargo_2010_historical.yaml", shocks__1__end="2010-12-28")  # the halt to Japan lasts 2 months more
    result = invoke("check", repo, "--format", "json")
    assert result.exit_code == 1
    outcomes = {o["scenario"]: o for o in json.loads(result.output)}
    assert outcomes["pair"]["status"] == "ok"
    moved = outcomes["embargo_2010_historical"]["drifts"]
    japan_light = [d for d in moved if d["region"] == "japan" and d["material"] == "light_ree"]
    assert any(d["metric"] == "shortfall_t" and d["baseline"] == 0 and d["now"] > 0 for d in japan_light)


def test_junit_report_has_one_case_per_scenario_failing_ones_marked(repo, tmp_path):
    edit(repo / "pair.yaml", horizon_days=50)
    report = tmp_path / "check.xml"
    assert invoke("check", repo, "--junit", report).exit_code == 1
    suite = ElementTree.parse(report).getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"pair", "embargo_2010_historical"}
    assert suite.get("failures") == "1" and suite.get("tests") == "2"
    assert cases["pair"].find("failure") is not None and cases["embargo_2010_historical"].find("failure") is None


def test_tolerances_inside_pass_and_outside_fail(repo):
    # Japan puts 31 t into the pool instead of 30 t: on day 0 the EU receives 41 t instead
    # of 40 t (+2.5%), so its released_t and its cumulative shortfall curve move by 1 t
    edit(repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    assert invoke("check", repo, "--rtol", "0.03").exit_code == 0
    assert invoke("check", repo, "--rtol", "0.02").exit_code == 1
    tolerances = repo / "baselines" / "tolerances.yaml"
    tolerances.write_text(
        yaml.safe_dump({"default": {"rtol": 1e-3, "atol": 1e-3}, "metrics": {"released_t": {"rtol": 0.03}}})
    )
    result = invoke("check", repo)
    assert result.exit_code == 1  # the shortfall curve still moved beyond 1e-3
    table = result.output.split("\nscenario ", 1)[1]
    assert "shortfall_cum_t" in table and "released_t" not in table
    tolerances.write_text(
        yaml.safe_dump(
            {
                "default": {"rtol": 1e-3, "atol": 1e-3},
                "metrics": {"released_t": {"rtol": 0.03}, "shortfall_cum_t": {"atol": 1.0}},
            }
        )
    )
    assert invoke("check", repo).exit_code == 0


def test_a_scenario_without_baseline_is_reported_not_a_crash(repo):
    (repo / "new.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, name="new")))
    result = invoke("check", repo)
    assert result.exit_code == 2
    assert "no baseline  new" in result.output and "Traceback" not in result.output


def test_corrupt_or_foreign_baselines_and_unknown_tolerance_metrics_exit_2(repo):
    (repo / "baselines" / "pair.json").write_text("{not json")
    result = invoke("check", repo)
    assert result.exit_code == 2 and "pair.json: corrupt baseline" in result.output
    (repo / "baselines" / "pair.json").write_text(json.dumps({"format": "something else"}))
    assert "not a stockpile baseline" in invoke("check", repo).output
    invoke("check", "--update", repo)
    (repo / "baselines" / "tolerances.yaml").write_text(yaml.safe_dump({"metrics": {"shortfal_t": {"rtol": 1}}}))
    result = invoke("check", repo)
    assert result.exit_code == 2 and "tolerances.yaml: metrics.shortfal_t: unknown metric" in result.output


def test_list_prints_each_scenario_with_its_question():
    result = invoke("list", ROOT / "scenarios")
    assert result.exit_code == 0
    assert "embargo_2010_historical" in result.output and "How many days of cover" in result.output
