"""Bad input to the sweep machinery (audit 41, findings 1, 3 and 8): exit 2 naming what is wrong, no traceback,
nothing written lost, no file of the user's deleted.

The world of the date tests: two members cut off by China, the start date 1 November 2010,
the embargo's end swept (as in test_sweep_dates). Day 19 of the run is 20 November 2010,
so ``2010-11-20,19`` names one day twice, and ``2010-11-20,10`` a date and a day number.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import yaml

import simulator.api as api
from simulator.errors import InputError
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, contents, counted, no_run
from tests.test_sweep import SMALL_SWEEP, invoke, write
from tests.test_sweep_safety import CHUNKED, interrupted, resume

DATED = build(TWO_MEMBERS, start_date="2010-11-01", horizon_days=40)
END = "shocks.halt.end"


def dated(tmp_path) -> str:
    path = tmp_path / "dated.yaml"
    path.write_text(yaml.safe_dump(DATED, sort_keys=False))
    return str(path)


# --- finding 1: an axis mixing dates and day numbers is refused before any run ---------------------


MIXED = "mixes dates and day numbers ({} and {}): give all its values as dates (YYYY-MM-DD) or all as day numbers"


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ("2010-11-20,10", ("2010-11-20", "10")),  # stored as 1970-01-11, ran as 2010-11-11
        ("10,2010-11-20", ("2010-11-20", "10")),  # exit 3 and "run the same command to resume", for ever
        ("2010-11-20,19", ("2010-11-20", "19")),  # one day twice: day 19 is 20 November
    ],
)
def test_a_grid_mixing_dates_and_day_numbers_is_refused_naming_the_axis(tmp_path, monkeypatch, values, shown):
    no_run(monkeypatch)
    out = tmp_path / "out"
    result = invoke("sweep", dated(tmp_path), "--grid", f"{END}={values}", "--workers", 1, "--no-plots", "-o", out)
    assert_bad_input(result, f"--grid {END}: " + MIXED.format(*shown))
    assert not out.exists()  # refused before the folder was made


def test_a_sweep_file_mixing_a_date_and_a_text_is_refused_naming_the_file_and_path(tmp_path, monkeypatch):
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f'grid:\n  {END}: [2010-11-20, "20 Nov 2010"]\n')  # a date in quotes is a date: this is not one
    result = invoke("sweep", dated(tmp_path), "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"{spec}: grid.{END}: mixes dates and other values (2010-11-20 and '20 Nov 2010'): give all its values "
        "as dates (YYYY-MM-DD) or all as day numbers",
    )


def test_the_python_api_refuses_a_list_mixing_a_date_and_a_day_number(tmp_path, monkeypatch):
    no_run(monkeypatch)
    with pytest.raises(InputError) as caught:
        api.sweep(dated(tmp_path), grid={END: [dt.date(2010, 11, 20), 10]}, workers=1)
    assert f"grid['{END}']: " + MIXED.format("2010-11-20", "10") in str(caught.value)


def test_explore_refuses_an_axis_mixing_a_date_and_a_day_number(tmp_path, monkeypatch):
    no_run(monkeypatch)
    page = tmp_path / "page.html"
    result = invoke("explore", dated(tmp_path), "--axis", f"{END}=2010-11-20,10", "-o", page)
    assert_bad_input(result, f"--axis {END}: " + MIXED.format("2010-11-20", "10"))
    assert not page.exists()


def test_all_dates_and_all_day_numbers_still_run_and_name_the_same_days(tmp_path):
    """Day 9 and 19 of a run from 1 November are 10 and 20 November: the same metrics either way."""
    by_date, by_day = tmp_path / "by_date", tmp_path / "by_day"
    for values, out in (("2010-11-10,2010-11-20", by_date), ("9,19", by_day)):
        result = invoke("sweep", dated(tmp_path), "--grid", f"{END}={values}", "--workers", 1, "--no-plots", "-o", out)
        assert result.exit_code == 0, result.output
    a, b = pd.read_parquet(by_date / "sweep.parquet"), pd.read_parquet(by_day / "sweep.parquet")
    assert a[END].dt.day.tolist() == [10, 20] and b[END].tolist() == [9, 19]
    assert a["total_shortfall_t"].tolist() == b["total_shortfall_t"].tolist()


# --- finding 3: plot-sweep on a hand-edited table ----------------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A finished 3-point date sweep with its metrics figure (the embargo's end is no choice: no frontier)."""
    folder = tmp_path_factory.mktemp("drawn")
    out = folder / "sw"
    result = invoke(
        "sweep", dated(folder), "--grid", f"{END}=2010-11-20,2010-11-10,2010-11-15", "--workers", 1, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert not (out / "sweep_frontier.png").exists() and (out / "sweep_metrics.png").is_file()
    return out


@pytest.fixture(scope="module")
def chosen(tmp_path_factory):
    """A finished 3-point sweep of a choice (Japan's ratio, 6 runs a point) with the metrics figure and the frontier."""
    folder = tmp_path_factory.mktemp("chosen")
    out = folder / "sw"
    result = invoke("sweep", write(folder), *SMALL_SWEEP, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / "sweep_frontier.png").is_file() and (out / "sweep_metrics.png").is_file()
    return out


def edited(drawn, tmp_path, edit) -> tuple:
    import shutil

    out = tmp_path / "sw"
    shutil.copytree(drawn, out)
    table = pd.read_parquet(out / "sweep.parquet")
    edit(table)
    table.to_parquet(out / "sweep.parquet", index=False)
    return out, contents(out)


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (
            lambda t: t.__setitem__(END, pd.Series([pd.NaT] * len(t), dtype="datetime64[ms]")),
            "3 rows have no date: a sweep writes a date in every row",
        ),
        (
            lambda t: t.__setitem__(END, t[END].where(t.index != 1)),
            "1 row has no date: a sweep writes a date in every row",
        ),
        (
            lambda t: t.__setitem__(
                END, pd.Series([dt.datetime(1, 1, 1), *t[END][1:]], index=t.index, dtype="datetime64[ms]")
            ),
            "0001-01-01 is outside 1900-01-01 to 2200-12-31, the dates a scenario may give",
        ),
    ],
    ids=["all-NaT", "one-NaT", "year-1"],
)
def test_plot_sweep_refuses_a_date_column_it_cannot_place_naming_it(drawn, tmp_path, edit, why):
    out, before = edited(drawn, tmp_path, edit)
    result = invoke("plot-sweep", out)
    assert_bad_input(result, f"sweep.parquet: column {END}: {why}")
    assert contents(out) == before  # the figures drawn before are kept, nothing written


