"""Fan charts of ``stockpile run --uncertainty``: what lies on the axis is said, not drawn; spikes are cut and marked.

Bands are built by hand (day, region, material), so what each panel must draw is known:
a region whose median and as-written curve are 0 every day has nothing to draw on the
axis, and a band far above its lines is cut at twice the highest line.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from simulator.sensitivity.figures import BAND_EDGE_PT, fan_figure, fan_top

DAYS = 60
REGIONS = ["japan", "eu"]


def fan(p5, p50, p95, own, clip=False, materials=("heavy_ree",)) -> Figure:
    bands = {"p5": p5, "p50": p50, "p95": p95}
    return fan_figure(bands, own, REGIONS, list(materials), None, "Days of cover", "days", 40, clip=clip, unit="days")


def curves(japan: np.ndarray, eu: np.ndarray) -> np.ndarray:
    """A (day, region, material) array of one material from each region's daily values."""
    return np.stack([japan, eu], axis=1)[:, :, None]


def legend_of(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()] if fig.legends else []


def note_of(ax) -> str:
    """The panel's note: the title of its entry-less legend, its lines joined ('' without one)."""
    box = ax.get_legend()
    return box.get_title().get_text().replace("\n", " ") if box is not None else ""


def drawn_lines(ax) -> list[np.ndarray]:
    """The panel's curves (median, as written): not the cut marks, nor the band's thin edges (session 65)."""
    return [
        np.asarray(line.get_ydata(), float)
        for line in ax.get_lines()
        if line.get_marker() in ("None", None) and line.get_linewidth() != BAND_EDGE_PT
    ]


def test_a_region_at_0_every_day_is_said_in_the_panel_not_drawn_on_the_axis():
    zero = np.zeros(DAYS)
    tail = np.r_[np.zeros(40), np.linspace(1, 20, 20)]  # the EU short in some samples late on
    # Japan: all of it 0 every day (not "0 in every sample": that would need the samples, and
    # the 2010 replay's Japan is short in some of them with a 95th percentile of 0); the EU:
    # band above 0, median and as written 0 every day
    fig = fan(curves(zero, zero), curves(zero, zero), curves(zero, tail), curves(zero, zero))
    (eu,) = fig.axes  # Japan, with nothing to draw in any panel, gets no row of empty frames
    assert drawn_lines(eu) == []  # before: four lines, all on the x-axis
    assert note_of(eu) == "EU: median and as written 0 throughout"
    # the legend lists what is drawn: the EU's band alone, and says its median is 0; then Japan, not drawn
    assert legend_of(fig) == [
        "EU: 5-95% (median 0 throughout)",
        "Japan: band, median and as written 0 throughout in every panel (not drawn)",
    ]
    # with no region to draw, each keeps its panel and says it there
    alone = fan(curves(zero, zero), curves(zero, zero), curves(zero, zero), curves(zero, zero))
    assert [note_of(ax) for ax in alone.axes] == [
        "Japan: band, median and as written 0 throughout",
        "EU: band, median and as written 0 throughout",
    ]
    assert legend_of(alone) == []


def test_a_line_above_0_somewhere_is_drawn_and_named_and_a_region_without_demand_is_said():
    rising = np.linspace(0, 30, DAYS)
    nan = np.full(DAYS, np.nan)  # days of cover of a region with no demand for the material
    fig = fan(curves(nan, 0.5 * rising), curves(nan, rising), curves(nan, 2 * rising), curves(nan, np.zeros(DAYS)))
    (eu,) = fig.axes  # Japan has no demand in its one panel: no row, a line in the legend
    (median,) = drawn_lines(eu)  # the EU's median; its as-written curve is 0 throughout
    assert np.allclose(median, rising)
    assert note_of(eu) == "EU: as written 0 throughout"
    assert legend_of(fig) == ["EU: median, 5-95%", "Japan: none (no demand) in every panel (not drawn)"]
    # with a second material Japan does use, short in some samples, its row is back and says it per panel
    both = fan(
        np.concatenate([curves(nan, 0.5 * rising), curves(0.5 * rising, 0.5 * rising)], axis=2),
        np.concatenate([curves(nan, rising), curves(rising, rising)], axis=2),
        np.concatenate([curves(nan, 2 * rising), curves(2 * rising, 2 * rising)], axis=2),
        np.concatenate([curves(nan, np.zeros(DAYS)), curves(rising, rising)], axis=2),
        materials=("heavy_ree", "light_ree"),
    )
    assert len(both.axes) == 4 and note_of(both.axes[0]) == "Japan: none (no demand)"


