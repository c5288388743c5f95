"""Sweeps: grid parsing, identical tables on every backend, resume, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.errors import InputError
from simulator.scenario import validate_data
from simulator.sweep import SweepSpec, parse_axis, plan_sweep, run_sweep
from simulator.sweep import runner as sweep_runner
from simulator.sweep.grid import parse_values
from tests.helpers import (
    RUN_CHUNK,
    TWO_MEMBERS,
    assert_bad_input,
    build,
    counted,
    invoke,
    no_run,
    no_traceback,
    pool_processes,
    run,
)

# a small stochastic world: a random embargo against both members, and demand noise
STOCHASTIC = build(
    TWO_MEMBERS,
    horizon_days=40,
    regions__japan__demand__ree__noise_cv=0.1,
    regions__japan__commercial_stock__ree__days=5,
    regions__eu__commercial_stock__ree__days=5,
    shocks=[
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan", "eu"],
            "start": {"distribution": "uniform", "low": 0, "high": 10},
            "duration_days": {"distribution": "lognormal", "mean": 15, "sd": 5},
            "severity": {"distribution": "uniform", "low": 0.5, "high": 1.0},
        }
    ],
)


def write(tmp_path: Path, data=STOCHASTIC) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# the small sweep most tests run: 3 ratios x 6 seeds from root seed 11
RATIO_GRID = "agreement.ratio.japan=0.2:0.8:0.3"
SMALL_SWEEP = ("--grid", RATIO_GRID, "--runs", 6, "--seed", 11)


# --- grids -------------------------------------------------------------------------------


def test_float_range_has_exactly_eleven_points_with_the_stop_included():
    values = parse_values("0:1:0.1", "x")
    assert len(values) == 11
    assert values[3] == 0.3 and values[-1] == 1.0  # decimal steps: no 0.30000000000000004


def test_stop_off_the_grid_is_not_included_and_integers_stay_integers():
    assert parse_values("0:1:0.3", "x") == (0.0, 0.3, 0.6, 0.9)
    assert parse_values("30:90:30", "x") == (30, 60, 90)


def test_lists_and_single_values():
    assert parse_values("fair_ratio,auction", "x") == ("fair_ratio", "auction")
    assert parse_values("0.5", "x") == (0.5,)


def test_several_grids_form_the_cross_product_first_slowest():
    spec = SweepSpec((parse_axis("a=1,2"), parse_axis("b=x,y,z")))
    assert spec.points() == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 1, "b": "z"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
        {"a": 2, "b": "z"},
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("1:0:0.1", "descending or empty range"),
        ("0:1:0", "the step must not be 0"),
        ("0:1:-0.1", "descending or empty range"),
        ("0:x:1", "'x' is not a number"),
        ("", "no values given"),
    ],
)
def test_bad_ranges(spec, message):
    with pytest.raises(InputError, match=message):
        parse_values(spec, "agreement.ratio.japan")


# --- running -----------------------------------------------------------------------------


def sweep_of(tmp_path: Path, runs: int = 6, chunk_runs: int = 5):
    spec = SweepSpec((parse_axis(RATIO_GRID),), runs=runs, seed=11)
    return plan_sweep(STOCHASTIC, "s.yaml", spec, chunk_runs=chunk_runs)


def test_rows_match_single_runs_with_the_recorded_seed(tmp_path):
    table = run_sweep(sweep_of(tmp_path), tmp_path / "out", workers=1)
    assert len(table) == 3 * 6
    assert list(table.columns[:4]) == ["agreement.ratio.japan", "point", "run", "seed"]
    seeds = table.groupby("point")["seed"].apply(tuple)
    assert seeds.nunique() == 1 and len(set(seeds.iloc[0])) == 6  # common random numbers across points
    for _, row in table.iloc[[0, 7, 17]].iterrows():
        single = run(build(STOCHASTIC, agreement__ratio__japan=row["agreement.ratio.japan"]), seed=int(row["seed"]))
        assert single.metrics["total_shortfall_t"] == row["total_shortfall_t"]
        assert single.metrics["shortfall_t.eu"] == row["shortfall_t.eu"]
    assert table["total_shortfall_t"].nunique() > 3  # seeds differ


def test_one_worker_two_workers_and_other_chunking_give_the_same_table(tmp_path):
    one = run_sweep(sweep_of(tmp_path), tmp_path / "one", workers=1)
    two = run_sweep(sweep_of(tmp_path), tmp_path / "two", workers=2)
    rechunked = run_sweep(sweep_of(tmp_path, chunk_runs=4), tmp_path / "four", workers=2)
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    pd.testing.assert_frame_equal(one, rechunked, check_exact=True)


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning",
    "ignore::UserWarning",
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
)
@pytest.mark.xdist_group("dask-cluster")
def test_a_dask_local_cluster_gives_the_same_table(tmp_path, dask_cluster):
    from distributed import Client

    local = run_sweep(sweep_of(tmp_path), tmp_path / "local", workers=1)
    with Client(dask_cluster) as client:
        on_dask = run_sweep(sweep_of(tmp_path), tmp_path / "dask", client=client)
        result = invoke(
            "sweep",
            write(tmp_path),
            *SMALL_SWEEP,
            "--dask",
            dask_cluster.scheduler_address,
            "--no-plots",
            "-o",
            tmp_path / "cli",
        )
    pd.testing.assert_frame_equal(local, on_dask, check_exact=True)
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(local, pd.read_parquet(tmp_path / "cli" / "sweep.parquet"), check_exact=True)
    assert json.loads((tmp_path / "cli" / "sweep.json").read_text())["backend"] == "dask"


def test_an_interrupted_sweep_resumes_and_ends_with_the_uninterrupted_table(tmp_path, monkeypatch):
    args = ["sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 1, "--chunk-runs", 5, "--no-plots"]
    expected = invoke(*args, "-o", tmp_path / "whole")
    assert expected.exit_code == 0, expected.output
    counted(monkeypatch, lost_after=2)
    broken = invoke(*args, "-o", tmp_path / "resumed")
    assert broken.exit_code == 3
    assert "2 finished chunks kept" in broken.output and "resume" in broken.output
    assert not (tmp_path / "resumed" / "sweep.parquet").exists()
    calls = counted(monkeypatch)
    resumed = invoke(*args, "-o", tmp_path / "resumed")
    assert resumed.exit_code == 0, resumed.output
    assert calls == [2, 3]  # 18 runs in chunks of 5: only the two missing chunks ran
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "whole" / "sweep.parquet"),
        pd.read_parquet(tmp_path / "resumed" / "sweep.parquet"),
        check_exact=True,
    )
    assert not (tmp_path / "resumed" / ".chunks").exists()


def test_cli_writes_table_figures_curves_and_description(tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "sweep",
        write(tmp_path),
        "--grid",
        "agreement.ratio.japan=0:1:0.5",
        "--runs",
        4,
        "--curves",
        "--format",
        "csv",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    for name in (
        "sweep.parquet",
        "sweep.csv",
        "sweep.json",
        "curves.parquet",
        "sweep_metrics.png",
        "sweep_frontier.png",
    ):
        assert (out / name).is_file(), name
    info = json.loads((out / "sweep.json").read_text())
    assert info["grid"] == {"agreement.ratio.japan": [0.0, 0.5, 1.0]} and info["total_runs"] == 12
    curves = pd.read_parquet(out / "curves.parquet")
    assert set(curves["metric"]) == {"days_of_cover", "shortfall_t", "shortfall_cum_t"}
    assert (curves["p5"] <= curves["p50"] + 1e-12).all() and (curves["p50"] <= curves["p95"] + 1e-12).all()
    assert len(curves) == 3 * 3 * 40 * 2  # points x metrics x days x regions
    (out / "sweep_metrics.png").unlink()
    redraw = invoke("plot-sweep", out)
    assert redraw.exit_code == 0 and (out / "sweep_metrics.png").is_file()


def test_a_sweep_file_describes_the_same_sweep(tmp_path):
    scenario = write(tmp_path)
    spec = tmp_path / "ratio.yaml"
    spec.write_text(
        yaml.safe_dump(
            {"scenario": str(scenario), "grid": {"agreement.ratio.japan": [0.2, 0.5, 0.8]}, "runs": 6, "seed": 11}
        )
    )
    from_file = invoke("sweep", "--spec", spec, "--workers", 1, "--no-plots", "-o", tmp_path / "a")
    from_flags = invoke("sweep", scenario, *SMALL_SWEEP, "--workers", 1, "--no-plots", "-o", tmp_path / "b")
    assert from_file.exit_code == 0 and from_flags.exit_code == 0, from_file.output + from_flags.output
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "a" / "sweep.parquet"),
        pd.read_parquet(tmp_path / "b" / "sweep.parquet"),
        check_exact=True,
    )
    assert notes_of(from_file.output) == [RATIO_NOTE]  # none on the file's scenario
    # a SCENARIO argument replaces the file's, as --runs and --seed do, and says so when it differs
    other = tmp_path / "other.yaml"
    longer = yaml.safe_load(scenario.read_text())
    longer["horizon_days"] += 30  # another world: its table must differ from the file's scenario's
    other.write_text(yaml.safe_dump(longer, sort_keys=False))
    both = invoke("sweep", other, "--spec", spec, "--workers", 1, "--no-plots", "-o", tmp_path / "c")
    alone = invoke("sweep", other, *SMALL_SWEEP, "--workers", 1, "--no-plots", "-o", tmp_path / "e")
    assert both.exit_code == 0 and alone.exit_code == 0, both.output + alone.output
    assert f"note: running {other}, not the scenario {scenario} that {spec} names" in both.output
    ran = pd.read_parquet(tmp_path / "c" / "sweep.parquet")
    pd.testing.assert_frame_equal(ran, pd.read_parquet(tmp_path / "e" / "sweep.parquet"), check_exact=True)
    assert not ran.equals(pd.read_parquet(tmp_path / "a" / "sweep.parquet"))
    same = invoke("sweep", scenario, "--spec", spec, "--workers", 1, "--no-plots", "-o", tmp_path / "d")
    assert same.exit_code == 0 and notes_of(same.output) == [RATIO_NOTE], same.output


RATIO_NOTE = (
    "note: agreement.ratio.japan: its values leave the members' total shortfall the same (489 t of ree at each value)"
)
"""The start of the one note of the ratio sweep of the sweep file: the ratio moves who is short, not the total."""


def notes_of(output: str) -> list[str]:
    """The notes a command printed, each up to its first ``;``."""
    return [line.split(";")[0] for line in output.splitlines() if line.startswith("note:")]


def test_forty_workers_start_no_more_processes_than_there_are_chunks_and_change_no_number(tmp_path, monkeypatch):
    """--workers 40 on 20 runs once started 40 processes (42 with the parent's), for one chunk."""
    scenario = write(tmp_path)
    runs = ("--runs", 20, "--seed", 11, "--no-plots")  # the tables alone are compared
    alone = invoke("sweep", scenario, *runs, "--workers", 1, "-o", tmp_path / "one")
    assert alone.exit_code == 0, alone.output
    started = pool_processes(monkeypatch)
    one_chunk = invoke("sweep", scenario, *runs, "--workers", 40, "-o", tmp_path / "forty")
    assert one_chunk.exit_code == 0, one_chunk.output
    assert started == []  # one chunk (20 runs < one batch): run here, no pool at all
    three_chunks = invoke("sweep", scenario, *runs, "--workers", 40, "--chunk-runs", 7, "-o", tmp_path / "three")
    assert three_chunks.exit_code == 0, three_chunks.output
    assert started == [3]  # chunks of 7, 7 and 6 runs: three processes
    expected = (tmp_path / "one" / "sweep.parquet").read_bytes()
    for folder in ("forty", "three"):
        assert (tmp_path / folder / "sweep.parquet").read_bytes() == expected


@pytest.mark.parametrize("workers", [257, 100_000])
def test_more_workers_than_the_maximum_are_refused_before_any_run(tmp_path, monkeypatch, workers):
    for started in ("run_chunk", "local_processes", "in_process"):  # nor a process: 100,000 would swamp the machine
        monkeypatch.setattr(sweep_runner, started, lambda *args, **kwargs: pytest.fail("a run started"))
    result = invoke("sweep", write(tmp_path), "--runs", 20, "--workers", workers, "-o", tmp_path / "out")
    assert_bad_input(result, "Invalid value for '--workers'", f"{workers} is not in the range 1<=x<=256")
    assert not (tmp_path / "out").exists()


# --- bad input: exit 2 before any run -------------------------------------------------------


def test_a_dask_timeout_without_dask_is_refused_not_ignored(tmp_path, monkeypatch):
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), "--dask-timeout", 5, "-o", tmp_path / "out")
    assert_bad_input(result, "--dask-timeout: only with --dask")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("agreement.ratoi.japan=0:1:0.5", "agreement.ratoi: unknown key; did you mean 'ratio'?"),
        ("agreement.ratio.japan=1:0:0.1", "descending or empty range"),
        ("agreement.ratio.japan=0:1:0", "the step must not be 0"),
        ("horizon_days=ten,twenty", "horizon_days"),
        ("agreement.ratio.japan=0:2:1", "a ratio must be a number in [0, 1]"),
        # each point ran twice, and explore refused the same grid
        ("agreement.ratio.japan=0.1,0.3,0.1", "--grid agreement.ratio.japan: a value is given twice"),
    ],
)
def test_bad_grids_exit_2_before_any_run(tmp_path, grid, message, monkeypatch):
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), "--grid", grid, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert message in result.output and no_traceback(result)