FRONTIER_GONE = (
    "sweep_frontier.png not drawn: fewer than two grid points have a finite Total shortfall (t) and "
    "Fairness (Jain's index) (medians over its runs)"
)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_plot_sweep_with_no_finite_total_shortfall_draws_the_rest_and_says_why_not_the_frontier(chosen, tmp_path, bad):
    """Every point's total shortfall NaN (or inf): no dot can be placed; it gave a traceback, exit 1."""
    out, _ = edited(chosen, tmp_path, lambda t: t.__setitem__("total_shortfall_t", bad))
    result = invoke("plot-sweep", out)
    assert result.exit_code == 0, result.output
    assert FRONTIER_GONE in result.output
    assert (out / "sweep_metrics.png").is_file() and not (out / "sweep_frontier.png").exists()


def test_plot_sweep_leaves_out_one_point_of_infinite_shortfall_and_says_so(chosen, tmp_path):
    """Point 0 (ratio 0.2) inf: the frontier is drawn with the other two, the metrics panel without it, and
    the notes count one point left out of each (it was drawn silently, or crashed the frontier)."""
    out, before = edited(
        chosen,
        tmp_path,
        lambda t: t.__setitem__("total_shortfall_t", t["total_shortfall_t"].where(t["point"] != 0, np.inf)),
    )
    result = invoke("plot-sweep", out)
    assert result.exit_code == 0, result.output
    assert (
        "sweep_frontier.png drawn: 1 grid point left out: no finite Total shortfall (t) and Fairness (Jain's index)"
        in result.output
    )
    assert "sweep_metrics.png drawn: Total shortfall (t) at 1 grid point not shown (no finite value)" in result.output
    assert contents(out)["sweep_frontier.png"] != before["sweep_frontier.png"]  # redrawn, with two dots


# --- finding 8: a user's file in .chunks is never deleted --------------------------------------------


REFUSED_NOTES = (
    ".chunks/notes.txt: is not a checkpoint file; the sweep keeps only its checkpoint files there (and deletes "
    "them when it ends): move it elsewhere and run the same command again"
)


