"""``stockpile run --seed``: a seed out of the scenario's range is refused as --seed (it was
reported as ``[set seed=...]``, naming a --set that was not given), and --help gives the range."""

from __future__ import annotations

from simulator.library import resolve_scenario
from tests.helpers import invoke, no_traceback


def test_a_seed_out_of_range_is_refused_as_the_seed_option(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", resolve_scenario("embargo_2010"), "--seed", 99999999999999999999, "-o", out)
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--seed': 99999999999999999999 is not in the range 0<=x<=4294967295" in result.output
    assert "set seed" not in result.output and no_traceback(result) and not out.exists()


def test_the_largest_seed_a_scenario_takes_is_2_to_the_32_minus_1():
    from simulator.cli import SCENARIO_SEED
    from simulator.scenario.schema import MAX_SEED

    assert SCENARIO_SEED.max == MAX_SEED == 4_294_967_295


def test_run_help_gives_the_seed_s_range():
    result = invoke("run", "--help")
    assert "[0<=x<=4294967295]" in " ".join(result.output.split())
