"""What sweep.json and the terminal say about how a sweep ran: the processes that computed
its chunks (not the --workers asked for), a resume that kept chunks, the notes it printed."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.sweep import run_sweep
from simulator.sweep import runner as sweep_runner
from simulator.sweep.backends import in_process
from tests.helpers import RUN_CHUNK, counted
from tests.test_sweep import SMALL_SWEEP, invoke, sweep_of, write


def info_of(folder: Path) -> dict:
    return json.loads((folder / "sweep.json").read_text())


def test_a_sweep_of_one_chunk_records_that_it_ran_in_the_command_s_own_process(tmp_path):
    """18 runs in the default chunk (thousands of runs) are one chunk: --workers 2 starts no process."""
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 2, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    info = info_of(out)
    assert (info["backend"], info["workers"], info["total_runs"]) == ("this process", 1, 18)
    assert info["workers_requested"] == 2  # what was asked, beside what ran


def test_a_sweep_records_the_processes_its_chunks_ran_on(tmp_path):
    """18 runs in chunks of 9 are two chunks: --workers 3 starts two processes."""
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 3, "--chunk-runs", 9, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    info = info_of(out)
    assert (info["backend"], info["workers"], info["chunk_runs"]) == ("local processes", 2, 9)


class ThreeWorkerCluster:
    """What a sweep asks of a Dask client before its chunks run: the cluster's workers."""

    def nthreads(self) -> dict[str, int]:
        return {"tcp://10.0.0.1:1": 1, "tcp://10.0.0.2:1": 1, "tcp://10.0.0.3:1": 1}


def test_a_sweep_on_a_dask_client_records_the_cluster_s_workers_not_the_workers_passed(tmp_path, monkeypatch):
    """The API passes this machine's cores as workers beside a client: 18 runs in chunks of 5 are
    four chunks, of which a cluster of three workers computes three at a time (not min(8, 4) = 4);
    chunks of 9 are two, so two of its workers compute. The chunks run here, in the cluster's stead."""
    monkeypatch.setattr(sweep_runner, "dask_cluster", lambda chunks, run, *_: in_process(chunks, run))
    run_sweep(sweep_of(tmp_path, chunk_runs=5), tmp_path / "four", workers=8, client=ThreeWorkerCluster())
    assert (info_of(tmp_path / "four")["backend"], info_of(tmp_path / "four")["workers"]) == ("dask", 3)
    run_sweep(sweep_of(tmp_path, chunk_runs=9), tmp_path / "two", workers=8, client=ThreeWorkerCluster())
    assert info_of(tmp_path / "two")["workers"] == 2


def test_a_resumed_sweep_says_what_it_kept_and_what_it_computes_again(tmp_path, monkeypatch):
    """Chunks of 5 of 18 runs: 0-3. Chunks 0 and 1 finish, then the sweep stops; chunk 1's table
    is cut short on disk. The rerun keeps chunk 0, computes 1 again and 2, 3 for the first time."""
    scenario, out = write(tmp_path), tmp_path / "out"
    chunked = ("--workers", 1, "--chunk-runs", 5, "--no-plots")
    counted(monkeypatch, lost_after=2)
    result = invoke("sweep", scenario, *SMALL_SWEEP, *chunked, "-o", out)
    assert result.exit_code == 3, result.output
    monkeypatch.setattr(sweep_runner, "run_chunk", RUN_CHUNK)
    damaged = out / ".chunks" / "chunk-000001.parquet"
    damaged.write_bytes(damaged.read_bytes()[:100])
    calls = counted(monkeypatch)
    result = invoke("sweep", scenario, *SMALL_SWEEP, *chunked, "-o", out)
    assert result.exit_code == 0, result.output
    assert calls == [1, 2, 3]
    line = f"note: {out}/.chunks: resumed: 1 finished chunk kept, 1 computed again (damaged), 2 still to do"
    assert line in result.output.splitlines()
    assert "18 runs (3 points x 6) written" in result.output


def test_a_sweep_that_is_not_resumed_says_nothing_of_resuming(tmp_path):
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    assert "resumed" not in result.output


RATIO_MOVES = (
    "agreement.ratio.japan: its values leave the members' total shortfall the same (5,940 t of ree at each value)"
)
"""The start of the note on the pair's ratio: it moves who is short (Japan 1,188 t to 1,180 t), not the total."""