def test_a_spike_of_the_band_is_cut_at_twice_the_highest_line_and_marked_there():
    # long_embargo_6m's heavy rare earths: medians up to 340 days, as written up to 230, and
    # a 95th percentile spiking to 1,160 days for a few days: the axis ends at 2 x 340 = 680
    line = np.r_[np.full(20, 50.0), np.full(20, 340.0), np.full(20, 50.0)]
    written = np.minimum(line, 230.0)
    high = 1.5 * line
    high[25:29] = [900.0, 1160.0, 1000.0, 700.0]  # past 680 on days 25-28, highest on day 26
    high[45] = 700.0  # and once more on day 45
    fig = fan(
        curves(0.1 * line, 0.5 * line),
        curves(0.2 * line, line),
        curves(0.2 * high, high),
        curves(written, written),
        clip=True,
    )
    japan, ax = fig.axes
    assert ax.get_ylim() == (0.0, 680.0)  # before: the axis ran to the spike, about 1,200 days
    marks = [line for line in ax.get_lines() if line.get_marker() == "^"]
    (eu,) = marks
    assert eu.get_xdata().tolist() == [26, 45] and eu.get_ydata().tolist() == [680.0, 680.0]
    assert note_of(ax) == "EU: band up to 1,160 days, cut at the top"
    # Japan's own axis: its lines (up to 68 days) and band (up to 232 days) drawn whole
    assert not [line for line in japan.get_lines() if line.get_marker() == "^"]
    assert 232.0 <= japan.get_ylim()[1] < 680.0 and note_of(japan) == ""
    assert legend_of(fig)[-1] == "5-95% band past the top of the axis, cut there"


@pytest.mark.parametrize(("band_top", "axis_top"), [(290.0, None), (310.0, 200.0)])
def test_the_axis_is_cut_only_past_three_times_the_highest_line(band_top, axis_top):
    # lines up to 100 days (docs/uncertainty.md: cut when the band goes past 3 x the highest
    # line, at 2 x it): a band to 290 days is drawn whole, one to 310 ends the axis at 200
    assert fan_top(np.array([40.0, 100.0]), np.array([band_top, 80.0])) == axis_top


def test_a_band_within_its_lines_reach_or_not_asked_to_be_cut_is_drawn_whole():
    line = np.full(DAYS, 165.0)
    high = np.full(DAYS, 346.0)  # the 2010 replay's heavy rare earths: not 1.5 x 330 = 495 days
    whole = fan(0.5 * curves(line, line), curves(line, line), curves(high, high), curves(line, line), clip=True)
    assert all(ax.get_ylim()[1] >= 346 for ax in whole.axes)
    assert [note_of(ax) for ax in whole.axes] == ["", ""]
    assert "5-95% band past the top of the axis, cut there" not in legend_of(whole)
    high[10] = 5000.0
    shortfall = fan(0.5 * curves(line, line), curves(line, line), curves(high, high), curves(line, line))
    assert all(ax.get_ylim()[1] >= 5000 for ax in shortfall.axes)  # a cumulative shortfall's tail is drawn whole


def test_a_shortfall_of_0_for_want_of_demand_says_no_demand_not_0_in_every_sample():
    # long_embargo_6m: Japan has no demand for NdFeB magnets, so its magnet shortfall is 0 in
    # every sample, but not because it is never short
    zero, tail = np.zeros(DAYS), np.linspace(0, 60, DAYS)
    bands = {"p5": curves(zero, 0.5 * tail), "p50": curves(zero, tail), "p95": curves(zero, 2 * tail)}
    absent = np.array([[True], [False]])  # (region, material)
    fig = fan_figure(
        bands, curves(zero, tail), REGIONS, ["ndfeb_magnets"], None, "Cumulative shortfall", "t", 40, absent=absent
    )
    (eu,) = fig.axes
    assert note_of(eu) == ""
    assert legend_of(fig) == [
        "EU: median, 5-95%",
        "EU: scenario as written",
        "Japan: none (no demand) in every panel (not drawn)",
    ]
