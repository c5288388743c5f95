"""Session 57 mends of a review of 7bc02a66..02318110 (links, report words, overrides, plot-sweep).

Each test states what was printed or done before its mend.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

# --- 1. a loop of links is one, said the same way by list, check and run --------------------------

LOOP = "a loop of symbolic links"


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """``loopa.yaml -> loopb.yaml -> loopa.yaml`` in a folder of their own: both targets exist."""
    folder = tmp_path / "loop"
    folder.mkdir()
    os.symlink("loopb.yaml", folder / "loopa.yaml")
    os.symlink("loopa.yaml", folder / "loopb.yaml")
    return folder / "loopa.yaml"


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["list"], "not a folder: it is "),
        (["check"], "neither a scenario file nor a folder: it is "),
        (["run", "--no-plots"], ""),
    ],
)
def test_a_loop_of_links_is_said_to_be_one_by_each_command(tmp_path, loop, command, words):
    """list and check said "a broken symbolic link to loopb.yaml, which does not exist" (it exists);
    run said "cannot read: [Errno 40] Too many levels of symbolic links"."""
    result = invoke(*command, loop, *(["-o", tmp_path / "out"] if command[0] == "run" else []))
    assert_bad_input(result, f"{loop}: {words}{LOOP}")
    assert "broken" not in result.output
    assert "Errno" not in result.output


def test_list_and_check_of_the_folder_say_each_link_is_in_a_loop(loop):
    """Both said "cannot read: [Errno 40] Too many levels of symbolic links: '...loopa.yaml'" of each file."""
    for command in ("list", "check"):
        result = invoke(command, loop.parent)
        for name in ("loopa.yaml", "loopb.yaml"):
            assert f"{loop.parent / name}: " in result.output
        assert result.output.count(LOOP) == 2
        assert "Errno" not in result.output


# --- 4. a mapping a --set made is told from the data itself: nothing read twice, the API blamed alike ---

MADE = "[set agreement.ratio.japan=0.3]: agreement.members: is required"
"""``agreement.ratio.japan`` set on a scenario with no agreement makes the agreement: its members are the set's."""


def test_the_api_blames_a_set_on_data_given_as_a_mapping_as_sweep_does():
    """``simulator.run(dict, set=...)`` said "<scenario data>: agreement.members: is required", of the data,
    while ``simulator.sweep`` said "<scenario data> [set agreement.ratio.japan=0.3]: ..."."""
    import simulator
    from simulator.errors import InputError

    data = yaml.safe_load(TINY_SCENARIO_TEXT)  # no agreement
    for call in (
        lambda: simulator.run(data, set={"agreement.ratio.japan": 0.3}),
        lambda: simulator.sweep(data, grid={"horizon_days": [30, 40]}, set={"agreement.ratio.japan": 0.3}),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value).startswith(f"<scenario data> {MADE}"), str(caught.value)


@pytest.mark.parametrize(
    "command",
    [["run", "--no-plots"], ["sweep", "--grid", "horizon_days=30,40"], ["explore", "--axis", "horizon_days=30,40"]],
)
def test_a_set_that_made_a_mapping_is_blamed_with_the_file_read_once(tmp_path, monkeypatch, command):
    """run read the scenario file a second time, only to learn which mappings the --set had made."""
    import simulator.scenario.load as load

    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    reads: list[Path] = []
    read = load.read_yaml
    monkeypatch.setattr(load, "read_yaml", lambda path, *rest: reads.append(Path(path)) or read(path, *rest))
    out = tmp_path / ("out.html" if command[0] == "explore" else "out")
    result = invoke(*command, scenario, "--set", "agreement.ratio.japan=0.3", "-o", out)
    assert_bad_input(result, f"{scenario} {MADE}")
    assert reads == [scenario]


# --- 5. a colour bar's offset text (+1e7) is measured where a draw sets it -------------------------


