"""The prices figure draws a market's price cap where the world price comes near it, and only there.

Session 60: with the halt to Japan lost at the border into 2012, the 2010 replay's Dy price reaches 14,100 USD/kg,
90 times its reference and 0.9 of its cap (15,650), and the figure showed it with no word that the cap, an
assumption of the model, set how high it went. Each price path below is worked out from the kernel's rule: the
price closes the whole log-gap to the indicated price in a day (``adjustment_days: 1``), clipped to the cap.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path

from simulator.plots import prices_figure
from simulator.plots.style import PNG_DPI
from tests.helpers import ONE_REGION, build, run

HALT_ALL_ALONG = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 1000}]
"""Japan cut off for the whole 40 days: its cover ratio falls, the indicated price rises without bound."""


def price_panel(cap_usd_per_kg: float, shocks: list) -> tuple[object, list]:
    """The top (price) panel of ``ONE_REGION`` with a market (reference 50 USD/kg, ``cap_usd_per_kg``) and ``shocks``,
    and the world price drawn in it."""
    market = {
        "ree": {"reference_price_usd_per_kg": 50.0, "price": {"cap_usd_per_kg": cap_usd_per_kg, "adjustment_days": 1}}
    }
    fig = prices_figure(run(build(ONE_REGION, market=market, shocks=shocks)))
    top = fig.axes[0]
    return top, list(top.get_lines()[0].get_ydata())


def levels(ax) -> list[list[float]]:
    """The y data of every horizontal line of ``ax`` (axhline's: two equal values)."""
    return [list(line.get_ydata()) for line in ax.get_lines() if line.get_transform() is ax.get_yaxis_transform()]


def test_a_price_that_runs_into_its_cap_has_the_cap_drawn_at_its_value():
    top, world = price_panel(100.0, HALT_ALL_ALONG)
    assert max(world) == 100.0  # at the cap from day 5 on (50, 57.4, 66.6, 78.1, 93.0, then 100)
    assert levels(top) == [[50.0, 50.0], [100.0, 100.0]]  # the reference price, then the cap
    assert "price cap 100 USD/kg (assumed)" in [t.get_text() for t in top.texts]
    assert top.get_ylim()[1] > 100.0  # the line inside the panel


@pytest.mark.parametrize(
    ("cap", "drawn"),
    [
        (100.0, False),  # no shock: the price stays at its reference, 50 = 0.5 of the cap
        (70.0, False),  # 50 / 70 = 0.71 of the cap: under 0.8
        (60.0, True),  # 50 / 60 = 0.83 of the cap: near enough to draw it
    ],
)
def test_the_cap_is_drawn_only_where_the_price_comes_within_80_percent_of_it(cap, drawn):
    top, world = price_panel(cap, [])
    assert world == pytest.approx([50.0] * len(world), rel=1e-12)  # to rounding: 49.99999999999999 some days
    assert levels(top) == ([[50.0, 50.0], [cap, cap]] if drawn else [[50.0, 50.0]])
    assert any(t.get_text().startswith("price cap") for t in top.texts) is drawn


@pytest.mark.parametrize("width_in", [None, 3.5])
def test_the_caps_label_crosses_no_curve_in_a_wide_panel_nor_in_a_narrow_one(width_in):
    # the price closes a tenth of its log-gap to the cap a day (adjustment_days: 10): 74 USD/kg on day 10, 94 on
    # day 25, 98 on day 35 of 40. Under the cap at the panel's left the label is clear of it in a panel 6 inches
    # wide; in one 2.55 inches wide (a 3.5-inch figure) it spans 0.7 of the width, to where the price is within
    # its height of the cap: it goes over the line
    market = {"ree": {"reference_price_usd_per_kg": 50.0, "price": {"cap_usd_per_kg": 100.0, "adjustment_days": 10}}}
    result = run(build(ONE_REGION, market=market, shocks=HALT_ALL_ALONG))
    fig = prices_figure(result, width_in=width_in)
    fig.set_dpi(PNG_DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    top = fig.axes[0]
    (label,) = [t for t in top.texts if t.get_text() == "price cap 100 USD/kg (assumed)"]
    box, frame = label.get_bbox_patch().get_window_extent(renderer), top.get_window_extent(renderer)
    assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    world = top.get_lines()[0]
    assert not Path(world.get_transform().transform(world.get_xydata())).intersects_bbox(box, filled=False)
