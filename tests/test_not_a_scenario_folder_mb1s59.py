"""The advice for a YAML file that is no scenario names a skipped folder beside the file itself.

It said ``scenarios/_notes/`` (``scenarios/_sweeps/`` for a sweep file) wherever the file was:
for ``elsewhere/notes.yaml`` the folder to use is ``elsewhere/_notes/``.
"""

from __future__ import annotations

from tests.helpers import assert_bad_input, invoke


def test_a_notes_file_outside_scenarios_names_its_own_folder(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.yaml").write_text("title: my notes\nitems: [a, b]\n")
    result = invoke("validate", folder / "notes.yaml")
    assert_bad_input(result, f"in a folder whose name starts with '_' ({folder}/_notes/), which check")
    assert "scenarios/_notes/" not in result.output


def test_a_sweep_file_outside_scenarios_names_its_own_folder(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "sw.yaml").write_text("scenario: s.yaml\ngrid: {seed: [1, 2]}\nruns: 5\n")
    result = invoke("validate", folder / "sw.yaml")
    assert_bad_input(result, f"keep it outside the scenario folder or in {folder}/_sweeps/ (check")
    assert "scenarios/_sweeps/" not in result.output


def test_a_notes_file_in_a_scenarios_folder_still_reads_scenarios_notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "notes.yaml").write_text("title: my notes\n")
    assert_bad_input(invoke("validate", "scenarios/notes.yaml"), "(scenarios/_notes/), which check")
