"""The days-of-cover legend names the 30- and 60-day lines once, whichever panels leave one out.

Session 61: an analyst's ``gallium_pool``-like run (Japan's own pool share of light rare earths = 60 days, so its
light panel leaves the 60-day line out) listed ``30 days of normal demand, for reference`` and ``30 and 60 days of
normal demand, for reference``: two entries for one kind of line. Here ``embargo_2010``, whose pool shares lie on
60 days in both panels, gets Japan a different share of heavy rare earths (90 days, not on a target line): its light
panel draws the 30-day line alone, its heavy panel both.
"""

from __future__ import annotations

from matplotlib.lines import Line2D

from simulator.plots import days_of_cover_figure
from simulator.plots.finish import _legend
from tests.helpers import shipped_group, shipped_with

HEAVY_ELSEWHERE = (
    ("agreement.pool.contributions.eu.heavy_ree.days", 90),
    ("agreement.pool.contributions.japan.heavy_ree.days", 90),
)
"""Both members' own pool shares of heavy rare earths at 90 days, off the 60-day line."""


def target_days(ax) -> set[float]:
    """The heights (days) of the dashed grey horizontal lines across ``ax``: the target lines drawn."""
    return {
        float(line.get_ydata()[0])
        for line in ax.get_lines()
        if line.get_linestyle() == "--" and line.get_color() == "0.45" and len(set(line.get_ydata())) == 1
    }


@shipped_group("embargo_2010")
def test_one_entry_names_every_target_line_drawn() -> None:
    fig = days_of_cover_figure(shipped_with("embargo_2010", HEAVY_ELSEWHERE))
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    drawn = {ax.get_title(): target_days(ax) for ax in panels}
    assert drawn == {"Light rare earths": {30.0}, "Heavy rare earths": {30.0, 60.0}}  # the case: panels differ
    labels = [label for handle, label in zip(*_legend(panels), strict=True) if isinstance(handle, Line2D)]
    targets = [label for label in labels if "days of normal demand" in label]
    assert targets == ["30 and 60 days of normal demand, for reference"]
