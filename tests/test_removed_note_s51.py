"""A run into a folder holding an earlier output names the files of it that it removed (audit s51 item 6).

Those files (an earlier ``--uncertainty``'s samples and fan charts, a report, a workbook)
used to vanish with no word; sweeps already said "replaced the earlier sweep".
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import simulator
from simulator.output_folder import manifest_info, open_folder, removed_note
from tests.helpers import TWO_MEMBERS, invoke, manifest_of
from tests.test_sweep import write


def _stage(folder: Path, names: list[str], command: str = "run") -> tuple[list[str], str | None]:
    """Write ``names`` into ``folder`` as ``command`` replacing its output; the names it removed, and its note."""
    with open_folder(folder, names, command=command) as out:
        with out.staged(manifest_info()) as stage:
            for name in names:
                (stage / name).write_text(name)
        return out.removed, removed_note(out)


def test_the_note_names_the_first_five_removed_and_counts_the_rest(tmp_path):
    folder = tmp_path / "out"
    earlier = [f"{letter}.csv" for letter in "abcdefgh"]  # 8 files
    assert _stage(folder, earlier) == ([], None)  # a new folder: nothing removed, no note
    removed, note = _stage(folder, ["h.csv"])  # 7 of the 8 are not written again
    assert removed == earlier[:7]
    assert note == (
        f"{folder}/: replaced the earlier output; removed its files this run does not write: "
        "a.csv, b.csv, c.csv, d.csv, e.csv and 2 more"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["h.csv", "manifest.json"]


def test_a_file_removed_and_written_again_by_a_later_commit_is_not_named(tmp_path):
    folder = tmp_path / "out"
    _stage(folder, ["table.csv", "figure.png", "old.png"], command="sweep")
    with open_folder(folder, ["table.csv", "figure.png"], command="sweep") as out:
        with out.staged(manifest_info()) as stage:  # the table first: the earlier figures go
            (stage / "table.csv").write_text("t")
        assert out.removed == ["figure.png", "old.png"]
        with out.staged(replaces=["figure.png"]) as stage:  # then the figures, drawn again
            (stage / "figure.png").write_text("f")
        assert out.removed == ["old.png"]
        assert removed_note(out) == (
            f"{folder}/: replaced the earlier output; removed its files this sweep does not write: old.png"
        )


def test_run_says_which_files_of_the_earlier_run_it_removed(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "run"
    first = invoke("run", scenario, "-o", folder, "--report", "--excel")
    assert first.exit_code == 0, first.output
    assert "note: " not in first.output  # a new folder
    again = invoke("run", scenario, "-o", folder, "--report", "--excel")
    assert again.exit_code == 0, again.output
    assert "replaced the earlier output" not in again.output  # the same files written again: nothing removed
    fewer = invoke("run", scenario, "-o", folder, "--no-plots")
    assert fewer.exit_code == 0, fewer.output
    gone = ["days_of_cover.png", "report.html", "shortfall.png", "supply_mix.png", "workbook.xlsx"]
    line = f"note: {folder}/: replaced the earlier output; removed its files this run does not write: {', '.join(gone)}"
    assert line in fewer.stderr.splitlines()
    assert not any((folder / name).exists() for name in gone)
    assert not set(gone) & set(manifest_of(folder)["files"])


def test_the_python_api_warns_at_the_users_line_naming_what_a_write_removed(tmp_path):
    # RunResult.write into the folder of an earlier write with figures, now without: the figures go, as with
    # stockpile run, and a UserWarning says so at this line (not the package's); the same write again says nothing
    result = simulator.run(TWO_MEMBERS)
    out = tmp_path / "out"
    result.write(out)
    figures = sorted(p.name for p in out.glob("*.png"))
    assert figures == ["days_of_cover.png", "shortfall.png", "supply_mix.png"]
    with pytest.warns(UserWarning, match="replaced the earlier output") as warned:
        result.write(out, plots=False)
    assert [w.filename for w in warned] == [__file__]
    assert str(warned[0].message) == (
        f"{out}/: replaced the earlier output; removed its files this run does not write: "
        "days_of_cover.png, shortfall.png, supply_mix.png"
    )
    assert not list(out.glob("*.png"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result.write(out, plots=False)
