"""An empty sourcing block is told its sum, not a traceback (rounding's fix read the decimals of no values)."""

from __future__ import annotations

from click.testing import CliRunner

from simulator.cli import main
from simulator.scenario.checks import not_summing_to_one
from tests.helpers import ROOT


def test_an_empty_block_sums_to_zero():
    assert not_summing_to_one("shares", {}) == "shares must sum to 1 (they sum to 0)"


def test_an_empty_sourcing_block_set_on_the_command_line_exits_2_naming_the_field(tmp_path):
    scenario = str(ROOT / "scenarios" / "embargo_2010.yaml")
    args = ["run", scenario, "--no-plots", "-o", str(tmp_path / "out"), "--set", "regions.japan.sourcing.light_ree={}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().endswith("regions.japan.sourcing.light_ree: shares must sum to 1 (they sum to 0)")
    assert not (tmp_path / "out").exists()
