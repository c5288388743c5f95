"""``stockpile run --seed``: a seed out of the scenario's range is refused as --seed (it was
reported as ``[set seed=...]``, naming a --set that was not given), and --help gives the range."""

from __future__ import annotations

import pytest

from simulator.library import resolve_scenario
from tests.helpers import TWO_MEMBERS, forbid_simulation, invoke, no_traceback
from tests.test_cli import write


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


@pytest.mark.parametrize("command", ["sweep", "explore"])
def test_a_root_seed_out_of_the_scenarios_range_is_refused_by_sweep_and_explore(tmp_path, command):
    """A scenario's seed is at most 2**32 - 1; sweep and explore took any root seed."""
    axis = "--grid" if command == "sweep" else "--axis"
    args = (command, write(tmp_path, TWO_MEMBERS), axis, "agreement.ratio.japan=0.2,0.8", "--seed", 2**32)
    result = invoke(*args, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--seed': 4294967296 is not in the range 0<=x<=4294967295" in result.output
    assert no_traceback(result) and not (tmp_path / "out").exists()


def test_a_sweep_that_runs_out_of_room_keeps_its_chunks_and_exits_2(tmp_path, monkeypatch):
    """A full disk while saving the second chunk: exit 2 (like any output that cannot be written, not 3
    as for a fault of the tool), one line saying why, and the first chunk kept for the resume."""
    import errno

    from simulator.sweep.checkpoints import Checkpoints

    save = Checkpoints.save
    saved: list[object] = []

    def full_after_one(self: Checkpoints, result: object) -> None:
        if saved:
            raise OSError(errno.ENOSPC, "No space left on device")
        saved.append(result)
        save(self, result)

    monkeypatch.setattr(Checkpoints, "save", full_after_one)
    out = tmp_path / "out"
    args = ("sweep", write(tmp_path, TWO_MEMBERS), "--grid", "agreement.ratio.japan=0.2,0.8", "--chunk-runs", 1)
    result = invoke(*args, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"sweep stopped: cannot write outputs: No space left on device: 1 finished chunk kept in "
        f"{out}/.chunks; run the same command to resume"
    )
    assert no_traceback(result)


@pytest.mark.parametrize("seed", [2**32, 2**33])
def test_the_api_and_a_sweep_file_refuse_the_seeds_the_cli_refuses(tmp_path, monkeypatch, seed):
    """The cap was the CLI's only: simulator.sweep and a sweep file's ``seed:`` took any root seed, and
    simulator.run and simulator.report refused it as ``[set seed=...]``, naming a ``set`` never given."""
    import simulator
    from simulator.sweep.grid import load_spec_file

    scenario = write(tmp_path, TWO_MEMBERS)
    forbid_simulation(monkeypatch)
    refused = f"seed: must be a whole number in [0, 4294967295], got {seed}"
    for call in (
        lambda: simulator.run(scenario, seed=seed),
        lambda: simulator.report(scenario, tmp_path / "r.html", seed=seed),
        lambda: simulator.sweep(scenario, grid=None, seed=seed, workers=1),
    ):
        with pytest.raises(simulator.InputError) as caught:
            call()
        assert str(caught.value) == refused
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"scenario: {scenario}\nseed: {seed}\n")
    with pytest.raises(simulator.InputError) as caught:
        load_spec_file(spec)
    assert str(caught.value) == f"{spec}: {refused}"
    result = invoke("sweep", "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert result.exit_code == 2 and f"{spec}: {refused}" in result.output, result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.html").exists()
    # the largest seed the CLI takes, a sweep file takes too
    spec.write_text(f"seed: {2**32 - 1}\n")
    assert load_spec_file(spec)[1].seed == 2**32 - 1


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("out/.chunks/chunk-1.parquet", 2),
        (".stockpile-stage-x1", 2),  # the staging folder made beside the output folder
        (".stockpile-stage-x1/summary.csv", 2),  # a file in it
        (".stockpile-stage-x1/plots/a.png", 2),
        ("input.bin", 3),
        ("elsewhere/.stockpile-stage-x1/summary.csv", 3),  # a staging name not beside the output folder
    ],
)
def test_no_right_to_a_file_is_exit_2_only_in_the_output_folder(tmp_path, monkeypatch, where, code):
    """EACCES writing a chunk in the output folder, or in a staging folder beside it, is the user's to
    mend (exit 2); on a file read elsewhere it is no output's fault and stays the tool's error (exit 3)."""
    import errno

    from simulator.sweep.checkpoints import Checkpoints

    out = tmp_path / "out"
    name = tmp_path / where

    def refused(self: Checkpoints, result: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(name))

    monkeypatch.setattr(Checkpoints, "save", refused)
    args = ("sweep", write(tmp_path, TWO_MEMBERS), "--grid", "agreement.ratio.japan=0.2,0.8", "--chunk-runs", 1)
    result = invoke(*args, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == code, result.output
    said = "cannot write outputs: Permission denied" if code == 2 else "stopped by an error: PermissionError"
    assert said in result.output.splitlines()[-1] and no_traceback(result)
