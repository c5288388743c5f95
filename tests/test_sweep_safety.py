"""Sweeps that never lose or mix rows: checked chunks, an exactly-once table, a final table
before figures, no stale files, bounded grids, a frontier in O(n log n) (issue 20)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.sweep import SweepSpec, SweepStopped, parse_axis, plan_sweep
from simulator.sweep import runner as sweep_runner
from simulator.sweep.checkpoints import Checkpoints
from simulator.sweep.figures import metrics_figure, pareto_efficient
from simulator.sweep.grid import parse_values
from tests.helpers import RUN_CHUNK, contents, counted, manifest_of, no_run, no_traceback
from tests.test_sweep import SMALL_SWEEP, STOCHASTIC, invoke, write

# 3 points x 6 runs in chunks of 5: chunks 0-3 hold runs 0-4, 5-9, 10-14, 15-17 (their tables are
# compared, their figures never looked at: not drawn)
CHUNKED = ("--workers", 1, "--chunk-runs", 5, "--no-plots")


def table_bytes(folder: Path) -> bytes:
    return (folder / "sweep.parquet").read_bytes()


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """The uninterrupted sweep that every resumed one must reproduce byte for byte (run once:
    its table does not depend on the folder the scenario file is in)."""
    folder = tmp_path_factory.mktemp("whole")
    result = invoke("sweep", write(folder), *SMALL_SWEEP, *CHUNKED, "-o", folder / "whole")
    assert result.exit_code == 0, result.output
    return folder / "whole"


def interrupted(tmp_path: Path, monkeypatch, out: Path, finished: int, *extra) -> None:
    """Run the small sweep into ``out`` until ``finished`` chunks are done, then fail."""
    counted(monkeypatch, lost_after=finished)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, *extra, "-o", out)
    monkeypatch.setattr(sweep_runner, "run_chunk", RUN_CHUNK)
    assert result.exit_code == 3, result.output


def resume(tmp_path: Path, monkeypatch, out: Path, *extra) -> list[int]:
    """Resume the small sweep into ``out``; return the chunks it computed."""
    calls = counted(monkeypatch)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, *extra, "-o", out)
    assert result.exit_code == 0, result.output
    return calls


# --- chunks are checked: damaged or foreign ones are computed again ---------------------------


@pytest.mark.xdist_group("sweep-safety-whole")
def test_a_chunk_copied_over_another_is_recomputed_not_merged(tmp_path, monkeypatch, whole):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=3)
    chunks = out / ".chunks"
    shutil.copy(chunks / "chunk-000000.parquet", chunks / "chunk-000001.parquet")
    # chunk 1 now holds chunk 0's rows: merged, the table would have 5 duplicate and 5 missing runs
    assert resume(tmp_path, monkeypatch, out) == [1, 3]
    assert table_bytes(out) == table_bytes(whole)


@pytest.mark.xdist_group("sweep-safety-whole")
def test_a_truncated_chunk_is_recomputed(tmp_path, monkeypatch, whole):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    path = out / ".chunks" / "chunk-000001.parquet"
    path.write_bytes(path.read_bytes()[:200])
    assert resume(tmp_path, monkeypatch, out) == [1, 2, 3]
    assert table_bytes(out) == table_bytes(whole)


@pytest.mark.xdist_group("sweep-safety-whole")
def test_a_chunk_with_one_changed_byte_is_recomputed(tmp_path, monkeypatch, whole):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    path = out / ".chunks" / "chunk-000000.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert resume(tmp_path, monkeypatch, out) == [0, 2, 3]
    assert table_bytes(out) == table_bytes(whole)


@pytest.mark.xdist_group("sweep-safety-whole")
def test_a_chunk_of_another_sweep_is_recomputed(tmp_path, monkeypatch, whole):
    """Chunk 0 of a sweep with another root seed, receipt and all, dropped into this one."""
    other, out = tmp_path / "other", tmp_path / "out"
    interrupted(tmp_path, monkeypatch, other, 1, "--seed", 12)  # the later --seed wins
    interrupted(tmp_path, monkeypatch, out, finished=2)
    for name in ("chunk-000000.parquet", "chunk-000000.json"):
        shutil.copy(other / ".chunks" / name, out / ".chunks" / name)
    assert resume(tmp_path, monkeypatch, out) == [0, 2, 3]
    assert table_bytes(out) == table_bytes(whole)


@pytest.mark.xdist_group("sweep-safety-whole")
@pytest.mark.parametrize("name", ["chunk-000001.parquet", "chunk-000000.json", ".tmp-chunk-000001.parquet"])
def test_a_folder_in_a_chunks_place_is_refused_naming_it_and_the_sweep_resumes_once_it_is_gone(
    tmp_path, monkeypatch, whole, name
):
    """It gave exit 3 with "run the same command to resume", which failed the same way for ever."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, 1)  # chunk 0 saved
    (out / ".chunks" / name).unlink(missing_ok=True)
    (out / ".chunks" / name).mkdir()
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    assert f".chunks/{name}: is not a file; the sweep keeps only its checkpoint files there" in result.output
    assert no_traceback(result)
    (out / ".chunks" / name).rmdir()
    computed = resume(tmp_path, monkeypatch, out)
    assert computed == ([0, 1, 2, 3] if name == "chunk-000000.json" else [1, 2, 3])
    assert table_bytes(out) == table_bytes(whole)


