"""What `stockpile run` imports: the libraries it does not need stay unloaded (start-up time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.forked import forks_here
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS

LOADED = """
import json, sys
import simulator.forked
if sys.argv.pop(1) == "here":  # no child: what drawing imports is seen in this process
    simulator.forked.can_fork = lambda: False
from simulator.cli import main
main(sys.argv[1:], standalone_mode=False)
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'scipy', 'PIL', 'pandas'})))
"""


def _loaded(tmp_path: Path, command: str, *flags: str, data: dict = ONE_REGION, fork: bool = False) -> list[str]:
    """The libraries of interest loaded by ``command``; all in this process unless ``fork`` lets children help."""
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(data))
    where = "forks" if fork else "here"
    args = [sys.executable, "-c", LOADED, where, command, str(scenario), "-o", str(tmp_path / "out"), *flags]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_and_list_loaded(tmp_path: Path, *flags: str) -> list[str]:
    loaded = _loaded(tmp_path, "run", *flags)
    assert (tmp_path / "out" / "timeseries.csv").is_file()
    return loaded


def test_run_without_plots_imports_neither_matplotlib_nor_scipy_nor_pandas(tmp_path):
    assert _run_and_list_loaded(tmp_path, "--no-plots") == []
    assert not (tmp_path / "out" / "days_of_cover.png").exists()


def test_run_with_plots_loads_matplotlib_to_draw_but_not_pandas(tmp_path):
    # the same probe sees Matplotlib when the figures are drawn (so the test above can fail);
    # the figures read the tables' columns, so pandas (about 0.4 s to import) stays unloaded
    loaded = _run_and_list_loaded(tmp_path)
    assert "matplotlib" in loaded and "pandas" not in loaded
    assert (tmp_path / "out" / "days_of_cover.png").is_file()
    assert (tmp_path / "out" / "supply_mix.png").is_file()


def test_a_run_of_two_members_with_a_market_draws_every_figure_without_pandas(tmp_path):
    # TWO_MEMBERS has an agreement (release bands) and a price: all four figures
    loaded = _loaded(tmp_path, "run", data={**TWO_MEMBERS, "market": {"ree": {}}})
    assert "matplotlib" in loaded and "pandas" not in loaded
    assert {p.name for p in (tmp_path / "out").glob("*.png")} >= {"prices.png", "shortfall.png"}


@pytest.mark.skipif(not forks_here(), reason="no fork, or a single core: the figures are drawn in the parent")
def test_where_a_child_can_draw_the_figures_the_run_itself_never_imports_matplotlib(tmp_path):
    # the child forked ahead imports it while the run simulates, then draws every figure
    assert _loaded(tmp_path, "run", data={**TWO_MEMBERS, "market": {"ree": {}}}, fork=True) == []
    assert {p.name for p in (tmp_path / "out").glob("*.png")} >= {"prices.png", "shortfall.png", "days_of_cover.png"}


def test_a_sweep_loads_matplotlib_only_when_it_draws_a_figure(tmp_path):
    # a larger stock changes no shortfall in a world with no shock: no figure to draw
    flat = _loaded(tmp_path, "sweep", "--grid", "regions.japan.commercial_stock.ree.tonnes=100,200", "--workers", "1")
    assert "matplotlib" not in flat
    assert not list((tmp_path / "out").glob("*.png"))
    # Japan's share of a pool both members need does: the metrics figure is drawn, loading Matplotlib
    ratio = ("--grid", "agreement.ratio.japan=0.2,0.8", "--workers", "1", "--force")
    assert "matplotlib" in _loaded(tmp_path, "sweep", *ratio, data=TWO_MEMBERS)
    assert (tmp_path / "out" / "sweep_metrics.png").is_file()
    # unless it is told to draw none
    assert "matplotlib" not in _loaded(tmp_path, "sweep", *ratio, "--no-plots", data=TWO_MEMBERS)
    assert not list((tmp_path / "out").glob("*.png"))


def test_the_json_schema_describes_fields_by_their_docstrings_read_after_import():
    from simulator.scenario import json_schema
    from simulator.scenario.schema import Scenario

    schema = json_schema()
    assert schema["properties"]["horizon_days"]["description"] == "Number of simulated days."
    # a shock kind inherits the common fields' docstrings from its base class
    start = schema["$defs"]["Embargo"]["properties"]["start"]
    assert start["description"] == "First day the shock is active (day number or date), or a distribution of days."
    assert list(start) == sorted(start)  # keys in pydantic's order
    # the models themselves carry no description until the JSON Schema is asked for
    assert Scenario.model_fields["horizon_days"].description is None


def test_explore_does_not_load_matplotlib(tmp_path):
    # the page takes the figures' colours from simulator.palette, not from the figures
    axis = ("--axis", "regions.japan.commercial_stock.ree.tonnes=100,200", "--workers", "1")
    assert "matplotlib" not in _loaded(tmp_path, "explore", *axis)
    assert (tmp_path / "out").is_file()


CHUNK_WITHOUT_PANDAS = """
import json, sys
from simulator.sweep import SweepSpec, parse_axis, plan_sweep
from simulator.sweep.runner import run_chunk
spec = SweepSpec((parse_axis("agreement.ratio.japan=0.2,0.8"),), runs=2, seed=3)
sweep = plan_sweep(json.loads(sys.argv[1]), "two.yaml", spec)
index, runs = sweep.chunks()[0]
result = run_chunk(sweep.chunk(index, runs, "f"))
print("pandas" in sys.modules, result.n_runs)
table = result.table
print("pandas" in sys.modules, len(table), list(table.columns[:3]))
"""


def test_a_sweep_plans_and_runs_its_chunks_without_pandas():
    # a sweep's local workers are forked before the parent imports pandas (about 0.25 s
    # it then spends while they run): planning and running a chunk must not load it
    args = [sys.executable, "-c", CHUNK_WITHOUT_PANDAS, json.dumps(TWO_MEMBERS)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["False 4", "True 4 ['point', 'run', 'seed']"]


def test_the_parent_of_local_workers_works_once_they_have_their_first_chunks():
    from simulator.sweep.backends import local_processes

    events: list[str] = []
    for result in local_processes([1, 2, 3, 4, 5, 6], abs, 2, started=lambda: events.append("started")):
        events.append(f"result {result}")
    # once, before any result is waited for, although two chunks were still queued then
    assert events[0] == "started" and events.count("started") == 1
    assert sorted(events[1:]) == [f"result {n}" for n in range(1, 7)]


def test_explore_never_loads_pandas(tmp_path):
    # its workers reduce a chunk's plain columns (one worker: here, where the probe sees
    # it); the page is written from arrays
    axis = ("--axis", "agreement.ratio.japan=0.2,0.8", "--runs", "2", "--workers", "1")
    assert "pandas" not in _loaded(tmp_path, "explore", *axis, data=TWO_MEMBERS)
