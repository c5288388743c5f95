"""A field of a drift's edited part at its default on one side shows that default with the word, and one
arrow style (ASCII ``->``) parts a field's two values as it parts a metric's.

- a top-level field removed (``agreement.decision_lag_days: 8`` deleted) is at its default 0 now:
  ``agreement.decision_lag_days 8 -> 0 (default)``, JSON ``missing_from: "now"``;
- a value written out at its default (``severity: 1.0``) and then edited reads ``1 (default) -> 0.8``,
  not ``(default) -> 0.8``, which hid that the file said 1.0.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import TWO_MEMBERS, invoke
from tests.test_gate_git_mgate59 import git  # no GIT_* variable of a hook points it elsewhere

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def baselined(tmp_path: Path, data: dict[str, Any]) -> Path:
    """scenarios/pair.yaml holding ``data`` and its baseline, committed."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "pair.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert invoke("check", "--update", folder).exit_code == 0
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "scenarios and baselines")
    return path


def json_fields(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The JSON outcome of checking ``path`` and every field of its changed parts."""
    (outcome,) = json.loads(invoke("check", path, "--format", "json").output)
    return outcome, [f for p in outcome["changed_parts"] for f in p.get("fields", [])]


def test_a_removed_top_level_field_reads_its_default_now(tmp_path):
    data = copy.deepcopy(TWO_MEMBERS)
    data["agreement"]["decision_lag_days"] = 8
    path = baselined(tmp_path, data)
    del data["agreement"]["decision_lag_days"]  # the schema's default: 0 days
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    outcome, fields = json_fields(path)
    assert fields == [{"field": "agreement.decision_lag_days", "baseline": 8, "now": 0, "missing_from": "now"}]
    assert "agreement.decision_lag_days 8 -> 0 (default)" in outcome["cause"]
    assert "(scenario changed since its baseline: agreement.decision_lag_days 8 -> 0 (default)" in (
        invoke("check", path).output
    )


def test_a_value_written_at_its_default_then_edited_shows_that_value(tmp_path):
    data = copy.deepcopy(TWO_MEMBERS)
    data["shocks"][0]["severity"] = 1.0  # written out, equal to the default: not in the part's data
    path = baselined(tmp_path, data)
    data["shocks"][0]["severity"] = 0.8
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    outcome, fields = json_fields(path)
    assert fields == [{"field": "shocks.halt.severity", "baseline": 1.0, "now": 0.8, "missing_from": "baseline"}]
    assert outcome["cause"].startswith("scenario changed since its baseline: shocks.halt.severity 1 (default) -> 0.8")


@pytest.mark.parametrize("form", ["text", "markdown", "github"])
def test_one_arrow_parts_the_two_values_of_fields_and_metrics(tmp_path, form):
    """EU demand 80 -> 81 t/d moves the numbers: the field and every metric read ``->``, no other arrow."""
    path = baselined(tmp_path, copy.deepcopy(TWO_MEMBERS))
    data = yaml.safe_load(path.read_text())
    data["regions"]["eu"]["demand"]["ree"]["tonnes_per_day"] = 81
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = invoke("check", path, "--format", form)
    assert result.exit_code == 1, result.output
    shown = result.output.replace("\\", "")  # Markdown escapes '_' and '>'
    assert "regions.eu.demand.ree.tonnes_per_day 80 -> 81" in shown
    if form != "text":  # the one-line summary (text shows the table only)
        assert "total_shortfall_t 5940 -> 6000" in shown  # 60 days of EU demand 1 t/d higher, all short
    assert "→" not in shown