def test_the_seed_as_an_axis_is_refused_before_any_run(tmp_path, monkeypatch):
    """--grid seed=1,2 ran, then stopped with exit 3 on a duplicate seed column, and so did every resume."""
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), "--grid", "seed=1,2", "--runs", 2, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "--grid seed: the seed cannot be swept: each run's seed comes from the root seed (--seed)" in result.output
    assert no_traceback(result) and not (tmp_path / "out").exists()


def test_the_table_is_assembled_only_when_it_holds_each_run_exactly_once(tmp_path, monkeypatch):
    """The last gate before the table is written, whatever let a wrong chunk through."""
    from simulator.sweep import sweep_table

    spec = SweepSpec((parse_axis("agreement.ratio.japan=0.2,0.8"),), runs=3, seed=11)
    sweep = plan_sweep(STOCHASTIC, "s.yaml", spec, chunk_runs=2)
    checkpoints = Checkpoints(tmp_path, sweep)
    sweep_runner.execute(sweep, checkpoints)
    assert sweep_table(sweep, checkpoints)[["point", "run"]].values.tolist() == [
        [0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]
    ]  # fmt: skip
    real = checkpoints.rows
    monkeypatch.setattr(checkpoints, "rows", lambda index: real(0 if index == 1 else index))
    with pytest.raises(SweepStopped, match="exactly once"):
        sweep_table(sweep, checkpoints)


# --- files of an earlier sweep ---------------------------------------------------------------


def test_a_smaller_sweep_leaves_no_file_of_the_earlier_one(tmp_path):
    scenario, out = write(tmp_path), tmp_path / "out"
    big = invoke(
        "sweep",
        scenario,
        "--grid",
        "agreement.ratio.japan=0.2,0.8",
        "--grid",
        "shocks.halt.severity.high=0.6,1.0",
        "--runs",
        2,
        "--format",
        "csv",
        "--curves",
        "--workers",
        1,
        "-o",
        out,
    )
    assert big.exit_code == 0, big.output
    # two swept paths give a heatmap
    assert {"sweep.csv", "curves.parquet", "sweep_heatmap.png"} <= {p.name for p in out.iterdir()}
    (out / "notes.txt").write_text("the user's")
    # the same study (the same swept paths: another would be refused), one point
    one = ("--grid", "agreement.ratio.japan=0.5", "--grid", "shocks.halt.severity.high=1.0")
    small = invoke("sweep", scenario, *one, "--workers", 1, "-o", out)
    assert small.exit_code == 0, small.output
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "manifest.json",
        "notes.txt",
        "scenario.json",
        "sweep.json",
        "sweep.parquet",
    ]  # no figure of a single grid point: neither the earlier heatmap nor a lone dot
    assert manifest_of(out)["files"] == [f for f in files if f != "notes.txt"]
    assert len(pd.read_parquet(out / "sweep.parquet")) == 1


# --- figures come after a final table --------------------------------------------------------


def test_a_failing_figure_keeps_the_finished_table(tmp_path, monkeypatch):
    import simulator.sweep.figures as figures

    def broken(*_args):
        raise MemoryError("no room for the figure")

    monkeypatch.setattr(figures, "metrics_figure", broken)
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    assert "warning: sweep figures not drawn (MemoryError('no room for the figure'))" in result.stderr
    assert f"stockpile plot-sweep {out}" in result.stderr
    assert len(pd.read_parquet(out / "sweep.parquet")) == 18
    assert not (out / ".chunks").exists()
    assert "sweep.parquet" in manifest_of(out)["files"]
    monkeypatch.undo()
    redraw = invoke("plot-sweep", out)
    assert redraw.exit_code == 0, redraw.output
    assert (out / "sweep_metrics.png").is_file()
    assert "sweep_metrics.png" in manifest_of(out)["files"]


