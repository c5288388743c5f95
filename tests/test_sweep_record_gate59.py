"""sweep.json records the worker processes asked for (``workers_requested``) beside those that ran
(``workers``): a sweep of one chunk on --workers 2 ran in the command's own process, but 2 were asked."""

from __future__ import annotations

from simulator.sweep import run_sweep
from simulator.sweep import runner as sweep_runner
from simulator.sweep.backends import in_process
from simulator.workbook import MACHINE_FIELDS
from tests.test_sweep import SMALL_SWEEP, invoke, sweep_of, write
from tests.test_sweep_record import ThreeWorkerCluster, info_of


def test_a_sweep_of_more_chunks_than_one_records_both_counts(tmp_path):
    """18 runs in chunks of 9 are two chunks: --workers 3 asked, two processes started."""
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 3, "--chunk-runs", 9, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    info = info_of(out)
    assert (info["workers_requested"], info["backend"], info["workers"]) == (3, "local processes", 2)


def test_a_dask_sweep_records_the_cluster_s_workers_as_asked_for(tmp_path, monkeypatch):
    """Two chunks of 9 on a cluster of three workers: three available, two computed; the 8 passed are not used."""
    monkeypatch.setattr(sweep_runner, "dask_cluster", lambda chunks, run, *_: in_process(chunks, run))
    run_sweep(sweep_of(tmp_path, chunk_runs=9), tmp_path / "two", workers=8, client=ThreeWorkerCluster())
    info = info_of(tmp_path / "two")
    assert (info["workers_requested"], info["backend"], info["workers"]) == (3, "dask", 2)


def test_the_workbook_leaves_out_the_workers_asked_for_as_it_does_those_that_ran():
    """The workbook's set-up is the same bytes whatever the machine: both counts are the machine's."""
    assert {"workers_requested", "workers"} <= set(MACHINE_FIELDS)