def test_a_colour_bars_box_with_an_offset_text_is_measured_as_a_draw_sets_it():
    """The offset text was measured at the foot of the figure, where it lies until a draw moves it above
    the bar: the bar's box reached down to y = 0. Taken off, the box stopped below the text."""
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from simulator.sweep.figures import _names_box, heatmap_figure
    from tests.test_sweep_statistics import DAYS, MEMBERS, RATIO, run

    # totals of 10,000,000 t to 10,000,006 t: the bar's ticks read 0 to 6 under an offset text "+1e7"
    table = pd.DataFrame(
        [
            run(a, b, 2 * i + j, 0, 1e7 + 2 * (2 * i + j), 0.5)
            for i, a in enumerate([0.2, 0.8])
            for j, b in enumerate([60, 120])
        ]
    )
    fig = heatmap_figure(table, RATIO, DAYS, MEMBERS)
    renderer = FigureCanvasAgg(fig).get_renderer()
    for ax in fig.axes:
        ax.apply_aspect()  # the bars' shape, as the figure's own measure takes it
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    measured = [_names_box(bar.yaxis, renderer) for bar in bars]
    fig.canvas.draw()
    assert "+1e7" in [bar.yaxis.offsetText.get_text() for bar in bars]
    for bar, box in zip(bars, measured, strict=True):
        drawn = bar.get_tightbbox(renderer)  # frame, tick labels and offset text, as Matplotlib drew them
        assert bar.yaxis.offsetText.get_text()
        assert box.bounds == pytest.approx(drawn.bounds, abs=1.0)  # within a pixel


# --- 7. plot-sweep's notes on a hand-edited table ---------------------------------------------------


def _plot_notes(folder: Path, table, grid: dict) -> tuple:
    """plot-sweep of ``table`` written with ``grid`` in sweep.json: its result and its lines on standard error."""
    from tests.test_sweep_figure_fixes import write_sweep

    write_sweep(folder, table, grid)
    result = invoke("plot-sweep", folder)
    return result, result.stderr.splitlines()


def test_a_metric_with_no_finite_value_is_said_to_have_none_and_its_panel_empty(tmp_path):
    """It said "4 of 4 values are NaN or infinite ...: the figures draw the finite ones", of no finite one."""
    import numpy as np

    from tests.test_sweep_figure_fixes import RATIO, two_points

    table = two_points(RATIO, (0.2, 0.8), total_shortfall_t=[np.nan, np.inf, np.nan, np.nan], fairness_jain=0.5)
    table["fairness_jain"] = [0.5, 0.6, 0.7, 0.8]
    result, lines = _plot_notes(tmp_path / "s", table, {RATIO: [0.2, 0.8]})
    assert result.exit_code == 0, result.output
    assert (
        f"note: {tmp_path / 's'}: sweep.parquet: column total_shortfall_t: no finite value (NaN or infinite in "
        "every drawn row), which no sweep writes: its panel is empty"
    ) in lines
    assert "finite ones" not in result.stderr


MECHANISM = "agreement.mechanism"


def test_a_category_the_grid_does_not_list_is_drawn_as_one_of_its_own_not_where_it_lies(tmp_path):
    """It said "auction not among the grid's values in sweep.json: drawn where it lies": a category lies on no scale."""
    from tests.test_sweep_figure_fixes import two_points

    table = two_points(MECHANISM, ("hybrid", "auction"), total_shortfall_t=[1.0, 2.0, 3.0, 4.0], fairness_jain=0.5)
    result, lines = _plot_notes(tmp_path / "s", table, {MECHANISM: ["hybrid", "fair_ratio"]})
    assert result.exit_code == 0, result.output
    assert (
        f"note: {tmp_path / 's'}: sweep.parquet: column {MECHANISM}: auction not among the grid's values in "
        "sweep.json: drawn as a category of its own"
    ) in lines


