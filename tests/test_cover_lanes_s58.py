"""The days-of-cover figure's release lanes and trigger label, as drawn (session 58).

An analyst read the release bars on the days axis near 0, where a member's curve at 0 days is read, and could not tell
who received the release; and read ``trigger 15 days`` over the EU's curve in ``embargo_2010``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from simulator.palette import REGION_COLOURS
from simulator.plots import days_of_cover_figure
from tests.helpers import TWO_MEMBERS, build, run, shipped_cover_figure, shipped_group, shipped_result
from tests.test_label_fits import drawn

POOL = {"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}}
"""600 t of pool for 100 t of gaps a day (Japan 20 t, the EU 80 t, neither with stock, China halted): both members
receive from day 0 to day 6, and both curves read 0 days from day 5 on."""


def released_bars(ax):
    """The release lanes' bars of a panel: every patch named ``released (...) to <member>`` or after one (``_``)."""
    bars, in_lanes = [], False
    for patch in ax.patches:
        if patch.get_label().startswith("released ("):
            in_lanes = True
        elif patch.get_label() != "_":
            in_lanes = False
        if in_lanes:
            bars.append(patch)
    return bars


def test_release_bars_lie_under_the_zero_line_clear_of_a_curve_at_zero():
    fig = days_of_cover_figure(run(build(TWO_MEMBERS, agreement__pool__contributions=POOL)))
    renderer = drawn(fig)
    ax = fig.axes[0]
    zero_px = ax.transData.transform((0, 0.0))[1]
    curves = [line for line in ax.get_lines() if line.get_label() in ("Japan", "EU")]
    # drawable cover is each member's half of the pool left over its demand: Japan 250 t / 20 t = 12.5 days on day 0,
    # the EU 250 t / 80 t = 3.125 days; the pool is empty at the end of day 5, both curves at 0 from then on
    assert all((np.asarray(line.get_ydata())[5:] == 0).all() for line in curves)
    below_px = max(line.get_linewidth() for line in curves) * fig.dpi / 72 / 2  # the widest curve's ink under 0
    bars = released_bars(ax)
    assert len(bars) == 2
    for bar in bars:
        box = bar.get_window_extent(renderer)
        assert box.y1 < zero_px - below_px  # the bar's top is under the curves' ink at 0
        assert box.y0 >= ax.get_window_extent(renderer).y0  # and inside the frame
    ticks = ax.get_yticks()
    assert min(ticks) == 0  # no negative day written beside the lanes


def test_each_member_has_a_lane_of_its_own_in_its_colour_named_in_the_legend():
    fig = days_of_cover_figure(run(build(TWO_MEMBERS, agreement__pool__contributions=POOL)))
    renderer = drawn(fig)
    japan, eu = released_bars(fig.axes[0])
    assert (japan.get_label(), eu.get_label()) == ("released (fair ratio) to Japan", "released (fair ratio) to EU")
    assert japan.get_facecolor() == to_rgba(REGION_COLOURS[0])  # Japan is the first region, drawn in its colour
    assert eu.get_facecolor() == to_rgba(REGION_COLOURS[1])
    japan_box, eu_box = japan.get_window_extent(renderer), eu.get_window_extent(renderer)
    assert eu_box.y1 < japan_box.y0  # lanes apart, in region order from the 0 line down
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "released (fair ratio) to Japan" in legend and "released (fair ratio) to EU" in legend


def _received_days(result, material: str, rule: str | None = None) -> dict[str, int]:
    """Days each region received ``material`` under the agreement (under ``rule``), counted from timeseries.csv."""
    series = result.timeseries
    got = series[(series["material"] == material) & (series["released_joint_t"] > 0)]
    if rule is not None:
        got = got[got["release_rule"] == rule]
    return got.groupby("region").size().to_dict()


@shipped_group("long_embargo_6m")
def test_a_second_rule_is_hatched_in_the_members_lane():
    # long_embargo_6m: heavy rare earths go to the EU under the fair ratio and, for 35 days, bought at auction (7 for
    # Japan), counted in its timeseries.csv (release_rule "auction", released_joint_t above 0)
    result = shipped_result("long_embargo_6m")
    fig = shipped_cover_figure("long_embargo_6m")
    heavy = fig.axes[1]
    assert heavy.get_title() == "Heavy rare earths"
    hatched = [bar for bar in released_bars(heavy) if bar.get_hatch()]
    widths_days = sorted(round(bar.get_width()) for bar in hatched)
    assert widths_days == sorted(_received_days(result, "heavy_ree", "auction").values()) == [7, 35]
    colours = {to_rgba(bar.get_facecolor(), 1.0) for bar in hatched}
    assert colours == {to_rgba(REGION_COLOURS[0]), to_rgba(REGION_COLOURS[1])}  # Japan's 7 days, the EU's 35
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "released (fair ratio; auction hatched) to EU" in legend


@shipped_group("battery_materials")
def test_a_members_own_national_reserve_is_not_drawn_as_a_release_to_it():
    # battery_materials (national mode): Japan draws its own cobalt reserve on 144 days, 23 of them lending to the EU;
    # only the EU received cobalt under the agreement (released_joint_t above 0 on 23 days)
    result = shipped_result("battery_materials")
    fig = shipped_cover_figure("battery_materials")
    cobalt = fig.axes[1]
    assert cobalt.get_title() == "Cobalt"
    bars = released_bars(cobalt)
    assert [bar.get_label() for bar in bars][:1] == ["released (proportional to demand) to EU"]
    assert {to_rgba(bar.get_facecolor()) for bar in bars} == {to_rgba(REGION_COLOURS[1])}
    assert sum(round(bar.get_width()) for bar in bars) == _received_days(result, "cobalt")["eu"] == 23


@shipped_group("embargo_2010")
def test_the_trigger_label_touches_its_line_where_the_curves_run_furthest_from_it():
    # embargo_2010: the EU's curves run along the 15-day trigger from December 2010 to February 2011 and down to
    # 1.6-3.4 days in July 2011; the label sat in the line's middle, 4.5 points over the EU's curve (measured as drawn),
    # where a curve reads as the label's. Where the curve runs lowest, 6 points and more of white are left
    fig = shipped_cover_figure("embargo_2010")
    renderer = drawn(fig)
    for ax in fig.axes[:2]:
        (label,) = [t for t in ax.texts if t.get_text() == "trigger 15 days"]
        box = label.get_window_extent(renderer)
        line_px = ax.transData.transform((0, 15.0))[1]
        assert 0 < box.y0 - line_px <= 5 * fig.dpi / 72  # just above its line
        for curve in ax.get_lines():
            if curve.get_label() not in ("Japan", "EU"):
                continue
            room = (curve.get_linewidth() / 2 + 6) * fig.dpi / 72  # the curve's half width and 6 points of white
            xy = curve.get_transform().transform(curve.get_xydata())  # a point a day, under a pixel apart
            under = xy[(xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1), 1]
            assert len(under) and ((under <= box.y0 - room) | (under >= box.y1 + room)).all(), curve.get_label()
