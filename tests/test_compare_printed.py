"""What `stockpile compare` prints: a rule that could not run and a former rule name (audit 41, findings 2 and 3)."""

from __future__ import annotations

import yaml

from tests.helpers import TWO_MEMBERS, invoke


def _write(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    return path


def test_a_rule_that_cannot_run_is_a_line_with_why_not_a_row_of_nan(tmp_path):
    out = tmp_path / "cmp"
    result = invoke("compare", _write(tmp_path), "--mechanisms", "fair_ratio,auction", "-o", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "NaN" not in result.output and "<NA>" not in result.output
    # the scenario without its agreement first, then each member's share alone, the rule that ran, what the
    # first two rows are, what "no pool" is (a lone "-" until s65), the rule that did not
    assert [line.split()[0] for line in lines[1:8]] == ["no", "own", "fair_ratio", "no", "own", "no", "not"]
    assert lines[6].startswith("no pool: a metric that needs the pool")
    assert lines[7].startswith("not run: auction: ") and "bids" in lines[7]
    # the figure names it too
    assert (out / "compare.png").is_file()


def test_a_former_rule_name_is_noted(tmp_path):
    args = ["compare", _write(tmp_path), "--mechanisms", "proportional,fair_ratio", "--no-plots", "-o", tmp_path / "c"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "note: proportional is the former name of proportional_to_demand: compared as proportional_to_demand" in (
        result.output
    )
    assert [line.split()[0] for line in result.output.splitlines() if line.strip().startswith("proportional")] == [
        "proportional_to_demand"
    ]
