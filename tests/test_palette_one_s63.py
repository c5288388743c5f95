"""One colour for a region wherever it is drawn, with twelve members (session 63).

The run's figures gave the 11th and 12th regions colours of their own (``#56b4e9``, ``#d55e00``), while the
report's comparison figure, the fan charts and the explorer page still took ``REGION_COLOURS[i % 10]``: the same
member was sky blue in ``days_of_cover.png`` and Germany's blue (the 1st region's ``#1f5fa6``) in the report, its
fan chart and the explorer. The world is :func:`tests.test_plots_many_members_s63.twelve`: twelve members
``m01`` to ``m12`` with ``ree`` and ``ga``, all cut off by China from day 5.
"""

from __future__ import annotations

import copy

import numpy as np
import yaml
from click.testing import CliRunner
from matplotlib.colors import to_hex

from simulator.cli import main
from simulator.explore.page import read_page
from simulator.palette import MAX_REGIONS, region_colour, region_dashes
from simulator.plots import days_of_cover_figure
from simulator.report.figures import comparison_figure
from simulator.sensitivity.figures import fan_figure
from tests.helpers import run
from tests.test_plots_many_members_s63 import MEMBERS, twelve

ELEVENTH, VERMILION = "#e31a1c", "#d55e00"
"""The 11th and 12th regions' colours in the run's figures, neither one of the first ten's. The 11th was Okabe and
Ito's sky blue ``#56b4e9`` until session 65: 2.3:1 on white, under WCAG's 3:1 for lines (test_palette_contrast_s65)."""


def test_the_run_figure_draws_m11_and_m12_in_their_own_colours():
    ax = days_of_cover_figure(run(twelve())).axes[0]
    colours = {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines()}
    assert (colours["M11"], colours["M12"]) == (ELEVENTH, VERMILION)


def test_the_report_comparison_figure_draws_m11_and_m12_as_the_run_figure_does():
    without = copy.deepcopy(twelve())
    del without["agreement"]
    fig = comparison_figure(run(twelve()), run(without), ("with the agreement", "without it"))
    legend = {
        text.get_text(): handle
        for legend in fig.legends
        for text, handle in zip(legend.texts, legend.legend_handles, strict=True)
    }
    assert (to_hex(legend["M11"].get_color()), to_hex(legend["M12"].get_color())) == (ELEVENTH, VERMILION)
    # and the curves themselves: of the ree panel's lines, those in the two colours (a baseline's and a run's each)
    lines = [to_hex(line.get_color()) for line in fig.axes[0].get_lines()]
    assert (lines.count(ELEVENTH), lines.count(VERMILION)) == (2, 2)


def test_the_fan_chart_draws_m11_and_m12_as_the_run_figure_does():
    days, regions, materials = 10, 12, 1
    rising = np.arange(days, dtype=float)[:, None, None] * np.ones((1, regions, materials))
    bands = {"p5": rising, "p50": 2 * rising, "p95": 3 * rising}
    fig = fan_figure(bands, 2.5 * rising, MEMBERS, ["ree"], None, "days of cover", "days", 8)
    by_region = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_title(loc="left")}
    for name, colour in (("M11", ELEVENTH), ("M12", VERMILION)):
        ax = by_region[name]
        assert to_hex(ax._left_title.get_color()) == colour  # the region's name at the panel's left
        # its lines, told by how fast they rise: the band's edges (p5 1 a day, p95 3), the median (2) and the
        # scenario as written (2.5); and the band between the edges
        rises = {float(line.get_ydata()[1]): to_hex(line.get_color()) for line in ax.get_lines()}
        assert rises == dict.fromkeys((1.0, 3.0, 2.0, 2.5), colour), name
        assert [to_hex(band.get_facecolor()[0]) for band in ax.collections] == [colour], name


def test_the_explorer_page_colours_m11_and_m12_as_the_run_figure_does(tmp_path):
    path = tmp_path / "twelve.yaml"
    path.write_text(yaml.safe_dump(twelve()))
    out = tmp_path / "explorer.html"
    result = CliRunner().invoke(
        main, ["explore", str(path), "--axis", "agreement.mechanism=fair_ratio,equal_cover", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    colours = {r["id"]: r["colour"] for r in meta["regions"]}
    assert (colours["m11"], colours["m12"]) == (ELEVENTH, VERMILION)
    assert len(set(colours.values())) == 12


def test_max_regions_counts_the_distinct_colour_and_line_style_pairs():
    pairs = {(region_colour(i), region_dashes(i)) for i in range(MAX_REGIONS)}
    assert len(pairs) == MAX_REGIONS == 72  # 18 colours, each solid, dashed, dotted and dash-dotted
    assert (region_colour(MAX_REGIONS), region_dashes(MAX_REGIONS)) == (region_colour(0), region_dashes(0))
