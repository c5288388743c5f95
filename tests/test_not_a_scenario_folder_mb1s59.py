"""The advice for a YAML file that is no scenario names a skipped folder beside the file itself.

It said ``scenarios/_notes/`` (``scenarios/_sweeps/`` for a sweep file) wherever the file was:
for ``elsewhere/notes.yaml`` the folder to use is ``elsewhere/_notes/``.
"""

from __future__ import annotations

import pytest

from tests.helpers import assert_bad_input, invoke


@pytest.mark.parametrize(
    ("name", "text", "advice", "not_said"),
    [
        (
            "notes.yaml",
            "title: my notes\nitems: [a, b]\n",
            "in a folder whose name starts with '_' ({}/_notes/), which check",
            "scenarios/_notes/",
        ),
        (
            "sw.yaml",
            "scenario: s.yaml\ngrid: {seed: [1, 2]}\nruns: 5\n",
            "keep it outside the scenario folder or in {}/_sweeps/ (check",
            "scenarios/_sweeps/",
        ),
    ],
    ids=["notes", "sweep-file"],
)
def test_a_file_outside_scenarios_names_its_own_folder(tmp_path, name, text, advice, not_said):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / name).write_text(text)
    result = invoke("validate", folder / name)
    assert_bad_input(result, advice.format(folder))
    assert not_said not in result.output


def test_a_notes_file_in_a_scenarios_folder_still_reads_scenarios_notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "notes.yaml").write_text("title: my notes\n")
    assert_bad_input(invoke("validate", "scenarios/notes.yaml"), "(scenarios/_notes/), which check")
