"""The benchmarks name fields the shipped replay still has (``make bench`` is not part of ``make test``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from simulator.explore.grid import value_at
from simulator.scenario import load_raw

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import run_benchmarks  # noqa: E402


@pytest.mark.parametrize(
    ("scenario", "path"),
    [
        *((run_benchmarks.REPLAY, axis.split("=")[0]) for axis in run_benchmarks.GRID_AXES),
        *((run_benchmarks.REPLAY, axis.split("=")[0]) for axis in run_benchmarks.EXPLORER_AXES),
        *(
            (run_benchmarks.REPLAY.with_name("embargo_2010_historical.yaml"), p)
            for p in run_benchmarks.SENSITIVITY_INPUTS
        ),
    ],
)
def test_every_field_a_benchmark_varies_exists(scenario, path):
    value_at(load_raw(scenario, []), path)  # raises KeyError when the scenario lost the field


def test_grid_sizes_are_those_the_targets_name():
    def count(axis: str) -> int:
        start, stop, step = (float(x) for x in axis.split("=")[1].split(":"))
        return round((stop - start) / step) + 1

    grid = [count(a) for a in run_benchmarks.GRID_AXES]
    explorer = [count(a) for a in run_benchmarks.EXPLORER_AXES]
    assert grid[0] * grid[1] == 10_000
    assert explorer[0] * explorer[1] * explorer[2] == 2_000


def test_the_grown_scenarios_of_the_scaling_benchmark_are_valid():
    import large_batch

    # every size keeps the replay's mix: copies of Japan and the EU, of light and heavy REEs, in turn
    club = large_batch.club(5, 30)
    assert club.agreement is not None and club.agreement.members == ["japan", "eu", "japan_2", "japan_3", "eu_2"]
    assert club.regions["japan_3"] == club.regions["japan"] and club.regions["eu_2"] == club.regions["eu"]
    halts = {shock.id: shock.regions for shock in club.shocks if shock.id.endswith("_halt")}
    assert halts == {"china_japan_halt": ["japan", "japan_2", "japan_3"], "china_eu_halt": ["eu", "eu_2"]}
    assert sum(club.agreement.ratio.values()) == pytest.approx(1.0)
    # five members share what two did: the 2011 quota (20,223 t) and European re-processing (11 t/day)
    quotas = {shock.id: shock.tonnes_per_period for shock in club.shocks if shock.kind == "export_quota"}
    assert quotas["china_quota_2011"] == pytest.approx(20_223 * 2.5)
    assert club.suppliers["europe_reprocessors"].capacity_t_per_day["light_ree"] == pytest.approx(11.0 * 2.5)
    grown = large_batch.assortment(4, 30)
    assert list(grown.materials) == ["light_ree", "heavy_ree", "light_ree_2", "heavy_ree_2"]
    assert grown.market["heavy_ree_2"] == grown.market["heavy_ree"]
    quotas = {shock.id: shock.tonnes_per_period for shock in grown.shocks if shock.kind == "export_quota"}
    assert quotas["china_quota_2011"] == pytest.approx(20_223 * 2)  # a quota on every material
    assert all(d.noise_cv == 0.05 for region in grown.regions.values() for d in region.demand.values())


def test_the_benchmark_refuses_a_part_it_does_not_know_instead_of_running_every_part(capsys):
    assert run_benchmarks.arguments(["--per-run", "--delays"]).delays
    assert not run_benchmarks.arguments([]).large
    assert run_benchmarks.arguments(["--large"]).large
    for wrong, said in (
        (["--per-rn"], "unrecognized arguments: --per-rn\n"),
        (["--per"], "unrecognized arguments: --per\n"),
        (["--memory", "memory"], "unrecognized arguments: memory\n"),
        (["--memory", "--large"], "--large adds to the run of every part; it does nothing beside a part\n"),
    ):
        with pytest.raises(SystemExit) as stopped:
            run_benchmarks.arguments(wrong)
        assert stopped.value.code == 2, wrong
        assert capsys.readouterr().err.endswith(said), wrong