def _heads(notes: list[str]) -> list[str]:
    """Each note up to its first ``;``."""
    return [note.split(";")[0] for note in notes]


def test_sweep_json_notes_hold_what_the_terminal_noted(tmp_path, monkeypatch):
    """The embargo runs from day -100 to past the 60-day horizon: ending it on day 500 or 1000
    changes nothing, and the ratio moves who is short, not the total (a note says so). Deterministic,
    so --runs 3 runs each point once. Which
    paths changed nothing is worked out once (a pass over every metric of every run), for
    sweep.json and the terminal alike."""
    from simulator.sweep import figures as sweep_figures
    from tests.helpers import TWO_MEMBERS

    looked = []
    real = sweep_figures.unchanged_paths
    monkeypatch.setattr(sweep_figures, "unchanged_paths", lambda *args: looked.append(args[1]) or real(*args))
    out = tmp_path / "out"
    grids = ("--grid", "agreement.ratio.japan=0.2,0.8", "--grid", "shocks.halt.end=500,1000")
    result = invoke("sweep", write(tmp_path, TWO_MEMBERS), *grids, "--runs", 3, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    inert = "shocks.halt.end: its values changed no output of this sweep (every metric is the same for each value)"
    once = "pair has no random inputs, so the 3 runs of each point would all be alike: each point runs once"
    assert _heads(info_of(out)["notes"]) == [once, inert, RATIO_MOVES]
    printed = [line.removeprefix("note: ") for line in result.output.splitlines() if line.startswith("note: ")]
    assert _heads(printed) == [once, inert, RATIO_MOVES]
    assert looked == [["agreement.ratio.japan", "shocks.halt.end"]]


def test_a_rerun_that_finds_every_chunk_kept_records_that_nothing_ran(tmp_path, monkeypatch):
    """The sweep stops after its last chunk is saved, before the table: the rerun computes nothing."""
    import simulator.sweep as sweep_package
    from simulator.sweep import SweepStopped

    scenario, out = write(tmp_path), tmp_path / "out"
    chunked = ("--workers", 1, "--chunk-runs", 9, "--no-plots")

    def stopped(*args, **kwargs):
        raise SweepStopped("stopped before the table")

    real = sweep_package.finish_sweep
    monkeypatch.setattr(sweep_package, "finish_sweep", stopped)
    assert invoke("sweep", scenario, *SMALL_SWEEP, *chunked, "-o", out).exit_code == 3
    monkeypatch.setattr(sweep_package, "finish_sweep", real)
    calls = counted(monkeypatch)
    result = invoke("sweep", scenario, *SMALL_SWEEP, *chunked, "-o", out)
    assert result.exit_code == 0, result.output
    assert calls == []
    assert f"note: {out}/.chunks: resumed: 2 finished chunks kept, 0 still to do" in result.output.splitlines()
    info = info_of(out)
    assert (info["backend"], info["workers"]) == ("none (every chunk was kept from an interrupted sweep)", 0)


def test_the_table_written_is_told_only_the_paths_that_changed_nothing_not_the_planned_notes(tmp_path):
    """The CLI prints, after the runs, the notes of swept paths that changed nothing: finish_sweep hands
    over those alone, so which of sweep.json's notes are new does not hang on the order it lists them."""
    from simulator.sweep import SweepSpec, parse_axis, plan_sweep
    from simulator.sweep.runner import without_repeats
    from tests.helpers import TWO_MEMBERS

    axes = (parse_axis("agreement.ratio.japan=0.2,0.8"), parse_axis("shocks.halt.end=500,1000"))
    planned, _ = without_repeats(plan_sweep(TWO_MEMBERS, "pair.yaml", SweepSpec(axes, runs=3)))
    told: list[list[str]] = []
    run_sweep(planned, tmp_path / "out", workers=1, on_table=told.append)
    inert = "shocks.halt.end: its values changed no output of this sweep (every metric is the same for each value)"
    once = "pair has no random inputs, so the 3 runs of each point would all be alike: each point runs once"
    assert [_heads(notes) for notes in told] == [[inert, RATIO_MOVES]]
    assert _heads(info_of(tmp_path / "out")["notes"]) == [once, inert, RATIO_MOVES]
