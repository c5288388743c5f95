"""A finished sweep is not silently replaced by a sweep of another study into the same folder (audit s51, item 3).

A sweep of another scenario into a folder holding a finished 180-run Monte Carlo sweep replaced
it with exit 0 and no word. Now a sweep of another study (another scenario file or name, other
swept paths) is refused with exit 2 before any run, naming the earlier study; the same study
run again (other values, runs or seed) replaces it with a note saying what it replaced.
"""

from __future__ import annotations

import copy
import json

from tests.helpers import contents, counted, no_run
from tests.test_sweep import SMALL_SWEEP, STOCHASTIC, invoke, write
from tests.test_sweep_safety import CHUNKED, interrupted

FIRST = ("--grid", "agreement.ratio.japan=0.2:0.8:0.3", "--runs", 2, "--seed", 11)  # 3 points x 2 runs


def finished(tmp_path, out):
    """The first study, finished into ``out``: its scenario file ``tmp_path/s.yaml``."""
    result = invoke("sweep", write(tmp_path), *FIRST, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    return contents(out)


def refusal(out, this: str) -> str:
    name = STOCHASTIC["name"]
    return (
        f"error: {out}: holds a finished sweep of another study, {name} over agreement.ratio.japan (3 points x 2 runs)"
    ), f"which this sweep of {this} would replace: choose another output folder, or pass --force to replace it\n"


def test_a_sweep_of_another_scenario_file_is_refused_and_touches_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = finished(tmp_path, out)
    (tmp_path / "b").mkdir()
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path / "b"), *FIRST, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    start, end = refusal(out, f"{STOCHASTIC['name']} over agreement.ratio.japan")
    assert result.output.startswith(start + f" of {tmp_path / 's.yaml'} (so says its sweep.json)")
    assert result.output.endswith(end)
    assert contents(out) == before


def test_a_sweep_of_another_scenario_name_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = finished(tmp_path, out)
    renamed = copy.deepcopy(STOCHASTIC)
    renamed["name"] = "renamed"
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path, renamed), *FIRST, *CHUNKED, "-o", out)  # the same file, renamed
    assert result.exit_code == 2, result.output
    start, end = refusal(out, "renamed over agreement.ratio.japan")
    assert result.output == f"{start} (so says its sweep.json), {end}"
    assert contents(out) == before


def test_a_sweep_over_other_paths_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = finished(tmp_path, out)
    no_run(monkeypatch)
    grid = ("--grid", "agreement.ratio.japan=0.2,0.5", "--grid", "regions.eu.commercial_stock.ree.days=4,6")
    result = invoke("sweep", write(tmp_path), *grid, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    start, end = refusal(
        out, f"{STOCHASTIC['name']} over agreement.ratio.japan and regions.eu.commercial_stock.ree.days"
    )
    assert result.output == f"{start} (so says its sweep.json), {end}"
    assert contents(out) == before


def test_the_same_study_run_again_replaces_it_with_a_note(tmp_path):
    out = tmp_path / "out"
    finished(tmp_path, out)
    # other values of the same path, more runs, another seed: the same study
    again = ("--grid", "agreement.ratio.japan=0.1,0.9", "--runs", 3, "--seed", 5)
    result = invoke("sweep", write(tmp_path), *again, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    assert (
        f"note: {out}/sweep.parquet: replaced the earlier sweep of {STOCHASTIC['name']} over "
        "agreement.ratio.japan (3 points x 2 runs), written 20"
    ) in result.stderr
    assert result.stdout.startswith(f"6 runs (2 points x 3) written to {out}/sweep.parquet")


def test_force_replaces_another_study_with_the_note(tmp_path):
    out = tmp_path / "out"
    finished(tmp_path, out)
    (tmp_path / "b").mkdir()
    result = invoke("sweep", write(tmp_path / "b"), *FIRST, *CHUNKED, "--force", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"note: {out}/sweep.parquet: replaced the earlier sweep of {STOCHASTIC['name']} over" in result.stderr


def test_a_forced_sweep_interrupted_over_another_study_resumes_without_force(tmp_path, monkeypatch):
    """The user chose to replace the earlier study when the sweep began: "run the same command
    again" (without --force, as the interruption's message says) resumes it."""
    out = tmp_path / "out"
    (tmp_path / "a").mkdir()
    result = invoke("sweep", write(tmp_path / "a"), *FIRST, *CHUNKED, "-o", out)  # another file: another study
    assert result.exit_code == 0, result.output
    interrupted(tmp_path, monkeypatch, out, 2, "--force")
    assert (out / ".chunks" / "fingerprint").is_file()
    calls = counted(monkeypatch)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    assert calls == [2, 3]  # chunks 0 and 1 kept
    assert f"note: {out}/sweep.parquet: replaced the earlier sweep of {STOCHASTIC['name']} over" in result.stderr


def test_the_same_study_run_from_another_folder_is_the_same_study(tmp_path, monkeypatch):
    # sweep.json keeps the scenario file as typed (s.yaml, relative): from another folder it names nothing there,
    # so it tells nothing, and the same name over the same paths is the same study, replaced with the note
    out = tmp_path / "out"
    write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert invoke("sweep", "s.yaml", *FIRST, *CHUNKED, "-o", out).exit_code == 0
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = invoke("sweep", tmp_path / "s.yaml", *FIRST, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"note: {out}/sweep.parquet: replaced the earlier sweep of {STOCHASTIC['name']} over" in result.stderr


def test_a_sweep_folder_whose_manifest_predates_the_command_field_is_kept_from_another_study(tmp_path, monkeypatch):
    out = tmp_path / "out"
    finished(tmp_path, out)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["command"]  # as manifests were written before they named their command
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = contents(out)
    renamed = copy.deepcopy(STOCHASTIC)
    renamed["name"] = "renamed"
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path, renamed), *FIRST, *CHUNKED, "-o", out)
    assert result.exit_code == 2, result.output
    start, end = refusal(out, "renamed over agreement.ratio.japan")
    assert result.output == f"{start} (so says its sweep.json), {end}"
    assert contents(out) == before