@pytest.mark.parametrize(
    ("path", "values", "listed", "off_grid"),
    [
        (
            MECHANISM,
            ("7", "auction"),
            [7, "auction"],
            "auction not among the grid's values in sweep.json: drawn as a category of its own",
        ),
        (
            "agreement.ratio.japan",
            (0.2, 0.8),
            ["0.2", "0.8"],
            "0.8 not among the grid's values in sweep.json: drawn where it lies",
        ),
    ],
    ids=["category-7-as-number", "numbers-as-text"],
)
def test_a_grid_value_written_otherwise_in_sweep_json_is_among_the_grids_values(
    tmp_path, path, values, listed, off_grid
):
    """A category "7" the grid lists as 7, or numbers it lists as text, were "not among the grid's values".

    Every value is on the grid and every metric finite: plot-sweep has no note at all. An assertion that one
    note is absent would pass were every note dropped: the same grid without its last value gives that note alone.
    """
    from tests.test_sweep_figure_fixes import two_points

    table = two_points(path, values, total_shortfall_t=[1.0, 2.0, 3.0, 4.0], fairness_jain=0.5)
    result, _ = _plot_notes(tmp_path / "s", table, {path: listed})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    result, lines = _plot_notes(tmp_path / "off", table, {path: [*listed[:-1], "not swept"]})
    assert result.exit_code == 0, result.output
    assert lines == [f"note: {tmp_path / 'off'}: sweep.parquet: column {path}: {off_grid}"]


def test_two_swept_columns_with_no_finite_row_are_named_as_columns(tmp_path):
    """It said "column agreement.ratio.japan, horizon_days: no row at a finite value"."""
    import numpy as np
    import pandas as pd

    ratio, days = "agreement.ratio.japan", "horizon_days"
    table = pd.DataFrame(
        {
            ratio: [np.inf, np.inf, 0.2, 0.8],  # every row infinite in one swept column or the other
            days: [30.0, 60.0, np.inf, np.inf],
            "point": [0, 1, 2, 3],
            "run": 0,
            "seed": 0,
            "total_shortfall_t": [1.0, 2.0, 3.0, 4.0],
            "fairness_jain": 0.5,
        }
    )
    result, _ = _plot_notes(tmp_path / "s", table, {ratio: [0.2, 0.8], days: [30, 60]})
    assert_bad_input(result, f"sweep.parquet: columns {ratio}, {days}: no row at a finite value: nothing to draw")


def test_a_path_is_said_to_change_no_output_from_the_rows_the_figures_draw(tmp_path):
    """The note was worked out on the whole table: two rows left out (at an infinite ratio, other totals) hid
    that the drawn points, 0.2 and 0.8, have the same outputs."""
    import numpy as np
    import pandas as pd

    from tests.test_sweep_figure_fixes import RATIO, two_points

    same = two_points(RATIO, (0.2, 0.8), total_shortfall_t=[10.0, 20.0] * 2, fairness_jain=[0.5, 0.6] * 2)
    left_out = two_points(RATIO, (np.inf, np.inf), total_shortfall_t=[99.0, 98.0] * 2, fairness_jain=0.9).head(2)
    table = pd.concat([same, left_out.assign(point=2)], ignore_index=True)
    result, lines = _plot_notes(tmp_path / "s", table, {RATIO: [0.2, 0.8]})
    assert result.exit_code == 0, result.output
    assert any(f"{RATIO}: its values changed no output of this sweep" in line for line in lines), result.stderr


# --- 8. a sweep file's key that is no path is shown as the file writes it, or as YAML reads it --------


@pytest.mark.parametrize(
    ("grid", "key"),
    [
        ("  &a 7: [1, 2]\n", "7"),  # it said "the key &a 7": the anchor is no part of the key
        ("  !!int 7: [1, 2]\n", "7"),  # "the key !!int 7": nor is the tag
        ("  <<: {2010-01-01: [1, 2]}\n", "2010-01-01"),  # "the key datetime.date(2010, 1, 1)", as Python writes it
        ("  ? |\n  : [1, 2]\n", "''"),  # "the key |": an empty block scalar, whose text is below its indicator
    ],
    ids=["anchor", "tag", "merge", "block-scalar"],
)
def test_a_sweep_files_key_that_is_no_path_is_shown_as_written_or_as_read(tmp_path, grid, key):
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"scenario: tiny.yaml\ngrid:\n{grid}")
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    result = invoke("sweep", "--spec", spec, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: grid: the key {key} is not a dotted path;")
