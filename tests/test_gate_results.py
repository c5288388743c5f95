"""The gate and the report on a region's days short over its materials (and later fixes of the gate).

``shortfall_days.<region>`` counts the days the region was short of any material, each once: short
of ``ree`` on days 3 and 4 and of ``b`` on day 4, Japan was short on 2 days (not 3).
"""

from __future__ import annotations

import json

from simulator.report.findings import Run
from simulator.report.tables import region_table
from tests import test_check
from tests.helpers import run
from tests.test_check import check
from tests.test_per_material_metrics import short_on_days_3_4_and_4

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo


def test_the_report_counts_the_days_a_region_was_short_from_the_metric():
    result = run(short_on_days_3_4_and_4())
    assert result.metrics["shortfall_days.japan"] == 2
    table = region_table(Run.of(result), "japan")
    row = next(line for line in table.splitlines() if "Days short" in line)
    assert "2*" in row and "3*" not in row, row


def test_a_tolerance_for_shortfall_days_is_accepted_and_for_the_old_any_count_refused(tmp_path):
    import pytest
    import yaml

    from simulator.errors import InputError
    from simulator.gate.tolerances import load_tolerances

    path = tmp_path / "tolerances.yaml"
    path.write_text(yaml.safe_dump({"metrics": {"shortfall_days_any": {"atol": 1}}}))
    with pytest.raises(InputError, match=r"metrics\.shortfall_days_any: unknown metric"):
        load_tolerances(path)
    path.write_text(yaml.safe_dump({"metrics": {"shortfall_days": {"atol": 1}}}))  # stored: accepted
    assert load_tolerances(path).metrics["shortfall_days"].atol == 1


def _newer(path):
    data = json.loads(path.read_text())
    data["format"] = "stockpile-baseline/9"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))


def test_a_baseline_of_a_later_format_is_said_to_be_a_newer_stockpiles_with_the_corrupt_baselines_advice(pair_repo):
    _newer(pair_repo / "baselines" / "pair.json")
    result = check(pair_repo)
    assert result.exit_code == 2
    said = "pair.json: written by a newer stockpile (format 'stockpile-baseline/9'); this version reads format 2"
    assert said in result.output
    assert "restore it from version control, or delete it and write it anew with stockpile check --update" in (
        " ".join(result.output.split())
    )
    assert "not a stockpile baseline" not in result.output


def test_an_unknown_stockpile_format_is_a_corrupt_baseline(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    path.write_text(path.read_text().replace('"stockpile-baseline/2"', '"stockpile-baseline/x"'))
    result = check(pair_repo)
    assert result.exit_code == 2
    assert "pair.json: corrupt baseline: unknown format 'stockpile-baseline/x'" in result.output


def test_a_later_format_baseline_without_its_scenario_is_not_called_a_stray(pair_repo):
    (pair_repo / "baselines" / "gone.json").write_text((pair_repo / "baselines" / "pair.json").read_text())
    _newer(pair_repo / "baselines" / "gone.json")
    result = check(pair_repo)
    assert "move it out of the folder" not in result.output and "not a stockpile baseline" not in result.output
    assert "gone.json: its scenario file gone.yaml is gone" in result.output


def test_the_parts_the_gate_calls_not_read_are_those_uncertainty_refuses_to_vary():
    from simulator.gate.baseline import TEXT_PARTS
    from simulator.scenario.uncertain import NOT_INPUTS

    assert TEXT_PARTS == ("description", "assumptions", "uncertain")
    assert set(TEXT_PARTS) | {"name"} == NOT_INPUTS