def test_dollar_signs_in_swept_strings_are_drawn_as_text(tmp_path):
    out = tmp_path / "out"
    grid = ("--grid", "description=$x^$,cost $5-$10,$$", "--runs", 3)
    result = invoke("sweep", write(tmp_path), *grid, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    table = pd.read_parquet(out / "sweep.parquet")
    assert list(table["description"].unique()) == ["$x^$", "cost $5-$10", "$$"]
    # a description changes no run: no figure tells the points apart, so none is drawn ...
    assert not (out / "sweep_metrics.png").exists() and "sweep_metrics.png not drawn" in result.output
    # ... but where a metric does differ, the strings label the axis as they are ("$x^$" is
    # no valid mathtext: read as such, drawing would fail)
    moved = table.assign(total_shortfall_t=table["point"] * 10.0 + table["run"])
    figure = metrics_figure(moved, "description")
    figure.savefig(tmp_path / "drawn.png")
    ticks = {t.get_text() for ax in figure.axes for t in ax.get_xticklabels()}
    assert {"$x^$", "cost $5-$10", "$$"} <= {t.replace("\\$", "$") for t in ticks}


# --- the frontier ------------------------------------------------------------------------------


def brute_force_efficient(a: np.ndarray, b: np.ndarray) -> list[bool]:
    """Point i is efficient unless some j is at least as low on both and lower on one."""
    return [
        not any(a[j] <= a[i] and b[j] <= b[i] and (a[j] < a[i] or b[j] < b[i]) for j in range(len(a)))
        for i in range(len(a))
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30))
def test_the_frontier_matches_the_definition_with_ties(points):
    a = np.array([p[0] for p in points], float)
    b = np.array([p[1] for p in points], float)
    assert pareto_efficient(a, b).tolist() == brute_force_efficient(a, b)


def test_the_frontier_of_a_staircase_by_hand():
    # (1,5) (2,3) (2,4) (3,3) (4,1) (4,1): (2,4) is beaten by (2,3), (3,3) by (2,3); the twin (4,1)s stand
    a = np.array([1, 2, 2, 3, 4, 4], float)
    b = np.array([5, 3, 4, 3, 1, 1], float)
    assert pareto_efficient(a, b).tolist() == [True, True, False, False, True, True]