THREE_MEMBERS = build(
    TWO_MEMBERS,
    regions__korea={
        "demand": {"ree": {"tonnes_per_day": 20}},
        "commercial_stock": {"ree": {"tonnes": 0}},
        "sourcing": {"ree": {"china": 1.0}},
    },
    suppliers__china__lead_time_days__korea=5,
    shocks=[
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan", "eu", "korea"],
            "start": -100,
            "end": 1000,
        }
    ],
    agreement__members=["japan", "eu", "korea"],
    agreement__ratio={"japan": 0.2, "eu": 0.6, "korea": 0.2},
    agreement__release_cap_t_per_day={"ree": 10},
    agreement__pool__contributions__korea={"ree": {"tonnes": 30}},
)
"""Three members short every day (20, 80 and 20 t) of a pool of 90 t released at 10 t a day."""


def test_ratios_both_fixed_and_swept_exit_2_and_ratios_swept_together_run_as_labelled(tmp_path, monkeypatch):
    """A fixed ratio is applied to the base and a swept one to each point: the second used to
    rescale the first, so every row ran with ratios other than its own (exit 0)."""
    scenario = write(tmp_path, THREE_MEMBERS)
    no_run(monkeypatch)
    mixed = ("--set", "agreement.ratio.japan=0.3", "--grid", "agreement.ratio.eu=0.5,0.6")
    result = invoke("sweep", scenario, *mixed, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert (
        "--set agreement.ratio.japan: fixes an agreement ratio while --grid agreement.ratio.eu varies another: each "
        "run would rescale the fixed one to make room for the varied one; give all the ratios to --set or all to "
        "--grid, so that the others are rescaled once"
    ) in result.output
    monkeypatch.setattr(sweep_runner, "run_chunk", RUN_CHUNK)
    grid = ("--grid", "agreement.ratio.japan=0.3", "--grid", "agreement.ratio.eu=0.5,0.6", "--workers", 1, "--no-plots")
    result = invoke("sweep", scenario, *grid, "-o", tmp_path / "ok")
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(tmp_path / "ok" / "sweep.parquet")
    # each row runs with its own two ratios, Korea taking what is left: 10 t a day split 3 : eu : korea
    for eu, korea in ((0.5, 0.2), (0.6, 0.1)):
        row = table[table["agreement.ratio.eu"] == eu].iloc[0]
        alone = run(build(THREE_MEMBERS, agreement__ratio={"japan": 0.3, "eu": eu, "korea": korea}))
        released = alone.summary.set_index("region")["released_t"]
        assert released["korea"] == pytest.approx(korea * 10 * 9)  # the 90 t last nine days
        for member in ("japan", "eu", "korea"):
            assert row[f"shortfall_t.{member}"] == alone.metrics[f"shortfall_t.{member}"]


def test_a_bad_fixed_value_is_named_as_the_set_not_as_a_grid_point(tmp_path, monkeypatch):
    no_run(monkeypatch)
    bad = "regions.eu.demand.ree.tonnes_per_day"
    result = invoke("sweep", write(tmp_path), "--grid", RATIO_GRID, "--set", f"{bad}=-1", "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"s.yaml [set {bad}=-1]: {bad}: must be >= 0" in result.output
    assert "agreement.ratio.japan=0.2" not in result.output  # the first point is not to blame


def test_of_two_bad_values_the_first_is_named_though_another_process_checked_it(tmp_path):
    """In a process of its own (one thread), where two cores allow: 0.5 and 2.5 checked here, 1.5 in a child."""
    args = ["sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.5,1.5,2.5", "-o", tmp_path / "out"]
    done = python("-m", "simulator.cli", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = done.communicate(timeout=60)
    assert done.returncode == 2, stderr
    assert "agreement.ratio.japan=1.5" in stderr and "2.5" not in stderr


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "tcp://127.0.0.1:99999", " "])
def test_unreachable_dask_scheduler_exits_2(tmp_path, address):
    """Refused at once: nothing listens on port 9 (a socket is tried before Dask's 5 s timeout)."""
    result = invoke("sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.5", "--dask", address, "-o", tmp_path)
    assert result.exit_code == 2, result.output
    assert "cannot reach the scheduler" in result.output or "give the scheduler's address" in result.output


# --- a Dask cluster that goes away: exit 3, one line, no traceback --------------------------------

CLUSTER = """
import sys, time
from distributed import LocalCluster
cluster = LocalCluster(
    n_workers=int(sys.argv[1]), threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
    dashboard_address=None,
)
print(cluster.scheduler_address, flush=True)
deadline = time.monotonic() + 60
while not cluster.scheduler.workers and time.monotonic() < deadline:
    time.sleep(0.01)
print("a worker joined" if cluster.scheduler.workers else "no worker joined", flush=True)
sys.stdin.read()
"""
"""A local cluster of ``sys.argv[1]`` workers in the scheduler's process: prints its address,
then whether a worker (its own or one started on that address) joined within 60 s."""
LONG_SWEEP = ("--grid", "agreement.ratio.japan=0:1:0.1", "--runs", 24, "--chunk-runs", 2)


def python(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *(str(a) for a in args)], text=True, **kwargs)