def test_a_users_file_in_the_checkpoints_is_refused_at_resume_and_kept(tmp_path, monkeypatch):
    """It was deleted with .chunks when the resumed sweep finished."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    (out / ".chunks" / "notes.txt").write_text("mine")
    before = contents(out)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert_bad_input(result, REFUSED_NOTES)
    assert contents(out) == before
    (out / ".chunks" / "notes.txt").rename(tmp_path / "notes.txt")
    assert resume(tmp_path, monkeypatch, out) == [2, 3]  # the 2 finished chunks are kept
    assert not (out / ".chunks").exists()


def test_a_users_file_in_another_sweeps_checkpoints_is_refused_even_forced(tmp_path, monkeypatch):
    """--force discards another sweep's chunks: the folder was set aside and deleted, notes.txt with it."""
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, 1, "--seed", 12)  # another root seed: another sweep
    (out / ".chunks" / "notes.txt").write_text("mine")
    before = contents(out)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "--force", "-o", out)
    assert_bad_input(result, REFUSED_NOTES)
    assert contents(out) == before


def test_a_file_put_in_the_checkpoints_while_the_sweep_runs_is_kept_and_named(tmp_path, monkeypatch):
    """Only the sweep's own files are deleted at the end: .chunks stays, holding notes.txt alone."""
    out = tmp_path / "out"
    calls = counted(monkeypatch)
    real = __import__("simulator.sweep.runner", fromlist=["run_chunk"]).run_chunk

    def run_chunk(chunk):
        if chunk.index == 1:
            (out / ".chunks" / "notes.txt").write_text("mine")
        return real(chunk)

    monkeypatch.setattr("simulator.sweep.runner.run_chunk", run_chunk)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert result.exit_code == 0, result.output
    assert calls == [0, 1, 2, 3]
    assert (
        f"note: {out}/.chunks: kept for notes.txt, which the sweep did not write (its checkpoints are deleted); "
        "move it out and delete .chunks before another sweep into this folder"
    ) in result.output
    assert sorted(p.name for p in (out / ".chunks").iterdir()) == ["notes.txt"]
    assert (out / ".chunks" / "notes.txt").read_text() == "mine"
    assert (out / "sweep.parquet").is_file()
    # the next sweep into the folder leaves .chunks and notes.txt alone, and says the note's step again
    kept = contents(out)
    no_run(monkeypatch)
    for force in ((), ("--force",)):
        again = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, *force, "-o", out)
        assert_bad_input(again, KEPT_NOTES.format(out=out))
        assert contents(out) == kept
    # the step done (notes.txt moved out, the empty .chunks left): the next sweep runs, notes.txt untouched
    (out / ".chunks" / "notes.txt").rename(tmp_path / "notes.txt")
    assert resume(tmp_path, monkeypatch, out) == [0, 1, 2, 3]
    assert not (out / ".chunks").exists() and (tmp_path / "notes.txt").read_text() == "mine"


KEPT_NOTES = (
    "error: {out}: .chunks: kept by an earlier sweep into this folder for notes.txt, which it did not write (the "
    "sweep deletes nothing it did not write): move it out of .chunks and delete .chunks, then run the same command "
    "again"
)


def test_a_kept_chunks_folder_names_every_file_of_the_users_in_it(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert resume(tmp_path, monkeypatch, out) == [0, 1, 2, 3]  # a finished sweep: its manifest says sweep
    (out / ".chunks").mkdir()
    for name in ("b.txt", "a.txt"):
        (out / ".chunks" / name).write_text(name)
    before = contents(out)
    no_run(monkeypatch)
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert_bad_input(result, ".chunks: kept by an earlier sweep into this folder for a.txt, b.txt, which it did not")
    assert "move them out of .chunks and delete .chunks, then run the same command again" in result.output
    assert contents(out) == before


def test_chunk_files_from_the_millionth_on_are_the_sweeps_own():
    # names are zero-padded to 6 digits, so chunk 1,000,000 has 7: still a checkpoint, never a user's file
    from simulator.sweep.checkpoints import OWN_FILE, RECEIPT

    for name in ("chunk-000007.json", "chunk-1000000.json", "chunk-1000000.parquet", "curves-1234567.npz"):
        assert OWN_FILE.fullmatch(name), name
    assert RECEIPT.fullmatch("chunk-1000000.json").group(1) == "1000000"
    assert not OWN_FILE.fullmatch("chunk-12345.json")  # five digits: not a name the sweep writes
