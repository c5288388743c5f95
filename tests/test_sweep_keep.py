"""A sweep never silently discards the finished chunks of another, interrupted sweep in its folder.

Another sweep (another fingerprint) written into a folder whose ``.chunks`` holds finished
chunks of an interrupted one deleted them with exit 0: the interrupted sweep then started
again from nothing. It is now refused (exit 2, before any run, nothing touched) unless
``--force`` (``force=True``); the same sweep resumes as before.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import simulator
from simulator.errors import InputError
from simulator.sweep import runner as sweep_runner
from simulator.version import __version__, code_fingerprint
from tests.helpers import contents, counted, no_run
from tests.test_sweep import SMALL_SWEEP, invoke, write
from tests.test_sweep_safety import CHUNKED, interrupted, resume, table_bytes

# the interrupted sweep (tests.test_sweep_safety): 3 points x 6 runs in chunks of 5, stopped after
# 2 chunks, so 10 runs are finished; the other sweep: 1 point x 3 runs, one chunk
OTHER = ("--grid", "agreement.ratio.japan=0.5", "--runs", 3, "--seed", 11)
OTHER_GRID = {"agreement.ratio.japan": [0.5]}
OTHER_APART = 'grid {"agreement.ratio.japan": [0.2, 0.5, 0.8]} -> {"agreement.ratio.japan": [0.5]}; runs 6 -> 3'
"""The options of the interrupted sweep that the other one changes, as the refusal names them."""


@pytest.fixture(scope="module")
def other_table(tmp_path_factory) -> bytes:
    """The other sweep's table, run into a new folder."""
    folder = tmp_path_factory.mktemp("other")
    result = invoke("sweep", write(folder), *OTHER, *CHUNKED, "-o", folder / "out")
    assert result.exit_code == 0, result.output
    return table_bytes(folder / "out")


def test_another_sweep_is_refused_before_any_run_and_touches_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    before = contents(out)
    assert {".chunks/fingerprint", ".chunks/chunk-000000.json", ".chunks/chunk-000001.json"} <= set(before)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: {out}: .chunks: holds 2 finished chunks (10 runs) of another sweep ({OTHER_APART}), which this "
        "sweep would discard: to resume that sweep, run the command that started it again (its options are in "
        ".chunks/made-by.json); to discard them and run this sweep, pass --force\n"
    )
    assert contents(out) == before  # every checkpoint byte for byte; no manifest, lock or stage left


def test_force_discards_the_other_sweeps_chunks_and_runs(tmp_path, monkeypatch, other_table):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    calls = counted(monkeypatch)
    assert invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out).exit_code == 2  # what --force is for
    assert calls == []
    result = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "--force", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"note: {out}/.chunks: 2 finished chunks (10 runs) of another sweep are discarded\n" in result.stderr
    assert calls == [0]  # the other sweep's one chunk, nothing of the interrupted one
    assert table_bytes(out) == other_table
    assert not (out / ".chunks").exists()
    assert not any(p.name.startswith(".stockpile") for p in out.iterdir())  # the set-aside chunks are gone too


def test_the_same_command_after_a_code_change_is_refused_naming_both_codes(tmp_path, monkeypatch):
    """After an upgrade (or any edit of the code) the same command is another sweep: "run the same
    command to resume" would be no way on, so the message names the code that can resume it."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    made_by = json.loads((out / ".chunks" / "made-by.json").read_text())
    assert {key: made_by[key] for key in ("version", "code")} == {"version": __version__, "code": code_fingerprint()}
    before = contents(out)
    no_run(monkeypatch)
    monkeypatch.setattr(sweep_runner, "code_fingerprint", lambda: "0123456789abcdef")
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: {out}: .chunks: holds 2 finished chunks (10 runs) of a sweep run by other stockpile code "
        f"({__version__}, code {code_fingerprint()}; this is {__version__}, code 0123456789abcdef), which this "
        "sweep would discard: to resume that sweep, run it again with that code; to discard them and run "
        "this sweep, pass --force\n"
    )
    assert contents(out) == before
    forged = {"version": "1\n::warning::forged", "code": "c" * 100}  # read from the folder: printed on one short line
    (out / ".chunks" / "made-by.json").write_text(json.dumps(forged))
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert not any(line.lstrip().startswith("::") for line in result.output.splitlines())
    assert f"(1 ::warning::forged, code {'c' * 40}; this is" in result.output


def test_checkpoints_without_made_by_are_refused_with_the_general_advice(tmp_path, monkeypatch):
    """Those of an older stockpile, which did not record its code."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    (out / ".chunks" / "made-by.json").unlink()
    before = contents(out)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    assert "holds 2 finished chunks (10 runs) of another sweep, which this sweep would discard: to resume " in (
        result.output
    )
    assert "run the command that started it again (with the same stockpile); to discard them" in result.output
    assert contents(out) == before