def test_the_frontier_of_100001_points_fits_in_little_memory():
    """Under a 1.5 GiB address-space limit: an n x n boolean array would need 10 GB."""
    code = textwrap.dedent(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
        import numpy as np
        from simulator.sweep.figures import pareto_efficient
        x = np.linspace(0.0, 1.0, 100_001)
        efficient = pareto_efficient(x, 1.0 - x)  # every point of a falling line is efficient
        assert efficient.all(), efficient.sum()
        print("ok")
        """
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # one thread's buffers under the limit
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


# --- grid sizes ------------------------------------------------------------------------------


def test_a_range_of_a_trillion_values_is_refused_without_building_it():
    with pytest.raises(InputError, match=r"'0:1:1e-12' has 1,000,000,000,001 values, more than .* --max-points"):
        parse_values("0:1:1e-12", "agreement.ratio.japan")


def test_ranges_of_astronomical_size_are_refused_at_once():
    with pytest.raises(InputError, match=r"'0:1:1e-999999' has about 1.00E\+999999 values"):
        parse_values("0:1:1e-999999", "x")
    with pytest.raises(InputError, match="too many values to count"):  # beyond the decimal exponent range
        parse_values("0:1e999999:1e-999999", "x")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--grid", "agreement.ratio.japan=0:1:1e-12"), "1,000,000,000,001 values"),
        (
            ("--grid", "agreement.ratio.japan=0:1:0.001", "--grid", "agreement.ratio.eu=0:1:0.01"),
            "1,001 x 101 = 101,101 grid points, more than 100,000 (raise --max-points)",
        ),
        (("--grid", "agreement.ratio.japan=0:1:0.5", "--max-points", 2), "3 values, more than a grid may have"),
        (
            ("--grid", "agreement.ratio.japan=0,1", "--grid", "horizon_days=30,40", "--max-points", 3),
            "2 x 2 = 4 grid points",
        ),
        (("--grid", "agreement.ratio.japan=0:1:0.5", "--runs", 4, "--max-runs", 11), "3 points x 4 runs = 12"),
    ],
)
def test_grids_over_the_limits_are_refused_before_any_work(tmp_path, monkeypatch, args, message):
    monkeypatch.setattr(sweep_runner, "build_point", lambda *a: pytest.fail("a grid value was validated"))
    result = invoke("sweep", write(tmp_path), *args, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert message in result.output and no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_grids_at_the_limits_run(tmp_path):
    args = ("--grid", "agreement.ratio.japan=0:1:0.5", "--runs", 4, "--max-points", 3, "--max-runs", 12)
    result = invoke("sweep", write(tmp_path), *args, "--workers", 1, "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(tmp_path / "out" / "sweep.parquet")) == 12


def test_validating_the_grid_reports_progress_once_per_value():
    spec = SweepSpec(
        (parse_axis("agreement.ratio.japan=0:1:0.25"), parse_axis("regions.japan.commercial_stock.ree.days=5,6")),
        runs=1,
    )
    steps: list[int] = []
    sweep = plan_sweep(STOCHASTIC, "s.yaml", spec, progress=steps.append)
    assert sum(steps) == 5 + 2 and len(sweep.points) == 10
    assert steps.count(1) >= 4  # one by one here (a forked child's three may come together)


# --- a sweep refused at a grid point leaves the folder as it was -------------------------------------

# each ratio passes alone (the other member takes the rest), but point 1 sets japan 0.2 and eu 0.5:
# 0.7 in all. 3 runs per point in chunks of 1 run: chunks 0-2 (point 0) are saved before chunk 3 fails
BAD_PAIR = (
    "--grid",
    "agreement.ratio.japan=0.2,0.5",
    "--grid",
    "agreement.ratio.eu=0.8,0.5",
    "--runs",
    3,
    "--seed",
    11,
    "--workers",
    1,
    "--chunk-runs",
    1,
)
BAD_POINT = (
    "[agreement.ratio.japan=0.2, agreement.ratio.eu=0.5]: agreement.ratio: ratios must sum to 1 "
    "(they sum to 0.7, 0.3 short)"
)


def refused(scenario: Path, out: Path, *extra) -> None:
    result = invoke("sweep", scenario, *BAD_PAIR, *extra, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"error: {scenario} {BAD_POINT}" in result.output and no_traceback(result)


def test_a_refused_sweep_leaves_no_new_folder(tmp_path):
    out = tmp_path / "new" / "out"
    refused(write(tmp_path), out)
    assert not (tmp_path / "new").exists()  # not the folder, nor its .chunks, nor the parent made for it


def test_a_refused_sweep_keeps_an_earlier_sweeps_results_byte_for_byte(tmp_path):
    scenario, out = write(tmp_path), tmp_path / "out"
    # the same swept paths as the refused sweep (another study would be refused for that alone)
    pair = ("--grid", "agreement.ratio.japan=0.5", "--grid", "agreement.ratio.eu=0.5", "--runs", 2)
    earlier = invoke("sweep", scenario, *pair, "--workers", 1, "-o", out)
    assert earlier.exit_code == 0, earlier.output
    (out / "notes.txt").write_text("the user's")
    before = contents(out)
    assert "sweep.parquet" in before and "manifest.json" in before
    refused(scenario, out)
    assert contents(out) == before


@pytest.mark.xdist_group("sweep-safety-whole")
def test_a_refused_sweep_keeps_the_checkpoints_of_another_sweep(tmp_path, monkeypatch, whole):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    before = contents(out)
    assert {".chunks/chunk-000000.json", ".chunks/chunk-000001.json"} <= set(before)
    # forced past the other sweep's chunks (tests/test_sweep_keep.py), which it sets aside and puts back
    refused(write(tmp_path), out, "--force")
    assert contents(out) == before
    # and the interrupted sweep still resumes from them: chunks 0 and 1 are not computed again
    assert resume(tmp_path, monkeypatch, out) == [2, 3]
    assert table_bytes(out) == table_bytes(whole)


def test_a_refused_resume_keeps_only_the_chunks_it_found(tmp_path, monkeypatch):
    scenario, out = write(tmp_path), tmp_path / "out"
    counted(monkeypatch, lost_after=1)
    stopped = invoke("sweep", scenario, *BAD_PAIR, "-o", out)
    assert stopped.exit_code == 3, stopped.output
    monkeypatch.setattr(sweep_runner, "run_chunk", RUN_CHUNK)
    before = contents(out)
    assert ".chunks/chunk-000000.json" in before and ".chunks/chunk-000001.json" not in before
    refused(scenario, out)  # resumes: saves chunks 1 and 2, then point 1 is refused in chunk 3
    assert contents(out) == before


def test_a_resumed_sweep_of_the_same_scenario_with_its_regions_reordered_starts_again(tmp_path, monkeypatch):
    # the order of regions decides which region draws which demand noise: the same content in
    # another order is another sweep, so none of the first file's chunks may be kept
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    reordered = {**STOCHASTIC, "regions": dict(reversed(list(STOCHASTIC["regions"].items())))}
    calls = counted(monkeypatch)
    args = ("sweep", write(tmp_path, reordered), *SMALL_SWEEP, *CHUNKED, "-o", out)
    refused = invoke(*args)  # another sweep: its chunks are not discarded without --force
    assert refused.exit_code == 2 and "holds 2 finished chunks (10 runs) of another sweep" in refused.output
    assert calls == []
    result = invoke(*args, "--force")
    assert result.exit_code == 0, result.output
    assert calls == [0, 1, 2, 3]


def test_a_resumed_sweep_after_a_code_change_starts_again(tmp_path, monkeypatch):
    # the version string stays 0.1.0 from commit to commit while the numbers may move
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    monkeypatch.setattr(sweep_runner, "code_fingerprint", lambda: "0123456789abcdef")
    refused = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)  # refused without --force
    assert refused.exit_code == 2 and "holds 2 finished chunks (10 runs) of a sweep run by other" in refused.output
    assert resume(tmp_path, monkeypatch, out, "--force") == [0, 1, 2, 3]


class _Workers:
    """A Dask client's ``run`` as seen from here: each worker's answer to the function."""

    def __init__(self, answers):
        self.answers = answers

    def run(self, function):
        return {worker: answer(function) if callable(answer) else answer for worker, answer in self.answers.items()}


def test_dask_workers_must_run_the_code_this_command_runs():
    from simulator.cli import _same_workers
    from simulator.version import code_fingerprint, library_versions

    here = code_fingerprint()
    alike, other = ({"code": code, "libraries": library_versions()} for code in (here, "0123456789abcdef"))
    _same_workers(_Workers({"tcp://a:1": lambda f: f(), "tcp://b:2": alike}), "tcp://s:8786")  # the same code: no error
    with pytest.raises(InputError) as caught:
        _same_workers(_Workers({"tcp://a:1": alike, "tcp://b:2": other}), "tcp://s:8786")
    assert caught.value.render() == (
        f"--dask tcp://s:8786: 1 worker runs other stockpile code than this command (tcp://b:2: code "
        f"0123456789abcdef, here {here}); install the same version of the package on every worker"
    )


def test_the_code_fingerprint_reads_windows_line_endings_as_unix_ones(tmp_path, monkeypatch):
    import simulator.version as version

    copy = tmp_path / "simulator"
    shutil.copytree(Path(version.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    fingerprints = []
    for ending in (b"\n", b"\r\n"):
        for path in copy.rglob("*.py"):
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", ending))
        monkeypatch.setattr(version, "__file__", str(copy / "version.py"))
        version.code_fingerprint.cache_clear()
        fingerprints.append(version.code_fingerprint())
    version.code_fingerprint.cache_clear()
    assert fingerprints[0] == fingerprints[1]
    monkeypatch.undo()
    assert version.code_fingerprint() == fingerprints[0]  # the copy is the package's own code


def test_a_chunk_made_by_other_code_stops_the_sweep(tmp_path, monkeypatch):
    # a Dask worker that joins after the check at the start runs its own code: its chunk is refused
    real = sweep_runner.run_chunk

    def elsewhere(chunk):
        return dataclasses.replace(real(chunk), code="0123456789abcdef")

    monkeypatch.setattr(sweep_runner, "run_chunk", elsewhere)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", tmp_path / "out")
    assert result.exit_code == 3
    assert "came back from a worker that runs other stockpile code (code 0123456789abcdef, here " in result.output