def wait_for_a_chunk(sweep: subprocess.Popen, out: Path) -> None:
    deadline = time.monotonic() + 60
    while not list(out.glob(".chunks/chunk-*.json")):
        assert sweep.poll() is None and time.monotonic() < deadline, sweep.communicate()
        time.sleep(0.02)


def test_a_sweep_whose_dask_workers_all_died_stops_with_exit_3(tmp_path):
    """The only worker is killed after the first chunk: exit 3 after --dask-timeout (its shortest, 0.1 s),
    not a wait forever."""
    scheduler = python("-c", CLUSTER, 0, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    worker = sweep = None
    try:
        address = scheduler.stdout.readline().strip()
        worker = python("-m", "distributed.cli.dask_worker", address, "--no-nanny", "--nthreads", 1,
                        "--no-dashboard", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        # the sweep starts with its worker in the cluster, so its shortest timeout cannot run out before
        # the worker joins: only the killed worker's absence stops it (after two polls, DASK_POLL_S apart)
        assert scheduler.stdout.readline().strip() == "a worker joined"
        out = tmp_path / "out"
        args = ("sweep", write(tmp_path), *LONG_SWEEP, "--dask", address, "--dask-timeout", 0.1, "-o", out)
        sweep = python("-m", "simulator.cli", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_a_chunk(sweep, out)
        worker.kill()
        _, stderr = sweep.communicate(timeout=60)
    finally:
        for process in (sweep, worker, scheduler):
            if process is not None and process.poll() is None:
                process.kill()
        scheduler.communicate()
    assert sweep.returncode == 3, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr  # no Dask warnings or tracebacks
    assert lines[0].startswith("sweep stopped by an error: no live Dask worker for 0.1 s: "), stderr
    assert lines[0].endswith("run the same command to resume")


def test_a_sweep_whose_dask_scheduler_died_stops_with_exit_3_and_one_line(tmp_path):
    cluster = python("-c", CLUSTER, 1, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    sweep = None
    try:
        address = cluster.stdout.readline().strip()
        assert cluster.stdout.readline().strip() == "a worker joined"  # its own
        out = tmp_path / "out"
        args = ("sweep", write(tmp_path), *LONG_SWEEP, "--dask", address, "-o", out)
        sweep = python("-m", "simulator.cli", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_a_chunk(sweep, out)
        cluster.kill()  # the scheduler and its worker
        _, stderr = sweep.communicate(timeout=60)
    finally:
        for process in (sweep, cluster):
            if process is not None and process.poll() is None:
                process.kill()
        cluster.communicate()
    assert sweep.returncode == 3, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("sweep stopped by an error: lost the connection to the Dask scheduler"), stderr
    assert lines[0].endswith("run the same command to resume")


def test_the_same_scenario_validates(tmp_path):
    assert validate_data(STOCHASTIC).name == "pair"