@pytest.mark.parametrize("extra", [(), ("--force",)], ids=["plain", "forced"])
def test_after_the_refusal_the_same_command_resumes_from_the_kept_chunks(tmp_path, monkeypatch, extra):
    out, whole = tmp_path / "out", tmp_path / "whole"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    assert invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out).exit_code == 2
    # the same sweep (same fingerprint) resumes, with or without --force: chunks 0 and 1 are kept
    assert resume(tmp_path, monkeypatch, out, *extra) == [2, 3]
    assert resume(tmp_path, monkeypatch, whole) == [0, 1, 2, 3]
    assert table_bytes(out) == table_bytes(whole)
    assert not (out / ".chunks").exists()


def test_the_api_refuses_likewise_and_force_true_discards(tmp_path, monkeypatch):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    before = contents(out)
    scenario = write(tmp_path)
    no_run(monkeypatch)
    with pytest.raises(InputError) as caught:
        simulator.sweep(scenario, OTHER_GRID, runs=3, seed=11, workers=1, out=out)
    assert str(caught.value) == (
        f"{out}: .chunks: holds 2 finished chunks (10 runs) of another sweep ({OTHER_APART}; chunk_runs 5 -> 5000), "
        "which this sweep "
        "would discard: to resume that sweep, run the command that started it again (its options are in "
        ".chunks/made-by.json); to discard them and run this sweep, pass force="
    )
    assert contents(out) == before
    calls = counted(monkeypatch)
    with warnings.catch_warnings(record=True) as said:  # with the closing notes on its one point's figures
        warnings.simplefilter("always")
        table = simulator.sweep(scenario, OTHER_GRID, runs=3, seed=11, workers=1, out=out, force=True)
    discarded = f"{out}/.chunks: 2 finished chunks (10 runs) of another sweep are discarded"
    assert any(str(w.message).startswith(discarded) for w in said)
    assert calls == [0] and len(table) == 3
    assert not (out / ".chunks").exists()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        simulator.sweep(scenario, OTHER_GRID, runs=3, seed=11, workers=1, out=fresh)
    assert "sweep_metrics.png not drawn: a metrics figure needs two or more grid points" in map(
        str, (w.message for w in said)
    )
    assert table_bytes(out) == table_bytes(fresh)


def _break_receipt(chunks: Path, index: int) -> None:
    (chunks / f"chunk-{index:06d}.json").write_text("{not json")


def _lose_table(chunks: Path, index: int) -> None:
    (chunks / f"chunk-{index:06d}.parquet").unlink()


def test_only_chunks_whose_receipt_reads_as_the_other_sweeps_count_and_none_does_not_block(tmp_path, monkeypatch):
    """A damaged chunk is not a finished one (that sweep would compute it again): it is not counted,
    and a checkpoint folder with none (damaged, or empty as a sweep that stopped in its first chunk
    leaves it) is discarded without --force, as before."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=3)  # chunks 0-2: runs 0-14
    chunks = out / ".chunks"
    _break_receipt(chunks, 0)
    _lose_table(chunks, 1)
    before = contents(out)
    no_run(monkeypatch)
    refused = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out)
    assert refused.exit_code == 2 and "holds 1 finished chunk (5 runs) of another sweep" in refused.output
    assert contents(out) == before
    _break_receipt(chunks, 2)  # no finished chunk left: nothing to lose
    calls = counted(monkeypatch)
    result = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    assert calls == [0] and not chunks.exists()
    # a sweep stopped in its first chunk leaves only the fingerprint: not refused either
    empty = tmp_path / "empty"
    interrupted(tmp_path, monkeypatch, empty, finished=0)
    assert sorted(p.name for p in (empty / ".chunks").iterdir()) == ["fingerprint", "made-by.json"]
    calls = counted(monkeypatch)
    assert invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", empty).exit_code == 0
    assert calls == [0] and not (empty / ".chunks").exists()


def test_the_chunks_are_told_first_when_the_folder_also_holds_another_commands_output(tmp_path, monkeypatch):
    """Review 39: a run written into the interrupted sweep's folder made the other sweep refuse for
    the run's output alone; --force, given for that, then discarded the chunks unannounced."""
    from tests.helpers import TWO_MEMBERS

    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    (tmp_path / "pair").mkdir()
    ran = invoke("run", write(tmp_path / "pair", TWO_MEMBERS), "--no-plots", "-o", out)
    assert ran.exit_code == 0, ran.output
    before = contents(out)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *OTHER, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {out}: .chunks: holds 2 finished chunks (10 runs) of another sweep")
    assert contents(out) == before
