"""An edited baseline of a scenario that changed too: the message says not every difference is the edit.

It listed where the baseline "differs from this run", which it introduces as the likely edit;
with the scenario changed as well (an audit raised a region's demand 8% and touched one
metric of the baseline), the first places named were the scenario's moves, none the edit.
The tiny scenario ``pair`` of ``tests/test_check.py``: Japan 20 t/day, the EU 80 t/day, a 60 t
pool, 60 days cut off: 6,000 - 60 = 5,940 t short in all.
"""

from __future__ import annotations

import json

import pytest
import yaml

from tests import test_check
from tests.test_check import check

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo

TOO = "(the scenario changed since its baseline too, at regions.japan: not every difference is the edit)"


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (  # Japan's demand 20 -> 30 t/day over 60 days: 1,200 -> 1,800 t, named first; the edit is in the 13 more
            lambda data: data["regions"]["japan"]["demand"]["ree"].update(tonnes_per_day=30),
            f"metrics.demand_t.japan (1200, this run 1800), {{...}} and 13 more {TOO}",
        ),
        (  # not read by the run: the one difference is the edit
            lambda data: data.update(description="pair, described"),
            "metrics.total_shortfall_t (5000, this run 5940)",
        ),
    ],
    ids=["demand", "description"],
)
def test_an_edited_baseline_of_a_changed_scenario_says_the_differences_are_not_all_the_edit(pair_repo, edit, where):
    path = pair_repo / "baselines" / "pair.json"
    data = json.loads(path.read_text())
    data["metrics"]["total_shortfall_t"] = 5000.0  # the run gives 5,940
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    scenario = yaml.safe_load((pair_repo / "pair.yaml").read_text())
    edit(scenario)
    (pair_repo / "pair.yaml").write_text(yaml.safe_dump(scenario))
    result = check(pair_repo)
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split()[2:]).split(" 1 scenario of ")[0]  # after "error pair"
    head, _, tail = where.partition("{...}")
    said = message.removesuffix(
        f": restore it from version control, or rewrite it with stockpile check --update {pair_repo}/pair.yaml"
    )
    assert said.startswith(
        f"{path}: baseline edited since it was written: its numbers (metrics, curves) no longer match its "
        f"numbers_sha256; it differs from this run at {head}"
    ), message
    assert said.endswith(tail or head) and said != message, message
