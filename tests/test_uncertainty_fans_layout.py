"""Fan charts readable beside the run's figures: their width and type, a panel per region, the trigger, the last day.

The audit found ``fan_days_of_cover.png`` 12.4 inches wide for two materials with 8-point
text (about 6-7 px once the report scaled it into its page), Japan's 0-300-day band
flattening the EU's 0-15 days in the same panel, no trigger line where the days-of-cover
figure draws one, and an x axis whose last label was January 2012 in a run to June 2012.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from simulator.palette import TRIGGER_COLOUR
from simulator.plots import grid_width_in, trigger_lines
from simulator.sensitivity.figures import fan_figure
from tests.helpers import shipped_cover_figure, shipped_group, shipped_result

REGIONS = ["japan", "eu"]
MATERIALS = ["light_ree", "heavy_ree"]
HORIZON = 731  # embargo_2010: 1 Jul 2010 to 30 Jun 2012
START = dt.date(2010, 7, 1)


def replay_like(**kwargs) -> Figure:
    """Japan's band 100-300 days around 180, the EU's 0-15 around 5 (the 2010 replay's shapes)."""
    days = np.arange(HORIZON, dtype=float)
    japan = 180.0 + 0.0 * days
    eu = 5.0 + 3.0 * np.sin(days / 60.0)
    mid = np.stack([japan, eu], axis=1)[:, :, None] * np.ones((1, 1, len(MATERIALS)))
    low = mid * np.array([100.0 / 180.0, 0.0])[None, :, None]
    high = mid * np.array([300.0 / 180.0, 1.8])[None, :, None]
    bands = {"p5": low, "p50": mid, "p95": high}
    return fan_figure(bands, mid, REGIONS, MATERIALS, START, "Days of cover", "Days of cover (days)", 100, **kwargs)


def text_sizes(fig: Figure) -> list[float]:
    fig.canvas.draw()
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def panel(fig: Figure, title: str):
    """The panel of ``Japan: heavy rare earths``: the region at its left, the material its title."""
    region, material = title.split(": ")
    return next(
        ax for ax in fig.axes if ax.get_title(loc="left") == region and ax.get_title().lower() == material.lower()
    )


@shipped_group("embargo_2010")
def test_as_wide_as_the_run_figures_and_its_text_no_smaller():
    fig = replay_like()
    assert fig.get_size_inches()[0] == pytest.approx(grid_width_in(len(MATERIALS)))  # 10.4, not 12.4
    cover = shipped_cover_figure("embargo_2010")
    assert min(text_sizes(fig)) >= min(text_sizes(cover))  # 8.5 pt, the legends' size; was 8


def test_the_reports_width_wraps_materials_two_a_row():
    days = np.linspace(50.0, 10.0, 60)[:, None, None] * np.ones((1, 2, 3))
    fig = fan_figure(
        {"p5": 0.5 * days, "p50": days, "p95": 2 * days},
        days,
        REGIONS,
        ["light_ree", "heavy_ree", "ndfeb_magnets"],
        None,
        "Days of cover",
        "days",
        10,
        width_in=7.1,
        columns=2,
    )
    assert fig.get_size_inches()[0] == pytest.approx(7.1)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 6
    assert len({round(ax.get_position().x0, 3) for ax in shown}) == 2


def test_each_region_has_its_own_scale():
    fig = replay_like()
    japan, eu = panel(fig, "Japan: heavy rare earths"), panel(fig, "EU: heavy rare earths")
    assert japan.get_ylim()[1] >= 300.0  # Japan's band to 300 days drawn whole
    assert eu.get_ylim()[1] < 20.0  # the EU's 0-14.4 days fill its own panel (before: the same 0-300 axis)


def test_the_trigger_is_drawn_on_the_materials_the_days_of_cover_figure_draws_it_on():
    fig = replay_like(triggers={"heavy_ree": 15.0})
    for title in ("Japan: heavy rare earths", "EU: heavy rare earths"):
        lines = [line for line in panel(fig, title).get_lines() if line.get_color() == TRIGGER_COLOUR]
        assert [tuple(line.get_ydata()) for line in lines] == [(15.0, 15.0)]
        assert any(t.get_text() == "trigger 15 days" for t in panel(fig, title).texts)
    for title in ("Japan: light rare earths", "EU: light rare earths"):
        assert not [line for line in panel(fig, title).get_lines() if line.get_color() == TRIGGER_COLOUR]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(label.startswith("release trigger: a member's commercial stock below 15 days") for label in legend)


@shipped_group("embargo_2010")
def test_the_triggers_the_run_figure_draws():
    assert trigger_lines(shipped_result("embargo_2010")) == {"light_ree": 15.0, "heavy_ree": 15.0}


def test_the_x_axis_is_labelled_through_the_last_day():
    fig = replay_like()
    fig.canvas.draw()
    for ax in fig.axes:
        right = ax.get_xlim()[1]
        assert right >= HORIZON - 1  # day 730, 30 Jun 2012, inside the axis
        shown = [t.get_text() for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True) if x <= right]
        assert shown[-1] == "Jul\n2012"  # the horizon's end labelled, as the run's figures do; was "Jan 2012"
