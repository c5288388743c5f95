"""A fan panel's note keeps off the band (session 58).

In the 2010 replay's ``fan_shortfall.png`` the heavy rare earths' note ("EU: median and as written 0 throughout")
sat in the lower right corner, over the EU's band: Matplotlib's "best" corner weighs a band by its corners only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from simulator.sensitivity.figures import fan_figure
from tests.test_label_fits import drawn

DAYS = 731


def _steps(*runs: tuple[int, float]) -> np.ndarray:
    """A curve of ``(days, value)`` steps, over :data:`DAYS` days."""
    return np.concatenate([np.full(days, value) for days, value in runs])[:DAYS]


def test_the_note_keeps_off_a_band_that_fills_the_right_of_the_panel():
    # the EU's band of heavy rare earths, as in the 2010 replay: 0 for 150 days, then 1.17 t, 2.04 t from day 225 and
    # 2.63 t from day 400 (55% of the panel's width) to the end; of light rare earths 0, then 7 t to 66 t by day 290
    # and 85 t from day 640; medians and the run as written 0 every day: a note says so. Japan 0 throughout.
    heavy = _steps((150, 0.0), (75, 1.17), (175, 2.04), (DAYS, 2.63))
    light = _steps((150, 0.0), (60, 7.0), (30, 33.0), (20, 50.0), (30, 59.0), (350, 66.0), (DAYS, 85.0))
    high = np.stack([np.zeros((DAYS, 2)), np.stack([light, heavy], axis=1)], axis=1)  # day, region, material
    zero = np.zeros_like(high)
    bands = {"p5": zero, "p50": zero, "p95": high}
    regions, materials = ["japan", "eu"], ["light_ree", "heavy_ree"]
    fig = fan_figure(bands, zero, regions, materials, dt.date(2010, 7, 1), "Shortfall", "t", 100, unit="t")
    renderer = drawn(fig)
    noted = [ax for ax in fig.axes if ax.get_legend() is not None]
    assert len(noted) == 2
    for ax in noted:
        assert ax.get_legend().get_title().get_text().replace("\n", " ") == "EU: median and as written 0 throughout"
        note = ax.get_legend().get_window_extent(renderer)
        frame = ax.get_window_extent(renderer)
        assert frame.x0 <= note.x0 and note.x1 <= frame.x1 and frame.y0 <= note.y0 and note.y1 <= frame.y1
        (band,) = ax.collections
        xy = band.get_transform().transform(band.get_paths()[0].vertices)  # pixels
        under = xy[(xy[:, 0] >= note.x0) & (xy[:, 0] <= note.x1)]
        assert len(under)  # the band runs under the note's width
        assert under[:, 1].max() < note.y0, ax.get_title()  # and stays below it
