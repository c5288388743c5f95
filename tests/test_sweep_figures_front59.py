"""A frontier compares choices under the same conditions; leader lines; the words of a flat panel.

Tables are made by hand so that every median and every efficient point is known.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from simulator.sweep.choices import is_choice
from simulator.sweep.figures import flat_panel, frontier_figure, pool_frontier_figure, sweep_notes
from tests.test_sweep_frontier import points_drawn

END, DAYS = "shocks.china_embargo.end", "agreement.pool.contributions.eu.light_ree.days"
MEMBERS = ["japan", "eu"]


def one_run_each(points: list[dict]) -> pd.DataFrame:
    """A sweep table of one run per point, the points numbered in the order given."""
    table = pd.DataFrame(points)
    table.insert(0, "point", range(len(table)))
    table.insert(1, "run", 0)
    table.insert(2, "seed", 0)
    return table


# The researcher's sweep of the embargo's end x the EU's contribution, in small: medians (total t, fairness).
END_POOL = one_run_each(
    [
        {END: 151, DAYS: 0, "total_shortfall_t": 2000.0, "fairness_jain": 0.5},
        {END: 151, DAYS: 90, "total_shortfall_t": 2000.0, "fairness_jain": 0.6},
        {END: 331, DAYS: 0, "total_shortfall_t": 15600.0, "fairness_jain": 0.91},
        {END: 331, DAYS: 90, "total_shortfall_t": 12500.0, "fairness_jain": 0.55},
    ]
).assign(**{"holding_cost_usd.japan": 1e6, "holding_cost_usd.eu": lambda t: 1e6 * t[DAYS] / 90})


def test_a_shorter_embargo_does_not_beat_a_choice_under_a_longer_one():
    fig = frontier_figure(END_POOL, [END, DAYS], MEMBERS)
    # across everything, (12500, 0.55) was beaten by (2000, 0.6): an embargo ending on day 151, which no
    # contribution buys. Among the points ending on day 331 it is the one with less shortfall: efficient
    assert points_drawn(fig) == {
        (2000.0, 0.5): "dominated",  # 151 / 90 has the same shortfall and is fairer
        (2000.0, 0.6): "efficient (Pareto)",
        (15600.0, 0.91): "efficient (Pareto)",
        (12500.0, 0.55): "efficient (Pareto)",
    }
    lines = sorted(tuple(line.get_xdata()) for line in fig.axes[0].lines if len(line.get_xdata()))
    # a line per end through its efficient points, where it has two or more: 151's one efficient dot draws none
    assert lines == [(12500.0, 15600.0)]
    names = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert names[:2] == ["china_embargo.end 151", "china_embargo.end 331"]
    assert "Pareto within each china_embargo.end" in fig.axes[0].get_title()


def test_the_cost_frontier_too_compares_contributions_under_the_same_embargo():
    fig = pool_frontier_figure(END_POOL, [END, DAYS], MEMBERS)
    # cost (million USD) 1 + days / 90: 151/0 (1, 2000), 151/90 (2, 2000), 331/0 (1, 15600), 331/90 (2, 12500).
    # Across everything 151/0 beat both 331 points; a shorter embargo is nothing anyone can buy
    assert points_drawn(fig) == {
        (1.0, 2000.0): "efficient (Pareto)",
        (2.0, 2000.0): "dominated",  # costs more for the same shortfall
        (1.0, 15600.0): "efficient (Pareto)",
        (2.0, 12500.0): "efficient (Pareto)",  # 3,100 t less for one million more
    }


def test_no_frontier_is_drawn_where_only_conditions_are_swept():
    table = END_POOL[END_POOL[DAYS] == 0].copy()
    notes = sweep_notes(table, {"grid": {END: [151, 331]}, "members": MEMBERS})
    assert (
        "sweep_frontier.png not drawn: no choice is swept (shocks.china_embargo.end is a condition, not the club's "
        "to decide): a frontier compares the club's choices under the same conditions"
    ) in notes


@pytest.mark.parametrize(
    ("path", "choice"),
    [
        ("agreement.ratio.japan", True),
        ("agreement.mechanism", True),
        ("agreement.pool.contributions.eu.light_ree.days", True),
        ("regions.japan.reserve.light_ree.days", True),
        ("regions.eu.reserve_release.lag_days", True),
        ("regions.eu.procurement.quota.light_ree.max_share_per_supplier", True),
        ("regions.eu.procurement.replenishment.safety_days", False),  # how industry orders its normal supply
        ("regions.eu.demand.light_ree.tonnes_per_day", False),
        ("regions.eu.commercial_stock.light_ree.days", False),
        ("regions.eu.sourcing.light_ree.china", False),
        ("regions.eu", False),
        ("shocks.china_embargo_both.duration_days.mean", False),
        ("shocks", False),
        ("market.light_ree.price.sensitivity", False),
        ("suppliers.china.capacity_t_per_day.light_ree", False),
        ("horizon_days", False),
    ],
)
def test_choices_are_what_the_club_or_a_member_decides(path, choice):
    assert is_choice(path, MEMBERS) is choice


def crossings(fig) -> list[tuple[str, str]]:
    """(leader's label, label it runs through) for every leader line drawn through another label's box.

    Measured on the drawn figure: each leader line's path as Matplotlib drew it (pixels), walked
    in steps of 0.2 pixel, against the window boxes of the other labels' text.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    boxes = {t.get_text(): Text.get_window_extent(t, renderer) for t in labels}  # an annotation's own: its arrow too
    out = []
    for label in labels:
        arrow = getattr(label, "arrow_patch", None)
        if arrow is None:
            continue
        path = arrow.get_transform().transform_path(arrow.get_path())
        corners = path.vertices
        for start, end in itertools.pairwise(corners):
            steps = max(2, int(np.hypot(*(end - start)) / 0.2))
            walk = start + np.linspace(0, 1, steps)[:, None] * (end - start)
            for name, box in boxes.items():
                if name == label.get_text():
                    continue
                inside = (walk[:, 0] > box.x0) & (walk[:, 0] < box.x1) & (walk[:, 1] > box.y0) & (walk[:, 1] < box.y1)
                if inside.any():
                    out.append((label.get_text(), name))
    return sorted(set(out))


RATIO, MEAN = "agreement.ratio.japan", "shocks.china_embargo_both.duration_days.mean"
# the medians of the researcher's sweep (embargo_stochastic, release cap, ratio 0:1:0.5 x mean 20,40,300, 100 runs)
NINE = one_run_each(
    [
        {RATIO: ratio, MEAN: mean, "total_shortfall_t": total, "fairness_jain": fairness}
        for ratio, by_mean in (
            (0.0, ((20, 0.0, 1.0), (40, 0.00617, 0.999636), (300, 24.180116, 0.556943))),
            (0.5, ((20, 0.0, 1.0), (40, 0.00617, 0.970457), (300, 24.180116, 0.598006))),
            (1.0, ((20, 0.0, 1.0), (40, 0.00617, 0.924393), (300, 24.180116, 0.577257))),
        )
        for mean, total, fairness in by_mean
    ]
)
# 12 dots on a short diagonal in a corner, about 6 pt apart: every label stacks beside the others
DIAGONAL = one_run_each(
    [
        {RATIO: round(0.05 * i, 2), "total_shortfall_t": 1000.0 - 8 * i, "fairness_jain": 0.5 + 0.008 * i}
        for i in range(12)
    ]
)


@pytest.mark.parametrize(("table", "paths"), [(NINE, [RATIO, MEAN]), (DIAGONAL, [RATIO])])
def test_no_leader_line_runs_through_another_label(table, paths):
    fig = frontier_figure(table, paths, MEMBERS)
    assert sum(1 for t in fig.axes[0].texts if getattr(t, "arrow_patch", None)) >= 1  # some labels are led
    assert crossings(fig) == []


def test_a_flat_band_is_written_as_the_other_notes_write_numbers():
    # 21 runs a point: pandas' 5%, 50% and 95% are the 2nd, 11th and 20th smallest (positions 1, 10, 19 of 0-20)
    runs = [0.0, 75.8662, *[100.0] * 8, 197.423, *[500.0] * 8, 1784.72, 2000.0]
    table = pd.DataFrame({RATIO: [0.1] * 21 + [0.9] * 21, "run": list(range(21)) * 2, "total_shortfall_t": runs * 2})
    assert flat_panel(table, "total_shortfall_t", [RATIO]) == (
        "Total shortfall (t): median 197 at every point (5-95% of runs: 75.9 to 1,785)"
    )


def test_a_median_of_0_says_how_many_runs_are_short():
    # 2 x 2 points of 3 runs, Japan short in one run of each: medians 0 everywhere, 4 of 12 runs short
    japan = [0.0, 0.0, 5.0, 0.0, 0.0, 2.0, 0.0, 7.0, 0.0, 3.0, 0.0, 0.0]
    table = pd.DataFrame(
        {
            RATIO: np.repeat([0.1, 0.1, 0.9, 0.9], 3),
            MEAN: np.repeat([60, 300, 60, 300], 3),
            "run": [0, 1, 2] * 4,
            "shortfall_t.japan": japan,
        }
    )
    assert flat_panel(table, "shortfall_t.japan", [RATIO, MEAN]) == (
        "Shortfall, Japan (t): median 0 at every point; short in 4 of 12 runs"
    )
    runs = [0.0] * 20 + [9.0]  # one run of 21 short: 95% of runs is 0 too
    table = pd.DataFrame({RATIO: [0.1] * 21 + [0.9] * 21, "run": list(range(21)) * 2, "shortfall_t.eu": runs * 2})
    assert flat_panel(table, "shortfall_t.eu", [RATIO]) == (
        "Shortfall, EU (t): median 0 at every point (5-95% of runs: 0 to 0); short in 2 of 42 runs"
    )


@pytest.mark.parametrize("groups", [9, 10, 100])
def test_many_condition_groups_get_one_colour_scale_not_a_legend_of_names(groups):
    # 2 ratios under each of `groups` ends: up to nine named in a legend (one colour each); beyond, one colour scale
    # in grid order, its bar naming the first and last ends (100 and 100 + groups - 1), the legend only the key
    table = one_run_each(
        [
            {RATIO: ratio, END: 100 + end, "total_shortfall_t": 10.0 * end + ratio, "fairness_jain": 0.5 + end / 250}
            for end in range(groups)
            for ratio in (0.2, 0.8)
        ]
    )
    fig = frontier_figure(table, [RATIO, END], MEMBERS)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    legend = fig.axes[0].get_legend()
    texts = [text.get_text() for text in legend.get_texts()]
    key = ["filled: efficient in its group", "hollow: dominated in its group"]
    if groups == 9:
        assert texts == [f"china_embargo.end {100 + end}" for end in range(9)] + key
        assert len(fig.axes) == 1
    else:
        assert texts == key
        bar = fig.axes[1]
        assert [tick.get_text() for tick in bar.get_yticklabels()] == ["100", str(100 + groups - 1)]
        assert bar.get_ylabel() == "china_embargo.end"
        boxes = [legend.get_window_extent(renderer), bar.get_tightbbox(renderer)]
        assert not boxes[0].overlaps(boxes[1])
        assert fig.get_figwidth() < 11  # no column of names widens it
    for box in (legend.get_window_extent(renderer), *(ax.get_tightbbox(renderer) for ax in fig.axes)):
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height
