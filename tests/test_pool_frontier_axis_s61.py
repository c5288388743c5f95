"""The pool frontier's x axis spans its points where a cost held at every point crowds them, and its labels name the
member whose contribution was swept.

Session 61: an analyst swept Japan's gallium contribution (0-100 t) and the rule; 12.3 million USD of rare earths held
at every point put the 33 points between 12.3 and 13.2 million USD on an axis drawn from 0 to 16.6, and the title's
label key read ``gallium.tonnes``, not whose. The table here is that sweep's shape, its numbers made up: 0-100 t of
gallium at 9,000 USD a tonne a year over 12.3 million USD held at every point, 64 t short without gallium, 0.64 t less
a tonne held.
"""

from __future__ import annotations

import pandas as pd

from simulator.sweep.figures import pool_frontier_figure

GALLIUM = "agreement.pool.contributions.japan.gallium.tonnes"
RULE = "agreement.mechanism"
MEMBERS = ["japan", "eu", "korea"]


def _table(held_everywhere_usd: float) -> pd.DataFrame:
    """One run per point: 0-100 t of gallium (step 10) under two rules (the auction 5 t shorter of gallium)."""
    rows = []
    for rule, worse_t in (("fair_ratio", 0.0), ("auction", 5.0)):
        for tonnes in range(0, 101, 10):
            rows.append(
                {
                    GALLIUM: tonnes,
                    RULE: rule,
                    "point": len(rows),
                    "run": 0,
                    "seed": 0,
                    "total_shortfall_t": max(0.0, 64.0 - 0.64 * tonnes) + worse_t,
                    "fairness_jain": 0.8,
                    "holding_cost_usd.japan": held_everywhere_usd + 9000.0 * tonnes,
                    "holding_cost_usd.eu": 0.0,
                    "holding_cost_usd.korea": 0.0,
                }
            )
    return pd.DataFrame(rows)


def test_an_axis_over_the_points_where_a_constant_cost_would_crowd_them() -> None:
    """Points from 12.3 to 13.2 million USD: the axis spans them (with room for labels), not 0 to 13.2 and more."""
    ax = pool_frontier_figure(_table(12.3e6), [GALLIUM, RULE], MEMBERS).axes[0]
    left, right = ax.get_xlim()
    assert 12.0 < left <= 12.3  # not from 0
    assert 13.2 <= right < 13.6
    assert (13.2 - 12.3) / (right - left) > 0.75  # the points fill most of the axis (they had 0.9 / 16.6 = 5%)


def test_an_axis_from_zero_where_the_swept_cost_is_most_of_it() -> None:
    """0.1 to 1.0 million USD: an axis from 0, as before (a dot at 0 cost whole)."""
    ax = pool_frontier_figure(_table(0.1e6), [GALLIUM, RULE], MEMBERS).axes[0]
    assert ax.get_xlim()[0] < 0.0


def test_the_label_key_names_the_member_whose_contribution_was_swept() -> None:
    ax = pool_frontier_figure(_table(12.3e6), [GALLIUM, RULE], MEMBERS).axes[0]
    assert ax.get_title().splitlines()[1].endswith(": japan.gallium.tonnes / agreement.mechanism")
