"""The release lanes lower a panel's bottom only; its top is raised in one place, shock_bands.clear_lanes (session 60).

mark_releases raised the axis's top itself beside layout.raise_top; the drawn limits are the same.
"""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from simulator.plots import clear_lanes
from simulator.plots.releases import FigureReleases, mark_releases
from tests.helpers import TWO_MEMBERS, build, run

POOL = {"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}}
"""Both members receive ree from the pool (tests/test_cover_lanes_s58.py): two release lanes."""


@pytest.fixture(scope="module")
def result():
    return run(build(TWO_MEMBERS, agreement__pool__contributions=POOL))


@pytest.mark.parametrize(
    ("top_share", "bottom", "raised_by", "top"),
    [
        # two lanes take 0.025 + 2 x (0.035 + 0.01) = 0.115 of the panel, the shock lanes 0.25: the curves' 90 days
        # fill the other 0.635, 141.73 days a panel; the bottom goes to -0.115 x 141.73 = -16.30, the top to
        # 90 + 0.25 x 141.73 = 125.43
        (0.25, -16.299, 0.25, 125.433),
        # shock lanes of 0.7 would leave the curves 0.185, under the least 0.25: 90 days are 0.25 of 360 a panel's
        # share; -0.115 x 360 = -41.4 and 90 + 0.7 x 360 = 342, a panel of 383.4 days, 252 of them (0.657) raised
        (0.7, -41.4, 0.657, 342.0),
    ],
)
def test_the_lanes_lower_the_bottom_and_clear_lanes_raises_the_top(result, top_share, bottom, raised_by, top):
    ax = Figure().add_subplot()
    ax.set_ylim(0, 90)
    share = mark_releases(ax, result, "ree", FigureReleases.of_run(result), top_share)
    assert ax.get_ylim() == pytest.approx((bottom, 90), abs=1e-3)  # the top left where the curves put it
    assert share == pytest.approx(raised_by, abs=1e-3)
    clear_lanes(ax, share)
    assert ax.get_ylim() == pytest.approx((bottom, top), abs=1e-3)
